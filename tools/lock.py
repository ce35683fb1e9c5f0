"""의존성의 설치와 고정(constraints.txt): `make install`과 `make lock`이 부릅니다.

가상 환경을 만들기 전의 python3로 돌므로 표준 라이브러리만 씁니다.

- `python -m tools.lock --install .venv`(make install): PyTorch를 PyTorch의 CPU 휠 색인에서 먼저 설치하고(그 판이 이미
  있으면 건너뜀), 나머지를 constraints.txt에 고정된 판으로 설치합니다. 공개 색인(PyPI)의 `torch`는 CUDA
  빌드와 스무 개쯤 되는 CUDA·triton 패키지(몇 GB)를 끌고 오기 때문입니다. `--index-url`로 한 단계를
  따로 두는 까닭: 명령줄의 `--extra-index-url`은 pip 설정의 같은 값을 덧붙이지 않고 바꿔 버립니다.
- `python -m tools.lock`(make lock): 빈 임시 가상 환경에 지금의 고정을 지키며 설치하고(새로 생긴
  의존성만 풀림) 그 결과로 constraints.txt를 다시 씁니다. `--upgrade`(make lock UPGRADE=1)는 고정을
  무시하고 모두 새로 풉니다. 맨 위의 주석은 그대로 두고, `torch==2.13.0+cpu`는 `torch==2.13.0`으로 씁니다.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
LOCAL_VERSION = re.compile(r"\+[0-9A-Za-z.]+$")  # 2.13.0+cpu의 +cpu


class LockError(RuntimeError):
    """설치나 고정을 할 수 없을 때: 무엇을 고치면 되는지."""


def base_version(version: str) -> str:
    """로컬 판을 뗀 판: 2.13.0+cpu -> 2.13.0."""
    return LOCAL_VERSION.sub("", version)


def pinned_version(constraints: str, name: str) -> str:
    """constraints.txt에 고정된 패키지 name의 판(예: torch -> 2.13.0)."""
    for line in constraints.splitlines():
        if line.startswith(f"{name}=="):
            return line.removeprefix(f"{name}==").strip()
    raise LockError(
        f"constraints.txt에 {name}==<판> 줄이 없습니다: README의 '의존성 올리기'를 보세요"
    )


def torch_pin(constraints: str) -> str:
    """constraints.txt에 고정된 torch의 판(예: 2.13.0)."""
    return pinned_version(constraints, "torch")


def locked(freeze: str, previous: str) -> str:
    """pip freeze의 출력으로 쓴 새 constraints.txt: previous 맨 위의 주석 줄들 + 이름순의 고정.

    이 저장소 자신(편집 가능 설치, `이름 @ file://...`)은 빼고, 로컬 판(+cpu)은 떼어 냅니다.
    """
    header = []
    for line in previous.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    pins = []
    for line in freeze.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-e ")) or " @ " in line:
            continue
        name, _, version = line.partition("==")
        if not version:
            raise LockError(f"pip freeze의 줄을 읽을 수 없습니다: {line!r}")
        pins.append(f"{name}=={base_version(version)}")
    pins.sort(key=lambda pin: pin.partition("==")[0].lower())  # pip freeze의 차례
    return "\n".join([*header, *pins]) + "\n"


def _run(*command: str | Path) -> str:
    result = subprocess.run([str(c) for c in command], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise LockError(f"명령이 실패했습니다({result.returncode}): {' '.join(map(str, command))}")
    return result.stdout


def _installed_torch(python: Path) -> str | None:
    code = "from importlib.metadata import version; print(version('torch'))"
    result = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return base_version(result.stdout.strip()) if result.returncode == 0 else None


def install(venv: Path, *, pinned: bool = True) -> None:
    """venv에 CPU용 PyTorch와 이 저장소(-e .[dev])를 설치합니다. pinned면 constraints.txt의 판으로."""
    python = venv / "bin" / "python"
    torch = torch_pin(CONSTRAINTS.read_text(encoding="utf-8"))
    if _installed_torch(python) != torch:
        pip = [python, "-m", "pip", "install", "--quiet", "--no-deps"]
        _run(*pip, "--index-url", TORCH_INDEX, f"torch=={torch}")
    constraints = ["-c", CONSTRAINTS] if pinned else []
    _run(python, "-m", "pip", "install", "--quiet", *constraints, "-e", ".[dev]")


def lock(*, upgrade: bool) -> None:
    """빈 임시 가상 환경에 설치한 결과로 constraints.txt를 다시 씁니다."""
    with tempfile.TemporaryDirectory(prefix="lock-") as tmp:
        venv = Path(tmp) / "venv"
        _run(sys.executable, "-m", "venv", venv)
        install(venv, pinned=not upgrade)
        freeze = _run(venv / "bin" / "python", "-m", "pip", "freeze", "--exclude-editable")
    previous = CONSTRAINTS.read_text(encoding="utf-8")
    CONSTRAINTS.write_text(locked(freeze, previous), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.lock", description=__doc__)
    parser.add_argument("--upgrade", action="store_true", help="고정을 무시하고 모두 새로 풀기")
    parser.add_argument("--install", type=Path, metavar="VENV", help="VENV에 고정된 판으로 설치")
    args = parser.parse_args(argv)
    try:
        if args.install:
            install(args.install)
        else:
            lock(upgrade=args.upgrade)
    except LockError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
