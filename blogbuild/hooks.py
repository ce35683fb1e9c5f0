"""MkDocs 훅(hook): 이 블로그의 빌드가 기본 Material 설정 위에 더하는 일.

1. 빌드 전에 기여자가 보낸 것을 검사해, 틀리면 파일과 줄을 짚어 빌드를 멈춥니다: 저장소 밖을 가리키는
   링크와 UTF-8이 아닌 파일(containment), 앞머리(frontmatter), 코드 조각 참조(snippet_refs), 글 속의
   스크립트·이벤트 처리기·스타일(active_content), 인용과 참고 문헌(references), 용어집이 피하는 꼴과
   처음 쓴 용어의 영어(glossary).
2. 동반 노트북(notebooks/*.py)을 실행하고(결과는 키로 캐시), 실행된 노트북과 그 그림을 사이트에
   넣습니다. 글은 그림을 경로로(`../../outputs/<노트북>/<이름>.svg`), 표를 --8<--로
   (`build/outputs/<노트북>/<이름>.md`), 숫자를 `{{ outputs/<노트북>/<키> }}`로(placeholders) 싣습니다.
3. 수식을 빌드 때 MathML로 바꾸고, 실행된 노트북을 글과 같은 Markdown 페이지로 씁니다(notebook_pages).
4. 모든 페이지에 Content-Security-Policy를 넣고(csp), 글의 RSS 피드(feed.xml)를 쓰고, 한국어 복합어를
   찾을 수 있게(search_terms), 용어의 다른 꼴(영어, 쓰지 않는 꼴)로도 글을 찾게(glossary) 검색 색인을
   보강합니다. 용어집 페이지(docs/glossary.md)의 표는 빌드 때 data/glossary.yml과 글에서 만듭니다.
   마지막으로 사이트에 실린 모든 파일(docs/의 HTML·SVG·JS, 노트북의 출력까지)에서 실행될 수 있는 것을
   찾아 빌드를 멈춥니다(site_check).
5. 트랜스포머 시리즈의 차례(data/series.yml, series)로 시리즈 페이지와 첫 화면의 목록을 쓰고, 시리즈의
   글마다 제목 아래 "먼저 읽을 글"과 끝의 이전 글·다음 글을 넣습니다. 없는 글을 적은 차례와, 글이 뒤 글에서
   처음 싣는 부품을 쓰는 차례는 빌드를 멈춥니다.
"""

from __future__ import annotations

import logging
import os
import posixpath
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markupsafe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory, get_relative_url

from blogbuild import (
    active_content,
    atomic,
    containment,
    csp,
    excerpts,
    execution,
    feed,
    figures,
    frontmatter,
    glossary,
    mathml,
    memo,
    notebook_pages,
    notebook_publish,
    placeholders,
    references,
    search_terms,
    series,
    site_check,
    snippet_refs,
)
from blogbuild.problems import shown

DEFAULT_TIMEOUT = 120
NOT_STATIC = {".ipynb", ".md", ".json", ".key"}
log = logging.getLogger("mkdocs.hooks.blogbuild")


