"""사이트에 싣는 동반 노트북(.ipynb): 저장소 밖에서도 돌고, 그림에 노트북이 적은 설명(alt)이 붙은 사본.

빌드가 실행한 노트북(build/outputs/<이름>/<이름>.ipynb, 실행 캐시)은 그대로 두고, 사이트에 싣는 사본
(build/notebooks/<이름>/<이름>.ipynb: 노트북 페이지와 내려받기 파일)에만 다음을 더합니다. 그래서 실행 결과와
캐시 키는 커밋과 상관없이 같고(두 번 실행하면 바이트까지 같음), 커밋이 바뀌면 사본만 바뀝니다.

- 제목 셀 다음에 안내(Markdown 셀): 이 노트북의 글로 가는 링크(사이트의 절대 주소: 내려받은 파일과
  Colab에서도 닿고, 노트북 페이지(blogbuild/notebook_pages.py)에서는 그 글의 .md를 가리켜 상대 주소가
  됩니다), "Colab에서 열기" 링크, 저장소 밖에서 무엇이 다른지(말뭉치는 패키지에 든 스냅숏, 다른
  노트북의 결과는 사본에 실림, 숫자가 글과 같은 조건).
- 첫 코드 셀: 이 블로그의 패키지를 사이트를 빌드한 커밋에 고정해 설치하는 `%pip install`.
  커밋은 빌드할 때의 `git rev-parse HEAD`입니다. 커밋하지 않은 변경이 있는 작업 트리에서 빌드하면
  (로컬 미리보기) 그 변경은 설치되는 패키지에 없습니다: HEAD를 고정할 뿐입니다. 배포되는 사이트는
  CI가 커밋을 그대로 체크아웃해 빌드하므로 페이지와 설치되는 코드가 같습니다. git 저장소가 아니면
  (예: 테스트의 복사본) 커밋을 알 수 없어 기본 가지를 설치한다고 셀에 적습니다.
- read_output으로 다른 노트북의 결과를 읽는 노트북: 빌드가 그 노트북을 실행해 얻은 파일을 셀 하나에
  실어, 저장소 밖에서도 같은 자리에서 읽게 합니다.
- 그림 출력(PNG·JPEG·SVG)의 alt: 그 셀이 저장한 그림(save_plot, save_diagram의 이름)의 대체 텍스트(노트북이
  결과 목록에 적은 것). 결과 목록에 없는 그림은 그 셀이 속한 절의 제목으로 설명합니다. 노트북 페이지
  (blogbuild/notebook_pages.py)의 그림도 이 값을 alt로 씁니다.

Colab은 GitHub 저장소에 있는 .ipynb만 엽니다(임의의 주소는 열지 못함). 실행된 노트북은 빌드 산출물이라
main 가지에 커밋하지 않으므로, 배포(.github/workflows/deploy.yml)가 사이트에 실린 .ipynb를
`notebooks` 가지에 올리고 "Colab에서 열기"는 그 가지의 파일을 가리킵니다. 그 가지는 마지막 배포의
노트북만 담으므로 링크가 여는 노트북은 지금 사이트에 실린 노트북과 같습니다.
"""

from __future__ import annotations

import ast
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from blogbuild import execution, manifest, series
from blogbuild.snippet_refs import CODE_WIDTH, code_width
from tools.lock import TORCH_INDEX, base_version

if (
    TYPE_CHECKING
):  # nbformat은 노트북을 만들 때만 불러옵니다(입력이 그대로인 빌드는 만들지 않습니다)
    import nbformat

