"""노트북 커널을 미리 불러 둔 프로세스에서 fork합니다: 커널마다 torch와 transformers를 다시 불러오지 않습니다.

커널 하나가 torch, torch._dynamo(옵티마이저가 불러옵니다), transformers의 모델을 불러오는 데 이 기계에서
4~5초가 걸립니다. 빌드가 노트북 열네 편을 실행하면 그것만 1분 가까운 CPU 시간입니다. 그래서 fork 방식
(blogbuild/sandbox.py)에서는 빌드가 실행을 시작할 때 이 서버를 bwrap 안에 한 번 띄우고, 서버는 이번에
실행할 노트북들이 불러오는 무거운 라이브러리(PRELOADS)를 한 번 불러 둔 뒤 커널마다 fork합니다.

가두기는 커널마다 새로 합니다. fork한 자식은 커널을 시작하기 전에

1. 새 사용자·마운트·PID·네트워크·IPC·UTS 이름공간으로 들어가고,
2. 실행 디렉터리(run_dir: 모든 커널의 HOME과 소켓, 서버의 소켓) 위에 빈 tmpfs를 덮은 뒤 자기 HOME과 소켓
   디렉터리만 되살리고, 자기 결과 디렉터리를 자기 자리에 다시 묶고,
3. 그 셋을 뺀 모든 마운트를 읽기 전용으로 다시 마운트하고(/dev/shm은 새 tmpfs),
4. fork해 새 PID 이름공간의 init이 되어 새 /proc을 마운트하고(다른 커널과 빌드의 프로세스는 보이지 않습니다),
5. 사용자 이름공간을 한 번 더 만듭니다. 이제 커널은 마운트를 바꿀 권한이 없고, 스스로 이름공간을 만들어도
   물려받은 마운트는 잠겨 있어(MNT_LOCK_READONLY) 읽기 전용을 풀 수 없습니다(bubblewrap이 쓰는 방법).

그 뒤는 bwrap 방식과 같은 kernel_launcher(한도, 자식 거두미, 읽은 파일 기록)입니다. 커널을 띄운
jupyter_client가 보는 프로세스는 이 모듈의 `connect`(작은 클라이언트)입니다: 요청을 보내고 커널이 끝나기를
기다렸다가 그 종료 코드로 끝납니다. 클라이언트가 죽으면(빌드가 커널을 끝낼 때) 서버 쪽이 그 커널의 PID
이름공간을 통째로 끝냅니다.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC = 32, 1024, 2048, 4096, 16384
MS_PRIVATE, MS_RELATIME = 1 << 18, 1 << 21
# 마운트마다의 옵션(/proc/self/mountinfo의 여섯째 칸) 가운데, 다시 마운트할 때 그대로 두어야 하는 것들
# (바깥 이름공간에서 온 마운트의 이 옵션은 잠겨 있어 빼면 거절됩니다).
KEPT_OPTIONS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
}
# 노트북이 (직접이든 snippets를 거쳐서든) 불러오면 서버가 미리 불러 두는 것: 최상위 모듈 → 불러 둘 모듈들.
# 빌드 환경에 고정된(constraints.txt) 라이브러리만 둡니다. 저장소의 코드(기여자의 것)는 미리 불러오지 않습니다:
# 그 코드는 커널 안, 가둔 뒤에만 실행되고, 실행이 연 파일로 기록되어야 합니다.
PRELOADS = {
    "matplotlib": ("matplotlib.pyplot",),
    "numpy": ("numpy",),
    "torch": ("torch", "torch._dynamo"),
    "transformers": ("transformers", "transformers.modeling_utils"),
}
# 커널이라면 언제나 불러오는 것. ipykernel.ipkernel은 커널을 만들 때 디버거(debugpy, 커널마다 0.1–0.3초)를
# 불러옵니다. ipykernel.kernelapp만은 뺍니다: 클래스를 정의할 때 환경 변수(JPY_PARENT_PID)를 읽으므로, 커널의
# 환경으로 불러와야 합니다(tests/test_containment.py가 커널의 값이 그 커널의 JPY_PARENT_PID인지 확인합니다).
KERNEL_MODULES = (
    "IPython",
    "zmq",
    "tornado.ioloop",
    "jupyter_client.session",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
)
# 서버가 시작할 때 정해져, 커널마다 바꿀 수 없는 환경 변수(파이썬이 시작할 때 읽습니다).
STARTUP_ENV = ("PYTHONPATH", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS")

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _unshare(flags: int) -> None:
    _check(_libc.unshare(flags), "unshare")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    encoded = [None if s is None else os.fsencode(s) for s in (source, target, fstype)]
    _check(_libc.mount(*encoded, flags, data.encode() or None), f"mount {target}")


def _map_ids(uid: int, gid: int) -> None:
    """새 사용자 이름공간에서 자기 uid와 gid를 바깥의 같은 번호로 잇습니다(그 하나만)."""
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")


def _mounts() -> list[tuple[str, int, bool]]:
    """이 마운트 이름공간의 마운트 지점마다 (경로, 지켜야 할 옵션, 쓸 수 있는지). 한 경로에 여러 마운트가
    겹쳐 있으면 맨 위(mountinfo에서 나중에 나오는) 것: 그 경로로 다시 마운트하면 닿는 것입니다."""
    found = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        point = fields[4].encode().decode("unicode_escape").encode("latin-1").decode()
        options = fields[5].split(",")
        kept = 0
        for option in options:
            kept |= KEPT_OPTIONS.get(option, 0)
        found[point] = (point, kept, "rw" in options)
    return list(found.values())


def _enclose(request: dict, run_dir: str) -> None:
    """fork한 자식을 커널 하나의 우리에 넣습니다(모듈 설명의 1~3)."""
    uid, gid = os.getuid(), os.getgid()
    _unshare(
        CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    )
    _map_ids(uid, gid)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    home, sockets, output = request["home"], request["sockets"], request["output_dir"]
    kept = [os.open(path, os.O_PATH | os.O_DIRECTORY) for path in (home, sockets)]
    _mount(output, output, None, MS_BIND)
    _mount("tmpfs", run_dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
    for path, fd in zip((home, sockets), kept, strict=True):
        os.makedirs(path)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND)
        os.close(fd)
    writable = {output, home, sockets}
    mounts = _mounts()
    for point, options, rw in mounts:
        if rw and point not in writable:
            try:
                _mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | options)
            except OSError as error:  # 다른 마운트에 덮여 닿을 수 없는 마운트(아래에서 확인합니다)
                if error.errno != errno.EINVAL:
                    raise
    for point, _, _ in mounts:  # 그 경로에서 보이는 마운트가 모두 읽기 전용인지
        if point not in writable and os.path.exists(point):
            if not os.statvfs(point).f_flag & os.ST_RDONLY:
                raise OSError(errno.EROFS, f"{point}을 읽기 전용으로 만들지 못했습니다")
    if os.path.isdir("/dev/shm"):
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")


def _lock_down() -> None:
    """새 PID 이름공간의 init으로서: /proc을 새로 마운트하고, 사용자 이름공간을 한 번 더 만들어 마운트를 바꿀
    권한을 내려놓습니다(모듈 설명의 4~5)."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    uid, gid = os.getuid(), os.getgid()
    _unshare(CLONE_NEWUSER)
    _map_ids(uid, gid)


