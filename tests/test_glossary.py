"""blogbuild/glossary.py: 글들이 용어집(data/glossary.yml)의 용어를 쓰고, 처음 쓸 때 영어를 붙이는지.

빌드도 같은 검사로 멈춥니다(on_pre_build). 여기서는 검사가 짚는 곳(파일, 줄, 쓸 용어)과 짚지 않는 곳
(코드, 링크 주소, 수식, 참고 문헌 목록)을 작은 글로 확인하고, 용어집 페이지와 검색 색인을 봅니다.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import urllib.parse
from pathlib import Path

import markdown
import pytest

from blogbuild import glossary, search_index, series
from blogbuild.glossary import Entry, GlossaryError, aliases, check_post, check_posts, load
from tests.conftest import (
    POSTS_DIR,
    ROOT,
    SMALL_SITE_POST,
    changed,
    failed_build,
    in_a_build,
    post_path,
)

ENTRIES = [
    Entry("레이어 정규화", "layer normalization", ("LayerNorm",), ("층 정규화",)),
    Entry("층", "layer", (), ("레이어",)),
    Entry("크로스 어텐션", "cross-attention", (), ("교차 어텐션",), english_at_first_use=False),
    Entry("손실", "loss", (), ("로스",)),
    Entry("교차 엔트로피", "cross-entropy", (), ("크로스 엔트로피",)),
    Entry("마스크", "mask", (), ("마스크드",), english_at_first_use=False),
    Entry("멀티 헤드 어텐션", "multi-head attention", (), ("멀티헤드",), False),
    Entry("마스크 멀티 헤드 어텐션", "masked multi-head attention", (), ("마스크드 멀티",), False),
]
HEAD = "---\ndate: 2025-01-04\nslug: a-post\n---\n\n# 제목\n"  # 본문은 7번 줄부터


def _problems(tmp_path: Path, body: str, entries: list[Entry] = ENTRIES) -> list[str]:
    post = tmp_path / "post.md"
    post.write_text(HEAD + body, encoding="utf-8")
    return [str(problem) for problem in check_post(post, tmp_path, entries)]


def test_every_post_uses_the_glossary_terms_with_english_at_first_use() -> None:
    problems = check_posts(sorted(POSTS_DIR.glob("*.md")), ROOT)
    assert not problems, "\n".join(map(str, problems))


def test_the_drifting_pairs_of_issue_17_are_decided() -> None:
    """이슈 17이 짚은 여섯 쌍: 한쪽은 쓰는 용어, 다른 쪽은 피하는 꼴(원래 글쓴이가 쓴 꼴을 씁니다)."""
    chosen = {entry.term: entry for entry in load(ROOT)}
    avoided = {form: entry.term for entry in chosen.values() for form in entry.avoid}
    assert avoided["마스크드 멀티"] == "마스크 멀티 헤드 어텐션"
    assert avoided["층 정규화"] == "레이어 정규화"
    assert avoided["부분층"] == "서브블록"
    assert avoided["자기 주의"] == "셀프 어텐션"
    assert avoided["너비"] == "폭"
    assert avoided["단계를 학습"] == "스텝"


def test_every_glossary_term_is_used_by_some_post() -> None:
    """용어집의 크기는 글 수와 함께 자랍니다: 정해 둔 상한 대신, 어느 글도 쓰지 않는 용어가 없는지 봅니다."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(POSTS_DIR.glob("*.md"))]
    unused = [
        entry.term for entry in load(ROOT) if not any(entry.pattern.search(text) for text in texts)
    ]
    assert not unused, (
        f"어느 글도 쓰지 않는 용어: {unused} (data/glossary.yml에서 빼거나 글에서 쓰세요)"
    )


def test_the_drifting_forms_of_issue_25_are_decided() -> None:
    """이슈 25가 짚은 꼴: 산문의 LayerNorm, 자기 회귀적, 스팬 손상은 피하는 꼴입니다."""
    avoided = {form: entry.term for entry in load(ROOT) for form in entry.avoid}
    assert avoided["LayerNorm"] == "레이어 정규화"
    assert avoided["자기 회귀"] == "자기회귀적"
    assert avoided["스팬"] == "구간 손상"


