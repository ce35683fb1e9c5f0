"""동반 노트북을 빌드 때 실행하고, 그 결과를 절대 낡지 않는 캐시에 둡니다.

노트북 하나(notebooks/<이름>.py, jupytext percent 형식)를 실행하면 build/outputs/<이름>/에
실행된 노트북(<이름>.ipynb)과 노트북이 저장한 그림·표·숫자가 남습니다. 그 디렉터리의 `.key`는
결과가 무엇으로부터 나왔는지를 적은 해시입니다:

- 노트북 소스의 바이트,
- 노트북이 (직접이든 다른 모듈을 거쳐서든) 불러오는 저장소의 모듈(snippets/, notebook_outputs/) 전부의 바이트,
- 그 모듈들이 BUILD_INPUTS로 밝힌 데이터 파일(예: 말뭉치로 읽는 글)의 바이트,
- 고정된 의존성 파일(constraints.txt)의 바이트,
- 노트북이 read_output()으로 읽는 다른 노트북의 키,
- 지난 실행이 실제로 열거나 불러온 저장소의 파일 전부의 바이트(의존성 파일 `.deps`, 컴파일러의 `-MD`처럼).

앞의 넷은 실행 전에 소스를 읽어 찾습니다(첫 실행도 키가 있습니다). 마지막은 커널에 건 감사 훅이 실행하며
적습니다(blogbuild/kernel_launcher.py): `importlib.import_module("snippets.x")`나 노트북이 직접 open()한
데이터 파일처럼 소스만 봐서는 모르는 의존성도, 한 번 실행된 뒤에는 고치면 다시 실행됩니다. 실행이 끝나면
그 파일들까지 넣어 키를 다시 세어 `.key`에 적습니다.

노트북은 갇혀서 실행됩니다(blogbuild/sandbox.py): 자기 결과 디렉터리에만 쓰고, 깨끗한 환경에서 시작하며,
메모리와 시간에 한도가 있고, 끝나면 아무 프로세스도 남기지 않습니다.

키가 같으면 다시 실행하지 않고, 다르면 다시 실행합니다. 다른 키로 만든 결과는 절대 쓰지 않습니다.
실행이 실패하거나 시간을 넘기면 임시 디렉터리를 지우므로 부분 결과가 캐시에 남지 않습니다.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from blogbuild import containment, frontmatter, memo, sandbox
from blogbuild.kernel_server import PRELOADS

if (
    TYPE_CHECKING
):  # 실행하는 도구(jupytext, nbclient, nbformat)는 실행할 때만 불러옵니다(run_notebook)
    import nbformat

KEY_FILE = ".key"
DEPS_FILE = ".deps"
DEFAULT_MEMORY_MB = 8192
LOCK_FILE = "constraints.txt"
ANSI_COLOR = re.compile(r"\x1b\[[0-9;]*m")
# 실행마다 같은 숫자가 나오도록: 스레드 수를 고정하고 해시 무작위화를 끕니다.
KERNEL_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    # 노트북은 저장소에 쓰지 않습니다: snippets/__pycache__에 .pyc도 남기지 않습니다.
    "PYTHONDONTWRITEBYTECODE": "1",
    # transformers가 부르는 tqdm이 ipywidgets가 없다며 내는 경고는 빌드하는 기계의 경로를 출력에 남깁니다.
    "PYTHONWARNINGS": "ignore:IProgress not found",
}


def startup_env(root: Path) -> dict[str, str]:
    """커널이 시작하는 환경 가운데 노트북마다 같은 것(fork 방식에서는 커널 서버가 이 환경으로 시작합니다)."""
    return {
        **KERNEL_ENV,
        # 빌드하는 저장소의 snippets/를 불러오게 합니다(키를 계산한 바로 그 파일들).
        "PYTHONPATH": str(root),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }


def preloads(notebooks: list[Notebook], root: Path) -> list[str]:
    """notebooks가 (직접이든 저장소의 코드를 거쳐서든) 불러오는 것 가운데 커널 서버가 미리 불러 둘 모듈들."""
    tops = {
        module.split(".")[0]
        for notebook in notebooks
        for modules in _imports_by_file(notebook.source, root).values()
        for module in modules
    }
    return [module for top in sorted(tops & PRELOADS.keys()) for module in PRELOADS[top]]


class ExecutionError(RuntimeError):
    """노트북 실행이 실패했을 때: 노트북, 셀, 원인을 담은 메시지."""


@dataclass(frozen=True)
class Notebook:
    """동반 노트북 하나와 그 결과가 놓일 곳."""

    name: str
    source: Path

    def output_dir(self, outputs_root: Path) -> Path:
        return outputs_root / self.name

    def executed(self, outputs_root: Path) -> Path:
        return self.output_dir(outputs_root) / f"{self.name}.ipynb"


def find_notebooks(root: Path) -> list[Notebook]:
    return [Notebook(p.stem, p) for p in sorted((root / "notebooks").glob("*.py"))]


def notebook_source(root: Path, name: str) -> Path:
    """이름이 name인 노트북의 원본(notebooks/<name>.py). 그 파일이 없으면 build/outputs/<name>/은 지난 빌드의
    결과일 뿐이라, 그것을 가리키는 글(그림, 표, 숫자)은 깨끗한 빌드에서 깨집니다."""
    return root / "notebooks" / f"{name}.py"


@functools.lru_cache(maxsize=512)
def _parse(source: str, where: str) -> ast.Module:
    """파이썬 소스의 구문 트리. 키 하나를 셀 때 같은 모듈을 여러 노트북이 불러오므로 내용으로 기억합니다.

    문법이 틀린 파일은 실행하기 전, 캐시 키를 셀 때 여기서 처음 읽힙니다: 파일과 줄을 짚어 멈춥니다.
    """
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError) as error:  # ValueError: 소스의 NUL 바이트
        line = getattr(error, "lineno", None) or 1
        raise ExecutionError(
            f"{where}:{line}: 파이썬으로 읽을 수 없습니다 ({getattr(error, 'msg', error)}). "
            "그 줄의 문법을 고치세요"
        ) from None


@functools.lru_cache(maxsize=512)
def _imported_modules(source: str, package: str | None, where: str) -> frozenset[str]:
    """소스가 불러오는 모듈 이름들. 상대 import는 package 기준으로 풉니다(빌드 사이에 기억합니다)."""
    return frozenset(
        memo.remembered(
            ("imports", source, package or ""),
            lambda: sorted(_find_imports(source, package, where)),
            shape=[str],
        )
    )


def _find_imports(source: str, package: str | None, where: str) -> set[str]:
    found = set()
    for node in ast.walk(_parse(source, where)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level and package:
                base = f"{package}.{base}" if base else package
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def code_dependencies(source: Path, root: Path) -> list[Path]:
    """source가 직접 또는 간접으로 불러오는 저장소의 모듈 파일들(containment.CODE_PACKAGES, 정렬된 목록)."""
    return sorted(path for path in _imports_by_file(source, root) if path != source)


def _imports_by_file(source: Path, root: Path) -> dict[Path, frozenset[str]]:
    """source와, 그것이 직접 또는 간접으로 불러오는 저장소의 모듈 파일마다 그 파일이 불러오는 모듈 이름들."""
    found: dict[Path, frozenset[str]] = {}
    pending = [(source, None)]
    while pending:
        path, package = pending.pop()
        text = path.read_text(encoding="utf-8")
        found[path] = _imported_modules(text, package, str(path.relative_to(root)))
        for module in found[path]:
            parts = module.split(".")
            if parts[0] not in containment.CODE_PACKAGES:
                continue
            candidate = root.joinpath(*parts).with_suffix(".py")
            for dependency in (candidate, root / parts[0] / "__init__.py"):
                if dependency.is_file() and dependency not in found:
                    found[dependency] = frozenset()  # 차례를 기다리는 동안에도 다시 넣지 않게
                    pending.append((dependency, parts[0]))
    return found


def declared_inputs(module: Path, root: Path) -> list[Path]:
    """모듈이 읽는 데이터 파일들: 모듈 맨 위의 `BUILD_INPUTS = ("docs/blog/posts/*.md", ...)`.

    코드만 해시해서는 모르는 의존성(예: 블로그 글을 학습 말뭉치로 읽는 모듈)을 모듈이 스스로
    밝히는 곳입니다. 글 하나를 고치면 그 말뭉치로 학습하는 노트북이 다시 실행됩니다.
    """
    where = module.relative_to(root)
    text = module.read_text(encoding="utf-8")
    if "BUILD_INPUTS" not in text:  # 이름이 없으면 그 대입도 없습니다: 구문 트리를 만들지 않습니다
        return []
    for node in _parse(text, str(where)).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "BUILD_INPUTS" for t in node.targets
        ):
            try:
                patterns = ast.literal_eval(node.value)
            except ValueError:
                patterns = None
            if not (
                isinstance(patterns, tuple | list) and all(isinstance(p, str) for p in patterns)
            ):
                raise ExecutionError(
                    f"{where}:{node.lineno}: BUILD_INPUTS는 글자 그대로 쓴 경로 패턴의 튜플이어야 합니다 "
                    '(예: BUILD_INPUTS = ("docs/blog/posts/*.md",))'
                )
            found = set()
            for pattern in patterns:
                unsafe = containment.relative_path_problem(pattern)
                if unsafe:
                    raise ExecutionError(f"{where}:{node.lineno}: BUILD_INPUTS: {unsafe}")
                for path in root.glob(pattern):
                    if not containment.is_inside(path, root):
                        raise ExecutionError(
                            f"{where}:{node.lineno}: BUILD_INPUTS의 {path.relative_to(root)}은 "
                            "저장소 밖을 가리키는 링크입니다"
                        )
                    found.add(path)
            return sorted(found)
    return []


def upstream_notebooks(source: Path) -> list[str]:
    """source가 read_output("이름", ...)으로 결과를 읽는 다른 노트북들.

    캐시 키에 읽는 노트북의 키가 들어가야 하므로, 노트북 이름은 글자 그대로(리터럴) 써야 합니다.
    변수로 주면 어느 노트북을 읽는지 실행 전에 알 수 없어 낡은 결과를 쓰게 되므로 거절합니다.
    빌드는 실행할 때 여기서 찾은 이름만 읽도록 허락합니다(notebook_outputs.read_output).
    """
    return list(_upstreams(source.read_text(encoding="utf-8"), f"notebooks/{source.name}"))


@functools.lru_cache(maxsize=256)
def _upstreams(text: str, where: str) -> tuple[str, ...]:
    if "read_output" not in text:  # 부르는 곳이 없으면 구문 트리를 만들지 않습니다
        return ()
    names = set()
    for node in ast.walk(_parse(text, where)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called != "read_output":
            continue
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            raise ExecutionError(
                f"{where}:{node.lineno}: read_output의 첫 인자(읽을 노트북 이름)는 글자 그대로 써야 "
                '합니다 (예: read_output("causal-language-modeling", "loss-log.json")). 변수로 주면 '
                "빌드가 어느 노트북의 결과에 기대는지 몰라 낡은 결과를 보여 줄 수 있습니다"
            )
        if not frontmatter.SLUG.match(first.value):
            raise ExecutionError(
                f"{where}:{node.lineno}: read_output('{first.value}', ...): 노트북 이름은 "
                "notebooks/<이름>.py의 <이름>(ASCII 소문자·숫자·하이픈)입니다"
            )
        names.add(first.value)
    return tuple(sorted(names))


# 그림을 그리는 도구: Graphviz(notebook_outputs/diagrams.py)의 판과, matplotlib과 Graphviz가 글자 폭을 재는 글꼴 파일들.
# matplotlib의 판은 constraints.txt(LOCK_FILE)가 정하지만, 이 둘은 빌드 머신에 설치된 것이라 키에 따로 넣습니다.
TOOL_COMMANDS = (["dot", "-V"], ["fc-list", "--format", "%{file}|%{fontversion}|%{style}\n"])


@functools.cache
def tool_versions() -> bytes:
    """그림을 그리는 도구들의 판과 글꼴 파일의 정체(경로·판). 없는 도구는 없다고 적습니다."""
    found = []
    for command in TOOL_COMMANDS:
        try:
            done = subprocess.run(command, capture_output=True, check=False, timeout=30)
            found.append(b"".join(sorted((done.stdout + done.stderr).splitlines(keepends=True))))
        except OSError:
            found.append(f"{command[0]} 없음".encode())
    return b"\0".join(found)


# 노트북을 실행하는 코드: 이 모듈과 커널 앞에서 도는 kernel_launcher(그리고 memo.code_files가 따라가는, 둘이
# 쓰는 blogbuild의 모듈들: 가두는 sandbox 등). 실행하는 방법이 바뀌면 결과도 바뀔 수 있습니다.
EXECUTOR = (__name__, "blogbuild.kernel_launcher")


def executor_version() -> bytes:
    """노트북을 실행하는 코드(EXECUTOR)의 바이트의 해시: 실행하는 코드를 고치면 노트북을 다시 실행합니다."""
    return memo.code_version(*EXECUTOR)


def recorded_inputs(output_dir: Path) -> list[str]:
    """지난 실행이 연 저장소의 파일들(output_dir의 의존성 파일, 저장소 상대 경로). 없으면 빈 목록."""
    deps = output_dir / DEPS_FILE
    if not deps.is_file():
        return []
    return sorted(set(deps.read_text(encoding="utf-8", errors="replace").splitlines()) - {""})


def cache_key(
    notebook: Notebook, root: Path, upstream_keys: dict[str, str], recorded: list[str] = ()
) -> str:
    """결과가 의존하는 모든 것의 해시. 하나라도 바뀌면 키가 바뀝니다.

    recorded는 지난 실행이 연 파일들입니다(recorded_inputs). 노트북이 의존성 파일에 무엇이든 적을 수 있으므로
    저장소 안의 보통 파일만 읽고, 그 밖의 줄은 내용 없이 이름만 키에 넣습니다."""
    # 실행이 연 파일을 적기 전에 만든 결과(.deps가 없는)는 쓰지 않습니다: 한 번 다시 실행해 적게 합니다.
    digest = hashlib.sha256(b"recorded inputs 1\0" + tool_versions() + executor_version())
    modules = code_dependencies(notebook.source, root)
    data = sorted({path for module in modules for path in declared_inputs(module, root)})
    inputs = [notebook.source, root / LOCK_FILE, *modules, *data]
    for path in inputs:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    static = {str(path.relative_to(root)) for path in inputs}
    for name in sorted(set(recorded) - static):
        path = root / name
        readable = containment.relative_path_problem(name) is None and path.is_file()
        if readable and containment.is_inside(path, root):
            digest.update(f"read {name}\0".encode() + path.read_bytes() + b"\0")
        else:
            digest.update(f"absent {name}\0".encode())
    for name in upstream_notebooks(notebook.source):
        digest.update(f"upstream {name} {upstream_keys[name]}".encode())
    return digest.hexdigest()


def in_dependency_order(notebooks: list[Notebook]) -> list[Notebook]:
    """read_output으로 읽히는 노트북이 읽는 노트북보다 먼저 오도록 정렬합니다."""
    by_name = {nb.name: nb for nb in notebooks}
    ordered: list[Notebook] = []
    visiting: set[str] = set()

    def visit(nb: Notebook) -> None:
        if nb in ordered:
            return
        if nb.name in visiting:
            raise ExecutionError(f"notebooks/{nb.name}.py: read_output이 순환합니다")
        visiting.add(nb.name)
        for name in upstream_notebooks(nb.source):
            if name not in by_name:
                raise ExecutionError(
                    f"notebooks/{nb.name}.py: read_output('{name}', ...)이 가리키는 notebooks/{name}.py가 없습니다"
                )
            visit(by_name[name])
        ordered.append(nb)

    for nb in notebooks:
        visit(nb)
    return ordered


def _cell_lines(source: Path) -> list[int]:
    """jupytext percent 형식에서 각 셀(# %%)이 시작하는 줄 번호."""
    lines = source.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if line.startswith("# %%")]


