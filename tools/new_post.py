"""새 글의 뼈대(scaffold): 글, 코드 조각, 테스트, 동반 노트북을 한 번에 만듭니다.

    python -m tools.new_post --title "소프트맥스 다시 보기" --slug softmax-revisited
    make new-post TITLE="소프트맥스 다시 보기" SLUG=softmax-revisited

slug가 softmax-revisited이면 네 파일이 생깁니다. 틀은 tools/templates/의 같은 이름의 파일이고,
그 안의 $title, $slug, $module(slug의 '-'를 '_'로) 같은 자리를 string.Template이 채웁니다:

- docs/blog/posts/softmax-revisited.md   글 (앞머리, 요약 구분선, 코드로 보기, 직접 실행하기)  <- post.md
- snippets/softmax_revisited.py         글이 구간 이름으로 끌어오는 코드                      <- snippet.py
- tests/test_softmax_revisited.py       그 코드의 테스트                                      <- test.py
- notebooks/softmax-revisited.py        글의 숫자를 만드는 동반 노트북 (jupytext percent 형식) <- notebook.py

글은 초안(앞머리 `draft: true`)으로 만들어집니다: make serve에는 보이고, make build와 CI(배포)에는
실리지 않습니다. 그래서 만들어진 그대로 저장소의 검사(ruff, 앞머리·코드 조각 검사, 엄격 빌드, make test)를
통과하고, 코드 조각·테스트·동반 노트북은 초안인 동안에도 실행되고 검사됩니다. 글이 준비되면 '(바꾸세요)'
자리 글(description과 문장들)을 바꾸고 `draft: true` 줄을 지웁니다. 자리 글이 남은 채 지우면 엄격 빌드가
그 줄을 짚어 멈춥니다(blogbuild/frontmatter.py의 scaffold_leftovers).
다른 글이 같은 slug를 쓰거나 글이나 노트북이 이미 있으면, 아무것도 쓰지 않고 멈춥니다.
코드를 먼저 쓴 경우(snippets/<모듈>.py와 tests/test_<모듈>.py가 있고 글과 노트북은 없음)에는 그 둘을
그대로 두고 글과 노트북만 만듭니다: 글은 그 코드의 첫 구간을 싣고, 노트북은 그 구간의 함수를 불러옵니다
(tools/templates/post-code-first.md, notebook-code-first.py). 코드 파일만 있고 테스트가 없으면, 또는 구간이
없으면 무엇을 더할지 말하고 멈춥니다.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import keyword
import re
import string
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from blogbuild import frontmatter, yaml_input
from blogbuild.snippet_refs import sections_of

DEFAULT_CATEGORY = "트랜스포머"
SLUG_EXAMPLE = "softmax-revisited"
TEMPLATES = Path(__file__).resolve().parent / "templates"


class ScaffoldError(ValueError):
    """뼈대를 만들 수 없을 때: 무엇이 왜 안 되는지와 어떻게 고치는지를 담은 메시지."""


@dataclass(frozen=True)
class NewPost:
    """만들 글 하나의 정보. slug에서 모듈 이름과 파일 경로가 정해집니다."""

    title: str
    slug: str  # 주소와 파일 이름에 쓰는 ASCII 케밥 표기 (예: softmax-revisited)
    date: dt.date
    categories: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def module(self) -> str:
        """snippets/ 아래 모듈 이름: slug의 '-'를 '_'로."""
        return self.slug.replace("-", "_")

    def paths(self, root: Path) -> dict[str, Path]:
        """종류 -> 만들 파일의 경로."""
        return {
            "post": root / "docs" / "blog" / "posts" / f"{self.slug}.md",
            "snippet": root / "snippets" / f"{self.module}.py",
            "test": root / "tests" / f"test_{self.module}.py",
            "notebook": root / "notebooks" / f"{self.slug}.py",
        }


def slug_from_title(title: str) -> str:
    """ASCII 제목에서 slug를 만듭니다: 'Attention Is All You Need!' -> 'attention-is-all-you-need'."""
    if not title.isascii():
        raise ScaffoldError(
            f"제목 {title!r}에 ASCII가 아닌 글자가 있어 slug(글 주소에 쓰는 영문 이름)를 만들 수 "
            "없습니다. slug를 직접 주세요.\n"
            f'    예: python -m tools.new_post --title "{title}" --slug {SLUG_EXAMPLE}\n'
            f'        make new-post TITLE="{title}" SLUG={SLUG_EXAMPLE}'
        )
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def check_slug(slug: str) -> None:
    """slug가 앞머리 검사를 통과하고 파이썬 모듈 이름이 될 수 있는지 확인합니다."""
    hint = f"    예: --slug {SLUG_EXAMPLE} (make new-post ... SLUG={SLUG_EXAMPLE})"
    if not frontmatter.SLUG.match(slug):
        raise ScaffoldError(
            f"slug {slug!r}는 ASCII 소문자·숫자를 하이픈(-)으로 이은 이름이어야 합니다.\n{hint}"
        )
    module = slug.replace("-", "_")
    if not slug[0].isalpha() or keyword.iskeyword(module):
        raise ScaffoldError(
            f"slug {slug!r}로는 파이썬 모듈 snippets/{module}.py를 만들 수 없습니다: "
            f"영문자로 시작하고 파이썬 예약어가 아니어야 합니다.\n{hint}"
        )


def _yaml_scalar(value: str) -> str:
    """앞머리에 그대로 써도 같은 문자열로 읽히면 그대로, 아니면 따옴표로 감싼 값."""
    try:
        plain = yaml_input.load(f"key: {value}") == {"key": value}
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def _py_text(text: str) -> str:
    """독스트링 안에 넣어도 문법이 깨지지 않도록 역슬래시와 따옴표 셋을 이스케이프합니다."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _fill(template: str, **values: str) -> str:
    """tools/templates/의 틀 하나를 읽어 $이름 자리를 values로 채웁니다 (빠진 자리가 있으면 KeyError)."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return string.Template(text).substitute(values)


def render_post(post: NewPost) -> str:
    return _fill(
        "post.md",
        date=post.date.isoformat(),
        slug=post.slug,
        module=post.module,
        title=post.title,
        categories="\n".join(f"  - {_yaml_scalar(c)}" for c in post.categories),
        tags="\n".join(f"  - {_yaml_scalar(t)}" for t in post.tags),
    )


def render_snippet(post: NewPost) -> str:
    return _fill("snippet.py", title=_py_text(post.title), slug=post.slug, module=post.module)


def render_code_first_post(post: NewPost, section: str) -> str:
    return _fill(
        "post-code-first.md",
        date=post.date.isoformat(),
        slug=post.slug,
        module=post.module,
        title=post.title,
        section=section,
        categories="\n".join(f"  - {_yaml_scalar(c)}" for c in post.categories),
        tags="\n".join(f"  - {_yaml_scalar(t)}" for t in post.tags),
    )


def render_code_first_notebook(post: NewPost, function: str) -> str:
    return _fill(
        "notebook-code-first.py",
        title=post.title,
        module=post.module,
        function=function,
        imports=f"from snippets.{post.module} import {function}",
    )


DEFINED = re.compile(r"^(?:def|class)\s+(?P<name>\w+)", re.MULTILINE)


def first_section(post: NewPost, root: Path) -> tuple[str, str]:
    """코드를 먼저 쓴 글: snippets/<모듈>.py의 첫 구간 이름과 그 구간이 정의하는 함수(클래스) 이름."""
    snippet = post.paths(root)["snippet"]
    sections, problems = sections_of(snippet, root)
    where = snippet.relative_to(root)
    if problems:
        raise ScaffoldError(
            f"{where}의 구간 표시를 먼저 고치세요:\n" + "\n".join(map(str, problems))
        )
    lines = snippet.read_text(encoding="utf-8").splitlines()
    for name, (first, last) in sorted(sections.items(), key=lambda item: item[1]):
        defined = DEFINED.search("\n".join(lines[first : last - 1]))
        if defined:
            return name, defined["name"]
    raise ScaffoldError(
        f"{where}에 글이 끌어올 구간이 없습니다: 최상위 함수나 클래스 하나를 "
        "'# --8<-- [start:이름]'과 '# --8<-- [end:이름]' 두 줄로 감싸고 다시 실행하세요 "
        "(CONTRIBUTING.md의 '구간')."
    )


def render_test(post: NewPost) -> str:
    return _fill("test.py", module=post.module)


def render_notebook(post: NewPost) -> str:
    # ruff의 import 정렬(isort)과 같은 순서: 같은 묶음 안에서는 모듈 이름순.
    imports = sorted(
        [
            (f"snippets.{post.module}", f"from snippets.{post.module} import softmax"),
            ("notebook_outputs", "from notebook_outputs import save_numbers"),
        ]
    )
    return _fill("notebook.py", title=post.title, imports="\n".join(line for _, line in imports))


def _check_front_matter(post: NewPost, text: str) -> None:
    """만든 글을 빌드와 같은 앞머리 검사에 미리 통과시켜 봅니다."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"{post.slug}.md"
        path.write_text(text, encoding="utf-8")
        problems = frontmatter.check_post(path, Path(scratch))
    if problems:
        raise ScaffoldError(
            "만든 글이 앞머리 검사를 통과하지 못합니다:\n" + "\n".join(map(str, problems))
        )


