"""글의 인용과 참고 문헌: 인용한 문헌이 먼저, 인용하지 않은 문헌은 더 읽을거리로, 모든 인용은 제자리로."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from blogbuild.references import check_all, check_text, parse
from tests.conftest import POSTS_DIR, ROOT, copy_site, mkdocs_build

# 줄 번호: 1 제목, 3 본문(인용 1, 4), 5 참고 문헌, 7 항목 1, 8 항목 4, 9 value, 11 더 읽을거리, 13 항목 2, ...
GOOD = """\
# 글

문장입니다[[1]](#ref-1). 논문[[4]](#ref-4)이 이렇게 말합니다.

## 참고 문헌

1. [가](https://a.example){ #ref-1 }
4. [라](https://d.example){ #ref-4 }
    { value="4" }

### 더 읽을거리

2. [나](https://b.example){ #ref-2 }
    { value="2" }
3. [다](https://c.example){ #ref-3 }
"""


def test_every_post_cites_its_references_and_lists_its_further_reading() -> None:
    problems = check_all(ROOT, sorted(POSTS_DIR.glob("*.md")))
    assert not problems, "\n".join(map(str, problems))


def test_every_post_keeps_a_reference_section() -> None:
    # 글쓴이의 문헌은 인용하지 않아도 지우지 않고 더 읽을거리로 남깁니다.
    for post in sorted(POSTS_DIR.glob("*.md")):
        found = parse(post.read_text(encoding="utf-8"))
        assert found.cited or found.further, post.name


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
    assert shown == [(1, 1), (4, 4), (2, 2), (3, 3)]


BROKEN = {
    "uncited-reference": (
        GOOD.replace("논문[[4]](#ref-4)", "논문"),
        "post.md:8: 참고 문헌 4번을 본문이 인용하지 않습니다",
    ),
    "citation-to-a-missing-anchor": (
        GOOD.replace("이렇게 말합니다.", "이렇게 말합니다[[9]](#ref-9)."),
        "post.md:3: 인용 [[9]](#ref-9): 가리키는 참고 문헌(ref-9)이 없습니다",
    ),
    "further-reading-is-cited": (
        GOOD.replace("이렇게 말합니다.", "이렇게 말합니다[[3]](#ref-3)."),
        "post.md:15: 더 읽을거리의 3번을 본문이 인용합니다(3번 줄)",
    ),
    "shown-number-differs": (
        GOOD.replace('    { value="4" }\n', ""),
        "post.md:8: 참고 문헌 4번이 목록에서 2번으로 보입니다",
    ),
    "anchor-differs-from-number": (
        GOOD.replace("{ #ref-4 }", "{ #ref-5 }").replace("(#ref-4)", "(#ref-5)"),
        "post.md:8: 항목 번호(4)와 앵커(ref-5)가 다릅니다",
    ),
    "citation-shows-another-number": (
        GOOD.replace("[[4]](#ref-4)", "[[3]](#ref-4)"),
        "post.md:3: 인용의 번호([3])와 가리키는 앵커(ref-4)가 다릅니다",
    ),
    "item-without-anchor": (
        GOOD.replace("(https://d.example){ #ref-4 }", "(https://d.example)"),
        "post.md:8: 참고 문헌 4번에 앵커가 없습니다",
    ),
    "anchor-twice": (
        GOOD.replace("{ #ref-3 }", "{ #ref-2 }").replace("3. [다]", "2. [다]"),
        "post.md:15: 앵커(ref-2)가 13번 줄에 이미 있습니다",
    ),
}


@pytest.mark.parametrize(("text", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_references_name_the_post_and_line(text: str, expected: str) -> None:
    problems = [str(problem) for problem in check_text(text, "post.md")]
    assert any(problem.startswith(expected) for problem in problems), problems


def test_citations_inside_code_blocks_do_not_count() -> None:
    text = GOOD.replace("이렇게 말합니다.", "이렇게 말합니다.\n\n```text\n[[9]](#ref-9)\n```")
    assert check_text(text, "post.md") == []


def test_post_without_citations_keeps_everything_as_further_reading() -> None:
    text = "# 글\n\n문장입니다.\n\n## 참고 문헌\n\n### 더 읽을거리\n\n1. [가](https://a.example){ #ref-1 }\n"
    assert check_text(text, "post.md") == []


def test_build_stops_on_an_uncited_reference(tmp_path: Path) -> None:
    project = copy_site(tmp_path / "project")
    post = project / "docs" / "blog" / "posts" / "residual-connection.md"
    text = post.read_text(encoding="utf-8")
    citation = "[[15]](#ref-15)"
    assert text.count(citation) >= 1
    post.write_text(text.replace(citation, ""), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/blog/posts/residual-connection.md:" in output
    assert "참고 문헌 15번을 본문이 인용하지 않습니다" in output
