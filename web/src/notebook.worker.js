// The notebook page's Web Worker: a lesson's kernel, glassgrad in Pyodide.
// It starts Python as the site's worker does (the saved start-up, then the
// wheels), then runs the page's cells one by one in one namespace
// (notebook.py) and trains the page's playgrounds between them.
// Everything is loaded from this site's own folder.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { instance as graphviz } from "./viz/viz.js";

const started = performance.now();
let pyodide = null;
let kernel = null;
const running = new Set();  // the playgrounds that are training
const yielder = new MessageChannel();  // a zero-delay pause between training steps

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
  const [py, viz, wheels, source] = await Promise.all([
    python(),
    graphviz(),
    fetch("./wheels/wheels.json").then((r) => r.json()),
    fetch("./notebook.py").then((r) => r.text()),
  ]);
  for (const name of wheels) {
    const bytes = await (await fetch("./wheels/" + name)).arrayBuffer();
    py.FS.writeFile("/tmp/" + name, new Uint8Array(bytes));
  }
  py.FS.mkdirTree("/tmp/kernel");
  py.FS.writeFile("/tmp/kernel/notebook.py", source);
  py.globals.set("wheel_names", wheels);
  // Drawings are laid out by the site's Graphviz for the web, from the engine's DOT.
  py.globals.set("render_svg", (dot) => viz.renderString(dot, { format: "svg" }));
  py.runPython(`
import sys, sysconfig, zipfile
for name in wheel_names:
    with zipfile.ZipFile("/tmp/" + name) as wheel:
        wheel.extractall(sysconfig.get_path("purelib"))
sys.path.insert(0, "/tmp/kernel")
import autograd.draw
autograd.draw.renderer = render_svg
import notebook
`);
  pyodide = py;
}
const ready = boot();

function post(message) { self.postMessage(message); }

function tick() {
  for (const id of [...running]) {
    post({ type: "widget", widget: id, changes: kernel.tick_json(id) });
    if (!kernel.running(id)) { running.delete(id); }
  }
  if (running.size) { yielder.port2.postMessage(null); }
}
yielder.port1.onmessage = tick;

function handle(message) {
  if (message.type === "start") {  // a fresh kernel, speaking the page's language
    running.clear();
    kernel = pyodide.runPython("notebook.Kernel")(message.lang);
    post({ type: "ready", seconds: (performance.now() - started) / 1000 });
  } else if (message.type === "run") {
    post({ type: "outputs", cell: message.cell, outputs: kernel.run_json(message.source) });
  } else if (message.type === "widget") {
    const changes = kernel.widget_json(message.widget, message.name, JSON.stringify(message.value));
    post({ type: "widget", widget: message.widget, changes: changes });
    if (kernel.running(message.widget)) {
      if (!running.size) { yielder.port2.postMessage(null); }
      running.add(message.widget);
    }
  }
}

self.onmessage = (event) => {
  ready
    .then(() => handle(event.data))
    .catch((error) => post({ type: "error", message: String(error) }));
};
ready.catch((error) => post({ type: "error", message: "Python did not start: " + error }));
