"""트랜스포머 시리즈(blogbuild/series.py): data/series.yml 하나의 차례가 시리즈 페이지, 첫 화면, 글의 앞뒤 링크가
되는지, 블로그 목록은 여전히 새 글부터인지, 틀린 차례는 파일과 줄을 짚어 빌드를 멈추는지.

빌드한 HTML을 봅니다(브라우저 없이): 링크는 페이지 주소에서 풀어 사이트의 파일과 맞춥니다.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import markdown
import pytest
import yaml

from blogbuild import execution, search_index, series
from blogbuild.execution import ExecutionError
from blogbuild.frontmatter import read_front_matter
from tests.conftest import (
    PUBLISHED_POSTS,
    ROOT,
    SMALL_SITE_POST,
    changed,
    failed_build,
    in_a_build,
    mkdocs_build,
    post_path,
    remembered_between_builds,
)

ORDER = yaml.safe_load((ROOT / series.SERIES).read_text(encoding="utf-8"))
# 사이트에 실리는 글(초안은 빼고: 시리즈와 첫 화면의 최신 글에 나오지 않습니다)
POSTS = {read_front_matter(path)["slug"]: path for path in PUBLISHED_POSTS}
PATHS = {slug: post_path(path) for slug, path in POSTS.items()}  # blog/YYYY/MM/DD/<slug>/
SLUG_OF = {path: slug for slug, path in PATHS.items()}
SERIES_PATH = "series/"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _article(page: str) -> str:
    return re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page, re.S)[
        1
    ]


def _target(page_path: str, href: str) -> str:
    """페이지(page_path)에 있는 링크 href가 가리키는 사이트 안의 경로(blog/.../slug/)."""
    return urlparse(urljoin(f"https://site.invalid/{page_path}", href)).path.lstrip("/")


def _links(page_path: str, fragment: str) -> list[str]:
    return [_target(page_path, href) for href in re.findall(r'<a href="([^"]+)"', fragment)]


def _post_links(site: Path, page_path: str, fragment: str) -> list[str]:
    """fragment 안의 글 링크들이 가리키는 글의 slug, 나온 차례대로. 링크마다 사이트에 그 페이지가 있어야 합니다."""
    slugs = []
    for target in _links(page_path, fragment):
        if target in SLUG_OF:
            assert (site / target / "index.html").is_file(), target
            slugs.append(SLUG_OF[target])
    return slugs


# --- 빌드한 사이트 -------------------------------------------------------------------------------


def test_series_page_lists_the_posts_in_the_configured_order(built_site: Path) -> None:
    page = _page(built_site, SERIES_PATH)
    article = _article(page)
    (listing,) = re.findall(r"<ol>(.*?)</ol>", article, re.S)
    assert _post_links(built_site, SERIES_PATH, listing) == ORDER
    for slug, item in zip(ORDER, re.findall(r"<li>(.*?)</li>", listing, re.S), strict=True):
        description = read_front_matter(POSTS[slug])["description"]
        assert description in html.unescape(re.sub(r"<[^>]+>", "", item)), slug
    # 사이트의 탐색 메뉴에 있습니다.
    assert re.search(
        r'<a href="\./" class="md-nav__link md-nav__link--active">\s*'
        r'<span class="md-ellipsis">\s*트랜스포머 시리즈',
        page,
    )


def test_each_series_post_says_what_to_read_first_and_links_its_neighbours(
    built_site: Path,
) -> None:
    for at, slug in enumerate(ORDER):
        path = PATHS[slug]
        article = _article(_page(built_site, path))
        before = ORDER[at - 1] if at > 0 else None
        after = ORDER[at + 1] if at + 1 < len(ORDER) else None
        # 제목 바로 아래의 한 줄: 시리즈 페이지, 몇째 글인지, 먼저 읽을 글(앞 글).
        lead = re.search(r"</h1>\s*<p class=\"series-lead\"[^>]*>(.*?)</p>", article, re.S)
        assert lead, f"{slug}: 제목 바로 아래에 '먼저 읽을 글' 줄이 없습니다"
        text = html.unescape(re.sub(r"<[^>]+>", "", lead[1]))
        assert f"{at + 1}/{len(ORDER)}" in text and "먼저 읽을 글" in text, text
        assert _links(path, lead[1])[0] == SERIES_PATH
        if before:
            assert _post_links(built_site, path, lead[1]) == [before]
        else:
            assert "시리즈는 이 글에서 시작합니다" in text
        # 글 끝: 이전 글과 다음 글. 본문의 마지막 것입니다.
        nav = re.search(r'<nav class="series-nav"[^>]*>(.*?)</nav>\s*$', article.rstrip(), re.S)
        assert nav, f"{slug}: 글 끝에 이전 글·다음 글이 없습니다"
        rels = dict(
            (rel, SLUG_OF[_target(path, href)])
            for href, rel in re.findall(r'href="([^"]+)" rel="(prev|next)"', nav[1])
        )
        assert rels == {k: v for k, v in (("prev", before), ("next", after)) if v}, slug


def test_posts_outside_the_series_have_no_series_links(built_site: Path) -> None:
    outside = sorted(set(POSTS) - set(ORDER))
    assert outside, (
        "시리즈 밖의 글(러닝커브, 온프레미스)이 없다면 이 테스트는 아무것도 보지 않습니다"
    )
    for slug in outside:
        page = _page(built_site, PATHS[slug])
        assert "series-lead" not in page and "series-nav" not in page, slug


def test_series_lines_are_kept_out_of_the_search_index(built_site: Path) -> None:
    """ "먼저 읽을 글"에 적힌 앞 글의 제목으로 이 글이 찾아지면 안 됩니다."""
    records = search_index.read(built_site)
    posts = [record for record in records if record.url.lstrip("/") in PATHS.values()]
    assert len(posts) == len(POSTS)
    for record in posts:
        assert "먼저 읽을 글" not in record.content and "이전 글" not in record.content, record.url


def test_blog_index_stays_newest_first(built_site: Path) -> None:
    # 글이 한 쪽(Material의 기본 10편)보다 많으면 목록은 blog/page/2/ 부터 이어집니다: 모든 쪽을 차례로 읽습니다
    listing = ["blog/"] + sorted(
        (
            f"blog/page/{path.parent.name}/"
            for path in (built_site / "blog" / "page").glob("*/index.html")
        ),
        key=lambda page: int(page.split("/")[-2]),
    )
    shown = [
        SLUG_OF[urljoin(page, href)]
        for page in listing
        for href in re.findall(
            r'<nav class="md-post__action">\s*<a href="([^"]+)">',
            (built_site / page / "index.html").read_text(encoding="utf-8"),
        )
    ]
    by_date = sorted(POSTS, key=lambda slug: read_front_matter(POSTS[slug])["date"], reverse=True)
    assert shown == by_date
    assert shown != ORDER


def test_home_page_shows_the_series_and_the_latest_posts(built_site: Path) -> None:
    article = _article(_page(built_site, ""))
    cards = dict(
        (html.unescape(re.sub(r"<[^>]+>", "", heading)).strip("¶ "), body)
        for heading, body in re.findall(
            r'<section class="card">\s*<h2[^>]*>(.*?)</h2>(.*?)</section>', article, re.S
        )
    )
    assert set(cards) == {"트랜스포머 시리즈", "최근 글"}, cards.keys()
    assert _post_links(built_site, "", cards["트랜스포머 시리즈"]) == ORDER
    assert SERIES_PATH in _links("", cards["트랜스포머 시리즈"])
    # 최근 글: 날짜가 새로운 차례로 LATEST편. 같은 날 쓴 글들 사이의 차례는 정하지 않습니다.
    date = {slug: read_front_matter(path)["date"] for slug, path in POSTS.items()}
    shown = _post_links(built_site, "", cards["최근 글"])
    assert len(shown) == len(set(shown)) == min(series.LATEST, len(POSTS))
    assert [date[slug] for slug in shown] == sorted((date[slug] for slug in shown), reverse=True)
    assert all(date[slug] <= date[shown[-1]] for slug in set(POSTS) - set(shown))


# --- 틀린 차례 ----------------------------------------------------------------------------------


def test_build_names_the_line_of_a_series_slug_without_a_post(small_site: Path) -> None:
    slug = SMALL_SITE_POST[1]
    typo = slug.replace("walkthrough", "walkthru")
    text = f"# 시리즈\n- {slug}\n- {typo}\n"
    with changed(small_site / "data" / "series.yml", text):
        output = failed_build(small_site, small_site.parent / "site-series")
    # 차례의 문제는 검사 단계가 글·용어집의 문제와 한 목록으로 알립니다.
    assert "글을 빌드할 수 없습니다:" in output
    assert (
        f"data/series.yml:3: '{typo}'라는 slug의 글이 없습니다. 비슷한 slug: '{slug}'. "
        "docs/blog/posts/의 글 앞머리에 있는 slug로 고치거나, 시리즈에서 뺄 글이면 이 줄을 지우세요"
    ) in output
    assert "Traceback" not in output


def test_a_draft_in_the_series_stops_the_build_and_the_preview(small_site: Path) -> None:
    """초안(draft: true)은 make build와 배포에 실리지 않으므로 차례에 넣을 수 없습니다. 미리 보기(엄격하지
    않은 빌드)도 같은 곳에서 멈춥니다: 배포 전에 알도록."""
    slug = SMALL_SITE_POST[1]
    post = small_site / "docs" / "blog" / "posts" / f"{slug}.md"
    draft = post.read_text(encoding="utf-8").replace("\ntags:", "\ndraft: true\ntags:", 1)
    message = (
        f"data/series.yml:1: '{slug}'는 초안(앞머리 'draft: true')인 글입니다: 초안은 make build와 "
        "배포에 실리지 않으므로 시리즈 차례에 넣을 수 없습니다. 글을 마치고 그 글의 'draft: true' "
        "줄을 지우거나, 그때까지 이 줄을 빼 두세요"
    )
    with changed(post, draft):
        output = failed_build(small_site, small_site.parent / "site-series-draft")
        assert message in output
        preview = mkdocs_build(small_site, small_site.parent / "site-series-preview", strict=False)
        assert preview.returncode != 0 and message in preview.stdout + preview.stderr
    assert "Traceback" not in output


POSTS_INFO = {
    slug: series.PostInfo(
        slug, f"blog/posts/{slug}.md", f"{slug} 제목", "설명", dt.date(2025, 1, n)
    )
    for n, slug in enumerate(["attention", "residual", "gpt"], start=1)
}
BAD_SERIES = {
    "unknown-slug": (
        "- attention\n- residul\n",
        "data/series.yml:2: 'residul'라는 slug의 글이 없습니다. 비슷한 slug: 'residual'.",
    ),
    "twice": (
        "- attention\n- gpt\n- attention\n",
        "data/series.yml:3: 'attention'는 1번 줄에 이미 있습니다",
    ),
    "not-a-slug": (
        "- attention\n- {slug: gpt}\n",
        "data/series.yml:2: 항목은 글의 slug 하나여야 합니다",
    ),
    "not-a-list": ("attention: 1\n", "data/series.yml:1: 글의 slug 목록이어야 합니다"),
    "empty": ("# 아직 없음\n", "data/series.yml:1: 글의 slug 목록이어야 합니다"),
    "yaml": ("- attention\n- [gpt\n", "data/series.yml:3: YAML로 읽을 수 없습니다"),
}


@pytest.mark.parametrize(("text", "message"), BAD_SERIES.values(), ids=BAD_SERIES.keys())
def test_bad_series_file_names_the_line_and_the_fix(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "series.yml").write_text(text, encoding="utf-8")
    with pytest.raises(series.SeriesError) as error:
        series.load(tmp_path, ROOT / "docs", POSTS_INFO)
    assert message in str(error.value)


def test_missing_series_file_says_what_to_write(tmp_path: Path) -> None:
    with pytest.raises(
        series.SeriesError, match="data/series.yml: 파일이 없습니다.*'- masked-multi"
    ):
        series.load(tmp_path, ROOT / "docs", POSTS_INFO)


def test_series_order_is_the_files_order_and_neighbours_follow_it(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "series.yml").write_text("- gpt\n- attention\n- residual\n")
    loaded = series.load(tmp_path, ROOT / "docs", POSTS_INFO)
    assert [post.slug for post in loaded.posts] == ["gpt", "attention", "residual"]
    assert loaded.name == "트랜스포머 시리즈"
    gpt, attention, residual = loaded.posts
    assert loaded.neighbours(gpt.src_uri) == (1, None, attention)
    assert loaded.neighbours(attention.src_uri) == (2, gpt, residual)
    assert loaded.neighbours(residual.src_uri) == (3, attention, None)
    assert loaded.neighbours("blog/posts/learning-curve.md") is None


# 기여자가 쓴 제목과 설명: Markdown, HTML, 수식, 코드 조각 참조, 빌드의 숫자 자리.
HOSTILE_TITLE = (
    'Q&A "인용" &lt;script&gt;alert(3)&lt;/script&gt; **굵게** [링크](http://evil.invalid)'
)
PLAIN_TITLE = 'Q&A "인용" <script>alert(3)</script> 굵게 링크'
HOSTILE_DESCRIPTION = '<img src=x onerror=alert(1)> $x$ {{ outputs/a/b }} --8<-- "/etc/passwd" *별*'


# 사이트가 쓰는 Markdown 확장 가운데 글자를 구조로 바꾸는 것들: 목록의 글자가 이것들에 걸리지 않아야 합니다.
EXTENSIONS = [
    "abbr",
    "attr_list",
    "footnotes",
    "md_in_html",
    "pymdownx.arithmatex",
    "pymdownx.inlinehilite",
]
OUR_TAGS = {"ol", "ul", "li", "p", "a", "strong", "br", "small"}  # 목록이 스스로 쓰는 태그


def test_lists_and_links_show_contributed_text_as_text() -> None:
    assert series.plain_title(HOSTILE_TITLE) == PLAIN_TITLE
    post = series.PostInfo(
        "x", "blog/posts/x.md", PLAIN_TITLE, HOSTILE_DESCRIPTION, dt.date(2025, 1, 2)
    )
    other = series.PostInfo("y", "blog/posts/y.md", "다음 글", "설명입니다", dt.date(2025, 1, 1))
    pair = series.Series("트랜스포머 시리즈", (post, other))
    for listing in (series.series_markdown(pair), series.latest_markdown({"x": post, "y": other})):
        rendered = markdown.markdown(listing, extensions=EXTENSIONS)
        assert set(re.findall(r"</?(\w+)", rendered)) <= OUR_TAGS, rendered
        first = re.search(r"<li>(.*?)</li>", rendered, re.S)[1]
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", first)).split())
        assert text.startswith(" ".join(PLAIN_TITLE.split())), text
        assert re.findall(r'href="([^"]+)"', rendered) == ["blog/posts/x.md", "blog/posts/y.md"]
    assert " ".join(HOSTILE_DESCRIPTION.split()) in html.unescape(
        re.sub(
            r"<[^>]+>", "", markdown.markdown(series.series_markdown(pair), extensions=EXTENSIONS)
        )
    )
    decorated = series.decorate("<h1>y</h1><p>본문</p>", "blog/posts/y.md", pair, lambda uri: uri)
    assert "<script>" not in decorated
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in decorated  # 앞 글의 제목이 글자로


# --- 앞 글에서 배운 것만 쓰기 ---------------------------------------------------------------------


def test_no_series_post_uses_a_part_first_taught_in_a_later_post() -> None:
    """data/series.yml의 차례대로 읽는 독자는 글마다 앞 글에서 실은 부품만 만납니다: 글이 싣는 구간의 코드와
    동반 노트북이 쓰는 구간은 모두 그 글이나 앞 글에서 처음 실렸습니다. 차례와 글에서 읽으므로 글이 늘어도
    그대로입니다."""
    posts = series.read_posts(PUBLISHED_POSTS, ROOT / "docs")
    loaded = series.load(ROOT, ROOT / "docs", posts)
    assert series.forward_references(ROOT, ROOT / "docs", loaded) == []


# 작은 저장소: parts.py의 두 구간(Layer가 Sublayer를 부름)과 구간 밖 도우미, 그것을 불러오는 model.py,
# 그리고 Sublayer를 불러오는 노트북.
PARTS = '''\
# --8<-- [start:sublayer]
class Sublayer:
    """서브블록."""


# --8<-- [end:sublayer]


def helper() -> None:
    """어느 글에도 실리지 않는 도우미: 부품이 아닙니다."""


# --8<-- [start:layer]
class Layer:
    """층."""

    def __init__(self) -> None:
        self.sub = Sublayer()
        helper()


# --8<-- [end:layer]
'''
MODEL = '''\
from snippets.parts import Layer, helper


# --8<-- [start:model]
def model() -> Layer:
    """모델."""
    helper()
    return Layer()


# --8<-- [end:model]
'''
NOTEBOOK = "# %%\nimport math\n\nfrom snippets.parts import Sublayer, helper\n"
SMALL_POSTS = {
    "parts": '# 부품\n\n```python\n--8<-- "snippets/parts.py:sublayer"\n```\n\n'
    '```python\n--8<-- "snippets/parts.py:layer"\n```\n',
    "layer-only": '# 층만\n\n```python\n--8<-- "snippets/parts.py:layer"\n```\n',
    "model": '# 모델\n\n```python\n--8<-- "snippets/model.py:model"\n```\n\n'
    "![그림](../../outputs/training/loss.svg)\n",
}


def _small_repo(tmp_path: Path, order: list[str]) -> tuple[Path, series.Series]:
    for path, text in {
        "snippets/parts.py": PARTS,
        "snippets/model.py": MODEL,
        "notebooks/training.py": NOTEBOOK,
        **{f"docs/blog/posts/{slug}.md": text for slug, text in SMALL_POSTS.items()},
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    posts = tuple(
        series.PostInfo(slug, f"blog/posts/{slug}.md", slug, "설명", dt.date(2025, 1, 1))
        for slug in order
    )
    return tmp_path, series.Series("트랜스포머 시리즈", posts)


def test_parts_used_after_they_are_taught_are_fine(tmp_path: Path) -> None:
    root, order = _small_repo(tmp_path, ["parts", "model", "layer-only"])
    assert series.forward_references(root, root / "docs", order) == []


def test_a_post_using_a_part_taught_later_names_its_line_and_the_part(tmp_path: Path) -> None:
    """model이 parts보다 앞: model.py의 구간이 부르는 Layer와, 노트북이 불러오는 Sublayer가 뒤 글의 것."""
    root, order = _small_repo(tmp_path, ["model", "parts"])
    found = [str(problem) for problem in series.forward_references(root, root / "docs", order)]
    fix = (
        "독자는 아직 그것을 배우지 않았습니다. data/series.yml에서 그 글의 줄을 이 글 앞으로 옮기거나, "
        "이 글이 앞 글에서 실은 것만 쓰게(또는 그 부품을 이 글에서 먼저 싣고 설명하게) 고치세요"
    )
    assert found == [
        "docs/blog/posts/model.md:4: 'snippets/model.py:model'의 코드가 부르는 "
        "Layer(snippets/parts.py:layer): 시리즈에서 이 글('model', 1번째)보다 뒤인 2번째 글 "
        f"'parts'에서 처음 싣는 부품입니다: {fix}",
        "docs/blog/posts/model.md:7: 동반 노트북 notebooks/training.py의 4번 줄이 불러오는 "
        "Sublayer(snippets/parts.py:sublayer): 시리즈에서 이 글('model', 1번째)보다 뒤인 2번째 글 "
        f"'parts'에서 처음 싣는 부품입니다: {fix}",
    ]


def test_a_section_using_a_neighbour_taught_later_is_a_forward_reference(tmp_path: Path) -> None:
    """같은 파일의 구간끼리도: Layer만 먼저 실으면 그 코드가 부르는 Sublayer는 아직 배우지 않은 것입니다."""
    root, order = _small_repo(tmp_path, ["layer-only", "parts", "model"])
    (problem,) = series.forward_references(root, root / "docs", order)
    assert problem.path == Path("docs/blog/posts/layer-only.md") and problem.line == 4
    assert "Sublayer(snippets/parts.py:sublayer)" in problem.message
    assert "2번째 글 'parts'에서 처음 싣는" in problem.message


@pytest.mark.parametrize(
    "mention",
    ["그림 {{ loss }}\n", "[동반 노트북](../../notebooks/training.md)\n"],
    ids=["short-output", "notebook-page-link"],
)
def test_a_posts_own_notebook_named_the_short_way_is_checked(tmp_path: Path, mention: str) -> None:
    """글 자신의 노트북(notebooks/<slug>.py)은 짧은 꼴 {{ 이름 }}이나 노트북 페이지 링크(.md)로만
    가리켜도 검사합니다: 노트북이 불러오는 Sublayer는 뒤 글 parts가 처음 싣습니다."""
    root, order = _small_repo(tmp_path, ["training", "parts"])
    (root / "docs/blog/posts/training.md").write_text(f"# 학습\n\n{mention}", encoding="utf-8")
    (problem,) = series.forward_references(root, root / "docs", order)
    assert problem.path == Path("docs/blog/posts/training.md") and problem.line == 3
    assert "동반 노트북 notebooks/training.py의 4번 줄이 불러오는" in problem.message
    assert "Sublayer(snippets/parts.py:sublayer)" in problem.message


def test_each_code_file_is_read_once_however_many_posts_embed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """빌드마다 도는 검사라서, 글이 같은 구간을 더 실어도 코드 파일을 더 읽지 않습니다(글 100편의 블로그).

    예전에는 구간을 싣는 곳마다, 그 구간이 부르는 이름마다 모듈을 다시 읽고 구문 트리를 훑었습니다."""
    reads: dict[str, int] = {}
    read_text = Path.read_text

    def counted(path: Path, *args: object, **kwargs: object) -> str:
        if path.suffix == ".py":
            reads[path.name] = reads.get(path.name, 0) + 1
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    root, order = _small_repo(tmp_path, ["parts", "model", "layer-only"])
    assert series.forward_references(root, root / "docs", order) == []
    few = dict(reads)
    more = [f"layer-only-{copy}" for copy in range(5)]
    for slug in more:
        (root / "docs/blog/posts" / f"{slug}.md").write_text(SMALL_POSTS["layer-only"] * 3)
    posts = order.posts + tuple(
        series.PostInfo(slug, f"blog/posts/{slug}.md", slug, "설명", dt.date(2025, 1, 1))
        for slug in more
    )
    reads.clear()
    assert series.forward_references(root, root / "docs", series.Series(order.name, posts)) == []
    assert reads == few
    assert set(few) == {"parts.py", "model.py", "training.py"}
    assert max(few.values()) <= 2  # 구문 트리 한 번, 구간 표시 한 번


def test_code_files_are_walked_once_while_posts_are_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs serve는 글을 고칠 때마다 이 검사를 다시 합니다(글이 바뀌어 빌드 사이의 기억은 맞지 않습니다):
    고치지 않은 코드 파일의 구문 트리는 다시 훑지 않습니다."""
    series._walked.cache_clear()
    walked = []
    walk = ast.walk
    monkeypatch.setattr(ast, "walk", lambda node: walked.append(node) or walk(node))
    root, order = _small_repo(tmp_path, ["parts", "model", "layer-only"])
    assert series.forward_references(root, root / "docs", order) == []
    first = len(walked)
    post = root / "docs" / "blog" / "posts" / "model.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n한 줄 더.\n", encoding="utf-8")
    assert series.forward_references(root, root / "docs", order) == []
    assert first
    assert len(walked) == first


