"""노트북 실행 캐시: 바뀐 것에 기대는 결과만 다시 만들고, 실패는 노트북과 셀을 짚어 알립니다."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blogbuild import execution, sandbox
from blogbuild.execution import (
    ExecutionError,
    Notebook,
    code_dependencies,
    find_notebooks,
    prepare_outputs,
    run_notebook,
)
from tests.conftest import ROOT, copy_notebook_outputs

HEADER = "# %% [markdown]\n# # 시험용 노트북\n\n# %%\n"
MODULES = {
    "__init__.py": "",
    "base.py": "def value() -> int:\n    return 1\n",
    # mid는 base를 거쳐서 불러옵니다: base가 바뀌면 mid를 쓰는 노트북도 다시 실행되어야 합니다.
    "mid.py": "from snippets.base import value\n\n\ndef doubled() -> int:\n    return 2 * value()\n",
    "other.py": "def other() -> int:\n    return 3\n",
    # 코드 밖의 파일을 읽는 모듈은 그 파일들을 BUILD_INPUTS로 밝힙니다.
    "reader.py": 'BUILD_INPUTS = ("data/*.txt",)\n\n\ndef words() -> int:\n    return 5\n',
}
NOTEBOOKS = {
    "uses-mid": "from snippets.mid import doubled\nfrom notebook_outputs import save_numbers\n\nsave_numbers(result=doubled())\n",
    "uses-other": "from snippets import other\nfrom notebook_outputs import save_numbers\n\nsave_numbers(result=other.other())\n",
    "uses-nothing": "from notebook_outputs import save_numbers\n\nsave_numbers(result=0)\n",
    "uses-reader": "from snippets.reader import words\nfrom notebook_outputs import save_numbers\n\nsave_numbers(result=words())\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "snippets").mkdir()
    for name, text in MODULES.items():
        (root / "snippets" / name).write_text(text, encoding="utf-8")
    copy_notebook_outputs(root)
    (root / "notebooks").mkdir()
    for name, text in NOTEBOOKS.items():
        (root / "notebooks" / f"{name}.py").write_text(HEADER + text, encoding="utf-8")
    (root / "constraints.txt").write_text("torch==2.13.0\n", encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "corpus.txt").write_text("말뭉치\n", encoding="utf-8")
    return root


def _prepare(project: Path):
    return prepare_outputs(project, project / "build" / "outputs", timeout=60)


def _edit(path: Path, extra: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_dependencies_are_found_transitively(project: Path) -> None:
    deps = code_dependencies(project / "notebooks" / "uses-mid.py", project)
    names = [p.relative_to(project).as_posix() for p in deps]
    assert names == [
        "notebook_outputs/__init__.py",
        "snippets/__init__.py",
        "snippets/base.py",
        "snippets/mid.py",
    ]


def test_dependencies_of_the_real_attention_notebook() -> None:
    deps = code_dependencies(ROOT / "notebooks" / "masked-multi-head-attention.py", ROOT)
    found = {p.relative_to(ROOT).as_posix() for p in deps}
    assert {
        "snippets/attention.py",
        "notebook_outputs/__init__.py",
        "notebook_outputs/figures.py",
    } <= found


def test_cache_reexecutes_exactly_the_dependents(project: Path) -> None:
    """한 번의 냉 빌드 뒤: 그대로면 아무것도, 모듈이나 그 데이터를 고치면 그 의존자만, 고정 버전을 고치면 전부."""
    everything = ["uses-mid", "uses-nothing", "uses-other", "uses-reader"]
    assert sorted(_prepare(project).executed) == everything
    assert _prepare(project).executed == []

    _edit(project / "data" / "corpus.txt", "글 한 줄을 고쳤습니다\n")
    assert _prepare(project).executed == ["uses-reader"]

    _edit(project / "snippets" / "base.py", "\n# 주석 한 줄도 내용의 변화입니다\n")
    assert _prepare(project).executed == ["uses-mid"]

    _edit(project / "snippets" / "other.py", "\n\ndef another() -> int:\n    return 4\n")
    assert _prepare(project).executed == ["uses-other"]

    _edit(project / "constraints.txt", "numpy==2.4.6\n")
    assert sorted(_prepare(project).executed) == everything
    assert _prepare(project).executed == []


def test_an_entry_with_another_key_is_never_served(project: Path) -> None:
    _prepare(project)
    key_file = project / "build" / "outputs" / "uses-other" / ".key"
    key_file.write_text("0" * 64 + "\n")  # 다른 입력에서 나온 결과인 척
    assert _prepare(project).executed == ["uses-other"]


def test_graphviz_and_font_versions_are_in_the_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """그림은 Graphviz와 글꼴로 그립니다: 빌드 머신의 dot이나 글꼴이 바뀌면 노트북을 다시 실행합니다."""
    assert b"graphviz version" in execution.tool_versions()  # dot -V
    assert b"/fonts/" in execution.tool_versions()  # 글꼴 파일(fc-list)
    _prepare(project)
    monkeypatch.setattr(execution, "tool_versions", lambda: b"dot - graphviz version 99")
    assert sorted(_prepare(project).executed) == sorted(NOTEBOOKS)


KEY_OF = """import sys
from pathlib import Path

