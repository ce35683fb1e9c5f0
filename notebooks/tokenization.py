# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 토큰화: BPE와 WordPiece, 그리고 한국어: 동반 노트북
#
# 글 「토큰화: BPE와 WordPiece, 그리고 한국어」의 그림, 표, 숫자를 만드는 코드입니다. 블로그를
# 빌드할 때 이 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다.
#
# 말뭉치는 작은 GPT와 BERT가 학습하는 것과 같은 블로그 글의 산문(`snippets/data/blog-corpus.txt`)입니다.
# 낱말은 공백으로 나누고, 같은 낱말을 세 가지 기본 단위(음절, 자모, 바이트)로 써서 BPE를 학습합니다.
# 무작위성이 없어서 매번 같은 숫자가 나옵니다.

# %%
import json
import re
import unicodedata
from collections import Counter

import matplotlib.pyplot as plt

from notebook_outputs import save_numbers, save_table
from notebook_outputs.figures import PHONE, Look, save_plot
from snippets.corpus import corpus_text, split_held_out
from snippets.tokenization import (
    BYTE_SYMBOLS,
    base_units,
    bpe_encode,
    byte_token_hex,
    first_merges,
    initial_tokens,
    is_hangul_word,
    reference_bpe,
    tokens_per_syllable,
    train_bpe,
    unk_word_share,
    unknown_share,
    word_counts,
    wordpiece_encode,
)

ALPHABETS = {
    "syllable": "음절(NFC)",
    "jamo": "자모(NFD)",
    "byte": "바이트(UTF-8)",
}
VOCAB = 2000  # 표와 예시의 어휘 크기
LARGEST = 4000  # 그림이 훑는 가장 큰 어휘
COMPARE = 1000  # 글이 세 기본 단위를 견주는 어휘 크기
SIZES = [300, 500, 750, COMPARE, 1500, 2000, 3000, LARGEST]

text = corpus_text()
words = text.split()
hangul = [w for w in words if is_hangul_word(w)]
print(
    f"글자 {len(text):,}자, 낱말 {len(words):,}개(서로 다른 낱말 "
    f"{len(set(words)):,}개)"
)
print(
    f"한글 음절로만 된 낱말 {len(hangul):,}개, 음절 {sum(map(len, hangul)):,}개"
)
save_numbers(
    corpus_chars=f"{len(text):,}",
    corpus_words=f"{len(words):,}",
    corpus_distinct_words=f"{len(set(words)):,}",
    hangul_words=f"{len(hangul):,}",
    hangul_syllables=f"{sum(map(len, hangul)):,}",
    vocab=f"{VOCAB:,}",
)

# %% [markdown]
# ## 1단계: 기본 단위 세 가지
#
# 같은 낱말을 음절(NFC), 자모(NFD), UTF-8 바이트로 씁니다. 시작 어휘는 말뭉치에 나오는 기본 단위
# 전부이고(바이트는 나오지 않는 것까지 256개 모두), 병합 전에는 기본 단위 하나가 토큰 하나입니다.

# %%
trained = {}
for alphabet in ALPHABETS:
    counts = word_counts(text, alphabet)
    start = initial_tokens(counts)
    if alphabet == "byte":
        start = sorted(set(start) | set(BYTE_SYMBOLS))
    trained[alphabet] = train_bpe(counts, LARGEST, start)
    print(
        f"{alphabet}: 시작 어휘 {len(start)}개, 병합 "
        f"{len(trained[alphabet].merges)}번"
    )

