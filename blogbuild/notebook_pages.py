"""동반 노트북 페이지: 사이트에 싣는 실행된 노트북(.ipynb)을 글 페이지와 같은 Markdown 페이지로 씁니다.

페이지(build/notebooks/<이름>.md, 주소 notebooks/<이름>/)는 사이트 생성기가 글처럼 그립니다: 같은 코드
강조·복사 단추·목차·검사(active_content)를 받고, 다른 도구가 만든 HTML을 고치는 일이 없습니다.

- Markdown 셀은 그대로 싣습니다. 글의 주소처럼 사이트 안을 가리키는 링크(links)는 그 글의 .md로 바꿔
  생성기가 이 페이지에서 닿는 상대 주소로 그리고 검사하게 합니다.
- 코드 셀은 ```python 블록, 글자 출력(stream, text/plain)은 ```text 블록입니다. 울타리는 안의 어떤
  백틱보다 길게 고릅니다(출력은 기여자의 것이라 ```를 담을 수 있음).
- 그림 출력(PNG·JPEG·SVG)은 페이지 옆의 파일(build/notebooks/<이름>/<내용의 해시>.<확장자>: 내려받는
  .ipynb와 같은 디렉터리, 사이트에서는 페이지와 같은 notebooks/<이름>/)로 쓰고, 사본이
  그림마다 적어 둔 alt(blogbuild/notebook_publish.py)로 보여 줍니다.
- HTML 출력은 날것의 HTML로 싣되, 실행될 수 있는 것(스크립트, 이벤트 처리기, 스타일)이 Markdown 셀이나
  출력에 있으면 셀 번호를 짚어 멈춥니다. 그린 페이지도 글과 같이 한 번 더 검사됩니다(hooks.on_page_content).
- `--8<--`(pymdownx.snippets)는 글자로 보이게 이스케이프합니다: 노트북의 어느 칸도 저장소의 파일을 끌어오지
  못합니다.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from blogbuild import active_content, atomic, execution
from blogbuild.notebook_publish import SETUP_PREFIX

if TYPE_CHECKING:  # nbformat은 페이지를 쓸 때만 불러옵니다(입력이 그대로인 빌드는 쓰지 않습니다)
    import nbformat

IMAGE_SUFFIXES = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}
IMAGE_FILE = re.compile(r"[0-9a-f]{16}\.(?:png|jpg|svg)")  # 이 모듈이 쓰는 그림 파일의 이름
# pymdownx.snippets가 읽는 표시(--8<--, 줄 처음의 것도 줄 속의 구간 표시도). 앞에 ;를 하나 더하면 그 확장이
# ;를 하나 떼고 글자 그대로 둡니다.
SNIPPET_MARKER = re.compile(r"(?<!-)(?=-+8<-)")
BACKTICKS = re.compile(r"`+")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class NotebookPageError(ValueError):
    """노트북 페이지를 안전하게 실을 수 없을 때: 노트북과 셀 번호, 무엇이 문제인지."""


def ipynb_uri(name: str) -> str:
    """사이트에 싣는 .ipynb의 경로(build/ 아래이자 사이트 안): 페이지(notebooks/<이름>/) 옆의 내려받는 파일.
    배포가 notebooks 가지에 올리는 파일이고, 그 디렉터리에 페이지의 그림도 놓입니다."""
    return f"notebooks/{name}/{name}.ipynb"


def _literal(text: str) -> str:
    """pymdownx.snippets가 파일을 끌어오지 않고 글자 그대로 두게 합니다."""
    return SNIPPET_MARKER.sub(";", text)


def _fenced(text: str, language: str) -> str:
    """울타리 코드 블록. 울타리는 text 안의 어떤 백틱 줄보다 깁니다."""
    fence = "`" * max([3, *(len(run) + 1 for run in BACKTICKS.findall(text))])
    return f"{fence}{language}\n{_literal(text.rstrip())}\n{fence}"


def _output_text(text: str) -> str:
    """글자 출력: 코드 셀과 구별되게 notebook-output 클래스가 붙은 text 블록(터미널 색 부호는 뺍니다)."""
    return _fenced(ANSI.sub("", text), "{ .text .notebook-output }")


def _size(kind: str, content: bytes, width: object) -> str:
    """그림의 width·height 속성: 노트북이 적은 보이는 폭(metadata의 width)과, PNG면 그 가로세로 비의 높이.
    불러오기 전에 자리를 잡아 두어 글이 밀리지 않습니다."""
    if not isinstance(width, int) or isinstance(width, bool) or width <= 0:
        return ""
    if kind == "image/png" and content[12:16] == b"IHDR":
        natural_width = int.from_bytes(content[16:20], "big")
        natural_height = int.from_bytes(content[20:24], "big")
        if natural_width:
            return f' width="{width}" height="{round(width * natural_height / natural_width)}"'
    return f' width="{width}"'


def _image_bytes(data: object, kind: str) -> bytes:
    """그림 출력의 바이트. 노트북이 데이터를 직접 만들 수 있으므로 글자가 아니거나 base64가 아니면 ValueError."""
    if not isinstance(data, str):
        raise ValueError(f"그림 출력({kind})의 데이터가 글자가 아닙니다")
    if kind == "image/svg+xml":
        return data.encode("utf-8")
    try:
        return base64.b64decode("".join(data.split()), validate=True)
    except ValueError:  # binascii.Error, 또는 ASCII가 아닌 글자
        raise ValueError(f"그림 출력({kind})의 데이터가 base64가 아닙니다") from None


def _image(output: nbformat.NotebookNode, kind: str, name: str, alt: str) -> tuple[str, str, bytes]:
    """(Markdown 그림, 파일 이름, 파일의 바이트). 파일 이름은 내용의 해시라 같은 그림은 한 파일입니다."""
    content = _image_bytes(output.data[kind], kind)
    file = f"{hashlib.sha256(content).hexdigest()[:16]}.{IMAGE_SUFFIXES[kind]}"
    # 그림의 대괄호와 역슬래시는 글자로(alt는 Markdown으로 그려지지 않고 그대로 속성이 됩니다)
    escaped = re.sub(r"([\\\[\]])", r"\\\1", " ".join(alt.split()))
    size = _size(kind, content, output.get("metadata", {}).get(kind, {}).get("width"))
    return f'![{escaped}]({name}/{file}){{{size} loading="lazy" decoding="async" }}', file, content


def _text(data: dict, kind: str, number: int, name: str) -> str:
    """글자 출력의 내용. 노트북이 데이터를 직접 만들 수 있으므로 글자가 아니면 셀을 짚어 멈춥니다."""
    if not isinstance(data[kind], str):
        raise NotebookPageError(
            f"notebooks/{name}.py: 셀 {number}번: 출력({kind})의 데이터가 글자가 아닙니다. "
            "출력은 print나 셀의 마지막 식으로 보이세요"
        )
    return data[kind]


def _outputs(
    cell: nbformat.NotebookNode, number: int, name: str, images: dict[str, bytes]
) -> tuple[list[str], list[active_content.Finding]]:
    """코드 셀의 출력들을 Markdown 조각으로: (조각들, HTML 출력에서 찾은 실행될 것들)."""
    parts, findings = [], []
    for output in execution.merged_streams(cell.get("outputs", [])):
        kind = output.output_type
        if kind == "stream":
            parts.append(_output_text(output.text))
        elif kind == "error":  # 실패한 노트북은 실행 단계에서 멈추므로 보통은 없습니다
            parts.append(_output_text("\n".join(output.traceback)))
        elif kind in {"display_data", "execute_result"}:
            data = output.get("data", {})
            image = next((k for k in IMAGE_SUFFIXES if k in data), None)
            if image:
                alt = output.get("metadata", {}).get(image, {}).get("alt")
                if not isinstance(alt, str) or not alt.strip():
                    alt = f"셀 {number}번의 그림"
                try:
                    markdown, file, content = _image(output, image, name, alt)
                except ValueError as error:
                    raise NotebookPageError(
                        f"notebooks/{name}.py: 셀 {number}번: {error}. 그림은 matplotlib 그림을 보이거나 "
                        "save_plot으로 만드세요"
                    ) from None
                images[file] = content
                parts.append(markdown)
            elif "text/html" in data:
                html = _text(data, "text/html", number, name)
                findings += active_content.in_html(html)
                parts.append(f'<div class="notebook-output">\n{_literal(html)}\n</div>')
            elif "text/plain" in data:
                parts.append(_output_text(_text(data, "text/plain", number, name)))
    return parts, findings


def page_markdown(
    nb: nbformat.NotebookNode, name: str, links: Mapping[str, str]
) -> tuple[str, dict[str, bytes]]:
    """사이트에 싣는 노트북 nb의 페이지: (Markdown 글, {그림 파일 이름: 바이트}).

    페이지는 build/notebooks/<name>.md에, 그림은 그 옆 <name>/ 디렉터리에 놓인다고 보고 씁니다.
    links는 Markdown 셀의 링크 주소를 바꿀 표입니다(글의 절대 주소 → 이 페이지에서 본 글의 .md).
    Markdown 셀이나 HTML 출력에 실행될 수 있는 것이 있으면 셀 번호를 짚어 NotebookPageError를 냅니다.
    셀 번호는 notebooks/<name>.py의 셀 차례입니다(사본에 빌드가 더한 셀은 세지 않습니다).
    """
    # 빈 앞머리: 첫 셀의 첫 줄이 `---`나 `key: value`여도 생성기가 앞머리로 읽지 않고, 첫 셀의 `# 제목`이
    # 페이지의 첫 요소로 남아 제목이 됩니다(앞에 다른 것이 있으면 생성기는 파일 이름을 제목으로 씁니다).
    parts = [f"---\n# notebooks/{name}.py를 실행한 노트북에서 빌드가 만든 페이지\n{{}}\n---"]
    images: dict[str, bytes] = {}
    problems: list[tuple[int, active_content.Finding]] = []
    number = 0
    for cell in nb.cells:
        if not str(cell.get("id", "")).startswith(SETUP_PREFIX):
            number += 1
        if cell.cell_type == "markdown":
            source = cell.source
            for url, target in links.items():
                source = source.replace(f"]({url})", f"]({target})")
            problems += [(number, f) for f in active_content.in_markdown(source)]
            parts.append(_literal(source))
        elif cell.cell_type == "code":
            if cell.source.strip():
                parts.append(_fenced(cell.source, "{ .python .notebook-input }"))
            shown, found = _outputs(cell, number, name, images)
            parts += shown
            problems += [(number, f) for f in found]
        elif cell.source.strip():  # raw 셀: Jupyter가 보여 주듯 글자 그대로
            parts.append(_fenced(cell.source, "text"))
    if problems:
        listed = [f"  셀 {cell}번: {finding.what}" for cell, finding in problems]
        raise NotebookPageError(
            f"notebooks/{name}.py: 노트북의 출력이나 Markdown 셀이 브라우저에서 실행될 수 있는 내용을 "
            "싣습니다:\n"
            + "\n".join([*listed, *active_content.how_to_fix([f for _, f in problems])])
        )
    return "\n\n".join(parts) + "\n", images


def write_page(published: Path, name: str, links: Mapping[str, str]) -> list[Path]:
    """사이트에 싣는 노트북 published(build/notebooks/<name>/<name>.ipynb)의 페이지(build/notebooks/<name>.md)와
    그 그림들(published 옆)을 씁니다(바뀐 것만). 돌려주는 것은 그림 파일들의 경로입니다.

    지난 빌드가 쓴 그림 가운데 이제 없는 것은 지웁니다(이 모듈이 지은 이름의 파일만: 다른 빌드가 쓰는 중인
    임시 파일과 .ipynb는 건드리지 않습니다).
    """
    import nbformat

    text, images = page_markdown(nbformat.read(published, as_version=4), name, links)
    directory = published.parent
    atomic.write_if_changed(directory.parent / f"{name}.md", text.encode("utf-8"))
    paths = [directory / file for file in sorted(images)]
    for path in paths:
        atomic.write_if_changed(path, images[path.name])
    for old in directory.iterdir():
        if IMAGE_FILE.fullmatch(old.name) and old not in paths:
            old.unlink(missing_ok=True)
    return paths
