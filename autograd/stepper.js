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
  // Every word a learner reads comes from the page's message catalogue (made
  // in Python, in the page's language); {name} fields are filled in here.
  var words = data.words || {};
  function say(key, fields) {
    var t = words[key] === undefined ? key : words[key];
    return t.replace(/\{(\w*)\}/g, function (_, name) { return String((fields || {})[name]); });
  }

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
  button("first", "|◀", say("stepper.button.first"));
  button("prev", "◀", say("stepper.button.previous"));
  var PLAY = say("stepper.play"), PAUSE = say("stepper.pause");
  var playButton = button("play", "", say("stepper.button.play_pause"));
  var play = steady(playButton, [PLAY, PAUSE]);
  play.textContent = PLAY;
  button("next", "▶", say("stepper.button.next"));
  button("last", "▶|", say("stepper.button.last"));
  var slider = document.createElement("input");
  slider.type = "range"; slider.className = "gg-slider"; slider.min = "0";
  slider.max = String(last); slider.value = "0"; slider.setAttribute("aria-label", say("stepper.slider"));
  ui.appendChild(slider);
  var countBox = document.createElement("span");
  countBox.className = "gg-count";
  ui.appendChild(countBox);
  var count = steady(countBox, frames.map(function (f, i) { return (i + 1) + " / " + frames.length; }));
  var speed = document.createElement("select");
  speed.setAttribute("aria-label", say("stepper.speed"));
  [["0.5", "slow"], ["1", "normal"], ["2", "fast"], ["4", "fastest"]].forEach(function (o) {
    var option = document.createElement("option");
    option.value = o[0]; option.textContent = say("stepper.speed." + o[1]); speed.appendChild(option);
  });
  speed.value = "1";
  ui.appendChild(speed);
  if (svg) {
    button("zoom-out", "−", say("stepper.zoom_out"));
    button("fit", say("stepper.fit"), say("stepper.fit_label"));
    button("zoom-in", "+", say("stepper.zoom_in"));
  }

  var now = root.querySelector(".gg-now");
  now.innerHTML = '<div class="gg-phase"></div><div class="gg-formula"></div>';
  if (svg) {
    // The key: "{active}: …; {marked}: …", each colour's name in its own colour.
    var legend = document.createElement("div");
    legend.className = "gg-legend";
    say("stepper.legend", { active: "\u0000a", marked: "\u0000m" }).split(/\u0000/).forEach(
      function (piece, i) {
        if (i > 0) {
          var colour = document.createElement("b");
          colour.className = piece[0];
          colour.textContent = say(piece[0] === "a" ? "stepper.orange" : "stepper.purple");
          legend.appendChild(colour);
          piece = piece.slice(1);
        }
        legend.appendChild(document.createTextNode(piece));
      });
    now.appendChild(legend);
  }
  var FORWARD = say("stepper.phase.forward"), BACKWARD = say("stepper.phase.backward");
  var phase = steady(now.querySelector(".gg-phase"), [FORWARD, BACKWARD]);
  var formulaTexts = frames.map(function (f) { return f.text; });
  frames.forEach(function (f) { if (f.quiz) { formulaTexts.push(f.quiz.masked); } });
  var formula = steady(now.querySelector(".gg-formula"), formulaTexts);
  var note = root.querySelector(".gg-nojs");
  if (note) { note.remove(); }
  var all = root.querySelector(".gg-all");
  if (all) { all.open = false; }
  var rows = [];
  root.querySelectorAll(".gg-panel").forEach(function (panel) {
    rows.push(panel.querySelectorAll("tr"));
  });

  // The quiz: before a step that asks something (frame.quiz, made in Python
  // from the engine's own numbers), the page shows the picture as it was
  // before the step and the step's text with its numbers hidden, and waits
  // for the learner's numbers. A switch turns it on and off.
  var quiz = (function () {
    var Q = data.quiz || { start: {}, tolerance: [0.001, 0.001], stated: "" };
    var asked = frames.map(function (f) { return f.quiz; });
    var most = Math.max.apply(null, [1].concat(asked.map(function (q) {
      return q ? q.questions.length : 0;
    })));
    var results = [];
    var self = { on: !!Q.on, forward: !!Q.forward, start: Q.start };
    function asks(i) {
      var q = asked[i];
      return self.on && q && (frames[i].phase === "backward" || self.forward) ? q : null;
    }
    self.pending = function (i) { return !!asks(i) && !(results[i] && results[i].done); };

    // The switches, under the step controls.
    var bar = document.createElement("div");
    bar.className = "gg-quizbar";
    ui.parentNode.insertBefore(bar, ui.nextSibling);
    function toggle(text, checked, cls) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = checked; box.className = cls;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + text));
      bar.appendChild(label);
      return box;
    }
    var onBox = toggle(say("quiz.toggle"), self.on, "gg-quiz-on");
    var forwardBox = toggle(say("quiz.forward"), self.forward, "gg-quiz-forward");
    var scoreBox = document.createElement("span");
    scoreBox.className = "gg-score";
    bar.appendChild(scoreBox);
    var score = steady(scoreBox, [
      say("quiz.score", { right: 888, asked: 888 }), say("quiz.finished", { right: 888, total: 888 })
    ]);

    // The questions' box: as tall on every step (its longest texts are there
    // unseen), so the picture below never moves.
    var box = root.querySelector(".gg-quiz");
    box.innerHTML = '<div class="gg-q-ask"></div><div class="gg-q-rows"></div>' +
      '<div class="gg-q-buttons"></div><div class="gg-q-feedback"></div>' +
      '<div class="gg-q-rule"></div><div class="gg-q-hint"></div>' +
      '<div class="gg-q-tolerance"></div>';
    var askLine = steady(box.querySelector(".gg-q-ask"), [say("quiz.ask"), say("quiz.no_question")]);
    box.querySelector(".gg-q-tolerance").textContent = Q.stated;
    var labels = [], rules = [], hints = [];
    asked.forEach(function (q) {
      if (!q) { return; }
      rules.push(q.rule);
      hints.push(q.questions.map(function (x) { return say("quiz.hint", { hint: x.hint }); }).join("\n"));
      q.questions.forEach(function (x) { labels.push(x.label); });
    });
    var rows = [];
    for (var k = 0; k < most; k++) {
      var row = document.createElement("label");
      row.className = "gg-q-row";
      var labelBox = document.createElement("span");
      labelBox.className = "gg-q-label";
      row.appendChild(labelBox);
      var input = document.createElement("input");
      input.type = "text"; input.className = "gg-q-input";
      input.setAttribute("inputmode", "decimal"); input.setAttribute("autocomplete", "off");
      row.appendChild(input);
      var markBox = document.createElement("span");
      markBox.className = "gg-q-mark";
      row.appendChild(markBox);
      box.querySelector(".gg-q-rows").appendChild(row);
      rows.push({
        el: row, input: input,
        label: steady(labelBox, labels.length ? labels : [""]),
        mark: steady(markBox, [say("quiz.right"), say("quiz.wrong", { given: "−0.000000000" })])
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); check(); }
      });
    }
    var buttons = box.querySelector(".gg-q-buttons");
    [["check", say("quiz.check")], ["reveal", say("quiz.reveal")]].forEach(function (b) {
      var el = document.createElement("button");
      el.type = "button"; el.textContent = b[1]; el.setAttribute("data-quiz", b[0]);
      buttons.appendChild(el);
    });
    buttons.addEventListener("click", function (e) {
      var target = e.target.closest("[data-quiz]");
      if (target) { (target.getAttribute("data-quiz") === "check" ? check : reveal)(); }
    });
    var feedback = steady(box.querySelector(".gg-q-feedback"),
      [say("quiz.all_right"), say("quiz.not_yet"), say("quiz.revealed")]);
    var rule = steady(box.querySelector(".gg-q-rule"), rules.length ? rules : [""]);
    var hint = steady(box.querySelector(".gg-q-hint"), hints.length ? hints : [""]);

    // A number as a learner types it: "−2" and "-2" alike.
    function number(text) {
      var plain = text.replace(/[\u2212\u2013\uff0d]/g, "-").replace(/\s+/g, "");
      return plain === "" || !/^[-+0-9.eE]+$/.test(plain) ? NaN : Number(plain);
    }
    // The same check as Python's autograd.quiz.is_right.
    function right(given, answer) {
      if (!isFinite(given)) { return false; }
      var d = Math.abs(given - answer);
      return d <= Q.tolerance[0] || d <= Q.tolerance[1] * Math.abs(answer);
    }
    function resultOf(i) {
      var n = asked[i].questions.length;
      if (!results[i]) {
        results[i] = { tries: [], right: [], first: [], given: [], done: false, shown: false,
          checked: false };
        for (var k = 0; k < n; k++) {
          results[i].tries.push(0); results[i].right.push(false);
          results[i].first.push(false); results[i].given.push("");
        }
      }
      return results[i];
    }
    function check() {
      var q = asks(current);
      if (!q || !self.pending(current)) { return; }
      var r = resultOf(current), any = false;
      q.questions.forEach(function (x, k) {
        var typed = rows[k].input.value.trim();
        if (r.right[k] || typed === "") { return; }
        any = true;
        r.tries[k] += 1;
        r.given[k] = typed;
        if (right(number(typed), x.answer)) {
          r.right[k] = true;
          r.first[k] = r.tries[k] === 1;
        }
      });
      if (!any) { self.focus(); return; }
      r.checked = true;
      r.done = r.right.every(Boolean);
      show(current);
      if (!r.done) { self.focus(); }
    }
    function reveal() {
      if (!asks(current) || !self.pending(current)) { return; }
      var r = resultOf(current);
      r.shown = true; r.done = true;
      show(current);
    }
    self.focus = function () {
      var r = results[current];
      for (var k = 0; k < rows.length; k++) {
        if (rows[k].el.style.visibility !== "hidden" && !(r && r.right[k])) {
          rows[k].input.focus(); return;
        }
      }
    };
    self.render = function () {
      bar.classList.toggle("gg-quiz-off", !self.on);
      box.style.display = self.on ? "" : "none";
      var rightCount = 0, askedCount = 0, left = 0;
      asked.forEach(function (q, i) {
        if (!asks(i)) { return; }
        var r = results[i];
        if (r && r.done) {
          askedCount += q.questions.length;
          r.first.forEach(function (f) { if (f) { rightCount += 1; } });
        } else { left += 1; }
      });
      score.textContent = !self.on ? "" : left === 0
        ? say("quiz.finished", { right: rightCount, total: askedCount })
        : say("quiz.score", { right: rightCount, asked: askedCount });
      root.setAttribute("data-score", self.on ? rightCount + "/" + askedCount : "");
      root.setAttribute("data-finished", self.on && left === 0 ? "1" : "0");
      if (!self.on) { return; }
      var q = asks(current), r = q ? results[current] : null;
      var waiting = !!q && !(r && r.done);
      askLine.textContent = waiting ? say("quiz.ask") : q ? "" : say("quiz.no_question");
      buttons.style.visibility = waiting ? "visible" : "hidden";
      rows.forEach(function (row, k) {
        var x = q && q.questions[k];
        row.el.style.visibility = x ? "visible" : "hidden";
        if (!x) { row.input.value = ""; row.mark.textContent = ""; return; }
        row.label.textContent = x.label;
        var solved = r && (r.right[k] || r.shown);
        row.input.value = !r ? "" : r.right[k] ? r.given[k] : r.shown ? x.shown : r.given[k];
        row.input.disabled = !!solved || !waiting;
        row.input.setAttribute("aria-label", x.label);
        row.mark.textContent = !r || !r.tries[k] ? "" : r.right[k] ? say("quiz.right")
          : say("quiz.wrong", { given: r.given[k].slice(0, 12) });
        row.el.classList.toggle("gg-q-right", !!(r && r.right[k]));
        row.el.classList.toggle("gg-q-wrong", !!(r && r.tries[k] && !r.right[k]));
      });
      feedback.textContent = !r || !(r.checked || r.shown) ? "" : r.shown ? say("quiz.revealed")
        : r.done ? say("quiz.all_right") : say("quiz.not_yet");
      rule.textContent = r && r.done ? q.rule : "";
      hint.textContent = !waiting || !r ? "" : q.questions.map(function (x, k) {
        return !r.right[k] && r.tries[k] >= 2 ? say("quiz.hint", { hint: x.hint }) : "";
      }).filter(Boolean).join("\n");
    };
    function restart() {
      self.on = onBox.checked; self.forward = forwardBox.checked;
      results = [];
      stop();
      show(0);
    }
    onBox.addEventListener("change", restart);
    forwardBox.addEventListener("change", restart);
    var fallback = root.querySelector(".gg-quiz-nojs");
    if (fallback) { fallback.remove(); }
    return self;
  })();

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
    // In quiz mode the pass stops at the first step still waiting for answers.
    for (var j = 0; quiz.on && j < current; j++) {
      if (quiz.pending(j)) { current = j; break; }
    }
    var frame = frames[current];
    var asking = quiz.pending(current);
    // While asking, the picture shows the pass as it was before this step.
    var before = current ? frames[current - 1] : { boxes: quiz.start, fills: {} };
    var shownBoxes = asking ? before.boxes : frame.boxes;
    var shownFills = asking ? before.fills : frame.fills;
    Object.keys(shownBoxes).forEach(function (id) {
      var box = boxes[id];
      if (!box) { return; }
      var lines = shownBoxes[id];
      for (var k = 0; k < box.texts.length && k < lines.length; k++) {
        box.texts[k].textContent = lines[k];
      }
      if (box.shape) { box.shape.setAttribute("fill", shownFills[id] || "#ffffff"); }
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
    formula.textContent = asking ? frame.quiz.masked : frame.text;
    phase.textContent = frame.phase === "forward" ? FORWARD : BACKWARD;
    root.setAttribute("data-current", String(current));
    root.setAttribute("data-asking", asking ? "1" : "0");
    quiz.render();
    // For views beside the stepper (a panel of matrices, say): which frame, which node.
    root.dispatchEvent(new CustomEvent("gg-frame", { detail: {
      index: current, phase: frame.phase, node: frame.node, name: frame.name, asking: asking
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
      if (quiz.pending(current)) { stop(); quiz.focus(); }
    }, 1200 / parseFloat(speed.value));
  }
  var acts = {
    first: function () { stop(); show(0); },
    prev: function () { stop(); show(current - 1); },
    next: function () {
      stop();
      show(current + 1);
      if (quiz.pending(current)) { quiz.focus(); }
    },
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
    if (e.target.tagName === "INPUT" && e.target.type !== "range") { return; }  // typing
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
