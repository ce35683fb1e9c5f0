"""빌드한 사이트의 출판 품질: 피드, 메타 태그, 언어, 사이트맵, 404, 정식 주소, 수식, 외부 자원 없음."""

from __future__ import annotations

import email.utils
import html
import json
import posixpath
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from blogbuild.frontmatter import read_front_matter
from blogbuild.placeholders import shown_outputs
from tests.conftest import (
    DRAFTS,
    POSTS_DIR,
    PUBLISHED_POSTS,
    ROOT,
    blog_listing,
    copy_site,
    mkdocs_build,
    post_path,
)
from tools import lock

SITE_URL = "https://real-code-blog.github.io/blog/"
# 사이트에 실리는 글(초안은 빼고). 초안은 test_a_draft_is_nowhere_in_the_built_site가 봅니다.
POSTS = {path.stem: read_front_matter(path) for path in PUBLISHED_POSTS}
PATHS = {slug: post_path(POSTS_DIR / f"{slug}.md") for slug in POSTS}  # blog/YYYY/MM/DD/<slug>/


def _post_html(site: Path, slug: str) -> str:
    return (site / PATHS[slug] / "index.html").read_text(encoding="utf-8")


def _meta(page: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def test_feed_is_valid_rss_with_every_post(built_site: Path) -> None:
    channel = ET.parse(built_site / "feed.xml").getroot().find("channel")
    assert channel is not None
    for required in ("title", "link", "description", "language"):
        assert channel.findtext(required), required
    items = channel.findall("item")
    assert {item.findtext("title") for item in items} == {
        re.search(r"^# (.+)$", (POSTS_DIR / f"{slug}.md").read_text(encoding="utf-8"), re.M)[1]
        for slug in POSTS
    }
    dates = [email.utils.parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True), "최신 글이 먼저"
    for item in items:
        slug = item.findtext("link").rstrip("/").rsplit("/", 1)[-1]
        assert item.findtext("description") == POSTS[slug]["description"]
        assert item.findtext("guid") == item.findtext("link")
        assert item.findtext("link").startswith(SITE_URL)


@pytest.mark.parametrize("slug", POSTS)
def test_post_has_sharing_meta_and_canonical_url(built_site: Path, slug: str) -> None:
    page = _post_html(built_site, slug)
    url = SITE_URL + PATHS[slug]
    assert re.search(r'<html lang="ko"', page)
    assert f'<link rel="canonical" href="{url}">' in page
    assert _meta(page, "property", "og:url") == url
    assert _meta(page, "property", "og:type") == "article"
    assert _meta(page, "property", "og:description") == POSTS[slug]["description"]
    assert _meta(page, "name", "description") == POSTS[slug]["description"]
    assert _meta(page, "name", "twitter:description") == POSTS[slug]["description"]
    title = re.search(r"^# (.+)$", (POSTS_DIR / f"{slug}.md").read_text(encoding="utf-8"), re.M)[1]
    assert _meta(page, "property", "og:title") == f"{title} - 코드가 진짜인 기술 블로그"
    assert _meta(page, "name", "twitter:title") == _meta(page, "property", "og:title")
    assert _meta(page, "name", "twitter:card") == "summary"


def test_sitemap_lists_every_post(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    for path in PATHS.values():
        assert SITE_URL + path in sitemap


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda path: path.stem)
def test_a_draft_is_nowhere_in_the_built_site(built_site: Path, draft: Path) -> None:
    """초안(draft: true)은 make build가 싣지 않습니다: 글 페이지도, 그 글로 가는 링크도(목록, 피드, 태그,
    첫 화면, 시리즈, 용어집, 노트북 페이지), 검색 색인과 사이트맵의 항목도 없습니다. 동반 노트북은 실립니다.

    저장소에 초안이 없으면 비는 검사입니다: tests/test_scaffold.py가 뼈대로 만든 초안이 있는 복사본에서
    이 검사를 돌리고 통과했는지 봅니다.
    """
    where = post_path(draft)  # blog/YYYY/MM/DD/<slug>/
    assert not (built_site / where).exists()
    # 어느 쪽에서 건 상대 주소든 날짜와 slug(YYYY/MM/DD/<slug>/)는 그대로 들어 있습니다.
    mentions = [
        path.relative_to(built_site).as_posix()
        for path in built_site.rglob("*")
        if path.suffix in {".html", ".xml", ".json"}
        and where.removeprefix("blog/") in path.read_text(encoding="utf-8")
    ]
    assert not mentions, mentions
    slug = read_front_matter(draft)["slug"]
    if (ROOT / "notebooks" / f"{slug}.py").is_file():
        assert (built_site / "notebooks" / slug / "index.html").is_file()


def test_the_site_is_built_by_the_pinned_properdocs_and_material(built_site: Path) -> None:
    """make build·serve와 테스트의 빌드는 constraints.txt에 고정된 ProperDocs가 Material로 합니다:
    페이지마다 Material이 적는 generator 메타 태그가 그 둘의 판을 말합니다."""
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    properdocs = lock.pinned_version(constraints, "properdocs")
    material = lock.pinned_version(constraints, "mkdocs-material")
    generators = {
        _meta(path.read_text(encoding="utf-8"), "name", "generator")
        for path in built_site.rglob("*.html")
    }
    assert generators - {None} == {f"mkdocs-ProperDocs {properdocs}, mkdocs-material-{material}"}


def test_404_page_is_korean(built_site: Path) -> None:
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "페이지를 찾을 수 없습니다" in page
    assert '<html lang="ko"' in page


def test_interface_text_reads_as_korean(built_site: Path) -> None:
    """Material의 한국어 번역 중 어색한 줄("Index로 돌아가기", "읽는시간")을 고친 것이 모든 페이지에 실립니다."""
    pages = sorted(built_site.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="ko"' in text, page
        assert "Index로" not in text and "읽는시간" not in text, page
    blog = (built_site / "blog" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"읽는 데 \d+분", blog)


def test_the_math_font_covers_every_character_the_sites_math_uses(built_site: Path) -> None:
    """사이트에 실린 수식 글꼴(빌드가 MATH 표가 있는 글꼴에서 쓰는 글자만 남김)이 모든 페이지의 수식을 그립니다."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    from blogbuild import math_font  # noqa: PLC0415

    pages = [path.read_text(encoding="utf-8") for path in sorted(built_site.rglob("*.html"))]
    face = TTFont(built_site / math_font.SITE_PATH)
    assert "MATH" in face
    # 수식 속의 한글(<mtext>)처럼 수식 글꼴에 없는 글자는 브라우저가 본문 글꼴로 그립니다
    source = {chr(code) for code in TTFont(ROOT / math_font.SOURCE).getBestCmap()}
    wanted = set(math_font.characters(pages)) & source
    assert "√" in wanted
    assert wanted <= {chr(code) for code in face.getBestCmap()}


def test_math_is_rendered_to_mathml_at_build_time(built_site: Path) -> None:
    page = _post_html(built_site, "masked-multi-head-attention")
    assert "<math" in page and 'class="arithmatex"' not in page
    assert not re.search(r"mathjax|katex", page, re.I)


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    outside = re.compile(
        r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//(?!real-code-blog\.github\.io)[^"]*"'
    )
    offenders = []
    for page in built_site.rglob("*.html"):
        for match in outside.finditer(page.read_text(encoding="utf-8")):
            if 'rel="canonical"' not in match.group(0) and "<a " not in match.group(0):
                offenders.append(f"{page.relative_to(built_site)}: {match.group(0)[:120]}")
    assert not offenders, "\n".join(offenders)


def test_every_dialog_has_an_accessible_name(built_site: Path) -> None:
    """Material의 검색 대화 상자(role=dialog)에 이름이 붙었는지: 스크린 리더가 "검색"이라고 읽습니다."""
    for page in [built_site / "index.html", *built_site.glob("blog/20*/*/*/*/index.html")]:
        dialogs = re.findall(r"<[^>]*role=\"dialog\"[^>]*>", page.read_text(encoding="utf-8"))
        assert dialogs, page
        assert all('aria-label="검색"' in dialog for dialog in dialogs), (page, dialogs)


def test_notebook_pages_offer_the_ipynb_and_edit_their_source(built_site: Path) -> None:
    """동반 노트북 페이지: 실행된 .ipynb를 페이지 옆의 파일로 내려받을 수 있고(상대 주소: 사이트가 어느 경로에
    놓여도 닿음), "고치기"는 원본 notebooks/<이름>.py로 갑니다."""
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("*.py"))
    assert notebooks
    for name in notebooks:
        page = (built_site / "notebooks" / name / "index.html").read_text(encoding="utf-8")
        assert f'<a href="{name}.ipynb" download' in page, name
        assert (built_site / "notebooks" / name / f"{name}.ipynb").is_file()
        assert f"/edit/main/notebooks/{name}.py" in page


NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.py"))


def _notebook_page(site: Path, name: str) -> str:
    return (site / "notebooks" / name / "index.html").read_text(encoding="utf-8")


def test_notebook_page_table_of_contents_links_reach_their_headings(built_site: Path) -> None:
    """목차와 제목의 ¶ 링크(href="#...")마다 그 id가 페이지에 있습니다(한국어 제목, 같은 제목 두 번도)."""
    dead = []
    for name in NOTEBOOKS:
        page = _notebook_page(built_site, name)
        ids = set(re.findall(r'\bid="([^"]+)"', page))
        toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link"', page)
        assert toc, f"{name}: 목차가 비었습니다"
        dead += [f"{name}: #{h}" for h in re.findall(r'href="#([^"]*)"', page) if h not in ids]
    assert not dead, "\n".join(dead)


def test_generated_pages_edit_the_data_they_are_made_from(built_site: Path) -> None:
    """시리즈와 용어집 페이지의 "고치기"는 표를 싣기만 하는 Markdown이 아니라 data/의 원본으로 갑니다."""
    for page, source in (("series", "data/series.yml"), ("glossary", "data/glossary.yml")):
        text = (built_site / page / "index.html").read_text(encoding="utf-8")
        edits = re.findall(r'<a href="([^"]+)" title="이 페이지를 편집"', text)
        assert edits and all(edit.endswith(f"/edit/main/{source}") for edit in edits), (page, edits)
        assert (ROOT / source).is_file()


def test_notebook_pages_and_downloads_carry_no_build_machine_path(built_site: Path) -> None:
    leaks = []
    for name in NOTEBOOKS:
        for path in (built_site / "notebooks" / name).iterdir():  # 페이지, .ipynb, 그림
            data = path.read_bytes()
            leaks += [
                f"{path.name}: {n}" for n in (str(ROOT), "/tmp/", "/home/") if n.encode() in data
            ]
    assert not leaks, "\n".join(leaks)


def test_notebook_figures_have_the_alt_text_their_notebook_saved(built_site: Path) -> None:
    """노트북 사본이 그림 출력마다 적은 설명(노트북이 결과 목록에 적은 것)이 그 그림 <img>의 alt입니다.

    설명을 고르는 규칙(결과 목록의 대체 텍스트, 절 제목)은 tests/test_notebook_publish.py가 봅니다.
    """
    for name in NOTEBOOKS:
        page = _notebook_page(built_site, name)
        assert "No description has been provided" not in page, name
        alts = [re.search(r'\balt="([^"]*)"', tag) for tag in re.findall(r"<img\b[^>]*>", page)]
        assert all(alt and alt.group(1).strip() for alt in alts), name
        nb = json.loads((built_site / "notebooks" / name / f"{name}.ipynb").read_text("utf-8"))
        expected = [
            output["metadata"][kind]["alt"]
            for cell in nb["cells"]
            for output in cell.get("outputs", [])
            for kind in ("image/png", "image/jpeg", "image/svg+xml")
            if kind in output.get("data", {})
        ]
        assert [html.unescape(alt.group(1)) for alt in alts] == expected, name
        assert not any("{{" in alt for alt in expected), name


def test_published_notebooks_show_their_figures_and_numbers_and_link_to_their_post(
    built_site: Path,
) -> None:
    """내려받는 .ipynb: save_plot·save_diagram을 부르는 셀마다 그림(PNG) 출력, save_numbers를 부르는 셀마다 저장한 숫자,
    안내의 첫 줄은 글(slug가 노트북 이름인 글)의 절대 주소. 노트북 페이지에서는 그 링크가 글에 닿는 상대 주소."""
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)[1]
    for name in NOTEBOOKS:
        nb = json.loads((built_site / "notebooks" / name / f"{name}.ipynb").read_text("utf-8"))
        for cell in nb["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] != "code":
                continue
            data = [output.get("data", {}) for output in cell.get("outputs", [])]
            if re.search(r"^save_(plot|diagram)\(", source, re.M):
                assert any("image/png" in d for d in data), (name, source[:80])
            if re.search(r"^save_numbers\(", source, re.M):
                shown = "".join("".join(d.get("text/plain", "")) for d in data)
                assert "글에 싣는 숫자(manifest.json)" in shown, (name, source[:80])
        if not any(meta.get("slug") == name for meta in POSTS.values()):
            continue  # 글이 없는(싣지 않는) 노트북
        note = "".join(nb["cells"][1]["source"]).splitlines()[0]
        link = re.fullmatch(r"\*\*글\*\* · \[.+\]\((?P<url>[^)]+)\)", note)
        assert link and link["url"].startswith(site_url), (name, note)
        relative = "../../" + link["url"].removeprefix(site_url)
        assert f'<strong>글</strong> · <a href="{relative}">' in _notebook_page(built_site, name)
        assert (built_site / "notebooks" / name / relative / "index.html").is_file(), name


def test_downloaded_notebook_installs_this_blog_at_the_built_commit(built_site: Path) -> None:
    """내려받는 .ipynb의 첫 코드 셀은 빌드한 커밋의 패키지를 설치하고, 페이지는 Colab 링크(그냥 <a>)를 줍니다."""
    pinned = set()
    for name in NOTEBOOKS:
        nb = json.loads((built_site / "notebooks" / name / f"{name}.ipynb").read_text("utf-8"))
        first = next(cell for cell in nb["cells"] if cell["cell_type"] == "code")
        install = re.search(
            r'^REPO = "git\+https://github\.com/real-code-blog/blog"\n'
            r'REF = "([0-9a-f]{40})"\n'
            r'%pip install --quiet "real-code-blog\[notebooks\] @ \{REPO\}@\{REF\}"$',
            "".join(first["source"]),
            re.MULTILINE,
        )
        assert install, (name, first["source"])
        pinned.add(install.group(1))
        colab = f"https://colab.research.google.com/github/real-code-blog/blog/blob/notebooks/{name}.ipynb"
        assert f'<a href="{colab}">Colab에서 열기</a>' in _notebook_page(built_site, name)
    (commit,) = pinned
    # 빌드한 저장소의 커밋(빌드 뒤에 다른 커밋이 올라왔어도 그 조상)
    ancestor = subprocess.run(
        ["git", "merge-base", "--is-ancestor", commit, "HEAD"], cwd=ROOT, check=False
    )
    assert ancestor.returncode == 0, commit


def test_post_figures_are_numbered_figures_that_reserve_their_space_and_load_lazily(
    built_site: Path,
) -> None:
    """글의 노트북 그림: 글마다 1부터 번호 붙은 <figure>와 캡션, 두 팔레트(#only-light, #only-dark)의
    <picture>, 휴대폰용 <source>. <img>와 <source>의 width/height는 그 SVG의 가로세로 비와 같고(불러올 때
    글이 밀리지 않음), <img>는 loading="lazy". 어두운 벌의 바탕은 Material slate의 바탕색입니다."""
    figures = 0
    for page in (built_site / "blog").glob("20*/*/*/*/index.html"):
        html_text = page.read_text(encoding="utf-8")
        found = re.findall(
            r'<figure class="notebook-figure" id="figure-(\d+)">(.*?)</figure>', html_text
        )
        assert [int(n) for n, _ in found] == list(range(1, len(found) + 1)), page
        for number, body in found:
            caption = re.search(r"<figcaption>(.*?)</figcaption>", body)[1]
            assert caption.startswith(f'<span class="figure-number">그림 {number}.</span> '), page
            assert body.count("<picture>") == 2, (page, number)
            for tag in re.findall(r"<(?:img|source) [^>]*>", body):
                attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
                src = (attrs.get("src") or attrs["srcset"]).split("#")[0]
                if tag.startswith("<img"):
                    assert attrs.get("loading") == "lazy", (page, tag)
                    assert attrs["src"].endswith(("#only-light", "#only-dark")), (page, tag)
                else:
                    assert attrs["media"] == "(max-width: 600px)" and "-narrow" in src, tag
                svg = (page.parent / src).resolve().read_text(encoding="utf-8")
                view_w, view_h = map(
                    float, re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg).groups()
                )
                # Graphviz는 width/height를 pt 정수로 반올림합니다(viewBox는 소수): 0.3%까지
                assert int(attrs["height"]) == pytest.approx(
                    int(attrs["width"]) * view_h / view_w, abs=1, rel=0.003
                )
                background = "#1e2129" if "-dark" in src else "#ffffff"
                assert f"fill: {background}" in svg, (src, background)
            figures += 1
    # 글 Markdown의 노트북 그림 줄({{ outputs/<노트북>/<이름> }})마다 <figure> 하나
    # (글과 그림의 수는 정하지 않습니다)
    lines = [
        output
        for post in PUBLISHED_POSTS
        for output in shown_outputs(
            post.read_text(encoding="utf-8"), ROOT / "build" / "outputs", POSTS[post.stem]["slug"]
        )
        if output.kind == "figure"
    ]
    assert figures == len(lines) > 0


def test_every_post_is_listed_with_its_excerpt_and_a_continue_link(built_site: Path) -> None:
    """블로그 목록(쪽이 나뉘면 모든 쪽): 글마다 구분선 앞의 요약, 글로 가는 "계속 읽기" 링크, 그리고 구분선 뒤는 없음.

    요약은 글 Markdown을 구분선까지만 다시 그려 만듭니다(blogbuild/excerpts.py). 구분선 뒤의 첫 소제목이
    목록에 나오면 잘리지 않은 것입니다.
    """
    # (그 쪽에서 본 글 주소의 앞, 글 요약): 쪽마다 글로 가는 링크는 그 쪽에서 본 상대 주소입니다.
    articles = [
        (posixpath.relpath(built_site / "blog", page.parent) + "/", article)
        for page in blog_listing(built_site)
        for article in re.findall(
            r'<article class="md-post md-post--excerpt">(.*?)</article>',
            page.read_text(encoding="utf-8"),
            re.S,
        )
    ]
    assert len(articles) == len(POSTS)
    # 쪽을 넘겨 가며 최신 글부터: 앞 쪽의 마지막 글이 뒤 쪽의 첫 글보다 늦지 않습니다.
    dates = [re.search(r'<time datetime="([^"]+)"', article)[1] for _, article in articles]
    assert dates == sorted(dates, reverse=True)
    for slug in POSTS:
        text = (POSTS_DIR / f"{slug}.md").read_text(encoding="utf-8")
        _, after = text.split("<!-- more -->")
        first_heading_after = re.search(r"^## (.+)$", after, re.M)[1]
        hrefs = [
            (posixpath.normpath(blog + PATHS[slug].removeprefix("blog/")) + "/", article)
            for blog, article in articles
        ]
        ((path, article),) = [(href, a) for href, a in hrefs if f'href="{href}"' in a]
        assert re.search(rf'class="md-post__action">\s*<a href="{path}">\s*계속 읽기', article)
        assert html.escape(first_heading_after) not in article, slug
        # 글 페이지에서 구분선 바로 앞의 낱말들이 목록의 요약에도 있습니다(요약이 구분선까지 그려짐).
        page = _post_html(built_site, slug).split("<!-- more -->")[0]
        words = re.sub(r"<[^>]+>", " ", page).split()[-3:]
        assert " ".join(words) in " ".join(re.sub(r"<[^>]+>", " ", article).split()), (slug, words)


def test_excerpt_markdown_is_cut_after_the_separator() -> None:
    from blogbuild.excerpts import up_to_separator  # noqa: PLC0415

    post = '# 제목\n\n첫 문단.\n\n<!-- more -->\n\n## 뒤\n\n```python\n--8<-- "x.py"\n```\n'
    assert up_to_separator(post) == "# 제목\n\n첫 문단.\n\n<!-- more -->\n\n…\n"
    assert up_to_separator("구분선 없는 글") == "구분선 없는 글"


def test_a_build_from_its_caches_equals_a_build_without_them(
    built_site: Path, tmp_path: Path
) -> None:
    """빌드가 빌드 사이에 남기는 것(.cache/blogbuild: 계산 결과, 컴파일한 템플릿, 노트북 페이지)은 빠르게만
    할 뿐 사이트를 바꾸지 않습니다: 그것을 지운 빌드와 그것을 읽은 빌드가 바이트까지 같은 사이트를 냅니다.
    (built_site는 복사할 실행 결과가 저장소에 있게 합니다: 두 빌드는 노트북을 실행하지 않습니다.)"""
    project = copy_site(tmp_path / "project")
    shutil.rmtree(project / ".cache" / "blogbuild", ignore_errors=True)
    sites = []
    for name in ("without", "from-caches"):
        site = tmp_path / name
        result = mkdocs_build(project, site)
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(site)
    assert (project / ".cache" / "blogbuild" / "memo.json").is_file()
    files = [sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) for site in sites]
    assert files[0] == files[1]
    changed = [
        str(f) for f in files[0] if (sites[0] / f).read_bytes() != (sites[1] / f).read_bytes()
    ]
    assert changed == []


# 이모지로 그려지는 글자(Emoji_Presentation): 이모지 글꼴이 없는 시스템에서는 빈 네모로 나옵니다(issue 27).
# ✗(U+2717)나 †처럼 글자 꼴로 그려지는 기호는 이모지가 아닙니다.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653"
    "\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa"
    "\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c"
    "\u2b50\u2b55\ufe0f]"
)


def _pages(site: Path) -> list[tuple[str, str]]:
    return [
        (str(page.relative_to(site)), page.read_text(encoding="utf-8"))
        for page in sorted(site.rglob("*.html"))
    ]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_no_page_shows_a_raw_emoji(built_site: Path) -> None:
    """이모지 글꼴이 없으면 빈 네모가 됩니다: 어느 페이지의 글자(스크립트 밖)에도 이모지가 없습니다."""
    found = [
        (name, match.group(), _text(page[max(0, match.start() - 40) : match.end()]))
        for name, page in _pages(built_site)
        for match in EMOJI.finditer(re.sub(r"<script\b.*?</script>", "", page, flags=re.S))
    ]
    assert found == []


def test_emoji_check_sees_an_emoji() -> None:
    assert EMOJI.search("안녕히 계세요~ 👋✨") and not EMOJI.search("다르면 ✗, 프리셋은 †")


# 표의 수 칸: 정수·소수, 지수, 뒤에 붙는 %나 K·M·B
NUMBER_CELL = re.compile(r"[−+-]?(\d{1,3}(,\d{3})*|\d+)(\.\d+)?([eE][−+-]?\d+)?\s?[%KMBT]?")
# 천 단위 쉼표가 없는 네 자리 이상의 수. 연도(2024년), 코드 포인트(U+1112), 출처가 적은 그대로의 약칭
# 크기(GPT-2 논문의 1558M)는 빼고.
UNSEPARATED = re.compile(r"(?<![\d.,+])\d{4,}(?![\d]|년|[KMB]\b)")


def _cells(site: Path):
    """사이트의 모든 표(클래스 없는 마크다운 표)의 몸 칸: (페이지, 칸의 여는 태그, 칸의 HTML)."""
    for name, page in _pages(site):
        for table in re.findall(r"<table>(.*?)</table>", page, flags=re.S):
            for tag, cell in re.findall(r"(<td[^>]*>)(.*?)</td>", table, flags=re.S):
                yield name, tag, cell


def test_every_table_writes_numbers_one_way_and_right_aligns_them(built_site: Path) -> None:
    """사이트의 모든 표: 수만 든 칸은 오른쪽 정렬, 네 자리 이상의 수는 천 단위 쉼표(코드 밖; 1,024와 2048이
    섞이지 않게), 크기의 곱은 `x`가 아니라 `×`."""
    cells = list(_cells(built_site))
    assert len(cells) > 100  # 표가 있어야 이 검사가 무엇을 봅니다
    left = [
        (name, _text(cell))
        for name, tag, cell in cells
        if NUMBER_CELL.fullmatch(_text(cell).strip(" *")) and 'align="right"' not in tag
    ]
    unseparated = [
        (name, _text(cell))
        for name, _, cell in cells
        if UNSEPARATED.search(_text(re.sub(r"<code>.*?</code>", "", cell)))
    ]
    times = [
        (name, _text(cell)) for name, _, cell in cells if re.search(r"\d\s*x\s*\d", _text(cell))
    ]
    assert left == []
    assert unseparated == []
    assert times == []
