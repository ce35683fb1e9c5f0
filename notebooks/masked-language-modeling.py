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
# # 마스크 언어 모델링: 동반 노트북
#
# 글 「마스크 언어 모델링: NLP의 마법 같은 기술」의 가리기 예시, 통계, 그림, 빈칸 채우기 결과를
# 만드는 코드입니다. 블로그를 빌드할 때 이 노트북이 처음부터 실행됩니다. 이 블로그의 글들로 아주
# 작은 BERT를 학습하고, 학습 전과 후에 같은 빈칸을 채우게 합니다. 마지막 글은 학습에서
# 빼 두었다가, 처음 보는 글의 빈칸을 얼마나 맞히는지 잽니다.

# %%
import math
from collections import Counter

import matplotlib.pyplot as plt
import torch

from notebook_outputs import save_numbers, save_table, save_text
from notebook_outputs.figures import PHONE, Look, save_plot
from snippets.corpus import corpus_text, split_held_out
from snippets.mlm import (
    IGNORE_INDEX,
    SPECIAL_TOKENS,
    context_free_loss,
    fill_accuracy,
    fill_in_blanks,
    mask_tokens,
    masking_statistics,
    top_candidates,
    train_tiny_mlm,
)
from snippets.parameters import count_parameters

text = corpus_text()
# train_tiny_mlm이 학습하지 않는 마지막 글
train_text, held_out_text = split_held_out(text)
untrained = train_tiny_mlm(text, steps=0)  # 학습 전 모델: 같은 시드의 초기화
vocab = untrained.vocab
special_ids = [vocab.id(token) for token in SPECIAL_TOKENS]
cls_id, sep_id, mask_id = (
    vocab.id("[CLS]"),
    vocab.id("[SEP]"),
    vocab.id("[MASK]"),
)


def show(token: str) -> str:
    """표 칸에 넣을 글자: 공백은 ␣, 줄바꿈은 ↵로 보이게, 마크다운 기호(| * _ `
    \\ <)는 글자 그대로."""
    for ch in "\\|*_`":
        token = token.replace(ch, "\\" + ch)
    return token.replace("<", "&lt;").replace(" ", "␣").replace("\n", "↵")


# %% [markdown]
# ## 블로그 문장 하나를 가려 보기
#
# 글에 나오는 문장을 글자 id로 바꾸고 앞뒤에 [CLS]와 [SEP]를 붙인 뒤, 같은 문장을 SHOWN_DRAWS번
# 가립니다(생성기 하나로 여러 줄을 한꺼번에). 고른 자리에만 레이블(원래 글자)이 있고, 나머지 자리의
# 레이블은 -100입니다.

# %%
SHOWN_DRAWS = 3  # 표에 싣는 가리기 횟수
sentence = "컴퓨터는 주변 단어들을 살펴보며 가려진 단어를 추측해요."
assert sentence in text  # 블로그에 실제로 있는 문장
ids = torch.cat(
    [torch.tensor([cls_id]), vocab.encode(sentence), torch.tensor([sep_id])]
)[None]
example = mask_tokens(
    ids.expand(SHOWN_DRAWS, -1),
    len(vocab),
    mask_id,
    special_ids,
    torch.Generator().manual_seed(0),
)

original_tokens = [vocab.tokens[i] for i in ids[0].tolist()]
lines = ["원문:  " + "".join(original_tokens)]
rows = []
pairs = zip(example.input_ids.tolist(), example.labels.tolist(), strict=True)
for draw, (inputs, labels) in enumerate(pairs):
    input_tokens = [vocab.tokens[i] for i in inputs]
    lines.append(f"입력{draw + 1}: " + "".join(input_tokens))
    for t, label in enumerate(labels):
        if label == IGNORE_INDEX:
            continue
        if input_tokens[t] == "[MASK]":
            rule = "[MASK]로 (80%)"
        elif input_tokens[t] == original_tokens[t]:
            rule = "그대로 (10%)"
        else:
            rule = "무작위 글자로 (10%)"
        row = (
            draw + 1,
            t,
            show(original_tokens[t]),
            show(input_tokens[t]),
            show(vocab.tokens[label]),
        )
        rows.append((*row, rule))
