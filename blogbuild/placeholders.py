"""글 속 노트북 결과의 자리: 노트북이 결과 목록(manifest.json, blogbuild/manifest.py)에 남긴 숫자·표·그림.

- `{{ outputs/<노트북>/<이름> }}`: 그 노트북이 남긴 결과(글 자신의 노트북도 이렇게 적을 수 있습니다).
- `{{ <이름> }}`: 글 자신의 동반 노트북(글의 slug와 같은 이름의 notebooks/<slug>.py)이 남긴 결과.

숫자는 문장 안에서 값으로 바뀝니다. 표(save_table)와 글자 블록(save_text)과 그림(save_plot, save_diagram)과
어텐션 그림(save_attention)은 한 줄에 혼자 쓰고(들여쓰기는 자유: ??? 블록과 탭 안에서도), 표는 그 Markdown으로,
그림은 번호 붙은 <figure>(figures.render_figures가 결과 목록의 대체 텍스트와 캡션으로 그립니다)로, 어텐션
그림은 헤드마다의 가중치 표를 든 <figure>(attention_figure.render)로 바뀝니다.

틀린 자리(이름 오타, 밑줄 `plain_ratio`, 없는 노트북, 동반 노트북이 없는 글의 짧은 꼴, 문장 안의 표·그림,
혼자 한 줄에 있는 숫자, 중괄호를 한 겹만 쓴 `{ key }`)는 글자 그대로 출판되는 대신 빌드를 멈춥니다.
예전의 두 꼴(그림을 경로로 `![…](../../outputs/…svg "…")`, 표를 `--8<-- "build/outputs/….md"`로)은
old_syntax_problems가 새로 쓸 줄을 보여 주며 멈춥니다.
울타리 코드 블록과 `인라인 코드` 안의 `{{ ... }}`는 글자이므로 그대로 둡니다.
그린 페이지에 `{{ ... }}`가 남았는지도 한 번 더 봅니다(--8<--로 끌어온 표처럼 글 밖에서 온 것까지).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from blogbuild import attention_figure, execution, figures, manifest, snippet_refs
from blogbuild.manifest import Output
from blogbuild.problems import Problem

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
# 예전 꼴의 표: --8<-- "build/outputs/<노트북>/<이름>.md"
GENERATED_TABLE = re.compile(r"^build/outputs/(?P<notebook>[^/]+)/(?P<name>[^/]+)\.md$")
TAB_LENGTH = 4  # pymdownx.snippets가 --8<-- 줄의 들여쓰기를 펼치던 탭 폭(Markdown의 tab_length)


class PlaceholderError(ValueError):
    """틀린 자리: 파일과 줄을 짚은 메시지."""


def _outputs(outputs_root: Path, notebook: str, cache: dict[str, dict]) -> dict[str, Output]:
    if notebook not in cache:
        cache[notebook] = manifest.load(outputs_root, notebook)
    return cache[notebook]


def companion_notebook(slug: object, root: Path) -> str | None:
    """글의 동반 노트북 이름: 글의 slug와 같은 이름의 notebooks/<slug>.py가 있으면 slug, 없으면 None."""
    if isinstance(slug, str) and execution.notebook_source(root, slug).is_file():
        return slug
    return None


def outputs_prefix(src_uri: str) -> str:
    """docs/ 아래 페이지(src_uri)에서 본 노트북 결과(outputs/)의 상대 경로: 글이면 '../../outputs/'."""
    return posixpath.relpath("outputs", posixpath.dirname(src_uri) or ".") + "/"


def nearest_first(name: str, outputs: dict[str, Output], limit: int = 12) -> str:
    """있는 이름들을 name에 가까운 것부터: 'plain-ratio(숫자), gradient-norm-per-layer(그림), …'."""
    ranked = sorted(
        outputs.values(),
        key=lambda o: (-difflib.SequenceMatcher(None, name, o.name).ratio(), o.name),
    )
    shown = ", ".join(f"{o.name}({manifest.KIND_WORDS[o.kind]})" for o in ranked[:limit])
    return (shown + (f" 외 {len(ranked) - limit}개" if len(ranked) > limit else "")) or "없음"


# 그림 한 줄이 바뀔 것을 정하는 함수: 결과 목록의 그림 항목 → Markdown이나 HTML 한 줄.
FigureLine = Callable[[Output], str]


def _block(
    output: Output, indent: str, outputs_root: Path, prefix: str, figure: FigureLine | None
) -> str:
    """한 줄에 혼자 쓴 표·글자 블록·그림이 바뀔 Markdown: 줄마다 그 줄의 들여쓰기를 붙이고, 앞뒤 글과
    한 문단으로 붙지 않게 빈 줄로 감쌉니다(이미 빈 줄이 있으면 그린 페이지는 같습니다)."""
    if output.kind == "figure" and figure is not None:
        lines = [figure(output)]  # 준비된 트리: 다 그린 <figure>(figures.figure_html)
    elif output.kind == "figure":
        # 그림만 든 문단: figures.render_figures가 결과 목록의 대체 텍스트와 캡션으로 <figure>를 그립니다.
        lines = [f"![]({prefix}{output.variant('light')})"]
    elif output.kind == "attention":
        # 빈 줄 없는 HTML 한 덩이(Markdown이 그대로 둡니다). 번호는 figures.render_figures가 매깁니다.
        lines = attention_figure.render(
            list(output.tokens), [list(map(list, head)) for head in output.weights], output.caption
        ).splitlines()
    else:
        lines = (outputs_root / output.notebook / output.file).read_text("utf-8").splitlines()
    return "\n".join(indent + line for line in ["", *lines, ""])


def markdown_lines(markdown: str) -> Iterator[tuple[str, bool]]:
    """markdown의 줄마다 (줄, 울타리 코드 블록의 줄인지). 코드 블록의 `{{ ... }}`는 글자입니다."""
    fence: str | None = None
    for line in markdown.split("\n"):
        opened = FENCE.match(line)
        if fence or opened:
            if fence is None:
                fence = opened.group(1)
            elif opened and opened.group(1).startswith(fence):
                fence = None
            yield line, True
        else:
            yield line, False


def substitute(
    markdown: str,
    outputs_root: Path,
    where: str,
    first_line: int = 1,
    own_notebook: str | None = None,
    prefix: str = "../../outputs/",
    figure: FigureLine | None = None,
) -> str:
    """markdown의 결과 자리를 채운 글. 틀린 자리가 있으면 모두 모아 PlaceholderError.

    where는 메시지에 쓸 파일 이름, first_line은 markdown의 첫 줄이 그 파일의 몇째 줄인지,
    own_notebook은 짧은 꼴 `{{ <이름> }}`이 가리키는 글 자신의 노트북(없으면 None), prefix는 그 페이지에서
    본 outputs/의 경로(outputs_prefix)입니다. figure가 있으면 그림 한 줄을 `![](경로)` 대신 그 함수가
    돌려준 것으로 바꿉니다(생성기 밖에서 그림을 다 그려 두는 준비된 트리, blogbuild/prepared_tree.py).
    """
    cache: dict[str, dict] = {}
    problems: list[str] = []
    out: list[str] = []
    in_math = False
    for number, (line, fenced) in enumerate(markdown_lines(markdown), start=first_line):
        if fenced:
            out.append(line)
            continue
        # 수식($$ 블록과 $...$)의 중괄호는 수식입니다.
        in_math ^= line.count("$$") % 2 == 1
        if "{" not in line:  # 숫자 자리도 한 겹 중괄호도 없는 줄(글의 대부분)은 훑지 않습니다
            out.append(line)
            continue
        code = [m.span() for m in INLINE_CODE.finditer(line)]

        def replace(
            match: re.Match, number: int = number, code: list = code, line: str = line
        ) -> str:
            if any(start <= match.start() < end for start, end in code):
                return match[0]
            long, short = NUMBER.match(match["inside"]), OWN_NUMBER.match(match["inside"])
            if long:
                notebook, name = long["notebook"], long["key"]
            elif short and own_notebook:
                notebook, name = own_notebook, short["key"]
            elif short:
                problems.append(
                    f"{where}:{number}: '{match[0]}': 짧은 꼴은 글 자신의 동반 노트북(글의 slug와 같은 "
                    "이름의 notebooks/<slug>.py)이 남긴 결과를 가리키는데, 이 글에는 그런 노트북이 "
                    "없습니다. 다른 노트북의 결과는 {{ outputs/<노트북>/<이름> }}으로 적으세요"
                )
                return match[0]
            else:
                problems.append(
                    f"{where}:{number}: '{match[0]}'는 결과 자리의 꼴이 아닙니다: "
                    "{{ <이름> }}(글 자신의 노트북의 결과) 또는 {{ outputs/<노트북>/<이름> }} "
                    "(노트북과 이름은 소문자·숫자·하이픈)"
                )
                return match[0]
            if not execution.notebook_source(outputs_root.parent.parent, notebook).is_file():
                problems.append(
                    f"{where}:{number}: '{match[0]}': notebooks/{notebook}.py가 없습니다. "
                    "build/outputs/에 남은 결과는 지난 빌드의 것이라 깨끗한 빌드(CI)에는 없습니다: "
                    "있는 노트북의 결과를 쓰세요"
                )
                return match[0]
            try:
                outputs = _outputs(outputs_root, notebook, cache)
            except manifest.ManifestError as error:
                problems.append(f"{where}:{number}: '{match[0]}': {error}")
                return match[0]
            output = outputs.get(name)
            if output is None:
                problems.append(
                    f"{where}:{number}: '{match[0]}': notebooks/{notebook}.py가 남긴 결과의 이름이 "
                    f"아닙니다 (있는 이름, 가까운 것부터: {nearest_first(name, outputs)})"
                )
                return match[0]
            alone = line.strip() == match[0]
            if output.kind == "number" and alone:
                blocks = [o.name for o in outputs.values() if o.kind != "number"]
                problems.append(
                    f"{where}:{number}: '{match[0]}': 숫자가 한 줄에 혼자 있습니다. 숫자는 문장 안에 "
                    "씁니다. 그림이나 표를 실으려던 것이면 그 이름을 쓰세요 "
                    f"(notebooks/{notebook}.py의 그림·표: {', '.join(blocks) or '없음'})"
                )
                return match[0]
            if output.kind == "number":
                return str(output.value)
            if not alone:
                indent = line[: len(line) - len(line.lstrip())]
                problems.append(
                    f"{where}:{number}: '{match[0]}': {output.described}는 문장 안에 실을 수 없습니다: "
                    f"앞뒤 글과 떼어 한 줄에 혼자 쓰세요: '{indent}{match[0]}'"
                )
                return match[0]
            indent = line[: len(line) - len(line.lstrip())].expandtabs(TAB_LENGTH)
            return _block(output, indent, outputs_root, prefix, figure)[len(indent) :]

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


def shown_outputs(markdown: str, outputs_root: Path, own_notebook: str | None) -> list[Output]:
    """글이 한 줄에 혼자 쓴 결과들(표, 글자 블록, 그림), 글의 차례대로. 코드 블록 안은 글자이므로 뺍니다.

    이름을 알 수 없는 줄은 건너뜁니다(substitute가 그 줄을 짚어 멈춥니다).
    """
    found: list[Output] = []
    for line, fenced in markdown_lines(markdown):
        alone = not fenced and PLACEHOLDER.fullmatch(line.strip())
        long = alone and NUMBER.match(alone["inside"])
        short = alone and OWN_NUMBER.match(alone["inside"])
        notebook, name = (
            (long["notebook"], long["key"]) if long else (own_notebook, short and short["key"])
        )
        if notebook and name:
            output = manifest.load(outputs_root, notebook).get(name)
            if output is not None and output.kind != "number":
                found.append(output)
    return found


def leftovers(html: str) -> list[str]:
    """그린 페이지에서 코드 밖에 남은 `{{ ... }}`들."""
    return [m[0] for m in PLACEHOLDER.finditer(CODE_HTML.sub("", html))]


def old_syntax_problems(pages: list[Path], root: Path) -> list[Problem]:
    """pages(docs/의 Markdown)에서 예전 두 꼴로 노트북 결과를 싣는 줄마다, 새로 쓸 줄을 보여 주는 문제 하나.

    그림을 경로로(`![대체 텍스트](../../outputs/<노트북>/<이름>.svg "캡션")`): 대체 텍스트와 캡션은 이제
    노트북이 그림을 저장할 때 한 번 적습니다. 표를 `--8<-- "build/outputs/<노트북>/<이름>.md"`로.
    """
    return [problem for page in pages for problem in _old_syntax(page, root)]


def _old_syntax(page: Path, root: Path) -> list[Problem]:
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    where = page.relative_to(root)
    problems = []

    def new_line(number: int, notebook: str, name: str) -> str:
        line = lines[number - 1]
        return line[: len(line) - len(line.lstrip())] + f"{{{{ outputs/{notebook}/{name} }}}}"

    for match in figures.MARKDOWN_IMAGE.finditer(text):
        figure = figures.NOTEBOOK_FIGURE.search(match["src"])
        if figure is None:
            continue
        number = text.count("\n", 0, match.start()) + 1
        notebook, name = figure["notebook"], figure["name"]
        problems.append(
            Problem(
                where,
                number,
                f"노트북의 그림은 이제 결과 이름 한 줄로 싣습니다: 이 줄을 "
                f"'{new_line(number, notebook, name)}'로 바꾸고, 대체 텍스트와 캡션은 "
                f'notebooks/{notebook}.py의 save_plot("{name}", ..., alt="…", caption="…")'
                "(구조 그림은 save_diagram)으로 옮기세요 "
                f'(지금의 대체 텍스트: "{match["alt"].strip()}", 캡션: "{(match["title"] or "").strip()}")',
            )
        )
    for number, target in snippet_refs.references(text):
        table = GENERATED_TABLE.match(target)
        if table:
            problems.append(
                Problem(
                    where,
                    number,
                    f"'{target}': 노트북의 표는 이제 결과 이름 한 줄로 싣습니다: 이 줄을 "
                    f"'{new_line(number, table['notebook'], table['name'])}'로 바꾸세요",
                )
            )
    return problems
