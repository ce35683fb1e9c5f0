"""Zensical 시험: 훅을 돌리지 않는 생성기로 준비된 트리를 빌드해, 진짜 사이트와 견주어 무엇이 남는지 봅니다.

    make try-zensical          # make build, prepare --tree build/prepared 뒤에 이것을 부릅니다
    .venv/bin/python -m tools.zensical_trial --docs build/prepared --site site

Zensical은 Material for MkDocs의 후속입니다. mkdocs.yml을 읽고 Python-Markdown 확장(pymdownx.snippets 등)을
돌리지만, 훅(blogbuild/hooks.py)은 돌리지 않습니다(모르는 설정은 조용히 건너뜁니다). 그래서 빌드의 준비 단계가
훅이 페이지마다 하던 일(숫자 자리, 그림, 시리즈 안내, 노트북 페이지)을 미리 해 둔 트리(blogbuild/prepared_tree.py)를
빌드하고, 빌드의 마지막 단계(`python -m blogbuild finish --site`: 피드, 남은 수식의 MathML, 검색 낱말, 검사)를
돌립니다. 표는 사이트마다 센 것입니다: 글과 노트북 페이지, 시리즈·용어집·태그, 남은 숫자 자리({{ … }})와
수식, 노트북이 만든 그림과 표, CSP, 피드, 검색 색인. 칸은 site/(ProperDocs), Zensical이 빌드한 그대로,
그리고 finish --site 뒤입니다.

- Zensical은 고정(constraints.txt)에 넣지 않습니다. 따로 가상 환경(.cache/zensical-venv)에 ZENSICAL 판을
  설치합니다(처음 한 번 PyPI가 필요합니다). 0.0.73이 Python 3.11에 설치되는 가장 새 판입니다.
- 설정은 mkdocs.yml에서 Zensical이 읽지 못하는 것만 바꿉니다(trial_config). Zensical은 docs_dir와 site_dir가
  설정 파일의 디렉터리 안에 있어야 하므로, 문서 트리와 테마 덮어쓰기(overrides/)를 임시 디렉터리에 복사해
  그 안에서 빌드합니다. 글이 끌어오는 코드와 목록(snippets/, notebook_outputs/, build/)은 저장소 뿌리에서 읽습니다.
- --docs는 빌드할 문서 트리입니다(기본 build/prepared). --docs docs로 아무것도 채우지 않은 원본을 견줄 수 있습니다.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from blogbuild import search_index
from blogbuild.csp import POLICY_META
from blogbuild.placeholders import PLACEHOLDER

ROOT = Path(__file__).resolve().parents[1]
ZENSICAL = "0.0.73"
VENV = ROOT / ".cache" / "zensical-venv"
PREPARED = "build/prepared"  # make try-zensical이 준비된 트리를 쓰는 곳
# MkDocs의 YAML 태그: 설정 파일의 디렉터리. Zensical의 YAML 로더는 이 태그를 모릅니다.
CONFIG_DIR_TAG = re.compile(r"!relative\s+\$config_dir")
POST_PAGE = re.compile(r"^blog/\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")
NOTEBOOK_PAGE = re.compile(r"^notebooks/[^/]+/index\.html$")
# pymdownx.arithmatex가 남긴 수식 자리(blogbuild/mathml.py가 MathML로 바꾸는 것).
MATH_LEFT = re.compile(r'class="arithmatex"')


class TrialError(RuntimeError):
    """시험을 할 수 없을 때: 무엇을 하면 되는지."""


# ---- 무엇이 남았나: 빌드한 사이트 하나를 세기 --------------------------------------------------------


class _Page(HTMLParser):
    """페이지 하나에서 세는 것: 그림(<img>)의 주소, 링크, 표마다 머리 줄(<th>)의 글자."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[str] = []
        self.links: list[str] = []
        self.tables: list[tuple[str, ...]] = []
        self._header: list[str] | None = None  # 지금 읽는 <th>들 (표의 첫 줄에서만)
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and values.get("src"):
            self.images.append(values["src"])
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "table":
            self._header = []
        elif tag == "th" and self._header is not None:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._cell is not None and self._header is not None:
            self._header.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._header:
            self.tables.append(tuple(self._header))
            self._header = None  # 머리는 첫 줄뿐


