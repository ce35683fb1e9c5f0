"""모델 구조 그림(diagram): 모델의 코드를 따라가 블록 구조와 데이터 흐름을 그립니다.

글의 구조 그림은 손으로 그리지 않습니다. 빌드 때 아주 작은 모델의 forward를 torch.fx로 따라가
(symbolic tracing) 어떤 층이 어떤 순서로 불리고 텐서가 어디서 어디로 흐르는지 읽고, 그것을 Graphviz의
DOT 언어로 옮겨 `dot` 명령으로 SVG를 만듭니다. 그래서 Block.forward에서 LayerNorm의 자리를 바꾸면
그림도 바뀝니다: 사전 정규화(pre-LN)와 사후 정규화(post-LN)의 차이가 덧셈과 정규화의 순서로 그대로
나옵니다. 같은 층을 여러 번 쌓은 nn.ModuleList는 첫 층의 속을 "× N" 테두리 하나로 그립니다.

`dot`은 Debian 패키지 graphviz에 있습니다. 그림은 빌드 때 만들고, 독자의 브라우저는 SVG만 읽습니다.
"""

from __future__ import annotations

import inspect
import operator
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable, Iterator
from html import escape
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import fx, nn
from torch.fx.passes.shape_prop import ShapeProp, TensorMetadata

from notebook_outputs import output_dir
from notebook_outputs.figures import SHOWN_DPI, record_figure, show_png
from snippets.attention import MultiHeadAttention, causal_mask, padding_mask
from snippets.model_inputs import (
    check_lengths,
    check_segment_ids,
    check_token_ids,
)


class Node(NamedTuple):
    """그림의 상자 하나: 층 하나, 연산 하나, 또는 모델의 입출력."""

    name: str  # DOT의 노드 이름 (fx 노드 이름)
    kind: str  # 색을 고르는 종류: input, output, embedding, attention, norm, linear, ff, act, add, mask, param, other
    title: str  # 한국어 이름 (용어집의 용어)
    code: str  # 코드의 이름: "norm: LayerNorm", "F.gelu"
    shape: str  # 출력 모양 "(B, T, D)"; 들어온 텐서와 모양이 같으면 ""
    cluster: str  # 이 상자를 감싼 가장 안쪽 테두리(모듈 경로); 맨 바깥이면 ""


class Edge(NamedTuple):
    """텐서 하나가 흐르는 화살표."""

    src: str
    dst: str
    kind: str = "data"  # data, residual(잔차 연결의 지름길), tied(가중치 묶기)
    label: str = ""


class Diagram(NamedTuple):
    """그림 하나: 상자, 화살표, 테두리. 상자는 계산 순서(위상 순서)대로입니다."""

    nodes: list[Node]
    edges: list[Edge]
    clusters: dict[
        str, tuple[str, str]
    ]  # 모듈 경로 -> (한국어 제목, 코드 이름)
    title: tuple[str, str] | None = (
        None  # 그림 전체의 (한국어 제목, 모델 클래스 이름)
    )


# 클래스 이름 -> (종류, 한국어 이름). 모델마다 다른 이름은 trace_diagram의 names로 줍니다.
MODULES: dict[str, tuple[str, str]] = {
    "Embedding": ("embedding", "임베딩"),
    "LearnedPositions": ("embedding", "위치 임베딩"),
    "RelativePositionBias": ("embedding", "상대 위치 편향"),
    "LayerNorm": ("norm", "레이어 정규화"),
    "T5LayerNorm": ("norm", "레이어 정규화 (RMS)"),
    "Linear": ("linear", "선형층"),
    "MLP": ("ff", "피드포워드"),
    "FeedForward": ("ff", "피드포워드"),
    "MultiHeadAttention": ("attention", "멀티 헤드 어텐션"),
}
# 함수 -> (종류, 한국어 이름, 코드 이름). 여기 없는 함수(모양 계산 등)는 그리지 않습니다.
FUNCTIONS: dict[Callable, tuple[str, str, str]] = {
    operator.add: ("add", "+", ""),
    torch.add: ("add", "+", ""),
    operator.mul: ("other", "×", "*"),
    operator.and_: ("mask", "두 마스크 모두", "&"),
    F.gelu: ("act", "GELU", "F.gelu"),
    F.relu: ("act", "ReLU", "F.relu"),
    torch.relu: ("act", "ReLU", "torch.relu"),
    torch.tanh: ("act", "tanh", "torch.tanh"),
    F.linear: ("linear", "선형층", "F.linear"),
    causal_mask: ("mask", "인과 마스크", "causal_mask"),
    padding_mask: ("mask", "패딩 마스크", "padding_mask"),
}
# 평가 모드에서 아무것도 하지 않는 층: 그리지 않고 입력을 그대로 다음으로 잇습니다.
PASS_THROUGH = (nn.Dropout, nn.Identity)


