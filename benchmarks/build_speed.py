"""빌드와 테스트 속도 벤치마크: 숫자를 출력하는 스크립트입니다(시간 제한을 거는 테스트가 아닙니다).

재는 것과 목표(이 2코어 기계 기준):
- 냉 빌드(노트북을 모두 실행) <= 60 s, 온 빌드(다섯 번의 중앙값) <= 2 s, 온 빌드 / 실행 끈 빌드 <= 1.2
- 글 수정 뒤 make serve 새로 고침 <= 2 s (make write도 함께)
- 글 100편짜리 블로그(열 편의 글을 새 slug로 되풀이한 임시 복사본)의 온 빌드 <= 10 s, 글 수에 선형
- 전체 테스트(make test와 같은 pytest 명령): 깨끗한 클론·빈 실행 캐시 <= 240 s, 캐시가 찬 뒤 <= 120 s
  (클론은 이 저장소의 가상 환경과 node_modules를 그대로 씁니다)

빌드마다 벽시계 시간과 함께 그 빌드 동안 기계 전체가 쓴 CPU 시간(/proc/stat)을 적습니다: 이 가상 기계의
벽시계는 몇 분 사이에도 20~40 % 흔들리므로, 고치기 전과 뒤를 견줄 때는 CPU 시간도 보세요. 기계 전체를 재는
까닭은 노트북 커널이 bwrap 안에서 돌기 때문입니다: bwrap은 자식의 CPU 시간을 부모에게 넘기지 않아
getrusage(RUSAGE_CHILDREN)에는 커널들이 빠집니다. 냉 빌드는 세 번의 중앙값입니다(한 번은 흔들림에 좌우됩니다).
CPU 시간도 기계가 느린 때에는 늘어나므로, 처음과 끝에 정해진 계산 한 벌의 시간(기계 속도)을 찍습니다.

실행: make bench  (또는 저장소 뿌리에서 .venv/bin/python -m benchmarks.build_speed [--skip-tests])
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.workspace import ROOT, copy_site, live_server, mkdocs_build

EXECUTED = re.compile(r"노트북 실행: (.*) \(")
# make test가 부르는 pytest의 인자: Makefile의 test 목표에서 읽어, 벤치마크가 같은 명령을 잽니다.
PYTEST_ARGS = shlex.split(
    re.search(r"^\t\$\(BIN\)/pytest(.*)$", (ROOT / "Makefile").read_text(), re.M)[1]
)


def machine_cpu() -> float:
    """부팅한 뒤 이 기계의 모든 CPU가 일한 시간(초): /proc/stat의 user, nice, system, irq, softirq의 합.

    쉰 시간(idle, iowait)과 가상 기계가 빼앗긴 시간(steal)은 넣지 않습니다."""
    with open("/proc/stat") as stat:
        fields = stat.readline().split()  # cpu user nice system idle iowait irq softirq steal ...
    busy = sum(int(fields[i]) for i in (1, 2, 3, 6, 7))
    return busy / os.sysconf("SC_CLK_TCK")


def timed_build(project: Path, site: Path, **env: str) -> tuple[float, str]:
    """빌드 한 번의 벽시계 시간(초)과, 이번에 실행된 노트북 목록(걸린 시간과 함께).

    빌드 동안 기계 전체가 쓴 CPU 시간(초)은 last_cpu에 둡니다: 벽시계보다 덜 흔들립니다."""
    started, cpu = time.perf_counter(), machine_cpu()
    result = mkdocs_build(project, site, env=env)
    elapsed = time.perf_counter() - started
    last_cpu.append(machine_cpu() - cpu)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"빌드 실패:\n{output}")
    executed = EXECUTED.search(output)
    return elapsed, executed.group(1) if executed else "?"


last_cpu: list[float] = []  # timed_build마다 그 빌드의 CPU 시간(초)
last_times: list[float] = []  # 마지막 median_build의 벽시계 시간들(초)


def forget_outputs(project: Path) -> None:
    """냉 빌드를 다시 재려고 실행 결과(build/)와 캐시(.cache/)를 지웁니다."""
    for name in ("build", ".cache"):
        shutil.rmtree(project / name, ignore_errors=True)


def median_build(
    project: Path,
    site: Path,
    runs: int = 5,
    before: Callable[[Path], None] = lambda _: None,
    **env: str,
) -> tuple[float, str]:
    """같은 빌드를 runs번(before(project) 뒤에): 벽시계 시간의 중앙값과 마지막 빌드가 실행한 노트북(CPU
    시간의 중앙값은 last_cpu에). 벽시계 시간들은 last_times에 둡니다."""
    times, cpus, ran = [], [], "?"
    for _ in range(runs):
        before(project)
        seconds, ran = timed_build(project, site, **env)
        times.append(seconds)
        cpus.append(last_cpu.pop())
    last_cpu.append(statistics.median(cpus))
    last_times[:] = times
    return statistics.median(times), ran


def many_posts(project: Path, copies: int) -> int:
    """project의 글마다 copies-1편을 새 slug와 날짜로 더합니다(산문과 코드·그림 참조는 그대로). 글 수."""
    posts = sorted((project / "docs" / "blog" / "posts").glob("*.md"))
    day = dt.date(2024, 1, 1)
    for copy in range(1, copies):
        for post in posts:
            text = post.read_text(encoding="utf-8")
            slug = re.search(r"(?m)^slug: (.+)$", text)[1]
            text = re.sub(r"(?m)^slug: .+$", f"slug: {slug}-{copy}", text, count=1)
            text = re.sub(r"(?m)^date: .+$", f"date: {day.isoformat()}", text, count=1)
            # 글 자신의 노트북을 가리키는 짧은 꼴 {{ key }}는 새 slug에는 노트북이 없으니 긴 꼴로 바꿉니다.
            text = re.sub(r"\{\{\s*([a-z0-9-]+)\s*\}\}", rf"{{{{ outputs/{slug}/\1 }}}}", text)
            (post.parent / f"{post.stem}-{copy}.md").write_text(text, encoding="utf-8")
            day += dt.timedelta(days=1)
    return len(posts) * copies


def reload_times(project: Path, post: Path, dirty: bool) -> tuple[float, str]:
    """띄워 둔 properdocs serve가 글 수정을 알아채고 다시 빌드해 새로 고칠 때까지(세 번의 중앙값).

    서버가 자리 잡도록 잠깐 두고 고칩니다(첫 수정은 파일 감시가 데워지는 시간까지 잽니다). 고치기 전에 쌓인
    로그는 버립니다: 고치지 않았는데 다시 빌드한 새로 고침을 이번 수정의 것으로 세면 0초가 됩니다. 그런
    새로 고침이 있었으면 그 수를 덧붙임에 적습니다(미리 보기가 저 혼자 다시 빌드한다는 뜻입니다).
    """
    reloads, stray = [], 0
    with live_server(project, dirty=dirty) as server:
        for _ in range(3):
            time.sleep(2)
            stray += sum("Reloading browsers" in line for line in server.drain())
            post.write_text(post.read_text(encoding="utf-8") + "\n한 줄 더.\n", encoding="utf-8")
            reloads.append(server.wait_for_reload(timeout=600))
        executed = EXECUTED.findall("".join(server.log))
    ran = executed[-1] if executed else "?"
    return statistics.median(reloads), ran + (
        f"  (고치지 않았는데 새로 고침 {stray}번)" if stray else ""
    )


def machine_speed() -> float:
    """이 기계의 지금 속도: 정해진 파이썬 계산 한 벌에 걸린 CPU 시간(초, 세 번 중 가장 짧은 것).

    벤치마크의 앞과 끝에 찍어, 같은 코드의 숫자가 다른 날 다르면 기계가 느려졌는지 가릴 수 있게 합니다."""
    times = []
    for _ in range(3):
        started = time.process_time()
        sum(i * i % 7 for i in range(10_000_000))
        times.append(time.process_time() - started)
    return min(times)


def timed_suite(clone: Path) -> tuple[float, int]:
    """clone에서 make test의 pytest 명령을 한 번: 벽시계 시간과 종료 코드."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", *PYTEST_ARGS], cwd=clone)
    return time.perf_counter() - started, result.returncode


