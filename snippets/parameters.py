"""모델의 파라미터를 세고, 초기화하고, 참조 구현에서 옮겨 오는 한 가지 방법 (GPT, BERT, BART, T5가 함께 씁니다).

- count_parameters: 모든 글의 파라미터 표가 이것으로 셉니다.
- init_weights / reset_parameters: 난수는 언제나 인자로 받은 torch.Generator 하나에서 나옵니다.
  전역 시드(torch.manual_seed)를 바꾸지 않으므로, 같은 generator 시드면 같은 모델이 나옵니다.
- port_weights: transformers의 state_dict를 이 블로그의 모델로 옮기는 하나의 반복문입니다.
  모델마다 이름 표(renamer)와 특별한 가중치(전치, 나누기)만 적고, 나머지는 이 함수가 모양을
  하나하나 확인하며 복사합니다(nanoGPT의 from_pretrained처럼).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import torch
from torch import nn


# --8<-- [start:count-parameters]
def count_parameters(model: nn.Module) -> int:
    """학습되는 값의 개수. 묶인(tied) 가중치(출력층 = 토큰 임베딩)는 한 번만
    셉니다.

    model.parameters()는 같은 텐서를 두 번 내놓지 않으므로 그대로 더하면
    됩니다(버퍼는 세지 않습니다). meta 장치(device)에 만든 모델도 셀 수 있어서,
    175B 모델도 메모리 없이 셉니다.
    """
    return sum(p.numel() for p in model.parameters())


# --8<-- [end:count-parameters]


def _weights_once(model: nn.Module):
    """(이름, 모듈) 중 가중치가 처음 나오는 것만: 묶인 가중치(출력층 = 임베딩)는 한 번만 초기화합니다."""
    seen: set[int] = set()
    for name, module in model.named_modules():
        weight = getattr(module, "weight", None)
        if isinstance(weight, torch.Tensor) and id(weight) in seen:
            continue
        if isinstance(weight, torch.Tensor):
            seen.add(id(weight))
        yield name, module


@torch.no_grad()
def init_weights(
    model: nn.Module,
    generator: torch.Generator | None = None,
    std: float = 0.02,
    stds: Mapping[str, float] | None = None,
) -> nn.Module:
    """트랜스포머의 흔한 초기화: Linear와 Embedding의 가중치는 N(0, std²), 편향은 0, LayerNorm은 1과 0.

    stds는 모듈 이름의 끝 -> 그 모듈의 표준편차입니다(GPT-2의 잔차 투영, T5의 층별 값).
    Embedding의 padding_idx 행은 0으로 둡니다.
    """
    stds = stds or {}
    for name, module in _weights_once(model):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            s = next(
                (v for suffix, v in stds.items() if name.endswith(suffix)), std
            )
            nn.init.normal_(module.weight, std=s, generator=generator)
        if isinstance(module, nn.Embedding) and module.padding_idx is not None:
            module.weight[module.padding_idx].zero_()
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)
        if isinstance(module, nn.LayerNorm) and module.elementwise_affine:
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
    return model


@torch.no_grad()
def reset_parameters(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """PyTorch의 기본 초기화를 generator로 다시 합니다 (작은 실험 모델용).

    nn.Linear의 가중치와 편향은 U(-1/sqrt(입력 폭), 1/sqrt(입력 폭)), nn.Embedding은 N(0, 1),
    LayerNorm은 1과 0. 모듈을 만든 순서대로 뽑으므로, torch.manual_seed(s) 뒤에 모델을 만든 것과
    같은 값이 generator 시드 s에서 나옵니다(전역 난수 상태는 건드리지 않습니다).
    """
    for _, module in _weights_once(model):
        if isinstance(module, nn.Linear):
            bound = 1 / math.sqrt(module.in_features)
            module.weight.uniform_(-bound, bound, generator=generator)
            if module.bias is not None:
                module.bias.uniform_(-bound, bound, generator=generator)
        elif isinstance(module, nn.Embedding):
            module.weight.normal_(generator=generator)
        elif isinstance(module, nn.LayerNorm) and module.elementwise_affine:
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
    return model


# --8<-- [start:renamer]
Names = Mapping[str, str]  # 우리 이름의 앞마디 -> 참조 구현의 앞마디


def renamer(
    names: Names, stacks: Mapping[str, tuple[str, Names]] | None = None
) -> Callable[[str], str]:
    """이름 표로 우리 이름을 참조 구현의 이름으로 바꾸는 함수.

    names는 점으로 나뉜 앞마디끼리의 표이고, 가장 긴 앞마디가 이깁니다:
    {"final_norm": "transformer.ln_f"}이면 final_norm.weight ->
    transformer.ln_f.weight. stacks는 층 목록 -> (참조 구현의 층 목록, 층 안의
    이름 표)라서, layers.3.ff.norm.weight는 층 번호 3을 그대로 둔 채 층 안의
    표로 ff.norm을 바꿉니다. 표에 없는 이름은 그대로입니다.
    """
    stacks = stacks or {}

    def swap(table: Names, name: str) -> str:
        parts = name.split(".")
        for n in range(len(parts), 0, -1):
            head = ".".join(parts[:n])
            if head in table:
                return ".".join([table[head], *parts[n:]])
        return name

    def rename(name: str) -> str:
        stack, _, rest = name.partition(".")
        index, _, inner = rest.partition(".")
        if stack in stacks and index.isdigit():
            theirs, layer = stacks[stack]
            return f"{theirs}.{index}.{swap(layer, inner)}"
        return swap(names, name)

    return rename


# --8<-- [end:renamer]


# --8<-- [start:port-weights]
@torch.no_grad()
def port_weights(
    model: nn.Module,
    theirs: Mapping[str, torch.Tensor],
    rename: Callable[[str], str | None],
    special: Mapping[str, Callable[[torch.Tensor], torch.Tensor]] | None = None,
) -> nn.Module:
    """참조 구현의 가중치 theirs(state_dict)를 model로 옮기고, 모든 모양과 남은
    가중치를 확인합니다.

    rename(우리 이름) -> 참조 구현의 이름. None이면 참조 구현에 없는 것이라
    초기화된 채로 둡니다 (예: BertForMaskedLM에는 NSP 헤드가 없습니다).
    special은 우리 이름의 끝(점으로 나뉜 마디 단위) -> 옮기기 전에 거칠
    함수입니다(Conv1D의 전치, 합쳐진 q·k·v 나누기). 나머지는 그대로 복사합니다.
    모양이 다르거나, 옮겨 갈 자리가 없는 가중치가 남으면(우리 모델에 없는 계산)
    ValueError입니다. 묶인(tied) 가중치는 같은 텐서라 한 번 옮기면 됩니다.
    """
    special = special or {}
    used: set[str] = set()
    for name, ours in model.state_dict(keep_vars=True).items():
        key = rename(name)
        if key is None:
            continue
        if key not in theirs:
            raise ValueError(f"{name}: 참조 구현에 {key}가 없습니다")
        tensor = theirs[key]
        transform = next(
            (f for end, f in special.items() if f".{name}".endswith(f".{end}")),
            None,
        )
        if transform is not None:
            tensor = transform(tensor)
        if tensor.shape != ours.shape:
            raise ValueError(
                f"{name} <- {key}: 모양 {tuple(tensor.shape)}이 우리 모양 "
                f"{tuple(ours.shape)}과 다릅니다"
            )
        ours.copy_(tensor)
        used.add(key)
    copied = {theirs[key].data_ptr() for key in used}
    left = [
        k
        for k, v in theirs.items()
        if k not in used and v.data_ptr() not in copied
    ]
    if left:
        raise ValueError(
            "옮길 자리가 없는 가중치가 있어 정확히 옮길 수 없습니다: "
            f"{left[:4]}"
        )
    return model


# --8<-- [end:port-weights]
