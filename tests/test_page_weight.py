"""독자의 브라우저가 첫 방문에 받는 것(issue 27): 쓰지 않는 요소의 스크립트·스타일, 코드 줄마다의 앵커.

바이트와 점수 자체는 벤치마크(make bench-lighthouse)가 찍고, 여기서는 그 숫자를 만든 성질을 봅니다.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from blogbuild import lean_assets, page_assets
from tests.conftest import ROOT

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
ASSETS = CONFIG["extra"]["page_assets"]


def _pages(site: Path) -> dict[str, str]:
    return {
        page.relative_to(site).as_posix(): page.read_text(encoding="utf-8")
        for page in site.rglob("*.html")
    }


def _loads(html: str, path: str) -> bool:
    return bool(re.search(rf'(?:src|href)="(?:[./]*)?{re.escape(path)}"', html))


def test_code_blocks_carry_no_anchor_per_line(built_site: Path) -> None:
    """코드 줄마다의 <span id="__span-…">와 <a id="__codelineno-…">(줄 번호가 없으니 아무도 링크하지 않는
    앵커)는 줄마다 요소 둘이었습니다: 노트북 페이지 bart-vs-t5에서 4,882개 가운데 1,218개. 페이지를 열 때
    Material의 팔레트 스크립트가 문서 전체의 스타일을 네 번 다시 계산하므로 요소 수가 곧 시간입니다."""
    with_code = {name: html for name, html in _pages(built_site).items() if "<pre" in html}
    assert any(name.startswith("notebooks/") for name in with_code)
    assert any(name.startswith("blog/20") for name in with_code)
    anchored = [
        name for name, html in with_code.items() if "__codelineno" in html or '"__span-' in html
    ]
    assert anchored == []


def test_each_page_asset_is_loaded_exactly_where_its_element_is(built_site: Path) -> None:
    """계산기와 어텐션 그림의 스크립트·스타일은 그 요소가 있는 페이지에만 실립니다: 다른 페이지의
    독자는 내려받지 않고, 요소가 있는 페이지는 빠짐없이 받습니다."""
    assert set(ASSETS) == {
        "assets/tco-calculator.js",
        "stylesheets/tco-calculator.css",
        "javascripts/attention-figure.js",
        "stylesheets/attention-figure.css",
    }
    listed = [s["path"] if isinstance(s, dict) else s for s in CONFIG["extra_javascript"]]
    listed += CONFIG["extra_css"]
    pages = _pages(built_site)
    for path, selector in ASSETS.items():
        assert path in listed, (
            f"{path}는 extra_javascript나 extra_css에 적혀 사이트에 실려야 합니다"
        )
        assert (built_site / path).is_file()
        tag, kind, value = page_assets.parse(selector)
        marker = re.compile(rf'<{tag}\b[^>]*\b{kind}="(?:[^"]*\s)?{re.escape(value)}(?:\s[^"]*)?"')
        having = {name for name, html in pages.items() if marker.search(html)}
        loading = {name for name, html in pages.items() if _loads(html, path)}
        assert having, f"{selector}가 있는 페이지가 없습니다"
        assert loading == having, (path, sorted(loading ^ having))


def test_a_page_asset_stays_only_for_an_element_not_for_its_text_in_code() -> None:
    head = (
        '<link rel="stylesheet" href="../stylesheets/tco-calculator.css">\n'
        '<script src="../assets/tco-calculator.js" defer></script>\n'
        '<script src="../javascripts/search.js" defer></script>\n'
    )
    assets = {
        "assets/tco-calculator.js": "form#tco-calculator",
        "stylesheets/tco-calculator.css": "form#tco-calculator",
    }
    in_code = ['<pre><code>&lt;form id="tco-calculator"&gt;</code></pre>']
    assert page_assets.only_where_used(head, in_code, assets) == (
        '<script src="../javascripts/search.js" defer></script>\n'
    )
    form = ['<p>계산기</p><form id="tco-calculator" class="tco-calculator" novalidate></form>']
    assert page_assets.only_where_used(head, form, assets) == head
    # 요약을 싣는 목록 페이지: 요소가 어느 조각에 있든
    assert page_assets.only_where_used(head, ["<p>요약</p>", *form], assets) == head


@pytest.mark.parametrize(
    "selector", ["#tco-calculator", "form", "form#a b", "form.a.b", "div[id=x]"]
)
def test_a_page_asset_selector_is_one_tag_with_one_id_or_class(selector: str) -> None:
    with pytest.raises(page_assets.SelectorError, match="태그#아이디"):
        page_assets.parse(selector)


def test_published_stylesheets_are_their_sources_without_comments(built_site: Path) -> None:
    """사이트 자신의 스타일시트는 주석(관리자의 설명) 없이 실립니다: 규칙은 한 글자도 바뀌지 않고, extra.css는
    압축해서도 원본의 절반보다 작습니다."""
    for name in CONFIG["extra_css"]:
        source = (ROOT / "docs" / name).read_text(encoding="utf-8")
        published = (built_site / name).read_text(encoding="utf-8")
        assert "/*" not in published, name
        rules = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
        assert published.split() == rules.split(), name
    extra = "stylesheets/extra.css"
    packed = [
        len(gzip.compress(path.read_bytes(), 9))
        for path in (ROOT / "docs" / extra, built_site / extra)
    ]
    assert packed[1] < packed[0] / 2, packed


def test_stylesheet_comments_go_and_strings_that_look_like_comments_stay() -> None:
    css = (
        "/* 설명\n   두 줄 */\n"
        "a {\n"
        "  color: red; /* 줄 끝 */\n"
        '  content: "/* 글자 */";\n'
        "  background: url('x/*y*/z.svg');\n"
        "}\n"
    )
    assert lean_assets.css(css) == (
        "a {\n  color: red;\n  content: \"/* 글자 */\";\n  background: url('x/*y*/z.svg');\n}\n"
    )


def test_published_site_scripts_are_their_sources_without_comment_lines(built_site: Path) -> None:
    """사이트 자신의 스크립트는 줄 전체가 주석인 줄 없이 실립니다: 남은 줄은 원본의 줄 그대로이고 차례도 같으며,
    node가 문법을 받아들입니다."""
    names = [s["path"] if isinstance(s, dict) else s for s in CONFIG["extra_javascript"]]
    for name in names:
        source = (ROOT / "docs" / name).read_text(encoding="utf-8").splitlines()
        published = (built_site / name).read_text(encoding="utf-8").splitlines()
        assert not any(line.lstrip().startswith("//") for line in published), name
        assert len(published) < len(source), name
        rest = iter(source)  # 실린 줄은 원본의 줄을 차례대로 고른 것
        assert all(any(line == kept for line in rest) for kept in published), name
        if shutil.which("node"):
            check = subprocess.run(["node", "--check", str(built_site / name)], capture_output=True)
            assert check.returncode == 0, (name, check.stderr)


def test_script_comment_lines_go_and_code_stays() -> None:
    source = (
        "/*\n * 머리 주석\n */\n"
        "// 설명\n"
        'const url = "http://x/"; // 줄 끝 주석은 남습니다\n'
        "\n"
        "  /* 한 줄 */\n"
        "const re = /a\\/\\/b/;\n"
    )
    assert lean_assets.js(source) == (
        'const url = "http://x/"; // 줄 끝 주석은 남습니다\nconst re = /a\\/\\/b/;\n'
    )
    multiline = "const t = `\n// 글자\n`;\n"
    assert lean_assets.js(multiline) == multiline