def _become_kernel(request: dict) -> int:
    """가둔 자식이 커널을 실행합니다: 요청의 환경과 작업 디렉터리로, kernel_launcher를 거쳐."""
    _lock_down()
    env = request["env"]
    changed = [name for name in STARTUP_ENV if env.get(name) != os.environ.get(name)]
    if changed:
        raise RuntimeError(f"서버를 시작한 환경과 다른 값: {', '.join(changed)}")
    os.environ.clear()
    os.environ.update(env)
    os.chdir(request["cwd"])
    sys.path[0] = request["cwd"]  # `python -m`으로 시작한 커널처럼
    import tempfile

    tempfile.tempdir = None  # 서버의 TMPDIR을 기억하고 있을 수 있습니다
    from blogbuild import kernel_launcher

    # 이 프로세스는 PID 이름공간의 init(1번)이고, kernel_launcher와 커널은 그 아래에서 돕니다. bwrap 방식과
    # 같은 모양입니다: 커널의 부모가 1번이면 ipykernel은 부모가 죽었다고 보고 끝납니다.
    launcher = os.fork()
    if launcher == 0:
        return kernel_launcher.main(request["argv"])
    return os.waitstatus_to_exitcode(os.waitpid(launcher, 0)[1]) % 256


def _serve_one(conn: socket.socket, run_dir: str) -> None:
    """연결 하나(커널 하나)를 맡은 자식: 요청을 읽고, 가두고, 커널이 끝나거나 클라이언트가 떠날 때까지 지킵니다."""
    message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
    request = json.loads(message)
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
        os.close(fd)
    try:
        _enclose(request, run_dir)
    except OSError as error:
        os.write(2, f"kernel_server: 커널을 가두지 못했습니다: {error}\n".encode())
        os._exit(1)
    kernel = os.fork()
    if kernel == 0:
        conn.close()
        try:
            code = _become_kernel(request)
        except SystemExit as end:  # 커널(kernel_launcher가 fork한 이 프로세스의 자식)이 끝났습니다
            code = end.code if isinstance(end.code, int) else int(end.code is not None)
        except BaseException as error:  # noqa: BLE001 — 커널 쪽 자식은 어떤 경우에도 여기서 끝납니다
            os.write(2, f"kernel_server: 커널을 시작하지 못했습니다: {error}\n".encode())
            code = 1
        # 끝난 커널의 sys.stdout은 ipykernel의 스트림이라, 비우려 하면 멈춘 IOPub 스레드를 기다리기도 합니다.
        # 결과는 이미 빌드에 전해졌으므로 파이썬의 정리(atexit)도 하지 않고 바로 끝냅니다.
        for stream in (sys.__stdout__, sys.__stderr__):
            stream.flush()
        os._exit(code)
    watched = os.pidfd_open(kernel)
    ready, _, _ = select.select([conn, watched], [], [])
    # 클라이언트가 떠났으면(빌드가 커널을 끝냈으면) 이름공간의 init을 끝냅니다: 그 안의 모든 것이 끝납니다.
    if conn in ready:
        os.kill(kernel, signal.SIGKILL)
    _, status = os.waitpid(kernel, 0)
    try:
        conn.sendall(f"{os.waitstatus_to_exitcode(status) % 256}\n".encode())
    except OSError:
        pass


