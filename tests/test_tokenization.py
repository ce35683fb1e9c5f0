"""snippets/tokenization.py를 `tokenizers` 라이브러리(BpeTrainer, WordPieceTrainer, BPE·WordPiece 모델)와
견줍니다. 말뭉치는 블로그 자신의 글(snippets/data/blog-corpus.txt)이고, 어휘 크기는 홀수와 시작 어휘에 바로
붙은 크기까지 여럿입니다."""

from __future__ import annotations

import json
import unicodedata

import pytest
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

from snippets.corpus import corpus_text, split_held_out
from snippets.tokenization import (
    BYTE_SYMBOLS,
    base_units,
    bpe_encode,
    byte_symbols,
    byte_token_hex,
    first_merges,
    initial_tokens,
    is_hangul_word,
    merge_pair,
    reference_bpe,
    tokens_per_syllable,
    train_bpe,
    unk_word_share,
    unknown_share,
    word_counts,
    wordpiece_encode,
)

TEXT = corpus_text()
ALPHABETS = ["syllable", "jamo", "byte"]


def start_tokens(alphabet: str) -> list[str]:
    start = initial_tokens(word_counts(TEXT, alphabet))
    return sorted(set(start) | set(BYTE_SYMBOLS)) if alphabet == "byte" else start


def model_of(tokenizer: Tokenizer) -> dict:
    return json.loads(tokenizer.to_str())["model"]


@pytest.mark.parametrize("alphabet", ALPHABETS)
@pytest.mark.parametrize("extra", [1, 257, 1001], ids=lambda n: f"start+{n}")
def test_train_bpe_matches_tokenizers_bpe_trainer(alphabet: str, extra: int) -> None:
    start = start_tokens(alphabet)
    vocab_size = len(start) + extra
    ours = train_bpe(word_counts(TEXT, alphabet), vocab_size, start)
    theirs = model_of(reference_bpe(TEXT, alphabet, vocab_size))
    assert ours.tokens == sorted(theirs["vocab"], key=theirs["vocab"].get)
    assert ours.merges == [tuple(m) for m in theirs["merges"]]
    assert len(ours.tokens) == vocab_size


@pytest.mark.parametrize("alphabet", ALPHABETS)
def test_bpe_encode_matches_tokenizers_on_the_whole_corpus(alphabet: str) -> None:
    start = start_tokens(alphabet)
    vocab_size = len(start) + 777
    ours = train_bpe(word_counts(TEXT, alphabet), vocab_size, start)
    tokens = [t for w in TEXT.split() for t in bpe_encode(base_units(w, alphabet), ours)]
    assert tokens == reference_bpe(TEXT, alphabet, vocab_size).encode(TEXT).tokens


def test_bpe_encode_matches_tokenizers_on_text_it_did_not_train_on() -> None:
    """떼어 둔 글에는 학습에서 본 적 없는 낱말이 있어도 바이트라 모두 인코딩됩니다."""
    train, held_out = split_held_out(TEXT)
    start = sorted(set(initial_tokens(word_counts(train, "byte"))) | set(BYTE_SYMBOLS))
    ours = train_bpe(word_counts(train, "byte"), 999, start)
    reference = reference_bpe(train, "byte", 999)
    tokens = [t for w in held_out.split() for t in bpe_encode(base_units(w, "byte"), ours)]
    assert tokens == reference.encode(held_out).tokens
    assert set(held_out.split()) - set(train.split())  # 정말 처음 보는 낱말이 있습니다


def test_byte_symbols_match_tokenizers_byte_level_alphabet() -> None:
    assert sorted(byte_symbols()) == sorted(pre_tokenizers.ByteLevel.alphabet())
    assert len(set(byte_symbols())) == 256


def test_byte_units_of_a_hangul_syllable_match_utf8_and_tokenizers() -> None:
    units = base_units("한", "byte")
    assert byte_token_hex(units) == "ED 95 9C" == "한".encode().hex(" ").upper()
    splitter = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    assert splitter.pre_tokenize_str("한국어") == [(base_units("한국어", "byte"), (0, 3))]


