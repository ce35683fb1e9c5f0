"""글의 문장이 화면 폭에 기대지 않는지 봅니다(issue 27).

그림은 넓은 화면에서 나란히, 휴대폰에서 위아래로 놓이므로 "오른쪽(좁은 화면에서는 아래) 그림"은 어느 한
폭에서만 맞는 말입니다. 그런 꼴을 찾아 파일과 줄을 짚습니다. 그래프는 그 제목("3단계" 그래프)이나
차례(두 번째 그래프)로 가리키면 두 폭에서 모두 맞습니다.
"""

from __future__ import annotations

import re
from pathlib import Path

from blogbuild.glossary import prose
from blogbuild.problems import Problem

LAYOUT_PHRASE = re.compile(
    r"(?:좁은|넓은|작은|큰|휴대폰|모바일)\s*화면에서는"
    r"|(?:왼쪽|오른쪽)[\s,(]*(?:의\s*)?(?:그림|그래프|표|칸)"
)
ADVICE = (
    "화면 폭에 따라 틀리는 말입니다(그림은 휴대폰에서 위아래로 놓입니다): "
    "그래프의 제목이나 차례(두 번째 그래프)로 가리키세요"
)


def check_posts(posts: list[Path], root: Path) -> list[Problem]:
    """글의 산문(코드·수식·링크 주소 밖)에서 화면 폭에 기대는 말마다 문제 하나."""
    problems = []
    for post in posts:
        text = prose(post.read_text(encoding="utf-8"))
        for match in LAYOUT_PHRASE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(Problem(post.relative_to(root), line, f"'{match.group()}': {ADVICE}"))
    return problems
