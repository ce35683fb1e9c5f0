"""고정된 의존성(constraints.txt): README가 약속하는 가장 오래된 Python에서도 설치되는지."""

from __future__ import annotations

import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from blogbuild.project import Project
from blogbuild.stages import build as build_stage
from tests.conftest import ROOT
from tools import lock

# README와 Makefile이 약속하는 가장 오래된 Python: Debian 12(bookworm)의 python3이고, CI가 그것으로 돕니다.
OLDEST_PYTHON = "3.11.2"


def _pins() -> list[tuple[str, str]]:
    pins = []
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins.append((name, version))
    return pins


def test_every_pin_admits_the_oldest_python_we_promise() -> None:
    """고정된 판마다 Requires-Python(설치된 메타데이터)이 OLDEST_PYTHON을 받아들입니다."""
    refused = []
    for name, version in _pins():
        dist = metadata.distribution(name)
        assert SpecifierSet(f"=={version}").contains(dist.version), (
            f"{name}: 가상 환경에는 {dist.version}, constraints.txt에는 {version}입니다: make install"
        )
        requires = dist.metadata.get("Requires-Python")
        if requires and not SpecifierSet(requires).contains(OLDEST_PYTHON):
            refused.append(f"{name}=={version} (Requires-Python {requires})")
    assert not refused, f"Python {OLDEST_PYTHON}에 설치되지 않는 고정: {refused}"


def test_readme_and_makefile_name_the_oldest_python() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"Python 3.11({OLDEST_PYTHON} 이상" in readme
    assert (
        f"({OLDEST_PYTHON.replace('.', ', ')})" in makefile
    )  # 버전 검사: sys.version_info >= (3, 11, 2)


# ---- make lock (tools/lock.py) -------------------------------------------------------------

FREEZE = """\
torch==2.13.0+cpu
Babel==2.18.0
-e git+https://example.invalid/blog@0123#egg=real-code-blog
real-code-blog @ file:///work/blog
annotated-types==0.8.0
"""


def test_lock_keeps_the_header_strips_local_versions_and_leaves_this_repository_out() -> None:
    previous = "# 고정된 의존성: 머리말\n# 둘째 줄\nzzz==1\n"
    assert lock.locked(FREEZE, previous) == (
        "# 고정된 의존성: 머리말\n# 둘째 줄\nannotated-types==0.8.0\nBabel==2.18.0\ntorch==2.13.0\n"
    )


def test_lock_refuses_a_freeze_line_it_cannot_read() -> None:
    with pytest.raises(lock.LockError, match="'six>=1'"):
        lock.locked("six>=1\n", "")


def test_the_lock_pins_torch_and_the_notebooks_install_the_same_torch() -> None:
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    assert lock.torch_pin(constraints) == "2.13.0"
    assert lock.locked(constraints, constraints) == constraints  # 이미 고정 파일의 꼴
    with pytest.raises(lock.LockError, match="torch=="):
        lock.torch_pin("# 머리말\nsix==1\n")


# ---- Node.js 없이 ---------------------------------------------------------------------------


def _make_without_npm(tmp_path: Path, *targets: str) -> subprocess.CompletedProcess:
    """npm이 없는 PATH(bash와 make만)로 Makefile의 복사본에서 make를 돌립니다. .venv는 설치된 것으로 칩니다."""
    tmp_path.mkdir(exist_ok=True)
    for name in (
        "Makefile",
        "pyproject.toml",
        "constraints.txt",
        "package.json",
        "package-lock.json",
    ):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".installed").touch()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "make"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    return subprocess.run(
        ["make", "--no-print-directory", *targets],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        executable=bin_dir / "make",
    )


def test_install_build_and_serve_do_not_need_npm(tmp_path: Path) -> None:
    installed = _make_without_npm(tmp_path, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "sudo apt-get install nodejs npm" in installed.stdout
    planned = _make_without_npm(tmp_path / "again", "-n", "build", "serve")
    assert planned.returncode == 0, planned.stderr
    assert "npm" not in planned.stdout


def test_make_test_says_in_one_line_that_node_is_missing(tmp_path: Path) -> None:
    result = _make_without_npm(tmp_path, "test")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if not line.startswith("make:")]
    assert lines == [
        "Node.js(npm)가 없습니다: 브라우저·워크플로 테스트에 필요하니 "
        "sudo apt-get install nodejs npm 으로 설치하세요"
    ]


def test_make_build_serve_and_write_run_properdocs_on_mkdocs_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """make의 빌드와 미리 보기는 빌드의 단계(python -m blogbuild)를 부르고, 단계는 가상 환경의 ProperDocs를
    설정 파일 이름을 밝혀 부릅니다(mkdocs가 아니라)."""
    planned = _make_without_npm(tmp_path, "-n", "build", "serve", "write")
    assert planned.returncode == 0, planned.stderr
    commands = [line for line in planned.stdout.splitlines() if line.startswith(".venv/bin/")]
    assert commands == [
        ".venv/bin/python -m blogbuild build",
        ".venv/bin/python -m blogbuild serve -- --dev-addr 127.0.0.1:8000",
        ".venv/bin/python -m blogbuild serve -- --dirty --dev-addr 127.0.0.1:8000",
    ]
    ran: list[list[str]] = []
    monkeypatch.setattr(
        build_stage.subprocess,
        "run",
        lambda command, **_: ran.append(command) or subprocess.CompletedProcess(command, 0),
    )
    project = Project.load(ROOT)
    build_stage.run(project)
    build_stage.serve(project, "--dirty")
    assert [command[1:] for command in ran] == [
        ["-m", "properdocs", "build", "--config-file", "mkdocs.yml", "--strict"],
        ["-m", "properdocs", "serve", "--config-file", "mkdocs.yml", "--dirty"],
    ]