@dataclass
class BuildState:
    """훅들이 함께 쓰는 것: 프로세스 하나(mkdocs build 한 번, 또는 mkdocs serve의 모든 다시 빌드) 동안 삽니다.

    설정(config)에 두지 않는 까닭: on_startup은 설정이 생기기 전에 한 번만 불리고, on_build_error는 설정을
    받지 않으며, mkdocs serve는 다시 빌드할 때마다 설정을 새로 만드는데 --dirty 빌드는 지난 빌드의 피드
    항목을 이어 써야 합니다. MkDocs는 이 모듈을 한 번만 읽으므로 아래의 `_state` 하나가 그 일을 합니다.
    """

    serve: bool = False  # mkdocs serve(make serve, make write)인지: CSP와 실패한 빌드의 뒷정리
    dirty: bool = False  # 고친 페이지만 다시 만드는 빌드(--dirty, make write)인지
    site_dir: Path | None = None  # 실패한 빌드가 비울 사이트 디렉터리
    # 글 주소 → 피드 항목. on_post_build가 feed.xml로 씁니다.
    feed_items: dict[str, feed.FeedItem] = field(default_factory=dict)
    # 이번 빌드의 시리즈 차례와 모든 글의 앞머리: 페이지마다 다시 읽지 않도록 빌드마다 한 번 읽습니다.
    series: tuple | None = None
    # 그대로 실리는 파일의 사이트 경로 → 원본(docs/x.svg, build/outputs/<노트북>/x.svg): 마지막 검사가 짚습니다.
    sources: dict[str, str] = field(default_factory=dict)

    def start_build(self) -> None:
        """온전한 빌드는 지난 빌드가 모은 것을 비웁니다. --dirty 빌드는 다시 만든 글의 항목만 바꿉니다."""
        self.series = None  # 글은 빌드 사이에 바뀔 수 있으니 언제나 새로 읽습니다
        if not self.dirty:
            self.feed_items.clear()


_state = BuildState()


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _outputs_root(config: MkDocsConfig) -> Path:
    return _root(config) / "build" / "outputs"


def _build_file(config: MkDocsConfig, src_uri: str) -> File:
    """빌드가 build/ 아래에 쓴 파일(build/<src_uri>)을 사이트에 싣는 파일 객체."""
    build_dir = _outputs_root(config).parent
    return File(src_uri, str(build_dir), config.site_dir, config.use_directory_urls)


def _cache_dir(config: MkDocsConfig, name: str) -> Path:
    """빌드 사이에 남기는 캐시(.cache/blogbuild/<name>): 지워도 다음 빌드가 다시 만듭니다."""
    return _root(config) / ".cache" / "blogbuild" / name


def _edit_branch(config: MkDocsConfig) -> str:
    """mkdocs.yml의 edit_uri(edit/<가지>/docs/)가 가리키는 가지: 커밋을 모를 때 설치 셀이 쓰는 가지."""
    parts = config.edit_uri.strip("/").split("/")
    return parts[1] if len(parts) > 2 and parts[0] in {"edit", "blob"} else "main"


def _posts(config: MkDocsConfig) -> list[Path]:
    """모든 글(초안 포함): 검사는 모든 글에 합니다."""
    return sorted((Path(config.docs_dir) / "blog" / "posts").resolve().glob("*.md"))


def _published(config: MkDocsConfig) -> list[Path]:
    """이 빌드가 싣는 글: Material 블로그와 같은 규칙(frontmatter.published). 블로그 플러그인의 draft
    설정은 mkdocs serve에서 참(draft_on_serve), mkdocs build에서 거짓입니다(그 플러그인의 on_config)."""
    blog = config.plugins.get("material/blog")
    shown = bool(blog is not None and blog.config.draft)
    return frontmatter.published(_posts(config), drafts_shown=shown)


def _series(config: MkDocsConfig) -> tuple[series.Series, dict[str, series.PostInfo]]:
    """data/series.yml의 차례와 이 빌드가 싣는 글(빌드마다 한 번 읽음). 틀렸으면 파일과 줄을 짚어 빌드를 멈춥니다."""
    if _state.series is None:
        docs = Path(config.docs_dir).resolve()
        posts = series.read_posts(_published(config), docs)
        drafts = frozenset(
            frontmatter.read_front_matter(post)["slug"]
            for post in _posts(config)
            if frontmatter.is_draft(post)
        )
        try:
            _state.series = series.load(_root(config), docs, posts, drafts), posts
        except series.SeriesError as error:
            raise PluginError(f"트랜스포머 시리즈를 만들 수 없습니다:\n{error}") from None
    return _state.series


def _stop(title: str, problems: list[object]) -> None:
    if problems:
        raise PluginError(title + "\n" + "\n".join(map(str, problems)))


def on_startup(command: str, dirty: bool) -> None:
    _state.dirty, _state.serve = dirty, command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.site_dir = Path(config.site_dir)
    return config


