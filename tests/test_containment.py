"""노트북 코드는 갇혀서 실행되고(blogbuild/sandbox.py), 실행이 실제로 읽은 파일이 다음 빌드의 키에 들어갑니다.

가두는 검사는 세 방식(fork, bwrap, process) 모두에서 봅니다: fork와 bwrap은 막고, process는 알아채 멈춥니다.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from blogbuild import sandbox
from blogbuild.execution import ExecutionError, prepare_outputs
from tests.conftest import copy_notebook_outputs
from tests.workspace import ROOT

HEADER = "# %% [markdown]\n# # 시험용 노트북\n\n# %%\n"
SAVE = "from notebook_outputs import save_numbers\n\n"


def _project(root: Path, notebooks: dict[str, str]) -> Path:
    (root / "snippets").mkdir(parents=True)
    (root / "snippets" / "__init__.py").write_text("", encoding="utf-8")
    copy_notebook_outputs(root)
    (root / "notebooks").mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# 시험\n", encoding="utf-8")
    (root / "constraints.txt").write_text("", encoding="utf-8")
    for name, body in notebooks.items():
        (root / "notebooks" / f"{name}.py").write_text(HEADER + body, encoding="utf-8")
    return root


def _prepare(project: Path, **options):
    return prepare_outputs(project, project / "build" / "outputs", timeout=60, **options)


def _numbers(project: Path, name: str) -> dict:
    saved = json.loads((project / "build" / "outputs" / name / "manifest.json").read_text())
    return {key: entry["value"] for key, entry in saved.items()}


@pytest.fixture(params=sandbox.MODES)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """가두는 방식 하나를 골라 씁니다. 이 기계에서 동작하지 않는 방식(예: bwrap이 막힌 CI 컨테이너)은
    건너뜁니다: 기계가 고르는 방식보다 앞의 방식은 동작하지 않는 것입니다."""
    sandbox.mode.cache_clear()
    monkeypatch.delenv("BLOG_SANDBOX", raising=False)
    if sandbox.MODES.index(request.param) < sandbox.MODES.index(sandbox.mode()):
        pytest.skip(f"이 기계에서는 {request.param} 방식이 동작하지 않습니다")
    monkeypatch.setenv("BLOG_SANDBOX", request.param)
    sandbox.mode.cache_clear()
    yield request.param
    sandbox.mode.cache_clear()


# 다른 노트북의 결과, 저장소의 글(docs/)에 쓰기. 결과 디렉터리는 build/outputs/.<이름>-XXXX입니다.
ATTACKS = {
    "other-outputs": (
        'from pathlib import Path\n\nPath("../victim/manifest.json").write_text(\'{"x": 666}\')\n',
        "build/outputs/victim/manifest.json",
    ),
    "docs": (
        'import os\n\nos.close(os.open("../../../docs/dropped.html", os.O_WRONLY | os.O_CREAT))\n',
        "docs/dropped.html",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_notebook_writes_only_its_own_outputs(tmp_path: Path, mode: str, attack: str) -> None:
    code, target = ATTACKS[attack]
    project = _project(tmp_path / "project", {"victim": SAVE + "save_numbers(x=1)\n"})
    _prepare(project)
    (project / "notebooks" / "attacker.py").write_text(HEADER + code, encoding="utf-8")
    with pytest.raises(ExecutionError) as failure:
        _prepare(project)
    message = str(failure.value)
    assert message.startswith("notebooks/attacker.py:"), message
    if mode != "process":  # 막습니다: 쓰는 셀이 실패합니다
        assert "Read-only file system" in message
        assert _numbers(project, "victim") == {"x": 1}
        assert not (project / "docs" / "dropped.html").exists()
    else:  # 알아채 멈추고, 쓴 파일을 짚습니다
        assert f"저장소의 다른 파일이 바뀌었습니다: {target}." in message
        # 독이 든 결과는 남지 않습니다: 그 노트북은 다음 빌드에서 다시 실행됩니다.
        victim = project / "build" / "outputs" / "victim" / "manifest.json"
        assert victim.exists() == (attack != "other-outputs")
    assert not (project / "build" / "outputs" / "attacker").exists(), "결과는 캐시에 남지 않습니다"


def test_a_notebook_sees_no_secret_of_the_builder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_builder_secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "builder-secret")
    # 본 것을 save_numbers가 아니라 자기 결과 디렉터리(작업 디렉터리)의 파일에 적습니다: save_numbers는 값을
    # 셀의 출력으로도 보여 주고, 빌드는 기계의 경로(HOME)가 든 출력을 독자에게 싣지 않으므로 멈춥니다.
    body = (
        "import json, os\nfrom pathlib import Path\n\n"
        "seen = {'names': sorted(os.environ), 'home': os.environ['HOME'], "
        "'values': '|'.join(os.environ.values())}\n"
        "Path('environment.json').write_text(json.dumps(seen), encoding='utf-8')\n"
    )
    project = _project(tmp_path / "project", {"env": body})
    _prepare(project)
    seen = json.loads((project / "build" / "outputs" / "env" / "environment.json").read_text())
    assert "GITHUB_TOKEN" not in seen["names"] and "AWS_SECRET_ACCESS_KEY" not in seen["names"]
    assert "ghp_builder_secret" not in seen["values"] and "builder-secret" not in seen["values"]
    assert seen["home"] != str(Path.home()) and not Path(seen["home"]).exists(), (
        "HOME은 실행 하나만의 임시 디렉터리이고, 실행이 끝나면 지워집니다"
    )


def test_under_bwrap_the_builders_home_is_hidden(
    tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if mode == "process":
        pytest.skip("process 방식은 읽기를 막지 못합니다(sandbox.py)")
    home = tmp_path / "builder-home"
    (home / ".netrc").parent.mkdir()
    (home / ".netrc").write_text("machine github.com password builder-secret\n")
    monkeypatch.setenv("HOME", str(home))
    body = SAVE + f"import os\n\nsave_numbers(seen=os.path.exists({str(home / '.netrc')!r}))\n"
    project = _project(tmp_path / "project", {"reader": body})
    _prepare(project)
    assert _numbers(project, "reader") == {"seen": False}


# SIGTERM을 무시하고 60초 뒤에 깨어나는 손자 프로세스: 새 세션으로, 또는 두 번 fork해 부모를 떠납니다.
SURVIVOR = """import os, signal, subprocess, sys, time

