// Material이 넓은 표를 감싸는 가로 스크롤 영역(.md-typeset__scrollwrap)을 키보드로도 움직일 수 있게 합니다.
// 접근성 검사(axe: scrollable-region-focusable)가 요구하는 작은 보정입니다. document$는 Material이 내놓는
// 페이지 로드 스트림이라, Material이 표를 감싼 뒤에 실행됩니다.
document$.subscribe(() => {
  for (const region of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    region.tabIndex = 0;
  }
});
