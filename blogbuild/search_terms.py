"""한국어 검색 보강: 띄어 쓴 복합어와 붙여 쓴 복합어가 서로를 찾게 합니다.

검색(Pagefind, blogbuild/search_index.py)은 공백으로 낱말을 나누고 검색어를 접두어로 맞춥니다. 그래서
"어텐션"은 "어텐션은"·"어텐션의"를 찾지만, 글에 "셀프 어텐션"이라고 띄어 쓴 것을 "셀프어텐션"으로는 못 찾고,
"멀티헤드"라고 붙여 쓴 것을 "헤드"로는 못 찾습니다. 두 방향을 서로 다른 곳에서 메웁니다.

- 붙인 꼴(joined_forms): 블로그가 되풀이해 띄어 쓰는 두 낱말의 붙인 꼴 → 띄어 쓴 꼴의 표. 검색 창
  (docs/javascripts/search.js)이 붙여 쓴 검색어를 띄어 쓴 꼴로 바꿔 찾습니다: 색인은 그대로이고, 결과의
  요약은 글의 문장이며, 제목에 있는 말이면 제목의 무게를 받습니다.
- 나눈 꼴(document_terms): 붙여 쓴 낱말이 블로그 전체에서 따로 쓰인 두 낱말로 나뉘면 그 둘을 그 문서의
  색인에 더합니다("멀티헤드" → "멀티", "헤드"; 조사가 붙은 "멀티헤드를"도). 색인은 낱말의 가운데를 찾지
  못하므로 색인 쪽에서 더합니다. 더한 낱말은 색인에 넘기는 본문에만 들어가고 독자가 받는 페이지에는 들지
  않습니다.

형태소 분석기 없이 블로그 자신의 낱말 목록(vocabulary)만 씁니다.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter

from blogbuild import memo

HANGUL = re.compile(r"[가-힣]+")
LEADING = re.compile(r"^[가-힣]+")
TRAILING = re.compile(r"[가-힣]+$")
TAG = re.compile(r"<[^>]+>")
MIN_PART = 2  # 한 글자 조각(조사 등)으로는 나누지 않습니다
# 붙인 꼴을 더하는 짝이 나와야 하는 최소 횟수(블로그 전체). 모든 이웃한 두 낱말을 붙이면("학습을 안정화합니다" →
# "학습을안정화합니다") 붙인 꼴이 14,371가지로 검색 색인의 한글 조각이 490 KB가 되었습니다: 3번 이상이면 1,313가지
JOINED_AT_LEAST = 3
# 낱말 끝에서 떼는 조사(긴 것부터): docs/javascripts/search.js의 PARTICLES와 같은 목록(tests/test_search_terms.py)
PARTICLES = (
    "에서는", "으로는", "이라는", "에게서", "에서", "으로", "에게", "까지", "부터", "처럼", "보다",
    "이나", "이란", "라는", "와", "과", "은", "는", "이", "가", "을", "를", "의", "에", "로", "도", "만",
)  # fmt: skip


class Vocabulary(frozenset):
    """블로그의 한글 낱말들. sizes는 나눌 때 볼 조각의 길이들(MIN_PART 이상인 낱말 길이), 한 번만 셉니다."""

    @functools.cached_property
    def sizes(self) -> list[int]:
        return sorted({len(w) for w in self if len(w) >= MIN_PART})


def vocabulary(texts: list[str]) -> Vocabulary:
    """글들에 한글 낱말로 따로 나타나는 모든 꼴."""
    return Vocabulary(word for text in texts for word in HANGUL.findall(TAG.sub(" ", text)))


def joined_terms(text: str) -> set[str]:
    """띄어 쓴 두 낱말을 붙인 꼴들: "셀프 어텐션(Self-Attention)과" → {"셀프어텐션"}."""
    return {first + second for first, second in _joined(text)}


def _joined(text: str) -> list[tuple[str, str]]:
    """띄어 쓴 두 낱말(앞 낱말의 끝 한글, 뒤 낱말의 첫 한글에서 조사를 뗀 것), 나온 차례와 횟수대로."""
    tokens = TAG.sub(" ", text).split()
    terms = []
    for first, second in zip(tokens, tokens[1:], strict=False):
        end, start = TRAILING.search(first), LEADING.search(second)
        if end and start:
            terms.append((end.group(), stem(start.group())))
    return terms


def _remembered_joined(text: str) -> list[tuple[str, str]]:
    """_joined(text)를 문서마다 기억에서: 온 빌드는 다시 세지 않고, 글 하나를 고친 빌드는 그 글만 셉니다."""
    pairs = memo.remembered(("joined pairs", text), lambda: _joined(text), shape=[(str, str)])
    return [tuple(pair) for pair in pairs]


def stem(word: str) -> str:
    """낱말 끝의 조사를 뗀 꼴("어텐션을" → "어텐션"). 뗀 뒤 MIN_PART 글자 이상 남을 때만 뗍니다.
    검색 창(docs/javascripts/search.js)이 검색어에서 떼는 것과 같은 조사들입니다."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_PART:
            return word[: -len(particle)]
    return word