sleeper = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
subprocess.Popen([sys.executable, "-c", sleeper, "{marker}-session"], start_new_session=True)
if os.fork() == 0:
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", sleeper, "{marker}-daemon"])
    os._exit(0)
time.sleep(0.5)
"""


def _processes_with(marker: str) -> dict[int, str]:
    found = {}
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            command = entry.read_bytes().decode(errors="replace")
            if marker in command and "pytest" not in command:
                found[int(entry.parent.name)] = command.replace("\0", " ")
    return found


def test_no_process_a_notebook_started_outlives_it(tmp_path: Path, mode: str) -> None:
    marker = f"blog-survivor-{os.getpid()}-{mode}"
    project = _project(tmp_path / "project", {"spawner": SURVIVOR.format(marker=marker)})
    try:
        _prepare(project)
        assert _processes_with(marker) == {}
    finally:
        for pid in _processes_with(marker):  # 남았다면 테스트가 끝냅니다
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_memory_is_limited(tmp_path: Path) -> None:
    """주소 공간 한도: 4 GB를 잡으려는(닿지는 않는) 셀이 실패합니다. 한도가 없으면 이 기계에서 성공합니다."""
    body = "import mmap\n\nreserved = mmap.mmap(-1, 4 << 30)\n"
    project = _project(tmp_path / "project", {"greedy": body})
    with pytest.raises(
        ExecutionError, match=r"notebooks/greedy.py: 셀 2번\(notebooks/greedy.py:4\)"
    ):
        _prepare(project, memory_mb=2048)


@pytest.mark.parametrize(
    "death", ["import os\n\nos._exit(3)\n", "import os, signal\n\nos.kill(os.getpid(), 9)\n"]
)
def test_a_dying_kernel_is_named_in_one_line(tmp_path: Path, death: str) -> None:
    project = _project(tmp_path / "project", {"dies": "x = 1\n\n# %%\n" + death})
    with pytest.raises(ExecutionError) as failure:
        _prepare(project)
    message = str(failure.value)
    assert message.startswith(
        "notebooks/dies.py: 셀 3번(notebooks/dies.py:7)을 실행하던 커널이 죽었습니다"
    ), message
    assert "\n" not in message and "Traceback" not in message
    assert not (project / "build" / "outputs" / "dies").exists()


STARVED = """import sys
from pathlib import Path

from blogbuild.execution import ExecutionError, prepare_outputs

root = Path(sys.argv[1])
try:
    prepare_outputs(root, root / "build" / "outputs", timeout=60, memory_mb=60)
except ExecutionError as error:
    print(error)
