"""토큰화: BPE와 WordPiece, 그리고 한국어: 글에 실리는 코드.

바이트 쌍 인코딩(byte-pair encoding, BPE)과 WordPiece를 처음부터 학습하고 씁니다. 학습은
`tokenizers` 라이브러리의 BpeTrainer·WordPieceTrainer와 같은 병합(merge)을 같은 순서로 고르고,
인코딩도 같은 토큰을 냅니다(tests/test_tokenization.py가 블로그 말뭉치에서 견줍니다).

- base_units(word, alphabet), word_counts(text, alphabet): 낱말을 기본 단위(음절 NFC, 자모 NFD,
  UTF-8 바이트)의 문자열로 쓰고, 공백으로 나눈 낱말을 셉니다
- initial_tokens(counts, specials, prefix), train_bpe(counts, vocab_size, tokens, prefix): 시작 어휘에서
  가장 잦은 이웃 쌍을 차례로 병합해 어휘와 병합 목록(Bpe)을 만듭니다. prefix="##"이면 WordPiece의 학습
- bpe_encode(word, bpe): 학습한 병합을 학습한 차례대로 적용해 낱말 하나를 토큰으로 나눕니다
- wordpiece_encode(word, vocab): 가장 긴 조각부터 떼는 WordPiece 인코딩(이어지는 조각은 ##)
- first_merges(bpe, vocab_size): 더 작은 어휘의 BPE(앞 병합만)
- reference_bpe(text, alphabet, vocab_size): 견줄 상대, 같은 조건으로 학습한 `tokenizers`의 BPE
"""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

if (
    TYPE_CHECKING
):  # 견줄 상대(reference_bpe)만 씁니다: 글의 코드는 tokenizers 없이 돕니다
    from tokenizers import Tokenizer

Alphabet = Literal["syllable", "jamo", "byte"]


# --8<-- [start:byte-symbols]
def byte_symbols() -> list[str]:
    """바이트 0~255를 글자 하나씩으로: GPT-2의 바이트 수준 BPE가 쓰는 표.

    인쇄되는 바이트(!~, ¡~¬, ®~ÿ)는 그 글자 그대로, 나머지(공백, 제어 문자,
    그리고 UTF-8에서 한글 음절을 이루는 0x80~0xA0 같은 바이트)는 U+0100부터
    차례로 받은 글자로 씁니다. 그래야 토큰이 언제나 보이는 문자열입니다.
    """
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    table = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return [table[b] for b in range(256)]


# --8<-- [end:byte-symbols]

BYTE_SYMBOLS = byte_symbols()
SYMBOL_BYTES = {s: b for b, s in enumerate(BYTE_SYMBOLS)}


# --8<-- [start:base-units]
def base_units(word: str, alphabet: Alphabet) -> str:
    """낱말을 기본 단위의 문자열로: 글자 하나가 학습이 시작하는 토큰 하나.

    syllable: NFC(완성형), '한'은 한 글자. jamo: NFD(첫가끝 자모로 분해), '한'은
    ㅎ ㅏ ㄴ 세 글자. byte: UTF-8 바이트마다 한 글자 (byte_symbols), '한'은 ED
    95 9C 세 바이트.
    """
    if alphabet == "syllable":
        return unicodedata.normalize("NFC", word)
    if alphabet == "jamo":
        return unicodedata.normalize("NFD", word)
    if alphabet == "byte":
        return "".join(BYTE_SYMBOLS[b] for b in word.encode("utf-8"))
    raise ValueError(f"alphabet은 syllable, jamo, byte 중 하나: {alphabet!r}")


# --8<-- [end:base-units]


def word_counts(text: str, alphabet: Alphabet) -> Counter[str]:
    """글을 공백으로 나눈 낱말마다 나온 횟수. 낱말은 base_units로 바꾼 꼴입니다."""
    return Counter(base_units(word, alphabet) for word in text.split())


