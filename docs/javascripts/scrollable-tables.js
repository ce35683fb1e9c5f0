// 가로로 넘쳐 스크롤되는 영역을 키보드로도 움직일 수 있게 합니다(접근성 검사 axe의 scrollable-region-focusable).
// - Material이 넓은 표를 감싸는 가로 스크롤 영역(.md-typeset__scrollwrap): 언제나 tabindex.
// - 수식 블록(.math-block, blogbuild/mathml.py): 휴대폰 폭에서 긴 식만 넘칩니다. 넘칠 때만 tabindex를 붙이고
//   이름(aria-label)을 달아, 넘치지 않는 식마다 Tab이 멈추지 않게 합니다. 폭이 바뀌면 다시 봅니다.
// document$는 Material이 내놓는 페이지 로드 스트림이라, Material이 표를 감싼 뒤에 실행됩니다.
document$.subscribe(() => {
  for (const region of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    region.tabIndex = 0;
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
