"""snippets/model_inputs.py: 틀린 입력과 설정은 IndexError·ZeroDivisionError가 아니라 한계를 짚은 ValueError로."""

from __future__ import annotations

import math
import re
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
    # 임베딩이 받지 않는 작은 정수형: RuntimeError 대신(int32도 손실의 레이블로는 안 되어 함께 거절)
    "uint8-ids": (torch.tensor([[1, 2]], dtype=torch.uint8), "자료형 torch.uint8: 토큰 id는 정수"),
    "int16-ids": (torch.tensor([[1, 2]], dtype=torch.int16), "자료형 torch.int16: 토큰 id는 정수"),
    "int32-ids": (torch.tensor([[1, 2]], dtype=torch.int32), "자료형 torch.int32: 토큰 id는 정수"),
    "empty": (torch.zeros(1, 0, dtype=torch.long), "길이가 0입니다: 토큰이 하나 이상"),
    "list": ([[1, 2]], "input_ids: torch.Tensor여야 합니다 (받은 것: list"),
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
    # 어휘 밖의 pad_id: 예전에는 T5가 나중에 decoder_input_ids를 탓했고, BERT는 AssertionError였습니다.
    "t5-pad-id-past-vocab": (
        lambda: T5Config(vocab_size=10, pad_id=10),
        "T5Config.pad_id=10: 어휘 안의 id(0 이상 vocab_size 10 미만의 정수)",
    ),
    "t5-negative-pad-id": (lambda: T5Config(pad_id=-1), "T5Config.pad_id=-1: 어휘 안의 id"),
    "bert-pad-id-past-vocab": (lambda: BertConfig(vocab_size=5, pad_id=5), "BertConfig.pad_id=5"),
    "bart-start-id-past-vocab": (
        lambda: BartConfig(vocab_size=5, decoder_start_id=7),
        "BartConfig.decoder_start_id=7: 어휘 안의 id",
    ),
    # eps가 NaN·0·음수이면 정규화가 조용히 NaN을 냈습니다.
    "gpt-nan-eps": (lambda: GPTConfig(eps=math.nan), "GPTConfig.eps=nan: 0보다 큰 유한한 숫자"),
    "t5-nan-eps": (lambda: T5Config(eps=math.nan), "T5Config.eps=nan: 0보다 큰 유한한 숫자"),
    "bert-negative-eps": (lambda: BertConfig(eps=-1.0), "BertConfig.eps=-1.0: 0보다 큰"),
    "gpt-zero-eps": (lambda: GPTConfig(eps=0.0), "GPTConfig.eps=0.0: 0보다 큰"),
    "bert-nan-init-std": (lambda: BertConfig(init_std=math.nan), "BertConfig.init_std=nan"),
    "bert-dropout-above-one": (lambda: BertConfig(dropout=1.5), "BertConfig.dropout=1.5: 0 이상 1"),
    "t5-nan-dropout": (lambda: T5Config(dropout=math.nan), "T5Config.dropout=nan: 0 이상 1"),
    # 버킷 2개: relative_position_bucket이 0으로 나눴습니다(ZeroDivisionError).
    "t5-two-buckets": (lambda: T5Config(num_buckets=2), "num_buckets는 4 이상"),
    "t5-short-max-distance": (
        lambda: T5Config(num_buckets=4, max_distance=1),
        "max_distance는 num_buckets // 2보다",
    ),
}


@pytest.mark.parametrize(("build", "message"), BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_bad_sizes_in_a_config_are_refused_by_name(build, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


LENGTHS = {
    "zero": (torch.tensor([0]), "src_lengths에 길이 0가 있습니다: 1 이상 input_ids의 길이 3 이하"),
    "negative": (torch.tensor([-1]), "src_lengths에 길이 -1가 있습니다"),
    "past-the-input": (torch.tensor([4]), "src_lengths에 길이 4가 있습니다"),
    "float": (
        torch.tensor([2.0]),
        r"모양 \(1,\)의 torch.long 텐서여야 합니다 \(받은 것: \(1,\), torch.float32",
    ),
    "wrong-batch": (torch.tensor([2, 3]), r"받은 것: \(2,\), torch.int64"),
}


@pytest.mark.parametrize("model", ["bart", "t5"])
@pytest.mark.parametrize(("lengths", "message"), LENGTHS.values(), ids=LENGTHS.keys())
def test_bad_lengths_are_refused_by_name(model: str, lengths: torch.Tensor, message: str) -> None:
    """길이 0은 소프트맥스가 조용히 NaN을, 입력보다 긴 길이는 조용히 입력 길이를 뜻했습니다."""
    ids = torch.ones(1, 3, dtype=torch.long)
    with pytest.raises(ValueError, match=message):
        TINY[model](ids, labels=ids, src_lengths=lengths)
    with pytest.raises(
        ValueError,
        match=message.replace("src_lengths", "tgt_lengths").replace(
            "input_ids", "decoder_input_ids"
        ),
    ):
        TINY[model](ids, labels=ids, tgt_lengths=lengths)


def test_bert_refuses_bad_lengths_and_segment_ids_of_another_shape() -> None:
    ids = torch.ones(1, 3, dtype=torch.long)
    with pytest.raises(ValueError, match="lengths에 길이 0가 있습니다"):
        TINY["bert"](ids, lengths=torch.tensor([0]))
    with pytest.raises(
        ValueError, match=r"token_type_ids의 모양 \(1, 2\)이 input_ids의 모양 \(1, 3\)"
    ):
        TINY["bert"](ids, token_type_ids=torch.zeros(1, 2, dtype=torch.long))


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
    # mBART에는 디코더 시작 id가 없어(None) BartConfig가 먼저 멈추므로, 그것까지 속입니다.
    mbart.config.decoder_start_token_id = 2
    with pytest.raises(ValueError, match=r"옮길 자리가 없는 가중치.*layer_norm"):
        Bart.from_transformers(mbart)
