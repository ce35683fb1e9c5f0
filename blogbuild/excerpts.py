"""블로그 목록의 글 요약(excerpt)이 글 전체를 다시 그리지 않게 합니다.

Material의 블로그 플러그인은 목록 페이지(첫 화면의 쪽들, 아카이브, 분류)마다 글의 Markdown 전체를 HTML로
바꾼 뒤 요약 구분선(`<!-- more -->`)에서 잘라 앞부분만 씁니다. 구분선 뒤의 코드 조각까지 매번 강조하므로
글 100편이면 빌드 시간의 3분의 1이 여기에 듭니다. 요약은 글 페이지를 다 그린 뒤에 그리므로, 그때 글의
Markdown을 구분선까지로 줄여 두면 요약은 같고(앞부분은 그대로 바뀝니다) 뒤를 다시 그리지 않습니다.
구분선 뒤에 한 줄을 남겨 "계속 읽기" 링크(뒤가 있다는 표시)도 그대로 나옵니다.
"""

from __future__ import annotations

SEPARATOR = "<!-- more -->"  # mkdocs.yml의 blog 설정 post_excerpt_separator의 기본값
REST = "…"  # 구분선 뒤에 남기는 한 줄: 요약 뒤에 글이 더 있다는 표시


def up_to_separator(markdown: str, separator: str = SEPARATOR) -> str:
    """구분선 줄까지의 Markdown과 한 줄짜리 뒷부분. 구분선이 없으면 그대로."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == separator:
            return "\n".join([*lines[: index + 1], "", REST, ""])
    return markdown
