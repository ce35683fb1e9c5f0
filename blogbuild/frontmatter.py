"""글(post) 앞머리(front matter) 검사.

Material 블로그 플러그인은 빠진 필드를 조용히 넘기거나 영어 오류를 냅니다. 여기서는 글쓴이가 바로
고칠 수 있도록, 파일·줄·필드·올바른 예를 담은 오류를 돌려줍니다.

앞머리는 기여자가 보낸 믿을 수 없는 입력이기도 합니다. Material의 템플릿은 앞머리 값을 이스케이프하지
않고 페이지에 싣습니다(`title`, `template`, `icon` 같은 필드는 HTML 그대로). 그래서 이 블로그가 쓰는
필드만 받고, 분류 이름은 안전한 글자로 제한하며, 자유 글인 `description`은 싣는 곳마다 이스케이프합니다
(blogbuild/hooks.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path

import yaml
from pymdownx.slugs import slugify

from blogbuild import memo, yaml_input
from blogbuild.problems import Problem
from blogbuild.yaml_input import quoted

# ASCII 케밥 표기: 글의 slug, 노트북 이름(notebooks/<이름>.py), 코드 조각의 구간 이름이 모두 이 꼴입니다.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXCERPT_BREAK = "<!-- more -->"
# 요약의 끝에서 문장 부호 뒤에 올 수 있는 것: 인용([[1]](#ref-1)), 강조 표시, 닫는 괄호·따옴표.
EXCERPT_TAIL = re.compile(r"(?:\[\[\d+\]\]\(#ref-\d+\)|[\s*_)\]\"'”’」』])+$")
SENTENCE_END = ".?!"
# 분류(categories)와 태그(tags)의 이름: 글자(한글 포함)·숫자로 시작하고, 글자·숫자·빈칸·-.+#만.
LABEL = re.compile(r"^\w[\w .+#-]{0,29}$")
# Material의 태그·분류 주소(tag:<slug>, blog/category/<slug>/)를 만드는 기본 slugify: 둘이 같은 주소면 한쪽이 사라집니다.
LABEL_SLUG = slugify(case="lower")

# 필드마다 올바른 예: 오류 메시지에 그대로 붙입니다. 이 블로그가 받는 필드도 이것들뿐입니다.
EXAMPLES = {
    "date": "date: 2025-01-04",
    "slug": "slug: masked-multi-head-attention",
    "description": "description: 디코더가 미래 토큰을 보지 못하게 하는 마스크 멀티 헤드 어텐션을 코드로 살펴봅니다.",
    "categories": "categories:\n  - 트랜스포머",
    "tags": "tags:\n  - 어텐션",
    "draft": "draft: true  # 초안: make serve에만 보이고 make build·배포에는 실리지 않습니다",
}
FIELDS = tuple(sorted(EXAMPLES))
DESCRIPTION_LENGTH = (20, 160)


class _BadDate(str):
    """YAML에서 날짜 꼴이지만 있을 수 없는 날짜(2025-13-45): 'date' 필드의 문제로 알리려고 글자로 남깁니다."""


class _Loader(yaml.SafeLoader):
    """MkDocs와 Material이 앞머리를 읽는 SafeLoader 그대로이되, 있을 수 없는 날짜에서 멈추지 않는 로더."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return _BadDate(self.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _date_problem(value: object) -> str | None:
    """Material 블로그가 받는 날짜인지: YAML 날짜·날짜시각, 또는 그것들의 {created: ..., updated: ...}.

    따옴표로 감싼 날짜("2025-01-04")나 숫자(20250104)는 Material이 거절하므로 여기서도 거절합니다.
    """
    if isinstance(value, _BadDate):
        return f"있을 수 없는 날짜입니다 (지금: {quoted(str(value))})"
    if isinstance(value, dt.date):  # dt.datetime도 dt.date입니다
        return None
    if isinstance(value, dict) and "created" in value:
        bad = [
            f"{quoted(k, bare=True)}: {quoted(v)}"
            for k, v in value.items()
            if not isinstance(v, dt.date)
        ]
        return f"날짜가 아닌 값이 있습니다 ({', '.join(bad)})" if bad else None
    return (
        "따옴표 없는 YYYY-MM-DD 날짜여야 합니다 "
        f"(지금: {quoted(value)}; Material은 글자나 숫자로 적은 날짜를 받지 않습니다)"
    )