def on_build_error(error: Exception) -> None:
    """실패한 빌드는 사이트를 남기지 않습니다: 반쯤 쓴 페이지나, 엄격 모드의 경고로 멈춘 빌드가 쓴 페이지가
    배포되지 않도록 site/를 비웁니다. mkdocs serve(미리 보기)와 --dirty는 마지막으로 된 빌드를 남겨 둡니다."""
    site_dir = _state.site_dir
    if not (_state.serve or _state.dirty) and site_dir is not None and site_dir.is_dir():
        clean_directory(str(site_dir))


def _active_content_problems(root: Path, docs: Path) -> list[str]:
    """docs/ 아래 모든 Markdown에서 실행될 수 있는 HTML: 파일과 줄을 짚어."""
    problems, findings = [], []
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        _, body = frontmatter.split_front_matter(text)
        first = frontmatter.body_first_line(text)
        for finding in active_content.in_markdown(body, first):
            problems.append(f"{shown(page.relative_to(root))}:{finding.line}: {finding.what}")
            findings.append(finding)
    return problems + active_content.how_to_fix(findings)


def on_pre_build(config: MkDocsConfig) -> None:
    _state.start_build()
    memo.start(_cache_dir(config, "memo.json"))
    root, posts, docs = _root(config), _posts(config), Path(config.docs_dir)
    # 저장소 밖을 가리키는 링크와 읽을 수 없는 바이트부터: 다른 검사가 그 파일을 읽기 전에.
    _stop(
        "저장소의 파일을 읽을 수 없습니다:",
        [
            *containment.check_links(root),
            *containment.check_encodings(root),
            *containment.check_names(root),
        ],
    )
    max_kb = int(config.extra.get("posts", {}).get("max_kb", frontmatter.POST_MAX_KB))
    _stop("글이 너무 큽니다:", frontmatter.size_problems(posts, root, max_kb))
    # 뼈대가 넣은 '(바꾸세요)' 자리 글: 엄격 빌드(make build)는 멈추고 미리 보기(make serve)는 경고하고
    # 보여 줍니다. 초안(draft: true)은 실리지 않으므로 엄격 빌드도 멈추지 않고, 미리 보기만 알립니다.
    leftovers = []
    for post in posts:
        found = frontmatter.scaffold_leftovers(post, root)
        draft = frontmatter.is_draft(post)
        if config.strict and not draft:
            leftovers += found
        elif not config.strict:
            why = "엄격 빌드 make build는 여기서 멈춥니다"
            if draft:
                why = "초안이라 출판되지 않습니다: 'draft: true'를 지우기 전에 바꾸세요"
            for problem in found:
                log.warning(f"{problem} ({why})")
    # 글의 문제는 한꺼번에 알립니다: 고치고 다시 빌드하는 횟수가 줄어듭니다.
    _stop(
        "글을 빌드할 수 없습니다:",
        [
            *leftovers,
            *frontmatter.check_posts(posts, root),
            *frontmatter.check_yaml_headers(
                sorted(set(docs.resolve().rglob("*.md")) - set(posts)),
                [notebook.source for notebook in execution.find_notebooks(root)],
                root,
            ),
            *snippet_refs.check_all(root, posts),
            *references.check_all(root, posts),
            *_active_content_problems(root, docs),
            *glossary.check_posts(posts, root),
        ],
    )
    glossary.write_table(root, _published(config), docs)
    title = "트랜스포머 시리즈를 차례대로 읽을 수 없습니다:"
    try:
        forward = series.forward_references(root, docs.resolve(), _series(config)[0])
    except execution.ExecutionError as error:
        raise PluginError(f"{title}\n{error}") from None
    _stop(title, forward)
    series.write_lists(root, *_series(config))
    settings = config.extra.get("execution", {})
    jobs = execution.job_count(int(settings.get("jobs") or 0))
    started = time.perf_counter()
    try:
        prepared = execution.prepare_outputs(
            root,
            _outputs_root(config),
            timeout=float(settings.get("timeout", DEFAULT_TIMEOUT)),
            execute=os.environ.get("BLOG_EXECUTE", "1") != "0",
            jobs=jobs,
            memory_mb=int(settings.get("memory_mb", execution.DEFAULT_MEMORY_MB)),
        )
    except execution.ExecutionError as error:
        raise PluginError(f"노트북을 실행할 수 없습니다:\n{error}") from error
    log.info(prepared.log_line(jobs, time.perf_counter() - started))
    limits = execution.SizeLimits(
        cell_output_kb=int(settings.get("max_cell_output_kb", execution.SizeLimits.cell_output_kb)),
        published_kb=int(settings.get("max_published_kb", execution.SizeLimits.published_kb)),
    )
    _stop(
        "노트북의 결과가 너무 큽니다:",
        execution.size_problems(root, _outputs_root(config), limits),
    )
    _stop(
        "글을 빌드할 수 없습니다:",
        [
            *snippet_refs.check_generated(root, posts),
            *(
                problem
                for page in sorted(docs.rglob("*.md"))
                for problem in figures.source_problems(page, root, _outputs_root(config))
            ),
        ],
    )


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """테마의 템플릿을 컴파일한 결과를 빌드 사이에 남깁니다(Jinja의 바이트코드 캐시, 템플릿 원문의 해시가 키).

    빌드마다 Material의 템플릿 60여 개를 다시 컴파일하던 시간(온 빌드의 0.15 s)이 없어집니다.
    """
    directory = _cache_dir(config, "jinja")
    directory.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(directory))
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # 빌드가 쓴 파일은 build/ 아래 실제 경로(build/notebooks/, build/outputs/)로 등록합니다.
    root = _root(config)
    build_dir = _outputs_root(config).parent
    outputs_root = _outputs_root(config)
    docs = Path(config.docs_dir).absolute()
    outside = [
        f"{shown('docs/' + f.src_uri)}: 저장소 밖을 가리키는 링크입니다"
        for f in files
        if f.abs_src_path
        and Path(f.abs_src_path).absolute().is_relative_to(docs)
        and not containment.is_inside(Path(f.abs_src_path), root)
    ]

    def add(src_uri: str) -> None:
        path = build_dir / src_uri
        if not containment.is_inside(path, root):
            outside.append(f"build/{src_uri}: 노트북이 저장소 밖을 가리키는 링크를 남겼습니다")
        files.append(_build_file(config, src_uri))

    # 사이트에 싣는 노트북(build/notebooks/<이름>/<이름>.ipynb)과 그 페이지(build/notebooks/<이름>.md)는
    # 여기서 등록하고, 내용은 on_nav에서 씁니다.
    for notebook in execution.find_notebooks(root):
        add(notebook_pages.ipynb_uri(notebook.name))
        add(f"notebooks/{notebook.name}.md")
        for path in sorted(notebook.output_dir(outputs_root).iterdir()):
            if path.suffix not in NOT_STATIC and not path.name.startswith("."):
                add(f"outputs/{notebook.name}/{path.name}")
    _stop("저장소 밖의 파일은 사이트에 실을 수 없습니다:", outside)
    _state.sources = {
        f.dest_uri: _source_of(Path(f.abs_src_path).absolute(), root)
        for f in files
        if f.abs_src_path and not f.is_documentation_page()
    }
    return files