def _slug_in_use(slug: str, root: Path) -> Path | None:
    """다른 글이 앞머리에서 이미 이 slug를 쓰면 그 글의 경로."""
    for path in sorted((root / "docs" / "blog" / "posts").glob("*.md")):
        raw, _ = frontmatter.split_front_matter(path.read_text(encoding="utf-8"))
        try:
            meta = yaml_input.load(raw) if raw else None
        except yaml.YAMLError:
            continue
        if isinstance(meta, dict) and meta.get("slug") == slug:
            return path
    return None


def plan(
    title: str,
    slug: str | None = None,
    category: str = DEFAULT_CATEGORY,
    tags: Sequence[str] = (),
    date: str | None = None,
) -> NewPost:
    """명령줄 인자를 검사해 만들 글의 정보를 돌려줍니다. 틀린 인자는 ScaffoldError."""
    title = title.strip()
    if not title or "\n" in title:
        raise ScaffoldError(
            "제목이 비어 있거나 여러 줄입니다. 한 줄로 주세요.\n"
            f'    예: --title "소프트맥스 다시 보기" --slug {SLUG_EXAMPLE}\n'
            f'        make new-post TITLE="소프트맥스 다시 보기" SLUG={SLUG_EXAMPLE}'
        )
    slug = slug.strip() if slug and slug.strip() else slug_from_title(title)
    if not slug:
        raise ScaffoldError(
            f"제목 {title!r}에서 slug를 만들 수 없습니다.\n    예: --slug {SLUG_EXAMPLE}"
        )
    check_slug(slug)
    try:
        day = dt.date.today() if not date else dt.date.fromisoformat(date)
    except ValueError:
        raise ScaffoldError(
            f"날짜 {date!r}는 YYYY-MM-DD 형식이어야 합니다. 예: --date 2025-01-04"
        ) from None
    labels = {"카테고리(--category)": [category], "태그(--tag)": list(tags) or [category]}
    for what, values in labels.items():
        for value in values:
            if not value.strip() or "\n" in value:
                raise ScaffoldError(f"{what}는 비어 있지 않은 한 줄이어야 합니다 (지금: {value!r})")
    return NewPost(
        title=title,
        slug=slug,
        date=day,
        categories=(category.strip(),),
        tags=tuple(t.strip() for t in labels["태그(--tag)"]),
    )


