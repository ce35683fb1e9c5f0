"""finish 단계: 생성기가 만든 site/를 마칩니다. 생성기 없이도 돕니다(`python -m blogbuild finish`).

- feed.xml: 이 빌드가 싣는 글의 RSS 피드(feed). 글의 앞머리와 제목에서 씁니다.
- 검색 색인(search_index): 글과 노트북 페이지의 본문으로 pagefind/에 Pagefind 색인을 씁니다. 한국어 복합어
  (search_terms)와 용어의 다른 꼴(영어, 쓰지 않는 꼴: glossary)로도 글을 찾게 낱말을 더합니다. 생성기가 무엇이든
  빌드된 HTML에서 만듭니다.
- assets/fonts/math.woff: 사이트의 수식이 쓰는 글자만 남긴 수식 글꼴(math_font).
- 사이트 자신의 스타일시트(extra_css)와 스크립트(extra_javascript)의 사본에서 주석을 지웁니다(lean_assets): 독자는
  관리자의 설명을 받지 않습니다.
- 마지막 검사: 어디서 왔든 사이트에 실리는 모든 파일(docs/의 HTML·SVG·JS, 노트북의 출력까지)에서 실행될 수
  있는 것을 찾고, 모든 HTML 페이지에 Content-Security-Policy가 있는지 봅니다(site_check).

미리 보기(make serve, make write)의 두 번째 빌드부터는 검색 색인을 뒤에서 씁니다(search_later): 색인(Pagefind와
더할 낱말, 0.6초쯤)을 기다리지 않고 브라우저를 새로 고치고, 색인과 그 파일의 검사는 다음 빌드가 시작하기 전에
끝납니다(wait_for_search_index). 그동안 검색 창은 지난 색인을 쓰거나(make write) 색인이 없다고 알립니다. 색인이나
그 검사의 문제는 미리 보기의 로그에 오류로 나옵니다. 엄격 빌드(make build, CI)는 언제나 끝까지 기다립니다.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from blogbuild import (
    feed,
    frontmatter,
    glossary,
    lean_assets,
    math_font,
    mathml,
    search_index,
    site_check,
)
from blogbuild.project import Project, StageError, stop
from blogbuild.stages import prepare

log = logging.getLogger("mkdocs.hooks.blogbuild")
# 미리 보기에서 뒤에서 쓰는 검색 색인(없으면 None)과, 지난 색인이 실은 스크립트(사이트 경로 → 바이트).
_pending: threading.Thread | None = None
_last_scripts: dict[str, bytes] | None = None


def run(
    project: Project,
    *,
    other_generator: bool = False,
    then: Callable[[], None] = lambda: None,
    search_later: bool = False,
) -> None:
    """project.site_dir의 사이트를 마치고 then()을 부릅니다(어댑터가 빌드 사이의 기억을 씁니다).

    other_generator: 어댑터(hooks.py) 없이 다른 생성기가 준비된 트리(prepare --tree)에서 빌드한 사이트(`finish
    --site DIR`): 페이지에 남은 수식도 MathML로 바꿉니다. search_later: 미리 보기가 검색 색인을 뒤에서 쓰게 합니다
    (지난 색인이 있을 때만: 색인의 스크립트를 검사가 알아야 합니다). 그때 then()은 색인을 다 쓴 뒤에 불립니다."""
    site = project.site_dir
    if not (site / "index.html").is_file():
        raise StageError(
            "사이트를 마칠 수 없습니다:",
            [f"{site}에 빌드된 사이트가 없습니다: 먼저 python -m blogbuild build로 만드세요"],
        )
    (site / "feed.xml").write_bytes(_feed(project))
    problems = _math_left_over(site) if other_generator else []
    math_font.write(site, project.root)  # 수식이 모두 MathML이 된 뒤: 남은 TeX에서 온 글자까지
    lean_assets.write(site, [str(name) for name in project.config.get("extra_css") or []])
    lean_assets.write(site, _extra_javascript(project))
    if (project.docs / search_index.INDEX_DIR).exists():
        problems.append(
            f"{project.docs.name}/{search_index.INDEX_DIR}: 이 자리는 빌드가 검색 색인을 쓰는 곳입니다"
            " (사이트의 pagefind/). 그 안의 파일을 다른 이름의 디렉터리로 옮기세요"
        )
    later = search_later and project.preview and _last_scripts is not None and not problems
    search_scripts = {}
    if not later:
        try:
            search_scripts = _search_index(project)
        except search_index.SearchIndexError as error:
            problems += error.problems
    checked = _checked(project, search_scripts, lambda name: not (later and _in_index(name)))
    if problems:  # 마치지 못한 일이 있으면 검사의 문제와 함께 한 번에
        stop("사이트를 마칠 수 없습니다:", [*problems, *checked])
    stop("사이트에 실을 수 없는 파일이 있습니다:", checked)
    if not later:
        then()
        return
    global _pending  # noqa: PLW0603 - 미리 보기 서버의 프로세스에 뒤에서 쓰는 색인은 하나입니다
    _pending = threading.Thread(
        target=_search_index_later, args=(project, then), name="search-index", daemon=True
    )
    _pending.start()


def wait_for_search_index() -> None:
    """미리 보기가 뒤에서 쓰던 검색 색인이 있으면 끝날 때까지 기다립니다: 다음 빌드가 사이트를 비우고 기억을
    켜기 전에(어댑터의 첫 빌드 전 이벤트에서)."""
    global _pending  # noqa: PLW0603
    if _pending is not None:
        _pending.join()
        _pending = None


def _search_index(project: Project) -> dict[str, bytes]:
    """site/pagefind/에 검색 색인을 쓰고, 그것이 실은 스크립트를 돌려줍니다(다음 미리 보기도 기억합니다)."""
    global _last_scripts  # noqa: PLW0603
    entries = glossary.load(project.root)
    _last_scripts = search_index.write(
        project.site_dir,
        search_index.page_urls(project),
        glossary.aliases(entries),
        subjects=_subjects(project, entries),
    )
    return _last_scripts


def _search_index_later(project: Project, then: Callable[[], None]) -> None:
    """미리 보기의 뒤에서: 색인을 쓰고 그 파일들을 검사합니다. 문제는 미리 보기의 로그에 오류로 남깁니다
    (이 빌드의 기억은 쓰지 않습니다: 실패한 빌드처럼)."""
    try:
        scripts = _search_index(project)
        stop("사이트에 실을 수 없는 파일이 있습니다:", _checked(project, scripts, _in_index))
    except search_index.SearchIndexError as error:
        log.error(str(StageError("검색 색인을 쓸 수 없습니다:", error.problems)))
    except StageError as error:
        log.error(str(error))
    else:
        then()


def _in_index(name: str) -> bool:
    return name.startswith(search_index.INDEX_DIR + "/")


def _checked(
    project: Project, search_scripts: dict[str, bytes], selected: Callable[[str], bool]
) -> list:
    """사이트의 파일 가운데 selected(사이트 경로)인 것의 마지막 검사(site_check)에서 나온 문제들."""
    return site_check.check_site(
        project.site_dir,
        site_check.allowed_scripts(
            _theme_dirs(project),
            project.docs,
            _extra_javascript(project),
        )
        | search_scripts,
        _sources(project),
        serve=project.preview,
        site_path=project.site_path,
        selected=selected,
    )


def _extra_javascript(project: Project) -> list[str]:
    return [
        str(item.get("path") if isinstance(item, dict) else item)
        for item in project.config.get("extra_javascript") or []
    ]


def _subjects(
    project: Project, entries: list[glossary.Entry]
) -> dict[str, list[tuple[str, list[str]]]]:
    """글의 주소 → 그 글이 설명하는 용어들(용어집의 post와 anchor): 검색에서 그 글을 먼저 보이게."""
    posts, found = project.series()[1], {}
    for entry in entries:
        if entry.post in posts:
            forms = [entry.term, entry.english, *entry.also]
            found.setdefault(project.post_url(posts[entry.post]), []).append((entry.anchor, forms))
    return found


def _math_left_over(site: Path) -> list[str]:
    """어댑터 없이 빌드한 사이트의 페이지마다 pymdownx.arithmatex가 남긴 수식을 MathML로(빌드의 mathml)."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        try:
            rendered = mathml.render_math(text)
        except mathml.MathError as error:
            problems.append(f"{site.name}/{page.relative_to(site).as_posix()}: {error}")
            continue
        if rendered != text:
            page.write_text(rendered, encoding="utf-8")
    return problems


