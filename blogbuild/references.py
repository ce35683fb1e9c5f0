"""글의 참고 문헌 검사: 본문이 인용한 1차 자료가 먼저, 원래 글이 든 출처는 그 아래 제 절에.

글은 문장 끝에 `[[4]](#ref-4)`로 인용하고, 끝의 `## 참고 문헌`에 `4. [제목](주소){ #ref-4 }`를 둡니다.
`## 참고 문헌` 바로 아래에는 본문이 인용한 1차 자료(논문, 공식 문서, 참조 구현)를 두고, 이 블로그가 옮겨 온
원래 글이 출처로 든 링크는 그 안의 `### 원래 글의 출처` 아래에 둡니다. 원래 글의 출처는 본문이 인용해도,
인용하지 않아도 됩니다(원래 글의 링크는 모두 남깁니다). 번호는 목록에 보이는 차례대로 1부터 빈틈도 겹침도
없이 매기고, 같은 주소는 한 번만 싣습니다.

Python-Markdown은 순서 목록의 번호를 자리로 다시 매깁니다(적은 번호와 상관없이 1, 2, 3, ...). 그래서
제목 아래에서 새로 시작하는 목록의 첫 항목은 다음 줄에 `{ value="8" }`를 달아 보이는 번호를 맞춥니다
(HTML의 `<li value>`). 이 검사는 브라우저가 매길 번호를 따라 세어, 독자가 보는 번호가 본문의 [8]과 같은지도
확인합니다.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from blogbuild.problems import Problem
from blogbuild.yaml_input import quoted

SECTION = "## 참고 문헌"
SEED = "### 원래 글의 출처"
# 본문의 인용: [[4]](#ref-4). 보이는 글자가 다른 링크(예: [논문](#ref-4))도 인용으로 셉니다.
CITATION = re.compile(r"\[(?P<shown>\[\d+\]|[^\[\]]*)\]\(#ref-(?P<number>\d+)\)")
ITEM = re.compile(r"^(?P<number>\d+)\.[ \t]+(?P<text>.*)$")
ANCHOR = re.compile(r"\{[ \t]*#ref-(?P<number>\d+)[ \t]*\}[ \t]*$")
# 항목 바로 다음 줄의 속성 목록: 그 <li>의 보이는 번호(value)를 정합니다.
VALUE = re.compile(r'^[ \t]+\{[ \t]*value="?(?P<number>\d+)"?[ \t]*\}[ \t]*$')
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
HEADING = re.compile(r"^#{1,6} ")
RENUMBER = "번호는 목록에 보이는 차례대로 1부터 빈틈없이 매기고, 본문의 인용 [[n]](#ref-n)도 같은 번호로 고치세요"


@dataclass
class Item:
    """참고 문헌 목록의 항목 하나."""

    line: int
    typed: int  # 줄 앞에 적은 번호
    anchor: int | None  # { #ref-N }의 N
    value: int | None = None  # 다음 줄의 { value="N" }
    url: str | None = None  # 항목의 첫 링크가 가리키는 주소


@dataclass
class References:
    """글 하나의 인용과 참고 문헌 목록."""

    citations: list[tuple[int, int, str]] = field(default_factory=list)  # (줄, 번호, 보이는 글자)
    cited: list[list[Item]] = field(default_factory=list)  # "## 참고 문헌" 바로 아래의 목록들
    seed: list[list[Item]] = field(default_factory=list)  # "### 원래 글의 출처" 아래의 목록들
    empty: list[tuple[int, str]] = field(
        default_factory=list
    )  # (줄, 제목): 아래에 아무것도 없는 제목
    unknown: list[tuple[int, str]] = field(
        default_factory=list
    )  # (줄, 제목): 참고 문헌 안의 모르는 제목


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


def link_target(text: str) -> str | None:
    """`[제목](주소)`의 주소. 주소 안의 짝 맞은 괄호(위키백과의 `BERT_(language_model)`)까지 읽습니다."""
    start = text.find("](")
    if start < 0:
        return None
    depth = 0
    for end in range(start + 2, len(text)):
        if text[end] == "(":
            depth += 1
        elif text[end] == ")":
            if depth == 0:
                return text[start + 2 : end].strip()
            depth -= 1
    return None


def parse(text: str) -> References:
    """글의 인용(참고 문헌 밖의 모든 [..](#ref-N))과 참고 문헌 목록을 읽습니다. 코드 블록은 건너뜁니다."""
    found = References()
    part: list[list[Item]] | None = None  # 지금 읽는 쪽: 참고 문헌 밖이면 None
    items: list[Item] | None = None  # 지금 읽는 목록: 문단이나 제목이 끼면 목록이 끊깁니다
    heading: tuple[int, str] | None = None  # 참고 문헌의 제목 가운데 아직 아래에 아무것도 없는 것
    for number, line in _outside_code(text):
        stripped = line.strip()
        if HEADING.match(stripped) and (part is not None or re.match(r"#{1,2} ", stripped)):
            if heading:
                found.empty.append(heading)
            heading, items = None, None
            if stripped == SECTION:
                part, heading = found.cited, (number, stripped)
            elif stripped == SEED and part is not None:
                part, heading = found.seed, (number, stripped)
            elif re.match(r"#{1,2} ", stripped):
                part = None
            else:
                found.unknown.append((number, stripped))
            continue
        if part is None:
            found.citations += [
                (number, int(m["number"]), m["shown"]) for m in CITATION.finditer(line)
            ]
            continue
        if stripped:
            heading = None
        value, item = VALUE.match(line), ITEM.match(line)
        if value and items:
            items[-1].value = int(value["number"])
        elif item:
            if items is None:
                items = []
                part.append(items)
            anchor = ANCHOR.search(item["text"])
            typed = int(item["number"])
            items.append(
                Item(number, typed, anchor and int(anchor["number"]), url=link_target(item["text"]))
            )
        elif stripped:
            items = None
    if heading:
        found.empty.append(heading)
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


def _order_problems(items: list[Item]) -> list[tuple[int, str]]:
    """글 전체의 항목들(보이는 차례): 번호가 1부터 빈틈없이 하나씩 느는지, 같은 주소가 두 번 실리지 않는지.

    같은 번호가 두 번이면 앵커가 겹친다는 문제(또는 번호와 앵커가 다르다는 문제)로 알리므로 여기서는 건너뜁니다.
    """
    problems = []
    last = 0
    typed: set[int] = set()
    urls: dict[str, Item] = {}
    for item in items:
        if item.typed not in typed:
            if last == 0 and item.typed != 1:
                problems.append(
                    (item.line, f"참고 문헌이 {item.typed}번부터 시작합니다: {RENUMBER}")
                )
            elif item.typed > last + 1 and last:
                message = (
                    f"참고 문헌 번호가 {last}번 다음에 {item.typed}번으로 건너뜁니다: {RENUMBER}"
                )
                problems.append((item.line, message))
            elif item.typed <= last:
                message = (
                    f"참고 문헌 번호가 {last}번 다음에 {item.typed}번으로 거꾸로 갑니다: {RENUMBER}"
                )
                problems.append((item.line, message))
        typed.add(item.typed)
        last = max(last, item.typed)
        if item.url and item.url in urls:
            first = urls[item.url]
            message = (
                f"참고 문헌 {item.typed}번의 주소 {quoted(item.url)}가 {first.line}번 줄의 {first.typed}번과 같습니다: "
                f"한 문헌은 한 번만 싣고, 이 항목을 지운 뒤 이 번호를 가리키던 인용을 {first.typed}번으로 바꾸세요"
            )
            problems.append((item.line, message))
        if item.url:
            urls.setdefault(item.url, item)
    return problems


def _heading_problems(found: References) -> list[tuple[int, str]]:
    """참고 문헌의 제목들: 아래가 빈 제목, 검사가 모르는 제목."""
    problems = []
    for line, heading in found.empty:
        if heading == SECTION:
            message = (
                f"'{SECTION}' 바로 아래에 아무것도 없습니다: 본문이 인용한 1차 자료(논문, 공식 문서, 참조 "
                f"구현)를 이 제목 바로 아래에 싣거나, 인용한 1차 자료가 없다면 그렇다고 한 문장으로 적으세요"
            )
        else:
            message = (
                f"'{heading}' 아래에 문헌이 없습니다: 원래 글이 든 링크를 싣거나 제목을 지우세요"
            )
        problems.append((line, message))
    for line, heading in found.unknown:
        message = (
            f"참고 문헌 안에 검사가 모르는 제목이 있습니다({quoted(heading)}): 원래 글이 출처로 든 링크는 '{SEED}' 아래에, "
            f"본문이 인용한 1차 자료는 '{SECTION}' 바로 아래에 두세요"
        )
        problems.append((line, message))
    return problems


def check_text(text: str, where: Path | str) -> list[Problem]:
    """글 하나의 본문: 인용이 있는 항목을 가리키는지, 1차 자료는 모두 인용되는지, 번호와 주소가 한 번씩인지."""
    found = parse(text)
    every = [item for items in found.cited + found.seed for item in items]
    problems = [
        Problem(where, line, message)
        for line, message in (
            [pair for items in found.cited + found.seed for pair in _list_problems(items)]
            + _order_problems(every)
            + _heading_problems(found)
        )
    ]
    seen: dict[int, int] = {}
    for item in every:
        if item.anchor in seen:
            message = f"앵커(ref-{item.anchor})가 {seen[item.anchor]}번 줄에 이미 있습니다: 번호 하나에 문헌 하나만 두세요"
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
    for item in (item for items in found.cited for item in items):
        if item.anchor and item.anchor not in first_citation:
            message = (
                f"참고 문헌 {item.anchor}번을 본문이 인용하지 않습니다: 그 문헌이 뒷받침하는 문장에 "
                f"[[{item.anchor}]](#ref-{item.anchor})를 달거나, 원래 글이 든 링크라면 '{SEED}' 아래로 옮기세요"
            )
            problems.append(Problem(where, item.line, message))
    return sorted(problems, key=lambda problem: problem.line or 0)


def check_post(post: Path, root: Path) -> list[Problem]:
    """글 파일 하나. 문제의 경로는 저장소 뿌리(root)에서 본 상대 경로입니다."""
    return check_text(post.read_text(encoding="utf-8"), post.relative_to(root))


def check_all(root: Path, posts: list[Path]) -> list[Problem]:
    """모든 글의 인용과 참고 문헌."""
    return [problem for post in posts for problem in check_post(post, root)]
