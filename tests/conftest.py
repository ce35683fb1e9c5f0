"""테스트가 함께 쓰는 것: 저장소 위치, 사이트 빌드, 인코더-디코더 동등성 검사."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from blogbuild.workspace import ROOT, mkdocs_build
from blogbuild.workspace import copy_site as _copy_site

POSTS_DIR = ROOT / "docs" / "blog" / "posts"

__all__ = ["POSTS_DIR", "ROOT", "assert_seq2seq_matches", "copy_site", "mkdocs_build"]


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
