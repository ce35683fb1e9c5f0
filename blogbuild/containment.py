"""저장소 밖의 것은 사이트에 닿지 않습니다: 경로와 심볼릭 링크, 그리고 읽을 수 있는 글자(UTF-8)인지.

기여자는 글·코드 조각·노트북과 함께 심볼릭 링크도 보낼 수 있습니다. `snippets/passwd -> /etc/passwd`
같은 링크를 글이 끌어오면 빌드하는 기계의 파일이 페이지와 검색 색인에 실립니다. 그래서 빌드 전에

- 사이트의 재료가 있는 디렉터리(SOURCE_DIRS)의 모든 링크가 링크를 따라간 뒤에도 저장소 안인지,
- 글이 적은 경로(코드 조각 참조, read_output, BUILD_INPUTS)가 절대 경로나 '..' 없이 저장소 안을 가리키는지,
- 글과 코드가 UTF-8인지(아니면 파일과 바이트 위치를 짚어)

를 확인합니다.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from blogbuild.frontmatter import SLUG
from blogbuild.problems import Problem, shown
from blogbuild.yaml_input import quoted

# 노트북이 불러오는 저장소의 파이썬 패키지: 글이 가르치는 코드(snippets)와, 노트북의 결과를 사이트에 싣는
# 약속과 도구(notebook_outputs: 결과 목록, 그림의 벌, 구조 그림). 실행 캐시는 둘의 import를 따라가고, 글은
# 둘의 구간을 싣습니다.
CODE_PACKAGES = ("snippets", "notebook_outputs")
# 빌드가 읽어 사이트로 내보내는 것들이 있는 곳.
SOURCE_DIRS = ("docs", *CODE_PACKAGES, "notebooks", "data", "overrides", "blogbuild")
BOM = b"\xef\xbb\xbf"
TEXT_SUFFIXES = {".md", ".py", ".txt", ".yml", ".yaml", ".json", ".css", ".js", ".html", ".csv"}


def is_inside(path: Path, root: Path) -> bool:
    """링크를 모두 따라간 path가 root 안에 있는지."""
    return path.resolve().is_relative_to(root.resolve())


def relative_path_problem(written: str) -> str | None:
    """글이나 코드에 적힌 저장소 상대 경로가 받아들일 만한지: 아니면 그 까닭."""
    if (
        written.startswith(("/", "\\"))
        or PurePosixPath(written).is_absolute()
        or ":" in written[:3]
    ):
        return f"'{written}'은 절대 경로입니다: 저장소 뿌리에서 본 상대 경로로 쓰세요"
    if ".." in PurePosixPath(written.replace("\\", "/")).parts:
        return f"'{written}'에 '..'이 있습니다: 저장소 뿌리에서 본 상대 경로로 쓰세요"
    return None


def check_links(root: Path, dirs: tuple[str, ...] = SOURCE_DIRS) -> list[Problem]:
    """dirs 아래의 심볼릭 링크 가운데 저장소 밖(또는 없는 곳)을 가리키는 것들."""
    problems = []
    for name in dirs:
        top = root / name
        if top.is_symlink() or top.exists():
            for path in [top, *_walk(top)]:
                if path.is_symlink() and not (path.exists() and _in_sources(path, root)):
                    target = os.readlink(path)
                    problems.append(
                        Problem(
                            path.relative_to(root),
                            None,
                            f"저장소 밖이나 없는 곳, 또는 사이트의 재료가 아닌 곳({shown(target)})을 "
                            f"가리키는 심볼릭 링크입니다. 링크는 {', '.join(SOURCE_DIRS)} 안의 파일만 "
                            "가리킬 수 있습니다(.git/, .venv/, build/ 같은 곳은 빌드하는 기계의 것입니다): "
                            "파일을 저장소에 넣으세요",
                        )
                    )
    return problems


def _in_sources(path: Path, root: Path) -> bool:
    """링크를 모두 따라간 path가 사이트의 재료가 있는 디렉터리(SOURCE_DIRS) 가운데 하나 안에 있는지."""
    return any(is_inside(path, root / name) for name in SOURCE_DIRS)


def _walk(top: Path) -> list[Path]:
    """top 아래의 모든 경로. 디렉터리 링크는 따라 들어가지 않습니다(링크 자체는 목록에 있음)."""
    found = []
    for directory, dirnames, filenames in os.walk(top, followlinks=False):
        found += [Path(directory) / n for n in (*dirnames, *filenames)]
    return found


def check_names(root: Path) -> list[Problem]:
    """노트북(notebooks/*.py)과 코드(CODE_PACKAGES의 **/*.py)의 파일 이름이 글의 slug 규칙(frontmatter.SLUG)을
    따르는지. 노트북 이름은 사이트 주소(notebooks/<이름>/)가 되고, 코드 조각은 하이픈 대신 밑줄을 씁니다(모듈
    이름). 오른쪽에서 왼쪽 쓰기 문자(U+202E)나 빈칸이 든 이름은 리뷰에서 다른 파일로 보입니다."""
    problems = []
    found = [(p, p.stem) for p in (root / "notebooks").glob("*.py")]
    code = [root / package for package in CODE_PACKAGES]
    found += [(p, p.stem.replace("_", "-")) for d in code for p in d.rglob("*.py")]
    for path, name in sorted(found):
        if path.name != "__init__.py" and not SLUG.match(name):
            rule = (
                "밑줄(_)로 이은 ASCII 소문자·숫자"
                if any(path.is_relative_to(d) for d in code)
                else ("하이픈(-)으로 이은 ASCII 소문자·숫자")
            )
            problems.append(
                Problem(
                    path.relative_to(root),
                    None,
                    f"파일 이름 {quoted(path.name)}은 글의 slug와 같은 규칙({rule})을 따라야 합니다. "
                    "노트북 이름은 사이트 주소가 되고, 빈칸이나 보이지 않는 문자는 리뷰에서 다른 이름으로 "
                    "보입니다",
                )
            )
    return problems


def decode_problem(path: Path, root: Path) -> Problem | None:
    """path가 UTF-8로 읽히지 않으면, 파일·줄·바이트 위치를 짚은 문제."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Problem(
            path.relative_to(root),
            line,
            f"UTF-8이 아닌 바이트 {data[error.start : error.start + 4]!r}가 {error.start}번째 "
            "바이트(0부터)에 있습니다. 파일을 UTF-8로 저장하세요",
        )
    if data.startswith(BOM):
        # 우리 검사는 앞머리의 '---'를, 파이썬은 첫 줄을 읽지 못합니다(U+FEFF는 보이지 않는 문자).
        return Problem(
            path.relative_to(root),
            1,
            "파일 맨 앞에 UTF-8 BOM(EF BB BF, 보이지 않는 문자)이 있습니다. 편집기에서 'BOM 없는 "
            "UTF-8'로 다시 저장하세요",
        )
    if b"\0" in data:
        start = data.index(b"\0")
        return Problem(
            path.relative_to(root),
            data.count(b"\n", 0, start) + 1,
            f"NUL 바이트(\\x00)가 {start}번째 바이트(0부터)에 있습니다: 글자 파일에는 쓸 수 없는 "
            "문자입니다(페이지에 그대로 실리고, 파이썬은 읽지 못합니다). 그 문자를 지우세요",
        )
    return None


def check_encodings(root: Path, dirs: tuple[str, ...] = SOURCE_DIRS) -> list[Problem]:
    """dirs 아래 글자 파일(.md, .py, ...)마다 UTF-8로 읽히는지."""
    problems = []
    for name in dirs:
        for path in sorted(_walk(root / name)) if (root / name).is_dir() else []:
            if path.suffix in TEXT_SUFFIXES and path.is_file() and is_inside(path, root):
                problem = decode_problem(path, root)
                if problem:
                    problems.append(problem)
    return problems