def on_nav(nav, config: MkDocsConfig, files: Files):
    """사이트에 싣는 노트북: 실행된 노트북의 사본에 글로 가는 링크, 저장소 밖에서 돌릴 설치 셀, 그림의 alt를
    더한 것. 글의 주소는 블로그 플러그인이 on_files(늦은 차례)에서 매기므로 모든 on_files 뒤인 여기서 씁니다
    노트북 페이지(build/notebooks/<이름>.md)와 그 그림도 여기서 씁니다(생성기는 페이지를 그릴 때 읽습니다)."""
    root = _root(config)
    outputs_root = _outputs_root(config)
    source = notebook_publish.Source(
        config.repo_url, notebook_publish.head_commit(root), _edit_branch(config)
    )
    posts = _published(config)
    post_info = _series(config)[1]
    for notebook in execution.find_notebooks(root):
        published = outputs_root.parent / notebook_pages.ipynb_uri(notebook.name)
        # 노트북의 글: slug가 노트북 이름인 글(placeholders.companion_notebook과 같은 규칙).
        info = post_info.get(notebook.name)
        post = (
            notebook_publish.PostLink(
                info.title,
                (config.site_url or "../../") + files.get_file_from_path(info.src_uri).url,
            )
            if info
            else None
        )
        try:
            text = notebook_publish.published(
                notebook.executed(outputs_root),
                notebook.name,
                source,
                notebook_source=notebook.source,
                posts=posts,
                root=root,
                outputs_root=outputs_root,
                post=post,
            ).encode("utf-8")
            atomic.write_if_changed(published, text)
            links = {post.url: f"../{info.src_uri}"} if post else {}
            for path in notebook_pages.write_page(published, notebook.name, links):
                image = _build_file(config, path.relative_to(outputs_root.parent).as_posix())
                files.append(image)
                _state.sources[image.dest_uri] = _source_of(path, root)
        except (
            notebook_publish.PublishError,
            placeholders.PlaceholderError,
            notebook_pages.NotebookPageError,
        ) as error:
            raise PluginError(f"사이트에 실을 노트북을 만들 수 없습니다:\n{error}") from error
    return nav