def test_a_variant_is_reported_with_file_line_and_the_term_to_use(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "첫 층(layer)입니다.\n\n잔차 가지마다 층 정규화를 둡니다.\n")
    assert problems == [
        "post.md:9: '층 정규화' 대신 용어집(data/glossary.yml)의 용어를 쓰세요: 레이어 정규화"
    ]


def test_a_variant_across_a_line_break_is_reported_on_its_first_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "층(layer)마다 둔 층\n정규화입니다.\n")
    assert problems == [
        "post.md:7: '층 정규화' 대신 용어집(data/glossary.yml)의 용어를 쓰세요: 레이어 정규화"
    ]


NOT_PROSE = {
    "fenced-code": "```python\n# 층 정규화\n```\n",
    "indented-fence-in-admonition": '??? example "코드"\n\n    ```python\n    x = 1  # 층 정규화\n    ```\n',
    "inline-code": "`층 정규화` 는 코드입니다.\n",
    "link-url": "[글](https://example.com/레이어)을 보세요.\n",
    "image-url": "![그림](../../outputs/레이어.svg)\n",
    "inline-math": "$층 정규화$\n",
    "display-math": "$$\n\\text{층 정규화}\n$$\n",
    "html-comment": "<!-- 층 정규화 -->\n",
    "placeholder": "{{ outputs/a/층 정규화 }}\n",
    "reference-list": "## 참고 문헌\n\n1. [층 정규화 by WikiDocs](https://velog.io/a){ #ref-1 }\n",
    "further-reading": "## 참고 문헌\n\n### 더 읽을거리\n\n2. [교차 어텐션 정리](https://a.b/c){ #ref-2 }\n",
}


@pytest.mark.parametrize("body", NOT_PROSE.values(), ids=NOT_PROSE.keys())
def test_variants_outside_prose_are_not_reported(tmp_path: Path, body: str) -> None:
    assert _problems(tmp_path, body) == []


def test_a_variant_inside_a_chosen_term_is_not_reported(tmp_path: Path) -> None:
    """쓰는 용어 안의 조각("레이어 정규화"의 "레이어")과 낱말 가운데("크로스"의 "로스")는 짚지 않습니다."""
    body = "레이어 정규화(layer normalization)와 크로스 어텐션, 그리고 계층과 글로스.\n"
    assert _problems(tmp_path, body) == []


def test_the_longest_variant_is_reported_once(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "마스크드 멀티헤드 어텐션\n")
    assert problems == [
        "post.md:7: '마스크드 멀티' 대신 용어집(data/glossary.yml)의 용어를 쓰세요: 마스크 멀티 헤드 어텐션",
        "post.md:7: '멀티헤드' 대신 용어집(data/glossary.yml)의 용어를 쓰세요: 멀티 헤드 어텐션",
    ]


def test_first_use_without_english_is_reported_and_later_english_does_not_count(
    tmp_path: Path,
) -> None:
    problems = _problems(tmp_path, "손실이 줄어듭니다.\n\n손실(loss)은 ...\n")
    assert problems == [
        "post.md:7: 이 글에서 처음 쓴 '손실' 뒤에 영어를 괄호로 붙이세요: 손실(loss)"
    ]


