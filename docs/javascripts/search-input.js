// 붙여 넣은 낱말, IME 조합이 끝난 한글, 음성 입력도 검색되게 합니다.
// Material의 검색 칸은 keyup(과 포커스)에만 반응해 검색어를 읽습니다(bundle.js의 mountSearchQuery). 붙여 넣기,
// 조합 끝(compositionend), 음성 입력은 keyup 없이 input 이벤트만 내므로 결과가 나오지 않았습니다. 그런 입력을
// 검색 칸 자신에게 keyup으로 전해, Material이 키를 칠 때와 같은 길로 검색하게 합니다. 같은 값이 두 번 와도
// Material이 거릅니다(distinctUntilChanged). keyup은 위로 퍼지지 않게(bubbles 없이) 보내므로, window에서
// 키를 듣는 Material의 단축키 처리에는 닿지 않습니다.
(function () {
  "use strict";

  function forward(event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.matches("[data-md-component=search-query]")) {
      box.dispatchEvent(new KeyboardEvent("keyup"));
    }
  }

  document.addEventListener("input", forward);
  document.addEventListener("compositionend", forward);
})();
