"""트랜스포머 시리즈: 배우는 차례(data/series.yml) 한 곳에서 시리즈 페이지, 첫 화면, 글의 앞뒤 링크를 만듭니다.

- load: data/series.yml의 slug들을 글(docs/blog/posts/*.md)과 맞춰 차례대로 읽습니다. 없는 글의 slug, 두 번
  나온 slug, slug가 아닌 항목은 파일과 줄을 짚고 고치는 법을 적은 문제(Problem)로 SeriesError를 냅니다.
  빌드(hooks.py)가 이것으로 멈춥니다.
- write_lists: build/series.md(시리즈 페이지: 글마다 제목 링크와 설명), build/series-titles.md(첫 화면: 번호와
  제목), build/latest-posts.md(첫 화면: 최신 글). docs/series.md와 docs/index.md가 --8<--로 싣습니다.
- decorate: 시리즈 글의 본문(HTML)에 제목 바로 아래 "먼저 읽을 글" 한 줄을, 끝에 이전 글·다음 글 링크를 넣습니다.
- forward_references: 차례대로 읽는 독자가 아직 배우지 않은 부품을 만나는 곳. 글이 싣는 구간의 코드나 동반
  노트북이 시리즈에서 뒤 글이 처음 싣는 구간을 쓰면, 글의 줄과 그 부품을 짚은 문제로 빌드가 멈춥니다.

차례는 이 파일 하나에만 있습니다. 글의 앞머리에 시리즈 필드를 두지 않는 까닭: 앞머리는 기여자가 보내는
입력이라 받는 필드가 정해져 있고(frontmatter.py), 시리즈의 차례는 관리자가 정합니다.

제목과 설명은 기여자가 쓴 글에서 오므로 싣는 곳마다 이스케이프합니다: Markdown 목록에는 ASCII 문장 부호를
모두 문자 참조(&#42;)로, HTML에는 markupsafe.escape로.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import functools
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown
from markupsafe import Markup

from blogbuild import atomic, execution, frontmatter, memo, snippet_refs
from blogbuild.problems import Problem, yaml_list

SERIES = Path("data") / "series.yml"
SERIES_PAGE = "series.md"  # docs/ 아래 시리즈 페이지: 제목(# 줄)이 시리즈의 이름입니다
POSTS_URI = "blog/posts/"
LATEST = 5  # 첫 화면에 싣는 최신 글 수
TITLE = re.compile(r"^# (.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class PostInfo:
    """목록과 링크에 싣는 글 하나: 앞머리와 제목 줄에서 읽습니다."""

    slug: str
    src_uri: str  # docs/ 아래 경로: blog/posts/<파일>.md
    title: str  # 본문의 '# 제목' 줄이 페이지에 보이는 글자(평문: 강조·코드 표시와 태그를 뗀 것)
    description: str
    date: dt.date


@dataclass(frozen=True)
class Series:
    """시리즈 페이지의 제목과, 배우는 차례대로 놓인 글들."""

    name: str
    posts: tuple[PostInfo, ...]

    def neighbours(self, src_uri: str) -> tuple[int, PostInfo | None, PostInfo | None] | None:
        """src_uri의 글이 시리즈에서 몇째(1부터)인지와 앞 글, 뒤 글. 시리즈 밖의 글이면 None."""
        uris = [post.src_uri for post in self.posts]
        if src_uri not in uris:
            return None
        at = uris.index(src_uri)
        before = self.posts[at - 1] if at > 0 else None
        after = self.posts[at + 1] if at + 1 < len(self.posts) else None
        return at + 1, before, after


class SeriesError(ValueError):
    """시리즈를 만들 수 없음: 파일과 줄을 짚은 문제들."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def read_posts(posts: list[Path], docs: Path) -> dict[str, PostInfo]:
    """slug → 글. 앞머리 검사(frontmatter.check_posts)를 통과한 글에 씁니다."""
    found = {}
    for path in posts:
        meta = frontmatter.read_front_matter(path)
        _, body = frontmatter.split_front_matter(path.read_text(encoding="utf-8"))
        date = meta["date"]["created"] if isinstance(meta["date"], dict) else meta["date"]
        date = date.date() if isinstance(date, dt.datetime) else date
        found[meta["slug"]] = PostInfo(
            slug=meta["slug"],
            src_uri=path.relative_to(docs).as_posix(),
            title=plain_title(TITLE.search(body)[1]),
            description=" ".join(str(meta["description"]).split()),
            date=date,
        )
    return found


