"""온 빌드 한 번이 어디에 CPU 시간을 쓰는지: MkDocs 이벤트(훅과 플러그인)마다, blogbuild의 함수마다.

부하가 큰 기계에서도 비교할 수 있게 벽시계가 아니라 이 프로세스의 CPU 시간(time.process_time)을 잽니다.
함수의 시간은 바깥 호출만 더한 누적 시간이라 서로 겹칩니다(부르는 함수가 불린 함수를 품습니다).
memo.py의 함수는 감싸지 않습니다: remembered가 부른 모듈로 기억의 키를 정하기 때문입니다.

실행: 저장소 뿌리에서 .venv/bin/python -m benchmarks.build_profile [mkdocs build의 인자...]
(지난 빌드의 캐시를 쓰는 온 빌드를 재려면 먼저 한 번 빌드하세요.)
"""

from __future__ import annotations

import collections
import functools
import importlib
import inspect
import pkgutil
import sys
import time
from collections.abc import Callable

import blogbuild

SKIPPED = {"hooks", "kernel_launcher", "memo"}  # 훅은 이벤트로 잽니다
seconds: collections.Counter[str] = collections.Counter()
calls: collections.Counter[str] = collections.Counter()
depth: collections.Counter[str] = collections.Counter()


def timed(function: Callable, label: str) -> Callable:
    """function의 CPU 시간을 label에 더하는 감싼 함수(재귀 안쪽의 호출은 두 번 세지 않습니다)."""

    @functools.wraps(function)
    def wrapper(*args: object, **kwargs: object) -> object:
        depth[label] += 1
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            depth[label] -= 1
            calls[label] += 1
            if not depth[label]:
                seconds[label] += time.process_time() - started

    return wrapper


def wrap_blogbuild() -> None:
    """blogbuild의 모듈마다 최상위 함수와 클래스의 메서드를 감쌉니다."""
    for info in pkgutil.iter_modules(blogbuild.__path__):
        if info.name in SKIPPED:
            continue
        module = importlib.import_module(f"blogbuild.{info.name}")
        for name, value in list(vars(module).items()):
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                setattr(module, name, timed(value, f"{info.name}.{name}"))
            elif inspect.isclass(value) and value.__module__ == module.__name__:
                for method, function in list(vars(value).items()):
                    if inspect.isfunction(function) and not method.startswith("__"):
                        setattr(value, method, timed(function, f"{info.name}.{name}.{method}"))


def wrap_events() -> None:
    """MkDocs가 이벤트마다 부르는 훅·플러그인의 메서드를 '이벤트: 메서드'로 잽니다."""
    from mkdocs import plugins

    run_event = plugins.PluginCollection.run_event

    def timed_run_event(self, name: str, item: object = None, **kwargs: object) -> object:  # noqa: ANN001
        methods = self.events[name]
        self.events[name] = [
            timed(method, f"{name}: {method.__module__}.{method.__qualname__}")
            for method in methods
        ]
        try:
            return run_event(self, name, item, **kwargs)
        finally:
            self.events[name] = methods

    plugins.PluginCollection.run_event = timed_run_event


def main() -> None:
    sys.path.insert(0, ".")  # mkdocs.yml의 훅이 불러오는 blogbuild가 이 저장소의 것이도록
    wrap_blogbuild()
    wrap_events()
    from mkdocs.__main__ import cli

    started = time.process_time()
    try:
        cli(["build", "--strict", "-q", *sys.argv[1:]], standalone_mode=False)
    finally:
        total = time.process_time() - started
        print(f"{'CPU s':>7}  {'부름':>6}  무엇")
        for label, spent in seconds.most_common(40):
            print(f"{spent:7.3f}  {calls[label]:6}  {label}")
        print(f"{total:7.3f}  {'':6}  빌드 전체(설정 읽기부터, 인터프리터 시작 제외)")


if __name__ == "__main__":
    main()
