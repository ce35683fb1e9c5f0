"""사이트 자신의 스타일시트(mkdocs.yml의 extra_css)를 주석 없이 싣습니다.

docs/stylesheets/의 주석은 규칙마다 왜 그런지(어느 검사가 무엇을 찾았는지, 대비의 수치)를 한국어로 적어 둔
관리자의 글이라, 압축해도 extra.css가 모든 페이지에 보내는 바이트의 70%였습니다(5.2 KB 중 3.7 KB). 독자의 브라우저는
주석을 읽지 않으므로, finish 단계가 사이트에 실린 사본에서 주석과 그것이 남긴 빈 줄만 지웁니다. 규칙의 글자는
하나도 바꾸지 않습니다(따옴표 안의 `/*`는 주석이 아닙니다).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

# 따옴표 문자열(그대로 남김) 또는 주석(지움). CSS의 문자열은 \로 따옴표를 가릴 수 있습니다.
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/', re.DOTALL)


def without_comments(css: str) -> str:
    """css에서 주석을 지우고, 주석만 있던 줄(이제 빈 줄)을 뺍니다."""
    stripped = TOKEN.sub(lambda m: "" if m[0].startswith("/*") else m[0], css)
    lines = [line.rstrip() for line in stripped.splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def write(site: Path, names: Iterable[str]) -> None:
    """site에 실린 스타일시트들(사이트 안 경로)을 주석 없이 다시 씁니다. 사이트 밖의 주소는 건너뜁니다."""
    for name in names:
        path = site / name
        if "://" in name or path.suffix != ".css" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        lean = without_comments(text)
        if lean != text:
            path.write_text(lean, encoding="utf-8")
