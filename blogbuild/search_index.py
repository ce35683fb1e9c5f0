"""검색 색인: 독자가 검색 창을 열기 전에는 한 바이트도 내려받지 않는 Pagefind 색인을 site/pagefind/에 씁니다.

Material의 검색은 모든 페이지가 처음 열릴 때 블로그 전체의 색인(search_index.json)을 내려받고, 워커가 그것으로
lunr 색인을 다시 만들었습니다: 검색하지 않는 독자도 그 바이트와 CPU를 냈습니다. Pagefind는 색인을 낱말 범위별
조각으로 나눠 두고, 검색어가 닿는 조각과 보여 줄 결과의 요약만 내려받습니다. 사이트의 스크립트
(docs/javascripts/search.js)는 독자가 검색 창을 열 때 처음으로 pagefind/pagefind.js를 불러옵니다.

- 색인에 드는 페이지: 실리는 글, 노트북 페이지, docs/의 다른 페이지. 글을 모아 보여 주는 페이지(홈, 블로그
  목록, 태그, 시리즈)는 앞머리에 `search: {exclude: true}`를 적어 뺍니다(Material의 검색과 같은 약속). 블로그
  플러그인이 만드는 아카이브와 카테고리 페이지는 원본이 없으므로 들지 않습니다.
- 페이지의 본문(article)만 색인합니다. 제목 줄의 링크 기호, 노트북의 코드 셀, 시리즈 안내처럼
  `data-search-exclude`가 붙은 것은 뺍니다.
- 붙여 쓴 낱말의 조각(search_terms)은 색인에 넘기는 본문의 끝에 더합니다. 독자가 받는 HTML은 바뀌지
  않습니다. 붙여 쓴 검색어의 띄어 쓴 꼴과 용어의 다른 꼴(영어, 쓰지 않는 꼴)은 pagefind/forms.json의 표로
  싣고 검색 창이 검색어를 바꿔 찾습니다.
"""

from __future__ import annotations

import base64
import gzip
import html
import itertools
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin

from blogbuild import execution, frontmatter, memo, search_terms
from blogbuild.project import POSTS, Project

INDEX_DIR = "pagefind"  # site/pagefind/: Pagefind가 쓰는 색인과 그 스크립트
LANGUAGE = "ko"
ROOT = "article.md-content__inner"  # Material(과 Zensical)이 페이지 본문을 그리는 곳
ARTICLE = '<article class="md-content__inner'  # 그 본문이 시작하는 태그(빌드된 HTML의 글자 그대로)
# 색인하지 않는 것: 제목의 링크 기호(¶), 글 머리의 버튼(편집, 내려받기), 시리즈 안내, 노트북의 코드 셀
EXCLUDED = [
    ".headerlink",
    ".md-content__button",
    ".md-source-file",
    "[data-search-exclude]",
    ".notebook-input",
]
FORMS = "forms.json"  # 검색 창이 검색어를 바꿔 찾는 표: 붙여 쓴 꼴 → 띄어 쓴 꼴, 다른 꼴 → 용어
SUPPORTING_WEIGHT = 0.5  # 글이 아닌 페이지의 낱말 무게(Pagefind의 data-pagefind-weight, 기본 1)
# 더한 낱말(붙여 쓴 낱말의 조각)의 무게: 찾게는 하되 순위와 결과의 요약은 글의 본문이 정합니다
# (1이면 가나다순으로 모인 낱말들이 요약으로 뽑혔습니다)
TERMS_WEIGHT = 0.1
# 용어집(data/glossary.yml)이 용어를 설명한다고 적은 글의 그 제목 아래에 더하는 용어의 꼴들의 무게: 용어로
# 찾으면 그것을 설명하는 글이 그 용어를 지나가며 쓰는 글보다 먼저 나옵니다
SUBJECT_WEIGHT = 8.0
# 사이트에 싣는 Pagefind의 스크립트: 검색 API(pagefind.js)와 그것이 부르는 워커. Pagefind가 함께 쓰는 기본 UI
# (pagefind-ui.js, .css 등)는 이 사이트가 쓰지 않으므로 색인을 만들 때 버립니다(기억에도, 사이트에도 없음).
KEPT_SCRIPTS = {"pagefind.js", "pagefind-worker.js"}
FRAGMENT_SIGNATURE = b"pagefind_dcd"


