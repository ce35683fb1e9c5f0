"""노트북 커널을 띄우는 작은 프로그램: 한도를 걸고, 읽은 파일을 적고, 커널이 끝나면 남은 자손을 모두 끝냅니다.

`python -m blogbuild.kernel_launcher <커널 명령>`으로 (bwrap 안에서든 밖에서든) 실행됩니다. 표준
라이브러리만 씁니다. 하는 일:

1. 메모리(RLIMIT_AS, BLOG_MEMORY_MB)와 CPU 시간(RLIMIT_CPU, BLOG_CPU_SECONDS) 한도를 겁니다. 자손도
   물려받습니다.
2. 자신을 자식 거두미(PR_SET_CHILD_SUBREAPER)로 만듭니다: 커널이 띄운 프로세스가 새 세션을 만들거나
   (start_new_session=True) 두 번 fork해 부모를 떠나도 init이 아니라 이 프로세스의 자식이 됩니다.
3. fork한 자식에서 감사 훅(sys.addaudithook)을 건 뒤 커널(ipykernel_launcher)을 실행합니다. 훅은 저장소
   (BLOG_REPO_ROOT) 안에서 연 파일을 결과 디렉터리의 의존성 파일(BLOG_DEPS_FILE)에 한 줄씩 적습니다: 다음
   빌드의 캐시 키가 그 파일들의 내용을 봅니다(blogbuild/execution.py). import도 파일을 열므로(.py나
   __pycache__의 .pyc) 함께 적힙니다.
4. 커널이 끝나면, 거둔 자손이 하나도 남지 않을 때까지 SIGKILL로 끝내고 거둡니다.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import resource
import runpy
import signal
import sys
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
# 저장소 안이지만 노트북의 입력이 아닌 곳: 도구(.venv, .git, 캐시)와 빌드 결과(읽는 결과는 read_output의 키로).
NOT_INPUTS = {"build", "site", "node_modules"}


def _limit(kind: int, value: str | None) -> None:
    if value:
        amount = int(value)
        resource.setrlimit(kind, (amount, amount))


def _recorder(root: str, deps_file: str):
    """저장소 안에서 열린 파일을 deps_file에 (처음 열릴 때 한 번) 적는 감사 훅."""
    out = os.open(deps_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    seen: set[str] = set()
    prefix = root.rstrip(os.sep) + os.sep
    source_from_cache = importlib.util.source_from_cache

    def hook(event: str, args: tuple) -> None:
        if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        if not path.startswith(prefix):
            return
        if "__pycache__" in path:
            try:
                path = source_from_cache(path)
            except ValueError:
                return
        if path in seen:
            return
        seen.add(path)
        relative = path[len(prefix) :]
        top = relative.split(os.sep, 1)[0]
        if top.startswith(".") or top in NOT_INPUTS:
            return
        os.write(out, (relative + "\n").encode("utf-8", "surrogateescape"))

    return hook


def _children() -> list[int]:
    found = []
    for task in Path("/proc/self/task").iterdir():
        with open(task / "children") as listing:
            found += [int(pid) for pid in listing.read().split()]
    return found


def _reap_all() -> None:
    """남은 자손을 모두 끝냅니다. 거두미이므로 손자도 부모가 끝나면 이 프로세스의 자식이 됩니다."""
    while True:
        children = _children()
        if not children:
            return
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for _ in children:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break


def main(command: list[str]) -> int:
    if command[1:3] != ["-m", "ipykernel_launcher"]:
        sys.exit(f"kernel_launcher: 알 수 없는 커널 명령입니다: {command}")
    _limit(resource.RLIMIT_AS, os.environ.get("BLOG_MEMORY_BYTES"))
    _limit(resource.RLIMIT_CPU, os.environ.get("BLOG_CPU_SECONDS"))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    kernel = os.fork()
    if kernel == 0:
        sys.addaudithook(_recorder(os.environ["BLOG_REPO_ROOT"], os.environ["BLOG_DEPS_FILE"]))
        sys.argv = command[2:]
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        sys.exit(0)
    # 중단(SIGINT)은 프로세스 그룹 전체에 오므로 커널만 받게 합니다. 끝내라는 신호는 커널에 전합니다.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(kernel, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(kernel, 0)
            break
        except InterruptedError:
            continue
    _reap_all()
    return os.waitstatus_to_exitcode(status) % 256


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
