"""모델의 입력 검사: 틀린 값은 한계를 짚은 ValueError로 (GPT, BERT, BART, T5가 함께 씁니다).

임베딩 표 밖의 토큰 id는 IndexError로, 헤드 수 0은 ZeroDivisionError로, 1차원 입력은 모양 오류로
모델 깊은 곳에서 터집니다. 무엇이 얼마여야 하는지 말하는 메시지로 입구에서 멈춥니다.
"""

from __future__ import annotations

import math

import torch

IGNORE_INDEX = (
    -100
)  # 손실에서 빼는 레이블 (F.cross_entropy와 transformers의 약속)


# 모델 설정이 함께 가진 크기 필드: check_sizes(self, *MODEL_SIZES)
MODEL_SIZES = (
    "vocab_size",
    "max_len",
    "d_model",
    "n_layers",
    "n_heads",
    "d_ff",
)


def check_sizes(config: object, *names: str) -> None:
    """설정의 크기 필드(어휘, 폭, 층 수, 헤드 수 등)가 모두 양의 정수인지."""
    for name in names:
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{type(config).__name__}.{name}={value!r}: 1 이상의 정수여야 합니다"
            )


def _check_ids(config: object, names: tuple[str, ...]) -> None:
    """설정의 토큰 id 필드(pad_id 등)가 어휘 [0, vocab_size) 안의 정수인지.

    어휘 밖의 pad_id는 설정을 만들 때 멈춥니다: 그대로 두면 그 id로 만든 디코더 입력이 나중에
    decoder_input_ids의 잘못처럼 보고됩니다.
    """
    vocab_size = config.vocab_size  # type: ignore[attr-defined]
    for name in names:
        value = getattr(config, name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value < vocab_size
        ):
            raise ValueError(
                f"{type(config).__name__}.{name}={value!r}: "
                f"어휘 안의 id(0 이상 vocab_size {vocab_size} 미만의 정수)여야 합니다"
            )


def _check_positive(config: object, names: tuple[str, ...]) -> None:
    """설정의 실수 필드(레이어 정규화의 eps, 초기화 표준편차)가 0보다 큰 유한한 숫자인지.

    eps=nan이나 0 이하이면 정규화가 조용히 NaN·무한대를 냅니다.
    """
    for name in names:
        value = getattr(config, name)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value) or value <= 0:
            raise ValueError(
                f"{type(config).__name__}.{name}={value!r}: 0보다 큰 유한한 숫자여야 합니다"
            )


def _check_probabilities(config: object, names: tuple[str, ...]) -> None:
    """설정의 드롭아웃 확률이 [0, 1] 안의 숫자인지(NaN은 비교가 모두 거짓이라 걸러집니다)."""
    for name in names:
        value = getattr(config, name)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not 0 <= value <= 1:
            raise ValueError(
                f"{type(config).__name__}.{name}={value!r}: 0 이상 1 이하여야 합니다"
            )


def check_fields(
    config: object,
    *,
    ids: tuple[str, ...] = (),
    positive: tuple[str, ...] = (),
    probabilities: tuple[str, ...] = (),
) -> None:
    """설정의 크기 밖 필드: ids는 어휘 안의 id, positive는 0보다 큰 유한한 숫자, probabilities는 [0, 1]."""
    _check_ids(config, ids)
    _check_positive(config, positive)
    _check_probabilities(config, probabilities)


