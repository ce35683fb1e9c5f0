"""Python-Markdown 확장: 표 칸의 라틴 문자·숫자 덩이(`GPT-3`, `bart-base`, `32–63`)가 좁은 화면에서 하이픈이나
줄표 뒤에서 줄이 바뀌지 않게 `<span class="nowrap">`으로 감쌉니다(docs/stylesheets/extra.css).

표 칸은 좁아서, 브라우저가 줄을 바꿀 수 있는 하이픈(`GPT-` / `3`)에서 이름과 범위가 두 줄로 갈립니다. 한글
낱말은 `word-break: keep-all`이 지키지만 하이픈과 줄표는 CSS로 막을 수 없습니다. 글자는 그대로 두므로
복사와 찾기(Ctrl+F)는 같은 하이픈을 봅니다(줄바꿈 없는 하이픈 U+2011로 바꾸면 `GPT-3`를 찾지 못합니다).
손으로 쓴 표와 노트북이 저장한 표(save_table) 모두에 적용되고, 확장이라 이 계열의 어떤 생성기(MkDocs,
ProperDocs, Zensical)도 같은 결과를 냅니다.

코드(`<code>`), 수식(arithmatex)과 그대로 둘 글자(AtomicString)는 건드리지 않습니다.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# 라틴 문자나 숫자로 시작해 공백·한글·괄호 앞까지(tests/test_browser.py가 표 칸에서 재는 덩이와 같은 규칙)
# (\x02, \x03은 Python-Markdown이 원래 HTML 자리에 두는 표시라 덩이에 넣지 않습니다)
TOKEN = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f][^\s\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3()\x02\x03]*"
)
# 덩이 안에서 브라우저가 줄을 바꿀 수 있는 글자: 하이픈과 줄표, 빗금
BREAKS = re.compile(r"[-\u2010\u2013\u2014/]")
CELLS = ("td", "th")
UNTOUCHED = ("code", "kbd", "pre", "script", "style")
CLASS = "nowrap"


def _pieces(text: str) -> tuple[str, list[ET.Element]]:
    """text를 (앞 글자, [감싼 덩이(뒤 글자는 tail)...])로. 줄이 바뀔 수 있는 덩이만 감쌉니다."""
    found = [match for match in TOKEN.finditer(text) if BREAKS.search(match.group())]
    if not found:
        return text, []
    spans = []
    for index, match in enumerate(found):
        span = ET.Element("span", {"class": CLASS})
        span.text = match.group()
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        span.tail = text[match.end() : end]
        spans.append(span)
    return text[: found[0].start()], spans


def _untouched(element: ET.Element) -> bool:
    classes = element.get("class", "").split()
    return element.tag in UNTOUCHED or "arithmatex" in classes or CLASS in classes


def _wrap(element: ET.Element) -> None:
    """element 안의 글자(자식의 꼬리 글자까지)에서 덩이를 감쌉니다. 건드리지 않는 요소의 안은 그대로."""
    for child in list(element):
        if not _untouched(child):
            _wrap(child)
        if child.tail and not isinstance(child.tail, AtomicString):
            child.tail, spans = _pieces(child.tail)
            at = list(element).index(child) + 1
            for offset, span in enumerate(spans):
                element.insert(at + offset, span)
    if element.text and not isinstance(element.text, AtomicString):
        element.text, spans = _pieces(element.text)
        for offset, span in enumerate(spans):
            element.insert(offset, span)


class UnbrokenTokens(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for cell in [element for element in root.iter() if element.tag in CELLS]:
            _wrap(cell)


class UnbrokenTokensExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown의 이름)
        # 인라인 처리(20) 뒤: 링크와 강조가 요소가 된 다음의 글자를 봅니다.
        md.treeprocessors.register(UnbrokenTokens(md), "unbroken_tokens", 3)


def makeExtension(**kwargs) -> UnbrokenTokensExtension:  # noqa: N802 (Python-Markdown이 찾는 이름)
    return UnbrokenTokensExtension(**kwargs)
