"""풀 리퀘스트의 모든 것은 믿을 수 없는 입력입니다: 글, 앞머리, 노트북, 코드 조각, 심볼릭 링크.

적대적인 기여자가 보낼 법한 입력을 넣어, 빌드가 파일과 줄(또는 셀)을 짚으며 멈추는지, 또는 값을
이스케이프해 실어 독자의 브라우저에서 아무것도 실행되지 않는지 봅니다. 검사 하나하나는 단위 테스트로,
빌드 전체의 동작은 글 하나짜리 작은 사이트(conftest.small_site)의 빌드로 확인합니다.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from blogbuild import active_content, containment, csp, placeholders, search_index, site_check
from blogbuild.execution import ExecutionError, declared_inputs, upstream_notebooks
from blogbuild.problems import Problem, shown
from tests.conftest import (
    ROOT,
    SMALL_SITE_POST,
    alias_bomb,
    changed,
    failed_build,
    in_a_build,
    mkdocs_build,
    remembered_between_builds,
)

SLUG = SMALL_SITE_POST[1]


# ---------------------------------------------------------------------------------------------
# 글 속의 스크립트, 이벤트 처리기, 스타일, 스크립트 주소

SCRIPTS_IN_MARKDOWN = {
    "script": ("<script>alert(1)</script>", "<script> 태그"),
    "onerror": ('<img src="x" onerror="alert(1)">', "이벤트 처리기 속성 onerror="),
    "svg-onload": ("<svg onload=alert(1)></svg>", "이벤트 처리기 속성 onload="),
    "javascript-href": ('<a href=" JaVaScRiPt:alert(1)">x</a>', "스크립트 주소"),
    "markdown-link": ("[눌러 보세요](javascript:alert(1))", "스크립트 주소"),
    "reference-link": ("[x]: javascript:alert(1)", "스크립트 주소"),
    "autolink": ("<javascript:alert(1)>", "스크립트 주소"),
    "style-block": ("<style>body{display:none}</style>", "<style> 태그"),
    "style-attribute": ('<p style="display:none">x</p>', "style= 속성"),
    "iframe": ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<iframe> 태그"),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=//evil">', "<meta> 태그"),
    "form-action": ('<form action="https://evil.example"></form>', "action= 속성"),
    # 브라우저는 주소의 문자 참조를 풀고, 탭·줄바꿈과 앞뒤의 제어 문자를 지운 뒤 스킴을 읽습니다.
    "tab-entity": ('<a href="java&#9;script:alert(1)">x</a>', "스크립트 주소"),
    "newline-entity": ('<a href="jav&#x0A;ascript:alert(1)">x</a>', "스크립트 주소"),
    "raw-tab": ('<a href="java\tscript:alert(1)">x</a>', "스크립트 주소"),
    "colon-entity": ('<a href="javascript&colon;alert(1)">x</a>', "스크립트 주소"),
    "leading-control": ('<a href="\x01 javascript:alert(1)">x</a>', "스크립트 주소"),
    "padded-entity": ('<a href="&#0000106avascript:alert(1)">x</a>', "스크립트 주소"),
    "markdown-tab-entity": ("[x](java&#9;script:alert(1))", "스크립트 주소"),
    # SVG 애니메이션이 링크의 주소를 바꿉니다.
    "svg-animate-to": (
        '<svg><a><animate attributeName="href" to="javascript:alert(1)"/></a></svg>',
        "링크 주소를 바꾸는 SVG 애니메이션",
    ),
    "svg-set-xlink": (
        '<svg><a><set attributeName="xlink:href" to="#x"/></a></svg>',
        "링크 주소를 바꾸는 SVG 애니메이션",
    ),
    "svg-values": (
        '<svg><animate values="#a;java&#9;script:alert(1)"/></svg>',
        "values=에 스크립트",
    ),
    "svg-from": ('<svg><animate from="javascript:alert(1)"/></svg>', "from=에 스크립트"),
    "svg-by": ('<svg><animate by=" JAVA&Tab;SCRIPT:alert(1)"/></svg>', "by=에 스크립트"),
}


@pytest.mark.parametrize(
    ("line", "what"), SCRIPTS_IN_MARKDOWN.values(), ids=SCRIPTS_IN_MARKDOWN.keys()
)
def test_markdown_check_names_the_line_of_active_content(line: str, what: str) -> None:
    findings = active_content.in_markdown(f"# 제목\n\n문단.\n{line}\n", first_line=10)
    assert findings and findings[0].line == 13, findings
    assert what in findings[0].what


EXTERNAL_IMAGES = {
    "markdown-https": "![그림](https://example.com/a.png)",
    "markdown-http": '![그림](http://example.com/a.png "캡션")',
    "html-protocol-relative": '<img src="//example.com/a.png" alt="그림">',
    "html-backslashes": '<img src="\\\\example.com/a.png" alt="그림">',
    "srcset": '<img src="a.png" srcset="a.png 1x, https://example.com/b.png 2x" alt="그림">',
    "svg-image": '<svg><image href="https://example.com/a.png"/></svg>',
}


@pytest.mark.parametrize("line", EXTERNAL_IMAGES.values(), ids=EXTERNAL_IMAGES.keys())
def test_an_external_image_is_refused_with_where_to_save_it(line: str) -> None:
    findings = active_content.in_markdown(f"# 제목\n\n{line}\n", first_line=10)
    assert [f.line for f in findings] == [12], findings
    assert "다른 곳의 그림" in findings[0].what and "docs/assets/<글의 slug>/" in findings[0].what
    assert active_content.how_to_fix(findings) == []  # 스크립트를 고치라는 말은 붙이지 않습니다


def test_images_of_the_site_itself_pass() -> None:
    text = '![a](../../outputs/x/y.svg "c")\n<img src="../../assets/x/y.png" alt="y">\n'
    assert active_content.in_markdown(text + '<img src="data:image/png;base64,AA" alt="z">') == []


def test_code_is_text_not_active_content() -> None:
    text = "`<script>alert(1)</script>`는 글자입니다.\n\n```html\n<script>alert(1)</script>\n```\n"
    assert active_content.in_markdown(text) == []


def test_html_check_catches_what_spans_lines_and_entity_encoded_urls() -> None:
    page = '<p>x</p>\n<img src="x"\n  onerror="alert(1)">\n<a href="&#106;avascript:alert(1)">y</a>'
    assert [f.what for f in active_content.in_html(page)] == [
        "<img>의 이벤트 처리기 속성 onerror=",
        "<a>의 href=에 스크립트 주소 'javascript:alert(1)'",
    ]


def test_a_page_check_is_remembered_between_builds_and_still_sees_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """페이지 본문의 검사(in_page)는 HTML의 바이트로 빌드 사이에 기억합니다: 같은 본문은 다시 파싱하지 않고,
    고친 본문은 파싱해 새로 실린 것을 짚습니다."""
    fed = []
    feed = active_content._Scanner.feed
    monkeypatch.setattr(
        active_content._Scanner, "feed", lambda self, data: fed.append(data) or feed(self, data)
    )
    clean = '<article><p>본문</p>\n<img alt="그림" src="../../outputs/a/b.svg"></article>'

    def check(page: str) -> list[tuple[int, str, bool]]:
        return [tuple(finding) for finding in active_content.in_page(page)]

    assert remembered_between_builds(tmp_path / "memo.json", lambda: check(clean), fed) == []
    edited = clean.replace("<img ", '<img onerror="alert(1)" ')
    found = in_a_build(tmp_path / "memo.json", lambda: check(edited))
    assert found == [(2, "<img>의 이벤트 처리기 속성 onerror=", True)]
    assert len(fed) == 1  # 고친 본문은 파싱합니다


# ---------------------------------------------------------------------------------------------
# Content-Security-Policy: 템플릿의 인라인 스크립트만 해시를 얻습니다


def test_csp_hashes_template_scripts_but_not_contributed_ones() -> None:
    contributed = "<article><script>alert('글쓴이')</script></article>"
    page = (
        "<html><head><script>var theme = 1</script></head><body>"
        + contributed
        + '<script id="__config" type="application/json">{"a": 1}</script></body></html>'
    )
    out = csp.add_policy(page, [contributed])
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', out)[1]
    assert out.index("Content-Security-Policy") < out.index("<script>")
    assert csp.script_hashes("<script>var theme = 1</script>")[0] in policy
    assert csp.script_hashes("<script>alert('글쓴이')</script>")[0] not in policy
    assert "'unsafe-inline'" not in policy and "style-src 'self';" in policy
    assert policy.count("sha256-") == 1  # application/json은 실행되지 않으므로 해시가 필요 없습니다


# ---------------------------------------------------------------------------------------------
# 경로: 저장소 밖, 절대 경로, '..', 링크


@pytest.mark.parametrize(
    ("written", "what"),
    [("/etc/passwd", "절대 경로"), ("../secret.txt", "'..'"), ("snippets/../../x", "'..'")],
)
def test_paths_written_in_posts_must_stay_relative(written: str, what: str) -> None:
    assert what in containment.relative_path_problem(written)


def test_links_out_of_the_repository_are_found(tmp_path: Path) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "ok.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "snippets" / "inside.py").symlink_to(tmp_path / "snippets" / "ok.py")
    (tmp_path / "snippets" / "passwd").symlink_to("/etc/passwd")
    (tmp_path / "snippets" / "dangling").symlink_to(tmp_path / "nothing")
    # 저장소 안이지만 사이트의 재료가 아닌 곳: 빌드하는 기계의 .git/config(토큰이 들 수 있음)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (tmp_path / "snippets" / "git-config").symlink_to("../.git/config")
    problems = sorted(str(p) for p in containment.check_links(tmp_path, ("snippets",)))
    assert len(problems) == 3
    assert problems[0].startswith("snippets/dangling: ")
    assert problems[1].startswith("snippets/git-config: ") and "../.git/config" in problems[1]
    assert problems[2].startswith("snippets/passwd: ") and "/etc/passwd" in problems[2]


@pytest.mark.parametrize(
    "name",
    [
        "notebooks/evil\u202eyp.py",
        "notebooks/my notebook.py",
        "notebooks/Upper.py",
        "snippets/a b.py",
    ],
    ids=["right-to-left-override", "space", "upper-case", "snippet-space"],
)
def test_notebook_and_snippet_names_follow_the_slug_rule(tmp_path: Path, name: str) -> None:
    for good in ("notebooks/ok-name.py", "snippets/ok_name.py", "snippets/__init__.py", name):
        (tmp_path / good).parent.mkdir(exist_ok=True)
        (tmp_path / good).write_text("x = 1\n", encoding="utf-8")
    problems = containment.check_names(tmp_path)
    assert [str(p.path) for p in problems] == [name], problems
    assert "글의 slug와 같은 규칙" in problems[0].message


def test_the_repositorys_notebook_and_snippet_names_follow_the_slug_rule() -> None:
    assert containment.check_names(ROOT) == []


def test_non_utf8_bytes_name_the_file_line_and_byte(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    good = "# 제목\n\n한글 다음에\n".encode()
    (tmp_path / "docs" / "post.md").write_bytes(good + b"\xff\xfe\n")
    (problem,) = containment.check_encodings(tmp_path, ("docs",))
    assert str(problem).startswith(
        f"docs/post.md:4: UTF-8이 아닌 바이트 b'\\xff\\xfe\\n'가 {len(good)}번째 바이트"
    )


def test_build_inputs_outside_the_repository_are_refused(tmp_path: Path) -> None:
    module = tmp_path / "snippets" / "reader.py"
    module.parent.mkdir()
    for pattern, what in (("/etc/*", "절대 경로"), ("../*.txt", "'..'")):
        module.write_text(f'"""읽는 모듈"""\n\nBUILD_INPUTS = ("{pattern}",)\n', encoding="utf-8")
        with pytest.raises(ExecutionError, match=rf"snippets/reader.py:3: BUILD_INPUTS: .*{what}"):
            declared_inputs(module, tmp_path)


# ---------------------------------------------------------------------------------------------
# 캐시가 낡은 결과를 쓰지 않게: read_output의 노트북 이름은 글자 그대로


def test_read_output_with_a_variable_name_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "reader.py"
    source.write_text(
        '# %%\nfrom notebook_outputs import read_output\n\nUPSTREAM = "loss-maker"\n'
        'log = read_output(UPSTREAM, "log.json")\n',
        encoding="utf-8",
    )
    with pytest.raises(ExecutionError, match=r"notebooks/reader.py:5: read_output의 첫 인자"):
        upstream_notebooks(source)
    source.write_text('import notebook_outputs as p\np.read_output("loss-maker", "x")\n')
    assert upstream_notebooks(source) == ["loss-maker"]


# ---------------------------------------------------------------------------------------------
# 숫자 자리: 틀린 자리는 글자 그대로 나가지 않고, 파일의 줄을 짚어 멈춥니다


@pytest.fixture
def numbers(tmp_path: Path) -> Path:
    """저장소 꼴의 임시 디렉터리의 build/outputs: 노트북 둘(하나는 아직 숫자가 없음)과, 노트북이
    지워진 뒤 지난 빌드가 남긴 숫자(gone-notebook)."""
    outputs = tmp_path / "build" / "outputs"
    for name, values in [("residual-connection", "3.8e-16"), ("gone-notebook", "낡은 값")]:
        (outputs / name).mkdir(parents=True)
        (outputs / name / "manifest.json").write_text(
            json.dumps({"plain-ratio": {"kind": "number", "value": values}}), encoding="utf-8"
        )
    (tmp_path / "notebooks").mkdir()
    for name in ["residual-connection", "no-numbers-yet"]:
        (tmp_path / "notebooks" / f"{name}.py").write_text("x = 1\n", encoding="utf-8")
    return outputs


SINGLE_BRACES = {
    "one-brace": "{ plain-ratio }",
    "one-brace-long-form": "{ outputs/residual-connection/plain-ratio }",
    "closing-brace-missing": "{{ plain-ratio }",
    "opening-brace-missing": "{ plain-ratio }}",
}


@pytest.mark.parametrize("written", SINGLE_BRACES.values(), ids=SINGLE_BRACES.keys())
def test_a_placeholder_with_one_brace_is_named_with_its_line_and_the_right_form(
    numbers: Path, written: str
) -> None:
    """`{ key }`는 `{{ key }}`의 오타입니다: 글자 그대로 출판되지 않고 파일의 줄과 고친 꼴을 짚습니다."""
    text = f"첫 줄\n\n비율은 {written}배입니다."
    with pytest.raises(placeholders.PlaceholderError) as error:
        placeholders.substitute(text, numbers, "post.md", 9, own_notebook="residual-connection")
    inside = written.strip("{} ")
    assert str(error.value) == (
        f"post.md:11: '{written}': 숫자 자리는 중괄호를 두 겹으로 씁니다: {{{{ {inside} }}}}"
    )


def test_braces_in_math_attribute_lists_and_code_are_not_placeholders(numbers: Path) -> None:
    text = (
        "$$\n\\frac{ a }{ b }\n$$\n\n$x^{ n }$와 `{ key }`.\n\n"
        '1. [가](https://a.example){ #ref-1 }\n    { value="1" }\n'
    )
    assert placeholders.substitute(text, numbers, "post.md") == text


def test_lines_without_a_brace_are_not_scanned(
    numbers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """글의 대부분인 중괄호 없는 줄은 숫자 자리의 패턴으로 훑지 않습니다(글 100편의 블로그에서 빌드마다
    0.07 s). 수식 블록의 안팎은 그 줄들에서도 셉니다: 블록 안의 중괄호는 수식, 블록 뒤의 한 겹 중괄호는 오타."""
    scanned = []
    inline_code = placeholders.INLINE_CODE

    class Spy:
        def finditer(self, line: str) -> object:
            scanned.append(line)
            return inline_code.finditer(line)

    monkeypatch.setattr(placeholders, "INLINE_CODE", Spy())
    text = "\n".join(
        ["`코드`와 $x$가 있는 평범한 줄."] * 500 + ["$$", "x^{ n }", "$$", "끝 { key }"]
    )
    with pytest.raises(placeholders.PlaceholderError) as error:
        placeholders.substitute(text, numbers, "post.md")
    assert str(error.value).startswith("post.md:504: '{ key }': 숫자 자리는 중괄호를 두 겹으로")
    assert scanned == ["x^{ n }", "끝 { key }"]


def test_placeholder_is_filled(numbers: Path) -> None:
    text = "비율은 {{ outputs/residual-connection/plain-ratio }}배."
    assert placeholders.substitute(text, numbers, "post.md") == "비율은 3.8e-16배."


@pytest.mark.parametrize(
    ("written", "what"),
    [
        ("{{ outputs/residual-connection/plain_ratio }}", "결과 자리의 꼴이 아닙니다"),
        (
            "{{ outputs/residual-connection/plain-ration }}",
            "결과의 이름이 아닙니다 (있는 이름, 가까운 것부터: plain-ratio(숫자))",
        ),
        ("{{ outputs/no-such-notebook/x }}", "notebooks/no-such-notebook.py가 없습니다"),
        ("{{ outputs/gone-notebook/plain-ratio }}", "notebooks/gone-notebook.py가 없습니다"),
        ("{{ page.title }}", "결과 자리의 꼴이 아닙니다"),
    ],
    ids=[
        "underscore",
        "misspelt-key",
        "missing-notebook",
        "stale-outputs-of-a-gone-notebook",
        "jinja",
    ],
)
def test_wrong_placeholder_names_the_file_line(numbers: Path, written: str, what: str) -> None:
    text = f"첫 줄\n\n셋째 줄에 {written}."
    with pytest.raises(placeholders.PlaceholderError) as error:
        placeholders.substitute(text, numbers, "docs/blog/posts/post.md", first_line=41)
    assert str(error.value).startswith(f"docs/blog/posts/post.md:43: '{written}'")
    assert what in str(error.value)


def test_short_placeholder_is_filled_from_the_posts_own_notebook(numbers: Path) -> None:
    text = "비율은 {{ plain-ratio }}배, 다른 노트북의 꼴로도 {{ outputs/residual-connection/plain-ratio }}배."
    filled = placeholders.substitute(text, numbers, "post.md", own_notebook="residual-connection")
    assert filled == "비율은 3.8e-16배, 다른 노트북의 꼴로도 3.8e-16배."


@pytest.mark.parametrize(
    ("written", "own", "what"),
    [
        (
            "{{ plain-ration }}",
            "residual-connection",
            "notebooks/residual-connection.py가 남긴 결과의 이름이 아닙니다 "
            "(있는 이름, 가까운 것부터: plain-ratio(숫자))",
        ),
        ("{{ plain_ratio }}", "residual-connection", "결과 자리의 꼴이 아닙니다"),
        ("{{ plain-ratio }}", None, "이 글에는 그런 노트북이 없습니다"),
        (
            "{{ plain-ratio }}",
            "no-numbers-yet",
            "notebooks/no-numbers-yet.py가 남긴 결과의 이름이 아닙니다 (있는 이름, 가까운 것부터: 없음)",
        ),
    ],
    ids=["misspelt-key", "underscore", "post-without-notebook", "notebook-without-numbers"],
)
def test_wrong_short_placeholder_names_the_file_line_and_notebook(
    numbers: Path, written: str, own: str | None, what: str
) -> None:
    text = f"첫 줄\n\n셋째 줄에 {written}."
    with pytest.raises(placeholders.PlaceholderError) as error:
        placeholders.substitute(
            text, numbers, "docs/blog/posts/post.md", first_line=41, own_notebook=own
        )
    assert str(error.value).startswith(f"docs/blog/posts/post.md:43: '{written}'")
    assert what in str(error.value)


@pytest.fixture
def saved(numbers: Path) -> Path:
    """residual-connection이 숫자 하나, 표 하나, 글자 블록 하나, 그림 하나를 남긴 결과 목록."""
    directory = numbers / "residual-connection"
    (directory / "ratios.md").write_text("| 깊이 | 비 |\n|---|---|\n| 64 | 3.8e-16 |\n", "utf-8")
    (directory / "sample.md").write_text("```text\n모델이 쓴 글\n\n둘째 문단\n```\n", "utf-8")
    (directory / "norms.svg").write_text("<svg/>", encoding="utf-8")
    figure = {"kind": "figure", "files": {"light": "norms.svg"}, "alt": "곡선", "caption": "말"}
    saved = {
        "plain-ratio": {"kind": "number", "value": "3.8e-16"},
        "ratios": {"kind": "table", "file": "ratios.md"},
        "sample": {"kind": "text", "file": "sample.md"},
        "gradient-norms": figure,
    }
    (directory / "manifest.json").write_text(json.dumps(saved, ensure_ascii=False), "utf-8")
    return numbers


def test_a_table_or_text_on_its_own_line_becomes_its_markdown_at_that_indentation(
    saved: Path,
) -> None:
    """표와 글자 블록은 그 줄의 들여쓰기 그대로(??? 블록과 탭 안에서도) Markdown 블록으로 바뀝니다."""
    text = (
        "앞 문단.\n\n{{ outputs/residual-connection/ratios }}\n\n"
        '??? note "표"\n\n    {{ ratios }}\n\n=== "탭"\n\n\t{{ sample }}\n'
    )
    filled = placeholders.substitute(text, saved, "post.md", own_notebook="residual-connection")
    assert filled == (
        "앞 문단.\n\n\n| 깊이 | 비 |\n|---|---|\n| 64 | 3.8e-16 |\n\n\n"
        '??? note "표"\n\n    \n    | 깊이 | 비 |\n    |---|---|\n    | 64 | 3.8e-16 |\n    \n\n'
        '=== "탭"\n\n\t\n    ```text\n    모델이 쓴 글\n    \n    둘째 문단\n    ```\n    \n'
    )
    # 빈 줄 없이 문장 사이에 써도 표는 앞뒤 문단과 떨어진 블록입니다.
    between = placeholders.substitute(
        "앞\n{{ ratios }}\n뒤", saved, "post.md", own_notebook="residual-connection"
    )
    assert between == "앞\n\n| 깊이 | 비 |\n|---|---|\n| 64 | 3.8e-16 |\n\n뒤"


def test_a_figure_on_its_own_line_becomes_a_paragraph_of_its_light_variant(saved: Path) -> None:
    text = '??? note "그림"\n    {{ outputs/residual-connection/gradient-norms }}\n'
    filled = placeholders.substitute(text, saved, "post.md", prefix="../outputs/")
    assert (
        filled == '??? note "그림"\n    \n    ![](../outputs/residual-connection/norms.svg)\n    \n'
    )
    assert placeholders.outputs_prefix("blog/posts/p.md") == "../../outputs/"
    assert placeholders.outputs_prefix("index.md") == "outputs/"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "표는 {{ ratios }}에 있습니다.",
            "'{{ ratios }}': 'ratios'(표)는 문장 안에 실을 수 없습니다: 앞뒤 글과 떼어 한 줄에 "
            "혼자 쓰세요: '{{ ratios }}'",
        ),
        (
            "  - 그림: {{ gradient-norms }}",
            "'{{ gradient-norms }}': 'gradient-norms'(그림)는 문장 안에 실을 수 없습니다: 앞뒤 글과 "
            "떼어 한 줄에 혼자 쓰세요: '  {{ gradient-norms }}'",
        ),
        (
            "    {{ plain-ratio }}",
            "'{{ plain-ratio }}': 숫자가 한 줄에 혼자 있습니다. 숫자는 문장 안에 씁니다. 그림이나 표를 "
            "실으려던 것이면 그 이름을 쓰세요 (notebooks/residual-connection.py의 그림·표: ratios, "
            "sample, gradient-norms)",
        ),
        (
            "{{ gradient-norm }}",
            "'{{ gradient-norm }}': notebooks/residual-connection.py가 남긴 결과의 이름이 아닙니다 "
            "(있는 이름, 가까운 것부터: gradient-norms(그림), ratios(표), plain-ratio(숫자), "
            "sample(글자 블록))",
        ),
    ],
    ids=["table-inline", "figure-inline", "number-alone", "unknown-name-nearest-first"],
)
def test_a_result_used_the_wrong_way_names_the_file_line_and_what_to_write(
    saved: Path, line: str, message: str
) -> None:
    with pytest.raises(placeholders.PlaceholderError) as error:
        placeholders.substitute(
            f"첫 줄\n\n{line}\n", saved, "post.md", 7, own_notebook="residual-connection"
        )
    assert str(error.value) == f"post.md:9: {message}"


def test_a_posts_own_notebook_is_the_notebook_named_like_its_slug(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "softmax-revisited.py").write_text("", encoding="utf-8")
    assert placeholders.companion_notebook("softmax-revisited", tmp_path) == "softmax-revisited"
    assert placeholders.companion_notebook("another-post", tmp_path) is None
    assert placeholders.companion_notebook(None, tmp_path) is None  # 앞머리에 slug가 없는 페이지


def test_placeholders_in_code_stay_text(numbers: Path) -> None:
    text = "`{{ outputs/x/y }}`는 자리의 꼴입니다.\n\n```yaml\nrun: ${{ secrets.X }}\n```"
    assert placeholders.substitute(text, numbers, "post.md") == text
    assert placeholders.leftovers("<p>값: {{ x }}</p><pre><code>{{ y }}</code></pre>") == [
        "{{ x }}"
    ]


# ---------------------------------------------------------------------------------------------
# 빌드 전체: 작은 사이트에 적대적인 입력을 넣고 빌드합니다


def _post(small_site: Path) -> Path:
    return small_site / "docs" / "blog" / "posts" / f"{SLUG}.md"


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_build_refuses_a_snippet_symlink_out_of_the_repository(small_site: Path) -> None:
    """`ln -s /etc/passwd snippets/passwd`와 그것을 끌어오는 글: /etc/passwd가 페이지에 실리면 안 됩니다."""
    link = small_site / "snippets" / "passwd"
    link.symlink_to("/etc/passwd")
    post = _post(small_site)
    text = post.read_text(encoding="utf-8") + '\n```text\n--8<-- "snippets/passwd"\n```\n'
    try:
        with changed(post, text):
            output = failed_build(small_site, small_site.parent / "site-symlink")
    finally:
        link.unlink()
    assert (
        "snippets/passwd: 저장소 밖이나 없는 곳, 또는 사이트의 재료가 아닌 곳(/etc/passwd)을 "
        "가리키는 심볼릭 링크입니다" in output
    )
    assert "root:x:0:0" not in output


def test_build_names_a_non_utf8_byte_in_a_snippet(small_site: Path) -> None:
    module = small_site / "snippets" / f"{SLUG.replace('-', '_')}.py"
    data = module.read_bytes()
    broken = data.replace(b'"""', b'"""\xc0', 1)
    with changed(module, broken):
        output = failed_build(small_site, small_site.parent / "site-bytes")
    offset = data.index(b'"""') + 3
    line = data[:offset].count(b"\n") + 1
    assert f"snippets/{module.name}:{line}: UTF-8이 아닌 바이트" in output
    assert f"{offset}번째 바이트" in output
    assert "Traceback" not in output