def plain_title(line: str) -> str:
    """제목 줄(Markdown)이 페이지에 보이는 글자: 그린 HTML에서 태그를 떼고 엔티티(&lt;)를 글자로 되돌립니다.

    피드(feed.py)가 page.title에서 얻는 평문과 같습니다. 싣는 곳에서 다시 이스케이프합니다.
    """
    return Markup(markdown.markdown(line)).striptags()


def page_name(docs: Path) -> str:
    """시리즈 페이지(docs/series.md)의 제목: 글에 싣는 시리즈의 이름."""
    path = docs / SERIES_PAGE
    # 앞머리(YAML)의 주석 줄 "# ..."은 제목이 아닙니다: 본문에서만 찾습니다
    body = (
        frontmatter.split_front_matter(path.read_text(encoding="utf-8"))[1]
        if path.is_file()
        else ""
    )
    match = TITLE.search(body)
    if not match:
        raise SeriesError(
            [
                Problem(
                    f"docs/{SERIES_PAGE}",
                    1,
                    "시리즈 페이지에 '# 트랜스포머 시리즈' 같은 제목 줄이 있어야 합니다",
                )
            ]
        )
    return plain_title(match[1])


def load(
    root: Path, docs: Path, posts: dict[str, PostInfo], drafts: frozenset[str] = frozenset()
) -> Series:
    """root/data/series.yml의 차례. 틀렸으면 SeriesError(파일과 줄, 고치는 법).

    posts는 이 빌드가 싣는 글(frontmatter.published), drafts는 초안(draft: true)의 slug입니다. 초안은
    make build와 배포에 실리지 않으므로, 차례에 적으면 미리 보기(make serve)에서도 멈춥니다.
    """
    path = root / SERIES
    example = "'- masked-multi-head-attention'처럼 한 줄에 글의 slug 하나씩, 배우는 차례대로"
    if not path.is_file():
        raise SeriesError(
            [
                Problem(
                    SERIES,
                    None,
                    f"파일이 없습니다. 시리즈 페이지와 첫 화면이 이 차례를 싣습니다: {example}",
                )
            ]
        )
    text = path.read_text(encoding="utf-8")
    loaded = yaml_list(text, SERIES, f"글의 slug 목록이어야 합니다: {example}")
    if isinstance(loaded, Problem):
        raise SeriesError([loaded])
    data, nodes = loaded
    lines = [node.start_mark.line + 1 for node in nodes]
    problems, order, seen = [], [], {}
    for item, line in zip(data, lines, strict=True):
        if not isinstance(item, str):
            problems.append(Problem(SERIES, line, f"항목은 글의 slug 하나여야 합니다: {example}"))
        elif item in seen:
            problems.append(
                Problem(
                    SERIES,
                    line,
                    f"'{item}'는 {seen[item]}번 줄에 이미 있습니다: 한 글은 시리즈에 한 번만 나옵니다. "
                    "한 줄을 지우세요",
                )
            )
        elif item in drafts:
            problems.append(
                Problem(
                    SERIES,
                    line,
                    f"'{item}'는 초안(앞머리 'draft: true')인 글입니다: 초안은 make build와 배포에 "
                    "실리지 않으므로 시리즈 차례에 넣을 수 없습니다. 글을 마치고 그 글의 'draft: true' "
                    "줄을 지우거나, 그때까지 이 줄을 빼 두세요",
                )
            )
        elif item not in posts:
            problems.append(Problem(SERIES, line, _unknown(item, posts)))
        else:
            seen[item] = line
            order.append(posts[item])
    if problems:
        raise SeriesError(problems)
    return Series(page_name(docs), tuple(order))


