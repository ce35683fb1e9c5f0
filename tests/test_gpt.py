"""snippets/gpt.py를 transformers의 GPT2LMHeadModel과 발표된 수치에 견줍니다."""

from __future__ import annotations

import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel

from snippets.attention import use_fused_attention
from snippets.causal_lm import causal_lm_loss, generate, next_token_targets
from snippets.gpt import (
    GPT,
    GPT2_PAPER_FIGURES,
    PRESETS,
    GPTConfig,
    Printed,
    future_leak,
    in_published_rounding,
    logits_without_mask,
    untie_output_head,
)
from snippets.parameters import count_parameters

# 작은 무작위 설정들. 폭이 2의 거듭제곱이 아닌 것(48 = 3 x 16, 36 = 6 x 6)도 넣습니다.
HF_CONFIGS = {
    "d32-h4-L2": dict(vocab_size=97, n_positions=16, n_embd=32, n_layer=2, n_head=4),
    "d48-h3-L3": dict(vocab_size=50, n_positions=12, n_embd=48, n_layer=3, n_head=3),
    "d36-h6-L1": dict(vocab_size=11, n_positions=9, n_embd=36, n_layer=1, n_head=6),
}


def _hf_model(seed: int = 0, **config: int) -> GPT2LMHeadModel:
    torch.manual_seed(seed)
    model = GPT2LMHeadModel(GPT2Config(**config)).eval()
    # 무작위 초기화는 LayerNorm을 (1, 0)으로 두므로, 전치·순서 실수가 드러나게 흐트러뜨립니다.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "ln_" in name:
                p.normal_(mean=1.0 if name.endswith("weight") else 0.0, std=0.1)
            elif name.endswith("bias"):
                p.normal_(std=0.1)
    return model.double()


def _ids(config: dict, B: int = 2, seed: int = 1) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randint(config["vocab_size"], (B, config["n_positions"]), generator=g)


# 두 어텐션 길: 글이 풀어 쓴 함수들(기본)과 PyTorch의 융합 커널(fused=True).
PATHS = {"taught": False, "fused": True}


@pytest.mark.parametrize("fused", PATHS.values(), ids=PATHS.keys())
@pytest.mark.parametrize("config", HF_CONFIGS.values(), ids=HF_CONFIGS.keys())
def test_from_transformers_matches_gpt2_logits(config: dict, fused: bool) -> None:
    hf = _hf_model(**config)
    ours = use_fused_attention(GPT.from_transformers(hf), fused)
    ids = _ids(config)
    with torch.no_grad():
        torch.testing.assert_close(ours(ids), hf(ids).logits)


@pytest.mark.parametrize("fused", PATHS.values(), ids=PATHS.keys())
@pytest.mark.parametrize("config", HF_CONFIGS.values(), ids=HF_CONFIGS.keys())
def test_causal_lm_loss_matches_gpt2_loss_with_labels(config: dict, fused: bool) -> None:
    hf = _hf_model(**config)
    ours = use_fused_attention(GPT.from_transformers(hf), fused)
    ids = _ids(config)
    inputs, targets = next_token_targets(ids)
    with torch.no_grad():
        ours_loss = causal_lm_loss(ours(inputs), targets)
        # transformers는 labels=ids를 받아 안에서 한 칸 밉니다. 우리는 밖에서 밀고 T-1개만 넣습니다.
        # 그쪽 손실 함수는 로짓을 float32로 올려 계산하므로 float32로 견줍니다.
        hf_loss = hf(ids, labels=ids).loss
    assert hf_loss.dtype == torch.float32
    torch.testing.assert_close(ours_loss.float(), hf_loss)


@pytest.mark.parametrize("config", HF_CONFIGS.values(), ids=HF_CONFIGS.keys())
def test_parameter_count_matches_gpt2(config: dict) -> None:
    hf = _hf_model(**config)
    assert count_parameters(GPT.from_transformers(hf)) == sum(p.numel() for p in hf.parameters())


def test_from_transformers_returns_eval_model_with_tied_head() -> None:
    model = GPT.from_transformers(_hf_model(**HF_CONFIGS["d32-h4-L2"]))
    assert not model.training
    assert model.lm_head.weight is model.wte.weight


def test_from_transformers_rejects_erf_gelu() -> None:
    hf = GPT2LMHeadModel(GPT2Config(**HF_CONFIGS["d32-h4-L2"], activation_function="gelu"))
    with pytest.raises(ValueError, match="GELU"):
        GPT.from_transformers(hf)


@pytest.mark.parametrize("fused", PATHS.values(), ids=PATHS.keys())
def test_greedy_generation_matches_transformers_generate(fused: bool) -> None:
    config = HF_CONFIGS["d48-h3-L3"]
    hf = _hf_model(**config)
    prompt = _ids(config, B=1)[:, :4]
    expected = hf.generate(prompt, max_new_tokens=6, do_sample=False, pad_token_id=0)
    ours = use_fused_attention(GPT.from_transformers(hf), fused)
    torch.testing.assert_close(generate(ours, prompt, 6, temperature=0), expected)


