"""빌드 사이에 남기는 계산 결과: 같은 바이트에 같은 코드를 돌린 결과는 다음 빌드가 다시 계산하지 않습니다.

온 빌드는 지난 빌드와 같은 파일에 같은 일을 되풀이합니다: snippets/ 모듈마다 구문 트리를 만들어 import를
찾고(실행 캐시의 키), 글마다 용어집 검사를 하고, 그림마다 SVG를 읽어 글자 크기를 재고, 검색 색인의 문서마다
더할 낱말을 찾습니다. 결과는 그 입력(파일의 바이트)과 계산하는 코드(모듈 파일의 바이트)의 해시를 키로
.cache/blogbuild/memo.json 한 파일에 둡니다. 코드나 입력이 한 바이트라도 바뀌면 키가 바뀌어 다시 계산합니다.

빌드(hooks.py)가 start로 켜고 finish로 씁니다. 켜지 않았을 때(단위 테스트가 함수를 직접 부를 때)는 언제나
계산합니다. 실패한 빌드는 쓰지 않고, 온전한 빌드는 이번에 쓴 항목만 남겨 파일이 자라지 않습니다.
값은 언제나 JSON으로 한 번 오간 꼴(튜플은 리스트로)이라서, 기억이 있든 없든 부르는 쪽은 같은 꼴을 받습니다.

코드의 키는 부르는 모듈이 정합니다(remembered가 부른 모듈을 알아냅니다): 그 모듈과, 그 모듈이 쓰는
blogbuild의 모듈들(그 모듈들이 쓰는 것까지)의 바이트입니다. 손으로 적은 파일 목록이 빠뜨릴 일이 없습니다.
부르는 쪽은 값의 꼴(shape)도 적습니다. 꼴이 맞지 않는 기억(손으로 고친 파일, 다른 코드가 쓴 파일)은 한 줄로
알리고 버려 다시 계산합니다: 빌드마다 같은 TypeError로 멈추지 않습니다.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.metadata
import json
import logging
import os
import sys
import types
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.blogbuild")
PACKAGE = "blogbuild"


def _used_modules(module: types.ModuleType) -> set[str]:
    """module이 쓰는 blogbuild의 모듈들: 이름으로 붙든 모듈과, 가져온 함수·클래스가 정의된 모듈."""
    names = set()
    for value in vars(module).values():
        name = (
            value.__name__
            if isinstance(value, types.ModuleType)
            else getattr(value, "__module__", None)
        )
        if isinstance(name, str) and name.startswith(PACKAGE + "."):
            names.add(name)
    return names


def code_files(*modules: str) -> list[Path]:
    """modules(예: "blogbuild.glossary")와 그것들이 쓰는 blogbuild의 모듈들(간접으로 쓰는 것까지)의 파일."""
    seen: set[str] = set()
    pending = list(modules)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending += _used_modules(importlib.import_module(name))
    return sorted(Path(importlib.import_module(name).__file__) for name in seen)


@functools.cache
def code_version(*modules: str) -> bytes:
    """계산하는 코드(code_files)의 바이트의 해시: 그 코드가 한 바이트라도 바뀌면 바뀝니다."""
    digest = hashlib.sha256()
    for path in code_files(*modules):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def fits(value: object, shape: object) -> bool:
    """JSON 값이 꼴에 맞는지. 꼴: 타입(str, float, str | None), [꼴](그 꼴의 목록), (꼴, 꼴)(그 길이의 목록).

    float는 int도 받습니다(JSON의 3.0과 3). bool은 int가 아닙니다."""
    if isinstance(shape, list):
        return isinstance(value, list) and all(fits(item, shape[0]) for item in value)
    if isinstance(shape, tuple):
        return isinstance(value, list) and len(value) == len(shape) and all(map(fits, value, shape))
    if shape is float:
        shape = float | int
    return isinstance(value, shape) and not (isinstance(value, bool) and shape is not bool)


class Memo:
    """키(코드와 입력의 해시) → JSON 값. path가 None이면 아무것도 기억하지 않습니다."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._previous: dict[str, object] | None = None
        self._used: dict[str, object] = {}
        self._noted = False
        # 지금 계산 중인 값들(바깥부터): 계산하는 동안 쓴 안쪽 항목의 키를 모읍니다.
        self._computing: list[set[str]] = []
        self._kept: dict[str, object] = {}  # 기억에서 찾은 값의 안쪽 항목들(_keep_inner)

    def _discard(self, why: str) -> None:
        """꼴이 맞지 않는 기억을 버린다고 한 번(빌드마다) 알립니다: 빌드는 다시 계산해 이어 갑니다."""
        if not self._noted:
            log.info(
                f"{self.path}: {why} 버리고 다시 계산합니다 (지난 빌드의 기억일 뿐이라 잃는 것은 없습니다)"
            )
            self._noted = True

    def _load(self) -> dict[str, object]:
        if self._previous is None:
            self._previous = {}
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
            except FileNotFoundError:
                return self._previous  # 처음 빌드: 기억이 없습니다
            except (OSError, ValueError) as error:
                self._discard(f"JSON으로 읽을 수 없는 기억이라({error})")
                return self._previous
            if isinstance(loaded, dict):
                self._previous = loaded
            else:
                self._discard(f"키 → 값의 객체가 아닌 기억({type(loaded).__name__})이라")
        return self._previous

    def __call__(
        self,
        code: bytes,
        inputs: Iterable[str | bytes],
        compute: Callable[[], object],
        shape: object = object,
    ) -> object:
        """(code, inputs)의 값: 기억에 있고 꼴(shape, fits)이 맞으면 그것을, 아니면 compute()를."""
        if self.path is None:
            return _computed(compute, shape)
        digest = hashlib.sha256(code)
        for part in inputs:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little") + data)
        key = digest.hexdigest()
        if self._computing:
            self._computing[-1].add(key)
        if key not in self._used:
            previous = self._load()
            if key in previous and not fits(previous[key], shape):
                self._discard("꼴이 맞지 않는 항목이 있어")
                del previous[key]
            if key in previous:
                self._used[key] = previous[key]
                self._keep_inner(key, previous)
            else:
                self._computing.append(set())
                try:
                    self._used[key] = _computed(compute, shape)
                finally:
                    inner = self._computing.pop()
                if inner:
                    self._used[key + INNER] = sorted(inner)
        return self._used[key]

    def _keep_inner(self, key: str, previous: dict[str, object]) -> None:
        """기억에서 찾은 항목의 값을 계산할 때 쓴 안쪽 항목들(그 안쪽까지)도 남깁니다(save가 씁니다).

        바깥 값을 기억에서 찾으면 안쪽은 불리지 않습니다(검사 단계 전체를 건너뛸 때 글마다의 검사). 안쪽을
        남겨야, 입력 하나가 바뀌어 바깥을 다시 계산하는 다음 빌드가 바뀌지 않은 안쪽을 다시 계산하지 않습니다.
        남긴 항목은 이번 빌드에 내주지 않습니다: 불리면 보통 항목처럼 꼴을 보고 씁니다."""
        pending = [key]
        while pending:
            name = pending.pop()
            inner = previous.get(name + INNER)
            if not (isinstance(inner, list) and all(isinstance(item, str) for item in inner)):
                continue
            self._kept[name + INNER] = inner
            for item in inner:
                if item in previous and item not in self._kept:
                    self._kept[item] = previous[item]
                    pending.append(item)

    def save(self, keep_unused: bool = False) -> None:
        """이번에 쓴 항목을 씁니다(keep_unused면 지난 항목도: 바뀐 페이지만 다시 만드는 --dirty 빌드)."""
        if self.path is None:
            return
        entries = {**self._kept, **self._used}
        if keep_unused:
            entries = {**self._load(), **entries}
        # 온 빌드: 모두 지난 기억에서 왔으면 같은 파일을 다시 쓰지 않습니다
        if entries == self._previous:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        partial.replace(self.path)  # 동시에 도는 다른 빌드가 반쯤 쓴 파일을 읽지 않게


