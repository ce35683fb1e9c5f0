"""check 단계: 기여자가 보낸 것을 검사해, 틀리면 파일과 줄을 짚어 멈춥니다. 아무것도 쓰지 않습니다.

저장소 밖을 가리키는 링크와 읽을 수 없는 바이트(containment)부터, 앞머리(frontmatter), 코드 조각
참조(snippet_refs)와 코드 줄의 너비(80칸), 글 속의 스크립트·이벤트 처리기·스타일(active_content), 인용과 참고 문헌(references),
용어집이 피하는 꼴과 처음 쓴 용어의 영어(glossary), 시리즈 차례와 앞 글이 뒤 글의 부품을 쓰는지(series).

입력(containment.SOURCE_DIRS와 mkdocs.yml)의 내용이 지난번 통과한 때와 같으면 다시 검사하지 않습니다(memo).
"""

from __future__ import annotations

import logging
from pathlib import Path

from blogbuild import (
    active_content,
    containment,
    execution,
    frontmatter,
    glossary,
    layout_prose,
    memo,
    placeholders,
    references,
    series,
    snippet_refs,
)
from blogbuild.problems import shown
from blogbuild.project import CONFIG, Project, StageError, stop
from blogbuild.stages import fingerprint

log = logging.getLogger("mkdocs.hooks.blogbuild")


def run(project: Project) -> None:
    """모든 검사. 통과한 입력은 빌드 사이의 기억(memo)에 남아, 같은 입력의 다음 빌드는 다시 검사하지 않습니다
    (미리 보기의 경고는 기억에서 다시 알립니다). 멈춘 검사는 기억되지 않습니다."""
    inputs = fingerprint(
        project.root,
        [*containment.SOURCE_DIRS, CONFIG],
        extra=f"preview={project.preview} strict={project.strict}",
    )
    for warning in memo.remembered([inputs], lambda: _check(project), shape=[str]):
        log.warning(warning)


def _check(project: Project) -> list[str]:
    root, posts, docs = project.root, project.posts(), project.docs
    # 저장소 밖을 가리키는 링크와 읽을 수 없는 바이트부터: 다른 검사가 그 파일을 읽기 전에.
    stop(
        "저장소의 파일을 읽을 수 없습니다:",
        [
            *containment.check_links(root),
            *containment.check_encodings(root),
            *containment.check_names(root),
        ],
    )
    max_kb = int(project.extra("posts").get("max_kb", frontmatter.POST_MAX_KB))
    stop("글이 너무 큽니다:", frontmatter.size_problems(posts, root, max_kb))
    leftovers, warnings = _scaffold_leftovers(project)
    post_problems = frontmatter.check_posts(posts, root)
    # 글의 문제는 한꺼번에 알립니다: 고치고 다시 빌드하는 횟수가 줄어듭니다. 시리즈 차례(data/series.yml)와
    # 용어집(data/glossary.yml)의 문제도 여기서 함께: 글 하나를 초안으로 돌리면 두 파일이 다 짚힙니다.
    # 차례는 글의 앞머리를 읽으므로, 앞머리가 틀렸으면 그 문제부터 알립니다.
    stop(
        "글을 빌드할 수 없습니다:",
        [
            *leftovers,
            *post_problems,
            *([] if post_problems else _series_problems(project)),
            *frontmatter.check_yaml_headers(
                sorted(set(docs.rglob("*.md")) - set(posts)),
                [notebook.source for notebook in execution.find_notebooks(root)],
                root,
            ),
            *snippet_refs.check_all(root, posts),
            *placeholders.old_syntax_problems(sorted(docs.rglob("*.md")), root),
            *references.check_all(root, posts),
            *_active_content_problems(root, docs),
            *glossary.check_posts(posts, root),
            *layout_prose.check_posts(posts, root),
        ],
    )
    stop("코드 줄이 코드 칸보다 넓습니다:", snippet_refs.width_problems(root, posts))
    title = "트랜스포머 시리즈를 차례대로 읽을 수 없습니다:"
    try:
        forward = series.forward_references(root, docs, project.series()[0])
    except execution.ExecutionError as error:
        raise StageError(title, [error]) from None
    stop(title, forward)
    return warnings


def _series_problems(project: Project) -> list[object]:
    """data/series.yml의 차례가 틀린 곳(없는 slug, 초안, 두 번 나온 글): 파일과 줄을 짚은 문제들."""
    try:
        project.series()
    except StageError as error:
        return error.problems
    return []


def _scaffold_leftovers(project: Project) -> tuple[list, list[str]]:
    """뼈대가 넣은 '(바꾸세요)' 자리 글: 엄격 빌드(make build)는 멈추고(첫째), 미리 보기(make serve)는
    경고하고 보여 줍니다(둘째). 초안(draft: true)은 실리지 않으므로 엄격 빌드도 멈추지 않고, 미리 보기만 알립니다."""
    leftovers, warnings = [], []
    for post in project.posts():
        found = frontmatter.scaffold_leftovers(post, project.root)
        draft = frontmatter.is_draft(post)
        if project.strict and not draft:
            leftovers += found
        elif not project.strict:
            why = "엄격 빌드 make build는 여기서 멈춥니다"
            if draft:
                why = "초안이라 출판되지 않습니다: 'draft: true'를 지우기 전에 바꾸세요"
            warnings += [f"{problem} ({why})" for problem in found]
    return leftovers, warnings


def _active_content_problems(root: Path, docs: Path) -> list[str]:
    """docs/ 아래 모든 Markdown에서 실행될 수 있는 HTML: 파일과 줄을 짚어."""
    problems, findings = [], []
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        _, body = frontmatter.split_front_matter(text)
        first = frontmatter.body_first_line(text)
        for finding in active_content.in_markdown(body, first):
            problems.append(f"{shown(page.relative_to(root))}:{finding.line}: {finding.what}")
            findings.append(finding)
    return problems + active_content.how_to_fix(findings)