save_text("masked-sentence", "\n".join(lines))
save_table(
    "masking-example",
    ["입력", "위치", "원래 글자", "모델 입력", "레이블", "처리"],
    rows,
)
n_tokens = ids.size(1)
save_numbers(
    example_tokens=n_tokens,
    example_ordinary=n_tokens - 2,
    example_draws=SHOWN_DRAWS,
    example_chosen=", ".join(
        str(sum(r[0] == d for r in rows)) for d in range(1, SHOWN_DRAWS + 1)
    ),
)
print("\n".join(lines))
print(rows)

# %% [markdown]
# ## 같은 문장을 만 번 가리면
#
# 한 번 가리면 몇 자리만 뽑히므로 80/10/10이 그대로 보이지 않습니다. 같은 문장을 10,000번 가려서
# 비율을 셉니다. 무작위 글자가 우연히 원래 글자와 같으면 "그대로"로 셉니다.

# %%
draws = 10_000
batch = ids.expand(draws, -1)
masked = mask_tokens(
    batch, len(vocab), mask_id, special_ids, torch.Generator().manual_seed(1)
)
stats = masking_statistics(batch, masked, mask_id, special_ids)
never_special = bool((masked.labels[:, [0, -1]] == IGNORE_INDEX).all())
assert never_special
# 글은 "15%, 80/10/10에 가깝다"고 말합니다. 1만 번이면 표준편차가 0.5%p보다
# 작습니다.
for key, p in (
    ("chosen", 0.15),
    ("mask", 0.8),
    ("random", 0.1),
    ("unchanged", 0.1),
):
    assert abs(stats[key] - p) < 0.01, (key, stats[key])
save_numbers(
    draws=f"{draws:,}",
    chosen_percent=f"{100 * stats['chosen']:.1f}",
    mask_percent=f"{100 * stats['mask']:.1f}",
    random_percent=f"{100 * stats['random']:.1f}",
    unchanged_percent=f"{100 * stats['unchanged']:.1f}",
)
print(stats)

# %% [markdown]
# ## 블로그 글로 학습하기
#
# 글자 분포의 엔트로피는 [MASK]만 보고 글자 빈도로 답하는 모델의 손실입니다. 주변을 보지 않는 모델의
# 한계는 그보다 조금 낮습니다: 고른 자리의 일부는 정답 글자가 그대로, 일부는 무작위 글자가 보이므로 빈칸에
# 보이는 글자 하나로 맞힐 수 있는 자리가 있습니다. 손실이 그 한계 아래로 내려가야 모델이 빈칸 주변의
# 글자를 쓰고 있다는 뜻입니다.

# %%
run = train_tiny_mlm(text)
model = run.model
counts, n = Counter(text), len(text)
unigram_entropy = -sum(c / n * math.log(c / n) for c in counts.values())
log_vocab = math.log(len(vocab))
window = 50
smoothed = [
    sum(run.losses[i - window : i]) / window
    for i in range(window, len(run.losses) + 1)
]
# 주변을 보지 않는 모델의 진짜 한계: 고른 자리의 20%는 토큰이 보이고(그중 절반은
# 정답 그대로),
# 그래서 엔트로피보다 낮습니다. 무작위 토큰의 후보(특수 토큰이 아닌 글자)의 학습
# 글 빈도로 셉니다.
ordinary = [token for token in vocab.tokens if token not in SPECIAL_TOKENS]
train_counts = Counter(train_text)
total = sum(train_counts[token] for token in ordinary)
p_ordinary = torch.tensor(
    [train_counts[token] / total for token in ordinary], dtype=torch.float64
)
context_free = context_free_loss(p_ordinary)
assert smoothed[-1] < context_free < unigram_entropy

steps = range(1, len(run.losses) + 1)


def draw_loss(fig: plt.Figure, look: Look) -> None:
    levels = [
        (log_vocab, "균등 추측 ln V", "muted", ":"),
        (unigram_entropy, "유니그램 엔트로피", "red", "--"),
        (context_free, "주변을 보지 않는 모델의 한계", "purple", "-."),
    ]
    ax = look.loss_axes(fig, len(run.losses), levels)
    ax.plot(
        steps,
        run.losses,
        color=look.blue,
        alpha=0.3,
        linewidth=0.8,
        label="MLM 손실 (배치)",
    )
    ax.plot(
        range(window, len(run.losses) + 1),
        smoothed,
        color=look.blue,
        label=f"{window}스텝 평균",
    )
    look.legend(fig, ax)


