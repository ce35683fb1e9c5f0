"""글이 끌어오는 코드 조각(--8<--) 검사.

pymdownx.snippets는 끝 표시([end:x])가 빠진 구간을 만나면 파일 끝까지 조용히 붙여 넣습니다.
그래서 빌드 전에 세 가지를 직접 확인합니다: 참조한 파일과 구간이 있는지, 모든 구간이 열리고
닫히는지, 글 안의 파이썬 코드 블록이 손으로 친 코드가 아니라 snippets/에서 온 것인지.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from blogbuild import containment, frontmatter
from blogbuild.problems import Problem

# 글 안의 참조 한 줄: --8<-- "snippets/attention.py:causal-mask". pymdownx.snippets가 받는 꼴을 모두 봅니다:
# 가위표의 '-' 개수와 따옴표(" 또는 ')는 자유이고, 줄 앞의 ';'는 참조를 글자로 남기는 이스케이프입니다.
REFERENCE = re.compile(
    r"""^(?P<indent>[ \t]*)-+8<-+[ \t]+(?P<q>["'])(?P<target>.+?)(?P=q)[ \t]*$"""
)
# 여러 파일을 한꺼번에 끌어오는 블록: --8<-- 한 줄, 파일 이름들, --8<-- 한 줄.
BLOCK_MARKER = re.compile(r"^[ \t]*-+8<-+[ \t]*$")
# 코드 파일 안의 구간 표시: # --8<-- [start:causal-mask]
MARKER = re.compile(r"--8<--\s+\[(?P<kind>start|end):(?P<name>[^\]]+)\]")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
# 빌드가 만드는 산출물은 실행이 끝난 뒤에야 생기므로 구간 검사에서 뺍니다.
GENERATED_PREFIX = "build/"
# 1280px 화면의 코드 칸은 고정폭 80칸입니다(/work/shared/STYLE.md의 "Code width"): 한글 한 자는 두 칸
CODE_WIDTH = 80


def code_width(line: str) -> int:
    """코드 줄이 고정폭 글꼴에서 차지하는 칸: 한글처럼 넓은 글자는 두 칸(ASCII에는 넓은 글자가 없습니다)."""
    line = line.rstrip()
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def sections_of(path: Path, root: Path) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    """코드 파일의 구간 이름 -> (시작 줄, 끝 줄)과, 짝이 안 맞는 표시의 문제 목록."""
    sections, problems = _sections(path.read_text(encoding="utf-8"), path.relative_to(root))
    return dict(sections), list(problems)  # 기억해 둔 것을 부르는 쪽이 바꾸지 못하게 복사본으로


@functools.lru_cache(maxsize=256)
def _sections(text: str, path: Path) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    # 글 100편이 같은 코드 파일을 수백 번 참조합니다: 내용이 같으면 한 번만 훑습니다.
    sections: dict[str, tuple[int, int]] = {}
    open_at: dict[str, int] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = MARKER.search(line)
        if not match:
            continue
        kind, name = match["kind"], match["name"]
        if not frontmatter.SLUG.match(name):
            problems.append(
                Problem(path, number, f"구간 이름 '{name}'은 케밥 표기(kebab-case)여야 합니다")
            )
        if kind == "start":
            if name in open_at or name in sections:
                problems.append(Problem(path, number, f"구간 '{name}'이 두 번 열립니다"))
            open_at[name] = number
        elif name not in open_at:
            problems.append(Problem(path, number, f"[end:{name}] 앞에 [start:{name}]이 없습니다"))
        else:
            sections[name] = (open_at.pop(name), number)
    for name, number in open_at.items():
        problems.append(
            Problem(
                path,
                number,
                f"구간 '{name}'에 끝 표시가 없습니다: 구간 끝에 '# --8<-- [end:{name}]'를 넣으세요 "
                "(없으면 파일 끝까지 글에 실립니다)",
            )
        )
    return sections, problems


def check_reference(post: Path, line: int, target: str, root: Path) -> list[Problem]:
    """글의 참조 한 줄이 가리키는 파일과 구간이 있는지 확인합니다.

    빌드 산출물(build/...) 참조는 건너뜁니다: 노트북의 결과(build/outputs/)는 글이 {{ outputs/… }}로
    싣고(예전 꼴은 placeholders.old_syntax_problems가 멈춤), 나머지는 빌드가 쓰는 파일입니다.
    """
    file_part, _, section = target.partition(":")
    unsafe = containment.relative_path_problem(file_part)
    if unsafe:
        return [Problem(post, line, unsafe)]
    if file_part.startswith(GENERATED_PREFIX):
        return []
    path = root / file_part
    if path.exists() and not containment.is_inside(path, root):
        return [
            Problem(
                post,
                line,
                f"'{target}': {file_part}은 저장소 밖을 가리키는 링크입니다: 저장소 밖의 파일은 실을 수 없습니다",
            )
        ]
    if not path.is_file():
        return [Problem(post, line, f"'{target}': 파일 {file_part}이 없습니다")]
    if not section:
        return []
    if section.replace(":", "").isdigit():
        return [
            Problem(
                post,
                line,
                f"'{target}': 줄 번호 대신 구간 이름으로 끌어오세요 "
                "(코드 파일에 '# --8<-- [start:이름]' / '# --8<-- [end:이름]')",
            )
        ]
    sections, _ = sections_of(path, root)
    if section not in sections:
        known = ", ".join(sorted(sections)) or "없음"
        return [
            Problem(
                post,
                line,
                f"'{target}': {file_part}에 구간 '{section}'이 없습니다 (있는 구간: {known})",
            )
        ]
    return []


def fenced_blocks(text: str) -> list[tuple[int, str, list[str]]]:
    """마크다운의 울타리 코드 블록들: (여는 줄 번호, 언어, 본문 줄들)."""
    blocks = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        start, fence, body = index + 1, match["fence"], []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index])
            index += 1
        blocks.append((start, match["lang"].lower(), body))
        index += 1
    return blocks


