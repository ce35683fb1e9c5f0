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
# # 셀프 어텐션: 왜 √d_k로 나누는가: 동반 노트북
#
# 글 「셀프 어텐션: 왜 √d_k로 나누는가」의 그림, 표, 숫자를 만드는 코드입니다. 블로그를 빌드할 때 이
# 노트북이 처음부터 실행되고, 여기서 저장한 결과가 글에 실립니다. 시드를 고정했으므로 매번 같은 숫자가
# 나옵니다.

# %%
import math

import torch

# 이 노트북의 텐서는 작아서 스레드를 나눠 얻는 것보다 스레드끼리 기다리는 시간이
# 깁니다(빌드는 노트북 여럿을
# 나란히 돌립니다): 스레드 하나로 계산합니다.
torch.set_num_threads(1)

from notebook_outputs import save_attention, save_numbers, save_table
from notebook_outputs.figures import (
    COLUMN,
    PHONE,
    Look,
    powers_of_ten,
    save_plot,
)
from snippets.corpus import CharVocab, corpus_text
from snippets.self_attention import (
    AttentionProbe,
    ProbeConfig,
    permutation_gap,
    preferred_offsets,
    random_queries_and_keys,
    saturation,
    sharpened_lookup,
    soft_lookup,
    train_probe,
)

# %% [markdown]
# ## 1단계: 소프트 조회
#
# 키 네 개 가운데 키 2와 닮은 쿼리로 값을 꺼냅니다. 값이 단위 벡터라 꺼낸 값이 곧 가중치입니다.

# %%
generator = torch.Generator().manual_seed(0)
N_LOOKUP, D_LOOKUP = 4, 8
keys = torch.randn(N_LOOKUP, D_LOOKUP, generator=generator)
values = torch.eye(N_LOOKUP)
# 키 2와 조금 닮음
query = 0.1 * (keys[2] + torch.randn(D_LOOKUP, generator=generator))
looked_up = soft_lookup(query, keys, values)
assert looked_up.argmax().item() == 2  # 글: 키 2의 값을 가장 많이 꺼냅니다
print("꺼낸 값:", [f"{w:.2f}" for w in looked_up.tolist()])
save_numbers(
    lookup_keys=N_LOOKUP,
    lookup_weight=f"{looked_up[2].item():.2f}",
    lookup_rest=f"{1 - looked_up[2].item():.2f}",
)

# %% [markdown]
# ## 2단계: d_k가 커지면 스코어는 얼마나 퍼지고, 소프트맥스는 얼마나 쏠리는가
#
# 평균 0, 분산 1인 쿼리와 키(논문 각주 4의 가정)로 d_k를 늘려 가며 세 가지를 잽니다: 스코어의 분산,
# 가중치의 엔트로피, 소프트맥스 야코비안의 노름(기울기의 크기). √d_k로 나눌 때와 나누지 않을 때를 견줍니다.

# %%
D_KS = [4, 16, 64, 256, 1024]
N_KEYS, SAMPLES = 16, 512
rows = {}
for d_k in D_KS:
    q, k = random_queries_and_keys(SAMPLES, N_KEYS, d_k, generator)
    rows[d_k] = (saturation(q, k), saturation(q, k, scale=1.0))
max_entropy = math.log(N_KEYS)
for d_k, (scaled, raw) in rows.items():
    print(d_k, scaled, raw)

# 글이 표와 그림에 대해 말하는 것
# 나누면 분산 ≈ 1
assert all(0.8 < scaled.variance < 1.2 for scaled, _ in rows.values())
# 안 나누면 ≈ d_k
assert all(0.8 < raw.variance / d_k < 1.2 for d_k, (_, raw) in rows.items())
raw_entropy = [raw.entropy for _, raw in rows.values()]
raw_gradient = [raw.gradient for _, raw in rows.values()]
# 안 나누면 d_k와 함께 엔트로피가 줄고
assert raw_entropy == sorted(raw_entropy, reverse=True)
assert raw_gradient == sorted(raw_gradient, reverse=True)  # 기울기도 줄어듭니다
scaled_entropy = [scaled.entropy for scaled, _ in rows.values()]
# 나누면 d_k와 상관없이 거의 그대로
assert max(scaled_entropy) - min(scaled_entropy) < 0.1

