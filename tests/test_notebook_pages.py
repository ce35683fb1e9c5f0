"""blogbuild/notebook_pages.py: 실행된 노트북이 글과 같은 Markdown 페이지가 되는지, 작은 손 노트북으로.

Markdown은 사이트의 설정(mkdocs.yml의 markdown_extensions)으로 그려 봅니다(conftest의 render_markdown): 페이지가 생성기에서 어떻게
보이는지가 중요하기 때문입니다. 빌드 전체의 노트북 페이지는 tests/test_site.py와 tests/test_browser.py가 봅니다.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import nbformat
import pytest
from mkdocs.utils.meta import get_data

from blogbuild import active_content, notebook_pages

# 1×1 PNG
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk\n"


def _notebook(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    for index, cell in enumerate(nb.cells):
        cell.setdefault("id", f"c{index}")
    return nb


def _code(source: str, *outputs: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    return cell


def _stream(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _display(data: dict, metadata: dict | None = None) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


TITLE = nbformat.v4.new_markdown_cell("# 데모: 동반 노트북\n\n한국어 설명입니다.")


def _blocks(page: str, language: str) -> list[str]:
    """그린 HTML에서 그 언어의 코드 블록마다 보이는 글자."""
    found = re.findall(
        rf'<div class="language-{language}[^"]*highlight">(.*?)</div>', page, re.DOTALL
    )
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in found]


def test_cells_become_code_blocks_and_outputs_text_blocks(render_markdown) -> None:
    nb = _notebook(
        TITLE,
        _code('print("안녕하세요")', _stream("안녕"), _stream("하세요\n")),
        _code("# 주석만 있는 셀"),
        _code("x = 1", _display({"text/plain": "1"})),
        nbformat.v4.new_raw_cell("<b>raw 셀</b>"),
    )
    text, images = notebook_pages.page_markdown(nb, "demo", {})
    page = render_markdown(text)
    assert images == {}
    assert page.startswith(
        '<h1 id="데모-동반-노트북">데모: 동반 노트북'
    )  # 제목이 첫 요소(페이지 제목)
    assert "<p>한국어 설명입니다.</p>" in page
    assert _blocks(page, "python") == ['print("안녕하세요")\n', "# 주석만 있는 셀\n", "x = 1\n"]
    # 잇단 print는 한 블록, 출력은 notebook-output 클래스(코드 셀과 다른 모양), raw 셀은 글자 그대로(Jupyter처럼)
    assert _blocks(page, "text") == ["안녕하세요\n", "1\n", "<b>raw 셀</b>\n"]
    assert page.count('class="language-text notebook-output highlight"') == 2
    assert "<b>" not in page


def test_an_output_with_fences_and_a_script_stays_text_inside_its_block(render_markdown) -> None:
    hostile = "앞\n```\n<script>alert(1)</script>\n`````\n~~~\n뒤"
    nb = _notebook(TITLE, _code("print(s)", _stream(hostile)), _code("y = 2"))
    page = render_markdown(notebook_pages.page_markdown(nb, "demo", {})[0])
    assert _blocks(page, "text") == [hostile + "\n"]
    assert _blocks(page, "python") == ["print(s)\n", "y = 2\n"]  # 다음 셀도 제 블록
    assert "<script>" not in page
    assert active_content.in_html(page) == []


def test_a_script_in_an_html_output_or_a_markdown_cell_names_the_cell() -> None:
    setup = nbformat.v4.new_markdown_cell("빌드가 더한 안내")
    setup.id = "blog-setup-note"
    nb = _notebook(
        TITLE,
        setup,
        _code("show()", _display({"text/html": "<script>alert(1)</script>", "text/plain": "x"})),
        nbformat.v4.new_markdown_cell('설명 <img src="a.png" onerror="alert(2)">'),
    )
    with pytest.raises(notebook_pages.NotebookPageError) as error:
        notebook_pages.page_markdown(nb, "demo", {})
    message = str(error.value)
    # 셀 번호는 notebooks/demo.py의 셀 차례: 빌드가 더한 안내 셀은 세지 않습니다.
    assert message.startswith(
        "notebooks/demo.py: 노트북의 출력이나 Markdown 셀이 브라우저에서 실행될 수 있는 내용을 싣습니다:\n"
        "  셀 2번: <script> 태그\n"
        "  셀 3번: <img>의 이벤트 처리기 속성 onerror="
    ), message
    assert message.endswith(active_content.HOW_TO_FIX)


def test_a_plain_html_output_is_shown_as_html(render_markdown) -> None:
    table = "<table><tr><th>층</th></tr><tr><td>64</td></tr></table>"
    nb = _notebook(TITLE, _code("df", _display({"text/html": table, "text/plain": "df"})))
    page = render_markdown(notebook_pages.page_markdown(nb, "demo", {})[0])
    assert f'<div class="notebook-output">\n{table}\n</div>' in page


def test_images_become_files_next_to_the_page_with_their_alt(render_markdown) -> None:
    alt = '기울기 "노름" [곡선] <x> \\ 끝'
    nb = _notebook(
        TITLE,
        _code(
            "draw()",
            _display(
                {"image/png": PNG, "text/plain": "<Figure>"},
                {"image/png": {"alt": alt, "width": 362}},
            ),
            _display({"image/png": PNG, "text/plain": "<Figure>"}),  # alt가 없는 그림
        ),
    )
    text, images = notebook_pages.page_markdown(nb, "demo", {})
    (name,) = images  # 같은 그림은 한 파일
    assert re.fullmatch(r"[0-9a-f]{16}\.png", name)
    assert images[name] == base64.b64decode(PNG)
    tags = re.findall(r"<img\b[^>]*>", render_markdown(text))
    assert len(tags) == 2
    attributes = [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in tags]
    assert [html.unescape(a["alt"]) for a in attributes] == [alt, "셀 2번의 그림"]
    assert all(a["src"] == f"demo/{name}" for a in attributes)
    # 보이는 폭(노트북이 적은 width)과 그 비의 높이, 늦은 불러오기
    assert (attributes[0]["width"], attributes[0]["height"]) == ("362", "362")
    assert all(a["loading"] == "lazy" for a in attributes)


def test_output_data_that_is_no_image_or_text_names_the_cell() -> None:
    """노트북은 출력의 데이터를 직접 만들 수 있습니다(display(..., raw=True)): 읽을 수 없으면 셀을 짚어 멈춥니다."""
    bad = _display({"image/png": "이건 그림이 아닙니다!", "text/plain": "<Figure>"})
    with pytest.raises(notebook_pages.NotebookPageError) as error:
        notebook_pages.page_markdown(_notebook(TITLE, _code("show()", bad)), "demo", {})
    assert str(error.value).startswith(
        "notebooks/demo.py: 셀 2번: 그림 출력(image/png)의 데이터가 base64가 아닙니다."
    )
    nb = _notebook(TITLE, _code("show()", _display({"text/html": "<b>x</b>"})))
    nb.cells[1].outputs[0].data["text/html"] = {"a": 1}  # nbformat이 만들어 주지 않는 틀린 출력
    with pytest.raises(notebook_pages.NotebookPageError) as error:
        notebook_pages.page_markdown(nb, "demo", {})
    assert str(error.value).startswith(
        "notebooks/demo.py: 셀 2번: 출력(text/html)의 데이터가 글자가 아닙니다."
    )


def test_the_link_to_the_post_points_at_its_markdown_source() -> None:
    note = nbformat.v4.new_markdown_cell("**글** · [데모 글](https://blog.example/2025/demo/)")
    nb = _notebook(TITLE, note)
    links = {"https://blog.example/2025/demo/": "../blog/posts/demo.md"}
    text, _ = notebook_pages.page_markdown(nb, "demo", links)
    assert "**글** · [데모 글](../blog/posts/demo.md)" in text


def test_snippet_markers_in_a_notebook_are_shown_not_followed(render_markdown) -> None:
    """노트북의 어느 칸도 pymdownx.snippets로 저장소의 파일(mkdocs.yml)을 끌어오지 못합니다."""
    nb = _notebook(
        TITLE,
        nbformat.v4.new_markdown_cell('--8<-- "mkdocs.yml"'),
        _code('--8<-- "mkdocs.yml"\n# --8<-- [start:x]', _stream(';--8<-- "mkdocs.yml"\n')),
    )
    page = render_markdown(notebook_pages.page_markdown(nb, "demo", {})[0])
    assert "site_name" not in page
    assert '<p>--8&lt;-- "mkdocs.yml"</p>' in page
    assert _blocks(page, "python") == ['--8<-- "mkdocs.yml"\n# --8<-- [start:x]\n']
    assert _blocks(page, "text") == [';--8<-- "mkdocs.yml"\n']


def test_a_first_cell_that_looks_like_front_matter_stays_text(render_markdown) -> None:
    nb = _notebook(nbformat.v4.new_markdown_cell("---\ntitle: 가짜\n---\n\n본문"))
    text, _ = notebook_pages.page_markdown(nb, "demo", {})
    body, meta = get_data(text)
    assert meta == {}
    assert body.startswith("---\ntitle: 가짜\n---")
    assert "<p>본문</p>" in render_markdown(text)


def test_write_page_writes_the_page_and_its_images_and_drops_old_ones(tmp_path: Path) -> None:
    published = tmp_path / "demo" / "demo.ipynb"
    published.parent.mkdir()
    figure = _display({"image/png": PNG, "text/plain": "<Figure>"}, {"image/png": {"alt": "점"}})
    nbformat.write(_notebook(TITLE, _code("draw()", figure)), published)
    stale = tmp_path / "demo" / "0000000000000000.png"  # 지난 빌드의 그림
    stale.write_bytes(b"old")
    writing = tmp_path / "demo" / ".0123456789abcdef.png.x1y2"  # 다른 빌드가 쓰는 중인 임시 파일
    writing.write_bytes(b"new")
    (image,) = notebook_pages.write_page(published, "demo", {})
    assert image.parent == published.parent and image.read_bytes() == base64.b64decode(PNG)
    assert not stale.exists()
    assert writing.exists() and published.exists()
    page = (tmp_path / "demo.md").read_text(encoding="utf-8")
    assert f"![점](demo/{image.name})" in page
