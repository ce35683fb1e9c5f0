"""글이 끌어오는 코드 조각(--8<--)의 검사."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogbuild.snippet_refs import (
    check_all,
    check_post,
    references,
    section_files,
    sections_of,
)
from tests.conftest import POSTS_DIR, ROOT, copy_site, mkdocs_build

MODULE = """\
# --8<-- [start:good]
def good() -> int:
    return 1
# --8<-- [end:good]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "demo.py").write_text(MODULE, encoding="utf-8")
    return tmp_path


def _post(project: Path, body: str) -> Path:
    post = project / "post.md"
    post.write_text(f"# 글\n\n{body}\n", encoding="utf-8")
    return post


def test_every_reference_in_the_blog_resolves() -> None:
    problems = check_all(ROOT, sorted(POSTS_DIR.glob("*.md")))
    assert not problems, "\n".join(map(str, problems))


def test_every_snippet_section_is_closed() -> None:
    # 글이 싣는 코드는 두 패키지에 있습니다: 가르치는 코드(snippets)와 그림을 그리는 도구(notebook_outputs)
    assert {path.parent.name for path in section_files(ROOT)} == {"snippets", "notebook_outputs"}
    for module in section_files(ROOT):
        assert sections_of(module, ROOT)[1] == []


def test_every_snippet_section_is_embedded_by_a_post() -> None:
    # 구간 표시는 글이 싣는 코드의 경계입니다. 어느 글도 싣지 않는 표시는 지우거나 글에 실으세요.
    embedded = {
        target
        for post in POSTS_DIR.glob("*.md")
        for _, target in references(post.read_text(encoding="utf-8"))
    }
    unused = [
        f"{path.relative_to(ROOT)}:{name}"
        for path in section_files(ROOT)
        for name in sections_of(path, ROOT)[0]
        if f"{path.relative_to(ROOT)}:{name}" not in embedded
    ]
    assert not unused, unused


def test_good_reference_passes(project: Path) -> None:
    post = _post(project, '```python\n--8<-- "snippets/demo.py:good"\n```')
    assert check_post(post, project) == []


CASES = {
    "missing-file": (
        '--8<-- "snippets/nothing.py:good"',
        "post.md:3:",
        "파일 snippets/nothing.py이 없습니다",
    ),
    "missing-section": (
        '--8<-- "snippets/demo.py:bad"',
        "post.md:3:",
        "구간 'bad'이 없습니다 (있는 구간: good)",
    ),
    "line-numbers": ('--8<-- "snippets/demo.py:1:3"', "post.md:3:", "줄 번호 대신 구간 이름"),
    "typed-python": (
        "```python\nprint('손으로 친 코드')\n```",
        "post.md:3:",
        "snippets/의 구간을 끌어오세요",
    ),
}


@pytest.mark.parametrize(("body", "where", "what"), CASES.values(), ids=CASES.keys())
def test_bad_reference_names_the_post_line_and_target(
    project: Path, body: str, where: str, what: str
) -> None:
    problems = check_post(_post(project, body), project)
    assert len(problems) == 1
    assert str(problems[0]).startswith(where)
    assert what in str(problems[0])


def test_section_without_end_marker_is_reported(project: Path) -> None:
    module = project / "snippets" / "demo.py"
    module.write_text(MODULE + "# --8<-- [start:open]\nx = 1\n", encoding="utf-8")
    problems = sections_of(module, project)[1]
    assert [str(p) for p in problems] == [
        "snippets/demo.py:5: 구간 'open'에 끝 표시가 없습니다: 구간 끝에 '# --8<-- [end:open]'를 넣으세요 "
        "(없으면 파일 끝까지 글에 실립니다)"
    ]


def test_end_marker_without_start_is_reported(project: Path) -> None:
    module = project / "snippets" / "demo.py"
    module.write_text(MODULE + "# --8<-- [end:stray]\n", encoding="utf-8")
    assert "[end:stray] 앞에 [start:stray]이 없습니다" in str(sections_of(module, project)[1][0])


BUILD_BREAKERS = {
    "missing-file": (
        '"snippets/attention.py:causal-mask"',
        '"snippets/attentoin.py:causal-mask"',
        "파일 snippets/attentoin.py이 없습니다",
    ),
    "missing-section": (
        '"snippets/attention.py:causal-mask"',
        '"snippets/attention.py:casual-mask"',
        "구간 'casual-mask'이 없습니다",
    ),
}


@pytest.mark.parametrize(("old", "new", "what"), BUILD_BREAKERS.values(), ids=BUILD_BREAKERS.keys())
def test_build_stops_on_a_broken_reference(tmp_path: Path, old: str, new: str, what: str) -> None:
    project = copy_site(tmp_path / "project")
    post = project / "docs" / "blog" / "posts" / "masked-multi-head-attention.md"
    text = post.read_text(encoding="utf-8")
    assert old in text
    post.write_text(text.replace(old, new), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/blog/posts/masked-multi-head-attention.md:" in result.stdout + result.stderr
    assert what in result.stdout + result.stderr


def test_build_stops_on_a_section_without_end_marker(tmp_path: Path) -> None:
    project = copy_site(tmp_path / "project")
    module = project / "snippets" / "attention.py"
    module.write_text(
        module.read_text(encoding="utf-8").replace("# --8<-- [end:causal-mask]\n", ""),
        encoding="utf-8",
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "snippets/attention.py:" in result.stdout + result.stderr
    assert "구간 'causal-mask'에 끝 표시가 없습니다" in result.stdout + result.stderr