def split_terms(text: str, words: Vocabulary) -> set[str]:
    """붙여 쓴 낱말을 블로그에 따로 쓰인 두 낱말로 나눈 조각들.

    낱말 word를 앞 조각(블로그의 낱말)과 뒤 조각(뒤에 이어진 글자의 가장 긴 접두어 가운데 블로그의
    낱말)으로 나눕니다. 조각은 블로그에 있는 낱말이어야 하므로 그 길이도 블로그 낱말의 길이 가운데
    하나입니다. 그래서 자르는 자리마다 모든 길이를 보지 않고 있는 길이만 봅니다: 긴 낱말 하나의 비용은
    (낱말 길이) x (서로 다른 낱말 길이의 수)이고, 글 전체에서 거의 선형입니다(띄어쓰기 없는 6,000자
    한글 덩어리가 빌드 하나를 67초 붙잡던 세제곱 비용이 없어졌습니다).
    """
    sizes = words.sizes
    terms = set()
    for word in set(HANGUL.findall(TAG.sub(" ", text))):
        n = len(word)
        for cut in sizes:
            if cut > n - MIN_PART:
                break
            head = word[:cut]
            if head not in words:
                continue
            tail_word = next(
                (
                    word[cut : cut + size]
                    for size in reversed(sizes)
                    if size <= n - cut and word[cut : cut + size] in words
                ),
                None,
            )
            if tail_word:
                terms |= {head, tail_word}
    return terms


def document_terms(texts: list[str]) -> list[str]:
    """문서(HTML 조각)마다 색인에 더할 낱말들(빈칸으로 이은 글자), texts의 차례대로: 붙여 쓴 낱말의 조각들."""
    return memo.remembered(("search terms", *texts), lambda: _terms(texts), shape=[str])


def _terms(texts: list[str]) -> list[str]:
    words = vocabulary(texts)
    return [" ".join(sorted(split_terms(text, words))) for text in texts]


def joined_forms(texts: list[str]) -> dict[str, str]:
    """붙여 쓴 검색어 → 블로그가 띄어 쓰는 꼴("셀프어텐션" → "셀프 어텐션"): 블로그 전체에서 JOINED_AT_LEAST번
    이상 이웃하는 두 낱말(뒤 낱말은 조사를 뗀 꼴)이고, 두 조각 모두 두 글자 이상에 앞 조각이 조사로 끝나지 않는 것만. 검색 창이 검색어를 띄어 쓴 꼴로 바꿔 찾으므로 결과의 요약은 글의
    문장 그대로입니다."""
    return dict(
        memo.remembered(("joined forms", *texts), lambda: _joined_forms(texts), shape=[(str, str)])
    )


def _joined_forms(texts: list[str]) -> list[tuple[str, str]]:
    counts = Counter(itertools.chain.from_iterable(_remembered_joined(text) for text in texts))
    return [
        (first + second, f"{first} {second}")
        for (first, second), count in sorted(counts.items())
        if count >= JOINED_AT_LEAST and _word(first) and _word(second)
    ]


def _word(part: str) -> bool:
    """복합어의 한 조각이 될 만한가: MIN_PART 글자 이상이고 조사로 끝나지 않음("가로축은"은 아님)."""
    return len(part) >= MIN_PART and stem(part) == part