def serve(socket_path: str, run_dir: str, preloads: list[str]) -> None:
    """미리 불러 두고, 연결마다 fork합니다. bwrap 안에서 빌드가 띄웁니다(sandbox.kernel_server)."""
    # 미리 부르는 것은 설치된 라이브러리뿐입니다: 저장소(PYTHONPATH)에 같은 이름의 파일(기여자가 보낸
    # torch.py)이 있어도 그것은 가두기 전의 이 서버에서 실행되지 않습니다.
    repository = [
        os.path.realpath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p
    ]
    searched = sys.path[:]
    sys.path[:] = [p for p in searched if os.path.realpath(p or ".") not in repository]
    for module in (*KERNEL_MODULES, *preloads):
        importlib.import_module(module)
    sys.path[:] = searched
    # 불러 둔 객체들은 쓰레기 수집이 훑지 않게 합니다: 커널마다 수백만 개를 훑고, 훑으며 건드린 쪽을
    # 복사하게 됩니다(fork는 쓰기 전까지 메모리를 나눠 씁니다).
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # 연결을 맡은 자식들은 알아서 거둬집니다
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        if os.fork() == 0:
            code = 0
            try:
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _serve_one(conn, run_dir)
            except BaseException as error:  # noqa: BLE001 — 자식은 서버의 반복으로 돌아가지 않습니다
                os.write(2, f"kernel_server: {error}\n".encode())
                code = 1
            os._exit(code)
        conn.close()


def connect(socket_path: str, request: dict) -> int:
    """jupyter_client가 커널로 띄우는 클라이언트: 서버에 커널을 청하고, 그 커널의 종료 코드를 돌려줍니다."""
    # 중단(SIGINT)은 프로세스 그룹 전체에 옵니다: 커널이 끝나기를 기다리는 이 프로세스는 받지 않습니다.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(socket_path)
    socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = conn.recv(64)
        if not chunk:
            return 1
        answer += chunk
    return int(answer)


def probe(run_dir: str) -> int:
    """이 기계에서 fork 방식이 동작하는지: 가두고, 잠그고, 자기 결과 디렉터리에만 쓸 수 있는지 봅니다.
    bwrap 안에서 빌드가 부릅니다(sandbox.mode). 0이면 동작합니다."""
    kernels = os.path.join(run_dir, "kernels")  # 서버의 실행 디렉터리처럼 빈 tmpfs로 덮입니다
    dirs = {
        "output_dir": os.path.join(run_dir, "output"),
        "home": os.path.join(kernels, "home"),
        "sockets": os.path.join(kernels, "sockets"),
    }
    for path in dirs.values():
        os.makedirs(path)
    child = os.fork()
    if child == 0:
        code = 1
        try:
            _enclose(dirs, kernels)
            kernel = os.fork()
            if kernel == 0:
                try:
                    _lock_down()
                    for path in dirs.values():
                        Path(path, "written").write_text("")
                    code = int(os.access(run_dir, os.W_OK) or os.access("/", os.W_OK))
                finally:
                    os._exit(code)
            code = os.waitstatus_to_exitcode(os.waitpid(kernel, 0)[1])
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])


def main(arguments: list[str]) -> int:
    command, *rest = arguments
    if command == "probe":
        return probe(*rest)
    if command == "serve":
        socket_path, run_dir, *preloads = rest
        serve(socket_path, run_dir, preloads)
        return 0
    if command == "connect":  # connect <소켓> <결과 디렉터리> <HOME> <소켓 디렉터리> <커널 명령...>
        socket_path, output_dir, home, sockets, *argv = rest
        request = {
            "argv": argv,
            "env": dict(os.environ),
            "cwd": os.getcwd(),
            "output_dir": output_dir,
            "home": home,
            "sockets": sockets,
        }
        return connect(socket_path, request)
    sys.exit(f"kernel_server: 알 수 없는 명령입니다: {command}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