def _random_gpt(seed: int = 0) -> GPT:
    config = GPTConfig(vocab_size=23, max_len=10, d_model=24, n_layers=2, n_heads=3)
    return GPT(config, generator=torch.Generator().manual_seed(seed)).double().eval()


@pytest.mark.parametrize("t", [1, 4, 9], ids=["t1", "t4", "t9"])
def test_gpt_future_tokens_do_not_change_past_logits(t: int) -> None:
    model = _random_gpt()
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(23, (2, 10), generator=g)
    changed = ids.clone()
    changed[:, t:] = torch.randint(23, (2, 10 - t), generator=g)
    assert not torch.equal(ids[:, t:], changed[:, t:])
    with torch.no_grad():
        before, after = model(ids), model(changed)
    torch.testing.assert_close(after[:, :t], before[:, :t])
    assert not torch.allclose(after[:, t:], before[:, t:])  # 바꾼 자리부터는 달라져야 합니다


def test_gpt_init_is_determined_by_generator() -> None:
    a, b, c = _random_gpt(seed=0), _random_gpt(seed=0), _random_gpt(seed=1)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
    assert not torch.equal(a.wte.weight, c.wte.weight)


def test_gpt2_small_preset_has_124_439_808_parameters_on_meta_device() -> None:
    with torch.device("meta"):
        model = GPT(PRESETS["GPT-2 small"].config)
    assert count_parameters(model) == 124_439_808


def test_default_config_is_the_transformers_gpt2_default() -> None:
    # transformers의 GPT2Config() 기본값이 GPT-2 small(124M)입니다: 같은 크기를 말하는지 봅니다.
    hf, ours = GPT2Config(), GPTConfig()
    assert (ours.vocab_size, ours.max_len, ours.d_model) == (
        hf.vocab_size,
        hf.n_positions,
        hf.n_embd,
    )
    assert (ours.n_layers, ours.n_heads, ours.eps) == (hf.n_layer, hf.n_head, hf.layer_norm_epsilon)
    assert ours.d_ff == 4 * hf.n_embd and hf.n_inner is None  # transformers도 None이면 4D입니다


def _meta_count(config: GPTConfig) -> int:
    with torch.device("meta"):
        return count_parameters(GPT(config))


@pytest.mark.parametrize(
    ("count", "published", "expected"),
    [
        (116_536_320, "117M", "117M"),
        (1_314_149_824, "1.3B", "1.3B"),
        (12_853_386_240, "13.0B", "12.9B"),
    ],
    ids=["M", "B-one-decimal", "rounds-down"],
)
def test_in_published_rounding_uses_the_published_unit_and_decimals(
    count: int, published: str, expected: str
) -> None:
    assert in_published_rounding(count, published) == expected


# 이 셋은 표 2.1이 적힌 자릿수보다 느슨하게 이름 붙인 크기라서 2% 안에서만 견줍니다.
LOOSE = {
    "GPT-3 Medium": "355.9M을 GPT-2 medium과 같은 급으로 350M이라 적었습니다",
    "GPT-3 175B": "174.6B를 175.0B라 적었습니다",
    "GPT-3 13B": "40 x 128 = 5,120으로 읽은 12.85B (적힌 d_model 5,140으로 세면 13.0B)",
}


@pytest.mark.parametrize("name", PRESETS, ids=PRESETS)
def test_preset_parameter_count_matches_published_figure(name: str) -> None:
    # 논문은 크기를 반올림해 적으므로(예: GPT-1의 116,536,320개를 "117M"), 우리 수를 같은
    # 자릿수로 반올림해 견줍니다. LOOSE의 세 크기만은 상대 오차 2% 안인지 봅니다.
    preset = PRESETS[name]
    count = _meta_count(preset.config)
    if name in LOOSE:
        published = float(preset.published[:-1]) * {"M": 1e6, "B": 1e9}[preset.published[-1]]
        assert abs(count / published - 1) < 0.02, LOOSE[name]
    else:
        assert in_published_rounding(count, preset.published) == preset.published


@pytest.mark.parametrize("name", PRESETS, ids=PRESETS)
def test_preset_parameter_count_matches_transformers_on_meta_device(name: str) -> None:
    c = PRESETS[name].config
    with torch.device("meta"):
        hf = GPT2LMHeadModel(
            GPT2Config(
                vocab_size=c.vocab_size,
                n_positions=c.max_len,
                n_embd=c.d_model,
                n_layer=c.n_layers,
                n_head=c.n_heads,
            )
        )
    assert _meta_count(c) == sum(p.numel() for p in hf.parameters())


