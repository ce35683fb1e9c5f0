"""빌드 사이에 남기는 계산 결과: 같은 바이트에 같은 코드를 돌린 결과는 다음 빌드가 다시 계산하지 않습니다.

온 빌드는 지난 빌드와 같은 파일에 같은 일을 되풀이합니다: snippets/ 모듈마다 구문 트리를 만들어 import를
찾고(실행 캐시의 키), 글마다 용어집 검사를 하고, 그림마다 SVG를 읽어 글자 크기를 재고, 검색 색인의 문서마다
더할 낱말을 찾습니다. 결과는 그 입력(파일의 바이트)과 계산하는 코드(모듈 파일의 바이트)의 해시를 키로
.cache/blogbuild/memo.json 한 파일에 둡니다. 코드나 입력이 한 바이트라도 바뀌면 키가 바뀌어 다시 계산합니다.

빌드(hooks.py)가 start로 켜고 finish로 씁니다. 켜지 않았을 때(단위 테스트가 함수를 직접 부를 때)는 언제나
계산합니다. 실패한 빌드는 쓰지 않고, 온전한 빌드는 이번에 쓴 항목만 남겨 파일이 자라지 않습니다.
값은 언제나 JSON으로 한 번 오간 꼴(튜플은 리스트로)이라서, 기억이 있든 없든 부르는 쪽은 같은 꼴을 받습니다.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).parent


@functools.cache
def code_version(*modules: str) -> bytes:
    """blogbuild/의 모듈들(예: "glossary.py")의 바이트의 해시: 계산하는 코드가 바뀌면 바뀝니다."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(name.encode() + b"\0" + (HERE / name).read_bytes() + b"\0")
    return digest.digest()


class Memo:
    """키(코드와 입력의 해시) → JSON 값. path가 None이면 아무것도 기억하지 않습니다."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._previous: dict[str, object] | None = None
        self._used: dict[str, object] = {}

    def _load(self) -> dict[str, object]:
        if self._previous is None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
            except (OSError, ValueError):
                loaded = {}  # 없거나 깨진 캐시는 빈 캐시입니다
            self._previous = loaded if isinstance(loaded, dict) else {}
        return self._previous

    def __call__(
        self, code: bytes, inputs: Iterable[str | bytes], compute: Callable[[], object]
    ) -> object:
        if self.path is None:
            return json.loads(json.dumps(compute()))
        digest = hashlib.sha256(code)
        for part in inputs:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little") + data)
        key = digest.hexdigest()
        if key not in self._used:
            previous = self._load()
            self._used[key] = (
                previous[key] if key in previous else json.loads(json.dumps(compute()))
            )
        return self._used[key]

    def save(self, keep_unused: bool = False) -> None:
        """이번에 쓴 항목을 씁니다(keep_unused면 지난 항목도: 바뀐 페이지만 다시 만드는 --dirty 빌드)."""
        if self.path is None:
            return
        entries = {**self._load(), **self._used} if keep_unused else self._used
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        partial.replace(self.path)  # 동시에 도는 다른 빌드가 반쯤 쓴 파일을 읽지 않게


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


def remembered(code: bytes, inputs: Iterable[str | bytes], compute: Callable[[], object]) -> object:
    """이번 빌드의 기억에서 (code, inputs)의 값을 찾고, 없으면 compute()로 계산해 기억합니다."""
    return _current(code, inputs, compute)
