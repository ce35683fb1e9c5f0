"""tools/width.py(make width): 글이 싣는 코드 줄 중 80칸을 넘는 것을 짚는지."""

from __future__ import annotations

from pathlib import Path

from tools.width import code_width, main, wide_lines

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