def test_build_names_every_unsafe_line_of_a_post_at_once(small_site: Path) -> None:
    post = _post(small_site)
    original = post.read_text(encoding="utf-8")
    text = (
        original.replace("date: ", "date: 20250102\nold_date: ", 1)
        + '\n<img src="x" onerror="alert(1)">\n\n<script>alert(2)</script>\n\n'
        + "```text\n--8<-- \"/etc/passwd\"\n```\n\n```text\n-8<- '../secret.txt'\n```\n"
    )
    with changed(post, text):
        output = failed_build(small_site, small_site.parent / "site-unsafe")
    where = f"docs/blog/posts/{SLUG}.md"
    assert f"{where}:2: 앞머리 필드 'date': 따옴표 없는 YYYY-MM-DD 날짜여야 합니다" in output
    assert "date: 2025-01-04" in output  # 올바른 예
    assert f"{where}:3: 앞머리 필드 'old_date': 이 블로그가 받지 않는 필드입니다" in output
    img = _line_of(text, "<img")
    assert f"{where}:{img}: <img>의 이벤트 처리기 속성 onerror=" in output
    assert f"{where}:{img + 2}: <script> 태그" in output
    absolute, dotdot = _line_of(text, '--8<-- "/etc'), _line_of(text, "-8<- ")
    assert f"{where}:{absolute}: '/etc/passwd'은 절대 경로입니다" in output
    assert f"{where}:{dotdot}: '../secret.txt'에 '..'이 있습니다" in output
    assert "Traceback" not in output


