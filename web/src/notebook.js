// The notebook page: a lesson (notebooks/*.ipynb, notebooks/zh/ in Chinese)
// shown as Jupyter shows it, its code cells run in order by glassgrad in
// Pyodide (notebook.worker.js, one namespace for the whole lesson). Without
// ?name=..., the list of lessons. Markdown by marked, formulas by KaTeX,
// drawings by the site's Graphviz for the web, the playground by the same
// playground.js as everywhere; all of it from this site's folder.
import { marked } from "./marked/marked.esm.js";
import playground from "./playground.js";

const PLAYGROUND_TYPE = "application/vnd.glassgrad.playground+json";
const SPOKEN = ["en", "zh"];
const name = new URLSearchParams(location.search).get("name");
const main = document.getElementById("notebook");
const status = document.getElementById("status");
const runAll = document.getElementById("run-all");
let language = chosenLanguage();
let words = {};
let lessons = [];
let cells = [];  // {source, el} of the shown lesson's code cells
const waiting = {};  // cell number -> the function its outputs go to
const widgets = {};  // playground id -> its host
let worker = null;

function chosenLanguage() {
  const kept = localStorage.getItem("glassgrad-lang");
  const asked = [kept, ...(navigator.languages || [navigator.language])];
  for (const code of asked) {
    const short = String(code || "").toLowerCase().split(/[-_.@]/)[0];
    if (SPOKEN.includes(short)) { return short; }
  }
  return "en";
}

// A text of the catalogue with its {placeholders} filled, as Python's text() fills it.
function t(key, fields) {
  const template = words[key] === undefined ? key : words[key];
  return template.replace(/\{(\w*)\}/g, (_, field) => String((fields || {})[field]));
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) { made.className = className; }
  if (text !== undefined) { made.textContent = text; }
  return made;
}

async function show(code) {
  words = await (await fetch("./messages/" + code + ".json")).json();
  document.documentElement.lang = code;
  document.getElementById("language").value = code;
  document.querySelectorAll("[data-t]").forEach((el) => {
    el.textContent = t(el.getAttribute("data-t"));
  });
  lessons = (await (await fetch("./notebooks/index.json")).json()).notebooks;
  main.innerHTML = "";
  cells = [];
  Object.keys(widgets).forEach((id) => { delete widgets[id]; });
  if (name === null) { showList(); } else { await showLesson(); }
}

function showList() {
  document.title = t("notebook.title");
  main.appendChild(element("p", "", t("notebook.intro")));
  const list = element("ul");
  for (const lesson of lessons) {
    const item = element("li");
    const link = element("a", "", lesson.title[language]);
    link.href = "./notebook.html?name=" + encodeURIComponent(lesson.name);
    item.appendChild(link);
    list.appendChild(item);
  }
  main.appendChild(list);
}

async function showLesson() {
  const lesson = lessons.find((entry) => entry.name === name);
  if (!lesson) {
    main.appendChild(element("p", "note", t("notebook.not_found", { name: name })));
    return;
  }
  document.title = lesson.title[language] + " · " + t("notebook.title");
  const path = "./notebooks/" + (language === "en" ? "" : language + "/") + name + ".ipynb";
  const notebook = await (await fetch(path)).json();
  if (lesson.needs) {
    main.appendChild(element("p", "note", t("notebook.read_only", { what: lesson.needs })));
  }
  const download = element("p");
  const link = element("a", "", t("notebook.download"));
  link.href = path;
  link.download = name + ".ipynb";
  download.append(link, " · ", t("notebook.colab"));
  main.appendChild(download);
  for (const cell of notebook.cells) {
    const source = [].concat(cell.source).join("");
    const box = element("section", "cell");
    if (cell.cell_type === "markdown") {
      box.classList.add("markdown");
      box.innerHTML = markdown(source);
    } else if (cell.cell_type === "code") {
      const number = cells.length;
      const code = element("div", "code");
      const button = element("button", "", "▶");
      button.type = "button";
      button.setAttribute("aria-label", t("notebook.run"));
      button.disabled = true;
      button.hidden = Boolean(lesson.needs);
      button.addEventListener("click", () => runCell(number));
      const pre = element("pre");
      pre.appendChild(element("code", "", source));
      code.append(button, pre);
      box.append(code, element("div", "output"));
      box.setAttribute("data-cell", String(number));
      cells.push({ source: source, el: box, button: button });
    }
    main.appendChild(box);
  }
  if (!lesson.needs) { start(); }
}