han = "한"
examples = {
    "syllable": " ".join(base_units(han, "syllable")),
    "jamo": " ".join(f"U+{ord(c):04X}" for c in base_units(han, "jamo")),
    "byte": byte_token_hex(base_units(han, "byte")),
}
at_vocab = {a: first_merges(bpe, VOCAB) for a, bpe in trained.items()}
rates = {
    a: (
        tokens_per_syllable(
            hangul, first_merges(trained[a], trained[a].start), a
        ),
        tokens_per_syllable(hangul, at_vocab[a], a),
    )
    for a in ALPHABETS
}
save_table(
    "base-units",
    [
        "기본 단위",
        "'한'을 이루는 단위",
        "시작 어휘",
        "토큰/음절 (병합 전)",
        f"토큰/음절 (어휘 {VOCAB:,})",
    ],
    [
        [
            name,
            examples[a],
            f"{trained[a].start:,}",
            f"{rates[a][0]:.2f}",
            f"{rates[a][1]:.2f}",
        ]
        for a, name in ALPHABETS.items()
    ],
)
# 글: 음절은 1, 바이트는 3
assert rates["syllable"][0] == 1 and rates["byte"][0] == 3
assert rates["syllable"][0] < rates["jamo"][0] < rates["byte"][0]
save_numbers(
    syllable_start=f"{trained['syllable'].start:,}",
    jamo_start=trained["jamo"].start,
    jamo_rate=f"{rates['jamo'][0]:.2f}",
    syllable_rate_vocab=f"{rates['syllable'][1]:.2f}",
    jamo_rate_vocab=f"{rates['jamo'][1]:.2f}",
    byte_rate_vocab=f"{rates['byte'][1]:.2f}",
)

# %% [markdown]
# ## 2단계: tokenizers와 견주기
#
# 같은 말뭉치와 같은 낱말 나누기(공백), 같은 정규화(자모는 NFD), 같은 시작 어휘(바이트는 256개 모두)로
# `tokenizers`의 BpeTrainer를 학습하고, 병합 목록과 말뭉치 전체의 인코딩을 견줍니다.


# %%
compared = 0
for alphabet, bpe in at_vocab.items():
    ref = reference_bpe(text, alphabet, VOCAB)
    merges = [tuple(m) for m in json.loads(ref.to_str())["model"]["merges"]]
    assert merges == bpe.merges
    ours = [t for w in words for t in bpe_encode(base_units(w, alphabet), bpe)]
    assert ours == ref.encode(text).tokens
    assert bpe.tokens == sorted(ref.get_vocab(), key=ref.get_vocab().get)
    compared += len(bpe.merges)
print(f"병합 {compared:,}개와 말뭉치 전체의 토큰이 tokenizers와 같습니다")
save_numbers(merges_compared=f"{compared:,}")

# %% [markdown]
# ## 3단계: 한 문장을 세 가지로
#
# 어휘가 같은 크기일 때 한 문장이 어떻게 나뉘는지 봅니다. 바이트 토큰은 UTF-8 바이트의 16진수로 씁니다.

# %%
SENTENCE = "토큰화는 글을 모델이 읽을 수 있는 조각으로 나눕니다."


def shown(alphabet: str, token: str) -> str:
    """바이트 토큰은 온전한 글자는 글자로, 음절의 조각은 ‹16진수›로."""
    if alphabet != "byte":
        return token
    raw = bytes(int(h, 16) for h in byte_token_hex(token).split())
    text_ = raw.decode("utf-8", errors="backslashreplace")
    return re.sub(
        r"(?:\\x[0-9a-f]{2})+",
        lambda m: "‹" + m[0][2:].replace("\\x", " ").upper() + "›",
        text_,
    )


rows = []
for alphabet, name in ALPHABETS.items():
    pieces = [
        bpe_encode(base_units(w, alphabet), at_vocab[alphabet])
        for w in SENTENCE.split()
    ]
    tokens = [t for piece in pieces for t in piece]
    rows.append(
        [name, " · ".join(shown(alphabet, t) for t in tokens), len(tokens)]
    )
    print(name, [shown(alphabet, t) for t in tokens])
save_table("sentence", ["기본 단위", f"토큰 (어휘 {VOCAB:,})", "토큰 수"], rows)
# 글: 셋이 마지막 낱말 '나눕니다.'만 다르게 나눕니다(자모는 받침 ㅂ을 뒤로,
# 바이트는 '눕'을 쪼개서).
split = {
    a: [
        [shown(a, t) for t in bpe_encode(base_units(w, a), at_vocab[a])]
        for w in SENTENCE.split()
    ]
    for a in ALPHABETS
}
nfc = {
    a: [[unicodedata.normalize("NFC", t) for t in p] for p in split[a]]
    for a in ALPHABETS
}
assert nfc["syllable"][:-1] == nfc["jamo"][:-1] == nfc["byte"][:-1]
assert split["jamo"][-1] == [
    unicodedata.normalize("NFD", s) for s in ("나누", "ᆸ니다.")
]
assert split["byte"][-1] == ["나‹EB 88›", "‹95›", "니다."]