from blogbuild import execution

root = Path(sys.argv[1])
print(execution.cache_key(execution.find_notebooks(root)[0], root, {}))
"""


def test_the_code_that_executes_notebooks_is_in_the_key(project: Path, tmp_path: Path) -> None:
    """노트북을 실행하는 코드(blogbuild의 execution, 그것이 쓰는 sandbox, 커널 앞의 kernel_launcher)를 고치면
    키가 바뀌어 다시 실행합니다: 실행하는 방법이 바뀌면 .ipynb도 바뀔 수 있습니다. 실행과 상관없는 모듈은 아닙니다.
    """
    shutil.copytree(
        ROOT / "blogbuild", tmp_path / "blogbuild", ignore=shutil.ignore_patterns("__pycache__")
    )

    def key() -> str:
        done = subprocess.run(
            [sys.executable, "-c", KEY_OF, str(project)],
            cwd=tmp_path,  # 고친 사본의 blogbuild를 불러옵니다
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    keys = [key()]
    for module in ("kernel_launcher.py", "sandbox.py", "execution.py", "feed.py"):
        _edit(tmp_path / "blogbuild" / module, "\n# 실행하는 코드를 고쳤습니다\n")
        keys.append(key())
    assert len(set(keys[:4])) == 4  # 실행하는 코드 셋은 하나씩 고칠 때마다 키가 바뀝니다
    assert keys[4] == keys[3]  # RSS 피드(feed.py)는 노트북 실행과 상관없습니다


def test_consecutive_prints_are_one_output_however_the_kernel_sent_them(tmp_path: Path) -> None:
    """print 여러 번을 커널이 메시지 몇 개로 보내는지는 실행마다 다릅니다(내보내는 시각에 따라): 같은
    스트림의 잇단 출력은 하나로 합쳐 저장해야 두 실행이 같은 .ipynb를 냅니다. 여기서는 print마다 내보내고
    쉬어 메시지가 반드시 나뉘게 합니다."""
    cells = (
        "import sys, time\n\n"
        "for line in range(3):\n"
        "    print(line, flush=True)\n"
        "    time.sleep(0.3)\n"
        "print('끝', file=sys.stderr, flush=True)\n"
    )
    project = _failing_project(tmp_path, HEADER + cells)
    _prepare(project)
    executed = project / "build" / "outputs" / "broken" / "broken.ipynb"
    outputs = json.loads(executed.read_text(encoding="utf-8"))["cells"][-1]["outputs"]
    # .ipynb는 글을 줄의 목록으로 적습니다
    streams = [(output["name"], "".join(output["text"])) for output in outputs]
    assert streams == [("stdout", "0\n1\n2\n"), ("stderr", "끝\n")]


def _failing_project(tmp_path: Path, cells: str) -> Path:
    (tmp_path / "snippets").mkdir()
    copy_notebook_outputs(tmp_path)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "broken.py").write_text(cells, encoding="utf-8")
    (tmp_path / "constraints.txt").write_text("", encoding="utf-8")
    return tmp_path


def test_a_raising_cell_fails_with_notebook_cell_and_traceback(tmp_path: Path) -> None:
    project = _failing_project(
        tmp_path, HEADER + "x = 1\n\n# %%\nraise ValueError('일부러 낸 오류')\n"
    )
    with pytest.raises(ExecutionError) as failure:
        _prepare(project)
    message = str(failure.value)
    assert "notebooks/broken.py: 셀 3번(notebooks/broken.py:7)에서 오류가 났습니다" in message
    assert "ValueError: 일부러 낸 오류" in message
    # 부분 결과는 캐시에 남지 않습니다.
    assert not (project / "build" / "outputs" / "broken").exists()
    assert not [p for p in (project / "build" / "outputs").iterdir()]


def test_a_notebook_past_its_timeout_fails_naming_the_timeout(tmp_path: Path) -> None:
    project = _failing_project(tmp_path, HEADER + "import time\n\ntime.sleep(30)\n")
    with pytest.raises(
        ExecutionError, match=r"notebooks/broken.py: 실행이 제한 시간 3초를 넘었습니다"
    ):
        prepare_outputs(project, project / "build" / "outputs", timeout=3)
    assert not [p for p in (project / "build" / "outputs").iterdir()]


@pytest.mark.parametrize("notebook", find_notebooks(ROOT), ids=lambda nb: nb.name)
def test_two_executions_give_byte_identical_outputs(
    built_site: Path, tmp_path: Path, notebook: Notebook
) -> None:
    """저장소 빌드(built_site)가 만든 결과와, 새 커널에서 처음부터 다시 실행한 결과가 바이트까지 같습니다.

    노트북마다 하나의 테스트이고, make test는 노트북마다 한 덩이로 pytest-xdist의 작업자들에게 나눠 줍니다
    (tests/conftest.py의 work_unit). read_output으로 다른 노트북의 결과를 읽는 노트북은 저장소 빌드의
    결과를 읽습니다: 읽히는 노트북이 같은 바이트를 낸다는 것은 그 노트북의 테스트가 따로 보입니다.
    """
    outputs = ROOT / "build" / "outputs"
    run_notebook(notebook, tmp_path, outputs, timeout=300, root=ROOT)
    first, second = notebook.output_dir(outputs), tmp_path
    published = {".svg", ".md", ".json", ".ipynb"}  # 실행된 노트북도 사이트에 실립니다
    products = sorted(p.name for p in first.iterdir() if p.suffix in published)
    assert products == sorted(p.name for p in second.iterdir() if p.suffix in published)
    assert f"{notebook.name}.ipynb" in products
    for name in products:
        assert (first / name).read_bytes() == (second / name).read_bytes(), (
            f"{notebook.name}/{name}"
        )


# ---------------------------------------------------------------------------------------------
# 동시에 실행: 서로 읽지 않는 노트북은 겹쳐서, read_output으로 읽는 노트북은 읽히는 노트북이 끝난 뒤에.

# 노트북마다 시작·끝 시각을 남깁니다(노트북이 쓸 수 있는 곳은 자기 결과 디렉터리뿐입니다: run.json).
TIMED = """import json, os, time
from pathlib import Path