save_table(
    "saturation-table",
    [
        "d_k",
        "분산 (나눔)",
        "분산 (안 나눔)",
        "엔트로피 (나눔)",
        "엔트로피 (안 나눔)",
        "기울기 (나눔)",
        "기울기 (안 나눔)",
    ],
    [
        (
            f"{d_k:,}",
            f"{s.variance:.2f}",
            f"{r.variance:,.1f}",
            f"{s.entropy:.2f}",
            f"{r.entropy:.2f}",
            f"{s.gradient:.3f}",
            f"{r.gradient:.3f}",
        )
        for d_k, (s, r) in rows.items()
    ],
)
first, last = D_KS[0], D_KS[-1]
gradient_ratio = rows[last][0].gradient / rows[last][1].gradient
save_numbers(
    n_keys=N_KEYS,
    samples=SAMPLES,
    max_entropy=f"{max_entropy:.2f}",
    d_k_first=first,
    d_k_last=f"{last:,}",
    raw_variance_last=f"{rows[last][1].variance:,.0f}",
    scaled_entropy_last=f"{rows[last][0].entropy:.2f}",
    raw_entropy_last=f"{rows[last][1].entropy:.2f}",
    scaled_gradient_last=f"{rows[last][0].gradient:.3f}",
    raw_gradient_last=f"{rows[last][1].gradient:.3f}",
    gradient_ratio_last=f"{gradient_ratio:.0f}",
)


def draw_saturation(fig, look: Look) -> None:
    # 넓은 칸에는 세 패널을 나란히, 휴대폰에는 위아래로.
    axes = (
        fig.subplots(3, 1, sharex=True) if look.narrow else fig.subplots(1, 3)
    )
    panels = [
        ("variance", "스코어의 분산", True),
        ("entropy", "가중치의 엔트로피 (nats)", False),
        ("gradient", "기울기 크기 ‖∂w/∂s‖", False),
    ]
    for ax, (field, title, log) in zip(axes, panels, strict=True):
        ax.plot(
            D_KS,
            [getattr(s, field) for s, _ in rows.values()],
            marker="o",
            color=look.blue,
            label="√d_k로 나눔",
        )
        ax.plot(
            D_KS,
            [getattr(r, field) for _, r in rows.values()],
            marker="s",
            color=look.orange,
            label="나누지 않음",
        )
        if field == "entropy":
            ax.axhline(
                max_entropy,
                color=look.muted,
                linestyle="--",
                linewidth=1,
                label=f"고른 가중치 log {N_KEYS}",
            )
        ax.set_xscale("log", base=2)
        ax.set_xticks(D_KS, [str(d) for d in D_KS])
        if log:
            ax.set_yscale("log")
            powers_of_ten(ax.yaxis)
        ax.set_title(title)
        ax.grid(True)
        if not look.narrow or ax is axes[-1]:
            ax.set_xlabel("d_k")
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=3 if not look.narrow else 1,
    )


save_plot(
    "saturation",
    draw_saturation,
    size=(COLUMN, 3.3),
    narrow=(PHONE, 8.2),
    alt=(
        f"d_k를 {first}에서 {last:,}까지 늘릴 때의 세 곡선. 스코어의 분산은 "
        "√d_k로 나누면 1 근처에 머물고 나누지 않으면 d_k와 함께 커집니다. "
        "가중치의 엔트로피는 나누면 "
        f"{max_entropy:.2f} 가까이 그대로이고 "
        "나누지 않으면 줄어듭니다. 소프트맥스의 기울기 크기도 나누지 않으면 "
        "d_k와 함께 줄어듭니다."
    ),
    caption=(
        "√d_k로 나누지 않으면 d_k가 클수록 스코어가 퍼지고, 소프트맥스가 한 "
        "키로 쏠리며(엔트로피가 줄고), 스코어로 돌아가는 기울기가 작아집니다. "
        "나누면 세 값 모두 d_k와 상관없이 거의 그대로입니다."
    ),
)

# %% [markdown]
# ## 3단계: 블로그의 글로 학습한 작은 모델의 어텐션
#
# 셀프 어텐션 한 층(헤드 2개)으로 가려진 글자를 맞히는 아주 작은 모델을 블로그 글의 말뭉치로 몇 초
# 학습하고, 한국어 문장 하나에서 헤드마다의 가중치를 저장합니다.