def references(text: str) -> list[tuple[int, str]]:
    """글 안의 코드 조각 참조들: (줄 번호, 대상). 한 줄 참조와 블록 참조를 모두."""
    found = []
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        if BLOCK_MARKER.match(line):
            in_block = not in_block
            continue
        if in_block:
            if line.strip() and not line.lstrip().startswith(";"):
                found.append((number, line.strip()))
            continue
        match = REFERENCE.match(line)
        if match:
            found.append((number, match["target"]))
    return found


def check_post(post: Path, root: Path) -> list[Problem]:
    """글 하나의 참조를 모두 확인하고, 손으로 친 파이썬 블록을 찾아냅니다."""
    text = post.read_text(encoding="utf-8")
    post = post.relative_to(root)
    problems = []
    for number, target in references(text):
        problems += check_reference(post, number, target, root)
    for start, lang, body in fenced_blocks(text):
        if lang not in {"python", "py", "python3", "pycon"}:
            continue
        typed = [line for line in body if line.strip() and not REFERENCE.match(line)]
        if typed:
            problems.append(
                Problem(
                    post,
                    start,
                    "글에 파이썬 코드를 직접 쓰지 말고 snippets/의 구간을 끌어오세요 "
                    '(예: --8<-- "snippets/attention.py:causal-mask") — 그래야 테스트됩니다',
                )
            )
    return problems


WIDTH_HELP = (
    f"{CODE_WIDTH}칸(한글 한 자는 두 칸)을 넘어 1280px 화면에서 코드 칸을 가로로 밀어야 보입니다: "
    "긴 설명은 주석·독스트링에서 글의 문장으로 옮기고, 긴 식과 서명은 나누세요 "
    "(.venv/bin/ruff format snippets notebook_outputs notebooks가 80칸으로 나눕니다; CONTRIBUTING.md의 '코드 줄의 너비')"
)


def wide_section_lines(post: Path, root: Path) -> list[tuple[Path, int, int, str]]:
    """글이 싣는 구간의 줄 중 CODE_WIDTH칸을 넘는 것: (코드 파일, 줄 번호, 칸, 줄).

    클래스 안에 들여쓴 구간은 글에 들여쓰기 없이 실리므로(dedent_subsections) 그만큼 빼고 잽니다.
    없는 파일·구간은 check_post가 짚으므로 여기서는 건너뜁니다.
    """
    found: list[tuple[Path, int, int, str]] = []
    seen: set[str] = set()
    for _, target in references(post.read_text(encoding="utf-8")):
        file_part, _, section = target.partition(":")
        path = root / file_part
        if target in seen or not section or file_part.startswith(GENERATED_PREFIX):
            continue
        seen.add(target)
        if containment.relative_path_problem(file_part) or not path.is_file():
            continue
        if not containment.is_inside(path, root):
            continue
        sections, _ = sections_of(path, root)
        if section not in sections:
            continue
        first, last = sections[section]
        lines = path.read_text(encoding="utf-8").splitlines()
        indent = len(lines[first - 1]) - len(lines[first - 1].lstrip())
        for number in range(first + 1, last):
            line = lines[number - 1]
            if MARKER.search(line):
                continue
            width = code_width(line[indent:] if line[:indent].isspace() else line)
            if width > CODE_WIDTH:
                found.append((path.relative_to(root), number, width, line.strip()))
    return found


def wide_notebook_lines(notebook: Path, root: Path) -> list[tuple[Path, int, int, str]]:
    """노트북(jupytext percent)의 코드 셀 줄 중 CODE_WIDTH칸을 넘는 것: 노트북 쪽이 그 셀을 그대로 싣습니다."""
    found: list[tuple[Path, int, int, str]] = []
    in_code = False
    for number, line in enumerate(notebook.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# %%"):
            in_code = "[markdown]" not in line
            continue
        width = code_width(line)
        if in_code and width > CODE_WIDTH:
            found.append((notebook.relative_to(root), number, width, line.strip()))
    return found


def width_problems(root: Path, posts: list[Path]) -> list[Problem]:
    """글이 싣는 코드 줄과 노트북 코드 셀의 줄 중 CODE_WIDTH칸을 넘는 것. 여러 글이 싣는 줄은 한 번만."""
    found = [line for post in posts for line in wide_section_lines(post, root)]
    for notebook in sorted((root / "notebooks").glob("*.py")):
        found += wide_notebook_lines(notebook, root)
    problems, seen = [], set()
    for path, number, width, _ in found:
        if (path, number) not in seen:
            seen.add((path, number))
            problems.append(Problem(path, number, f"{width}칸: {WIDTH_HELP}"))
    return problems


def section_files(root: Path) -> list[Path]:
    """글이 구간을 끌어올 수 있는 코드 파일들: containment.CODE_PACKAGES의 모듈."""
    return sorted(p for package in containment.CODE_PACKAGES for p in (root / package).glob("*.py"))


def check_all(root: Path, posts: list[Path]) -> list[Problem]:
    """코드(snippets/, notebook_outputs/)의 모든 구간 표시와 글들의 모든 참조를 확인합니다."""
    problems: list[Problem] = []
    for path in section_files(root):
        problems += sections_of(path, root)[1]
    for post in posts:
        problems += check_post(post, root)
    return problems
