"""글이 싣는 코드 줄 중 80칸을 넘는 것을 짚습니다: `make width POST=<slug>` (POST 없이는 모든 글).

1280px 화면의 코드 칸은 고정폭 80칸이고, 한글처럼 넓은 글자는 두 칸으로 셉니다(/work/shared/STYLE.md의
"Code width", blogbuild/snippet_refs.py의 code_width: 연습 문제의 검사와 같은 셈). 넘는 줄은 가로로 밀어야 보이므로, 긴 설명은
독스트링 대신 글의 문장으로 옮기거나 줄을 나누세요. 클래스 안에 들여쓴 구간은 글에 들여쓰기 없이 실리므로
(dedent_subsections) 그만큼 빼고 잽니다. 넘는 줄이 있으면 코드 파일과 줄, 칸 수를 적고 1로 끝납니다.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from blogbuild.snippet_refs import CODE_WIDTH, MARKER, code_width, sections_of

POSTS = Path("docs") / "blog" / "posts"
REFERENCE = re.compile(r'--8<--\s+"(?P<file>snippets/[^":]+\.py):(?P<section>[a-z0-9-]+)"')


def wide_lines(post: Path, root: Path) -> list[str]:
    """post가 싣는 구간의 줄 중 CODE_WIDTH칸을 넘는 것: '파일:줄: N칸: 줄' 목록."""
    found: list[str] = []
    seen: set[tuple[str, str]] = set()
    for match in REFERENCE.finditer(post.read_text(encoding="utf-8")):
        file, section = match["file"], match["section"]
        path = root / file
        if (file, section) in seen or not path.is_file():
            continue  # 없는 파일·구간은 빌드가 짚습니다
        seen.add((file, section))
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
                found.append(f"{file}:{number}: {width}칸: {line.strip()}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.width", description=__doc__.splitlines()[0]
    )
    parser.add_argument("post", nargs="?", help="글의 slug나 파일 (없으면 모든 글)")
    parser.add_argument("--root", type=Path, default=Path("."), help="저장소 뿌리")
    args = parser.parse_args(argv)
    root = args.root
    if args.post:
        post = Path(args.post)
        if not post.is_file():
            post = root / POSTS / f"{args.post.removesuffix('.md')}.md"
        if not post.is_file():
            print(f"글이 없습니다: {args.post} ({POSTS}/<slug>.md를 찾았습니다)", file=sys.stderr)
            return 2
        posts = [post]
    else:
        posts = sorted((root / POSTS).glob("*.md"))
    total = 0
    for post in posts:
        lines = wide_lines(post, root)
        total += len(lines)
        for line in lines:
            print(f"{post.name}: {line}")
    if total:
        print(f"{CODE_WIDTH}칸을 넘는 줄 {total}개 (한글은 두 칸)", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
