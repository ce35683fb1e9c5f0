"""코드 줄의 너비: tools/width.py(make width)와 빌드의 check 단계가 글이 싣는 코드 줄과 노트북 코드 셀의 줄 중
80칸(한글 한 자는 두 칸)을 넘는 것을 파일과 줄로 짚는지."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from blogbuild.snippet_refs import (
    CODE_WIDTH,
    WIDTH_HELP,
    code_width,
    references,
    width_problems,
)
from tests.conftest import ROOT, changed
from tools.width import main, wide_lines

MODULE = '''# --8<-- [start:demo]
def demo() -> None:
    """{doc}"""


# --8<-- [end:demo]


class Box:
    # --8<-- [start:box-method]
    def method(self) -> None:
        x = "{inner}"

    # --8<-- [end:box-method]
'''


def write_repo(root: Path, doc: str, inner: str) -> Path:
    (root / "snippets").mkdir()
    (root / "snippets" / "demo.py").write_text(MODULE.format(doc=doc, inner=inner), "utf-8")
    posts = root / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    post = posts / "demo-post.md"
    post.write_text(
        '```python\n--8<-- "snippets/demo.py:demo"\n```\n\n'
        '```python\n--8<-- "snippets/demo.py:box-method"\n```\n',
        "utf-8",
    )
    return post


def test_hangul_counts_two_columns() -> None:
    assert code_width("가a") == 3
    assert code_width("    x = 1   ") == 9  # 줄 끝 공백은 세지 않습니다


def test_wide_docstring_is_reported_with_file_line_and_width(tmp_path: Path, capsys) -> None:
    post = write_repo(tmp_path, doc="가" * 36, inner="ok")  # 4 + 3 + 72 + 3 = 82칸
    assert wide_lines(post, tmp_path) == [f'snippets/demo.py:3: 82칸: """{"가" * 36}"""']
    assert main(["demo-post", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert "demo-post.md: snippets/demo.py:3: 82칸" in out.out
    assert "80칸을 넘는 줄 1개" in out.err


def test_indented_section_is_measured_as_the_post_shows_it(tmp_path: Path) -> None:
    # 클래스 안의 구간은 글에 네 칸 덜 들여 실립니다: 파일에서 84칸이어도 글에서는 80칸.
    post = write_repo(tmp_path, doc="짧음", inner="x" * 70)
    assert wide_lines(post, tmp_path) == []
    assert main(["demo-post", "--root", str(tmp_path)]) == 0


def test_unknown_post_is_named(tmp_path: Path, capsys) -> None:
    write_repo(tmp_path, doc="짧음", inner="ok")
    assert main(["no-such-post", "--root", str(tmp_path)]) == 2
    assert "no-such-post" in capsys.readouterr().err


def test_width_problems_count_hangul_wide_and_name_each_line_once(
    tmp_path: Path,
) -> None:
    # 72자(len으로는 80칸 안)지만 한글 36자가 72칸이라 82칸: 넓은 글자를 두 칸으로 세야 짚힙니다.
    post = write_repo(tmp_path, doc="가" * 36, inner="ok")
    twice = post.with_name("second-post.md")  # 같은 구간을 싣는 둘째 글
    twice.write_text(post.read_text("utf-8"), "utf-8")
    assert len(f'    """{"가" * 36}"""') <= CODE_WIDTH
    problems = [str(p) for p in width_problems(tmp_path, [post, twice])]
    assert problems == [f"snippets/demo.py:3: 82칸: {WIDTH_HELP}"]


def test_notebook_code_cells_are_measured_but_markdown_cells_are_not(
    tmp_path: Path,
) -> None:
    write_repo(tmp_path, doc="짧음", inner="ok")
    (tmp_path / "notebooks").mkdir()
    notebook = tmp_path / "notebooks" / "demo-post.py"
    prose = "# " + "한글 설명 " * 20  # 마크다운 셀: 노트북 쪽에서 문단으로 흐릅니다
    code = "x = 1  # " + "주석" * 20  # 9 + 80 = 89칸
    notebook.write_text(f"# %% [markdown]\n{prose}\n\n# %%\n{code}\n", "utf-8")
    assert [str(p) for p in width_problems(tmp_path, [])] == [
        f"notebooks/demo-post.py:5: 89칸: {WIDTH_HELP}"
    ]


def test_the_check_stage_stops_at_a_too_wide_embedded_line(
    small_site: Path,
) -> None:
    post = next((small_site / "docs" / "blog" / "posts").glob("*.md"))
    _, target = references(post.read_text("utf-8"))[0]
    snippet = small_site / target.partition(":")[0]
    text = snippet.read_text("utf-8")
    wide = "    # " + "한글은 두 칸으로 셉니다" * 5  # len 66자, 너비 111칸
    first = text.splitlines().index(f"# --8<-- [start:{target.partition(':')[2]}]")
    lines = text.splitlines()
    lines.insert(first + 2, wide)  # 구간 첫 줄(def) 다음, 독스트링 앞
    with changed(snippet, "\n".join(lines) + "\n"):
        result = subprocess.run(
            [sys.executable, "-m", "blogbuild", "check", "--root", str(small_site)],
            cwd=ROOT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            capture_output=True,
            text=True,
            timeout=900,
        )
    assert result.returncode == 1, result.stdout + result.stderr
    where = f"{target.partition(':')[0]}:{first + 3}: {code_width(wide)}칸:"
    assert where in result.stderr
    assert "글의 문장으로 옮기고" in result.stderr
    assert "Traceback" not in result.stderr
