// 사이트 검색: 독자가 검색 창을 열기 전에는 아무것도 내려받지도 계산하지도 않습니다.
// 창(overrides/partials/search.html)을 열면 그때 Pagefind(pagefind/pagefind.js, 빌드가 쓴 색인: blogbuild/search_index.py)를
// 불러오고, 검색어마다 그 검색어가 닿는 색인 조각과 보여 줄 결과의 요약만 받습니다.
// - 한국어 조사: 낱말 끝의 조사("어텐션은", "트랜스포머의")를 떼고 찾습니다. 색인은 낱말을 접두어로 맞추므로
//   "어텐션"이 "어텐션은"·"어텐션의"를 모두 찾습니다.
// - 붙여 쓴 검색어("셀프어텐션")는 블로그가 띄어 쓰는 꼴("셀프 어텐션")로, 영어와 쓰지 않는 꼴("feedforward",
//   "부분층")은 블로그의 용어로도 찾습니다(빌드가 쓴 pagefind/forms.json: blogbuild/search_index.py).
// - 붙여 넣기, IME 조합, 음성 입력: 키 입력이 아니라 input 이벤트로 검색합니다.
// - 결과의 요약은 DOM으로 다시 만들어(글자와 <mark>만) 넣습니다: 색인의 글이 HTML로 해석되지 않습니다.
(function () {
  "use strict";

  var toggle = document.getElementById("__search");
  var dialog = document.querySelector("[data-site-search]");
  if (!toggle || !dialog) return;
  var form = dialog.querySelector("[data-site-search-form]");
  var input = dialog.querySelector("[data-site-search-input]");
  var status = dialog.querySelector("[data-site-search-status]");
  var list = dialog.querySelector("[data-site-search-results]");
  var more = dialog.querySelector("[data-site-search-more]");

  var PAGE = 10; // 한 번에 그리는 결과 수
  // 순위: 낱말이 몇 번 나오는지보다 어디에 나오는지(제목, 소제목)를 봅니다. 기본값(1.0)으로는 "셀프 어텐션"을
  // 여러 번 언급하는 크로스 어텐션 글이 제목이 "셀프 어텐션"인 글보다 먼저 나왔습니다(이 사이트의 색인으로 잼).
  var RANKING = { termFrequency: 0 };
  var WAIT_MS = 120; // 마지막 입력 뒤 이만큼 조용하면 찾습니다
  // 낱말 끝에서 떼는 조사(긴 것부터). 뗀 뒤 두 글자 이상 남을 때만 뗍니다("과"로 끝나는 "결과"는 그대로).
  var PARTICLES = [
    "에서는", "으로는", "이라는", "에게서", "에서", "으로", "에게", "까지", "부터", "처럼", "보다",
    "이나", "이란", "라는", "와", "과", "은", "는", "이", "가", "을", "를", "의", "에", "로", "도", "만",
  ];

  var root = siteRoot();
  var pagefind = null; // 불러오는 중이거나 불러온 Pagefind 모듈(Promise)
  var asked = 0; // 마지막으로 보낸 검색의 번호: 늦게 온 앞 검색의 결과는 버립니다
  var timer = 0;
  var found = [];
  var shown = 0;

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function load() {
    if (!pagefind) {
      var module = import(new URL("pagefind/pagefind.js", root).href).then(function (found) {
        return found.options({ excerptLength: 24, ranking: RANKING }).then(function () {
          return found;
        });
      });
      // 검색어를 바꿔 찾는 표(빌드가 씀): 붙여 쓴 꼴 → 띄어 쓴 꼴, 영어·쓰지 않는 꼴 → 블로그의 용어
      var table = fetch(new URL("pagefind/forms.json", root)).then(function (response) {
        return response.ok ? response.json() : { joined: {}, aliases: {} };
      });
      // 불러오지 못하면(네트워크 오류) 그 실패를 간직하지 않습니다: 다음에 창을 열거나 검색어를 칠 때 다시 부릅니다.
      // 간직하면 한 번의 오류로 검색이 페이지를 새로 고칠 때까지 죽었습니다.
      pagefind = Promise.all([module, table]).catch(function (error) {
        pagefind = null;
        throw error;
      });
    }
    return pagefind;
  }

  function stem(word) {
    if (!/[가-힣]$/.test(word)) return word;
    for (var i = 0; i < PARTICLES.length; i++) {
      var particle = PARTICLES[i];
      if (word.length - particle.length >= 2 && word.endsWith(particle)) {
        return word.slice(0, -particle.length);
      }
    }
    return word;
  }

  // 찾을 검색어들: 조사를 떼고 붙여 쓴 꼴을 띄어 쓴 꼴로 바꾼 것, 그리고 다른 꼴이 있으면 용어로 바꾼 것.
  function queries(text, forms) {
    var words = text.normalize("NFC").trim().toLowerCase().split(/\s+/).filter(Boolean).map(stem);
    var spaced = words
      .map(function (word) {
        return forms.joined[word] || word;
      })
      .join(" ");
    var found = [spaced];
    Object.keys(forms.aliases).forEach(function (form) {
      var at = (" " + spaced + " ").indexOf(" " + form + " ");
      if (at >= 0) {
        var swapped = (spaced.slice(0, at) + forms.aliases[form] + spaced.slice(at + form.length)).trim();
        if (found.indexOf(swapped) < 0) found.push(swapped);
      }
    });
    return found;
  }

  // 검색어들의 결과를 합칩니다: 같은 페이지는 높은 점수 하나로, 점수 차례로.
  function merged(searches) {
    var best = {};
    searches.forEach(function (search) {
      search.results.forEach(function (result) {
        if (!best[result.id] || best[result.id].score < result.score) best[result.id] = result;
      });
    });
    return Object.keys(best)
      .map(function (id) {
        return best[id];
      })
      .sort(function (a, b) {
        return b.score - a.score;
      });
  }

  function say(text) {
    status.textContent = text;
  }

  function clear() {
    found = [];
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, WAIT_MS);
  }

  function run() {
    var text = input.value;
    var number = ++asked;
    if (!text.trim()) {
      clear();
      say("검색어를 입력하세요");
      return;
    }
    say("찾는 중…");
    load()
      .then(function (loaded) {
        var module = loaded[0];
        return Promise.all(
          queries(text, loaded[1]).map(function (terms) {
            return module.search(terms);
          })
        );
      })
      .then(function (searches) {
        if (number !== asked) return;
        clear();
        found = merged(searches);
        if (!found.length) {
          say("찾은 글이 없습니다");
          return;
        }
        say("결과 " + found.length.toLocaleString("ko-KR") + "개");
        return showMore(number);
      })
      .catch(function (error) {
        if (number !== asked) return;
        clear();
        say("검색 색인을 불러오지 못했습니다");
        console.error(error);
      });
  }

  function showMore(number) {
    var batch = found.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = true;
    return Promise.all(
      batch.map(function (result) {
        return result.data();
      })
    ).then(function (pages) {
      if (number !== asked) return;
      pages.forEach(function (page) {
        list.appendChild(item(page));
      });
      more.hidden = shown >= found.length;
    });
  }

  function item(page) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(page.url, location.href).href; // Pagefind는 자기 위치에서 사이트의 경로를 붙여 줍니다
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = (page.meta && page.meta.title) || page.url;
    var teaser = document.createElement("p");
    teaser.className = "md-search-result__teaser";
    teaser.append.apply(teaser, marked(page.excerpt));
    article.append(title, teaser);
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  // Pagefind의 요약(HTML, 찾은 낱말은 <mark>)을 글자 노드와 <mark>로만 다시 만듭니다.
  function marked(excerpt) {
    var parsed = new DOMParser().parseFromString(excerpt, "text/html").body;
    var nodes = [];
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    });
    return nodes;
  }

  function open() {
    load().catch(function () {}); // 창을 연 것이 검색을 쓰는 것: 검색어를 치는 동안 불러 둡니다
    input.focus();
  }

  toggle.addEventListener("change", function () {
    if (toggle.checked) open();
  });
  input.addEventListener("focus", function () {
    if (!toggle.checked) {
      toggle.checked = true;
    }
    load().catch(function () {});
  });
  input.addEventListener("input", schedule);
  input.addEventListener("compositionend", schedule);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click();
  });
  more.addEventListener("click", function () {
    showMore(asked);
  });
  document.addEventListener("keydown", function (event) {
    var typing = event.target instanceof HTMLElement && event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      input.blur();
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
      event.preventDefault();
      toggle.checked = true;
      open();
    } else if (toggle.checked && event.key === "ArrowDown" && event.target === input) {
      var first = list.querySelector("a");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
})();
