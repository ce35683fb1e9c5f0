"""snippets/model_inputs.py: 틀린 입력과 설정은 IndexError·ZeroDivisionError가 아니라 한계를 짚은 ValueError로."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from transformers import BartConfig as HFBartConfig
from transformers import BartForConditionalGeneration, MBartConfig, MBartForConditionalGeneration

from snippets.bart import Bart, BartConfig
from snippets.bert import Bert, BertConfig
from snippets.gpt import GPT, GPTConfig
from snippets.model_inputs import IGNORE_INDEX
from snippets.t5 import T5, T5Config

V, MAX_LEN = 50, 8
MODELS: dict[str, Callable[[torch.Tensor], object]] = {}


def _tiny() -> dict[str, torch.nn.Module]:
    torch.manual_seed(0)
    return {
        "gpt": GPT(GPTConfig(vocab_size=V, max_len=MAX_LEN, d_model=8, n_layers=1, n_heads=2)),
        "bert": Bert(
            BertConfig(vocab_size=V, max_len=MAX_LEN, d_model=8, n_layers=1, n_heads=2, d_ff=16)
        ),
        "bart": Bart(
            BartConfig(vocab_size=V, max_len=MAX_LEN, d_model=8, n_layers=1, n_heads=2, d_ff=16)
        ),
        "t5": T5(T5Config(vocab_size=V, d_model=8, head_dim=4, d_ff=16, n_layers=1, n_heads=2)),
    }


TINY = _tiny()


def _run(name: str, ids: torch.Tensor) -> object:
    model = TINY[name].eval()
    if name in {"bart", "t5"}:
        return model(ids, decoder_input_ids=torch.zeros(1, 2, dtype=torch.long))
    return model(ids)


BAD_INPUTS = {
    "negative-id": (torch.tensor([[1, -1, 2]]), "어휘 밖의 id -1"),
    "id-equal-to-vocab": (torch.tensor([[1, V, 2]]), f"어휘 밖의 id {V}"),
    "one-dimensional": (torch.tensor([1, 2, 3]), "(배치 B, 길이 T)의 2차원"),
    "float-ids": (torch.tensor([[1.0, 2.0]]), "정수(torch.long)"),
}


@pytest.mark.parametrize("model", TINY, ids=TINY)
@pytest.mark.parametrize(("ids", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_token_ids_are_refused_naming_the_limit(
    model: str, ids: torch.Tensor, message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _run(model, ids)


@pytest.mark.parametrize("model", ["gpt", "bert", "bart"])
def test_input_longer_than_the_positions_is_refused(model: str) -> None:
    """학습된 위치 임베딩이 있는 모델: BART의 원문이 위치 수보다 길면 IndexError 대신."""
    with pytest.raises(ValueError, match=f"길이 {MAX_LEN + 1}가 최대 길이 {MAX_LEN}보다 깁니다"):
        _run(model, torch.ones(1, MAX_LEN + 1, dtype=torch.long))


def test_labels_may_use_the_ignore_label_but_nothing_else_outside_the_vocabulary() -> None:
    ids = torch.ones(1, 3, dtype=torch.long)
    labels = torch.tensor([[IGNORE_INDEX, 4, IGNORE_INDEX]])
    for name in ("bart", "t5"):
        assert TINY[name](ids, labels=labels).loss is not None
        with pytest.raises(ValueError, match="labels에 어휘 밖의 id -5"):
            TINY[name](ids, labels=torch.tensor([[-5, 4, 1]]))


BAD_CONFIGS = {
    "gpt-zero-heads": (lambda: GPTConfig(n_heads=0), "GPTConfig.n_heads=0: 1 이상의 정수"),
    "gpt-uneven-heads": (lambda: GPTConfig(d_model=10, n_heads=4), "나누어떨어지지 않습니다"),
    "bert-zero-heads": (lambda: BertConfig(n_heads=0), "BertConfig.n_heads=0"),
    "bart-negative-layers": (lambda: BartConfig(n_layers=-1), "BartConfig.n_layers=-1"),
    "t5-zero-vocab": (lambda: T5Config(vocab_size=0), "T5Config.vocab_size=0"),
    "gpt-float-width": (lambda: GPTConfig(d_model=7.5), "GPTConfig.d_model=7.5"),
}


@pytest.mark.parametrize(("build", "message"), BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_bad_sizes_in_a_config_are_refused_by_name(build, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        build()


def _mbart_and_bart() -> tuple[torch.nn.Module, torch.nn.Module]:
    sizes = dict(
        vocab_size=V,
        max_position_embeddings=MAX_LEN,
        d_model=8,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=16,
        decoder_ffn_dim=16,
    )
    torch.manual_seed(0)
    return (
        MBartForConditionalGeneration(MBartConfig(**sizes)).eval(),
        BartForConditionalGeneration(HFBartConfig(**sizes)).eval(),
    )


def test_mbart_is_refused_instead_of_silently_dropping_its_layer_norms() -> None:
    """mBART는 BART와 이름이 같은 가중치에 층 정규화가 더 있습니다(pre-LN + 마지막 정규화).
    조용히 옮기면 로짓이 9.8까지 어긋났습니다."""
    mbart, bart = _mbart_and_bart()
    with pytest.raises(ValueError, match=r"MBartForConditionalGeneration\(model_type='mbart'\)"):
        Bart.from_transformers(mbart)
    Bart.from_transformers(bart)  # 같은 크기의 BART는 그대로 옮겨집니다


def test_a_weight_without_a_place_in_our_model_is_refused() -> None:
    """model_type을 속여도: 옮길 자리가 없는 가중치(mBART의 마지막 층 정규화)가 있으면 멈춥니다."""
    mbart, _ = _mbart_and_bart()
    mbart.config.model_type = "bart"
    with pytest.raises(ValueError, match=r"옮길 자리가 없는 가중치.*layer_norm"):
        Bart.from_transformers(mbart)
