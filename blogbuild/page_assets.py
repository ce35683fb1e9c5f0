"""한 가지 요소만 움직이거나 꾸미는 사이트의 파일은 그 요소가 있는 페이지에만 싣습니다.

계산기 스크립트(assets/tco-calculator.js, 9 KB 남짓)와 어텐션 그림 스크립트는 글 하나씩에만 쓰이는데, mkdocs.yml의
extra_javascript로 모든 페이지가 내려받아 읽고 있었습니다. 파일은 그대로 extra_javascript에 적어 둡니다(사이트에
실리고, 마지막 검사가 허락하는 스크립트의 목록이 그것입니다). 다 그린 페이지에서, mkdocs.yml의 extra.page_assets가
요소(선택자)를 적은 파일의 <script src>와 <link rel="stylesheet">를 그 요소가 글쓴이의 내용에 없으면 뺍니다.

선택자는 `태그#아이디` 또는 `태그.클래스` 하나입니다: 요소를 찾는 곳은 글쓴이의 내용(페이지 본문, 목록이 싣는
요약)이고, 그 안의 코드 블록에 적힌 글자(`&lt;form id=...`)는 요소가 아니므로 세지 않습니다.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import unescape
from html.parser import HTMLParser

SELECTOR = re.compile(r"^(?P<tag>[a-z][a-z0-9-]*)(?:#(?P<id>[\w-]+)|\.(?P<class>[\w-]+))$")
# 테마가 쓰는 꼴 그대로, 줄마다 하나: <script src="..."> (defer 등이 뒤따름), <link rel="stylesheet" href="...">.
# 줄의 처음(^)에서만 맞춰 봅니다: 들여쓰기([ \t]*)로 시작하는 꼴을 아무 데서나 맞춰 보면 페이지의 모든 글자에서
# 시도해, 이 치환이 온 빌드에서 0.15 s였습니다.
TAG = re.compile(
    r'(?m:^)[ \t]*<(?:script src="(?P<script>[^"]+)"[^>]*></script>'
    r'|link rel="stylesheet" href="(?P<style>[^"]+)"[^>]*>)\n?'
)


class SelectorError(ValueError):
    pass


def parse(selector: str) -> tuple[str, str, str]:
    """`form#tco-calculator` → ("form", "id", "tco-calculator")."""
    match = SELECTOR.match(selector)
    if not match:
        raise SelectorError(
            f"extra.page_assets의 선택자 {selector!r}: `태그#아이디`나 `태그.클래스` 하나여야 합니다"
        )
    kind = "id" if match["id"] else "class"
    return match["tag"], kind, match[kind]


class _Finder(HTMLParser):
    def __init__(self, wanted: set[tuple[str, str, str]]) -> None:
        super().__init__()
        self.wanted, self.found = wanted, set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for selector in self.wanted:
            name, kind, value = selector
            if tag != name:
                continue
            if (kind == "id" and values.get("id") == value) or (
                kind == "class" and value in (values.get("class") or "").split()
            ):
                self.found.add(selector)


def present(fragments: Iterable[str], selectors: Iterable[str]) -> set[str]:
    """selectors 가운데 fragments(HTML 조각들) 안에 요소가 있는 것."""
    parsed = {selector: parse(selector) for selector in selectors}
    found: set[tuple[str, str, str]] = set()
    for fragment in fragments:
        # 파서는 아이디나 클래스의 글자가 (문자 참조를 푼) 조각에 있을 때만 돌립니다: 속성 값은 조각의 한
        # 토막을 푼 것이라, 글자가 없는 조각에는 그 요소도 없습니다. 페이지마다 본문 전체를 파서로 읽던 시간
        # (온 빌드의 0.8 s)이 없어집니다.
        text = unescape(fragment)
        wanted = {key for key in parsed.values() if key[2] in text} - found
        if wanted:
            finder = _Finder(wanted)
            finder.feed(fragment)
            finder.close()
            found |= finder.found
    return {selector for selector, key in parsed.items() if key in found}


def only_where_used(html: str, contributed: list[str], assets: Mapping[str, str]) -> str:
    """html에서, assets(사이트 경로 → 선택자)의 파일 가운데 contributed에 요소가 없는 것을 싣는 태그를 뺍니다."""
    if not assets:
        return html
    used = present(contributed, set(assets.values()))

    def keep(match: re.Match) -> str:
        url = (match["script"] or match["style"]).split("?")[0].split("#")[0]
        for path, selector in assets.items():
            if (url == path or url.endswith("/" + path)) and selector not in used:
                return ""
        return match[0]

    return TAG.sub(keep, html)
