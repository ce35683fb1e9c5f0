"""빌드의 단계: 차례대로 check → execute → prepare → build → finish.

각 단계는 `python -m blogbuild <단계>`로 혼자 돌고, 앞 단계의 결과가 없거나 낡았으면 앞 단계부터 돕니다
(입력이 그대로인 단계는 내용으로 매긴 키를 보고 건너뜁니다). 생성기(MkDocs/ProperDocs) 안에서는 어댑터
(blogbuild/hooks.py)가 빌드 전에 prepare까지, 빌드 뒤에 finish를 부릅니다.

- check: 기여자가 보낸 것(글, 앞머리, 코드 조각 참조, 링크, 인코딩, 인용, 용어, 시리즈 차례)을 검사합니다.
- execute: 노트북을 갇힌 커널에서 실행해 build/outputs/<노트북>/에 그림·표·숫자를 씁니다(키로 캐시).
- prepare: 생성기가 그릴 것을 씁니다: 사이트에 싣는 노트북, 용어집 표, 시리즈 목록. 글이 싣는 출력을 검사합니다.
  `--tree DIR`이면 훅 없는 생성기가 그대로 그릴 준비된 트리도 씁니다(blogbuild/prepared_tree.py).
- build: 생성기로 site/를 만듭니다. 페이지마다 숫자를 채우고, 그림을 <figure>로, 수식을 MathML로 바꿉니다.
- finish: 사이트를 마칩니다: RSS 피드, 검색 색인의 낱말, 그리고 사이트에 실린 모든 파일의 마지막 검사.
  `--site DIR`이면 다른 생성기가 그 트리에서 빌드한 사이트를 마칩니다(남은 수식도 MathML로).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

NAMES = ("check", "execute", "prepare", "build", "finish")


def fingerprint(root: Path, names: Iterable[str], extra: str = "") -> str:
    """root 아래 names(파일이나 디렉터리)의 내용 해시: 경로, 바이트, 심볼릭 링크의 대상까지."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for name in names:
        top = root / name
        paths = [top] if not top.is_dir() or top.is_symlink() else sorted(top.rglob("*"))
        for path in paths:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            if path.is_symlink():
                digest.update(b"link\0" + str(path.readlink()).encode("utf-8", "surrogateescape"))
            elif path.is_file():
                digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
