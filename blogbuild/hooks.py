"""MkDocs 훅(hook): 이 블로그의 빌드가 기본 Material 설정 위에 더하는 일.

1. 빌드 전에 글의 앞머리와 코드 조각 참조를 검사해, 틀리면 파일과 줄을 짚어 빌드를 멈춥니다.
2. 동반 노트북(notebooks/*.py)을 실행하고(결과는 키로 캐시), 실행된 노트북과 그 그림을 사이트에
   넣습니다. 글은 그림을 경로로(`../../outputs/<노트북>/<이름>.svg`), 표를 --8<--로
   (`build/outputs/<노트북>/<이름>.md`), 숫자를 `{{ outputs/<노트북>/<키> }}`로 싣습니다.
3. 수식을 빌드 때 MathML로 바꾸고, 노트북 페이지가 외부에서 부르는 스크립트를 뺍니다.
4. 글의 RSS 피드(feed.xml)를 쓰고, 한국어 복합어를 찾을 수 있게 검색 색인을 보강합니다.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from blogbuild import execution, feed, figures, frontmatter, mathml, search_terms, snippet_refs

DEFAULT_TIMEOUT = 120
NUMBER = re.compile(r"\{\{\s*outputs/(?P<notebook>[a-z0-9-]+)/(?P<key>[a-z0-9-]+)\s*\}\}")
# 노트북 HTML(nbconvert 템플릿)이 CDN에서 부르는 MathJax·mermaid 스크립트.
THIRD_PARTY_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>')
NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb[^"]*"')
NOT_STATIC = {".ipynb", ".md", ".json", ".key"}
log = logging.getLogger("mkdocs.hooks.blogbuild")
# 글 주소 → 피드 항목. on_post_build가 feed.xml로 씁니다. 온전한 빌드는 on_pre_build에서 비우고,
# 고친 페이지만 다시 만드는 --dirty 빌드(make write)는 다시 만든 글의 항목만 바꿉니다.
_feed_items: dict[str, feed.FeedItem] = {}
_dirty = False


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _outputs_root(config: MkDocsConfig) -> Path:
    return _root(config) / "build" / "outputs"


def _posts(config: MkDocsConfig) -> list[Path]:
    return sorted((Path(config.docs_dir) / "blog" / "posts").resolve().glob("*.md"))


def _stop(title: str, problems: list[object]) -> None:
    if problems:
        raise PluginError(title + "\n" + "\n".join(map(str, problems)))


def on_startup(command: str, dirty: bool) -> None:
    global _dirty
    _dirty = dirty


def on_pre_build(config: MkDocsConfig) -> None:
    if not _dirty:
        _feed_items.clear()
    root, posts = _root(config), _posts(config)
    _stop("글을 빌드할 수 없습니다:", frontmatter.check_posts(posts, root))
    _stop("글을 빌드할 수 없습니다:", snippet_refs.check_all(root, posts))
    settings = config.extra.get("execution", {})
    started = time.perf_counter()
    try:
        prepared = execution.prepare_outputs(
            root,
            _outputs_root(config),
            timeout=float(settings.get("timeout", DEFAULT_TIMEOUT)),
            execute=os.environ.get("BLOG_EXECUTE", "1") != "0",
        )
    except execution.ExecutionError as error:
        raise PluginError(f"노트북을 실행할 수 없습니다:\n{error}") from error
    elapsed = time.perf_counter() - started
    log.info("노트북 실행: %s (%.1f초)", ", ".join(prepared.executed) or "없음(캐시)", elapsed)
    _stop("글을 빌드할 수 없습니다:", snippet_refs.check_generated(root, posts))


@event_priority(100)  # mkdocs-jupyter가 .ipynb를 페이지로 바꾸기 전에 넣어야 합니다
def on_files(files: Files, config: MkDocsConfig) -> Files:
    # mkdocs-jupyter는 파일 객체를 감싸면서 src_dir/src_uri로 원본 경로를 다시 계산하므로,
    # 가상 파일 대신 build/ 아래 실제 경로(build/notebooks/, build/outputs/)로 등록합니다.
    build_dir = _outputs_root(config).parent
    outputs_root = _outputs_root(config)

    def add(src_uri: str) -> None:
        files.append(File(src_uri, str(build_dir), config.site_dir, config.use_directory_urls))

    for notebook in execution.find_notebooks(_root(config)):
        published = build_dir / "notebooks" / f"{notebook.name}.ipynb"
        executed = notebook.executed(outputs_root).read_bytes()
        if not published.exists() or published.read_bytes() != executed:
            published.parent.mkdir(parents=True, exist_ok=True)
            published.write_bytes(executed)
        add(f"notebooks/{notebook.name}.ipynb")
        for path in sorted(notebook.output_dir(outputs_root).iterdir()):
            if path.suffix not in NOT_STATIC and not path.name.startswith("."):
                add(f"outputs/{notebook.name}/{path.name}")
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    outputs_root = _outputs_root(config)

    def number(match: re.Match) -> str:
        path = outputs_root / match["notebook"] / "numbers.json"
        numbers = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if match["key"] not in numbers:
            line = markdown.count("\n", 0, match.start()) + 1
            known = ", ".join(sorted(numbers)) or "없음"
            raise PluginError(
                f"{page.file.src_uri}:{line}: '{match[0]}': notebooks/{match['notebook']}.py가 "
                f"save_numbers로 남긴 키가 아닙니다 (있는 키: {known})"
            )
        return str(numbers[match["key"]])

    return NUMBER.sub(number, markdown)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = THIRD_PARTY_SCRIPT.sub("", html)
    # 노트북의 코드 칸은 가로로 스크롤되므로 키보드로도 닿게 합니다 (scrollable-region-focusable).
    html = NOTEBOOK_CODE.sub(r'\g<0> tabindex="0"', html)
    try:
        html = figures.add_sizes_and_lazy_loading(html, _outputs_root(config))
        return mathml.render_math(html)
    except (figures.FigureError, mathml.MathError) as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # Material의 검색 대화 상자에는 이름이 없습니다(aria-dialog-name). 템플릿 전체를 복사하는 대신 이름만 붙입니다.
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="검색">', 1)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    if page.file.src_uri.startswith("notebooks/"):
        # 노트북 페이지의 "고치기" 단추는 실행 결과(.ipynb)가 아니라 원본 notebooks/<이름>.py로 갑니다.
        # edit_uri(edit/<가지>/docs/)의 docs/ 자리를 notebooks/로 바꿔, 가지 이름은 mkdocs.yml 한 곳에 둡니다.
        edit_base = posixpath.dirname(config.edit_uri.rstrip("/"))
        name = Path(page.file.src_uri).stem
        page.edit_url = f"{config.repo_url.rstrip('/')}/{edit_base}/notebooks/{name}.py"
    if page.file.src_uri.startswith("blog/posts/"):
        _feed_items[page.canonical_url] = feed.item_from_page(
            page.title, page.canonical_url, page.meta
        )
    return context


def on_post_build(config: MkDocsConfig) -> None:
    document = feed.rss(
        config.site_name, config.site_url, config.site_description, list(_feed_items.values())
    )
    (Path(config.site_dir) / "feed.xml").write_bytes(document)
    search_terms.enrich_index(Path(config.site_dir) / "search" / "search_index.json")