def _target(site: Path, page: str, url: str) -> Path | None:
    """page(사이트 안의 경로)에 적힌 주소 url이 가리키는 파일. 다른 곳(http:, data:)이면 None.
    사이트 밖으로 나가는 주소(../를 너무 많이 쓴 것)는 사이트 밖의 경로: 사이트의 파일이 아닙니다."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if path == ".." or path.startswith("../"):
        return site.parent / "outside-the-site" / path.lstrip("./")
    target = site / path
    return target / "index.html" if target.is_dir() else target


def notebook_table_headers(outputs: Path) -> set[tuple[str, ...]]:
    """노트북이 쓴 표(outputs/<노트북>/*.md)마다 머리 줄의 칸들: 사이트의 표가 노트북의 것인지 알아봅니다."""
    headers = set()
    for table in sorted(outputs.glob("*/*.md")):
        first = table.read_text(encoding="utf-8").lstrip().partition("\n")[0].strip()
        if first.startswith("|"):
            headers.add(tuple(cell.strip() for cell in first.strip("|").split("|")))
    return headers


def _count_items(path: Path, find: str) -> int | None:
    if not path.is_file():
        return None
    return len(ElementTree.parse(path).getroot().findall(find))


def _search_entries(site: Path) -> int | None:
    """finish 단계가 쓴 검색 색인(pagefind/)에 든 페이지 수. 생성기 자신의 색인은 세지 않습니다."""
    if not (site / search_index.INDEX_DIR).is_dir():
        return None
    return len(search_index.read(site))


def survey(site: Path, notebook_tables: set[tuple[str, ...]]) -> dict[str, int | None]:
    """빌드한 사이트에서 센 것들(표의 줄 차례대로). 없는 파일(피드, 검색 색인)은 None입니다.

    notebook_tables: 노트북이 만든 표의 머리 줄들(notebook_table_headers). 그 머리의 <table>만 셉니다.
    """
    pages = {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*.html"))}
    counts = dict.fromkeys(
        ["placeholders", "math", "csp", "figures", "broken", "tables", "series", "series_nav"], 0
    )
    for name, path in pages.items():
        text = path.read_text(encoding="utf-8")
        page = _Page()
        page.feed(text)
        counts["placeholders"] += len(PLACEHOLDER.findall(text))
        counts["math"] += len(MATH_LEFT.findall(text))
        counts["csp"] += bool(POLICY_META.search(text))
        for src in page.images:
            target = _target(site, name, src)
            if target is not None and not target.is_file():
                counts["broken"] += 1
            elif src.startswith("data:image/") or (target and "outputs/" in src):
                counts["figures"] += 1  # 노트북이 그린 그림: 결과 파일이거나 노트북 페이지에 든 것
        counts["tables"] += sum(header in notebook_tables for header in page.tables)
        if POST_PAGE.match(name):
            counts["series_nav"] += 'class="series-' in text
        if name == "series/index.html":
            linked = {_target(site, name, href) for href in page.links} - {None}
            posts = [
                target.relative_to(site).as_posix()
                for target in linked
                if target.is_relative_to(site) and target.is_file()
            ]
            counts["series"] = sum(1 for post in posts if POST_PAGE.match(post))
    glossary = pages.get("glossary/index.html")
    tags = pages.get("tags/index.html")
    return {
        "html": len(pages),
        "posts": sum(1 for name in pages if POST_PAGE.match(name)),
        "notebooks": sum(1 for name in pages if NOTEBOOK_PAGE.match(name)),
        "series": counts["series"],
        "series_nav": counts["series_nav"],
        "glossary": glossary.read_text(encoding="utf-8").count("<tr") if glossary else 0,
        "tags": tags.read_text(encoding="utf-8").count('class="md-tag') if tags else 0,
        "placeholders": counts["placeholders"],
        "math": counts["math"],
        "figures": counts["figures"],
        "broken": counts["broken"],
        "tables": counts["tables"],
        "csp": counts["csp"],
        "feed": _count_items(site / "feed.xml", "channel/item"),
        "search": _search_entries(site),
    }


LABELS = {
    "html": "HTML 페이지",
    "posts": "글 페이지 (blog/YYYY/MM/DD/<slug>/)",
    "notebooks": "노트북 페이지 (notebooks/<이름>/)",
    "series": "시리즈 페이지가 잇는 글",
    "series_nav": "'먼저 읽을 글'·이전/다음 안내가 있는 글",
    "glossary": "용어집 표의 줄 (<tr>)",
    "tags": "태그 페이지의 태그",
    "placeholders": "페이지에 글자 그대로 남은 {{ … }}",
    "math": "MathML로 바뀌지 않고 TeX로 남은 수식",
    "figures": "보이는 노트북 그림 (결과 파일로 풀리는 <img>, 노트북 페이지의 그림)",
    "broken": "깨진 그림 (사이트에 없는 파일을 가리키는 <img>)",
    "tables": "노트북이 만든 표 (<table>)",
    "csp": "Content-Security-Policy <meta>가 있는 페이지",
    "feed": "feed.xml의 글 (<item>)",
    "search": "검색 색인(pagefind/)의 페이지",
}


def table(columns: dict[str, dict[str, int | None]]) -> str:
    """survey의 결과들을 Markdown 표로: 줄마다 한 항목, 칸마다 한 사이트. 없는 파일은 '없음'."""
    names = list(columns)
    lines = [
        "| 항목 | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for key, label in LABELS.items():
        cells = [
            "없음" if columns[name][key] is None else str(columns[name][key]) for name in names
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# ---- Zensical로 빌드하기 ---------------------------------------------------------------------------


def trial_config(config: str, root: Path) -> str:
    """mkdocs.yml을 Zensical이 읽는 꼴로: `!relative $config_dir`(pymdownx.snippets의 base_path)를 root의
    절대 경로로 바꿉니다. 다른 `!relative`는 옮길 곳을 모르므로 거절합니다."""
    config = CONFIG_DIR_TAG.sub(lambda _: json.dumps(str(root)), config)
    for number, line in enumerate(config.splitlines(), 1):
        if "!relative" in line:
            raise TrialError(
                f"mkdocs.yml:{number}: Zensical 시험은 '!relative $config_dir'만 옮길 수 있습니다: "
                f"{line.strip()!r}를 설정 파일의 디렉터리에서 본 경로로 쓰세요"
            )
    return config


def _run(command: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, **kwargs)


def zensical(venv: Path = VENV) -> Path:
    """ZENSICAL 판의 zensical 명령: venv에 없거나 판이 다르면 그 판을 PyPI에서 설치합니다."""
    command = venv / "bin" / "zensical"
    if command.is_file() and _run([command, "--version"]).stdout.strip() == ZENSICAL:
        return command
    print(f"Zensical {ZENSICAL}을 {venv}에 설치합니다 (PyPI)", file=sys.stderr)
    steps = [[sys.executable, "-m", "venv", venv], [venv / "bin" / "python", "-m", "pip"]]
    steps[1] += ["install", "--quiet", f"zensical=={ZENSICAL}"]
    for step in steps:
        result = _run(step)
        if result.returncode != 0:
            raise TrialError(
                f"Zensical {ZENSICAL}을 설치하지 못했습니다({' '.join(map(str, step))}): "
                f"{(result.stderr or result.stdout).strip()[-800:]}\nPyPI에 닿는지 확인하고, "
                f"망가진 가상 환경이면 {venv}를 지운 뒤 다시 실행하세요"
            )
    return command


def build(command: Path, docs: Path, workdir: Path, root: Path = ROOT) -> Path:
    """docs(문서 트리)를 Zensical로 workdir/site에 빌드하고 그 디렉터리를 돌려줍니다."""
    shutil.copytree(docs, workdir / "docs")
    if (root / "overrides").is_dir():
        shutil.copytree(root / "overrides", workdir / "overrides")
    config = trial_config((root / "mkdocs.yml").read_text(encoding="utf-8"), root)
    (workdir / "mkdocs.yml").write_text(config, encoding="utf-8")
    # 사이트의 Markdown 확장(blogbuild.unbroken_tokens)은 저장소에 있습니다: 어느 생성기든 저장소를 경로에
    # 두면 불러옵니다(표준 라이브러리와 Python-Markdown만 씁니다).
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    result = _run([command, "build", "--config-file", "mkdocs.yml"], cwd=workdir, env=env)
    site = workdir / "site"
    if result.returncode != 0 or not (site / "index.html").is_file():
        raise TrialError(
            f"Zensical이 {docs}를 빌드하지 못했습니다(종료 코드 {result.returncode}):\n"
            + (result.stdout + result.stderr).strip()[-2000:]
        )
    return site


def finish(site: Path, root: Path = ROOT) -> tuple[bool, str]:
    """빌드의 마지막 단계를 다른 생성기의 사이트에: `python -m blogbuild finish --site`. (마쳤는지, 그 메시지)."""
    result = _run(
        [sys.executable, "-m", "blogbuild", "finish", "--root", root, "--site", site], cwd=root
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def summary(message: str, shown: int = 8) -> str:
    """finish의 메시지를 줄여서: 앞의 shown줄과 남은 줄 수."""
    lines = message.splitlines()
    rest = f"\n  … 외 {len(lines) - shown}줄" if len(lines) > shown else ""
    return "\n".join(f"  {line}" for line in lines[:shown]) + rest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.zensical_trial", description=__doc__)
    parser.add_argument(
        "--docs",
        type=Path,
        default=ROOT / PREPARED,
        help=f"빌드할 문서 트리 (기본 {PREPARED}: python -m blogbuild prepare --tree {PREPARED})",
    )
    parser.add_argument(
        "--site",
        type=Path,
        default=ROOT / "site",
        help="견줄 진짜 사이트 (기본 make build의 site/)",
    )
    args = parser.parse_args(argv)
    try:
        if not (args.site / "index.html").is_file():
            raise TrialError(f"{args.site}에 사이트가 없습니다: 먼저 make build로 빌드하세요")
        if not args.docs.is_dir():
            raise TrialError(
                f"문서 트리 {args.docs}가 없습니다: python -m blogbuild prepare --tree {args.docs}"
                "로 준비된 트리를 쓰거나, --docs에 디렉터리를 주세요"
            )
        notebook_tables = notebook_table_headers(ROOT / "build" / "outputs")
        with tempfile.TemporaryDirectory(prefix="zensical-trial-") as tmp:
            trial = build(zensical(), args.docs.resolve(), Path(tmp))
            columns = {
                f"{args.site.name}/ (ProperDocs)": survey(args.site, notebook_tables),
                f"Zensical {ZENSICAL}": survey(trial, notebook_tables),
            }
            finished, message = finish(trial)
            columns["+ finish --site"] = survey(trial, notebook_tables)
    except TrialError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    print(f"문서 트리 {args.docs}를 Zensical {ZENSICAL}로 빌드해 {args.site}와 견줍니다.\n")
    print(table(columns), end="")
    verdict = "마쳤습니다" if finished else "사이트를 마치지 못했습니다"
    print(f"\nfinish --site: {verdict}" + (f"\n{summary(message)}" if message else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
