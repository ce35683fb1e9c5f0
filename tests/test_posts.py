"""글의 앞머리(front matter) 검사: 모든 글이 통과하고, 망가진 글은 파일과 필드를 짚어 실패합니다."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogbuild.frontmatter import check_post, check_posts
from tests.conftest import POSTS_DIR, ROOT, copy_site, mkdocs_build

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


def test_blog_has_all_ten_posts() -> None:
    assert len(list(POSTS_DIR.glob("*.md"))) == 10


def test_every_post_has_valid_front_matter() -> None:
    problems = check_posts(sorted(POSTS_DIR.glob("*.md")), ROOT)
    assert not problems, "\n".join(map(str, problems))


def test_valid_example_passes(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(VALID, encoding="utf-8")
    assert check_post(post, tmp_path) == []


BROKEN = {
    "missing-slug": (VALID.replace("slug: a-valid-post\n", ""), "slug"),
    "korean-slug": (VALID.replace("a-valid-post", "어텐션-글"), "slug"),
    "bad-date": (VALID.replace("2025-01-04", "2025-13-45"), "date"),
    "missing-description": (VALID.replace("description:", "summary:"), "description"),
    "empty-tags": (VALID.replace("tags:\n  - 어텐션", "tags: []"), "tags"),
    "no-excerpt-break": (VALID.replace("<!-- more -->\n", ""), "<!-- more -->"),
    "not-yaml": (VALID.replace("categories:\n  - 트랜스포머", "categories: [트랜스포머"), "---"),
    "no-front-matter": ("# 제목\n\n본문\n", "---"),
}


@pytest.mark.parametrize(("text", "field"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_front_matter_names_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    post = tmp_path / "broken-post.md"
    post.write_text(text, encoding="utf-8")
    problems = check_post(post, tmp_path)
    assert [p.field for p in problems] == [field]
    message = str(problems[0])
    assert message.startswith("broken-post.md: ")
    assert f"'{field}'" in message


def test_duplicate_slug_is_reported(tmp_path: Path) -> None:
    for name in ("one.md", "two.md"):
        (tmp_path / name).write_text(VALID, encoding="utf-8")
    problems = check_posts(sorted(tmp_path.glob("*.md")), tmp_path)
    assert [(p.path.name, p.field) for p in problems] == [("two.md", "slug")]


def test_build_stops_on_broken_front_matter(tmp_path: Path) -> None:
    project = copy_site(tmp_path / "project")
    post = project / "docs" / "blog" / "posts" / "residual-connection.md"
    post.write_text(post.read_text(encoding="utf-8").replace("slug: ", "slog: "), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/blog/posts/residual-connection.md: 앞머리 필드 'slug'" in output
    assert not (tmp_path / "site" / "index.html").exists(), "a half-built site was left behind"
