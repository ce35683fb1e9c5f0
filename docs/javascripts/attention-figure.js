// 어텐션 가중치 그림(figure.attention-figure)을 움직입니다: 글 「셀프 어텐션: 왜 √d_k로 나누는가」.
//
// 빌드(blogbuild/attention_figure.py)는 헤드마다 가중치 표(행은 쿼리, 열은 키)를 싣습니다: 스크립트가 없어도
// 읽히는 그림입니다. 이 스크립트는 그 표를 읽어, 쿼리 토큰 단추(마우스를 올리거나, 누르거나, 화살표 키로
// 고름)와 고른 쿼리가 키마다 준 가중치를 헤드마다 막대로 보여 주는 보기를 더하고, 표는 접어 둡니다.
// 인라인 스크립트·스타일 없이(사이트의 Content-Security-Policy) 막대의 길이만 요소의 style로 정합니다.
document$.subscribe(() => {
  for (const figure of document.querySelectorAll("figure.attention-figure:not([data-enhanced])")) {
    enhance(figure);
  }
});

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function enhance(figure) {
  const tables = [...figure.querySelectorAll("table.attention-table")];
  if (!tables.length) return;
  const tokens = [...tables[0].tHead.rows[0].cells].slice(1).map((cell) => cell.textContent);
  const heads = tables.map((table) =>
    [...table.tBodies[0].rows].map((row) =>
      [...row.cells].slice(1).map((cell) => Number.parseFloat(cell.textContent)),
    ),
  );
  figure.dataset.enhanced = "";

  const view = element("div", "attention-view");
  const hint = element(
    "p",
    "attention-hint",
    "쿼리 토큰을 고르세요(마우스를 올리거나 누르거나, 화살표 키로). 헤드마다 그 쿼리가 키에 준 가중치가 막대로 나옵니다.",
  );
  const picker = element("div", "attention-picker");
  picker.setAttribute("role", "radiogroup");
  picker.setAttribute("aria-label", "쿼리 토큰");
  const buttons = tokens.map((token, index) => {
    const button = element("button", "attention-token", token);
    button.type = "button";
    button.setAttribute("role", "radio");
    button.dataset.index = String(index);
    picker.append(button);
    return button;
  });
  const panels = element("div", "attention-heads");
  const bars = heads.map((_, h) => {
    const panel = element("div", "attention-head");
    panel.append(element("p", "attention-head-title", `헤드 ${h + 1}`));
    const list = element("ol", "attention-bars");
    const rows = tokens.map((token) => {
      const item = element("li", "attention-bar-row");
      const track = element("span", "attention-track");
      const fill = element("span", "attention-fill");
      const value = element("span", "attention-value");
      track.append(fill);
      item.append(element("span", "attention-key", token), track, value);
      list.append(item);
      return { item, fill, value };
    });
    panel.append(list);
    panels.append(panel);
    return rows;
  });
  const status = element("p", "attention-status");
  status.setAttribute("aria-live", "polite");
  view.append(hint, picker, panels, status);
  const details = figure.querySelector("details.attention-tables");
  figure.insertBefore(view, details);
  if (details) details.open = false;

  let current = -1;
  function select(index) {
    if (index === current) return;
    current = index;
    buttons.forEach((button, i) => {
      button.setAttribute("aria-checked", String(i === index));
      button.tabIndex = i === index ? 0 : -1;
    });
    const strongest = [];
    heads.forEach((rows, h) => {
      const weights = rows[index];
      let best = 0;
      weights.forEach((w, j) => {
        const bar = bars[h][j];
        bar.fill.style.width = `${(w * 100).toFixed(1)}%`;
        bar.value.textContent = w.toFixed(2);
        if (w > weights[best]) best = j;
      });
      bars[h].forEach((bar, j) => bar.item.classList.toggle("attention-strongest", j === best));
      strongest.push(`헤드 ${h + 1} '${tokens[best]}'(${weights[best].toFixed(2)})`);
    });
    for (const table of tables) {
      [...table.tBodies[0].rows].forEach((row, i) =>
        row.classList.toggle("attention-selected", i === index),
      );
    }
    status.textContent = `쿼리 '${tokens[index]}'에서 가장 큰 가중치를 받은 키: ${strongest.join(", ")}.`;
  }

  picker.addEventListener("click", (event) => {
    const button = event.target.closest(".attention-token");
    if (button) select(Number(button.dataset.index));
  });
  picker.addEventListener("pointerover", (event) => {
    const button = event.target.closest(".attention-token");
    if (button && event.pointerType === "mouse") select(Number(button.dataset.index));
  });
  picker.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let next;
    if (event.key in moves) next = (current + moves[event.key] + tokens.length) % tokens.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = tokens.length - 1;
    else return;
    event.preventDefault();
    select(next);
    buttons[next].focus();
  });
  select(0);
}
