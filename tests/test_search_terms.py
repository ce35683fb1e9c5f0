"""blogbuild/search_terms.py: 한국어 복합어 보강이 정의대로 나뉘고, 긴 입력에서도 거의 선형인지, 용어집의 다른 꼴을 더하는지."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from blogbuild.glossary import Entry, other_forms
from blogbuild.search_terms import (
    MIN_PART,
    PARTICLES,
    Vocabulary,
    document_terms,
    joined_terms,
    split_terms,
    stem,
    vocabulary,
)
from tests.conftest import ROOT


def brute_force_split(text: str, words: set[str]) -> set[str]:
    """정의 그대로의 나눈 꼴: 자르는 자리마다 앞 조각이 낱말이고, 뒤의 가장 긴 낱말 접두어가 있으면 둘 다."""
    terms = set()
    for word in vocabulary([text]):
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            tail_word = next(
                (tail[:end] for end in range(len(tail), MIN_PART - 1, -1) if tail[:end] in words),
                None,
            )
            if head in words and tail_word:
                terms |= {head, tail_word}
    return terms


def test_compound_words_are_split_and_joined() -> None:
    words = vocabulary(["멀티 헤드 어텐션", "멀티헤드를 쓰는 셀프 어텐션"])
    assert {"멀티", "헤드"} <= split_terms("멀티헤드를", words)
    assert joined_terms("셀프 어텐션(Self-Attention)과") == {"셀프어텐션"}


HANGUL = st.text(alphabet="가나다라마", min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(HANGUL, min_size=1, max_size=12), HANGUL)
def test_split_equals_the_definition(vocab_words: list[str], probe: str) -> None:
    words = vocabulary([" ".join(vocab_words)])
    assert split_terms(probe, words) == brute_force_split(probe, words)


class CountingSet(Vocabulary):
    """`in` 검사의 횟수를 세는 집합."""

    checks = 0

    def __contains__(self, item: object) -> bool:
        CountingSet.checks += 1
        return super().__contains__(item)


def test_a_long_run_without_spaces_costs_linear_lookups() -> None:
    """띄어쓰기 없는 긴 한글 덩어리(기여자가 붙여 넣은 6,000자)가 빌드를 붙잡지 않습니다.

    자르는 자리마다 모든 길이를 보던 구현은 n자 낱말에 n²/2번쯤 찾아보았습니다(n=3,000이면 450만 번).
    """
    blog = "트랜스포머 어텐션 멀티 헤드 잔차 연결 " * 20
    run = "어텐션트랜스포머" * 375  # 3,000자
    words = CountingSet(vocabulary([blog, run]))
    CountingSet.checks = 0
    terms = split_terms(run, words)
    assert {"어텐션", "트랜스포머"} <= terms
    assert CountingSet.checks <= 20 * len(run), CountingSet.checks


def test_document_terms_add_the_other_forms_of_glossary_terms() -> None:
    """용어집의 다른 꼴: "레이어 정규화"를 쓴 문서는 영어와 쓰지 않는 꼴로도, 영어만 쓴 문서는 한국어로도."""
    entries = [Entry("레이어 정규화", "layer normalization", ("LayerNorm",), ("층 정규화",))]
    texts = [
        "<h1>글</h1><p>잔차 가지마다 레이어 정규화를 둡니다</p>",
        "<h1>Post</h1><p>Layer normalization</p>",
        "<h1>다른 글</h1><p>정규화 없음</p>",
    ]
    a, b, c = (
        terms.split() for terms in document_terms(texts, lambda text: other_forms(text, entries))
    )
    assert {"layer", "normalization", "LayerNorm", "층", "정규화"} <= set(a)
    assert {"레이어", "정규화", "층"} <= set(b)
    assert "layer" not in c and "레이어" not in c


def test_document_terms_join_only_pairs_the_blog_repeats() -> None:
    """붙인 꼴은 블로그 전체에서 JOINED_AT_LEAST번 나오는 짝만: 한 덩어리로 쓰는 말이지, 이웃한 아무 두 낱말이 아닙니다."""
    texts = ["<p>셀프 어텐션을 씁니다</p>", "<p>셀프 어텐션과 셀프 어텐션</p>", "<p>다른 글</p>"]
    a, b, c = (set(terms.split()) for terms in document_terms(texts))
    assert "셀프어텐션" in a and "셀프어텐션" in b
    assert "어텐션을씁니다" not in a and "어텐션과셀프" not in b and c == set()


def test_search_box_strips_the_same_particles_as_the_index() -> None:
    """검색 창(search.js)이 검색어에서 떼는 조사와 색인이 붙인 꼴에서 떼는 조사가 같아야 서로를 찾습니다."""
    script = (ROOT / "docs" / "javascripts" / "search.js").read_text(encoding="utf-8")
    listed = re.search(r"var PARTICLES = \[(.*?)\];", script, re.DOTALL)[1]
    assert tuple(re.findall(r'"([^"]+)"', listed)) == PARTICLES
    assert stem("어텐션을") == "어텐션" and stem("결과") == "결과"  # 두 글자가 남을 때만