def whole_syllables(token: str) -> bool:
    """바이트 토큰이 온전한 글자들인지(UTF-8로 풀리는지)."""
    try:
        bytes(int(h, 16) for h in byte_token_hex(token).split()).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


byte_tokens = Counter(
    t
    for w in hangul
    for t in bpe_encode(base_units(w, "byte"), at_vocab["byte"])
)
partial = sum(n for t, n in byte_tokens.items() if not whole_syllables(t))
partial_share = partial / sum(byte_tokens.values())
print(f"한글 낱말의 바이트 토큰 가운데 음절의 조각: {partial_share:.1%}")
save_numbers(
    byte_partial_share=f"{partial_share:.0%}",
    sentence_words=len(SENTENCE.split()),
)

# %% [markdown]
# ## 4단계: 어휘 크기와 시퀀스 길이
#
# 가장 큰 어휘로 한 번 학습한 뒤 앞 병합만 남겨(first_merges) 어휘 크기마다 한글 낱말의 토큰/음절을 잽니다.
# 작은 어휘로 따로 학습해도 같은 병합이 나옵니다(테스트가 확인합니다).

# %%
sweep = {}
for alphabet, bpe in trained.items():
    sizes = [bpe.start] + [s for s in SIZES if s > bpe.start]
    sweep[alphabet] = [
        (s, tokens_per_syllable(hangul, first_merges(bpe, s), alphabet))
        for s in sizes
    ]
    print(alphabet, [f"{s}:{r:.2f}" for s, r in sweep[alphabet]])
markers = {"syllable": "o", "jamo": "s", "byte": "^"}


def draw_sweep(fig: plt.Figure, look: Look) -> None:
    ax = fig.subplots()
    for alphabet, name in ALPHABETS.items():
        sizes, rates_ = zip(*sweep[alphabet], strict=True)
        # 짧은 음절 선이 다른 선에 가리지 않게
        on_top = 3 if alphabet == "syllable" else 2
        ax.plot(
            sizes,
            rates_,
            marker=markers[alphabet],
            markersize=4,
            label=name,
            zorder=on_top,
        )
    ax.axhline(1, color=look.muted, linewidth=0.8, linestyle="--")
    ax.set(xlabel="어휘 크기 (로그 눈금)", ylabel="한글 음절 하나의 토큰 수")
    # 작은 어휘 쪽이 갈리는 곳이라 로그 눈금으로 넓혀 봅니다
    ax.set_xscale("log")
    ticks = [150, 300, 500, COMPARE, 2000, LARGEST]
    ax.set_xticks(ticks, [f"{t:,}" for t in ticks])
    ax.minorticks_off()
    ax.set_ylim(0, 3.2)
    ax.grid(True)
    look.legend(fig, ax)


byte_at_largest = sweep["byte"][-1][1]
jamo_at_largest = sweep["jamo"][-1][1]
syllable_at_largest = sweep["syllable"][-1][1]
save_plot(
    "vocab-sweep",
    draw_sweep,
    size=(6.4, 3.6),
    narrow=(PHONE, 3.9),
    alt=(
        f"어휘 크기(가로축, 로그 눈금, {trained['jamo'].start}~{LARGEST:,})에 "
        "따른 한글 음절 하나의 토큰 수(세로축). "
        f"바이트는 3에서, 자모는 {sweep['jamo'][0][1]:.1f}에서 시작해 어휘가 "
        "커질수록 내려가고, "
        f"음절은 시작 어휘 {trained['syllable'].start}개에서 1로 시작합니다. "
        f"어휘 {LARGEST:,}에서 "
        f"음절 {syllable_at_largest:.2f}, 자모 {jamo_at_largest:.2f}, 바이트 "
        f"{byte_at_largest:.2f}입니다."
    ),
    caption=(
        "어휘가 클수록 한글 음절 하나에 드는 토큰이 줄고, 기본 단위 사이의 "
        "차이도 줄어듭니다. "
        f"음절은 시작 어휘만 {trained['syllable'].start}개이고, 어휘 "
        f"{COMPARE:,}에서는 "
        "작은 시작 어휘에서 병합을 쌓은 자모가 음절보다 적은 토큰을 씁니다."
    ),
)
at_compare = {a: dict(sweep[a])[COMPARE] for a in ALPHABETS}
spread = max(r for _, r in (sweep[a][-1] for a in ALPHABETS)) - min(
    r for _, r in (sweep[a][-1] for a in ALPHABETS)
)
# 글: 어휘 1,000에서는 자모가 음절보다 짧습니다
assert at_compare["jamo"] < at_compare["syllable"]
assert spread < 0.05  # 글: 가장 큰 어휘에서는 셋이 거의 같습니다
syllable_uses = Counter(ch for w in hangul for ch in w)
rare = sum(n == 1 for n in syllable_uses.values())
print(f"한 번만 나온 음절 {rare}개 / {len(syllable_uses)}개")
save_numbers(
    compare=f"{COMPARE:,}",
    syllable_rate_compare=f"{at_compare['syllable']:.2f}",
    jamo_rate_compare=f"{at_compare['jamo']:.2f}",
    byte_rate_compare=f"{at_compare['byte']:.2f}",
    largest=f"{LARGEST:,}",
    syllable_rate_largest=f"{syllable_at_largest:.2f}",
    jamo_rate_largest=f"{jamo_at_largest:.2f}",
    byte_rate_largest=f"{byte_at_largest:.2f}",
    distinct_syllables=f"{len(syllable_uses):,}",
    rare_syllables=f"{rare:,}",
)

