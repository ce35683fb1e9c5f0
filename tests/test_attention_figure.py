"""어텐션 그림: 노트북의 save_attention → 결과 목록의 검사 → 글의 번호 붙은 <figure>(blogbuild/attention_figure.py).

결과 목록은 노트북(기여자의 코드)이 쓴 것이라, 빌드는 토큰과 가중치의 꼴과 값을 믿지 않고 검사하고
토큰과 캡션을 이스케이프해서 싣습니다. 브라우저에서 움직이는 것은 tests/test_browser.py가 봅니다.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import markdown
import pytest
import torch

from blogbuild import active_content, attention_figure, figures, manifest, placeholders
from notebook_outputs import save_attention
from tests.conftest import DEMO_NOTEBOOK, outputs_of

# 노트북이 결과를 쓰는 임시 저장소(notebook_project)와 그 결과 디렉터리(outputs_of)는 tests/conftest.py의 것
WHERE = "notebooks/demo.py: 결과 목록(build/outputs/demo/manifest.json)의 항목 'attn'(어텐션 그림)"


def _weights(H: int, T: int, seed: int = 0) -> torch.Tensor:
    scores = torch.randn(H, T, T, generator=torch.Generator().manual_seed(seed))
    return torch.softmax(scores, dim=-1)


def test_save_attention_records_tokens_and_rounded_weights_that_the_build_accepts(
    notebook_project: Path,
) -> None:
    weights = _weights(2, 3)
    save_attention("attn", ["나", "는", "␣"], weights, caption="헤드마다\n 다릅니다.")
    assert manifest.check_all(notebook_project, outputs_of(notebook_project)) == []
    saved = manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)["attn"]
    assert saved.kind == "attention" and saved.tokens == ("나", "는", "␣")
    torch.testing.assert_close(torch.tensor(saved.weights), weights, atol=5e-4, rtol=0)


def test_save_attention_refuses_weights_that_do_not_fit_the_tokens(notebook_project: Path) -> None:
    with pytest.raises(ValueError, match=re.escape("토큰 수 2 × 2인 (H, T, T)")):
        save_attention("attn", ["나", "는"], _weights(1, 3), caption="말")
    with pytest.raises(ValueError, match="caption"):
        save_attention("attn", ["나", "는"], _weights(1, 2), caption=" ")


def _entry(**changes: object) -> dict:
    entry = {
        "kind": "attention",
        "tokens": ["나", "는"],
        "weights": [[[0.75, 0.25], [0.5, 0.5]]],
        "caption": "말",
    }
    return entry | changes


BAD = {
    "no-caption": (_entry(caption=""), f"{WHERE}: 캡션(caption: 그림이 말하는 것)이 비었습니다"),
    "token-not-text": (_entry(tokens=["나", 3]), f"{WHERE}: tokens는 토큰 1~32개의 목록이고"),
    "blank-token": (_entry(tokens=["나", " "]), f"{WHERE}: tokens는 토큰 1~32개의 목록이고"),
    "too-many-tokens": (_entry(tokens=["가"] * 33), f"{WHERE}: tokens는 토큰 1~32개의 목록이고"),
    "not-square": (
        _entry(weights=[[[1.0], [1.0]]]),
        f"{WHERE}: weights는 헤드 1~8개의 (T, T) 행렬이어야 합니다: 토큰이 2개이므로",
    ),
    "no-heads": (_entry(weights=[]), f"{WHERE}: weights는 헤드 1~8개의 (T, T) 행렬"),
    "not-a-number": (
        _entry(weights=[[[0.5, "0.5"], [0.5, 0.5]]]),
        f"{WHERE}: 헤드 0의 쿼리 0행에 0~1의 유한한 수가 아닌 가중치가 있습니다",
    ),
    "negative": (
        _entry(weights=[[[1.5, -0.5], [0.5, 0.5]]]),
        f"{WHERE}: 헤드 0의 쿼리 0행에 0~1의 유한한 수가 아닌 가중치가 있습니다",
    ),
    "row-does-not-sum-to-one": (
        _entry(weights=[[[0.5, 0.5], [0.5, 0.4]]]),
        f"{WHERE}: 헤드 0의 쿼리 1행의 합이 0.9000입니다",
    ),
    "unknown-field": (
        _entry(alt="그림"),
        f"{WHERE.removesuffix('(어텐션 그림)')}(어텐션 그림): 모르는 필드: alt",
    ),
}


@pytest.mark.parametrize(("entry", "message"), BAD.values(), ids=BAD.keys())
def test_a_wrong_attention_entry_names_the_notebook_the_entry_and_what_is_wrong(
    notebook_project: Path, entry: dict, message: str
) -> None:
    path = outputs_of(notebook_project) / DEMO_NOTEBOOK / "manifest.json"
    path.write_text(json.dumps({"attn": entry}, ensure_ascii=False), encoding="utf-8")
    problems = manifest.check_all(notebook_project, outputs_of(notebook_project))
    assert len(problems) == 1 and problems[0].startswith(message), problems
    with pytest.raises(manifest.ManifestError):
        manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)


def test_nan_is_not_a_weight() -> None:
    entry = _entry(weights=[[[math.nan, 1.0], [0.5, 0.5]]])
    assert attention_figure.problems("w", entry)[0].startswith("w: 헤드 0의 쿼리 0행에")


def _page(notebook_project: Path, text: str) -> str:
    """글 Markdown → (자리 채우기) → 사이트의 Markdown 확장으로 HTML → 그림 번호."""
    filled = placeholders.substitute(
        text, outputs_of(notebook_project), "post.md", own_notebook=DEMO_NOTEBOOK
    )
    html = markdown.markdown(filled, extensions=["md_in_html", "attr_list", "tables"])
    rendered, problems = figures.render_figures(html, outputs_of(notebook_project))
    assert problems == []
    return rendered


def test_the_post_line_becomes_a_numbered_figure_whose_tables_hold_every_weight(
    notebook_project: Path,
) -> None:
    tokens = ["<script>", "&", "는"]
    weights = _weights(2, 3, seed=1)
    save_attention("attn", tokens, weights, caption='캡션 <b onclick="x">굵게</b>')
    html = _page(notebook_project, "앞 문단\n\n{{ attn }}\n\n뒤 문단")
    assert '<figure class="attention-figure" id="figure-1">' in html
    assert '<span class="figure-number">그림 1.</span> 캡션 &lt;b onclick="x"&gt;' in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert active_content.in_page(html) == []
    stored = manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)[
        "attn"
    ].weights  # 소수 셋째 자리
    tables = re.findall(r"<table.*?</table>", html, re.DOTALL)
    assert len(tables) == 2
    for head, table in enumerate(tables):
        cell = r'<td class="attention-level-\d+">([0-9.]+)</td>'
        cells = torch.tensor([float(c) for c in re.findall(cell, table)]).view(3, 3)
        torch.testing.assert_close(cells, weights[head], atol=5e-3, rtol=0)
        levels = [int(n) for n in re.findall(r"attention-level-(\d+)", table)]
        assert levels == [round(w * 10) for row in stored[head] for w in row]


def test_attention_figures_and_notebook_figures_share_one_numbering(notebook_project: Path) -> None:
    (outputs_of(notebook_project) / DEMO_NOTEBOOK / "plot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt"></svg>',
        encoding="utf-8",
    )
    manifest_path = outputs_of(notebook_project) / DEMO_NOTEBOOK / "manifest.json"
    figure = {"kind": "figure", "files": {"light": "plot.svg"}, "alt": "곡선", "caption": "말"}
    manifest_path.write_text(json.dumps({"plot": figure}, ensure_ascii=False), encoding="utf-8")
    save_attention("attn", ["나", "는"], _weights(1, 2), caption="어텐션")
    html = _page(notebook_project, "{{ plot }}\n\n{{ attn }}\n\n{{ plot }}")
    numbers = re.findall(r'<span class="figure-number">(그림 \d+)\.</span>', html)
    assert numbers == ["그림 1", "그림 2", "그림 3"]
    assert '<figure class="attention-figure" id="figure-2">' in html
