// glassgrad's playground view: shows the frames that nn/play.py makes.
//
// One module for every host: the notebook widget (anywidget), the static
// site (a Web Worker running glassgrad in Pyodide) and exported replays.
// Each host hands render() a `model` with anywidget's small interface:
// get(name), set(name, value), save_changes(), on("change:name", f), off().
// The state it reads: setup (laid out once), frame (restyled every time),
// running, explanation, download (a replay page to save), and for a replay
// `replay`. What it writes: settings,
// running, request ({do: "step" | "reset" | "explain" | "export", ...}).
// It computes nothing about the network: Python decides what is shown, and
// writes every number it shows as text.

var NEGATIVE = [245, 147, 34];  // orange: class 0, negative values
var ZERO = [232, 234, 235];
var POSITIVE = [8, 119, 189];   // blue: class 1, positive values
// One colour per class: orange and blue as above, then green and purple.
var CLASS_COLOURS = [NEGATIVE, POSITIVE, [67, 160, 71], [142, 36, 170]];

var STYLE = [
  ".ggp { font-family: sans-serif; font-size: 14px; color: #263238; max-width: 980px; }",
  ".ggp button, .ggp select { min-height: 36px; font-size: 14px; padding: 4px 10px; cursor: pointer; }",
  ".ggp-bar, .ggp-controls { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 4px 0; }",
  ".ggp-controls label, .ggp-depth { display: inline-flex; gap: 4px; align-items: center; }",
  ".ggp-depth button { min-width: 36px; }",
  ".ggp-epoch { font-family: monospace; font-size: 16px; min-width: 9em; }",
  ".ggp-main { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }",
  ".ggp-net { position: relative; flex: 1 1 360px; min-width: 300px; max-width: 560px; }",
  ".ggp-net svg { position: absolute; left: 0; top: 0; pointer-events: none; }",
  ".ggp-neuron { position: absolute; border: 1px solid #90a4ae; image-rendering: auto; }",
  ".ggp-neuron-name { position: absolute; font-size: 11px; color: #455a64; text-align: center; }",
  ".ggp-layer-ctl { position: absolute; display: flex; gap: 2px; font-size: 12px; }",
  ".ggp-layer-ctl button { min-height: 28px; min-width: 28px; padding: 0; }",
  ".ggp-out { flex: 0 1 320px; min-width: 280px; }",
  ".ggp-figure { position: relative; max-width: 322px; }",
  ".ggp-tools { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; margin: 0 0 4px; max-width: 322px; }",
  ".ggp-tools button { min-height: 32px; padding: 2px 8px; }",
  ".ggp-tools button[aria-pressed=true] { background: #263238; color: #ffffff; }",
  ".ggp-csv { margin: 6px 0; max-width: 322px; }",
  ".ggp-csv textarea { width: 100%; box-sizing: border-box; min-height: 70px; font-family: monospace; font-size: 13px; }",
  ".ggp-plane { width: 100%; max-width: 320px; aspect-ratio: 1; display: block; cursor: crosshair; border: 1px solid #90a4ae; touch-action: manipulation; }",
  ".ggp-plane-key { width: 100%; max-width: 320px; display: block; font-size: 10px; }",
  ".ggp-plane-key text { fill: #37474f; }",
  ".ggp-plane-hint { position: absolute; left: 1px; right: 1px; top: 1px; padding: 3px 6px; background: rgba(255, 255, 255, 0.82); font-size: 13px; text-align: center; pointer-events: none; }",
  ".ggp-curves { width: 100%; max-width: 320px; display: block; margin-top: 6px; font-size: 10px; }",
  ".ggp-curves text { fill: #455a64; }",
  ".ggp-numbers { font-family: monospace; font-size: 13px; margin: 4px 0; }",
  ".ggp-rule { font-family: monospace; font-size: 13px; margin: 4px 0; color: #37474f; }",
  ".ggp-status { color: #b71c1c; margin: 4px 0; min-height: 1em; }",
  ".ggp-status[data-kind=warning] { color: #8a4b00; }",
  ".ggp-explain { margin-top: 10px; }",
  ".ggp-explain pre { background: #f5f7f8; padding: 6px; overflow-x: auto; font-size: 13px; }",
  ".ggp-hint { color: #546e7a; font-size: 13px; }",
  ".ggp-replay { flex: 1 1 200px; }",
  "@media (max-width: 600px) { .ggp button, .ggp select { min-height: 44px; } }"
].join("\n");

function mix(v) {  // a value in [-1, 1] to a colour
  var to = v < 0 ? NEGATIVE : POSITIVE, t = Math.min(1, Math.abs(v));
  return [0, 1, 2].map(function (i) { return Math.round(ZERO[i] + (to[i] - ZERO[i]) * t); });
}
var PALETTE = [];
for (var b = 0; b < 256; b++) { PALETTE.push(mix(b / 127.5 - 1)); }
// With more than two classes an output neuron's map is its class's probability:
// from no tint (0) to the class's colour (1).
function towards(colour, t) {
  return [0, 1, 2].map(function (i) { return Math.round(ZERO[i] + (colour[i] - ZERO[i]) * t); });
}
var CLASS_PALETTES = CLASS_COLOURS.map(function (colour) {
  var palette = [];
  for (var b = 0; b < 256; b++) { palette.push(towards(colour, Math.max(0, b / 127.5 - 1))); }
  return palette;
});

