// The host of an exported replay page (nn/play.py's replay_page): it plays
// the run's recorded frames one after another, for the same view the
// notebook widget and the site show (playground.js). It gives the view
// anywidget's small model interface, backed by the frames in the page:
// Play runs through them, Step shows the next, Reset the first, and the
// slider seeks. Training and explaining need Python, so the view hides them.
(function () {
  var run = JSON.parse(document.getElementById("run").textContent);
  var state = { setup: run.setup, frame: run.frames[0], running: false, explanation: {},
                replay: { frames: run.frames.length, at: 0 }, request: {} };
  var listeners = {};
  var timer = null;
  function fire(name) { (listeners["change:" + name] || []).forEach(function (f) { f(); }); }
  function put(name, value) { state[name] = value; fire(name); }
  function show(i) {
    i = Math.max(0, Math.min(run.frames.length - 1, i));
    put("frame", run.frames[i]);
    put("replay", { frames: run.frames.length, at: i });
  }
  var host = {
    get: function (name) { return state[name]; },
    set: function (name, value) {
      if (name === "running") {
        if (value && !timer) {
          if (state.replay.at >= run.frames.length - 1) { show(0); }
          timer = setInterval(function () {
            if (state.replay.at >= run.frames.length - 1) { host.set("running", false); return; }
            show(state.replay.at + 1);
          }, 100);
        } else if (!value && timer) { clearInterval(timer); timer = null; }
        put("running", value);
      } else if (name === "request") {
        if (value.do === "step") { show(state.replay.at + 1); }
        if (value.do === "reset") { host.set("running", false); show(0); }
        if (value.do === "seek") { show(value.at); }
      }
    },
    save_changes: function () {},
    on: function (event, f) { (listeners[event] = listeners[event] || []).push(f); },
    off: function () { listeners = {}; }
  };
  window.glassgradPlayground.render({ model: host, el: document.getElementById("playground") });
})();
