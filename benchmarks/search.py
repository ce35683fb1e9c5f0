"""검색의 값: 페이지를 열 때와 검색어를 칠 때 독자가 받는 요청과 바이트(압축해서 보낼 때).

사이트를 빌드해(캐시가 있으면 몇 초) 압축하는 로컬 서버로 띄우고 Debian chromium으로:
- 첫 화면, 가장 무거운 글, 노트북 페이지를 열고 기다린 뒤: 모든 요청과 그중 검색의 것(Pagefind, 워커).
- 검색 창을 열고 검색어를 차례로 칠 때: 검색어마다 더 받은 요청과 바이트.
- 디스크의 색인 전체(site/pagefind/)의 크기: 검색어 하나가 그중 얼마를 받는지 견주려고.
시간 제한 테스트가 아니라 숫자를 출력하는 스크립트입니다. 실행: .venv/bin/python -m benchmarks.search
(--site DIR: 이미 빌드한 사이트를 잽니다. 이 사이트의 검색 창이 없는 사이트(예: Material의 검색으로 빌드한
지난 판)는 페이지 표만 찍습니다.)
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from benchmarks.lighthouse import heaviest_post
from tests.workspace import CHROMIUM, CHROMIUM_FLAGS, ROOT, mkdocs_build, serve_site

QUERIES = ["어텐션은", "셀프 어텐션", "GPT-2", "레이어 정규화", "토큰화"]
SEARCH_PATH = ("/pagefind/", "search_index", "/workers/")


def _received(requests: list) -> int:
    """요청들이 받은 바이트(헤더와 압축된 본문)."""
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def _is_search(request) -> bool:
    return any(part in urlparse(request.url).path for part in SEARCH_PATH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="이미 빌드한 사이트(없으면 지금 빌드)")
    args = parser.parse_args()
    if args.site:
        measure(args.site.resolve())
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        result = mkdocs_build(ROOT, site)
        if result.returncode != 0:
            sys.exit(result.stdout + result.stderr)
        measure(site)


def measure(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    for name in ("pagefind", "search"):  # 이 사이트의 색인, Material 검색의 색인
        index = [path for path in (site / name).rglob("*") if path.is_file()]
        if index:
            raw = sum(path.stat().st_size for path in index)
            packed = sum(len(gzip.compress(path.read_bytes())) for path in index)
            print(f"색인 전체(site/{name}/): 파일 {len(index):,}개, {raw:,} B, gzip {packed:,} B")
    notebook = sorted((site / "notebooks").iterdir())[0].name
    pages = {
        "첫 화면": "",
        "가장 무거운 글": heaviest_post(site),
        "노트북 페이지": f"notebooks/{notebook}/",
    }
    with serve_site(site, compress=True) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        print("\n| 페이지 | 요청 | 받은 바이트 | 그중 검색의 요청 | 워커 |")
        print("|---|---:|---:|---:|---:|")
        for name, path in pages.items():
            tab = browser.new_page()
            requests, workers = [], []
            tab.on("requestfinished", lambda r, seen=requests: seen.append(r))
            tab.on("worker", lambda w, seen=workers: seen.append(w))
            tab.goto(base + path, wait_until="networkidle")
            tab.wait_for_timeout(1000)
            search = [r for r in requests if _is_search(r)]
            print(
                f"| {name} (`{path or '/'}`) | {len(requests)} | {_received(requests):,} "
                f"| {len(search)} | {len(workers)} |"
            )
            tab.close()
        tab = browser.new_page()
        requests = []
        tab.on("requestfinished", lambda r: requests.append(r))
        tab.goto(base, wait_until="networkidle")
        if not tab.locator("[data-site-search-input]").count():
            print("\n이 사이트에는 이 사이트의 검색 창이 없습니다: 검색어 표는 건너뜁니다")
            browser.close()
            return
        box = tab.locator("input.md-search__input")
        box.click()
        tab.wait_for_load_state("networkidle")
        opened = [r for r in requests if _is_search(r)]
        print(f"\n검색 창을 열 때: 요청 {len(opened)}, {_received(opened):,} B")
        print("\n| 검색어 | 결과 | 더 받은 요청 | 더 받은 바이트 |")
        print("|---|---:|---:|---:|")
        for query in QUERIES:
            before = len(requests)
            box.fill(query)
            tab.wait_for_function(
                "() => /결과|없습니다/.test("
                "document.querySelector('[data-site-search-status]').textContent)"
            )
            tab.wait_for_load_state("networkidle")
            tab.wait_for_timeout(300)
            status = tab.text_content("[data-site-search-status]")
            added = requests[before:]
            print(f"| {query} | {status} | {len(added)} | {_received(added):,} |")
        browser.close()


if __name__ == "__main__":
    main()
