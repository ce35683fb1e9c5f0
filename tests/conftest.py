"""테스트가 함께 쓰는 것: 저장소 위치, 사이트 빌드(저장소 전체와 글 하나짜리 작은 사이트), 인코더-디코더 동등성 검사."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import torch

from blogbuild import memo
from blogbuild.frontmatter import published, read_front_matter
from tests.workspace import ROOT, mkdocs_build
from tests.workspace import copy_site as _copy_site

POSTS_DIR = ROOT / "docs" / "blog" / "posts"
# make build가 싣는 글: 초안(draft: true)은 빼고, 빌드와 같은 규칙(blogbuild.frontmatter.published)으로.
PUBLISHED_POSTS = published(sorted(POSTS_DIR.glob("*.md")), drafts_shown=False)
DRAFTS = sorted(set(POSTS_DIR.glob("*.md")) - set(PUBLISHED_POSTS))

__all__ = [
    "DRAFTS",
    "POSTS_DIR",
    "PUBLISHED_POSTS",
    "ROOT",
    "SMALL_SITE_POST",
    "alias_bomb",
    "assert_seq2seq_matches",
    "blog_listing",
    "changed",
    "copy_site",
    "failed_build",
    "fill_in_scaffold",
    "publish_draft",
    "mkdocs_build",
    "post_path",
]
# 작은 사이트의 하나뿐인 글: 뼈대(tools.new_post)로 만든 (제목, slug).
SMALL_SITE_POST = ("기여 안내 따라 하기", "contributing-walkthrough")


# make test가 pytest-xdist의 작업자들에게 통째로 나눠 주는 일의 단위. 기본은 파일 하나입니다: 파일의 모듈
# 픽스처(사이트 복사본, 브라우저, 서버)를 한 작업자에서 한 번만 만듭니다. 무거운 두 파일은 더 잘게 나눕니다.
# - test_execution.py의 결정성 테스트는 노트북 하나가 한 단위입니다(노트북을 처음부터 다시 실행하는 일).
# - test_browser.py는 팔레트 하나가 한 단위입니다. 한 팔레트의 검사들은 페이지마다 한 방문 기록(visit)을
#   함께 보므로 페이지는 팔레트마다 여전히 한 번만 열리고, 두 팔레트는 두 작업자에서 나란히 돕니다.
# 무거운 단위부터 나눠 줍니다(테스트 순서를 그렇게 정렬합니다): 긴 단위가 마지막에 혼자 남지 않게.
# (pytest-xdist의 --dist loadgroup은 pytest 9에서 묶지 못하므로 xdist의 스케줄러 훅으로 단위를 정합니다.)
NOTEBOOK_TEST = "tests/test_execution.py::test_two_executions_give_byte_identical_outputs["


def work_unit(nodeid: str) -> str:
    """테스트(nodeid) 하나가 속한 일의 단위 이름."""
    path, _, name = nodeid.partition("::")
    if nodeid.startswith(NOTEBOOK_TEST):
        return "notebook " + nodeid.removeprefix(NOTEBOOK_TEST).removesuffix("]")
    if path == "tests/test_browser.py":
        return "browser slate" if name.endswith("-slate]") else "browser default"
    return path


# 사이트를 여러 번 빌드하거나 띄우는 파일들(파일 하나에 10~25초): 가벼운 파일들보다 먼저.
BUILDING_FILES = {
    f"tests/{name}.py"
    for name in ("test_execution", "test_scaffold", "test_untrusted", "test_serve")
}


def _heaviness(unit: str) -> int:
    if unit.startswith("browser "):
        return 0
    if unit.startswith("notebook "):
        return 1
    return 2 if unit in BUILDING_FILES else 3


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """무거운 단위부터: 브라우저의 두 팔레트, 노트북 실행, 사이트를 빌드하는 파일, 나머지(단위 안의 순서는 그대로)."""
    items.sort(key=lambda item: _heaviness(work_unit(item.nodeid)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    from xdist.scheduler import LoadScopeScheduling  # noqa: PLC0415

    class WorkUnits(LoadScopeScheduling):
        """xdist의 loadscope(단위를 통째로, 먼저 끝난 작업자에게)와 같되 단위는 work_unit."""

        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return WorkUnits(config, log)


def alias_bomb(levels: int) -> str:
    """YAML 별칭 폭탄(billion laughs) 한 줄: 펼치면 9**(levels-1)개의 "lol"이 됩니다."""
    names = [chr(ord("a") + i) for i in range(levels)]
    anchors = [f"&{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip(names, names[1:], strict=False)]
    return "[" + ", ".join(['&a "lol"', *anchors]) + "]"


def post_path(post: Path) -> str:
    """글 파일(docs/blog/posts/<이름>.md)이 사이트에 실리는 경로: blog/YYYY/MM/DD/<slug>/."""
    meta = read_front_matter(post)
    return f"blog/{str(meta['date'])[:10].replace('-', '/')}/{meta['slug']}/"


def blog_listing(site: Path) -> list[Path]:
    """블로그 목록의 쪽들: blog/index.html과, 쪽 나눔(md-pagination)의 링크를 따라 닿는 blog/page/N/.

    Material의 블로그는 목록을 글 열 편마다 한 쪽으로 나눕니다: 글이 몇 편이든 모든 쪽을 봅니다.
    """
    pages, queue = [], [site / "blog" / "index.html"]
    while queue:
        page = queue.pop(0).resolve()
        if page in pages:
            continue
        pages.append(page)
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'class="md-pagination__link" href="([^"]+)"', text):
            queue.append(page.parent / href / "index.html")
    return pages


def copy_site(destination: Path) -> Path:
    """사이트 소스의 임시 복사본. 실행 결과도 함께 복사해 노트북을 다시 돌리지 않게 합니다."""
    return _copy_site(destination, with_outputs=True)


def copy_notebook_outputs(project: Path) -> None:
    """작은 시험 프로젝트에 노트북의 저장 함수들(notebook_outputs 패키지)을 저장소 그대로 복사합니다."""
    shutil.copytree(
        ROOT / "notebook_outputs",
        project / "notebook_outputs",
        ignore=shutil.ignore_patterns("__pycache__"),
    )


DEMO_NOTEBOOK = "demo"


@pytest.fixture
def notebook_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """저장소 꼴의 임시 디렉터리: notebooks/demo.py와, 노트북이 쓰는 build/outputs/demo/(BLOG_OUTPUT_DIR)."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / f"{DEMO_NOTEBOOK}.py").write_text("# %%\n", encoding="utf-8")
    directory = outputs_of(tmp_path) / DEMO_NOTEBOOK
    directory.mkdir(parents=True)
    monkeypatch.setenv("BLOG_OUTPUT_DIR", str(directory))
    return tmp_path


