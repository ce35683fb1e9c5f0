"""노트북 코드를 가둡니다: 노트북은 자기 결과 디렉터리에만 쓰고, 깨끗한 환경에서 시작하며, 끝나면 아무 프로세스도 남기지 않습니다.

기여자의 노트북은 빌드 때 실행되므로 믿을 수 없는 코드입니다. 커널은 언제나 blogbuild/kernel_launcher.py를
거쳐 시작합니다(메모리·CPU 한도, 자식 거두미, 읽은 파일 기록). 그 위에 세 가지 방식이 있고, 빌드는 실행할 때
이 기계에서 실제로 동작하는 가장 앞의 방식을 고릅니다(BLOG_SANDBOX=fork|bwrap|process로 정할 수 있습니다).

**fork 방식** (bwrap 안에서 사용자 이름공간을 한 번 더 만들 수 있을 때; 이 기계와 CI):

- 빌드가 노트북을 실행하기 시작할 때 커널 서버(blogbuild/kernel_server.py)를 아래 bwrap 방식과 같은 bwrap
  안에 한 번 띄웁니다. 서버는 이번에 실행할 노트북들이 불러오는 무거운 라이브러리(torch, transformers,
  matplotlib, numpy)를 한 번 불러 두고, 커널마다 fork합니다: 커널마다 4~5초씩 하던 import가 없어집니다.
- 가두기는 커널마다 새로 합니다: 새 사용자·마운트·PID·네트워크·IPC 이름공간, 자기 결과 디렉터리·HOME·소켓
  디렉터리 말고는 모두 읽기 전용, 새 /proc. 그 뒤 사용자 이름공간을 한 번 더 만들어 커널은 마운트를 바꿀 수
  없습니다(물려받은 마운트는 잠겨 있습니다). 보장은 bwrap 방식과 같고, 더해서 같은 서버에서 나온 다른 커널의
  HOME·소켓·연결 파일, 서버의 소켓, 빌드의 프로세스는 보이지 않습니다(tests/test_containment.py).
- 미리 불러 둔 라이브러리의 메모리는 fork로 나눠 쓰지만, 한 커널이 바꾼 것은 그 커널에만 있습니다(쓰는 순간
  복사됩니다). 불러올 때 정해진 상태(예: 시드를 주지 않은 난수 생성기)는 모든 커널이 같게 물려받습니다.
- 서버가 뜨지 못하거나 이 기계가 이름공간을 겹쳐 만들지 못하면(예: 비특권 사용자 이름공간을 AppArmor로 막는
  Ubuntu 24.04에서 bwrap 밖의 프로그램이 만드는 이름공간) 빌드는 bwrap 방식을 씁니다.

**bwrap 방식** (Debian의 bubblewrap이 동작할 때; 이 기계처럼 root이거나 사용자 이름공간이 허락될 때):

- 파일 시스템 전체가 읽기 전용입니다(`--ro-bind / /`). 쓸 수 있는 곳은 노트북의 임시 결과 디렉터리, 그
  실행만의 HOME(TMPDIR도 그 안), 커널과 이야기하는 소켓 디렉터리뿐입니다. 저장소(docs/, snippets/, 글,
  다른 노트북의 결과, site/, .venv)에 쓰면 셀이 OSError(읽기 전용 파일 시스템)로 실패합니다.
- 새 PID·네트워크·IPC 이름공간(`--unshare-all`): 노트북은 네트워크에 닿지 않고, 커널이 끝나면 이름공간의
  init(bwrap)이 끝나며 커널이 그 안의 모든 프로세스를 끝냅니다(SIGTERM을 무시하든, 새 세션을 만들든).
  `--die-with-parent`: 빌드가 죽어도 같이 끝납니다.
- 빌드하는 사용자의 HOME(~/.netrc, ~/.ssh)은 빈 디렉터리로 가립니다(저장소나 파이썬이 HOME 안에 있으면
  가릴 수 없습니다). /proc는 새 것이라 빌드 프로세스의 환경(/proc/<pid>/environ)도 보이지 않습니다.
- 보장하지 않는 것: 그 밖의 읽기. 노트북은 빌드하는 기계에서 읽을 수 있는 다른 파일(/etc, 저장소의 .git)을
  읽을 수 있습니다. 비밀은 그런 곳에 두지 마세요. CPU 시간과 메모리는 한도만 있을 뿐 나눠 쓰기는 아닙니다.

**process 방식** (bwrap이 동작하지 않을 때: 예를 들어 GitHub 실행기의 컨테이너에서 사용자 이름공간이 막힌 경우):

- 막지 못하고 알아챕니다: 실행 전후에 저장소(.git, .venv, node_modules 말고 전부)의 파일 내용을 해시해,
  이번에 실행한 노트북의 결과 디렉터리 밖에서 바뀐·생긴·지워진 파일이 있으면 그 파일을 짚어 빌드를
  멈춥니다. 저장소 밖(~/, /tmp, .venv)에 쓴 것은 알아채지 못합니다. 실행기는 작업마다 새로 만들어지지만,
  같은 작업의 다음 단계(캐시 저장 등)는 그것을 볼 수 있습니다.
- 프로세스: 커널을 띄운 kernel_launcher가 자식 거두미이므로 새 세션을 만들거나 부모를 떠난 자손도 그
  프로세스로 돌아오고, 커널이 끝나면 남은 것을 모두 SIGKILL로 끝냅니다. 그 뒤 빌드가 /proc에서 이번 실행의
  표식(BLOG_RUN)을 가진 프로세스가 남았는지 한 번 더 보고, 있으면 끝내고 멈춥니다. root로 실행되는
  노트북은 표식을 지우거나 ptrace로 빠져나갈 수 있습니다(cgroup이 없어 막을 수 없습니다).
- 읽기는 막지 못합니다: 같은 사용자의 다른 프로세스(빌드, make, CI의 셸)의 /proc/<pid>/environ과 ~/의
  파일을 읽을 수 있습니다. 이 방식으로 기여자의 노트북을 빌드하는 작업의 환경에는 비밀을 두지 마세요(이
  저장소의 CI는 pull request에 비밀을 주지 않습니다: permissions: contents: read).

두 방식 모두: 환경은 허용 목록(PATH, LANG, 커널에 필요한 것, BLOG_* 설정)으로 시작하고 HOME은 실행마다
새로 만든 임시 디렉터리입니다(빌드하는 기계의 GITHUB_TOKEN 같은 변수는 보이지 않습니다). 메모리는 주소 공간
한도(RLIMIT_AS), 시간은 mkdocs.yml의 extra.execution.timeout(벽시계)과 CPU 시간 한도(RLIMIT_CPU)로 막습니다.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BWRAP_PROBE = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all"]
# 커널 서버는 새 /proc 대신 바깥의 /proc을 씁니다(_server_bwrap).
BWRAP_SERVER = [arg for arg in BWRAP_PROBE if arg != "/proc" and arg != "--proc"]
# 커널이 물려받는 빌드하는 기계의 환경 변수. 나머지(토큰, 비밀, 사용자 설정)는 보이지 않습니다.
PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SOURCE_DATE_EPOCH")
# 실행 전후로 비교하지 않는 곳: 도구들(내용이 크고 저장소의 것이 아님).
NOT_WATCHED = {".git", ".venv", "node_modules"}


MODES = ("fork", "bwrap", "process")


@functools.cache
def mode() -> str:
    """'fork', 'bwrap' 또는 'process'. BLOG_SANDBOX로 고를 수 있고, 없으면 이 기계에서 실제로 동작하는 가장
    앞의 방식입니다: fork는 bwrap 안에서 이름공간을 한 번 더 만들 수 있어야 합니다(kernel_server의 probe)."""
    chosen = os.environ.get("BLOG_SANDBOX", "")
    if chosen in MODES:
        return chosen
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return "process"
    with tempfile.TemporaryDirectory(prefix="blog-probe-") as run_dir:
        probe = [*_server_bwrap(os.path.realpath(run_dir), []), "probe", run_dir]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return "fork"
    probe = subprocess.run([bwrap, *BWRAP_PROBE, "true"], capture_output=True, check=False)
    if probe.returncode == 0:
        return "bwrap"
    return "process"


SERVER = [sys.executable, "-m", "blogbuild.kernel_server"]


def _bwrap(
    writable: list[str], needed: tuple[Path, ...] = (), options: list[str] = BWRAP_PROBE
) -> list[str]:
    """bwrap 명령의 앞부분: 파일 시스템 전체를 읽기 전용으로, writable만 쓸 수 있게, 새 이름공간들에서.

    빌드하는 사용자의 HOME(~/.netrc, ~/.ssh, ~/.config의 토큰)은 빈 디렉터리로 가립니다. 저장소나 파이썬,
    needed가 그 안에 있으면 가릴 수 없습니다(그때는 읽을 수 있습니다)."""
    binds = [arg for path in writable for arg in ("--bind", path, path)]
    home = Path.home().resolve()
    needed = (Path(sys.prefix), Path(sys.base_prefix), *needed, *map(Path, writable))
    if home != Path("/") and not any(p.resolve().is_relative_to(home) for p in needed):
        binds = ["--tmpfs", str(home), *binds]
    return [
        shutil.which("bwrap") or "bwrap",
        *options,
        *binds,
        "--die-with-parent",
        "--new-session",
    ]


def _matplotlib_cache() -> Path:
    if os.environ.get("MPLCONFIGDIR"):
        return Path(os.environ["MPLCONFIGDIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"


def private_home(home: Path) -> None:
    """실행 하나만의 HOME을 채웁니다: 빌드하는 기계의 matplotlib 글꼴 목록만 복사합니다(없으면 커널이 만듭니다,
    1초쯤). 글꼴 목록은 노트북이 아니라 빌드하는 기계가 만든 것이어야 하므로 되돌려 복사하지 않습니다."""
    (home / "tmp").mkdir(parents=True)
    cache = home / ".cache" / "matplotlib"
    cache.mkdir(parents=True)
    for fontlist in _matplotlib_cache().glob("fontlist-*.json"):
        shutil.copy(fontlist, cache / fontlist.name)


def kernel_env(home: Path, settings: dict[str, str]) -> dict[str, str]:
    """커널이 시작하는 환경: 허용 목록의 변수와 빌드의 설정(settings)뿐입니다."""
    passed = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    return {
        **passed,
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "MPLCONFIGDIR": str(home / ".cache" / "matplotlib"),
        **settings,
    }


@functools.cache
def contained_kernel_manager() -> type:
    """커널 관리자의 클래스(ContainedKernelManager). jupyter_client는 노트북을 실행할 때만 불러옵니다:
    캐시가 맞는 빌드(온 빌드, make serve)는 불러오는 시간도 쓰지 않습니다."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class PromptKernelClient(AsyncKernelClient):
        """커널이 준비되었다고 보자마자 돌아오는 클라이언트.

        jupyter_client의 wait_for_ready는 kernel_info의 답과 IOPub의 첫 메시지를 받은 뒤에도 IOPub이 0.2초 동안
        조용해지기를 기다립니다(남은 상태 메시지를 비우려고). nbclient는 셀마다 그 셀의 요청에 딸린 메시지만
        읽으므로 남은 메시지는 해가 없고, 그 0.2초는 노트북마다 그대로 빌드 시간이었습니다."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            while True:
                self.kernel_info()
                with contextlib.suppress(queue.Empty):
                    reply = await self.get_shell_msg(timeout=1)
                    if reply["msg_type"] == "kernel_info_reply":
                        await self.get_iopub_msg(timeout=0.2)  # IOPub도 이어졌습니다
                        self._handle_kernel_info_reply(reply)
                        return
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    class ContainedKernelManager(AsyncKernelManager):
        """커널 명령 앞에 가두는 방식의 명령을 붙이는 커널 관리자: fork 방식이면 커널 서버에 커널을 청하는
        클라이언트, bwrap 방식이면 bwrap과 kernel_launcher, process 방식이면 kernel_launcher."""

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            command = super().format_kernel_cmd(extra_arguments)
            env = self._launch_args["env"]
            output, home, sockets = env["BLOG_OUTPUT_DIR"], env["HOME"], str(Path(self.ip).parent)
            if mode() == "fork":
                server = env.pop(SERVER_ENV)
                return [*SERVER, "connect", server, output, home, sockets, *command]
            launched = [sys.executable, "-m", "blogbuild.kernel_launcher", *command]
            if mode() != "bwrap":
                return launched
            root = Path(env["BLOG_REPO_ROOT"])
            return [*_bwrap([output, home, sockets], (root,)), "--chdir", output, "--", *launched]

        @default("client_factory")
        def _prompt_client(self) -> type:
            return PromptKernelClient

    return ContainedKernelManager


def _server_bwrap(run_dir: str, writable: list[str], root: Path | None = None) -> list[str]:
    """커널 서버를 bwrap 안에서 실행하는 명령(뒤에 서버의 명령을 붙입니다). run_dir과 writable은 서버가
    커널마다 나눠 줄 수 있게 쓸 수 있고, /proc은 서버의 자식이 새 사용자 이름공간의 uid_map을 쓰도록 쓸 수
    있게 묶습니다(커널은 새 /proc을 받습니다)."""
    needed = (root,) if root else ()
    command = [*_bwrap([run_dir, *writable], needed, BWRAP_SERVER), "--bind", "/proc", "/proc"]
    return [*command, "--chdir", run_dir, "--", *SERVER]


# 커널 관리자에게 커널 서버의 소켓을 알리는 환경 변수(커널에는 넘어가지 않습니다).
SERVER_ENV = "BLOG_KERNEL_SERVER"


# 커널 서버가 라이브러리를 불러오고 준비되었다고 알리기까지 기다리는 시간(초). 이 기계에서는 5초쯤입니다.
SERVER_START_TIMEOUT = 120.0


class ServerError(RuntimeError):
    """fork 방식의 커널 서버가 시작하지 못했을 때."""


@dataclass(frozen=True)
class KernelServer:
    """fork 방식의 커널 서버: 소켓과, 커널마다의 HOME·소켓 디렉터리를 만들 실행 디렉터리."""

    socket: str
    run_dir: str


@contextlib.contextmanager
def kernel_server(
    root: Path,
    outputs: Path,
    env: dict[str, str],
    preloads: list[str],
    start_timeout: float = SERVER_START_TIMEOUT,
) -> Iterator[KernelServer | None]:
    """fork 방식이면 커널 서버를 bwrap 안에 띄우고(preloads를 미리 불러 둔) 끝나면 끝냅니다. 다른 방식이면
    None. 커널들의 결과 디렉터리는 outputs 안에 있어야 합니다(서버는 그 안을 커널마다 나눠 줍니다). env는
    커널들이 공통으로 시작하는 환경입니다(HOME은 서버 것으로 바뀝니다)."""
    if mode() != "fork":
        yield None
        return
    run_dir = os.path.realpath(tempfile.mkdtemp(prefix="blog-kernels-"))
    try:
        home = Path(run_dir) / "server"
        private_home(home)
        server = KernelServer(str(Path(run_dir) / "server.sock"), run_dir)
        command = _server_bwrap(run_dir, [os.path.realpath(outputs)], root)
        log = Path(run_dir) / "server.log"
        with open(log, "wb") as errors:
            process = subprocess.Popen(
                [*command, "serve", server.socket, run_dir, *preloads],
                env=kernel_env(home, env),
                stdout=subprocess.PIPE,
                stderr=errors,
            )
        try:
            started, _, _ = select.select([process.stdout], [], [], start_timeout)
            if not started or process.stdout.readline() != b"ready\n":
                process.kill()
                failure = log.read_text(errors="replace").strip().splitlines()
                why = failure[-1] if failure else f"종료 코드 {process.wait()}"
                if not started:
                    why = f"{start_timeout:g}초 안에 라이브러리({', '.join(preloads)})를 불러오지 못했습니다"
                raise ServerError(
                    f"커널 서버(blogbuild/kernel_server.py)가 시작하지 못했습니다: {why}. "
                    "BLOG_SANDBOX=bwrap으로 다시 빌드해 보세요(커널마다 따로 가둡니다)"
                )
            yield server
        finally:
            process.kill()
            process.wait()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def snapshot(root: Path) -> dict[str, str]:
    """저장소의 파일(NOT_WATCHED 말고)마다 내용의 해시: process 방식에서 실행 전후를 비교합니다."""
    found = {}
    for directory, dirnames, filenames in os.walk(root):
        if Path(directory) == root:
            dirnames[:] = [d for d in dirnames if d not in NOT_WATCHED]
        for name in filenames:
            path = Path(directory) / name
            try:
                found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:  # 링크가 가리키는 것이 없거나, 읽는 사이에 지워졌거나
                found[str(path.relative_to(root))] = "unreadable"
    return found


def changed_outside(before: dict[str, str], after: dict[str, str], allowed: list[str]) -> list[str]:
    """before와 after 사이에 바뀐 파일들 가운데 allowed(저장소 상대 경로의 앞부분들)로 시작하지 않는 것."""
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return sorted(p for p in changed if not p.startswith(tuple(allowed)))


def _marked(needle: bytes) -> list[Path]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):  # 그 사이에 끝났거나 볼 권한이 없는 프로세스
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(entry)
    return found


def leftover_processes(run: str, grace: float = 3.0) -> list[str]:
    """환경에 BLOG_RUN=run을 가진 채 남은 프로세스들을 끝내고, 그 명령줄을 돌려줍니다.

    커널을 끝낸 직후에는 이름공간이나 거두미가 자손을 끝내는 중일 수 있어, grace초까지 기다려 봅니다."""
    needle = f"BLOG_RUN={run}".encode()
    deadline = time.monotonic() + grace
    while (left := _marked(needle)) and time.monotonic() < deadline:
        time.sleep(0.05)
    found = []
    for entry in left:
        with contextlib.suppress(OSError):
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            os.kill(int(entry.name), signal.SIGKILL)
            found.append(f"{entry.name} {command.strip()}")
    return found