// Markdown with its $…$ and $$…$$ formulas set aside (marked would read their
// backslashes and underscores) and typeset by KaTeX (its minified script, loaded
// by the page before this module); code spans are left as they are.
function markdown(source) {
  const katex = window.katex;
  const formulas = [];
  const pattern = /(```[\s\S]*?```|`[^`\n]*`)|\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g;
  const kept = source.replace(pattern, (all, code, display, inline) => {
    if (code !== undefined) { return code; }
    formulas.push(katex.renderToString(display === undefined ? inline : display, {
      displayMode: display !== undefined, throwOnError: false,
    }));
    return "\u0000" + (formulas.length - 1) + "\u0000";
  });
  return marked.parse(kept).replace(/\u0000(\d+)\u0000/g, (_, i) => formulas[Number(i)]);
}

function start() {
  status.textContent = t("site.loading");
  if (worker === null) {
    worker = new Worker("./notebook.worker.js", { type: "module" });
    worker.onmessage = (event) => answer(event.data);
  }
  worker.postMessage({ type: "start", lang: language });
}

function answer(message) {
  if (message.type === "ready") {
    document.body.setAttribute("data-ready", String(message.seconds));
    status.textContent = t("site.ready", { seconds: message.seconds.toFixed(1) });
    runAll.hidden = false;
    runAll.disabled = false;
    cells.forEach((cell) => { cell.button.disabled = false; });
  } else if (message.type === "outputs") {
    const done = waiting[message.cell];
    delete waiting[message.cell];
    if (done) { done(JSON.parse(message.outputs)); }
  } else if (message.type === "widget") {
    const host = widgets[message.widget];
    if (host) { host.apply(JSON.parse(message.changes)); }
  } else if (message.type === "error") {
    status.textContent = message.message;
    console.error(message.message);
  }
}

function runCell(number) {
  const cell = cells[number];
  const out = cell.el.querySelector(".output");
  out.innerHTML = "";
  cell.el.setAttribute("data-state", "running");
  return new Promise((resolve) => {
    waiting[number] = (outputs) => {
      outputs.forEach((output) => out.appendChild(rendered(output)));
      cell.el.setAttribute("data-state", "done");
      resolve(outputs);
    };
    worker.postMessage({ type: "run", cell: number, source: cell.source });
  });
}

runAll.addEventListener("click", async () => {
  runAll.disabled = true;
  status.textContent = t("notebook.running");
  const begun = performance.now();
  for (let i = 0; i < cells.length; i++) { await runCell(i); }
  const seconds = ((performance.now() - begun) / 1000).toFixed(1);
  status.textContent = t("notebook.done", { count: cells.length, seconds: seconds });
  document.body.setAttribute("data-ran", seconds);
  runAll.disabled = false;
});

// One output as a notebook shows it: the richest form the page can show.
function rendered(output) {
  if (output.type === "stream" || output.type === "error") {
    return element("pre", output.type === "error" ? "error" : output.name, output.text);
  }
  if (output.type === "missing") { return element("p", "missing", output.text); }
  const data = output.data;
  const box = element("div", "display");
  if (data[PLAYGROUND_TYPE]) {
    const host = widgetHost(data[PLAYGROUND_TYPE]);
    playground.render({ model: host, el: box });
  } else if (data["text/html"] !== undefined) {
    box.innerHTML = data["text/html"];
    box.querySelectorAll("script:not([type])").forEach((old) => {  // run its script
      const script = document.createElement("script");
      script.textContent = old.textContent;
      old.replaceWith(script);
    });
  } else if (data["image/svg+xml"] !== undefined) {
    box.innerHTML = data["image/svg+xml"];
  } else {
    box.appendChild(element("pre", "", data["text/plain"]));
  }
  return box;
}

// anywidget's model interface for one playground, backed by the worker's messages.
function widgetHost(shown) {
  const state = JSON.parse(JSON.stringify(shown.state));
  const listeners = {};
  const pending = {};
  const fire = (field) => (listeners["change:" + field] || []).forEach((f) => f());
  const host = {
    get: (field) => state[field],
    set: (field, value) => { state[field] = value; pending[field] = value; fire(field); },
    save_changes: () => {
      for (const field of Object.keys(pending)) {
        worker.postMessage({ type: "widget", widget: shown.id, name: field, value: pending[field] });
        delete pending[field];
      }
    },
    on: (event, f) => { (listeners[event] = listeners[event] || []).push(f); },
    off: (event, f) => { listeners[event] = (listeners[event] || []).filter((g) => g !== f); },
    apply: (changes) => {
      Object.assign(state, changes);
      Object.keys(changes).forEach(fire);
    },
  };
  widgets[shown.id] = host;
  return host;
}

document.getElementById("language").addEventListener("change", (event) => {
  language = event.target.value;
  localStorage.setItem("glassgrad-lang", language);
  runAll.hidden = true;
  show(language);  // the lesson in that language, on a fresh kernel
});

show(language).catch((error) => {
  status.textContent = String(error);
  console.error(error);
});
