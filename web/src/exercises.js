// The exercises page: the shipped exercise sets (autograd/exercises/), or a
// teacher's own file, each exercise opening as the stepper in quiz mode.
// glassgrad runs here in Pyodide, on this page (a quiz computes nothing while
// the learner types); everything is loaded from this site's own folder.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { instance as graphviz } from "./viz/viz.js";

const SPOKEN = ["en", "zh"];
let language = chosenLanguage();
let words = {};
let loaded = loadLanguage(language);
let python = null;
let opened = null;  // what the quiz below shows: [set, index], to show it again in another language
const started = performance.now();

function chosenLanguage() {
  const kept = localStorage.getItem("glassgrad-lang");
  const asked = [kept, ...(navigator.languages || [navigator.language])];
  for (const name of asked) {
    const code = String(name || "").toLowerCase().split(/[-_.@]/)[0];
    if (SPOKEN.includes(code)) { return code; }
  }
  return "en";
}

// A text of the catalogue with its {placeholders} filled, as Python's text() fills it.
function t(key, fields) {
  const template = words[key] === undefined ? key : words[key];
  return template.replace(/\{(\w*)\}/g, (_, name) => String((fields || {})[name]));
}

function loadLanguage(code) {
  return fetch("./messages/" + code + ".json")
    .then((answer) => answer.json())
    .then((catalogue) => {
      words = catalogue;
      document.documentElement.lang = code;
      document.title = t("site.exercises.title");
      document.querySelectorAll("[data-t]").forEach((element) => {
        element.textContent = t(element.getAttribute("data-t"));
      });
      document.querySelectorAll("[data-t-label]").forEach((element) => {
        element.setAttribute("aria-label", t(element.getAttribute("data-t-label")));
      });
      document.getElementById("language").value = code;
    })
    .catch((error) => console.error("no words for " + code + ": " + error));
}

document.getElementById("language").addEventListener("change", (event) => {
  language = event.target.value;
  localStorage.setItem("glassgrad-lang", language);
  loaded = loadLanguage(language).then(() => {
    if (python) { showReady(); listSets(); if (opened) { openQuiz(...opened); } }
  });
});

// Python: the interpreter's memory saved at build time first, as the playground does.
async function snapshot() {
  const response = await fetch("./pyodide/snapshot.bin.gz");
  if (!response.ok) { return undefined; }
  const memory = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(memory).arrayBuffer());
}

async function startPython() {
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
  const [pyodide, viz, wheels] = await Promise.all([
    startPython(),
    graphviz(),
    fetch("./wheels/wheels.json").then((r) => r.json()),
  ]);
  for (const name of wheels) {
    const bytes = await (await fetch("./wheels/" + name)).arrayBuffer();
    pyodide.FS.writeFile("/tmp/" + name, new Uint8Array(bytes));
  }
  pyodide.globals.set("wheel_names", wheels);
  pyodide.globals.set("render_svg", (source) => viz.renderString(source, { format: "svg" }));
  pyodide.runPython(`
import sysconfig, zipfile
for name in wheel_names:
    with zipfile.ZipFile("/tmp/" + name) as wheel:
        wheel.extractall(sysconfig.get_path("purelib"))

import json, secrets
import autograd.draw
import nn  # a model exercise's network
from autograd.language import using_language
from autograd.stepper import SHIPPED_EXERCISES, exercise_sets, exercises

autograd.draw.renderer = render_svg


def listing(lang):
    with using_language(lang):
        return json.dumps([s.listing() for s in exercise_sets()])


def quiz(lang, name, index):
    """The exercise's quiz as the stepper's HTML, or the error a teacher's file has."""
    try:
        with using_language(lang):
            path = name if name in SHIPPED_EXERCISES else "/tmp/own.json"
            exercise = exercises(path)[index]
            return json.dumps({"html": exercise.stepper().html("gg-" + secrets.token_hex(8))})
    except (ValueError, TypeError) as error:
        return json.dumps({"error": str(error)})


def own(lang):
    try:
        with using_language(lang):
            return json.dumps({"set": exercises("/tmp/own.json").listing()})
    except (ValueError, TypeError) as error:
        return json.dumps({"error": str(error)})
`);
  python = pyodide;
  await loaded;
  showReady();
  listSets();
  document.getElementById("own-open").disabled = false;
}

function showReady() {
  const status = document.getElementById("status");
  status.removeAttribute("data-t");
  status.textContent = t("site.ready", { seconds: ((performance.now() - started) / 1000).toFixed(1) });
  document.body.setAttribute("data-ready", "1");
}

function call(name, ...args) {
  return JSON.parse(python.globals.get(name)(...args));
}

// One box per set: its title, what it teaches, and a button per exercise.
function setBox(set, own) {
  const box = document.createElement("section");
  box.className = "set";
  box.setAttribute("data-set", set.name);
  const title = document.createElement("h2");
  title.textContent = set.title;
  box.appendChild(title);
  if (set.description) {
    const about = document.createElement("p");
    about.textContent = set.description;
    box.appendChild(about);
  }
  const list = document.createElement("ol");
  set.exercises.forEach((name, index) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = name;
    button.setAttribute("data-exercise", String(index));
    button.addEventListener("click", () => openQuiz(own ? "own" : set.name, index));
    item.appendChild(button);
    list.appendChild(item);
  });
  box.appendChild(list);
  return box;
}

function listSets() {
  const sets = document.getElementById("sets");
  sets.innerHTML = "";
  call("listing", language).forEach((set) => sets.appendChild(setBox(set, false)));
}

function showError(text) {
  const out = document.getElementById("quiz");
  out.innerHTML = "";
  const error = document.createElement("pre");
  error.className = "error";
  error.textContent = text;
  out.appendChild(error);
}

function openQuiz(name, index) {
  opened = [name, index];
  const answer = call("quiz", language, name, index);
  if (answer.error) { showError(answer.error); return; }
  const out = document.getElementById("quiz");
  out.innerHTML = answer.html;
  out.querySelectorAll("script:not([type])").forEach((old) => {
    const script = document.createElement("script");
    script.textContent = old.textContent;
    old.replaceWith(script);
  });
  out.scrollIntoView({ block: "start" });
}

// A teacher's own file: read here, handed to Python's reader (which checks every entry).
document.getElementById("own-open").addEventListener("click", async () => {
  const file = document.getElementById("own").files[0];
  if (!file || !python) { return; }
  python.FS.writeFile("/tmp/own.json", new Uint8Array(await file.arrayBuffer()));
  const answer = call("own", language);
  document.querySelectorAll('.set[data-set="own"]').forEach((old) => old.remove());
  if (answer.error) { showError(answer.error); return; }
  document.getElementById("quiz").innerHTML = "";
  answer.set.name = "own";
  document.getElementById("sets").appendChild(setBox(answer.set, true));
});

boot().catch((error) => {
  document.getElementById("status").textContent = t("site.exercises.failed", { error: error });
  console.error(error);
});
