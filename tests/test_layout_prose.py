"""화면 폭에 기대는 문장을 check 단계가 파일과 줄로 짚는지(blogbuild/layout_prose.py, issue 27)."""

from __future__ import annotations

from pathlib import Path

from blogbuild import layout_prose
from tests.conftest import PUBLISHED_POSTS, ROOT

POST = """---
title: 시험
---

# 시험

첫 문장입니다.
마스크를 적용한 스코어(오른쪽, 좁은 화면에서는 아래)입니다.
같은 층들에 인과 마스크만 더한 것이 오른쪽 그림입니다.
곡선은 오른쪽 아래로 내려갑니다. 아래 그림과 두 번째 그래프는 두 폭에서 모두 맞습니다.

```python
# 코드 속 주석은 산문이 아닙니다: 좁은 화면에서는 아래
```
"""


def test_layout_phrases_are_named_by_file_and_line(tmp_path: Path) -> None:
    post = tmp_path / "docs" / "blog" / "posts" / "demo.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST, encoding="utf-8")
    problems = layout_prose.check_posts([post], tmp_path)
    assert [(str(p.path), p.line, p.message.split("'")[1]) for p in problems] == [
        ("docs/blog/posts/demo.md", 8, "좁은 화면에서는"),
        ("docs/blog/posts/demo.md", 9, "오른쪽 그림"),
    ]


def test_published_posts_say_nothing_true_at_only_one_width() -> None:
    assert layout_prose.check_posts(list(PUBLISHED_POSTS), ROOT) == []