# --8<-- [start:trace-diagram]
def trace_diagram(
    model: nn.Module,
    inputs: dict[str, torch.Tensor],
    letters: dict[str, int],
    names: dict[str, str] | None = None,
    leaves: tuple[str, ...] = (),
    clusters: dict[str, str] | None = None,
    title: str | None = None,
) -> Diagram:
    """model.forward를 torch.fx로 따라가 그림의 상자와 화살표를 만듭니다.

    inputs는 forward의 인자 이름 -> 아주 작은 예시 텐서입니다(주지 않은 인자는
    기본값). 그 텐서를 실제로 흘려 중간값마다 모양을 재고, letters로 숫자를
    글자로 바꿉니다: {"B": 2, "T": 5, "D": 24}이면 (2, 5, 24)가 (B, T,
    D)입니다(그래서 작은 크기는 서로 다르게 고릅니다). names는 모듈
    경로·속성·클래스 이름이나 fx 노드 이름 -> 한국어 이름, leaves는 속을 그리지
    않을 모듈의 클래스 이름(torch.nn의 층과 MultiHeadAttention은 언제나),
    clusters는 테두리로 묶어 속을 보일 모듈의 클래스 이름 -> 제목입니다. 덧셈의
    두 입력 중 하나가 다른 하나의 조상이면 그 화살표는 잔차 연결의
    지름길(residual)입니다.
    """
    names, clusters = names or {}, clusters or {}
    # 노드마다 meta["tensor_meta"]에 모양
    graph = _trace(model, inputs, leaves, clusters)
    letter_of = {size: letter for letter, size in letters.items()}
    if len(letter_of) != len(letters):
        raise ValueError(
            f"letters의 크기가 겹칩니다: {letters} (글자마다 다른 크기를 "
            "고르세요)"
        )
    dropped, alias = _later_repeats(
        model, graph
    )  # 둘째 층부터의 노드, 마지막 층 출력 -> 첫 층 출력
    shown: dict[fx.Node, str] = {}  # fx 노드 -> 그 값을 그림에서 나타내는 상자
    # 이미 그린 층의 가중치를 다시 읽는 get_attr -> 그 층의 상자
    tied: dict[fx.Node, str] = {}
    nodes, edges, boxes = [], [], {}
    for node in graph.nodes:
        if node in dropped:
            continue
        args = [
            (key, alias.get(a, a))
            for key, a in _args(node)
            if a in tied or _is_tensor(a)
        ]
        if node.op == "output":
            for i, (field, value) in enumerate(_fields(node.args[0])):
                label, code = (
                    names.get(field, "출력"),
                    "" if field == "output" else field,
                )
                nodes.append(
                    Node(
                        f"out_{i}",
                        "output",
                        label,
                        code,
                        _shape(value, letter_of),
                        "",
                    )
                )
                edges.append(Edge(shown[alias.get(value, value)], f"out_{i}"))
            continue
        if node.op == "get_attr" and (
            owner := _owner(model, node.target, shown)
        ):
            tied[node] = owner
            continue
        described = _describe(model, node, names) if _is_tensor(node) else None
        # 드롭아웃처럼 값을 바꾸지 않는 노드: 입력의 상자가 대신합니다
        if described is None:
            sources = [shown[a] for _, a in args if a in shown]
            if sources and _is_tensor(node):
                shown[node] = sources[0]
            continue
        kind, label, code = described
        shape = _shape(node, letter_of)
        same = any(
            _shape(a, letter_of) == shape for _, a in args if a not in tied
        )
        cluster = _cluster(model, node, clusters, boxes)
        nodes.append(
            Node(node.name, kind, label, code, "" if same else shape, cluster)
        )
        shown[node] = node.name
        for key, arg in args:
            if arg in tied:
                edges.append(Edge(tied[arg], node.name, "tied"))
            elif arg in shown:
                others = [a for _, a in args if a is not arg]
                skip = kind == "add" and any(
                    arg in _ancestors(other) for other in others
                )
                kind_ = "residual" if skip else "data"
                edges.append(
                    Edge(shown[arg], node.name, kind_, _edge_label(node, key))
                )
    edges += _tied_modules(model, shown)
    heading = (title, type(model).__name__) if title else None
    return Diagram(nodes, edges, boxes, heading)