def _problem(path: Path, line: int, field: str, message: str) -> Problem:
    """앞머리 필드 하나의 문제: 메시지 뒤에 그 필드의 올바른 예를 붙입니다."""
    example = EXAMPLES.get(field)
    hint = (
        f"\n    올바른 예:\n      {example.replace(chr(10), chr(10) + '      ')}" if example else ""
    )
    return Problem(path, line, f"앞머리 필드 '{field}': {message}{hint}", field)


FRONT_MATTER = re.compile(r"^---[ \t]*\n(.*?\n)---[ \t]*\n", flags=re.DOTALL)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """'---'로 둘러싼 YAML 앞머리와 본문을 나눕니다. 앞머리가 없으면 (None, 본문)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


def body_first_line(text: str, body: str | None = None) -> int:
    """본문이 파일의 몇째 줄에서 시작하는지: 본문 안의 줄 번호에 (이 값 - 1)을 더하면 파일의 줄 번호.

    body를 주면 그 글(예: MkDocs가 앞머리를 떼고 앞의 빈 줄까지 지운 Markdown)이 파일의 끝부분이라고
    보고 셉니다. 없으면 앞머리 바로 다음 줄입니다.
    """
    if body is None or not text.endswith(body):
        _, body = split_front_matter(text)
    return text.count("\n", 0, len(text) - len(body)) + 1


def _load(raw: str) -> object:
    """앞머리 YAML의 값. 한 빌드가 같은 앞머리를 여러 번 읽으므로(검사, 시리즈, 노트북마다 제 글 찾기)
    해석은 글자마다 한 번이고, 부르는 쪽이 고쳐도 되게 사본을 돌려줍니다."""
    return copy.deepcopy(_parsed(raw))


@functools.lru_cache(maxsize=1024)
def _parsed(raw: str) -> object:
    return yaml_input.load(raw, _Loader)


def read_front_matter(path: Path) -> dict:
    """글의 앞머리를 사전으로 읽습니다(MkDocs와 같게: 날짜는 날짜로). 검사를 통과한 글에 씁니다."""
    raw, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return _load(raw or "") or {}


def _key_lines(raw: str) -> dict[str, int]:
    """앞머리의 최상위 키마다 그 키가 있는 파일의 줄 번호(여는 '---'가 1번 줄).

    빌드마다 글마다 부르고(검사, 태그 주소 비교) YAML의 노드 트리를 만드는 일은 느려서(글 100편에 0.1 s),
    앞머리 글자로 빌드 사이에 기억합니다(memo)."""
    pairs = memo.remembered(
        ("front matter key lines", raw),
        lambda: list(_composed_key_lines(raw).items()),
        shape=[(str, int)],
    )
    return dict(pairs)


def _composed_key_lines(raw: str) -> dict[str, int]:
    node = yaml_input.compose(raw, _Loader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 2 for key, _ in node.value if hasattr(key, "value")
    }


def _yaml_problem(path: Path, error: yaml.YAMLError) -> Problem:
    """YAML 오류를 파일의 줄 번호로: 앞머리는 파일의 2번 줄부터 시작합니다(PyYAML은 0부터 셉니다)."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 2 if mark else 2
    cause = quoted(getattr(error, "problem", None) or str(error), limit=300, bare=True)
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and context_mark and context_mark.line + 2 != line:
        cause = f"{context_mark.line + 2}번 줄부터 {context}: {cause}"
    return _problem(path, line, "---", f"YAML로 읽을 수 없습니다: {cause}")


