"""글쓴이의 미리 보기: `make serve`와 `make write`(--dirty)가 고친 글을 다시 빌드해 보여 주는지.

사이트 복사본(실행 결과 포함)에서 진짜 `properdocs serve`(make serve)를 띄우고, 글에 문장을 더한 뒤 다시 빌드를 기다려
그 글 페이지에 새 문장이 나오는지, 고친 글만 다시 만드는 --dirty 빌드에서도 피드가 글을 모두 싣는지 봅니다.
"""

from __future__ import annotations

import logging
import shutil
import threading
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from blogbuild import search_index
from blogbuild.project import Project, StageError
from blogbuild.stages import finish
from tests.conftest import POSTS_DIR, copy_site, post_path
from tests.workspace import live_server, mkdocs_build

EDITED = "residual-connection.md"
NEW_SENTENCE = "미리 보기가 이 문장을 곧바로 보여 주어야 합니다."


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("dirty", [False, True], ids=["make-serve", "make-write"])
def test_editing_a_post_rebuilds_it_and_keeps_every_post_in_the_feed(
    tmp_path: Path, dirty: bool
) -> None:
    project = copy_site(tmp_path / "project")
    post = project / "docs" / "blog" / "posts" / EDITED
    page = post_path(post)
    with live_server(project, dirty=dirty) as server:
        assert NEW_SENTENCE not in _get(server.url + page)
        post.write_text(post.read_text(encoding="utf-8") + f"\n{NEW_SENTENCE}\n", encoding="utf-8")
        server.wait_for_reload(timeout=600)
        assert NEW_SENTENCE in _get(server.url + page)
        items = ET.fromstring(_get(server.url + "feed.xml")).findall("./channel/item")
    # 미리 보기는 초안(draft: true)도 싣습니다(Material의 draft_on_serve): 피드에도 모든 글.
    assert len(items) == len(list(POSTS_DIR.glob("*.md")))


def test_the_preview_reloads_before_the_search_index_and_checks_it_after(
    small_site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """미리 보기의 두 번째 빌드부터 finish는 검색 색인(Pagefind)을 기다리지 않고 돌아옵니다. 색인은 뒤에서
    쓰이고 검사되며, 기억(then)은 색인을 다 쓴 뒤에야 쓰입니다. 색인의 문제는 로그의 오류로 나옵니다.
    엄격 빌드는 언제나 기다립니다."""
    site = tmp_path / "site"
    result = mkdocs_build(small_site, site)
    assert result.returncode == 0, result.stdout + result.stderr
    preview = Project.load(small_site, preview=True, strict=False, site=site)
    monkeypatch.setattr(finish, "_last_scripts", None)
    saved: list[str] = []

    finish.run(preview, then=lambda: saved.append("first"), search_later=True)
    assert saved == ["first"], "the first preview build has no index to fall back on: it waits"
    assert (site / "pagefind" / "pagefind.js").is_file()

    gate, index = threading.Event(), search_index._index
    monkeypatch.setattr(search_index, "_index", lambda pages: gate.wait(60) and index(pages))
    shutil.rmtree(site / "pagefind")  # 생성기가 다음 빌드 전에 사이트를 비웁니다
    finish.run(preview, then=lambda: saved.append("second"), search_later=True)
    assert saved == ["first"] and not (site / "pagefind").exists(), "finish waited for the index"
    gate.set()
    finish.wait_for_search_index()
    assert saved == ["first", "second"]
    assert (site / "pagefind" / "pagefind.js").is_file()

    # 뒤에서 찾은 문제: 로그의 오류로, 기억은 쓰지 않습니다(실패한 빌드처럼).
    (site / "pagefind" / "pagefind.js").write_text("alert(1)", encoding="utf-8")
    monkeypatch.setattr(search_index, "write", lambda *_, **__: {"pagefind/pagefind.js": b"x"})
    with caplog.at_level(logging.ERROR):
        finish.run(preview, then=lambda: saved.append("third"), search_later=True)
        finish.wait_for_search_index()
    assert saved == ["first", "second"]
    assert "site/pagefind/pagefind.js" in caplog.text and "바이트가 다릅니다" in caplog.text

    # 엄격 빌드(make build, CI)는 미리 보기의 색인을 뒤로 미루지 않습니다.
    strict = Project.load(small_site, site=site)
    with pytest.raises(StageError, match="pagefind/pagefind.js"):
        finish.run(strict, then=lambda: saved.append("strict"), search_later=True)
    assert saved == ["first", "second"]
