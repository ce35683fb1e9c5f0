"""기여자의 길: 뼈대(tools.new_post)로 새 글을 만들어 사이트에 싣기까지, 그리고 그 길에서 만나는 오류.

CONTRIBUTING.md의 순서를 저장소의 임시 복사본에서 그대로 밟습니다: 뼈대(초안, draft: true)를 만들어
손대지 않은 채 글·사이트 테스트와 엄격 빌드를 통과하고 초안이 사이트에 없는지 보고, 자리 글을 남긴 채
초안을 풀면 엄격 빌드가 그 줄들에서 멈추는지 보고, 자리 글을 바꾸고 코드 조각에 구간과 테스트를 하나
더해 ruff와 pytest, 엄격 빌드를 통과한 뒤 블로그 목록과 검색 색인에서 새 글을 찾습니다. 이어서 기여자가 저지르기 쉬운 실수(노트북 셀의 예외, 제한 시간을 넘는 노트북, 깨진 내부 링크)를
일부러 일으켜, 빌드가 멈추며 내는 메시지가 고칠 곳을 짚는지 봅니다. 앞머리와 코드 조각 참조의 오류는
tests/test_posts.py와 tests/test_snippet_refs.py가 다룹니다.

빌드가 오래 걸리지 않도록 복사본은 둘만 만들어 테스트들이 함께 씁니다: 새 글이 다른 모든 글과 함께
빌드되는지 보는 저장소 전체의 복사본(실행 결과 캐시 포함)과, 오류 메시지만 보는 작은 사이트(글 하나)입니다.
작은 사이트는 다른 글이나 노트북의 상태와 상관없이 오류 경로만 시험합니다. 망가뜨린 것은 테스트마다
되돌립니다.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blogbuild import frontmatter, search_index, snippet_refs
from tests.conftest import (
    ROOT,
    SMALL_SITE_POST,
    blog_listing,
    changed,
    copy_site,
    failed_build,
    fill_in_scaffold,
    mkdocs_build,
    post_path,
    publish_draft,
)
from tools.new_post import NewPost, ScaffoldError, check_slug, plan, slug_from_title

TITLE, SLUG = SMALL_SITE_POST
MODULE = "contributing_walkthrough"
BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _scaffold(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "tools.new_post", *args], cwd)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """저장소의 임시 복사본(copy_site: 사이트 소스와 실행 결과)에 ruff·pytest 설정과 tests/ 패키지를 더한 것."""
    root = copy_site(tmp_path_factory.mktemp("walkthrough") / "project")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "tests").mkdir(exist_ok=True)
    for name in ("__init__.py", *SITE_TESTS):
        shutil.copy2(ROOT / "tests" / name, root / "tests" / name)
    return root


# 새 글이 하나 더 있는 저장소에서도 통과해야 하는, 모든 글을 도는 테스트들과 그것들이 쓰는 모듈.
# 글의 수나 목록, 순서를 정해 두는 테스트가 생기면 여기서 실패합니다(Material은 목록을 열 편마다 나눕니다).
POST_AND_SITE_TESTS = ("test_posts.py", "test_site.py")
SITE_TESTS = ("conftest.py", "workspace.py", *POST_AND_SITE_TESTS)
# 글과 상관없는 것: 빌드한 커밋(복사본은 git 저장소가 아닙니다)과, 빌드 두 번이 드는 캐시 검사.
NOT_ABOUT_POSTS = (
    "test_site.py::test_downloaded_notebook_installs_this_blog_at_the_built_commit",
    "test_site.py::test_a_build_from_its_caches_equals_a_build_without_them",
)


@pytest.fixture(scope="module")
def scaffolded(project: Path) -> Path:
    """project에서 `python -m tools.new_post`로 새 글의 뼈대를 만든 뒤의 project."""
    result = _scaffold(project, "--title", TITLE, "--slug", SLUG)
    assert result.returncode == 0, result.stdout + result.stderr
    # 다음 할 일: 초안이라 그대로 make test를 통과하고, 준비되면 draft: true 줄을 지웁니다.
    assert "이대로도 make test를 통과합니다" in result.stdout
    assert "앞머리의 draft: true 줄" in result.stdout
    return project


# 뼈대를 만든 뒤 기여자가 더하는 것: 코드 조각의 구간 하나, 그 테스트, 글에서 그 구간을 끌어오는 블록.
NEW_SECTION = '''

# --8<-- [start:log-softmax]
def log_softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """로그 소프트맥스(log-softmax): log(softmax(x))를 넘침 없이 계산합니다."""
    shifted = x - x.amax(dim=dim, keepdim=True)  # 각 줄의 최댓값이 0
    return shifted - shifted.exp().sum(dim=dim, keepdim=True).log()


# --8<-- [end:log-softmax]
'''
NEW_TEST = """