# 항목 <키>가 계산될 때 쓴 안쪽 항목의 키들을 적는 항목의 이름: <키>/inner (키는 16진수라 겹치지 않습니다)
INNER = "/inner"


def _computed(compute: Callable[[], object], shape: object) -> object:
    value = json.loads(json.dumps(compute()))
    if not fits(value, shape):
        raise TypeError(f"계산한 값이 적어 둔 꼴 {shape!r}에 맞지 않습니다: {str(value)[:80]}")
    return value


_current = Memo()


def start(path: Path) -> None:
    """이번 빌드의 기억을 켭니다: path에 지난 빌드가 쓴 것이 있으면 씁니다."""
    global _current  # noqa: PLW0603 - 빌드 하나 동안의 기억은 하나입니다
    _current = Memo(path)


def finish(keep_unused: bool = False) -> None:
    """된 빌드의 끝에서 기억을 쓰고 끕니다."""
    global _current  # noqa: PLW0603
    _current.save(keep_unused)
    _current = Memo()


def remembered(
    inputs: Iterable[str | bytes],
    compute: Callable[[], object],
    shape: object,
    also: tuple[str, ...] = (),
    tools: tuple[str, ...] = (),
) -> object:
    """이번 빌드의 기억에서 inputs의 값을 찾고, 없으면 compute()로 계산해 기억합니다.

    코드의 키는 부른 모듈(과 also에 적은 모듈: compute가 인자로 받아 부르는 다른 모듈의 함수)의 code_version,
    shape는 값의 꼴(fits)입니다. tools는 compute가 쓰는 설치된 도구의 배포 이름(예 "Pygments")이고, 그 판도
    키에 들어갑니다: 도구를 올리면 다시 계산합니다.
    """
    caller = sys._getframe(1).f_globals["__name__"]
    versions = [tool_version(name) for name in tools]
    return _current(code_version(caller, *also), [*versions, *inputs], compute, shape)


@functools.cache
def tool_version(distribution: str) -> str:
    """설치된 배포의 이름과 판("Pygments 2.19.2"): 기억의 키에 넣는 도구의 판. 한 프로세스에 한 번 찾습니다."""
    return f"{distribution} {importlib.metadata.version(distribution)}"
