"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const CP = require("../player/core.js");
require("../player/scorm12.js");
require("../player/local.js");

const config = {
  key: "coursepack:test#m",
  modules: [{ id: "m", completion: "pages", pages: ["a", "b"], questions: [] }]
};

/* fakeAPI records calls and keeps a tiny SCORM 1.2 data model. */
function fakeAPI(data) {
  const calls = [];
  const model = Object.assign({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted" }, data);
  let state = "new";
  let lastError = "0";
  function r(okay, code) {
    lastError = okay ? "0" : code;
    return okay ? "true" : "false";
  }
  return {
    calls,
    model,
    LMSInitialize(a) { calls.push(["LMSInitialize", a]); const ok = state === "new"; if (ok) state = "running"; return r(ok, "101"); },
    LMSFinish(a) { calls.push(["LMSFinish", a]); const ok = state === "running"; if (ok) state = "done"; return r(ok, "301"); },
    LMSCommit(a) { calls.push(["LMSCommit", a]); return r(state === "running", "301"); },
    LMSGetValue(el) { calls.push(["LMSGetValue", el]); lastError = state === "running" ? "0" : "301"; return model[el] || ""; },
    LMSSetValue(el, v) {
      calls.push(["LMSSetValue", el, v]);
      if (state !== "running") return r(false, "301");
      if (el === "cmi.core.entry") return r(false, "403");
      model[el] = v;
      return r(true);
    },
    LMSGetLastError() { return lastError; },
    LMSGetErrorString(c) { return "error " + c; },
    LMSGetDiagnostic(c) { return ""; }
  };
}

function clock() {
  const c = { t: 1000, timers: [] };
  c.now = () => c.t;
  c.setTimeout = (fn, ms) => { const id = { fn, at: c.t + ms }; c.timers.push(id); return id; };
  c.clearTimeout = (id) => { c.timers = c.timers.filter((x) => x !== id); };
  c.advance = (ms) => {
    c.t += ms;
    const due = c.timers.filter((x) => x.at <= c.t);
    c.timers = c.timers.filter((x) => x.at > c.t);
    due.forEach((x) => x.fn());
  };
  return c;
}

function quietLog() {
  const l = { errors: [], warnings: [] };
  l.error = (...a) => l.errors.push(a.join(" "));
  l.warn = (...a) => l.warnings.push(a.join(" "));
  return l;
}

function sets(api, el) {
  return api.calls.filter((c) => c[0] === "LMSSetValue" && c[1] === el).map((c) => c[2]);
}
function count(api, fn) {
  return api.calls.filter((c) => c[0] === fn).length;
}

test("API discovery walks parents, then the opener, at most 7 hops", () => {
  const api = fakeAPI();
  const top = { API: api };
  top.parent = top;
  let w = top;
  for (let i = 0; i < 7; i++) w = { parent: w };
  assert.equal(CP.findAPI12(w), api, "7 hops");
  assert.equal(CP.findAPI12({ parent: w }), null, "8 hops");

  const crossOrigin = {};
  Object.defineProperty(crossOrigin, "API", { get() { throw new Error("SecurityError"); } });
  crossOrigin.parent = crossOrigin;
  const framed = { parent: crossOrigin, opener: { parent: top } };
  assert.equal(CP.findAPI12(framed), api, "via the opener after a cross-origin parent");

  const alone = {};
  alone.parent = alone;
  assert.equal(CP.findAPI12(alone), null);
  assert.equal(CP.runtimes.scorm12(config, { window: alone }), null);
});

test("first launch: incomplete, suspend, throttled commits, finish once", () => {
  const api = fakeAPI();
  const c = clock();
  const log = quietLog();
  const a = CP.runtimes.scorm12(config, { window: { API: api }, now: c.now, setTimeout: c.setTimeout, clearTimeout: c.clearTimeout, log });
  const res = a.init();
  assert.equal(res.entry, "ab-initio");
  assert.equal(res.state, null);
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), ["incomplete"]);
  assert.deepEqual(sets(api, "cmi.core.exit"), ["suspend"]);
  assert.equal(count(api, "LMSCommit"), 1);

  const s = CP.normalize(null, config);
  s.m.m.seen[0] = true;
  s.loc = "a";
  c.advance(500);
  a.save(s, "incomplete");
  assert.equal(count(api, "LMSCommit"), 1, "throttled");
  assert.equal(api.model["cmi.core.lesson_location"], "a");
  c.advance(2500);
  assert.equal(count(api, "LMSCommit"), 2, "trailing commit");

  s.m.m.seen[1] = true;
  s.loc = "b";
  c.advance(10);
  a.save(s, CP.status(config, s));
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), ["incomplete", "completed"]);
  assert.deepEqual(sets(api, "cmi.core.exit"), ["suspend", ""]);
  a.save(s, "incomplete");
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), ["incomplete", "completed"], "no downgrade");
  a.flush();
  assert.equal(count(api, "LMSCommit"), 3, "flush commits now");
  a.flush();
  assert.equal(count(api, "LMSCommit"), 3, "nothing new to commit");

  c.advance(3723455 - 3010); // 1h 2m 3.455s since init
  a.finish();
  a.finish();
  a.save(s, "completed");
  a.flush();
  c.advance(10000);
  assert.deepEqual(sets(api, "cmi.core.session_time"), ["01:02:03.46"]);
  assert.equal(count(api, "LMSFinish"), 1);
  assert.deepEqual(api.calls[api.calls.length - 1], ["LMSFinish", ""], "nothing after LMSFinish");
  assert.deepEqual(log.errors, []);
  assert.equal(JSON.parse(api.model["cmi.suspend_data"]).m.m.s, "3");
});