def _source_of(path: Path, root: Path) -> str:
    """그대로 실리는 파일의 저장소 안 경로: docs/의 파일, 또는 노트북이 쓴 build/outputs/<노트북>/의 파일."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".md") or page.file.src_uri.startswith("notebooks/"):
        return markdown  # 노트북 페이지는 글이 아니라 숫자 자리가 없습니다
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    try:
        return placeholders.substitute(
            markdown,
            _outputs_root(config),
            where=shown(f"docs/{page.file.src_uri}"),
            first_line=frontmatter.body_first_line(source, markdown),
            own_notebook=placeholders.companion_notebook(page.meta.get("slug"), _root(config)),
        )
    except placeholders.PlaceholderError as error:
        raise PluginError(f"글의 숫자 자리를 채울 수 없습니다:\n{error}") from error


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    where = shown(f"docs/{page.file.src_uri}")
    if page.file.src_uri.startswith("notebooks/"):  # 노트북 페이지: 원본은 notebooks/<이름>.py
        where = f"notebooks/{Path(page.file.src_uri).stem}.py"
    try:
        if page.file.src_uri.startswith("blog/posts/"):
            # 글 페이지는 다 그렸습니다: 목록의 요약이 다시 그릴 Markdown은 구분선까지면 됩니다.
            page.markdown = excerpts.up_to_separator(page.markdown)
        findings = active_content.in_html(html)
        if findings:
            listed = "\n".join(f"  {finding.what}" for finding in findings)
            raise PluginError(
                f"{where}: 페이지가 실을 수 없는 내용을 싣습니다 "
                f"(--8<--로 끌어온 파일이나 노트북이 만든 표일 수 있습니다):\n"
                + "\n".join([listed, *active_content.how_to_fix(findings)])
            )
        if page.file.src_uri.startswith("blog/posts/"):
            # 시리즈의 글이면 제목 아래 "먼저 읽을 글"과 끝의 이전 글·다음 글 (차례는 data/series.yml)
            html = series.decorate(
                html,
                page.file.src_uri,
                _series(config)[0],
                lambda uri: get_relative_url(files.get_file_from_path(uri).url, page.url),
            )
        # 노트북의 그림: 번호 붙은 <figure>, 팔레트·화면 폭마다의 벌, 그림 속 글자 크기 검사
        html, problems = figures.render_figures(html, _outputs_root(config))
        if problems:
            raise PluginError(
                f"{where}: 그림을 실을 수 없습니다:\n"
                + "\n".join(f"  {problem}" for problem in problems)
            )
        html = figures.add_sizes_and_lazy_loading(html, _outputs_root(config))
        return mathml.render_math(html)
    except (figures.FigureError, mathml.MathError) as error:
        raise PluginError(f"{where}: {error}") from error


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # Material의 검색 대화 상자에는 이름이 없습니다(aria-dialog-name). 템플릿 전체를 복사하는 대신 이름만 붙입니다.
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="검색">', 1)
    left = placeholders.leftovers(output)
    if left:
        raise PluginError(
            f"{shown(page.file.src_uri)}: 채워지지 않은 자리 {', '.join(sorted(set(left)))}가 페이지에 "
            "남았습니다 (--8<--로 끌어온 파일 안의 자리는 채워지지 않습니다)"
        )
    # 글쓴이의 내용: 페이지 본문과, 블로그 목록 페이지가 싣는 글 요약들.
    # (목록은 쪽으로 나뉘므로 이 쪽에 그리지 않은 요약에는 content가 없습니다.)
    excerpts = [post.excerpt for post in getattr(page, "posts", []) if post.excerpt]
    contributed = [page.content or ""] + [getattr(e, "content", None) or "" for e in excerpts]
    return csp.add_policy(output, contributed, serve=_state.serve)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """페이지가 아닌 템플릿(404.html)에도 같은 정책을: 글쓴이의 내용이 없으니 모두 템플릿의 것입니다."""
    if template_name.endswith(".html"):
        return csp.add_policy(output_content, [], serve=_state.serve)
    return output_content


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    if page.file.src_uri.startswith("notebooks/"):
        # 노트북 페이지의 "고치기" 단추는 실행 결과(.ipynb)가 아니라 원본 notebooks/<이름>.py로 갑니다.
        # edit_uri(edit/<가지>/docs/)의 docs/ 자리를 notebooks/로 바꿔, 가지 이름은 mkdocs.yml 한 곳에 둡니다.
        edit_base = posixpath.dirname(config.edit_uri.rstrip("/"))
        name = Path(page.file.src_uri).stem
        page.edit_url = f"{config.repo_url.rstrip('/')}/{edit_base}/notebooks/{name}.py"
        # 내려받기 단추(overrides/main.html)는 페이지에서 본 상대 주소로 .ipynb를 가리킵니다.
        page.nb_url = get_relative_url(notebook_pages.ipynb_uri(name), page.url)
    if page.file.src_uri.startswith("blog/posts/"):
        # page.title은 제목 줄을 HTML로 그린 글자(Q&amp;A)입니다. 피드(XML)는 평문을 받아 스스로 이스케이프합니다.
        title = markupsafe.Markup(page.title).striptags()
        _state.feed_items[page.canonical_url] = feed.item_from_page(
            title, page.canonical_url, page.meta
        )
    # Material의 템플릿은 자동 이스케이프 없이 앞머리 값을 싣습니다(<meta name="description" content="...">).
    # 글쓴이가 쓴 자유 글은 템플릿에 닿기 전에 여기서 한 번 이스케이프합니다(Markup이라 두 번 되지 않음).
    if isinstance(page.meta.get("description"), str):
        page.meta["description"] = markupsafe.escape(page.meta["description"])
    return context


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    document = feed.rss(
        config.site_name, config.site_url, config.site_description, list(_state.feed_items.values())
    )
    (site / "feed.xml").write_bytes(document)
    entries = glossary.load(_root(config))
    search_terms.enrich_index(
        site / "search" / "search_index.json",
        lambda text: glossary.other_forms(text, entries),
        forms_version=repr(entries),
    )
    # 마지막으로, 어디서 왔든 사이트에 실리는 모든 파일을 검사합니다(실패하면 on_build_error가 사이트를 비웁니다).
    _stop(
        "사이트에 실을 수 없는 파일이 있습니다:",
        site_check.check_site(
            site,
            site_check.allowed_scripts(
                config.theme.dirs,
                Path(config.docs_dir),
                map(str, config.extra_javascript),
            ),
            _state.sources,
            serve=_state.serve,
            site_path=urllib.parse.urlsplit(config.site_url or "/").path or "/",
        ),
    )
    memo.finish(keep_unused=_state.dirty)
