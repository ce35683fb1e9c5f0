"""빌드 전 검사가 찾은 문제 하나: 앞머리(frontmatter), 코드 조각 참조(snippet_refs), 인용과 참고
문헌(references), 경로와 인코딩(containment)이 모두 이 기록으로 알립니다.

빌드는 검사들의 문제를 모아 한꺼번에 보여 주므로(hooks.py), 모두 같은 꼴 `파일:줄: 무엇이 왜 틀렸고
어떻게 고치는지`로 읽힙니다.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from blogbuild import yaml_input


@dataclass(frozen=True)
class Problem:
    """문제 하나: 어느 파일(그리고 몇째 줄)에서 무엇이 왜 틀렸고 어떻게 고치면 되는지."""

    path: Path | str  # 저장소 뿌리에서 본 경로
    line: int | None  # 파일의 줄 번호(1부터). 파일 전체의 문제(심볼릭 링크)면 None
    message: str
    field: str | None = None  # 앞머리의 문제면 그 필드: 메시지를 읽지 않고 가려낼 수 있게

    def __str__(self) -> str:
        where = f"{shown(self.path)}:{self.line}" if self.line else shown(self.path)
        return f"{where}: {self.message}"


def shown(path: Path | str) -> str:
    """메시지에 싣는 파일 이름: 제어 문자와 보이지 않는 서식 문자(오른쪽에서 왼쪽 쓰기 U+202E 등)는
    \\u202e처럼 이스케이프합니다. 기여자가 지은 이름이 터미널과 리뷰에서 다른 이름으로 보이지 않게."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}
        else char
        for char in str(path)
    )


def yaml_list(text: str, path: Path | str, expected: str) -> tuple[list, list[yaml.Node]] | Problem:
    """관리자가 쓰는 YAML 목록 파일(data/glossary.yml, data/series.yml)의 항목들과 항목마다의 노드(줄 번호는
    node.start_mark.line + 1, 사전인 항목의 키마다의 줄도 노드에 있습니다). 파일은 한 번만 읽습니다.

    YAML로 읽을 수 없거나 비어 있거나 목록이 아니면, 그 자리와 expected(올바른 꼴의 예)를 짚은 Problem.
    """
    try:
        data, node = yaml_input.load_with_tree(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        cause = yaml_input.quoted(getattr(error, "problem", None) or str(error), 300, bare=True)
        return Problem(path, mark.line + 1 if mark else None, f"YAML로 읽을 수 없습니다: {cause}")
    if not data or not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        return Problem(path, 1, expected)
    return data, node.value
