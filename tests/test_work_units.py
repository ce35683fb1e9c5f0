"""make test가 pytest-xdist의 작업자들에게 나눠 주는 일의 단위(tests/conftest.py의 work_unit).

단위가 어긋나도 테스트는 모두 돌지만 느려지거나(노트북 열 개가 한 작업자에 몰림) 같은 페이지를 두 작업자가
열게 됩니다. 테스트 이름이 바뀌어 그렇게 되면 여기서 알립니다.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from blogbuild.execution import find_notebooks
from tests.conftest import NOTEBOOK_TEST, ROOT, work_unit


def _collected(*paths: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_each_notebook_is_its_own_unit_and_each_palette_of_the_browser_tests_one(
    request: pytest.FixtureRequest,
) -> None:
    # make test의 작업자는 모든 테스트를 모읍니다: 그 목록을 씁니다. 이 파일만 돌릴 때는 두 파일을 모읍니다.
    files = ("tests/test_execution.py", "tests/test_browser.py")
    nodeids = [item.nodeid for item in request.session.items if item.nodeid.startswith(files)]
    if {nodeid.partition("::")[0] for nodeid in nodeids} != set(files):
        nodeids = _collected(*files)
    units = {nodeid: work_unit(nodeid) for nodeid in nodeids}
    notebooks = {unit for nodeid, unit in units.items() if nodeid.startswith(NOTEBOOK_TEST)}
    assert notebooks == {f"notebook {nb.name}" for nb in find_notebooks(ROOT)}
    browser = {unit for nodeid, unit in units.items() if nodeid.startswith("tests/test_browser.py")}
    assert browser == {"browser default", "browser slate"}
    for nodeid, unit in units.items():
        if nodeid.startswith("tests/test_browser.py"):
            assert (unit == "browser slate") == ("slate" in nodeid.rpartition("[")[2]), nodeid
    rest = {unit for nodeid, unit in units.items() if nodeid.startswith("tests/test_execution.py")}
    assert rest - notebooks == {"tests/test_execution.py"}