# %%
text = corpus_text()
vocab = CharVocab.from_text(text, specials=["[MASK]"])
ids = torch.tensor([vocab.id(ch) for ch in text])
config = ProbeConfig(vocab_size=len(vocab), max_len=16, d_model=32, n_heads=2)
model = AttentionProbe(config, torch.Generator().manual_seed(0))
STEPS, BATCH = 300, 32
losses = train_probe(
    model,
    ids,
    vocab.id("[MASK]"),
    STEPS,
    BATCH,
    torch.Generator().manual_seed(1),
)
first_loss = sum(losses[:20]) / 20
last_loss = sum(losses[-20:]) / 20
assert last_loss < first_loss - 1  # 글: 학습하면서 손실이 줄었습니다
print(
    f"가린 글자의 교차 엔트로피: 처음 20스텝 {first_loss:.2f}, 마지막 20스텝 "
    f"{last_loss:.2f}"
)

SENTENCE = "모델은 앞뒤 글자를 봅니다"
sentence_ids = torch.tensor([[vocab.id(ch) for ch in SENTENCE]])
with torch.no_grad():
    probe_weights = model.weights(sentence_ids)[0]  # (H, T, T)
tokens = ["␣" if ch == " " else ch for ch in SENTENCE]
save_attention(
    "probe-attention",
    tokens,
    probe_weights,
    caption=(
        f"블로그 글로 {STEPS}스텝 학습한 셀프 어텐션 한 층(헤드 "
        f"{config.n_heads}개)의 가중치. "
        "쿼리 토큰을 고르면 그 토큰이 키마다 준 가중치가 헤드마다 나옵니다."
    ),
)
offsets = preferred_offsets(probe_weights)
for h, (offset, weight) in enumerate(offsets, start=1):
    print(f"헤드 {h}: 상대 위치 {offset:+d}에 평균 {weight:.2f}")
uniform = 1 / len(SENTENCE)
# 글: 헤드마다 좋아하는 이웃이 있습니다
assert all(weight > 2 * uniform for _, weight in offsets)


def offset_words(offset: int) -> str:
    if offset == 0:
        return "자기 자신"
    return f"{abs(offset)}칸 {'뒤' if offset > 0 else '앞'}의 글자"


save_numbers(
    probe_steps=STEPS,
    probe_batch=BATCH,
    probe_len=config.max_len,
    probe_width=config.d_model,
    probe_first_loss=f"{first_loss:.2f}",
    probe_last_loss=f"{last_loss:.2f}",
    probe_tokens=len(SENTENCE),
    probe_uniform=f"{uniform:.2f}",
    head1_offset=offset_words(offsets[0][0]),
    head1_weight=f"{offsets[0][1]:.2f}",
    head2_offset=offset_words(offsets[1][0]),
    head2_weight=f"{offsets[1][1]:.2f}",
)

# %% [markdown]
# ## 연습 문제의 풀이
#
# 첫째는 내적에 beta를 곱해 소프트 조회를 딕셔너리 조회에 가깝게 만듭니다. 둘째는 입력의 순서를 섞어
# 셀프 어텐션의 출력이 똑같이 섞이는지 봅니다.

# %%
BETAS = [1, 2, 4]
sharpened = {
    b: sharpened_lookup(query, keys, values, b)[2].item() for b in BETAS
}
assert (
    list(sharpened.values()) == sorted(sharpened.values())
    and sharpened[4] > 0.9
)  # 글: beta가 클수록 키 2로 쏠림
print("beta별 키 2의 가중치:", sharpened)

T_PERM, D_PERM = 7, 8
x = torch.randn(T_PERM, D_PERM, generator=generator)
order = torch.randperm(T_PERM, generator=generator)
gap = permutation_gap(x, order)
assert gap < 1e-5  # 글: 반올림 오차뿐입니다
print(f"섞은 입력의 출력과 섞은 출력의 가장 큰 차이: {gap:.1e}")

save_numbers(
    betas=", ".join(map(str, BETAS)),
    sharpened_weights=", ".join(f"{sharpened[b]:.3f}" for b in BETAS),
    perm_len=T_PERM,
    perm_gap=f"{gap:.1e}",
)
