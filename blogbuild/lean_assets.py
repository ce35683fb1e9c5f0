"""사이트 자신의 스타일시트(extra_css)와 스크립트(extra_javascript)를 관리자의 주석 없이 싣습니다.

docs/의 주석은 규칙과 코드마다 왜 그런지(어느 검사가 무엇을 찾았는지, 대비의 수치)를 한국어로 적어 둔 관리자의
글이라, 압축해도 extra.css가 모든 페이지에 보내는 바이트의 70%(5.2 KB 중 3.7 KB), search.js의 27%였습니다. 독자의
브라우저는 주석을 읽지 않으므로, finish 단계가 사이트에 실린 사본에서 주석과 빈 줄만 지웁니다. 코드의 글자는
하나도 바꾸지 않습니다.

- 스타일시트: 모든 주석(`/* … */`). 따옴표 안의 `/*`는 주석이 아닙니다.
- 스크립트: 줄 전체가 주석인 줄(`// …`, `/*`로 시작해 `*/`로 끝나는 줄들)만. 줄 끝의 주석은 남깁니다(문자열이나
  정규식 속의 `//`와 가리려면 자바스크립트를 읽어야 합니다). 여러 줄에 걸친 템플릿 문자열(`)이 있는 파일은 줄
  머리의 `//`가 글자일 수 있으므로 그대로 둡니다.

사이트의 마지막 검사(site_check)는 스크립트를 바이트까지 견주므로, 허락하는 바이트도 같은 함수로 만듭니다.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

# 따옴표 문자열(그대로 남김) 또는 주석(지움). CSS의 문자열은 \로 따옴표를 가릴 수 있습니다.
CSS_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/', re.DOTALL)


def _without_blank_lines(text: str, original: str) -> str:
    """빈 줄과 줄 끝 공백을 뺍니다. 파일 끝의 줄바꿈은 원본대로."""
    lines = [line.rstrip() for line in text.splitlines()]
    end = "\n" if original.endswith("\n") else ""
    return "\n".join(line for line in lines if line) + end


def css(text: str) -> str:
    """스타일시트에서 주석을 지우고, 주석만 있던 줄(이제 빈 줄)을 뺍니다."""
    return _without_blank_lines(
        CSS_TOKEN.sub(lambda m: "" if m[0].startswith("/*") else m[0], text), text
    )


def js(text: str) -> str:
    """스크립트에서 줄 전체가 주석인 줄과 빈 줄을 뺍니다. 여러 줄 템플릿 문자열이 있으면 그대로."""
    lines = text.splitlines()
    if any(line.count("`") % 2 for line in lines):
        return text
    kept, in_block = [], False
    for line in lines:
        code = line.strip()
        if in_block:
            in_block = not code.endswith("*/")
        elif code.startswith("/*") and "*/" not in code[2:]:
            in_block = True
        elif not (code.startswith("//") or (code.startswith("/*") and code.endswith("*/"))):
            kept.append(line)
    return _without_blank_lines("\n".join(kept), text)


def lean(name: str, data: bytes) -> bytes:
    """사이트에 싣는 바이트: 스타일시트와 스크립트는 주석 없이, 나머지는 그대로."""
    if name.endswith(".css"):
        return css(data.decode("utf-8")).encode("utf-8")
    if name.endswith(".js"):
        return js(data.decode("utf-8")).encode("utf-8")
    return data


def write(site: Path, names: Iterable[str]) -> None:
    """site에 실린 파일들(사이트 안 경로)을 주석 없이 다시 씁니다. 사이트 밖의 주소는 건너뜁니다."""
    for name in names:
        path = site / name
        if "://" in name or not path.is_file():
            continue
        data = path.read_bytes()
        published = lean(name, data)
        if published != data:
            path.write_bytes(published)
