"""notebook_outputs/diagrams.py: 모델의 코드를 따라가 그린 구조 그림이 코드의 순서를 그대로 보이는지."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import torch
from torch import nn

from notebook_outputs.diagrams import (
    DARK,
    LIGHT,
    Diagram,
    GraphvizMissingError,
    render_svg,
    save_diagram,
    to_dot,
    trace_diagram,
)
from snippets.attention import MultiHeadAttention
from snippets.bart import BartConfig, BartEncoderLayer
from snippets.bert import Bert, BertConfig
from snippets.cross_attention import DecoderLayer, ToyConfig
from snippets.gpt import GPT, GPTConfig
from snippets.residual import FeedForward, PostLNSublayer
from snippets.t5 import T5Config, T5EncoderBlock

GPT_CONFIG = GPTConfig(vocab_size=11, max_len=8, d_model=24, n_layers=2, n_heads=3)
GPT_LETTERS = {"B": 2, "T": 5, "D": 24, "V": 11}
IDS = torch.zeros(2, 5, dtype=torch.long)


@pytest.fixture
def dot_command() -> None:
    """dot이 없으면 건너뜁니다(CI에서는 .ci/run이 graphviz를 설치하므로 실패)."""
    if shutil.which("dot") is None:
        message = "Graphviz의 dot이 없습니다: sudo apt-get install graphviz"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class PostLNBlock(nn.Module):
    """GPT의 Block과 같은 층을 가졌지만 원래 트랜스포머처럼 더한 뒤에 정규화하는(post-LN) 블록."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        D = config.d_model
        self.self_attn = PostLNSublayer(D, MultiHeadAttention(D, config.n_heads))
        self.ff = PostLNSublayer(D, FeedForward(D, config.d_ff))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.ff(self.self_attn(x, mask=mask))


def gpt_diagram(model: GPT) -> Diagram:
    return trace_diagram(
        model,
        {"input_ids": IDS},
        GPT_LETTERS,
        leaves=("FeedForward",),
        clusters={"Block": "디코더 블록"},
    )


def residual_branches(diagram: Diagram) -> list[tuple[list[str], list[str]]]:
    """잔차 덧셈마다 (지름길이 갈라진 뒤 덧셈까지 가지 위 상자의 종류들, 덧셈 바로 다음 상자의 종류들).

    가지 위의 상자는 지름길의 출발점에서 내려오고 덧셈으로 올라가는 상자들이며, 계산 순서대로 둡니다.
    """
    kind = {node.name: node.kind for node in diagram.nodes}
    order = [node.name for node in diagram.nodes]
    flow = [e for e in diagram.edges if e.kind != "tied"]

    def reach(start: str, forward: bool) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            here = todo.pop()
            for e in flow:
                there = e.dst if forward else e.src
                if (e.src if forward else e.dst) == here and there not in seen:
                    seen.add(there)
                    todo.append(there)
        return seen

    branches = []
    for skip in (e for e in diagram.edges if e.kind == "residual"):
        between = reach(skip.src, True) & reach(skip.dst, False)
        after = [kind[e.dst] for e in flow if e.src == skip.dst]
        branches.append(([kind[n] for n in order if n in between], after))
    return branches


def test_gpt_block_normalizes_before_attention_and_adds_after() -> None:
    """pre-LN: 지름길은 정규화 앞에서 갈라지고, 가지는 정규화 → 어텐션, 그다음 덧셈."""
    diagram = gpt_diagram(GPT(GPT_CONFIG))
    assert residual_branches(diagram) == [
        (["norm", "attention"], ["norm", "add"]),  # 덧셈 뒤: 다음 가지의 정규화와 다음 지름길
        (["norm", "ff"], ["norm"]),  # 마지막 블록 뒤: 맨 끝의 final_norm
    ]
    edges = {(e.src, e.dst) for e in diagram.edges}
    assert ("layers_0_self_attn_norm", "layers_0_self_attn_sublayer") in edges
    assert ("layers_0_self_attn_sublayer", "add_1") in edges


