"""prepare 단계: 생성기가 그릴 것을 build/ 아래에 씁니다. 바뀐 파일만 다시 씁니다(atomic.write_if_changed).

- build/notebooks/<노트북>/<노트북>.ipynb: 사이트에 싣는 노트북. 실행된 노트북에 글로 가는 링크, 저장소 밖에서
  돌릴 설치 셀, 그림의 alt를 더한 것(notebook_publish).
- build/notebooks/<노트북>.md와 그 그림: 그 노트북을 생성기가 글처럼 그리는 Markdown 페이지(notebook_pages).
- build/glossary.md, 시리즈 목록(build/series*.md): 용어집 페이지와 시리즈 페이지·첫 화면이 싣는 표와 목록.

그리고 노트북이 남긴 결과 목록(manifest.json)을 믿을 수 없는 입력으로 검사합니다. 어떤 파일이 사이트에 실리는지는
generated_files 한 곳이 정하고, 어댑터(생성기에 등록)와 finish(원본을 짚는 검사)가 함께 씁니다.
"""

from __future__ import annotations

from blogbuild import (
    atomic,
    containment,
    execution,
    glossary,
    manifest,
    memo,
    notebook_pages,
    notebook_publish,
    series,
    stages,
)
from blogbuild.project import Project, StageError, stop

# 노트북의 결과 가운데 사이트에 그대로 싣지 않는 것: 페이지가 되거나(.ipynb, .md는 글이 싣는 표) 빌드만
# 읽는 것(숫자 .json, 키 .key).
NOT_STATIC = {".ipynb", ".md", ".json", ".key"}


def run(project: Project) -> None:
    root, docs = project.root, project.docs
    posts, post_info = project.published(), project.series()[1]
    glossary.write_page(root, posts, docs)
    series.write_lists(root, *project.series())
    stop(
        "노트북의 결과를 글에 실을 수 없습니다:",
        [
            *manifest.check_all(root, project.outputs),
            *glossary.check_outputs(root, project.outputs),
        ],
    )
    _publish_notebooks(project, post_info)
    stop("저장소 밖의 파일은 사이트에 실을 수 없습니다:", _outside(project))


def generated_files(project: Project) -> list[str]:
    """사이트에 싣는 build/ 아래의 파일(build/에서 본 경로): 노트북과 그 그림들."""
    files = []
    for notebook in execution.find_notebooks(project.root):
        # 내려받는 .ipynb와 노트북 페이지(Markdown), 페이지의 그림(notebook_pages가 쓴 것)
        files += [notebook_pages.ipynb_uri(notebook.name), f"notebooks/{notebook.name}.md"]
        images = project.build_dir / "notebooks" / notebook.name
        if images.is_dir():
            files += [
                f"notebooks/{notebook.name}/{path.name}"
                for path in sorted(images.iterdir())
                if notebook_pages.IMAGE_FILE.fullmatch(path.name)
            ]
        for path in sorted(notebook.output_dir(project.outputs).iterdir()):
            if path.suffix not in NOT_STATIC and not path.name.startswith("."):
                files.append(f"outputs/{notebook.name}/{path.name}")
    return files


def _outside(project: Project) -> list[str]:
    """build/와 docs/에서 사이트에 실릴 파일 가운데 링크를 따라가면 저장소 밖인 것."""
    outside = [
        f"build/{name}: 노트북이 저장소 밖을 가리키는 링크를 남겼습니다"
        for name in generated_files(project)
        if not containment.is_inside(project.build_dir / name, project.root)
    ]
    outside += [
        f"{path.relative_to(project.root).as_posix()}: 저장소 밖을 가리키는 링크입니다"
        for path in sorted(project.docs.rglob("*"))
        if path.is_file() and not containment.is_inside(path, project.root)
    ]
    return outside


def _publish_notebooks(project: Project, post_info: dict[str, series.PostInfo]) -> None:
    root = project.root
    source = notebook_publish.Source(
        project.repo_url, notebook_publish.head_commit(root), project.edit_branch
    )
    for notebook in execution.find_notebooks(root):
        # 노트북의 글: slug가 노트북 이름인 글(placeholders.companion_notebook과 같은 규칙).
        info = post_info.get(notebook.name)
        post = (
            notebook_publish.PostLink(
                info.title, (project.site_url or "../../") + project.post_url(info)
            )
            if info
            else None
        )
        # 노트북 페이지(build/notebooks/<이름>.md)의 글로 가는 링크는 글의 .md(생성기가 상대 주소로)
        links = {post.url: f"../{info.src_uri}"} if post else {}
        _publish_notebook(project, notebook, source, post, links)


def _publish_notebook(
    project: Project,
    notebook: execution.Notebook,
    source: notebook_publish.Source,
    post: notebook_publish.PostLink | None,
    links: dict[str, str],
) -> None:
    """사이트에 싣는 노트북(.ipynb)과 그 페이지, 그림을 씁니다. 읽는 것(published_inputs)이 지난 빌드와 같고
    build/에 그때 쓴 파일이 그대로 있으면 다시 만들지 않습니다(빌드 사이의 기억 memo)."""
    root, outputs = project.root, project.outputs
    published = project.build_dir / notebook_pages.ipynb_uri(notebook.name)

    def publish() -> str:
        try:
            text = notebook_publish.published(
                notebook.executed(outputs),
                notebook.name,
                source,
                notebook_source=notebook.source,
                root=root,
                outputs_root=outputs,
                post=post,
            ).encode("utf-8")
            atomic.write_if_changed(published, text)
            notebook_pages.write_page(published, notebook.name, links)
        except (
            notebook_publish.PublishError,
            manifest.ManifestError,
            notebook_pages.NotebookPageError,
        ) as error:
            raise StageError("사이트에 실을 노트북을 만들 수 없습니다:", [error]) from error
        return _written(project, notebook.name)

    inputs = notebook_publish.published_inputs(
        notebook.name,
        source,
        notebook_source=notebook.source,
        root=root,
        outputs_root=outputs,
        post=post,
    )
    written = memo.remembered(["published notebook", *inputs, repr(links)], publish, shape=str)
    if written != _written(project, notebook.name):  # 누가 build/의 파일을 지우거나 고쳤습니다
        publish()


def _written(project: Project, name: str) -> str:
    """노트북 하나에 대해 prepare가 build/notebooks/에 쓴 파일들(사본, 페이지, 그림)의 내용의 해시."""
    directory = project.build_dir / "notebooks" / name
    paths = [directory.with_suffix(".md")]
    if directory.is_dir():
        paths += sorted(path for path in directory.iterdir() if not path.name.startswith("."))
    return stages.fingerprint(project.build_dir, [p.relative_to(project.build_dir) for p in paths])