# --8<-- [end:trace-diagram]


class _Tracer(fx.Tracer):
    """torch.nn의 층, MultiHeadAttention, leaves의 클래스는 속을 따라가지 않고 상자 하나로 둡니다."""

    def __init__(self, leaves: tuple[str, ...]) -> None:
        # 입력 검사와 마스크 함수는 속(값에 따른 if 문)을 따라가지 않고 호출 하나로 기록합니다.
        super().__init__(
            autowrap_functions=(
                check_token_ids,
                check_segment_ids,
                check_lengths,
                causal_mask,
                padding_mask,
            )
        )
        self.leaves = leaves

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        return (
            isinstance(m, MultiHeadAttention)
            or type(m).__name__ in self.leaves
            or super().is_leaf_module(m, qualname)
        )


def _trace(
    model: nn.Module,
    inputs: dict[str, torch.Tensor],
    leaves: tuple[str, ...],
    clusters: dict,
) -> fx.Graph:
    """forward의 fx 그래프. inputs를 흘려 텐서 노드마다 모양(meta["tensor_meta"])을 적습니다."""
    classes = {type(m).__name__ for m in model.modules()}
    unknown = sorted((set(leaves) | set(clusters)) - classes)
    if unknown:
        raise ValueError(f"모델에 없는 클래스입니다: {', '.join(unknown)}")
    parameters = inspect.signature(model.forward).parameters
    fixed = {
        name: _default(p)
        for name, p in parameters.items()
        if name not in inputs
    }
    with (
        warnings.catch_warnings()
    ):  # 주지 않은 인자를 기본값으로 고정한다는 알림은 뜻한 그대로입니다
        warnings.filterwarnings(
            "ignore", message="Was not able to add assertion"
        )
        graph = _Tracer(leaves).trace(model, concrete_args=fixed)
    values = [
        inputs.get(p.target, fixed.get(p.target))
        for p in graph.find_nodes(op="placeholder")
    ]
    ShapeProp(fx.GraphModule(model, graph)).propagate(*values)
    return graph


def _default(parameter: inspect.Parameter) -> object:
    """주지 않은 인자의 값: 기본값, 기본값이 없으면 None(예: 마스크 없음)."""
    return (
        None
        if parameter.default is inspect.Parameter.empty
        else parameter.default
    )


def _is_tensor(node: object) -> bool:
    return isinstance(node, fx.Node) and isinstance(
        node.meta.get("tensor_meta"), TensorMetadata
    )


def _args(node: fx.Node) -> Iterator[tuple[str | int, fx.Node]]:
    """노드의 입력을 (위치 번호나 키워드 이름, 입력 노드)로. 튜플 안의 노드도 꺼냅니다."""
    for key, value in [*enumerate(node.args), *node.kwargs.items()]:
        found: list[fx.Node] = []
        fx.node.map_arg(value, found.append)
        for arg in found:
            yield key, arg


def _fields(value: object) -> list[tuple[str, fx.Node]]:
    """forward가 돌려준 값의 텐서들: 텐서 하나면 ("output", 노드), NamedTuple이면 필드마다."""
    target = getattr(value, "target", None)
    if (
        isinstance(value, fx.Node)
        and isinstance(target, type)
        and hasattr(target, "_fields")
    ):
        pairs = zip(target._fields, value.args, strict=True)
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        pairs = zip(value._fields, value, strict=True)
    else:
        return [("output", value)]
    return [(field, arg) for field, arg in pairs if _is_tensor(arg)]


