// glassgrad's stepper: shows frames made in Python. It lays nothing out and
// computes nothing: each frame says what every box reads, how it is filled and
// what is marked; this script copies that onto the one picture.
(function () {
  "use strict";
  var root = document.getElementById("__UID__");
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var data = JSON.parse(root.querySelector(".gg-data").textContent);
  var frames = data.frames;
  var last = frames.length - 1;

  // The picture: the <img> (shown without JavaScript) becomes inline SVG, so
  // that its boxes can be restyled. Both come from the same bytes. A machine
  // without Graphviz sends no picture, only the steps: they work all the same.
  var view = root.querySelector(".gg-view");
  var still = view.querySelector("img");
  var svg = null, naturalWidth = 0, naturalHeight = 0;
  if (still) {
    var bytes = atob(still.getAttribute("src").split(",")[1]);
    var codes = new Uint8Array(bytes.length);
    for (var b = 0; b < bytes.length; b++) { codes[b] = bytes.charCodeAt(b); }
    view.innerHTML = new TextDecoder("utf-8").decode(codes);
    svg = view.querySelector("svg");
    naturalWidth = parseFloat(svg.getAttribute("width")) * 4 / 3;  // pt to px
    naturalHeight = parseFloat(svg.getAttribute("height")) * 4 / 3;
  }

  function part(id) { return svg ? svg.querySelector('[id="' + id + '"]') : null; }
  var boxes = {};
  Object.keys(frames[0].boxes).forEach(function (id) {
    var g = part(id);
    if (g) { boxes[id] = { texts: g.querySelectorAll("text"), shape: g.querySelector("polygon, path") }; }
  });

  // Text that changes from frame to frame (the step, the pass, the count, Play or
  // Pause) sits in a box sized for its longest version, at any width: everything
  // around it, the graph first of all, stays where it is from the first frame to
  // the last. The other versions are there, unseen and unread, only for their size.
  function steady(el, texts) {
    el.classList.add("gg-steady");
    texts.filter(function (t, i) { return texts.indexOf(t) === i; }).forEach(function (t) {
      var ghost = document.createElement("span");
      ghost.className = "gg-ghost";
      ghost.setAttribute("aria-hidden", "true");
      ghost.textContent = t;
      el.appendChild(ghost);
    });
    var shown = document.createElement("span");
    shown.className = "gg-shown";
    el.appendChild(shown);
    return shown;
  }

  // Controls are made here, so that a page without JavaScript has no dead buttons.
  var ui = root.querySelector(".gg-ui");
  function button(act, text, label) {
    var el = document.createElement("button");
    el.type = "button"; el.textContent = text; el.setAttribute("data-act", act);
    el.setAttribute("aria-label", label); el.title = label;
    ui.appendChild(el);
    return el;
  }
  button("first", "|◀", "first step (Home)");
  button("prev", "◀", "previous step (←)");
  var PLAY = "▶ Play", PAUSE = "❚❚ Pause";
  var playButton = button("play", "", "play or pause (space)");
  var play = steady(playButton, [PLAY, PAUSE]);
  play.textContent = PLAY;
  button("next", "▶", "next step (→)");
  button("last", "▶|", "last step (End)");
  var slider = document.createElement("input");
  slider.type = "range"; slider.className = "gg-slider"; slider.min = "0";
  slider.max = String(last); slider.value = "0"; slider.setAttribute("aria-label", "step");
  ui.appendChild(slider);
  var countBox = document.createElement("span");
  countBox.className = "gg-count";
  ui.appendChild(countBox);
  var count = steady(countBox, frames.map(function (f, i) { return (i + 1) + " / " + frames.length; }));
  var speed = document.createElement("select");
  speed.setAttribute("aria-label", "speed");
  [["0.5", "slow"], ["1", "normal"], ["2", "fast"], ["4", "fastest"]].forEach(function (o) {
    var option = document.createElement("option");
    option.value = o[0]; option.textContent = o[1]; speed.appendChild(option);
  });
  speed.value = "1";
  ui.appendChild(speed);
  if (svg) {
    button("zoom-out", "−", "smaller picture");
    button("fit", "fit", "fit the picture to the width");
    button("zoom-in", "+", "larger picture");
  }

  var now = root.querySelector(".gg-now");
  now.innerHTML = '<div class="gg-phase"></div><div class="gg-formula"></div>' + (svg
    ? '<div class="gg-legend"><b class="a">orange</b>: this step\u2019s node and the edges ' +
      'it uses; <b class="m">purple</b>: the nodes it reads (forward) or gives gradient to ' +
      '(backward). \u201c?\u201d: not known yet.</div>'
    : "");
  var FORWARD = "Forward pass: compute this node from its inputs";
  var BACKWARD = "Backward pass: the chain rule, \u2202L/\u2202input += " +
    "\u2202L/\u2202node \u00b7 local derivative";
  var phase = steady(now.querySelector(".gg-phase"), [FORWARD, BACKWARD]);
  var formula = steady(now.querySelector(".gg-formula"), frames.map(function (f) { return f.text; }));
  var note = root.querySelector(".gg-nojs");
  if (note) { note.remove(); }
  var all = root.querySelector(".gg-all");
  if (all) { all.open = false; }
  var rows = [];
  root.querySelectorAll(".gg-panel").forEach(function (panel) {
    rows.push(panel.querySelectorAll("tr"));
  });

  // Zoom: the picture starts fitted to the width of its box, so the whole
  // graph is in sight at once (+ enlarges it for detail), unless that would
  // make its text smaller than 9 px (Graphviz sets it at 11 pt = 14.7 px), as
  // on a phone: then it starts with 11 px text and the view scrolls (drag or
  // swipe to pan).
  var zoom = 1;
  var legible = 0.62, readable = 0.76;
  function setZoom(z) {
    if (!svg) { return; }
    zoom = Math.max(0.2, Math.min(3, z));
    svg.style.width = (naturalWidth * zoom) + "px";
    svg.style.height = (naturalHeight * zoom) + "px";
  }
  function fitWidth() { return (view.clientWidth - 2) / naturalWidth; }
  var fits = fitWidth();
  setZoom(fits >= legible ? Math.min(1, fits) : readable);

  var marks = [];
  var current = 0, timer = null;
  function mark(id, cls) {
    var el = part(id);
    if (el) { el.classList.add(cls); marks.push([el, cls]); }
  }
  function show(i) {
    current = Math.max(0, Math.min(last, i));
    var frame = frames[current];
    Object.keys(frame.boxes).forEach(function (id) {
      var box = boxes[id];
      if (!box) { return; }
      var lines = frame.boxes[id];
      for (var k = 0; k < box.texts.length && k < lines.length; k++) {
        box.texts[k].textContent = lines[k];
      }
      if (box.shape) { box.shape.setAttribute("fill", frame.fills[id] || "#ffffff"); }
    });
    marks.forEach(function (m) { m[0].classList.remove(m[1]); });
    marks = [];
    frame.active.forEach(function (id) { mark(id, "gg-active"); });
    frame.marked.forEach(function (id) { mark(id, "gg-marked"); });
    frame.edges.forEach(function (id) { mark(id, "gg-hot"); });
    rows.forEach(function (trs, p) {
      for (var r = 0; r < trs.length; r++) {
        trs[r].classList.toggle("gg-row-now", frame.rows[p].indexOf(r) >= 0);
        trs[r].cells[1].textContent = frame.numbers[p][r] || "?";
      }
    });
    slider.value = String(current);
    count.textContent = (current + 1) + " / " + frames.length;
    formula.textContent = frame.text;
    phase.textContent = frame.phase === "forward" ? FORWARD : BACKWARD;
    root.setAttribute("data-current", String(current));
    // For views beside the stepper (a panel of matrices, say): which frame, which node.
    root.dispatchEvent(new CustomEvent("gg-frame", { detail: {
      index: current, phase: frame.phase, node: frame.node, name: frame.name
    } }));
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; play.textContent = PLAY; }
  }
  function start() {
    if (current === last) { show(0); }
    play.textContent = PAUSE;
    timer = setInterval(function () {
      if (current >= last) { stop(); return; }
      show(current + 1);
    }, 1200 / parseFloat(speed.value));
  }
  var acts = {
    first: function () { stop(); show(0); },
    prev: function () { stop(); show(current - 1); },
    next: function () { stop(); show(current + 1); },
    last: function () { stop(); show(last); },
    play: function () { if (timer) { stop(); } else { start(); } },
    "zoom-in": function () { setZoom(zoom * 1.25); },
    "zoom-out": function () { setZoom(zoom / 1.25); },
    fit: function () { setZoom(fitWidth()); }
  };
  ui.addEventListener("click", function (e) {
    var target = e.target.closest("[data-act]");
    if (target) { acts[target.getAttribute("data-act")](); }
  });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  speed.addEventListener("change", function () { if (timer) { stop(); start(); } });

  // Keys: listened for on the window, before the page sees them, so that
  // JupyterLab's own shortcuts (arrows move between cells) leave a focused
  // stepper alone.
  var keys = {
    ArrowRight: "next", ArrowLeft: "prev", " ": "play", Home: "first", End: "last"
  };
  function onKey(e) {
    if (!root.isConnected) { window.removeEventListener("keydown", onKey, true); return; }
    if (!root.contains(e.target) || !keys[e.key] || e.target === speed) { return; }
    e.preventDefault();
    e.stopPropagation();
    acts[keys[e.key]]();
  }
  window.addEventListener("keydown", onKey, true);

  // A view beside the stepper can point at a node: a "gg-mark" event on the
  // stepper, with detail {node: its picture id} or {name: its name} (none: unmark).
  var picked = null;
  var idOfName = data.nodes || {};
  root.addEventListener("gg-mark", function (e) {
    var detail = e.detail || {};
    if (picked) { picked.classList.remove("gg-picked"); picked = null; }
    var id = detail.node || idOfName[detail.name];
    var el = id ? part(id) : null;
    if (el) { el.classList.add("gg-picked"); picked = el; }
  });
  root.tabIndex = 0;
  show(0);
})();
