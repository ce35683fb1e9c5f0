"""글 속 계산기(docs/assets/tco-calculator.js)가 snippets/tco.py와 같은 답을 내는지 node로 확인합니다.

자바스크립트 쪽 산술은 파이썬과 곱셈·덧셈의 순서까지 같게 썼으므로, 근사가 아니라 같은 값을 봅니다.
브라우저 없이도 양식을 움직여 볼 수 있도록, 글의 양식(입력 칸, 라벨)을 읽어 만든 작은 가짜 DOM에서
input 이벤트를 보내 출력이 바뀌는지도 봅니다.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from dataclasses import fields, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from snippets.tco import (
    cloud_monthly,
    compare,
    hybrid_monthly,
    onprem_month,
    onprem_monthly,
    peak_load,
    residual_value,
    won,
)
from snippets.tco_scenario import (
    PARTS,
    Scenario,
    inputs,
    scenario_from_dict,
    scenario_to_dict,
    value_of,
)
from tests.test_tco import HAND, INVALID, scenarios

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "docs" / "assets" / "tco-calculator.js"
POST = ROOT / "docs" / "blog" / "posts" / "on-premise-vs-cloud.md"
NODE = shutil.which("node") or next(
    (p for p in ("/usr/bin/node", "/usr/local/bin/node") if Path(p).exists()), None
)
pytestmark = pytest.mark.skipif(
    NODE is None,
    reason="node가 없어 계산기 자바스크립트를 돌릴 수 없습니다 (Debian/Ubuntu: apt install nodejs)",
)

# 요청 [연산, 인자]의 목록을 표준 입력으로 받아 답의 목록을 JSON으로 돌려주는 node 프로그램.
# JSON에는 NaN과 무한대가 없으므로 문자열 "NaN", "Infinity"로 주고받습니다.
RUNNER = r"""
const calc = require(process.argv[1]);
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const text = Buffer.concat(chunks).toString("utf8");
  const special = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };
  const requests = JSON.parse(text, (k, v) => (typeof v === "string" && v in special ? special[v] : v));
  const answers = requests.map(([op, arg]) => {
    if (op === "compare") return calc.compare(arg);
    if (op === "validate") return calc.validate(arg);
    if (op === "defaults") return calc.defaults();
    if (op === "formatWon") return calc.formatWon(arg);
    if (op === "fromInput") return calc.fromInput(arg[0], arg[1]);
    if (op === "monthTicks") return calc.monthTicks(arg[0], arg[1]);
    if (op === "fields") {
      const out = {};
      for (const [path, spec] of Object.entries(calc.FIELDS)) {
        out[path] = [spec[0], calc.rangeText(spec), spec[3]];
      }
      return out;
    }
    throw new Error("모르는 연산: " + op);
  });
  process.stdout.write(JSON.stringify(answers));
});
"""


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("nan", "NaN").replace("inf", "Infinity")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def run_js(*requests: tuple[str, Any]) -> list[Any]:
    """node에서 계산기 함수들을 부르고 답들을 돌려받습니다(요청 여럿을 node 한 번에)."""
    result = subprocess.run(
        [NODE, "-e", RUNNER, str(JS)],
        input=json.dumps([[op, _jsonable(arg)] for op, arg in requests]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def crossings(onprem: list[float], cloud: list[float]) -> list[int]:
    """더 싼 쪽이 바뀌는 달들(2부터): m번째 달의 "온프레미스 누적 ≤ 클라우드 누적"이 m - 1번째 달과 다르면 m.

    snippets/tco.py의 break_even_month는 처음 만나는 달만 봅니다. 계산기가 말하는 "다시 역전"은
    계산기만의 것이라, 여기 파이썬으로 따로 세어 자바스크립트와 견줍니다.
    """
    cheaper = [o <= c for o, c in zip(onprem, cloud, strict=True)]
    return [m for m in range(2, len(cheaper) + 1) if cheaper[m - 1] != cheaper[m - 2]]


def cross_back(onprem: list[float], cloud: list[float], break_even: int | None) -> int | None:
    """손익분기 뒤에 클라우드 누적이 다시 온프레미스 누적보다 작아지는 첫 달."""
    if break_even is None:
        return None
    later = [m for m in crossings(onprem, cloud) if m > break_even and onprem[m - 1] > cloud[m - 1]]
    return later[0] if later else None


def python_result(s: Scenario) -> dict[str, Any]:
    """자바스크립트 compare()와 같은 모양의 파이썬 결과."""
    result = compare(s)
    return {
        "onprem": result.onprem,
        "cloud": result.cloud,
        "hybrid": result.hybrid,
        "break_even": result.break_even,
        "crossings": crossings(result.onprem, result.cloud),
        "cross_back": cross_back(result.onprem, result.cloud, result.break_even),
        "monthly": {
            "onprem": onprem_monthly(s),
            "cloud": cloud_monthly(s),
            "hybrid": hybrid_monthly(s),
        },
    }


# ---------------------------------------------------------------------------------------------
# 같은 가정, 같은 범위


def test_js_defaults_equal_python_defaults() -> None:
    (js_defaults,) = run_js(("defaults", None))
    assert js_defaults == scenario_to_dict(Scenario())


def test_js_fields_and_ranges_equal_python() -> None:
    (js_fields,) = run_js(("fields", None))
    s = Scenario()
    expected = {}
    for path, f in inputs(s):
        cls = type(getattr(s, path.split(".")[0])).__name__
        expected[path] = [cls, str(f.metadata["range"]), f.metadata["integer"]]
    for f in fields(Scenario):  # 할인율, 비교 기간, 하이브리드 용량
        if f.name not in PARTS:
            expected[f.name] = ["Scenario", str(f.metadata["range"]), f.metadata["integer"]]
    assert js_fields == expected


# ---------------------------------------------------------------------------------------------
# 같은 시나리오, 같은 답

HAND_HYBRID = scenario_from_dict({"workload": {"burst_servers": 2, "burst_share": 0.25}}, HAND)
HAND_DISCOUNTED = scenario_from_dict({"discount_rate": 0.12}, HAND)
EXAMPLES = {
    "hand": HAND,
    "hand-hybrid": HAND_HYBRID,
    "hand-discounted": HAND_DISCOUNTED,
    "hand-storage-headroom": scenario_from_dict(
        {"onprem": {"storage_price": 240, "egress_price": 3}, "cloud": {"target_utilisation": 0.5}},
        HAND_HYBRID,
    ),
    "defaults": Scenario(),
    "defaults-84-months": scenario_from_dict({"horizon_months": 84}),
    "defaults-1200-months": scenario_from_dict({"horizon_months": 1200}),
    "defaults-cash": scenario_from_dict({"discount_rate": 0}),
    "seven-tenths-is-ten-servers": scenario_from_dict(
        {"workload": {"base_servers": 5, "burst_servers": 2}}  # 7 / 0.7: 10대(11대가 아님)
    ),
    "never-breaks-even": scenario_from_dict({"cloud": {"price_per_hour": 1}}),
    "capacity-above-peak": scenario_from_dict({"hybrid_capacity": 1000}),
    "capacity-zero": scenario_from_dict({"hybrid_capacity": 0}),
}


def test_js_matches_python_on_examples() -> None:
    answers = run_js(*[("compare", scenario_to_dict(s)) for s in EXAMPLES.values()])
    for (name, s), answer in zip(EXAMPLES.items(), answers, strict=True):
        assert answer == python_result(s), name


def test_examples_include_curves_that_cross_back() -> None:
    """위의 견줌이 빈 견줌이 되지 않도록: 다시 역전하는 예(84개월: 61번째 달의 교체 구매, 그리고
    84번째 달에 잔존가치를 빼서 다시 온프레미스)와 여러 번 엇갈리는 예(1,200개월)가 있고, 60개월
    기본값은 한 번만 만납니다."""
    for name, back, changes in (("defaults", None, 1), ("defaults-84-months", 61, 3)):
        result = python_result(EXAMPLES[name])
        assert (result["cross_back"], len(result["crossings"])) == (back, changes), name
    assert len(python_result(EXAMPLES["defaults-1200-months"])["crossings"]) > 3


def test_js_takes_the_same_residual_value_off_the_last_month() -> None:
    """잔존가치: 기간이 교체 주기의 배수가 아니면 양쪽 모델 모두 마지막 달(만)에서 같은 값을 뺍니다
    (모두 온프레미스와 하이브리드). 84개월 기본값은 그 때문에 온프레미스가 더 쌉니다(issue 25)."""
    cases = [replace(HAND, horizon_months=18), scenario_from_dict({"horizon_months": 84})]
    cases.append(scenario_from_dict({"horizon_months": 70, "hybrid_capacity": 25}))
    answers = run_js(*[("compare", scenario_to_dict(s)) for s in cases])
    for s, answer in zip(cases, answers, strict=True):
        w, last = s.workload, s.horizon_months
        left = residual_value(s.onprem, w, peak_load(s), last)
        assert left > 0
        running = onprem_month(s.onprem, w, peak_load(s), last)
        assert answer["monthly"]["onprem"][-1] == running - left == onprem_monthly(s)[-1]
        assert answer["monthly"]["hybrid"] == hybrid_monthly(s)
        assert answer == python_result(s)
    longer = answers[1]
    assert longer["onprem"][-1] < longer["cloud"][-1]
    assert won(longer["onprem"][-1]) == "21.89억 원" and won(longer["cloud"][-1]) == "22.14억 원"


def test_js_reproduces_the_hand_computed_case() -> None:
    answer, discounted = run_js(
        ("compare", scenario_to_dict(HAND)), ("compare", scenario_to_dict(HAND_DISCOUNTED))
    )
    # tests/test_tco.py의 손 계산: 7번째 달에 324,210 <= 329,000, 24개월 누적 768,720과 1,128,000.
    assert answer["break_even"] == 7
    assert answer["onprem"][6] == 324_210 and answer["cloud"][6] == 329_000
    assert answer["onprem"][-1] == 768_720 and answer["cloud"][-1] == 1_128_000
    # 연 12%(달 1%) 할인: 7번째 달 321,749.6 > 319,387.4, 8번째 달 332,970.2 <= 363,225.2.
    assert discounted["break_even"] == 8
    assert discounted["onprem"][6] == pytest.approx(321_749.6, abs=0.1)
    assert discounted["cloud"][7] == pytest.approx(363_225.2, abs=0.1)


# 줄이기(shrink) 단계는 node를 수백 번 띄우므로 끕니다. 틀리면 시나리오 전체가 메시지에 나옵니다.
@settings(
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(batch=st.lists(scenarios, min_size=10, max_size=10))
def test_js_matches_python_on_random_scenarios(batch: list[Scenario]) -> None:
    # 10개씩 5번 = 무작위 시나리오 50개(할인율, 양쪽 가동률, 온프레미스 저장·전송 포함).
    # node는 묶음마다 한 번만 띄웁니다.
    answers = run_js(*[("compare", scenario_to_dict(s)) for s in batch])
    for s, answer in zip(batch, answers, strict=True):
        assert answer == python_result(s), scenario_to_dict(s)


def test_js_formats_totals_like_the_post() -> None:
    result = compare(Scenario())
    # 1조 원 가까이와 그 위(조 단위로 넘어가는 곳), 계산기에 큰 값을 넣었을 때의 합계까지
    totals = [result.onprem[-1], result.cloud[-1], result.hybrid[-1], 123_456_789_012.0]
    totals += [999_999_499_999.0, 999_999_500_000.0, 5.8169168725e17, -2.5e12]
    assert run_js(*[("formatWon", x) for x in totals]) == [won(x) for x in totals]


def test_totals_move_from_eok_to_jo_at_one_trillion_won() -> None:
    """억 원으로 적으면 10,000.00억이 되는 곳부터 조 원: "5,816,916,872.53억 원"이 아니라 "581,691.69조 원"."""
    assert won(123_456_789) == "1.23억 원"
    assert won(999_999_499_999) == "9,999.99억 원"
    assert won(999_999_500_000) == "1.00조 원"
    assert won(5_816_916_872.53e8) == "581,691.69조 원"


def test_js_rejects_every_invalid_field_by_name_and_range() -> None:
    requests = []
    for path, value, _ in INVALID:
        s = scenario_to_dict(Scenario())
        part, _, name = path.rpartition(".")
        (s[part] if part else s)[name] = value
        requests.append(("validate", s))
    answers = run_js(*requests, ("validate", scenario_to_dict(Scenario())))
    assert answers[-1] == [], "기본값은 올바른 입력입니다"
    for (path, value, allowed), errors in zip(INVALID, answers[:-1], strict=True):
        assert [e["path"] for e in errors] == [path], (path, value)
        assert path.split(".")[-1] in errors[0]["message"] and allowed in errors[0]["message"]


# ---------------------------------------------------------------------------------------------
# 글 속 양식


class FormParser(HTMLParser):
    """글의 계산기 양식에서 입력 칸, 라벨, id를 모읍니다."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str]] = []
        self.labels: dict[str, str] = {}
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "input":
            self.inputs.append(a)
        elif tag == "label":
            self._label = a.get("for")
            self.labels[self._label or ""] = ""
        elif tag == "script" and "src" in a:
            self.scripts.append(a["src"])

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self.labels[self._label] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label = None