def _shape(node: fx.Node, letter_of: dict[int, str]) -> str:
    """텐서의 모양을 글자로: (2, 5, 24) -> "(B, T, D)". 1은 그대로 둡니다."""
    sizes = node.meta["tensor_meta"].shape
    unknown = [n for n in sizes if n != 1 and n not in letter_of]
    if unknown:
        raise ValueError(
            f"{node.name}의 모양 {tuple(sizes)}: 크기 {unknown[0]}의 글자가 letters에 없습니다"
        )
    return "(" + ", ".join("1" if n == 1 else letter_of[n] for n in sizes) + ")"


def _stack(node: fx.Node) -> list[str]:
    """노드를 부른 모듈들의 경로, 바깥부터: ["blocks.0", "blocks.0.attn"]."""
    return [path for path, _ in node.meta.get("nn_module_stack", {}).values()]


def _list_item(model: nn.Module, path: str) -> tuple[str, int] | None:
    """path가 nn.ModuleList의 한 층이면 (목록의 경로, 번호): "blocks.1" -> ("blocks", 1)."""
    parent, _, index = path.rpartition(".")
    if index.isdigit() and isinstance(
        model.get_submodule(parent), nn.ModuleList
    ):
        return parent, int(index)
    return None


def _later_repeats(
    model: nn.Module, graph: fx.Graph
) -> tuple[set[fx.Node], dict[fx.Node, fx.Node]]:
    """nn.ModuleList의 둘째 층부터 만든 노드들과, 마지막 층의 출력 -> 첫 층의 출력.

    층들이 한 줄로 이어져 있어야 합니다(층 i의 출력 하나가 층 i+1의 입력). 마지막 층의 출력을 쓰는
    곳은 그림에서 첫 층의 출력에 잇습니다.
    """
    layers: dict[str, dict[int, list[fx.Node]]] = {}
    for node in graph.nodes:
        for path in _stack(node):
            if item := _list_item(model, path):
                layers.setdefault(item[0], {}).setdefault(item[1], []).append(
                    node
                )
                break
    dropped, alias = set(), {}
    for parent, by_index in layers.items():
        outputs = {}
        for index, members in by_index.items():
            inside = set(members)
            outputs[index] = [
                n for n in members if any(u not in inside for u in n.users)
            ]
            if index:
                dropped |= inside
        last = max(by_index)
        if len(outputs[0]) != 1 or len(outputs[last]) != 1:
            raise ValueError(
                f"{parent}의 층들이 출력 하나로 이어지지 않아 하나로 접을 수 없습니다"
            )
        if last:
            alias[outputs[last][0]] = outputs[0][0]
    return dropped, alias


def _describe(
    model: nn.Module, node: fx.Node, names: dict[str, str]
) -> tuple[str, str, str] | None:
    """fx 노드 -> (종류, 한국어 이름, 코드 이름). 그리지 않을 노드면 None."""
    if node.op == "placeholder":
        return "input", names.get(node.target, "입력"), node.target
    if node.op == "get_attr":
        return "param", names.get(node.target, "학습되는 텐서"), node.target
    if node.op == "call_module":
        module = model.get_submodule(node.target)
        if isinstance(module, PASS_THROUGH):
            return None
        cls, attr = type(module).__name__, node.target.rpartition(".")[2]
        generic = re.sub(
            r"\.\d+(?=\.|$)", "", node.target
        )  # layers.0.ff.norm -> layers.ff.norm
        title = names.get(generic, names.get(attr, names.get(cls)))
        kind, default = MODULES.get(cls, ("other", cls))
        if isinstance(module, MultiHeadAttention):
            default = _attention_title(node)
        return kind, title or default, f"{attr}: {cls}"
    if node.op == "call_function":
        if node.target is operator.getitem and _is_tensor(node.args[0]):
            code = f"[{_index(node.args[1])}]"
            return (
                "other",
                names.get(node.name, names.get(code, "자르기")),
                code,
            )
        if node.target not in FUNCTIONS:
            return None
        kind, title, code = FUNCTIONS[node.target]
        if node.target is F.linear and isinstance(node.args[1], fx.Node):
            code = f"F.linear(x, {node.args[1].target})"
        return kind, names.get(node.name, title), code
    if node.op == "call_method":
        return "other", names.get(node.name, node.target), f".{node.target}()"
    return None


