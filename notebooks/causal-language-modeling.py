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
# # 인과적 언어 모델링이란?: 동반 노트북
#
# 글 「인과적 언어 모델링이란?」의 표, 숫자, 그림, 생성 예시를 만드는 코드입니다. 블로그를 빌드할
# 때 이 노트북이 처음부터 실행됩니다. 이 블로그의 글들을 말뭉치로 작은 문자 단위 GPT를
# 학습하고, 학습 전과 후에 같은 시드로 글을 이어 쓰게 합니다.

# %%
import math
from collections import Counter

import matplotlib.pyplot as plt
import torch

from notebook_outputs import save_data, save_numbers, save_table, save_text
from notebook_outputs.figures import PHONE, Look, save_plot
from snippets.causal_lm import (
    CharTrainConfig,
    causal_lm_loss,
    next_token_targets,
    sample_text,
    train_char_gpt,
)
from snippets.corpus import corpus_text
from snippets.parameters import count_parameters

text = corpus_text()
config = CharTrainConfig()

# %% [markdown]
# ## 한 칸 밀어 만든 정답
#
# 짧은 문구를 글자 id로 바꾸고 next_token_targets로 밀면, 위치 t의 정답은 입력의 t+1번째 글자입니다.
# 표에서는 공백을 ␣로 보입니다.

# %%
# 학습 전 모델: 같은 시드의 초기화
untrained = train_char_gpt(text, CharTrainConfig(steps=0))
vocab = untrained.vocab
phrase = "언어 모델링"
inputs, targets = next_token_targets(vocab.encode(phrase)[None, :])


def show(ch: str) -> str:
    return "␣" if ch == " " else ch


rows = [
    (t, show(vocab.decode([i])), show(vocab.decode([j])))
    for t, (i, j) in enumerate(
        zip(inputs[0].tolist(), targets[0].tolist(), strict=True)
    )
]
save_table("shift-example", ["위치 t", "입력", "정답 (다음 글자)"], rows)
print(rows)

# %% [markdown]
# ## 인과 마스크가 지키는 것
#
# 학습 전 모델에 같은 문장을 넣되 마지막 글자만 바꿔 봅니다. 마지막 위치의 로짓은 달라지지만, 그
# 앞 위치의 로짓은 한 비트도 바뀌지 않습니다: 앞 위치는 뒤 글자를 볼 수 없기 때문입니다.

# %%
original = vocab.encode("인과적 언어 모델")[None, :]
changed = original.clone()
changed[0, -1] = vocab.id("은")
with torch.no_grad():
    before, after = untrained.model(original), untrained.model(changed)
past_change = (after[:, :-1] - before[:, :-1]).abs().max().item()
last_change = (after[:, -1] - before[:, -1]).abs().max().item()
assert past_change == 0.0 and last_change > 0
print(
    f"앞 위치의 최대 변화 {past_change}, 마지막 위치의 최대 변화 "
    f"{last_change:.3g}"
)

# %% [markdown]
# ## 블로그 글로 학습하기
#
# 말뭉치의 글자 빈도만 아는(앞 글자를 보지 않는) 모델이 낼 수 있는 가장 낮은 손실은 글자 분포의
# 엔트로피입니다. 손실이 그 아래로 내려가면 모델이 문맥을 쓰고 있다는 뜻입니다.

# %%
run = train_char_gpt(text, config)
steps = list(range(1, len(run.losses) + 1))
save_data("loss-log", {"step": steps, "loss": run.losses})

counts, n = Counter(text), len(text)
unigram_entropy = -sum(c / n * math.log(c / n) for c in counts.values())
log_vocab = math.log(len(vocab))
final_loss = sum(run.losses[-20:]) / 20  # 마지막 20스텝(배치 20개)의 평균
assert final_loss < unigram_entropy < run.losses[0]

