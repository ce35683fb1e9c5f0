"""모델의 입력 검사: 틀린 값은 한계를 짚은 ValueError로 (GPT, BERT, BART, T5가 함께 씁니다).

임베딩 표 밖의 토큰 id는 IndexError로, 헤드 수 0은 ZeroDivisionError로, 1차원 입력은 모양 오류로
모델 깊은 곳에서 터집니다. 무엇이 얼마여야 하는지 말하는 메시지로 입구에서 멈춥니다.
"""

from __future__ import annotations

import torch

IGNORE_INDEX = -100  # 손실에서 빼는 레이블 (F.cross_entropy와 transformers의 약속)


def check_sizes(config: object, *names: str) -> None:
    """설정의 크기 필드(어휘, 폭, 층 수, 헤드 수 등)가 모두 양의 정수인지."""
    for name in names:
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{type(config).__name__}.{name}={value!r}: 1 이상의 정수여야 합니다")


def check_heads(width: int, heads: int, where: str) -> None:
    """폭이 헤드 수로 나누어떨어지는지(헤드 폭 Dh = D / H)."""
    if width % heads:
        raise ValueError(f"{where}: 모델 폭 {width}가 헤드 수 {heads}로 나누어떨어지지 않습니다")


def check_token_ids(
    ids: torch.Tensor,
    vocab_size: int,
    max_len: int | None = None,
    name: str = "input_ids",
    ignore_index: int | None = None,
) -> None:
    """ids가 (B, T) 정수 텐서이고, 값이 어휘 [0, vocab_size) 안이며, 길이가 max_len 이하인지.

    ignore_index를 주면 그 값(레이블의 -100)도 받습니다.
    """
    if ids.dim() != 2:
        raise ValueError(
            f"{name}의 모양 {tuple(ids.shape)}: (배치 B, 길이 T)의 2차원이어야 합니다 "
            "(문장 하나면 ids[None]처럼 배치 차원을 더하세요)"
        )
    if ids.dtype.is_floating_point or ids.dtype.is_complex or ids.dtype == torch.bool:
        raise ValueError(f"{name}의 자료형 {ids.dtype}: 토큰 id는 정수(torch.long)여야 합니다")
    if max_len is not None and ids.shape[1] > max_len:
        raise ValueError(f"{name}의 길이 {ids.shape[1]}가 최대 길이 {max_len}보다 깁니다")
    values = ids[ids != ignore_index] if ignore_index is not None else ids
    if values.numel() and (values.min() < 0 or values.max() >= vocab_size):
        bad = values[(values < 0) | (values >= vocab_size)][0].item()
        allowed = f"0 이상 {vocab_size} 미만" + (
            f"(또는 무시할 자리 {ignore_index})" if ignore_index is not None else ""
        )
        raise ValueError(f"{name}에 어휘 밖의 id {bad}가 있습니다: {allowed}이어야 합니다")
