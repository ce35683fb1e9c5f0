"""사이트 생성기(호스트)를 부르는 명령줄: ProperDocs(MkDocs 1.x를 그 관리자들이 이어 가는 판, constraints.txt에 고정).

ProperDocs는 `import mkdocs.…`를 자기 모듈로 이어 주므로 Material과 훅(blogbuild/hooks.py)이
바뀌지 않고 돕니다(mkdocs 패키지는 Material이 요구해 설치되어 있지만 돌지 않습니다). 설정 파일은 mkdocs.yml
그대로 두고 이름을 밝혀 줍니다: 밝히지 않으면 ProperDocs가 properdocs.yml로 바꾸라고 알리고, Zensical도 이
이름을 읽습니다. Material의 'MkDocs 2' 경고는 mkdocs 명령에서만 나오므로 끄는 환경 변수가 필요 없습니다.
"""

from __future__ import annotations

import sys

CONFIG = "mkdocs.yml"


def command(action: str) -> list[str]:
    """생성기로 action(build, serve)을 하는 명령줄. 작업 디렉터리(cwd)의 mkdocs.yml을 씁니다."""
    return [sys.executable, "-m", "properdocs", action, "--config-file", CONFIG]
