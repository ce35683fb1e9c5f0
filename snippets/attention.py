"""어텐션(attention): 스케일드 닷 프로덕트 어텐션과 마스크.

글 「마스크 멀티 헤드 어텐션은 뭐가 다른가?」의 다섯 단계가 이 파일의 구간과 하나씩 맞닿습니다:
1. Q, K, V로 변환: MultiHeadAttention의 q_proj, k_proj, v_proj (multi-head-attention)
2. 스코어 QK^T / sqrt(d_k): attention_scores (attention-scores)
3. 마스크 적용: causal_mask, padding_mask와 mask_scores (causal-mask, padding-mask, mask-scores)
4. 소프트맥스: attention_weights (attention-weights)
5. 가중치와 V의 곱: scaled_dot_product_attention (scaled-dot-product-attention)
같은 MultiHeadAttention이 글 「크로스 어텐션에 대해서 알려줘」에서는 크로스 어텐션으로 쓰입니다.
불리언 마스크는 torch.nn.functional.scaled_dot_product_attention과 같은 약속을 따릅니다:
**True = 참조해도 됨(may attend)**.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from snippets.model_inputs import check_heads
from snippets.parameters import reset_parameters


# --8<-- [start:causal-mask]
def causal_mask(T: int, device: torch.device | None = None) -> torch.Tensor:
    """인과 마스크(causal mask): 위치 t는 자기 자신과 그 이전(0..t)만 볼 수
    있습니다.

    True = 참조해도 됨. 대각선 아래(대각선 포함)가 True인 (T, T) 하삼각
    행렬입니다.
    """
    return torch.ones(T, T, dtype=torch.bool, device=device).tril()


# --8<-- [end:causal-mask]


# --8<-- [start:padding-mask]
def padding_mask(lengths: torch.Tensor, S: int) -> torch.Tensor:
    """패딩 마스크(padding mask): 시퀀스마다 앞의 lengths[b]개 키만 진짜
    토큰입니다.

    True = 참조해도 됨. (B, 1, 1, S) 모양이라 (B, H, T, S) 점수에 그대로
    브로드캐스트됩니다.
    """
    positions = torch.arange(S, device=lengths.device)  # (S,)
    # (B, 1, 1, S)
    return (positions[None, :] < lengths[:, None])[:, None, None, :]


# --8<-- [end:padding-mask]


# --8<-- [start:attention-scores]
def attention_scores(
    q: torch.Tensor,
    k: torch.Tensor,
    scale: float | None = None,
    bias: torch.Tensor | None = None,
) -> torch.Tensor:
    """어텐션 스코어(attention score) QK^T * scale (+ bias): 쿼리마다 모든
    키와의 닮은 정도.

    q: (..., T, Dh), k: (..., S, Dh). scale을 주지 않으면 1/sqrt(d_k)입니다(T5는
    1을 씁니다). sqrt(d_k)로 나누는 까닭: 내적의 표준편차가 sqrt(d_k)에 비례해
    커지면 소프트맥스가 한 칸으로 쏠려 기울기가 거의 0이 되기 때문입니다. bias는
    점수에 더하는 실수 텐서(예: T5의 상대 위치 편향)입니다. 돌려주는 값은
    (..., T, S)입니다.
    """
    d_k = q.size(-1)
    scale = 1 / math.sqrt(d_k) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale  # (..., T, S)
    if bias is not None:
        scores = scores + bias
    return scores


# --8<-- [end:attention-scores]


# --8<-- [start:mask-scores]
def mask_scores(
    scores: torch.Tensor, mask: torch.Tensor | None
) -> torch.Tensor:
    """마스크가 False(참조하면 안 됨)인 자리의 스코어를 -무한대로 바꿉니다.

    mask는 scores (..., T, S)로 브로드캐스트되는 불리언 텐서이고 True = 참조해도
    됨입니다. 소프트맥스 전에 -무한대를 넣어야 exp(-무한대) = 0이 되어 가려진
    자리의 가중치가 정확히 0이 됩니다.
    """
    if mask is None:
        return scores
    return scores.masked_fill(~mask, float("-inf"))  # (..., T, S)


# --8<-- [end:mask-scores]


# --8<-- [start:attention-weights]
def attention_weights(
    q: torch.Tensor,
    k: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
    bias: torch.Tensor | None = None,
) -> torch.Tensor:
    """어텐션 가중치 softmax(QK^T * scale + bias, 마스크)를 계산합니다.

    q: (..., T, Dh), k: (..., S, Dh). scale을 주지 않으면 1/sqrt(d_k)입니다(T5는
    1을 씁니다). bias는 점수에 더하는 실수 텐서(예: T5의 상대 위치 편향), mask는
    불리언이고 True = 참조해도 됨. 돌려주는 값은 (..., T, S)이고 각 행의 합은
    1입니다.
    """
    scores = attention_scores(q, k, scale, bias)  # (..., T, S)
    return torch.softmax(mask_scores(scores, mask), dim=-1)  # (..., T, S)


# --8<-- [end:attention-weights]


# --8<-- [start:scaled-dot-product-attention]
def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
    bias: torch.Tensor | None = None,
) -> torch.Tensor:
    """스케일드 닷 프로덕트 어텐션: softmax(QK^T / sqrt(d_k) + 마스크) V.

    q: (..., T, Dh), k와 v: (..., S, Dh). mask는 (T, S)로 브로드캐스트되는
    불리언 텐서이고 True = 참조해도 됨입니다. 돌려주는 값은 (..., T, Dh)입니다.
    """
    return attention_weights(q, k, mask, scale, bias) @ v  # (..., T, Dh)


# --8<-- [end:scaled-dot-product-attention]


# --8<-- [start:fused-attention]
def fused_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
    bias: torch.Tensor | None = None,
) -> torch.Tensor:
    """scaled_dot_product_attention과 같은 값을 PyTorch의 융합 커널 하나로
    계산합니다.

    F.scaled_dot_product_attention은 (..., T, S) 가중치 행렬을 메모리에 다
    만들지 않고 조각으로 나눠 계산할 수 있어서 긴 시퀀스에서 빠르고 메모리를 덜
    씁니다. 그 대신 가중치를 볼 수 없습니다. 불리언 마스크의 약속(True =
    참조해도 됨)이 같아서 그대로 넘기고, 편향이 있으면 막힌 칸을 -무한대로 바꾼
    실수 마스크 하나로 합칩니다.
    """
    attn_mask = mask
    if bias is not None:
        attn_mask = (
            bias if mask is None else torch.where(mask, bias, float("-inf"))
        )
    return F.scaled_dot_product_attention(
        q, k, v, attn_mask=attn_mask, scale=scale
    )


# --8<-- [end:fused-attention]


# --8<-- [start:multi-head-attention]
class MultiHeadAttention(nn.Module):
    """멀티 헤드 어텐션. context를 주지 않으면 셀프 어텐션, 주면 크로스
    어텐션입니다.

    쿼리는 x (B, T, D)에서, 키와 값은 context (B, S, D)에서 만듭니다(T와 S는
    달라도 됩니다). mask는 (B, H, T, S)로 브로드캐스트되는 불리언 텐서이고 True
    = 참조해도 됨입니다. forward는 위에서 풀어 쓴 scaled_dot_product_attention을
    그대로 부릅니다. fused=True이면 같은 계산을 PyTorch의 융합
    커널(fused_attention)로 합니다: 값은 같고(테스트가 두 길을 모두 확인합니다)
    더 빠르지만, 중간의 가중치를 볼 수 없습니다. weights()는 그림에 쓸
    (B, H, T, S) 가중치를 줍니다.
    """

    def __init__(
        self,
        d_model: int,
        n_heads: int,
        head_dim: int | None = None,
        bias: bool = True,
        scale: float | None = None,
        fused: bool = False,
    ) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = head_dim or d_model // n_heads
        self.scale = scale
        self.fused = fused
        # 헤드 H개의 폭을 합친 것 H * Dh (보통 D와 같습니다)
        inner = n_heads * self.head_dim
        self.q_proj = nn.Linear(d_model, inner, bias=bias)  # W^Q
        self.k_proj = nn.Linear(d_model, inner, bias=bias)  # W^K
        self.v_proj = nn.Linear(d_model, inner, bias=bias)  # W^V
        self.out_proj = nn.Linear(inner, d_model, bias=bias)  # W^O

    # --8<-- [start:mha-projections]
    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        B, L, _ = x.shape  # (B, L, H*Dh) -> (B, H, L, Dh)
        return x.view(B, L, self.n_heads, self.head_dim).transpose(1, 2)

    def _qkv(self, x: torch.Tensor, context: torch.Tensor | None):
        context = x if context is None else context
        q = self._split_heads(self.q_proj(x))  # (B, H, T, Dh)
        k = self._split_heads(self.k_proj(context))  # (B, H, S, Dh)
        v = self._split_heads(self.v_proj(context))  # (B, H, S, Dh)
        return q, k, v

    # --8<-- [end:mha-projections]

    # --8<-- [start:mha-forward]
    def forward(
        self,
        x: torch.Tensor,
        context: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
        bias: torch.Tensor | None = None,
    ) -> torch.Tensor:
        B, T, _ = x.shape
        q, k, v = self._qkv(x, context)  # 1단계: 각각 (B, H, T 또는 S, Dh)
        attend = fused_attention if self.fused else scaled_dot_product_attention
        y = attend(q, k, v, mask, self.scale, bias)  # 2~5단계: (B, H, T, Dh)
        # 헤드 잇기: (B, H, T, Dh) -> (B, T, H*Dh)
        y = y.transpose(1, 2).reshape(B, T, self.n_heads * self.head_dim)
        return self.out_proj(y)  # 출력 투영 W^O: (B, T, D)

    # --8<-- [end:mha-forward]

    def weights(
        self,
        x: torch.Tensor,
        context: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
        bias: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """그림용 어텐션 가중치 (B, H, T, S). forward와 같은 계산의
        중간값입니다."""
        q, k, _ = self._qkv(x, context)
        return attention_weights(q, k, mask, self.scale, bias)


# --8<-- [end:multi-head-attention]


def use_fused_attention(model: nn.Module, fused: bool = True) -> nn.Module:
    """model 안의 모든 MultiHeadAttention을 융합 커널 길(fused=True)이나 풀어 쓴 길로 바꿉니다."""
    for module in model.modules():
        if isinstance(module, MultiHeadAttention):
            module.fused = fused
    return model


# 연습 문제의 풀이: 글 「마스크 멀티 헤드 어텐션은 뭐가 다른가?」의 '연습 문제'가 싣습니다.


# --8<-- [start:heads-and-parameters]
def heads_and_parameters(d_model: int, n_heads: int) -> tuple[int, int]:
    """d_model을 고정하고 헤드 수만 바꿀 때의 (헤드 폭 Dh, 파라미터 수).

    헤드 H개가 폭 D를 나눠 가지므로 Dh = D / H입니다. W^Q, W^K, W^V, W^O는
    헤드 수와 상관없이 모두 (D, D)라서 파라미터 수는 그대로입니다.
    """
    check_heads(d_model, n_heads, "heads_and_parameters")
    mha = MultiHeadAttention(d_model, n_heads)
    return mha.head_dim, sum(p.numel() for p in mha.parameters())


# --8<-- [end:heads-and-parameters]


# --8<-- [start:peak-weight]
def peak_weight(
    q: torch.Tensor,
    k: torch.Tensor,
    scale: float | None = None,
) -> float:
    """행마다 가장 큰 어텐션 가중치의 평균. q: (..., T, Dh), k: (..., S, Dh).

    scale=None이면 1/sqrt(d_k)를 곱하고, scale=1.0이면 나누지 않습니다.
    1에 가까울수록 소프트맥스가 한 칸으로 쏠려 나머지 칸의 기울기가 0에
    가까워집니다.
    """
    weights = attention_weights(q, k, scale=scale)  # (..., T, S)
    return weights.amax(dim=-1).mean().item()


# --8<-- [end:peak-weight]


if __name__ == "__main__":
    B, T, S, D, H = 2, 5, 7, 16, 4
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(B, T, D, generator=generator)
    context = torch.randn(B, S, D, generator=generator)
    mha = reset_parameters(
        MultiHeadAttention(D, H), torch.Generator().manual_seed(0)
    )
    mask = causal_mask(T)
    print("인과 마스크 (1 = 참조해도 됨):")
    for row in mask.int().tolist():
        print("  " + " ".join(map(str, row)))
    with torch.no_grad():
        weights = mha.weights(x, mask=mask)  # (B, H, T, T)
        print("마스크 셀프 어텐션 가중치 (배치 0, 헤드 0):")
        for row in weights[0, 0].tolist():
            print("  " + " ".join(f"{w:.2f}" for w in row))
        print(
            f"미래 칸 가중치의 최댓값: {weights.masked_select(~mask).max().item():.1f}"
        )
        # 풀어 쓴 다섯 단계(기본 forward)와 융합 커널 길이 같은 값을 내는지 확인합니다.
        taught = mha(x, mask=mask)
        gap = (
            (use_fused_attention(mha)(x, mask=mask) - taught).abs().max().item()
        )
        print(f"풀어 쓴 forward와 융합 커널 길의 최대 차이: {gap:.1e}")
        cross = mha.weights(x, context=context)
        print(f"크로스 어텐션 가중치 모양 (B, H, T, S): {tuple(cross.shape)}")