def _attention_title(node: fx.Node) -> str:
    """MultiHeadAttention 호출의 이름: context를 받으면 크로스, 아니면 셀프, 인과 마스크를 받으면 "마스크"."""
    cross = node.kwargs.get("context") is not None
    mask = node.kwargs.get("mask")
    masked = isinstance(mask, fx.Node) and any(
        n.target is causal_mask for n in [mask, *_ancestors(mask)]
    )
    return ("마스크 " if masked else "") + (
        "크로스 어텐션" if cross else "셀프 어텐션"
    )


def _edge_label(node: fx.Node, key: str | int) -> str:
    """크로스 어텐션의 두 입력에 이름을 붙입니다: 쿼리는 x에서(Q), 키와 값은 context에서(K, V)."""
    if node.op != "call_module" or node.kwargs.get("context") is None:
        return ""
    return {0: "Q", "context": "K, V"}.get(key, "")


def _index(index: object) -> str:
    parts = index if isinstance(index, tuple) else (index,)
    return ", ".join(":" if p == slice(None) else str(p) for p in parts)


def _ancestors(node: fx.Node) -> set[fx.Node]:
    seen, todo = set(), list(node.all_input_nodes)
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += n.all_input_nodes
    return seen


def _cluster(
    model: nn.Module,
    node: fx.Node,
    clusters: dict[str, str],
    boxes: dict[str, tuple[str, str]],
) -> str:
    """노드를 감싼 테두리 가운데 가장 안쪽의 경로. 지나온 테두리는 boxes에 (제목, 코드)로 적습니다."""
    inner = ""
    for path in _stack(node):
        cls = type(model.get_submodule(path)).__name__
        if cls not in clusters or path == node.target:
            continue
        inner = path
        if path in boxes:
            continue
        if item := _list_item(model, path):
            boxes[path] = (
                f"{clusters[cls]} × N",
                f"{item[0].rpartition('.')[2]}[i]: {cls}",
            )
        else:
            boxes[path] = (clusters[cls], f"{path.rpartition('.')[2]}: {cls}")
    return inner


def _owner(
    model: nn.Module, target: str, shown: dict[fx.Node, str]
) -> str | None:
    """get_attr로 읽은 가중치가 이미 그린 층의 것이면 그 층의 상자 (예: 출력층이 다시 쓰는 임베딩)."""
    path, _, attr = target.rpartition(".")
    weight = getattr(model.get_submodule(path), attr)
    for node, box in shown.items():
        if node.op == "call_module" and box == node.name:
            if any(
                p is weight
                for p in model.get_submodule(node.target).parameters()
            ):
                return box
    return None


def _tied_modules(model: nn.Module, shown: dict[fx.Node, str]) -> list[Edge]:
    """가중치 묶기: 그림의 서로 다른 두 층이 같은 Parameter를 쓰면 점선 하나로 잇습니다."""
    first: dict[int, fx.Node] = {}
    edges = []
    for node, box in shown.items():
        if node.op != "call_module" or box != node.name:
            continue
        for p in model.get_submodule(node.target).parameters(recurse=False):
            owner = first.setdefault(id(p), node)
            if owner.target != node.target:
                edges.append(Edge(owner.name, node.name, "tied"))
    return edges


class Palette(NamedTuple):
    """그림의 색: 밝은 팔레트와 어두운 팔레트(Material의 slate)에 하나씩."""

    background: str  # 페이지 바탕과 같은 색
    text: str
    muted: str  # 코드 이름과 모양
    edge: str
    residual: str  # 잔차 연결의 지름길
    cluster: str  # 테두리 선
    cluster_fill: str
    fills: dict[str, tuple[str, str]]  # 종류 -> (채움, 테두리)