ENGLISH_GIVEN = {
    "right-after": "손실(loss)이 줄어듭니다.\n",
    "after-bold": "**손실**(loss): 줄어듭니다.\n",
    "case-and-hyphen": "교차 엔트로피(Cross Entropy)와 손실(LOSS)\n",
    "one-more-word": "교차 엔트로피 손실(cross-entropy loss)\n",
    "enclosing-parenthesis": "출력(손실 함수, loss function)을 봅니다.\n",
    "wrapped": "레이어 정규화(layer\nnormalization)\n",
    "also-form": "레이어 정규화(LayerNorm)\n",
    "heading-first": "## 손실(loss)\n\n손실이 줄어듭니다.\n",
    "heading-without-english-then-body": "## 손실\n\n손실(loss)이 줄어듭니다.\n",
    "alt-and-link-text-are-not-first-use": (
        "![손실 곡선](a.svg)\n\n[손실 글](other.md)\n\n손실(loss)이 줄어듭니다.\n"
    ),
    "not-required": "크로스 어텐션과 마스크\n",
}


@pytest.mark.parametrize("body", ENGLISH_GIVEN.values(), ids=ENGLISH_GIVEN.keys())
def test_english_at_first_use_is_accepted_in_the_usual_forms(tmp_path: Path, body: str) -> None:
    assert _problems(tmp_path, body) == []


def test_a_term_inside_another_word_is_not_a_use(tmp_path: Path) -> None:
    """낱말 첫머리에서만 맞춥니다: "계층"은 "층"을 쓴 것이 아닙니다."""
    assert _problems(tmp_path, "계층과 선형층\n") == []


def _word_starts(form: str, text: str) -> list[int]:
    """규칙을 말 그대로: form(띄어 쓴 자리는 빈칸 여럿도)이 시작하고, 앞 글자가 한글·영문·숫자가 아닌 자리."""
    spaced = re.compile(r"\s+".join(map(re.escape, form.split())))
    return [
        i
        for i in range(len(text))
        if spaced.match(text, i) and (i == 0 or not re.match(r"[가-힣A-Za-z0-9]", text[i - 1]))
    ]


@pytest.mark.parametrize("form", ["층", "레이어 정규화", "멀티 헤드 어텐션", "LayerNorm", "(x)"])
def test_a_term_matches_exactly_at_word_starts(form: str) -> None:
    """글자로 시작하게 다시 쓴 패턴이 규칙과 같은 자리에서만 맞는지: 글 머리, 낱말 가운데, 줄바꿈, 겹침."""
    texts = [
        form,
        f"계{form}",
        f"a{form}",
        f"9{form}",
        f" {form}",
        f"({form}",
        f"{form}{form}",
        form.replace(" ", "\n  "),
        f"층{form} {form}",
        *(glossary.prose(post.read_text(encoding="utf-8")) for post in POSTS_DIR.glob("*.md")),
    ]
    for text in texts:
        found = [match.start() for match in glossary._phrase(form).finditer(text)]
        assert found == _word_starts(form, text), text[:40]


def _item(term: str, english: str, more: str = "") -> str:
    """용어집의 온전한 항목 하나(정의와 설명 글까지)와 그 뒤에 붙일 필드들(more)."""
    return (
        f"- term: {term}\n  english: {english}\n  definition: {term}의 정의입니다.\n"
        f"  post: a\n{more}"
    )


GLOSSARY_ERRORS = {
    "duplicate-term": (_item("층", "layer") + _item("층", "tier"), 5, "1번 줄에도"),
    "avoid-is-a-term": (
        _item("층", "layer", "  avoid: [레이어 정규화]\n")
        + _item("레이어 정규화", "layer normalization"),
        1,
        "6번 줄에서는 쓰는 용어",
    ),
    "same-anchor": (_item("층", "layer") + _item("레이어", "Layer"), 6, "앵커 #layer가 1번 줄"),
    "unknown-field": (_item("층", "layer", "  avod: [레이어]\n"), 5, "모르는 필드 avod"),
    "missing-english": ("- term: 층\n", 1, "term과 english"),
    "missing-definition": (
        "- term: 층\n  english: layer\n  post: a\n",
        1,
        "'층'에 definition이 없습니다",
    ),
    "empty-definition": (
        "- term: 층\n  english: layer\n  definition: ''\n  post: a\n",
        3,
        "'층'에 definition이 없습니다",
    ),
    "definition-not-a-sentence": (
        "- term: 층\n  english: layer\n  definition: 신경망의 한 단위\n  post: a\n",
        3,
        "definition: 합니다체 한 문장으로 '다.'로 끝내세요",
    ),
    "missing-post": (
        "- term: 층\n  english: layer\n  definition: 신경망의 한 단위입니다.\n",
        1,
        "'층'에 post가 없습니다: 이 용어를 설명하는 글의 slug를 쓰세요",
    ),
    "anchor-not-text": (_item("층", "layer", "  anchor: [a]\n"), 5, "anchor: 글의 제목 앵커"),
    "yaml": ("- term: [층\n", None, "YAML로 읽을 수 없습니다"),
    "not-a-list": ("term: 층\n", 1, "항목의 목록"),
}


