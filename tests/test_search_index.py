"""blogbuild/search_index.py: 색인에 드는 페이지, 색인에 드는 글자, 실리는 스크립트, 틀린 입력의 메시지.

색인은 진짜 Pagefind(고정된 pagefind_bin)가 쓰고, 테스트는 그 색인 파일(pagefind/fragment/)을 읽어 봅니다.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blogbuild import frontmatter, search_index
from blogbuild.project import POSTS, Project
from tests.conftest import ROOT


def _page(body: str, title: str = "제목") -> str:
    return (
        "<html><head><title>t</title></head><body><nav>메뉴 낱말</nav>"
        f'<article class="md-content__inner md-typeset"><h1 id="top">{title}</h1>{body}</article>'
        "<footer>바닥 낱말</footer></body></html>"
    )


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for url, text in pages.items():
        path = site / url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def test_page_urls_are_the_published_posts_notebook_pages_and_pages_not_excluded() -> None:
    """이 저장소의 글과 페이지로: 실리는 글은 무게 1, 노트북 페이지와 다른 페이지는 그보다 가볍게, 앞머리에
    search.exclude를 적은 페이지(글 목록, 태그, 시리즈, 홈)는 빠집니다."""
    project = Project.load(ROOT)
    urls = search_index.page_urls(project)
    posts = [project.post_url(post) for post in project.series()[1].values()]
    assert posts and all(urls[url] == 1.0 for url in posts)
    notebooks = [f"notebooks/{path.stem}/" for path in sorted((ROOT / "notebooks").glob("*.py"))]
    assert all(urls[url] < 1.0 for url in notebooks)
    pages = set()
    for page in sorted((ROOT / "docs").rglob("*.md")):
        relative = page.relative_to(ROOT / "docs")
        if relative.is_relative_to(POSTS):
            continue
        stem = relative.with_suffix("").as_posix()
        url = "" if stem == "index" else stem.removesuffix("/index") + "/"
        search = frontmatter.read_front_matter(page).get("search") or {}
        if not search.get("exclude"):
            pages.add(url)
    assert pages and all(urls[url] < 1.0 for url in pages)
    assert set(urls) == {*posts, *notebooks, *pages}


def test_index_holds_the_article_only_and_the_added_terms(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "a/": _page(
                "<p>셀프 어텐션을 씁니다. 셀프 어텐션은 셀프 어텐션</p><p data-search-exclude>먼저 읽을 글</p>"
                '<div class="language-python notebook-input highlight"><pre>plt.plot(x)</pre></div>'
                '<h2 id="s">잔차<a class="headerlink" href="#s">¶</a></h2><p>본문</p>',
                "글 하나",
            ),
            "b/": _page("<p>레이어 정규화를 둡니다. 멀티헤드를 씁니다. 멀티 헤드</p>"),
        },
    )
    scripts = search_index.write(
        site,
        {"a/": 1.0, "b/": 0.5},
        {"layer normalization": "레이어 정규화"},
        subjects={"a/": [("s", ["잔차 연결", "residual connection"])]},
    )
    records = {record.url: record for record in search_index.read(site)}
    assert set(records) == {"/a/", "/b/"}
    a, b = records["/a/"], records["/b/"]
    assert a.title == "글 하나"
    assert "셀프 어텐션을" in a.content and "본문" in a.content
    for left_out in ("메뉴", "바닥", "먼저 읽을 글", "plt.plot", "¶"):
        assert left_out not in a.content, left_out
    forms = json.loads((site / "pagefind" / "forms.json").read_text(encoding="utf-8"))
    assert forms["joined"] == {"셀프어텐션": "셀프 어텐션"}  # 세 번 띄어 쓴 짝만(search_terms)
    assert forms["aliases"] == {"layer normalization": "레이어 정규화"}
    assert "residual connection" in a.content  # 용어집이 이 제목 아래에서 설명한다고 적은 용어
    assert {"멀티", "헤드"} <= set(b.content.replace(".", " ").split())  # 붙여 쓴 낱말의 조각
    assert set(scripts) == {"pagefind/pagefind.js", "pagefind/pagefind-worker.js"}
    shipped = {path.name for path in (site / "pagefind").glob("*.js")}
    assert shipped == {"pagefind.js", "pagefind-worker.js"}  # 쓰지 않는 기본 UI는 싣지 않습니다
    assert all(scripts[name] == (site / name).read_bytes() for name in scripts)


def test_index_is_rewritten_from_scratch(tmp_path: Path) -> None:
    """지난 빌드의 색인이나 docs/에서 온 pagefind/의 파일은 남지 않습니다: 색인은 이번 페이지들만."""
    site = _site(tmp_path, {"a/": _page("<p>하나</p>")})
    stale = site / "pagefind" / "evil.js"
    stale.parent.mkdir(parents=True)
    stale.write_text("alert(1)", encoding="utf-8")
    search_index.write(site, {"a/": 1.0})
    assert not stale.exists()
    assert [record.url for record in search_index.read(site)] == ["/a/"]


def test_missing_pages_and_articles_are_named_together(tmp_path: Path) -> None:
    site = _site(tmp_path, {"bare/": "<html><body><p>본문 없음</p></body></html>", "a/": _page("")})
    with pytest.raises(search_index.SearchIndexError) as raised:
        search_index.write(
            site,
            {"gone/": 1.0, "bare/": 1.0, "a/": 1.0},
            subjects={"a/": [("no-such-heading", ["용어"])]},
        )
    problems = raised.value.problems
    assert len(problems) == 3, problems
    assert "site/gone/index.html이 없습니다" in problems[0]
    assert "site/bare/index.html에 본문" in problems[1]
    assert "#no-such-heading" in problems[2] and "data/glossary.yml" in problems[2]