def test_build_names_the_file_line_of_a_misspelt_placeholder(small_site: Path) -> None:
    post = _post(small_site)
    original = post.read_text(encoding="utf-8")
    text = original.replace("max-difference }}", "max_difference }}")
    assert text != original
    with changed(post, text):
        output = failed_build(small_site, small_site.parent / "site-placeholder")
    line = _line_of(text, "max_difference")
    assert f"docs/blog/posts/{SLUG}.md:{line}: '{{{{ outputs/{SLUG}/max_difference }}}}'" in output


def test_build_fills_a_posts_short_placeholders_from_its_own_notebook(small_site: Path) -> None:
    """글의 slug가 곧 그 글의 노트북 이름: `{{ max-difference }}`는 채워지고, 틀린 키는 줄과 노트북,
    있는 이름을 짚습니다. 노트북이 없는 페이지(첫 화면)의 짧은 꼴은 그렇다고 말합니다."""
    post = _post(small_site)
    text = (
        post.read_text(encoding="utf-8") + "\n짧은 꼴: {{ max-difference }}, {{ max-diference }}.\n"
    )
    with changed(post, text):
        output = failed_build(small_site, small_site.parent / "site-short-placeholder")
    line = _line_of(text, "짧은 꼴:")
    assert (
        f"docs/blog/posts/{SLUG}.md:{line}: '{{{{ max-diference }}}}': notebooks/{SLUG}.py가"
        in output
    )
    assert (
        "(있는 이름, 가까운 것부터: max-difference(숫자))" in output
        and "'{{ max-difference }}'" not in output
    )
    index = small_site / "docs" / "index.md"
    with changed(index, "# 시험용 사이트\n\n{{ max-difference }}\n"):
        output = failed_build(small_site, small_site.parent / "site-short-placeholder")
    assert "docs/index.md:3: '{{ max-difference }}': 짧은 꼴은 글 자신의 동반 노트북" in output
    assert "이 글에는 그런 노트북이 없습니다" in output


