"""빌드가 저장소 안(build/)에 쓰는 파일: 바뀔 때만, 그리고 한 번에 통째로.

같은 저장소를 두 빌드가 함께 빌드할 때가 있습니다(make test의 작업자 둘, make serve를 띄운 채 make build).
파일을 제자리에서 다시 쓰면 다른 빌드가 반쯤 쓴 파일을 읽어(UTF-8이 중간에 끊김) 멈추므로, 같은
디렉터리의 임시 파일에 다 쓴 뒤 이름을 바꿉니다(os.replace는 원자적입니다).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> None:
    """path의 내용이 data와 다를 때만 씁니다: 읽는 쪽은 언제나 옛 내용이나 새 내용 하나를 통째로 봅니다."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
