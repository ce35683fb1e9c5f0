"""테스트가 함께 쓰는 것: 저장소 위치, 사이트 빌드(저장소 전체와 글 하나짜리 작은 사이트), 인코더-디코더 동등성 검사."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import torch

from blogbuild.frontmatter import read_front_matter
from tests.workspace import ROOT, mkdocs_build
from tests.workspace import copy_site as _copy_site

POSTS_DIR = ROOT / "docs" / "blog" / "posts"

__all__ = [
    "POSTS_DIR",
    "ROOT",
    "SMALL_SITE_POST",
    "assert_seq2seq_matches",
    "changed",
    "copy_site",
    "failed_build",
    "mkdocs_build",
    "post_path",
]
# 작은 사이트의 하나뿐인 글: 뼈대(tools.new_post)로 만든 (제목, slug).
SMALL_SITE_POST = ("기여 안내 따라 하기", "contributing-walkthrough")


def post_path(post: Path) -> str:
    """글 파일(docs/blog/posts/<이름>.md)이 사이트에 실리는 경로: blog/YYYY/MM/DD/<slug>/."""
    meta = read_front_matter(post)
    return f"blog/{str(meta['date'])[:10].replace('-', '/')}/{meta['slug']}/"


def copy_site(destination: Path) -> Path:
    """사이트 소스의 임시 복사본. 실행 결과도 함께 복사해 노트북을 다시 돌리지 않게 합니다."""
    return _copy_site(destination, with_outputs=True)


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
    create(plan(*SMALL_SITE_POST), root)
    # 트랜스포머 시리즈(data/series.yml)의 글들도 없으니, 시리즈는 그 하나뿐인 글로.
    (root / "data" / "series.yml").write_text(f"- {SMALL_SITE_POST[1]}\n", encoding="utf-8")
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