HOSTILE_TITLE = 'Q&A "인용" &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;'
PLAIN_TITLE = 'Q&A "인용" </title><script>alert(3)</script>'
HOSTILE_DESCRIPTION = "'\"><script>alert(2)</script> 설명이 태그를 닫으려 합니다"


def test_hostile_title_and_description_are_escaped_everywhere(
    small_site: Path, tmp_path: Path
) -> None:
    post = _post(small_site)
    original = post.read_text(encoding="utf-8")
    description = "description: " + json.dumps(HOSTILE_DESCRIPTION, ensure_ascii=False)
    text = re.sub(r"(?m)^description: .*$", lambda _: description, original)
    text = re.sub(r"(?m)^# .*$", lambda _: f"# {HOSTILE_TITLE}", text, count=1)
    site = tmp_path / "site"
    with changed(post, text):
        result = mkdocs_build(small_site, site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = next(site.glob(f"blog/*/*/*/{SLUG}/index.html")).read_text(encoding="utf-8")
    index = (site / "blog" / "index.html").read_text(encoding="utf-8")
    for built in (page, index):
        assert "<script>alert" not in built, "글쓴이의 스크립트가 태그로 실렸습니다"
    metas = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', page))
    for name in ("description", "og:description", "twitter:description"):
        assert html.unescape(metas[name]) == HOSTILE_DESCRIPTION, name
    for name in ("og:title", "twitter:title"):
        assert html.unescape(metas[name]) == f"{PLAIN_TITLE} - 코드가 진짜인 기술 블로그", name
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)[1]
    assert html.unescape(title) == f"{PLAIN_TITLE} - 코드가 진짜인 기술 블로그"
    item = ET.parse(site / "feed.xml").getroot().find("channel/item")
    assert item.findtext("title") == PLAIN_TITLE  # 한 번만 이스케이프 (Q&amp;amp;A가 아님)
    assert item.findtext("description") == HOSTILE_DESCRIPTION
    # 검색 색인은 제목을 독자가 읽는 글자 그대로 싣습니다(HTML이 아니라): 검색 창은 그것을 글자로 그립니다
    # (docs/javascripts/search.js, tests/test_browser.py의 test_search_results_render_index_text_as_text)
    titles = {record.url: record.title for record in search_index.read(site)}
    assert PLAIN_TITLE in titles.values(), titles
    for built in site.rglob("*.html"):
        assert '<meta http-equiv="Content-Security-Policy"' in built.read_text(encoding="utf-8"), (
            built
        )


