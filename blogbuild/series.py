"""트랜스포머 시리즈: 배우는 차례(data/series.yml) 한 곳에서 시리즈 페이지, 첫 화면, 글의 앞뒤 링크를 만듭니다.

- load: data/series.yml의 slug들을 글(docs/blog/posts/*.md)과 맞춰 차례대로 읽습니다. 없는 글의 slug, 두 번
  나온 slug, slug가 아닌 항목은 파일과 줄을 짚고 고치는 법을 적은 문제(Problem)로 SeriesError를 냅니다.
  빌드(hooks.py)가 이것으로 멈춥니다.
- write_lists: build/series.md(시리즈 페이지: 글마다 제목 링크와 설명), build/series-titles.md(첫 화면: 번호와
  제목), build/latest-posts.md(첫 화면: 최신 글). docs/series.md와 docs/index.md가 --8<--로 싣습니다.
- decorate: 시리즈 글의 본문(HTML)에 제목 바로 아래 "먼저 읽을 글" 한 줄을, 끝에 이전 글·다음 글 링크를 넣습니다.

차례는 이 파일 하나에만 있습니다. 글의 앞머리에 시리즈 필드를 두지 않는 까닭: 앞머리는 기여자가 보내는
입력이라 받는 필드가 정해져 있고(frontmatter.py), 시리즈의 차례는 관리자가 정합니다.

제목과 설명은 기여자가 쓴 글에서 오므로 싣는 곳마다 이스케이프합니다: Markdown 목록에는 ASCII 문장 부호를
모두 문자 참조(&#42;)로, HTML에는 markupsafe.escape로.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown
from markupsafe import Markup

from blogbuild import frontmatter
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
    match = TITLE.search(path.read_text(encoding="utf-8")) if path.is_file() else None
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
    data, lines = loaded
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
        path = build / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def decorate(html: str, src_uri: str, series: Series, url_of: Callable[[str], str]) -> str:
    """시리즈 글의 본문(HTML): 제목(<h1>) 아래 "먼저 읽을 글" 한 줄과, 끝에 이전 글·다음 글 링크.

    url_of는 docs/ 아래 경로(blog/posts/x.md, series.md)를 이 글에서 본 상대 주소로 바꿉니다.
    둘 다 검색 색인에서 뺍니다(data-search-exclude): "먼저 읽을 글"의 제목으로 이 글이 찾아지지 않게.
    시리즈 밖의 글은 그대로 돌려줍니다.
    """
    place = series.neighbours(src_uri)
    if place is None:
        return html
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
    end = html.find("</h1>")
    at = end + len("</h1>") if end >= 0 else 0
    return f"{html[:at]}\n{lead}{html[at:]}\n{nav}\n"