def _unknown(slug: str, posts: dict[str, PostInfo]) -> str:
    close = difflib.get_close_matches(slug, posts, n=1)
    hint = f" 비슷한 slug: '{close[0]}'." if close else ""
    return (
        f"'{slug}'라는 slug의 글이 없습니다.{hint} docs/blog/posts/의 글 앞머리에 있는 slug로 "
        "고치거나, 시리즈에서 뺄 글이면 이 줄을 지우세요"
    )


def markdown_text(text: str) -> str:
    """Markdown과 HTML로 읽히지 않는 글자: 빈칸을 하나로 모으고 ASCII 문장 부호를 문자 참조로 바꿉니다.

    링크([ ]), 강조(* _), 태그(< >), 수식($), 속성 목록({ }), 코드 조각(--8<--)이 모두 글자로 남습니다.
    """
    return "".join(f"&#{ord(c)};" if c in string.punctuation else c for c in " ".join(text.split()))


def _link(post: PostInfo) -> str:
    # 주소는 docs/에서 본 원본 경로: MkDocs가 글의 주소로 바꾸고 엄격 빌드에서 검사합니다.
    # 그래서 이 목록은 docs/ 바로 아래 페이지(index.md, series.md)에서만 싣습니다.
    return f"[{markdown_text(post.title)}]({post.src_uri})"


def series_markdown(series: Series) -> str:
    """시리즈 페이지의 목록: 차례대로 글마다 굵은 제목 링크와 그 아래 설명 한 줄."""
    return "".join(
        f"{n}. **{_link(post)}**\n\n    {markdown_text(post.description)}\n\n"
        for n, post in enumerate(series.posts, start=1)
    )


def titles_markdown(series: Series) -> str:
    """첫 화면의 시리즈: 차례대로 번호와 제목 링크."""
    return "".join(f"{n}. {_link(post)}\n" for n, post in enumerate(series.posts, start=1))


def korean_date(date: dt.date) -> str:
    """블로그 목록과 같은 꼴의 날짜: 2025년 1월 20일."""
    return f"{date.year}년 {date.month}월 {date.day}일"


def latest_markdown(posts: dict[str, PostInfo], count: int = LATEST) -> str:
    """첫 화면의 최신 글: 새 글부터(블로그 목록과 같은 차례), 제목 링크와 날짜."""
    newest = sorted(posts.values(), key=lambda post: (post.date, post.slug), reverse=True)
    return "".join(
        f"- {_link(post)}<br>\n  <small>{korean_date(post.date)}</small>\n"
        for post in newest[:count]
    )


def write_lists(root: Path, series: Series, posts: dict[str, PostInfo]) -> None:
    """build/ 아래에 시리즈 페이지와 첫 화면이 싣는 목록들을 씁니다. 내용이 같으면 건드리지 않습니다
    (mkdocs serve가 바뀐 파일로 다시 빌드하지 않게)."""
    build = root / "build"
    build.mkdir(exist_ok=True)
    for name, text in {
        "series.md": series_markdown(series),
        "series-titles.md": titles_markdown(series),
        "latest-posts.md": latest_markdown(posts),
    }.items():
        atomic.write_if_changed(build / name, text.encode("utf-8"))


