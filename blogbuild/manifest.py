"""노트북의 결과 목록(build/outputs/<노트북>/manifest.json): 노트북이 글에 싣게 내놓은 것들.

노트북은 notebook_outputs의 저장 함수(save_numbers, save_table, save_text, save_plot, save_diagram)로
결과를 저장하고, 그 함수들이 이 목록에 이름과 종류를 적습니다(publish.record_output 하나가 씁니다).

    {"loss-curve": {"kind": "figure", "files": {"light": "loss-curve.svg", "dark": "loss-curve-dark.svg",
                                                 "narrow": ..., "narrow-dark": ...},
                    "alt": "그림에 무엇이 있는지", "caption": "그림이 말하는 것"},
     "steps": {"kind": "number", "value": "1,000"},
     "presets": {"kind": "table", "file": "presets.md"},
     "sample-after": {"kind": "text", "file": "sample-after.md"},
     "probe-attention": {"kind": "attention", "tokens": ["나", "는"], "weights": [[[0.7, 0.3], [0.4, 0.6]]],
                         "caption": "그림이 말하는 것"}}

글은 어느 것이든 {{ outputs/<노트북>/<이름> }}으로 싣습니다(placeholders.py). 목록은 노트북(기여자가 보낸
코드)이 쓴 파일이므로 빌드는 믿지 않고 검사합니다: JSON의 꼴, 이름의 규칙, 종류, 종류마다의 필드,
가리키는 파일이 그 노트북의 결과 디렉터리 안에 있는지, 그림의 대체 텍스트와 캡션. 틀리면 노트북과 항목,
고치는 법을 짚어 빌드를 멈춥니다.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from blogbuild import attention_figure, containment, execution

FILE_NAME = "manifest.json"
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# 종류 → 항목의 필드(kind 말고). 표와 글자 블록은 글에 Markdown 블록으로, 그림과 어텐션 그림은 번호 붙은
# <figure>로, 숫자는 문장 안에 실립니다. 어텐션 그림(attention)의 토큰과 헤드마다의 가중치는 항목 안에 있고,
# 검사와 그리기는 attention_figure.py가 합니다.
FIELDS = {
    "number": {"value"},
    "table": {"file"},
    "text": {"file"},
    "figure": {"files", "alt", "caption"},
    "attention": {"tokens", "weights", "caption"},
}
BLOCK_KINDS = ("table", "text")
VARIANTS = ("light", "dark", "narrow", "narrow-dark")
# 종류마다 노트북이 부르는 저장 함수: 메시지가 고치는 법을 그 함수로 말합니다.
SAVED_BY = {
    "number": "save_numbers(<이름>=값)",
    "table": 'save_table("<이름>", header, rows)',
    "text": 'save_text("<이름>", body)',
    "figure": 'save_plot("<이름>", draw, size, alt="…", caption="…")',
    "attention": 'save_attention("<이름>", tokens, weights, caption="…")',
}
KIND_WORDS = {
    "number": "숫자",
    "table": "표",
    "text": "글자 블록",
    "figure": "그림",
    "attention": "어텐션 그림",
}


class ManifestError(ValueError):
    """노트북의 결과 목록이 틀렸습니다: 노트북, 항목, 고치는 법을 짚은 줄들."""


@dataclass(frozen=True)
class Output:
    """결과 하나. value는 숫자의 값, file은 표·글자 블록의 파일 이름, files·alt·caption은 그림의 것,
    tokens·weights(·caption)는 어텐션 그림의 것."""

    notebook: str
    name: str
    kind: str
    value: str | int | float | None = None
    file: str | None = None
    files: tuple[
        tuple[str, str], ...
    ] = ()  # (벌, 파일 이름): light는 언제나 있고 나머지는 있을 때만
    alt: str = ""
    caption: str = ""
    tokens: tuple[str, ...] = ()
    weights: tuple = ()  # (헤드, 쿼리, 키)의 중첩 튜플

    def variant(self, which: str) -> str | None:
        """그림 한 벌의 outputs/ 아래 경로(<노트북>/<파일>), 없으면 None."""
        found = dict(self.files).get(which)
        return f"{self.notebook}/{found}" if found else None

    @property
    def described(self) -> str:
        """메시지에 쓰는 꼴: 'loss-curve'(그림)."""
        return f"'{self.name}'({KIND_WORDS[self.kind]})"


def path_of(outputs_root: Path, notebook: str) -> Path:
    return outputs_root / notebook / FILE_NAME


def _where(notebook: str) -> str:
    return f"notebooks/{notebook}.py: 결과 목록(build/outputs/{notebook}/{FILE_NAME})"


def _entry_problems(
    notebook: str, name: object, entry: object, directory: Path, root: Path
) -> list[str]:
    """항목 하나의 문제들(없으면 빈 목록)."""
    where = f"{_where(notebook)}의 항목 {name!r}"
    if not isinstance(name, str) or not NAME.match(name):
        return [
            f"{where}: 이름은 소문자·숫자를 하이픈으로 이은 꼴이어야 합니다(예: 'loss-curve'). "
            "notebook_outputs의 저장 함수에 그런 이름을 주세요(save_numbers는 키의 _를 -로 바꿉니다)"
        ]
    if not isinstance(entry, dict) or entry.get("kind") not in FIELDS:
        kind = entry.get("kind") if isinstance(entry, dict) else entry
        return [
            f"{where}: 모르는 종류입니다 (kind: {kind!r}). 종류는 {', '.join(FIELDS)} 가운데 하나이고, "
            "목록은 손으로 쓰지 말고 notebook_outputs의 저장 함수로 남기세요"
        ]
    kind = entry["kind"]
    fields = set(entry) - {"kind"}
    if fields != FIELDS[kind]:
        missing, extra = sorted(FIELDS[kind] - fields), sorted(fields - FIELDS[kind])
        said = [f"없는 필드: {', '.join(missing)}"] * bool(missing) + [
            f"모르는 필드: {', '.join(extra)}"
        ] * bool(extra)
        return [
            f"{where}({KIND_WORDS[kind]}): {'; '.join(said)}. {KIND_WORDS[kind]}의 필드는 "
            f"{', '.join(sorted(FIELDS[kind]))}입니다: {SAVED_BY[kind].replace('<이름>', name)}로 저장하세요"
        ]
    problems = []
    if kind == "number":
        value = entry["value"]
        if not isinstance(value, str | int | float):
            problems.append(
                f"{where}(숫자): 값은 문자열이나 수여야 합니다 (지금: {json.dumps(value)[:80]})"
            )
    elif kind in BLOCK_KINDS:
        problems += _file_problems(where, entry["file"], ".md", directory, root)
    elif kind == "attention":
        problems += attention_figure.problems(f"{where}(어텐션 그림)", entry)
    else:
        files = entry["files"]
        if not isinstance(files, dict) or "light" not in files or set(files) - set(VARIANTS):
            problems.append(
                f"{where}(그림): files는 벌마다의 파일 이름입니다: light(필수), dark, narrow, "
                f"narrow-dark (지금: {json.dumps(files, ensure_ascii=False)[:120]})"
            )
        else:
            for variant, file in files.items():
                problems += _file_problems(
                    f"{where}(그림, {variant})", file, ".svg", directory, root
                )
        for field, what in (
            ("alt", "대체 텍스트(alt: 그림에 무엇이 있는지, 화면 낭독기와 검색이 읽는 설명)"),
            ("caption", "캡션(caption: 그림이 말하는 것, 빌드가 '그림 N.' 뒤에 싣습니다)"),
        ):
            if not isinstance(entry[field], str) or not entry[field].strip():
                problems.append(
                    f"{where}(그림): {what}이 비었습니다: "
                    f'save_plot("{name}", ..., alt="…", caption="…")처럼 한 문장 이상으로 주세요'
                )
    return problems


def _file_problems(where: str, file: object, suffix: str, directory: Path, root: Path) -> list[str]:
    if (
        not isinstance(file, str)
        or not file.endswith(suffix)
        or "/" in file
        or "\\" in file
        or file.startswith(".")
    ):
        return [
            f"{where}: 파일은 노트북의 결과 디렉터리 안의 {suffix} 파일 이름이어야 합니다 "
            f"(지금: {json.dumps(file, ensure_ascii=False)[:120]})"
        ]
    path = directory / file
    if not path.is_file():
        return [
            f"{where}: 목록이 가리키는 파일 {file}이 없습니다. 목록은 손으로 쓰지 말고 notebook_outputs의 "
            "저장 함수로 남기세요(파일을 쓰고 목록에 적습니다)"
        ]
    if not containment.is_inside(path, root):
        return [f"{where}: {file}은 저장소 밖을 가리키는 링크입니다"]
    return []


def _read(outputs_root: Path, notebook: str) -> tuple[dict, list[str]]:
    path = path_of(outputs_root, notebook)
    if not path.is_file():
        return {}, []  # 글에 싣는 것을 남기지 않은 노트북
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return {}, [
            f"{_where(notebook)}: JSON으로 읽을 수 없습니다 ({error}). 목록은 손으로 쓰지 말고 "
            "notebook_outputs의 저장 함수로 남기세요"
        ]
    if not isinstance(data, dict):
        return {}, [
            f"{_where(notebook)}: 이름 → 항목의 JSON 객체여야 합니다 (지금: {type(data).__name__}). "
            "목록은 notebook_outputs의 저장 함수로 남기세요"
        ]
    return data, []


def problems(root: Path, outputs_root: Path, notebook: str) -> list[str]:
    """노트북 하나의 결과 목록의 문제들."""
    data, found = _read(outputs_root, notebook)
    directory = outputs_root / notebook
    for name, entry in data.items():
        found += _entry_problems(notebook, name, entry, directory, root)
    shared = {}
    for name, entry in data.items():
        if isinstance(entry, dict) and entry.get("kind") == "figure" and not found:
            for file in entry["files"].values():
                if file in shared:
                    found.append(
                        f"{_where(notebook)}: 그림 {shared[file]!r}와 {name!r}가 같은 파일 {file}을 "
                        "가리킵니다: 그림마다 이름을 따로 주세요"
                    )
                shared[file] = name
    return found


def check_all(root: Path, outputs_root: Path) -> list[str]:
    """모든 노트북의 결과 목록을 검사합니다(노트북을 실행한 뒤)."""
    return [
        problem
        for notebook in execution.find_notebooks(root)
        for problem in problems(root, outputs_root, notebook.name)
    ]


def load(outputs_root: Path, notebook: str) -> dict[str, Output]:
    """노트북의 결과들: {이름: Output}. 목록이 틀렸으면 ManifestError(check_all이 빌드 전에 멈춥니다).

    빌드는 페이지마다, 그림마다 부르므로(글 100편이면 수백 번) 검사한 결과를 기억합니다. 키는 결과
    디렉터리의 모습(목록 파일의 바이트와, 파일마다의 이름·종류·크기·바꾼 시각)이라, 노트북이 다시
    실행되거나 누가 파일을 지우거나 바꾸면 다시 읽고 검사합니다."""
    return dict(_checked(outputs_root, notebook, _state(outputs_root / notebook)))


def _state(directory: Path) -> tuple:
    """디렉터리의 파일들이 검사에 보이는 모습: 목록 파일의 바이트, 파일마다 (이름, 모드, 크기, 바꾼 시각).
    링크는 따라가지 않습니다(링크를 바꿔 달면 링크 자신의 시각이 바뀝니다)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return ()
    listing = directory / FILE_NAME
    files = []
    for entry in entries:
        status = entry.stat(follow_symlinks=False)
        files.append((entry.name, status.st_mode, status.st_size, status.st_mtime_ns))
    return (listing.read_bytes() if listing.is_file() else b"", *files)


@functools.lru_cache(maxsize=256)
def _checked(outputs_root: Path, notebook: str, state: tuple) -> dict[str, Output]:
    root = outputs_root.parent.parent
    found = problems(root, outputs_root, notebook)
    if found:
        raise ManifestError("\n".join(found))
    data, _ = _read(outputs_root, notebook)
    return {
        name: Output(
            notebook,
            name,
            entry["kind"],
            value=entry.get("value"),
            file=entry.get("file"),
            files=tuple((v, entry["files"][v]) for v in VARIANTS if v in entry.get("files", {})),
            alt=entry.get("alt", ""),
            caption=entry.get("caption", ""),
            tokens=tuple(entry.get("tokens", ())),
            weights=tuple(tuple(tuple(row) for row in head) for head in entry.get("weights", ())),
        )
        for name, entry in data.items()
    }


def figure_for(outputs_root: Path, path: str) -> Output | None:
    """outputs/ 아래 경로(<노트북>/<파일>.svg)가 밝은 넓은 벌인 그림, 목록에 없으면 None."""
    notebook, _, file = path.partition("/")
    if not NAME.match(notebook):
        return None
    for output in load(outputs_root, notebook).values():
        if output.kind == "figure" and dict(output.files)["light"] == file:
            return output
    return None