"""


def test_a_kernel_that_cannot_start_is_named_in_one_line(tmp_path: Path, mode: str) -> None:
    """커널이 첫 답(kernel_info) 전에 죽으면(여기서는 메모리 한도가 너무 작아 스레드도 못 만들어서) 한 줄로
    멈추고, 빌드가 끝날 때 트레이스백을 찍지 않습니다(nbclient는 그때 부를 정리를 남겨 두는데, 그 정리는
    AssertionError만 냅니다). 빌드처럼 새 프로세스에서 실행해 그 프로세스가 끝날 때까지 봅니다."""
    project = _project(tmp_path / "project", {"starved": "x = 1\n"})
    result = subprocess.run(
        [sys.executable, "-c", STARVED, str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.startswith(
        "notebooks/starved.py: 노트북 커널이 시작하지 못했습니다(Kernel died before replying"
    ), result.stdout + result.stderr
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr, result.stderr


# ---------------------------------------------------------------------------------------------
# 실행이 실제로 읽은 것이 키에 들어갑니다: 소스만 봐서는 모르는 의존성(동적 import, 직접 연 데이터 파일).

DYNAMIC = SAVE + (
    "import importlib\n\n"
    'table = open("../../../data/table.txt", encoding="utf-8").read()\n'
    'module = importlib.import_module("snippets." + "dyn")\n'
    "save_numbers(rows=len(table.splitlines()), value=module.VALUE)\n"
)


def test_what_a_run_opened_or_imported_is_in_the_next_key(tmp_path: Path) -> None:
    project = _project(
        tmp_path / "project", {"dynamic": DYNAMIC, "plain": SAVE + "save_numbers(x=0)\n"}
    )
    (project / "data").mkdir()
    (project / "data" / "table.txt").write_text("a\n", encoding="utf-8")
    (project / "data" / "unread.txt").write_text("읽지 않는 파일\n", encoding="utf-8")
    (project / "snippets" / "dyn.py").write_text("VALUE = 1\n", encoding="utf-8")
    assert sorted(_prepare(project).executed) == ["dynamic", "plain"]
    deps = (project / "build" / "outputs" / "dynamic" / ".deps").read_text().split()
    assert {"data/table.txt", "snippets/dyn.py"} <= set(deps), deps
    assert _prepare(project).executed == []

    (project / "data" / "table.txt").write_text("a\nb\n", encoding="utf-8")
    assert _prepare(project).executed == ["dynamic"]
    assert _numbers(project, "dynamic") == {"rows": 2, "value": 1}

    (project / "snippets" / "dyn.py").write_text("VALUE = 2\n", encoding="utf-8")
    assert _prepare(project).executed == ["dynamic"]
    assert _numbers(project, "dynamic") == {"rows": 2, "value": 2}

    (project / "data" / "unread.txt").write_text("고쳐도 아무도 읽지 않습니다\n", encoding="utf-8")
    assert _prepare(project).executed == []


# 물려받은 마운트의 읽기 전용을 풀려는 노트북: 결과 디렉터리들을 쓸 수 있게 다시 마운트합니다. 그대로 한 번,
# 새 사용자·마운트 이름공간을 만들어(그 안에서는 권한이 생깁니다)한 번. 그 뒤 다른 노트북의 결과에 씁니다.
REMOUNT = """import ctypes, os
from pathlib import Path

libc = ctypes.CDLL(None, use_errno=True)
outputs = os.path.realpath("..").encode()


def remount_writable():  # MS_BIND | MS_REMOUNT, 잠긴 옵션(nosuid, nodev, relatime)을 지키며
    for kept in (0, 2 | 4, 2 | 4 | (1 << 21), 2 | 4 | 8 | (1 << 21)):
        if libc.mount(None, outputs, None, 4096 | 32 | kept, None) == 0:
            return


remount_writable()
libc.unshare(0x10000000 | 0x00020000)
remount_writable()
Path("../victim/manifest.json").write_text('{"x": 666}')
"""


def test_a_notebook_cannot_lift_the_read_only_mounts(tmp_path: Path, mode: str) -> None:
    if mode == "process":
        pytest.skip("process 방식은 막지 않고 알아챕니다(위의 시험)")
    project = _project(tmp_path / "project", {"victim": SAVE + "save_numbers(x=1)\n"})
    _prepare(project)
    (project / "notebooks" / "attacker.py").write_text(HEADER + REMOUNT, encoding="utf-8")
    with pytest.raises(ExecutionError, match="Read-only file system|Permission denied"):
        _prepare(project)
    assert _numbers(project, "victim") == {"x": 1}


# 커널이 보는 것: 자기 HOME 옆(실행 디렉터리), 프로세스 목록. 본 것을 자기 결과 디렉터리의 파일에 적습니다.
NEIGHBOURS = """import json, os
from pathlib import Path