def decorate(html: str, src_uri: str, series: Series, url_of: Callable[[str], str]) -> str:
    """시리즈 글의 본문(HTML): 제목(<h1>) 아래 "먼저 읽을 글" 한 줄과, 끝에 이전 글·다음 글 링크.

    url_of는 docs/ 아래 경로(blog/posts/x.md, series.md)를 이 글에서 본 상대 주소로 바꿉니다.
    시리즈 밖의 글은 그대로 돌려줍니다.
    """
    found = navigation(src_uri, series, url_of)
    if found is None:
        return html
    lead, nav = found
    end = html.find("</h1>")
    at = end + len("</h1>") if end >= 0 else 0
    return f"{html[:at]}\n{lead}{html[at:]}\n{nav}\n"


def navigation(
    src_uri: str, series: Series, url_of: Callable[[str], str]
) -> tuple[Markup, Markup] | None:
    """시리즈 글의 (제목 아래 "먼저 읽을 글" 한 줄, 끝의 이전 글·다음 글 링크) HTML. 시리즈 밖이면 None.

    둘 다 검색 색인에서 뺍니다(data-search-exclude): "먼저 읽을 글"의 제목으로 이 글이 찾아지지 않게.
    빌드(decorate)와 준비된 트리(prepare --tree)가 이 한 곳에서 그립니다.
    """
    place = series.neighbours(src_uri)
    if place is None:
        return None
    number, before, after = place
    where = Markup('<a href="{}">{}</a> {}/{}').format(
        url_of(SERIES_PAGE), series.name, number, len(series.posts)
    )
    if before:
        first = Markup('먼저 읽을 글: <a href="{}">{}</a>').format(
            url_of(before.src_uri), before.title
        )
    else:
        first = Markup("먼저 읽을 글: 없습니다. 시리즈는 이 글에서 시작합니다.")
    lead = Markup('<p class="series-lead" data-search-exclude>{} · {}</p>').format(where, first)
    cards = [
        Markup(
            '<a class="card series-nav__{}" href="{}" rel="{}">'
            '<span class="series-nav__label">{}</span><br>{}</a>'
        ).format(kind, url_of(post.src_uri), kind, label, post.title)
        for kind, label, post in (("prev", "← 이전 글", before), ("next", "다음 글 →", after))
        if post
    ]
    nav = Markup(
        '<nav class="series-nav" aria-label="{} 이전 글과 다음 글" data-search-exclude>'
        '<p class="series-nav__title">{}</p><div class="grid series-nav__links">{}</div></nav>'
    ).format(series.name, where, Markup("").join(cards))
    return lead, nav


# --- 앞 글에서 배운 것만 쓰기 ----------------------------------------------------------------------
#
# 시리즈는 뒤 글이 앞 글에서 만든 부품을 쓴다고 약속합니다. 부품(part)은 snippets/ 모듈의 구간(글이
# --8<--로 싣는 최상위 클래스나 함수 하나) 또는 모듈 전체이고, 그 부품을 "처음 가르치는" 글은 시리즈의
# 차례에서 그것을 처음 싣는 글입니다(모듈은 그 모듈의 구간을 처음 싣는 글). 글이 쓰는 것은 둘입니다:
# 글이 싣는 구간의 코드가 부르는 이름, 그리고 글의 동반 노트북(글이 notebooks/<이름>.ipynb·.md나
# outputs/<이름>/으로 가리키는 notebooks/<이름>.py, 그리고 짧은 꼴 {{ 이름 }}으로 가리키는 글 자신의
# notebooks/<slug>.py)이 snippets/에서 불러오는 것. 어느 글에서도 싣지 않는
# 도우미(입력 검사, 초기화)는 부품이 아니므로 차례와 상관없습니다. 구간이 쓰는 부품은 그 구간을 처음
# 싣는 글에서 같은 검사를 받으므로, 한 단계만 보면 시리즈 전체가 앞에서 뒤로만 기댑니다.

