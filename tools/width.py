"""글이 싣는 코드 줄 중 80칸을 넘는 것을 짚습니다: `make width POST=<slug>` (POST 없이는 모든 글과 노트북).

1280px 화면의 코드 칸은 고정폭 80칸이고, 한글처럼 넓은 글자는 두 칸으로 셉니다(/work/shared/STYLE.md의
"Code width", blogbuild/snippet_refs.py의 code_width: 연습 문제의 검사와 같은 셈). 넘는 줄은 가로로 밀어야 보이므로, 긴 설명은
독스트링 대신 글의 문장으로 옮기거나 줄을 나누세요. 클래스 안에 들여쓴 구간은 글에 들여쓰기 없이 실리므로
(dedent_subsections) 그만큼 빼고 잽니다. 빌드의 check 단계도 같은 셈으로 멈춥니다. 넘는 줄이 있으면 코드 파일과 줄, 칸 수를 적고 1로 끝납니다.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from blogbuild.snippet_refs import (
    CODE_WIDTH,
    wide_notebook_lines,
    wide_section_lines,
)

POSTS = Path("docs") / "blog" / "posts"


def wide_lines(post: Path, root: Path) -> list[str]:
    """post가 싣는 구간의 줄 중 CODE_WIDTH칸을 넘는 것: '파일:줄: N칸: 줄' 목록."""
    return [
        f"{path}:{number}: {width}칸: {line}"
        for path, number, width, line in wide_section_lines(post, root)
    ]


def notebook_lines(root: Path) -> list[str]:
    """노트북 코드 셀의 줄 중 CODE_WIDTH칸을 넘는 것(노트북 쪽에 그대로 실립니다)."""
    return [
        f"{path}:{number}: {width}칸: {line}"
        for notebook in sorted((root / "notebooks").glob("*.py"))
        for path, number, width, line in wide_notebook_lines(notebook, root)
    ]


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
    if not args.post:
        for line in notebook_lines(root):
            total += 1
            print(line)
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
