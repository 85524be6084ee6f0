// The language switch of a stepper's own page. The page holds the stepper in
// its first language and, in template elements, in the others (made in Python, like
// the first). Choosing one puts that one in the first one's place; choosing
// the first language again reloads the page as it was written. "#lang=zh" in
// the address opens it in that language.
(function () {
  "use strict";
  var switcher = document.querySelector(".gg-language");
  var select = switcher.querySelector("select");
  var first = switcher.getAttribute("data-lang");
  function show(lang) {
    var template = document.querySelector('template[data-lang="' + lang + '"]');
    if (!template) { return; }
    var current = document.getElementById("gg-stepper");
    // Scripts of a template's content run once they are in the page.
    current.replaceWith(document.importNode(template.content, true));
    document.documentElement.lang = template.getAttribute("data-html-lang");
    document.title = template.getAttribute("data-title");
    switcher.querySelector("span").textContent = template.getAttribute("data-switch");
    select.value = lang;
  }
  select.addEventListener("change", function () {
    if (select.value === first) {
      history.replaceState(null, "", location.pathname + location.search);
      location.reload();
    } else {
      history.replaceState(null, "", "#lang=" + select.value);
      show(select.value);
    }
  });
  function asked() {
    var lang = /^#lang=(\w+)$/.exec(location.hash);
    if (lang && lang[1] !== first && lang[1] !== select.value) { show(lang[1]); }
  }
  window.addEventListener("hashchange", asked);
  asked();
})();
