"""CI가 GitHub의 러너에서도 여기서처럼 도는지: 워크플로의 Debian 컨테이너와, root가 아닐 때의 .ci/run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

NOBODY = 65534


def test_the_ci_job_runs_in_debian_12_with_git_before_checkout() -> None:
    """README의 명령이 여기서처럼: Debian 12(root, Debian의 chromium, python3 3.11.2) 컨테이너에서 돕니다.

    checkout 전에 git이 있어야 .git이 있는 클론이 되고(설치 셀이 커밋을 고정), 그 뒤의 git은 작업 공간을
    safe.directory로 받아들여야 합니다.
    """
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    job = ci["jobs"]["test"]
    assert job["container"]["image"].startswith("debian:bookworm")
    steps = job["steps"]
    checkout = next(
        i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/checkout@")
    )
    assert any(
        "apt-get install" in s.get("run", "") and " git" in s["run"] for s in steps[:checkout]
    )
    later = " ".join(s.get("run", "") for s in steps[checkout:])
    assert 'safe.directory "$GITHUB_WORKSPACE"' in later
    assert "bash .ci/run" in later
    assert not any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)


@pytest.fixture
def ci_copy() -> Iterator[Path]:
    """.ci/run의 복사본과, dot(graphviz)만 빠진 PATH의 bin/: 다른 사용자도 읽을 수 있는 곳에."""
    top = Path(tempfile.mkdtemp(prefix="ci-run-"))
    try:
        (top / ".ci").mkdir()
        shutil.copy2(ROOT / ".ci" / "run", top / ".ci" / "run")
        bin_dir = top / "bin"
        bin_dir.mkdir()
        for tool in ("bash", "dirname", "env", "grep", "python3", "fc-list", "chromium", "npm"):
            if found := shutil.which(tool):
                (bin_dir / tool).symlink_to(found)
        # make은 부른 것만 적습니다(여기서는 테스트를 다시 돌리지 않음).
        (bin_dir / "make").write_text('#!/bin/sh\necho "make $*"\n')
        for path in (top, top / ".ci", bin_dir):
            path.chmod(0o755)
        (bin_dir / "make").chmod(0o755)
        yield top
    finally:
        shutil.rmtree(top)


def _run_as_a_user(top: Path) -> subprocess.CompletedProcess:
    """root가 아닌 사용자로 .ci/run: root면 setpriv로 nobody가 되어."""
    as_user = [
        shutil.which("setpriv") or "setpriv",
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
    ]
    prefix = as_user if os.geteuid() == 0 else []
    env = {"PATH": str(top / "bin"), "HOME": str(top)}
    return subprocess.run(
        [*prefix, str(top / "bin" / "bash"), str(top / ".ci" / "run")],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def test_ci_run_installs_with_passwordless_sudo_when_not_root(ci_copy: Path) -> None:
    """GitHub의 러너처럼 root가 아니고 암호 없는 sudo가 있으면, 빠진 패키지를 sudo로 설치합니다."""
    log = ci_copy / "sudo.log"
    sudo = ci_copy / "bin" / "sudo"
    sudo.write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    sudo.chmod(0o755)
    log.touch()
    log.chmod(0o666)
    result = _run_as_a_user(ci_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "-n true"
    assert calls[1] == "-n apt-get update -qq"
    assert calls[2].startswith("-n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ")
    assert "graphviz" in calls[2].split()
    assert result.stdout.splitlines()[-1] == "make test"


def test_ci_run_says_in_one_line_what_it_needs_without_root_or_sudo(ci_copy: Path) -> None:
    result = _run_as_a_user(ci_copy)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "root이거나 암호 없는 sudo가 있어야 합니다" in line and "graphviz" in line
    assert "make test" not in result.stdout