# pyproject.toml의 [project] name과 노트북을 돌리는 데 필요한 의존성을 담은 추가 묶음(extra).
# (빌드는 pyproject.toml을 읽지 않습니다. tests/test_notebook_publish.py가 둘이 같은지 봅니다.)
PACKAGE = "real-code-blog"
EXTRA = "notebooks"
# 배포가 실린 .ipynb를 올리는 가지 (.github/workflows/deploy.yml의 PUBLISHED_NOTEBOOKS_BRANCH와 같아야 함).
PUBLISHED_BRANCH = "notebooks"
# 사본에 더하는 셀의 id: 노트북 페이지의 셀 번호(오류 메시지)는 이 셀들을 세지 않습니다.
SETUP_PREFIX = "blog-setup-"
UPSTREAM_LIMIT = 64 * 1024  # 사본에 실을 수 있는 다른 노트북의 결과 파일 크기(바이트)
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
QUOTED_NAME = re.compile(r"""["']([a-z0-9]+(?:-[a-z0-9]+)*)["']""")
HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class PostLink:
    """노트북의 글: 제목(평문)과 사이트의 절대 주소."""

    title: str
    url: str


class PublishError(ValueError):
    """사이트에 싣는 노트북을 만들 수 없을 때: 파일과 원인."""


@dataclass(frozen=True)
class Source:
    """사이트를 만든 코드: 설치 셀이 고정하는 저장소와 커밋."""

    repo_url: str  # https://github.com/<소유자>/<저장소>
    commit: str | None  # 사이트를 빌드한 커밋(40자리), 알 수 없으면 None
    default_branch: str = "main"

    @property
    def github(self) -> str:
        """<소유자>/<저장소>."""
        parsed = urlparse(self.repo_url)
        path = parsed.path.strip("/").removesuffix(".git")
        if parsed.netloc != "github.com" or path.count("/") != 1:
            raise PublishError(
                f"mkdocs.yml의 repo_url({self.repo_url})이 https://github.com/<소유자>/<저장소> 꼴이 아닙니다"
            )
        return path

    @property
    def ref(self) -> str:
        return self.commit or self.default_branch

    def install_repo(self) -> str:
        """pip이 이 블로그의 패키지를 가져오는 저장소 주소(@커밋은 뺀)."""
        return f"git+https://github.com/{self.github}"

    def colab_url(self, name: str) -> str:
        """배포가 notebooks 가지에 올린 <name>.ipynb를 Colab에서 여는 주소."""
        return (
            f"https://colab.research.google.com/github/{self.github}/blob/"
            f"{PUBLISHED_BRANCH}/{name}.ipynb"
        )


def head_commit(root: Path) -> str | None:
    """root가 git 작업 트리의 뿌리면 HEAD의 커밋, 아니면 None. (커밋하지 않은 변경은 보지 않습니다.)"""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "HEAD^{commit}"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.splitlines()  # 한 줄에 하나: 경로에 빈칸이 있어도 나뉘지 않게
    # root를 품은 다른 저장소(예: 어느 저장소 안에 만든 복사본)의 커밋은 이 사이트의 것이 아닙니다.
    if (
        result.returncode != 0
        or len(lines) != 2
        or Path(lines[0]).resolve() != root.resolve()
        or not re.fullmatch(r"[0-9a-f]{40}", lines[1])
    ):
        return None
    return lines[1]


# ---- 그림의 alt ----------------------------------------------------------------------------


def figure_descriptions(name: str, outputs_root: Path) -> dict[str, str]:
    """노트북 name의 그림마다 alt 글: {그림 이름: 노트북이 결과 목록에 적은 대체 텍스트}."""
    return {
        output.name: " ".join(output.alt.split())
        for output in manifest.load(outputs_root, name).values()
        if output.kind == "figure"
    }


def _saved_names(source: str, saved: set[str]) -> list[str]:
    """셀 소스에 글자 그대로 적힌 이름 가운데 노트북이 저장한 그림의 이름들(적힌 차례, 한 번씩)."""
    names: list[str] = []
    for match in QUOTED_NAME.finditer(source):
        if match[1] in saved and match[1] not in names:
            names.append(match[1])
    return names


