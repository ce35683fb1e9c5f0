"""글쓴이의 미리 보기: `make serve`와 `make write`(--dirty)가 고친 글을 다시 빌드해 보여 주는지.

사이트 복사본(실행 결과 포함)에서 진짜 `properdocs serve`(make serve)를 띄우고, 글에 문장을 더한 뒤 다시 빌드를 기다려
그 글 페이지에 새 문장이 나오는지, 고친 글만 다시 만드는 --dirty 빌드에서도 피드가 글을 모두 싣는지 봅니다.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import POSTS_DIR, copy_site, post_path
from tests.workspace import live_server

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