def _failed_cell(nb: nbformat.NotebookNode) -> int | None:
    for index, cell in enumerate(nb.cells):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return index
    return None


def _running_cell(nb: nbformat.NotebookNode) -> int | None:
    """커널이 죽었을 때 실행하던 셀: 답(nbclient가 적는 shell.execute_reply 시각)을 받지 못한 첫 코드 셀.

    실행 번호로는 알 수 없습니다: 셀을 시작했다는 알림은 커널이 곧바로 죽으면 오지 않기도 합니다."""
    for index, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "shell.execute_reply" not in timing:
            return index
    return None


def _cell_name(index: int | None, source: Path, where: Path) -> str:
    starts = _cell_lines(source)
    if index is not None and index < len(starts):
        return f"셀 {index + 1}번({where}:{starts[index]})"
    return "셀"


def run_notebook(
    notebook: Notebook,
    work_dir: Path,
    outputs_root: Path,
    timeout: float,
    root: Path,
    memory_mb: int = DEFAULT_MEMORY_MB,
    server: sandbox.KernelServer | None = None,
) -> None:
    """노트북을 갇힌 새 커널에서 처음부터 실행해 work_dir에 실행된 노트북과 산출물, 의존성 파일을 남깁니다."""
    # 노트북 하나만 실행할 때(prepare_outputs를 거치지 않을 때)는 그 노트북을 위한 서버를 띄웁니다.
    if server is None and sandbox.mode() == "fork":
        env = startup_env(root)
        with sandbox.kernel_server(root, work_dir, env, preloads([notebook], root)) as own:
            return run_notebook(notebook, work_dir, outputs_root, timeout, root, memory_mb, own)
    # 실행하는 도구는 여기서 불러옵니다: 캐시가 맞는 빌드(온 빌드, make serve)는 불러오는 시간도 쓰지 않습니다.
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from traitlets.config import Config

    nb = jupytext.read(notebook.source)
    # jupytext는 읽을 때마다 셀 id를 무작위로 매깁니다: 같은 노트북의 두 실행이 같은 .ipynb를 내도록 차례로.
    for number, cell in enumerate(nb.cells, start=1):
        cell.id = f"cell-{number}"
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    # 제한 시간은 노트북 전체에 걸립니다: 셀마다 "남은 시간"만큼만 기다립니다.
    deadline = time.monotonic() + timeout
    run = os.urandom(8).hex()
    where = notebook.source.relative_to(root)
    # fork 방식에서 커널의 HOME과 소켓은 커널 서버가 나눠 주는 실행 디렉터리 안에 둡니다.
    scratch = server.run_dir if server else None
    with (
        tempfile.TemporaryDirectory(dir=scratch) as sockets,
        tempfile.TemporaryDirectory(dir=scratch) as home,
    ):
        sandbox.private_home(Path(home))
        env = sandbox.kernel_env(
            Path(home),
            {
                **startup_env(root),
                **({sandbox.SERVER_ENV: server.socket} if server else {}),
                "BLOG_OUTPUT_DIR": str(work_dir),
                "BLOG_OUTPUTS_ROOT": str(outputs_root),
                # read_output은 실행 전에 찾은 노트북들의 결과만 읽습니다(캐시 키에 그 키들이 들어 있음).
                "BLOG_UPSTREAMS": ",".join(upstream_notebooks(notebook.source)),
                # kernel_launcher가 거는 한도와, 연 파일을 적을 곳, 남은 프로세스를 찾는 표식.
                "BLOG_MEMORY_BYTES": str(memory_mb * 1024 * 1024),
                "BLOG_CPU_SECONDS": str(int(timeout) + 60),
                "BLOG_REPO_ROOT": str(root.resolve()),
                "BLOG_DEPS_FILE": str(work_dir / DEPS_FILE),
                "BLOG_RUN": run,
            },
        )
        # 커널과는 TCP 대신 로컬 소켓(IPC)으로 이야기합니다: 포트를 열지 않습니다.
        # NotebookClient가 커널 관리자를 직접 만들어야 실행 뒤 커널을 끝냅니다(설정으로만 넘깁니다).
        # 연결 파일도 그 디렉터리에 둡니다(빌드하는 사용자의 HOME은 커널에게 가려져 있습니다).
        ipc = Config(
            {
                "KernelManager": {
                    "transport": "ipc",
                    "ip": str(Path(sockets) / "k"),
                    "connection_file": str(Path(sockets) / "kernel.json"),
                }
            }
        )
        client = NotebookClient(
            nb,
            config=ipc,
            kernel_manager_class=sandbox.contained_kernel_manager(),
            kernel_name="python3",
            timeout_func=lambda _cell: max(0.1, deadline - time.monotonic()),
            allow_errors=False,
            resources={"metadata": {"path": str(work_dir)}},
        )
        try:
            client.execute(env=env)
        except TimeoutError as error:  # nbclient의 CellTimeoutError도 TimeoutError입니다
            raise ExecutionError(
                f"{where}: 실행이 제한 시간 {timeout:g}초를 넘었습니다 "
                "(mkdocs.yml의 extra.execution.timeout으로 조정할 수 있습니다)"
            ) from error
        except CellExecutionError as error:
            cell = _cell_name(_failed_cell(client.nb), notebook.source, where)
            traceback = ANSI_COLOR.sub("", str(error))
            raise ExecutionError(f"{where}: {cell}에서 오류가 났습니다:\n{traceback}") from error
        except DeadKernelError:
            cell = _cell_name(_running_cell(client.nb), notebook.source, where)
            raise ExecutionError(
                f"{where}: {cell}을 실행하던 커널이 죽었습니다(os._exit, 신호, 또는 메모리 한도 "
                f"{memory_mb:,} MB(mkdocs.yml의 extra.execution.memory_mb)나 CPU 시간 한도를 넘었을 때). "
                "그 셀을 고치세요"
            ) from None
        except RuntimeError as error:  # nbclient: 커널이 첫 답을 하기 전에 죽었을 때
            raise ExecutionError(
                f"{where}: 노트북 커널이 시작하지 못했습니다({error}). 가두는 방식은 "
                f"{sandbox.mode()}입니다(blogbuild/sandbox.py): BLOG_SANDBOX=process로 다시 빌드해 "
                "보고, 그래도 같으면 ipykernel 설치를 확인하세요"
            ) from None
        finally:
            # 커널이 첫 답을 하기 전에 죽으면 nbclient는 프로세스가 끝날 때 부를 정리를 남겨 둡니다. 그 정리는
            # 빌드가 끝날 때 AssertionError 트레이스백만 찍으므로 지웁니다(정리는 nbclient가 이미 했습니다).
            atexit.unregister(client._cleanup_kernel)
            leftovers = sandbox.leftover_processes(run)
    if leftovers:
        raise ExecutionError(
            f"{where}: 노트북이 시작한 프로세스가 커널이 끝난 뒤에도 남아 있어 끝냈습니다: "
            f"{'; '.join(leftovers)}. 노트북에서 띄운 프로세스는 노트북 안에서 기다려 끝내세요"
        )
    problem = _build_path_problem(client.nb, [root, outputs_root, work_dir], notebook.source, where)
    if problem:
        raise ExecutionError(problem)
    # 셀마다 적힌 실행 시각(죽은 커널의 셀을 찾는 데 씁니다)은 싣지 않습니다: 두 실행이 같은 .ipynb를 내도록.
    for cell in client.nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        if "outputs" in cell:
            cell.outputs = merged_streams(cell.outputs)
    nbformat.write(client.nb, work_dir / f"{notebook.name}.ipynb")