def _images(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [
        output
        for output in cell.get("outputs", [])
        if any(kind in output.get("data", {}) for kind in IMAGE_TYPES)
    ]


def describe_images(
    nb: nbformat.NotebookNode, descriptions: dict[str, str], saved: set[str], title: str
) -> None:
    """nb의 그림 출력마다 metadata[<형식>]["alt"]를 채웁니다(제자리에서).

    셀이 그림 하나를 저장하면 그 셀의 그림 출력은 모두 그 그림이고, 여럿을 저장하면 그 수가 그림 출력 수와
    같을 때 차례대로 짝짓습니다. 짝이 된 그림에는 결과 목록의 대체 텍스트를 씁니다.
    결과 목록에 없는 그림(또는 짝을 지을 수 없는 셀)은 그 셀이 속한 절의 제목으로 설명합니다.
    """
    section = title
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            headings = HEADING.findall(cell.source)
            if headings:
                section = headings[-1]
            continue
        images = _images(cell)
        if not images:
            continue
        names = _saved_names(cell.source, saved)
        if len(names) == 1:  # 그림 하나를 저장하는 셀: 셀의 그림은 모두 그 그림(의 벌)입니다
            paired = names * len(images)
        elif len(names) == len(images):
            paired = names
        else:
            paired = [None] * len(images)
        for output, figure in zip(images, paired, strict=True):
            alt = descriptions.get(figure) if figure else None
            if not alt:
                alt = f"「{section}」의 그림" + (f" ({figure}.svg)" if figure else "")
            for kind in IMAGE_TYPES:
                if kind in output.get("data", {}):
                    output.setdefault("metadata", {}).setdefault(kind, {})["alt"] = alt


# ---- 저장소 밖에서 돌리기 -------------------------------------------------------------------


def _upstream_files(source: Path) -> list[tuple[str, str]]:
    """source가 read_output("노트북", "파일")로 읽는 (노트북, 파일) 가운데 둘 다 글자 그대로 적힌 것."""
    text = source.read_text(encoding="utf-8")
    if "read_output" not in text:  # 부르는 곳이 없으면 구문 트리를 만들지 않습니다
        return []
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call):
            continue
        called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        args = node.args
        if called == "read_output" and len(args) == 2:
            if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                pair = (args[0].value, args[1].value)
                if pair not in found:
                    found.append(pair)
    return found


def _markdown_cell(cell_id: str, text: str) -> nbformat.NotebookNode:
    import nbformat

    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id
    return cell


def _code_cell(cell_id: str, text: str) -> nbformat.NotebookNode:
    import nbformat

    cell = nbformat.v4.new_code_cell(text)
    cell.id = cell_id
    return cell


def install_source(source: Source, where: str) -> str:
    """설치 셀: Colab 밖에서는 빌드가 쓴 CPU용 torch를 먼저, 그다음 이 블로그의 패키지.

    줄은 코드 칸(80칸) 안에 둡니다: 긴 주소는 변수에 담고 %pip 줄이 IPython의 {변수}로 씁니다.
    """
    torch = base_version(metadata.version("torch"))
    return "\n".join(
        [
            "# PyTorch: Colab에서는 런타임에 있는 torch(GPU용일 수 있음)를",
            "# 그대로 두고 CPU용으로 바꾸지 않습니다. 그 밖에서는 이 사이트를 빌드한",
            f"# CPU용 torch {torch}를 PyTorch의 CPU 휠 색인에서 먼저 설치합니다",
            "# (공개 색인의 torch는 CUDA용이라 CUDA 패키지 몇 GB를 함께 가져옵니다).",
            "import sys",
            "",
            f'TORCH_INDEX = "{TORCH_INDEX}"',
            'if "google.colab" not in sys.modules:',
            f"    %pip install --quiet --no-deps --index-url {{TORCH_INDEX}} torch=={torch}",
            f"# 이 블로그의 패키지: {where}",
            f'REPO = "{source.install_repo()}"',
            f'REF = "{source.ref}"',
            f'%pip install --quiet "{PACKAGE}[{EXTRA}] @ {{REPO}}@{{REF}}"',
        ]
    )


