"""빌드가 다 쓴 사이트의 마지막 검사: 사이트에 실리는 모든 파일에서 실행될 수 있는 것을 찾습니다.

글의 검사(active_content)는 Markdown과 그려진 본문을 봅니다. 그러나 MkDocs는 docs/의 다른 파일
(docs/x.html, docs/x.svg, docs/x.js)을, 빌드는 노트북이 outputs/에 쓴 파일을 그대로 사이트에 싣습니다.
그 파일을 블로그 주소에서 열면 안의 스크립트가 블로그의 권한으로 실행됩니다. 그래서 MkDocs가 모든 파일을
쓴 뒤, 어디서 왔든 사이트의 파일을 하나씩 봅니다(MkDocs 없이도 부를 수 있는 함수 check_site).

- .html·.svg·.xml 같은 마크업: 허락된 스크립트가 아닌 <script>, 이벤트 처리기, 스크립트 주소, 링크 주소를
  바꾸는 SVG 애니메이션, <foreignObject> 속 스크립트, <iframe>·<object>·<embed>, 스크립트 주소로 옮기는
  <meta http-equiv=refresh>. 인라인 스크립트는 MkDocs가 그린 페이지에서, 그 페이지의 정책이 해시로
  허락한 것(테마의 템플릿이 만든 것)만 받습니다.
- .html 페이지: 모두 Content-Security-Policy를 싣습니다(csp.add_policy).
- .js: 허락된 스크립트(테마 Material의 파일과 mkdocs.yml의 extra_javascript에 적은 사이트의 파일)와 바이트까지
  같아야 합니다.
- 다른 확장자의 파일이 HTML처럼 시작하면 받지 않습니다. 호스트(GitHub Pages)는 모르는 확장자에 정해진
  Content-Type을 주지 않거나 application/octet-stream을 주는데, 헤더(X-Content-Type-Options: nosniff)는
  우리가 정할 수 없고 브라우저나 호스트가 내용을 보고 HTML로 열 수 있습니다. 안전하게 싣는 길(이름 바꾸기,
  헤더)은 호스트마다 달라, 확장자를 맞게 바꾸라고 알리는 쪽을 택합니다.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from blogbuild import active_content, csp, lean_assets, memo
from blogbuild.problems import Problem

PAGES = {".html", ".htm", ".xhtml", ".xht", ".shtml"}
# 브라우저가 마크업으로 읽어 스크립트를 실행할 수 있는 확장자: 파서로 검사합니다.
MARKUP = PAGES | {".svg", ".xml", ".xsl", ".xslt", ".rss", ".atom", ".mml"}
SCRIPTS = {".js", ".mjs"}
# WHATWG MIME Sniffing이 HTML·XML로 보는 첫 바이트(앞의 빈칸과 BOM은 건너뜁니다).
SNIFFED_AS_MARKUP = re.compile(
    rb"^(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*(?:<!--|<\?xml|<(?:!doctype html|html|head|script|iframe|h1|"
    rb"div|font|table|a|style|title|b|body|br|p|svg)[\t\n\x0c\r />])",
    re.IGNORECASE,
)
EXTERNAL = re.compile(r"^(?:[/\\]{2}|[a-z][a-z0-9+.-]*:)", re.IGNORECASE)

SCRIPT_FIX = (
    "사이트에 실리는 스크립트는 테마(Material)의 파일과 mkdocs.yml의 extra_javascript에 적은 사이트의 "
    "파일뿐입니다. 동작이 필요하면 docs/assets/에 스크립트를 두고 extra_javascript에 적어 리뷰를 받으세요"
)
PAGE_FIX = (
    "Content-Security-Policy가 없는 HTML 페이지입니다: 사이트의 페이지는 모두 그 정책을 싣습니다. HTML 파일을 "
    "그대로 싣지 말고 docs/ 아래 Markdown(.md)으로 쓰세요"
)
OUTPUT_FIX = (
    "notebooks/{notebook}.py가 쓴 파일입니다. 노트북이 쓴 파일은 스크립트를 실을 수 없습니다: 그림은 "
    "save_plot으로 SVG·PNG를, 표와 숫자는 save_table·save_numbers로 쓰세요"
)
# 노트북이 쓴 파일(build/outputs/<노트북>/)과, 사이트에 싣는 실행된 노트북과 그 페이지의 그림
# (build/notebooks/<노트북>/: <노트북>.ipynb, 노트북의 그림 출력)
NOTEBOOK_OUTPUT = re.compile(r"^build/(?:outputs|notebooks)/(?P<dir>[^/]+)/")


def allowed_scripts(
    theme_dirs: Iterable[str | Path],
    docs: Path,
    extra_javascript: Iterable[str],
) -> dict[str, bytes]:
    """사이트에 실려도 되는 스크립트(사이트 경로 → 바이트): 테마의 파일(theme_dirs, 앞의 디렉터리가 뒤의 같은
    파일을 덮습니다)과 mkdocs.yml의 extra_javascript에 적은 docs/의 파일(다른 곳의 주소는 뺍니다). 빌드는
    스크립트를 만들지 않고, docs/의 파일에서 줄 전체가 주석인 줄만 지워 싣습니다(lean_assets)."""
    allowed: dict[str, bytes] = {}
    for directory in reversed(list(theme_dirs)):
        for path in Path(directory).rglob("*.js"):
            allowed[path.relative_to(directory).as_posix()] = path.read_bytes()
    for name in extra_javascript:
        if not EXTERNAL.match(name) and (docs / name).is_file():
            allowed[name] = lean_assets.lean(name, (docs / name).read_bytes())
    return allowed


def check_site(
    site_dir: Path,
    allowed_scripts: Mapping[str, bytes],
    sources: Mapping[str, str] | None = None,
    serve: bool = False,
    site_path: str = "/",
    selected: Callable[[str], bool] = lambda name: True,
) -> list[Problem]:
    """사이트의 모든 파일에서 찾은 문제들(사이트 경로 차례로).

    allowed_scripts: 사이트 경로(assets/javascripts/bundle.min.js) → 그 스크립트의 바이트.
    sources: 그대로 실린 파일의 사이트 경로 → 저장소 안의 원본(docs/x.svg, build/outputs/<노트북>/x.svg).
    메시지는 원본(노트북이 쓴 파일이면 그 노트북도)을 짚고, 그대로 실린 파일에는 인라인 스크립트가 하나도 허락되지 않습니다(템플릿이 만든 것이 아니므로).
    serve: mkdocs serve의 정책('unsafe-inline')을 받습니다.
    site_path: 사이트가 놓이는 경로(site_url의 경로, 예: /blog/). 404.html은 이것으로 시작하는 절대 경로를 씁니다.
    selected: 검사할 파일(사이트 경로를 받아 참): 미리 보기는 뒤에서 쓰는 검색 색인을 색인과 함께 검사합니다.
    """
    sources = sources or {}
    problems: list[Problem] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site_dir).as_posix()
        if not selected(name):
            continue
        where = sources.get(name) or f"{site_dir.name}/{name}"
        output = NOTEBOOK_OUTPUT.match(where)
        fix = active_content.HOW_TO_FIX
        if output:
            fix = OUTPUT_FIX.format(notebook=output["dir"])
        suffix = path.suffix.lower()
        data = path.read_bytes()
        if suffix in SCRIPTS:
            if name not in allowed_scripts:
                problems.append(Problem(where, None, f"허락된 스크립트가 아닙니다: {SCRIPT_FIX}"))
            elif allowed_scripts[name] != data:
                problems.append(
                    Problem(
                        where, None, f"테마나 사이트의 스크립트와 바이트가 다릅니다: {SCRIPT_FIX}"
                    )
                )
        elif suffix in MARKUP:
            found = _markup_problems(name, data, allowed_scripts, name in sources, serve, site_path)
            problems += [Problem(where, line, f"{what}: {fix}") for line, what in found]
            if suffix in PAGES and not csp.POLICY_META.search(data.decode("utf-8", "replace")):
                problems.append(Problem(where, None, PAGE_FIX))
        elif SNIFFED_AS_MARKUP.match(data):
            problems.append(
                Problem(
                    where,
                    1,
                    f"확장자({suffix or '없음'})와 달리 HTML처럼 시작하는 파일입니다: 브라우저가 HTML로 열어 "
                    "안의 스크립트를 실행할 수 있습니다. 내용에 맞는 확장자(.html이면 그 검사를 받습니다)로 "
                    "바꾸거나 지우세요",
                )
            )
    return problems


def _scan(text: str) -> list:
    """파일 하나의 마크업 검사(내용이 같으면 빌드 사이에 기억합니다): [[줄, 무엇]...], [[줄, src, 속]...]."""
    findings, scripts = active_content.in_published(text)
    return [[list(f[:2]) for f in findings], [list(s) for s in scripts]]


def _markup_problems(
    name: str,
    data: bytes,
    allowed: Mapping[str, bytes],
    copied: bool,
    serve: bool,
    site_path: str,
) -> list[tuple[int, str]]:
    """마크업 파일 하나에서 실행될 수 있는 것들: (줄, 무엇)."""
    text = data.decode("utf-8", errors="replace")
    findings, scripts = memo.remembered(
        ("site file", data), lambda: _scan(text), shape=([(int, str)], [(int, str | None, bool)])
    )
    found = [(line, what) for line, what in findings]
    page = Path(name).suffix.lower() in PAGES
    for line, src, in_foreign_object in scripts:
        if in_foreign_object:
            found.append((line, "<foreignObject> 속의 <script> 태그"))
        elif src is None:
            if (
                copied or not page
            ):  # 템플릿이 그린 페이지의 인라인 스크립트는 아래에서 정책으로 봅니다
                found.append((line, "인라인 <script> 태그"))
        elif not _allowed_script(name, src, allowed, site_path):
            found.append((line, f"허락되지 않은 스크립트 <script src={src[:60]!r}>"))
    if page and not copied:
        found += [
            (line, "정책(Content-Security-Policy)이 허락하지 않은 인라인 <script>")
            for line in csp.unlisted_scripts(text, serve) or []
        ]
    return sorted(found)


def _allowed_script(name: str, src: str, allowed: Mapping[str, bytes], site_path: str) -> bool:
    """<script src>가 사이트 안의 허락된 스크립트를 가리키는지(?와 # 뒤는 뺍니다)."""
    path = re.split(r"[?#]", active_content.normalised_url(src), maxsplit=1)[0]
    if EXTERNAL.match(path):
        return False
    if path.startswith("/"):  # 절대 경로는 사이트가 놓인 경로(site_path) 안이어야 합니다
        base = site_path.rstrip("/") + "/"
        return path.startswith(base) and path[len(base) :] in allowed
    return posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) in allowed
