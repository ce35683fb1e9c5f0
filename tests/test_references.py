"""글의 인용과 참고 문헌: 인용한 1차 자료가 먼저, 원래 글의 출처는 제 절에, 번호는 1부터 빈틈없이."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from blogbuild.references import SEED, check_all, check_text, parse
from tests.conftest import POSTS_DIR, ROOT, copy_site, mkdocs_build

# 줄 번호: 1 제목, 3 본문(인용 1, 2, 4), 5 참고 문헌, 7 항목 1, 8 항목 2, 10 원래 글의 출처, 12 문장,
# 14 항목 3, 15 value, 16 항목 4
GOOD = """\
# 글

문장입니다[[1]](#ref-1). 논문[[2]](#ref-2)이 이렇게 말합니다. 원래 글[[4]](#ref-4)도 그렇게 씁니다.

## 참고 문헌

1. [가](https://a.example){ #ref-1 }
2. [나](https://b.example/wiki/A_(b)){ #ref-2 }

### 원래 글의 출처

원래 글이 출처로 든 링크입니다.

3. [다](https://c.example){ #ref-3 }
    { value="3" }
4. [라](https://d.example){ #ref-4 }
"""


def test_every_post_cites_its_references_and_lists_the_original_sources() -> None:
    problems = check_all(ROOT, sorted(POSTS_DIR.glob("*.md")))
    assert not problems, "\n".join(map(str, problems))


def test_every_post_keeps_a_reference_section() -> None:
    # 원래 글의 링크는 인용하지 않아도 지우지 않고 원래 글의 출처로 남깁니다.
    for post in sorted(POSTS_DIR.glob("*.md")):
        found = parse(post.read_text(encoding="utf-8"))
        assert found.cited or found.seed, post.name


def test_good_example_passes() -> None:
    assert check_text(GOOD, "post.md") == []


def test_numbers_the_checker_expects_are_the_numbers_markdown_shows() -> None:
    # 검사가 따라 센 번호가 실제로 Python-Markdown(attr_list)이 그리는 번호인지: <li value>와 자리 번호.
    html = markdown.markdown(GOOD, extensions=["attr_list"])
    shown = []
    for ol in re.findall(r"<ol>(.*?)</ol>", html, re.S):
        number = 0
        for value, anchor in re.findall(r'<li(?: value="(\d+)")?><a [^>]*id="ref-(\d+)"', ol):
            number = int(value) if value else number + 1
            shown.append((number, int(anchor)))
    assert shown == [(1, 1), (2, 2), (3, 3), (4, 4)]


def test_the_link_target_keeps_parentheses_inside_the_address() -> None:
    found = parse(GOOD)
    assert [item.url for items in found.cited for item in items][
        1
    ] == "https://b.example/wiki/A_(b)"


BROKEN = {
    "uncited-reference": (
        GOOD.replace("논문[[2]](#ref-2)", "논문"),
        "post.md:8: 참고 문헌 2번을 본문이 인용하지 않습니다",
    ),
    "citation-to-a-missing-anchor": (
        GOOD.replace("이렇게 말합니다.", "이렇게 말합니다[[9]](#ref-9)."),
        "post.md:3: 인용 [[9]](#ref-9): 가리키는 참고 문헌(ref-9)이 없습니다",
    ),
    "shown-number-differs": (
        GOOD.replace('    { value="3" }\n', ""),
        "post.md:14: 참고 문헌 3번이 목록에서 1번으로 보입니다",
    ),
    "anchor-differs-from-number": (
        GOOD.replace("{ #ref-2 }", "{ #ref-5 }").replace("(#ref-2)", "(#ref-5)"),
        "post.md:8: 항목 번호(2)와 앵커(ref-5)가 다릅니다",
    ),
    "citation-shows-another-number": (
        GOOD.replace("[[2]](#ref-2)", "[[3]](#ref-2)"),
        "post.md:3: 인용의 번호([3])와 가리키는 앵커(ref-2)가 다릅니다",
    ),
    "item-without-anchor": (
        GOOD.replace("(https://d.example){ #ref-4 }", "(https://d.example)"),
        "post.md:16: 참고 문헌 4번에 앵커가 없습니다",
    ),
    "anchor-twice": (
        GOOD.replace("{ #ref-4 }", "{ #ref-3 }").replace("4. [라]", "3. [라]"),
        "post.md:16: 앵커(ref-3)가 14번 줄에 이미 있습니다",
    ),
    # 번호가 건너뛰면(1, 2, 4) 보이는 번호를 value로 맞춰도 걸립니다: 독자에게 3번이 없습니다.
    "gap-in-the-numbers": (
        GOOD.replace("3. [다](https://c.example){ #ref-3 }", "5. [다](https://c.example){ #ref-5 }")
        .replace('{ value="3" }', '{ value="5" }')
        .replace("4. [라]", "6. [라]")
        .replace("ref-4", "ref-6"),
        "post.md:14: 참고 문헌 번호가 2번 다음에 5번으로 건너뜁니다",
    ),
    "numbers-do-not-start-at-one": (
        GOOD.replace(
            "1. [가](https://a.example){ #ref-1 }",
            '0. [가](https://a.example){ #ref-0 }\n    { value="0" }',
        ).replace("[[1]](#ref-1)", "[[0]](#ref-0)"),
        "post.md:7: 참고 문헌이 0번부터 시작합니다",
    ),
    "numbers-go-backwards": (
        GOOD.replace(
            '3. [다](https://c.example){ #ref-3 }\n    { value="3" }\n4. [라](https://d.example){ #ref-4 }',
            '4. [라](https://d.example){ #ref-4 }\n    { value="4" }\n3. [다](https://c.example){ #ref-3 }\n    { value="3" }',
        ),
        "post.md:16: 참고 문헌 번호가 4번 다음에 3번으로 거꾸로 갑니다",
    ),
    "same-address-twice": (
        GOOD.replace("https://d.example", "https://a.example"),
        "post.md:16: 참고 문헌 4번의 주소 'https://a.example'가 7번 줄의 1번과 같습니다",
    ),
    "empty-reference-heading": (
        GOOD.replace(
            "1. [가](https://a.example){ #ref-1 }\n2. [나](https://b.example/wiki/A_(b)){ #ref-2 }\n",
            "",
        ).replace("문장입니다[[1]](#ref-1). 논문[[2]](#ref-2)", "문장입니다. 논문"),
        "post.md:5: '## 참고 문헌' 바로 아래에 아무것도 없습니다",
    ),
    "empty-original-sources-heading": (
        GOOD.split("원래 글이 출처로 든")[0]
        .replace(" 원래 글[[4]](#ref-4)도 그렇게 씁니다.", "")
        .rstrip()
        + "\n",
        f"post.md:10: '{SEED}' 아래에 문헌이 없습니다",
    ),
    # 예전의 '### 더 읽을거리'처럼 검사가 모르는 제목 아래의 문헌은 어느 쪽인지 알 수 없습니다.
    "unknown-heading-in-the-references": (
        GOOD.replace(SEED, "### 더 읽을거리"),
        "post.md:10: 참고 문헌 안에 검사가 모르는 제목이 있습니다('### 더 읽을거리')",
    ),
}


@pytest.mark.parametrize(("text", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_references_name_the_post_and_line(text: str, expected: str) -> None:
    problems = [str(problem) for problem in check_text(text, "post.md")]
    assert any(problem.startswith(expected) for problem in problems), problems


def test_citations_inside_code_blocks_do_not_count() -> None:
    text = GOOD.replace("그렇게 씁니다.", "그렇게 씁니다.\n\n```text\n[[9]](#ref-9)\n```")
    assert check_text(text, "post.md") == []


def test_original_sources_may_be_cited_or_not() -> None:
    # GOOD의 원래 글의 출처: 4번은 본문이 인용하고 3번은 인용하지 않습니다. 둘 다 제자리입니다.
    found = parse(GOOD)
    assert [item.typed for items in found.seed for item in items] == [3, 4]
    assert {number for _, number, _ in found.citations} == {1, 2, 4}


def test_post_that_cites_no_primary_source_says_so() -> None:
    text = (
        "# 글\n\n문장입니다.\n\n## 참고 문헌\n\n이 글이 따로 인용한 1차 자료는 없습니다.\n\n"
        f"{SEED}\n\n1. [가](https://a.example){{ #ref-1 }}\n"
    )
    assert check_text(text, "post.md") == []


def _post_with_a_cited_primary_source(posts: Path) -> tuple[Path, int]:
    """인용한 1차 자료('## 참고 문헌' 바로 아래의 항목)가 있는 첫 글과 그 번호: 오늘의 글에 기대지 않게."""
    for post in sorted(posts.glob("*.md")):
        found = parse(post.read_text(encoding="utf-8"))
        for items in found.cited:
            for item in items:
                return post, item.typed
    raise AssertionError("인용한 1차 자료가 있는 글이 없습니다")


def test_build_stops_on_an_uncited_reference(tmp_path: Path) -> None:
    project = copy_site(tmp_path / "project")
    post, number = _post_with_a_cited_primary_source(project / "docs" / "blog" / "posts")
    text = post.read_text(encoding="utf-8")
    citation = re.compile(rf"\[(?:\[\d+\]|[^\[\]]*)\]\(#ref-{number}\)")
    assert citation.search(text)
    post.write_text(citation.sub("", text), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"docs/blog/posts/{post.name}:" in output
    assert f"참고 문헌 {number}번을 본문이 인용하지 않습니다" in output


def test_a_repeated_address_is_quoted_with_its_control_characters_escaped() -> None:
    # 주소는 기여자가 쓴 글자입니다: 터미널 제어 문자는 그대로 찍지 않고 \x1b처럼 보입니다.
    text = GOOD.replace("https://a.example", "https://a.example/\x1b[2J").replace(
        "https://d.example", "https://a.example/\x1b[2J"
    )
    expected = (
        "post.md:16: 참고 문헌 4번의 주소 'https://a.example/\\x1b[2J'가 7번 줄의 1번과 같습니다"
    )
    problems = [str(problem) for problem in check_text(text, "post.md")]
    assert any(problem.startswith(expected) for problem in problems), problems
