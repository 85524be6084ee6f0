// glassgrad's matrix panel, beside the stepper: the article's formulas as
// matrices. Python made every cell (its node, its texts, the frames that fill
// it); this script only follows the stepper's frames ("gg-frame") and, when a
// cell is clicked, asks the stepper to mark its node ("gg-mark").
(function () {
  "use strict";
  var root = document.getElementById("__UID__");
  if (!root) { return; }
  var panel = root.querySelector(".gg-beside .ggm");
  if (!panel || panel.getAttribute("data-ready")) { return; }
  panel.setAttribute("data-ready", "1");
  panel.querySelector(".ggm-fold").open = true;  // folded only for pages without scripts
  var cells = JSON.parse(panel.parentNode.querySelector(".gg-beside-data").textContent).cells;
  var tds = [];
  panel.querySelectorAll("td[data-cell]").forEach(function (td) {
    tds.push([td, cells[parseInt(td.getAttribute("data-cell"), 10)]]);
  });

  // While the stepper's quiz asks for a step's numbers, the cells show the pass
  // as it was before that step (the lit cell is the one asked for).
  function show(index, asking) {
    var known = asking ? index - 1 : index;
    tds.forEach(function (pair) {
      var td = pair[0], cell = pair[1], shown = "?";
      cell[1].forEach(function (t) { if (t[0] <= known) { shown = t[1]; } });
      td.textContent = shown;
      td.classList.toggle("ggm-lit", cell[2].indexOf(index) >= 0);
    });
    panel.setAttribute("data-frame", String(index));
  }

  root.addEventListener("gg-frame", function (e) { show(e.detail.index, e.detail.asking); });

  var picked = null;
  panel.addEventListener("click", function (e) {
    var td = e.target.closest("td.ggm-node");
    if (!td) { return; }
    var again = td === picked;
    if (picked) { picked.classList.remove("ggm-picked"); picked = null; }
    if (!again) { td.classList.add("ggm-picked"); picked = td; }
    var name = again ? "" : cells[parseInt(td.getAttribute("data-cell"), 10)][0];
    root.dispatchEvent(new CustomEvent("gg-mark", { detail: name ? { name: name } : {} }));
  });

  // The stepper may have shown its first frame before this script ran.
  show(parseInt(root.getAttribute("data-current") || "0", 10),
    root.getAttribute("data-asking") === "1");
})();