NOTEBOOK_HEADER = "# %% [markdown]\n# # 시험용 노트북\n\n# %%\n"
HOSTILE_NOTEBOOKS = {
    # 변수로 준 노트북 이름: 캐시 키에 그 노트북의 키가 들어가지 않아 낡은 결과가 나갈 수 있습니다.
    "variable-upstream": (
        'from notebook_outputs import read_output\n\nNAME = "x"\nread_output(NAME, "a.json")\n',
        "notebooks/a-hostile.py:8: read_output의 첫 인자(읽을 노트북 이름)는 글자 그대로",
    ),
    # 빌드하는 기계의 경로를 출력합니다(작업 디렉터리는 build/outputs/ 아래).
    "build-path": (
        "import os\n\nprint(os.getcwd())\n",
        "notebooks/a-hostile.py: 셀 2번(notebooks/a-hostile.py:4)의 출력에 빌드하는 기계의 경로",
    ),
    # 출력으로 스크립트를 싣습니다.
    "script-output": (
        'from IPython.display import HTML, display\n\ndisplay(HTML("<script>alert(1)</script>"))\n',
        "notebooks/a-hostile.py: 노트북의 출력이나 Markdown 셀이 브라우저에서 실행될 수 있는 내용을 "
        "싣습니다:\n  셀 2번: <script> 태그",
    ),
}


