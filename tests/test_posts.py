"""글의 앞머리(front matter) 검사: 모든 글이 통과하고, 망가진 글은 파일과 필드를 짚어 실패합니다."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from blogbuild import yaml_input
from blogbuild.frontmatter import (
    POST_MAX_KB,
    check_post,
    check_posts,
    is_draft,
    published,
    scaffold_leftovers,
    size_problems,
)
from tests.conftest import (
    POSTS_DIR,
    ROOT,
    alias_bomb,
    copy_site,
    in_a_build,
    mkdocs_build,
    remembered_between_builds,
)

VALID = """---
date: 2025-01-04
slug: a-valid-post
description: 앞머리 검사를 위한 올바른 예시 글입니다. 필드가 모두 있습니다.
categories:
  - 트랜스포머
tags:
  - 어텐션
---

# 제목

첫 문단.

<!-- more -->

본문.
"""


def test_blog_has_posts() -> None:
    """글마다 도는 검사들(여기와 tests/test_site.py)이 빈 검사가 되지 않도록. 글의 수는 정하지 않습니다."""
    assert list(POSTS_DIR.glob("*.md"))


def test_every_post_has_valid_front_matter() -> None:
    problems = check_posts(sorted(POSTS_DIR.glob("*.md")), ROOT)
    assert not problems, "\n".join(map(str, problems))


def test_valid_example_passes(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(VALID, encoding="utf-8")
    assert check_post(post, tmp_path) == []


@pytest.mark.parametrize("value", [True, False])
def test_draft_is_a_boolean_field_and_only_true_makes_a_draft(tmp_path: Path, value: bool) -> None:
    """초안(draft: true)은 make serve에만 실립니다: 출판되는 글은 frontmatter.published가 정합니다."""
    post = tmp_path / "post.md"
    post.write_text(VALID.replace("tags:", f"draft: {str(value).lower()}\ntags:"), "utf-8")
    other = tmp_path / "other.md"
    other.write_text(VALID, encoding="utf-8")
    assert check_post(post, tmp_path) == []
    assert is_draft(post) is value and not is_draft(other)
    assert published([other, post], drafts_shown=True) == [other, post]
    assert published([other, post], drafts_shown=False) == [other] + [post] * (not value)


# 경우 -> (망가뜨린 글, 문제의 필드, 파일의 줄 번호). VALID의 줄: 2 date, 3 slug, 4 description,
# 5 categories, 7 tags, 10 본문의 첫 줄. 빠진 필드는 앞머리가 시작하는 1번 줄을 짚습니다.
BROKEN = {
    "missing-slug": (VALID.replace("slug: a-valid-post\n", ""), "slug", 1),
    "korean-slug": (VALID.replace("a-valid-post", "어텐션-글"), "slug", 3),
    "bad-date": (VALID.replace("2025-01-04", "2025-13-45"), "date", 2),
    # Material이 거절하는 날짜: 숫자(YYYYMMDD)와 따옴표로 감싼 글자
    "date-as-number": (VALID.replace("2025-01-04", "20250104"), "date", 2),
    "date-in-quotes": (VALID.replace("2025-01-04", '"2025-01-04"'), "date", 2),
    "missing-description": (
        VALID.replace("description: 앞머리", "# description: 앞머리"),
        "description",
        1,
    ),
    # 테마가 HTML 그대로 싣는 필드(title, template, ...)는 받지 않습니다
    "unknown-field": (
        VALID.replace("description:", "title: '\"><script>alert(1)</script>'\ndescription:"),
        "title",
        4,
    ),
    "empty-tags": (VALID.replace("tags:\n  - 어텐션", "tags: []"), "tags", 7),
    "html-in-a-tag": (VALID.replace("  - 어텐션", "  - '<img src=x onerror=alert(1)>'"), "tags", 7),
    "no-excerpt-break": (VALID.replace("<!-- more -->\n", ""), "<!-- more -->", 10),
    # 첫 화면의 요약이 목록을 여는 문장으로 끝나면 목록 없이 그 문장만 남습니다
    "excerpt-ends-on-a-colon": (
        VALID.replace("첫 문단.", "주요 특징은 다음과 같습니다:"),
        "<!-- more -->",
        13,
    ),
    "excerpt-is-only-the-title": (VALID.replace("첫 문단.\n\n", ""), "<!-- more -->", 10),
    # 5번 줄에서 연 목록이 닫히지 않은 것을 6번 줄에서 알아챕니다
    "not-yaml": (VALID.replace("categories:\n  - 트랜스포머", "categories: [트랜스포머"), "---", 6),
    "no-front-matter": ("# 제목\n\n본문\n", "---", 1),
    # 초안 표시는 true/false만: Material은 글자 'yes'를 참으로 읽어 초안을 감추지 않습니다(Type(bool))
    "draft-as-text": (VALID.replace("tags:", "draft: 'yes'\ntags:"), "draft", 7),
    "draft-as-number": (VALID.replace("tags:", "draft: 1\ntags:"), "draft", 7),
}


@pytest.mark.parametrize(("text", "field", "line"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_front_matter_names_file_line_and_field(
    tmp_path: Path, text: str, field: str, line: int
) -> None:
    post = tmp_path / "broken-post.md"
    post.write_text(text, encoding="utf-8")
    problems = check_post(post, tmp_path)
    assert [p.field for p in problems] == [field]
    message = str(problems[0])
    assert message.startswith(f"broken-post.md:{line}: ")
    assert f"'{field}'" in message


ENDINGS = {
    "question": "함께 알아볼까요?",
    "exclamation": "함께 알아보아요!",
    "citation-before-the-period": "잔차 연결은 기법입니다[[1]](#ref-1).",
    "citation-after-the-period": "잔차 연결은 기법입니다.[[1]](#ref-1)",
    "closing-emphasis": "**요약은 문장으로 끝납니다.**",
    "closing-quote": "그는 “배움은 두 배마다 같은 비율로.”",
}


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_excerpt_may_end_on_any_complete_sentence(tmp_path: Path, ending: str) -> None:
    post = tmp_path / "post.md"
    post.write_text(VALID.replace("첫 문단.", ending), encoding="utf-8")
    assert check_post(post, tmp_path) == []


def test_every_excerpt_ends_on_a_complete_sentence() -> None:
    # 블로그 목록의 요약이 모두 문장으로 끝납니다 ("다음과 같습니다:"로 끝나지 않습니다).
    problems = [
        problem
        for problem in check_posts(sorted(POSTS_DIR.glob("*.md")), ROOT)
        if problem.field == "<!-- more -->"
    ]
    assert not problems, "\n".join(map(str, problems))


def test_yaml_error_names_where_the_unclosed_list_began(tmp_path: Path) -> None:
    post = tmp_path / "broken-post.md"
    post.write_text(BROKEN["not-yaml"][0], encoding="utf-8")
    assert "5번 줄부터" in str(check_post(post, tmp_path)[0])


def test_duplicate_slug_is_reported(tmp_path: Path) -> None:
    for name in ("one.md", "two.md"):
        (tmp_path / name).write_text(VALID, encoding="utf-8")
    problems = check_posts(sorted(tmp_path.glob("*.md")), tmp_path)
    assert [(p.path.name, p.field) for p in problems] == [("two.md", "slug")]


def test_key_lines_are_remembered_between_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """키의 줄 번호를 찾으려 글마다 YAML 노드 트리를 만드는 일(글 100편에 0.1 s)은 앞머리 글자로 빌드 사이에
    기억합니다: 같은 글이면 다시 만들지 않고, 고친 글은 새 줄에서 짚습니다."""
    composed = []
    compose = yaml_input.compose
    monkeypatch.setattr(yaml_input, "compose", lambda *a: composed.append(a) or compose(*a))
    for name in ("one.md", "two.md"):
        (tmp_path / name).write_text(VALID.replace("a-valid-post", name[:3]), encoding="utf-8")

    def check() -> list[str]:
        return [str(problem) for problem in check_posts(sorted(tmp_path.glob("*.md")), tmp_path)]

    assert remembered_between_builds(tmp_path / "memo.json", check, composed) == []
    # 둘째 글의 slug를 첫째 글과 같게, 한 줄 아래로(4번 줄): 새 앞머리는 새로 읽어 그 줄을 짚습니다.
    (tmp_path / "two.md").write_text(VALID.replace("slug: a-valid-post", "\nslug: one"), "utf-8")
    (problem,) = in_a_build(tmp_path / "memo.json", check)
    assert problem.startswith("two.md:4: 앞머리 필드 'slug': 'one'는 one.md에서 이미 씁니다")
    assert composed


def test_build_stops_on_broken_front_matter(tmp_path: Path) -> None:
    project = copy_site(tmp_path / "project")
    post = project / "docs" / "blog" / "posts" / "residual-connection.md"
    post.write_text(post.read_text(encoding="utf-8").replace("slug: ", "slog: "), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/blog/posts/residual-connection.md:1: 앞머리 필드 'slug'" in output
    assert not (tmp_path / "site" / "index.html").exists(), "a half-built site was left behind"


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (alias_bomb(7), "한도(10,000)를 넘습니다"),
        ("&x [1, *x]", "자기 자신을 품는 별칭입니다(*x)"),
        ("[" * 5000 + "]" * 5000, "100겹보다 깊이"),
    ],
    ids=["alias-bomb", "recursive-alias", "deep-nesting"],
)
def test_yaml_bombs_are_refused_at_their_line_before_anything_is_printed(
    tmp_path: Path, value: str, what: str
) -> None:
    post = tmp_path / "bomb.md"
    post.write_text(
        VALID.replace("  - 어텐션\n", f"  - 어텐션\nextra: {value}\n"), encoding="utf-8"
    )
    problems = check_post(post, tmp_path)
    assert [(p.line, p.field) for p in problems] == [(9, "---")], problems
    assert what in str(problems[0])
    assert len(str(problems[0])) < 1000, "오류 메시지가 입력을 한도 없이 옮깁니다"


def test_error_messages_quote_at_most_a_short_piece_of_a_huge_value(tmp_path: Path) -> None:
    post = tmp_path / "huge.md"
    huge = "가" * 1_000_000
    text = VALID.replace("a-valid-post", huge).replace("tags:", f"? {huge}\n: 1\ntags:")
    post.write_text(text.replace("  - 어텐션", f"  - {huge}"), encoding="utf-8")
    problems = check_post(post, tmp_path)
    assert {p.field for p in problems} >= {"slug", "tags"}
    assert all(len(str(p)) < 1000 for p in problems), [len(str(p)) for p in problems]


def test_a_post_over_the_size_limit_names_its_size_and_the_limit(tmp_path: Path) -> None:
    post = tmp_path / "big.md"
    post.write_text(VALID + "가나다라마바사아자차.\n" * 20_000, encoding="utf-8")
    problems = size_problems([post], tmp_path, max_kb=200)
    assert [str(p) for p in problems] == [
        "big.md: 글이 625 KB로 한도 200 KB(mkdocs.yml의 extra.posts.max_kb)를 넘습니다. 글 전체가 "
        "검색 색인에 들어가 모든 독자가 내려받습니다: 글을 나누거나, 긴 표와 데이터는 동반 노트북이 "
        "만들게 하세요"
    ]
    assert size_problems(sorted(POSTS_DIR.glob("*.md")), ROOT) == []


def test_the_build_reads_the_post_size_limit_from_mkdocs_yml() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert int(config["extra"]["posts"]["max_kb"]) == POST_MAX_KB


def test_tags_that_look_alike_or_share_an_anchor_name_both_posts(tmp_path: Path) -> None:
    """'C++'와 'C#'는 Material에서 둘 다 tag:c가 되고, 풀어쓴(NFD) '어텐션'은 같아 보이는 다른 태그입니다."""
    (tmp_path / "one.md").write_text(VALID.replace("  - 어텐션", "  - C++"), encoding="utf-8")
    two = VALID.replace("a-valid-post", "second-post").replace("  - 어텐션", "  - C#")
    (tmp_path / "two.md").write_text(two, encoding="utf-8")
    nfd = VALID.replace("a-valid-post", "third-post").replace(
        "어텐션", unicodedata.normalize("NFD", "어텐션")
    )
    (tmp_path / "three.md").write_text(nfd, encoding="utf-8")
    problems = check_posts(sorted(tmp_path.glob("*.md")), tmp_path)
    assert [(p.path.name, p.line, p.field) for p in problems] == [
        ("three.md", 7, "tags"),
        ("two.md", 7, "tags"),
    ], problems
    assert "NFC로 정규화되지 않은 이름" in problems[0].message
    assert "'C#'는 one.md:7의 'C++'와 같은 주소(c)가" in problems[1].message


def test_missing_excerpt_break_is_named_as_a_line_of_the_body_and_where_it_goes(
    tmp_path: Path,
) -> None:
    post = tmp_path / "post.md"
    post.write_text(VALID.replace("<!-- more -->\n", ""), encoding="utf-8")
    (problem,) = check_post(post, tmp_path)
    message = str(problem)
    assert "앞머리 필드" not in message
    assert "본문에 요약 구분선 '<!-- more -->'이 없습니다" in message
    assert "'# 제목' 아래 첫 문단 뒤에" in message


def test_a_scaffold_leftover_is_named_line_by_line(tmp_path: Path) -> None:
    """뼈대가 넣은 '(바꾸세요)' 자리 글(description과 문장들)이 남은 줄마다 하나, 무엇으로 바꿀지와 함께."""
    from tools.new_post import plan, render_post  # noqa: PLC0415

    post = tmp_path / "new.md"
    text = render_post(plan("새 글", slug="new-post"))
    post.write_text(text, encoding="utf-8")
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if "(바꾸세요)" in line]
    problems = scaffold_leftovers(post, tmp_path)
    assert [p.line for p in problems] == lines and len(lines) >= 2
    assert str(problems[0]) == (
        "new.md:4: 뼈대(make new-post)가 넣은 '(바꾸세요)' 자리 글이 남았습니다: 앞머리 필드 "
        "'description'을 이 글을 소개하는 20~160자의 한 문장으로 바꾸세요"
    )
    assert str(problems[1]).endswith("이 문장을 이 글의 내용으로 바꾸세요")
    post.write_text(text.replace("(바꾸세요) ", ""), encoding="utf-8")
    assert scaffold_leftovers(post, tmp_path) == []
