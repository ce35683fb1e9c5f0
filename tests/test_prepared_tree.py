"""준비된 트리(`prepare --tree`, blogbuild/prepared_tree.py)와 다른 생성기의 사이트를 마치는 `finish --site`.

트리는 훅 없는 생성기가 그대로 그릴 docs/의 사본입니다: 어디에 써도 되는지(저장소, docs/, 남의 디렉터리,
링크는 거절), 저장소 밖의 것이 들어오지 않는지, 그리고 트리의 그림·시리즈 안내·숫자가 훅으로 한 빌드가 그린
것과 같은지(같은 함수로 그리므로 글자 그대로 같아야 합니다)를 봅니다."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest

from blogbuild import frontmatter, manifest, placeholders, prepared_tree, series
from blogbuild.project import Project, StageError
from tests.conftest import ROOT, SMALL_SITE_POST
from tests.test_stages import blogbuild
from tests.workspace import mkdocs_build

SLUG = SMALL_SITE_POST[1]
FIGURE_HTML = re.compile(r'<figure class="notebook-figure".*?</figure>')
ADDRESS = re.compile(r'\b(src|srcset|href)="([^"]*)"')
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#|$)", re.IGNORECASE)


@pytest.fixture
def tiny(tmp_path: Path) -> Project:
    """mkdocs.yml과 docs/만 있는 저장소: 트리를 쓸 곳을 가리는 검사에는 이것으로 됩니다."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (root / "docs" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    return Project.load(root)


def refused(project: Project, tree: Path) -> str:
    with pytest.raises(StageError) as error:
        prepared_tree.write(project, tree)
    return str(error.value)


@pytest.mark.parametrize(
    ("where", "why"),
    [
        (".", "저장소"),
        ("..", "저장소"),
        ("docs", "docs/ 안"),
        ("docs/prepared", "docs/ 안"),
    ],
)
def test_tree_refuses_the_repository_and_docs(tiny: Project, where: str, why: str) -> None:
    before = sorted(tiny.root.rglob("*"))
    message = refused(tiny, tiny.root / where)
    assert why in message
    assert "build/prepared" in message  # 무엇을 하면 되는지
    assert sorted(tiny.root.rglob("*")) == before