class SearchIndexError(RuntimeError):
    """색인을 쓸 수 없음: 문제들(problems)을 빌드가 한 번에 보여 줍니다."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def page_urls(project: Project) -> dict[str, float]:
    """색인에 드는 페이지의 사이트 안 주소(blog/2025/01/31/<slug>/, notebooks/<이름>/, glossary/) → 무게.

    글은 무게 1, 글을 돕는 페이지(노트북, 용어집)는 SUPPORTING_WEIGHT: 같은 낱말이면 그것을 가르치는 글이
    노트북이나 용어집보다 먼저 나옵니다."""
    urls = dict.fromkeys((project.post_url(post) for post in project.series()[1].values()), 1.0)
    for notebook in execution.find_notebooks(project.root):
        urls[f"notebooks/{notebook.name}/"] = SUPPORTING_WEIGHT
    for page in sorted(project.docs.rglob("*.md")):
        relative = page.relative_to(project.docs)
        if relative.is_relative_to(POSTS) or _excluded(page):
            continue
        stem = relative.with_suffix("").as_posix()
        urls["" if stem == "index" else stem.removesuffix("/index") + "/"] = SUPPORTING_WEIGHT
    return urls


def _excluded(page: Path) -> bool:
    search = frontmatter.read_front_matter(page).get("search")
    return isinstance(search, dict) and search.get("exclude") is True


def write(
    site: Path,
    urls: dict[str, float],
    aliases: dict[str, str] | None = None,
    subjects: dict[str, list[tuple[str, list[str]]]] | None = None,
) -> dict[str, bytes]:
    """site/의 페이지들(urls: 주소 → 무게)로 site/pagefind/에 색인을 새로 쓰고, 실은 스크립트(사이트 경로 → 바이트)를
    돌려줍니다: 마지막 검사(site_check)가 허락할 스크립트입니다. 없는 페이지나 본문이 없는 페이지는
    SearchIndexError로 한 번에 짚습니다. aliases: 검색어의 다른 꼴 → 블로그의 용어(glossary.aliases): 붙여 쓴
    꼴의 표(search_terms.joined_forms)와 함께 pagefind/forms.json에 써서 검색 창이 검색어를 바꿔 찾게 합니다.
    subjects: 주소 → (제목의 앵커, 그 제목 아래에서 설명하는 용어의 꼴들)의 목록. 앵커가 빈 글자면 글의 제목(h1)."""
    subjects = subjects or {}
    pages, problems = {}, []
    for url in urls:
        path = site / url / "index.html"
        if not path.is_file():
            problems.append(
                f"{site.name}/{url}index.html이 없습니다: 검색 색인에 넣을 페이지가 빌드되지 않았습니다"
            )
            continue
        text = path.read_text(encoding="utf-8")
        if ARTICLE not in text or "</article>" not in text:
            problems.append(
                f"{site.name}/{url}index.html에 본문({ROOT})이 없습니다: 생성기의 테마가 본문을 "
                "다른 곳에 그린다면 blogbuild/search_index.py의 ROOT를 그에 맞추세요"
            )
            continue
        for anchor, forms in subjects.get(url, []):
            marked = _with_subject(text, anchor, forms)
            if marked is None:
                problems.append(
                    f"{site.name}/{url}index.html에 제목 #{anchor}이 없습니다: data/glossary.yml이 "
                    f"'{forms[0]}'을 설명한다고 적은 곳입니다. 그 항목의 anchor를 고치세요"
                )
            text = marked or text
        pages[url] = text
    if problems:
        raise SearchIndexError(problems)
    articles = [_article(text) for text in pages.values()]
    terms = search_terms.document_terms(articles)
    indexed = {
        url: _for_index(pages[url], added, urls[url])
        for url, added in zip(pages, terms, strict=True)
    }
    files = memo.remembered(
        ("search index", repr(_config()), *itertools.chain(*indexed.items())),
        lambda: _index(indexed),
        shape=[(str, str)],
        tools=("pagefind_bin",),  # 색인을 쓰는 실행 파일의 판
    )
    output = site / INDEX_DIR
    if output.exists():
        shutil.rmtree(output)
    for name, content in files:
        path = output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(content))
    forms = {
        "joined": search_terms.joined_forms(articles),
        "aliases": dict(sorted((aliases or {}).items())),
    }
    (output / FORMS).write_text(
        json.dumps(forms, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return {
        f"{INDEX_DIR}/{name}": (output / name).read_bytes()
        for name, _ in files
        if name in KEPT_SCRIPTS
    }


def _article(page: str) -> str:
    """페이지의 본문 부분(복합어를 찾을 글): 본문이 시작하는 곳부터 마지막 </article>까지."""
    start = page.find(ARTICLE)
    return page[start : page.rfind("</article>")]


def _with_subject(page: str, anchor: str, forms: list[str]) -> str | None:
    """색인에만 넘기는 페이지: 앵커의 제목(없으면 h1) 바로 뒤에 용어의 꼴들을 무거운 문단으로. 제목이 없으면 None."""
    found = re.search(
        rf'<h([1-6]) id="{re.escape(anchor)}"[^>]*>.*?</h\1>' if anchor else r"<h1[ >].*?</h1>",
        page,
        re.DOTALL,
    )
    if found is None:
        return None
    forms_html = html.escape(" ".join(forms))
    paragraph = f'<p data-pagefind-weight="{SUBJECT_WEIGHT}">{forms_html}</p>'
    return page[: found.end()] + paragraph + page[found.end() :]


def _for_index(page: str, terms: str, weight: float) -> str:
    """색인에만 넘기는 페이지: 본문에 무게를 적고(1이 아니면), 본문 끝에 더할 낱말들을 한 문단으로."""
    at = page.rfind("</article>")
    if terms:
        terms = html.escape(terms)
        page = f'{page[:at]}<p data-pagefind-weight="{TERMS_WEIGHT}">{terms}</p>{page[at:]}'
    if weight != 1:
        weighted = ARTICLE.replace("<article", f'<article data-pagefind-weight="{weight}"', 1)
        page = page.replace(ARTICLE, weighted, 1)
    return page


def _config() -> dict:
    return {"root_selector": ROOT, "exclude_selectors": EXCLUDED, "force_language": LANGUAGE}


def _index(pages: dict[str, str]) -> list[tuple[str, str]]:
    """Pagefind로 색인한 파일들(pagefind/ 안의 경로, base64 바이트). 페이지를 임시 디렉터리에 주소대로 써서
    Pagefind의 명령(고정된 pagefind_bin의 실행 파일)에 읽힙니다. 파이썬 API(PagefindIndex)는 쓰지 않습니다: 색인을 다
    쓰기 전에 서비스가 닫혀 pagefind-entry.json이 빈 파일로 남는 일이 이 기계에서 있었습니다. 명령은 파일을
    다 쓴 뒤에 끝납니다."""
    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp, "pages"), Path(tmp, "index")
        for url, page in pages.items():
            path = source / url / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")
        config = {**_config(), "site": str(source), "output_path": str(output)}
        Path(tmp, "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        # 고정된 pagefind_bin의 실행 파일을 바로: `python -m pagefind`는 그것을 부르려고 파이썬을 하나 더 띄웁니다
        result = subprocess.run(
            [str(pagefind_bin.get_executable())],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        entry = output / "pagefind-entry.json"
        if result.returncode != 0 or not entry.is_file() or not entry.stat().st_size:
            raise SearchIndexError(
                [f"Pagefind가 검색 색인을 쓰지 못했습니다:\n{result.stdout}{result.stderr}"]
            )
        return [
            (path.relative_to(output).as_posix(), base64.b64encode(path.read_bytes()).decode())
            for path in sorted(output.rglob("*"))
            if path.is_file() and not _unused_ui(path, output)
        ]


def _unused_ui(path: Path, output: Path) -> bool:
    """Pagefind의 기본 UI 파일(색인 바로 아래의 .js·.css 가운데 KEPT_SCRIPTS가 아닌 것)."""
    return (
        path.parent == output and path.suffix in {".js", ".css"} and path.name not in KEPT_SCRIPTS
    )


@dataclass(frozen=True)
class Record:
    """색인에 든 페이지 하나: 주소(사이트 안), 제목, 색인된 본문."""

    url: str
    title: str
    content: str


def read(site: Path) -> list[Record]:
    """site/pagefind/에 쓴 색인의 페이지들(주소 차례로): 테스트와 벤치마크가 색인에 무엇이 들었는지 봅니다."""
    records = []
    for path in sorted((site / INDEX_DIR / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data.removeprefix(FRAGMENT_SIGNATURE))
        records.append(
            Record(fragment["url"], fragment.get("meta", {}).get("title", ""), fragment["content"])
        )
    return sorted(records, key=lambda record: record.url)
