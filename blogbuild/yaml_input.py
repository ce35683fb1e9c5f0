"""믿을 수 없는 YAML(글의 앞머리, data/*.yml, TCO 시나리오 파일)을 읽는 한 곳.

YAML의 별칭(alias, `*a`)은 앞에서 이름 붙인(`&a`) 값을 그 자리에 다시 씁니다. 별칭이 별칭을 품으면 몇백
바이트의 글이 펼쳐서 수십억 개의 값이 됩니다(billion laughs): `categories: [&a "lol", &b [*a, *a, …], …]`.
PyYAML은 같은 객체를 나눠 쓰므로 읽는 데는 문제가 없지만, 그 값을 출력하거나(오류 메시지) 훑는 순간
(테마, 검색 색인) 메모리가 바닥납니다. 그래서 별칭을 만날 때마다 그것이 펼치는 크기를 더해, 한도
(ALIAS_LIMIT)를 넘거나 자기 자신을 품는 별칭이면, 값을 만들기 전에 그 별칭의 자리(줄과 칸)를 짚은
yaml.YAMLError로 멈춥니다. 수백 겹 겹친 값(PyYAML의 RecursionError)도 깊이의 한도(DEPTH_LIMIT)로 같이 멈춥니다. 값을 읽는 쪽은 다른 YAML 오류와 똑같이 파일과 줄을 알립니다.

오류 메시지에 입력의 조각을 옮길 때는 quoted로 길이를 자릅니다: 10 MB짜리 값이 메시지로 10 MB가 되지 않게.
"""

from __future__ import annotations

import functools

import yaml

# 별칭들이 펼쳐 더하는 크기의 한도: 값 하나가 1, 글자 하나가 1. 앞머리에서 목록 하나를 다시 쓰는 정도
# (`tags: *categories`)는 수십이고, 관리자의 data/*.yml에도 이보다 큰 별칭은 없습니다.
ALIAS_LIMIT = 10_000
# 값이 값을 품는 깊이의 한도: PyYAML은 깊이마다 파이썬 함수를 다시 불러 수백 겹이면 RecursionError가 납니다.
DEPTH_LIMIT = 100
QUOTE_LIMIT = 80  # 오류 메시지에 옮기는 입력 조각의 최대 글자 수


class TooLarge(yaml.MarkedYAMLError):
    """한도를 넘게 펼쳐지거나 자기 자신을 품는 별칭, 너무 깊은 값: problem_mark가 그 자리입니다."""


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """node를 모두 펼쳤을 때의 크기(값 하나가 1, 스칼라는 글자 수만큼 더). 나눠 쓰는 노드는 한 번만 셉니다."""
    if id(node) not in sizes:
        if isinstance(node, yaml.ScalarNode):
            size = 1 + len(node.value)
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(_expanded_size(item, sizes) for item in node.value)
        else:
            size = 1 + sum(
                _expanded_size(key, sizes) + _expanded_size(value, sizes)
                for key, value in node.value
            )
        sizes[id(node)] = size
    return sizes[id(node)]


class _AliasLimit:
    """Composer에 섞는 것: 별칭마다 펼치는 크기를 더하고, 한도나 깊이를 넘으면 값을 만들기 전에 멈춥니다."""

    def compose_document(self) -> yaml.Node:
        self._sizes: dict[int, int] = {}
        self._expanded = 0
        self._open: list[str | None] = []  # 지금 만드는 중인(닫히지 않은) 노드들의 앵커
        return super().compose_document()

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise TooLarge(
                    None,
                    None,
                    f"자기 자신을 품는 별칭입니다(*{quoted(event.anchor, bare=True)}). "
                    "별칭(*)과 앵커(&) 없이 값을 그대로 적으세요",
                    event.start_mark,
                )
            node = super().compose_node(parent, index)
            self._expanded += _expanded_size(node, self._sizes)
            if self._expanded > ALIAS_LIMIT:
                raise TooLarge(
                    None,
                    None,
                    f"별칭 *{quoted(event.anchor, bare=True)}까지 펼치면 별칭들이 값 "
                    f"{self._expanded:,}개 분량이 되어 한도({ALIAS_LIMIT:,})를 넘습니다. "
                    "별칭(*)과 앵커(&) 없이 값을 그대로 적으세요",
                    event.start_mark,
                )
            return node
        if len(self._open) >= DEPTH_LIMIT:
            raise TooLarge(
                None,
                None,
                f"값이 {DEPTH_LIMIT}겹보다 깊이 들어 있습니다. 목록과 사전을 이렇게 깊이 겹쳐 쓰지 마세요",
                event.start_mark,
            )
        self._open.append(getattr(event, "anchor", None))
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.pop()


@functools.cache
def _bounded(loader: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    return type(f"Bounded{loader.__name__}", (_AliasLimit, loader), {})


def load(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> object:
    """text의 YAML 값(loader로 만듭니다: 기본은 SafeLoader). 별칭이나 깊이가 한도를 넘으면 TooLarge."""
    return yaml.load(text, Loader=_bounded(loader))


def load_with_tree(
    text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader
) -> tuple[object, yaml.Node | None]:
    """text의 YAML 값과 그 노드 트리(줄 번호를 얻는 데): 한 번 읽어 둘 다. 한도는 load와 같습니다."""
    reader = _bounded(loader)(text)
    try:
        node = reader.get_single_node()
        return (None if node is None else reader.construct_document(node)), node
    finally:
        reader.dispose()


def compose(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> yaml.Node | None:
    """text의 노드 트리(줄 번호를 얻는 데 씁니다). load와 같은 한도로 읽습니다."""
    return yaml.compose(text, Loader=_bounded(loader))


def quoted(value: object, limit: int = QUOTE_LIMIT, bare: bool = False) -> str:
    """오류 메시지에 옮길 값: repr(bare면 str)이 limit 글자를 넘으면 앞부분과 전체 길이만."""
    text = str(value) if bare else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…(모두 {len(text):,}자)"