def outputs_of(project: Path) -> Path:
    """project의 노트북 결과 디렉터리들의 뿌리(build/outputs)."""
    return project / "build" / "outputs"


@pytest.fixture(scope="session")
def render_markdown() -> Callable[[str], str]:
    """Markdown을 사이트의 설정(mkdocs.yml의 markdown_extensions)으로 그린 HTML. 생성기처럼 앞머리를
    먼저 뗍니다: 산출물과 노트북 페이지가 사이트에서 어떻게 보이는지가 중요하기 때문입니다."""
    import markdown  # noqa: PLC0415
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.utils.meta import get_data  # noqa: PLC0415

    config = load_config(str(ROOT / "mkdocs.yml"))

    def to_html(text: str) -> str:
        body, _ = get_data(text)
        md = markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
        return md.convert(body)

    return to_html


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """저장소를 한 번 엄격 빌드한 site 디렉터리. 빌드가 실패하면 그 출력과 함께 실패합니다."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    return site


def fill_in_scaffold(post: Path) -> None:
    """뼈대가 만든 글에서 기여자가 먼저 하는 일: '(바꾸세요)' 자리 글(description과 문장들)을 바꿉니다.

    남겨 두면 엄격 빌드가 그 줄들을 짚어 멈춥니다(blogbuild/frontmatter.py의 scaffold_leftovers).
    """
    text = re.sub(
        r"^description: \(바꾸세요\).*$",
        "description: 기여 안내를 따라 뼈대로 만든 글에서 소프트맥스를 코드로 살펴봅니다.",
        post.read_text(encoding="utf-8"),
        count=1,
        flags=re.MULTILINE,
    )
    post.write_text(text.replace("(바꾸세요) ", ""), encoding="utf-8")


def publish_draft(post: Path) -> None:
    """글을 실을 때 하는 일: 뼈대가 넣은 앞머리의 'draft: true' 줄과 그 위의 설명(주석) 줄들을 지웁니다."""
    text, count = re.subn(
        r"(?:^#.*\n)*^draft: true\n", "", post.read_text(encoding="utf-8"), count=1, flags=re.M
    )
    assert count == 1, f"{post}에 'draft: true' 줄이 없습니다"
    post.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """글이 뼈대로 만든 하나뿐인 작은 사이트: 설정·훅·snippets/는 저장소 그대로, 글과 노트북은 그 하나.

    오류 경로(기여자의 실수, 적대적인 입력)를 시험하는 빌드가 함께 씁니다. 다른 글과 노트북의 상태와
    상관없이 빨리 빌드됩니다. 테스트는 망가뜨린 것을 changed()로 되돌립니다.
    """
    from tools.new_post import create, plan  # noqa: PLC0415

    root = copy_site(tmp_path_factory.mktemp("small") / "project")
    for path in [
        *(root / "docs" / "blog" / "posts").glob("*.md"),
        *(root / "notebooks").glob("*.py"),
    ]:
        path.unlink()
    # 첫 화면이 다른 글로 링크하더라도 그 글이 없으니, 링크 없는 첫 화면으로 바꿉니다.
    (root / "docs" / "index.md").write_text("# 시험용 사이트\n", encoding="utf-8")
    (post, *_) = create(plan(*SMALL_SITE_POST), root)
    fill_in_scaffold(post)
    publish_draft(post)
    # 트랜스포머 시리즈(data/series.yml)의 글들도 없으니, 시리즈는 그 하나뿐인 글로.
    (root / "data" / "series.yml").write_text(f"- {SMALL_SITE_POST[1]}\n", encoding="utf-8")
    # 용어집(data/glossary.yml)의 용어마다 적은 설명 글도 없으니, 뼈대 글이 설명하는 용어 하나로.
    (root / "data" / "glossary.yml").write_text(
        "- term: 소프트맥스\n"
        "  english: softmax\n"
        "  definition: 점수를 합이 1인 확률로 바꾸는 함수입니다.\n"
        f"  post: {SMALL_SITE_POST[1]}\n"
        "  avoid: [소프트 맥스]\n"
        "  english_at_first_use: false\n",
        encoding="utf-8",
    )
    return root


@contextmanager
def changed(path: Path, text: str | bytes) -> Iterator[None]:
    """path의 내용을 잠시 text로 바꾸고(없으면 만들고), 끝나면 원래대로 되돌립니다(지웁니다)."""
    before = path.read_bytes() if path.exists() else None
    try:
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        yield
    finally:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)


def failed_build(project: Path, site: Path) -> str:
    """실패해야 하는 빌드: 출력을 돌려주고, 반쯤 만든 사이트가 남지 않았는지 봅니다."""
    result = mkdocs_build(project, site)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert not (site / "index.html").exists(), "a half-built site was left behind"
    return output


def in_a_build(memo_path: Path, check: Callable[[], object]) -> object:
    """check()를 빌드 한 번처럼 부릅니다: 기억(memo)을 memo_path로 켜고, 끝나면 써서 다음 빌드가 읽게 합니다."""
    memo.start(memo_path)
    try:
        return check()
    finally:
        memo.finish()


def remembered_between_builds(memo_path: Path, check: Callable[[], object], work: list) -> object:
    """check()를 빌드 두 번처럼: 첫 빌드는 일을 하고(work에 쌓임), 둘째 빌드는 같은 결과를 일 없이 냅니다."""
    first = in_a_build(memo_path, check)
    assert work
    work.clear()
    assert in_a_build(memo_path, check) == first
    assert work == []
    return first


def assert_seq2seq_matches(
    hf: torch.nn.Module,
    ours: torch.nn.Module,
    src: torch.Tensor,
    tgt: torch.Tensor,
    src_lengths: torch.Tensor,
    tgt_lengths: torch.Tensor,
    atol: float | None = None,
) -> None:
    """오른쪽 패딩이 있는 배치에서 우리 인코더-디코더(BART, T5)가 transformers와 같은 로짓과 손실을 내는지.

    참조 구현은 0/1 attention_mask를, 우리 모델은 길이 (B,)를 받습니다. 패딩 자리의 정답은 -100입니다.
    """
    S, T = src.shape[1], tgt.shape[1]
    src_mask = torch.arange(S)[None] < src_lengths[:, None]  # (B, S)
    tgt_mask = torch.arange(T)[None] < tgt_lengths[:, None]  # (B, T)
    labels = tgt.masked_fill(~tgt_mask, -100)
    expected = hf(
        input_ids=src,
        attention_mask=src_mask.long(),
        decoder_input_ids=tgt,
        decoder_attention_mask=tgt_mask.long(),
        labels=labels,
    )
    got = ours(
        src, decoder_input_ids=tgt, labels=labels, src_lengths=src_lengths, tgt_lengths=tgt_lengths
    )
    tol = {} if atol is None else dict(atol=atol, rtol=atol)
    torch.testing.assert_close(got.logits, expected.logits, **tol)
    torch.testing.assert_close(got.loss, expected.loss, **tol)
