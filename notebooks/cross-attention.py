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
# # 크로스 어텐션에 대해서 알려줘: 동반 노트북
#
# 글 「크로스 어텐션에 대해서 알려줘」의 그림과 숫자를 만드는 코드입니다. 블로그를 빌드할 때 이
# 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다.
#
# 아주 작은 인코더-디코더에게 숫자 수열을 뒤집는 일을 가르치고, 디코더의 크로스 어텐션이 입력의
# 어디를 보는지 그립니다. 길이 S인 수열에서 출력 위치 t의 정답은 입력 위치 S-1-t의 숫자이므로, 잘
# 배웠다면 가중치가 역대각선에 모여야 합니다.

# %%
import math

import matplotlib.pyplot as plt
import torch

from notebook_outputs import save_numbers
from notebook_outputs.figures import COLUMN, PHONE, Look, save_plot
from snippets.cross_attention import (
    DecoderLayer,
    EncoderLayer,
    ToyConfig,
    greedy_decode,
    reversal_batch,
    train_reversal,
)

config = ToyConfig()
STEPS = [0, 30, 200]  # 그림에 담을 학습 단계: 학습 전, 배우는 중, 학습 끝

# %% [markdown]
# ## 학습
#
# 같은 seed로 학습하므로 `train_reversal(config, steps=30)`은 200단계 학습의 처음 30단계와 똑같습니다.
# 그래서 단계마다 따로 학습해도 한 번의 학습 과정을 중간에 들여다본 것과 같습니다.

# %%
models = {}
for steps in STEPS:
    models[steps], losses = train_reversal(config, steps=steps)
print(f"손실: {losses[0]:.3f} -> {losses[-1]:.4f}")

# %% [markdown]
# ## 처음 보는 수열로 확인
#
# 학습에 쓰지 않은 seed로 수열 256개를 만들어, 통째로 맞게 뒤집는 비율과 크로스 어텐션의 정렬을 봅니다.

# %%
src, tgt_in, tgt = reversal_batch(
    config, 256, torch.Generator().manual_seed(12345)
)
S = config.seq_len
model = models[STEPS[-1]]
accuracy = (greedy_decode(model, src) == tgt).all(dim=1).float().mean().item()
# 학습 단계 -> 역대각선(출력 t, 입력 S-1-t)에 놓인 가중치의 평균
anti_diagonal = {}
for steps, m in models.items():
    with torch.no_grad():
        # (T, S): 배치·헤드 평균
        alignment = m(src, tgt_in).cross_attention.mean(dim=(0, 1))
    anti_diagonal[steps] = alignment.flip(-1).diagonal().mean().item()
# 마지막 모델
aligned = (alignment.argmax(-1) == torch.arange(S - 1, -1, -1)).sum().item()
print(f"정확도 {accuracy:.1%}, 역대각선에 맞는 위치 {aligned}/{S}")
print(
    "역대각선 가중치 평균:", {k: round(v, 2) for k, v in anti_diagonal.items()}
)

# %% [markdown]
# ## 크로스 어텐션 가중치
#
# 예시 수열 하나에 대해 두 헤드의 평균 가중치를 그립니다. 가로축은 입력(키) 위치와 그 숫자, 세로축은
# 출력(쿼리) 위치와 그 자리에서 맞혀야 하는 숫자입니다.

# %%
example = 0
example_weights = {}
for steps in STEPS:
    with torch.no_grad():
        cross = models[steps](
            src[example : example + 1], tgt_in[example : example + 1]
        )
    # (T, S): 헤드 평균
    example_weights[steps] = cross.cross_attention[0].mean(0)
# 위치, 그 아래 숫자
inputs = [f"{i}\n{d}" for i, d in enumerate(src[example].tolist())]
# 위치: 맞힐 숫자
outputs = [f"{t}: {d}" for t, d in enumerate(tgt[example].tolist())]