@pytest.mark.parametrize(
    ("text", "line", "message"), GLOSSARY_ERRORS.values(), ids=GLOSSARY_ERRORS.keys()
)
def test_a_broken_glossary_names_its_line(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "glossary.yml").write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as raised:
        load(tmp_path)
    problem = raised.value.problems[0]
    assert str(problem.path) == "data/glossary.yml"
    assert message in problem.message
    if line is not None:
        assert problem.line == line


LINK_POST = "# 글 A\n\n서론에 층(layer)이 나옵니다.\n\n## 손실 줄이기\n\n손실(loss)을 줄입니다.\n\n## 다른 절\n\n```\n# 손실 코드\n```\n"
LINK_ERRORS = {
    "unknown-slug": (
        "  post: aa\n",
        4,
        "post: 'aa'라는 slug의 글이 없습니다. 비슷한 slug: 'a'. '손실'을 설명하는 글의 앞머리 slug를 쓰세요",
    ),
    "draft": (
        "  post: d\n",
        4,
        "post: 'd'는 초안(draft: true)이라 사이트에 실리지 않습니다: '손실'을 설명하는 발행된 글의 "
        "slug를 쓰세요",
    ),
    "unknown-anchor": (
        "  post: a\n  anchor: 손실\n",
        5,
        "anchor: 글 'a'에 앵커가 '손실'인 제목이 없습니다: 그 글의 제목 앵커 가운데 하나를 쓰거나 "
        "anchor 줄을 지우세요 (있는 앵커: 글-a, 손실-줄이기, 다른-절)",
    ),
    "anchor-elsewhere": (
        "  post: a\n  anchor: 다른-절\n",
        5,
        "anchor: 글 'a'의 '#다른-절' 아래의 본문에 '손실'이 나오지 않습니다: 이 용어를 설명하는 "
        "글(과 제목)을 쓰세요",
    ),
    "term-not-in-post": (
        "  post: e\n",
        4,
        "post: 글 'e'의 본문에 '손실'이 나오지 않습니다: 이 용어를 설명하는 글(과 제목)을 쓰세요",
    ),
}