@dataclass
class Bpe:
    """학습한 BPE: tokens[i]가 id i의 토큰이고, merges는 학습한 순서의 병합 목록입니다.

    prefix가 있으면(WordPiece의 "##") 낱말의 첫 조각이 아닌 토큰에 그것이 붙습니다.
    """

    tokens: list[str]
    merges: list[tuple[str, str]]
    prefix: str = ""
    start: int = 0  # 병합 전 시작 어휘의 크기
    ids: dict[str, int] = field(init=False, repr=False)
    ranks: dict[tuple[str, str], int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.ids = {tok: i for i, tok in enumerate(self.tokens)}
        self.ranks = {pair: r for r, pair in enumerate(self.merges)}


def initial_tokens(
    counts: dict[str, int], specials: Sequence[str] = (), prefix: str = ""
) -> list[str]:
    """학습이 시작할 때의 어휘: 특수 토큰, 글자(코드 포인트 순), 그리고 prefix가 있으면
    낱말 가운데 글자의 "##" 꼴(말뭉치에서 처음 나온 순)."""
    chars = sorted({ch for word in counts for ch in word})
    tokens = [*specials, *(ch for ch in chars if ch not in specials)]
    if prefix:
        seen = set(tokens)
        for word in counts:
            for ch in word[1:]:
                if prefix + ch not in seen:
                    seen.add(prefix + ch)
                    tokens.append(prefix + ch)
    return tokens


# --8<-- [start:train-bpe]
def train_bpe(
    counts: dict[str, int],
    vocab_size: int,
    tokens: Sequence[str],
    prefix: str = "",
) -> Bpe:
    """가장 잦은 이웃 쌍을 병합하기를 어휘가 vocab_size가 될 때까지.

    counts: 낱말 -> 나온 횟수. tokens: 시작 어휘(id 순). 잦기가 같은
    쌍끼리는 id 쌍이 작은 것을 고릅니다(tokenizers와 같은 규칙).
    """
    tokens, start = list(tokens), len(tokens)
    ids = {tok: i for i, tok in enumerate(tokens)}
    words = []
    for word in counts:  # 첫 글자 말고는 prefix(WordPiece의 ##)를 붙여
        units = [word[0], *(prefix + ch for ch in word[1:])]
        words.append([ids[unit] for unit in units])
    freqs = list(counts.values())
    pairs: Counter[tuple[int, int]] = Counter()  # 쌍 -> 잦기
    where: dict[tuple[int, int], set[int]] = {}  # 쌍 -> 그 쌍이 있는 낱말
    for w, word in enumerate(words):
        for pair in pairwise(word):
            pairs[pair] += freqs[w]
            where.setdefault(pair, set()).add(w)
    heap = [(-n, pair) for pair, n in pairs.items()]  # 잦기가 큰 것부터
    heapq.heapify(heap)
    merges = []
    while len(tokens) < vocab_size and heap:
        n, pair = heapq.heappop(heap)
        if pair not in pairs:  # 이미 병합한 쌍
            continue
        if -n != pairs[pair]:  # 꺼낸 잦기가 낡았으면 지금 잦기로 되돌려 놓기
            heapq.heappush(heap, (-pairs[pair], pair))
            continue
        if n == 0:
            break
        left, right = tokens[pair[0]], tokens[pair[1]]
        new = left + right.removeprefix(prefix)  # ab + ##c = abc
        if new not in ids:  # 다른 병합이 이미 만든 토큰이면 그 id
            ids[new] = len(tokens)
            tokens.append(new)
        merges.append((left, right))
        grown: set[tuple[int, int]] = set()
        for w in where.pop(pair):
            old = words[w]
            words[w] = merge_pair(old, pair, ids[new])
            for p in pairwise(old):
                pairs[p] -= freqs[w]
            for p in pairwise(words[w]):
                pairs[p] += freqs[w]
                where.setdefault(p, set()).add(w)
                if ids[new] in p:
                    grown.add(p)
        del pairs[pair]
        for p in sorted(grown):  # 새 토큰이 만든 쌍만 잦기가 늘었습니다
            heapq.heappush(heap, (-pairs[p], p))
    return Bpe(tokens, merges, prefix, start)


# --8<-- [end:train-bpe]


# --8<-- [start:merge-pair]
def merge_pair(word: list[int], pair: tuple[int, int], new: int) -> list[int]:
    """word에서 pair가 나오는 곳을 왼쪽부터 겹치지 않게 new 하나로 바꿉니다."""
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            out.append(new)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


# --8<-- [end:merge-pair]


# --8<-- [start:bpe-encode]
def bpe_encode(word: str, bpe: Bpe) -> list[str]:
    """낱말 하나(base_units의 꼴)를 학습한 병합으로 나눕니다.

    남은 이웃 쌍 가운데 먼저 학습한 병합부터 적용하기를 더 병합할
    쌍이 없을 때까지: 학습이 병합을 고른 순서를 그대로 되밟습니다.
    """
    rank = bpe.ranks  # 병합 -> 학습한 순서
    unknown = [ch for ch in word if ch not in bpe.ids]
    if unknown:
        raise KeyError(f"어휘에 없는 글자: {unknown[:5]}")
    parts = [ch if i == 0 else bpe.prefix + ch for i, ch in enumerate(word)]
    while len(parts) > 1:
        pairs = list(pairwise(parts))
        best = min(pairs, key=lambda p: rank.get(p, len(rank)))
        if best not in rank:
            break
        i = pairs.index(best)
        parts[i : i + 2] = [best[0] + best[1].removeprefix(bpe.prefix)]
    return parts


# --8<-- [end:bpe-encode]


# --8<-- [start:wordpiece-encode]
def wordpiece_encode(
    word: str, vocab: set[str], unk: str = "[UNK]", prefix: str = "##"
) -> list[str]:
    """WordPiece의 인코딩: 앞에서부터 어휘에 있는 가장 긴 조각을 떼기.

    낱말 가운데서 시작하는 조각은 prefix("##")를 붙여 찾습니다. 어느
    자리에서든 맞는 조각이 없으면 낱말 전체가 unk 하나가 됩니다.
    """
    pieces, start = [], 0
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = word[start:end] if start == 0 else prefix + word[start:end]
            if piece in vocab:
                break
        else:
            return [unk]
        pieces.append(piece)
        start = end
    return pieces


# --8<-- [end:wordpiece-encode]


def first_merges(bpe: Bpe, vocab_size: int) -> Bpe:
    """어휘가 vocab_size가 될 때까지의 앞 병합만 남긴 BPE.

    학습은 매번 그때 가장 잦은 쌍을 고를 뿐 뒤를 내다보지 않으므로, 더 작은 어휘로 학습한
    결과는 큰 어휘로 학습한 결과의 앞부분과 같습니다(테스트가 train_bpe와 견줍니다).
    """
    if not bpe.start <= vocab_size <= len(bpe.tokens):
        raise ValueError(
            f"어휘 크기는 시작 어휘 {bpe.start}개와 학습한 어휘 {len(bpe.tokens)}개 사이여야 "
            f"합니다: {vocab_size}"
        )
    if vocab_size == bpe.start:
        return Bpe(bpe.tokens[:vocab_size], [], bpe.prefix, bpe.start)
    last = bpe.tokens[vocab_size - 1]  # 이 토큰을 만든 병합까지
    made = [left + right.removeprefix(bpe.prefix) for left, right in bpe.merges]
    return Bpe(
        bpe.tokens[:vocab_size],
        bpe.merges[: made.index(last) + 1],
        bpe.prefix,
        bpe.start,
    )


def is_hangul_word(word: str) -> bool:
    """낱말이 한글 음절(U+AC00~U+D7A3, NFC)로만 되어 있는지."""
    return bool(word) and all("\uac00" <= ch <= "\ud7a3" for ch in word)


def tokens_per_syllable(
    words: Iterable[str], bpe: Bpe, alphabet: Alphabet
) -> float:
    """한글 낱말들을 bpe로 나눴을 때 음절 하나에 드는 토큰 수의 평균(낱말이 나온 횟수대로)."""
    counts = Counter(words)
    cache = {w: len(bpe_encode(base_units(w, alphabet), bpe)) for w in counts}
    tokens = sum(cache[w] * n for w, n in counts.items())
    return tokens / sum(len(w) * n for w, n in counts.items())


def byte_token_hex(token: str) -> str:
    """바이트 수준 토큰(byte_symbols의 글자들)을 UTF-8 바이트의 16진수로: 'ED 95 9C'."""
    return " ".join(f"{SYMBOL_BYTES[s]:02X}" for s in token)


# --8<-- [start:unknown-share]
def unknown_share(text: str, vocab: set[str]) -> float:
    """text의 공백이 아닌 글자 가운데 어휘에 없는 글자의 몫(0~1)."""
    chars = [ch for ch in text if not ch.isspace()]
    return sum(ch not in vocab for ch in chars) / len(chars)


# --8<-- [end:unknown-share]


# --8<-- [start:unk-word-share]
def unk_word_share(words: list[str], vocab: set[str]) -> float:
    """WordPiece가 통째로 [UNK] 하나로 바꾸는 낱말의 몫(0~1)."""
    unk = sum(wordpiece_encode(w, vocab) == ["[UNK]"] for w in words)
    return unk / len(words)


# --8<-- [end:unk-word-share]


def reference_bpe(text: str, alphabet: Alphabet, vocab_size: int) -> Tokenizer:
    """견줄 상대: 같은 낱말 나누기(공백), 같은 정규화(자모는 NFD), 같은 시작 어휘(바이트는 256개 모두)로
    학습한 `tokenizers`의 BPE. 노트북과 테스트가 함께 씁니다."""
    from tokenizers import (
        Tokenizer,
        models,
        normalizers,
        pre_tokenizers,
        trainers,
    )

    tokenizer = Tokenizer(models.BPE())
    steps = [pre_tokenizers.WhitespaceSplit()]
    options = {}
    if alphabet == "jamo":
        tokenizer.normalizer = normalizers.NFD()
    if alphabet == "byte":
        steps.append(
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
        )
        options["initial_alphabet"] = pre_tokenizers.ByteLevel.alphabet()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(steps)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, show_progress=False, **options
    )
    tokenizer.train_from_iterator([text], trainer)
    return tokenizer


if __name__ == "__main__":
    from snippets.corpus import corpus_text

    text = corpus_text()
    sentence = "토큰화는 글을 모델이 읽는 조각으로 나눕니다."
    for alphabet in ("syllable", "jamo", "byte"):
        counts = word_counts(text, alphabet)
        start = initial_tokens(counts)
        if alphabet == "byte":  # 말뭉치에 없는 바이트까지 256개 모두
            start = sorted(set(start) | set(BYTE_SYMBOLS))
        bpe = train_bpe(counts, 2000, start)
        pieces = [
            bpe_encode(base_units(w, alphabet), bpe) for w in sentence.split()
        ]
        shown = [
            byte_token_hex(t) if alphabet == "byte" else t
            for p in pieces
            for t in p
        ]
        print(f"{alphabet}: 시작 어휘 {bpe.start}개, 병합 {len(bpe.merges)}번")
        print("   " + " | ".join(shown))
