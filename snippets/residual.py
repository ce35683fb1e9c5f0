"""잔차 연결(residual connection): H(x) = F(x) + x.

글 「잔차 연결(Residual Connection) 알아보기」의 코드입니다. 잔차 연결 자체, 트랜스포머가 그것을
레이어 정규화(layer normalization)와 묶는 두 방식(post-LN, pre-LN), 그리고 깊은 층 더미에서 첫 층까지
기울기가 얼마나 살아서 도착하는지 재는 실험이 있습니다.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from snippets.parameters import reset_parameters


# --8<-- [start:residual]
class Residual(nn.Module):
    """잔차 연결: H(x) = F(x) + x.

    층 F가 입력 전체를 새로 만드는 대신 입력에 더할 차이(잔차, residual)만
    배우게 합니다. 역전파에서 덧셈은 기울기를 그대로 나눠 주므로, F를 거치지
    않는 지름길로 기울기가 흐릅니다.
    """

    def __init__(self, f: nn.Module) -> None:
        super().__init__()
        self.f = f

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.f(x) + x


# --8<-- [end:residual]


# --8<-- [start:post-ln-sublayer]
class PostLNSublayer(nn.Module):
    """Post-LN 서브블록(sub-layer): LayerNorm(x + Dropout(F(x))).

    원래 트랜스포머(Vaswani et al., 2017)와 BERT의 배치입니다. 더한 뒤에
    정규화하므로 지름길 자체가 층마다 LayerNorm을 통과합니다. 추가 인자(예:
    context, mask)는 F에 그대로 넘깁니다.
    """

    def __init__(
        self,
        d_model: int,
        sublayer: nn.Module,
        dropout: float = 0.0,
        eps: float = 1e-5,
    ) -> None:
        super().__init__()
        self.sublayer = sublayer
        self.dropout = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(d_model, eps=eps)

    def forward(
        self, x: torch.Tensor, *args: object, **kwargs: object
    ) -> torch.Tensor:
        return self.norm(x + self.dropout(self.sublayer(x, *args, **kwargs)))


# --8<-- [end:post-ln-sublayer]


# --8<-- [start:pre-ln-sublayer]
class PreLNSublayer(nn.Module):
    """Pre-LN 서브블록: x + Dropout(F(LayerNorm(x))).

    GPT-2가 쓰는 배치입니다. 정규화는 F의 입력에만 걸리고 지름길 x는 아무것도
    거치지 않으므로, 맨 위에서 맨 아래 층까지 덧셈만으로 이어진 길이 남습니다.
    그래서 보통 층 더미 맨 끝에 LayerNorm을 하나 더 둡니다. norm은 정규화
    층의 클래스입니다(T5는 RMS 정규화를 넘깁니다).
    """

    def __init__(
        self,
        d_model: int,
        sublayer: nn.Module,
        dropout: float = 0.0,
        eps: float = 1e-5,
        norm: Callable[..., nn.Module] = nn.LayerNorm,
    ) -> None:
        super().__init__()
        self.norm = norm(d_model, eps=eps)
        self.sublayer = sublayer
        self.dropout = nn.Dropout(dropout)

    def forward(
        self, x: torch.Tensor, *args: object, **kwargs: object
    ) -> torch.Tensor:
        return x + self.dropout(self.sublayer(self.norm(x), *args, **kwargs))


# --8<-- [end:pre-ln-sublayer]


# --8<-- [start:feed-forward]
class FeedForward(nn.Module):
    """위치별 피드포워드(position-wise feed-forward): fc1 -> 활성화 -> fc2.

    (B, T, D) -> (B, T, d_ff) -> (B, T, D). 토큰마다 따로 같은 두 층을 씁니다.
    원래 트랜스포머는 ReLU, GPT-2와 BERT, BART는 GELU, T5는 편향 없는 층과
    안쪽 드롭아웃을 씁니다.
    """

    def __init__(
        self,
        d_model: int,
        d_ff: int,
        activation: Callable[[torch.Tensor], torch.Tensor] = torch.relu,
        bias: bool = True,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff, bias=bias)
        self.activation = activation
        self.dropout = nn.Dropout(dropout)
        self.fc2 = nn.Linear(d_ff, d_model, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.dropout(self.activation(self.fc1(x)))  # (B, T, d_ff)
        return self.fc2(h)  # (B, T, D)


# --8<-- [end:feed-forward]


# --8<-- [start:gradient-norms]
def gradient_norms(
    depth: int, residual: bool, width: int = 64, batch: int = 64, seed: int = 0
) -> list[float]:
    """층 depth개를 쌓고 역전파한 뒤, 층마다 가중치 기울기의 노름 ||dL/dW||.

    층 하나는 tanh(Wx + b)(PyTorch의 기본 초기화)이고, residual=True이면
    x + tanh(Wx + b)입니다. 손실은 출력의 제곱 평균, 입력과 가중치는 seed로
    정해집니다. 목록의 0번이 입력에 가장 가까운 첫 층입니다.
    """
    layers = [
        nn.Sequential(nn.Linear(width, width), nn.Tanh()) for _ in range(depth)
    ]
    reset_parameters(
        nn.Sequential(*layers), torch.Generator().manual_seed(seed)
    )
    stack = nn.Sequential(
        *(Residual(layer) if residual else layer for layer in layers)
    )
    # 64층에서 1e-18 같은 작은 값도 정확히 재려고 float64로 계산합니다
    stack = stack.double()
    x = torch.randn(
        batch,
        width,
        generator=torch.Generator().manual_seed(seed),
        dtype=torch.float64,
    )
    loss = stack(x).pow(2).mean()
    loss.backward()
    return [layer[0].weight.grad.norm().item() for layer in layers]


# --8<-- [end:gradient-norms]


def first_to_last_ratio(
    depths: list[int], residual: bool, seed: int = 0
) -> dict[int, float]:
    """깊이마다 (첫 층 기울기 노름) / (마지막 층 기울기 노름).

    1에 가까울수록 마지막 층만큼의 기울기가 첫 층까지 도착한다는 뜻입니다.
    """
    ratios = {}
    for depth in depths:
        norms = gradient_norms(depth, residual, seed=seed)
        ratios[depth] = norms[0] / norms[-1]
    return ratios


# 연습 문제의 풀이: 글 「잔차 연결(Residual Connection) 알아보기」의 '연습 문제'가 싣습니다.


# --8<-- [start:ln-gradient-ratio]
def ln_gradient_ratio(
    sublayer: type[PostLNSublayer | PreLNSublayer],
    depth: int = 48,
    width: int = 32,
    seed: int = 0,
) -> float:
    """피드포워드 서브블록 depth개의 (첫 층 / 마지막 층) 기울기 노름 비.

    sublayer는 PostLNSublayer나 PreLNSublayer이고, pre-LN 더미는 GPT-2처럼 끝에
    LayerNorm을 하나 더 둡니다. 손실은 출력과 무작위 방향의 내적 평균입니다:
    정규화된 출력의 제곱 평균은 늘 1 근처라 기울기를 거의 만들지 않습니다.
    """
    generator = torch.Generator().manual_seed(seed)
    ffs = [FeedForward(width, 4 * width) for _ in range(depth)]
    stack = nn.Sequential(*(sublayer(width, ff) for ff in ffs))
    if sublayer is PreLNSublayer:
        stack.append(nn.LayerNorm(width))
    stack = reset_parameters(stack, generator).double()
    x = torch.randn(16, width, generator=generator, dtype=torch.float64)
    direction = torch.randn(width, generator=generator, dtype=torch.float64)
    (stack(x) @ direction).mean().backward()
    first, last = ffs[0].fc1.weight.grad, ffs[-1].fc1.weight.grad
    return (first.norm() / last.norm()).item()


# --8<-- [end:ln-gradient-ratio]


# --8<-- [start:ratio-over-seeds]
def ratio_over_seeds(depth: int, residual: bool, seeds: range) -> list[float]:
    """시드마다 (첫 층 / 마지막 층) 기울기 노름 비.

    시드 하나의 결과를 믿어도 되는지, 초기화와 입력만 바꿔 다시 재 봅니다.
    """
    ratios = (first_to_last_ratio([depth], residual, seed) for seed in seeds)
    return [ratio[depth] for ratio in ratios]


# --8<-- [end:ratio-over-seeds]


if __name__ == "__main__":
    depths = [2, 4, 8, 16, 32, 64]
    plain = first_to_last_ratio(depths, residual=False)
    skip = first_to_last_ratio(depths, residual=True)
    print("첫 층 / 마지막 층 기울기 노름 (tanh 층 더미, 시드 0)")
    print(f"{'층 수':>4}  {'잔차 연결 없음':>10}  {'잔차 연결 있음':>10}")
    for depth in depths:
        print(f"{depth:>5}  {plain[depth]:>14.2e}  {skip[depth]:>14.2f}")
    x = torch.randn(2, 3, 8, generator=torch.Generator().manual_seed(0))
    post = PostLNSublayer(8, FeedForward(8, 32))
    pre = PreLNSublayer(8, FeedForward(8, 32))
    print(
        f"post-LN 출력 {tuple(post(x).shape)}, pre-LN 출력 {tuple(pre(x).shape)}"
    )