# %% [markdown]
# ## 5단계: WordPiece
#
# WordPiece는 낱말 가운데서 시작하는 조각에 `##`를 붙입니다. 특수 토큰 `[UNK]`를 먼저 두고 같은 크기의
# 어휘를 학습한 뒤, 가장 긴 조각부터 떼는 인코딩으로 예시 문장을 나눕니다.

# %%
syllable_counts = word_counts(text, "syllable")
wordpiece = train_bpe(
    syllable_counts,
    VOCAB,
    initial_tokens(syllable_counts, ["[UNK]"], "##"),
    "##",
)
wp_vocab = set(wordpiece.tokens)
wp_tokens = [t for w in SENTENCE.split() for t in wordpiece_encode(w, wp_vocab)]
print(wp_tokens)
save_table(
    "wordpiece-sentence",
    ["어휘", "토큰", "토큰 수"],
    [[f"WordPiece {VOCAB:,}", " · ".join(wp_tokens), len(wp_tokens)]],
)
continuing = sum(t.startswith("##") for t in wordpiece.tokens)
save_numbers(
    wordpiece_continuing=f"{continuing:,}",
    wordpiece_continuing_share=f"{continuing / len(wordpiece.tokens):.0%}",
)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 첫째는 NFD로 쓴 문장을 음절(NFC) 어휘로 읽을 때 어휘에 없는 글자의 몫입니다. 둘째는 말뭉치의 마지막
# 글을 떼어 두고 나머지로 WordPiece를 학습한 뒤, 떼어 둔 글의 낱말 가운데 `[UNK]`가 되는 몫입니다.

# %%
syllable_vocab = set(at_vocab["syllable"].tokens)
nfc_unknown = unknown_share(SENTENCE, syllable_vocab)
nfd_unknown = unknown_share(
    unicodedata.normalize("NFD", SENTENCE), syllable_vocab
)
# 글: NFC는 모두 어휘에 있고, NFD는 한글이 모두 없습니다
assert nfc_unknown == 0 < nfd_unknown
print(f"NFC {nfc_unknown:.0%}, NFD {nfd_unknown:.0%}")

train_part, held_out = split_held_out(text)
train_counts = word_counts(train_part, "syllable")
held_wordpiece = train_bpe(
    train_counts, VOCAB, initial_tokens(train_counts, ["[UNK]"], "##"), "##"
)
held_vocab = set(held_wordpiece.tokens)
seen_share = unk_word_share(train_part.split(), held_vocab)
held_share = unk_word_share(held_out.split(), held_vocab)
# 글: 학습한 낱말은 [UNK]가 없고, 처음 보는 글에는 있습니다
assert seen_share == 0 < held_share
print(f"학습한 글 {seen_share:.0%}, 떼어 둔 글 {held_share:.1%}")
save_numbers(
    nfd_unknown=f"{nfd_unknown:.0%}",
    held_out_words=f"{len(held_out.split()):,}",
    held_out_unk=f"{held_share:.1%}",
)
