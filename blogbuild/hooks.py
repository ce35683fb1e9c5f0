"""생성기(MkDocs 1.x 계열)와 빌드의 단계(blogbuild/stages/)를 잇는 어댑터: 빌드의 논리는 여기 없습니다.

이벤트마다 단계의 함수 하나를 부르고, 생성기만 아는 것(미리 보기인지, 페이지의 주소, 목차)을 넘깁니다.
빌드 전에 check → execute → prepare, 페이지마다 build의 함수들, 빌드 뒤에 finish. 단계가 멈추면(StageError)
그 메시지를 생성기의 오류로 알리고, 실패한 빌드는 사이트를 남기지 않습니다.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory, get_relative_url

from blogbuild import memo
from blogbuild.project import Project, StageError
from blogbuild.stages import build, check, execute, finish, prepare


@dataclass
class HostState:
    """생성기가 한 번 알려 주는 것: on_startup은 설정이 생기기 전에 한 번만 불리고, on_build_error는 설정을
    받지 않으며, mkdocs serve는 다시 빌드할 때마다 설정을 새로 만듭니다. MkDocs는 이 모듈을 한 번만 읽습니다."""

    serve: bool = False  # mkdocs serve(make serve, make write)
    dirty: bool = False  # 고친 페이지만 다시 만드는 빌드(--dirty, make write)
    project: Project | None = None


_host = HostState()


def _stage(function):
    """단계가 멈추면 그 메시지(파일과 줄을 짚은)를 생성기의 오류로: 트레이스백이 아니라 메시지만."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except StageError as error:
            raise PluginError(str(error)) from None

    return wrapped


def on_startup(command: str, dirty: bool) -> None:
    _host.dirty, _host.serve = dirty, command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    _host.project = Project.load(
        root, preview=_host.serve, strict=bool(config.strict), site=Path(config.site_dir)
    )
    return config


def on_build_error(error: Exception) -> None:
    """실패한 빌드는 사이트를 남기지 않습니다: 반쯤 쓴 페이지나, 엄격 모드의 경고로 멈춘 빌드가 쓴 페이지가
    배포되지 않도록 site/를 비웁니다. mkdocs serve(미리 보기)와 --dirty는 마지막으로 된 빌드를 남겨 둡니다."""
    project = _host.project
    if not (_host.serve or _host.dirty) and project and project.site_dir.is_dir():
        clean_directory(str(project.site_dir))


@_stage
def on_pre_build(config: MkDocsConfig) -> None:
    finish.wait_for_search_index()  # 미리 보기가 지난 빌드 뒤에서 쓰던 색인: 사이트를 비우기 전에
    memo.start(_host.project.cache("memo.json"))
    for stage in (check, execute, prepare):
        stage.run(_host.project)


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """테마의 템플릿을 컴파일한 결과를 빌드 사이에 남깁니다(Jinja의 바이트코드 캐시, 템플릿 원문의 해시가 키)."""
    directory = _host.project.cache("jinja")
    directory.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(directory))
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """prepare가 build/ 아래에 쓴, 사이트에 싣는 파일(노트북, 그 페이지와 그림들)을 등록합니다."""
    build_dir = str(_host.project.build_dir)
    for name in prepare.generated_files(_host.project):
        files.append(File(name, build_dir, config.site_dir, config.use_directory_urls))
    return files


@_stage
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".md"):
        return markdown
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    return build.post_markdown(
        markdown, page.file.src_uri, source, page.meta.get("slug"), _host.project
    )


@event_priority(50)  # Material의 블로그(우선순위 0)가 글을 읽는 시간을 셈하기 전에
@_stage
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src_uri = page.file.src_uri
    blog = config.plugins.get("material/blog")
    if blog and blog.config.post_readtime and page in blog.blog.posts and not page.config.readtime:
        words_per_minute = blog.config.post_readtime_words_per_minute
        page.config.readtime = build.reading_minutes(html, words_per_minute)
    # 페이지는 다 그렸습니다: 목록의 요약이 다시 그릴 Markdown은 구분선까지면 됩니다.
    page.markdown = build.excerpt_markdown(page.markdown, src_uri)
    return build.page_html(
        html,
        src_uri,
        _host.project,
        lambda uri: get_relative_url(files.get_file_from_path(uri).url, page.url),
    )


@_stage
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # 글쓴이의 내용: 페이지 본문과, 블로그 목록 페이지가 싣는 글 요약들.
    # (목록은 쪽으로 나뉘므로 이 쪽에 그리지 않은 요약에는 content가 없습니다.)
    excerpts = [post.excerpt for post in getattr(page, "posts", []) if post.excerpt]
    contributed = [page.content or ""] + [getattr(e, "content", None) or "" for e in excerpts]
    return build.final_html(output, page.file.src_uri, contributed, _host.project, _host.serve)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return build.template_html(output_content, template_name, _host.serve)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    page.edit_url = build.edit_url(page.file.src_uri, _host.project) or page.edit_url
    download = build.notebook_download(page.file.src_uri)
    if download:  # 내려받기 단추(overrides/main.html)는 페이지에서 본 상대 주소로
        page.nb_url = get_relative_url(download, page.url)
    build.escaped_meta(page.meta)
    return context


@_stage
def on_post_build(config: MkDocsConfig) -> None:
    # 미리 보기는 검색 색인을 뒤에서 씁니다: 브라우저를 먼저 새로 고치고, 기억은 색인을 다 쓴 뒤에.
    finish.run(
        _host.project,
        then=lambda: memo.finish(keep_unused=_host.dirty),
        search_later=_host.serve,
    )