def check_heads(width: int, heads: int, where: str) -> None:
    """폭이 헤드 수로 나누어떨어지는지(헤드 폭 Dh = D / H)."""
    if width % heads:
        raise ValueError(
            f"{where}: 모델 폭 {width}가 헤드 수 {heads}로 나누어떨어지지 않습니다"
        )


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
    if not isinstance(ids, torch.Tensor):
        raise ValueError(
            f"{name}: torch.Tensor여야 합니다 (받은 것: {type(ids).__name__}; "
            "torch.tensor(ids)로 바꾸세요)"
        )
    if ids.dim() != 2:
        raise ValueError(
            f"{name}의 모양 {tuple(ids.shape)}: (배치 B, 길이 T)의 2차원이어야 합니다 "
            "(문장 하나면 ids[None]처럼 배치 차원을 더하세요)"
        )
    if ids.dtype != torch.long:
        # uint8·int16은 임베딩이 받지 않고(RuntimeError), int32는 임베딩은 받아도 손실의 레이블로는
        # 안 됩니다. 바꿔 주지 않고 한 가지로 받습니다: 작은 정수형은 255·32767에서 값이 이미
        # 돌아 있을 수 있어(바이트를 id로 읽은 실수 등), 조용히 바꾸면 틀린 id를 숨깁니다.
        raise ValueError(
            f"{name}의 자료형 {ids.dtype}: 토큰 id는 정수(torch.long)여야 합니다 "
            "(ids.long()으로 바꾸세요)"
        )
    if ids.shape[1] == 0:
        raise ValueError(
            f"{name}의 길이가 0입니다: 토큰이 하나 이상 있어야 합니다"
        )
    if max_len is not None and ids.shape[1] > max_len:
        raise ValueError(
            f"{name}의 길이 {ids.shape[1]}가 최대 길이 {max_len}보다 깁니다"
        )
    values = ids[ids != ignore_index] if ignore_index is not None else ids
    if values.numel() and (values.min() < 0 or values.max() >= vocab_size):
        bad = values[(values < 0) | (values >= vocab_size)][0].item()
        allowed = f"0 이상 {vocab_size} 미만" + (
            f"(또는 무시할 자리 {ignore_index})"
            if ignore_index is not None
            else ""
        )
        raise ValueError(
            f"{name}에 어휘 밖의 id {bad}가 있습니다: {allowed}이어야 합니다"
        )


def check_segment_ids(
    token_type_ids: torch.Tensor, input_ids: torch.Tensor, n_segments: int
) -> None:
    """세그먼트 번호 token_type_ids가 [0, n_segments) 안의 id이고 input_ids와 모양이 같은지(토큰마다 하나)."""
    check_token_ids(token_type_ids, n_segments, name="token_type_ids")
    if token_type_ids.shape != input_ids.shape:
        raise ValueError(
            f"token_type_ids의 모양 {tuple(token_type_ids.shape)}이 input_ids의 모양 "
            f"{tuple(input_ids.shape)}과 같아야 합니다(토큰마다 세그먼트 번호 하나)"
        )


def check_lengths(
    lengths: torch.Tensor, ids: torch.Tensor, name: str, ids_name: str
) -> None:
    """패딩을 뺀 길이 lengths가 ids의 배치마다 하나인 (B,) torch.long 텐서이고, 값이 1..T인지.

    길이 0이면 그 문장의 키가 모두 가려져 소프트맥스가 NaN을 내고, T보다 긴 길이는 조용히 T로 읽힙니다.
    """
    B, T = ids.shape
    if (
        not isinstance(lengths, torch.Tensor)
        or lengths.dtype != torch.long
        or lengths.shape != (B,)
    ):
        tensor = isinstance(lengths, torch.Tensor)
        got = (
            f"{tuple(lengths.shape)}, {lengths.dtype}"
            if tensor
            else type(lengths).__name__
        )
        raise ValueError(
            f"{name}: {ids_name}의 문장마다 길이 하나인 모양 ({B},)의 torch.long 텐서여야 합니다 "
            f"(받은 것: {got})"
        )
    if lengths.min() < 1 or lengths.max() > T:
        bad = lengths[(lengths < 1) | (lengths > T)][0].item()
        raise ValueError(
            f"{name}에 길이 {bad}가 있습니다: 1 이상 {ids_name}의 길이 {T} 이하여야 합니다"
        )