def draw_cross(fig: plt.Figure, look: Look) -> None:
    # 넓은 칸에는 세 스텝을 나란히(세로축 눈금은 첫 그림에만), 휴대폰에는
    # 위아래로(가로축 눈금은 맨 아래에만).
    if look.narrow:
        axes = fig.subplots(len(STEPS), 1, sharex=True)
    else:
        axes = fig.subplots(1, len(STEPS), sharey=True)
    for ax, steps in zip(axes, STEPS, strict=True):
        image = ax.imshow(example_weights[steps], vmin=0, vmax=1)
        ax.set_title(f"{steps}스텝")
        ax.set_xticks(range(S), inputs)
        ax.set_yticks(range(S), outputs)
    if look.narrow:
        axes[-1].set_xlabel("입력 위치와 숫자 (키)")
        fig.colorbar(
            image,
            ax=axes,
            location="bottom",
            shrink=0.9,
            label="크로스 어텐션 가중치",
        )
    else:
        for ax in axes:
            ax.set_xlabel("입력 위치와 숫자 (키)")
        fig.colorbar(image, ax=axes, shrink=0.9, label="크로스 어텐션 가중치")
    fig.supylabel("출력 위치: 맞힐 숫자 (쿼리)", fontsize="medium")


save_plot(
    "cross-attention-weights",
    draw_cross,
    size=(COLUMN, 3.3),
    narrow=(PHONE, 10.0),
    alt=(
        "장난감 인코더-디코더의 크로스 어텐션 가중치 세 장. 가로축은 입력 "
        "위치와 숫자, 세로축은 출력 위치와 맞혀야 할 숫자입니다. 학습 "
        "전(0스텝)에는 가중치가 고르게 "
        f"퍼져 있고, {STEPS[1]}스텝에서는 역대각선이 군데군데 나타나며, "
        f"{STEPS[-1]}스텝에서는 출력 위치마다 뒤집힌 입력 위치 한 칸에 "
        "가중치가 거의 다 모여 선명한 역대각선을 이룹니다."
    ),
    caption=(
        "학습이 진행될수록 크로스 어텐션은 출력 위치마다 뒤집힌 입력 위치 한 "
        "칸으로 모입니다: 모델이 어디를 베낄지 배웠습니다."
    ),
)

# %%
save_numbers(
    encoder_layers=sum(isinstance(m, EncoderLayer) for m in model.modules()),
    decoder_layers=sum(isinstance(m, DecoderLayer) for m in model.modules()),
    seq_len=S,
    last_position=S - 1,
    d_model=config.d_model,
    n_heads=config.n_heads,
    steps=STEPS[-1],
    middle_step=STEPS[1],
    first_loss=f"{losses[0]:.2f}",
    final_loss=f"{losses[-1]:.3f}",
    accuracy=f"{accuracy:.0%}",
    n_test=f"{src.size(0)}",
    aligned=aligned,
    n_digits=config.n_digits,
    chance_loss=f"{math.log(config.n_digits):.2f}",
    uniform=f"{1 / S:.3f}",
    # 단계 수를 키 이름에 넣지 않습니다: STEPS를 바꿔도 글의 자리는
    # 그대로입니다.
    anti_diagonal_before=f"{anti_diagonal[STEPS[0]]:.2f}",
    anti_diagonal_middle=f"{anti_diagonal[STEPS[1]]:.2f}",
    anti_diagonal_after=f"{anti_diagonal[STEPS[-1]]:.2f}",
)

# %% [markdown]
# ## 구조 그림: 디코더 층을 코드에서 그리기
#
# 글의 디코더 층 그림은 이 글의 `DecoderLayer`를 torch.fx로 따라가 그립니다(`notebook_outputs/diagrams.py`).
# 크로스 어텐션의 쿼리는 디코더 쪽 값에서, 키와 값은 인코더 출력 `memory`에서 오는지 여기서 확인합니다.

# %%
from notebook_outputs.diagrams import save_diagram, trace_diagram

