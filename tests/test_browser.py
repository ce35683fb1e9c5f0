"""진짜 브라우저(Debian chromium + Playwright)로 읽는 사람의 경험을 확인합니다.

빌드한 사이트를 실제 배포 주소처럼 /blog/ 아래에 두고 로컬 HTTP 서버로 띄운 뒤:
한국어 검색(키 입력 없이 붙여 넣은 낱말도), 밝은/어두운 테마 전환과 유지, 계산기, 외부 요청과 콘솔 오류,
axe-core 접근성 검사, 코드 복사 버튼, 휴대폰 폭에서 가로로 넘치지 않는지, 그리고 읽기 좋은지(한국어 줄바꿈,
넓은 표, 코드를 가리는 복사 단추, 휴대폰에서 글 위의 메타데이터)를 1280px과 390px에서 봅니다.

페이지마다 검사가 여럿입니다(두 팔레트의 axe, 밖으로 나가는 요청·콘솔 오류·CSP 위반, 그림, 휴대폰 폭).
페이지를 검사마다 다시 열지 않고, 한 번 연 기록(visit)을 그 페이지의 테스트들이 함께 봅니다. make test는
이 파일을 팔레트마다 한 덩이로 pytest-xdist의 작업자에게 줍니다(tests/conftest.py의 work_unit): 한 팔레트의
테스트들은 한 작업자에서 돌아 페이지마다 기록을 한 번만 만들고, 두 팔레트는 나란히 돕니다. 팔레트를 정하지
않은 테스트(검색, 계산기, 팔레트 전환)는 밝은 팔레트 쪽에서 돕니다.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

from blogbuild import frontmatter
from blogbuild.frontmatter import read_front_matter
from blogbuild.placeholders import shown_outputs
from tests.conftest import POSTS_DIR, PUBLISHED_POSTS, ROOT, post_path
from tests.workspace import CHROMIUM, CHROMIUM_FLAGS, serve_site
from tests.workspace import SITE_PREFIX as PREFIX

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCHEMES = ["default", "slate"]
# 그림 속 가장 작은 글자가 화면에 보이는 크기의 하한(CSS px): 1280px 화면과 390px 화면 (issue 18)
DESKTOP, PHONE = 1280, 390
FLOORS = {DESKTOP: 12.0, PHONE: 10.0}
SLATE_BACKGROUND = "#1e2129"  # Material slate의 바탕 hsl(225, 15%, 14%)


# 글 파일 이름 -> 배포 주소의 경로(blog/YYYY/MM/DD/<slug>/).
POST_PATHS = {post.stem: post_path(post) for post in PUBLISHED_POSTS}  # 초안은 실리지 않습니다
POSTS = list(POST_PATHS.values())
# 용어집(glossary/)의 표는 글이 늘수록 칸이 길어집니다: 폭과 접근성을 글과 함께 봅니다.
# 시리즈 페이지(series/)는 빌드가 data/series.yml에서 만든 목록을 싣습니다.
PAGES = ["", "blog/", "glossary/", "series/", *POSTS]
NOTEBOOK_PAGES = [f"notebooks/{p.stem}/" for p in sorted((ROOT / "notebooks").glob("*.py"))]


def per_page(paths: list[str]) -> list:
    """페이지 경로들을 매개변수로(첫 화면 ""의 이름은 home)."""
    return [pytest.param(path, id=path or "home") for path in paths]


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    with serve_site(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        message = "chromium이 없습니다: sudo apt-get install chromium fonts-noto-cjk (CI에서는 .ci/run이 설치)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
            headless=True,
            locale="ko-KR",
        )
        yield context
        context.close()


def _watched(tab, base_url: str):
    """탭에 기록을 답니다: 로컬 서버 밖으로 나가는 요청, 콘솔 오류, Content-Security-Policy 위반
    (인라인 스크립트·스타일, 다른 호스트). 기록은 페이지를 옮겨도 모입니다."""
    tab.outside_requests = []
    tab.console_errors = []
    tab.csp_violations = []
    local = urlparse(base_url).netloc

    def on_request(request) -> None:
        url = urlparse(request.url)
        if url.scheme in {"http", "https"} and url.netloc != local:
            tab.outside_requests.append(request.url)

    tab.on("request", on_request)
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    tab.expose_function("__cspViolation", lambda text: tab.csp_violations.append(text))
    tab.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolation("
        "location.pathname + ': ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')))"
    )
    return tab


@pytest.fixture
def page(browser, base_url: str):
    """새 탭 하나(_watched의 기록이 달린)."""
    tab = _watched(browser.new_page(), base_url)
    yield tab
    tab.close()


def _use_scheme(tab, scheme: str) -> None:
    """Material이 저장하는 팔레트 선택을 미리 넣어 두고 페이지를 엽니다."""
    index = SCHEMES.index(scheme)
    tab.add_init_script(
        f"localStorage.setItem('{PREFIX}.__palette', JSON.stringify("
        f"{{index: {index}, color: {{scheme: '{scheme}'}}}}))"
    )


@dataclass(frozen=True)
class Image:
    """글 속 그림 하나: 화면에 다가가 불러온 뒤(loading="lazy")."""

    src: str  # <img>의 src 속성
    url_path: str  # 브라우저가 불러온 주소의 경로
    alt: str | None
    loaded: bool  # 디코드되고 너비가 0보다 큰지


@dataclass(frozen=True)
class FigureSeen:
    """글 속 번호 붙은 그림 하나를 한 화면 폭에서 본 것(blogbuild/figures.py가 만든 <figure>)."""

    caption: str  # figcaption의 글자
    number: int  # <figure id="figure-N">의 N: 글의 모든 번호 붙은 그림(어텐션 그림까지)에서의 차례
    shown: list[str]  # 보이는 <img>의 src 속성들(팔레트마다 하나만 보여야 합니다)
    current: str  # 보이는 그림이 실제로 불러온 파일의 경로(<source>가 고른 것)
    width: float  # 그 그림이 그려진 폭(CSS px)
    smallest: float  # 그림 속 가장 작은 글자가 화면에 보이는 크기(CSS px)
    smallest_text: str


@dataclass(frozen=True)
class PhoneWidths:
    """같은 페이지를 390x844 화면으로 줄여 잰 폭들."""

    scroll_width: int  # 문서 전체의 가로 폭(390을 넘으면 페이지가 옆으로 밀립니다)
    # 노트북 페이지: 본문 칸 바로 아래의 코드 블록(코드 셀과 출력) 가운데 가장 좁은 것의 폭. 없으면 None
    notebook_width: float | None
    column_width: float  # 본문 칸(.md-content__inner)의 폭


@dataclass(frozen=True)
class Layout:
    """한 폭에서 읽는 사람이 만나는 것(LAYOUT이 잽니다). 목록의 항목은 요소 이름과 글자 앞부분입니다."""

    # 한글이 든 글 요소 가운데 낱말 가운데서 줄이 바뀔 수 있는 것(word-break가 keep-all이 아님)
    breakable: list[str]
    texts: int  # 위에서 본 글 요소 수
    wide_tables: list[str]  # 본문 칸보다 넓은 표
    # 그 가운데 화면 안의 가로 스크롤 영역(가장자리 그림자가 있는)에 있지 않은 표
    unscrolled_tables: list[str]
    # 첫 줄이 복사 단추 아래 끝보다 위에서 시작하는 코드 블록(가로로 밀면 줄이 단추 밑을 지남)
    covered_code: list[str]
    code_blocks: int  # 복사 단추가 붙은 코드 블록 수
    # 한글이 든 강조(em 등) 가운데 글꼴에 없는 기울인 꼴을 브라우저가 합성하는 것(issue 27)
    slanted_hangul: list[str]
    emphasis: int  # 위에서 본, 한글이 든 강조 요소 수
    # 표 칸의 덩이(띄어쓰기 사이의 글자: `12 × 64`, `bart-base`) 가운데 두 줄 이상에 걸친 것
    split_cells: list[str]
    faint_title: bool  # 글 제목(h1)의 글자색이 본문의 글자색과 다른지
    # 첫 줄 위가 아래보다 넓게 비어 빈 줄로 시작하는 코드 블록(위 안쪽 여백 > 아래 안쪽 여백)
    padded_code: list[str]
    meta: (
        tuple[bool, bool] | None
    )  # 글의 메타데이터가 (보이는지, 본문보다 위인지). 글이 아니면 None


# 본문 칸(.md-content__inner) 안을 잽니다. 코드·수식·그림 속 글자는 줄바꿈 검사에서 뺍니다.
LAYOUT = """() => {
  const column = document.querySelector('.md-content__inner');
  const box = column.getBoundingClientRect();
  const describe = (el) => el.tagName.toLowerCase() + ' "'
    + el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
  const texts = [...column.querySelectorAll(
    'p, li, th, td, dt, dd, summary, h1, h2, h3, h4, a, figcaption, .admonition-title')]
    .filter((el) => /[가-힣]/.test(el.textContent) && !el.closest('pre, code, svg, math'));
  const scroller = (el) => {
    for (let a = el.parentElement; a && a !== column.parentElement; a = a.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return a;
    }
    return null;
  };
  const wide = [...column.querySelectorAll('table')]
    .filter((t) => t.getBoundingClientRect().width > box.width + 1);
  const unscrolled = wide.filter((t) => {
    const s = scroller(t);
    return !s || s.getBoundingClientRect().right > innerWidth + 1 || s.scrollWidth <= s.clientWidth
      || !getComputedStyle(s).backgroundImage.includes('gradient');
  });
  const blocks = [...column.querySelectorAll('pre > code')]
    .filter((code) => code.parentElement.querySelector(':scope > .md-code__nav'));
  const covered = blocks.filter((code) => {
    const nav = code.parentElement.querySelector(':scope > .md-code__nav').getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(code);
    const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    return nav.height > 0 && lines.length > 0 && Math.min(...lines.map((r) => r.top)) < nav.bottom - 0.5;
  });
  const slanted = [...column.querySelectorAll('em, i, cite, dfn, var')]
    .filter((el) => /[가-힣]/.test(el.textContent) && !el.closest('pre, code, svg, math'));
  const split = [];
  for (const cell of column.querySelectorAll('table:not([class]) :is(td, th)')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const token of node.data.matchAll(/[\\p{Script=Latin}\\p{N}][^\\s\\p{Script=Hangul}()]*/gu)) {
        const range = document.createRange();
        range.setStart(node, token.index);
        range.setEnd(node, token.index + token[0].length);
        const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
        if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 2) split.push(token[0]);
      }
    }
  }
  const title = column.querySelector('h1');
  const meta = document.querySelector('.md-sidebar--post .md-post__meta');
  const article = document.querySelector('.md-content--post > .md-content__inner');
  let seen = null;
  if (meta && article) {
    const m = meta.getBoundingClientRect();
    seen = [m.width > 0 && m.height > 0, m.bottom <= article.getBoundingClientRect().top + 1];
  }
  return {
    breakable: texts.filter((el) => getComputedStyle(el).wordBreak !== 'keep-all').map(describe),
    texts: texts.length, wide_tables: wide.map(describe), unscrolled_tables: unscrolled.map(describe),
    covered_code: covered.map(describe), code_blocks: blocks.length, meta: seen,
    slanted_hangul: slanted.filter((el) => {
      const style = getComputedStyle(el);
      return style.fontStyle !== 'normal' && style.fontSynthesisStyle !== 'none';
    }).map(describe),
    emphasis: slanted.length, split_cells: split,
    faint_title: !!title && getComputedStyle(title).color !== getComputedStyle(column).color,
    padded_code: [...column.querySelectorAll('pre > code')].filter((code) => {
      const style = getComputedStyle(code);
      return parseFloat(style.paddingTop) > parseFloat(style.paddingBottom) + 0.5;
    }).map(describe),
  };
}"""


def _layout(tab) -> Layout:
    found = tab.evaluate(LAYOUT)
    found["meta"] = tuple(found["meta"]) if found["meta"] else None
    return Layout(**found)


@dataclass(frozen=True)
class Visit:
    """한 팔레트로 페이지를 한 번 열어 네트워크가 잠잠해진 뒤 적은 것."""

    scheme: str  # body의 data-md-color-scheme
    has_policy: bool  # Content-Security-Policy <meta>가 하나 있는지
    outside_requests: list[str]
    console_errors: list[str]
    csp_violations: list[str]
    axe_problems: list[str]  # axe-core의 WCAG 2.1 AA 위반: "규칙: 요소 설명"
    images: list[Image]  # article 안의 보이는 그림들
    phone: PhoneWidths  # 그 뒤 휴대폰 폭으로 줄였을 때
    layouts: dict[int, Layout]  # 화면 폭(1280, 390) -> 그 폭에서 잰 읽기 좋음
    figures: dict[int, list[FigureSeen]]  # 화면 폭(1280, 390) -> 글 속 번호 붙은 그림들


# 그림마다 브라우저가 실제로 고른 것: 보이는 <img>(팔레트), 그 <img>가 불러온 파일(<source>가 고른 벌)과
# 그려진 폭. 가장 작은 글자의 크기는 그 파일의 글자 크기 × 그려진 폭 / SVG 폭입니다(_smallest_text).
# SVG를 페이지 안에서 파싱하지 않는 까닭: 사이트의 CSP(style-src 'self')가 SVG 속 style 속성마다 콘솔
# 오류를 내어, 이 페이지 방문이 기록하는 콘솔 오류를 더럽힙니다.
SHOWN_FIGURE = """async figure => {
    const visible = [...figure.querySelectorAll('img')].filter(i => i.getClientRects().length);
    await Promise.all(visible.map(i => i.decode().catch(() => null)));
    return {caption: figure.querySelector('figcaption')?.textContent.trim() ?? '',
            number: Number(figure.id.replace('figure-', '')),
            shown: visible.map(i => i.getAttribute('src')),
            current: visible.length ? new URL(visible[0].currentSrc).pathname : '',
            width: visible.length ? visible[0].getBoundingClientRect().width : 0};
}"""


def _smallest_text(svg: Path, width: float) -> tuple[float, str]:
    """width(CSS px)로 그려진 SVG에서 가장 작게 보이는 글자와 그 크기(CSS px)."""
    from blogbuild.figures import svg_texts  # noqa: PLC0415

    user_width, texts = svg_texts(svg)
    return min(((t.size * width / user_width, t.text) for t in texts), default=(0.0, ""))


def _figures(tab, site: Path) -> list[FigureSeen]:
    """이 화면 폭에서 글 속 번호 붙은 그림마다: 화면으로 가져와(loading="lazy") 불러온 뒤 잽니다."""
    seen = []
    for figure in tab.locator("article figure.notebook-figure").all():
        figure.scroll_into_view_if_needed()
        shown = figure.evaluate(SHOWN_FIGURE)
        smallest, text = (
            _smallest_text(site / shown["current"][len(PREFIX) :], shown["width"])
            if shown["current"]
            else (0.0, "")
        )
        seen.append(
            FigureSeen(
                caption=shown["caption"],
                number=shown["number"],
                shown=shown["shown"],
                current=shown["current"],
                width=shown["width"],
                smallest=smallest,
                smallest_text=text,
            )
        )
    return seen


# 넘쳐서 가로로 스크롤되는 블록이 모두 키보드로 갈 수 있게 될 때까지 기다리는 조건(selector의 블록마다 tabindex).
# Material은 코드 블록에, 사이트의 스크립트(docs/javascripts/scrollable-tables.js)는 수식 블록에 크기 관찰자로
# 나중에 붙입니다. 폭을 줄인 뒤에는 수식만 기다립니다: Material은 페이지를 열 때만 코드 블록을 보고, 줄어든
# 폭에서 넘치는 코드 블록은 그 안의 복사 단추로 키보드가 닿습니다(axe가 그렇게 봅니다).
FOCUSABLE_WHEN_SCROLLING = """selector => [...document.querySelectorAll(selector)].every(
    block => block.scrollWidth <= block.clientWidth || block.hasAttribute('tabindex'))"""


@pytest.fixture(scope="module")
def visit(browser, base_url: str, built_site: Path) -> Callable[[str, str], Visit]:
    """visit(path, scheme): 페이지를 그 팔레트로 (이 작업자에서 처음이면) 열어 적은 기록.

    차례: 네트워크가 잠잠해질 때까지 기다림 → axe와 읽기 좋음, 번호 붙은 그림의 글자 크기(1280px) → 390px로
    줄여 폭과 읽기 좋음, 그림의 글자 크기를 잼 → 그림마다 디코드. 그동안 나간 요청, 콘솔 오류, CSP 위반이
    모두 기록됩니다.
    """
    assert AXE.exists(), "axe-core가 없습니다: make test가 npm ci로 설치합니다"
    axe = AXE.read_text(encoding="utf-8")
    seen: dict[tuple[str, str], Visit] = {}

    def open_page(path: str, scheme: str) -> Visit:
        if (path, scheme) in seen:
            return seen[path, scheme]
        tab = _watched(browser.new_page(), base_url)
        _use_scheme(tab, scheme)
        tab.set_viewport_size({"width": 1280, "height": 720})
        tab.goto(base_url + path, wait_until="networkidle")
        # Material의 스크립트는 넘치는 코드 블록에 tabindex를 크기 관찰자(ResizeObserver)로 나중에 붙입니다:
        # 기계가 바쁘면 네트워크가 잠잠해진 뒤에도 아직이라 axe가 scrollable-region-focusable을 봅니다.
        # 독자가 보는 다 그린 페이지를 검사하도록 그 일이 끝나기를 기다립니다.
        tab.wait_for_function(FOCUSABLE_WHEN_SCROLLING, arg="pre > code, .md-typeset .math-block")
        # 사이트의 CSP는 끼워 넣은 <script>를 막으므로, axe는 개발자 도구 경로(evaluate)로 넣습니다.
        # 통과한 규칙의 자세한 기록은 만들지 않습니다(resultTypes): 같은 규칙을 모두 돌리고 위반은 그대로.
        tab.evaluate(axe)
        result = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            WCAG_AA,
        )
        layouts = {1280: _layout(tab)}
        figures = {DESKTOP: _figures(tab, built_site)}
        tab.set_viewport_size({"width": 390, "height": 844})
        tab.wait_for_function(FOCUSABLE_WHEN_SCROLLING, arg=".md-typeset .math-block")
        # 폭이 바뀌며 시작한 전환(맨 위로 단추가 나타나는 것 등)이 끝난 뒤의 색으로 대비를 잽니다
        tab.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )
        # 휴대폰 폭에서만 보이는 것(머리말의 메뉴·검색 단추, 넘치는 수식)도 검사합니다: 1280px에서는 axe가 못 봅니다
        phone = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            WCAG_AA,
        )
        layouts[390] = _layout(tab)
        width, notebook, column = tab.evaluate(
            """() => {
                const cells = [...document.querySelectorAll('.md-content__inner > .highlight')]
                    .map(block => block.getBoundingClientRect().width);
                return [document.documentElement.scrollWidth, cells.length ? Math.min(...cells) : null,
                    document.querySelector('.md-content__inner').getBoundingClientRect().width];
            }"""
        )
        figures[PHONE] = _figures(tab, built_site)
        # 보이는 그림(숨긴 팔레트의 그림은 불러오지 않습니다)을 휴대폰 폭에서 불러옵니다.
        images = []
        for image in tab.locator("article img:visible").all():
            image.scroll_into_view_if_needed()  # 그림은 loading="lazy": 화면에 다가와야 불러옵니다
            loaded = image.evaluate(
                "img => img.decode().then(() => img.naturalWidth > 0, () => false)"
            )
            images.append(
                Image(
                    src=image.get_attribute("src"),
                    url_path=urlparse(image.evaluate("img => img.src")).path,
                    alt=image.get_attribute("alt"),
                    loaded=loaded,
                )
            )
        seen[path, scheme] = Visit(
            scheme=tab.get_attribute("body", "data-md-color-scheme"),
            has_policy=tab.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1,
            outside_requests=list(tab.outside_requests),
            console_errors=list(tab.console_errors),
            csp_violations=list(tab.csp_violations),
            axe_problems=[
                f"{width}px {v['id']}: {node['target']} {node['failureSummary']}"
                for width, found in ((DESKTOP, result), (PHONE, phone))
                for v in found["violations"]
                for node in v["nodes"]
            ],
            images=images,
            phone=PhoneWidths(width, notebook, column),
            layouts=layouts,
            figures=figures,
        )
        tab.close()
        return seen[path, scheme]

    return open_page


@pytest.fixture(scope="module")
def search_tab(browser, base_url: str):
    """첫 화면을 연 탭 하나: 검색어마다 페이지와 검색 색인을 다시 불러오지 않습니다."""
    tab = _watched(browser.new_page(), base_url)
    tab.goto(base_url)
    yield tab
    tab.close()


def _search(tab, query: str) -> list[str]:
    """검색 창에 query를 쳐서 나온 글들의 slug, 순위 차례대로(노트북 페이지와 용어집은 빼고)."""
    box = tab.locator("input.md-search__input")
    box.fill("")  # 앞 검색어의 결과를 지우고(결과 목록이 비고) 새 검색어를 칩니다
    tab.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    box.fill(query)
    # 색인을 불러오는 동안에는 결과가 비어 있습니다: 결과가 나오거나 "없습니다"가 뜰 때까지 기다립니다.
    tab.wait_for_function(
        """() => document.querySelector('.md-search-result__item')
             || (document.querySelector('.md-search-result__meta')?.textContent || '').includes('없습니다')"""
    )
    # 결과는 10개씩 그립니다: 글이 늘어 찾는 글이 11번째 아래로 밀려도 보이게 "결과 더 보기"를 끝까지 누릅니다.
    more = tab.locator("[data-site-search-more]")
    while more.is_visible():
        shown = tab.locator(".md-search-result__item").count()
        more.click()
        tab.wait_for_function(
            f"() => document.querySelectorAll('.md-search-result__item').length > {shown}"
        )
    hrefs = tab.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)"
    )
    slugs = []
    for href in hrefs:
        path = urlparse(href).path.rstrip("/").split("/")
        if len(path) > 2 and path[-5:-4] == ["blog"]:
            slugs.append(path[-1])
    return slugs


SEARCHES = {
    # 조사가 붙은 꼴("어텐션은", "어텐션의")을 쓰는 글들
    "어텐션": {"masked-multi-head-attention", "cross-attention", "gpt-decoder"},
    "BERT": {"bert-encoder", "masked-language-modeling"},
    "GPT": {"gpt-decoder", "causal-language-modeling"},
    "T5": {"bart-vs-t5"},
    "잔차": {"residual-connection"},
    # 띄어 쓴 "셀프 어텐션"을 붙여 쓴 검색어로
    "셀프어텐션": {"cross-attention"},
    # 띄어 쓴 "멀티 헤드"를 붙여 쓴 검색어로
    "멀티헤드": {"masked-multi-head-attention", "gpt-decoder"},
    # 용어집의 다른 꼴(blogbuild/glossary.py): 글에 없는 꼴로도 그 용어를 쓰는 글이 나옵니다.
    # 글들은 "서브블록"이라고 쓰고(GPT 글에는 "부분층"이 한 번도 없었습니다), "피드포워드"에 영어를 달지 않습니다.
    "부분층": {"gpt-decoder", "cross-attention", "residual-connection"},
    "feedforward": {"gpt-decoder", "bert-encoder"},
}


@pytest.mark.parametrize(("query", "expected"), SEARCHES.items(), ids=SEARCHES.keys())
def test_korean_search_finds_the_posts(search_tab, query: str, expected: set[str]) -> None:
    found = _search(search_tab, query)
    assert expected <= set(found), f"'{query}': {found}"
    assert search_tab.csp_violations == []  # 검색 색인과 워커도 사이트 안에서만


# 키 입력 없이 들어오는 검색어: 붙여 넣기(insertFromPaste), IME 조합 끝, 음성 입력(insertText). 모두 글에 있는 낱말.
INPUTS_WITHOUT_KEYS = {
    "paste": ("잔차", "insertFromPaste", {"residual-connection"}),
    "ime-composition": ("셀프 어텐션", "insertCompositionText", {"cross-attention"}),
    "voice": ("트랜스포머", "insertText", {"gpt-decoder", "bert-encoder"}),
}


@pytest.mark.parametrize(
    ("query", "input_type", "expected"),
    INPUTS_WITHOUT_KEYS.values(),
    ids=INPUTS_WITHOUT_KEYS.keys(),
)
def test_search_answers_a_word_that_arrives_without_key_events(
    search_tab, query: str, input_type: str, expected: set[str]
) -> None:
    """붙여 넣은 낱말, 조합이 끝난 한글, 음성 입력은 키 이벤트 없이 input 이벤트만 냅니다(사이트의 검색,
    docs/javascripts/search.js는 input으로 찾습니다). 키 이벤트 없이 값을 넣고 input만 보냅니다.
    IME는 compositionend도 보냅니다(브라우저가 보내는 차례대로: input 다음 compositionend)."""
    box = search_tab.locator("input.md-search__input")
    box.fill("")  # 앞 검색어의 결과를 지웁니다
    box.press("End")
    search_tab.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    box.focus()  # 포커스는 빈 칸에: 값은 포커스 뒤에 넣습니다
    search_tab.evaluate(
        """([query, inputType]) => {
            const box = document.querySelector('input.md-search__input');
            box.value = query;
            box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType, data: query}));
            if (inputType === 'insertCompositionText') {
                box.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: query}));
            }
        }""",
        [query, input_type],
    )
    search_tab.wait_for_function(
        "() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=15_000
    )
    hrefs = search_tab.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)"
    )
    found = {urlparse(h).path.rstrip("/").split("/")[-1] for h in hrefs}
    assert expected <= found, f"'{query}': {sorted(found)}"
    assert search_tab.console_errors == [] and search_tab.csp_violations == []


# 검색에 드는 파일: Pagefind의 스크립트·색인, Material 검색의 색인과 워커
SEARCH_FILES = re.compile(r"/pagefind/|search_index|/workers/")


@pytest.mark.parametrize(
    "path", ["", POSTS[0], NOTEBOOK_PAGES[0]], ids=["home", "post", "notebook"]
)
def test_search_costs_nothing_until_the_reader_opens_it(
    browser, base_url: str, built_site: Path, path: str
) -> None:
    """검색하지 않는 독자는 검색에 바이트도 CPU도 내지 않습니다: 페이지를 열고 기다려도 색인·검색 스크립트를
    부르지 않고 워커도 없습니다. 검색 창을 열면 그때 Pagefind를 부르고, 검색어 하나에는 색인의 일부만 받습니다."""
    tab = _watched(browser.new_page(), base_url)
    tab.set_viewport_size({"width": DESKTOP, "height": 900})
    workers, fetched = [], []  # 워커가 부르는 것도 탭의 요청으로 옵니다
    tab.on("worker", lambda worker: workers.append(worker.url))
    tab.on("request", lambda request: fetched.append(urlparse(request.url).path))
    tab.goto(base_url + path, wait_until="networkidle")
    tab.wait_for_timeout(1000)  # 늦게 시작하는 일(유휴 때 미리 부르기 같은 것)도 기다립니다
    before = [p for p in fetched if SEARCH_FILES.search(p)]
    assert before == [] and workers == [], (before, workers)
    box = tab.locator("input.md-search__input")
    box.click()  # 검색 창을 엽니다
    box.fill("어텐션")
    tab.wait_for_selector(".md-search-result__item")
    assert any(p.endswith("/pagefind/pagefind.js") for p in fetched), fetched
    chunks = {p.rsplit("/", 1)[1] for p in fetched if "/pagefind/index/" in p}
    on_disk = {f.name for f in (built_site / "pagefind" / "index").iterdir()}
    assert chunks, fetched
    assert chunks < on_disk or len(on_disk) == 1, (chunks, on_disk)  # 색인이 한 조각뿐이면 그것만
    assert tab.console_errors == [] and tab.csp_violations == []
    # 결과의 링크는 그 글로 갑니다(사이트가 /blog/ 아래에 있어도)
    first = tab.locator(".md-search-result__link").first
    title = first.locator("h1").text_content()
    response = tab.goto(first.get_attribute("href"))
    assert response.status == 200 and tab.locator("article h1").first.text_content().startswith(
        title.split(":")[0]
    ), (response.url, title)
    tab.close()


def test_search_loads_again_after_the_index_failed_to_load(browser, base_url: str) -> None:
    """Pagefind(pagefind.js)를 한 번 받지 못해도(네트워크 오류) 검색은 죽지 않습니다: 다음에 창을 열거나 검색어를
    치면 다시 부릅니다. 실패한 import()를 간직하던 때는 페이지를 새로 고칠 때까지 "불러오지 못했습니다"였습니다."""
    tab = _watched(browser.new_page(), base_url)
    asked = []

    def fail_first(route) -> None:
        asked.append(route.request.url)
        if len(asked) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    tab.route("**/pagefind/pagefind.js", fail_first)
    tab.goto(base_url)
    box = tab.locator("input.md-search__input")
    box.focus()  # 창을 열면 부르고: 이 첫 요청이 실패합니다
    for _ in range(50):  # 요청을 가로채는 처리기는 파이썬 쪽에서 돕니다: 기다리는 동안 불립니다
        if asked:
            break
        tab.wait_for_timeout(100)
    assert len(asked) == 1, asked
    tab.wait_for_timeout(300)  # 실패가 스크립트에 닿을 때까지
    tab.keyboard.press("Escape")  # 창을 닫고
    box.fill("어텐션")  # 다시 열어 칩니다
    tab.wait_for_selector(".md-search-result__item")
    assert len(asked) == 2, asked
    tab.close()


HOSTILE = '<img src=x onerror="window.__pwned = 1">'


def test_search_results_render_index_text_as_text(browser, base_url: str) -> None:
    """색인의 제목과 본문은 글쓴이가 쓴 글자입니다: 결과는 그것을 HTML로 해석하지 않고 글자로 그립니다.
    색인의 조각(fragment)을 가로채 제목과 본문에 태그를 넣고 검색합니다."""
    tab = _watched(browser.new_page(), base_url)

    def hostile_fragment(route) -> None:
        body = route.fetch().body()
        data = json.loads(gzip.decompress(body).removeprefix(b"pagefind_dcd"))
        data["meta"]["title"] = HOSTILE + data["meta"]["title"]
        data["content"] = HOSTILE + " " + data["content"]
        route.fulfill(body=gzip.compress(b"pagefind_dcd" + json.dumps(data).encode()))

    tab.route("**/pagefind/fragment/*", hostile_fragment)
    tab.goto(base_url)
    tab.locator("input.md-search__input").fill("어텐션")
    tab.wait_for_selector(".md-search-result__item")
    tab.wait_for_timeout(500)
    results = tab.locator(".md-search-result__list")
    assert results.locator("img").count() == 0
    assert HOSTILE in results.locator("h1").first.text_content()
    assert tab.evaluate("() => window.__pwned") is None
    tab.close()


def _title(post: Path) -> str:
    """글의 제목 줄(# ...)의 글자."""
    body = frontmatter.split_front_matter(post.read_text(encoding="utf-8"))[1]
    return re.search(r"^# (.+)$", body, re.MULTILINE)[1].strip()


def test_search_ranks_each_post_first_for_its_own_title(search_tab) -> None:
    """글의 주제인 말(제목)로 찾으면 그 글이 맨 위에 옵니다: 그 말을 지나가며 쓰는 글보다 먼저."""
    wrong = {}
    for post in PUBLISHED_POSTS:
        title = _title(post)
        found = _search(search_tab, title)
        if not found or found[0] != read_front_matter(post)["slug"]:
            wrong[title] = found[:3]
    assert wrong == {}


def test_palette_toggle_switches_and_persists_across_pages(page, base_url: str) -> None:
    page.goto(base_url)
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").click()
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    page.goto(base_url + POSTS[0])
    assert page.get_attribute("body", "data-md-color-scheme") == after


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", per_page(POSTS))
def test_every_figure_loads_with_alt_text_on_the_palette_background(
    visit, built_site: Path, path: str, scheme: str
) -> None:
    """보이는 그림은 불러와지고, 대체 텍스트가 있고, 노트북의 그림은 그 팔레트의 벌이라 바탕이 페이지와
    같은 색입니다(어두운 테마에서 흰 판으로 떠 보이지 않습니다)."""
    seen = visit(path, scheme)
    assert seen.scheme == scheme
    background = "#ffffff" if scheme == "default" else SLATE_BACKGROUND
    for image in seen.images:
        assert image.alt, f"{path}: {image.src}에 대체 텍스트가 없습니다"
        assert image.loaded, f"{path}: {image.src}"
        if "/outputs/" in image.url_path:
            svg = built_site / image.url_path[len(PREFIX) :]
            assert f"fill: {background}" in svg.read_text(encoding="utf-8"), (
                f"{svg}: 바탕이 {background}가 아닙니다"
            )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", per_page(POSTS))
def test_figures_are_numbered_readable_and_drawn_for_the_palette_and_width(
    visit, path: str, scheme: str
) -> None:
    """글 속 노트북 그림마다, 두 화면 폭에서: "그림 N." 캡션, 그 팔레트의 벌 하나만 보임(#only-light /
    #only-dark), 휴대폰에서는 좁은 벌(-narrow), 가장 작은 글자가 하한(12px / 10px) 이상."""
    seen = visit(path, scheme)
    fragment = "#only-light" if scheme == "default" else "#only-dark"
    problems = []
    for screen, figures in seen.figures.items():
        # 번호는 글의 모든 번호 붙은 그림(노트북 그림과 어텐션 그림)이 나눠 가지므로, 노트북 그림의 번호는
        # 올라가기만 하고 캡션은 그 그림 자신의 번호(id="figure-N")로 시작합니다.
        numbers = [figure.number for figure in figures]
        if numbers != sorted(set(numbers)) or (numbers and numbers[0] < 1):
            problems.append(f"{screen}px: 그림 번호 {numbers}")
        for figure in figures:
            number = figure.number
            where = f"{screen}px 그림 {number} {figure.current}"
            if not figure.caption.startswith(f"그림 {number}.") or len(figure.caption) < 12:
                problems.append(f"{where}: 캡션 '{figure.caption}'")
            if len(figure.shown) != 1 or not figure.shown[0].endswith(fragment):
                problems.append(f"{where}: 보이는 그림 {figure.shown} (팔레트 {scheme})")
            if (screen == PHONE) != ("-narrow" in figure.current):
                problems.append(f"{where}: 이 폭에 맞는 벌이 아닙니다")
            if figure.smallest < FLOORS[screen]:
                problems.append(
                    f"{where}: 글자 '{figure.smallest_text}'가 {figure.smallest:.1f}px "
                    f"(하한 {FLOORS[screen]:g}px, 그림 폭 {figure.width:.0f}px)"
                )
    assert not problems, "\n".join(problems)


def test_posts_carry_svg_figures(built_site: Path) -> None:
    """위 그림 검사가 빈 검사가 되지 않도록: 글들에 빌드가 만든 SVG 그림이 열 개 넘게 있습니다
    (글의 {{ outputs/<노트북>/<이름> }} 줄 가운데 노트북이 그림으로 남긴 것)."""
    figures = [
        output
        for post in sorted(POSTS_DIR.glob("*.md"))
        for output in shown_outputs(
            post.read_text(encoding="utf-8"),
            ROOT / "build" / "outputs",
            read_front_matter(post)["slug"],
        )
        if output.kind == "figure"
    ]
    assert len(figures) >= 10


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", per_page([*PAGES, *NOTEBOOK_PAGES, "tags/", "404.html"]))
def test_no_request_leaves_the_site_and_no_console_errors(visit, path: str, scheme: str) -> None:
    """모든 페이지, 두 팔레트: 밖으로 나가는 요청, 콘솔 오류, Content-Security-Policy 위반이 없습니다."""
    seen = visit(path, scheme)
    assert seen.has_policy
    assert seen.outside_requests == []
    assert seen.console_errors == []
    assert seen.csp_violations == []


def test_the_policy_refuses_an_inline_script_that_slipped_into_a_page(page, base_url: str) -> None:
    """정책이 실제로 막는지: 페이지에 끼워 넣은 인라인 스크립트는 실행되지 않고 위반으로 알려집니다."""
    page.goto(base_url + POSTS[0])
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.__ran = true")
    page.wait_for_function("() => true")
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in page.csp_violations), page.csp_violations