def check_post(path: Path, root: Path) -> list[Problem]:
    """글 하나의 앞머리와 요약 구분선(excerpt break)을 검사해 문제 목록을 돌려줍니다.

    메시지의 경로는 저장소 뿌리(root)에서 본 상대 경로이고, 줄 번호는 파일의 줄 번호입니다.
    """
    text = path.read_text(encoding="utf-8")
    path = path.relative_to(root)
    raw, body = split_front_matter(text)
    if raw is None:
        return [_problem(path, 1, "---", "파일이 '---'로 시작하는 YAML 앞머리로 시작해야 합니다")]
    try:
        meta = _load(raw) or {}
        lines = _key_lines(raw)
    except yaml.YAMLError as error:
        return [_yaml_problem(path, error)]
    if not isinstance(meta, dict):
        return [_problem(path, 2, "---", "앞머리는 'key: value' 목록이어야 합니다")]

    problems = []

    def problem(field: str, message: str) -> None:
        problems.append(_problem(path, lines.get(field, 1), field, message))

    for key in meta:
        if key not in EXAMPLES:
            problem(
                quoted(key, bare=True),
                f"이 블로그가 받지 않는 필드입니다 (받는 필드: {', '.join(FIELDS)}). "
                "title·template·icon처럼 테마가 HTML 그대로 싣는 필드는 받지 않습니다",
            )
    date_problem = _date_problem(meta.get("date"))
    if date_problem:
        problem("date", date_problem)
    slug = meta.get("slug")
    if not (isinstance(slug, str) and SLUG.match(slug)):
        problem("slug", f"ASCII 소문자·숫자·하이픈으로 된 이름이어야 합니다 (지금: {quoted(slug)})")
    description = meta.get("description")
    low, high = DESCRIPTION_LENGTH
    if not (isinstance(description, str) and low <= len(description.strip()) <= high):
        problem(
            "description", f"{low}~{high}자의 한 문장이어야 합니다 (지금: {quoted(description)})"
        )
    for field in ("categories", "tags"):
        value = meta.get(field)
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            problem(field, f"비어 있지 않은 문자열 목록이어야 합니다 (지금: {quoted(value)})")
            continue
        not_nfc = [v for v in value if unicodedata.normalize("NFC", v) != v]
        if not_nfc:
            problem(
                field,
                f"NFC로 정규화되지 않은 이름입니다(풀어쓴 한글 자모 등: {quoted(not_nfc)}). 같아 보이는 "
                "다른 이름이 되므로 NFC로 다시 입력해 저장하세요",
            )
        bad = [v for v in value if not LABEL.match(v)]
        if bad:
            problem(
                field,
                f"이름은 30자 안의 글자·숫자·빈칸·-.+#로만 씁니다 (문제: {quoted(bad)})",
            )
    if "draft" in meta and not isinstance(meta["draft"], bool):
        problem(
            "draft",
            f"true 또는 false여야 합니다 (지금: {meta['draft']!r}). 초안이 아니면 이 줄을 지우세요",
        )
    start = body_first_line(text)
    breaks = body.count(EXCERPT_BREAK)
    if breaks == 0:
        problems.append(
            Problem(
                path,
                start,
                f"본문에 요약 구분선 '{EXCERPT_BREAK}'이 없습니다 (앞머리의 필드가 아니라 본문의 한 줄입니다): "
                f"'# 제목' 아래 첫 문단 뒤에 빈 줄을 두고 '{EXCERPT_BREAK}' 한 줄을 넣으세요. "
                "그 위의 문단이 블로그 목록에 요약으로 나옵니다",
                EXCERPT_BREAK,
            )
        )
    elif breaks > 1:
        second = body.index(EXCERPT_BREAK, body.index(EXCERPT_BREAK) + 1)
        problems.append(
            Problem(
                path,
                start + body.count("\n", 0, second),
                f"요약 구분선 '{EXCERPT_BREAK}'이 {breaks}번 있습니다: 첫 문단 뒤의 하나만 남기세요",
                EXCERPT_BREAK,
            )
        )
    else:
        problems += _excerpt_problems(path, body, start)
    if not re.search(r"^# \S", body, flags=re.MULTILINE):
        problems.append(Problem(path, start, "본문에 '# 제목' 한 줄이 있어야 합니다", "# 제목"))
    return problems


