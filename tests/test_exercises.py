"""연습 문제의 모양(CONTRIBUTING.md의 '연습 문제'): 시리즈의 글마다 2~3개, 풀이는 빌드가 만든 코드와 숫자.

시리즈의 글은 data/series.yml에서 읽습니다(글의 수와 차례는 정하지 않습니다). 글마다 `## 연습 문제` 절이
`## 직접 실행하기`(또는 `## 참고 문헌`) 바로 앞에 있고, 그 안의 `### ` 문제마다 접힌 `??? ` 풀이가 있으며,
풀이는 snippets/의 구간을 끌어오고 노트북의 숫자(`{{ ... }}`)를 싣습니다. 끌어온 구간은 80칸 안이고
(한글은 두 칸), 그 함수를 tests/test_<모듈>.py가 부릅니다.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blogbuild import series
from blogbuild.snippet_refs import CODE_WIDTH, MARKER, code_width, sections_of
from tests.conftest import POSTS_DIR, PUBLISHED_POSTS, ROOT

SECTION = "연습 문제"
AFTER = ("직접 실행하기", "참고 문헌")  # 연습 문제 절 바로 다음에 올 수 있는 절
COUNT = range(2, 4)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
H2 = re.compile(r"^## (.+?)\s*$")
H3 = re.compile(r"^### (.+?)\s*$")
ANSWER = re.compile(r"^\?\?\?(?P<open>\+?) ")
SNIPPET = re.compile(
    r"""^\s*-+8<-+\s+["'](?P<file>snippets/[\w/]+\.py):(?P<section>[a-z0-9-]+)["']\s*$"""
)
NUMBER = re.compile(r"\{\{.+?\}\}")
DEFINED = re.compile(r"^\s*(?:def|class)\s+(?P<name>\w+)", re.MULTILINE)


def _prose_lines(text: str) -> list[tuple[int, str, bool]]:
    """(줄 번호, 줄, 코드 블록 안인지). 코드 블록의 `## `는 제목이 아닙니다."""
    found, fence = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if match and (fence is None or match[1].startswith(fence)):
            found.append((number, line, True))
            fence = None if fence else match[1]
            continue
        found.append((number, line, fence is not None))
    return found