save_plot(
    "mlm-loss",
    draw_loss,
    size=(6.2, 3.8),
    narrow=(PHONE, 4.6),
    alt=(
        "스텝마다의 MLM 손실 곡선. 균등 추측의 손실 ln V 선 근처에서 시작해, "
        "초반에 글자 빈도만 아는 모델의 손실인 유니그램 엔트로피 선(빨간 "
        "점선)과 그보다 조금 낮은, 주변을 보지 않는 모델의 한계선(보라색) "
        "아래로 내려간 뒤 꾸준히 낮아집니다."
    ),
    caption=(
        "MLM 손실은 주변을 보지 않는 모델의 한계(보라색 선)보다도 낮아집니다: "
        "모델이 빈칸 앞뒤의 글자를 단서로 씁니다."
    ),
)

config = model.config
save_numbers(
    corpus_chars=f"{len(text):,}",
    vocab_size=f"{len(vocab):,}",
    tiny_params=f"{count_parameters(model):,}",
    tiny_layers=config.n_layers,
    tiny_width=config.d_model,
    tiny_heads=config.n_heads,
    tiny_window=config.max_len - 2,
    train_steps=f"{len(run.losses):,}",
    loss_first=f"{run.losses[0]:.2f}",
    loss_last=f"{smoothed[-1]:.2f}",
    unigram_entropy=f"{unigram_entropy:.2f}",
    context_free_loss=f"{context_free:.2f}",
    loss_window=window,
    n_special=len(SPECIAL_TOKENS),
)

# %% [markdown]
# ## 빈칸 채우기: 학습 전과 후
#
# 블로그 문장에서 낱말 하나를 통째로 [MASK]로 바꾸고, 학습 전 모델(같은 시드의 초기화)과 학습한
# 모델에 각각 채우게 합니다. 마지막 열은 같은 낱말을 한 글자씩만 가렸을 때(나머지 글자는 보임)
# 학습한 모델이 고른 글자를 이어 붙인 것입니다. 낱말은 결과를 보기 전에 정했습니다.

# %%
blanks = [
    ("앞뒤를 모두 살펴봐요", "모두"),
    ("마치 재미있는 단어 퍼즐 게임 같아요", "퍼즐"),
    ("컴퓨터는 주변 단어들을 살펴보며", "주변"),
    ("유명한 언어 모델의 핵심이에요", "언어"),
    ("트랜스포머의 인코더 부분만을 사용합니다", "인코더"),
]
rows = []
for phrase, word in blanks:
    # 모델이 읽은 글의 문장
    assert phrase in train_text and len(phrase) <= config.max_len - 2
    start = phrase.index(word)
    positions = list(range(start, start + len(word)))
    shown = phrase[:start] + "＿" * len(word) + phrase[start + len(word) :]
    before = "".join(fill_in_blanks(untrained.model, vocab, phrase, positions))
    after = "".join(fill_in_blanks(model, vocab, phrase, positions))
    one_by_one = "".join(
        fill_in_blanks(model, vocab, phrase, [p])[0] for p in positions
    )
    rows.append((shown, word, show(before), show(after), show(one_by_one)))
header = ["빈칸 문장", "정답", "학습 전", "학습 후", "학습 후 (한 글자씩)"]
save_table("fill-in-blanks", header, rows)
print(rows)

# %% [markdown]
# ## 첫 후보들과 확률
#
# 위 표의 낱말에서 글자마다, 학습한 모델이 내놓은 첫 N_CANDIDATES개 후보와 확률입니다. 낱말 전체를 가렸을 때와
# 그 글자 하나만 가렸을 때를 나란히 놓고, 정답 글자는 굵게 적습니다.