test("resume restores state and location, keeps completed", () => {
  const api = fakeAPI({
    "cmi.core.entry": "resume",
    "cmi.core.lesson_status": "completed",
    "cmi.core.lesson_location": "b",
    "cmi.suspend_data": '{"v":1,"l":"b","m":{"m":{"n":2,"s":"3"}}}'
  });
  const log = quietLog();
  const a = CP.runtimes.scorm12(config, { window: { API: api }, log });
  const res = a.init();
  assert.equal(res.entry, "resume");
  assert.equal(res.location, "b");
  assert.equal(res.status, "completed");
  assert.deepEqual(CP.normalize(res.state, config).m.m.seen, [true, true]);
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), [], "status left alone");
  assert.deepEqual(sets(api, "cmi.core.exit"), [""]);
  a.save(CP.normalize(null, config), "incomplete");
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), []);
  a.finish();
  assert.deepEqual(log.errors, []);
});

test("review mode writes no status", () => {
  const api = fakeAPI({ "cmi.core.lesson_mode": "review" });
  const a = CP.runtimes.scorm12(config, { window: { API: api }, log: quietLog() });
  a.init();
  const s = CP.normalize(null, config);
  s.m.m.seen.fill(true);
  a.save(s, "completed");
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), []);
  a.finish();
});

test("oversized state is not written, and failures are logged", () => {
  const big = { modules: [{ id: "m", completion: "pages", pages: Array.from({ length: 20000 }, (_, i) => "p" + i) }] };
  const api = fakeAPI();
  const log = quietLog();
  const a = CP.runtimes.scorm12(big, { window: { API: api }, log });
  a.init();
  const s = CP.normalize(null, big);
  s.loc = "p1";
  a.save(s, "incomplete");
  assert.deepEqual(sets(api, "cmi.suspend_data"), []);
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0], /4096/);
  assert.equal(api.model["cmi.core.lesson_location"], "p1");
  a.finish();

  const api2 = fakeAPI();
  api2.LMSInitialize("");
  const log2 = quietLog();
  const b = CP.runtimes.scorm12(config, { window: { API: api2 }, log: log2 });
  assert.equal(b.init(), null, "LMSInitialize failed");
  assert.match(log2.errors[0], /LMSInitialize\(""\) failed: 101 error 101/);
});

test("standalone adapter keeps state in storage", () => {
  const store = new Map();
  const storage = { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)) };
  const a = CP.runtimes.local(config, { storage });
  assert.equal(a.kind, "local");
  assert.equal(a.persistent, true);
  assert.deepEqual(a.init(), { entry: "ab-initio", state: null, location: "", status: "" });
  const s = CP.normalize(null, config);
  s.m.m.seen.fill(true);
  s.loc = "b";
  a.save(s, "completed");
  a.save(s, "incomplete");
  a.finish();
  const b = CP.runtimes.local(config, { storage });
  const res = b.init();
  assert.equal(res.entry, "resume");
  assert.equal(res.status, "completed");
  assert.equal(res.location, "b");
  assert.deepEqual(CP.normalize(res.state, config), s);

  const none = CP.runtimes.local(config);
  assert.equal(none.persistent, false, "no localStorage in node");
  none.save(s, "completed");
});
