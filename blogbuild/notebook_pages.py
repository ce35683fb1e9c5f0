"""동반 노트북 페이지(mkdocs-jupyter)의 HTML을 사이트의 Content-Security-Policy에 맞춥니다.

mkdocs-jupyter(nbconvert 템플릿)는 노트북 앞뒤에 인라인 `<style>`(약 590 KB)과 `<script>`(복사 단추,
MathJax 설정, CDN에서 mermaid를 부르는 모듈)를 넣습니다. CSP는 인라인 스크립트·스타일을 막으므로:

- 템플릿의 스타일과 스크립트를 내용의 해시로 이름 지은 사이트 파일(assets/notebooks/<해시>.css|js)로
  옮기고 `<link>`·`<script src>`로 부릅니다. 노트북마다 같은 파일이라 한 번 받으면 캐시됩니다.
- 다른 호스트를 부르는 스크립트(mermaid)와 실행되지 않는 설정(MathJax)은 뺍니다. 수식은 빌드 때 MathML이 됩니다.
- 템플릿 사이의 셀들(노트북의 출력과 Markdown 셀)은 기여자의 내용입니다. 거기에 스크립트·이벤트 처리기·
  스타일이 있으면 셀 번호를 짚어 빌드를 멈춥니다(blogbuild/active_content.py).

그리고 페이지를 읽는 사람을 위해(캐시 밖에서, 빌드마다):

- 제목의 id: nbconvert는 제목에서 ASCII만 남겨 id를 만들고(한국어 제목은 빈 id, 같은 제목은 같은 id),
  mkdocs-jupyter의 목차는 Python-Markdown의 다른 규칙(`_1`, `_2`를 붙임)으로 id를 셉니다. 그래서 목차
  링크가 제목에 닿지 않았습니다. anchor_headings가 글 페이지와 같은 규칙(mkdocs.yml의 toc.slugify)으로
  제목마다 하나뿐인 id를 다시 매기고, 목차도 그 제목들에서 다시 만듭니다.
- 그림의 alt: nbconvert는 alt가 없는 <img>에 "No description has been provided for this image"를
  붙입니다. 사이트에 싣는 노트북이 그림 출력마다 적어 둔 alt(blogbuild/notebook_publish.py)로 바꿉니다.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from collections.abc import Callable
from pathlib import Path

from markdown.extensions.toc import nest_toc_tokens, unique

from blogbuild import active_content
from blogbuild.notebook_publish import SETUP_PREFIX

WRAPPER_START = '<div class="jupyter-wrapper">'
WRAPPER_END = "</div> <!-- jupyter-wrapper -->"
# 셀마다 하나씩 있는 nbconvert(lab 템플릿)의 셀 div. mkdocs-jupyter가 코드 셀을 한 번 더 감싸는 div에는 id가 없습니다.
CELL_START = re.compile(r'(?=<div class="jp-Cell [^"]*" id="cell-id=)')
NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb[^"]*"')
CELL_ID = re.compile(r'^<div class="jp-Cell [^"]*" id="cell-id=(?P<id>[^"]*)"')
TEMPLATE_ELEMENT = re.compile(
    r"<(?P<tag>script|style)(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</(?P=tag)>", re.DOTALL
)
OTHER_HOST = re.compile(r"https?://")
ASSET_DIR = "assets/notebooks"


class NotebookPageError(ValueError):
    """노트북 페이지를 안전하게 실을 수 없을 때: 셀 번호와 무엇이 문제인지."""


def _split(html: str) -> tuple[str, str, str]:
    start, end = html.find(WRAPPER_START), html.rfind(WRAPPER_END)
    if start < 0 or end < start:
        raise NotebookPageError(
            "mkdocs-jupyter가 만든 노트북 HTML의 모양(jupyter-wrapper)을 찾을 수 없습니다"
        )
    end += len(WRAPPER_END)
    return html[:start], html[start:end], html[end:]


def _template_assets(template: str) -> tuple[str, str, str]:
    """템플릿 부분에서 (스타일 전체, 실행할 스크립트 전체, 나머지 HTML)."""
    styles, scripts = [], []
    for match in TEMPLATE_ELEMENT.finditer(template):
        body = match["body"]
        if match["tag"] == "style":
            styles.append(body)
        elif "src=" not in match["attrs"] and "type=" not in match["attrs"]:
            if not OTHER_HOST.search(body):
                scripts.append(body)
    rest = TEMPLATE_ELEMENT.sub("", template)
    rest = re.sub(r"<script\b[^>]*>\s*</script>", "", rest)  # src=""처럼 빈 스크립트
    return "\n".join(styles), ";\n".join(scripts), rest


def _asset_name(text: str, suffix: str) -> str:
    return f"{ASSET_DIR}/{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.{suffix}"


def cell_findings(cells_html: str) -> list[tuple[int, active_content.Finding]]:
    """셀 부분에서 실행될 수 있는 것들: (셀 번호(1부터), 찾은 것)."""
    found = []
    index = 0  # chunks[0]은 첫 셀 앞(셀 번호 0: 셀 밖)
    for chunk in CELL_START.split(cells_html):
        cell = CELL_ID.match(chunk)
        # 사이트에 싣는 사본에 빌드가 더한 셀(설치 안내)은 notebooks/<이름>.py에 없으므로 세지 않습니다.
        if cell and not cell["id"].startswith(SETUP_PREFIX):
            index += 1
        found += [(index, finding) for finding in active_content.in_html(chunk)]
    return found


def externalize(html: str, base: str, assets: dict[str, str]) -> str:
    """노트북 페이지 본문을 CSP에 맞게 바꿉니다. 옮긴 파일은 assets(사이트 경로 -> 내용)에 더합니다.

    base는 이 페이지에서 사이트 뿌리로 가는 상대 경로(예: "../..")입니다. 셀에 스크립트가 있으면
    NotebookPageError를 냅니다.
    """
    head, cells, tail = _split(html)
    problems = cell_findings(cells)
    if problems:
        listed = "\n".join(
            f"  셀 {cell}번: {finding.what}" if cell else f"  셀 밖: {finding.what}"
            for cell, finding in problems
        )
        raise NotebookPageError(
            "노트북의 출력이나 Markdown 셀이 브라우저에서 실행될 수 있는 내용을 싣습니다:\n"
            + "\n".join([listed, *active_content.how_to_fix([f for _, f in problems])])
        )
    styles, scripts, head = _template_assets(head)
    tail_styles, tail_scripts, tail = _template_assets(tail)
    links = []
    for text, suffix in ((styles + "\n" + tail_styles, "css"), (scripts + tail_scripts, "js")):
        if not text.strip():
            continue
        name = _asset_name(text, suffix)
        assets[name] = text
        links.append(
            f'<link rel="stylesheet" href="{base}/{name}">'
            if suffix == "css"
            else f'<script src="{base}/{name}"></script>'
        )
    return "".join(links) + head + cells + tail


# 바뀌면 캐시가 무효가 되는 것: 이 변환과 검사의 코드.
_CODE = b"".join(
    (Path(__file__).parent / name).read_bytes()
    for name in ("notebook_pages.py", "active_content.py")
)


def externalize_cached(html: str, base: str, assets: dict[str, str], cache_dir: Path) -> str:
    """externalize와 같되, 같은 노트북 HTML(과 같은 코드)이면 지난 빌드의 결과를 씁니다.

    mkdocs-jupyter가 실행된 노트북을 HTML로 바꾼 결과는 그 플러그인이 캐시합니다. 그 HTML을 CSP에 맞게
    바꾸고 셀을 검사하는 일(노트북 10개에 온 빌드 시간의 10분의 1쯤)도 내용의 해시로 캐시합니다.
    스크립트가 든 셀은 오류가 나므로 캐시에 들어가지 않습니다.
    """
    key = hashlib.sha256(_CODE + base.encode() + b"\0" + html.encode()).hexdigest()
    entry = cache_dir / f"{key}.json"
    if entry.is_file():
        cached = json.loads(entry.read_text(encoding="utf-8"))
        for name in cached["assets"]:
            assets[name] = (cache_dir / "assets" / Path(name).name).read_text(encoding="utf-8")
        return cached["html"]
    mine: dict[str, str] = {}
    out = externalize(html, base, mine)
    (cache_dir / "assets").mkdir(parents=True, exist_ok=True)
    for name, text in mine.items():
        (cache_dir / "assets" / Path(name).name).write_text(text, encoding="utf-8")
    entry.write_text(json.dumps({"html": out, "assets": sorted(mine)}), encoding="utf-8")
    assets.update(mine)
    return out


# nbconvert(mkdocs-jupyter)가 Markdown 셀의 제목을 그린 꼴: <h2 id="...">글<a class="anchor-link" href="#...">¶</a></h2>
HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="[^"]*">(?P<inner>.*?)<a class="anchor-link" href="#[^"]*">¶</a></h(?P=level)>',
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


def anchor_headings(html: str, slugify: Callable[[str, str], str]) -> tuple[str, list[dict]]:
    """제목마다 하나뿐인 id를 글 페이지와 같은 규칙으로 다시 매긴 HTML과, 그 제목들의 목차 토큰.

    목차 토큰은 mkdocs.structure.toc.get_toc가 받는 꼴(level, id, name, children)입니다. 같은 제목이
    두 번 나오면 Python-Markdown처럼 `_1`, `_2`를 붙이고, id가 비는 제목(글자가 모두 빠지는 경우)은
    `section`에 번호를 붙입니다.
    """
    ids: set[str] = set()
    tokens: list[dict] = []

    def rewrite(match: re.Match) -> str:
        name = TAG.sub("", match["inner"]).strip()
        slug = unique(slugify(html_lib.unescape(name), "-") or "section", ids)
        tokens.append({"level": int(match["level"]), "id": slug, "name": name})
        level, anchor = match["level"], html_lib.escape(slug)
        return (
            f'<h{level} id="{anchor}">{match["inner"]}'
            f'<a class="anchor-link" href="#{anchor}">¶</a></h{level}>'
        )

    return HEADING.sub(rewrite, html), nest_toc_tokens(tokens)


def relative_site_links(html: str, site_url: str, base: str) -> str:
    """사이트 자신을 가리키는 절대 주소 링크(사본이 내려받은 파일·Colab을 위해 적은 글의 주소)를, 이 페이지에서
    사이트 뿌리로 가는 상대 경로 base로 시작하는 주소로: 로컬 미리보기와 다른 주소의 배포에서도 닿습니다."""
    if not site_url:
        return html
    prefix = 'href="' + html_lib.escape(site_url.rstrip("/") + "/")
    return html.replace(prefix, f'href="{base.rstrip("/")}/')


PLACEHOLDER_ALT = "No description has been provided for this image"
IMAGE = re.compile(r'<img (?P<before>[^>]*?)alt="' + PLACEHOLDER_ALT + r'"(?P<after>[^>]*)>')
DATA_URL = re.compile(r'src="data:image/[a-z]+;base64,(?P<data>[^"]*)"')


def add_image_descriptions(html: str, descriptions: dict[str, str]) -> str:
    """nbconvert가 붙인 뜻 없는 alt를 노트북이 그림 출력마다 적어 둔 alt로 바꿉니다.

    descriptions는 {그림의 base64 데이터(공백 없이): alt}입니다(notebook_publish.image_descriptions).
    짝이 없는 그림은 바꾸지 않습니다: 사이트 테스트가 남은 자리를 찾아 알립니다.
    """

    def rewrite(match: re.Match) -> str:
        source = DATA_URL.search(match[0])
        alt = descriptions.get("".join(source["data"].split())) if source else None
        if not alt:
            return match[0]
        return f'<img {match["before"]}alt="{html_lib.escape(alt)}"{match["after"]}>'

    return IMAGE.sub(rewrite, html)


def focusable_code(html: str) -> str:
    """노트북의 코드 칸은 가로로 스크롤되므로 키보드로도 닿게 합니다 (scrollable-region-focusable)."""
    return NOTEBOOK_CODE.sub(r'\g<0> tabindex="0"', html)
