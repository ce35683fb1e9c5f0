"""글 속 숫자 자리: 노트북이 save_numbers로 남긴 값으로 바꿉니다.

- `{{ <키> }}`: 글 자신의 동반 노트북(글의 slug와 같은 이름의 notebooks/<slug>.py)이 남긴 값.
- `{{ outputs/<노트북>/<키> }}`: 다른 노트북이 남긴 값(글 자신의 노트북도 이렇게 적을 수 있습니다).

틀린 자리(키 오타, 밑줄 `plain_ratio`, 없는 노트북, 동반 노트북이 없는 글의 짧은 꼴, 중괄호를 한 겹만
쓴 `{ key }`)는 글자 그대로 출판되는 대신 빌드를 멈춥니다.
울타리 코드 블록과 `인라인 코드` 안의 `{{ ... }}`는 글자이므로 그대로 둡니다.
그린 페이지에 `{{ ... }}`가 남았는지도 한 번 더 봅니다(--8<--로 끌어온 표처럼 글 밖에서 온 것까지).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from blogbuild import execution

PLACEHOLDER = re.compile(r"\{\{(?P<inside>.*?)\}\}")
NUMBER = re.compile(r"^\s*outputs/(?P<notebook>[a-z0-9-]+)/(?P<key>[a-z0-9-]+)\s*$")
OWN_NUMBER = re.compile(r"^\s*(?P<key>[a-z0-9-]+)\s*$")  # 짧은 꼴: 글 자신의 노트북
# 중괄호를 한 겹만 쓴 숫자 자리(`{ key }`, `{{ key }`): 고치지 않으면 글자 그대로 출판됩니다. 안쪽에 빈칸이
# 있는 것만 봅니다: 수식의 `n^{b}`, 속성 목록 `{ #ref-1 }`·`{ value="4" }`은 이 꼴이 아닙니다.
SINGLE_BRACE = re.compile(
    r"(?<!\{)\{{1,2}\s+(?P<inside>(?:outputs/[a-z0-9_-]+/)?[a-z0-9_-]+)\s+\}{1,2}(?!\})"
)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
INLINE_MATH = re.compile(r"\$[^$]+\$")
# 그린 HTML에서 코드(글자 그대로 보여 주는 곳)를 뺀 나머지를 봅니다.
CODE_HTML = re.compile(r"<(pre|code|script)\b.*?</\1>", re.DOTALL)


class PlaceholderError(ValueError):
    """틀린 숫자 자리: 파일과 줄을 짚은 메시지."""


def _numbers(outputs_root: Path, notebook: str, cache: dict[str, dict]) -> dict:
    if notebook not in cache:
        path = outputs_root / notebook / "numbers.json"
        cache[notebook] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return cache[notebook]


def companion_notebook(slug: object, root: Path) -> str | None:
    """글의 동반 노트북 이름: 글의 slug와 같은 이름의 notebooks/<slug>.py가 있으면 slug, 없으면 None."""
    if isinstance(slug, str) and execution.notebook_source(root, slug).is_file():
        return slug
    return None


def substitute(
    markdown: str,
    outputs_root: Path,
    where: str,
    first_line: int = 1,
    own_notebook: str | None = None,
) -> str:
    """markdown의 숫자 자리를 값으로 바꾼 글. 틀린 자리가 있으면 모두 모아 PlaceholderError.

    where는 메시지에 쓸 파일 이름, first_line은 markdown의 첫 줄이 그 파일의 몇째 줄인지,
    own_notebook은 짧은 꼴 `{{ <키> }}`가 가리키는 글 자신의 노트북입니다(없으면 None).
    """
    cache: dict[str, dict] = {}
    problems: list[str] = []
    out: list[str] = []
    fence: str | None = None
    in_math = False
    for number, line in enumerate(markdown.split("\n"), start=first_line):
        opened = FENCE.match(line)
        if fence or opened:
            if fence is None:
                fence = opened.group(1)
            elif opened and opened.group(1).startswith(fence):
                fence = None
            out.append(line)
            continue
        # 수식($$ 블록과 $...$)의 중괄호는 수식입니다.
        in_math ^= line.count("$$") % 2 == 1
        if "{" not in line:  # 숫자 자리도 한 겹 중괄호도 없는 줄(글의 대부분)은 훑지 않습니다
            out.append(line)
            continue
        code = [m.span() for m in INLINE_CODE.finditer(line)]

        def replace(match: re.Match, number: int = number, code: list = code) -> str:
            if any(start <= match.start() < end for start, end in code):
                return match[0]
            long, short = NUMBER.match(match["inside"]), OWN_NUMBER.match(match["inside"])
            if long:
                notebook, key = long["notebook"], long["key"]
            elif short and own_notebook:
                notebook, key = own_notebook, short["key"]
            elif short:
                problems.append(
                    f"{where}:{number}: '{match[0]}': 짧은 꼴은 글 자신의 동반 노트북(글의 slug와 같은 "
                    "이름의 notebooks/<slug>.py)이 남긴 값을 가리키는데, 이 글에는 그런 노트북이 "
                    "없습니다. 다른 노트북의 값은 {{ outputs/<노트북>/<키> }}로 적으세요"
                )
                return match[0]
            else:
                problems.append(
                    f"{where}:{number}: '{match[0]}'는 숫자 자리의 꼴이 아닙니다: "
                    "{{ <키> }}(글 자신의 노트북의 값) 또는 {{ outputs/<노트북>/<키> }} "
                    "(노트북과 키는 소문자·숫자·하이픈)"
                )
                return match[0]
            if not execution.notebook_source(outputs_root.parent.parent, notebook).is_file():
                problems.append(
                    f"{where}:{number}: '{match[0]}': notebooks/{notebook}.py가 없습니다. "
                    "build/outputs/에 남은 값은 지난 빌드의 것이라 깨끗한 빌드(CI)에는 없습니다: "
                    "있는 노트북의 값을 쓰세요"
                )
                return match[0]
            numbers = _numbers(outputs_root, notebook, cache)
            if key not in numbers:
                known = ", ".join(sorted(numbers)) or "없음"
                problems.append(
                    f"{where}:{number}: '{match[0]}': notebooks/{notebook}.py가 "
                    f"save_numbers로 남긴 키가 아닙니다 (있는 키: {known})"
                )
                return match[0]
            return str(numbers[key])

        math = [(0, len(line))] if in_math or "$$" in line else []
        math += [m.span() for m in INLINE_MATH.finditer(line)]
        for match in SINGLE_BRACE.finditer(line):
            if match[0].count("{") + match[0].count("}") < 4 and not any(
                start <= match.start() < end for start, end in code + math
            ):
                problems.append(
                    f"{where}:{number}: '{match[0]}': 숫자 자리는 중괄호를 두 겹으로 씁니다: "
                    f"{{{{ {match['inside']} }}}}"
                )
        out.append(PLACEHOLDER.sub(replace, line))
    if problems:
        raise PlaceholderError("\n".join(problems))
    return "\n".join(out)


def leftovers(html: str) -> list[str]:
    """그린 페이지에서 코드 밖에 남은 `{{ ... }}`들."""
    return [m[0] for m in PLACEHOLDER.finditer(CODE_HTML.sub("", html))]
