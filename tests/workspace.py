"""사이트 소스의 임시 복사본과, 그것을 빌드·서빙하는 방법: 테스트와 벤치마크가 저장소를 건드리지 않고 씁니다.

빌드의 일부가 아니라 테스트를 돕는 모듈입니다(빌드는 blogbuild/). 벤치마크는 저장소 뿌리에서
`python -m benchmarks.<이름>`으로 돌아 `tests.workspace`로 가져옵니다.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import queue
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from blogbuild import host

ROOT = Path(__file__).resolve().parent.parent
# 사이트를 빌드하는 데 필요한 것들 (빌드 산출물과 캐시는 뺍니다: 복사본은 냉 상태로 시작합니다).
SITE_SOURCES = [
    "mkdocs.yml",
    "docs",
    "overrides",
    "snippets",
    "notebook_outputs",
    "notebooks",
    "blogbuild",
    "data",
    "fonts",
    "constraints.txt",
]


def copy_site(destination: Path, with_outputs: bool = False) -> Path:
    """사이트 소스를 destination에 복사합니다. with_outputs면 실행 결과(build/)와 캐시도 복사합니다."""
    destination.mkdir(parents=True)
    names = SITE_SOURCES + (["build", ".cache"] if with_outputs else [])
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def mkdocs_build(
    project: Path, site_dir: Path, env: dict[str, str] | None = None, strict: bool = True
) -> subprocess.CompletedProcess:
    """project의 mkdocs.yml로 엄격 빌드(strict가 거짓이면 make serve처럼 경고만 하는 빌드)를 하고,
    출력(stdout+stderr)을 담아 돌려줍니다. 빌드는 make build처럼 ProperDocs가 합니다."""
    return subprocess.run(
        [*host.command("build"), *(["--strict"] * strict), "--site-dir", str(site_dir)],
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=1800,
    )


# 배포 주소(site_url)의 경로. 로컬 서버도 같은 경로 아래에 사이트를 두어 404 페이지 같은 절대 주소가 맞게 합니다.
SITE_PREFIX = "/blog/"
# 브라우저 테스트와 벤치마크가 띄우는 Debian chromium과 그 플래그: 머리 없이, 이 기계의 닫힌 네트워크에서
# 백그라운드 연결(구성 요소 갱신, 동기화)을 하지 않게. Lighthouse에는 한 줄로(" ".join).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".ipynb"}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """SITE_PREFIX 아래 요청만 site 디렉터리에서 답하고, compress면 gzip으로 보냅니다."""

    compress = False

    def translate_path(self, path: str) -> str:
        path = urlparse(path).path
        if not path.startswith(SITE_PREFIX):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(SITE_PREFIX) :])

    def send_head(self):  # noqa: ANN201 (http.server의 서명 그대로)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)

    def log_message(self, *args: object) -> None:
        pass


class _Body:
    """send_head가 돌려주는 파일 비슷한 것: copyfile이 읽을 수 있게."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve_site(site_dir: Path, compress: bool = False) -> Iterator[str]:
    """site_dir을 127.0.0.1의 빈 포트에서 SITE_PREFIX 아래로 띄우고 그 기본 주소를 줍니다."""
    handler = functools.partial(
        type("Handler", (SiteHandler,), {"compress": compress}), directory=str(site_dir)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{SITE_PREFIX}"
    finally:
        server.shutdown()


class LiveServer:
    """실행 중인 `properdocs serve`: 기본 주소와, 다시 빌드가 끝나기를 기다리는 방법."""

    def __init__(self, process: subprocess.Popen, url: str) -> None:
        self.process, self.url = process, url
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)
        self.lines.put("")  # 서버가 끝났습니다: 기다리는 쪽이 30분을 채우지 않고 곧바로 알게

    def drain(self) -> list[str]:
        """지금까지 쌓인 로그 줄들을 기다리지 않고 가져옵니다(log에도 남깁니다)."""
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        self.log += lines
        return lines

    def wait_for_reload(self, timeout: float = 1800) -> float:
        """다시 빌드가 끝나 브라우저를 새로 고칠 때까지 기다린 벽시계 시간(초)."""
        return self.wait_for("Reloading browsers", timeout)

    def wait_for(self, marker: str, timeout: float) -> float:
        """로그에 marker가 든 줄이 나올 때까지 기다린 시간(초). 서버가 멈추거나 시간이 넘으면 로그와 함께 실패."""
        started = time.perf_counter()
        while True:
            remaining = timeout - (time.perf_counter() - started)
            try:
                line = self.lines.get(timeout=max(remaining, 0))
            except queue.Empty:
                raise TimeoutError(
                    f"properdocs serve가 {timeout:.0f}초 안에 {marker!r}를 알리지 않았습니다:\n"
                    + "".join(self.log[-40:])
                ) from None
            if not line:
                raise RuntimeError("properdocs serve가 끝났습니다:\n" + "".join(self.log[-40:]))
            self.log.append(line)
            if marker in line:
                return time.perf_counter() - started
            if "Aborted with" in line or self.process.poll() is not None:
                raise RuntimeError("properdocs serve가 멈췄습니다:\n" + "".join(self.log[-40:]))


@contextlib.contextmanager
def live_server(project: Path, dirty: bool = False) -> Iterator[LiveServer]:
    """project에서 `properdocs serve`(make serve; dirty면 make write)를 빈 포트로 띄우고, 첫 빌드를 기다립니다."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [*host.command("serve"), "--dev-addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        command + (["--dirty"] if dirty else []),
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = LiveServer(process, f"http://127.0.0.1:{port}{SITE_PREFIX}")
    try:
        server.wait_for("Serving on", timeout=1800)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