@pytest.mark.parametrize(
    ("cells", "message"), HOSTILE_NOTEBOOKS.values(), ids=HOSTILE_NOTEBOOKS.keys()
)
def test_build_names_the_cell_of_a_hostile_notebook(
    small_site: Path, cells: str, message: str
) -> None:
    with changed(small_site / "notebooks" / "a-hostile.py", NOTEBOOK_HEADER + cells):
        output = failed_build(small_site, small_site.parent / "site-notebook")
    assert message in output
    assert "Traceback" not in output.split(message)[0][-2000:]


def test_build_names_the_cell_whose_output_is_over_the_limit(small_site: Path) -> None:
    config = small_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    limited = re.sub(r"(\n    max_cell_output_kb:) \d+", r"\1 8", text)
    assert limited != text, "mkdocs.yml에 extra.execution.max_cell_output_kb가 없습니다"
    noisy = NOTEBOOK_HEADER + "x = 1\n\n# %%\nprint('가' * 20_000)\n"
    with changed(config, limited), changed(small_site / "notebooks" / "a-noisy.py", noisy):
        output = failed_build(small_site, small_site.parent / "site-noisy")
    assert (
        "notebooks/a-noisy.py: 셀 3번(notebooks/a-noisy.py:7)의 출력이 59 KB로 한도 8 KB" in output
    )


def test_build_names_the_notebook_whose_published_size_is_over_the_limit(
    small_site: Path,
) -> None:
    config = small_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    limited = re.sub(r"(\n    max_published_kb:) \d+", r"\1 1", text)
    assert limited != text, "mkdocs.yml에 extra.execution.max_published_kb가 없습니다"
    with changed(config, limited):
        output = failed_build(small_site, small_site.parent / "site-published")
    assert f"notebooks/{SLUG}.py: 사이트에 싣는 결과가" in output
    assert f"가장 큰 파일: {SLUG}.ipynb" in output


def test_build_refuses_yaml_bombs_and_external_images_before_mkdocs_reads_them(
    small_site: Path,
) -> None:
    """별칭 폭탄은 글의 앞머리에서도, MkDocs가 스스로 읽는 다른 페이지(docs/index.md)의 앞머리와 jupytext가
    읽는 노트북 머리말에서도 그 줄을 짚고 멈춥니다(MemoryError나 수십 MB의 메시지 없이)."""
    post = _post(small_site)
    original = post.read_text(encoding="utf-8")
    text = original.replace("tags:", f"tags: {alias_bomb(9)}\nold_tags:", 1)
    text += "\n![바깥 그림](https://example.com/a.png)\n"
    index = small_site / "docs" / "index.md"
    notebook = small_site / "notebooks" / "a-bomb.py"
    with (
        changed(post, text),
        changed(index, f"---\nhide: {alias_bomb(9)}\n---\n\n# 시험용 사이트\n"),
        changed(notebook, f"# ---\n# jupyter: {alias_bomb(9)}\n# ---\n\nx = 1\n"),
    ):
        output = failed_build(small_site, small_site.parent / "site-bomb")
    where = f"docs/blog/posts/{SLUG}.md"
    assert (
        f"{where}:{_line_of(text, 'tags:')}: 앞머리 필드 '---': YAML로 읽을 수 없습니다: 별칭"
        in output
    )
    assert "docs/index.md:2: 앞머리 필드 '---': YAML로 읽을 수 없습니다: 별칭" in output
    assert "notebooks/a-bomb.py:2: 앞머리 필드 '---': YAML로 읽을 수 없습니다: 별칭" in output
    image = _line_of(text, "![바깥 그림]")
    assert f"{where}:{image}: 다른 곳의 그림 'https://example.com/a.png'" in output
    assert "Traceback" not in output and len(output) < 20_000, output[-3000:]


@pytest.mark.parametrize(
    ("name", "data", "line", "what"),
    [
        ("post.md", b"\xef\xbb\xbf---\ndate: 2025-01-04\n---\n", 1, "UTF-8 BOM"),
        ("module.py", b'"""x"""\n\nx = 1  # \x00\n', 3, "NUL 바이트(\\x00)가 18번째 바이트"),
    ],
)
def test_a_bom_or_nul_byte_names_the_file_and_line(
    tmp_path: Path, name: str, data: bytes, line: int, what: str
) -> None:
    (tmp_path / name).write_bytes(data)
    problem = containment.decode_problem(tmp_path / name, tmp_path)
    assert problem and str(problem).startswith(f"{name}:{line}: "), problem
    assert what in problem.message


def test_file_names_in_messages_show_invisible_characters_escaped() -> None:
    """오른쪽에서 왼쪽 쓰기(U+202E)가 든 이름이 메시지에서 'notebooks/evilyp.py'가 아니라 그대로 보이게."""
    problem = Problem(Path("notebooks/evil\u202eyp.py"), 3, "문제")
    assert str(problem) == "notebooks/evil\\u202eyp.py:3: 문제"
    assert shown("docs/a\x1b[31m.md") == "docs/a\\x1b[31m.md"
    assert shown("docs/blog/posts/어텐션.md") == "docs/blog/posts/어텐션.md"


def test_build_names_a_bom_a_nul_byte_and_a_bidi_name_before_reading_them(
    small_site: Path,
) -> None:
    """BOM이 붙은 코드 조각, NUL 바이트가 든 노트북: 파이썬의 SyntaxError 역추적이 아니라 파일과 줄.
    오른쪽에서 왼쪽 쓰기 문자가 든 노트북 이름은 메시지의 경로에서도 이스케이프됩니다."""
    module = small_site / "snippets" / f"{SLUG.replace('-', '_')}.py"
    notebook = small_site / "notebooks" / f"{SLUG}.py"
    text = notebook.read_bytes()
    with (
        changed(module, b"\xef\xbb\xbf" + module.read_bytes()),
        changed(notebook, text + b"\n# \x00\n"),
        changed(small_site / "notebooks" / "evil\u202eyp.py", text),
    ):
        output = failed_build(small_site, small_site.parent / "site-bytes")
    assert f"snippets/{module.name}:1: 파일 맨 앞에 UTF-8 BOM" in output
    nul_line = text.count(b"\n") + 2
    assert f"notebooks/{SLUG}.py:{nul_line}: NUL 바이트" in output
    assert "notebooks/evil\\u202eyp.py: 파일 이름 'evil\\u202eyp.py'은" in output
    assert "\u202e" not in output and "Traceback" not in output