def test_a_remembered_check_reads_no_code_until_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """빌드마다 도는 검사라서 결과를 입력의 바이트로 빌드 사이에 기억합니다(memo): 같은 입력이면 코드를
    다시 파싱하지 않고, 코드 파일 하나를 고치면 다시 세어 새 문제를 알립니다."""
    root, order = _small_repo(tmp_path / "repo", ["parts", "model"])
    parsed: list[str] = []
    parse = ast.parse
    monkeypatch.setattr(
        ast, "parse", lambda source, *a, **k: parsed.append(source) or parse(source, *a, **k)
    )

    def check() -> list[str]:
        execution._parse.cache_clear()  # 새 빌드 프로세스처럼
        return [str(problem) for problem in series.forward_references(root, root / "docs", order)]

    assert remembered_between_builds(tmp_path / "memo.json", check, parsed) == []
    # parts.md(1번째)가 싣는 Layer가 model.md(2번째)에서 처음 싣는 model()을 부르게 고칩니다.
    (root / "snippets" / "parts.py").write_text(
        "from snippets.model import model\n\n\n"
        + PARTS.replace("        helper()\n", "        helper()\n        model()\n"),
        encoding="utf-8",
    )
    (problem,) = in_a_build(tmp_path / "memo.json", check)
    assert "'snippets/parts.py:layer'의 코드가 부르는 model(snippets/model.py:model)" in problem
    assert problem.startswith("docs/blog/posts/parts.md:")