SNIPPET_TARGET = re.compile(r"^snippets/(?P<module>[A-Za-z_]\w*)\.py(?::(?P<section>[a-z0-9-]+))?$")
NOTEBOOK_MENTION = re.compile(
    r"(?:notebooks/|outputs/)(?P<name>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.ipynb|\.md|/)"
)
# 글 자신의 노트북(notebooks/<slug>.py)을 가리키는 짧은 꼴 {{ 이름 }}: 노트북의 이름을 적지 않습니다.
OWN_OUTPUT = re.compile(r"\{\{\s*[a-z0-9]+(?:-[a-z0-9]+)*\s*\}\}")


@dataclass(frozen=True)
class Part:
    """시리즈가 가르치는 부품 하나: snippets/ 모듈의 구간, 또는 section이 None이면 모듈 전체."""

    module: str
    section: str | None = None

    def __str__(self) -> str:
        return f"snippets/{self.module}.py" + (f":{self.section}" if self.section else "")


class _Code:
    """읽어 둔 snippets/ 모듈과 노트북: 구문 트리, 구간의 줄 범위, 이름마다 그 이름이 가리키는 부품.

    forward_references 한 번 동안 사는 것이라, 파일마다 한 번만 읽고 한 번만 훑습니다(글 열 편이 같은 모듈의
    구간 수십 개를 싣고, 구간마다 이름 수백 개를 찾습니다). 문법이 틀린 파일은 노트북 실행(execution.py)과
    같은 말로 파일과 줄을 짚은 ExecutionError를 냅니다.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sources: dict[Path, tuple[str, str]] = {}
        self._paths: dict[str, Path | None] = {}
        self._sections: dict[str, dict[str, tuple[int, int]]] = {}
        self._definitions: dict[str, dict[str, Part | None]] = {}
        self._imports: dict[Path, dict[str, tuple[int, Part | None]]] = {}
        self._uses: dict[Part, list[tuple[str, Part]]] = {}

    def _source(self, path: Path) -> tuple[str, str]:
        if path not in self._sources:
            where = path.relative_to(self.root).as_posix()
            self._sources[path] = (path.read_text(encoding="utf-8"), where)
        return self._sources[path]

    def tree(self, path: Path) -> ast.Module:
        return execution._parse(*self._source(path))

    def module_path(self, module: str) -> Path | None:
        if module not in self._paths:
            path = self.root / "snippets" / f"{module}.py"
            found = re.fullmatch(r"[A-Za-z_]\w*", module) and path.is_file()
            self._paths[module] = path if found else None
        return self._paths[module]

    def sections(self, module: str) -> dict[str, tuple[int, int]]:
        if module not in self._sections:
            path = self.module_path(module)
            self._sections[module] = snippet_refs.sections_of(path, self.root)[0] if path else {}
        return self._sections[module]

    def defined(self, module: str, name: str) -> Part | None:
        """module에 최상위로 정의된 name이 든 구간. 구간 밖의 도우미나 없는 이름이면 None."""
        path = self.module_path(module)
        if path is None:
            return None
        if module not in self._definitions:
            # 최상위 문장마다 그것이 묶는 이름 → 그 문장이 든 가장 좁은 구간(처음 묶는 문장이 이깁니다).
            definitions: dict[str, Part | None] = {}
            for node in self.tree(path).body:
                for bound in _bound_names(node):
                    inside = [
                        (end - start, section)
                        for section, (start, end) in self.sections(module).items()
                        if start <= node.lineno <= end
                    ]
                    definitions.setdefault(bound, Part(module, min(inside)[1]) if inside else None)
            self._definitions[module] = definitions
        return self._definitions[module].get(name)

    def nodes(self, path: Path) -> tuple[ast.Name | ast.Import | ast.ImportFrom, ...]:
        """소스의 이름과 import 문들, 구문 트리를 훑는 차례대로(_walked)."""
        return _walked(*self._source(path))

    def imported(self, path: Path) -> dict[str, tuple[int, Part | None]]:
        """소스(snippets/ 모듈이나 노트북)가 snippets/에서 불러온 이름 → (import 줄, 그 이름의 부품)."""
        if path in self._imports:
            return self._imports[path]
        found: dict[str, tuple[int, Part | None]] = {}
        for node in self.nodes(path):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                package, _, module = node.module.partition(".")
                if package != "snippets":
                    continue
                for alias in node.names:
                    part = (
                        self.defined(module, alias.name)
                        if module
                        else Part(alias.name)
                        if self.module_path(alias.name)
                        else None
                    )
                    found[alias.asname or alias.name] = (node.lineno, part)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    package, _, module = alias.name.partition(".")
                    if package == "snippets" and module and self.module_path(module):
                        found[f"{alias.asname or alias.name}"] = (node.lineno, Part(module))
        self._imports[path] = found
        return found

    def uses(self, part: Part) -> list[tuple[str, Part]]:
        """구간(section이 None이면 모듈 전체)의 코드가 부르는 이름들과 그 이름이 가리키는 다른 부품."""
        if part not in self._uses:
            path = self.module_path(part.module)
            found: dict[str, Part] = {}
            if path is not None:
                start, end = self.sections(part.module).get(part.section or "", (1, float("inf")))
                imported = self.imported(path)
                for node in self.nodes(path):
                    if not isinstance(node, ast.Name) or not start <= node.lineno <= end:
                        continue
                    name = node.id
                    if name in found:
                        continue
                    target = (
                        imported[name][1] if name in imported else self.defined(part.module, name)
                    )
                    if target is not None and target != part:
                        found[name] = target
            self._uses[part] = list(found.items())
        return self._uses[part]


@functools.lru_cache(maxsize=512)
def _walked(source: str, where: str) -> tuple[ast.Name | ast.Import | ast.ImportFrom, ...]:
    """소스의 이름과 import 문들, 구문 트리를 훑는 차례대로. 내용으로 기억합니다(execution._parse처럼): mkdocs
    serve는 글을 고칠 때마다 이 검사를 다시 하는데, 고치지 않은 코드 파일을 다시 훑지 않습니다."""
    return tuple(
        node
        for node in ast.walk(execution._parse(source, where))
        if isinstance(node, ast.Name | ast.Import | ast.ImportFrom)
    )


def _bound_names(node: ast.stmt) -> list[str]:
    """최상위 문장 하나가 묶는 이름: 함수·클래스의 이름, 이름 하나에 대입하는 문장의 그 이름."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [target.id for target in targets if isinstance(target, ast.Name)]
    return []