def test_log_softmax_matches_torch_log_softmax_on_large_scores() -> None:
    x = torch.randn(3, 5, generator=torch.Generator().manual_seed(1), dtype=torch.float64) + 1000
    torch.testing.assert_close(log_softmax(x), torch.log_softmax(x, dim=-1))
"""
NEW_BLOCK = f"""
로그 확률이 필요하면 로그 소프트맥스를 씁니다.

```python
--8<-- "snippets/{MODULE}.py:log-softmax"
```
"""


def _site_tests_and_build(project: Path, site: Path) -> str:
    """새 글이 있는 저장소의 엄격 빌드와, 그 저장소에서 새 글의 테스트와 모든 글을 도는 글·사이트 테스트가
    통과하는지 봅니다. pytest의 출력(-rA: 통과한 테스트마다 한 줄)을 돌려줍니다.

    빌드를 먼저 합니다: 두 빌드(이것과 사이트 테스트의 빌드)가 처음 보는 노트북을 함께 실행하면 같은
    캐시(.cache/)를 두고 다툽니다. 먼저 한 빌드가 남긴 실행 결과를 사이트 테스트의 빌드가 씁니다.
    """
    result = mkdocs_build(project, site)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    site_tests = [f"tests/{name}" for name in POST_AND_SITE_TESTS]
    own_tests = [str(path.relative_to(project)) for path in (project / "tests").glob("test_*.py")]
    deselected = [arg for test in NOT_ABOUT_POSTS for arg in ("--deselect", f"tests/{test}")]
    tests = _run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider"),
            *(*sorted(set(own_tests) - set(site_tests)), *site_tests, *deselected),
        ],
        project,
        timeout=900,
    )
    output = tests.stdout + tests.stderr
    assert tests.returncode == 0, output
    assert " failed" not in output and " passed" in output, output
    assert f"{len(NOT_ABOUT_POSTS)} deselected" in output, output
    return output


def _leftover_lines(post: Path) -> list[int]:
    """글에서 '(바꾸세요)' 자리 글이 남은 줄의 번호들."""
    text = post.read_text(encoding="utf-8")
    return [n for n, line in enumerate(text.split("\n"), start=1) if "(바꾸세요)" in line]


def test_contributor_walkthrough_from_scaffold_to_search_index(scaffolded: Path) -> None:
    project = scaffolded
    post = project / "docs" / "blog" / "posts" / f"{SLUG}.md"
    snippet = project / "snippets" / f"{MODULE}.py"
    test_file = project / "tests" / f"test_{MODULE}.py"
    notebook = project / "notebooks" / f"{SLUG}.py"
    assert all(p.is_file() for p in (post, snippet, test_file, notebook))

    # 1. 뼈대 그대로(초안, draft: true): 새 글의 테스트와 모든 글을 도는 글·사이트 테스트, 엄격 빌드가
    #    통과합니다. 초안은 사이트 어디에도 없고(그 검사가 이 복사본에서 실제로 돌았는지도 봅니다),
    #    동반 노트북은 실행되어 실립니다.
    assert "\ndraft: true\n" in post.read_text(encoding="utf-8")
    draft_site = project.parent / "site-draft"
    output = _site_tests_and_build(project, draft_site)
    assert f"PASSED tests/test_site.py::test_a_draft_is_nowhere_in_the_built_site[{SLUG}]" in output
    assert f"PASSED tests/test_{MODULE}.py::" in output
    assert not (draft_site / post_path(post)).exists()
    assert (draft_site / "notebooks" / SLUG / "index.html").is_file()
    # 미리 보기(엄격하지 않은 빌드)는 초안의 자리 글을 줄마다 경고만 합니다.
    preview = mkdocs_build(project, project.parent / "site-preview", strict=False)
    assert preview.returncode == 0, preview.stdout + preview.stderr
    leftover = "뼈대(make new-post)가 넣은 '(바꾸세요)' 자리 글이 남았습니다"
    scaffold_lines = _leftover_lines(post)
    assert scaffold_lines
    for number in scaffold_lines:
        assert f"WARNING -  docs/blog/posts/{SLUG}.md:{number}: {leftover}" in preview.stderr
    assert "(초안이라 출판되지 않습니다: 'draft: true'를 지우기 전에 바꾸세요)" in preview.stderr

    # 2. 'draft: true'만 지우고 '(바꾸세요)' 자리 글을 남기면: 엄격 빌드가 그 줄들을 짚어 멈춥니다.
    publish_draft(post)
    untouched = failed_build(project, project.parent / "site-untouched")
    scaffold_lines = _leftover_lines(post)
    assert scaffold_lines
    for number in scaffold_lines:
        assert f"docs/blog/posts/{SLUG}.md:{number}: {leftover}" in untouched

    # 3. 자리 글을 바꾸고, 구간 하나와 그 테스트를 더하고, 글에서 끌어옵니다: 글이 실립니다.
    fill_in_scaffold(post)
    code = snippet.read_text(encoding="utf-8")
    main_block = '\n\nif __name__ == "__main__":'
    assert main_block in code
    snippet.write_text(code.replace(main_block, NEW_SECTION + main_block, 1), encoding="utf-8")
    tests = test_file.read_text(encoding="utf-8")
    old_import = f"from snippets.{MODULE} import softmax\n"
    assert old_import in tests
    tests = tests.replace(old_import, f"from snippets.{MODULE} import log_softmax, softmax\n")
    test_file.write_text(tests + NEW_TEST, encoding="utf-8")
    text = post.read_text(encoding="utf-8")
    text = text.replace("\n## 직접 실행하기", NEW_BLOCK + "\n## 직접 실행하기", 1)
    post.write_text(text, encoding="utf-8")

    # 린트와 그 글의 테스트 (CI의 make test가 저장소 전체에 하는 것과 같은 검사).
    python_files = [str(p.relative_to(project)) for p in (snippet, test_file, notebook)]
    for command in (["check"], ["format", "--check"]):
        lint = _run([str(BIN / "ruff"), *command, *python_files], project)
        assert lint.returncode == 0, lint.stdout + lint.stderr
    site = project.parent / "site"
    output = _site_tests_and_build(project, site)
    # 이제 글이 실리므로 글마다 도는 사이트 검사가 이 글에도 돕니다(초안 검사는 돌 초안이 없습니다).
    assert (
        f"PASSED tests/test_site.py::test_post_has_sharing_meta_and_canonical_url[{SLUG}]" in output
    )
    assert "test_a_draft_is_nowhere_in_the_built_site" not in output.replace("SKIPPED", "")

    # 글 페이지: 두 구간의 코드와 노트북이 계산한 숫자가 실렸습니다.
    pages = list((site / "blog").glob(f"*/*/*/{SLUG}/index.html"))
    assert len(pages) == 1, pages
    page = html.unescape(re.sub(r"<[^>]+>", "", pages[0].read_text(encoding="utf-8")))
    assert "def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:" in page
    assert "def log_softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:" in page
    assert "{{" not in page
    number = re.search(r"가장 큰 것이\s*(\S+)입니다", page)
    assert number and float(number[1]) < 1e-12, number
    url = pages[0].parent.relative_to(site).as_posix() + "/"

    # 블로그 목록(쪽이 나뉘면 어느 한 쪽)과 검색 색인에 새 글이 있습니다.
    target = (site / url).resolve()
    listed = [
        page
        for page in blog_listing(site)
        if target
        in {
            (page.parent / h).resolve()
            for h in re.findall(r'href="([^"#:]+)"', page.read_text("utf-8"))
        }
    ]
    assert len(listed) == 1 and TITLE in listed[0].read_text(encoding="utf-8"), listed
    assert ("/" + url, TITLE) in [(r.url, r.title) for r in search_index.read(site)]


def test_scaffold_refuses_to_overwrite_and_names_the_existing_files(scaffolded: Path) -> None:
    targets = sorted(scaffolded.glob(f"**/*{MODULE}.py")) + sorted(scaffolded.glob(f"**/{SLUG}.*"))
    before = {path: path.read_bytes() for path in targets}
    result = _scaffold(scaffolded, "--title", "다른 제목", "--slug", SLUG)
    assert result.returncode == 1
    assert "이미 있는 파일을 덮어쓰지 않습니다" in result.stderr
    assert f"docs/blog/posts/{SLUG}.md" in result.stderr
    assert {path: path.read_bytes() for path in targets} == before


@pytest.fixture
def bare_root(tmp_path: Path) -> Path:
    """뼈대가 저장소로 알아보는 가장 작은 디렉터리: mkdocs.yml과 docs/blog/posts/."""
    (tmp_path / "mkdocs.yml").write_text("site_name: 시험\n", encoding="utf-8")
    (tmp_path / "docs" / "blog" / "posts").mkdir(parents=True)
    return tmp_path


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


HOSTILE_TITLE = 'Q&A `touch pwned` "따옴표" $5 $(shell touch pwned2) $$HOME'


def test_make_new_post_passes_the_title_through_untouched(bare_root: Path) -> None:
    """make new-post TITLE='...': 백틱은 셸 명령으로 실행되지 않고, "와 $5는 빠지지 않습니다."""
    shutil.copy2(ROOT / "Makefile", bare_root / "Makefile")
    result = _run(
        [
            "make",
            "new-post",
            f"TITLE={HOSTILE_TITLE}",
            "SLUG=hostile-title",
            "STAMP=",
            f"BIN={BIN}",
        ],
        bare_root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (bare_root / "pwned").exists() and not (bare_root / "pwned2").exists()
    post = (bare_root / "docs" / "blog" / "posts" / "hostile-title.md").read_text(encoding="utf-8")
    assert f"\n# {HOSTILE_TITLE}\n" in post


def test_scaffold_writes_nothing_when_any_one_target_exists(bare_root: Path) -> None:
    (bare_root / "notebooks").mkdir()
    (bare_root / "notebooks" / "half-done.py").write_text("# 먼저 만든 노트북\n", encoding="utf-8")
    before = _files(bare_root)
    result = _scaffold(bare_root, "--title", "Half done")
    assert result.returncode == 1
    assert "notebooks/half-done.py" in result.stderr
    assert "docs/blog/posts/half-done.md" not in result.stderr
    assert _files(bare_root) == before


def test_a_failed_write_leaves_no_half_written_scaffold(bare_root: Path) -> None:
    # tests/가 디렉터리가 아니라 파일이면, 글과 코드 조각을 쓴 뒤 세 번째 파일에서 실패합니다.
    (bare_root / "tests").write_text("디렉터리가 아닌 파일\n", encoding="utf-8")
    before = _files(bare_root)
    result = _scaffold(bare_root, "--title", "Half written")
    assert result.returncode == 1
    assert "tests/test_half_written.py를 쓸 수 없습니다" in result.stderr
    assert _files(bare_root) == before


def test_non_ascii_title_without_slug_asks_for_one_with_an_example(bare_root: Path) -> None:
    result = _scaffold(bare_root, "--title", "어텐션 다시 보기")
    assert result.returncode == 1
    assert "ASCII가 아닌 글자" in result.stderr
    assert "--slug softmax-revisited" in result.stderr
    assert 'make new-post TITLE="어텐션 다시 보기" SLUG=softmax-revisited' in result.stderr
    assert _files(bare_root) == ["mkdocs.yml"]


CODE_FIRST = '''"""먼저 쓴 코드."""


def helper() -> int:
    return 1


# --8<-- [start:first-step]
def first_step(x: int) -> int:
    """x에 helper()를 더합니다."""
    return x + helper()


# --8<-- [end:first-step]


# --8<-- [start:second-step]
def second_step(x: int) -> int:
    """x의 두 배."""
    return 2 * x


# --8<-- [end:second-step]
'''


def _write_code_first(root: Path, code: str = CODE_FIRST, test: bool = True) -> dict[str, Path]:
    paths = {"snippet": root / "snippets" / "written_first.py"}
    paths["snippet"].parent.mkdir(parents=True, exist_ok=True)
    paths["snippet"].write_text(code, encoding="utf-8")
    if test:
        paths["test"] = root / "tests" / "test_written_first.py"
        paths["test"].parent.mkdir(parents=True, exist_ok=True)
        paths["test"].write_text(
            "from snippets.written_first import first_step\n\n\n"
            "def test_first_step() -> None:\n    assert first_step(1) == 2\n",
            encoding="utf-8",
        )
    return paths


def test_scaffold_keeps_code_written_first_and_writes_the_post_and_notebook(
    bare_root: Path,
) -> None:
    """코드와 테스트를 먼저 쓴 기여자: 뼈대는 둘을 그대로 두고, 글은 그 코드의 첫 구간을 싣습니다."""
    written = _write_code_first(bare_root)
    before = {path: path.read_bytes() for path in written.values()}
    result = _scaffold(bare_root, "--title", "Written first", "--date", "2025-01-04")
    assert result.returncode == 0, result.stderr
    assert {path: path.read_bytes() for path in written.values()} == before
    assert "그대로 두었습니다" in result.stdout
    post = bare_root / "docs" / "blog" / "posts" / "written-first.md"
    notebook = (bare_root / "notebooks" / "written-first.py").read_text(encoding="utf-8")
    assert '--8<-- "snippets/written_first.py:first-step"' in post.read_text(encoding="utf-8")
    assert "from snippets.written_first import first_step" in notebook
    assert "softmax" not in post.read_text(encoding="utf-8") + notebook
    assert frontmatter.check_post(post, bare_root) == []
    assert snippet_refs.check_post(post, bare_root) == []
    compile(notebook, "written-first.py", "exec")


def test_scaffold_with_code_but_no_test_asks_for_the_test_first(bare_root: Path) -> None:
    _write_code_first(bare_root, test=False)
    before = _files(bare_root)
    result = _scaffold(bare_root, "--title", "Written first")
    assert result.returncode == 1
    assert "tests/test_written_first.py" in result.stderr and "글과 노트북만" in result.stderr
    assert _files(bare_root) == before


def test_scaffold_with_code_but_no_section_says_how_to_mark_one(bare_root: Path) -> None:
    _write_code_first(bare_root, code='"""구간 없는 코드."""\n\n\ndef f() -> int:\n    return 1\n')
    before = _files(bare_root)
    result = _scaffold(bare_root, "--title", "Written first")
    assert result.returncode == 1
    assert "글이 끌어올 구간이 없습니다" in result.stderr and "[start:이름]" in result.stderr
    assert _files(bare_root) == before


def test_slug_used_by_another_post_is_refused(bare_root: Path) -> None:
    other = bare_root / "docs" / "blog" / "posts" / "older-name.md"
    other.write_text("---\nslug: reused-slug\n---\n\n# 예전 글\n", encoding="utf-8")
    result = _scaffold(bare_root, "--title", "새 글", "--slug", "reused-slug")
    assert result.returncode == 1
    assert "docs/blog/posts/older-name.md에서 이미 씁니다" in result.stderr
    assert _files(bare_root) == ["docs/blog/posts/older-name.md", "mkdocs.yml"]


def test_scaffold_outside_the_repository_says_where_to_run(tmp_path: Path) -> None:
    result = _scaffold(tmp_path, "--title", "Anything")
    assert result.returncode == 1
    assert "저장소 뿌리에서 실행하세요" in result.stderr


TITLES = {
    "words": ("Attention Is All You Need", "attention-is-all-you-need"),
    "punctuation": ("GPT-2: 1.5B params?!", "gpt-2-1-5b-params"),
    "spaces-around": ("  KV cache  ", "kv-cache"),
}


@pytest.mark.parametrize(("title", "slug"), TITLES.values(), ids=TITLES.keys())
def test_slug_from_ascii_title(title: str, slug: str) -> None:
    assert slug_from_title(title) == slug


BAD_SLUGS = {
    "upper-case": ("Softmax", "ASCII 소문자"),
    "underscore": ("soft_max", "ASCII 소문자"),
    "korean": ("소프트맥스", "ASCII 소문자"),
    "leading-digit": ("2-softmax", "영문자로 시작"),
    "python-keyword": ("class", "파이썬 예약어"),
}


@pytest.mark.parametrize(("slug", "what"), BAD_SLUGS.values(), ids=BAD_SLUGS.keys())
def test_bad_slug_is_explained_with_an_example(slug: str, what: str) -> None:
    with pytest.raises(ScaffoldError) as error:
        check_slug(slug)
    assert what in str(error.value)
    assert "예: --slug softmax-revisited" in str(error.value)


def test_plan_defaults_and_bad_arguments() -> None:
    post = plan("KV cache", date="2025-02-03")
    assert post == NewPost(
        "KV cache", "kv-cache", post.date, categories=("트랜스포머",), tags=("트랜스포머",)
    )
    assert post.date.isoformat() == "2025-02-03"
    assert plan("KV cache", slug="").slug == "kv-cache"  # make new-post가 SLUG 없이 부를 때
    with pytest.raises(ScaffoldError, match="YYYY-MM-DD"):
        plan("KV cache", date="2025-13-01")
    with pytest.raises(ScaffoldError, match="제목이 비어 있거나"):
        plan("   ")  # make new-post를 TITLE 없이 불렀을 때
    with pytest.raises(ScaffoldError, match="카테고리"):
        plan("KV cache", category=" ")


# 기여자의 오류를 일부러: 빌드가 멈추며 고칠 곳을 짚는지. 이름이 'a-'로 시작해 뼈대의 노트북보다 먼저 실행됩니다.
RAISING = "# %%\nx = 1\n\n# %%\ny = x / 0\n"


def test_build_names_the_notebook_cell_that_raised(small_site: Path) -> None:
    with changed(small_site / "notebooks" / "a-raising-notebook.py", RAISING):
        output = failed_build(small_site, small_site.parent / "site-raising")
    assert "노트북을 실행할 수 없습니다" in output
    where = "notebooks/a-raising-notebook.py"
    assert f"{where}: 셀 2번({where}:4)에서 오류가 났습니다" in output
    assert "y = x / 0" in output
    assert "ZeroDivisionError" in output


def test_build_names_the_timeout_read_from_mkdocs_yml(small_site: Path) -> None:
    config = small_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    short, count = re.subn(r"(\n    timeout:) \d+", r"\1 3", text)
    assert count == 1, "mkdocs.yml에 extra.execution.timeout이 없습니다"
    sleeping = "# %%\nimport time\n\ntime.sleep(20)\n"
    with (
        changed(config, short),
        changed(small_site / "notebooks" / "a-sleeping-notebook.py", sleeping),
    ):
        output = failed_build(small_site, small_site.parent / "site-sleeping")
    assert "notebooks/a-sleeping-notebook.py: 실행이 제한 시간 3초를 넘었습니다" in output
    assert "mkdocs.yml의 extra.execution.timeout" in output


def test_build_names_the_page_and_target_of_a_broken_internal_link(small_site: Path) -> None:
    post = small_site / "docs" / "blog" / "posts" / f"{SLUG}.md"
    # 없는 참고 문헌을 가리키는 인용([[9]](#ref-9))은 빌드 전에 blogbuild/references.py가 먼저 멈추므로,
    # MkDocs의 앵커 검사는 제목 앵커로 봅니다.
    broken = "\n[앞 글](no-such-post.md)에서 본 것처럼 [아래](#no-such-heading) 봅니다.\n"
    text = post.read_text(encoding="utf-8").replace("\n## 참고 문헌", broken + "\n## 참고 문헌")
    with changed(post, text):
        output = failed_build(small_site, small_site.parent / "site-links")
    page = f"Doc file 'blog/posts/{SLUG}.md'"
    assert (
        f"{page} contains a link 'no-such-post.md', but the target "
        f"'blog/posts/no-such-post.md' is not found among documentation files." in output
    )
    assert (
        f"{page} contains a link '#no-such-heading', but there is no such anchor on this page."
        in output
    )
    assert "in strict mode!" in output