# 학습 전후 모델의 손실을 말뭉치 전체(겹치지 않는 구간들)에서 잽니다.
data = vocab.encode(text)
T = config.max_len
windows = data[: (len(data) - 1) // T * T + 1]
chunks = torch.stack(
    [windows[i : i + T + 1] for i in range(0, len(windows) - T, T)]
)
with torch.no_grad():
    corpus_loss = {
        name: causal_lm_loss(model(chunks[:, :-1]), chunks[:, 1:]).item()
        for name, model in (("before", untrained.model), ("after", run.model))
    }
print("말뭉치 전체 손실:", corpus_loss)


# %%
def draw_loss(fig: plt.Figure, look: Look) -> None:
    levels = [
        (log_vocab, "균등 추측 ln V", "muted", ":"),
        (unigram_entropy, "유니그램 엔트로피", "red", "--"),
    ]
    ax = look.loss_axes(fig, len(steps), levels)
    ax.plot(steps, run.losses, color=look.blue, linewidth=1, label="학습 손실")
    look.legend(fig, ax)


save_plot(
    "loss-curve",
    draw_loss,
    size=(6.2, 3.6),
    narrow=(PHONE, 3.9),
    alt=(
        "스텝마다의 학습 손실 곡선. 첫 스텝에서 균등 추측의 손실 ln V 근처에서 "
        "시작해, 글자 빈도만 아는 모델의 한계인 유니그램 엔트로피 선을 초반에 "
        "뚫고 내려간 뒤 계속 낮아집니다."
    ),
    caption=(
        "작은 GPT의 손실은 곧 글자 빈도만 아는 모델의 한계(유니그램 엔트로피) "
        "아래로 내려갑니다: 앞 글자들을 단서로 쓰기 시작했다는 뜻입니다."
    ),
)

# %% [markdown]
# ## 학습 전과 후에 이어 쓰기
#
# 같은 프롬프트, 같은 생성기 시드, 같은 샘플링 설정으로 이어 씁니다.
# 결과는 글에 텍스트 블록으로 넣습니다.

# %%
prompt, temperature, top_k = "인과적 언어 모델", 0.8, 10
samples = {
    name: sample_text(
        model_run, prompt, 120, temperature, top_k, seed=0
    ).rstrip()
    for name, model_run in (("sample-before", untrained), ("sample-after", run))
}


for name, sample in samples.items():
    save_text(name, sample)
for name, sample in samples.items():
    print(f"[{name}]\n{sample}\n")

# %%
save_numbers(
    corpus_chars=f"{len(text):,}",
    vocab_size=f"{len(vocab):,}",
    parameters=f"{count_parameters(run.model):,}",
    steps=f"{config.steps:,}",
    batch_size=config.batch_size,
    max_len=config.max_len,
    tokens_per_step=f"{config.batch_size * config.max_len:,}",
    log_vocab=f"{log_vocab:.2f}",
    unigram_entropy=f"{unigram_entropy:.2f}",
    first_loss=f"{run.losses[0]:.2f}",
    final_loss=f"{final_loss:.2f}",
    corpus_loss_before=f"{corpus_loss['before']:.2f}",
    corpus_loss_after=f"{corpus_loss['after']:.2f}",
    last_logit_change=f"{last_change:.2g}",
    past_logit_change=f"{past_change:g}",
    prompt=prompt,
    temperature=temperature,
    top_k=top_k,
    n_layers=config.n_layers,
    d_model=config.d_model,
    final_window=20,
)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개가 싣는 숫자입니다. 첫째는 위의 "인과 마스크가 지키는 것"을 마스크 없이 되풀이합니다.
# 둘째는 학습한 모델이 프롬프트 다음 글자에 주는 분포의 엔트로피를 온도마다 잽니다.

# %%
from snippets.causal_lm import next_token_entropy
from snippets.gpt import logits_without_mask

unmasked_before = logits_without_mask(untrained.model, original)
unmasked_after = logits_without_mask(untrained.model, changed)
unmasked_change = (unmasked_after - unmasked_before).abs()  # (1, T, V)
unmasked_past_change = unmasked_change[:, :-1].max().item()
unmasked_first_change = unmasked_change[:, 0].max().item()
# 글: 마스크가 없으면 첫 위치도 바뀝니다
assert unmasked_first_change > 0 and past_change == 0
print(
    f"마스크 없이: 앞 위치 최대 변화 {unmasked_past_change:.2g}, 첫 위치 "
    f"{unmasked_first_change:.2g}"
)

TEMPERATURES = [0.5, 1.0, 2.0]
with torch.no_grad():
    prompt_logits = run.model(vocab.encode(prompt)[None, :])[0, -1]  # (V,)
entropies = [next_token_entropy(prompt_logits, t) for t in TEMPERATURES]
# 글: 온도와 함께 커집니다
assert entropies == sorted(entropies) and entropies[-1] < log_vocab
print("온도별 엔트로피:", dict(zip(TEMPERATURES, entropies, strict=True)))

save_numbers(
    unmasked_past_change=f"{unmasked_past_change:.2g}",
    unmasked_first_change=f"{unmasked_first_change:.2g}",
    entropy_temperatures=", ".join(f"{t:g}" for t in TEMPERATURES),
    entropies=", ".join(f"{e:.2f}" for e in entropies),
)