def test_swapping_the_norm_in_the_block_code_changes_the_diagram() -> None:
    """그림은 코드에서 옵니다: 블록의 forward를 post-LN으로 바꾸면 그림의 순서도 바뀝니다."""
    model = GPT(GPT_CONFIG)
    before = gpt_diagram(model)
    model.layers = nn.ModuleList(PostLNBlock(GPT_CONFIG) for _ in range(GPT_CONFIG.n_layers))
    after = trace_diagram(
        model,
        {"input_ids": IDS},
        GPT_LETTERS,
        leaves=("FeedForward",),
        clusters={"PostLNBlock": "블록"},
    )
    assert residual_branches(after) == [(["attention"], ["norm"]), (["ff"], ["norm"])]
    assert to_dot(after) != to_dot(before)


def test_bert_layer_adds_before_it_normalizes() -> None:
    """BERT의 인코더 층은 post-LN: 가지는 어텐션(피드포워드) 하나이고, 덧셈 바로 뒤에 정규화."""
    config = BertConfig(
        vocab_size=11, max_len=8, d_model=24, n_layers=2, n_heads=4, d_ff=40, dropout=0.0
    )
    diagram = trace_diagram(
        Bert(config),
        {"input_ids": IDS, "token_type_ids": IDS},
        {"B": 2, "T": 5, "D": 24, "d_ff": 40},
        clusters={"BertEmbeddings": "임베딩", "BertLayer": "인코더 층"},
    )
    assert residual_branches(diagram) == [
        (["attention"], ["norm"]),
        (["linear", "act", "linear"], ["norm"]),
    ]
    layer = [node.kind for node in diagram.nodes if node.cluster == "layers.0"]
    assert layer == ["attention", "add", "norm", "linear", "act", "linear", "add", "norm"]
    embeddings = [node.title for node in diagram.nodes if node.cluster == "embeddings"]
    assert embeddings.count("임베딩") == 3 and embeddings[-1] == "레이어 정규화"
    assert diagram.clusters["layers.0"] == ("인코더 층 × N", "layers[i]: BertLayer")


def test_bart_and_t5_encoder_layers_differ_as_their_code_does() -> None:
    """BART는 더한 뒤 LayerNorm(post-LN), T5는 RMS 정규화 뒤 어텐션(pre-LN)에 상대 위치 편향을 더합니다."""
    x = torch.zeros(2, 7, 24)
    letters = {"B": 2, "S": 7, "D": 24, "d_ff": 40}
    bart = BartEncoderLayer(
        BartConfig(vocab_size=11, max_len=8, d_model=24, n_layers=1, n_heads=4, d_ff=40)
    )
    t5 = T5EncoderBlock(
        T5Config(vocab_size=11, d_model=24, head_dim=8, d_ff=40, n_layers=1, n_heads=3)
    )
    bart_diagram = trace_diagram(bart.eval(), {"x": x}, letters)
    t5_diagram = trace_diagram(
        t5.eval(),
        {"x": x, "position_bias": torch.zeros(1, 3, 7, 7)},
        {**letters, "H": 3},
        leaves=("T5LayerNorm",),
        title="T5 인코더 층",
    )
    assert residual_branches(bart_diagram)[0] == (["attention"], ["norm"])
    assert residual_branches(t5_diagram)[0] == (["norm", "attention"], ["norm", "add"])
    t5_norms = {node.title for node in t5_diagram.nodes if node.kind == "norm"}
    assert t5_norms == {"레이어 정규화 (RMS)"}
    edges = {(e.src, e.dst) for e in t5_diagram.edges}
    assert ("position_bias", "self_attn_sublayer") in edges
    assert t5_diagram.title == ("T5 인코더 층", "T5EncoderBlock")


def test_cross_attention_takes_queries_from_the_decoder_and_keys_values_from_memory() -> None:
    config = ToyConfig()
    diagram = trace_diagram(
        DecoderLayer(config),
        {"x": torch.zeros(2, 8, config.d_model), "memory": torch.zeros(2, 5, config.d_model)},
        {"B": 2, "T": 8, "S": 5, "D": config.d_model},
        leaves=("FeedForward",),
        clusters={"PreLNSublayer": "서브블록"},
    )
    titles = {node.name: node.title for node in diagram.nodes}
    assert titles["self_attn_sublayer"] == "마스크 셀프 어텐션"  # 인과 마스크를 받으므로
    assert titles["cross_attn_sublayer"] == "크로스 어텐션"
    into_cross = {(e.src, e.label) for e in diagram.edges if e.dst == "cross_attn_sublayer"}
    assert into_cross == {("cross_attn_norm", "Q"), ("memory", "K, V")}
    assert set(diagram.clusters) == {"self_attn", "cross_attn", "ff"}