started = time.time()
time.sleep({sleep})
{body}
with open(Path(os.environ["BLOG_OUTPUT_DIR"]) / "run.json", "w") as log:
    log.write(json.dumps([started, time.time()]))
"""


def _timed_project(root: Path, notebooks: dict[str, str]) -> Path:
    (root / "snippets").mkdir(parents=True)
    copy_notebook_outputs(root)
    (root / "notebooks").mkdir()
    for name, body in notebooks.items():
        source = HEADER + TIMED.format(sleep=0.5, body=body, name=name)
        (root / "notebooks" / f"{name}.py").write_text(source, encoding="utf-8")
    (root / "constraints.txt").write_text("", encoding="utf-8")
    return root


def _runs(root: Path) -> dict[str, tuple[float, float]]:
    runs = (root / "build" / "outputs").glob("*/run.json")
    return {run.parent.name: tuple(json.loads(run.read_text(encoding="utf-8"))) for run in runs}


# bwrap 없이 가둘 때(sandbox.py의 process)는 누가 썼는지 가리려고 노트북을 하나씩 실행합니다.
parallel = pytest.mark.skipif(
    sandbox.mode() == "process", reason="노트북을 하나씩 실행하는 방식입니다"
)

CHAIN = {
    "a-upstream": 'from notebook_outputs import save_data\n\nsave_data("x", [1])',
    "b-independent": "",
    "c-reader": 'from notebook_outputs import read_output\n\nread_output("a-upstream", "x.json")',
}


@parallel
def test_independent_notebooks_overlap_and_readers_wait_for_what_they_read(tmp_path: Path) -> None:
    project = _timed_project(tmp_path / "project", CHAIN)
    prepared = prepare_outputs(project, project / "build" / "outputs", timeout=60, jobs=2)
    assert sorted(prepared.executed) == sorted(CHAIN)
    assert set(prepared.seconds) == set(CHAIN) and all(s > 0.5 for s in prepared.seconds.values())
    runs = _runs(project)
    (a_start, a_end), (b_start, b_end) = runs["a-upstream"], runs["b-independent"]
    assert a_start < b_end and b_start < a_end, "서로 읽지 않는 두 노트북이 겹쳐서 실행됩니다"
    assert runs["c-reader"][0] >= a_end, "읽는 노트북은 읽히는 노트북이 끝난 뒤에 시작합니다"
    line = prepared.log_line(2, 4.2)
    assert line.startswith("노트북 실행: ") and "동시에 2개까지, 전체 4.2초" in line
    assert all(f"{name} {prepared.seconds[name]:.1f}초" in line for name in CHAIN)


def test_one_job_runs_one_notebook_at_a_time(tmp_path: Path) -> None:
    project = _timed_project(tmp_path / "project", CHAIN)
    prepare_outputs(project, project / "build" / "outputs", timeout=60, jobs=1)
    intervals = sorted(_runs(project).values())
    pairs = zip(intervals, intervals[1:], strict=False)
    assert all(end <= next_start for (_, end), (next_start, _) in pairs)


@parallel
def test_a_failure_stops_its_readers_but_keeps_what_succeeded(tmp_path: Path) -> None:
    failing = {**CHAIN, "a-upstream": "raise ValueError('일부러')"}
    project = _timed_project(tmp_path / "project", failing)
    outputs = project / "build" / "outputs"
    with pytest.raises(ExecutionError, match=r"notebooks/a-upstream.py: 셀 2번"):
        prepare_outputs(project, outputs, timeout=60, jobs=2)
    assert (outputs / "b-independent" / ".key").is_file(), "성공한 노트북은 캐시에 남습니다"
    assert not (outputs / "a-upstream").exists() and not (outputs / "c-reader").exists()
    assert "c-reader" not in _runs(project)


def test_two_builds_at_once_execute_each_notebook_once(tmp_path: Path) -> None:
    """같은 저장소에서 두 빌드가 동시에(예: mkdocs serve와 테스트): 자물쇠를 기다린 쪽은 캐시를 씁니다."""
    project = _timed_project(tmp_path / "project", CHAIN)
    script = (
        "import sys; from pathlib import Path; from blogbuild.execution import prepare_outputs; "
        "p = Path(sys.argv[1]); print(prepare_outputs(p, p / 'build' / 'outputs', 60).executed)"
    )
    builds = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(project)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [build.communicate(timeout=120)[0] for build in builds]
    assert all(build.returncode == 0 for build in builds), outputs
    executed = [name for output in outputs for name in ast.literal_eval(output.strip())]
    assert sorted(executed) == sorted(CHAIN), "노트북마다 한 번씩"


# ---------------------------------------------------------------------------------------------
# 실행된 노트북이 독자에게 보여 주는 것: save_plot의 그림(밝은 벌)과 save_numbers의 숫자가 그 셀의 출력에.

SHOWS = """from notebook_outputs import save_numbers
from notebook_outputs.figures import save_plot