decoder_diagram = trace_diagram(
    DecoderLayer(config),
    inputs={
        "x": torch.zeros(2, 8, config.d_model),
        "memory": torch.zeros(2, 5, config.d_model),
    },
    letters={"B": 2, "T": 8, "S": 5, "D": config.d_model},
    names={"x": "디코더 입력", "memory": "인코더 출력"},
    leaves=("FeedForward",),
    clusters={"PreLNSublayer": "서브블록"},
    title="디코더 층",
)
save_diagram(
    decoder_diagram,
    "decoder-layer",
    alt=(
        "디코더 층의 구조 그림. 맨 위에 인코더 출력 memory (B, S, D), 인과 "
        '마스크 (T, T), 디코더 입력 x (B, T, D)가 있습니다. "서브블록" 테두리 '
        "세 개가 위에서 아래로 이어집니다. 첫째(self_attn)는 레이어 정규화, "
        "인과 마스크를 받는 마스크 셀프 어텐션, 더하기입니다. "
        "둘째(cross_attn)는 레이어 정규화를 지난 값이 Q라고 적힌 화살표로, "
        "memory가 K, V라고 적힌 화살표로 크로스 어텐션에 들어가고, 그 뒤에 "
        "더하기가 있습니다. 셋째(ff)는 레이어 정규화, 피드포워드, "
        "더하기입니다. 파란 화살표는 각 서브블록의 입력에서 정규화 앞에 갈라져 "
        "그 서브블록의 더하기로 갑니다. 출력은 (B, T, D)입니다."
    ),
    caption=(
        "디코더 층에서 크로스 어텐션은 쿼리를 디코더 쪽에서, 키와 값을 인코더 "
        "출력 memory에서 받습니다. 빌드 때 이 글의 코드를 따라가 그린 "
        "그림입니다."
    ),
)
into_cross = {
    e.label: e.src
    for e in decoder_diagram.edges
    if e.dst == "cross_attn_sublayer"
}
assert into_cross == {"Q": "cross_attn_norm", "K, V": "memory"}, into_cross
print("크로스 어텐션에 들어오는 것:", into_cross)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 글 끝의 연습 문제 두 개가 싣는 숫자입니다. 첫째는 학습한 모델의 크로스 어텐션에 인코더 출력 `memory`의
# 위치를 섞어 넣습니다. 둘째는 입력 쪽 위치 임베딩을 지운 사본으로 위의 처음 보는 수열을 다시 뒤집습니다.

# %%
from snippets.cross_attention import forget_source_positions, shuffled_memory

order = torch.randperm(S, generator=torch.Generator().manual_seed(0))
with torch.no_grad():
    memory = model.encode(src)  # (B, S, D)
    queries = model.tokens(tgt_in)  # (B, T, D): 디코더 쪽 쿼리 자리에 넣을 벡터
    unshuffled, shuffled = shuffled_memory(
        model.decoder.cross_attn.sublayer, queries, memory, order
    )
shuffle_gap = (shuffled - unshuffled).abs().max().item()
# 글: 반올림 오차만큼만 다릅니다
assert shuffle_gap < 1e-5 * unshuffled.abs().max().item()
print(f"섞은 순서 {order.tolist()}, 출력의 최대 차이 {shuffle_gap:.1e}")

blind = forget_source_positions(model)
blind_pred, blind_flipped = (
    greedy_decode(blind, src),
    greedy_decode(blind, src.flip(1)),
)
blind_accuracy = (blind_pred == tgt).all(dim=1).float().mean().item()
same_output = (blind_pred == blind_flipped).all(dim=1).float().mean().item()
assert blind_accuracy < accuracy  # 글: 위치를 지우면 뒤집지 못합니다
print(
    f"위치를 지운 모델: 정확도 {blind_accuracy:.1%}, 뒤집어 넣어도 같은 출력 "
    f"{same_output:.1%}"
)

save_numbers(
    shuffle_order=", ".join(map(str, order.tolist())),
    shuffle_gap=f"{shuffle_gap:.1e}",
    shuffle_scale=f"{unshuffled.abs().max().item():.1f}",
    blind_accuracy=f"{blind_accuracy:.0%}",
    blind_same_output=f"{same_output:.0%}",
)