def merged_streams(outputs: list) -> list:
    """잇달아 나온 같은 스트림(stdout, stderr)의 출력을 하나로: 커널이 print 여러 번을 메시지 몇 개로 나눠
    보내는지는 실행마다 다르므로(출력을 내보내는 시각에 따라), 나뉜 그대로 두면 두 실행의 .ipynb가 다릅니다."""
    merged: list = []
    for output in outputs:
        last = merged[-1] if merged else None
        same = last is not None and last.get("output_type") == "stream"
        if (
            same
            and output.get("output_type") == "stream"
            and last.get("name") == output.get("name")
        ):
            merged[-1] = type(last)({**last, "text": last["text"] + output["text"]})
            continue
        merged.append(output)
    return merged


def _build_path_problem(
    nb: nbformat.NotebookNode, paths: list[Path], source: Path, where: Path
) -> str | None:
    """셀 출력에 빌드하는 기계의 경로(저장소, 임시 디렉터리)가 있으면 그 셀을 짚은 메시지."""
    needles = sorted({str(p.resolve()) for p in paths} | {str(p) for p in paths}, key=len)[::-1]
    starts = _cell_lines(source)
    for index, cell in enumerate(nb.cells):
        text = json.dumps(cell.get("outputs", []), ensure_ascii=False)
        found = next((n for n in needles if n in text), None)
        if found:
            line = starts[index] if index < len(starts) else "?"
            return (
                f"{where}: 셀 {index + 1}번({where}:{line})의 출력에 빌드하는 기계의 경로({found})가 "
                "있습니다. 독자에게 보일 출력이므로 경로를 출력하지 마세요(셀의 마지막 줄이 경로를 "
                "돌려주는 식이면 출력됩니다)"
            )
    return None


