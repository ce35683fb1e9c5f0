/*
 * 온프레미스 vs 클라우드 계산기 (글 「온프레미스 vs 클라우드」).
 *
 * 위쪽 절반은 snippets/tco.py의 산술을 그대로 옮긴 순수 함수들입니다. 곱셈·덧셈의 순서까지
 * 같게 써서, 같은 입력이면 파이썬과 비트 단위로 같은 결과가 나옵니다
 * (tests/test_tco_calculator.py가 node로 이 파일을 불러 파이썬 모델과 견줍니다).
 * 아래쪽 절반은 글 안의 입력 양식(form#tco-calculator)과 그래프(svg#tco-chart)를 잇습니다.
 * 외부 스크립트·모듈 번들러 없이, 오프라인에서도 돌아갑니다. 금액의 단위는 모두 원(KRW)입니다.
 */
(function () {
  "use strict";

  var CURRENCY = "KRW";

  // 필드마다 [클래스 이름, 최솟값, 최댓값, 정수?] — tco_scenario.py의 Range(양 끝 포함)와 같음(테스트가 견줍니다).
  // 입력 칸의 min/max도 여기서 정합니다(init): 양식의 제약과 모델의 범위가 한 곳에서 나옵니다.
  var INF = Infinity;
  var PRICE = 1e12;
  var FIELDS = {
    "workload.base_servers": ["Workload", 0.01, 1e6, false],
    "workload.burst_servers": ["Workload", 0, 1e6, false],
    "workload.burst_share": ["Workload", 0, 1, false],
    "workload.storage_gb": ["Workload", 0, 1e12, false],
    "workload.egress_gb": ["Workload", 0, 1e12, false],
    "onprem.server_price": ["OnPremise", 0, PRICE, false],
    "onprem.refresh_months": ["OnPremise", 1, 1200, true],
    "onprem.power_kw": ["OnPremise", 0, 1000, false],
    "onprem.pue": ["OnPremise", 1, 10, false],
    "onprem.electricity_price": ["OnPremise", 0, PRICE, false],
    "onprem.space_per_server": ["OnPremise", 0, PRICE, false],
    "onprem.maintenance_rate": ["OnPremise", 0, 1, false],
    "onprem.licence_per_server": ["OnPremise", 0, PRICE, false],
    "onprem.storage_price": ["OnPremise", 0, PRICE, false],
    "onprem.egress_price": ["OnPremise", 0, PRICE, false],
    "onprem.staff_fte": ["OnPremise", 0, 1e5, false],
    "onprem.staff_cost": ["OnPremise", 0, PRICE, false],
    "onprem.target_utilisation": ["OnPremise", 0.01, 1, false],
    "cloud.price_per_hour": ["Cloud", 0, PRICE, false],
    "cloud.committed_discount": ["Cloud", 0, 0.99, false],
    "cloud.storage_price": ["Cloud", 0, PRICE, false],
    "cloud.egress_price": ["Cloud", 0, PRICE, false],
    "cloud.support_rate": ["Cloud", 0, 1, false],
    "cloud.staff_fte": ["Cloud", 0, 1e5, false],
    "cloud.staff_cost": ["Cloud", 0, PRICE, false],
    "cloud.target_utilisation": ["Cloud", 0.01, 1, false],
    discount_rate: ["Scenario", 0, 1, false],
    horizon_months: ["Scenario", 1, 1200, true],
    hybrid_capacity: ["Scenario", 0, INF, false],
  };

  /** 예시 가정(tco_scenario.py의 기본값과 같음. 테스트가 둘을 견줍니다). */
  function defaults() {
    return {
      workload: {
        base_servers: 20,
        burst_servers: 10,
        burst_share: 0.1,
        storage_gb: 20000,
        egress_gb: 5000,
      },
      onprem: {
        server_price: 10000000,
        refresh_months: 60,
        power_kw: 0.5,
        pue: 1.5,
        electricity_price: 170,
        space_per_server: 150000,
        maintenance_rate: 0.1,
        licence_per_server: 100000,
        storage_price: 100,
        egress_price: 0,
        staff_fte: 1.0,
        staff_cost: 80000000,
        target_utilisation: 0.7,
      },
      cloud: {
        price_per_hour: 2500,
        committed_discount: 0.3,
        storage_price: 35,
        egress_price: 170,
        support_rate: 0.07,
        staff_fte: 0.5,
        staff_cost: 80000000,
        target_utilisation: 1.0,
      },
      discount_rate: 0.08,
      horizon_months: 60,
      hybrid_capacity: null,
    };
  }

  function getPath(s, path) {
    var parts = path.split(".");
    return parts.length === 1 ? s[parts[0]] : s[parts[0]][parts[1]];
  }

  function setPath(s, path, value) {
    var parts = path.split(".");
    if (parts.length === 1) s[parts[0]] = value;
    else s[parts[0]][parts[1]] = value;
  }

  /** 숫자를 범위 글자로: 1e12 -> "1,000,000,000,000", 0.01 -> "0.01" (tco_scenario.py의 show_number와 같음). */
  function showNumber(x) {
    if (x === INF) return "∞";
    return Number.isInteger(x) ? x.toLocaleString("en-US") : String(x);
  }

  function rangeText(spec) {
    return "[" + showNumber(spec[1]) + ", " + showNumber(spec[2]) + "]";
  }

  function inRange(spec, value) {
    return value >= spec[1] && value <= spec[2]; // NaN은 여기서 걸러집니다
  }

  /** 허용 범위를 벗어난 필드들: [{path, message}]. 메시지는 tco_scenario.py의 ValueError와 같은 꼴. */
  function validate(s) {
    var errors = [];
    Object.keys(FIELDS).forEach(function (path) {
      var spec = FIELDS[path];
      var value = getPath(s, path);
      if (path === "hybrid_capacity" && value === null) return;
      var name = spec[0] + "." + path.split(".").pop();
      var number = typeof value === "number" && (!spec[3] || Number.isInteger(value));
      if (!number) {
        var kind = spec[3] ? "정수" : "숫자";
        errors.push({ path: path, message: name + "=" + value + ": " + kind + "여야 합니다 (허용 범위 " + rangeText(spec) + ")" });
      } else if (!inRange(spec, value)) {
        errors.push({ path: path, message: name + "=" + value + ": 허용 범위 " + rangeText(spec) + " 밖의 값입니다" });
      }
    });
    return errors;
  }

  /** tco.py의 servers_to_buy: 서버 load대 분량의 일을 목표 가동률 이하로 돌리려면 사야 하는 서버 대수(정수). */
  function serversToBuy(p, load) {
    var need = load / p.target_utilisation;
    return Math.ceil(need - 1e-9 * Math.max(need, 1.0)); // 7 / 0.7 = 10.000000000000002도 10대
  }

  /** tco.py의 onprem_month: 서버 load대 분량의 일을 온프레미스로 할 때 month번째 달의 비용. share는 데이터·전송의 온프레미스 몫. */
  function onpremMonth(p, w, load, month, share) {
    if (load === 0) return 0.0;
    var hours = 730; // 한 달 평균 시간 = 8,760 / 12
    var servers = serversToBuy(p, load);
    var equipment = servers * p.server_price + share * w.storage_gb * p.storage_price; // 서버 + 디스크
    var purchase = (month - 1) % p.refresh_months === 0 ? equipment : 0.0;
    var power = servers * p.power_kw * p.pue * hours * p.electricity_price;
    var space = servers * p.space_per_server;
    var maintenance = (equipment * p.maintenance_rate) / 12;
    var licences = servers * p.licence_per_server;
    var egress = share * w.egress_gb * p.egress_price;
    var staff = (p.staff_fte * p.staff_cost) / 12;
    return purchase + power + space + maintenance + licences + egress + staff;
  }

  /** tco.py의 residual_value: 비교 기간이 끝날 때 온프레미스 장비(서버 + 디스크)에 남은 가치(정액법). */
  function residualValue(p, w, load, horizon, share) {
    if (load === 0) return 0.0;
    var equipment = serversToBuy(p, load) * p.server_price + share * w.storage_gb * p.storage_price;
    var used = ((horizon - 1) % p.refresh_months) + 1; // 마지막 구매 뒤로 쓴 달 수 (1..refresh_months)
    return (equipment * (p.refresh_months - used)) / p.refresh_months;
  }

  /** tco.py의 cloud_share: 클라우드가 상시 steady대와 버스트 burst대 분량을 맡을 때 전체 일 가운데 그 비율. */
  function cloudShare(w, steady, burst) {
    var hours = 730;
    var used = steady * hours + burst * w.burst_share * hours;
    return used / (w.base_servers * hours + w.burst_servers * w.burst_share * hours);
  }

  /** tco.py의 cloud_month: 클라우드가 상시 steady대와 버스트 burst대 분량을 맡을 때 한 달 비용. */
  function cloudMonth(c, w, steady, burst) {
    var share = cloudShare(w, steady, burst);
    if (share === 0) return 0.0;
    var rented = 730 / c.target_utilisation; // 부하 1대 분량을 한 달 맡는 인스턴스 시간
    var committed = steady * rented * c.price_per_hour * (1 - c.committed_discount);
    var onDemand = burst * w.burst_share * rented * c.price_per_hour;
    var storage = share * w.storage_gb * c.storage_price;
    var egress = share * w.egress_gb * c.egress_price;
    var usage = committed + onDemand + storage + egress;
    var staff = (c.staff_fte * c.staff_cost) / 12;
    return usage + usage * c.support_rate + staff;
  }

  /** tco.py의 split_load: [온프레미스 대수, 클라우드 상시 대수, 클라우드 버스트 대수]. */
  function splitLoad(w, capacity) {
    var peak = w.base_servers + w.burst_servers;
    var onprem = Math.min(capacity, peak);
    var steady = Math.max(w.base_servers - capacity, 0.0);
    var burst = capacity <= w.base_servers ? w.burst_servers : Math.max(peak - capacity, 0.0);
    return [onprem, steady, burst];
  }

  function hybridBase(s) {
    return s.hybrid_capacity === null || s.hybrid_capacity === undefined
      ? s.workload.base_servers
      : s.hybrid_capacity;
  }

  /** 세 방식의 달별 비용(현금): {onprem, cloud, hybrid}, 각각 길이 horizon_months. */
  function monthly(s) {
    var w = s.workload;
    var peak = w.base_servers + w.burst_servers;
    var split = splitLoad(w, hybridBase(s));
    var kept = 1 - cloudShare(w, split[1], split[2]); // 하이브리드에서 온프레미스에 남는 데이터·전송의 비율
    var out = { onprem: [], cloud: [], hybrid: [] };
    for (var m = 1; m <= s.horizon_months; m++) {
      out.onprem.push(onpremMonth(s.onprem, w, peak, m, 1.0));
      out.cloud.push(cloudMonth(s.cloud, w, w.base_servers, w.burst_servers));
      out.hybrid.push(onpremMonth(s.onprem, w, split[0], m, kept) + cloudMonth(s.cloud, w, split[1], split[2]));
    }
    // 기간이 끝날 때 남은 장비의 가치는 마지막 달의 비용에서 뺍니다(tco.py의 onprem_monthly, hybrid_monthly).
    var last = s.horizon_months - 1;
    out.onprem[last] -= residualValue(s.onprem, w, peak, s.horizon_months, 1.0);
    out.hybrid[last] -= residualValue(s.onprem, w, split[0], s.horizon_months, kept);
    return out;
  }

  /** tco.py의 present_values: m번째 달의 비용을 (1 + 연 할인율 / 12)^(m - 1)로 나눈 현재가치. */
  function presentValues(xs, annualRate) {
    var factor = 1.0;
    return xs.map(function (x) {
      var value = x / factor;
      factor *= 1 + annualRate / 12;
      return value;
    });
  }

  function cumulative(xs) {
    var total = 0.0;
    return xs.map(function (x) {
      total += x;
      return total;
    });
  }

  /** 온프레미스 누적이 처음으로 클라우드 누적 이하가 되는 달(1부터), 없으면 null. */
  function breakEvenMonth(onpremTotal, cloudTotal) {
    for (var i = 0; i < onpremTotal.length; i++) {
      if (onpremTotal[i] <= cloudTotal[i]) return i + 1;
    }
    return null;
  }

  /**
   * 더 싼 쪽이 바뀌는 달들(2부터): m번째 달에 "온프레미스 누적 ≤ 클라우드 누적"이 m - 1번째 달과 다르면 m.
   * 손익분기 뒤의 교체 구매(refresh_months마다)가 온프레미스 곡선에 계단을 올려 클라우드가 다시 싸질 수
   * 있습니다. snippets/tco.py의 break_even_month는 처음 만나는 달만 보므로, 이것은 계산기만의 것이고
   * tests/test_tco_calculator.py가 파이썬으로 같은 달들을 세어 견줍니다.
   */
  function crossings(onpremTotal, cloudTotal) {
    var months = [];
    for (var i = 1; i < onpremTotal.length; i++) {
      if (onpremTotal[i] <= cloudTotal[i] !== onpremTotal[i - 1] <= cloudTotal[i - 1]) months.push(i + 1);
    }
    return months;
  }

  /** 손익분기 뒤에 클라우드가 다시 싸지는 첫 달, 없으면 null. */
  function crossBackMonth(onpremTotal, cloudTotal, breakEven) {
    if (breakEven === null) return null;
    var months = crossings(onpremTotal, cloudTotal);
    for (var i = 0; i < months.length; i++) {
      var m = months[i];
      if (m > breakEven && onpremTotal[m - 1] > cloudTotal[m - 1]) return m;
    }
    return null;
  }

  /**
   * 손익분기 뒤에 곡선이 다시 엇갈리면 그것을 한 문장으로, 아니면 "". 손익분기만 보고 "온프레미스가
   * 싸다"고 읽지 않도록: 비교 기간을 84개월로 늘리면 61번째 달의 교체 구매로 클라우드가 다시 싸지고,
   * 84번째 달에 남은 서버의 가치(잔존가치)를 빼면 온프레미스가 다시 쌉니다. 마지막 달의 역전이
   * 잔존가치 때문이면 그렇다고 말합니다.
   */
  function crossBackText(result, s) {
    var back = result.cross_back;
    if (back === null) return "";
    var last = s.horizon_months - 1;
    var why = (back - 1) % s.onprem.refresh_months === 0 ? "서버를 다시 사면서 " : "";
    var later = result.crossings.filter(function (m) {
      return m > back;
    }).length;
    if (later === 0) {
      return back + "개월째에 " + why + "클라우드가 다시 싸지고, " + s.horizon_months + "개월까지 그대로입니다.";
    }
    var cheaper = result.onprem[last] <= result.cloud[last] ? "온프레미스" : "클라우드";
    var peak = s.workload.base_servers + s.workload.burst_servers;
    var atEnd =
      result.crossings[result.crossings.length - 1] === s.horizon_months &&
      residualValue(s.onprem, s.workload, peak, s.horizon_months, 1.0) > 0;
    return (
      back + "개월째에 " + why + "클라우드가 다시 싸집니다. 그 뒤로 더 싼 쪽이 " + later + "번 더 바뀌어 " +
      s.horizon_months + "개월째에는 " + (atEnd ? "남은 서버의 가치(잔존가치)를 빼면 " : "") + cheaper + "가 더 쌉니다."
    );
  }

  /** tco.py의 compare: 현재가치 누적 비용 곡선 셋과 손익분기 달(그리고 현금 달별 비용). */
  function compare(s) {
    var streams = monthly(s);
    var onprem = cumulative(presentValues(streams.onprem, s.discount_rate));
    var cloud = cumulative(presentValues(streams.cloud, s.discount_rate));
    var breakEven = breakEvenMonth(onprem, cloud);
    return {
      onprem: onprem,
      cloud: cloud,
      hybrid: cumulative(presentValues(streams.hybrid, s.discount_rate)),
      break_even: breakEven,
      crossings: crossings(onprem, cloud),
      cross_back: crossBackMonth(onprem, cloud, breakEven),
      monthly: streams,
    };
  }

  // 금액의 단위: 1조 원(억 원으로 적어 반올림하면 10,000.00억이 되는 곳부터)부터는 조, 그 아래는 억.
  // 합계(formatWon)와 그래프의 세로축(axisLabel)이 같은 규칙을 씁니다: tco.py의 won과 같이 억으로 적어
  // 10,000.00억이 되는 곳(9,999.995억)부터 조. 경계의 부동소수 차이는 0.005억 안쪽입니다.
  var HUNDRED_MILLION = 1e8;
  var TRILLION = 1e12;
  var TRILLION_FROM = TRILLION - 0.005 * HUNDRED_MILLION;

  function moneyUnit(amount) {
    return Math.abs(amount) >= TRILLION_FROM ? [TRILLION, "조"] : [HUNDRED_MILLION, "억"];
  }

  /** 금액을 짧은 글자로: 123456789 -> "1.23억 원", 5816916872.53억 -> "581,691.69조 원" (tco.py의 won과 같은 꼴). */
  function formatWon(amount) {
    var unit = moneyUnit(amount);
    var text = (amount / unit[0]).toLocaleString("en-US", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    return text + unit[1] + " 원";
  }

  /** 세로축 눈금 글자: 단위는 축의 가장 큰 값이 정하고(한 축에 한 단위), 천 단위 쉼표: "800,000억", "1.5조". */
  function axisLabel(value, unit) {
    return Number((value / unit[0]).toPrecision(6)).toLocaleString("en-US", { maximumFractionDigits: 6 }) + unit[1];
  }

  /** 입력 칸의 값(글자)을 모델의 단위로: "percent"는 %를 비율로, "man-won"은 만 원을 원으로. */
  function fromInput(text, unit) {
    var trimmed = String(text).trim();
    var value = trimmed === "" ? NaN : Number(trimmed);
    if (unit === "percent") return value / 100;
    if (unit === "man-won") return value * 10000;
    return value;
  }

  /** 모델의 단위를 입력 칸의 단위로(fromInput의 거꾸로): 범위를 칸의 min/max와 메시지로 보여 줄 때. */
  function toInput(value, unit) {
    if (value === INF) return INF;
    if (unit === "percent") return Number((value * 100).toPrecision(12));
    if (unit === "man-won") return Number((value / 10000).toPrecision(12));
    return value;
  }

  /** 입력 칸의 허용 범위를 칸의 단위로: "1~100" 꼴. */
  function inputRangeText(path, unit) {
    var spec = FIELDS[path];
    return showNumber(toInput(spec[1], unit)) + "~" + showNumber(toInput(spec[2], unit));
  }

  // ------------------------------------------------------------------------------------------
  // 글 안의 양식과 그래프

  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 640;
  // 글자 크기는 CSS가 정합니다(extra.css의 .tco-chart text): 넓은 화면 13, 휴대폰 25(viewBox 단위; 390px
  // 화면에서 그림이 약 0.5배로 줄어 12px 남짓, 그림 글자의 하한). 자리는 큰 쪽에 맞춰 둡니다: 왼쪽은 가장 긴
  // 세로축 글자(leftPad), 아래는 눈금 숫자 줄과 그 밑의 "개월", 위는 범례와 그 밑 두 줄(손익분기, 다시 역전).
  var FONT = 25;
  var DIGIT = 15; // 글자 25일 때 숫자·쉼표·점 한 자의 폭(넉넉히)
  var LABEL_ROW = FONT + 3; // 글자 줄 사이
  var PAD = { left: 80, right: 24, top: 2 * FONT + 4, bottom: 2 * LABEL_ROW + 10 };
  var HEIGHT = 316;

  // x축 눈금 간격의 후보(개월): 1개월부터 1,200개월까지 어느 기간이든 눈금 숫자가 겹치지 않을 만큼 성기게.
  var MONTH_STEPS = [1, 2, 3, 6, 12, 24, 36, 60, 120, 180, 240, 360, 600, 1200];

  function svgElement(doc, tag, attrs, text) {
    var el = doc.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) {
      el.setAttribute(key, String(attrs[key]));
    });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /**
   * x축 눈금 달들: 간격은 MONTH_STEPS에서, 가장 긴 눈금 숫자(한 자에 DIGIT)와 그 사이 여백 24가
   * 눈금 사이에 들어가는 가장 촘촘한 것. 1개월이면 [1].
   */
  function monthTicks(months, plotW) {
    var room = months.toLocaleString("en-US").length * DIGIT + 24;
    var step = MONTH_STEPS[MONTH_STEPS.length - 1];
    for (var i = 0; i < MONTH_STEPS.length; i++) {
      var gap = months > 1 ? (MONTH_STEPS[i] / (months - 1)) * plotW : plotW;
      if (gap >= room) {
        step = MONTH_STEPS[i];
        break;
      }
    }
    var ticks = [];
    for (var m = step; m <= months; m += step) ticks.push(m);
    return ticks.length > 0 ? ticks : [months];
  }

  function niceStep(max) {
    var raw = max / 4;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= raw) return steps[i] * power;
    }
    return 10 * power;
  }

  /** 누적 비용 그래프를 svg 안에 새로 그립니다. y축 단위는 억 원. */
  function drawChart(doc, svg, result, months) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + HEIGHT);
    var series = [
      ["onprem", "온프레미스", result.onprem],
      ["cloud", "클라우드", result.cloud],
      ["hybrid", "하이브리드", result.hybrid],
    ];
    var max = 0;
    series.forEach(function (s) {
      max = Math.max(max, Math.max.apply(null, s[2]));
    });
    var top = max > 0 ? max : 1;
    var step = niceStep(top);
    top = Math.ceil(top / step) * step;
    var unit = moneyUnit(top);
    var labels = [];
    for (var v = 0; v <= top + step / 2; v += step) labels.push([v, axisLabel(v, unit)]);
    // 왼쪽 여백은 가장 긴 세로축 글자가 들어갈 만큼(숫자·쉼표 한 자에 DIGIT, 단위 한 글자에 FONT): 큰 입력의
    // "800,000조"도 그림 왼쪽 끝에서 잘리지 않습니다.
    var left = Math.max(PAD.left, Math.max.apply(null, labels.map(function (l) {
      return (l[1].length - 1) * DIGIT + FONT + 12;
    })));
    var plotW = WIDTH - left - PAD.right;
    var plotH = HEIGHT - PAD.top - PAD.bottom;
    function x(m) {
      return left + (months > 1 ? ((m - 1) / (months - 1)) * plotW : plotW / 2);
    }
    function y(v) {
      return PAD.top + plotH - (v / top) * plotH;
    }
    var axes = svgElement(doc, "g", { class: "tco-axis" });
    labels.forEach(function (l) {
      axes.appendChild(svgElement(doc, "line", { x1: left, x2: WIDTH - PAD.right, y1: y(l[0]), y2: y(l[0]), class: "tco-grid" }));
      axes.appendChild(svgElement(doc, "text", { x: left - 6, y: y(l[0]) + 4, "text-anchor": "end", class: "tco-value" }, l[1]));
    });
    monthTicks(months, plotW).forEach(function (m) {
      var label = m.toLocaleString("en-US");
      // 가운데를 맞추면 그림 밖으로 나갈 눈금 숫자("1,200")는 오른쪽 끝을 그림 끝에 맞춥니다.
      var end = x(m) + (label.length * DIGIT) / 2 > WIDTH - 2;
      axes.appendChild(
        svgElement(
          doc,
          "text",
          { x: end ? WIDTH - 2 : x(m), y: HEIGHT - PAD.bottom + LABEL_ROW, "text-anchor": end ? "end" : "middle", class: "tco-tick" },
          label
        )
      );
    });
    axes.appendChild(svgElement(doc, "text", { x: left + plotW / 2, y: HEIGHT - 6, "text-anchor": "middle" }, "개월"));
    svg.appendChild(axes);
    series.forEach(function (s, i) {
      var points = s[2].map(function (value, j) {
        return x(j + 1).toFixed(1) + "," + y(value).toFixed(1);
      });
      svg.appendChild(svgElement(doc, "polyline", { points: points.join(" "), class: "tco-line tco-" + s[0] }));
      var lx = 8 + i * 200; // 범례는 그림 왼쪽 끝부터: 세로축 글자가 길어져도 그림 안에
      svg.appendChild(svgElement(doc, "line", { x1: lx, x2: lx + 28, y1: 15, y2: 15, class: "tco-line tco-" + s[0] }));
      svg.appendChild(svgElement(doc, "text", { x: lx + 34, y: FONT, class: "tco-text" }, s[1]));
      // 1개월이면 곡선이 점 하나라 보이지 않습니다: 그 점을 동그라미로.
      if (months === 1) {
        svg.appendChild(svgElement(doc, "circle", { cx: x(1), cy: y(s[2][0]), r: 5, class: "tco-line tco-" + s[0] }));
      }
    });
    // 손익분기와 (있으면) 다시 역전한 달: 세로 점선과, 그래프 위쪽의 한 줄씩.
    [
      [result.break_even, "손익분기 "],
      [result.cross_back, "다시 역전 "],
    ].forEach(function (mark, row) {
      if (mark[0] === null) return;
      var bx = x(mark[0]);
      svg.appendChild(svgElement(doc, "line", { x1: bx, x2: bx, y1: PAD.top, y2: PAD.top + plotH, class: "tco-break-even-line" }));
      var anchor = bx > WIDTH / 2 ? "end" : "start";
      var dx = anchor === "end" ? -6 : 6;
      var ty = PAD.top + FONT + row * LABEL_ROW;
      svg.appendChild(svgElement(doc, "text", { x: bx + dx, y: ty, "text-anchor": anchor, class: "tco-text" }, mark[1] + mark[0] + "개월"));
    });
  }

  function setText(doc, id, text) {
    var el = doc.getElementById(id);
    if (el) el.textContent = text;
  }

  function labelOf(form, input) {
    var label = form.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : input.id;
  }

  /** 양식 #tco-calculator의 입력이 바뀔 때마다 손익분기·총비용·그래프를 다시 계산합니다. */
  function init(doc) {
    var form = doc.getElementById("tco-calculator");
    if (!form) return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-field]"));
    inputs.forEach(function (input) {
      var spec = FIELDS[input.getAttribute("data-field")];
      var unit = input.getAttribute("data-unit");
      input.setAttribute("min", String(toInput(spec[1], unit)));
      if (spec[2] !== INF) input.setAttribute("max", String(toInput(spec[2], unit)));
    });
    var svg = doc.getElementById("tco-chart");
    function clearChart(message) {
      if (!svg) return;
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      svg.setAttribute("aria-label", message);
    }
    function update() {
      var s = defaults();
      inputs.forEach(function (input) {
        setPath(s, input.getAttribute("data-field"), fromInput(input.value, input.getAttribute("data-unit")));
      });
      var errors = validate(s);
      var problems = [];
      inputs.forEach(function (input) {
        var path = input.getAttribute("data-field");
        var bad = errors.some(function (e) {
          return e.path === path;
        });
        input.setAttribute("aria-invalid", bad ? "true" : "false");
        if (bad) {
          // 범위 안이어도 정수 칸(개월)의 12.5는 틀립니다: 그때는 범위가 아니라 정수여야 한다고 말합니다.
          var value = getPath(s, path);
          var fraction = FIELDS[path][3] && isFinite(value) && !Number.isInteger(value);
          var want = fraction ? " 사이의 정수여야 합니다" : " 사이의 값이어야 합니다";
          problems.push(labelOf(form, input) + ": " + inputRangeText(path, input.getAttribute("data-unit")) + want);
        }
      });
      var result = errors.length > 0 ? null : compare(s);
      var months = s.horizon_months;
      var last = months - 1;
      if (result && ![result.onprem[last], result.cloud[last], result.hybrid[last]].every(isFinite)) {
        problems.push("총액이 유한하지 않습니다: 입력값을 확인하세요");
        result = null;
      }
      if (!result) {
        // 결과는 언제나 지금 칸의 값에서 나옵니다: 앞선 값의 그래프·숫자를 남기지 않습니다.
        var message = "입력값을 확인하세요: " + problems.join("; ");
        setText(doc, "tco-status", message);
        setText(doc, "tco-cross-back", "");
        ["tco-break-even", "tco-total-onprem", "tco-total-cloud", "tco-total-hybrid"].forEach(function (id) {
          setText(doc, id, "—");
        });
        clearChart("누적 비용 그래프: " + message);
        return;
      }
      var even = result.break_even === null ? months + "개월 안에 없음" : result.break_even + "개월째";
      setText(doc, "tco-status", "");
      setText(doc, "tco-break-even", even);
      setText(doc, "tco-total-onprem", formatWon(result.onprem[last]));
      setText(doc, "tco-total-cloud", formatWon(result.cloud[last]));
      setText(doc, "tco-total-hybrid", formatWon(result.hybrid[last]));
      var crossBack = crossBackText(result, s);
      setText(doc, "tco-cross-back", crossBack);
      if (svg) {
        drawChart(doc, svg, result, months);
        svg.setAttribute(
          "aria-label",
          months + "개월 누적 비용: 온프레미스 " + formatWon(result.onprem[last]) +
            ", 클라우드 " + formatWon(result.cloud[last]) +
            ", 하이브리드 " + formatWon(result.hybrid[last]) + ", 손익분기 " + even +
            (crossBack ? ". " + crossBack : "")
        );
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
    update();
  }

  var api = {
    CURRENCY: CURRENCY,
    FIELDS: FIELDS,
    defaults: defaults,
    rangeText: rangeText,
    validate: validate,
    serversToBuy: serversToBuy,
    onpremMonth: onpremMonth,
    cloudShare: cloudShare,
    cloudMonth: cloudMonth,
    presentValues: presentValues,
    splitLoad: splitLoad,
    monthly: monthly,
    cumulative: cumulative,
    breakEvenMonth: breakEvenMonth,
    crossings: crossings,
    crossBackMonth: crossBackMonth,
    crossBackText: crossBackText,
    monthTicks: monthTicks,
    compare: compare,
    formatWon: formatWon,
    fromInput: fromInput,
    toInput: toInput,
    showNumber: showNumber,
    init: init,
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  }
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        init(document);
      });
    } else {
      init(document);
    }
  }
})();
