"""Lighthouse 벤치마크: 첫 페이지, 시리즈 페이지, 용어집(가장 긴 목록 페이지), 가장 무거운 글과 가장 가벼운 글,
가장 무거운 노트북 페이지. 모바일·데스크톱 설정, 압축해서 보냈을 때.

네 범주(성능, 접근성, 권장 사항, 검색 엔진 최적화)의 점수와 전송 바이트를 출력합니다.
목표: 모바일 성능과 접근성 100, 권장 사항·SEO 100, 글자만인 글의 첫 방문 전송 100 KB 이하.
시간 제한 테스트가 아니라 숫자를 출력하는 스크립트입니다.
실행: make bench-lighthouse (Debian chromium과 benchmarks/의 Lighthouse가 필요)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.workspace import CHROMIUM, CHROMIUM_FLAGS, ROOT, mkdocs_build, serve_site

LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def _weights(site: Path, pattern: str) -> dict[Path, int]:
    """pattern의 페이지마다 HTML과 그 페이지가 싣는 그림(SVG)을 더한 바이트."""
    sizes = {}
    svgs = list(site.rglob("*.svg"))
    for page in site.glob(pattern):
        html = page.read_text(encoding="utf-8")
        figures = {name for name in svgs if name.name in html}
        sizes[page.parent] = page.stat().st_size + sum(f.stat().st_size for f in figures)
    return sizes


def _path(site: Path, page: Path) -> str:
    return str(page.relative_to(site)) + "/"


def heaviest_post(site: Path) -> str:
    """HTML과 그 페이지가 싣는 그림(SVG)을 더해 가장 무거운 글의 경로."""
    sizes = _weights(site, "blog/20*/*/*/*/index.html")
    return _path(site, max(sizes, key=sizes.get))


def pages_to_audit(site: Path) -> dict[str, str]:
    """잴 페이지들(이름 → 사이트 안 경로): 글이 늘어도 무게로 고릅니다."""
    posts = _weights(site, "blog/20*/*/*/*/index.html")
    notebooks = _weights(site, "notebooks/*/index.html")
    return {
        "첫 페이지": "",
        "시리즈": "series/",
        "용어집": "glossary/",
        "가장 무거운 글": _path(site, max(posts, key=posts.get)),
        "가장 가벼운 글": _path(site, min(posts, key=posts.get)),
        "가장 무거운 노트북": _path(site, max(notebooks, key=notebooks.get)),
    }


def audit(url: str, preset: str, work: Path) -> dict:
    report = work / f"report-{preset}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit(
            "Lighthouse가 없습니다: make bench-lighthouse가 npm ci --prefix benchmarks로 설치합니다"
        )
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = mkdocs_build(ROOT, site)
        if result.returncode != 0:
            sys.exit(result.stdout + result.stderr)
        pages = pages_to_audit(site)
        for label, path in pages.items():
            print(f"{label}: /{path}")
        print(
            f"{'페이지':<24} {'설정':<8} {'성능':>4} {'접근성':>6} {'권장':>4} {'SEO':>4} {'전송 바이트':>12}"
        )
        with serve_site(site, compress=True) as base_url:
            for label, path in pages.items():
                for preset in ("mobile", "desktop"):
                    report = audit(base_url + path, preset, Path(tmp))
                    scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
                    weight = report["audits"]["total-byte-weight"]["numericValue"]
                    print(
                        f"{label:<24} {preset:<8} "
                        + " ".join(f"{s:>4}" for s in scores)
                        + f" {weight:>12,.0f}"
                    )


if __name__ == "__main__":
    main()