def test_jamo_units_are_unicode_nfd_and_back_to_nfc() -> None:
    jamo = base_units("한국어", "jamo")
    assert [f"{ord(c):04X}" for c in base_units("한", "jamo")] == ["1112", "1161", "11AB"]
    assert jamo == normalizers.NFD().normalize_str("한국어")
    assert unicodedata.normalize("NFC", jamo) == "한국어" == base_units(jamo, "syllable")


def test_base_units_rejects_unknown_alphabet() -> None:
    with pytest.raises(ValueError, match="syllable, jamo, byte"):
        base_units("한", "letters")  # type: ignore[arg-type]


@pytest.mark.parametrize("alphabet", ALPHABETS)
def test_first_merges_equals_training_a_smaller_vocabulary(alphabet: str) -> None:
    """BPE는 탐욕적이라 작은 어휘의 학습 결과가 큰 어휘의 앞부분입니다."""
    start = start_tokens(alphabet)
    counts = word_counts(TEXT, alphabet)
    big = train_bpe(counts, len(start) + 1500, start)
    for size in (len(start), len(start) + 1, len(start) + 333):
        small = train_bpe(counts, size, start)
        cut = first_merges(big, size)
        assert (cut.tokens, cut.merges) == (small.tokens, small.merges)
    with pytest.raises(ValueError, match="시작 어휘"):
        first_merges(big, len(start) - 1)


def test_merge_pair_merges_left_to_right_without_overlap() -> None:
    assert merge_pair([1, 1, 1], (1, 1), 9) == [9, 1]
    assert merge_pair([1, 1, 1, 1], (1, 1), 9) == [9, 9]
    assert merge_pair([2, 1, 3], (1, 1), 9) == [2, 1, 3]


def test_training_ties_go_to_the_smaller_id_pair() -> None:
    """'ab'와 'cd'가 한 번씩: 잦기가 같으면 id 쌍이 작은 (a, b)를 먼저 병합합니다."""
    counts = {"cd": 1, "ab": 1}
    start = initial_tokens(counts)
    ours = train_bpe(counts, len(start) + 1, start)
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer.train_from_iterator(["cd ab"], trainers.BpeTrainer(vocab_size=5, show_progress=False))
    assert ours.merges == [("a", "b")] == [tuple(m) for m in model_of(tokenizer)["merges"]]


@pytest.mark.parametrize("alphabet", ALPHABETS)
def test_encoding_puts_every_word_back_together(alphabet: str) -> None:
    start = start_tokens(alphabet)
    bpe = train_bpe(word_counts(TEXT, alphabet), len(start) + 501, start)
    for word in set(TEXT.split()):
        assert "".join(bpe_encode(base_units(word, alphabet), bpe)) == base_units(word, alphabet)


def test_bpe_encode_names_characters_outside_the_vocabulary() -> None:
    bpe = train_bpe({"ab": 1}, 3, initial_tokens({"ab": 1}))
    with pytest.raises(KeyError, match="어휘에 없는 글자"):
        bpe_encode("abc", bpe)


def test_tokens_per_syllable_is_one_before_merges_and_three_for_bytes() -> None:
    hangul = [w for w in TEXT.split() if is_hangul_word(w)]
    assert hangul and not is_hangul_word("BPE는") and not is_hangul_word("")
    start = {a: start_tokens(a) for a in ALPHABETS}
    rates = {
        a: tokens_per_syllable(hangul, train_bpe(word_counts(TEXT, a), len(s), s), a)
        for a, s in start.items()
    }
    assert rates["syllable"] == 1 and rates["byte"] == 3 and 2 < rates["jamo"] < 3
    merged = train_bpe(word_counts(TEXT, "byte"), 1500, start["byte"])
    assert tokens_per_syllable(hangul, merged, "byte") < 1


def wordpiece_reference(vocab_size: int, text: str = TEXT) -> Tokenizer:
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, show_progress=False, special_tokens=["[UNK]"]
    )
    tokenizer.train_from_iterator([text], trainer)
    return tokenizer


