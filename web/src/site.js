// The site's page: the playground view (the same module the notebook widget
// uses) with a host that talks to the Web Worker, and the expression stepper.
import playground from "./playground.js";

// The page's words come from glassgrad's message catalogues (messages/*.json,
// copied from autograd/messages): the browser's language, or the one chosen
// with the switch (kept for the next visit). English is in the HTML itself.
const SPOKEN = ["en", "zh"];
let language = chosenLanguage();
let words = {};
let loaded = loadLanguage(language);

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
      document.title = t("site.title");
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
  loaded = loadLanguage(language).then(() => { if (readyIn !== null) { showReady(); } });
  if (readyIn !== null) { speak(); }
});

const worker = new Worker("./worker.js", { type: "module" });
const state = {};
const listeners = { "change:link": [() => showLink()] };
const pending = {};
let drawn = 0;
let drawing = 0;

// The playground's words and Python's texts (its summary, its explanations) in the
// page's language: the session says them again.
function speak() { host.set("language", language); host.save_changes(); }

// -- a run as a link: its settings, seed and own points, compressed into the
// address's #run=…; a link is only ever read as data (JSON, checked by Python).
const MAX_LINK = 200_000;  // characters after #run=
const MAX_UNPACKED = 2_000_000;  // bytes of JSON once decompressed

function base64url(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function pack(run) {
  const json = new Blob([JSON.stringify(run)]).stream();
  const packed = json.pipeThrough(new CompressionStream("deflate-raw"));
  return base64url(new Uint8Array(await new Response(packed).arrayBuffer()));
}

async function unpack(text) {
  if (text.length > MAX_LINK) { throw new Error(t("site.link.too_long")); }
  if (!/^[A-Za-z0-9_-]+$/.test(text)) { throw new Error(t("site.link.unreadable")); }
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))
    .getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) { break; }
    size += value.length;
    if (size > MAX_UNPACKED) {  // a small link that unpacks to a flood
      reader.cancel();
      throw new Error(t("site.link.too_long"));
    }
    chunks.push(value);
  }
  const json = new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(chunks).arrayBuffer());
  return JSON.parse(json);
}

const shareNote = document.getElementById("share-note");
function openLink() {
  const found = /^#run=(.*)$/.exec(location.hash);
  if (!found) { return; }
  unpack(found[1])
    .then((run) => { host.set("request", { do: "open", run: run }); host.save_changes(); })
    .catch((error) => {
      shareNote.removeAttribute("data-t");
      shareNote.setAttribute("data-refused", "1");
      shareNote.textContent = t("site.link.refused", { reason: error.message || t("site.link.unreadable") });
    });
}

document.getElementById("share").addEventListener("click", () => {
  host.set("request", { do: "link" });
  host.save_changes();
});

function showLink() {
  pack(state.link).then((packed) => {
    const url = location.href.split("#")[0] + "#run=" + packed;
    history.replaceState(null, "", url);
    const field = document.getElementById("share-link");
    field.value = url;
    field.select();
    shareNote.removeAttribute("data-t");
    shareNote.removeAttribute("data-refused");
    shareNote.textContent = t("site.link.made");
  });
}

function fire(name) { (listeners["change:" + name] || []).forEach((f) => f()); }

// anywidget's model interface, backed by the worker's messages.
const host = {
  get: (name) => state[name],
  set: (name, value) => { state[name] = value; pending[name] = value; fire(name); },
  save_changes: () => {
    for (const name of Object.keys(pending)) {
      worker.postMessage({ type: "set", name: name, value: pending[name] });
      delete pending[name];
    }
  },
  on: (event, f) => { (listeners[event] = listeners[event] || []).push(f); },
  off: (event, f) => {
    listeners[event] = (listeners[event] || []).filter((g) => g !== f);
  },
};

function apply(changes) {
  Object.assign(state, changes);  // all first: a new setup comes with its frame
  for (const name of Object.keys(changes)) {
    const start = performance.now();
    fire(name);
    if (name === "frame") { drawn += 1; drawing += performance.now() - start; }
  }
}

const status = document.getElementById("status");
const timings = { ticks: 0, tick: 0 };
let readyIn = null;  // seconds Python took to start, once it has
function showReady() {
  status.removeAttribute("data-t");  // no longer "Loading Python…"
  status.textContent = t("site.ready", { seconds: readyIn.toFixed(1) });
}
worker.onmessage = (event) => {
  const message = event.data;
  if (message.type === "ready") {
    apply(JSON.parse(message.state));
    document.body.setAttribute("data-ready", String(message.seconds));
    document.body.setAttribute("data-marks", JSON.stringify(message.marks));
    readyIn = message.seconds;
    loaded.then(showReady);
    playground.render({ model: host, el: document.getElementById("playground") });
    if (language !== "en") { speak(); }
    document.getElementById("share").disabled = false;
    openLink();
    document.getElementById("expression-go").disabled = false;
  } else if (message.type === "state") {
    apply(JSON.parse(message.changes));
    if (message.tick !== undefined) { timings.ticks += 1; timings.tick += message.tick; }
  } else if (message.type === "expression") {
    showExpression(JSON.parse(message.answer));
  } else if (message.type === "error") {
    status.textContent = message.message;
    console.error(message.message);
  }
};

// What the benchmark and the tests read: the host, and frames drawn and time spent.
window.glassgrad = {
  host: host,
  timings: () => ({
    frames: drawn,
    drawMs: drawn ? drawing / drawn : 0,
    ticks: timings.ticks,
    tickMs: timings.ticks ? timings.tick / timings.ticks : 0,
  }),
};

// The expression stepper: the text goes to Python's safe parser, the page
// that comes back is the stepper's own HTML and script.
const form = document.getElementById("expression");
const out = document.getElementById("expression-out");
form.addEventListener("submit", (event) => {
  event.preventDefault();
  out.textContent = "…";
  worker.postMessage({
    type: "expression",
    expression: document.getElementById("expression-text").value,
    values: document.getElementById("expression-values").value,
    lang: language,
  });
});

function showExpression(answer) {
  out.innerHTML = "";
  if (answer.error) {
    const error = document.createElement("pre");
    error.className = "error";
    error.textContent = answer.error;
    out.appendChild(error);
    return;
  }
  out.innerHTML = answer.html;
  out.querySelectorAll("script:not([type])").forEach((old) => {
    const script = document.createElement("script");
    script.textContent = old.textContent;
    old.replaceWith(script);
  });
}
