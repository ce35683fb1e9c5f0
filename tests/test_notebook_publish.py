"""blogbuild/notebook_publish.py: 사이트에 싣는 노트북 사본이 저장소 밖에서 돌 준비(설치 셀, 다른 노트북의
결과)를 갖추고, 그림마다 노트북이 결과 목록에 적은 설명을 alt로 다는지. 그 alt가 노트북 페이지의 <img>까지
가는지는 tests/test_notebook_pages.py가 봅니다.

빌드 전체에서의 모습(모든 노트북 페이지, 내려받는 .ipynb)은 tests/test_site.py가 봅니다.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import nbformat
import pytest
import yaml

from blogbuild import containment, manifest, notebook_publish
from blogbuild.notebook_publish import Source
from blogbuild.snippet_refs import CODE_WIDTH, code_width
from tests.conftest import ROOT
from tools import lock

COMMIT = "0123456789abcdef0123456789abcdef01234567"
SOURCE = Source("https://github.com/real-code-blog/blog", COMMIT)
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk\n"


def _project(tmp_path: Path, cells: list[nbformat.NotebookNode], alt: str | None) -> Path:
    """노트북 demo 하나(실행 결과, 저장한 그림 a.svg, 숫자)가 든 작은 저장소. alt를 주면 노트북이 그림 a를
    그 대체 텍스트로 결과 목록에 적은 것입니다(save_plot("a", ..., alt=alt, ...))."""
    outputs = tmp_path / "build" / "outputs" / "demo"
    outputs.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=cells)
    for index, cell in enumerate(nb.cells):
        cell.id = f"c{index}"
    nbformat.write(nb, outputs / "demo.ipynb")
    (outputs / "a.svg").write_text("<svg/>", encoding="utf-8")
    saved: dict[str, object] = {"n": {"kind": "number", "value": 6}}
    if alt is not None:
        files = {"light": "a.svg"}
        saved["a"] = {"kind": "figure", "files": files, "alt": alt, "caption": "캡션"}
    (outputs / "manifest.json").write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "demo.py").write_text("x = 1\n", encoding="utf-8")
    return tmp_path


def _figure_cell(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})
    ]
    return cell


POST = notebook_publish.PostLink(
    "데모 [글]", "https://real-code-blog.github.io/blog/2025/01/02/demo/"
)


def _published(
    root: Path, source: Source = SOURCE, post: notebook_publish.PostLink | None = POST
) -> nbformat.NotebookNode:
    text = notebook_publish.published(
        root / "build" / "outputs" / "demo" / "demo.ipynb",
        "demo",
        source,
        notebook_source=root / "notebooks" / "demo.py",
        root=root,
        outputs_root=root / "build" / "outputs",
        post=post,
    )
    return nbformat.reads(text, as_version=4)


TITLE = nbformat.v4.new_markdown_cell("# 데모: 동반 노트북\n\n설명")


def test_install_cell_pins_the_commit_and_follows_the_title(tmp_path: Path) -> None:
    nb = _published(_project(tmp_path, [TITLE, nbformat.v4.new_code_cell("x = 1")], None))
    assert [cell.id for cell in nb.cells] == ["c0", "blog-setup-note", "blog-setup-install", "c1"]
    install = nb.cells[2].source
    assert _run_install_cell(install)[-1] == (
        '%pip install --quiet "real-code-blog[notebooks] @ '
        f'git+https://github.com/real-code-blog/blog@{COMMIT}"'
    )
    # 내려받은 노트북의 코드 줄도 코드 칸(80칸) 안: 긴 주소는 변수에 담깁니다.
    assert max(map(code_width, install.splitlines())) <= CODE_WIDTH
    note = nb.cells[1].source
    assert (
        "[Colab에서 열기](https://colab.research.google.com/github/real-code-blog/blog/blob/"
        "notebooks/demo.ipynb)" in note
    )
    assert COMMIT[:12] in note


def test_the_published_notebook_starts_with_a_link_to_its_post_at_the_site_address(
    tmp_path: Path,
) -> None:
    nb = _published(_project(tmp_path, [TITLE, nbformat.v4.new_code_cell("x = 1")], None))
    first_line = nb.cells[1].source.splitlines()[0]
    # 제목의 대괄호는 글자로: 링크가 깨지지 않습니다. 주소는 내려받은 파일·Colab에서도 닿는 절대 주소.
    assert first_line == (
        "**글** · [데모 &#91;글&#93;](https://real-code-blog.github.io/blog/2025/01/02/demo/)"
    )
    # 글이 없는(싣지 않는) 노트북에는 링크가 없습니다.
    alone = _published(_project(tmp_path / "alone", [TITLE], None), post=None)
    assert "**글**" not in alone.cells[1].source


def test_without_a_commit_the_install_cell_says_it_installs_the_default_branch(
    tmp_path: Path,
) -> None:
    nb = _published(_project(tmp_path, [TITLE], None), Source(SOURCE.repo_url, None, "main"))
    assert _run_install_cell(nb.cells[2].source)[-1].endswith(
        '@ git+https://github.com/real-code-blog/blog@main"'
    )
    assert "커밋을 알 수 없었습니다" in nb.cells[1].source


def _run_install_cell(source: str) -> list[str]:
    """설치 셀을 IPython이 바꾸는 그대로 파이썬으로 바꿔 돌리고, 부른 %pip 명령들을 돌려줍니다.

    매직 줄의 {변수}는 IPython의 run_line_magic처럼(InteractiveShell.var_expand) 셀의 이름들로 채웁니다.
    """
    from IPython.core.inputtransformer2 import TransformerManager  # noqa: PLC0415
    from IPython.utils.text import DollarFormatter  # noqa: PLC0415

    calls: list[str] = []
    namespace: dict = {}

    class Shell:
        def run_line_magic(self, name: str, line: str) -> None:
            expanded = DollarFormatter().vformat(line, args=[], kwargs=namespace)
            calls.append(f"%{name} {expanded}")

    namespace["get_ipython"] = Shell
    exec(TransformerManager().transform_cell(source), namespace)  # noqa: S102
    return calls


def test_the_install_cell_takes_cpu_torch_from_pytorchs_index_except_on_colab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install = _published(_project(tmp_path, [TITLE], None)).cells[2].source
    package = f'%pip install --quiet "real-code-blog[notebooks] @ git+https://github.com/real-code-blog/blog@{COMMIT}"'
    pinned = lock.torch_pin((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    torch = f"--no-deps --index-url https://download.pytorch.org/whl/cpu torch=={pinned}"
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert _run_install_cell(install) == [f"%pip install --quiet {torch}", package]
    # Colab: 런타임의 torch(GPU용일 수 있음)를 CPU용으로 바꾸지 않고, 셀이 그렇게 말합니다.
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert _run_install_cell(install) == [package]
    assert "Colab에서는 런타임에 있는 torch" in install and "CPU용으로 바꾸지 않습니다" in install


def test_a_notebook_without_a_title_gets_the_install_cells_first(tmp_path: Path) -> None:
    nb = _published(_project(tmp_path, [nbformat.v4.new_code_cell("x = 1")], None))
    assert [cell.id for cell in nb.cells] == ["blog-setup-note", "blog-setup-install", "c0"]


def test_the_executed_notebook_is_left_as_it_was(tmp_path: Path) -> None:
    """설치 셀(커밋이 든)은 사본에만: 실행 결과와 캐시는 커밋과 상관없이 같습니다."""
    root = _project(tmp_path, [TITLE, _figure_cell('save_plot("a", draw)')], "설명")
    executed = root / "build" / "outputs" / "demo" / "demo.ipynb"
    before = executed.read_bytes()
    _published(root)
    assert executed.read_bytes() == before


def test_a_figure_takes_the_alt_text_its_notebook_saved(tmp_path: Path) -> None:
    """노트북이 결과 목록에 적은 대체 텍스트(숫자는 노트북이 이미 채운 것)가 그 그림을 저장한 셀의 출력에."""
    alt = "6×6 [CLS] 마스크.\n  위는 0입니다."
    root = _project(tmp_path, [TITLE, _figure_cell('save_plot("a", draw)')], alt)
    nb = _published(root)
    (output,) = nb.cells[-1].outputs
    assert output.metadata["image/png"]["alt"] == "6×6 [CLS] 마스크. 위는 0입니다."


def test_a_wrong_manifest_stops_the_published_copy_naming_the_notebook(tmp_path: Path) -> None:
    root = _project(tmp_path, [TITLE, _figure_cell('save_plot("a", draw)')], " ")
    with pytest.raises(manifest.ManifestError) as error:
        _published(root)
    assert str(error.value).startswith(
        "notebooks/demo.py: 결과 목록(build/outputs/demo/manifest.json)의 항목 'a'(그림): 대체 텍스트"
    )


def test_a_figure_the_post_does_not_show_is_described_by_its_section(tmp_path: Path) -> None:
    section = nbformat.v4.new_markdown_cell("## 층마다 기울기 노름\n\n설명")
    root = _project(tmp_path, [TITLE, section, _figure_cell("plt.plot([1, 2])")], None)
    alt = _published(root).cells[-1].outputs[0].metadata["image/png"]["alt"]
    assert alt == "「층마다 기울기 노름」의 그림"


def test_an_upstream_result_is_carried_in_the_published_notebook(tmp_path: Path) -> None:
    root = _project(tmp_path, [TITLE], None)
    (root / "notebooks" / "demo.py").write_text(
        'from notebook_outputs import read_output\n\nread_output("up", "log.json")\n'
    )
    (root / "build" / "outputs" / "up").mkdir()
    # 한 줄에 다 들어가지 않는 내용(긴 숫자 줄, 한글, 따옴표와 역슬래시)도 글자 그대로 옮겨집니다.
    log = {"loss": [step / 7 for step in range(300)], "note": '한글 "인용" \\ 끝' * 20}
    (root / "build" / "outputs" / "up" / "log.json").write_text(
        json.dumps(log, ensure_ascii=False) + "\n"
    )
    nb = _published(root)
    upstream = next(cell for cell in nb.cells if cell.id == "blog-setup-upstream")
    assert max(map(code_width, upstream.source.splitlines())) <= CODE_WIDTH
    namespace: dict = {}
    target = tmp_path / "reader"
    target.mkdir()
    # 셀이 적는 자리와 내용: 저장소 밖의 빈 디렉터리에서 실행해 봅니다.
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(target)
        patch.setenv("BLOG_OUTPUTS_ROOT", "somewhere-else")
        exec(compile(upstream.source, "upstream", "exec"), namespace)  # noqa: S102
        from notebook_outputs import read_output  # noqa: PLC0415

        assert json.loads(read_output("up", "log.json").read_text()) == log


def test_head_commit_is_the_checked_out_commit_of_this_repository_only(tmp_path: Path) -> None:
    assert notebook_publish.head_commit(tmp_path) is None  # git 저장소가 아님
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert notebook_publish.head_commit(tmp_path) is None  # 커밋이 없음
    (tmp_path / "a").write_text("a")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "a"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert notebook_publish.head_commit(tmp_path) == head.strip()
    inner = tmp_path / "copy"
    inner.mkdir()
    assert notebook_publish.head_commit(inner) is None  # 다른 저장소 안의 복사본


def test_head_commit_is_found_in_a_clone_whose_path_has_spaces(tmp_path: Path) -> None:
    """경로에 빈칸이 있는 클론(예: ~/My Projects/blog)도 설치 셀이 기본 가지가 아닌 커밋을 고정합니다."""
    root = tmp_path / "My Projects" / "blog  two"
    root.mkdir(parents=True)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "a").write_text("a")
    subprocess.run([*git, "add", "a"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert notebook_publish.head_commit(root) == head.strip()


def test_a_repo_url_that_is_not_github_is_refused() -> None:
    with pytest.raises(notebook_publish.PublishError, match="repo_url"):
        Source("https://gitlab.com/a/b", COMMIT).install_repo()


def test_the_installed_package_is_this_project_with_its_notebook_extra_and_corpus() -> None:
    """설치 셀이 설치하는 것: pyproject.toml의 이름과 추가 묶음, 그리고 노트북이 읽는 말뭉치(package-data)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == notebook_publish.PACKAGE
    extra = project["project"]["optional-dependencies"][notebook_publish.EXTRA]
    imported = {"transformers", "scipy"}  # 노트북과 snippets/가 불러오는, 기본 의존성 밖의 것
    assert {re.split(r"[<>=\[ ]", req)[0] for req in extra} >= imported
    # 내려받은 노트북은 글의 코드(snippets)와 결과를 저장하는 도구(notebook_outputs)를 모두 불러옵니다
    assert set(containment.CODE_PACKAGES) <= set(project["tool"]["setuptools"]["packages"])
    patterns = project["tool"]["setuptools"]["package-data"]["snippets"]
    from snippets.corpus import CORPUS  # noqa: PLC0415

    relative = CORPUS.relative_to(ROOT / "snippets")
    assert any(relative.match(pattern) for pattern in patterns), patterns


