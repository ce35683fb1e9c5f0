"""모든 페이지의 Content-Security-Policy(`<meta http-equiv>`): 사이트 자신의 스크립트와 스타일만 실행됩니다.

빌드 검사(blogbuild/active_content.py)를 빠져나간 것이 있어도 실행되지 않게 하는 두 번째 울타리입니다.

- 스크립트: 사이트의 파일('self')과, 테마(Material) 템플릿이 페이지마다 넣는 인라인 스크립트의 해시만.
  인라인 스크립트의 해시는 페이지 본문(page.content)과 블로그 목록의 글 요약을 뺀 나머지, 곧 템플릿이
  만든 부분에서만 셉니다. 그래서 글이 실은 인라인 스크립트는 해시를 얻지 못해 실행되지 않습니다.
- 스타일: 사이트의 파일만. 인라인 스타일(`<style>`, `style=`)은 막힙니다.
- 그림: 사이트의 파일과 data: (노트북 출력의 PNG). 연결·워커(검색 색인)는 사이트 안으로만.
- WebAssembly: 검색(Pagefind)이 사이트의 .wasm 파일을 컴파일합니다('wasm-unsafe-eval'). 이것은 글자를
  코드로 실행하는 eval을 열지 않습니다: 불러올 수 있는 스크립트는 여전히 사이트의 파일뿐입니다.

`mkdocs serve`는 새로 고침용 인라인 스크립트를 페이지에 끼우므로, serve에서만 인라인 스크립트를 열어
둡니다(해시가 있으면 'unsafe-inline'이 무시되므로 해시 대신). 배포되는 `mkdocs build`에는 해당하지 않습니다.
"""

from __future__ import annotations

import base64
import hashlib
import re

# 실행되는 인라인 스크립트: src가 없고 type이 없거나 자바스크립트·모듈인 <script>.
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL)
DATA_TYPE = re.compile(r'\btype="(?!text/javascript"|module")[^"]*"')
HEAD = "<head>"


def _executable(attrs: str) -> bool:
    return "src=" not in attrs and not DATA_TYPE.search(attrs)


def script_hashes(html: str) -> list[str]:
    """html 안의 실행되는 인라인 스크립트마다 CSP 해시('sha256-...'), 나온 차례대로 중복 없이."""
    hashes: list[str] = []
    for match in INLINE_SCRIPT.finditer(html):
        if _executable(match["attrs"]):
            digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
            token = f"'sha256-{base64.b64encode(digest).decode()}'"
            if token not in hashes:
                hashes.append(token)
    return hashes


# 페이지가 싣는 정책: add_policy가 <head> 맨 앞에 넣은 <meta>.
POLICY_META = re.compile(
    r'<head><meta http-equiv="Content-Security-Policy" content="(?P<policy>[^"]*)">'
)


def unlisted_scripts(html: str, serve: bool = False) -> list[int] | None:
    """페이지의 정책이 허락하지 않는 인라인 스크립트들의 줄 번호. 페이지에 정책이 없으면 None.

    add_policy는 템플릿이 만든 인라인 스크립트의 해시만 정책에 넣으므로, 다 쓴 페이지에서 정책에 없는 인라인
    스크립트는 빌드의 다른 길로 들어온 것입니다. 'unsafe-inline'은 mkdocs serve의 정책에서만 받습니다.
    """
    meta = POLICY_META.search(html)
    if meta is None:
        return None
    sources = next(
        (
            part.split()[1:]
            for part in meta["policy"].split(";")
            if part.split()[:1] == ["script-src"]
        ),
        [],
    )
    if serve and "'unsafe-inline'" in sources:
        return []
    unlisted = []
    for match in INLINE_SCRIPT.finditer(html):
        if _executable(match["attrs"]) and script_hashes(match[0])[0] not in sources:
            unlisted.append(html.count("\n", 0, match.start()) + 1)
    return unlisted


def policy(hashes: list[str], serve: bool = False) -> str:
    """CSP 문자열. serve이면 mkdocs serve의 새로 고침 스크립트를 위해 인라인 스크립트를 엽니다."""
    scripts = "'self' 'unsafe-inline'" if serve else " ".join(["'self'", *hashes])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {scripts} 'wasm-unsafe-eval'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


def add_policy(output: str, contributed: list[str], serve: bool = False) -> str:
    """페이지(output)의 <head> 맨 앞에 CSP <meta>를 넣습니다.

    contributed는 글쓴이가 보낸 내용이 그려진 HTML 조각들(페이지 본문, 목록의 글 요약)입니다.
    이것들을 뺀 나머지, 곧 템플릿이 만든 부분의 인라인 스크립트만 허용합니다.
    """
    template = output
    for part in contributed:
        if part:
            template = template.replace(part, "")
    meta = (
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{policy(script_hashes(template), serve)}">'
    )
    head = output.find(HEAD)
    if head < 0:
        raise ValueError("페이지에 <head>가 없어 Content-Security-Policy를 넣을 수 없습니다")
    at = head + len(HEAD)
    return output[:at] + meta + output[at:]