def _string_lines(text: str, indent: str, last: str = "") -> list[str]:
    """text를 잇단 문자열 리터럴들(파이썬이 하나로 잇는)로: 줄바꿈마다, 그리고 코드 칸(80칸)을 넘기 전에 끊습니다.

    last는 마지막 줄 끝에 붙는 글자(인자 목록 안이면 ",")입니다.
    """
    room = CODE_WIDTH - len(indent) - len(last)
    lines: list[str] = []
    chunk = ""
    for char in text:
        if chunk and code_width(repr(chunk + char)) > room:
            lines.append(indent + repr(chunk))
            chunk = ""
        chunk += char
        if char == "\n":
            lines.append(indent + repr(chunk))
            chunk = ""
    if chunk or not lines:
        lines.append(indent + repr(chunk))
    lines[-1] += last
    return lines


def setup_cells(
    name: str,
    source: Source,
    uses_corpus: bool,
    upstreams: list[tuple[str, Path]],
    post: PostLink | None = None,
) -> list[nbformat.NotebookNode]:
    """사본의 제목 다음에 넣는 셀들: 안내(글로 가는 링크가 먼저), 설치, (있으면) 다른 노트북의 결과."""
    if source.commit:
        pinned = f"이 페이지를 만든 커밋 `{source.commit[:12]}`에 고정해"
        where = f"커밋 {source.commit}"
    else:
        pinned = f"`{source.default_branch}` 가지의 지금 코드로(빌드가 커밋을 알 수 없었습니다)"
        where = f"{source.default_branch} 가지 (빌드가 커밋을 알 수 없었습니다)"
    lines = [f"**글** · [{series.markdown_text(post.title)}]({post.url})", ""] if post else []
    lines += [
        f"**직접 실행하기** · [Colab에서 열기]({source.colab_url(name)})",
        "",
        "저장소 밖(Colab, 내 컴퓨터의 Jupyter)에서는 아래 첫 코드 셀이 이 블로그의 패키지(글의 코드 "
        f"`snippets`와 결과를 저장하는 `notebook_outputs`)를 {pinned} 설치합니다. 저장소 안에서 `make install`로 만든 환경이라면 그 셀은 건너뛰세요. "
        "그림과 표는 현재 디렉터리의 `outputs/`에 저장됩니다. 그림은 만들어지는 셀 아래에 밝은 "
        "팔레트로 보이고, 글에 실리는 숫자는 `save_numbers`를 부르는 셀 아래에 보입니다. 같은 설치"
        "(패키지와 CPU용 torch)에서는 그 숫자가 글과 같습니다. 다른 torch 판이나 GPU, 다른 스레드 수에서는 "
        "학습하는 노트북의 손실과 확률이 끝자리에서 달라질 수 있습니다(부동소수점 덧셈의 차례가 달라서).",
    ]
    if uses_corpus:
        lines += [
            "",
            "학습 말뭉치는 설치한 패키지에 든 스냅숏(`snippets/data/blog-corpus.txt`)입니다: 그 커밋의 "
            "블로그 글에서 산문만 모은 것이라 빌드와 같은 글로 학습합니다. 저장소 밖에는 글"
            "(`docs/blog/posts/`)이 없으므로 말뭉치를 새로 만들 수는 없습니다.",
        ]
    for upstream, _ in upstreams:
        lines += [
            "",
            f"이 노트북은 노트북 `notebooks/{upstream}.py`가 남긴 결과를 읽습니다. 저장소 밖에는 그 "
            "결과가 없으므로, 빌드가 그 노트북을 실행해 얻은 파일을 둘째 코드 셀이 그대로 씁니다.",
        ]
    cells = [
        _markdown_cell(f"{SETUP_PREFIX}note", "\n".join(lines)),
        _code_cell(f"{SETUP_PREFIX}install", install_source(source, where)),
    ]
    if upstreams:
        body = [
            "# 빌드가 실행한 노트북이 남긴 파일을 read_output이 읽는 자리에 씁니다.",
            "import os",
            "from pathlib import Path",
            "",
            'os.environ["BLOG_OUTPUTS_ROOT"] = "upstream-outputs"',
        ]
        for upstream, path in upstreams:
            body += [
                "",
                f'target = Path("upstream-outputs/{upstream}/{path.name}")',
                "target.parent.mkdir(parents=True, exist_ok=True)",
                "target.write_text(",
                *_string_lines(path.read_text(encoding="utf-8"), "    ", last=","),
                '    encoding="utf-8",',
                ")",
            ]
        cells.append(_code_cell(f"{SETUP_PREFIX}upstream", "\n".join(body)))
    return cells