def test_a_snippet_that_does_not_parse_is_named_not_skipped(tmp_path: Path) -> None:
    root, order = _small_repo(tmp_path, ["parts", "model"])
    (root / "snippets" / "model.py").write_text(MODEL.replace("-> Layer:", "-> Layer"))
    with pytest.raises(
        ExecutionError, match=r"^snippets/model\.py:5: 파이썬으로 읽을 수 없습니다 \("
    ):
        series.forward_references(root, root / "docs", order)


def test_build_stops_at_the_line_of_a_post_that_uses_a_later_posts_part(small_site: Path) -> None:
    """작은 사이트의 글이 크로스 어텐션의 디코더 층을 싣고, 그 층이 부르는 PreLNSublayer는 시리즈에서 뒤에
    오는 둘째 글이 처음 싣습니다: 빌드가 첫 글의 그 줄과 부품, 그것을 싣는 글을 짚어 멈춥니다."""
    slug = SMALL_SITE_POST[1]
    posts = small_site / "docs" / "blog" / "posts"
    text = (posts / f"{slug}.md").read_text(encoding="utf-8")
    embed = f'--8<-- "snippets/{slug.replace("-", "_")}.py:softmax"'
    first = text.replace(embed, '--8<-- "snippets/cross_attention.py:decoder-layer"')
    line = first.splitlines().index('--8<-- "snippets/cross_attention.py:decoder-layer"') + 1
    later = f"{slug}-later"
    second = text.replace(f"slug: {slug}", f"slug: {later}").replace(
        embed, '--8<-- "snippets/residual.py:pre-ln-sublayer"'
    )
    with (
        changed(posts / f"{slug}.md", first),
        changed(posts / f"{later}.md", second),
        changed(small_site / "data" / "series.yml", f"- {slug}\n- {later}\n"),
    ):
        output = failed_build(small_site, small_site.parent / "site-series-forward")
    assert "트랜스포머 시리즈를 차례대로 읽을 수 없습니다:" in output
    assert (
        f"docs/blog/posts/{slug}.md:{line}: 'snippets/cross_attention.py:decoder-layer'의 코드가 "
        "부르는 PreLNSublayer(snippets/residual.py:pre-ln-sublayer): 시리즈에서 이 글"
        f"('{slug}', 1번째)보다 뒤인 2번째 글 '{later}'에서 처음 싣는 부품입니다"
    ) in output
    assert "Traceback" not in output


def test_series_name_is_the_body_title_not_a_comment_in_the_front_matter(tmp_path: Path) -> None:
    """앞머리의 YAML 주석("# ...")은 제목이 아닙니다: 시리즈의 이름은 본문의 제목 줄입니다."""
    (tmp_path / series.SERIES_PAGE).write_text(
        "---\n# 앞머리의 주석\nsearch:\n  exclude: true\n---\n\n# 트랜스포머 시리즈\n",
        encoding="utf-8",
    )
    assert series.page_name(tmp_path) == "트랜스포머 시리즈"