def forward_references(root: Path, docs: Path, series: Series) -> list[Problem]:
    """시리즈의 글이 자기보다 뒤의 글에서 처음 가르치는 부품을 쓰는 곳마다 문제 하나(글의 파일과 줄).
    파이썬으로 읽을 수 없는 snippets/ 모듈이나 노트북은 execution.ExecutionError(파일과 줄)로 멈춥니다.

    차례에서 그 부품을 처음 싣는 글이 그것을 가르칩니다. 고치는 법은 둘입니다: data/series.yml에서 그 글을
    앞으로 옮기거나, 글이 그 부품 없이 읽히게(또는 그 부품을 먼저 싣고 설명하게) 고칩니다.

    빌드마다 부르므로 결과는 입력의 바이트로 빌드 사이에 기억합니다(memo): 차례의 글(slug, 경로, 내용)과
    snippets/·notebooks/의 파이썬 파일 전부(이름과 내용). 검사가 읽는 것은 이것뿐이라, 무엇 하나 바뀌면 다시 셉니다.
    """
    posts = [(post.slug, docs / post.src_uri) for post in series.posts]
    code = sorted(
        path
        for folder in ("snippets", "notebooks")
        for path in (root / folder).glob("*.py")
        if path.is_file()
    )
    inputs = [
        f"{len(posts)} posts, {len(code)} code files",
        *(
            part
            for slug, path in posts
            for part in (slug, str(_relative(path, root)), path.read_bytes())
        ),
        *(part for path in code for part in (path.relative_to(root).as_posix(), path.read_bytes())),
    ]
    found = memo.remembered(
        inputs,
        lambda: [(str(p.path), p.line, p.message) for p in _forward_references(root, docs, series)],
        shape=[(str, int, str)],
    )
    return [Problem(Path(path), line, message) for path, line, message in found]


