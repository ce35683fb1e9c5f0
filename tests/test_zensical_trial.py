"""Zensical 시험(tools/zensical_trial.py)이 세는 방법: 작은 가짜 사이트에서. 그리고 시험 자체를 작은
사이트에: Zensical을 처음 설치할 때 PyPI가 필요하므로, 설치되어 있지 않고 PyPI에도 닿지 않으면 그 테스트만
건너뜁니다(make try-zensical이 전체 사이트로 합니다)."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from blogbuild import search_index
from blogbuild.project import Project
from tests.conftest import ROOT
from tools import zensical_trial

CSP = '<head><meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
POST = "blog/2025/01/02/post/index.html"
FEED = """<rss version="2.0"><channel><title>t</title>
<item><title>a</title></item><item><title>b</title></item></channel></rss>"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def real_site(tmp_path: Path) -> Path:
    """빌드가 다 한 사이트의 축소판: CSP, 피드, 노트북 페이지, 시리즈 안내, 풀리는 그림."""
    up = "../../../../../"
    site = _write(
        tmp_path / "real",
        {
            "index.html": f"<html>{CSP}</head><body><p>첫 화면</p></body></html>",
            POST: f"""<html>{CSP}</head><body><nav class="series-lead">먼저</nav>
                <img src="{up}outputs/a/fig.svg#only-light" alt="그림">
                <table><thead><tr><th>층 수</th><th><strong>비</strong></th></tr></thead>
                <tbody><tr><td>2</td><td>1</td></tr></tbody></table>
                <table><tr><th>손으로 쓴 표</th></tr></table></body></html>""",
            "outputs/a/fig.svg": "<svg/>",
            "notebooks/a/index.html": f'<html>{CSP}</head><img src="data:image/png;base64,AA"></html>',
            "series/index.html": f"""<html>{CSP}</head><a href="../blog/2025/01/02/post/">글</a>
                <a href="../blog/2025/01/02/post/#s">다시</a><a href="../tags/">태그</a>
                <a href="../../../outside/">밖</a></html>""",
            "glossary/index.html": f"<html>{CSP}</head><table><tr><th>용어</th></tr><tr><td>x</td></tr></table>",
            "tags/index.html": f'<html>{CSP}</head><span class="md-tag">a</span><span class="md-tag">b</span>',
            "feed.xml": FEED,
        },
    )
    for number in range(3):  # finish 단계가 쓴 검색 색인: 페이지마다 조각(fragment) 하나
        record = {"url": f"/p{number}/", "content": "글", "meta": {"title": "제목"}}
        fragment = site / "pagefind" / "fragment" / f"ko_{number}.pf_fragment"
        fragment.parent.mkdir(parents=True, exist_ok=True)
        fragment.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(record).encode()))
    return site


@pytest.fixture
def hookless_site(tmp_path: Path) -> Path:
    """훅 없이 빌드한 사이트의 축소판: 숫자 자리와 수식이 그대로, 그림은 없는 파일을 가리키고, CSP·피드·노트북 없음."""
    return _write(
        tmp_path / "hookless",
        {
            "index.html": "<html><head></head><body>{{ outputs/a/n }}</body></html>",
            POST: """<html><head></head><body><p>{{ outputs/a/n }}배, {{ x }}</p>
                <p><span class="arithmatex">\\(x^2\\)</span></p>
                <img alt="{{ outputs/a/n }}층" src="../../../../../outputs/a/fig.svg">
                <img src="../../../../../../../../outputs/a/fig.svg"></body></html>""",
            "series/index.html": '<html><head></head><a href="../blog/2025/01/03/gone/">없는 글</a></html>',
            "search.json": '{"config": {}, "items": [{}]}',  # 생성기 자신의 색인은 세지 않습니다
        },
    )


NOTEBOOK_TABLES = {("층 수", "비")}


def test_survey_counts_what_the_build_made(real_site: Path) -> None:
    assert zensical_trial.survey(real_site, NOTEBOOK_TABLES) == {
        "html": 6,
        "posts": 1,
        "notebooks": 1,
        "series": 1,  # 같은 글로 가는 두 링크는 하나, 글이 아닌 페이지와 사이트 밖은 빼고
        "series_nav": 1,
        "glossary": 2,
        "tags": 2,
        "placeholders": 0,
        "math": 0,
        "figures": 2,  # 결과 파일로 풀리는 그림과 노트북 페이지에 든 그림
        "broken": 0,
        "tables": 1,  # 손으로 쓴 표는 노트북의 것이 아닙니다
        "csp": 6,
        "feed": 2,
        "search": 3,
    }


def test_survey_counts_what_a_generator_without_hooks_loses(hookless_site: Path) -> None:
    assert zensical_trial.survey(hookless_site, NOTEBOOK_TABLES) == {
        "html": 3,
        "posts": 1,
        "notebooks": 0,
        "series": 0,
        "series_nav": 0,
        "glossary": 0,
        "tags": 0,
        "placeholders": 4,  # 본문에 셋, 그림의 alt에 하나
        "math": 1,  # MathML로 바뀌지 않은 수식
        "figures": 0,
        "broken": 2,  # 없는 파일, 그리고 사이트 밖으로 나가는 주소
        "tables": 0,
        "csp": 0,
        "feed": None,
        "search": None,
    }


