// 가로로 넘쳐 스크롤되는 영역을 키보드로도 움직일 수 있게 합니다(접근성 검사 axe의 scrollable-region-focusable).
// - Material이 넓은 표를 감싸는 가로 스크롤 영역(.md-typeset__scrollwrap): 언제나 tabindex.
// - 수식 블록(.math-block, blogbuild/mathml.py): 휴대폰 폭에서 긴 식만 넘칩니다. 넘칠 때만 tabindex를 붙이고
//   이름(aria-label)을 달아, 넘치지 않는 식마다 Tab이 멈추지 않게 합니다. 폭이 바뀌면 다시 봅니다.
// - 아직 그리지 않은 코드 블록: 코드 블록(div.highlight)은 화면 가까이 올 때에만 배치되고(extra.css의
//   content-visibility: auto), Material은 배치된 블록이 넘칠 때에만 tabindex를 붙입니다(마우스가 있는 기기에서).
//   그래서 화면에서 먼 블록은 키보드로 닿지 못했습니다. 그리지 않은 블록은 배치하지 않고 알 수 있는 것(가장 긴
//   줄의 글자 수, 한글은 1.75칸, 블록의 폭)으로 넘칠지 어림해 tabindex를 붙이거나 떼고, 폭이 바뀌면 다시 봅니다.
//   그려진 블록은 Material이 실제 폭으로 정합니다.
// document$는 Material이 내놓는 페이지 로드 스트림이라, Material이 표를 감싼 뒤에 실행됩니다.
document$.subscribe(() => {
  for (const region of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    region.tabIndex = 0;
  }
  const codes = document.querySelectorAll(".md-typeset div.highlight > pre > code");
  if (codes.length && matchMedia("(hover)").matches) {
    const size = parseFloat(getComputedStyle(codes[0]).fontSize);
    const column = 0.6 * size; // 고정폭 글꼴 한 칸(DejaVu Sans Mono, Menlo, Consolas: 0.6em 남짓)
    const padding = 2 * 1.1764705882 * size; // Material의 코드 좌우 안쪽 여백
    const wide = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/g; // 한글 한 자: 1.75칸(CONTRIBUTING.md의 "코드 줄의 너비")
    const columns = new Map();
    for (const code of codes) {
      const lines = code.textContent.split("\n");
      columns.set(code.closest("div.highlight"), [code, Math.max(...lines.map((l) => l.length + 0.75 * (l.match(wide) || []).length))]);
    }
    const guess = new ResizeObserver((entries) => {
      for (const { target } of entries) {
        const [code, longest] = columns.get(target);
        if (code.checkVisibility({ contentVisibilityAuto: true })) continue; // 그려진 블록: Material의 일
        if (longest * column > target.clientWidth - padding) code.tabIndex = 0;
        else code.removeAttribute("tabindex");
      }
    });
    columns.forEach((_, block) => guess.observe(block));
  }
  const blocks = document.querySelectorAll(".md-typeset .math-block");
  if (!blocks.length) return;
  const update = (block) => {
    if (block.scrollWidth > block.clientWidth) {
      block.tabIndex = 0;
      block.setAttribute("role", "region");
      block.setAttribute("aria-label", "수식 (가로로 스크롤)");
    } else if (block.hasAttribute("tabindex")) {
      block.removeAttribute("tabindex");
      block.removeAttribute("role");
      block.removeAttribute("aria-label");
    }
  };
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));
  blocks.forEach((block) => {
    update(block);
    observer.observe(block);
  });
});
