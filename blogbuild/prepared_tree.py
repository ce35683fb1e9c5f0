"""준비된 트리(`python -m blogbuild prepare --tree DIR`): 훅을 돌리지 않는 생성기가 그대로 그릴 문서 트리.

생성기(ProperDocs)는 어댑터(hooks.py)를 거쳐 페이지마다 빌드의 함수를 부릅니다. 훅을 돌리지 않는 생성기
(Zensical)에는 그 자리가 없으므로, 이 모듈이 같은 함수로 그 일을 미리 해 둔 docs/의 사본을 씁니다.

- docs/의 모든 파일. 글과 페이지(.md)의 `{{ … }}`는 숫자·표(placeholders.substitute)로, 그림 한 줄은 다 그린
  <figure>(figures.figure_html)로 바뀝니다. 시리즈의 글에는 "먼저 읽을 글"과 이전 글·다음 글
  (series.navigation)을 HTML 블록으로 넣습니다.
- 그 HTML 속 주소는 Markdown의 링크처럼 원본에서 본 상대 경로입니다(../../outputs/…, ../series.md). Zensical은
  날것의 HTML 속 주소도 원본에서 보고 페이지 주소로 고칩니다(ProperDocs는 고치지 않으므로 이 트리가 아니라 어댑터로
  빌드합니다). 그래서 트리의 <figure>와 안내는 빌드가 그린 것과 주소만 다르고, 주소는 같은 파일을 가리킵니다.
- prepare 단계가 build/ 아래에 쓴, 사이트에 싣는 파일(prepare.generated_files): 노트북 페이지(.md)와 그
  그림, 내려받는 .ipynb, 노트북의 그림 파일.
- `--8<--`(pymdownx.snippets: 코드 조각, 용어집 표, 시리즈 목록)와 수식(pymdownx.arithmatex)은 Python-Markdown
  확장의 일이라 그대로 둡니다: 이 계열의 생성기는 모두 그 확장을 돌립니다. 수식의 MathML은 finish --site가
  다 그린 사이트에서 바꿉니다.

생성기만 아는 것은 트리에 없습니다: 페이지의 CSP(템플릿의 스크립트와 글쓴이의 내용을 가르는 것은 생성기의
페이지 이벤트뿐입니다), 노트북 페이지의 내려받기 단추와 "고치기" 주소(템플릿의 page 값), 목록의 요약.

트리는 다른 곳에 다 쓴 뒤 이름을 바꿔 한 번에 들어섭니다. 표시 파일(MARKER)이 있는 디렉터리만 덮어쓰고,
저장소 자체나 docs/, 표시 없는 비지 않은 디렉터리는 거절합니다. 저장소 밖을 가리키는 링크는 옮기지 않고
멈춥니다(링크가 아니라 내용을 씁니다).
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from pathlib import Path

from blogbuild import containment, figures, frontmatter, placeholders, series
from blogbuild.manifest import Output
from blogbuild.problems import shown
from blogbuild.project import Project, StageError, stop
from blogbuild.stages import prepare
from blogbuild.stages.build import NOTEBOOKS

MARKER = ".blogbuild-prepared-tree"
MARKER_TEXT = (
    "python -m blogbuild prepare --tree가 쓴 준비된 트리입니다. 다음 실행이 통째로 다시 씁니다: "
    "고치지 말고 docs/를 고치세요.\n"
)


def write(project: Project, tree: Path) -> Path:
    """project의 준비된 트리를 tree에 씁니다(prepare 단계가 끝난 뒤). 쓴 디렉터리를 돌려줍니다."""
    tree = _checked_destination(project, tree)
    files = _files(project)
    stop(
        "준비된 트리를 쓸 수 없습니다:",
        [problem for problem in files.values() if isinstance(problem, str)],
    )
    tree.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=tree.parent, prefix=f".{tree.name}."))
    try:
        for name, source in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name.endswith(".md") and not name.startswith(NOTEBOOKS):
                target.write_text(page_markdown(project, name, source), encoding="utf-8")
            else:
                target.write_bytes(source.read_bytes())
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _swap(staging, tree)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tree


def _checked_destination(project: Project, tree: Path) -> Path:
    """덮어써도 되는 곳인지: 저장소나 그것을 품은 곳, docs/ 안, 링크, 표시 없는 비지 않은 디렉터리는 거절."""
    written = tree
    if tree.is_symlink():
        raise StageError(
            "준비된 트리를 쓸 수 없습니다:",
            [
                f"{written}: 심볼릭 링크입니다: 링크가 가리키는 곳을 덮어쓰지 않습니다. 다른 디렉터리를 주세요"
            ],
        )
    tree = tree.resolve()
    root, docs = project.root, project.docs
    why = None
    if tree == root or root.is_relative_to(tree):
        why = "저장소(또는 그것을 품은 디렉터리)입니다"
    elif tree.is_relative_to(docs):
        why = "docs/ 안입니다: 트리는 docs/의 사본이라 그 안에 둘 수 없습니다"
    elif tree.exists() and not tree.is_dir():
        why = "디렉터리가 아닌 파일입니다"
    elif tree.is_dir() and any(tree.iterdir()) and not (tree / MARKER).is_file():
        why = f"준비된 트리가 아닌 비지 않은 디렉터리입니다({MARKER}가 없음)"
    if why:
        raise StageError(
            "준비된 트리를 쓸 수 없습니다:",
            [f"{written}: {why}. 비었거나 없는 디렉터리(예: build/prepared)를 주세요"],
        )
    return tree


def _files(project: Project) -> dict[str, Path | str]:
    """트리에 들 파일: 트리 안 경로 → 원본. 원본이 저장소 밖(링크를 따라가면)이면 그 까닭(글자)."""
    root, docs = project.root, project.docs
    found: dict[str, Path | str] = {}
    for directory, subdirs, names in os.walk(docs):
        for (
            name
        ) in subdirs:  # os.walk는 링크인 디렉터리로 들어가지 않습니다: 건너뛰는 대신 짚습니다
            if (Path(directory) / name).is_symlink():
                where = (Path(directory) / name).relative_to(root).as_posix()
                found[where] = (
                    f"{where}: 심볼릭 링크인 디렉터리는 트리에 옮기지 않습니다: 파일로 두세요"
                )
        for file_name in names:
            path = Path(directory) / file_name
            found[path.relative_to(docs).as_posix()] = path
    for name in prepare.generated_files(project):
        found[name] = project.build_dir / name
    for name, path in found.items():
        if isinstance(path, Path) and not containment.is_inside(path, root):
            found[name] = (
                f"{shown(path.relative_to(root).as_posix())}: 저장소 밖을 가리키는 링크입니다"
            )
    return dict(sorted(found.items()))


def _swap(staging: Path, tree: Path) -> None:
    """다 쓴 staging을 tree 자리에: 옛 트리는 한 번의 이름 바꾸기로 비키고, 새 트리가 한 번에 들어섭니다."""
    old = None
    if tree.exists():
        old = Path(tempfile.mkdtemp(dir=tree.parent, prefix=f".{tree.name}.old."))
        os.replace(tree, old / "tree")
    os.replace(staging, tree)
    if old:
        shutil.rmtree(old)


def page_markdown(project: Project, src_uri: str, source: Path) -> str:
    """docs/ 아래 페이지(src_uri)의 준비된 Markdown: 결과 자리를 채우고, 그림은 <figure>로, 시리즈 안내를 넣은 것.

    앞머리는 그대로 둡니다. 틀린 자리나 너무 작은 글자의 그림은 빌드처럼 파일과 줄을 짚어 멈춥니다.
    """
    text = source.read_text(encoding="utf-8")
    raw, body = frontmatter.split_front_matter(text)
    head = text[: len(text) - len(body)]
    where = shown(f"docs/{src_uri}")
    meta = frontmatter.read_front_matter(source) if raw is not None else {}
    prefix = placeholders.outputs_prefix(src_uri)
    drawn: list[str] = []  # 이 페이지의 그림들(번호는 그 차례)
    too_small: list[str] = []

    def figure(output: Output) -> str:
        drawn.append(output.name)
        html, small = figures.figure_html(
            project.outputs, output.variant("light"), len(drawn), prefix
        )
        too_small.extend(small)
        return html

    try:
        body = placeholders.substitute(
            body,
            project.outputs,
            where=where,
            first_line=frontmatter.body_first_line(text, body),
            own_notebook=placeholders.companion_notebook(meta.get("slug"), project.root),
            prefix=prefix,
            figure=figure,
        )
    except placeholders.PlaceholderError as error:
        raise StageError("글의 결과 자리를 채울 수 없습니다:", [error]) from error
    except figures.FigureError as error:
        raise StageError(f"{where}: {error}", []) from error
    if too_small:
        raise StageError(
            f"{where}: 그림을 실을 수 없습니다:",
            [f"  {problem}" for problem in [*too_small, figures.SIZE_HOW_TO_FIX]],
        )
    return head + _with_series(project, src_uri, body)


def _with_series(project: Project, src_uri: str, body: str) -> str:
    """시리즈의 글이면 제목(# 줄) 아래와 끝에 series.navigation의 HTML 블록을 넣은 본문."""
    found = navigation_of(project, src_uri)
    if found is None:
        return body
    lead, nav = found
    lines = body.split("\n")
    at = next(
        (
            number + 1
            for number, (line, fenced) in enumerate(placeholders.markdown_lines(body))
            if not fenced and line.startswith("# ")
        ),
        0,
    )
    lines[at:at] = ["", str(lead), ""]
    return "\n".join(lines).rstrip("\n") + f"\n\n{nav}\n"


def navigation_of(project: Project, src_uri: str) -> tuple[str, str] | None:
    """src_uri 글의 시리즈 안내(series.navigation): 주소는 이 글의 .md에서 본 다른 .md(../series.md)."""
    here = posixpath.dirname(src_uri) or "."
    return series.navigation(src_uri, project.series()[0], lambda uri: posixpath.relpath(uri, here))