LIGHT = Palette(
    background="#ffffff",
    text="#1f2328",
    muted="#4d5560",
    edge="#59636e",
    residual="#1f5fbf",
    cluster="#8c959f",
    cluster_fill="#f6f8fa",
    fills={
        "input": ("#ffffff", "#424a53"),
        "output": ("#ffffff", "#424a53"),
        "embedding": ("#e2f0dc", "#2e7d32"),
        "attention": ("#fde5cc", "#b34700"),
        "norm": ("#fff3b8", "#9a7d00"),
        "linear": ("#e0eafa", "#1f5fbf"),
        "ff": ("#e0eafa", "#1f5fbf"),
        "act": ("#eef0f2", "#6e7781"),
        "add": ("#ffffff", "#424a53"),
        "mask": ("#eeeaf8", "#7b3fa0"),
        "param": ("#eef0f2", "#6e7781"),
        "other": ("#eef0f2", "#6e7781"),
    },
)
DARK = Palette(
    background="#1e2129",
    text="#e2e4e9",
    muted="#b4bac6",
    edge="#a3aab8",
    residual="#79c0ff",
    cluster="#6e7687",
    cluster_fill="#262a34",
    fills={
        "input": ("#2b2f3a", "#a3aab8"),
        "output": ("#2b2f3a", "#a3aab8"),
        "embedding": ("#1f3a22", "#7ee787"),
        "attention": ("#4a2f17", "#ffa657"),
        "norm": ("#3d3610", "#e3c84a"),
        "linear": ("#1b2f4d", "#79c0ff"),
        "ff": ("#1b2f4d", "#79c0ff"),
        "act": ("#31353f", "#9aa1ae"),
        "add": ("#262a34", "#c9ced8"),
        "mask": ("#33294a", "#d2a8ff"),
        "param": ("#31353f", "#9aa1ae"),
        "other": ("#31353f", "#9aa1ae"),
    },
)
SANS = "Noto Sans CJK KR"
MONO = "DejaVu Sans Mono"
# 글자 크기(pt). SVG는 1pt를 4/3 CSS px로 보이므로 제 크기에서 제목 14.7px, 코드 이름 13.3px입니다.
# 빌드의 하한(1280px 화면에서 12px)보다 조금 크게: SVG의 width는 pt를 반올림해 적어서 조금 줄어 보이고,
# Graphviz 2.43은 글자 크기의 소수점을 버립니다.
TITLE_PT, CODE_PT = 11, 10
NARROW_CODE = 16  # 좁은 그림에서 이보다 긴 코드 이름은 두 줄로


