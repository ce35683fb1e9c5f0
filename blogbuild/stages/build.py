"""build 단계: 생성기(ProperDocs, blogbuild/host.py + Material)로 site/를 만듭니다.

`python -m blogbuild build`는 생성기를 엄격 모드로 돌리고, 생성기는 어댑터(blogbuild/hooks.py)를 거쳐 빌드
전에 check·execute·prepare를, 빌드 뒤에 finish를 부릅니다. 생성기가 페이지를 그리는 동안 이 블로그가 더하는
일은 아래의 함수들이고, 어댑터는 생성기의 이벤트에서 이 함수들을 부르기만 합니다.

- post_markdown: 글의 `{{ outputs/<노트북>/<이름> }}` 자리를 노트북의 결과 목록(manifest)에 있는 숫자·표·그림으로
  채웁니다(placeholders).
- page_html: 노트북의 그림을 번호 붙은 <figure>로(figures), 수식을 MathML로(mathml), 시리즈의 글에 "먼저
  읽을 글"과 이전 글·다음 글을(series) 넣고, 기여자의 내용에서 실행될 수 있는 것을 찾아 멈춥니다.
- final_html: 다 그린 페이지에 Content-Security-Policy를 넣습니다(csp): 정책은 템플릿이 만든 인라인
  스크립트의 해시만 허락하므로, 페이지 본문(기여자의 내용)을 아는 이 단계에서 셉니다. 한 가지 요소만 움직이는
  사이트의 스크립트·스타일은 그 요소가 있는 페이지에만 남깁니다(page_assets).
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Callable
from pathlib import Path

import markupsafe

from blogbuild import (
    active_content,
    csp,
    excerpts,
    figures,
    frontmatter,
    glossary,
    host,
    mathml,
    memo,
    notebook_pages,
    page_assets,
    placeholders,
    series,
)
from blogbuild.problems import shown
from blogbuild.project import Project, StageError

NOTEBOOKS, POSTS = "notebooks/", "blog/posts/"


def run(project: Project, *host_args: str) -> None:
    """생성기로 엄격 빌드를 합니다(host_args는 생성기에 그대로: 예 --site-dir)."""
    command = [*host.command("build"), "--strict", *host_args]
    result = subprocess.run(command, cwd=project.root, check=False)
    if result.returncode != 0:
        raise StageError(
            "생성기가 사이트를 만들지 못했습니다:", [f"{' '.join(command[1:])}: 위의 로그를 보세요"]
        )


def serve(project: Project, *host_args: str) -> None:
    """생성기의 미리 보기 서버(고치면 다시 빌드): make serve, make write."""
    subprocess.run([*host.command("serve"), *host_args], cwd=project.root, check=False)


def post_markdown(markdown: str, src_uri: str, source: str, slug: object, project: Project) -> str:
    """글(.md)의 결과 자리를 채운 Markdown. source는 앞머리까지 든 원문(줄 번호를 맞추려고).
    노트북 페이지(prepare가 쓴 것)는 글이 아니라 자리가 없습니다."""
    if src_uri.startswith(NOTEBOOKS):
        return markdown
    try:
        return placeholders.substitute(
            markdown,
            project.outputs,
            where=shown(f"docs/{src_uri}"),
            first_line=frontmatter.body_first_line(source, markdown),
            own_notebook=placeholders.companion_notebook(slug, project.root),
            prefix=placeholders.outputs_prefix(src_uri),
        )
    except placeholders.PlaceholderError as error:
        raise StageError("글의 결과 자리를 채울 수 없습니다:", [error]) from error


def page_html(
    html: str,
    src_uri: str,
    project: Project,
    url_of: Callable[[str], str],
) -> str:
    """문서 페이지의 본문 HTML을 마칩니다. url_of: docs/ 아래 경로 → 이 페이지에서 본 상대 주소."""
    where = shown(f"docs/{src_uri}")
    if src_uri.startswith(NOTEBOOKS):  # 노트북 페이지: 원본은 notebooks/<이름>.py
        where = f"notebooks/{Path(src_uri).stem}.py"
    try:
        findings = active_content.in_page(html)
        if findings:
            listed = "\n".join(f"  {finding.what}" for finding in findings)
            raise StageError(
                f"{where}: 페이지가 실을 수 없는 내용을 싣습니다 "
                f"(--8<--로 끌어온 파일이나 노트북이 만든 표일 수 있습니다):",
                [listed, *active_content.how_to_fix(findings)],
            )
        if src_uri.startswith(POSTS):
            # 시리즈의 글이면 제목 아래 "먼저 읽을 글"과 끝의 이전 글·다음 글 (차례는 data/series.yml)
            html = series.decorate(html, src_uri, project.series()[0], url_of)
        # 노트북의 그림: 번호 붙은 <figure>, 팔레트·화면 폭마다의 벌, 그림 속 글자 크기 검사
        html, problems = figures.render_figures(html, project.outputs)
        if problems:
            raise StageError(f"{where}: 그림을 실을 수 없습니다:", [f"  {p}" for p in problems])
        html = figures.add_sizes_and_lazy_loading(html, project.outputs)
        return mathml.render_math(html)
    except (figures.FigureError, mathml.MathError) as error:
        raise StageError(f"{where}: {error}", []) from error


def reading_minutes(html: str, words_per_minute: int) -> int:
    """글을 읽는 시간(분): Material의 블로그가 셈하는 그대로(material.plugins.blog.readtime)이되, 본문 HTML이
    지난 빌드와 같으면 그때의 값으로(HTML 파서로 글 전체를 읽는 일이 온 빌드의 글마다 되풀이되지 않게)."""
    from material.plugins.blog.readtime import readtime

    return memo.remembered(
        (str(words_per_minute), html),
        lambda: readtime(html, words_per_minute),
        shape=int,
        tools=("mkdocs-material",),
    )


def excerpt_markdown(markdown: str, src_uri: str) -> str:
    """글 페이지를 다 그린 뒤 목록의 요약이 다시 그릴 Markdown: 구분선까지면 됩니다."""
    return excerpts.up_to_separator(markdown) if src_uri.startswith(POSTS) else markdown


def final_html(
    output: str, src_uri: str, contributed: list[str], project: Project, preview: bool
) -> str:
    """다 그린 페이지: 남은 숫자 자리 검사, 쓰지 않는 요소의 스크립트·스타일 빼기, CSP.

    contributed는 글쓴이의 내용이 그려진 조각들(페이지 본문, 블로그 목록이 싣는 글 요약)입니다."""
    left = placeholders.leftovers(output)
    if left:
        raise StageError(
            f"{shown(src_uri)}: 채워지지 않은 자리 {', '.join(sorted(set(left)))}가 페이지에 남았습니다 "
            "(--8<--로 끌어온 파일 안의 자리는 채워지지 않습니다)",
            [],
        )
    try:
        output = page_assets.only_where_used(output, contributed, project.extra("page_assets"))
    except page_assets.SelectorError as error:
        raise StageError(f"mkdocs.yml: {error}", []) from error
    return csp.add_policy(output, contributed, serve=preview)


def template_html(output: str, template_name: str, preview: bool) -> str:
    """페이지가 아닌 템플릿(404.html)에도 같은 정책을: 글쓴이의 내용이 없으니 모두 템플릿의 것입니다."""
    if template_name.endswith(".html"):
        return csp.add_policy(output, [], serve=preview)
    return output


def notebook_download(src_uri: str) -> str | None:
    """노트북 페이지의 내려받기 단추(overrides/main.html)가 가리키는 .ipynb의 사이트 안 경로."""
    if not src_uri.startswith(NOTEBOOKS):
        return None
    return notebook_pages.ipynb_uri(Path(src_uri).stem)


# 내용을 빌드가 data/의 파일에서 만드는 페이지: 그 Markdown은 만든 표를 싣기만 하니 "고치기"는 data/의 파일로
GENERATED_FROM = {series.SERIES_PAGE: series.SERIES, glossary.PAGE: glossary.GLOSSARY}


def edit_url(src_uri: str, project: Project) -> str | None:
    """글쓴이가 고칠 원본으로 "고치기" 단추가 가게 합니다: 노트북 페이지는 실행 결과(.ipynb)가 아니라
    notebooks/<이름>.py로, 시리즈와 용어집 페이지는 그 내용을 만드는 data/series.yml, data/glossary.yml로.

    edit_uri(edit/<가지>/docs/)의 docs/ 자리를 바꿔, 가지 이름은 mkdocs.yml 한 곳에 둡니다."""
    if src_uri.startswith(NOTEBOOKS):
        source = f"notebooks/{Path(src_uri).stem}.py"
    elif src_uri in GENERATED_FROM:
        source = GENERATED_FROM[src_uri].as_posix()
    else:
        return None
    edit_base = posixpath.dirname(project.edit_uri.rstrip("/"))
    return f"{project.repo_url.rstrip('/')}/{edit_base}/{source}"


def escaped_meta(meta: dict) -> None:
    """Material의 템플릿은 자동 이스케이프 없이 앞머리 값을 싣습니다(<meta name="description" content="...">).
    글쓴이가 쓴 자유 글은 템플릿에 닿기 전에 한 번 이스케이프합니다(Markup이라 두 번 되지 않음)."""
    if isinstance(meta.get("description"), str):
        meta["description"] = markupsafe.escape(meta["description"])
