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

async function boot() {
  const marks = {};
  const mark = (name) => (x) => { marks[name] = performance.now() - started; return x; };
  const [pyodide, viz, wheels] = await Promise.all([
    loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href }).then(mark("pyodide")),
    graphviz().then(mark("graphviz")),
    fetch("./wheels/wheels.json").then((r) => r.json()),
  ]);
  const site = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const name of wheels) {
    const bytes = await (await fetch("./wheels/" + name)).arrayBuffer();
    pyodide.unpackArchive(bytes, "wheel", { extractDir: site });
  }
  // Pictures are laid out by Graphviz compiled for the web, synchronously.
  pyodide.globals.set("render_svg", (source) => viz.renderString(source, { format: "svg" }));
  pyodide.runPython(`
import autograd.draw
from nn.play import Playground, Session

autograd.draw.renderer = render_svg
session = Session(Playground())
`);
  session = pyodide.globals.get("session");
  mark("glassgrad")();
  console.log(JSON.stringify(marks));
  self.pyodide = pyodide;
  post({ type: "ready", seconds: (performance.now() - started) / 1000, state: session.state_json() });
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

function expression(text, values) {
  const pyodide = self.pyodide;
  pyodide.globals.set("expression_text", text);
  pyodide.globals.set("expression_values", values);
  return pyodide.runPython(`
import json
import secrets
from autograd.expression import build_expression
from autograd.stepper import Stepper

try:
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
      post({ type: "expression", answer: expression(message.expression, message.values) });
    }
  } catch (error) {
    post({ type: "error", message: String(error) });
  }
};

boot().catch((error) => post({ type: "error", message: "Python did not start: " + error }));
