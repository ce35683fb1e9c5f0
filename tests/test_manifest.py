"""blogbuild/manifest.py와 notebook_outputs의 결과 목록: 노트북이 쓰고, 빌드가 믿지 않고 검사합니다."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from blogbuild import manifest
from notebook_outputs import record_output, save_numbers, save_table, save_text
from notebook_outputs.figures import save_figure, save_plot
from tests.conftest import DEMO_NOTEBOOK, outputs_of


def _write(notebook_project: Path, data: object) -> None:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    (outputs_of(notebook_project) / DEMO_NOTEBOOK / "manifest.json").write_text(
        text, encoding="utf-8"
    )


def _draw(fig, look) -> None:
    fig.subplots().plot([0, 1], [1, 0], color=look.blue)


def test_the_save_functions_write_one_manifest_with_every_output_and_its_kind(
    notebook_project: Path,
) -> None:
    save_numbers(max_difference="3.8e-16", steps=200)
    save_table("sizes", ["모델", "파라미터"], [["A", "1,000"]])
    save_text("sample", "모델이 쓴 글")
    save_plot("curve", _draw, size=(3, 2), narrow=(2, 2), alt="곡선 하나", caption="내려갑니다.")
    save_plot("wide-only", _draw, size=(3, 2), alt="넓은 벌만", caption="좁은 벌이 없습니다.")
    save_figure(__import__("matplotlib.pyplot").pyplot.figure(), "scratch")  # 글에 싣지 않는 그림
    data = json.loads(
        (outputs_of(notebook_project) / DEMO_NOTEBOOK / "manifest.json").read_text("utf-8")
    )
    assert data == {
        "max-difference": {"kind": "number", "value": "3.8e-16"},
        "steps": {"kind": "number", "value": 200},
        "sizes": {"kind": "table", "file": "sizes.md"},
        "sample": {"kind": "text", "file": "sample.md"},
        "curve": {
            "kind": "figure",
            "files": {
                "light": "curve.svg",
                "dark": "curve-dark.svg",
                "narrow": "curve-narrow.svg",
                "narrow-dark": "curve-narrow-dark.svg",
            },
            "alt": "곡선 하나",
            "caption": "내려갑니다.",
        },
        "wide-only": {
            "kind": "figure",
            "files": {"light": "wide-only.svg", "dark": "wide-only-dark.svg"},
            "alt": "넓은 벌만",
            "caption": "좁은 벌이 없습니다.",
        },
    }
    # 빌드가 읽는 결과: 검사를 통과하고, 그림의 벌은 outputs/ 아래 경로로
    assert manifest.check_all(notebook_project, outputs_of(notebook_project)) == []
    outputs = manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)
    assert outputs["curve"].variant("narrow-dark") == "demo/curve-narrow-dark.svg"
    assert outputs["wide-only"].variant("narrow") is None
    assert outputs["steps"].value == 200


def test_saving_one_name_as_another_kind_stops_in_the_notebook(notebook_project: Path) -> None:
    save_numbers(curve="1")
    with pytest.raises(ValueError, match=r"'curve'은 이미 number\(으\)로 저장했습니다"):
        save_table("curve", ["a"], [[1]])
    save_numbers(curve="2")  # 셀을 다시 실행: 같은 종류면 바꿉니다


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda: save_plot("c", _draw, size=(3, 2), alt=" ", caption="캡션"), "alt가 비었습니다"),
        (lambda: save_table("Loss_Curve", ["a"], [[1]]), "소문자·숫자를 하이픈으로"),
        (lambda: save_numbers(flags=["a"]), "문자열이나 수여야 합니다 (지금: list)"),
    ],
    ids=["figure-without-alt", "name-breaks-the-rule", "number-of-the-wrong-type"],
)
def test_the_notebook_side_refuses_what_the_build_would_refuse(
    notebook_project: Path, call, what: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(what)):
        call()


# 빌드 쪽: 목록은 노트북(기여자의 코드)이 쓴 파일이라 꼴부터 검사합니다.
WHERE = "notebooks/demo.py: 결과 목록(build/outputs/demo/manifest.json)"
BAD_MANIFESTS = {
    "not-json": ("{", f"{WHERE}: JSON으로 읽을 수 없습니다"),
    "not-an-object": ([1, 2], f"{WHERE}: 이름 → 항목의 JSON 객체여야 합니다 (지금: list)"),
    "unknown-kind": (
        {"loss": {"kind": "chart", "file": "loss.md"}},
        f"{WHERE}의 항목 'loss': 모르는 종류입니다 (kind: 'chart'). 종류는 number, table, text, "
        "figure, attention 가운데 하나이고",
    ),
    "entry-not-an-object": ({"loss": 3}, f"{WHERE}의 항목 'loss': 모르는 종류입니다 (kind: 3)"),
    "name-breaks-the-rule": (
        {"Loss_Curve": {"kind": "number", "value": 1}},
        f"{WHERE}의 항목 'Loss_Curve': 이름은 소문자·숫자를 하이픈으로 이은 꼴이어야 합니다",
    ),
    "missing-and-unknown-fields": (
        {"sizes": {"kind": "table", "path": "sizes.md"}},
        f"{WHERE}의 항목 'sizes'(표): 없는 필드: file; 모르는 필드: path. 표의 필드는 file입니다: "
        'save_table("sizes", header, rows)로 저장하세요',
    ),
    "number-of-the-wrong-type": (
        {"n": {"kind": "number", "value": [1]}},
        f"{WHERE}의 항목 'n'(숫자): 값은 문자열이나 수여야 합니다 (지금: [1])",
    ),
    "table-file-missing": (
        {"sizes": {"kind": "table", "file": "sizes.md"}},
        f"{WHERE}의 항목 'sizes': 목록이 가리키는 파일 sizes.md이 없습니다",
    ),
    "table-file-outside": (
        {"sizes": {"kind": "table", "file": "../other/sizes.md"}},
        f"{WHERE}의 항목 'sizes': 파일은 노트북의 결과 디렉터리 안의 .md 파일 이름이어야 합니다 "
        '(지금: "../other/sizes.md")',
    ),
    "figure-without-alt": (
        {"c": {"kind": "figure", "files": {"light": "c.svg"}, "alt": "", "caption": "말"}},
        f"{WHERE}의 항목 'c'(그림): 대체 텍스트(alt: 그림에 무엇이 있는지, 화면 낭독기와 검색이 읽는 "
        '설명)이 비었습니다: save_plot("c", ..., alt="…", caption="…")처럼 한 문장 이상으로 주세요',
    ),
    "figure-without-caption": (
        {"c": {"kind": "figure", "files": {"light": "c.svg"}, "alt": "곡선", "caption": None}},
        f"{WHERE}의 항목 'c'(그림): 캡션(caption: 그림이 말하는 것",
    ),
    "figure-variant-missing": (
        {
            "c": {
                "kind": "figure",
                "files": {"light": "c.svg", "dark": "c-dark.svg"},
                "alt": "곡선",
                "caption": "말",
            }
        },
        f"{WHERE}의 항목 'c'(그림, dark): 목록이 가리키는 파일 c-dark.svg이 없습니다",
    ),
    "figure-without-light-variant": (
        {"c": {"kind": "figure", "files": {"dark": "c.svg"}, "alt": "곡선", "caption": "말"}},
        f"{WHERE}의 항목 'c'(그림): files는 벌마다의 파일 이름입니다: light(필수)",
    ),
}


@pytest.mark.parametrize(("data", "message"), BAD_MANIFESTS.values(), ids=BAD_MANIFESTS.keys())
def test_a_wrong_manifest_names_the_notebook_the_entry_and_what_to_do(
    notebook_project: Path, data: object, message: str
) -> None:
    (outputs_of(notebook_project) / DEMO_NOTEBOOK / "c.svg").write_text("<svg/>", encoding="utf-8")
    _write(notebook_project, data)
    problems = manifest.check_all(notebook_project, outputs_of(notebook_project))
    assert len(problems) == 1 and problems[0].startswith(message), problems
    with pytest.raises(manifest.ManifestError):
        manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)


def test_a_manifest_file_that_links_out_of_the_repository_is_refused(
    notebook_project: Path,
) -> None:
    secret = notebook_project.parent / "secret.md"
    secret.write_text("| 비밀 |\n|---|\n", encoding="utf-8")
    (outputs_of(notebook_project) / DEMO_NOTEBOOK / "sizes.md").symlink_to(secret)
    _write(notebook_project, {"sizes": {"kind": "table", "file": "sizes.md"}})
    assert manifest.check_all(notebook_project, outputs_of(notebook_project)) == [
        f"{WHERE}의 항목 'sizes': sizes.md은 저장소 밖을 가리키는 링크입니다"
    ]


def test_a_loaded_manifest_is_checked_again_when_its_files_change(notebook_project: Path) -> None:
    """load는 페이지마다 불리므로 검사한 결과를 기억하지만, 결과 디렉터리가 바뀌면 다시 검사합니다: 가리키는
    파일이 지워지거나 저장소 밖을 가리키는 링크로 바뀌면, 목록이 그대로여도 멈춥니다."""
    table = outputs_of(notebook_project) / DEMO_NOTEBOOK / "sizes.md"
    table.write_text("| 크기 |\n|---|\n", encoding="utf-8")
    _write(notebook_project, {"sizes": {"kind": "table", "file": "sizes.md"}})
    assert manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)["sizes"].file == "sizes.md"
    assert manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)["sizes"].file == "sizes.md"
    table.unlink()
    with pytest.raises(manifest.ManifestError, match="sizes.md이 없습니다"):
        manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)
    secret = notebook_project.parent / "secret.md"
    secret.write_text("| 비밀 |\n|---|\n", encoding="utf-8")
    table.symlink_to(secret)
    with pytest.raises(manifest.ManifestError, match="저장소 밖을 가리키는 링크"):
        manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)


def test_two_figures_may_not_share_a_file(notebook_project: Path) -> None:
    (outputs_of(notebook_project) / DEMO_NOTEBOOK / "c.svg").write_text("<svg/>", encoding="utf-8")
    figure = {"kind": "figure", "files": {"light": "c.svg"}, "alt": "곡선", "caption": "말"}
    _write(notebook_project, {"a": figure, "b": figure})
    assert manifest.check_all(notebook_project, outputs_of(notebook_project)) == [
        f"{WHERE}: 그림 'a'와 'b'가 같은 파일 c.svg을 가리킵니다: 그림마다 이름을 따로 주세요"
    ]


def test_a_notebook_that_saved_nothing_has_an_empty_manifest(notebook_project: Path) -> None:
    assert manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK) == {}
    assert manifest.check_all(notebook_project, outputs_of(notebook_project)) == []


def test_record_output_is_the_one_writer(notebook_project: Path) -> None:
    """저장 함수들은 모두 record_output 하나로 목록에 씁니다: 직접 부른 항목도 같은 꼴로 남습니다."""
    record_output("n", {"kind": "number", "value": 1})
    assert manifest.load(outputs_of(notebook_project), DEMO_NOTEBOOK)["n"].value == 1