def _feed(project: Project) -> bytes:
    posts = project.series()[1]
    items = [
        feed.item_from_page(
            post.title,
            project.site_url + project.post_url(post),
            frontmatter.read_front_matter(project.docs / post.src_uri),
        )
        for post in posts.values()
    ]
    config = project.config
    return feed.rss(
        config.get("site_name", ""), project.site_url, config.get("site_description", ""), items
    )


def _theme_dirs(project: Project) -> list[Path]:
    """테마의 파일이 있는 곳(앞의 것이 뒤의 같은 파일을 덮음): custom_dir, Material, MkDocs의 템플릿."""
    theme = project.config.get("theme") or {}
    dirs = [project.root / theme["custom_dir"]] if theme.get("custom_dir") else []
    for package in ("material", "mkdocs"):
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            dirs.append(Path(spec.origin).parent / "templates")
    return dirs


def _sources(project: Project) -> dict[str, str]:
    """그대로 실리는 파일의 사이트 경로 → 저장소 안의 원본(docs/x.svg, build/outputs/<노트북>/x.svg)."""
    root = project.root
    found = {
        path.relative_to(project.docs).as_posix(): path.relative_to(root).as_posix()
        for path in sorted(project.docs.rglob("*"))
        if path.is_file() and path.suffix != ".md"
    }
    for name in prepare.generated_files(project):
        found[name] = f"build/{name}"
    return found
