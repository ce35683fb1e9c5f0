"""글(post) 앞머리(front matter) 검사.

Material 블로그 플러그인은 빠진 필드를 조용히 넘기거나 영어 오류를 냅니다. 여기서는 글쓴이가 바로
고칠 수 있도록, 파일·필드·올바른 예를 한 줄에 담은 오류를 돌려줍니다.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXCERPT_BREAK = "<!-- more -->"

# 필드마다 올바른 예: 오류 메시지에 그대로 붙입니다.
EXAMPLES = {
    "date": "date: 2025-01-04",
    "slug": "slug: masked-multi-head-attention",
    "description": "description: 디코더가 미래 토큰을 보지 못하게 하는 마스크 멀티 헤드 어텐션을 코드로 살펴봅니다.",
    "categories": "categories:\n  - 트랜스포머",
    "tags": "tags:\n  - 어텐션",
}
DESCRIPTION_LENGTH = (20, 160)


class _TextDates(yaml.SafeLoader):
    """날짜를 문자열 그대로 읽는 로더: 잘못된 날짜(2025-13-45)도 'date' 필드의 문제로 알리려고."""


_TextDates.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _is_date(value: object) -> bool:
    try:
        dt.datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Problem:
    """검사에서 찾은 문제 하나: 어느 파일의 어느 필드(또는 줄)가 왜 틀렸는지."""

    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        example = EXAMPLES.get(self.field)
        hint = (
            f"\n    올바른 예:\n      {example.replace(chr(10), chr(10) + '      ')}"
            if example
            else ""
        )
        return f"{self.path}: 앞머리 필드 '{self.field}': {self.message}{hint}"


def split_front_matter(text: str) -> tuple[str | None, str]:
    """'---'로 둘러싼 YAML 앞머리와 본문을 나눕니다. 앞머리가 없으면 (None, 본문)."""
    match = re.match(r"^---\s*\n(.*?\n)---\s*\n", text, flags=re.DOTALL)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


def read_front_matter(path: Path) -> dict:
    """글의 앞머리를 사전으로 읽습니다(날짜는 문자열 그대로). 검사를 통과한 글에 씁니다."""
    raw, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return yaml.load(raw or "", Loader=_TextDates) or {}


def check_post(path: Path, root: Path) -> list[Problem]:
    """글 하나의 앞머리와 요약 구분선(excerpt break)을 검사해 문제 목록을 돌려줍니다.

    메시지의 경로는 저장소 뿌리(root)에서 본 상대 경로입니다.
    """
    text = path.read_text(encoding="utf-8")
    path = path.relative_to(root)
    raw, body = split_front_matter(text)
    if raw is None:
        return [Problem(path, "---", "파일이 '---'로 시작하는 YAML 앞머리로 시작해야 합니다")]
    try:
        meta = yaml.load(raw, Loader=_TextDates) or {}
    except yaml.YAMLError as error:
        return [Problem(path, "---", f"YAML로 읽을 수 없습니다: {error}")]
    if not isinstance(meta, dict):
        return [Problem(path, "---", "앞머리는 'key: value' 목록이어야 합니다")]

    problems = []
    date = meta.get("date")
    if not _is_date(date):
        problems.append(Problem(path, "date", f"YYYY-MM-DD 날짜여야 합니다 (지금: {date!r})"))
    slug = meta.get("slug")
    if not (isinstance(slug, str) and SLUG.match(slug)):
        problems.append(
            Problem(
                path, "slug", f"ASCII 소문자·숫자·하이픈으로 된 이름이어야 합니다 (지금: {slug!r})"
            )
        )
    description = meta.get("description")
    low, high = DESCRIPTION_LENGTH
    if not (isinstance(description, str) and low <= len(description.strip()) <= high):
        problems.append(
            Problem(
                path,
                "description",
                f"{low}~{high}자의 한 문장이어야 합니다 (지금: {description!r})",
            )
        )
    for field in ("categories", "tags"):
        value = meta.get(field)
        if not (isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)):
            problems.append(
                Problem(path, field, f"비어 있지 않은 문자열 목록이어야 합니다 (지금: {value!r})")
            )
    if body.count(EXCERPT_BREAK) != 1:
        problems.append(
            Problem(path, EXCERPT_BREAK, "첫 문단 뒤에 요약 구분선이 정확히 한 번 있어야 합니다")
        )
    if not re.search(r"^# \S", body, flags=re.MULTILINE):
        problems.append(Problem(path, "# 제목", "본문에 '# 제목' 한 줄이 있어야 합니다"))
    return problems


def check_posts(posts: list[Path], root: Path) -> list[Problem]:
    """모든 글을 검사하고, 글끼리 slug가 겹치지 않는지도 봅니다."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in posts:
        found = check_post(path, root)
        problems += found
        if found:
            continue
        meta = read_front_matter(path)
        relative = path.relative_to(root)
        if meta["slug"] in seen:
            problems.append(
                Problem(
                    relative, "slug", f"'{meta['slug']}'는 {seen[meta['slug']]}에서 이미 씁니다"
                )
            )
        seen[meta["slug"]] = relative
    return problems