def test_build_refuses_outputs_of_a_notebook_that_is_gone(small_site: Path) -> None:
    """build/outputs/에 남은, 이제는 없는 노트북의 결과: 이 기계에서는 낡은 표가 실리고 CI에서는 없습니다."""
    post = _post(small_site)
    text = post.read_text(encoding="utf-8") + "\n{{ outputs/gone-notebook/table }}\n"
    stale = small_site / "build" / "outputs" / "gone-notebook" / "table.md"
    stale.parent.mkdir(parents=True, exist_ok=True)
    saved = stale.parent / "manifest.json"
    with (
        changed(post, text),
        changed(stale, "| 낡은 | 표 |\n|---|---|\n| 1 | 2 |\n"),
        changed(saved, '{"table": {"kind": "table", "file": "table.md"}}'),
    ):
        output = failed_build(small_site, small_site.parent / "site-stale")
    line = _line_of(text, "{{ outputs/gone")
    assert (
        f"docs/blog/posts/{SLUG}.md:{line}: '{{{{ outputs/gone-notebook/table }}}}': "
        "notebooks/gone-notebook.py가 없습니다" in output
    )


@pytest.mark.parametrize("where", ["snippet", "notebook"])
def test_a_python_syntax_error_is_named_at_its_line_not_as_a_traceback(
    small_site: Path, where: str
) -> None:
    """괄호를 닫지 않은 코드 조각이나 노트북: 실행 캐시의 키를 세며 처음 읽는 곳에서 파일과 줄로 멈춥니다."""
    path = (
        small_site / "snippets" / f"{SLUG.replace('-', '_')}.py"
        if where == "snippet"
        else small_site / "notebooks" / f"{SLUG}.py"
    )
    text = path.read_text(encoding="utf-8")
    with changed(path, text + "\nbroken = (1,\n"):
        output = failed_build(small_site, small_site.parent / f"site-syntax-{where}")
    line = text.count("\n") + 2
    assert f"{path.relative_to(small_site)}:{line}: 파이썬으로 읽을 수 없습니다" in output, output
    assert "Traceback" not in output


def test_a_scaffold_leftover_stops_the_strict_build_and_the_preview_warns(small_site: Path) -> None:
    """'(바꾸세요)' 자리 글: make serve(엄격하지 않은 빌드)는 줄을 짚어 경고하고 보여 주며, 엄격 빌드는 멈춥니다."""
    post = _post(small_site)
    text = post.read_text(encoding="utf-8").replace(
        "\n## 직접 실행하기", "\n(바꾸세요) 남은 문장.\n\n## 직접 실행하기"
    )
    where = f"docs/blog/posts/{SLUG}.md:{_line_of(text, '(바꾸세요)')}"
    message = f"{where}: 뼈대(make new-post)가 넣은 '(바꾸세요)' 자리 글이 남았습니다"
    with changed(post, text):
        assert message in failed_build(small_site, small_site.parent / "site-leftover")
        preview = mkdocs_build(small_site, small_site.parent / "site-preview", strict=False)
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert f"WARNING -  {message}" in preview.stderr


def test_the_old_figure_and_table_lines_stop_the_build_with_the_line_to_write(
    small_site: Path,
) -> None:
    """예전 두 꼴: 글의 줄과 새로 쓸 줄(글에서 본 경로가 아니라 결과 이름), 실행 전에 멈춥니다."""
    post = _post(small_site)
    old = f'\n![곡선](../../outputs/{SLUG}/plot.svg "캡션")\n\n--8<-- "build/outputs/{SLUG}/t.md"\n'
    text = post.read_text(encoding="utf-8").replace(
        "\n## 직접 실행하기", old + "\n## 직접 실행하기"
    )
    with changed(post, text):
        output = failed_build(small_site, small_site.parent / "site-figures")
    where = f"docs/blog/posts/{SLUG}.md"
    figure, table = _line_of(text, "![곡선]"), _line_of(text, '--8<-- "build/')
    assert (
        f"{where}:{figure}: 노트북의 그림은 이제 결과 이름 한 줄로 싣습니다: 이 줄을 "
        f"'{{{{ outputs/{SLUG}/plot }}}}'로 바꾸고" in output
    )
    assert f"{where}:{table}: 'build/outputs/{SLUG}/t.md': 노트북의 표는 이제" in output
    assert "../../../../" not in output and str(small_site) not in output


def test_a_manifest_the_notebook_forged_stops_the_build_naming_the_notebook_and_entry(
    small_site: Path,
) -> None:
    """결과 목록은 노트북(기여자의 코드)이 쓴 파일: 손으로 쓴 틀린 항목은 노트북과 항목을 짚어 멈춥니다."""
    notebook = small_site / "notebooks" / f"{SLUG}.py"
    forged = (
        "\n# %%\nfrom notebook_outputs import output_dir\n\n"
        '(output_dir() / "manifest.json").write_text(\'{"plot": {"kind": "chart"}}\')\n'
    )
    with changed(notebook, notebook.read_text(encoding="utf-8") + forged):
        output = failed_build(small_site, small_site.parent / "site-manifest")
    assert (
        f"notebooks/{SLUG}.py: 결과 목록(build/outputs/{SLUG}/manifest.json)의 항목 'plot': "
        "모르는 종류입니다 (kind: 'chart')" in output
    )
    assert "Traceback" not in output


# ---------------------------------------------------------------------------------------------
# 사이트에 실리는 모든 파일: MkDocs가 그대로 싣는 docs/의 파일과 노트북의 출력까지(blogbuild/site_check.py)

PAGE = (
    '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="{policy}">'
    "<title>t</title></head><body>\n{body}\n</body></html>\n"
)
SITE_SCRIPT = b"console.log('site');\n"


def _page(body: str, inline_hashes: list[str] | None = None) -> str:
    return PAGE.format(policy=csp.policy(inline_hashes or []), body=body)


def _site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    site = tmp_path / "site"
    for name, text in {"index.html": _page("<p>x</p>"), "app.js": SITE_SCRIPT, **files}.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return site


def _checked(site: Path, sources: dict[str, str] | None = None) -> list[str]:
    return [str(p) for p in site_check.check_site(site, {"app.js": SITE_SCRIPT}, sources)]