def test_stacked_blocks_are_drawn_once_and_the_output_weights_are_tied() -> None:
    """블록이 몇 개든 첫 블록 하나를 "× N" 테두리로 그리고, 그 출력을 맨 끝의 정규화에 잇습니다."""
    diagram = gpt_diagram(GPT(GPTConfig(**{**vars(GPT_CONFIG), "n_layers": 4})))
    assert list(diagram.clusters) == ["layers.0"]
    assert not [node for node in diagram.nodes if "layers_1" in node.name]
    assert ("add_2", "final_norm") in {(e.src, e.dst) for e in diagram.edges}
    assert [(e.src, e.dst) for e in diagram.edges if e.kind == "tied"] == [("wte", "lm_head")]
    shapes = {node.name: node.shape for node in diagram.nodes}
    assert shapes["input_ids"] == "(B, T)" and shapes["lm_head"] == "(B, T, V)"
    assert shapes["layers_0_self_attn_norm"] == ""  # 모양이 그대로인 상자에는 모양을 적지 않습니다


def test_sizes_that_clash_or_have_no_letter_are_named() -> None:
    model = GPT(GPT_CONFIG)
    with pytest.raises(ValueError, match="letters의 크기가 겹칩니다"):
        trace_diagram(model, {"input_ids": IDS}, {**GPT_LETTERS, "H": 2})
    with pytest.raises(ValueError, match="크기 11의 글자가 letters에 없습니다"):
        trace_diagram(model, {"input_ids": IDS}, {"B": 2, "T": 5, "D": 24}, leaves=("FeedForward",))
    with pytest.raises(ValueError, match="모델에 없는 클래스입니다: Blok"):
        trace_diagram(model, {"input_ids": IDS}, GPT_LETTERS, clusters={"Blok": "블록"})


def test_svg_is_the_same_bytes_every_time_in_every_variant(
    dot_command: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    diagram = gpt_diagram(GPT(GPT_CONFIG))
    monkeypatch.setenv("BLOG_OUTPUT_DIR", str(tmp_path / "first"))
    save_diagram(diagram, "gpt", alt="GPT", caption="GPT의 구조.")
    monkeypatch.setenv("BLOG_OUTPUT_DIR", str(tmp_path / "second"))
    save_diagram(
        gpt_diagram(GPT(GPT_CONFIG)), "gpt", alt="GPT", caption="GPT의 구조."
    )  # 새 모델, 같은 코드
    for name in ("gpt.svg", "gpt-dark.svg", "gpt-narrow.svg", "gpt-narrow-dark.svg"):
        first = (tmp_path / "first" / name).read_bytes()
        assert first == (tmp_path / "second" / name).read_bytes()
        text = first.decode()
        assert "<!--" not in text and "DOCTYPE" not in text  # Graphviz 버전 주석, 밖의 주소
        assert "<text" in text and "레이어 정규화" in text  # 글자는 글자로
    light = (tmp_path / "first" / "gpt.svg").read_text(encoding="utf-8")
    dark = (tmp_path / "first" / "gpt-dark.svg").read_text(encoding="utf-8")
    assert f"fill: {LIGHT.background}" in light and f"fill: {DARK.background}" in dark


def test_missing_dot_says_to_install_graphviz(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # dot을 찾을 수 없는 PATH
    with pytest.raises(GraphvizMissingError, match=r"dot 명령이 없어.*apt-get install graphviz"):
        render_svg("digraph { a -> b }")


def test_the_phone_variant_splits_long_code_names_onto_two_lines() -> None:
    t5 = T5EncoderBlock(
        T5Config(vocab_size=11, d_model=24, head_dim=8, d_ff=40, n_layers=1, n_heads=3)
    )
    diagram = trace_diagram(
        t5.eval(),
        {"x": torch.zeros(2, 7, 24), "position_bias": torch.zeros(1, 3, 7, 7)},
        {"B": 2, "S": 7, "D": 24, "d_ff": 40, "H": 3},
        leaves=("T5LayerNorm",),
    )
    assert "sublayer: MultiHeadAttention" in to_dot(diagram)
    narrow = to_dot(diagram, narrow=True)
    assert "sublayer: MultiHeadAttention" not in narrow
    assert ">sublayer:</FONT><BR/>" in narrow and ">MultiHeadAttention</FONT>" in narrow
    assert "fc1: Linear" in narrow  # 짧은 이름은 한 줄 그대로