@dataclass(frozen=True)
class SizeLimits:
    """노트북 하나가 사이트에 실을 수 있는 크기(KB). mkdocs.yml의 extra.execution에서 바꿀 수 있습니다."""

    cell_output_kb: int = 1024  # 셀 하나의 출력(긴 print, 표, 인라인 그림)
    published_kb: int = 5120  # 실행된 .ipynb와 저장한 그림·표·숫자를 합친 크기


def size_problems(root: Path, outputs_root: Path, limits: SizeLimits) -> list[str]:
    """결과가 한도를 넘는 노트북마다, 셀이나 파일을 짚은 메시지. 캐시된 결과도 빌드마다 봅니다."""
    problems = []
    for notebook in find_notebooks(root):
        target, where = notebook.output_dir(outputs_root), notebook.source.relative_to(root)
        starts = _cell_lines(notebook.source)
        cells = json.loads(notebook.executed(outputs_root).read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            size = len(json.dumps(cell.get("outputs", []), ensure_ascii=False).encode())
            if size > limits.cell_output_kb * 1024:
                line = starts[index] if index < len(starts) else "?"
                problems.append(
                    f"{where}: 셀 {index + 1}번({where}:{line})의 출력이 {size / 1024:,.0f} KB로 "
                    f"한도 {limits.cell_output_kb:,} KB(mkdocs.yml의 extra.execution.max_cell_output_kb)를 "
                    "넘습니다. 긴 출력은 줄여 요약하고, 그림은 save_figure로 파일에 저장하세요"
                )
        files = [p for p in target.iterdir() if p.is_file() and not p.name.startswith(".")]
        total = sum(p.stat().st_size for p in files)
        if total > limits.published_kb * 1024:
            largest = max(files, key=lambda p: p.stat().st_size)
            problems.append(
                f"{where}: 사이트에 싣는 결과가 {total / 1024:,.0f} KB로 한도 {limits.published_kb:,} KB"
                "(mkdocs.yml의 extra.execution.max_published_kb)를 넘습니다. 가장 큰 파일: "
                f"{largest.name} ({largest.stat().st_size / 1024:,.0f} KB)"
            )
    return problems


@dataclass
class Prepared:
    """prepare_outputs의 결과: 노트북마다의 키, 이번에 실행한 노트북과 걸린 시간(초, 실행한 차례대로)."""

    keys: dict[str, str]
    executed: list[str]
    seconds: dict[str, float] = field(default_factory=dict)

    def log_line(self, jobs: int | None, elapsed: float) -> str:
        """빌드 로그의 한 줄: 실행한 노트북과 각각 걸린 시간, 동시에 돌린 수(job_count), 전체 시간."""
        if not self.executed:
            return f"노트북 실행: 없음(캐시) ({elapsed:.1f}초)"
        runs = ", ".join(f"{name} {self.seconds[name]:.1f}초" for name in self.executed)
        return (
            f"노트북 실행: {runs} (동시에 {job_count(jobs)}개까지, 전체 {elapsed:.1f}초, "
            f"가두기: {sandbox.mode()})"
        )


def job_count(jobs: int | None = None) -> int:
    """동시에 실행할 노트북 수: 주어진 수, 없으면 이 프로세스가 쓸 수 있는 CPU 코어 수(커널은 각각 스레드
    하나만 씁니다). bwrap 없이 가두는 방식(sandbox.py의 process)에서는 누가 무엇을 썼는지 가리려고 하나."""
    if sandbox.mode() == "process":
        return 1
    return jobs or max(1, len(os.sched_getaffinity(0)))


@contextlib.contextmanager
def _exclusive(outputs_root: Path):
    """결과 디렉터리를 쓰는 빌드는 한 번에 하나: 같은 저장소에서 mkdocs serve와 테스트가 함께 빌드해도
    같은 노트북을 두 번 실행하거나 서로의 결과를 덮어쓰지 않습니다(기다린 쪽은 캐시를 씁니다)."""
    outputs_root.mkdir(parents=True, exist_ok=True)
    # 자물쇠 파일은 결과 디렉터리 옆에 둡니다(안에 두면 결과처럼 보입니다): build/outputs.lock
    with open(outputs_root.with_name(outputs_root.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _is_current(notebook: Notebook, outputs_root: Path, key: str) -> bool:
    key_file = notebook.output_dir(outputs_root) / KEY_FILE
    return key_file.exists() and key_file.read_text().strip() == key


def _execute_into_cache(
    notebook: Notebook,
    upstream_keys: dict[str, str],
    root: Path,
    outputs_root: Path,
    limits: tuple[float, int],
    server: sandbox.KernelServer | None,
) -> tuple[float, str]:
    """노트북 하나를 새 디렉터리에 실행하고, 성공하면 그 결과로 캐시를 바꿉니다.

    키는 실행한 뒤에 셉니다: 이번 실행이 연 파일들(의존성 파일)까지 넣어서. 걸린 시간(초)과 그 키."""
    started = time.perf_counter()
    target = notebook.output_dir(outputs_root)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{notebook.name}-", dir=outputs_root))
    watched = sandbox.mode() == "process"
    before = sandbox.snapshot(root) if watched else {}
    try:
        try:
            timeout, memory_mb = limits
            run_notebook(notebook, work_dir, outputs_root, timeout, root, memory_mb, server)
        finally:
            # 실패한 노트북도 봅니다: 밖에 쓴 것이 실패보다 먼저 알아야 할 일입니다.
            written = _written_outside(notebook, work_dir, before, root) if watched else ""
            if written:
                raise ExecutionError(written)
        key = cache_key(notebook, root, upstream_keys, recorded_inputs(work_dir))
        (work_dir / KEY_FILE).write_text(key + "\n")
        shutil.rmtree(target, ignore_errors=True)
        work_dir.rename(target)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return time.perf_counter() - started, key


def prepare_outputs(
    root: Path,
    outputs_root: Path,
    timeout: float,
    execute: bool = True,
    jobs: int | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Prepared:
    """모든 노트북의 결과를 준비합니다. 키가 그대로인 노트북은 실행하지 않습니다.

    다시 실행할 노트북들은 서로의 결과를 읽지 않는 한 동시에(jobs개까지) 실행하고, read_output으로 읽는
    노트북은 읽히는 노트북이 끝난 뒤에 시작합니다. 커널은 스레드 하나에 시드가 고정되어 있어 동시에
    실행해도 결과는 바이트까지 같습니다. 하나가 실패하면 새로 시작하지 않고, 돌던 것이 끝나기를 기다린 뒤
    읽는 차례가 가장 앞선 실패를 알립니다(성공한 결과는 캐시에 남습니다).

    execute=False이면 아무것도 실행하지 않고 이미 있는 결과를 그대로 씁니다(빠른 미리보기용).

    bwrap을 쓸 수 없는 기계(sandbox.mode() == "process")에서는 노트북마다 실행 전후로 저장소를 비교해, 그
    노트북의 결과 디렉터리 밖에 쓴 것이 있으면 그 파일을 짚어 멈춥니다. 누가 썼는지 가리려고 그때는 한 번에
    하나씩 실행합니다(jobs=1).
    """
    ordered = in_dependency_order(find_notebooks(root))
    if not execute:
        keys = {}
        for notebook in ordered:
            if not notebook.executed(outputs_root).exists():
                raise ExecutionError(
                    f"{notebook.source.relative_to(root)}: 실행 결과가 없습니다. "
                    "실행을 끈 빌드(BLOG_EXECUTE=0)는 한 번 실행한 뒤에만 쓸 수 있습니다"
                )
            keys[notebook.name] = (notebook.output_dir(outputs_root) / KEY_FILE).read_text().strip()
        return Prepared(keys, [])
    # 키는 실행하지 않고도 셀 수 있습니다: 읽는 노트북의 키만 있으면 됩니다(결과는 필요 없음).
    keys: dict[str, str] = {}
    for notebook in ordered:
        recorded = recorded_inputs(notebook.output_dir(outputs_root))
        keys[notebook.name] = cache_key(notebook, root, keys, recorded)
    if all(_is_current(nb, outputs_root, keys[nb.name]) for nb in ordered):
        return Prepared(keys, [])
    with _exclusive(outputs_root):
        # 자물쇠를 기다리는 동안 다른 빌드가 같은 노트북을 실행했을 수 있습니다.
        stale = [nb for nb in ordered if not _is_current(nb, outputs_root, keys[nb.name])]
        seconds = _run_in_parallel(
            stale, keys, root, outputs_root, (timeout, memory_mb), job_count(jobs)
        )
    return Prepared(keys, list(seconds), seconds)


def _written_outside(notebook: Notebook, work_dir: Path, before: dict[str, str], root: Path) -> str:
    """process 방식: 노트북이 실행되는 동안 그 임시 결과 디렉터리 밖에서 바뀐 저장소의 파일을 짚은 메시지."""
    allowed = os.path.relpath(work_dir.resolve(), root.resolve()) + "/"
    written = sandbox.changed_outside(before, sandbox.snapshot(root), [allowed])
    if not written:
        return ""
    # 손댄 다른 노트북의 결과는 지웁니다: 키는 그대로라 다음 빌드가 그 결과를 그대로 쓸 것입니다.
    outputs = work_dir.parent
    for path in written:
        touched = root / path
        if touched.is_relative_to(outputs) and touched != outputs:
            shutil.rmtree(outputs / touched.relative_to(outputs).parts[0], ignore_errors=True)
    return (
        f"{notebook.source.relative_to(root)}: 노트북은 자기 결과 디렉터리에만 쓸 수 있는데, 실행하는 "
        f"동안 저장소의 다른 파일이 바뀌었습니다: {', '.join(written[:10])}. 노트북이 저장소나 다른 "
        "노트북의 결과에 쓰지 않게 고치고, 바뀐 파일은 git으로 되돌리세요(손댄 노트북의 결과는 지웠으므로 "
        "다음 빌드가 다시 실행합니다)"
    )


def _run_in_parallel(
    stale: list[Notebook],
    keys: dict[str, str],
    root: Path,
    outputs_root: Path,
    limits: tuple[float, int],
    jobs: int,
) -> dict[str, float]:
    """stale(읽히는 것이 먼저 오는 차례)을 의존 관계를 지키며 jobs개까지 동시에 실행합니다.

    실행한 노트북의 키(실행 뒤에 센 것)로 keys를 바꿉니다: 그 노트북을 읽는 노트북은 바뀐 키로 키를 셉니다."""
    waiting = list(stale)
    needs = {nb.name: set(upstream_notebooks(nb.source)) for nb in stale}
    seconds: dict[str, float] = {}
    failures: dict[str, ExecutionError] = {}
    server = sandbox.kernel_server(root, outputs_root, startup_env(root), preloads(stale, root))
    with server as server, ThreadPoolExecutor(jobs, thread_name_prefix="notebook") as pool:
        running: dict[Future, Notebook] = {}
        while waiting or running:
            unfinished = {nb.name for nb in waiting} | {nb.name for nb in running.values()}
            for notebook in list(waiting):
                if failures or len(running) >= jobs:
                    break
                if not needs[notebook.name] & unfinished:
                    waiting.remove(notebook)
                    future = pool.submit(
                        _execute_into_cache,
                        notebook,
                        dict(keys),
                        root,
                        outputs_root,
                        limits,
                        server,
                    )
                    running[future] = notebook
            if failures and not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                notebook = running.pop(future)
                try:
                    seconds[notebook.name], keys[notebook.name] = future.result()
                except ExecutionError as error:
                    failures[notebook.name] = error
    if failures:
        first = next(nb.name for nb in stale if nb.name in failures)
        raise failures[first]
    return seconds