def is_draft(path: Path) -> bool:
    """앞머리에 `draft: true`가 있는 글(초안)인지. 읽을 수 없는 앞머리는 초안이 아닙니다(검사가 알립니다)."""
    raw, _ = split_front_matter(path.read_text(encoding="utf-8"))
    try:
        meta = _load(raw or "")
    except yaml.YAMLError:
        return False
    return isinstance(meta, dict) and meta.get("draft") is True


def published(posts: list[Path], *, drafts_shown: bool) -> list[Path]:
    """이 빌드가 싣는 글: 초안은 drafts_shown(Material 블로그의 draft 설정)일 때만.

    Material의 블로그는 초안을 mkdocs serve(draft_on_serve)에서는 '임시 저장' 표시와 함께 보여 주고,
    mkdocs build에서는 싣지 않습니다(목록, 태그, 검색 색인, 사이트맵에서도 빠집니다). 빌드가 글을 도는
    다른 곳(피드, 시리즈, 첫 화면의 최신 글, 용어집의 링크, 노트북 그림의 alt)도 이 함수로 같은 글만 씁니다.
    초안의 코드 조각·테스트·동반 노트북은 그대로 실행되고 검사됩니다.
    """
    return [post for post in posts if drafts_shown or not is_draft(post)]


SCAFFOLD_MARK = "(바꾸세요)"


def scaffold_leftovers(path: Path, root: Path) -> list[Problem]:
    """뼈대(tools.new_post)가 넣은 '(바꾸세요)' 문장이 남은 줄마다 하나: 출판되면 안 되는 자리 글입니다."""
    problems = []
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.split("\n"), start=1):
        if SCAFFOLD_MARK not in line:
            continue
        what = (
            "앞머리 필드 'description'을 이 글을 소개하는 20~160자의 한 문장으로"
            if line.startswith("description:")
            else "이 문장을 이 글의 내용으로"
        )
        problems.append(
            Problem(
                path.relative_to(root),
                number,
                f"뼈대(make new-post)가 넣은 '{SCAFFOLD_MARK}' 자리 글이 남았습니다: {what} 바꾸세요",
            )
        )
    return problems


def _excerpt_problems(path: Path, body: str, start: int) -> list[Problem]:
    """블로그 첫 화면에 나오는 요약(제목 아래부터 구분선까지)이 완결된 문장으로 끝나는지.

    "다음과 같습니다:"처럼 목록을 여는 문장으로 끝나면 첫 화면에는 목록 없이 그 문장만 남습니다.
    """
    lines = body[: body.index(EXCERPT_BREAK)].split("\n")
    text = [(n, line) for n, line in enumerate(lines) if line.strip() and not line.startswith("# ")]
    if not text:
        return [
            Problem(
                path,
                start,
                f"'# 제목'과 요약 구분선 '{EXCERPT_BREAK}' 사이에 글을 소개하는 문단이 있어야 합니다 "
                "(블로그 목록에 요약으로 나옵니다)",
                EXCERPT_BREAK,
            )
        ]
    index, last = text[-1]
    ending = EXCERPT_TAIL.sub("", last)
    if ending and ending[-1] in SENTENCE_END:
        return []
    return [
        Problem(
            path,
            start + index,
            f"요약 구분선 '{EXCERPT_BREAK}' 앞의 요약은 블로그 목록에 그대로 나오므로 완결된 문장"
            f"(. ? !)으로 끝나야 합니다 (지금: '…{last.strip()[-20:].lstrip()}'). 목록을 여는 문장은 "
            "구분선 뒤로 옮기세요",
            EXCERPT_BREAK,
        )
    ]


# jupytext가 노트북(notebooks/*.py) 맨 위에서 읽는 YAML 머리말: '# ---' 줄 사이의 주석 줄들.
NOTEBOOK_HEADER = re.compile(r"^# ---[ \t]*\n((?:#.*\n)*?)# ---[ \t]*\n")