function decode(text) {
  var bytes = atob(text), out = new Uint8Array(bytes.length);
  for (var i = 0; i < bytes.length; i++) { out[i] = bytes.charCodeAt(i); }
  return out;
}

function element(tag, attrs, parent) {
  var el = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") { el.textContent = attrs[k]; } else { el.setAttribute(k, attrs[k]); }
  });
  if (parent) { parent.appendChild(el); }
  return el;
}

function svgElement(tag, attrs, parent) {
  var el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") { el.textContent = attrs[k]; } else { el.setAttribute(k, attrs[k]); }
  });
  if (parent) { parent.appendChild(el); }
  return el;
}

// The curve's box, in its own units: the plot, with room for the ticks' labels
// (loss on the left, accuracy on the right, epochs below) and the key under it.
var CURVE = { width: 320, height: 182, left: 34, right: 34, top: 10, plot: 110 };
var TRAIN = "#263238", TEST = "#90a4ae";
var MAX_CSV_BYTES = 1024 * 1024;  // nn.data.MAX_CSV_BYTES

function render(context) {
  var model = context.model, el = context.el;
  var root = element("div", { "class": "ggp" }, el);
  element("style", { text: STYLE }, root);
  var bar = element("div", { "class": "ggp-bar" }, root);
  var controls = element("div", { "class": "ggp-controls" }, root);
  var rule = element("div", { "class": "ggp-rule" }, root);
  var status = element("div", { "class": "ggp-status", role: "status" }, root);
  var main = element("div", { "class": "ggp-main" }, root);
  var net = element("div", { "class": "ggp-net" }, main);
  var out = element("div", { "class": "ggp-out" }, main);
  var tools = element("div", { "class": "ggp-tools" }, out);
  var figure = element("div", { "class": "ggp-figure" }, out);
  var plane = element("canvas", { "class": "ggp-plane", width: "320", height: "320" }, figure);
  var planeHint = element("div", { "class": "ggp-plane-hint", "aria-live": "polite" }, figure);
  var planeKey = svgElement("svg", { "class": "ggp-plane-key", viewBox: "0 0 320 62" }, figure);
  var numbers = element("div", { "class": "ggp-numbers" }, out);
  var curves = svgElement("svg", { "class": "ggp-curves", viewBox: "0 0 " + CURVE.width + " " +
    CURVE.height, role: "img" }, out);
  var explainBox = element("div", { "class": "ggp-explain" }, root);
  var replaying = !!model.get("replay");

  // The words of the view come from glassgrad's message catalogue, in the
  // language Python speaks (setup.words); a key with no text shows as itself.
  function t(key, fields) {
    var words = (model.get("setup") || {}).words || {};
    var template = words[key] === undefined ? key : words[key];
    return template.replace(/\{(\w*)\}/g, function (_, name) { return String((fields || {})[name]); });
  }

  // Elements whose words are set once and said again in a new language (a new
  // setup brings its words): [element, attribute ("" for the text), key, fields].
  var spoken = [];
  function say(el, attribute, key, fields) {
    spoken.push([el, attribute, key, fields]);
    sayAgain(spoken[spoken.length - 1]);
    return el;
  }
  function sayAgain(entry) {
    var words = t(entry[2], entry[3]);
    if (entry[1]) { entry[0].setAttribute(entry[1], words); } else { entry[0].textContent = words; }
  }

  function send(name, value) { model.set(name, value); model.save_changes(); }
  var requests = 0;
  function request(what) {
    what.n = ++requests;  // a new value every time, so that a repeat is a change too
    send("request", what);
  }

  // -- the bar: play, pause, step, reset, epoch --------------------------------
  // A button: its text and its label (title and aria-label) in words, or a sign
  // ("−", "+") as its text.
  function button(act, text, label, parent, fields) {
    var el = element("button", { type: "button", "data-act": act }, parent || bar);
    if (text.indexOf(".") > 0) { say(el, "", text); } else { el.textContent = text; }
    say(el, "title", label, fields); say(el, "aria-label", label, fields);
    return el;
  }
  // The same, for buttons made again at every layout or explanation (not kept in spoken).
  function buttonOnce(act, text, label, parent, fields) {
    var words = t(label, fields);
    return element("button", { type: "button", "data-act": act, title: words, "aria-label": words,
      text: text }, parent);
  }
  var play = button("play", "playground.button.play", "playground.label.play");
  var stepButton = button("step", "playground.button.step", "playground.label.step");
  var resetButton = button("reset", "playground.button.reset", "playground.label.reset");
  var explainButton = button("explain", "playground.button.explain", "playground.label.explain");
  var exportButton = button("export", "playground.button.export", "playground.label.export");
  var epoch = element("span", { "class": "ggp-epoch", "aria-live": "off" }, bar);
  var seek = null;
  if (replaying) {
    explainButton.remove();
    exportButton.remove();
    seek = say(element("input", { type: "range", "class": "ggp-replay", min: "0", value: "0" }, bar),
      "aria-label", "playground.label.seek");
    seek.addEventListener("input", function () {
      send("request", { do: "seek", at: parseInt(seek.value, 10) });
    });
  }
  play.addEventListener("click", function () { send("running", !model.get("running")); });
  stepButton.addEventListener("click", function () { request({ do: "step" }); });
  resetButton.addEventListener("click", function () { request({ do: "reset" }); });
  exportButton.addEventListener("click", function () { request({ do: "export" }); });
  explainButton.addEventListener("click", function () {
    request({ do: "explain", index: selected.index, split: selected.split });
  });

  // -- settings ----------------------------------------------------------------
  var selects = {};
  function changeSettings(changes) {
    var setup = model.get("setup");
    var settings = Object.assign({}, setup.settings, changes);
    // Only some datasets come in more than two classes: the others take two.
    if (setup.choices.multiclass_datasets.indexOf(settings.dataset) < 0) { settings.classes = 2; }
    send("settings", settings);
  }
  function choice(key, label, options, parse) {
    var wrap = element("label", {}, controls);
    say(wrap.appendChild(element("span", {})), "", label);
    var select = say(element("select", { "data-setting": key }, wrap), "aria-label", label);
    options.forEach(function (o) {
      var option = element("option", { value: String(o[0]) }, select);
      if (o[1].indexOf("playground.") === 0) { say(option, "", o[1]); } else { option.textContent = o[1]; }
    });
    select.addEventListener("change", function () {
      var changes = {}; changes[key] = parse(select.value); changeSettings(changes);
    });
    selects[key] = select;
  }
  function text(v) { return v; }
  function number(v) { return parseFloat(v); }
  var setup0 = model.get("setup");
  if (!replaying) {
    var choices = setup0.choices;
    choice("dataset", "playground.setting.dataset", choices.dataset.map(function (d) { return [d, d]; }), text);
    choice("classes", "playground.setting.classes", choices.classes.map(function (k) {
      return [k, String(k)]; }), function (v) { return parseInt(v, 10); });
    choice("noise", "playground.setting.noise", [0, 0.05, 0.1, 0.2, 0.3, 0.5].map(function (n) {
      return [n, String(n)]; }), number);
    choice("test_fraction", "playground.setting.test_fraction", [0.1, 0.2, 0.3, 0.5, 0.7].map(function (n) {
      return [n, Math.round(n * 100) + "%"]; }), number);
    choice("activation", "playground.setting.activation", choices.activation.map(function (a) {
      return [a, a]; }), text);
    choice("lr", "playground.setting.lr", choices.lr.map(function (r) { return [r, String(r)]; }), number);
    choice("optimizer", "playground.setting.optimizer", choices.optimizer.map(function (o) {
      return [o, o]; }), text);
    choice("batch_size", "playground.setting.batch_size", choices.batch_size.map(function (s) {
      return [s === null ? "all" : s, s === null ? "playground.setting.all" : String(s)]; }),
      function (v) { return v === "all" ? null : parseInt(v, 10); });
    choice("weight_decay", "playground.setting.weight_decay", choices.weight_decay.map(function (d) {
      return [d, String(d)]; }), number);
    choice("seed", "playground.setting.seed", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (s) {
      return [s, String(s)]; }), function (v) { return parseInt(v, 10); });
    var depth = element("span", { "class": "ggp-depth" }, controls);
    say(depth.appendChild(element("span", {})), "", "playground.setting.layers");
    button("fewer-layers", "−", "playground.label.fewer_layers", depth)
      .addEventListener("click", function () { relayer(-1); });
    button("more-layers", "+", "playground.label.more_layers", depth)
      .addEventListener("click", function () { relayer(1); });
  }

  // -- what a click or tap on the plane does: explain, or edit one's own points ----
  var tool = "explain";
  var toolButtons = {};
  var adders = null;  // the "+ class k" buttons, one per class (made again when that changes)
  function pick(name) {
    tool = name;
    Object.keys(toolButtons).forEach(function (k) {
      toolButtons[k].setAttribute("aria-pressed", String(k === tool));
    });
    showPlaneHint();
  }
  var TOOL_WORDS = { explain: "playground.tool.explain", move: "playground.tool.move",
    erase: "playground.tool.erase" };
  // A tool's button: "explain", "move", "erase", or "add0", "add1", ... (in ``parent``).
  function toolButton(name, parent) {
    var add = /^add(\d)$/.exec(name);
    var b = element("button", { type: "button", "data-tool": name,
      "aria-pressed": String(name === tool) }, parent || tools);
    if (add) { b.textContent = t("playground.tool.add", { k: add[1] }); } else { say(b, "", TOOL_WORDS[name]); }
    b.addEventListener("click", function () { pick(name); });
    toolButtons[name] = b;
    return b;
  }
  function makeAdders(classes) {
    Object.keys(toolButtons).forEach(function (k) { if (/^add/.test(k)) { delete toolButtons[k]; } });
    adders.innerHTML = "";
    for (var k = 0; k < classes; k++) { toolButton("add" + k, adders); }
    if (/^add/.test(tool) && !toolButtons[tool]) { pick("explain"); }
  }
  function makeTools() {
    say(tools.appendChild(element("span", {})), "", "playground.tool.label");
    toolButton("explain");
    adders = element("span", { "class": "ggp-adders" }, tools);
    toolButton("move"); toolButton("erase");
    // Points from CSV: pasted, or a file (read here, checked whole by Python).
    var box = out.insertBefore(element("details", { "class": "ggp-csv" }), numbers);
    say(box.appendChild(element("summary", {})), "", "playground.csv.summary");
    var area = say(element("textarea", { "data-csv": "text", spellcheck: "false",
      placeholder: "x1,x2,label\n0.5,-1.2,1" }, box), "aria-label", "playground.csv.label");
    var load = element("button", { type: "button", "data-act": "load-csv" }, box);
    say(load, "", "playground.csv.load");
    load.addEventListener("click", function () { request({ do: "csv", text: area.value }); });
    // The browser's own file button speaks the browser's language: ours speaks the page's.
    var file = element("input", { type: "file", accept: ".csv,text/csv,text/plain", "data-csv": "file",
      hidden: "" }, box);
    var choose = element("button", { type: "button", "data-act": "choose-csv" }, box);
    say(choose, "", "playground.csv.file");
    choose.addEventListener("click", function () { file.click(); });
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      file.value = "";
      if (!chosen) { return; }
      if (chosen.size > MAX_CSV_BYTES) {  // not even read: Python would refuse it too
        status.textContent = t("playground.csv.too_big");
        status.setAttribute("data-kind", "error");
        return;
      }
      chosen.text().then(function (content) { request({ do: "csv", text: content }); });
    });
  }

  if (!replaying) { makeTools(); }

  // -- the network: laid out once per setup, restyled every frame ---------------
  var layout = null;
  function layOut() {
    var setup = model.get("setup");
    net.innerHTML = "";
    var layers = setup.layers, r = setup.resolution;
    var width = Math.max(300, Math.min(560, net.clientWidth || 360));
    var cell = width < 420 ? 36 : 44;
    var columnGap = (width - cell) / (layers.length - 1);
    // A hidden layer's size: − and + above its column, in a row of their own,
    // so that no button ever covers a neuron's map, at any width.
    var controlsHeight = 0;
    if (!replaying) {
      layers.forEach(function (size, l) {
        if (l === 0 || l === layers.length - 1) { return; }
        var ctl = element("div", { "class": "ggp-layer-ctl" }, net);
        var minus = buttonOnce("fewer", "−", "playground.label.fewer", ctl, { layer: l });
        var plus = buttonOnce("more", "+", "playground.label.more", ctl, { layer: l });
        minus.addEventListener("click", function () { resize(l - 1, -1); });
        plus.addEventListener("click", function () { resize(l - 1, 1); });
        // Centred on the column, kept inside the box.
        var left = l * columnGap + cell / 2 - ctl.offsetWidth / 2;
        ctl.style.left = Math.max(0, Math.min(width - ctl.offsetWidth, left)) + "px";
        ctl.style.top = "0px";
        controlsHeight = Math.max(controlsHeight, ctl.offsetHeight);
      });
    }
    var top = controlsHeight + 8;
    var tallest = Math.max.apply(null, layers);
    var rowGap = cell + 14;
    var height = tallest * rowGap;
    net.style.height = (top + height) + "px";
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.style.top = top + "px";
    net.appendChild(svg);
    var centres = [], canvases = [];
    layers.forEach(function (size, l) {
      var x = l * columnGap;
      var offset = (tallest - size) * rowGap / 2;
      var column = [];
      for (var j = 0; j < size; j++) {
        var y = offset + j * rowGap;
        var canvas = element("canvas", { "class": "ggp-neuron", width: String(r), height: String(r),
          "data-layer": String(l), "data-neuron": String(j) }, net);
        canvas.style.left = x + "px"; canvas.style.top = (top + y) + "px";
        canvas.style.width = cell + "px"; canvas.style.height = cell + "px";
        var name = element("div", { "class": "ggp-neuron-name", text: setup.names[l][j] }, net);
        name.style.left = x + "px"; name.style.top = (top + y + cell) + "px";
        name.style.width = cell + "px";
        canvases.push(canvas);
        column.push([x + cell / 2, y + cell / 2]);  // in the svg's own coordinates
      }
      centres.push(column);
    });
    var edges = [];
    for (var l = 1; l < layers.length; l++) {
      var row = [];
      for (var j = 0; j < layers[l]; j++) {
        var from = [];
        for (var k = 0; k < layers[l - 1]; k++) {
          var a = centres[l - 1][k], b = centres[l][j];
          var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
          line.setAttribute("x1", a[0]); line.setAttribute("y1", a[1]);
          line.setAttribute("x2", b[0]); line.setAttribute("y2", b[1]);
          line.setAttribute("data-weight", "W" + l + "[" + j + "," + k + "]");
          svg.appendChild(line);
          from.push(line);
        }
        row.push(from);
      }
      edges.push(row);
    }
    // The inputs' maps never change.
    var inputs = decode(setup.input_maps);
    paint(canvases[0], inputs, 0, r); paint(canvases[1], inputs, r * r, r);
    layout = { setup: setup, canvases: canvases, edges: edges, r: r };
    if (!replaying) {
      Object.keys(selects).forEach(function (key) {
        var v = setup.settings[key];
        selects[key].value = v === null ? "all" : String(v);
      });
      // How many classes: offered where the dataset has a choice.
      var several = setup.choices.multiclass_datasets.indexOf(setup.settings.dataset) >= 0;
      selects.classes.parentNode.style.display = several ? "" : "none";
      makeAdders(setup.classes);
    }
    selected = { index: 0, split: "train" };
    spoken.forEach(sayAgain);  // the setup's words: a new language, perhaps
    showRunning();
    rule.textContent = setup.rule;
    drawPlaneKey();
    showPlaneHint();
    draw();
  }
  function resize(layer, delta) {
    var hidden = model.get("setup").settings.hidden.slice();
    hidden[layer] = Math.max(1, Math.min(model.get("setup").choices.max_neurons, hidden[layer] + delta));
    changeSettings({ hidden: hidden });
  }
  function relayer(delta) {
    var setup = model.get("setup"), hidden = setup.settings.hidden.slice();
    if (delta > 0 && hidden.length < setup.choices.max_layers) { hidden.push(hidden[hidden.length - 1]); }
    if (delta < 0 && hidden.length > 1) { hidden.pop(); }
    changeSettings({ hidden: hidden });
  }

  function paint(canvas, bytes, start, r, palette) {
    var context = canvas.getContext("2d");
    var image = context.createImageData(r, r);
    palette = palette || PALETTE;
    for (var i = 0; i < r * r; i++) {
      var c = palette[bytes[start + i]];
      image.data[4 * i] = c[0]; image.data[4 * i + 1] = c[1];
      image.data[4 * i + 2] = c[2]; image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  // -- the plane: boundary and points -------------------------------------------
  var small = document.createElement("canvas");
  var selected = { index: 0, split: "train" };
  function toPixel(p, setup) {
    var e = setup.extent, size = plane.width;
    return [(p[0] - e[0]) / (e[1] - e[0]) * size, (e[3] - p[1]) / (e[3] - e[2]) * size];
  }
  // The plane's key: the colour of each class, train and test points, and
  // what the tint says: the predicted probability ŷ of class 1, 0 to 1.
  function drawPlaneKey() {
    var setup = model.get("setup");
    planeKey.textContent = "";
    plane.setAttribute("aria-label", t("playground.plane.label"));
    function rgb(c) { return "rgb(" + c.join(",") + ")"; }
    var several = setup.classes > 2;
    // Two classes: "class 0 (y = 0)", "class 1 (y = 1)"; more: "class k", closer together.
    var spacing = several ? 58 : 86, classes = several ? setup.classes : 2;
    var two = ["playground.plane.class0", "playground.plane.class1"];
    for (var k = 0; k < classes; k++) {
      svgElement("circle", { cx: 10 + spacing * k, cy: 10, r: 4.5, fill: rgb(CLASS_COLOURS[k]),
        stroke: "#ffffff", "class": "ggp-class", "data-class": String(k) }, planeKey);
      svgElement("text", { x: 18 + spacing * k, y: 13.5,
        text: several ? t("playground.plane.class", { k: k }) : t(two[k]) }, planeKey);
    }
    // Then train and test: after the classes, closer together when there are more.
    var train = several ? 10 + spacing * classes : 182, test = train + (several ? 52 : 70);
    svgElement("circle", { cx: train, cy: 10, r: 4, fill: "#78909c", stroke: "#263238" }, planeKey);
    svgElement("text", { x: train + 8, y: 13.5, text: t("playground.plane.train") }, planeKey);
    svgElement("circle", { cx: test, cy: 10, r: 4, fill: "#ffffff", stroke: "#78909c",
      "stroke-width": 2 }, planeKey);
    svgElement("text", { x: test + 8, y: 13.5, text: t("playground.plane.test") }, planeKey);
    // The tint: the same colours the plane is painted with: ŷ from 0 to 1 for two
    // classes; for more, each class's colour (a stripe each) from unsure to sure.
    var defs = svgElement("defs", {}, planeKey);
    var id = "ggp-tint-" + Math.random().toString(36).slice(2);
    var stripes = several ? CLASS_COLOURS.slice(0, classes) : [null];
    stripes.forEach(function (colour, s) {
      var gradient = svgElement("linearGradient", { id: id + s }, defs);
      for (var i = 0; i <= 8; i++) {
        var c = colour ? towards(colour, i / 8) : mix(i / 4 - 1);
        svgElement("stop", { offset: String(i / 8), "stop-color": rgb(c) }, gradient);
      }
      svgElement("rect", { x: 8, y: 26 + 9 * s / stripes.length, width: 120, height: 9 / stripes.length,
        fill: "url(#" + id + s + ")", stroke: "none" }, planeKey);
    });
    svgElement("rect", { x: 8, y: 26, width: 120, height: 9, fill: "none",
      stroke: "#90a4ae", "class": "ggp-tint" }, planeKey);
    setup.probability_ticks.forEach(function (k) {
      svgElement("text", { x: 8 + 120 * k[0], y: 46, "text-anchor": "middle", "class": "ggp-tint-tick",
        "data-value": String(k[0]), text: k[1] }, planeKey);
    });
    var words = several
      ? ["playground.plane.classes_tint", "playground.plane.classes_tint_more",
        "playground.plane.classes_boundary"]
      : ["playground.plane.tint", "playground.plane.tint_more", "playground.plane.boundary"];
    svgElement("text", { x: 136, y: 34, text: t(words[0]) }, planeKey);
    svgElement("text", { x: 136, y: 47, text: t(words[1]) }, planeKey);
    svgElement("text", { x: 8, y: 59, text: t(words[2]) }, planeKey);
  }

  // When paused, say on the plane that a point can be explained (not in a replay,
  // which has no Python to explain with).
  function showPlaneHint() {
    var paused = !model.get("running") && !replaying;
    var hints = { explain: t("playground.plane.hint"), move: t("playground.tool.move_hint"),
      erase: t("playground.tool.erase_hint") };
    var add = /^add(\d)$/.exec(tool);
    if (add) { hints[tool] = t("playground.tool.add_hint", { k: add[1] }); }
    var shown = paused || tool !== "explain";
    planeHint.textContent = shown ? hints[tool] : "";
    planeHint.style.display = shown ? "" : "none";
  }

  function drawPlane(maps) {
    var setup = layout.setup, r = layout.r, ctx = plane.getContext("2d");
    var last = setup.layers.reduce(function (a, b) { return a + b; }, 0) - setup.layers[0] - 1;
    small.width = r; small.height = r;
    var painted = (model.get("frame") || {}).plane;
    if (setup.classes > 2 && painted) {
      // Each point of the grid: the likeliest class's colour, as strong as it is sure.
      var bytes = decode(painted), context = small.getContext("2d");
      var image = context.createImageData(r, r);
      for (var i = 0; i < r * r; i++) {
        var c = towards(CLASS_COLOURS[bytes[2 * i]], bytes[2 * i + 1] / 255);
        image.data[4 * i] = c[0]; image.data[4 * i + 1] = c[1];
        image.data[4 * i + 2] = c[2]; image.data[4 * i + 3] = 255;
      }
      context.putImageData(image, 0, 0);
    } else {
      paint(small, maps, last * r * r, r);
    }
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, plane.width, plane.height);
    [["test", "#263238", false], ["train", "#ffffff", true]].forEach(function (kind) {
      var points = setup[kind[0]];
      points.x.forEach(function (p, i) {
        var xy = toPixel(p, setup), c = CLASS_COLOURS[Math.round(points.y[i])] || POSITIVE;
        ctx.beginPath();
        ctx.arc(xy[0], xy[1], 4, 0, 2 * Math.PI);
        ctx.fillStyle = kind[2] ? "rgb(" + c.join(",") + ")" : "rgba(255,255,255,0.7)";
        ctx.strokeStyle = kind[2] ? kind[1] : "rgb(" + c.join(",") + ")";
        ctx.lineWidth = kind[2] ? 1 : 2;
        ctx.fill(); ctx.stroke();
      });
    });
    var p = setup[selected.split].x[selected.index];
    if (p) {
      var xy = toPixel(p, setup);
      ctx.beginPath(); ctx.arc(xy[0], xy[1], 8, 0, 2 * Math.PI);
      ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.stroke();
    }
  }
  // A click, or a tap on a phone (pointer events serve both): the nearest point
  // within reach is explained. A finger is wider than a mouse's pointer; a
  // press that moves (a scroll) is no tap.
  var pressed = null;
  function onPlane(event) {  // the pointer in the canvas's pixels
    var box = plane.getBoundingClientRect(), scale = plane.width / box.width;
    return { x: (event.clientX - box.left) * scale, y: (event.clientY - box.top) * scale,
      reach: (event.pointerType === "touch" ? 24 : 14) * scale };
  }
  function toData(at) {  // canvas pixels to the plane's x1, x2
    var e = layout.setup.extent, size = plane.width;
    return [e[0] + at.x / size * (e[1] - e[0]), e[3] - at.y / size * (e[3] - e[2])];
  }
  function nearest(at) {
    var best = null;
    ["train", "test"].forEach(function (split) {
      layout.setup[split].x.forEach(function (p, i) {
        var xy = toPixel(p, layout.setup), d = Math.hypot(xy[0] - at.x, xy[1] - at.y);
        if (!best || d < best.d) { best = { d: d, index: i, split: split }; }
      });
    });
    return best && best.d < at.reach ? best : null;
  }
  plane.addEventListener("pointerdown", function (event) {
    pressed = { x: event.clientX, y: event.clientY, point: null };
    if (layout && !replaying && tool === "move") {
      pressed.point = nearest(onPlane(event));
      if (pressed.point) { plane.setPointerCapture(event.pointerId); event.preventDefault(); }
    }
  });
  plane.addEventListener("pointermove", function (event) {
    if (!pressed || !pressed.point) { return; }
    // Dragging: the point follows the pointer here; Python hears of it on release.
    layout.setup[pressed.point.split].x[pressed.point.index] = toData(onPlane(event));
    drawPlane(decode(model.get("frame").maps));
  });
  plane.addEventListener("pointerup", function (event) {
    var start = pressed;
    pressed = null;
    if (!layout || replaying || !start) { return; }
    var at = onPlane(event);
    if (tool === "move") {
      if (start.point) {
        request({ do: "move", split: start.point.split, index: start.point.index, x: toData(at) });
      }
      return;
    }
    if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > 10) { return; }  // a scroll
    var add = /^add(\d)$/.exec(tool);
    if (add) {
      request({ do: "add", x: toData(at), label: parseInt(add[1], 10) });
      return;
    }
    var best = nearest(at);
    if (!best) { return; }
    if (tool === "erase") {
      request({ do: "erase", split: best.split, index: best.index });
    } else {
      selected = { index: best.index, split: best.split };
      request({ do: "explain", index: best.index, split: best.split });
    }
  });
  plane.addEventListener("pointercancel", function () { pressed = null; });

  // The curve: loss (solid) and accuracy (dashed) by epoch, train and test, on
  // the axes Python chose (frame.axes: each one's range, scale and labelled ticks).
  function drawCurves(frame) {
    var c = frame.curves, axes = frame.axes, C = CURVE;
    var right = C.width - C.right, bottom = C.top + C.plot;
    function place(axis, v, from, to) {
      var lo = axis.range[0], hi = axis.range[1];
      var at = axis.scale === "log"
        ? (Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))
        : (v - lo) / ((hi - lo) || 1);
      return from + (to - from) * Math.max(0, Math.min(1, at));
    }
    function x(e) { return place(axes.epoch, e, C.left, right); }
    function yLoss(v) { return place(axes.loss, v, bottom, C.top); }
    function yAccuracy(v) { return place(axes.accuracy, v, bottom, C.top); }
    curves.textContent = "";
    curves.setAttribute("aria-label", t("playground.curve.label"));
    curves.setAttribute("data-loss-scale", axes.loss.scale);
    svgElement("rect", { x: C.left, y: C.top, width: right - C.left, height: C.plot,
      fill: "none", stroke: "#b0bec5" }, curves);
    function tick(axis, name, v, label) {
      var attrs = { "class": "ggp-tick", "data-axis": name, "data-value": String(v), text: label };
      if (name === "epoch") {
        var at = x(v);
        svgElement("line", { x1: at, x2: at, y1: bottom, y2: bottom + 3, stroke: "#78909c" }, curves);
        Object.assign(attrs, { x: at, y: bottom + 13, "text-anchor": "middle" });
      } else {
        var y = name === "loss" ? yLoss(v) : yAccuracy(v), left = name === "loss";
        svgElement("line", { x1: left ? C.left - 3 : right, x2: left ? C.left : right + 3,
          y1: y, y2: y, stroke: "#78909c" }, curves);
        Object.assign(attrs, { x: left ? C.left - 5 : right + 5, y: y + 3.5,
          "text-anchor": left ? "end" : "start" });
      }
      svgElement("text", attrs, curves);
    }
    axes.epoch.ticks.forEach(function (k) { tick(axes.epoch, "epoch", k[0], k[1]); });
    axes.loss.ticks.forEach(function (k) { tick(axes.loss, "loss", k[0], k[1]); });
    axes.accuracy.ticks.forEach(function (k) { tick(axes.accuracy, "accuracy", k[0], k[1]); });
    svgElement("text", { x: right, y: bottom + 24, "text-anchor": "end",
      text: t("playground.curve.epoch") }, curves);
    // Test first, so that train is drawn over it.
    var lines = [
      ["test_loss", TEST, "", yLoss], ["train_loss", TRAIN, "", yLoss],
      ["test_accuracy", TEST, "4 3", yAccuracy], ["train_accuracy", TRAIN, "4 3", yAccuracy]
    ];
    lines.forEach(function (line) {
      var points = c[line[0]].map(function (v, i) {
        return x(c.epoch[i]).toFixed(1) + "," + line[3](v).toFixed(1);
      });
      if (points.length === 1) { points.push(points[0]); }  // one epoch: a dot
      svgElement("polyline", { points: points.join(" "), fill: "none", stroke: line[1],
        "stroke-width": line[2] ? 1 : 1.5, "stroke-dasharray": line[2] || "none",
        "stroke-linecap": "round", "data-curve": line[0] }, curves);
    });
    // The key: which line is which.
    var key = [["train_loss", TRAIN, "", t("playground.curve.train_loss")],
      ["test_loss", TEST, "", t("playground.curve.test_loss")],
      ["train_accuracy", TRAIN, "4 3", t("playground.curve.train_accuracy")],
      ["test_accuracy", TEST, "4 3", t("playground.curve.test_accuracy")]];
    key.forEach(function (entry, i) {
      var kx = C.left + (i % 2) * 130, ky = bottom + 36 + Math.floor(i / 2) * 14;
      svgElement("line", { x1: kx, x2: kx + 18, y1: ky - 3.5, y2: ky - 3.5, stroke: entry[1],
        "stroke-width": entry[2] ? 1 : 1.5, "stroke-dasharray": entry[2] || "none" }, curves);
      svgElement("text", { x: kx + 22, y: ky, "class": "ggp-key", "data-curve": entry[0],
        text: entry[3] }, curves);
    });
  }

  function draw() {
    var frame = model.get("frame");
    if (!layout || !frame || !frame.maps) { return; }
    var maps = decode(frame.maps), r = layout.r, setup = layout.setup;
    var neurons = setup.layers.reduce(function (a, b) { return a + b; }, 0) - setup.layers[0];
    if (maps.length !== neurons * r * r) { return; }  // a frame of the network before
    var outputs = setup.layers[setup.layers.length - 1];
    for (var n = 0; n < layout.canvases.length - setup.layers[0]; n++) {
      var output = n - (neurons - outputs);  // the class of an output neuron, else < 0
      paint(layout.canvases[setup.layers[0] + n], maps, n * r * r, r,
        setup.classes > 2 && output >= 0 ? CLASS_PALETTES[output] : PALETTE);
    }
    var largest = 0;
    frame.weights.forEach(function (layer) { layer.forEach(function (row) {
      row.forEach(function (w) { largest = Math.max(largest, Math.abs(w)); }); }); });
    frame.weights.forEach(function (layer, l) { layer.forEach(function (row, j) {
      row.forEach(function (w, k) {
        var line = layout.edges[l][j][k], c = mix(largest ? w / largest : 0);
        line.setAttribute("stroke", "rgb(" + c.join(",") + ")");
        line.setAttribute("stroke-width", String(0.5 + 5 * Math.abs(w) / (largest || 1)));
        line.setAttribute("data-value", String(w));
      }); }); });
    drawPlane(maps);
    drawCurves(frame);
    epoch.textContent = t("playground.epoch", { epoch: frame.epoch });
    root.setAttribute("data-epoch", String(frame.epoch));
    numbers.textContent = frame.summary;
    // An error (training stopped) or a warning (training goes on, but has not learned).
    status.textContent = frame.status || frame.warning || "";
    status.setAttribute("data-kind", frame.status ? "error" : frame.warning ? "warning" : "");
    if (seek) {
      var replay = model.get("replay");
      seek.max = String(replay.frames - 1); seek.value = String(replay.at);
    }
  }

  function showRunning() {
    var running = !!model.get("running");
    play.textContent = running ? t("playground.button.pause") : t("playground.button.play");
    root.setAttribute("data-running", running ? "1" : "0");
    showPlaneHint();
    if (running && explainBox.childNodes.length) { explain(); }
  }

  // -- explain: the stepper made in Python, shown as it is -----------------------
  function explain() {
    var e = model.get("explanation") || {};
    explainBox.innerHTML = "";
    explainBox.removeAttribute("data-explained");
    if (e.index === undefined) { return; }
    selected = { index: e.index, split: e.split };
    drawPlane(decode(model.get("frame").maps));
    var head = element("div", { "class": "ggp-bar" }, explainBox);
    element("b", { text: e.title }, head);
    var resume = buttonOnce("resume", t("playground.button.resume"), "playground.label.resume", head);
    resume.addEventListener("click", function () { send("running", true); });
    var close = buttonOnce("close", t("playground.button.close"), "playground.label.close", head);
    close.addEventListener("click", function () { explainBox.innerHTML = ""; });
    element("div", { "class": "ggp-hint", text: t("playground.explain.about") }, explainBox);
    if (e.note) { element("div", { "class": "ggp-hint", text: e.note }, explainBox); }
    if (e.stepper) {
      var holder = element("div", {}, explainBox);
      holder.innerHTML = e.stepper;
      // Scripts set through innerHTML do not run: run the stepper's own script.
      holder.querySelectorAll("script:not([type])").forEach(function (old) {
        var script = document.createElement("script");
        script.textContent = old.textContent;
        old.replaceWith(script);
      });
    } else {
      element("pre", { text: e.text }, explainBox);
    }
    explainBox.setAttribute("data-explained", JSON.stringify({ x: e.x, y: e.y, grads: e.grads,
      weights: e.weights, split: e.split, index: e.index }));
    if (explainBox.scrollIntoView) { explainBox.scrollIntoView({ block: "nearest" }); }
  }

  // A replay page to save: the browser downloads it (in the site and in a notebook).
  function download() {
    var d = model.get("download");
    if (!d || !d.html) { return; }
    var link = element("a", { download: d.name }, root);
    link.href = URL.createObjectURL(new Blob([d.html], { type: "text/html" }));
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  var handlers = {
    "change:download": download,
    "change:setup": layOut,
    "change:frame": draw,
    "change:running": showRunning,
    "change:explanation": explain
  };
  Object.keys(handlers).forEach(function (event) { model.on(event, handlers[event]); });
  layOut();
  showRunning();
  explain();
  return function () {
    Object.keys(handlers).forEach(function (event) { model.off(event, handlers[event]); });
  };
}

export default { render };
