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

import re
from html.parser import HTMLParser
from typing import NamedTuple

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
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "srcset"}
SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
# 보내는 곳을 바꾸는 속성은 주소와 상관없이 받지 않습니다(계산기의 <form>은 action 없이 씁니다).
FORBIDDEN_ATTRIBUTES = {"style", "action", "formaction", "srcdoc"}

HOW_TO_FIX = (
    "글과 노트북은 스크립트·이벤트 처리기·스타일을 실을 수 없습니다. 동작은 docs/assets/의 스크립트를 "
    "mkdocs.yml의 extra_javascript로, 모양은 docs/stylesheets/extra.css로 더하세요"
)


class Finding(NamedTuple):
    """찾은 것 하나: 몇째 줄(검사한 글의 줄 번호)에 무엇이 있는지."""

    line: int
    what: str


def _attribute_problem(name: str, value: str | None) -> str | None:
    name = name.lower()
    if name.startswith("on"):
        return f"이벤트 처리기 속성 {name}="
    if name in FORBIDDEN_ATTRIBUTES:
        return f"{name}= 속성"
    if name in URL_ATTRIBUTES and value and SCRIPT_URL.match(value):
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
            problem = _attribute_problem(name, value)
            if problem:
                self.findings.append(Finding(line, f"<{tag}>의 {problem}"))

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


# Markdown의 링크·그림·참조 정의의 주소: [글](javascript:...), ![](javascript:...), [x]: javascript:...
MARKDOWN_URL = re.compile(r"\]\(\s*<?(?P<url>[^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(?P<ref>\S+)")
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
            findings += [Finding(number, what) for _, what in in_html(line)]
        for match in [*MARKDOWN_URL.finditer(line), *AUTOLINK.finditer(line)]:
            url = match.group("url") or match.groupdict().get("ref") or ""
            if SCRIPT_URL.match(url):
                findings.append(Finding(number, f"스크립트 주소 {url[:40]!r}로 가는 링크"))
    return findings