def _relative(path: Path, root: Path) -> Path:
    """메시지에 싣는 글의 경로: 저장소 안이면 뿌리에서 본 경로."""
    return path.relative_to(root) if path.is_relative_to(root) else path


def _forward_references(root: Path, docs: Path, series: Series) -> list[Problem]:
    code = _Code(root)
    posts = [docs / post.src_uri for post in series.posts]
    embeds = []  # 글마다 [(줄, 대상 글자, 부품)]
    taught: dict[Part, int] = {}
    for at, path in enumerate(posts):
        found = []
        for line, target in snippet_refs.references(path.read_text(encoding="utf-8")):
            match = SNIPPET_TARGET.match(target)
            if match and code.module_path(match["module"]):
                part = Part(match["module"], match["section"])
                found.append((line, target, part))
                taught.setdefault(part, at)
                taught.setdefault(Part(part.module), at)
        embeds.append(found)
    problems = []
    for at, (post, path) in enumerate(zip(series.posts, posts, strict=True)):
        where = _relative(path, root)
        uses = []  # (줄, 무엇이 쓰는지, 이름, 부품)
        for line, target, part in embeds[at]:
            uses += [
                (line, f"'{target}'의 코드가 부르는", name, used) for name, used in code.uses(part)
            ]
        text = path.read_text(encoding="utf-8")
        for line, name in _notebooks(text, root, post.slug):
            notebook = execution.notebook_source(root, name)
            for alias, (number, used) in code.imported(notebook).items():
                if used is not None:
                    uses.append(
                        (
                            line,
                            f"동반 노트북 notebooks/{name}.py의 {number}번 줄이 불러오는",
                            alias,
                            used,
                        )
                    )
        reported = set()
        for line, who, name, used in uses:
            later = taught.get(used, at)
            if later <= at or (line, name, str(used)) in reported:
                continue
            reported.add((line, name, str(used)))
            teacher = series.posts[later].slug
            problems.append(
                Problem(
                    where,
                    line,
                    f"{who} {name}({used}): 시리즈에서 이 글('{post.slug}', {at + 1}번째)보다 뒤인 "
                    f"{later + 1}번째 글 '{teacher}'에서 처음 싣는 부품입니다: 독자는 아직 그것을 배우지 "
                    f"않았습니다. data/series.yml에서 그 글의 줄을 이 글 앞으로 옮기거나, 이 글이 앞 글에서 "
                    "실은 것만 쓰게(또는 그 부품을 이 글에서 먼저 싣고 설명하게) 고치세요",
                )
            )
    return problems


def _notebooks(text: str, root: Path, slug: str) -> list[tuple[int, str]]:
    """글이 가리키는 동반 노트북들: (처음 가리킨 줄, 이름).

    다른 노트북은 notebooks/<이름>.ipynb·.md나 outputs/<이름>/으로 가리키고, 글 자신의 노트북
    (notebooks/<slug>.py)은 짧은 꼴 {{ 이름 }}으로도 가리킵니다: 그 꼴만 쓰는 글의 노트북도 검사합니다.
    """
    found: dict[str, int] = {}
    own = execution.notebook_source(root, slug).is_file()
    for number, line in enumerate(text.splitlines(), start=1):
        for match in NOTEBOOK_MENTION.finditer(line):
            if execution.notebook_source(root, match["name"]).is_file():
                found.setdefault(match["name"], number)
        if own and OWN_OUTPUT.search(line):
            found.setdefault(slug, number)
    return [(line, name) for name, line in found.items()]
