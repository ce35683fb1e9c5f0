"""snippets/bert.py를 transformers의 BERT와 견주고, 80/10/10 가리기의 통계를 확인합니다."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from transformers import BertConfig as HFBertConfig
from transformers import BertForMaskedLM as HFBertForMaskedLM
from transformers import BertForPreTraining as HFBertForPreTraining
from transformers import BertModel as HFBertModel

from snippets.attention import use_fused_attention
from snippets.bert import (
    BERT_PRESETS,
    PAPER_PARAMS_M,
    Bert,
    BertConfig,
    BertForPreTraining,
    padding_leak,
    parameters_by_heads,
)
from snippets.mlm import mlm_loss
from snippets.model_inputs import IGNORE_INDEX
from snippets.parameters import count_parameters

# 작은 무작위 설정들: 2의 거듭제곱이 아닌 폭(48/3, 36/6)과 세그먼트 3종류를 포함합니다.
HF_CONFIGS = {
    "w48-h3": dict(
        hidden_size=48, num_attention_heads=3, num_hidden_layers=2, intermediate_size=64
    ),
    "w36-h6": dict(
        hidden_size=36, num_attention_heads=6, num_hidden_layers=1, intermediate_size=72
    ),
    "w32-h4-3seg": dict(
        hidden_size=32,
        num_attention_heads=4,
        num_hidden_layers=3,
        intermediate_size=37,
        type_vocab_size=3,
    ),
}
VOCAB, T = 61, 11


def _hf_config(**sizes: int) -> HFBertConfig:
    return HFBertConfig(vocab_size=VOCAB, max_position_embeddings=16, **sizes)


def _batch(n_segments: int, seed: int = 0):
    """패딩이 있는 배치: 길이 11, 7, 4. attention_mask는 transformers의 약속(1 = 진짜 토큰)."""
    g = torch.Generator().manual_seed(seed)
    input_ids = torch.randint(VOCAB, (3, T), generator=g)
    token_type_ids = torch.randint(n_segments, (3, T), generator=g)
    lengths = torch.tensor([T, 7, 4])
    attention_mask = (torch.arange(T)[None, :] < lengths[:, None]).long()  # (B, T)
    labels = torch.where(torch.rand(3, T, generator=g) < 0.3, input_ids, IGNORE_INDEX)
    labels[:, 1] = input_ids[:, 1]  # 시퀀스마다 레이블이 적어도 하나
    return input_ids, token_type_ids, lengths, attention_mask, labels


@pytest.mark.parametrize("fused", [False, True], ids=["taught", "fused"])
@pytest.mark.parametrize("sizes", HF_CONFIGS.values(), ids=HF_CONFIGS.keys())
def test_bert_mlm_matches_transformers_bert_for_masked_lm(
    sizes: dict[str, int], fused: bool
) -> None:
    torch.manual_seed(0)
    hf = HFBertForMaskedLM(_hf_config(**sizes)).double().eval()
    ours = use_fused_attention(BertForPreTraining.from_transformers(hf), fused)
    assert isinstance(ours, BertForPreTraining)
    input_ids, token_type_ids, lengths, attention_mask, labels = _batch(hf.config.type_vocab_size)
    expected = hf(
        input_ids=input_ids,
        attention_mask=attention_mask,
        token_type_ids=token_type_ids,
        labels=labels,
        output_hidden_states=True,
    )
    out = ours(input_ids, token_type_ids, lengths)
    torch.testing.assert_close(out.hidden, expected.hidden_states[-1])
    torch.testing.assert_close(out.mlm_logits, expected.logits)
    torch.testing.assert_close(mlm_loss(out.mlm_logits, labels), expected.loss)


@pytest.mark.parametrize("fused", [False, True], ids=["taught", "fused"])
@pytest.mark.parametrize("sizes", HF_CONFIGS.values(), ids=HF_CONFIGS.keys())
def test_bert_matches_transformers_bert_model(sizes: dict[str, int], fused: bool) -> None:
    torch.manual_seed(1)
    hf = HFBertModel(_hf_config(**sizes)).double().eval()
    ours = use_fused_attention(Bert.from_transformers(hf), fused)
    assert isinstance(ours, Bert)
    input_ids, token_type_ids, lengths, attention_mask, _ = _batch(hf.config.type_vocab_size)
    expected = hf(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
    out = ours(input_ids, token_type_ids, lengths)
    torch.testing.assert_close(out.hidden, expected.last_hidden_state)
    torch.testing.assert_close(out.pooled, expected.pooler_output)


def test_bert_nsp_head_matches_transformers_bert_for_pretraining() -> None:
    torch.manual_seed(2)
    hf = HFBertForPreTraining(_hf_config(**HF_CONFIGS["w48-h3"])).double().eval()
    ours = BertForPreTraining.from_transformers(hf)
    input_ids, token_type_ids, lengths, attention_mask, _ = _batch(2)
    expected = hf(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
    out = ours(input_ids, token_type_ids, lengths)
    torch.testing.assert_close(out.mlm_logits, expected.prediction_logits)
    torch.testing.assert_close(out.nsp_logits, expected.seq_relationship_logits)


def test_bert_float32_parity_within_float_tolerance() -> None:
    torch.manual_seed(3)
    hf = HFBertForMaskedLM(_hf_config(**HF_CONFIGS["w36-h6"])).eval()
    ours = BertForPreTraining.from_transformers(hf)
    assert ours.bert.embeddings.token.weight.dtype == torch.float32
    input_ids, token_type_ids, lengths, attention_mask, _ = _batch(2)
    expected = hf(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
    out = ours(input_ids, token_type_ids, lengths)
    torch.testing.assert_close(out.mlm_logits, expected.logits, atol=1e-5, rtol=1e-5)


def test_from_transformers_rejects_tanh_gelu() -> None:
    hf = HFBertModel(_hf_config(**HF_CONFIGS["w36-h6"], hidden_act="gelu_new"))
    with pytest.raises(ValueError, match="GELU"):
        Bert.from_transformers(hf)


def test_from_transformers_refuses_the_wrong_class_for_heads() -> None:
    config = _hf_config(**HF_CONFIGS["w36-h6"])
    with pytest.raises(ValueError, match="BertForPreTraining.from_transformers"):
        Bert.from_transformers(HFBertForMaskedLM(config))
    with pytest.raises(ValueError, match="Bert.from_transformers"):
        BertForPreTraining.from_transformers(HFBertModel(config))


def test_mlm_decoder_is_tied_to_token_embeddings_with_its_own_bias() -> None:
    model = BertForPreTraining(
        BertConfig(vocab_size=30, d_model=16, n_layers=1, n_heads=2, d_ff=32)
    )
    assert model.mlm.decoder.weight is model.bert.embeddings.token.weight
    assert model.mlm.bias.shape == (30,)
    assert model.mlm.decoder.bias is None


# --- 공개된 크기 --------------------------------------------------------------


def _meta_count(model_class: type, config: object) -> int:
    with torch.device("meta"):
        return count_parameters(model_class(config))


def test_bert_base_has_109482240_parameters() -> None:
    assert _meta_count(Bert, BERT_PRESETS["base"]) == 109_482_240
    assert _meta_count(HFBertModel, HFBertConfig()) == 109_482_240


def test_bert_large_preset_matches_transformers_and_paper() -> None:
    large = BERT_PRESETS["large"]
    assert (large.n_layers, large.d_model, large.n_heads, large.d_ff) == (24, 1024, 16, 4096)
    hf_large = HFBertConfig(
        hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096
    )
    n = _meta_count(Bert, large)
    assert n == _meta_count(HFBertModel, hf_large)
    # 논문은 반올림한 크기(110M, 340M)만 적습니다. 2% 안이면 같은 모델로 봅니다: 층 수나
    # 피드포워드 폭 하나만 틀려도 15% 넘게 벗어납니다.
    for name, count in (("base", _meta_count(Bert, BERT_PRESETS["base"])), ("large", n)):
        paper = PAPER_PARAMS_M[name] * 1e6
        assert abs(count - paper) / paper < 0.02, (name, count)


def test_bert_for_pretraining_counts_tied_weights_once_like_transformers() -> None:
    ours = _meta_count(BertForPreTraining, BERT_PRESETS["base"])
    assert ours == _meta_count(HFBertForPreTraining, HFBertConfig())


# --- 양방향성과 패딩 -------------------------------------------------------------


PAD = 0  # [PAD] 토큰 id (BertConfig.pad_id)
SPECIAL = [0, 1, 2, 3, 4]  # 특수 토큰 다섯 개의 id
V = 40  # 특수 토큰 5개 + 보통 토큰 35개


def _tiny_model() -> BertForPreTraining:
    torch.manual_seed(0)
    config = BertConfig(vocab_size=V, max_len=16, d_model=24, n_layers=2, n_heads=3, d_ff=48)
    return BertForPreTraining(config).double().eval()


def test_bert_later_tokens_change_earlier_outputs() -> None:
    # GPT의 불변식(미래 토큰은 과거 로짓을 바꾸지 않는다)의 반대입니다.
    model = _tiny_model()
    ids = torch.randint(len(SPECIAL), V, (1, 10), generator=torch.Generator().manual_seed(0))
    t = 6
    changed = ids.clone()
    changed[0, t + 1] = (ids[0, t + 1] - len(SPECIAL) + 1) % (V - len(SPECIAL)) + len(SPECIAL)
    with torch.no_grad():
        before, after = model(ids).hidden, model(changed).hidden
    difference = (before - after).abs().amax(dim=-1)[0]  # (T,)
    assert (difference[: t + 1] > 1e-6).all(), difference


def test_bert_padding_tokens_do_not_change_real_outputs() -> None:
    model = _tiny_model()
    ids = torch.randint(len(SPECIAL), V, (1, 10), generator=torch.Generator().manual_seed(1))
    lengths = torch.tensor([6])
    changed = ids.clone()
    changed[0, 6:] = PAD
    with torch.no_grad():
        before = model(ids, lengths=lengths).mlm_logits[0, :6]
        after = model(changed, lengths=lengths).mlm_logits[0, :6]
        unmasked = model(ids).mlm_logits[0, :6]
    torch.testing.assert_close(before, after)
    assert not torch.allclose(before, unmasked)  # 마스크가 없으면 패딩 자리도 보입니다


def test_pretraining_body_is_initialised_once_exactly_like_bert() -> None:
    # 헤드를 더해도 본체의 초기화는 다시 하지 않습니다: 같은 generator 시드면 Bert와 같은 본체입니다.
    config = BertConfig(vocab_size=30, max_len=8, d_model=16, n_layers=2, n_heads=2, d_ff=32)
    body = Bert(config, torch.Generator().manual_seed(5)).state_dict()
    model = BertForPreTraining(config, torch.Generator().manual_seed(5))
    for name, tensor in model.bert.state_dict().items():
        assert torch.equal(tensor, body[name]), name
    assert model.mlm.decoder.weight is model.bert.embeddings.token.weight
    assert model.nsp.weight.std().item() == pytest.approx(config.init_std, rel=0.5)


def test_parameters_by_heads_match_transformers_and_do_not_depend_on_heads() -> None:
    config = BertConfig(vocab_size=VOCAB, max_len=16, d_model=48, n_layers=2, d_ff=64)
    counts = parameters_by_heads(config, [1, 2, 3, 4, 6, 12])
    for heads, count in counts.items():
        hf = HFBertModel(_hf_config(**HF_CONFIGS["w48-h3"] | {"num_attention_heads": heads}))
        assert count == sum(p.numel() for p in hf.parameters()), heads
    assert len(set(counts.values())) == 1, counts
    # 폭을 바꾸면 수가 바뀝니다: 같은 수가 나오는 것이 헤드 수 덕분임을 보입니다.
    wider = parameters_by_heads(replace(config, d_model=96), [3])
    assert wider[3] != counts[3]


def test_padding_leak_is_zero_with_the_mask_and_matches_transformers_without_it() -> None:
    torch.manual_seed(0)
    hf = HFBertModel(_hf_config(**HF_CONFIGS["w48-h3"])).double().eval()
    model = Bert.from_transformers(hf)
    ids, _, lengths, attention_mask, _ = _batch(n_segments=2)
    filler = 5
    assert padding_leak(model, ids, lengths, filler) < 1e-12
    leak = padding_leak(model, ids, lengths, filler, masked=False)
    assert leak > 1e-3
    # 같은 양을 transformers로 잽니다: 마스크 없이(attention_mask를 주지 않고) 패딩을 바꿉니다.
    pad = attention_mask == 0
    with torch.no_grad():
        moved = hf(torch.where(pad, filler, ids)).last_hidden_state - hf(ids).last_hidden_state
    assert leak == pytest.approx(moved[~pad].abs().max().item(), rel=1e-9)