def draw(fig, look):
    fig.subplots().plot([1, 2, 3], color=look.blue)


save_plot("line", draw, size=(3.0, 2.0), alt="선 하나", caption="오릅니다.")

# %%
from notebook_outputs.diagrams import Diagram, Node, save_diagram

save_diagram(
    Diagram([Node("x", "input", "입력", "x", "", "")], [], {}), "graph", alt="입력 하나", caption="입력."
)

# %%
save_numbers(n_heads=4, ratio="3.8 × 10⁻¹⁶")
"""


def test_the_executed_notebook_shows_each_plot_and_the_numbers_the_post_reads(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "snippets", project / "snippets", ignore=shutil.ignore_patterns("data"))
    copy_notebook_outputs(project)
    (project / "notebooks").mkdir()
    (project / "notebooks" / "shows.py").write_text(HEADER + SHOWS, encoding="utf-8")
    (project / "constraints.txt").write_text("", encoding="utf-8")
    outputs = project / "build" / "outputs"
    prepare_outputs(project, outputs, timeout=120)
    cells = json.loads((outputs / "shows" / "shows.ipynb").read_text(encoding="utf-8"))["cells"]
    plot, diagram, numbers = (c for c in cells if c["cell_type"] == "code")
    for cell in (plot, diagram):  # 밝은 넓은 벌 하나: 글이 싣는 어두운·좁은 벌은 파일로만
        images = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
        assert len(images) == 1, cell["outputs"]
    assert (outputs / "shows" / "line.svg").is_file()
    assert (outputs / "shows" / "line-dark.svg").is_file()
    shown = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in numbers["outputs"])
    manifest = json.loads((outputs / "shows" / "manifest.json").read_text(encoding="utf-8"))
    saved = {name: e["value"] for name, e in manifest.items() if e["kind"] == "number"}
    assert saved == {"n-heads": 4, "ratio": "3.8 × 10⁻¹⁶"}
    assert {name: e["kind"] for name, e in manifest.items() if e["kind"] != "number"} == {
        "line": "figure",
        "graph": "figure",
    }
    for key, value in saved.items():
        assert f"{key} = {value}" in shown, shown
