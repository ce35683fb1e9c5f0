"""빌드의 모든 단계가 함께 읽는 것: 저장소의 경로, mkdocs.yml의 설정, 글과 시리즈.

단계(check, execute, prepare, build, finish)는 생성기 없이도 혼자 돌아야 하므로(`python -m blogbuild
<단계>`), 설정을 MkDocs의 설정 객체가 아니라 mkdocs.yml을 직접 읽어 얻습니다. 생성기 안에서 돌 때(어댑터
hooks.py)는 생성기가 정한 것(미리 보기인지, 엄격 빌드인지, 사이트 디렉터리)만 넘겨받습니다.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from blogbuild import frontmatter, series

CONFIG = "mkdocs.yml"
POSTS = "blog/posts"


class StageError(RuntimeError):
    """단계를 마칠 수 없음: 무엇을 하다 멈췄는지(title)와 파일·줄을 짚은 문제들."""

    def __init__(self, title: str, problems: list[object]) -> None:
        super().__init__("\n".join([title, *map(str, problems)]))
        self.title, self.problems = title, problems


def stop(title: str, problems: list[object]) -> None:
    """problems가 있으면 한꺼번에 알리고 멈춥니다: 고치고 다시 빌드하는 횟수가 줄어듭니다."""
    if problems:
        raise StageError(title, problems)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml을 읽는 로더: 생성기만 아는 태그(!relative, !ENV, !!python/…)는 값 없이 넘깁니다.

    mkdocs.yml은 저장소 관리자가 쓰는 설정이지만, 여기서는 단계에 필요한 값(경로, extra, 주소)만 읽으므로
    코드를 만드는 태그를 실행할 까닭이 없습니다.
    """


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    """저장소 하나의 빌드: 뿌리(root)와 mkdocs.yml, 그리고 생성기가 정한 빌드의 종류."""

    root: Path
    config: dict = field(repr=False)
    preview: bool = False  # 미리 보기(make serve, make write): 초안을 싣고, 뼈대의 자리 글은 경고만
    strict: bool = True  # 엄격 빌드(make build, CI): 경고도 멈춤
    site: Path | None = None  # 생성기가 쓰는 사이트 디렉터리(없으면 mkdocs.yml의 site_dir)
    # 빌드 하나(Project 하나: 생성기는 빌드마다 새로 만듭니다) 동안 한 번만 셀 것들(series)
    _once: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, root: Path, **kinds) -> Project:
        path = root / CONFIG
        try:
            config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
        except (OSError, yaml.YAMLError) as error:
            raise StageError(f"{CONFIG}을 읽을 수 없습니다:", [error]) from None
        if not isinstance(config, dict):
            raise StageError(
                f"{CONFIG}을 읽을 수 없습니다:", ["설정은 키와 값의 사전이어야 합니다"]
            )
        return cls(root.resolve(), config, **kinds)

    # 경로
    @property
    def docs(self) -> Path:
        return (self.root / self.config.get("docs_dir", "docs")).resolve()

    @property
    def site_dir(self) -> Path:
        return self.site or self.root / self.config.get("site_dir", "site")

    @property
    def build_dir(self) -> Path:
        """빌드가 만드는 것(노트북의 결과, 사이트에 싣는 노트북, 목록): 지워도 다음 빌드가 다시 만듭니다."""
        return self.root / "build"

    @property
    def outputs(self) -> Path:
        return self.build_dir / "outputs"

    def cache(self, name: str) -> Path:
        """빌드 사이에 남기는 캐시(.cache/blogbuild/<name>): 지워도 다음 빌드가 다시 만듭니다."""
        return self.root / ".cache" / "blogbuild" / name

    # 설정
    def extra(self, section: str) -> dict:
        value = (self.config.get("extra") or {}).get(section) or {}
        return value if isinstance(value, dict) else {}

    @property
    def site_url(self) -> str:
        return self.config.get("site_url") or ""

    @property
    def site_path(self) -> str:
        """사이트가 놓이는 경로(site_url의 경로, 예: /blog/)."""
        return urllib.parse.urlsplit(self.site_url or "/").path or "/"

    @property
    def repo_url(self) -> str:
        return self.config.get("repo_url") or ""

    @property
    def edit_uri(self) -> str:
        return self.config.get("edit_uri") or "edit/main/docs/"

    @property
    def edit_branch(self) -> str:
        """edit_uri(edit/<가지>/docs/)가 가리키는 가지: 커밋을 모를 때 설치 셀이 쓰는 가지."""
        parts = self.edit_uri.strip("/").split("/")
        return parts[1] if len(parts) > 2 and parts[0] in {"edit", "blob"} else "main"

    def plugin(self, name: str) -> dict:
        """mkdocs.yml의 plugins에서 name의 설정(없거나 설정이 없으면 빈 사전)."""
        for item in self.config.get("plugins") or []:
            if item == name:
                return {}
            if isinstance(item, dict) and name in item:
                return item[name] or {}
        return {}

    # 글
    def posts(self) -> list[Path]:
        """모든 글(초안 포함): 검사는 모든 글에 합니다."""
        return sorted((self.docs / POSTS).glob("*.md"))

    @property
    def drafts_shown(self) -> bool:
        """Material 블로그와 같은 규칙: draft가 참이거나, 미리 보기에서 draft_on_serve(기본 참)가 참."""
        blog = self.plugin("blog")
        return bool(blog.get("draft", False) or (self.preview and blog.get("draft_on_serve", True)))

    def published(self) -> list[Path]:
        """이 빌드가 싣는 글(frontmatter.published)."""
        return frontmatter.published(self.posts(), drafts_shown=self.drafts_shown)

    def series(self) -> tuple[series.Series, dict[str, series.PostInfo]]:
        """data/series.yml의 차례와 이 빌드가 싣는 글. 틀렸으면 파일과 줄을 짚어 멈춥니다.

        빌드 하나에 한 번 읽습니다: 단계마다, 글 페이지마다 부르므로(글이 N편이면 페이지 N개가 글 N편의
        앞머리를 다시 읽던 것). 빌드 중에 고친 글은 다음 빌드가 읽습니다(make serve는 고치면 다시 빌드합니다).
        """
        if "series" not in self._once:
            self._once["series"] = _series(self)
        return self._once["series"]

    def post_url(self, post: series.PostInfo) -> str:
        """글 페이지의 사이트 안 주소(blog/2025/01/31/<slug>/): Material 블로그의 기본 주소 규칙.

        규칙을 바꾼 설정(post_url_format, post_url_date_format)은 받지 않고 그 자리를 짚어 멈춥니다:
        노트북의 링크와 피드가 생성기가 매긴 주소와 어긋나지 않게(tests/test_stages.py가 생성기와 맞춰 봅니다).
        """
        blog = self.plugin("blog")
        for key, default in (
            ("post_url_format", "{date}/{slug}"),
            ("post_url_date_format", "yyyy/MM/dd"),
        ):
            if blog.get(key, default) != default:
                raise StageError(
                    f"{CONFIG}의 blog 설정을 쓸 수 없습니다:",
                    [
                        f"{CONFIG}: plugins.blog.{key}: 빌드는 기본값 '{default}'만 압니다. 그 줄을 지우세요"
                    ],
                )
        blog_dir = blog.get("blog_dir", "blog").strip("/")
        return f"{blog_dir}/{post.date:%Y/%m/%d}/{post.slug}/"


def _series(project: Project) -> tuple:
    docs = project.docs
    posts = series.read_posts(project.published(), docs)
    drafts = frozenset(
        frontmatter.read_front_matter(post)["slug"]
        for post in project.posts()
        if frontmatter.is_draft(post)
    )
    try:
        return series.load(project.root, docs, posts, drafts), posts
    except series.SeriesError as error:
        raise StageError("트랜스포머 시리즈를 만들 수 없습니다:", error.problems) from None