def test_table_shows_one_column_per_site_and_missing_files(
    real_site: Path, hookless_site: Path
) -> None:
    table = zensical_trial.table(
        {
            "site/": zensical_trial.survey(real_site, NOTEBOOK_TABLES),
            "Zensical": zensical_trial.survey(hookless_site, NOTEBOOK_TABLES),
        }
    )
    lines = table.splitlines()
    assert lines[0] == "| 항목 | site/ | Zensical |"
    assert len(lines) == 2 + len(zensical_trial.LABELS)
    assert "| feed.xml의 글 (<item>) | 2 | 없음 |" in lines
    assert "| 페이지에 글자 그대로 남은 {{ … }} | 0 | 4 |" in lines


def test_notebook_tables_are_known_by_their_header_row(tmp_path: Path) -> None:
    outputs = _write(
        tmp_path / "outputs",
        {
            "a/ratio.md": "| 층 수 | 비 |\n|---|---|\n| 2 | 1 |\n",
            "a/sample.md": "```text\n견본\n```\n",
            "b/cost.md": "\n| 항목 | 비용 |\n|---|---|\n",
        },
    )
    assert zensical_trial.notebook_table_headers(outputs) == {("층 수", "비"), ("항목", "비용")}


def test_trial_config_points_snippets_at_the_repository_for_zensicals_yaml_loader() -> None:
    """Zensical은 mkdocs.yml을 PyYAML의 Loader로 읽습니다: MkDocs의 !relative 태그는 그 로더가 모릅니다."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    with pytest.raises(yaml.constructor.ConstructorError, match="!relative"):
        yaml.load(text, Loader=yaml.Loader)  # Zensical의 로더 그대로(저장소의 설정)
    config = yaml.load(zensical_trial.trial_config(text, ROOT), Loader=yaml.Loader)
    snippets = next(
        entry["pymdownx.snippets"]
        for entry in config["markdown_extensions"]
        if isinstance(entry, dict) and "pymdownx.snippets" in entry
    )
    assert snippets["base_path"] == [str(ROOT)]


def test_trial_config_refuses_a_relative_path_it_cannot_move() -> None:
    config = "site_name: x\nextra:\n  base: !relative $docs_dir\n"
    with pytest.raises(zensical_trial.TrialError, match=r"^mkdocs\.yml:3: .*!relative \$docs_dir"):
        zensical_trial.trial_config(config, Path("/repo"))


def test_trial_says_to_build_the_site_first(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert zensical_trial.main(["--site", str(tmp_path / "site")]) == 1
    assert capsys.readouterr().err == (
        f"오류: {tmp_path / 'site'}에 사이트가 없습니다: 먼저 make build로 빌드하세요\n"
    )


def _zensical_or_skip() -> Path:
    """Zensical 명령: 설치되어 있지 않고 PyPI에도 닿지 않으면(네트워크 없는 곳) 건너뜁니다."""
    command = zensical_trial.VENV / "bin" / "zensical"
    if not command.is_file():
        try:
            socket.create_connection(("pypi.org", 443), timeout=5).close()
        except OSError as error:
            pytest.skip(
                f"Zensical이 없고 PyPI에 닿지 않습니다({error}): make try-zensical을 네트워크에서"
            )
    return zensical_trial.zensical()


def test_zensical_builds_the_prepared_tree_and_finish_says_what_it_lacks(
    small_site: Path, tmp_path: Path
) -> None:
    """진짜 시험을 작은 사이트에: 훅 없는 Zensical이 준비된 트리에서 글, 숫자, 노트북 페이지, 시리즈 안내를
    그리고, finish --site가 피드를 쓰고 수식을 바꾸며, 없는 것(Material 꼴의 검색 색인, CSP)을 말합니다."""
    command = _zensical_or_skip()
    tree = tmp_path / "tree"
    result = subprocess.run(
        [sys.executable, "-m", "blogbuild", "prepare", "--root", small_site, "--tree", tree],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "work").mkdir()
    site = zensical_trial.build(command, tree, tmp_path / "work", root=small_site)
    tables = zensical_trial.notebook_table_headers(small_site / "build" / "outputs")
    built = zensical_trial.survey(site, tables)
    assert (built["posts"], built["notebooks"], built["series_nav"]) == (1, 1, 1), built
    assert (built["placeholders"], built["broken"], built["csp"]) == (0, 0, 0), built
    finished, message = zensical_trial.finish(site, root=small_site)
    after = zensical_trial.survey(site, tables)
    assert (after["feed"], after["math"]) == (1, 0), after
    assert not finished
    # 검색 색인은 생성기와 상관없이 빌드된 HTML에서: 색인에 드는 페이지(글, 노트북, 용어집)가 모두
    indexed = search_index.page_urls(Project.load(small_site))
    assert after["search"] == len(indexed), (after, indexed)
    assert "Content-Security-Policy가 없는 HTML 페이지입니다" in message
    assert "Traceback" not in message