processes = [p.name for p in Path("/proc").iterdir() if p.name.isdigit()]
commands = [Path("/proc", p, "cmdline").read_bytes().decode(errors="replace") for p in processes]
seen = {"beside_home": sorted(os.listdir(Path(os.environ["HOME"]).parent)), "commands": commands}
Path("seen.json").write_text(json.dumps(seen), encoding="utf-8")
"""


def test_under_fork_a_kernel_sees_neither_other_kernels_nor_the_build(
    tmp_path: Path, mode: str
) -> None:
    """fork 방식의 커널들은 한 서버에서 나오지만, 서로의 HOME·소켓(연결 키가 든 연결 파일)도, 서버의 소켓도,
    빌드의 프로세스도 보지 못합니다."""
    if mode != "fork":
        pytest.skip("fork 방식의 커널 서버에 대한 시험입니다")
    project = _project(tmp_path / "project", {f"look-{n}": NEIGHBOURS for n in range(3)})
    _prepare(project, jobs=3)
    for n in range(3):
        seen_file = project / "build" / "outputs" / f"look-{n}" / "seen.json"
        seen = json.loads(seen_file.read_text(encoding="utf-8"))
        assert len(seen["beside_home"]) == 2, seen  # 자기 HOME과 자기 소켓 디렉터리뿐
        assert "server.sock" not in seen["beside_home"]
        assert not any("pytest" in command for command in seen["commands"]), seen["commands"]
        # 보이는 프로세스는 이 커널의 이름공간의 것뿐: init, kernel_launcher, 커널(과 그 자식)
        assert len(seen["commands"]) <= 4, seen["commands"]


def test_under_fork_the_server_never_runs_the_repositorys_code(tmp_path: Path, mode: str) -> None:
    """커널 서버는 가두기 전에 라이브러리를 미리 불러옵니다: 저장소에 같은 이름의 파일(numpy.py)이 있어도
    그것을 불러오지 않습니다(서버는 모든 노트북의 결과 디렉터리에 쓸 수 있습니다)."""
    if mode != "fork":
        pytest.skip("fork 방식의 커널 서버에 대한 시험입니다")
    project = _project(tmp_path / "project", {"user": "import numpy\n\nx = numpy.zeros(2)\n"})
    marker = project / "build" / "outputs" / "shadow-ran"
    (project / "numpy.py").write_text(
        f"from pathlib import Path\n\nPath({str(marker)!r}).write_text('ran')\n", encoding="utf-8"
    )
    _prepare(project)
    assert not marker.exists()


KERNEL_APP = (
    SAVE
    + """import os

from ipykernel.kernelapp import IPKernelApp

save_numbers(
    parent_handle=IPKernelApp.class_traits()["parent_handle"].default_value,
    parent_pid=int(os.environ["JPY_PARENT_PID"]),
)
"""
)


def test_each_kernel_starts_ipykernel_with_its_own_environment(tmp_path: Path, mode: str) -> None:
    """fork 방식의 서버는 ipykernel의 대부분(디버거까지)을 미리 불러 두지만, 클래스를 정의할 때 환경 변수를
    읽는 ipykernel.kernelapp는 커널마다 그 커널의 환경으로 불러옵니다: 부모를 지켜보는 값이 이 실행의 것입니다."""
    project = _project(tmp_path / "project", {"app": KERNEL_APP})
    _prepare(project)
    numbers = _numbers(project, "app")
    assert numbers["parent-handle"] == numbers["parent-pid"] != 0, numbers


@pytest.mark.parametrize(
    ("server", "reason"),
    [
        ("import sys; sys.exit('preload failed: no module named torch')", "no module named torch"),
        ("import time; time.sleep(30)", "1초 안에 라이브러리(torch)를 불러오지 못했습니다"),
    ],
    ids=["dies", "hangs"],
)
def test_a_kernel_server_that_cannot_start_is_named_in_one_line(
    tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch, server: str, reason: str
) -> None:
    """서버가 미리 불러오다 죽거나 멈추면 빌드는 기다리지 않고, 까닭과 다른 방식을 말하는 한 줄로 멈춥니다."""
    if mode != "fork":
        pytest.skip("fork 방식의 커널 서버에 대한 시험입니다")
    monkeypatch.setattr(sandbox, "SERVER", [sys.executable, "-c", server])
    with pytest.raises(sandbox.ServerError) as failure:  # noqa: PT012
        with sandbox.kernel_server(tmp_path, tmp_path, {}, ["torch"], start_timeout=1):
            pass
    message = str(failure.value)
    assert message.startswith("커널 서버(blogbuild/kernel_server.py)가 시작하지 못했습니다: ")
    assert reason in message and "BLOG_SANDBOX=bwrap" in message and "\n" not in message