def check_yaml_headers(pages: list[Path], notebooks: list[Path], root: Path) -> list[Problem]:
    """글이 아닌 페이지(docs/의 .md)의 앞머리와 노트북의 머리말이 이 블로그의 한도로 읽히는지.

    MkDocs(페이지의 앞머리)와 jupytext(노트북의 머리말)는 이것을 한도 없이 읽어, 별칭 폭탄이 빌드를
    메모리 부족으로 멈춥니다. 그래서 그들이 읽기 전에(빌드의 첫 검사) 여기서 읽어 봅니다.
    """
    problems = []
    for path in [*pages, *notebooks]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            raw, _ = split_front_matter(text)
        else:
            match = NOTEBOOK_HEADER.match(text)
            raw = re.sub(r"(?m)^# ?", "", match.group(1)) if match else None
        if raw is None:
            continue
        try:
            _parsed(raw)
        except yaml.YAMLError as error:
            problems.append(_yaml_problem(path.relative_to(root), error))
    return problems


POST_MAX_KB = 200  # mkdocs.yml의 extra.posts.max_kb가 없을 때


def size_problems(posts: list[Path], root: Path, max_kb: int = POST_MAX_KB) -> list[Problem]:
    """한도(KB)보다 큰 글: 글 전체가 한 페이지로 독자에게 갑니다."""
    problems = []
    for path in posts:
        size = path.stat().st_size
        if size > max_kb * 1024:
            problems.append(
                Problem(
                    path.relative_to(root),
                    None,
                    f"글이 {size / 1024:,.0f} KB로 한도 {max_kb:,} KB(mkdocs.yml의 extra.posts.max_kb)를 "
                    "넘습니다. 글 전체가 검색 색인에 들어가 모든 독자가 내려받습니다: 글을 나누거나, "
                    "긴 표와 데이터는 동반 노트북이 만들게 하세요",
                )
            )
    return problems


def check_posts(posts: list[Path], root: Path) -> list[Problem]:
    """모든 글을 검사하고, 글끼리 slug가 겹치지 않는지도 봅니다."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    valid = []
    for path in posts:
        found = check_post(path, root)
        problems += found
        if found:
            continue
        valid.append(path)
        meta = read_front_matter(path)
        relative = path.relative_to(root)
        if meta["slug"] in seen:
            line = _key_lines(split_front_matter(path.read_text(encoding="utf-8"))[0])["slug"]
            problems.append(
                _problem(
                    relative,
                    line,
                    "slug",
                    f"'{meta['slug']}'는 {seen[meta['slug']]}에서 이미 씁니다",
                )
            )
        seen[meta["slug"]] = relative
    return problems + _label_collisions(valid, root)


def _label_collisions(posts: list[Path], root: Path) -> list[Problem]:
    """이름은 다르지만 Material이 같은 주소로 만드는 태그·분류('C++'와 'C#'는 둘 다 tag:c): 두 글과 줄을 짚어.

    검사를 통과한 글에 씁니다."""
    problems: list[Problem] = []
    first: dict[tuple[str, str], tuple[str, Path, int]] = {}
    for path in posts:
        lines = _key_lines(split_front_matter(path.read_text(encoding="utf-8"))[0])
        meta, relative = read_front_matter(path), path.relative_to(root)
        for field in ("categories", "tags"):
            for label in meta[field]:
                slug = LABEL_SLUG(label, "-")
                name, where, line = first.setdefault((field, slug), (label, relative, lines[field]))
                if name != label:
                    problems.append(
                        _problem(
                            relative,
                            lines[field],
                            field,
                            f"{quoted(label)}는 {where}:{line}의 {quoted(name)}와 같은 주소({slug})가 "
                            "되어 한쪽이 사라집니다. 한 이름으로 맞추거나 주소가 다른 이름을 쓰세요",
                        )
                    )
    return problems
