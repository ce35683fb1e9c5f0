"""blogbuild/search_terms.py: 한국어 복합어 보강이 정의대로 나뉘고, 긴 입력에서도 거의 선형인지, 용어집의 다른 꼴을 더하는지."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from blogbuild.search_terms import (
    JOINED_AT_LEAST,
    MIN_PART,
    PARTICLES,
    Vocabulary,
    joined_forms,
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


def test_joined_forms_map_only_pairs_the_blog_repeats() -> None:
    """붙여 쓴 꼴 → 띄어 쓴 꼴은 블로그 전체에서 JOINED_AT_LEAST번 나오는 짝만(조사는 떼고): 한 덩어리로 쓰는
    말이지, 이웃한 아무 두 낱말이 아닙니다."""
    texts = ["<p>셀프 어텐션을 씁니다</p>", "<p>셀프 어텐션과 셀프 어텐션</p>", "<p>다른 글</p>"]
    assert joined_forms(texts) == {"셀프어텐션": "셀프 어텐션"}


def test_search_box_strips_the_same_particles_as_the_index() -> None:
    """검색 창(search.js)이 검색어에서 떼는 조사와 색인이 붙인 꼴에서 떼는 조사가 같아야 서로를 찾습니다."""
    script = (ROOT / "docs" / "javascripts" / "search.js").read_text(encoding="utf-8")
    listed = re.search(r"var PARTICLES = \[(.*?)\];", script, re.DOTALL)[1]
    assert tuple(re.findall(r'"([^"]+)"', listed)) == PARTICLES
    assert stem("어텐션을") == "어텐션" and stem("결과") == "결과"  # 두 글자가 남을 때만


def test_joined_forms_leave_out_particles_and_single_syllables() -> None:
    """ "가로축은 입력"(앞 조각이 조사로 끝남), "모델이 가"(한 글자 조각)는 복합어가 아닙니다."""
    texts = ["<p>가로축은 입력. 모델이 가. 멀티 헤드</p>"] * JOINED_AT_LEAST
    assert joined_forms(texts) == {"멀티헤드": "멀티 헤드"}
