"""글의 참고 문헌 검사: 본문이 인용한 문헌이 먼저, 인용하지 않은 문헌은 "더 읽을거리"로.

글은 문장 끝에 `[[4]](#ref-4)`로 인용하고, 끝의 `## 참고 문헌`에 `4. [제목](주소){ #ref-4 }`를 둡니다.
본문이 인용한 문헌은 `## 참고 문헌` 바로 아래에, 글쓴이가 남겼지만 본문이 인용하지 않는 문헌은 그 안의
`### 더 읽을거리` 아래에 둡니다. 번호와 앵커(`ref-4`)는 글쓴이가 매긴 번호 그대로입니다.

Python-Markdown은 순서 목록의 번호를 자리로 다시 매깁니다(적은 번호와 상관없이 1, 2, 3, ...). 그래서
번호가 건너뛰는 항목은 다음 줄에 `{ value="8" }`를 달아 보이는 번호를 맞춥니다(HTML의 `<li value>`).
이 검사는 브라우저가 매길 번호를 따라 세어, 독자가 보는 번호가 본문의 [8]과 같은지도 확인합니다.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from blogbuild.problems import Problem

SECTION = "## 참고 문헌"
FURTHER = "### 더 읽을거리"
# 본문의 인용: [[4]](#ref-4). 보이는 글자가 다른 링크(예: [논문](#ref-4))도 인용으로 셉니다.
CITATION = re.compile(r"\[(?P<shown>\[\d+\]|[^\[\]]*)\]\(#ref-(?P<number>\d+)\)")
ITEM = re.compile(r"^(?P<number>\d+)\.[ \t]+(?P<text>.*)$")
ANCHOR = re.compile(r"\{[ \t]*#ref-(?P<number>\d+)[ \t]*\}[ \t]*$")
# 항목 바로 다음 줄의 속성 목록: 그 <li>의 보이는 번호(value)를 정합니다.
VALUE = re.compile(r'^[ \t]+\{[ \t]*value="?(?P<number>\d+)"?[ \t]*\}[ \t]*$')
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


@dataclass
class Item:
    """참고 문헌 목록의 항목 하나."""

    line: int
    typed: int  # 줄 앞에 적은 번호
    anchor: int | None  # { #ref-N }의 N
    value: int | None = None  # 다음 줄의 { value="N" }


@dataclass
class References:
    """글 하나의 인용과 참고 문헌 목록."""

    citations: list[tuple[int, int, str]] = field(default_factory=list)  # (줄, 번호, 보이는 글자)
    cited: list[list[Item]] = field(default_factory=list)  # "## 참고 문헌" 바로 아래의 목록들
    further: list[list[Item]] = field(default_factory=list)  # "### 더 읽을거리" 아래의 목록들


def _outside_code(text: str) -> Iterator[tuple[int, str]]:
    """울타리 코드 블록(``` 또는 ~~~) 밖의 줄들: (줄 번호, 줄)."""
    fence = ""
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if not fence:
            if match:
                fence = match["fence"]
            else:
                yield number, line
        elif set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
            fence = ""


def parse(text: str) -> References:
    """글의 인용(참고 문헌 밖의 모든 [..](#ref-N))과 참고 문헌 목록을 읽습니다. 코드 블록은 건너뜁니다."""
    found = References()
    part: list[list[Item]] | None = None  # 지금 읽는 쪽: 참고 문헌 밖이면 None
    items: list[Item] | None = None  # 지금 읽는 목록: 문단이나 제목이 끼면 목록이 끊깁니다
    for number, line in _outside_code(text):
        stripped = line.strip()
        if re.match(r"#{1,2} ", stripped):
            part = found.cited if stripped == SECTION else None
            items = None
            continue
        if part is None:
            found.citations += [
                (number, int(m["number"]), m["shown"]) for m in CITATION.finditer(line)
            ]
            continue
        if stripped == FURTHER:
            part, items = found.further, None
            continue
        value, item = VALUE.match(line), ITEM.match(line)
        if value and items:
            items[-1].value = int(value["number"])
        elif item:
            if items is None:
                items = []
                part.append(items)
            anchor = ANCHOR.search(item["text"])
            items.append(Item(number, int(item["number"]), anchor and int(anchor["number"])))
        elif stripped:
            items = None
    return found


def _list_problems(items: list[Item]) -> list[tuple[int, str]]:
    """목록 하나의 항목들: 앵커가 있고, 적은 번호·앵커·브라우저가 보일 번호가 모두 같은지."""
    problems = []
    shown = 0
    for item in items:
        shown = item.value or shown + 1
        if item.anchor is None:
            message = f"참고 문헌 {item.typed}번에 앵커가 없습니다: 줄 끝에 '{{ #ref-{item.typed} }}'를 다세요"
            problems.append((item.line, message))
        elif item.anchor != item.typed:
            message = f"항목 번호({item.typed})와 앵커(ref-{item.anchor})가 다릅니다: 같은 번호로 맞추세요"
            problems.append((item.line, message))
        if shown != item.typed:
            problems.append(
                (
                    item.line,
                    f"참고 문헌 {item.typed}번이 목록에서 {shown}번으로 보입니다 (Markdown은 순서 목록의 "
                    f"번호를 자리로 매깁니다): 다음 줄에 '    {{ value=\"{item.typed}\" }}'를 넣으세요",
                )
            )
    return problems


def check_text(text: str, where: Path | str) -> list[Problem]:
    """글 하나의 본문: 인용이 있는 항목을 가리키는지, 참고 문헌은 모두 인용되고 더 읽을거리는 인용되지 않는지."""
    found = parse(text)
    problems = [
        Problem(where, line, message)
        for items in found.cited + found.further
        for line, message in _list_problems(items)
    ]
    cited = {i.anchor: i.line for items in found.cited for i in items if i.anchor}
    further = {i.anchor: i.line for items in found.further for i in items if i.anchor}
    seen: dict[int, int] = {}
    for items in found.cited + found.further:
        for item in items:
            if item.anchor in seen:
                message = f"앵커(ref-{item.anchor})가 {seen[item.anchor]}번 줄에 이미 있습니다"
                problems.append(Problem(where, item.line, message))
            seen.setdefault(item.anchor, item.line)
    first_citation: dict[int, int] = {}
    for line, number, shown in found.citations:
        first_citation.setdefault(number, line)
        if number not in seen:
            message = f"인용 [{shown}](#ref-{number}): 가리키는 참고 문헌(ref-{number})이 없습니다"
            problems.append(Problem(where, line, message))
        elif shown.startswith("[") and shown != f"[{number}]":
            message = (
                f"인용의 번호({shown})와 가리키는 앵커(ref-{number})가 다릅니다: 둘을 맞추세요"
            )
            problems.append(Problem(where, line, message))
    for number, line in cited.items():
        if number not in first_citation:
            message = (
                f"참고 문헌 {number}번을 본문이 인용하지 않습니다: 그 문헌이 뒷받침하는 문장에 "
                f"[[{number}]](#ref-{number})를 달거나 '{FURTHER}' 아래로 옮기세요"
            )
            problems.append(Problem(where, line, message))
    for number, line in further.items():
        if number in first_citation:
            message = (
                f"더 읽을거리의 {number}번을 본문이 인용합니다({first_citation[number]}번 줄): "
                f"'{FURTHER}' 위, 인용한 문헌 쪽으로 옮기세요"
            )
            problems.append(Problem(where, line, message))
    return sorted(problems, key=lambda problem: problem.line or 0)


def check_post(post: Path, root: Path) -> list[Problem]:
    """글 파일 하나. 문제의 경로는 저장소 뿌리(root)에서 본 상대 경로입니다."""
    return check_text(post.read_text(encoding="utf-8"), post.relative_to(root))


def check_all(root: Path, posts: list[Path]) -> list[Problem]:
    """모든 글의 인용과 참고 문헌."""
    return [problem for post in posts for problem in check_post(post, root)]