ACTIVE_SITE_FILES = {
    "script-in-svg": (
        "x.svg",
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "인라인 <script> 태그",
    ),
    "handler-in-svg": (
        "x.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "이벤트 처리기 속성 onload=",
    ),
    "javascript-url": (
        "x.svg",
        '<svg><a href="java&#9;script:alert(1)"><text>x</text></a></svg>',
        "스크립트 주소",
    ),
    "svg-animate-href": (
        "x.svg",
        '<svg><a><set attributeName="href" to="#x"/></a></svg>',
        "링크 주소를 바꾸는 SVG 애니메이션",
    ),
    "foreign-object": (
        "x.svg",
        '<svg><foreignObject><script src="app.js"></script></foreignObject></svg>',
        "<foreignObject> 속의 <script> 태그",
    ),
    "iframe": ("x.xml", '<feed><iframe src="https://evil.example"/></feed>', "<iframe> 태그"),
    "object": ("page.html", _page('<object data="x.swf"></object>'), "<object> 태그"),
    "embed": ("page.html", _page('<embed src="x.swf">'), "<embed> 태그"),
    "meta-refresh": (
        "page.html",
        _page('<meta http-equiv="refresh" content="0; url=javascript:alert(1)">'),
        "스크립트 주소로 옮기는 <meta http-equiv=refresh>",
    ),
    "other-script": (
        "page.html",
        _page('<script src="evil.js"></script>'),
        "허락되지 않은 스크립트",
    ),
    "external-script": (
        "page.html",
        _page('<script src="https://evil.example/x.js"></script>'),
        "허락되지 않은 스크립트",
    ),
    "unlisted-inline": (
        "page.html",
        _page("<script>alert(1)</script>"),
        "정책(Content-Security-Policy)이 허락하지 않은 인라인",
    ),
    "no-policy": (
        "page.html",
        "<html><head></head><body>x</body></html>",
        "Content-Security-Policy가 없는 HTML 페이지",
    ),
    "unknown-js": ("x.js", b"alert(1)\n", "x.js: 허락된 스크립트가 아닙니다"),
    "changed-site-js": (
        "app.js",
        b"alert(1)\n",
        "app.js: 테마나 사이트의 스크립트와 바이트가 다릅니다",
    ),
    "sniffed-html": (
        "x.txt",
        "\n <HTML><script>alert(1)</script>",
        "x.txt:1: 확장자(.txt)와 달리 HTML처럼 시작하는",
    ),
    "sniffed-no-extension": (
        "x",
        "<!-- -->\n<script>alert(1)</script>",
        "확장자(없음)와 달리 HTML처럼",
    ),
}


@pytest.mark.parametrize(
    ("name", "text", "what"), ACTIVE_SITE_FILES.values(), ids=ACTIVE_SITE_FILES.keys()
)
def test_every_published_file_is_checked(tmp_path: Path, name: str, text: str, what: str) -> None:
    problems = _checked(_site(tmp_path, {name: text}))
    assert any(what in problem for problem in problems), problems


def test_the_sites_own_scripts_and_a_templates_hashed_inline_script_pass(tmp_path: Path) -> None:
    inline = "<script>var x = 1;</script>"
    page = _page(
        f'<script src="../app.js"></script><script src="/app.js?v=1"></script>{inline}'
        '<script type="application/json">{"a": 1}</script>',
        csp.script_hashes(inline),
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><style>text{fill:red}</style><text style="x">1</text></svg>'
    assert (
        _checked(_site(tmp_path, {"a/page.html": page, "a.svg": svg, "b.png": b"\x89PNG\r\n"}))
        == []
    )


def test_a_copied_file_names_its_source_and_may_carry_no_inline_script(tmp_path: Path) -> None:
    """docs/의 HTML은 그대로 실립니다: 정책을 스스로 적고 그 해시를 넣어도 인라인 스크립트는 받지 않습니다."""
    inline = "<script>alert(1)</script>"
    forged = _page(inline, csp.script_hashes(inline))
    site = _site(
        tmp_path, {"evil.html": forged, "outputs/nb/x.svg": "<svg><script>alert(1)</script></svg>"}
    )
    problems = _checked(
        site, {"evil.html": "docs/evil.html", "outputs/nb/x.svg": "build/outputs/nb/x.svg"}
    )
    assert problems == [
        f"docs/evil.html:2: 인라인 <script> 태그: {active_content.HOW_TO_FIX}",
        f"build/outputs/nb/x.svg:1: 인라인 <script> 태그: {site_check.OUTPUT_FIX.format(notebook='nb')}",
    ]


def test_a_notebook_page_image_with_a_script_names_its_notebook(tmp_path: Path) -> None:
    """노트북의 SVG 그림 출력은 노트북 페이지 옆의 파일(build/notebooks/<노트북>/)로 실립니다: 그 안의 스크립트는
    그 노트북을 짚어 멈춥니다."""
    name = "notebooks/nb/0123456789abcdef.svg"
    site = _site(tmp_path, {name: "<svg><script>alert(1)</script></svg>"})
    assert _checked(site, {name: f"build/{name}"}) == [
        f"build/{name}:1: 인라인 <script> 태그: {site_check.OUTPUT_FIX.format(notebook='nb')}"
    ]


def test_a_link_to_a_site_folder_named_javascripts_is_no_script_url() -> None:
    assert not active_content.is_script_url("javascripts/scrollable-tables.js")
    assert active_content.is_script_url("javascript:alert(1)")


EVIL_NOTEBOOK = (
    NOTEBOOK_HEADER
    + "from notebook_outputs import output_dir\n\n"
    # 코드 줄은 80칸 안(그래야 check 단계를 지나 이 검사까지 옵니다); 쓰는 파일은 한 줄씩입니다.
    + 'svg = \'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\'\n'
    + "(output_dir() / 'chart.svg').write_text(svg)\n"
    + "page = '<html><head></head><body>x</body></html>'\n"
    + "(output_dir() / 'page.html').write_text(page)\n"
)


def test_build_refuses_active_files_wherever_they_come_from(small_site: Path) -> None:
    """MkDocs가 그대로 싣는 docs/의 HTML·SVG·JS와 노트북이 출력에 쓴 파일: 빌드가 원본을 짚고 멈춥니다."""
    docs = small_site / "docs"
    with (
        changed(
            docs / "evil.html", "<html><head></head><body><script>alert(1)</script></body></html>"
        ),
        changed(
            docs / "x.svg",
            '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>',
        ),
        changed(docs / "x.js", "alert(1)\n"),
        changed(small_site / "notebooks" / "a-drawing.py", EVIL_NOTEBOOK),
    ):
        output = failed_build(small_site, small_site.parent / "site-active")
    assert "사이트에 실을 수 없는 파일이 있습니다:" in output
    assert f"docs/evil.html:1: 인라인 <script> 태그: {active_content.HOW_TO_FIX}" in output
    assert f"docs/evil.html: {site_check.PAGE_FIX}" in output
    assert "docs/x.svg:2: 인라인 <script> 태그" in output
    assert f"docs/x.js: 허락된 스크립트가 아닙니다: {site_check.SCRIPT_FIX}" in output
    assert (
        "build/outputs/a-drawing/chart.svg:1: <svg>의 이벤트 처리기 속성 onload=: notebooks/a-drawing.py가 쓴 파일입니다"
        in output
    )
    assert f"build/outputs/a-drawing/page.html: {site_check.PAGE_FIX}" in output
    assert "Traceback" not in output


def test_allowed_scripts_are_the_themes_and_the_listed_site_files(
    tmp_path: Path,
) -> None:
    custom, theme, docs = tmp_path / "overrides", tmp_path / "theme", tmp_path / "docs"
    for path, text in [
        (theme / "assets" / "bundle.js", "theme"),
        (custom / "assets" / "bundle.js", "custom"),
        (docs / "javascripts" / "a.js", "listed"),
        (docs / "javascripts" / "b.js", "not listed"),
    ]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    allowed = site_check.allowed_scripts(
        [custom, theme], docs, ["javascripts/a.js", "https://cdn.example/x.js"]
    )
    assert allowed == {"assets/bundle.js": b"custom", "javascripts/a.js": b"listed"}
