// The site's Web Worker: glassgrad itself (pure Python) running in Pyodide.
// Training runs here, so the page never freezes; the page sends what the
// learner does and gets back the state to show (see nn/play.py's Session).
// Everything is loaded from this site's own folder.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { instance as graphviz } from "./viz/viz.js";

const started = performance.now();
let session = null;
let running = false;
const yielder = new MessageChannel();  // a zero-delay pause between frames

// The interpreter's memory saved at build time, right after Python started
// (web/src/snapshot.mjs): starting from it skips Python's own start-up.
async function snapshot() {
  const response = await fetch("./pyodide/snapshot.bin.gz");
  if (!response.ok) { return undefined; }
  const memory = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(memory).arrayBuffer());
}

async function python() {
  const indexURL = new URL("./pyodide/", import.meta.url).href;
  const memory = await snapshot().catch(() => undefined);
  if (memory) {
    try {
      return await loadPyodide({ indexURL: indexURL, _loadSnapshot: memory });
    } catch (error) {
      console.warn("starting Python without its snapshot: " + error);
    }
  }
  return loadPyodide({ indexURL: indexURL });
}

async function boot() {
  const marks = {};
  const mark = (name) => (x) => { marks[name] = performance.now() - started; return x; };
  const [pyodide, viz, wheels] = await Promise.all([
    python().then(mark("pyodide")),
    graphviz().then(mark("graphviz")),
    fetch("./wheels/wheels.json").then((r) => r.json()),
  ]);
  // The wheels (glassgrad's own, built from the repository, and graphviz's) are
  // unpacked into site-packages: they are pure Python, there is nothing to install.
  for (const name of wheels) {
    const bytes = await (await fetch("./wheels/" + name)).arrayBuffer();
    pyodide.FS.writeFile("/tmp/" + name, new Uint8Array(bytes));
  }
  pyodide.globals.set("wheel_names", wheels);
  pyodide.runPython(`
import sysconfig, zipfile
for name in wheel_names:
    with zipfile.ZipFile("/tmp/" + name) as wheel:
        wheel.extractall(sysconfig.get_path("purelib"))
`);
  mark("wheels")();
  // Pictures are laid out by Graphviz compiled for the web, synchronously.
  pyodide.globals.set("render_svg", (source) => viz.renderString(source, { format: "svg" }));
  pyodide.runPython(`
import autograd.draw
from nn.play import Playground, Session
import autograd.stepper, nn.steps
`);
  mark("imports")();
  pyodide.runPython(`

autograd.draw.renderer = render_svg
session = Session(Playground())
`);
  session = pyodide.globals.get("session");
  mark("glassgrad")();
  self.pyodide = pyodide;
  post({
    type: "ready",
    seconds: (performance.now() - started) / 1000,
    marks: marks,
    state: session.state_json(),
  });
}

function post(message) { self.postMessage(message); }

function tick() {
  if (!running) { return; }
  const start = performance.now();
  const changes = session.tick_json();
  const milliseconds = performance.now() - start;
  running = session.running;
  post({ type: "state", changes: changes, tick: milliseconds });
  if (running) { yielder.port2.postMessage(null); }
}
yielder.port1.onmessage = tick;

function expression(text, values, lang) {
  const pyodide = self.pyodide;
  pyodide.globals.set("expression_text", text);
  pyodide.globals.set("expression_values", values);
  pyodide.globals.set("expression_lang", lang || null);
  return pyodide.runPython(`
import json
import secrets
from autograd.expression import build_expression
from autograd.language import using_language
from autograd.stepper import Stepper

try:
    with using_language(expression_lang):  # the page's language
        _output = build_expression(expression_text, expression_values.split())
        _page = Stepper(_output, title=expression_text).html("gg-" + secrets.token_hex(8))
    _answer = {"html": _page}
except (ValueError, TypeError) as error:
    _answer = {"error": str(error)}
json.dumps(_answer)
`);
}

self.onmessage = (event) => {
  const message = event.data;
  try {
    if (message.type === "set") {
      const changes = session.handle_json(message.name, JSON.stringify(message.value));
      running = session.running;
      post({ type: "state", changes: changes });
      if (running) { yielder.port2.postMessage(null); }
    } else if (message.type === "expression") {
      const answer = expression(message.expression, message.values, message.lang);
      post({ type: "expression", answer: answer });
    }
  } catch (error) {
    post({ type: "error", message: String(error) });
  }
};

boot().catch((error) => post({ type: "error", message: "Python did not start: " + error }));