def _title(nb: nbformat.NotebookNode, name: str) -> tuple[str, int]:
    """(노트북 제목, 설치 셀을 넣을 자리): 첫 셀이 제목(# ...)이 든 Markdown이면 그 다음."""
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "markdown":
        headings = HEADING.findall(first.source)
        if headings:
            return headings[0], 1
    return name, 0


def published_inputs(
    name: str,
    source: Source,
    *,
    notebook_source: Path,
    root: Path,
    outputs_root: Path,
    post: PostLink | None = None,
) -> list[str | bytes]:
    """published가 읽는 모든 것(빌드 사이의 기억 memo의 키): 노트북의 결과 디렉터리의 파일들(실행된 노트북,
    결과 목록, 그림), 노트북의 원본과 그것이 불러오는 저장소의 모듈(snippets/, notebook_outputs/), read_output으로 읽는 다른 노트북의
    결과, 설치 셀이 고정하는 것(커밋, torch의 판, 휠 색인), 글로 가는 링크."""
    parts: list[str | bytes] = [
        name,
        repr(source),
        repr(post),
        TORCH_INDEX,
        metadata.version("torch"),
    ]
    directories = [outputs_root / name] + [
        outputs_root / upstream for upstream, _ in _upstream_files(notebook_source)
    ]
    for directory in directories:
        for path in sorted(directory.iterdir()) if directory.is_dir() else []:
            if path.is_file():
                parts += [path.relative_to(outputs_root).as_posix(), path.read_bytes()]
    parts.append(notebook_source.read_bytes())
    modules = execution.code_dependencies(notebook_source, root)
    parts += [path.relative_to(root).as_posix() for path in modules]
    return parts


def published(
    executed: Path,
    name: str,
    source: Source,
    *,
    notebook_source: Path,
    root: Path,
    outputs_root: Path,
    post: PostLink | None = None,
) -> str:
    """사이트에 싣는 노트북의 JSON 글: 실행된 노트북에 설치 셀과 그림의 alt를 더한 것."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    title, at = _title(nb, name)
    saved = {p.stem for p in (outputs_root / name).glob("*.svg")}
    describe_images(nb, figure_descriptions(name, outputs_root), saved, title)
    upstreams = []
    for upstream, file_name in _upstream_files(notebook_source):
        path = outputs_root / upstream / file_name
        if not path.is_file() or path.stat().st_size > UPSTREAM_LIMIT:
            raise PublishError(
                f"notebooks/{name}.py: read_output({upstream!r}, {file_name!r})의 파일을 저장소 밖에서 "
                f"돌릴 노트북에 실을 수 없습니다 (없거나 {UPSTREAM_LIMIT // 1024} KB보다 큽니다)"
            )
        upstreams.append((upstream, path))
    uses_corpus = root / "snippets" / "corpus.py" in execution.code_dependencies(
        notebook_source, root
    )
    nb.cells[at:at] = setup_cells(name, source, uses_corpus, upstreams, post)
    return nbformat.writes(nb) + "\n"
