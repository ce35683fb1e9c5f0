"""용어집(data/glossary.yml): 한 개념에 한국어 용어 하나를 글들이 지키는지 보고, 용어집 페이지와 검색에 씁니다.

- check_posts: 글의 산문에 용어집이 피하는 꼴(avoid)이 있거나, 용어가 처음 나오는 곳에 영어가 괄호로
  붙어 있지 않으면 파일과 줄을 짚은 문제(Problem)를 돌려줍니다. 빌드(hooks.py)가 이것으로 멈춥니다.
- check_links: 용어마다 적은 설명 글(post)과 제목(anchor)이 있는지, 발행된 글인지, 그 글(제목 아래)이
  용어를 쓰는지. 틀리면 data/glossary.yml의 줄과 필드를 짚습니다. check_posts가 함께 돌립니다.
- page: 용어집 페이지(docs/glossary.md)가 싣는 목록. 가나다순으로 용어마다 영어, 한 문장 정의, 설명 글의
  링크와 용어의 앵커(#layer-normalization), 그리고 글쓴이를 위한 쓰지 않는 꼴의 표.
- aliases: 검색 창이 검색어를 바꿔 찾는 표: 영어, 영어의 다른 꼴, 쓰지 않는 꼴 → 블로그의 용어.

산문만 봅니다: 앞머리, 코드 블록과 `인라인 코드`, --8<-- 줄, 수식, HTML 주석과 태그, 링크와 그림의 주소,
빌드가 채우는 숫자({{ ... }}), 속성 목록({ ... }), 참고 문헌 목록(남의 글 제목은 그대로 인용합니다)은
같은 길이의 빈칸으로 지워서 줄과 칸이 원문과 같게 둡니다.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import markdown
import yaml
from pymdownx.slugs import slugify

from blogbuild import atomic, execution, frontmatter, manifest, memo, series
from blogbuild.problems import Problem, yaml_list

GLOSSARY = Path("data") / "glossary.yml"
FIELDS = {
    "term",
    "english",
    "definition",
    "post",
    "anchor",
    "also",
    "avoid",
    "english_at_first_use",
}

# 산문이 아닌 곳. 순서대로 지웁니다(앞의 것이 뒤의 것을 품을 수 있어서: 코드 블록 안의 링크처럼).
_NOT_PROSE = [
    re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.DOTALL | re.MULTILINE),  # 코드 블록
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"\$\$.*?\$\$", re.DOTALL),
    # 참고 문헌 목록과 (더 읽을거리처럼) 번호 붙은 문헌이 있는 절: 다음 ## 제목까지
    re.compile(r"^## (?:참고 문헌|더 읽을거리)[ \t]*\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE),
    re.compile(r"^.*\{ *#ref-\d+ *\}.*$", re.MULTILINE),  # 문헌 항목 한 줄
    re.compile(r"^[ \t]*-+8<-+.*$", re.MULTILINE),
    re.compile(r"(`+)(?:(?!\1).)+?\1"),  # 인라인 코드
    re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$"),  # 인라인 수식 $...$
    re.compile(r"\{\{.*?\}\}"),
    re.compile(r"\[\[\d+\]\]\(#ref-\d+\)"),  # 인용 번호
    re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)"),  # 링크·그림의 주소: ](주소)의 (주소)
    re.compile(r"\{\s*[#.:][^}]*\}"),  # 속성 목록 { .md-button }
    re.compile(r"</?[A-Za-z][^>]*>"),  # HTML 태그(안의 글자는 남깁니다)
]
# 처음 쓰는 곳을 찾을 때는 더 뺍니다: 제목 줄, 그림의 대체 글, 링크 글자(다른 글의 제목을 부르는 곳).
# 괄호([])는 남겨 둡니다: 뒤에서 링크 주소를 찾을 때 씁니다.
_NOT_FIRST_USE = [
    re.compile(r"^#{1,6} .*$", re.MULTILINE),
    re.compile(r"(?<=!\[)[^\[\]]*(?=\])"),
    re.compile(r"(?<=\[)[^\[\]]*(?=\]\()"),
]
HANGUL = "가-힣"
# 용어는 낱말 첫머리에서만 맞춥니다: "층"은 "계층"에, "로스"는 "크로스"에 맞지 않습니다.
# 곧 용어의 앞 글자가 낱말 글자(WORD_CHAR)가 아니어야 합니다.
WORD_CHAR = rf"[{HANGUL}A-Za-z0-9]"
# 용어 뒤에 영어를 다는 꼴: 바로 뒤나 굵게 닫는 ** 뒤의 괄호, 또는 한 낱말 더 간 괄호
# ("교차 엔트로피 손실(cross-entropy loss)", "디코더 층(decoder layer)").
AFTER_TERM = re.compile(rf"(?:\s*[{HANGUL}]+)?[*_]*\s?\(([^()]*)\)")


@dataclass(frozen=True)
class Entry:
    """용어집의 한 항목: 쓰는 한국어 용어, 영어, 영어의 다른 꼴, 피하는 꼴, 처음 쓸 때 영어를 붙이는지."""

    term: str
    english: str
    also: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    english_at_first_use: bool = True
    line: int = 0  # data/glossary.yml에서 이 항목이 시작하는 줄
    definition: str = ""  # 한 문장(합니다체)
    post: str = ""  # 이 용어를 설명하는 글의 slug
    anchor: str = ""  # 그 글에서 설명하는 제목의 앵커(# 없이), 없으면 글 전체
    field_lines: tuple[tuple[str, int], ...] = ()  # 필드마다 그 필드가 있는 줄

    @property
    def slug(self) -> str:
        """용어집 페이지에서 이 용어의 앵커: 영어로 만듭니다(glossary/#layer-normalization)."""
        return term_slug(self.english)

    def line_of(self, field: str) -> int:
        return dict(self.field_lines).get(field, self.line)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return _phrase(self.term)

    @functools.cached_property
    def avoid_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((form, _phrase(form)) for form in self.avoid)

    def english_in(self, text: str) -> bool:
        """text(괄호 안의 글)에 이 용어의 영어가 있는지: 대소문자, 하이픈과 빈칸은 가리지 않습니다."""
        said = _normal(text)
        return any(_normal(form) in said for form in (self.english, *self.also))


def _phrase(form: str) -> re.Pattern[str]:
    """낱말 첫머리에서 시작하는 form. 띄어 쓴 자리는 줄바꿈을 포함한 빈칸 하나 이상에 맞습니다.

    앞 글자 검사를 form의 첫 글자 뒤에 둡니다("레(?<![가-힣A-Za-z0-9]레)이어"): 맞는 자리는 같고, 패턴이
    글자로 시작하니 re가 그 글자를 빠르게 찾아 건너뜁니다(글 열 편에 용어 147꼴: 0.13 s → 0.004 s).
    """
    first, *rest = form.split()
    head = re.escape(first[0])
    return re.compile(
        head
        + rf"(?<!{WORD_CHAR}{head})"
        + re.escape(first[1:])
        + "".join(r"\s+" + re.escape(word) for word in rest)
    )


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[-_]", " ", text.lower()).split())


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


@functools.lru_cache(maxsize=1024)  # 용어집 표는 (용어 x 글)마다 묻습니다: 글마다 한 번만 지웁니다
def prose(text: str, first_use: bool = False) -> str:
    """글 파일 전체에서 산문이 아닌 곳을 같은 길이의 빈칸으로 바꾼 글(줄바꿈은 남깁니다).

    first_use면 용어를 처음 쓰는 곳이 될 수 없는 제목 줄, 그림의 대체 글, 링크 글자도 지웁니다.
    """
    _, body = frontmatter.split_front_matter(text)
    head = len(text) - len(body)
    text = re.sub(r"[^\n]", " ", text[:head]) + body
    for pattern in (_NOT_FIRST_USE if first_use else []) + _NOT_PROSE:
        text = pattern.sub(_blank, text)
    return text


class GlossaryError(ValueError):
    """읽을 수 없는 용어집: 파일과 줄을 짚은 문제들."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def load(root: Path) -> list[Entry]:
    """root/data/glossary.yml의 항목들. 틀렸으면 GlossaryError(파일과 줄을 짚어)."""
    return list(_entries((root / GLOSSARY).read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=8)  # 빌드 하나가 세 번 읽습니다(검사, 용어집 표, 검색 색인)
def _entries(text: str) -> tuple[Entry, ...]:
    loaded = yaml_list(text, GLOSSARY, "항목의 목록이어야 합니다: '- term: 잔차 연결' 꼴의 항목들")
    if isinstance(loaded, Problem):
        raise GlossaryError([loaded])
    data, nodes = loaded
    entries, problems = [], []
    for item, node in zip(data, nodes, strict=True):
        line, field_lines = node.start_mark.line + 1, _key_lines(node)
        entry, problem = _entry(item, line)
        if problem:
            field, message = problem
            problems.append(Problem(GLOSSARY, dict(field_lines).get(field, line), message))
        else:
            entries.append(dataclasses.replace(entry, field_lines=field_lines))
    problems += _conflicts(entries)
    if problems:
        raise GlossaryError(problems)
    return tuple(entries)


def _key_lines(node: yaml.Node) -> tuple[tuple[str, int], ...]:
    """항목의 (필드, 그 필드의 줄)들: 틀린 필드를 그 줄로 짚습니다. 항목이 사전이 아니면 빈 것."""
    return tuple(
        (str(key.value), key.start_mark.line + 1)
        for key, _ in (node.value if isinstance(node, yaml.MappingNode) else [])
    )


def term_slug(english: str) -> str:
    """영어 용어의 앵커: 글의 제목 앵커와 같은 규칙(mkdocs.yml의 toc slugify, 소문자)."""
    return _SLUGIFY(english, "-")


_SLUGIFY = slugify(case="lower")
DEFINITION_EXAMPLE = "definition: 서브블록의 입력을 출력에 더해, 서브블록이 입력에 더할 차이만 배우게 하는 연결입니다."


def _strings(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _entry(item: object, line: int) -> tuple[Entry | None, tuple[str, str] | None]:
    """항목 하나. 틀렸으면 (틀린 필드, 고치는 법)."""
    example = "예: '- term: 잔차 연결' 다음 줄에 '  english: residual connection'"
    if not isinstance(item, dict):
        return None, ("term", f"항목은 term과 english가 있는 사전이어야 합니다 ({example})")
    unknown = sorted(set(map(str, item)) - FIELDS)
    if unknown:
        return None, (
            unknown[0],
            f"모르는 필드 {', '.join(unknown)}: 받는 필드는 {', '.join(sorted(FIELDS))}",
        )
    term, english = item.get("term"), item.get("english")
    if not (
        isinstance(term, str) and term.strip() and isinstance(english, str) and english.strip()
    ):
        return None, ("term", f"term과 english는 비어 있지 않은 글자여야 합니다 ({example})")
    also, avoid = _strings(item.get("also")), _strings(item.get("avoid"))
    if also is None or avoid is None:
        field = "also" if also is None else "avoid"
        return None, (field, f"{field}: 글자의 목록이어야 합니다: avoid: [층 정규화, 계층 정규화]")
    first_use = item.get("english_at_first_use", True)
    if not isinstance(first_use, bool):
        return None, ("english_at_first_use", "english_at_first_use는 true나 false여야 합니다")
    definition = item.get("definition")
    if not isinstance(definition, str) or not definition.strip():
        return None, (
            "definition" if "definition" in item else "term",
            f"'{term.strip()}'에 definition이 없습니다: 용어집 페이지에 싣는 한 문장 정의를 쓰세요 "
            f"({DEFINITION_EXAMPLE})",
        )
    definition = " ".join(definition.split())
    if not definition.endswith("다."):
        return None, (
            "definition",
            f"definition: 합니다체 한 문장으로 '다.'로 끝내세요 ({DEFINITION_EXAMPLE})",
        )
    post = item.get("post")
    if not isinstance(post, str) or not post.strip():
        return None, (
            "post" if "post" in item else "term",
            f"'{term.strip()}'에 post가 없습니다: 이 용어를 설명하는 글의 slug를 쓰세요 "
            "(예: post: residual-connection, 그 글의 제목 하나를 짚으려면 anchor: 개념)",
        )
    anchor = item.get("anchor", "")
    if not isinstance(anchor, str):
        return None, ("anchor", "anchor: 글의 제목 앵커(# 없이)를 글자로 쓰세요: anchor: 개념")
    return (
        Entry(
            term.strip(),
            english.strip(),
            also,
            avoid,
            first_use,
            line,
            definition,
            post.strip(),
            anchor.strip().removeprefix("#"),
        ),
        None,
    )


def _conflicts(entries: list[Entry]) -> list[Problem]:
    """한 꼴이 두 곳에 있으면 글이 지킬 수 없습니다: 용어가 두 번, 또는 한 항목의 용어가 다른 항목의 피하는 꼴."""
    problems, seen, slugs = [], {}, {}
    for entry in entries:
        if entry.slug in slugs:
            problems.append(
                Problem(
                    GLOSSARY,
                    entry.line_of("english"),
                    f"english: '{entry.english}'의 앵커 #{entry.slug}가 {slugs[entry.slug]}번 줄의 "
                    "용어와 같습니다: 용어집 페이지에서 두 용어를 가를 수 있게 영어를 다르게 쓰세요",
                )
            )
        slugs.setdefault(entry.slug, entry.line)
        if entry.term in seen:
            problems.append(
                Problem(
                    GLOSSARY, entry.line, f"'{entry.term}'이 {seen[entry.term]}번 줄에도 있습니다"
                )
            )
        seen.setdefault(entry.term, entry.line)
    for entry in entries:
        for form in entry.avoid:
            if form in seen:
                problems.append(
                    Problem(
                        GLOSSARY,
                        entry.line,
                        f"피하는 꼴 '{form}'이 {seen[form]}번 줄에서는 쓰는 용어입니다: 한쪽에서 빼세요",
                    )
                )
    return problems


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _gives_english(entry: Entry, text: str, match: re.Match[str]) -> bool:
    """용어(match)에 영어가 붙어 있는지: 뒤의 괄호, 또는 용어를 품은 괄호("(가중치 묶기, weight tying)")."""
    after = AFTER_TERM.match(text, match.end())
    if after and entry.english_in(after.group(1)):
        return True
    opened = text.rfind("(", 0, match.start())
    if opened > text.rfind(")", 0, match.start()):
        closed = text.find(")", match.end())
        return closed != -1 and entry.english_in(text[opened + 1 : closed])
    return False


def check_post(path: Path, root: Path, entries: list[Entry]) -> list[Problem]:
    """글 하나가 용어집을 지키는지: 피하는 꼴과, 처음 쓴 용어에 붙인 영어(빌드 사이에 기억합니다)."""
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(root) if path.is_relative_to(root) else path
    found = memo.remembered(
        ("glossary", str(where), source, repr(entries)),
        lambda: [[p.line, p.message] for p in _check_text(source, where, entries)],
        shape=[(int, str)],
    )
    return [Problem(where, line, message) for line, message in found]


def avoided(text: str, entries: list[Entry]) -> list[tuple[int, str, Entry]]:
    """text에서 용어집이 피하는 꼴들: (자리, 꼴, 그 꼴 대신 쓸 항목), 글의 차례대로."""
    found: list[tuple[int, int, str, Entry]] = []
    terms = [span for entry in entries for span in _spans(entry.pattern, text)]
    for entry in entries:
        for form, pattern in entry.avoid_patterns:
            for start, end in _spans(pattern, text):
                # 쓰는 용어 안의 조각은 괜찮습니다: "레이어 정규화"의 "레이어", "크로스 어텐션"의 "로스".
                if any(s <= start and end <= e and e - s > end - start for s, e in terms):
                    continue
                found.append((start, end, form, entry))
    return sorted(
        (
            (start, form, entry)
            for start, end, form, entry in found
            # 더 긴 피하는 꼴 안의 것은 그쪽으로 한 번만 알립니다: "마스크드 멀티"의 "마스크드".
            if not any(s <= start and end <= e and e - s > end - start for s, e, *_ in found)
        ),
        key=lambda found: found[0],
    )


def _use_instead(form: str, entry: Entry) -> str:
    return f"'{form}' 대신 용어집({GLOSSARY})의 용어를 쓰세요: {entry.term}"


def _check_text(source: str, where: Path, entries: list[Entry]) -> list[Problem]:
    text = prose(source)
    problems = [
        (start, Problem(where, _line_of(text, start), _use_instead(form, entry)))
        for start, form, entry in avoided(text, entries)
    ]
    running = prose(source, first_use=True)
    for entry in entries:
        if not entry.english_at_first_use:
            continue
        # 처음 쓰는 곳: 본문의 첫 자리. 제목(글 제목 "잔차 연결(Residual Connection) 알아보기" 같은)이나
        # 링크 글자에서 먼저 영어를 붙였다면 그것으로도 됩니다.
        first = entry.pattern.search(running)
        if first is None or any(
            _gives_english(entry, seen, match)
            for seen, match in ((running, first), (text, entry.pattern.search(text)))
        ):
            continue
        problems.append(
            (
                first.start(),
                Problem(
                    where,
                    _line_of(text, first.start()),
                    f"이 글에서 처음 쓴 '{entry.term}' 뒤에 영어를 괄호로 붙이세요: "
                    f"{entry.term}({entry.english})",
                ),
            )
        )
    return [problem for _, problem in sorted(problems, key=lambda p: p[0])]


def check_posts(posts: list[Path], root: Path) -> list[Problem]:
    """모든 글(초안까지)의 용어 문제와 용어마다 적은 설명 글의 문제. 용어집 자체가 틀렸으면 그 문제들."""
    try:
        entries = load(root)
    except GlossaryError as error:
        return error.problems
    return [
        *check_links(entries, posts),
        *(problem for post in posts for problem in check_post(post, root, entries)),
    ]


def check_outputs(root: Path, outputs_root: Path) -> list[Problem]:
    """노트북이 결과 목록에 적은 그림의 대체 텍스트와 캡션도 글의 산문입니다: 용어집이 피하는 꼴을 찾습니다.

    목록이 틀린 노트북은 건너뜁니다(manifest.check_all이 그 문제를 알립니다).
    """
    try:
        entries = load(root)
    except GlossaryError:
        return []  # check_posts가 용어집의 문제를 알립니다
    problems = []
    for notebook in execution.find_notebooks(root):
        # 목록의 글은 목록 파일(manifest.json)의 바이트가 정합니다: 그대로면 지난 빌드의 답(memo)을 씁니다.
        listing = manifest.path_of(outputs_root, notebook.name)
        found = memo.remembered(
            (
                "glossary outputs",
                notebook.name,
                listing.read_bytes() if listing.is_file() else b"",
                repr(entries),
            ),
            lambda name=notebook.name: _output_problems(outputs_root, name, entries),
            shape=[str],
        )
        problems += [Problem(f"notebooks/{notebook.name}.py", None, found) for found in found]
    return problems


def _output_problems(outputs_root: Path, notebook: str, entries: list[Entry]) -> list[str]:
    try:
        outputs = manifest.load(outputs_root, notebook)
    except manifest.ManifestError:
        return []
    return [
        f"그림 '{output.name}'의 {what}: {_use_instead(form, entry)}"
        for output in outputs.values()
        for what, text in (("대체 텍스트(alt)", output.alt), ("캡션(caption)", output.caption))
        for _, form, entry in avoided(text, entries)
    ]


def uses(entry: Entry, post_text: str) -> bool:
    """글(파일 전체)의 본문 산문에 이 용어가 나오는지: 다른 글의 제목을 부르는 링크 글자는 빼고."""
    return entry.pattern.search(prose(post_text, first_use=True)) is not None


HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_ID = re.compile(r'\bid="([^"]+)"')


def headings(text: str) -> list[tuple[str, int, int]]:
    """글(파일 전체)의 제목들: (앵커, 수준, 글에서의 자리). 앵커는 사이트가 매기는 것과 같습니다
    (mkdocs.yml의 toc slugify와 attr_list의 { #id }, 같은 앵커가 또 나오면 _1을 붙이는 것까지).
    앵커는 Markdown으로 그려 얻으므로, 같은 글의 제목들은 빌드 사이에 기억합니다(memo)."""
    found = memo.remembered(
        ("headings", text),
        lambda: _headings(text),
        shape=[(str, int, int)],
        tools=("Markdown", "pymdown-extensions"),  # toc가 앵커를 매기고 slugify가 글자를 고릅니다
    )
    return [(anchor, level, start) for anchor, level, start in found]


def _headings(text: str) -> list[tuple[str, int, int]]:
    lines = prose(text, first_use=False)  # 코드 블록 안의 # 줄은 제목이 아닙니다
    found = [
        (match.start(), len(match[1]), text[match.start(2) : match.end(2)])
        for match in HEADING.finditer(lines)
    ]
    rendered = markdown.markdown(
        "\n\n".join(f"{'#' * level} {title}" for _, level, title in found),
        extensions=["attr_list", "toc"],
        extension_configs={"toc": {"slugify": _SLUGIFY}},
    )
    ids = _ID.findall(rendered)
    return [(anchor, level, start) for anchor, (start, level, _) in zip(ids, found, strict=True)]


def _section(text: str, anchor: str) -> str | None:
    """앵커가 anchor인 제목과 그 아래(같거나 높은 수준의 다음 제목까지)의 글. 그런 제목이 없으면 None."""
    found = headings(text)
    for i, (name, level, start) in enumerate(found):
        if name == anchor:
            end = next((s for _, lv, s in found[i + 1 :] if lv <= level), len(text))
            return text[start:end]
    return None


def _slug_of(path: Path) -> str | None:
    try:
        slug = frontmatter.read_front_matter(path).get("slug")
    except Exception:  # 읽을 수 없는 앞머리는 frontmatter.check_posts가 알립니다
        return None
    return slug if isinstance(slug, str) else None


def check_links(entries: Iterable[Entry], posts: list[Path]) -> list[Problem]:
    """용어마다 적은 설명 글(post, anchor)이 쓸 만한지: 있고, 초안이 아니고, 앵커의 제목이 있고, 그 글이
    (앵커가 있으면 그 제목 아래에서) 용어를 씁니다. 틀리면 data/glossary.yml의 그 필드의 줄을 짚습니다."""
    by_slug = {slug: post for post in posts if (slug := _slug_of(post))}
    problems = []
    for entry in entries:

        def problem(field: str, message: str, entry: Entry = entry) -> None:
            problems.append(Problem(GLOSSARY, entry.line_of(field), f"{field}: {message}"))

        post = by_slug.get(entry.post)
        if post is None:
            close = difflib.get_close_matches(entry.post, by_slug, n=1)
            hint = f" 비슷한 slug: '{close[0]}'." if close else ""
            problem(
                "post",
                f"'{entry.post}'라는 slug의 글이 없습니다.{hint} '{entry.term}'을 설명하는 글의 "
                "앞머리 slug를 쓰세요",
            )
            continue
        if frontmatter.is_draft(post):
            problem(
                "post",
                f"'{entry.post}'는 초안(draft: true)이라 사이트에 실리지 않습니다: "
                f"'{entry.term}'을 설명하는 발행된 글의 slug를 쓰세요",
            )
            continue
        text = post.read_text(encoding="utf-8")
        where = f"글 '{entry.post}'"
        if entry.anchor:
            section = _section(text, entry.anchor)
            if section is None:
                names = ", ".join(name for name, _, _ in headings(text))
                problem(
                    "anchor",
                    f"{where}에 앵커가 '{entry.anchor}'인 제목이 없습니다: 그 글의 제목 앵커 "
                    f"가운데 하나를 쓰거나 anchor 줄을 지우세요 (있는 앵커: {names})",
                )
                continue
            heading, _, body = section.partition("\n")
            if entry.pattern.search(prose(heading)):  # 제목이 그 용어를 부르면 그 절이 설명입니다
                continue
            text, where = body, f"{where}의 '#{entry.anchor}' 아래"
        if entry.pattern.search(prose(text, first_use=True)) is None:
            problem(
                "anchor" if entry.anchor else "post",
                f"{where}의 본문에 '{entry.term}'이 나오지 않습니다: 이 용어를 설명하는 글"
                "(과 제목)을 쓰세요",
            )
    return problems


def page(
    entries: Iterable[Entry], posts: dict[str, series.PostInfo], page_dir: Path, docs: Path
) -> str:
    """용어집 페이지의 본문(Markdown): 가나다순 정의 목록과 글쓴이를 위한 쓰지 않는 꼴의 표.

    용어마다 앵커(#영어)가 있어 글이 용어로 링크할 수 있습니다. 설명 글의 링크는 page_dir(용어집 페이지가
    있는 디렉터리)에서 본 글 파일의 상대 경로라서 MkDocs가 검사합니다. posts는 slug → 이 빌드가 싣는 글.
    """
    text = series.markdown_text
    items = []
    ordered = sorted(entries, key=lambda e: e.term)
    for entry in ordered:
        post = posts[entry.post]
        target = Path(os.path.relpath(docs / post.src_uri, page_dir)).as_posix()
        target += f"#{entry.anchor}" if entry.anchor else ""
        items.append(
            f'**{text(entry.term)}** <span lang="en">({text(entry.english)})</span> '
            f"{{ #{entry.slug} }}\n"
            f":   {text(entry.definition)}\n\n"
            f"    설명: [{text(post.title)}]({target})\n"
        )
    avoided_rows = [
        f"| [{text(entry.term)}](#{entry.slug}) | {', '.join(map(text, entry.avoid))} |"
        for entry in ordered
        if entry.avoid
    ]
    writers = [
        "## 글쓴이에게: 쓰지 않는 꼴 { #avoided-forms }",
        "",
        "글의 산문에 아래 꼴이 있으면 빌드가 파일과 줄을 짚어 멈춥니다. 왼쪽의 용어를 쓰세요.",
        "",
        "| 용어 | 쓰지 않는 꼴 |",
        "| --- | --- |",
        *avoided_rows,
    ]
    return "\n".join(items) + "\n" + "\n".join(writers) + "\n"


def aliases(entries: Iterable[Entry]) -> dict[str, str]:
    """검색어의 다른 꼴(소문자) → 블로그가 쓰는 용어: 영어, 영어의 다른 꼴, 쓰지 않는 꼴로 찾아도 그 용어를 쓰는
    글이 나오게 검색 창(docs/javascripts/search.js)이 용어로도 찾습니다."""
    return {
        form.lower(): entry.term
        for entry in entries
        for form in (entry.english, *entry.also, *entry.avoid)
        if form.lower() != entry.term.lower()
    }


PAGE = "glossary.md"  # docs/ 아래 용어집 페이지: 목록은 build/glossary.md에서 싣습니다
LIST = Path("build") / "glossary.md"


def write_page(root: Path, posts: list[Path], docs: Path) -> Path:
    """용어집 페이지(docs/glossary.md)가 --8<--로 싣는 목록을 build/glossary.md에 씁니다(바뀔 때만).

    빌드마다 data/glossary.yml과 글에서 새로 만들므로 페이지가 용어집이나 글과 어긋날 수 없습니다.
    posts는 이 빌드가 싣는 글입니다. 설명 글이 없는 용어는 검사 단계(check_links)가 먼저 멈춥니다.
    """
    path = root / LIST
    entries = load(root)
    page_dir = (docs / PAGE).parent
    # 목록은 용어집과 글의 바이트(그리고 글의 자리)가 정합니다: 그대로면 지난 빌드의 목록(memo)을 씁니다.
    texts = [(os.path.relpath(post, docs), post.read_bytes()) for post in posts]
    text = memo.remembered(
        ("glossary page", repr(entries), *(part for pair in texts for part in pair)),
        lambda: page(entries, series.read_posts(posts, docs), page_dir, docs),
        shape=str,
    )
    atomic.write_if_changed(path, text.encode("utf-8"))
    return path