@pytest.mark.parametrize(("link", "line", "message"), LINK_ERRORS.values(), ids=LINK_ERRORS.keys())
def test_a_terms_link_to_a_missing_draft_or_wrong_place_names_its_line_and_field(
    tmp_path: Path, link: str, line: int, message: str
) -> None:
    """설명 글의 slug, 초안, 앵커, 용어를 쓰는지: 틀리면 data/glossary.yml의 그 필드의 줄과 고칠 것."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "glossary.yml").write_text(
        f"- term: 손실\n  english: loss\n  definition: 학습이 줄이는 수입니다.\n{link}",
        encoding="utf-8",
    )
    posts = [
        _post(tmp_path, "a", "slug: a\n", LINK_POST),
        _post(tmp_path, "d", "slug: d\ndraft: true\n", "# 초안\n\n손실(loss)\n"),
        _post(tmp_path, "e", "slug: e\n", "# [손실](a.md)\n\n`손실` 코드만 있습니다.\n"),
    ]
    problems = glossary.check_links(load(tmp_path), posts)
    assert [(str(p.path), p.line, p.message) for p in problems] == [
        ("data/glossary.yml", line, message)
    ]


@pytest.mark.parametrize("anchor", ["", "  anchor: 손실-줄이기\n"], ids=["post", "heading"])
def test_a_terms_link_to_a_post_that_uses_it_is_accepted(tmp_path: Path, anchor: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "glossary.yml").write_text(
        f"- term: 손실\n  english: loss\n  definition: 학습이 줄이는 수입니다.\n  post: a\n{anchor}",
        encoding="utf-8",
    )
    assert (
        glossary.check_links(load(tmp_path), [_post(tmp_path, "a", "slug: a\n", LINK_POST)]) == []
    )


def test_every_term_has_a_definition_and_a_link_to_a_published_post_that_uses_it() -> None:
    """이 블로그의 용어집: 용어마다 한 문장 정의, 설명 글(초안이 아닌)과 그 제목, 그 글이 용어를 씁니다."""
    entries = load(ROOT)
    assert all(entry.definition.endswith("다.") and entry.post for entry in entries)
    problems = glossary.check_links(entries, sorted(POSTS_DIR.glob("*.md")))
    assert not problems, "\n".join(map(str, problems))


def _post(posts: Path, name: str, front: str, body: str) -> Path:
    path = posts / f"{name}.md"
    path.write_text(
        f"---\ndate: 2025-01-04\ndescription: 시험용 글.\n{front}---\n\n{body}", encoding="utf-8"
    )
    return path


def test_page_lists_terms_in_korean_order_with_english_definition_anchor_and_link(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    posts_dir = docs / "blog" / "posts"
    posts_dir.mkdir(parents=True)
    post = _post(posts_dir, "a", "slug: a\n", "# 손실 | 이야기\n\n## 손실 줄이기\n\n손실(loss)\n")
    entries = [
        dataclasses.replace(entry, definition=f"{entry.term}의 정의입니다.", post="a")
        for entry in ENTRIES
    ]
    entries[3] = dataclasses.replace(entries[3], anchor="손실-줄이기")  # 손실
    text = glossary.page(entries, series.read_posts([post], docs), docs, docs)
    page = html.unescape(markdown.markdown(text, extensions=["def_list", "attr_list", "tables"]))
    terms = re.findall(
        r'<dt id="([^"]+)"><strong>(.+?)</strong> <span lang="en">\((.+?)\)</span></dt>', page
    )
    assert [term for _, term, _ in terms] == sorted(entry.term for entry in entries)
    assert {(slug, english) for slug, _, english in terms} == {
        (entry.slug, entry.english) for entry in entries
    }
    loss = re.search(r"<dt id=\"loss\">.*?</dd>", page, re.DOTALL)[0]
    assert "<p>손실의 정의입니다.</p>" in loss
    assert '<p>설명: <a href="blog/posts/a.md#손실-줄이기">손실 | 이야기</a></p>' in loss
    assert '<a href="blog/posts/a.md">' in page  # anchor가 없는 용어는 글 전체로
    writers = page[page.index('id="avoided-forms"') :]
    assert '<td><a href="#loss">손실</a></td>\n<td>로스</td>' in writers
    assert writers.count("<tr>") == 1 + sum(bool(entry.avoid) for entry in entries)


def test_aliases_lead_english_and_avoided_forms_to_the_term() -> None:
    """검색 창의 다른 꼴 표: 영어, 영어의 다른 꼴, 쓰지 않는 꼴(소문자로) → 블로그가 쓰는 용어."""
    table = aliases(ENTRIES)
    assert table["layer normalization"] == "레이어 정규화"
    assert table["layernorm"] == table["층 정규화"] == "레이어 정규화"
    assert "레이어 정규화" not in table  # 용어 자신은 바꾸지 않습니다
    assert all(key == key.lower() for key in table)


def _indexed_text(site: Path, slug: str) -> str:
    path = post_path(POSTS_DIR / f"{slug}.md")
    return " ".join(r.content for r in search_index.read(site) if r.url.lstrip("/") == path)


def test_built_search_index_finds_a_post_by_english_and_by_the_avoided_form(
    built_site: Path,
) -> None:
    """GPT 글은 "레이어 정규화", "서브블록"이라고 씁니다. 검색 창의 다른 꼴 표(pagefind/forms.json)가 영어와
    쓰지 않는 꼴을 그 용어로 바꾸고, 색인에는 GPT 글이 그 용어로 들어 있습니다."""
    forms = json.loads((built_site / "pagefind" / "forms.json").read_text(encoding="utf-8"))
    text = _indexed_text(built_site, "gpt-decoder")
    for query in ("layer normalization", "layernorm", "층 정규화", "sublayer", "부분층"):
        assert forms["aliases"][query] in text, query


def test_built_glossary_page_defines_every_term_and_links_to_a_heading_that_exists(
    built_site: Path,
) -> None:
    """페이지의 용어마다 앵커, 영어, 정의, 설명 글의 링크가 있고, 그 링크의 제목 앵커가 생성기가 그린 글
    페이지에 있습니다(빌드 검사가 앵커를 매기는 규칙이 생성기와 같은지)."""
    page = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    for entry in load(ROOT):
        item = re.search(rf'<dt id="{re.escape(entry.slug)}">(.*?)</dd>', text, re.DOTALL)
        assert item, entry.term
        assert entry.term in item[1] and entry.english in item[1], entry.term
        assert entry.definition in item[1], entry.term
        link = re.search(r'설명: <a href="([^"#]+)(?:#([^"]+))?">', item[1])
        assert link, entry.term
        target = (built_site / "glossary" / link[1] / "index.html").resolve()
        assert target.is_file(), (entry.term, link[1])
        assert f"/{entry.post}/" in link[1]
        if entry.anchor:
            assert link[2] == urllib.parse.quote(entry.anchor) or link[2] == entry.anchor
            assert f'id="{entry.anchor}"' in target.read_text(encoding="utf-8"), entry.term
    assert 'id="avoided-forms"' in page
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="glossary/"' in home


def test_build_stops_on_a_variant_naming_file_line_and_term(small_site: Path) -> None:
    """기여자는 make serve에서도 배웁니다: 빌드가 파일과 줄과 쓸 용어를 짚어 멈춥니다."""
    slug = SMALL_SITE_POST[1]
    post = small_site / "docs" / "blog" / "posts" / f"{slug}.md"
    sentence = "점수를 소프트 맥스에 넣습니다."
    text = post.read_text(encoding="utf-8").replace(
        "\n## 참고 문헌", f"\n{sentence}\n\n## 참고 문헌"
    )
    with changed(post, text):
        output = failed_build(small_site, small_site.parent / "site-glossary")
    line = text.splitlines().index(sentence) + 1
    assert "글을 빌드할 수 없습니다" in output
    assert (
        f"docs/blog/posts/{slug}.md:{line}: '소프트 맥스' 대신 용어집(data/glossary.yml)의 "
        "용어를 쓰세요: 소프트맥스"
    ) in output


def test_build_stops_when_a_terms_post_goes_away(small_site: Path) -> None:
    """설명 글의 slug를 바꾸면(글을 옮기거나 지우면) 용어집의 그 줄과 필드를 짚어 멈춥니다."""
    glossary_file = small_site / "data" / "glossary.yml"
    text = glossary_file.read_text(encoding="utf-8")
    broken = text.replace(f"post: {SMALL_SITE_POST[1]}", "post: softmax-revisited")
    with changed(glossary_file, broken):
        output = failed_build(small_site, small_site.parent / "site-glossary-post")
    line = broken.splitlines().index("  post: softmax-revisited") + 1
    assert (
        f"data/glossary.yml:{line}: post: 'softmax-revisited'라는 slug의 글이 없습니다." in output
    )


def _layer_norm_figure_project(root: Path) -> Path:
    """root에 용어 하나(레이어 정규화, 피하는 꼴 "층 정규화")의 용어집과, 그림 a.svg를 남긴 노트북 demo를 둡니다.
    노트북 결과의 뿌리(build/outputs)를 줍니다."""
    (root / "data").mkdir()
    (root / "data" / "glossary.yml").write_text(
        "- term: 레이어 정규화\n  english: layer normalization\n"
        "  definition: 한 위치의 벡터를 정규화하는 층입니다.\n  post: demo\n  avoid: [층 정규화]\n",
        encoding="utf-8",
    )
    (root / "notebooks").mkdir()
    (root / "notebooks" / "demo.py").write_text("# %%\n", encoding="utf-8")
    outputs = root / "build" / "outputs"
    (outputs / "demo").mkdir(parents=True)
    (outputs / "demo" / "a.svg").write_text("<svg/>", encoding="utf-8")
    return outputs


def test_a_figures_alt_text_and_caption_in_its_notebook_keep_to_the_glossary(
    tmp_path: Path,
) -> None:
    """그림의 대체 텍스트와 캡션은 이제 노트북이 결과 목록에 적습니다: 글의 산문처럼 피하는 꼴을 짚습니다."""
    outputs = _layer_norm_figure_project(tmp_path)
    figure = {
        "kind": "figure",
        "files": {"light": "a.svg"},
        "alt": "입력이 층\n정규화를 지납니다.",
        "caption": "레이어 정규화가 앞에 있습니다.",
    }
    (outputs / "demo" / "manifest.json").write_text(
        json.dumps({"a": figure}, ensure_ascii=False), encoding="utf-8"
    )
    assert [str(p) for p in glossary.check_outputs(tmp_path, outputs)] == [
        "notebooks/demo.py: 그림 'a'의 대체 텍스트(alt): '층 정규화' 대신 용어집(data/glossary.yml)의 "
        "용어를 쓰세요: 레이어 정규화"
    ]
    assert glossary.check_outputs(ROOT, ROOT / "build" / "outputs") == []  # 이 블로그의 그림들


def test_remembered_output_checks_and_page_follow_an_edit(tmp_path: Path) -> None:
    """온 빌드는 그림의 글(결과 목록)의 검사와 용어집 페이지를 지난 빌드의 기억(memo)에서 씁니다: 결과 목록이나
    글을 고치면 기억이 아니라 고친 것을 봅니다."""
    outputs = _layer_norm_figure_project(tmp_path)
    docs = tmp_path / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    post = docs / "blog" / "posts" / "demo.md"
    memo_path = tmp_path / "memo.json"

    def build(alt: str, title: str) -> tuple[list[str], str]:
        figure = {"kind": "figure", "files": {"light": "a.svg"}, "alt": alt, "caption": "그림."}
        (outputs / "demo" / "manifest.json").write_text(
            json.dumps({"a": figure}, ensure_ascii=False), encoding="utf-8"
        )
        _post(
            post.parent,
            "demo",
            "slug: demo\n",
            f"# {title}\n\n레이어 정규화(layer normalization).\n",
        )

        def stage() -> tuple[list[str], str]:
            problems = [str(p) for p in glossary.check_outputs(tmp_path, outputs)]
            return problems, glossary.write_page(tmp_path, [post], docs).read_text("utf-8")

        return in_a_build(memo_path, stage)

    problems, page = build("입력이 정규화를 지납니다.", "데모")
    assert problems == []
    assert "설명: [데모](blog/posts/demo.md)" in page
    assert build("입력이 정규화를 지납니다.", "데모") == (problems, page)
    problems, page = build("입력이 층 정규화를 지납니다.", "새 데모")
    assert problems == [
        "notebooks/demo.py: 그림 'a'의 대체 텍스트(alt): '층 정규화' 대신 용어집(data/glossary.yml)의 "
        "용어를 쓰세요: 레이어 정규화"
    ]
    assert "설명: [새 데모](blog/posts/demo.md)" in page