# %%
def candidates_cell(candidates: list[tuple[str, float]], answer: str) -> str:
    """후보들을 한 칸에: "모 87% · 손 1% …", 정답은 굵게, 0.5% 미만은 <1%."""
    cells = []
    for token, p in candidates:
        cell = (
            f"{show(token)} {100 * p:.0f}%"
            if p >= 0.005
            else f"{show(token)} &lt;1%"
        )
        cells.append(f"**{cell}**" if token == answer else cell)
    return " · ".join(cells)


N_CANDIDATES = 5  # 글자마다 싣는 후보 수
PARTICLES = set("의을를로는은이가에와과도만")  # 한 글자짜리 조사
rows, whole_word_top, word_end, alone_right = [], [], [], [0.0]
for phrase, word in blanks:
    start = phrase.index(word)
    positions = list(range(start, start + len(word)))
    whole_word = top_candidates(model, vocab, phrase, positions, k=N_CANDIDATES)
    for i, (p, together) in enumerate(zip(positions, whole_word, strict=True)):
        alone = top_candidates(model, vocab, phrase, [p], k=N_CANDIDATES)[0]
        marked = word[:i] + f"**{word[i]}**" + word[i + 1 :]
        rows.append(
            (
                marked,
                candidates_cell(together, word[i]),
                candidates_cell(alone, word[i]),
            )
        )
        whole_word_top.append(together[0][1])
        if alone[0][0] == word[i]:
            alone_right.append(alone[0][1])
    # 낱말을 가렸을 때 마지막 글자의 후보들
    word_end += [token for token, _ in whole_word[-1]]
header = [
    "낱말 (가린 글자)",
    f"낱말 전체를 가렸을 때: 1~{N_CANDIDATES}위",
    f"이 글자만 가렸을 때: 1~{N_CANDIDATES}위",
]
save_table("top-candidates", header, rows)
particles = Counter(token for token in word_end if token in PARTICLES)
# 글은 "낱말 끝 자리의 후보는 대부분 조사이고, 한 글자만 가리면 정답을 절반 넘는
# 확률로 고르는
# 자리도 있다"고 말합니다: 그 말이 참일 때만 빌드가 됩니다.
assert particles.total() > len(word_end) / 2
assert max(alone_right) > 0.5
save_numbers(
    n_candidates=N_CANDIDATES,
    whole_word_top_max=f"{100 * max(whole_word_top):.0f}",
    word_end_candidates=len(word_end),
    word_end_particles=particles.total(),
    word_end_examples=", ".join(
        f"‘{ch}’" for ch, _ in particles.most_common(3)
    ),
    alone_right_max=f"{100 * max(alone_right):.0f}",
)
print(rows, particles)

# %% [markdown]
# ## 한 글자 빈칸의 정답률: 읽은 글과 처음 보는 글
#
# 글자 창을 무작위로 골라 글자 하나만 가리고, 모델의 첫 후보가 원래 글자인 비율을 잽니다. 같은
# 빈칸에서 문맥을 보지 않고 학습한 글에서 가장 흔한 글자만 답하는 기준선과 견줍니다. 먼저 학습에 쓴
# 글에서(읽은 글을 얼마나 익혔는지), 다음으로 학습에서 뺀 마지막 글에서(처음 보는 글에 통하는지) 잽니다.

