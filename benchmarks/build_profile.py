"""온 빌드 한 번이 어디에 CPU 시간을 쓰는지: 생성기의 이벤트(훅과 플러그인)마다, blogbuild의 함수마다.

make build가 돌리는 것을 잽니다: 생성기(blogbuild/host.py가 정하는 ProperDocs)의 build 명령을 엄격
모드로, 같은 설정 파일로. 생성기를 부르는 것만 다릅니다(새 프로세스가 아니라 이 프로세스 안에서).

부하가 큰 기계에서도 비교할 수 있게 벽시계가 아니라 이 프로세스의 CPU 시간(time.process_time)을 잽니다.
함수의 시간은 바깥 호출만 더한 누적 시간이라 서로 겹칩니다(부르는 함수가 불린 함수를 품습니다).
memo.py의 함수는 감싸지 않습니다: remembered가 부른 모듈로 기억의 키를 정하기 때문입니다.

실행: 저장소 뿌리에서 .venv/bin/python -m benchmarks.build_profile [생성기 build의 인자...]
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
import types
from collections.abc import Callable

import blogbuild
from blogbuild import host

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
    """blogbuild의 모듈마다(단계 blogbuild/stages/까지) 최상위 함수와 클래스의 메서드를 감쌉니다."""
    for info in pkgutil.walk_packages(blogbuild.__path__, "blogbuild."):
        label = info.name.removeprefix("blogbuild.")
        if label in SKIPPED:
            continue
        module = importlib.import_module(info.name)
        for name, value in list(vars(module).items()):
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                setattr(module, name, timed(value, f"{label}.{name}"))
            elif inspect.isclass(value) and value.__module__ == module.__name__:
                for method, function in list(vars(value).items()):
                    if inspect.isfunction(function) and not method.startswith("__"):
                        setattr(value, method, timed(function, f"{label}.{name}.{method}"))


def host_module(name: str) -> types.ModuleType:
    """생성기(host.command가 `-m`으로 부르는 패키지)의 모듈 name(예: "plugins", "__main__")."""
    command = host.command("build")
    package = command[command.index("-m") + 1]
    return importlib.import_module(f"{package}.{name}")


def wrap_events() -> None:
    """생성기가 이벤트마다 부르는 훅·플러그인의 메서드를 '이벤트: 메서드'로 잽니다."""
    plugins = host_module("plugins")

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
    # 생성기의 명령줄: 이것을 불러오면 mkdocs.…가 생성기의 모듈로 이어집니다
    cli = host_module("__main__").cli
    wrap_events()
    # make build와 같은 명령줄: host.command("build")의 인자(설정 파일)에 --strict
    arguments = host.command("build")[3:]

    started = time.process_time()
    try:
        cli([*arguments, "--strict", "-q", *sys.argv[1:]], standalone_mode=False)
    finally:
        total = time.process_time() - started
        print(f"{'CPU s':>7}  {'부름':>6}  무엇")
        for label, spent in seconds.most_common(40):
            print(f"{spent:7.3f}  {calls[label]:6}  {label}")
        print(f"{total:7.3f}  {'':6}  빌드 전체(설정 읽기부터, 인터프리터 시작 제외)")


if __name__ == "__main__":
    main()