def to_dot(
    diagram: Diagram, palette: Palette = LIGHT, narrow: bool = False
) -> str:
    """그림을 Graphviz의 DOT 글로 씁니다. 위에서 아래로(rankdir=TB) 흘러 휴대폰 폭에도 들어갑니다.

    모델의 입력과, 입력 없이 만드는 마스크는 맨 윗줄에 둡니다. 가장 긴 흐름은 한 세로줄에 세웁니다.
    narrow이면(휴대폰 칸) 긴 코드 이름 "sublayer: MultiHeadAttention"을 속성과 클래스 두 줄로 나눠 폭을 줄입니다.
    """
    p = palette
    lines = [
        "digraph model {",
        f'  graph [rankdir=TB, newrank=true, bgcolor="{p.background}", nodesep=0.2, ranksep=0.2,'
        f' pad=0.1, fontname="{SANS}", fontsize={TITLE_PT}, fontcolor="{p.text}"];',
        f'  node [shape=box, style="rounded,filled", fontname="{SANS}", fontsize={TITLE_PT},'
        f' fontcolor="{p.text}", margin="0.08,0.04", height=0.3, penwidth=1.2];',
        f'  edge [color="{p.edge}", arrowsize=0.6, penwidth=1.1, fontname="{SANS}",'
        f' fontsize=10, fontcolor="{p.text}"];',
    ]
    if diagram.title:
        lines.append(
            f"  label=<{_title_label(*diagram.title, p, narrow)}>; labelloc=t; labeljust=l;"
        )
    children: dict[str, list[str]] = {}
    for path in diagram.clusters:
        parent = max(
            (c for c in diagram.clusters if path.startswith(c + ".")),
            key=len,
            default="",
        )
        children.setdefault(parent, []).append(path)
    main = _longest_path(diagram)

    def emit(path: str, indent: str) -> None:
        for child in children.get(path, []):
            lines.append(f'{indent}subgraph "cluster_{child}" {{')
            lines.append(
                f"{indent}  label=<{_title_label(*diagram.clusters[child], p, narrow)}>; labeljust=l;"
                f' style="rounded,filled,dashed"; color="{p.cluster}";'
                f' fillcolor="{p.cluster_fill}"; margin=7;'
            )
            emit(child, indent + "  ")
            lines.append(f"{indent}}}")
        for node in diagram.nodes:
            if node.cluster == path:
                lines.append(
                    f"{indent}{_dot_node(node, p, node.name in main, narrow)}"
                )

    emit("", "  ")
    for edge in diagram.edges:
        attrs = []
        if edge.kind == "residual":
            attrs += [f'color="{p.residual}"', "penwidth=1.6"]
        if edge.kind == "tied":
            attrs += ['style="dashed"', "weight=0", "arrowhead=none"]
        if edge.label:
            attrs.append(f"label=<{escape(edge.label)}>")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f'  "{edge.src}" -> "{edge.dst}"{suffix};')
    fed = {edge.dst for edge in diagram.edges}
    top = [
        n.name
        for n in diagram.nodes
        if n.kind == "input"
        or (n.kind == "mask" and n.name not in fed and not n.cluster)
    ]
    lines += [
        "  {rank=min; " + " ".join(f'"{name}";' for name in top) + "}",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _title_label(title: str, code: str, p: Palette, narrow: bool) -> str:
    """테두리나 그림의 제목: 한국어 제목 아래에 코드 이름, 모두 왼쪽 정렬."""
    lines = [escape(title)] + [
        _code(line, p) for line in _code_lines(code, narrow)
    ]
    return "".join(f'{line}<BR ALIGN="LEFT"/>' for line in lines)


def _code(text: str, p: Palette) -> str:
    return f'<FONT FACE="{MONO}" POINT-SIZE="{CODE_PT}" COLOR="{p.muted}">{escape(text)}</FONT>'


def _code_lines(code: str, narrow: bool) -> list[str]:
    """코드 이름 한 줄, 좁은 그림에서 긴 "속성: 클래스"는 두 줄."""
    attr, colon, cls = code.partition(": ")
    if narrow and colon and len(code) > NARROW_CODE:
        return [attr + ":", cls]
    return [code] if code else []


def _longest_path(diagram: Diagram) -> set[str]:
    """입력에서 출력까지 상자가 가장 많은 길. diagram.nodes는 계산 순서(위상 순서)입니다."""
    sources: dict[str, list[str]] = {}
    for edge in diagram.edges:
        if edge.kind != "tied":
            sources.setdefault(edge.dst, []).append(edge.src)
    best: dict[str, tuple[str, ...]] = {}
    for node in diagram.nodes:
        before = [best[s] for s in sources.get(node.name, []) if s in best]
        best[node.name] = max(before, key=len, default=()) + (node.name,)
    return set(max(best.values(), key=len, default=()))


def _dot_node(node: Node, p: Palette, main: bool, narrow: bool) -> str:
    fill, border = p.fills[node.kind]
    attrs = f'fillcolor="{fill}", color="{border}"' + (
        ", group=main" if main else ""
    )
    if node.kind == "add":
        return f'"{node.name}" [label="+", shape=circle, width=0.28, fixedsize=true, fontsize=13, {attrs}];'
    small = [] if node.kind == "act" else _code_lines(node.code, narrow)
    lines = [escape(node.title)] + [
        _code(s, p) for s in [*small, node.shape] if s
    ]
    shape = {
        "act": ", shape=ellipse, style=filled",
        "mask": ", shape=note, style=filled",
    }
    shape["param"] = shape["mask"]
    shape["input"] = shape["output"] = ', style="rounded,filled,bold"'
    return f'"{node.name}" [label=<{"<BR/>".join(lines)}>, {attrs}{shape.get(node.kind, "")}];'


class GraphvizMissingError(RuntimeError):
    """Graphviz의 dot 명령이 없습니다."""


def _run_dot(dot: str, *options: str) -> bytes:
    """Graphviz의 dot 명령으로 DOT 글을 그린 바이트(options: -Tsvg, -Tpng 등)."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissingError(
            "Graphviz의 dot 명령이 없어 모델 구조 그림을 그릴 수 없습니다: "
            "sudo apt-get install graphviz 로 설치하세요 (CI에서는 .ci/run이 설치합니다)"
        )
    done = subprocess.run(
        [exe, *options], input=dot.encode(), capture_output=True, check=False
    )
    if done.returncode:
        command = " ".join(["dot", *options])
        raise RuntimeError(
            f"{command}가 실패했습니다: {done.stderr.decode(errors='replace')}"
        )
    return done.stdout


def render_svg(dot: str) -> str:
    """DOT 글을 Graphviz의 `dot -Tsvg`로 SVG로 바꿉니다. 같은 글이면 같은 바이트가 나옵니다.

    판마다 다른 주석(Graphviz 버전)과 밖의 주소를 가리키는 DOCTYPE은 지우고, 글꼴 이름 뒤에 독자의
    기기에 있을 법한 글꼴을 덧붙입니다(SVG의 글자는 글자로 남아 확대해도 선명합니다).
    """
    svg = re.sub(
        r"<!DOCTYPE[^>]*>\n?|<!--.*?-->\n?",
        "",
        _run_dot(dot, "-Tsvg").decode(),
        flags=re.S,
    )
    svg = _labels_on_top(svg)
    # 바탕은 matplotlib의 그림처럼 CSS 꼴(fill: #...)로: 사이트의 검사가 두 종류의 그림을 같은 식으로 읽습니다.
    svg = re.sub(
        r'(<g id="graph0".*?>\n<title>.*?</title>\n)<polygon fill="([^"]+)" stroke="transparent"',
        r'\1<polygon style="fill: \2; stroke: none"',
        svg,
        count=1,
    )
    fonts = {
        SANS: f"{SANS},Noto Sans KR,Apple SD Gothic Neo,Malgun Gothic,sans-serif",
        MONO: f"{MONO},Menlo,Consolas,monospace",
    }
    for name, stack in fonts.items():
        svg = svg.replace(f'font-family="{name}"', f'font-family="{stack}"')
    return svg


def _labels_on_top(svg: str) -> str:
    """테두리의 제목을 화살표보다 나중에(위에) 그리고, 테두리 바탕색의 테를 둘러 줍니다.

    Graphviz는 테두리를 먼저, 화살표를 나중에 그려서 테두리로 들어가는 화살표가 제목 글자를 가로지를
    수 있습니다. 글자에 바탕색 테(halo)를 두르면 화살표가 글자 밑으로 지나가 글자가 읽힙니다.
    """
    moved: list[str] = []

    def lift(cluster: re.Match) -> str:
        fill = re.search(r'<path fill="([^"]+)"', cluster[0])
        halo = (
            f' stroke="{fill[1]}" stroke-width="3" paint-order="stroke"'
            if fill
            else ""
        )
        texts = re.findall(r"<text .*?</text>\n", cluster[0])
        moved.extend(
            text.replace("<text ", f"<text{halo} ", 1) for text in texts
        )
        return re.sub(r"<text .*?</text>\n", "", cluster[0])

    svg = re.sub(
        r'<g id="clust\d+" class="cluster">.*?</g>\n', lift, svg, flags=re.S
    )
    return svg.replace("</g>\n</svg>", "".join(moved) + "</g>\n</svg>")


def save_diagram(
    diagram: Diagram, name: str, *, alt: str, caption: str
) -> None:
    """그림을 네 벌로 저장합니다: <name>.svg(밝은 팔레트), <name>-dark.svg(어두운 팔레트, slate)와
    휴대폰 칸에 맞춘 <name>-narrow.svg, <name>-narrow-dark.svg. 글은 {{ outputs/<노트북>/<name> }}
    한 줄로 싣고, 빌드가 팔레트와 화면 폭에 맞는 벌을 골라 싣습니다(notebook_outputs/figures.py의 save_plot과
    같은 약속: alt는 그림에 무엇이 있는지, caption은 그림이 말하는 것).
    """
    for narrow in (False, True):
        for palette in (LIGHT, DARK):
            suffix = ("-narrow" if narrow else "") + (
                "-dark" if palette is DARK else ""
            )
            dot = to_dot(diagram, palette, narrow)
            (output_dir() / f"{name}{suffix}.svg").write_text(
                render_svg(dot), encoding="utf-8"
            )
            if (
                palette is LIGHT and not narrow
            ):  # 노트북에서는 밝은 넓은 벌을 이 셀의 출력으로도
                show_png(_run_dot(dot, f"-Gdpi={SHOWN_DPI}", "-Tpng"), name)
    record_figure(name, narrow=True, alt=alt, caption=caption)
