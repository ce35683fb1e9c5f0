"""`python -m blogbuild <단계>`: 빌드의 단계를 하나씩 돌립니다. 단계의 설명은 blogbuild/stages/에 있습니다."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from blogbuild import memo, prepared_tree
from blogbuild.project import Project, StageError
from blogbuild.stages import NAMES, build, check, execute, finish, prepare

HELP = {
    "check": "기여자가 보낸 것(글, 앞머리, 코드 조각 참조, 링크, 인코딩, 인용, 용어, 시리즈 차례)을 검사합니다",
    "execute": "check 뒤에 노트북을 갇힌 커널에서 실행해 build/outputs/에 그림·표·숫자를 씁니다(키로 캐시)",
    "prepare": "execute 뒤에 생성기가 그릴 것(사이트에 싣는 노트북과 그 페이지, 용어집 표, 시리즈 목록)을 build/에 씁니다"
    " (--tree: 훅 없는 생성기가 그릴 준비된 트리도)",
    "build": "생성기로 site/를 엄격 빌드합니다(생성기가 앞의 단계와 finish를 부릅니다)",
    "finish": "site/를 마칩니다: RSS 피드, 검색 색인의 낱말, 사이트의 모든 파일의 마지막 검사"
    " (--site: 다른 생성기가 빌드한 사이트를)",
    "serve": "(단계가 아님) 생성기의 미리 보기 서버: 고치면 다시 빌드합니다",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m blogbuild",
        description="블로그 빌드의 단계: "
        + " → ".join(NAMES)
        + ". 앞 단계의 결과가 없거나 낡았으면 "
        "앞 단계부터 돕니다(입력이 그대로인 단계는 건너뜁니다).",
    )
    commands = parser.add_subparsers(dest="stage", required=True, metavar="<단계>")
    for name, text in HELP.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument(
            "--root", type=Path, default=Path.cwd(), help="저장소 뿌리(기본: 지금 디렉터리)"
        )
        if name in {"check", "execute", "prepare", "finish"}:
            command.add_argument(
                "--preview",
                action="store_true",
                help="미리 보기(make serve)처럼: 초안을 싣고 자리 글은 경고만",
            )
        if name == "prepare":
            command.add_argument(
                "--tree",
                type=Path,
                help="준비된 트리도 씁니다: 훅 없는 생성기(Zensical)가 그대로 그릴, 자리·그림·시리즈 안내를 "
                "채운 docs/의 사본(예: build/prepared)",
            )
        if name == "finish":
            command.add_argument(
                "--site",
                type=Path,
                help="다른 생성기가 준비된 트리에서 빌드한 사이트를 마칩니다(남은 수식도 MathML로). "
                "기본: mkdocs.yml의 site_dir",
            )
        if name in {"build", "serve"}:
            command.add_argument("host_args", nargs="*", help="생성기에 그대로 넘길 인자(-- 뒤에)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    preview = getattr(args, "preview", False)
    try:
        site = getattr(args, "site", None)
        project = Project.load(
            args.root, preview=preview, strict=not preview, site=site and site.resolve()
        )
        if args.stage == "build":
            build.run(project, *args.host_args)
        elif args.stage == "serve":
            build.serve(project, *args.host_args)
        elif args.stage == "finish":
            finish.run(project, other_generator=site is not None)
        else:
            # 단계가 혼자 돌 때도 빌드 사이의 기억(memo)을 씁니다. 다른 단계가 남긴 항목은 지우지 않습니다.
            memo.start(project.cache("memo.json"))
            for stage in (check, execute, prepare)[: NAMES.index(args.stage) + 1]:
                stage.run(project)
            if getattr(args, "tree", None):
                tree = prepared_tree.write(project, args.tree)
                print(f"준비된 트리: {tree}")
            memo.finish(keep_unused=True)
    except StageError as error:
        print(f"ERROR   -  {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
