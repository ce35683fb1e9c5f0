"""모델의 크기를 세는 한 가지 방법: 모든 글(GPT, BERT, BART, T5)의 파라미터 표가 이것으로 셉니다."""

from __future__ import annotations

from torch import nn


# --8<-- [start:count-parameters]
def count_parameters(model: nn.Module) -> int:
    """학습되는 값의 개수. 묶인(tied) 가중치(출력층 = 토큰 임베딩)는 한 번만 셉니다.

    model.parameters()는 같은 텐서를 두 번 내놓지 않으므로 그대로 더하면 됩니다(버퍼는 세지
    않습니다). meta 장치(device)에 만든 모델도 셀 수 있어서, 175B 모델도 메모리 없이 셉니다.
    """
    return sum(p.numel() for p in model.parameters())


# --8<-- [end:count-parameters]