def test_tree_refuses_a_foreign_directory_and_a_link(tiny: Project, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("내 파일", encoding="utf-8")
    assert prepared_tree.MARKER in refused(tiny, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "내 파일"
    link = tmp_path / "link"
    link.symlink_to(foreign)
    assert "심볼릭 링크" in refused(tiny, link)
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


def test_tree_refuses_a_link_out_of_the_repository(tiny: Project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("저장소 밖", encoding="utf-8")
    (tiny.docs / "leak.txt").symlink_to(secret)
    tree = tmp_path / "tree"
    message = refused(tiny, tree)
    assert "docs/leak.txt: 저장소 밖을 가리키는 링크입니다" in message
    (tiny.docs / "leak.txt").unlink()
    (tiny.docs / "more").symlink_to(tmp_path)
    assert "docs/more: 심볼릭 링크인 디렉터리" in refused(tiny, tree)
    assert not tree.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tree")]  # 쓰다 만 것도 없음


def test_tree_copies_links_inside_as_files_and_replaces_its_own_tree(
    tiny: Project, tmp_path: Path
) -> None:
    (tiny.docs / "same-logo.svg").symlink_to("logo.svg")
    tree = tmp_path / "tree"
    tree.mkdir()  # 빈 디렉터리는 써도 됩니다
    prepared_tree.write(tiny, tree)
    assert not (tree / "same-logo.svg").is_symlink()
    assert (tree / "same-logo.svg").read_text(encoding="utf-8") == "<svg/>"
    (tree / "stale.txt").write_text("지난 트리의 것", encoding="utf-8")
    (tiny.docs / "same-logo.svg").unlink()
    prepared_tree.write(tiny, tree)  # 표시가 있으니 통째로 다시
    assert sorted(p.name for p in tree.iterdir()) == [prepared_tree.MARKER, "logo.svg"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tree")]


def test_prepare_tree_on_the_command_line(small_site: Path, tmp_path: Path) -> None:
    result = blogbuild(small_site, "prepare", "--tree", str(small_site / "docs"))
    assert result.returncode == 1
    assert "docs/ 안입니다" in result.stderr
    assert "Traceback" not in result.stderr
    tree = tmp_path / "tree"
    result = blogbuild(small_site, "prepare", "--tree", str(tree))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tree / prepared_tree.MARKER).is_file()
    post = (tree / "blog" / "posts" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert not placeholders.leftovers(post)
    # 노트북 페이지와 내려받는 .ipynb(prepare 단계가 build/에 쓴 것)도 트리에
    assert (tree / "notebooks" / f"{SLUG}.md").is_file()
    assert (tree / "notebooks" / SLUG / f"{SLUG}.ipynb").is_file()


def _resolved(fragment: str, base: str, addresses: dict[str, str]) -> str:
    """fragment 속 주소(src, srcset, href)를 base(디렉터리)에서 풀어 사이트 안의 경로로: .md는 그 페이지의 주소로."""

    def resolve(match: re.Match) -> str:
        if EXTERNAL.match(match[2]):
            return match[0]
        path, hash_mark, fragment_id = match[2].partition("#")
        target = posixpath.normpath(posixpath.join(base, path))
        if target.endswith(".md"):
            target = addresses.get(target, target)
        elif path.endswith("/"):
            target += "/"
        return f'{match[1]}="{target}{hash_mark}{fragment_id}"'

    return ADDRESS.sub(resolve, fragment)


def test_tree_draws_what_the_hook_build_draws(built_site: Path, tmp_path: Path) -> None:
    """트리의 그림(<figure>)과 시리즈 안내는 훅으로 한 빌드가 그 글의 페이지에 그린 것과 같습니다: 주소만 트리는
    원본(.md)에서 본 경로, 빌드는 페이지에서 본 주소이고, 둘을 풀면 같은 파일과 페이지입니다."""
    project = Project.load(ROOT)
    tree = prepared_tree.write(project, tmp_path / "tree")
    posts = project.series()[1]
    addresses = {post.src_uri: project.post_url(post) for post in posts.values()}
    addresses[series.SERIES_PAGE] = "series/"
    figures_compared = series_compared = 0
    for post in posts.values():
        prepared = (tree / post.src_uri).read_text(encoding="utf-8")
        page = (built_site / project.post_url(post) / "index.html").read_text(encoding="utf-8")
        drawn = [
            _resolved(f, posixpath.dirname(post.src_uri), addresses)
            for f in FIGURE_HTML.findall(prepared)
        ]
        built = [_resolved(f, project.post_url(post), addresses) for f in FIGURE_HTML.findall(page)]
        assert drawn == built, post.src_uri
        figures_compared += len(drawn)
        found = prepared_tree.navigation_of(project, post.src_uri)
        if found:
            for block in map(str, found):
                assert block in prepared, post.src_uri
                resolved = _resolved(block, posixpath.dirname(post.src_uri), addresses)
                assert resolved in _resolved(page, project.post_url(post), addresses), post.src_uri
            series_compared += 1
        body = frontmatter.split_front_matter(prepared)[1]
        assert not placeholders.leftovers(body), post.src_uri
    assert figures_compared and series_compared, "비교한 그림이나 시리즈 글이 없습니다"


def test_tree_numbers_are_the_built_numbers(small_site: Path, tmp_path: Path) -> None:
    """작은 사이트의 글: 숫자 자리마다 노트북이 남긴 값이 트리의 글과 빌드한 페이지에 같이 있습니다."""
    tree = tmp_path / "tree"
    assert blogbuild(small_site, "prepare", "--tree", str(tree)).returncode == 0
    source = (small_site / "docs" / "blog" / "posts" / f"{SLUG}.md").read_text(encoding="utf-8")
    prepared = (tree / "blog" / "posts" / f"{SLUG}.md").read_text(encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(small_site, site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = next(site.glob(f"blog/*/*/*/{SLUG}/index.html")).read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    outputs = manifest.load(small_site / "build" / "outputs", SLUG)
    names = [
        m["inside"].strip().rpartition("/")[2] for m in placeholders.PLACEHOLDER.finditer(source)
    ]
    numbers = [outputs[name].value for name in names if outputs[name].kind == "number"]
    assert numbers, "작은 사이트의 글에 숫자 자리가 없습니다"
    for value in numbers:
        assert f"{value}" in prepared and f"{value}" in text, value
    assert not placeholders.leftovers(frontmatter.split_front_matter(prepared)[1])


def test_finish_site_converts_math_and_says_what_it_could_not_do(
    small_site: Path, tmp_path: Path
) -> None:
    """다른 생성기의 사이트: 남은 수식은 MathML로, 검색 색인이 없거나 CSP가 없는 페이지는 트레이스백이 아니라
    무엇이 없는지를 말하고 멈춥니다."""
    site = tmp_path / "other"
    site.mkdir()
    page = '<html><head></head><body><span class="arithmatex">\\(x^2\\)</span></body></html>'
    (site / "index.html").write_text(page, encoding="utf-8")
    result = blogbuild(small_site, "finish", "--site", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "검색 색인에 넣을 페이지가 빌드되지 않았습니다" in result.stderr
    assert "Content-Security-Policy" in result.stderr
    done = (site / "index.html").read_text(encoding="utf-8")
    assert "<math" in done and "arithmatex" not in done
    assert (site / "feed.xml").is_file()
    missing = blogbuild(small_site, "finish", "--site", str(tmp_path / "nowhere"))
    assert missing.returncode == 1
    assert "먼저 python -m blogbuild build" in missing.stderr
    assert "Traceback" not in missing.stderr