def create(post: NewPost, root: Path) -> list[Path]:
    """네 파일(코드를 먼저 썼으면 글과 노트북)을 만들고 그 경로를 돌려줍니다.

    만들 파일이 하나라도 이미 있으면 아무것도 쓰지 않습니다.
    """
    if not (root / "mkdocs.yml").is_file() or not (root / "docs" / "blog" / "posts").is_dir():
        raise ScaffoldError(
            f"{root}는 블로그 저장소의 뿌리가 아닙니다(mkdocs.yml과 docs/blog/posts/가 없습니다). "
            "저장소 뿌리에서 실행하세요."
        )
    paths = post.paths(root)
    existing = {kind for kind, path in paths.items() if path.exists()}
    code_first = existing == {"snippet", "test"}  # 코드와 테스트를 먼저 쓴 글: 둘은 그대로 둡니다
    if existing == {"snippet"}:
        raise ScaffoldError(
            f"{paths['snippet'].relative_to(root)}가 이미 있습니다. 코드를 먼저 썼다면 그 테스트 "
            f"{paths['test'].relative_to(root)}도 쓴 뒤 다시 실행하세요: 뼈대가 둘을 그대로 두고 "
            "글과 노트북만 만듭니다."
        )
    if existing and not code_first:
        names = ", ".join(str(paths[kind].relative_to(root)) for kind in paths if kind in existing)
        raise ScaffoldError(
            f"이미 있는 파일을 덮어쓰지 않습니다: {names}. 다른 slug를 쓰거나(--slug), "
            "이어서 쓰려면 그 파일을 직접 고치세요."
        )
    other = _slug_in_use(post.slug, root)
    if other is not None:
        raise ScaffoldError(
            f"slug '{post.slug}'는 {other.relative_to(root)}에서 이미 씁니다. 다른 slug를 주세요."
        )
    if code_first:
        section, function = first_section(post, root)
        texts = {
            "post": render_code_first_post(post, section),
            "notebook": render_code_first_notebook(post, function),
        }
        paths = {kind: paths[kind] for kind in texts}
    else:
        texts = {
            "post": render_post(post),
            "snippet": render_snippet(post),
            "test": render_test(post),
            "notebook": render_notebook(post),
        }
    _check_front_matter(post, texts["post"])
    written: list[Path] = []
    try:
        for kind, path in paths.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as file:  # "x": 있으면 덮어쓰지 않고 실패
                written.append(path)
                file.write(texts[kind])
    except OSError as error:
        for done in written:  # 반쯤 만든 뼈대를 남기지 않습니다
            done.unlink(missing_ok=True)
        raise ScaffoldError(f"{path.relative_to(root)}를 쓸 수 없습니다: {error}") from error
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.new_post",
        description="새 글의 뼈대(글, 코드 조각, 테스트, 동반 노트북)를 만듭니다.",
    )
    parser.add_argument("--title", required=True, help="글 제목 (한국어 가능)")
    parser.add_argument(
        "--slug",
        help=f"글 주소와 파일 이름에 쓰는 ASCII 케밥 표기 (예: {SLUG_EXAMPLE}). "
        "제목이 ASCII면 제목에서 만들고, 아니면 꼭 주어야 합니다",
    )
    parser.add_argument(
        "--category", default=DEFAULT_CATEGORY, help=f"카테고리 (기본: {DEFAULT_CATEGORY})"
    )
    parser.add_argument(
        "--tag", action="append", default=[], help="태그 (여러 번 줄 수 있음, 기본: 카테고리)"
    )
    parser.add_argument("--date", help="YYYY-MM-DD (기본: 오늘)")
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="저장소 뿌리 (기본: 현재 디렉터리)"
    )
    args = parser.parse_args(argv)
    try:
        post = plan(args.title, args.slug, args.category, args.tag, args.date)
        created = create(post, args.root.resolve())
    except ScaffoldError as error:
        print(f"새 글을 만들 수 없습니다: {error}", file=sys.stderr)
        return 1
    root = args.root.resolve()
    print("새 글의 뼈대를 만들었습니다:")
    for path in created:
        print(f"  {path.relative_to(root)}")
    code = f"snippets/{post.module}.py"
    if len(created) == 2:  # 코드를 먼저 쓴 글
        print(
            f"\n{code}와 tests/test_{post.module}.py는 그대로 두었습니다: 글은 그 코드의 첫 구간을"
            " 싣고, 노트북은 그 함수를 불러옵니다."
        )
        step_two = (
            f"  2. 노트북 notebooks/{post.slug}.py에서 글에 실을 숫자·표·그림을 계산해 저장합니다"
        )
    else:
        step_two = f"  2. {code}의 예시 구간을 글에 맞는 코드로 바꾸고 테스트를 고칩니다"
    print(
        "\n글은 초안(앞머리 draft: true)입니다: make serve에는 '임시 저장' 표시와 함께 보이고,"
        " make build와 CI(배포)에는 실리지 않습니다. 이대로도 make test를 통과합니다.\n"
        "다음 순서로 채우세요 (CONTRIBUTING.md 참고):\n"
        "  1. 글의 '(바꾸세요)' 문장과 description을 바꾸고 본문을 씁니다.\n"
        f"{step_two} (초안인 동안에도 코드, 테스트, 동반 노트북은 실행되고 검사됩니다):\n"
        f"       .venv/bin/pytest -q tests/test_{post.module}.py\n"
        "  3. make serve 로 미리 봅니다.\n"
        "  4. 글이 준비되면 앞머리의 draft: true 줄(과 그 위의 설명 두 줄)을 지우고 make test 를 돌립니다."
        " '(바꾸세요)'가 남았으면 make build와 make test가 그 줄을 짚어 멈춥니다."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
