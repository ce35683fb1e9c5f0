"""빌드의 단계(`python -m blogbuild <단계>`): 각 단계가 혼자 돌고, 멈출 때는 파일과 줄을 짚은 메시지만
내며, 내용으로 매긴 키가 바뀐 입력을 놓치지 않는지. 생성기가 매긴 주소와 단계가 센 주소가 같은지도 봅니다."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogbuild import frontmatter, notebook_publish
from blogbuild.project import Project
from blogbuild.stages import NAMES, check, execute, prepare
from tests.conftest import ROOT, SMALL_SITE_POST, changed, in_a_build

SLUG = SMALL_SITE_POST[1]


def blogbuild(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "blogbuild",
            *args,
            *(["--root", str(project)] if args[:1] != ("--help",) else []),
        ],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_help_lists_the_stages_in_order() -> None:
    result = blogbuild(ROOT, "--help")
    assert result.returncode == 0, result.stderr
    listed = [name for name in NAMES if f"\n    {name} " in result.stdout]
    assert listed == list(NAMES), result.stdout
    assert result.stdout.index("    check ") < result.stdout.index("    finish ")


@pytest.mark.parametrize("stage", ["check", "execute", "prepare"])
def test_each_stage_runs_alone(small_site: Path, stage: str) -> None:
    result = blogbuild(small_site, stage)
    assert result.returncode == 0, result.stdout + result.stderr
    if stage == "prepare":
        assert (small_site / "build" / "notebooks" / SLUG / f"{SLUG}.ipynb").is_file()
        assert (small_site / "build" / "notebooks" / f"{SLUG}.md").is_file()


def test_prepare_redoes_a_notebook_page_only_when_what_it_reads_changed(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """온 빌드의 prepare는 읽는 것이 그대로인 노트북의 사본과 페이지를 다시 만들지 않습니다(memo). 실행된
    노트북이 바뀌거나, build/에 쓴 파일이 지워지거나 고쳐지면 다시 만듭니다."""
    made: list[str] = []
    publish = notebook_publish.published
    monkeypatch.setattr(
        notebook_publish, "published", lambda *a, **k: made.append(a[1]) or publish(*a, **k)
    )

    def build_once() -> list[str]:
        made.clear()
        in_a_build(tmp_path / "memo.json", lambda: run_stages(Project.load(small_site)))
        return list(made)

    page = small_site / "build" / "notebooks" / f"{SLUG}.md"
    build_once()
    assert build_once() == []  # 그대로: 다시 만들지 않습니다
    page.unlink()
    assert build_once() == [SLUG]
    assert page.is_file()
    with changed(page, "누가 고친 페이지\n"):
        assert build_once() == [SLUG]
        assert page.read_text(encoding="utf-8") != "누가 고친 페이지\n"
    executed = small_site / "build" / "outputs" / SLUG / f"{SLUG}.ipynb"
    text = executed.read_text(encoding="utf-8")
    cells = json.loads(text)
    cells["cells"].append({"cell_type": "markdown", "id": "new", "metadata": {}, "source": "새 셀"})
    with changed(executed, json.dumps(cells)):
        assert build_once() == [SLUG]
        assert "새 셀" in page.read_text(encoding="utf-8")
    assert build_once() == [SLUG]  # 되돌린 노트북의 페이지로


def test_a_build_reads_the_series_once_and_the_next_build_reads_the_edit(
    small_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """글 페이지마다 부르는 Project.series()는 빌드(Project) 하나에 한 번 글을 읽습니다(글 N편이면 N×N번
    읽던 것). 생성기는 빌드마다 Project를 새로 만드므로, 고친 글은 다음 빌드가 읽습니다."""
    reads: list[int] = []  # 글의 앞머리를 모두 읽어 싣는 글을 고르는 횟수
    published = frontmatter.published
    monkeypatch.setattr(
        frontmatter, "published", lambda *a, **k: reads.append(1) or published(*a, **k)
    )
    project = Project.load(small_site)
    title = project.series()[1][SLUG].title
    for _ in range(3):
        assert project.series()[1][SLUG].title == title
    assert len(reads) == 1
    post = small_site / "docs" / "blog" / "posts" / f"{SLUG}.md"
    text = post.read_text(encoding="utf-8")
    with changed(post, text.replace(f"# {title}", "# 고친 제목", 1)):
        assert Project.load(small_site).series()[1][SLUG].title == "고친 제목"
    assert len(reads) == 2


def run_stages(project: Project) -> None:
    for stage in (check, execute, prepare):
        stage.run(project)


def test_finish_without_a_site_says_what_to_run_first(small_site: Path, tmp_path: Path) -> None:
    config = small_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    with changed(config, text + f"\nsite_dir: {tmp_path / 'nothing-here'}\n"):
        result = blogbuild(small_site, "finish")
    assert result.returncode == 1
    assert "먼저 python -m blogbuild build" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_stopped_stage_names_the_file_and_line_without_a_traceback(small_site: Path) -> None:
    post = small_site / "docs" / "blog" / "posts" / f"{SLUG}.md"
    text = post.read_text(encoding="utf-8")
    assert blogbuild(small_site, "check").returncode == 0  # 통과한 입력의 키가 남습니다
    broken = text.replace("\n---\n", "\n---\n\n<script>alert(1)</script>\n", 1)
    with changed(post, broken):
        result = blogbuild(small_site, "check")
    assert result.returncode == 1, (
        "the check stage skipped a changed post because an old key matched"
    )
    line = broken.split("\n").index("<script>alert(1)</script>") + 1
    assert f"docs/blog/posts/{SLUG}.md:{line}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert blogbuild(small_site, "check").returncode == 0  # 되돌리면 다시 통과


def test_stage_urls_are_the_hosts_urls(built_site: Path) -> None:
    """노트북의 글 링크와 피드는 단계가 센 주소를 씁니다: 생성기(Material 블로그)가 그 주소에 글을 씁니다."""
    project = Project.load(ROOT)
    posts = project.series()[1]
    assert posts
    for post in posts.values():
        page = built_site / project.post_url(post) / "index.html"
        assert page.is_file(), f"{post.src_uri}: {project.post_url(post)}에 페이지가 없습니다"
        assert post.title in html.unescape(page.read_text(encoding="utf-8"))


def test_reading_time_is_materials_and_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """글을 읽는 시간은 Material의 블로그가 셈하는 값 그대로이고, 같은 본문이면 다음 빌드는 셈하지 않습니다."""
    from material.plugins.blog import readtime  # noqa: PLC0415

    from blogbuild import memo  # noqa: PLC0415
    from blogbuild.stages import build  # noqa: PLC0415

    page = "<p>" + "낱말 " * 700 + '</p><img src="a.svg" alt="그림">'
    memo.start(tmp_path / "memo.json")
    try:
        assert build.reading_minutes(page, 265) == readtime.readtime(page, 265) == 3
    finally:
        memo.finish()
    monkeypatch.setattr(readtime, "readtime", lambda *_: pytest.fail("기억에 있는데 다시 셌습니다"))
    memo.start(tmp_path / "memo.json")
    try:
        assert build.reading_minutes(page, 265) == 3
        with pytest.raises(pytest.fail.Exception):  # 다른 속도의 값은 기억에 없습니다: 다시 셉니다
            build.reading_minutes(page, 100)
    finally:
        memo.finish()