# %%
n_blanks = 2_000
top_char = Counter(train_text).most_common(1)[0][0]
seen = fill_accuracy(
    model,
    vocab,
    train_text,
    top_char,
    n_blanks,
    torch.Generator().manual_seed(2),
)
seen_before = fill_accuracy(
    untrained.model,
    vocab,
    train_text,
    top_char,
    n_blanks,
    torch.Generator().manual_seed(2),
)
unseen = fill_accuracy(
    model,
    vocab,
    held_out_text,
    top_char,
    n_blanks,
    torch.Generator().manual_seed(3),
)
# 처음 보는 글의 빈칸을 원래 글자의 종류(공백·줄바꿈, 한글 음절)로 나누어
# 정답률을 셉니다.
answers = [vocab.tokens[i] for i in unseen.answers.tolist()]
is_space = torch.tensor([ch.isspace() for ch in answers])
is_hangul = torch.tensor(["가" <= ch <= "힣" for ch in answers])
space_accuracy = unseen.correct[is_space].float().mean().item()
hangul_accuracy = unseen.correct[is_hangul].float().mean().item()
# 글은 "처음 보는 글에서는 읽은 글보다 낮지만 기준선보다 확실히 높고,
# 공백·줄바꿈 자리가 한글
# 음절보다 훨씬 쉽다"고 말합니다: 그 말이 참일 때만 빌드가 됩니다.
assert (
    seen.model > seen.baseline
    and seen.model > unseen.model > 1.5 * unseen.baseline
)
assert space_accuracy > 2 * hangul_accuracy
save_numbers(
    blank_trials=f"{n_blanks:,}",
    accuracy_before=f"{100 * seen_before.model:.1f}",
    accuracy_after=f"{100 * seen.model:.1f}",
    most_common_char_percent=f"{100 * seen.baseline:.1f}",
    most_common_char="공백" if top_char == " " else f"'{top_char}'",
    held_out_title=held_out_text.splitlines()[0],  # 글의 첫 줄이 제목
    held_out_chars=f"{len(held_out_text):,}",
    held_out_accuracy=f"{100 * unseen.model:.1f}",
    held_out_baseline=f"{100 * unseen.baseline:.1f}",
    held_out_space_accuracy=f"{100 * space_accuracy:.1f}",
    held_out_hangul_accuracy=f"{100 * hangul_accuracy:.1f}",
    held_out_hangul_blanks=f"{is_hangul.sum().item():,}",
)
print(
    seen.model, seen.baseline, seen_before.model, unseen.model, unseen.baseline
)
print(space_accuracy, hangul_accuracy)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개를 풉니다. 먼저 학습한 모델을 그대로 두고, 처음 보는 글을 더 많이 가릴수록
# MLM 손실이 어떻게 바뀌는지 잽니다(같은 창과 같은 시드, 가리는 비율만 다름).

# %%
from snippets.mlm import context_free_by_split, loss_at_mask_rate

RATES = (0.15, 0.3, 0.5, 0.8)
rate_losses = {
    rate: loss_at_mask_rate(
        model, vocab, held_out_text, rate, 512, torch.Generator().manual_seed(4)
    )
    for rate in RATES
}
# 글은 "더 가릴수록 손실이 오른다"고 말합니다: 그 말이 참일 때만 빌드가 됩니다.
assert list(rate_losses.values()) == sorted(rate_losses.values()), rate_losses
print(rate_losses)

# %% [markdown]
# 다음은 고른 자리를 나누는 비율을 바꿔, 문맥을 보지 않는 모델이 낼 수 있는 가장 낮은 손실을 셉니다.

# %%
SPLITS = ((1.0, 0.0), (0.8, 0.1), (0.6, 0.2), (0.5, 0.0))
split_bounds = context_free_by_split(p_ordinary, SPLITS)
assert (
    split_bounds[(1.0, 0.0)]
    > split_bounds[(0.8, 0.1)]
    > split_bounds[(0.5, 0.0)]
)
print(split_bounds)


def percent_split(mask: float, random: float) -> str:
    return (
        f"{100 * mask:.0f}/{100 * random:.0f}/{100 * (1 - mask - random):.0f}"
    )


save_table(
    "mask-rate-losses",
    ["가리는 비율", "처음 보는 글의 MLM 손실 (내트)"],
    [
        (f"{100 * rate:.0f}%", f"{loss:.2f}")
        for rate, loss in rate_losses.items()
    ],
)
save_table(
    "split-bounds",
    ["[MASK] / 무작위 / 그대로 (%)", "문맥 없는 손실 한계 (내트)"],
    [
        (percent_split(*split), f"{bound:.2f}")
        for split, bound in split_bounds.items()
    ],
)
save_numbers(
    rate_windows=512,
    rate_trained=f"{100 * RATES[0]:.0f}",
    rate_highest=f"{100 * RATES[-1]:.0f}",
    rate_loss_trained=f"{rate_losses[RATES[0]]:.2f}",
    rate_loss_highest=f"{rate_losses[RATES[-1]]:.2f}",
    split_all_mask=f"{split_bounds[(1.0, 0.0)]:.2f}",
    split_bert=f"{split_bounds[(0.8, 0.1)]:.2f}",
    split_half_kept=f"{split_bounds[(0.5, 0.0)]:.2f}",
)