def _radical_joins_its_bar(png: bytes) -> bool:
    """근호 그림(msqrt의 스크린숏)에서 맨 위의 잉크(막대)와 맨 왼쪽의 잉크(√의 꼬리)가 한 덩이로 이어지는지."""
    from PIL import Image as Picture  # noqa: PLC0415

    picture = Picture.open(io.BytesIO(png)).convert("L")
    width, height = picture.size
    pixels = picture.load()
    background = pixels[width - 1, height - 1]
    ink = {
        (x, y) for x in range(width) for y in range(height) if abs(pixels[x, y] - background) > 96
    }
    top = min(ink, key=lambda p: (p[1], p[0]))
    left = min(ink, key=lambda p: (p[0], p[1]))
    reached, pending = {top}, [top]
    while pending:
        x, y = pending.pop()
        for near in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            if near in ink and near not in reached:
                reached.add(near)
                pending.append(near)
    return left in reached


# 근호(\sqrt)를 쓰는 글: 수식 글꼴(blogbuild/math_font.py)이 없으면 √가 그 위 막대에서 떨어져 그려집니다
RADICAL_POSTS = [
    POST_PATHS[post.stem]
    for post in PUBLISHED_POSTS
    if "\\sqrt" in post.read_text(encoding="utf-8")
]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", per_page(RADICAL_POSTS))
def test_a_square_root_is_drawn_joined_to_its_bar(
    page, base_url: str, path: str, scheme: str
) -> None:
    """MATH 표가 있는 사이트의 수식 글꼴로 그린 √는 막대와 이어집니다(시스템 글꼴로는 떨어짐)."""
    _use_scheme(page, scheme)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.goto(base_url + path)
    page.evaluate("document.fonts.ready")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Blog Math') && f.status === 'loaded')"
    )
    radicals = page.locator("msqrt:visible")  # 접힌 연습 문제의 풀이 속 근호는 보이지 않습니다
    assert radicals.count() > 0, path
    for index in range(radicals.count()):
        radical = radicals.nth(index)
        radical.scroll_into_view_if_needed()
        assert _radical_joins_its_bar(radical.screenshot()), f"{path}: {index + 1}번째 근호"


