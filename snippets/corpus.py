"""이 블로그의 글을 작은 언어 모델의 학습 말뭉치(corpus)로 쓰기.

작은 모델 예제(GPT의 인과적 언어 모델링, BERT의 마스크 언어 모델링 등)는 바깥 데이터 없이
블로그 자신의 글(docs/blog/posts/*.md)에서 산문만 골라 학습합니다.

- blog_text(root): 글들의 산문을 한 문자열로 (앞머리, 코드 블록, 코드 조각 참조, 링크 주소,
  HTML 주석, 수식, 참고 문헌 목록은 빼고, 제목의 #, 인라인 코드의 백틱, 강조의 *, 인라인 수식의 $ 같은
  마크다운 기호는 글자만 남깁니다. 글 사이는 빈 줄 둘(POST_BREAK))
- corpus_text(): 학습에 쓰는 말뭉치. blog_text를 어느 시점에 저장해 둔 snippets/data/blog-corpus.txt입니다.
  글을 고칠 때마다 모델을 다시 학습하지 않도록(미리보기가 1초 안에 다시 그려지도록) 스냅숏을 쓰고,
  새로 고치는 일은 명시적으로 합니다: `python -m snippets.corpus` (또는 `make corpus`).
  스냅숏은 패키지 안에 있어(pyproject.toml의 package-data) 저장소 밖에 설치한 패키지(내려받은 노트북,
  Colab)에서도 같은 말뭉치를 읽습니다. 글을 읽는 blog_text는 저장소 안에서만 됩니다.
- split_held_out(text): 말뭉치의 끝부분(마지막 글)을 학습에서 떼어 평가용으로 남기기
- CharVocab: 문자 단위 어휘(character-level vocabulary)와 encode/decode
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import torch

ROOT = (
    Path(__file__).resolve().parent.parent
)  # 저장소 뿌리 (blog_text가 글을 찾는 곳)
CORPUS = (
    Path(__file__).resolve().parent / "data" / "blog-corpus.txt"
)  # 패키지에 든 스냅숏
# 이 모듈이 읽는 데이터: 빌드의 실행 캐시가 이것까지 키에 넣어, 말뭉치를 새로 고치면 학습 노트북이 다시 돕니다.
BUILD_INPUTS = ("snippets/data/blog-corpus.txt",)

# 글에서 산문이 아닌 부분들. 순서대로 지웁니다(앞의 것이 뒤의 것을 품을 수 있어서).
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_FENCE = re.compile(
    r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.DOTALL | re.MULTILINE
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)
_REFERENCES = re.compile(
    r"^## 참고 문헌[ \t]*\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE
)
_SNIPPET_REF = re.compile(r"^[ \t]*--8<--.*$", re.MULTILINE)
# 노트북의 표와 그림: 한 줄에 혼자 쓴 {{ outputs/<노트북>/<이름> }} (들여쓰기까지 지워 빈 줄로)
_OUTPUT_LINE = re.compile(r"^[ \t]*\{\{[^}]*\}\}[ \t]*$", re.MULTILINE)
# 주소 안의 괄호 한 겹까지 (https://x.org/a_(b)), 그리고 따옴표 안의 제목(그림의 캡션: 괄호가 들어 있어도)
_URL = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
_IMAGE = re.compile(
    r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]" + _URL
)  # 설명 안의 [CLS] 한 겹까지
_CITATION = re.compile(r"\[\[\d+\]\]\(#ref-\d+\)")
_LINK = re.compile(r"\[([^\]]*)\]" + _URL)
_ATTR_LIST = re.compile(r"[ \t]*\{\s*[#.:][^}]*\}")
_OUTPUT_NUMBER = re.compile(r"\{\{[^}]*\}\}")
# 글에 그대로 실은 HTML 줄(계산기의 <form> 같은 것)과 접는 블록의 머리(??? example "제목")도 산문이 아닙니다.
_HTML_LINE = re.compile(r"^[ \t]*<[^>\n]*>.*$\n?", re.MULTILINE)
_ADMONITION = re.compile(
    r'^[ \t]*(?:\?\?\?\+?|!!!)[ \t]+[\w-]+(?:[ \t]+"[^"\n]*")?[ \t]*$\n?',
    re.MULTILINE,
)
_BLANK_LINES = re.compile(r"\n{3,}")
# 산문에 남기는 마크다운 기호: 기호는 버리고 글자만 둡니다. 모델이 # 나 백틱을 글자로 배우지 않도록.
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_STRONG = re.compile(r"\*\*([^\n]+?)\*\*")
_EMPHASIS = re.compile(
    r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)"
)  # a * b는 그대로
_INLINE_MATH = re.compile(r"\$(?=\S)([^$\n]+?)(?<=\S)\$")
# 글과 글 사이: 글 안의 빈 줄은 하나로 줄이므로 빈 줄 둘은 글의 경계에만 있습니다(split_held_out이 찾는 곳).
POST_BREAK = "\n\n\n"


def blog_text(root: Path | None = None) -> str:
    """블로그 글(root/docs/blog/posts/*.md, 파일 이름 순)의 산문을 이어 붙인 문자열.

    앞머리(front matter), 코드 블록과 코드 조각 참조(--8<--), HTML 주석과 HTML 줄, 접는 블록의 머리,
    수식($$), 그림, 인용 번호와 참고 문헌 목록, 빌드가 채우는 숫자({{ ... }})는 빼고,
    링크는 주소를 버리고 글자만, 제목·인라인 코드·강조·인라인 수식은 기호(#, `, *, $)를 버리고 글자만
    남깁니다. 글 사이는 빈 줄 둘(POST_BREAK)로 나누고, 글마다 첫 줄이 제목입니다.
    """
    folder = (root or ROOT) / "docs" / "blog" / "posts"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{folder}이 없습니다: 글에서 말뭉치를 만드는 일은 블로그 저장소 안에서만 됩니다 "
            "(설치한 패키지에는 말뭉치 스냅숏만 있습니다: corpus_text())"
        )
    posts = sorted(folder.glob("*.md"))
    texts = []
    for post in posts:
        text = post.read_text(encoding="utf-8")
        for pattern in (
            _FRONT_MATTER,
            _FENCE,
            _HTML_COMMENT,
            _DISPLAY_MATH,
            _REFERENCES,
        ):
            text = pattern.sub("", text)
        for pattern in (
            _SNIPPET_REF,
            _OUTPUT_LINE,
            _HTML_LINE,
            _ADMONITION,
            _IMAGE,
            _CITATION,
            _ATTR_LIST,
        ):
            text = pattern.sub("", text)
        text = _OUTPUT_NUMBER.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _INLINE_CODE.sub(r"\2", text)
        text = _HEADING.sub("", text)
        text = _STRONG.sub(r"\1", text)
        text = _EMPHASIS.sub(r"\1", text)
        text = _INLINE_MATH.sub(r"\1", text)
        texts.append(_BLANK_LINES.sub("\n\n", text).strip())
    return POST_BREAK.join(texts) + "\n"


def corpus_text() -> str:
    """작은 모델들이 학습하는 말뭉치: 블로그 글의 산문을 저장해 둔 스냅숏(snippets/data/blog-corpus.txt)."""
    if not CORPUS.exists():
        raise FileNotFoundError(
            "snippets/data/blog-corpus.txt가 없습니다: make corpus로 만드세요"
        )
    return CORPUS.read_text(encoding="utf-8")


def split_held_out(text: str, fraction: float = 0.1) -> tuple[str, str]:
    """text를 (학습용, 평가용)으로 나눕니다. 평가용은 끝의 fraction 안에서 시작하는 글들입니다.

    글과 글 사이(빈 줄 둘, POST_BREAK)에서 자르므로 평가용은 모델이 한 줄도 읽지 않은 온전한 글이고
    (첫 줄이 제목), 그래서 fraction보다 짧을 수 있습니다. 그런 경계가 없으면 정확히 끝의 fraction에서 자릅니다.
    """
    if not 0 < fraction < 1:
        raise ValueError(f"fraction은 0과 1 사이여야 합니다: {fraction}")
    cut = round(len(text) * (1 - fraction))
    boundary = text.find(POST_BREAK, cut)
    if boundary != -1:
        cut = boundary + len(
            POST_BREAK
        )  # 빈 줄은 학습용 쪽에 두고, 평가용은 제목 줄로 시작합니다
    return text[:cut], text[cut:]


@dataclass(frozen=True)
class CharVocab:
    """문자 단위 어휘: 토큰 하나가 글자 하나입니다(한글은 음절 하나).

    tokens[i]가 id i의 토큰입니다. specials(예: "[MASK]")는 앞쪽 id를 차지하고,
    encode는 글자만 만들므로 특수 토큰은 id로만 씁니다: vocab.id("[MASK]").
    """

    tokens: tuple[str, ...]
    _ids: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_ids", {tok: i for i, tok in enumerate(self.tokens)}
        )

    @classmethod
    def from_text(cls, text: str, specials: Iterable[str] = ()) -> CharVocab:
        """text에 나오는 글자를 정렬해 어휘를 만듭니다(같은 글이면 같은 id)."""
        return cls(tuple(specials) + tuple(sorted(set(text))))

    def __len__(self) -> int:
        return len(self.tokens)

    def id(self, token: str) -> int:
        return self._ids[token]

    def encode(self, text: str) -> torch.Tensor:
        """글자마다 id 하나: (len(text),) 정수 텐서."""
        unknown = sorted(set(text) - self._ids.keys())
        if unknown:
            raise KeyError(f"어휘에 없는 글자: {unknown[:10]}")
        return torch.tensor([self._ids[ch] for ch in text], dtype=torch.long)

    def decode(self, ids: torch.Tensor | Iterable[int]) -> str:
        """id들을 다시 글자로 이어 붙입니다."""
        if isinstance(ids, torch.Tensor):
            ids = ids.tolist()
        return "".join(self.tokens[i] for i in ids)


if __name__ == "__main__":
    text = blog_text()
    CORPUS.parent.mkdir(parents=True, exist_ok=True)
    CORPUS.write_text(text, encoding="utf-8")
    print(
        f"{CORPUS.relative_to(ROOT)}: {len(text):,}자, 글자 종류 {len(set(text))}개"
    )
