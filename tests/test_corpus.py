"""snippets/corpus.py: 블로그 글에서 산문만 골라내고, 문자 단위 어휘로 바꾸기."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch

from snippets.corpus import POST_BREAK, CharVocab, blog_text, split_held_out

POST = """\
---
date: 2025-01-04
slug: a-post
---

# 제목

첫 문단[[1]](#ref-1)입니다.

<!-- more -->

## 코드로 보기

[링크 글자](https://example.com/x_(y))와 [동반 노트북](../../notebooks/a.ipynb)을 보세요.

```python
--8<-- "snippets/attention.py:causal-mask"
```

--8<-- "build/outputs/a/table.md"

![그림 설명](../../outputs/a/fig.svg)

$$
x = 1
$$

숫자는 {{ outputs/a/key }}개입니다.
<!-- 여러 줄
주석 -->
## 참고 문헌

1. [example.com](https://example.com){ #ref-1 }
"""

EXPECTED = """\
제목

첫 문단입니다.

코드로 보기

링크 글자와 동반 노트북을 보세요.

숫자는 개입니다.
"""


def _blog(tmp_path: Path, posts: dict[str, str]) -> Path:
    folder = tmp_path / "docs" / "blog" / "posts"
    folder.mkdir(parents=True)
    for name, text in posts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_blog_text_keeps_prose_and_drops_markup_on_hand_checked_post(tmp_path: Path) -> None:
    assert blog_text(_blog(tmp_path, {"a.md": POST})) == EXPECTED


def test_blog_text_joins_posts_in_file_name_order(tmp_path: Path) -> None:
    root = _blog(tmp_path, {"b.md": "둘째 글\n", "a.md": "첫째 글\n"})
    assert blog_text(root) == "첫째 글\n\n\n둘째 글\n"  # 글 사이는 빈 줄 둘(POST_BREAK)


def test_blog_text_keeps_the_words_of_markdown_syntax_and_drops_its_symbols(tmp_path: Path) -> None:
    """생성한 글에 #, 백틱, *, $가 나오지 않도록: 제목·인라인 코드·강조·인라인 수식은 글자만 남깁니다."""
    post = (
        "# 제목\n\n## 소제목 `code`\n\n"
        "`[MASK]`로 바꾸고 ``a`b``는 **굵게**, *뒤*에 $n^b$배, 곱은 H * Dh 그대로.\n"
    )
    assert blog_text(_blog(tmp_path, {"a.md": post})) == (
        "제목\n\n소제목 code\n\n[MASK]로 바꾸고 a`b는 굵게, 뒤에 n^b배, 곱은 H * Dh 그대로.\n"
    )


def test_blog_text_drops_only_the_reference_section(tmp_path: Path) -> None:
    post = "앞 문단\n\n## 참고 문헌\n\n1. [a](https://a.example)\n\n## 덧붙임\n\n뒤 문단\n"
    assert blog_text(_blog(tmp_path, {"a.md": post})) == "앞 문단\n\n덧붙임\n\n뒤 문단\n"


def test_blog_text_drops_a_figure_with_brackets_in_its_alt_and_a_caption_in_parentheses(
    tmp_path: Path,
) -> None:
    post = '앞 문단\n\n![첫 자리 [CLS]를 고름](../../outputs/a/b.svg "캡션: 키(j ≤ i)만.")\n\n뒤 문단\n'
    assert blog_text(_blog(tmp_path, {"a.md": post})) == "앞 문단\n\n뒤 문단\n"


def test_blog_text_drops_html_lines_and_collapsible_block_heads(tmp_path: Path) -> None:
    post = '앞 문단\n\n<form id="x">\n<label for="a">값</label>\n</form>\n\n??? example "코드"\n\n    들여쓴 줄\n\n뒤 `<mask>` 문단\n'
    text = blog_text(_blog(tmp_path, {"a.md": post}))
    assert "<form" not in text and "<label" not in text and "???" not in text
    assert "앞 문단" in text and "뒤 <mask> 문단" in text  # 산문 속의 코드는 (백틱 없이) 남습니다


def test_real_blog_text_has_no_markup_left() -> None:
    text = blog_text()
    assert len(text) > 5000
    markup = (
        "--8<--",
        "<!--",
        "](",
        "#ref-",
        "## 참고 문헌",
        "slug:",
        "```",
        "{{",
        "$$",
        "??? ",
        "<form",
        "`",
        "**",
    )
    for leftover in markup:
        assert leftover not in text, leftover
    # 제목의 #는 지워지고, 산문이 글자로 말하는 #(WordPiece의 `##`, C#)는 남습니다.
    assert not re.search(r"^#{1,6}[ \t]", text, re.MULTILINE)
    assert "인과적 언어 모델링" in text


def test_split_held_out_cuts_at_the_first_post_that_starts_in_the_last_fraction() -> None:
    posts = ["첫 글\n\n" + "가" * 60, "둘째 글\n\n" + "나" * 25, "셋째 글\n\n" + "다" * 5]
    text = POST_BREAK.join(posts) + "\n"
    # 끝의 30%(약 33자)는 둘째 글의 중간에서 시작하므로, 평가용은 그다음 글인 셋째 글 하나입니다.
    train, held_out = split_held_out(text, fraction=0.3)
    assert train + held_out == text
    assert held_out == posts[2] + "\n"
    assert train.endswith("나\n\n\n")
    # 끝의 45%는 첫 글의 끝에서 시작하므로 둘째 글부터 평가용입니다.
    assert split_held_out(text, fraction=0.45)[1] == POST_BREAK.join(posts[1:]) + "\n"


def test_split_held_out_without_post_boundaries_cuts_the_exact_fraction() -> None:
    text = "가나다라마바사아자차"
    assert split_held_out(text, fraction=0.2) == ("가나다라마바사아", "자차")
    with pytest.raises(ValueError, match="fraction"):
        split_held_out(text, fraction=1.0)


def test_real_corpus_holds_out_whole_posts() -> None:
    from snippets.corpus import corpus_text

    text = corpus_text()
    train, held_out = split_held_out(text)
    assert train + held_out == text
    # 평가용은 제목 줄로 시작하는 온전한 글이고, 말뭉치의 10%를 넘지 않습니다.
    assert train.endswith(POST_BREAK) and POST_BREAK not in held_out
    # 제목은 지금의 글에도 있습니다: 스냅숏이 글의 제목을 바꾸기 전의 판이 아닙니다.
    assert held_out.splitlines()[0] in blog_text()
    assert 0 < len(held_out) <= 0.1 * len(text)


def test_char_vocab_round_trips_text() -> None:
    text = "언어 모델은 다음 글자를 맞힙니다."
    vocab = CharVocab.from_text(text)
    ids = vocab.encode(text)
    assert ids.dtype == torch.long and ids.shape == (len(text),)
    assert vocab.decode(ids) == text
    assert vocab.decode(ids.tolist()) == text
    assert len(vocab) == len(set(text))


def test_char_vocab_is_sorted_so_same_text_gives_same_ids() -> None:
    vocab = CharVocab.from_text("cab")
    assert vocab.tokens == ("a", "b", "c")
    assert vocab.encode("cab").tolist() == [2, 0, 1]
    assert CharVocab.from_text("bca") == vocab


def test_char_vocab_puts_specials_first_and_encode_never_makes_them() -> None:
    vocab = CharVocab.from_text("ab", specials=["[MASK]"])
    assert vocab.id("[MASK]") == 0
    assert vocab.encode("ba").tolist() == [2, 1]
    assert vocab.decode([1, 0, 2]) == "a[MASK]b"


def test_char_vocab_rejects_unknown_characters() -> None:
    with pytest.raises(KeyError, match="어휘에 없는 글자"):
        CharVocab.from_text("ab").encode("abc")


def test_corpus_snapshot_is_prose_from_the_blog() -> None:
    """학습 말뭉치(snippets/data/blog-corpus.txt)는 blog_text가 만든 산문의 스냅숏입니다: 마크업이 없고, 글의 문장이 들어 있습니다."""
    from snippets.corpus import BUILD_INPUTS, CORPUS, corpus_text

    text = corpus_text()
    assert text == CORPUS.read_text(encoding="utf-8")
    # 실행 캐시가 이 파일까지 키에 넣습니다
    assert BUILD_INPUTS == ("snippets/data/blog-corpus.txt",)
    assert len(text) > 10_000
    for markup in ("--8<--", "{{", "#ref-", "<!--", "slug:", "`"):
        assert markup not in text
    assert not re.search(r"^#{1,6}[ \t]", text, re.MULTILINE)  # 제목의 #
    assert "정답은 없습니다!" in text  # 온프레미스 vs 클라우드 글의 한 문장


def test_blog_text_outside_the_repository_says_only_the_snapshot_is_installed(
    tmp_path: Path,
) -> None:
    """설치한 패키지(내려받은 노트북)에는 글이 없습니다: 빈 말뭉치 대신 무엇이 되는지 말하는 오류."""
    with pytest.raises(FileNotFoundError, match="저장소 안에서만"):
        blog_text(tmp_path)


def test_blog_text_drops_a_table_or_figure_line_even_when_indented(tmp_path: Path) -> None:
    """노트북의 표와 그림은 한 줄에 혼자 쓴 {{ outputs/<노트북>/<이름> }}: 접은 블록 안에서 들여 써도 빈칸만
    남은 줄이 되지 않고 줄째 지워집니다(빈 줄은 하나로 줄어듭니다)."""
    post = '앞 문단\n\n??? note "표"\n\n    {{ outputs/a/table }}\n\n    뒤 문단\n\n{{ figure }}\n\n끝\n'
    assert blog_text(_blog(tmp_path, {"a.md": post})) == "앞 문단\n\n    뒤 문단\n\n끝\n"