def fresh_clone(destination: Path) -> Path:
    """커밋된 것만 있는 깨끗한 클론(빌드 산출물·캐시 없음). 가상 환경과 node_modules는 이 저장소의 것."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(destination)], check=True)
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-tests", action="store_true", help="전체 테스트 시간은 재지 않기")
    parser.add_argument(
        "--skip-cold",
        action="store_true",
        help="냉 빌드는 재지 않고 저장소의 실행 결과(build/, .cache/)를 복사해 쓰기 (먼저 make build)",
    )
    args = parser.parse_args()

    rows: list[tuple[str, str, str]] = []  # (무엇, 숫자, 덧붙임)

    def row(name: str, seconds: float, note: str) -> None:
        if last_cpu:  # 빌드를 잰 줄: 그 빌드가 쓴 CPU 시간도(serve는 서버 프로세스라 재지 않습니다)
            note = f"CPU {last_cpu.pop():.2f} s  {note}"
        last_cpu.clear()
        rows.append((name, f"{seconds:7.2f} s", note))
        print(f"{name}: {seconds:.2f} s  {note}", flush=True)

    row("기계 속도: 정해진 계산 한 벌 (시작할 때, 작을수록 빠름)", machine_speed(), "")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_site(Path(tmp) / "project", with_outputs=args.skip_cold)
        site = Path(tmp) / "site"
        if args.skip_cold:
            timed_build(project, site)
        else:
            cold, ran = median_build(project, site, runs=3, before=forget_outputs)
            each = ", ".join(f"{seconds:.1f}" for seconds in last_times)
            row(
                "냉 빌드 (캐시 없음, 세 번의 중앙값, 목표 <= 60 s)",
                cold,
                f"({each} s)  실행: {ran}",
            )
        last_cpu.clear()
        # 2초 안팎의 빌드는 이 기계에서 한 번 잴 때마다 0.1~0.2초씩 흔들립니다: 다섯 번의 중앙값.
        warm, ran = median_build(project, site)
        row("온 빌드 (캐시 가득, 다섯 번의 중앙값, 목표 <= 2 s)", warm, f"실행: {ran}")
        disabled, _ = median_build(project, site, BLOG_EXECUTE="0")
        row("실행 끈 빌드 (BLOG_EXECUTE=0, 다섯 번의 중앙값)", disabled, "")
        rows.append(("온 빌드 / 실행 끈 빌드 (목표 <= 1.2)", f"{warm / disabled:7.2f} x", ""))

        post = project / "docs" / "blog" / "posts" / "residual-connection.md"
        post.write_text(post.read_text(encoding="utf-8") + "\n글을 고친 한 줄.\n", encoding="utf-8")
        edited, ran = timed_build(project, site)
        row("글(.md) 수정 뒤 빌드", edited, f"실행: {ran}")
        module = project / "snippets" / "attention.py"
        module.write_text(
            module.read_text(encoding="utf-8") + "\n# 코드를 고친 한 줄\n", encoding="utf-8"
        )
        touched, ran = timed_build(project, site)
        row("snippets/attention.py 수정 뒤 빌드", touched, f"실행: {ran}")
        for dirty, name in ((False, "make serve"), (True, "make write")):
            seconds, ran = reload_times(project, post, dirty)
            row(f"{name}: 글 수정 -> 새로 고침 (중앙값, 목표 <= 2 s)", seconds, f"실행: {ran}")

        for copies in (5, 10):
            blog = copy_site(Path(tmp) / f"blog-{copies}", with_outputs=True)
            count = many_posts(blog, copies)
            timed_build(blog, Path(tmp) / f"site-{copies}")  # 실행 결과는 복사했으니 HTML만
            seconds, _ = median_build(blog, Path(tmp) / f"site-{copies}", runs=3)
            row(f"글 {count}편 블로그의 온 빌드 (세 번의 중앙값, 100편 목표 <= 10 s)", seconds, "")

    if not args.skip_tests:
        with tempfile.TemporaryDirectory() as tmp:
            clone = fresh_clone(Path(tmp) / "clone")
            for name, target in (
                ("깨끗한 클론, 빈 실행 캐시", 240),
                ("같은 클론, 캐시가 찬 뒤", 120),
            ):
                seconds, code = timed_suite(clone)
                row(f"전체 테스트: {name} (목표 <= {target} s)", seconds, f"종료 코드 {code}")

    row("기계 속도: 정해진 계산 한 벌 (끝날 때)", machine_speed(), "")
    width = max(len(name) for name, _, _ in rows)
    print()
    for name, value, note in rows:
        print(f"{name:<{width}}  {value}  {note}")


if __name__ == "__main__":
    main()