@pytest.mark.parametrize("name", GPT2_PAPER_FIGURES, ids=GPT2_PAPER_FIGURES)
def test_gpt2_paper_figures_match_a_count_with_gpt1_vocabulary(name: str) -> None:
    # GPT-2 논문 표 2의 (나중에 정정된) 수치는 어휘를 GPT-1의 40,478개로 세면 자릿수까지 맞습니다.
    config = PRESETS[name].config
    paper = GPT2_PAPER_FIGURES[name]
    gpt1_vocab = PRESETS["GPT-1"].config.vocab_size
    assert in_published_rounding(_meta_count(config), paper) != paper
    gpt1_vocab_config = GPTConfig(**{**vars(config), "vocab_size": gpt1_vocab})
    assert in_published_rounding(_meta_count(gpt1_vocab_config), paper) == paper


def test_gpt3_13b_as_counted_reads_40_heads_of_128_and_as_printed_counts_13_0b() -> None:
    # 표 2.1의 13B 줄은 d_model 5,140과 40 x 128 = 5,120이 맞지 않습니다. 프리셋은 OPT-13B(OPT 논문 표 1)처럼
    # 5,120 = 40 x 128로 읽어 12.85B를 세고, 적힌 5,140(4배 피드포워드)으로 세면 발표된 13.0B가 나옵니다.
    preset = PRESETS["GPT-3 13B"]
    c = preset.config
    assert (c.d_model, c.n_heads, c.d_model // c.n_heads) == (5120, 40, 128) and preset.deviation
    assert _meta_count(c) == 12_853_386_240
    assert preset.printed == Printed(n_layers=40, d_model=5140, n_heads=40, head_dim=128)
    as_printed = GPTConfig(
        **{**vars(c), "d_model": preset.printed.d_model, "d_ff": 0, "n_heads": 1}
    )
    assert _meta_count(as_printed) == 12_952_938_780


@pytest.mark.parametrize("name", PRESETS, ids=PRESETS)
def test_a_preset_that_departs_from_the_published_shape_says_so(name: str) -> None:
    # 헤드 수 x 헤드 폭 = d_model이 아닌 발표 줄(XL, 13B)만 프리셋이 바꾸고, 바꾼 것은 deviation에 적습니다.
    preset = PRESETS[name]
    c = preset.config
    assert c.d_model % c.n_heads == 0
    departs = name in ("GPT-3 XL", "GPT-3 13B")
    assert bool(preset.deviation) == departs
    # 다르게 둔 줄은 적힌 그대로의 모양을 함께 두고, 적힌 모양은 헤드 수 x 헤드 폭이 d_model과 다릅니다.
    assert (preset.printed is not None) == departs
    if preset.printed:
        p = preset.printed
        assert p.n_heads * p.head_dim != p.d_model
        changed = [p.n_layers != c.n_layers, p.d_model != c.d_model, p.n_heads != c.n_heads]
        assert sum(changed) == 1 and c.d_model // c.n_heads == p.head_dim


@pytest.mark.parametrize("config", HF_CONFIGS.values(), ids=HF_CONFIGS.keys())
def test_untied_head_counts_like_gpt2_without_tying_and_keeps_the_logits(config: dict) -> None:
    hf = _hf_model(**config)
    model = GPT.from_transformers(hf)
    before = model(_ids(config))
    untied = untie_output_head(model)
    torch.manual_seed(0)
    reference = GPT2LMHeadModel(GPT2Config(**config, tie_word_embeddings=False))
    assert count_parameters(untied) == sum(p.numel() for p in reference.parameters())
    assert count_parameters(untied) == count_parameters(GPT.from_transformers(hf)) + (
        config["vocab_size"] * config["n_embd"]
    )
    torch.testing.assert_close(untied(_ids(config)), before)
    with torch.no_grad():
        untied.wte.weight.add_(1.0)  # 이제 임베딩을 바꿔도 출력층은 그대로입니다
    assert untied.lm_head.weight is not untied.wte.weight
    assert not torch.equal(untied.lm_head.weight, untied.wte.weight)


def test_logits_without_mask_is_forward_where_the_mask_changes_nothing() -> None:
    # 층이 하나면 마지막 자리는 마스크가 있어도 모든 토큰을 보므로 같고, 앞 자리는 미래를 보게 되어
    # 다릅니다(층이 둘이면 마지막 자리도 미래를 본 앞 자리의 상태를 읽어 달라집니다).
    config = GPTConfig(vocab_size=23, max_len=10, d_model=24, n_layers=1, n_heads=3)
    model = GPT(config, generator=torch.Generator().manual_seed(0)).double().eval()
    ids = torch.randint(23, (2, 10), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        ours, taught = logits_without_mask(model, ids), model(ids)
    torch.testing.assert_close(ours[:, -1], taught[:, -1])
    torch.testing.assert_close(logits_without_mask(model, ids[:, :1]), model(ids[:, :1]))
    assert not torch.allclose(ours[:, :-1], taught[:, :-1])


def test_future_leak_is_zero_with_the_causal_mask_and_not_without_it() -> None:
    model = _random_gpt()
    ids = torch.randint(22, (2, 10), generator=torch.Generator().manual_seed(3))
    assert future_leak(model, ids, new_last=22) == 0.0
    assert future_leak(lambda x: logits_without_mask(model, x), ids, new_last=22) > 1e-3
