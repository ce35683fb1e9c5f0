"""Python-Markdown 확장: pymdownx.highlight가 코드 블록을 Pygments로 칠한 HTML을 빌드 사이에 기억합니다.

온 빌드(캐시가 찬 빌드)와 make serve의 다시 빌드는 지난번과 같은 코드 블록 수백 개를 다시 칩니다. 이것이 페이지를
그리는 시간의 절반쯤입니다(benchmarks/build_profile.py: Pygments의 렉서와 HTML 포매터). 칠한 HTML은 블록의
글자, 언어, 블록의 자리(줄 앵커의 번호)와 pymdownx.highlight의 설정만의 함수이므로, 그것들과 Pygments·
pymdownx의 판을 키로 빌드의 기억(blogbuild/memo.py)에 둡니다. 하나라도 다르면 다시 칩니다.

기억하는 것은 블록 코드뿐입니다. 줄 안의 코드(inline)는 HTML이 아니라 요소를 돌려주고, 제목을 HTML로 싣는
블록(title_mode: html)은 Markdown의 htmlStash에 무언가를 남기므로 언제나 원래대로 칩니다. 기억이 켜지지 않은
생성기(훅을 돌리지 않는 Zensical, 단위 테스트)에서는 언제나 원래대로 칩니다: 결과는 같고 시간만 다릅니다.
"""

from __future__ import annotations

import functools
import inspect

import pymdownx.highlight
from markdown import Extension

from blogbuild import memo

_ORIGINAL = pymdownx.highlight.Highlight.highlight


def _settings(highlighter: pymdownx.highlight.Highlight) -> str:
    """칠하는 방법을 정하는 설정(Markdown 객체를 뺀 속성들)의 글자: 키의 일부."""
    return repr(
        sorted((name, repr(value)) for name, value in vars(highlighter).items() if name != "md")
    )


_SIGNATURE = inspect.signature(_ORIGINAL)


@functools.wraps(_ORIGINAL)
def _remembered(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    call = _SIGNATURE.bind(self, *args, **kwargs).arguments
    del call["self"]
    if call.get("inline") or call.get("title") is not None:
        return _ORIGINAL(self, *args, **kwargs)
    return memo.remembered(
        (_settings(self), repr(sorted(call.items()))),
        lambda: _ORIGINAL(self, *args, **kwargs),
        shape=str,
        tools=("Pygments", "pymdown-extensions"),  # 칠한 결과를 바꾸는 도구들
    )


class RememberedHighlightExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: ANN001, N802 - Python-Markdown의 이름
        pymdownx.highlight.Highlight.highlight = _remembered


def makeExtension(**kwargs) -> RememberedHighlightExtension:  # noqa: N802 - Python-Markdown의 이름
    return RememberedHighlightExtension(**kwargs)
