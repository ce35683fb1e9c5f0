"""기여자가 보낸 글과 노트북에서, 독자의 브라우저에서 실행되거나 페이지를 바꿀 수 있는 HTML을 찾습니다.

글(Markdown)은 HTML을 그대로 실을 수 있습니다. 그래서 `<script>`, `onerror=` 같은 이벤트 처리기,
`javascript:` 주소는 블로그 글과 그 목록 페이지에서 실행됩니다. 빌드는 두 번 봅니다.

1. 빌드 전, 글의 Markdown을 줄마다(`in_markdown`): 고칠 줄을 짚을 수 있습니다.
2. 페이지를 그린 뒤, HTML을 파서로(`in_html`): 여러 줄에 걸친 태그, --8<--로 끌어온 표, 노트북의 출력처럼
   Markdown 줄에는 보이지 않는 것까지 잡습니다.

스타일(`<style>`, `style=`)도 받지 않습니다. 사이트의 Content-Security-Policy(blogbuild/csp.py)가 막으므로,
받아 두면 조용히 깨진 페이지가 나갑니다. 스타일은 docs/stylesheets/extra.css에 둡니다.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import NamedTuple

from blogbuild import memo

# 글에 있으면 안 되는 태그: 스크립트를 싣거나, 다른 문서를 끼우거나, 페이지의 주소·정책·스타일을 바꾸는 것.
FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "noscript",
    "template",
    "portal",
}
# 주소를 담는 속성: 여기에 javascript:·vbscript:·data:text/html이 오면 누를 때 실행됩니다.
# SVG 애니메이션(<animate>, <set>)의 to·from·by·values는 다른 속성(링크의 href)에 주소를 넣습니다.
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "srcset"}
ANIMATION_VALUES = {"to", "from", "by", "values"}
SCRIPT_URL = re.compile(r"^(?:javascript:|vbscript:|data:\s*text/html)", re.IGNORECASE)
# 브라우저가 주소를 읽기 전에 지우는 것(WHATWG URL): 어디에 있든 탭·줄바꿈, 앞뒤의 제어 문자와 빈칸.
URL_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
URL_C0_OR_SPACE = "".join(map(chr, range(0x21)))
# 링크 주소를 바꾸는 SVG 애니메이션: 주소를 어떻게 감추든(값의 목록, 여러 벌의 부호화) 받지 않습니다.
ANIMATION_TAGS = {"animate", "set", "animatemotion", "animatetransform", "discard"}
LINK_ATTRIBUTES = {"href", "xlink:href"}
# 보내는 곳을 바꾸는 속성은 주소와 상관없이 받지 않습니다(계산기의 <form>은 action 없이 씁니다).
FORBIDDEN_ATTRIBUTES = {"style", "action", "formaction", "srcdoc"}

# 그림을 불러오는 속성. 사이트의 Content-Security-Policy는 사이트 자신의 그림(과 data:)만 허락하므로, 다른 곳의
# 그림(https://, http://, //호스트)은 빌드를 통과해도 독자에게는 깨진 그림이 됩니다.
IMAGE_ATTRIBUTES = {
    ("img", "src"),
    ("img", "srcset"),
    ("source", "srcset"),
    ("source", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("input", "src"),
    ("video", "poster"),
}
# 다른 곳을 가리키는 주소: 스킴(https:)이 있거나(data:는 사이트 안), //호스트(브라우저는 \\도 /로 읽습니다).
EXTERNAL_URL = re.compile(r"^(?:[/\\]{2}|(?!data:)[a-z][a-z0-9+.-]*:)", re.IGNORECASE)
EXTERNAL_IMAGE_FIX = (
    "사이트의 Content-Security-Policy가 다른 곳의 그림을 막아 독자에게는 깨진 그림이 됩니다. 그림을 저장소에 "
    "저장하세요: 데이터로 그리는 그림은 동반 노트북이 save_plot으로 만들어 글에 {{ outputs/<노트북>/<이름> }} 한 줄로 싣고, "
    "사진 같은 파일은 docs/assets/<글의 slug>/에 두어 ../../assets/<글의 slug>/<파일>로 씁니다"
)

HOW_TO_FIX = (
    "글과 노트북은 스크립트·이벤트 처리기·스타일을 실을 수 없습니다. 동작은 docs/assets/의 스크립트를 "
    "mkdocs.yml의 extra_javascript로, 모양은 docs/stylesheets/extra.css로 더하세요"
)


def how_to_fix(findings: list[Finding]) -> list[str]:
    """찾은 것들 뒤에 붙일 고치는 법: 실행될 것이 하나라도 있으면 HOW_TO_FIX (그림은 제 메시지가 말합니다)."""
    return [HOW_TO_FIX] if any(finding.active for finding in findings) else []


class Finding(NamedTuple):
    """찾은 것 하나: 몇째 줄(검사한 글의 줄 번호)에 무엇이 있는지.

    active가 거짓이면 실행될 것은 아니고(다른 곳의 그림), what이 고치는 법까지 말합니다."""

    line: int
    what: str
    active: bool = True


def normalised_url(value: str) -> str:
    """브라우저가 읽는 주소: 문자 참조(&#9;, &colon;)를 풀고, 어디에 있든 탭·줄바꿈과 앞뒤의 제어 문자·빈칸을
    지웁니다(WHATWG URL). 검사는 이것으로 해서 `java&#9;script:`, ` &#x6A;avascript:`를 놓치지 않습니다."""
    return URL_TAB_OR_NEWLINE.sub("", html.unescape(value)).strip(URL_C0_OR_SPACE)


def _external_image(value: str) -> Finding | None:
    """다른 곳의 그림 주소면 그 Finding(줄은 부르는 쪽이 채웁니다). srcset은 쉼표로 나뉜 후보마다 봅니다."""
    for candidate in value.split(","):
        url = normalised_url(candidate).split(" ")[0]
        if EXTERNAL_URL.match(url):
            return Finding(0, f"다른 곳의 그림 {url[:60]!r}: {EXTERNAL_IMAGE_FIX}", active=False)
    return None


def is_script_url(value: str) -> bool:
    """브라우저가 스크립트로 여는 주소인지(`java&#9;script:`, `javascript&colon;`도)."""
    return bool(SCRIPT_URL.match(normalised_url(value)))


def _attribute_problem(
    tag: str, name: str, value: str | None, forbidden: set[str] = FORBIDDEN_ATTRIBUTES
) -> str | None:
    name = name.lower()
    if name.startswith("on"):
        return f"이벤트 처리기 속성 {name}="
    if name in forbidden:
        return f"{name}= 속성"
    if (
        tag in ANIMATION_TAGS
        and name == "attributename"
        and (value or "").strip() in LINK_ATTRIBUTES
    ):
        return f"{name}={value.strip()} (링크 주소를 바꾸는 SVG 애니메이션)"
    urls = value.split(";") if name == "values" and value else [value or ""]
    if name in URL_ATTRIBUTES | ANIMATION_VALUES and any(map(is_script_url, urls)):
        return f"{name}=에 스크립트 주소 {value.strip()[:40]!r}"
    return None


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in FORBIDDEN_TAGS:
            self.findings.append(Finding(line, f"<{tag}> 태그"))
        for name, value in attrs:
            problem = _attribute_problem(tag, name, value)
            if problem:
                self.findings.append(Finding(line, f"<{tag}>의 {problem}"))
            external = (tag, name) in IMAGE_ATTRIBUTES and value and _external_image(value)
            if external:
                self.findings.append(external._replace(line=line))

    handle_startendtag = handle_starttag


# 코드 강조(Pygments)가 만드는 수만 개의 <span class="..">: 속성이 class 하나뿐인 span 태그는 무엇도
# 실행할 수 없으므로 파서에 넣기 전에 지웁니다(검사가 빨라집니다). 지우면 글자가 붙을 뿐이라 새로 찾는 것이
# 생길 수는 있어도(더 엄격) 숨는 것은 없습니다. 줄바꿈은 건드리지 않아 줄 번호도 그대로입니다.
PLAIN_SPAN = re.compile(r'</?span(?: class="[\w -]*")?>')


def in_html(html: str) -> list[Finding]:
    """그려진 HTML에서 실행될 수 있는 것들. 줄 번호는 html 안의 줄입니다."""
    scanner = _Scanner()
    scanner.feed(PLAIN_SPAN.sub("", html))
    scanner.close()
    return scanner.findings


def in_page(html: str) -> list[Finding]:
    """그려진 페이지 본문(on_page_content의 HTML)의 in_html. 온 빌드는 지난 빌드와 같은 본문을 그리므로 결과를
    HTML의 바이트로 빌드 사이에 기억합니다(memo): 파서가 페이지마다 도는 시간(글 100편에 0.4 s)이 없어집니다."""
    found = memo.remembered(
        ("page html", html),
        lambda: [tuple(finding) for finding in in_html(html)],
        shape=[(int, str, bool)],
    )
    return [Finding(*finding) for finding in found]


# 빌드가 다 쓴 사이트의 파일(in_published): 템플릿과 그림 도구가 쓰는 <style>·<meta>·<link>·style=은 받고,
# 실행되거나 다른 문서를 끼우는 것만 찾습니다. <script>는 부르는 쪽(blogbuild/site_check.py)이 허락된
# 스크립트인지 봅니다.
EMBEDDING_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal"}
PUBLISHED_FORBIDDEN_ATTRIBUTES = {"srcdoc"}
REFRESH_URL = re.compile(r"^[^;,]*[;,]\s*(?:url\s*=\s*)?['\"]?(?P<url>[^'\"]*)", re.IGNORECASE)


class Script(NamedTuple):
    """파일 속의 <script> 하나: 몇째 줄, src(없으면 None: 인라인), <foreignObject> 안인지."""

    line: int
    src: str | None
    in_foreign_object: bool = False


class _PublishedScanner(_Scanner):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[Script] = []
        self._foreign = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            src = values.get("src", values.get("xlink:href", values.get("href")))
            self.scripts.append(Script(line, src, self._foreign > 0))
        elif tag in EMBEDDING_TAGS:
            self.findings.append(Finding(line, f"<{tag}> 태그"))
        elif tag == "foreignobject":
            self._foreign += 1
        refresh = REFRESH_URL.match(values.get("content", ""))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh" and refresh:
            if is_script_url(refresh["url"]):
                self.findings.append(
                    Finding(line, "스크립트 주소로 옮기는 <meta http-equiv=refresh>")
                )
        for name, value in attrs:
            problem = _attribute_problem(tag, name, value, PUBLISHED_FORBIDDEN_ATTRIBUTES)
            if problem:
                self.findings.append(Finding(line, f"<{tag}>의 {problem}"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "foreignobject" and self._foreign > 0:
            self._foreign -= 1


def in_published(text: str) -> tuple[list[Finding], list[Script]]:
    """사이트에 실리는 HTML·SVG·XML 파일에서 실행될 수 있는 것들과, 그 파일의 모든 <script>."""
    scanner = _PublishedScanner()
    scanner.feed(PLAIN_SPAN.sub("", text))
    scanner.close()
    return scanner.findings, scanner.scripts


# Markdown의 링크·그림·참조 정의의 주소: [글](javascript:...), ![](javascript:...), [x]: javascript:...
MARKDOWN_URL = re.compile(r"\]\(\s*<?(?P<url>[^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(?P<ref>\S+)")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<url>[^)\s>]+)")
AUTOLINK = re.compile(r"<(?P<url>(?:javascript|vbscript|data):[^>]*)>", re.IGNORECASE)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def in_markdown(text: str, first_line: int = 1) -> list[Finding]:
    """Markdown 글에서 실행될 수 있는 것들(울타리 코드 블록과 `인라인 코드` 안은 글자일 뿐이라 뺍니다).

    first_line은 text의 첫 줄이 파일의 몇째 줄인지(앞머리를 뗀 본문을 검사할 때).
    """
    findings: list[Finding] = []
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=first_line):
        opened = FENCE.match(line)
        if fence:
            if opened and opened.group(1).startswith(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        line = INLINE_CODE.sub("", line)
        if "<" in line:  # 태그가 없는 줄은 파서에 넣을 까닭이 없습니다
            findings += [finding._replace(line=number) for finding in in_html(line)]
        for match in [*MARKDOWN_URL.finditer(line), *AUTOLINK.finditer(line)]:
            url = match.group("url") or match.groupdict().get("ref") or ""
            if is_script_url(url):
                findings.append(Finding(number, f"스크립트 주소 {url[:40]!r}로 가는 링크"))
        for match in MARKDOWN_IMAGE.finditer(line):
            external = _external_image(match["url"])
            if external:
                findings.append(external._replace(line=number))
    return findings