def parse_post() -> FormParser:
    parser = FormParser()
    parser.feed(POST.read_text(encoding="utf-8"))
    return parser


def test_post_form_has_the_ids_the_browser_test_uses_and_labels_every_input() -> None:
    form = parse_post()
    required = {"tco-calculator", "tco-break-even", "tco-total-onprem", "tco-total-cloud"}
    assert required <= form.ids
    assert len(form.inputs) >= 5
    for field in form.inputs:
        assert field["id"].startswith("tco-") and field["id"] in form.labels, field
        label = form.labels[field["id"]]
        assert re.search(r"[가-힣]", label) and "(" in label, f"한국어 라벨과 단위: {label!r}"


def test_post_form_starts_at_the_python_defaults() -> None:
    form = parse_post()
    values = run_js(*[("fromInput", [f["value"], f.get("data-unit")]) for f in form.inputs])
    s = Scenario()
    for field, value in zip(form.inputs, values, strict=True):
        assert value == value_of(s, field["data-field"]), field["id"]


def test_calculator_script_is_a_site_script_not_part_of_the_post() -> None:
    """글은 <script>를 실을 수 없으므로(Content-Security-Policy와 빌드 검사), 계산기는 mkdocs.yml의
    extra_javascript로 사이트에 실리고 form#tco-calculator가 있는 페이지에만 실립니다(extra.page_assets:
    tests/test_page_weight.py)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    paths = [s["path"] if isinstance(s, dict) else s for s in config["extra_javascript"]]
    assert "assets/tco-calculator.js" in paths
    assert (ROOT / "docs" / "assets" / "tco-calculator.js") == JS and JS.is_file()
    assert parse_post().scripts == []
    assert 'getElementById("tco-calculator")' in JS.read_text(encoding="utf-8")


def test_calculator_loads_nothing_from_elsewhere() -> None:
    text = JS.read_text(encoding="utf-8")
    assert re.findall(r"https?://[^\s\"']+", text) == ["http://www.w3.org/2000/svg"]
    assert "require(" not in text and "import " not in text and "fetch(" not in text


# 글의 양식으로 만든 가짜 DOM에서 init()을 부르고, 칸을 바꿀 때마다 출력과 그래프를 적어 둡니다.
FAKE_DOM = r"""
const calc = require(process.argv[1]);
const spec = JSON.parse(require("fs").readFileSync(0, "utf8"));
const errors = [];
console.error = (...args) => errors.push(args.join(" "));
const byId = {};
class El {
  constructor(tag, attrs = {}) {
    this.tagName = tag; this.attrs = { ...attrs }; this.children = []; this.listeners = {};
    this.text = ""; this.value = attrs.value;
    if (attrs.id) { this.id = attrs.id; byId[attrs.id] = this; }
  }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  appendChild(c) { this.children.push(c); return c; }
  removeChild(c) { this.children.splice(this.children.indexOf(c), 1); return c; }
  get firstChild() { return this.children[0] || null; }
  get textContent() { return this.text; }
  set textContent(v) { this.text = String(v); }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  fire(type) { (this.listeners[type] || []).forEach((fn) => fn({ type, preventDefault() {} })); }
  querySelectorAll(selector) {
    if (selector === "input[data-field]") return inputs;
    const label = /^label\[for="([^"]+)"\]$/.exec(selector);
    if (label) return labels.filter((l) => l.attrs.for === label[1]);
    throw new Error("가짜 DOM이 모르는 선택자: " + selector);
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] || null; }
}
const form = new El("form", { id: "tco-calculator" });
const inputs = spec.inputs.map((a) => new El("input", a));
const labels = Object.entries(spec.labels).map(([f, t]) => { const l = new El("label", { for: f }); l.text = t; return l; });
for (const id of spec.ids) if (!byId[id]) new El(id === "tco-chart" ? "svg" : "output", { id });
const fakeDocument = {
  readyState: "complete",
  getElementById: (id) => byId[id] || null,
  createElementNS: (ns, tag) => new El(tag),
};
function snapshot() {
  const svg = byId["tco-chart"];
  return {
    breakEven: byId["tco-break-even"].text, onprem: byId["tco-total-onprem"].text,
    crossBack: byId["tco-cross-back"].text,
    cloud: byId["tco-total-cloud"].text, status: byId["tco-status"].text,
    invalid: inputs.filter((i) => i.attrs["aria-invalid"] === "true").map((i) => i.id),
    lines: svg.children.filter((c) => c.tagName === "polyline").length,
    label: svg.attrs["aria-label"] || "",
    limits: Object.fromEntries(inputs.map((i) => [i.id, [i.attrs.min ?? null, i.attrs.max ?? null]])),
  };
}
calc.init(fakeDocument);
const steps = [snapshot()];
for (const [id, value] of spec.edits) { byId[id].value = value; form.fire("input"); steps.push(snapshot()); }
process.stdout.write(JSON.stringify({ steps, errors }));
"""


def run_fake_dom(edits: list[tuple[str, str]]) -> dict[str, Any]:
    form = parse_post()
    spec = {"inputs": form.inputs, "labels": form.labels, "ids": sorted(form.ids), "edits": edits}
    result = subprocess.run(
        [NODE, "-e", FAKE_DOM, str(JS)],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_calculator_recomputes_as_the_reader_types() -> None:
    edits = [("tco-cloud-price", "4000"), ("tco-months", "0"), ("tco-months", "24")]
    run = run_fake_dom(edits)
    assert run["errors"] == []
    first, pricier, invalid, shorter = run["steps"]

    def shown(s: Scenario) -> tuple[str, str, str]:
        r = compare(s)
        even = f"{r.break_even}개월째" if r.break_even else f"{s.horizon_months}개월 안에 없음"
        return even, won(r.onprem[-1]), won(r.cloud[-1])

    defaults = Scenario()
    assert (first["breakEven"], first["onprem"], first["cloud"]) == shown(defaults)
    assert first["lines"] == 3 and first["status"] == "" and first["invalid"] == []
    s = scenario_from_dict({"cloud": {"price_per_hour": 4000}})
    assert (pricier["breakEven"], pricier["onprem"], pricier["cloud"]) == shown(s)
    assert pricier["breakEven"] != first["breakEven"] and pricier["cloud"] != first["cloud"]
    # 기간 0개월은 틀린 입력: 칸에 표시하고, 출력은 비우고, 무엇이 틀렸는지 라벨로 알려 줍니다.
    assert invalid["invalid"] == ["tco-months"]
    assert "비교 기간" in invalid["status"] and invalid["breakEven"] == "—"
    assert "1~1,200 사이의 값이어야 합니다" in invalid["status"]  # 허용 범위를 칸의 단위로
    # 앞선 값의 그래프와 설명을 남기지 않습니다: 화면의 결과는 언제나 화면의 입력에서 나옵니다.
    assert invalid["lines"] == 0 and "입력값을 확인하세요" in invalid["label"]
    s = scenario_from_dict({"cloud": {"price_per_hour": 4000}, "horizon_months": 24})
    assert (shorter["breakEven"], shorter["onprem"], shorter["cloud"]) == shown(s)
    assert shorter["status"] == "" and shorter["invalid"] == [] and "24개월" in shorter["label"]


def test_a_fraction_of_a_month_is_refused_as_not_a_whole_number() -> None:
    """12.5개월은 범위(1~1,200) 안이라 "사이의 값이어야 합니다"는 틀린 말이었습니다: 정수여야 한다고
    말합니다. 모델(tco_scenario.py)도 같은 규칙을 같은 말(정수여야 합니다)로 거절합니다."""
    run = run_fake_dom([("tco-months", "12.5"), ("tco-months", "0.5"), ("tco-months", "12")])
    assert run["errors"] == []
    fraction, below, whole = run["steps"][1:]
    for step in (fraction, below):
        assert step["invalid"] == ["tco-months"] and step["breakEven"] == "—"
        assert "비교 기간 (개월): 1~1,200 사이의 정수여야 합니다" in step["status"], step["status"]
    assert whole["status"] == "" and whole["invalid"] == []
    with pytest.raises(ValueError, match=r"horizon_months=12\.5: 정수여야 합니다"):
        scenario_from_dict({"horizon_months": 12.5})
    (errors,) = run_js(("validate", {**scenario_to_dict(Scenario()), "horizon_months": 12.5}))
    assert [e["message"] for e in errors] == [
        "Scenario.horizon_months=12.5: 정수여야 합니다 (허용 범위 [1, 1,200])"
    ]


def test_calculator_says_when_the_cloud_is_cheaper_again() -> None:
    """비교 기간을 늘려 교체 구매로 곡선이 다시 엇갈리면 그렇다고 말합니다(손익분기만 보고 온프레미스가
    싸다고 읽지 않도록). 달과 마지막에 더 싼 쪽은 파이썬 모델의 곡선에서 센 것과 같습니다."""
    run = run_fake_dom([("tco-months", "84"), ("tco-months", "1200"), ("tco-months", "60")])
    assert run["errors"] == []
    first, longer, longest, back = run["steps"]
    assert first["crossBack"] == "" and back["crossBack"] == ""  # 60개월: 한 번 만나고 끝
    s = scenario_from_dict({"horizon_months": 84})
    r = python_result(s)
    assert r["cross_back"] == s.onprem.refresh_months + 1 and r["crossings"][-1] == 84
    # 61번째 달의 교체 구매로 클라우드가 다시 싸지지만, 84번째 달에는 그 서버의 남은 가치(36/60)를 빼서
    # 온프레미스가 더 쌉니다: 계산기는 마지막 역전이 잔존가치 때문이라고 말합니다.
    assert longer["crossBack"] == (
        f"{r['cross_back']}개월째에 서버를 다시 사면서 클라우드가 다시 싸집니다. 그 뒤로 더 싼 쪽이 "
        "1번 더 바뀌어 84개월째에는 남은 서버의 가치(잔존가치)를 빼면 온프레미스가 더 쌉니다."
    )
    assert longer["crossBack"] in longer["label"]  # 그래프의 설명에도
    r = python_result(scenario_from_dict({"horizon_months": 1200}))
    later = [m for m in r["crossings"] if m > r["cross_back"]]
    cheaper = "온프레미스" if r["onprem"][-1] <= r["cloud"][-1] else "클라우드"
    assert longest["crossBack"].startswith(f"{r['cross_back']}개월째에 서버를 다시 사면서")
    assert f"{len(later)}번 더 바뀌어 1200개월째에는 {cheaper}가 더 쌉니다." in longest["crossBack"]


@pytest.mark.parametrize("width", [532, 300], ids=["desktop-plot", "narrow"])
def test_month_ticks_leave_room_for_their_labels_from_1_to_1200_months(width: int) -> None:
    """x축 눈금: 어느 기간(1~1,200개월)이든 하나 이상, 기간 안에, 같은 간격으로, 그리고 가장 긴 눈금 숫자
    (글자 22일 때 한 자 13)와 여백 24가 눈금 사이에 들어갑니다. 브라우저 테스트가 실제 글자 상자도 잽니다."""
    horizons = list(range(1, 1201))
    answers = run_js(*[("monthTicks", [months, width]) for months in horizons])
    for months, ticks in zip(horizons, answers, strict=True):
        assert ticks and all(1 <= t <= months for t in ticks), (months, ticks)
        gaps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
        assert len(gaps) <= 1, (months, ticks)
        if gaps:
            room = len(f"{months:,}") * 13 + 24
            assert gaps.pop() / (months - 1) * width >= room, (months, ticks)


def test_discount_rate_field_gives_cash_and_present_value_break_even() -> None:
    """할인율 칸: 0%면 현금 그대로의 손익분기, 범위 밖이면 다른 칸과 같은 꼴로 거절합니다."""
    run = run_fake_dom([("tco-discount-rate", "0"), ("tco-discount-rate", "120")])
    assert run["errors"] == []
    first, cash, invalid = run["steps"]
    for step, rate in ((first, Scenario().discount_rate), (cash, 0)):
        r = compare(scenario_from_dict({"discount_rate": rate}))
        assert (step["breakEven"], step["onprem"]) == (f"{r.break_even}개월째", won(r.onprem[-1]))
    months = [int(step["breakEven"].removesuffix("개월째")) for step in (cash, first)]
    assert months[0] < months[1]  # 할인하면 늦어집니다
    assert invalid["invalid"] == ["tco-discount-rate"] and invalid["breakEven"] == "—"
    assert "할인율 (연 %): 0~100 사이의 값이어야 합니다" in invalid["status"]


def test_calculator_input_limits_come_from_the_model_ranges() -> None:
    """입력 칸의 min/max는 글에 따로 적지 않고 모델의 범위(FIELDS = tco_scenario.py의 Range)에서 옵니다.

    그래서 모델이 받지 않는 값을 칸이 받아 보이는 일(상시 부하 0: min=0인데 모델은 거절)이 없습니다.
    """
    form = parse_post()
    assert all("min" not in f and "max" not in f for f in form.inputs), "글에 적은 min/max"
    (first,) = run_fake_dom([])["steps"]
    scale = {"percent": 100, "man-won": 1 / 10_000, None: 1}
    s = Scenario()
    for field in form.inputs:
        path, unit = field["data-field"], field.get("data-unit")
        allowed = dict(inputs(s))[path].metadata["range"] if "." in path else None
        if allowed is None:
            allowed = Scenario.__dataclass_fields__[path].metadata["range"]
        low, high = first["limits"][field["id"]]
        assert float(low) == pytest.approx(allowed.low * scale[unit]), path
        assert float(high) == pytest.approx(allowed.high * scale[unit]), path


def test_base_load_of_zero_is_refused_with_the_range_in_the_readers_units() -> None:
    run = run_fake_dom([("tco-base-servers", "0"), ("tco-utilisation", "0.5")])
    zero, low_utilisation = run["steps"][1:]
    assert zero["invalid"] == ["tco-base-servers"]
    assert "상시 부하 (서버 대 분량): 0.01~1,000,000 사이의 값이어야 합니다" in zero["status"]
    assert low_utilisation["invalid"] == ["tco-base-servers", "tco-utilisation"]
    assert "온프레미스 목표 가동률 (%): 1~100 사이의 값이어야 합니다" in low_utilisation["status"]


def test_calculator_never_shows_infinity_or_nan() -> None:
    """1e308 같은 입력: 범위 밖이라고 말하고, ∞억 원이나 NaN억 원을 보여 주지 않습니다."""
    run = run_fake_dom([("tco-server-price", "1e308"), ("tco-cloud-price", "1e308")])
    for step in run["steps"][1:]:
        shown = step["breakEven"] + step["onprem"] + step["cloud"] + step["label"]
        assert "∞" not in shown and "NaN" not in shown and "Infinity" not in shown
        assert "사이의 값이어야 합니다" in step["status"] and step["lines"] == 0