def exercise_problems(text: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    """글 본문의 연습 문제가 모양을 따르지 않는 곳('N번 줄: 무엇')과, 풀이가 끌어온 (줄, 파일, 구간)들."""
    lines = _prose_lines(text)
    heads = [(n, H2.match(line)[1]) for n, line, code in lines if not code and H2.match(line)]
    at = [i for i, (_, title) in enumerate(heads) if title == SECTION]
    if not at:
        return [
            f"'## {SECTION}' 절이 없습니다: '## {AFTER[0]}' 앞에 문제 2~3개와 접힌 풀이를 두세요 "
            f"(CONTRIBUTING.md의 '{SECTION}')"
        ], []
    if len(at) > 1:
        where = ", ".join(f"{heads[i][0]}번" for i in at)
        return [f"'## {SECTION}' 절이 {where} 줄에 있습니다: 하나로 합치세요"], []
    start = heads[at[0]][0]
    after = heads[at[0] + 1] if at[0] + 1 < len(heads) else None
    problems = []
    if after is None or after[1] not in AFTER:
        problems.append(
            f"{start}번 줄: '## {SECTION}' 바로 다음 절은 "
            + " 또는 ".join(f"'## {title}'" for title in AFTER)
            + f"여야 합니다 (지금: {after[1] if after else '글의 끝'})"
        )
    end = after[0] if after else len(lines) + 1
    body = [item for item in lines if start < item[0] < end]
    exercises = [i for i, (_, line, code) in enumerate(body) if not code and H3.match(line)]
    if len(exercises) not in COUNT:
        problems.append(
            f"{start}번 줄: 문제(### 제목)가 2~3개여야 합니다 (지금: {len(exercises)}개)"
        )
    embedded = []
    for first, last in zip(exercises, [*exercises[1:], len(body)], strict=True):
        number, title = body[first][0], H3.match(body[first][1])[1]
        part = body[first + 1 : last]
        answers = [i for i, (_, line, _) in enumerate(part) if ANSWER.match(line)]
        if not answers:
            problems.append(f"{number}번 줄: '{title}'에 풀이 블록(??? note \"풀이\")이 없습니다")
            continue
        if not any(line.strip() for _, line, _ in part[: answers[0]]):
            problems.append(f"{number}번 줄: '{title}'의 풀이 앞에 질문 문장이 없습니다")
        answer_line, opener = part[answers[0]][0], part[answers[0]][1]
        if ANSWER.match(opener)["open"]:
            problems.append(f"{answer_line}번 줄: 풀이는 접힌 채 시작합니다: '???+'가 아니라 '???'")
        inside = []
        for n, line, code in part[answers[0] + 1 :]:
            if line.strip() and not line.startswith("    "):
                break
            inside.append((n, line, code))
        refs = [(n, SNIPPET.match(line)) for n, line, _ in inside if SNIPPET.match(line)]
        if not refs:
            problems.append(
                f"{answer_line}번 줄: 풀이가 snippets/의 구간을 끌어오지 않습니다 "
                '(```python 블록 안에 --8<-- "snippets/<모듈>.py:<구간>")'
            )
        if not any(NUMBER.search(line) for _, line, code in inside if not code):
            problems.append(
                f"{answer_line}번 줄: 풀이에 노트북이 남긴 숫자({{{{ key }}}})가 없습니다"
            )
        embedded += [(n, ref["file"], ref["section"]) for n, ref in refs]
    return problems, embedded


def section_problems(file: str, section: str, root: Path) -> list[str]:
    """풀이가 끌어온 구간의 문제: 없는 구간, 80칸을 넘는 줄, tests/test_<모듈>.py가 부르지 않는 함수."""
    path = root / file
    sections, _ = sections_of(path, root) if path.is_file() else ({}, [])
    if section not in sections:
        return [f"{file}에 구간 '{section}'이 없습니다"]
    first, last = sections[section]
    lines = path.read_text(encoding="utf-8").splitlines()[first : last - 1]
    code = [line for line in lines if not MARKER.search(line)]
    problems = [
        f"{file}:{first + 1 + i}: {code_width(line)}칸으로 {CODE_WIDTH}칸을 넘습니다"
        for i, line in enumerate(lines)
        if code_width(line) > CODE_WIDTH
    ]
    defined = DEFINED.search("\n".join(code))
    test = root / "tests" / f"test_{Path(file).stem}.py"
    if not defined:
        problems.append(f"{file}의 구간 '{section}'에 함수나 클래스가 없습니다")
    elif not test.is_file() or not re.search(
        rf"\b{defined['name']}\(", test.read_text(encoding="utf-8")
    ):
        problems.append(
            f"풀이의 함수 {defined['name']}: {test.relative_to(root)}가 부르지 않습니다 "
            "(풀이가 주장하는 성질을 확인하는 테스트를 더하세요)"
        )
    return problems


def _series_posts() -> list[Path]:
    posts = series.read_posts(PUBLISHED_POSTS, ROOT / "docs")
    order = series.load(ROOT, ROOT / "docs", posts)
    return [ROOT / "docs" / post.src_uri for post in order.posts]


@pytest.mark.parametrize("post", _series_posts(), ids=lambda post: post.stem)
def test_every_series_post_ends_with_exercises_whose_answers_are_build_outputs(post: Path) -> None:
    problems, embedded = exercise_problems(post.read_text(encoding="utf-8"))
    for _, file, section in embedded:
        problems += section_problems(file, section, ROOT)
    assert not problems, f"{post.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_series_has_posts() -> None:
    """위 검사가 빈 검사가 되지 않도록. 글의 수는 정하지 않습니다."""
    assert _series_posts() and all(post.parent == POSTS_DIR for post in _series_posts())


GOOD = """# 제목

## 구현

```python
## 코드 안의 제목 줄은 절이 아닙니다
```

## 연습 문제

### 1. 마스크를 빼면

마스크를 빼면 어떻게 될까요?

??? note "풀이"

    ```python
    --8<-- "snippets/attention.py:sdpa"
    ```

    앞 위치가 {{ leak }}만큼 바뀝니다.

### 2. 헤드 수

헤드 수를 바꾸면?

??? note "풀이"

    ```python
    --8<-- "snippets/attention.py:sdpa"
    ```

    {{ outputs/x/heads }}입니다.

## 직접 실행하기

실행.

## 참고 문헌
"""
THIRD = '### 3. 셋째\n\n질문?\n\n??? note "풀이"\n\n    {{ a }}\n\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("## 연습 문제\n", "## 연습\n"),
            "'## 연습 문제' 절이 없습니다: '## 직접 실행하기' 앞에",
        ),
        (
            GOOD.replace("## 직접 실행하기", "## 연습 문제\n\n## 직접 실행하기"),
            "'## 연습 문제' 절이 9번, 35번 줄에 있습니다: 하나로 합치세요",
        ),
        (
            GOOD.replace("## 직접 실행하기", "## 더 보기"),
            "9번 줄: '## 연습 문제' 바로 다음 절은 '## 직접 실행하기' 또는 '## 참고 문헌'여야 합니다 "
            "(지금: 더 보기)",
        ),
        (
            GOOD.replace("### 2. 헤드 수", "헤드 수"),
            "9번 줄: 문제(### 제목)가 2~3개여야 합니다 (지금: 1개)",
        ),
        (
            GOOD.replace("## 직접", THIRD + THIRD.replace("3. 셋째", "4. 넷째") + "## 직접"),
            "9번 줄: 문제(### 제목)가 2~3개여야 합니다 (지금: 4개)",
        ),
        (
            GOOD.replace("마스크를 빼면 어떻게 될까요?", ""),
            "11번 줄: '1. 마스크를 빼면'의 풀이 앞에",
        ),
        (
            GOOD.replace('??? note "풀이"\n\n    ```python', '??? note "풀이"\n\n```python', 1),
            "15번 줄: 풀이가 snippets/",
        ),
        (GOOD.replace("??? note", "???+ note", 1), "15번 줄: 풀이는 접힌 채 시작합니다"),
        (
            GOOD.replace('??? note "풀이"', '!!! note "풀이"', 1),
            "11번 줄: '1. 마스크를 빼면'에 풀이 블록",
        ),
        (GOOD.replace("{{ leak }}", "3"), "15번 줄: 풀이에 노트북이 남긴 숫자"),
        (GOOD.replace(":sdpa", ".py", 1), "15번 줄: 풀이가 snippets/의 구간을 끌어오지 않습니다"),
    ],
    ids=[
        "no-section",
        "two-sections",
        "not-last",
        "one-exercise",
        "four-exercises",
        "no-question",
        "code-outside-answer",
        "open-answer",
        "no-answer-block",
        "typed-number",
        "whole-file",
    ],
)
def test_exercise_check_names_the_line_and_what_is_missing(text: str, expected: str) -> None:
    embedded = [(18, "snippets/attention.py", "sdpa"), (30, "snippets/attention.py", "sdpa")]
    assert exercise_problems(GOOD) == ([], embedded)
    problems, _ = exercise_problems(text)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_embedded_section_must_fit_80_columns_and_be_called_by_its_test(tmp_path: Path) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "tests").mkdir()
    wide = "    # " + "가" * 37  # 6 + 74 = 80칸은 들어가고, 한 자 더하면 넘습니다
    module = (
        "# --8<-- [start:leak]\ndef leak() -> int:\n"
        f'    """풀이."""\n{wide}\n    return 0\n\n\n# --8<-- [end:leak]\n'
    )
    (tmp_path / "snippets" / "demo.py").write_text(module, encoding="utf-8")
    (tmp_path / "tests" / "test_demo.py").write_text("assert leak() == 0\n", encoding="utf-8")
    assert code_width(wide) == CODE_WIDTH
    assert section_problems("snippets/demo.py", "leak", tmp_path) == []
    assert section_problems("snippets/demo.py", "gone", tmp_path) == [
        "snippets/demo.py에 구간 'gone'이 없습니다"
    ]
    (tmp_path / "snippets" / "demo.py").write_text(module.replace(wide, wide + "가"), "utf-8")
    (tmp_path / "tests" / "test_demo.py").write_text("from snippets.demo import leak\n", "utf-8")
    assert section_problems("snippets/demo.py", "leak", tmp_path) == [
        "snippets/demo.py:4: 82칸으로 80칸을 넘습니다",
        "풀이의 함수 leak: tests/test_demo.py가 부르지 않습니다 "
        "(풀이가 주장하는 성질을 확인하는 테스트를 더하세요)",
    ]