def test_the_colab_link_opens_the_branch_the_deploy_pushes() -> None:
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    job = deploy["jobs"]["notebooks"]
    assert job["env"]["PUBLISHED_NOTEBOOKS_BRANCH"] == notebook_publish.PUBLISHED_BRANCH
    assert job["needs"] == "deploy"
    assert job["permissions"] == {"contents": "write"}


def test_every_variant_a_cell_shows_of_its_one_figure_gets_the_figures_alt(
    tmp_path: Path,
) -> None:
    cell = _figure_cell('save_plot("a", draw, size=(7, 3))')
    cell.outputs = cell.outputs * 2  # 밝은 벌과 어두운 벌
    root = _project(tmp_path, [TITLE, cell], "막대 두 개")
    outputs = _published(root).cells[-1].outputs
    assert [o.metadata["image/png"]["alt"] for o in outputs] == ["막대 두 개", "막대 두 개"]


# ---- 노트북의 목차 ----------------------------------------------------------------------------

STEP = re.compile(r"^(?P<first>\d+)(?:~(?P<last>\d+))?단계")


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "notebooks").glob("*.py")), ids=lambda path: path.stem
)
def test_a_notebooks_toc_follows_the_steps_it_names_from_the_first(notebook: Path) -> None:
    """노트북 페이지의 목차는 제목(h1) 아래의 ## 제목들입니다. 제목이 단계('2단계: ...', '2~3단계: ...')를
    말하면, 목차의 첫 항목이 1단계이고 단계가 건너뛰거나 되돌아가지 않습니다."""
    headings = re.findall(r"^# ## (.+)$", notebook.read_text(encoding="utf-8"), re.MULTILINE)
    steps = []
    for heading in headings:
        match = STEP.match(heading)
        if match:
            first = int(match["first"])
            steps += range(first, int(match["last"] or first) + 1)
    if not steps:
        return
    assert STEP.match(headings[0]) and steps[0] == 1, f"목차의 첫 항목: {headings[0]}"
    assert all(b - a in (0, 1) for a, b in zip(steps, steps[1:], strict=False)), headings