# 블록 수식(blogbuild/mathml.py의 .math-block)을 싣는 글
MATH_BLOCK_POSTS = [
    POST_PATHS[post.stem]
    for post in PUBLISHED_POSTS
    if re.search(r"^\s*\$\$", post.read_text(encoding="utf-8"), re.M)
]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_display_math_scrolls_only_sideways_and_collapsed_code_stays_legible(
    page, base_url: str, width: int
) -> None:
    """블록 수식은 세로로 넘치지 않습니다(늘어난 괄호가 상자 밖으로 그려지면 보통 스크롤 막대를 쓰는 컴퓨터에서
    식마다 세로 스크롤 막대가 생겼습니다). 가로로 넘치는 식(휴대폰)은 표처럼 가장자리 그림자로 알립니다.
    접은 풀이와 보기 상자 속 코드는 휴대폰에서도 12px 이상입니다(Material의 기본은 10.9px)."""
    assert MATH_BLOCK_POSTS, "블록 수식을 싣는 글이 없으면 이 검사는 볼 것이 없습니다"
    page.set_viewport_size({"width": width, "height": 900})
    for path in MATH_BLOCK_POSTS:
        page.goto(base_url + path)
        page.evaluate("document.fonts.ready")
        blocks = page.evaluate(
            """() => [...document.querySelectorAll('.md-typeset .math-block')].map((b) => {
                b.closest('details')?.setAttribute('open', '');
                return {tall: b.scrollHeight - b.clientHeight, wide: b.scrollWidth > b.clientWidth,
                        shadow: getComputedStyle(b).backgroundImage.includes('radial-gradient')};
            })"""
        )
        assert blocks, path
        for number, block in enumerate(blocks, start=1):
            assert block["tall"] <= 0, f"{path}: {number}번째 블록 수식이 세로로 넘칩니다"
            assert not block["wide"] or block["shadow"], f"{path}: {number}번째 식"
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('.md-typeset :is(details, .admonition) code')]
                .map((code) => { code.closest('details')?.setAttribute('open', '');
                                 return parseFloat(getComputedStyle(code).fontSize); })"""
        )
        assert all(size >= 12 for size in sizes), (path, min(sizes))


def test_radical_check_sees_a_detached_radical(page, base_url: str) -> None:
    """검사가 볼 것을 보는지: 수식 글꼴을 끄면(시스템 글꼴) 같은 근호가 떨어졌다고 봅니다."""
    assert RADICAL_POSTS, "근호를 쓰는 글이 없으면 이 검사는 볼 것이 없습니다"
    page.route("**/math.woff", lambda route: route.abort())
    page.goto(base_url + RADICAL_POSTS[0])
    page.evaluate("document.fonts.ready")
    radical = page.locator("msqrt:visible").first
    radical.scroll_into_view_if_needed()
    assert not _radical_joins_its_bar(radical.screenshot())


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", per_page(NOTEBOOK_PAGES))
def test_notebook_figures_load_with_the_alt_text_their_notebook_saved(
    visit, path: str, scheme: str
) -> None:
    """노트북 페이지의 그림(셀 출력)도 불러와지고, nbconvert의 뜻 없는 문구 대신 설명이 alt입니다."""
    for image in visit(path, scheme).images:
        assert image.alt and "No description" not in image.alt, f"{path}: {image.alt!r}"
        assert image.loaded, f"{path}: {image.src[:60]}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", per_page(PAGES + NOTEBOOK_PAGES))
def test_axe_finds_no_wcag_aa_violations(visit, path: str, scheme: str) -> None:
    problems = visit(path, scheme).axe_problems
    assert not problems, "\n".join(problems)


LAYOUT_PAGES = per_page([*PAGES, *NOTEBOOK_PAGES])


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_korean_text_breaks_only_between_words(visit, path: str, scheme: str) -> None:
    """본문·목록·표·접은 블록의 한국어는 낱말 가운데서 줄이 바뀌지 않습니다("알아/보기"가 아니라 통째로):
    1280px과 390px에서 한글이 든 글 요소마다 word-break가 keep-all."""
    for width, layout in visit(path, scheme).layouts.items():
        assert layout.breakable == [], f"{width}px: {layout.breakable[:5]}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_tables_fit_the_column_or_scroll_inside_it_with_a_cue(
    visit, path: str, scheme: str
) -> None:
    """1280px에서는 어떤 표도 본문 칸보다 넓지 않습니다. 390px에서 넓은 표는 화면 안의 가로 스크롤 영역에
    있고, 그 영역에는 가려진 쪽을 알리는 그림자(배경의 그러데이션)가 있습니다."""
    layouts = visit(path, scheme).layouts
    assert layouts[1280].wide_tables == []
    for width, layout in layouts.items():
        assert layout.unscrolled_tables == [], f"{width}px"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_copy_button_never_covers_code(visit, path: str, scheme: str) -> None:
    """코드 블록의 복사 단추 밑으로는 코드 줄이 지나가지 않습니다: 코드는 가로로만 스크롤되므로, 첫 줄이
    단추의 아래 끝보다 아래에서 시작하면 어느 줄도 가려지지 않습니다(390px에서 긴 줄은 거의 다 단추까지 닿음)."""
    for width, layout in visit(path, scheme).layouts.items():
        assert layout.covered_code == [], f"{width}px"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", per_page(POSTS))
def test_post_metadata_sits_above_the_post_on_phones(visit, path: str, scheme: str) -> None:
    """날짜·카테고리·읽는 시간: 390px에서는 글 위에(참고 문헌 뒤가 아니라), 1280px에서는 옆 칸에 보입니다."""
    layouts = visit(path, scheme).layouts
    assert layouts[390].meta == (True, True)
    assert layouts[1280].meta is not None and layouts[1280].meta[0]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_code_blocks_start_with_their_first_line(visit, path: str, scheme: str) -> None:
    """코드 블록은 빈 줄로 시작하지 않습니다: 위 안쪽 여백이 아래와 같고, 복사 단추는 블록 위에 붙습니다."""
    for width, layout in visit(path, scheme).layouts.items():
        assert layout.padded_code == [], f"{width}px"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_hangul_is_never_slanted_by_a_synthetic_italic(visit, path: str, scheme: str) -> None:
    """한글 글꼴에는 기울인 꼴이 없습니다: 한글이 든 강조에서 브라우저가 글자를 비스듬히 밀어 그리지 않습니다
    (font-synthesis-style: none). 라틴 글자는 글꼴에 이탤릭이 있으면 그것으로 기웁니다."""
    for width, layout in visit(path, scheme).layouts.items():
        assert layout.slanted_hangul == [], f"{width}px"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_table_cells_never_break_inside_a_token(visit, path: str, scheme: str) -> None:
    """표 칸의 라틴 문자·숫자 덩이(`12 × 64`, `bart-base`, `1,024`)는 390px에서도 한 줄에. 한글 낱말과
    괄호 앞은 한국어 줄바꿈 규칙(keep-all)이 정하므로 보지 않습니다."""
    for width, layout in visit(path, scheme).layouts.items():
        assert layout.split_cells == [], f"{width}px: {layout.split_cells[:5]}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", LAYOUT_PAGES)
def test_the_title_is_as_dark_as_the_text(visit, path: str, scheme: str) -> None:
    """글 제목(h1)은 본문과 같은 글자색(Material의 흐린 --light가 아니라)."""
    for width, layout in visit(path, scheme).layouts.items():
        assert not layout.faint_title, f"{width}px"


def test_layout_checks_see_what_they_check(visit) -> None:
    """위 검사들이 빈 검사가 되지 않도록: 글들에는 한글 글 요소, 복사 단추가 붙은 코드 블록, 그리고 390px에서
    본문 칸보다 넓어 스크롤되는 표가 있습니다."""
    phone = [visit(path, "default").layouts[390] for path in POSTS]
    assert all(layout.texts > 10 for layout in phone)
    assert sum(layout.code_blocks for layout in phone) >= 10
    assert sum(len(layout.wide_tables) for layout in phone) >= 2
    assert (
        sum(layout.emphasis for layout in phone) >= 1
    )  # 한글 강조가 있어야 기울임 검사가 무엇을 봅니다


def test_code_blocks_have_a_copy_button(page, base_url: str) -> None:
    page.goto(base_url + POST_PATHS["masked-multi-head-attention"])
    page.wait_for_selector(
        "button.md-code__button[data-md-type=copy]"
    )  # Material의 스크립트가 불러온 뒤 붙입니다
    assert page.locator("pre > code").count() >= 2
    assert (
        page.locator("button.md-code__button[data-md-type=copy]").count()
        == page.locator("pre > code").count()
    )


@pytest.mark.parametrize("path", per_page(PAGES + NOTEBOOK_PAGES))
def test_phone_width_page_does_not_scroll_sideways(visit, path: str) -> None:
    """390px 폭: 긴 코드는 코드 블록 안에서만 가로로 스크롤되고 페이지 전체는 넘치지 않습니다."""
    assert visit(path, "default").phone.scroll_width <= 390


@pytest.mark.parametrize("path", per_page(NOTEBOOK_PAGES))
def test_phone_width_notebook_fills_the_content_column(visit, path: str) -> None:
    """390px 폭: 노트북의 셀(코드 블록)이 옆에 뜬 고치기·내려받기 단추 때문에 좁아지지 않고 본문 폭을 다 씁니다."""
    phone = visit(path, "default").phone
    assert phone.notebook_width is not None, phone
    assert phone.notebook_width >= phone.column_width - 1, phone


def test_tco_calculator_redraws_as_the_reader_types(page, base_url: str) -> None:
    """온프레미스 vs 클라우드 글의 계산기: 값을 치면 손익분기점과 총액이 다시 계산됩니다."""
    page.goto(base_url + POST_PATHS["on-premise-vs-cloud"])
    break_even = page.locator("#tco-break-even")
    page.wait_for_function("() => document.querySelector('#tco-break-even').textContent.trim()")
    before = (break_even.inner_text(), page.locator("#tco-total-cloud").inner_text())
    price = page.locator("#tco-cloud-price")
    price.fill("")
    price.press_sequentially("4000")  # 키 입력 이벤트로: 독자가 치는 것처럼
    page.wait_for_function(
        "before => document.querySelector('#tco-break-even').textContent !== before", arg=before[0]
    )
    after = (break_even.inner_text(), page.locator("#tco-total-cloud").inner_text())
    assert after[0] != before[0] and after[1] != before[1]
    assert page.locator("#tco-chart polyline").count() == 3  # 그래프도 CSP 아래에서 다시 그려집니다
    assert page.console_errors == []
    assert page.csp_violations == []


# 그래프의 글자들: 화면에 보이는 크기(px), 그리고 서로 겹치거나 그림 밖으로 나간 글자.
CHART_TEXT = """() => {
  const svg = document.querySelector('#tco-chart');
  const frame = svg.getBoundingClientRect();
  const scale = frame.width / svg.viewBox.baseVal.width;
  const boxes = [...svg.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
  const overlaps = [];
  boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    if (r.left < q.right - 0.5 && q.left < r.right - 0.5 && r.top < q.bottom - 0.5 && q.top < r.bottom - 0.5) {
      overlaps.push(a + ' / ' + b);
    }
  }));
  const outside = boxes.filter(([, r]) => r.left < frame.left - 0.5 || r.right > frame.right + 0.5
    || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5).map(([a]) => a);
  const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {
    ticks: [...svg.querySelectorAll('text.tco-tick')].map((t) => t.textContent),
    smallest: Math.min(...sizes), overlaps, outside,
    crossBack: document.querySelector('#tco-cross-back').textContent,
  };
}"""
HORIZONS = [1, 2, 7, 24, 60, 84, 120, 500, 1199, 1200]


# 화면 폭 -> 그래프 글자의 가장 작은 크기(px): 그림 글자의 하한 12px(issue 27; issue 18에서는 휴대폰 10)
CHART_WIDTHS = {1280: 12, 390: 12}


def test_tco_chart_labels_stay_legible_from_1_to_1200_months(page, base_url: str) -> None:
    """비교 기간 1~1,200개월: 그래프의 글자(눈금, 범례, 손익분기·다시 역전 표시)는 서로 겹치지 않고 그림 안에
    있으며, 화면에서 1280px일 때 12px, 390px일 때 10px 이상입니다. x축 눈금은 하나 이상, 마지막이 기간 안.
    84개월에서는 교체 구매로 클라우드가 다시 싸진다고 말합니다(tests/test_tco_calculator.py가 그 달을
    파이썬과 견줌). 페이지는 한 번만 열고 폭을 바꿔 가며 잽니다."""
    page.goto(base_url + POST_PATHS["on-premise-vs-cloud"])
    page.wait_for_function("() => document.querySelector('#tco-chart polyline')")
    months = page.locator("#tco-months")
    for width, smallest in CHART_WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for horizon in HORIZONS:
            months.fill(str(horizon))  # 양식은 input 이벤트마다 다시 그립니다
            chart = page.evaluate(CHART_TEXT)
            where = f"{width}px, {horizon}개월: {chart}"
            assert chart["overlaps"] == [] and chart["outside"] == [], where
            assert chart["smallest"] >= smallest, where
            ticks = [int(t.replace(",", "")) for t in chart["ticks"]]
            assert ticks and max(ticks) <= horizon, where
            if horizon == 84:
                # 61개월째 서버를 다시 사 클라우드가 다시 싸지지만, 남은 서버의 가치(잔존가치)를
                # 빼면 84개월째에는 온프레미스가 더 쌉니다(issue 25의 오류 1).
                assert chart["crossBack"].startswith(
                    "61개월째에 서버를 다시 사면서 클라우드가 다시 싸집니다"
                ), where
                assert "잔존가치" in chart["crossBack"] and chart["crossBack"].endswith(
                    "온프레미스가 더 쌉니다."
                ), where
            if horizon == 60:
                assert chart["crossBack"] == "", where
    assert page.console_errors == [] and page.csp_violations == []


CHART_VALUES = """() => [...document.querySelectorAll('#tco-chart text.tco-value')].map((t) => t.textContent)"""
TOTALS = ["#tco-total-onprem", "#tco-total-cloud", "#tco-total-hybrid"]
# 세로축 글자: 천 단위 쉼표가 든 수와 한 단위(억이나 조)
AXIS_LABEL = re.compile(r"(0|[1-9]\d{0,2}(,\d{3})*)(\.\d+)?(억|조)")


def test_tco_chart_and_totals_speak_korean_units_for_large_inputs_on_a_phone(
    page, base_url: str
) -> None:
    """서버 값과 클라우드 시간당 가격을 크게 넣어도(390px): 세로축 글자는 "800,000억"처럼 쉼표와 한 단위로
    적히고 1조 원부터는 조로, 그림 왼쪽에서 잘리지 않으며, 합계도 "…억 원"에 머물지 않고 "…조 원"이 됩니다."""
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(base_url + POST_PATHS["on-premise-vs-cloud"])
    page.wait_for_function("() => document.querySelector('#tco-chart polyline')")
    default = page.evaluate(CHART_VALUES)
    assert all(AXIS_LABEL.fullmatch(label) for label in default), default
    assert all(page.locator(total).inner_text().endswith("억 원") for total in TOTALS)
    for price, cloud, unit in [("1000000", "1000000", "조"), ("100000000", "1000000000000", "조")]:
        page.locator("#tco-server-price").fill(price)
        page.locator("#tco-cloud-price").fill(cloud)
        page.locator("#tco-months").fill("1200")
        chart = page.evaluate(CHART_TEXT)
        labels = page.evaluate(CHART_VALUES)
        where = f"서버 {price}만 원, 클라우드 {cloud}원: {labels} {chart}"
        assert chart["outside"] == [] and chart["overlaps"] == [], where
        assert chart["smallest"] >= 12, where
        assert labels and all(AXIS_LABEL.fullmatch(label) for label in labels), where
        assert {label[-1] for label in labels} == {unit}, where  # 한 축에 한 단위
        totals = [page.locator(total).inner_text() for total in TOTALS]
        assert all(re.fullmatch(r"[\d,]+\.\d\d조 원", total) for total in totals), totals
    assert page.console_errors == [] and page.csp_violations == []


def _attention_paths() -> list[str]:
    """어텐션 그림(save_attention)을 싣는 글들의 주소. 빌드가 만든 결과 목록을 읽으므로 built_site 뒤에 부릅니다."""
    return [
        POST_PATHS[post.stem]
        for post in sorted(POSTS_DIR.glob("*.md"))
        if post.stem in POST_PATHS
        and any(
            output.kind == "attention"
            for output in shown_outputs(
                post.read_text(encoding="utf-8"),
                ROOT / "build" / "outputs",
                read_front_matter(post)["slug"],
            )
        )
    ]


# 어텐션 그림의 지금 보기: 고른 쿼리, 헤드마다 막대의 값과 막대 길이 / 트랙 길이, 같은 쿼리의 표 행.
ATTENTION_SHOWN = """figure => {
  const chosen = figure.querySelector('.attention-token[aria-checked="true"]');
  const heads = [...figure.querySelectorAll('.attention-head')];
  const index = Number(chosen.dataset.index);
  return {
    index, focused: document.activeElement === chosen,
    values: heads.map((h) => [...h.querySelectorAll('.attention-value')].map((v) => v.textContent)),
    bars: heads.map((h) => [...h.querySelectorAll('.attention-bar-row')].map((row) =>
      row.querySelector('.attention-fill').getBoundingClientRect().width
        / row.querySelector('.attention-track').getBoundingClientRect().width)),
    table: [...figure.querySelectorAll('table.attention-table')].map((t) =>
      [...t.tBodies[0].rows[index].cells].slice(1).map((c) => c.textContent)),
    picker: figure.querySelector('.attention-picker').getBoundingClientRect().right,
    tokenHeight: chosen.getBoundingClientRect().height,
  };
}"""


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["1280", "390"])
def test_attention_figure_shows_the_weights_of_the_query_chosen_by_keyboard(
    page, base_url: str, built_site: Path, width: int
) -> None:
    """어텐션 그림마다, 1280px과 390px에서: 쿼리 토큰 단추에 간 뒤 화살표 키(→, End)로 고르면 헤드마다의 막대가
    그 쿼리의 가중치(스크립트 없이 보이는 표의 그 행과 같은 값)로 바뀌고, 막대 길이가 가중치에 비례합니다
    (CSP 아래에서 스크립트가 길이를 정합니다). 단추는 손가락으로 누를 만하고 그림은 화면 폭 안에 있습니다."""
    paths = _attention_paths()
    assert paths, "어텐션 그림을 싣는 글이 없습니다: 이 검사가 빈 검사가 됩니다"
    page.set_viewport_size({"width": width, "height": 900})
    for path in paths:
        page.goto(base_url + path)
        page.wait_for_selector("figure.attention-figure[data-enhanced] .attention-token")
        for figure in page.locator("article figure.attention-figure").all():
            figure.scroll_into_view_if_needed()
            first = figure.evaluate(ATTENTION_SHOWN)
            assert first["index"] == 0 and first["values"] == first["table"]
            figure.locator('.attention-token[aria-checked="true"]').focus()
            seen = []
            for key in ("ArrowRight", "End"):
                page.keyboard.press(key)
                seen.append(figure.evaluate(ATTENTION_SHOWN))
            last = figure.locator(".attention-token").count() - 1
            assert [s["index"] for s in seen] == [1, last]
            for shown in seen:
                assert shown["focused"], (
                    "고른 단추에 포커스가 있어야 화살표 키를 이어 누를 수 있습니다"
                )
                assert shown["values"] == shown["table"]
                for values, bars in zip(shown["values"], shown["bars"], strict=True):
                    for value, bar in zip(values, bars, strict=True):
                        assert abs(float(value) - bar) < 0.02, (path, width, values, bars)
                assert shown["picker"] <= width and shown["tokenHeight"] >= 24
            assert seen[0]["values"] != first["values"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []
    assert page.csp_violations == []


def test_code_blocks_far_below_are_not_laid_out_until_the_reader_comes_near(
    page, base_url: str
) -> None:
    """코드 블록은 화면 가까이 와서야 스타일과 배치를 계산합니다(content-visibility: auto): 노트북 페이지를 열 때
    Material이 문서 전체의 스타일을 여러 번 다시 계산하는 일이 첫 화면의 블록만큼으로 줄어듭니다. 그래도 넘치는
    블록은 그리기 전부터 키보드로 닿고(axe 검사), 찾기와 스크린 리더는 모든 블록을 읽습니다."""
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(base_url + "notebooks/bart-vs-t5/", wait_until="networkidle")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('div.highlight > pre > code')]
            .map((code) => code.checkVisibility({contentVisibilityAuto: true}))"""
    )
    assert drawn[0] and not drawn[-1], drawn
    assert sum(drawn) < len(drawn) / 2, drawn
    page.locator("div.highlight").last.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    assert page.evaluate(
        """() => [...document.querySelectorAll('div.highlight > pre > code')].at(-1)
            .checkVisibility({contentVisibilityAuto: true})"""
    )