@pytest.mark.parametrize("vocab_size", [1501, 2222])
def test_wordpiece_training_is_bpe_with_continuing_prefix_given_the_same_start(
    vocab_size: int,
) -> None:
    """tokenizers의 WordPieceTrainer는 ## 접두사를 붙인 BPE 학습입니다.

    다만 '##글자' 토큰의 id를 해시 표의 차례로 매겨 실행마다 다를 수 있고, 잦기가 같은 쌍은
    id로 고르므로 어휘도 달라질 수 있습니다. 그 id 차례를 그대로 주면 같은 어휘가 나옵니다.
    """
    counts = word_counts(TEXT, "syllable")
    ours_start = initial_tokens(counts, ["[UNK]"], "##")
    reference = wordpiece_reference(vocab_size)
    vocab = reference.get_vocab()
    theirs = sorted(vocab, key=vocab.get)
    assert set(theirs[: len(ours_start)]) == set(ours_start)  # 시작 어휘는 같은 글자들
    ours = train_bpe(counts, vocab_size, theirs[: len(ours_start)], "##")
    assert ours.tokens == theirs


def test_wordpiece_vocabulary_depends_on_the_order_of_continuing_ids() -> None:
    """## 토큰의 id 차례만 바꿔도 잦기가 같은 쌍의 선택이 바뀌어 어휘가 달라집니다."""
    counts = word_counts(TEXT, "syllable")
    start = initial_tokens(counts, ["[UNK]"], "##")
    plain = [t for t in start if not t.startswith("##")]
    continuing = [t for t in start if t.startswith("##")]
    forward = train_bpe(counts, 3000, start, "##")
    backward = train_bpe(counts, 3000, plain + continuing[::-1], "##")
    assert set(forward.tokens) != set(backward.tokens)


def test_wordpiece_encode_matches_tokenizers_on_the_whole_corpus_and_held_out_text() -> None:
    train, held_out = split_held_out(TEXT)
    reference = wordpiece_reference(1777, train)
    vocab = set(reference.get_vocab())
    for text in (TEXT, held_out):
        ours = [t for w in text.split() for t in wordpiece_encode(w, vocab)]
        assert ours == reference.encode(text).tokens


def test_wordpiece_encode_takes_the_longest_piece_and_marks_continuations() -> None:
    vocab = {"[UNK]", "토", "토큰", "##화", "##화는", "##는"}
    assert wordpiece_encode("토큰화는", vocab) == ["토큰", "##화는"]
    assert wordpiece_encode("토큰는", vocab) == ["토큰", "##는"]
    assert wordpiece_encode("화는", vocab) == ["[UNK]"]  # 첫 조각에는 ##가 붙지 않습니다


def test_unknown_share_of_nfd_text_in_a_syllable_vocabulary() -> None:
    sentence = "토큰화는 한국어를 나눕니다."
    vocab = set(start_tokens("syllable"))
    assert unknown_share(sentence, vocab) == 0
    hangul = sum(is_hangul_word(ch) for ch in sentence)
    chars = len(sentence.replace(" ", ""))
    nfd = unicodedata.normalize("NFD", sentence)
    assert unknown_share(nfd, vocab) == pytest.approx(
        (len(nfd.replace(" ", "")) - (chars - hangul)) / len(nfd.replace(" ", ""))
    )


def test_unk_word_share_is_zero_on_training_words_and_not_on_held_out_words() -> None:
    train, held_out = split_held_out(TEXT)
    counts = word_counts(train, "syllable")
    wordpiece = train_bpe(counts, 1500, initial_tokens(counts, ["[UNK]"], "##"), "##")
    vocab = set(wordpiece.tokens)
    assert unk_word_share(train.split(), vocab) == 0
    held = unk_word_share(held_out.split(), vocab)
    reference = wordpiece_reference(1500, train).encode(held_out).tokens
    assert held > 0 and held == pytest.approx(reference.count("[UNK]") / len(held_out.split()))