# 코드 칸을 가로로 밀어야 끝이 보이는 코드 블록: 첫 줄의 앞부분으로 짚습니다.
SCROLLING_CODE = """() => [...document.querySelectorAll('.md-content pre > code')]
    .filter((code) => code.scrollWidth > code.clientWidth + 1)
    .map((code) => code.textContent.split('\\n').find((l) => l.trim()).trim().slice(0, 60))"""


def _pages_with_code(site: Path) -> list[str]:
    """빌드한 사이트에서 코드 블록(<pre>)이 있는 페이지의 경로: 목록이 아니라 사이트에서 찾으므로, 글과
    노트북이 늘어도 새 페이지가 저절로 검사됩니다."""
    return sorted(
        "" if page.parent == site else f"{page.parent.relative_to(site).as_posix()}/"
        for page in site.rglob("index.html")
        if "<pre" in page.read_text(encoding="utf-8", errors="replace")
    )


def test_no_code_block_scrolls_sideways_at_1280px(page, base_url: str, built_site: Path) -> None:
    """1280px에서는 글과 노트북 쪽의 어떤 코드 블록도 가로로 밀리지 않습니다: 코드 줄은 80칸 안입니다
    (빌드의 check 단계가 줄마다 재는 것을, 여기서는 독자의 브라우저가 그린 대로 봅니다)."""
    pages = _pages_with_code(built_site)
    assert any(path.startswith("notebooks/") for path in pages), pages
    assert any(path.startswith("blog/20") for path in pages), pages
    page.set_viewport_size({"width": DESKTOP, "height": 720})
    scrolling = {}
    for path in pages:
        page.goto(base_url + path, wait_until="load")
        if found := page.evaluate(SCROLLING_CODE):
            scrolling[path] = found
    assert scrolling == {}
    # 검사가 넘치는 블록을 알아보는지: 같은 칸에 120칸짜리 줄을 하나 넣으면 짚힙니다.
    page.evaluate(
        """() => { const pre = document.createElement('pre'); const code = document.createElement('code');
        code.textContent = 'x'.repeat(120); pre.append(code);
        document.querySelector('.md-content__inner').append(pre); }"""
    )
    assert page.evaluate(SCROLLING_CODE) == ["x" * 60]
