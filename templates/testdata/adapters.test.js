"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const CP = require("../player/core.js");
require("../player/scorm12.js");
require("../player/local.js");

const limits = { answer: 255, goals: 5, goal: 150, actions: 400, buddy: 80 };
const config = {
  key: "coursepack:test#m",
  limits,
  modules: [{ id: "m", completion: "pages", pages: ["a", "b"], questions: [], reflections: [{ id: "m-r1", max: 4000 }, { id: "m-r2", max: 4000 }] }]
};

/* fakeAPI is a SCORM 1.2 LMS that checks what content does the way a
 * strict LMS would (RTE 3.4; Moodle's and scorm-again's patterns): element
 * access (read-only, write-only), vocabularies and formats, lengths,
 * interactions appended at n = _count with id first and type before the
 * fields whose format depends on it. It records every call. */
function fakeAPI(data, opts) {
  opts = opts || {};
  const calls = [];
  const model = Object.assign({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted", "cmi.core.lesson_mode": "normal" }, data);
  const interactions = [];
  let state = "new";
  let lastError = "0";
  const RO = /^cmi\.(core\.(_children|student_id|student_name|credit|entry|total_time|lesson_mode)|launch_data|comments_from_lms|student_data\..*|interactions\._count|interactions\._children)$/;
  const WO = /^cmi\.(core\.(exit|session_time)|interactions\.\d+\..+)$/;
  const RW = /^cmi\.(core\.(lesson_location|lesson_status|score\.(raw|min|max))|suspend_data|comments)$/;
  const timespan = /^\d{2,4}:\d\d:\d\d(\.\d{1,2})?$/;
  const decimal = (v) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && +v >= 0 && +v <= 100;
  const formats = {
    choice: /^[0-9a-z](,[0-9a-z])*$/,
    "true-false": /^[01tf]$/,
    "fill-in": /^[\s\S]{0,255}$/
  };
  function r(okay, code) {
    lastError = okay ? "0" : code;
    return okay ? "true" : "false";
  }
  function setInteraction(el, v) {
    const m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(el);
    const n = +m[1], field = m[2];
    if (n > interactions.length) return r(false, "201"); /* gap */
    if (n === interactions.length) {
      if (field !== "id") return r(false, "201"); /* id first */
      interactions.push({ correct: [] });
    }
    const it = interactions[n];
    const needType = () => it.type !== undefined;
    let fm;
    if (field === "id") {
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(v)) return r(false, "405");
      it.id = v;
    } else if (field === "type") {
      if (!(v in formats)) return r(false, "405");
      it.type = v;
    } else if ((fm = /^correct_responses\.(\d+)\.pattern$/.exec(field))) {
      if (!needType()) return r(false, "201");
      if (+fm[1] !== it.correct.length) return r(false, "201");
      if (!formats[it.type].test(v)) return r(false, "405");
      it.correct.push(v);
    } else if (field === "student_response") {
      if (!needType()) return r(false, "201");
      if (!formats[it.type].test(v)) return r(false, "405");
      it.response = v;
    } else if (field === "result") {
      if (!/^(correct|wrong|unanticipated|neutral|\d{0,3}(\.\d+)?)$/.test(v)) return r(false, "405");
      it.result = v;
    } else if (field === "latency") {
      if (!timespan.test(v)) return r(false, "405");
      it.latency = v;
    } else if (field === "time") {
      if (!/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/.test(v)) return r(false, "405");
      it.time = v;
    } else {
      return r(false, "201");
    }
    return r(true);
  }
  const api = {
    calls,
    model,
    interactions,
    LMSInitialize(a) { calls.push(["LMSInitialize", a]); const ok = state === "new"; if (ok) state = "running"; return r(ok, "101"); },
    LMSFinish(a) { calls.push(["LMSFinish", a]); const ok = state === "running"; if (ok) state = "done"; return r(ok, "301"); },
    LMSCommit(a) { calls.push(["LMSCommit", a]); return r(state === "running", "301"); },
    LMSGetValue(el) {
      calls.push(["LMSGetValue", el]);
      if (state !== "running") { lastError = "301"; return ""; }
      if (opts.noInteractions && /^cmi\.interactions/.test(el)) { lastError = "401"; return ""; }
      if (WO.test(el)) { lastError = "404"; return ""; }
      if (el === "cmi.interactions._count") { lastError = "0"; return String(interactions.length); }
      if (!RO.test(el) && !RW.test(el)) { lastError = "201"; return ""; }
      lastError = "0";
      return model[el] || "";
    },
    LMSSetValue(el, v) {
      calls.push(["LMSSetValue", el, v]);
      if (state !== "running") return r(false, "301");
      if (typeof v !== "string") return r(false, "405");
      if (RO.test(el)) return r(false, "403");
      if (opts.noInteractions && /^cmi\.interactions/.test(el)) return r(false, "401");
      if (/^cmi\.interactions\.\d+\./.test(el)) return setInteraction(el, v);
      if (!WO.test(el) && !RW.test(el)) return r(false, "201");
      const bad =
        (el === "cmi.core.lesson_status" && !/^(passed|completed|failed|incomplete|browsed)$/.test(v)) ||
        (el === "cmi.core.exit" && !/^(time-out|suspend|logout|)$/.test(v)) ||
        (el === "cmi.core.session_time" && !timespan.test(v)) ||
        (/score/.test(el) && !decimal(v)) ||
        (el === "cmi.core.lesson_location" && v.length > 255) ||
        ((el === "cmi.suspend_data" || el === "cmi.comments") && v.length > 4096);
      if (bad) return r(false, "405");
      if (el === "cmi.comments" && opts.appendComments) {
        if ((model[el] || "").length + v.length > 4096) return r(false, "405");
        model[el] = (model[el] || "") + v;
        return r(true);
      }
      model[el] = v;
      return r(true);
    },
    LMSGetLastError() { return lastError; },
    LMSGetErrorString(c) { return "error " + c; },
    LMSGetDiagnostic(c) { return ""; }
  };
  return api;
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
function failed(api) {
  /* Every call the LMS refused: the content must never cause one. */
  return api.calls.filter((c, i) => c[0] === "LMSSetValue" && api.__results && api.__results[i] === "false");
}
function adapter(api, extra) {
  const log = quietLog();
  const events = [];
  const a = CP.runtimes.scorm12(config, Object.assign({ window: { API: api }, log, notify: (k, d) => events.push([k, d]) }, extra));
  a.log = log;
  a.events = events;
  return a;
}
const settle = () => new Promise((r) => setTimeout(r, 30));
/* until waits for the adapter's compression (a few ms, more on a busy machine). */
async function until(fn) {
  for (let i = 0; i < 300 && !fn(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(fn(), "timed out");
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
  const a = adapter(api, { now: c.now, setTimeout: c.setTimeout, clearTimeout: c.clearTimeout });
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
  a.save(s, "incomplete", null);
  assert.equal(count(api, "LMSCommit"), 1, "throttled");
  assert.equal(api.model["cmi.core.lesson_location"], "a");
  c.advance(2500);
  assert.equal(count(api, "LMSCommit"), 2, "trailing commit");

  s.m.m.seen[1] = true;
  s.loc = "b";
  c.advance(10);
  a.save(s, CP.status(config, s), null);
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), ["incomplete", "completed"]);
  assert.deepEqual(sets(api, "cmi.core.exit"), ["suspend", ""]);
  assert.deepEqual(sets(api, "cmi.core.score.raw"), [], "no score without questions");
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
  a.record({ id: "x", kind: "choice", response: "a", correct: ["a"], result: true });
  a.flush();
  c.advance(10000);
  assert.deepEqual(sets(api, "cmi.core.session_time"), ["01:02:03.46"]);
  assert.equal(count(api, "LMSFinish"), 1);
  assert.deepEqual(api.calls[api.calls.length - 1], ["LMSFinish", ""], "nothing after LMSFinish");
  assert.deepEqual(a.log.errors, []);
  assert.equal(JSON.parse(api.model["cmi.suspend_data"]).m.m.s, "3");
  assert.equal(JSON.parse(api.model["cmi.suspend_data"]).v, 2);
});

test("score before status, min and max always, a raw 0 as \"0\"", () => {
  const api = fakeAPI();
  const a = adapter(api);
  a.init();
  const s = CP.normalize(null, config);
  a.save(s, "failed", 0);
  const order = api.calls.filter((c) => c[0] === "LMSSetValue").map((c) => c[1] + "=" + c[2]);
  const iStatus = order.indexOf("cmi.core.lesson_status=failed");
  assert.ok(iStatus > order.indexOf("cmi.core.score.raw=0"), order.join(" "));
  assert.ok(iStatus > order.indexOf("cmi.core.score.min=0"));
  assert.ok(iStatus > order.indexOf("cmi.core.score.max=100"));
  assert.equal(api.model["cmi.core.score.raw"], "0");
  a.save(s, "passed", 100);
  assert.deepEqual(sets(api, "cmi.core.score.raw"), ["0", "100"]);
  assert.deepEqual(sets(api, "cmi.core.score.min"), ["0"], "written once");
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), ["incomplete", "failed", "passed"]);
  a.save(s, "failed", 0);
  assert.equal(api.model["cmi.core.lesson_status"], "passed", "never downgraded");
  a.finish();
  assert.deepEqual(a.log.errors, []);
});

test("resume restores state and location, keeps completed", () => {
  const api = fakeAPI({
    "cmi.core.entry": "resume",
    "cmi.core.lesson_status": "completed",
    "cmi.core.lesson_location": "b",
    "cmi.suspend_data": '{"v":1,"l":"b","m":{"m":{"n":2,"s":"3"}}}'
  });
  const a = adapter(api);
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
  assert.deepEqual(a.log.errors, []);
});

test("review mode writes no status, score or interactions", () => {
  const api = fakeAPI({ "cmi.core.lesson_mode": "review" });
  const a = adapter(api);
  a.init();
  const s = CP.normalize(null, config);
  s.m.m.seen.fill(true);
  a.save(s, "passed", 90);
  a.record({ id: "q", kind: "choice", response: "a", correct: ["a"], result: true, time: new Date() });
  assert.deepEqual(sets(api, "cmi.core.lesson_status"), []);
  assert.deepEqual(sets(api, "cmi.core.score.raw"), []);
  assert.equal(api.interactions.length, 0);
  a.finish();
});

test("interactions: appended at _count, SCORM 1.2 formats, never read back", () => {
  const api = fakeAPI();
  const a = adapter(api);
  a.init();
  const at = new Date(2024, 4, 6, 14, 3, 9);
  a.record({ id: CP.interactionId("m1-q1", 1), kind: "choice", response: "ac", correct: ["abd"], result: false, latency: 61234, time: at });
  a.record({ id: CP.interactionId("m1-q1", 2), kind: "choice", response: "abd", correct: ["abd"], result: true, latency: 5000, time: at });
  a.record({ id: "m1-q2", kind: "true-false", response: "f", correct: ["t"], result: false, latency: 0, time: at });
  a.record({ id: "m1-q3", kind: "text", response: "  Paris\nFrance ", correct: ["Paris", "x".repeat(300)], result: true, latency: 1, time: at });
  a.record({ id: "m1-r1", kind: "reflection", ref: "m1-r1", response: "y".repeat(400), correct: [], result: null, time: at });
  assert.deepEqual(
    api.interactions.map((i) => [i.id, i.type, i.correct, i.response, i.result, i.latency, i.time]),
    [
      ["m1-q1", "choice", ["a,b,d"], "a,c", "wrong", "00:01:01.23", "14:03:09"],
      ["m1-q1-2", "choice", ["a,b,d"], "a,b,d", "correct", "00:00:05.00", "14:03:09"],
      ["m1-q2", "true-false", ["t"], "f", "wrong", "00:00:00.00", "14:03:09"],
      ["m1-q3", "fill-in", ["Paris", "x".repeat(254) + "\u2026"], "  Paris France ", "correct", "00:00:00.00", "14:03:09"],
      ["m1-r1", "fill-in", [], "y".repeat(254) + "\u2026", "neutral", undefined, "14:03:09"]
    ]
  );
  const reads = api.calls.filter((c) => c[0] === "LMSGetValue").map((c) => c[1]);
  assert.ok(reads.every((el) => !/^cmi\.interactions\.\d/.test(el)), "no reads of write-only elements");
  assert.equal(reads.filter((el) => el === "cmi.interactions._count").length, 5, "_count read for each");
  const fields = api.calls.filter((c) => c[0] === "LMSSetValue" && /^cmi\.interactions\.0\./.test(c[1])).map((c) => c[1].slice(19));
  assert.deepEqual(fields.slice(0, 2), ["id", "type"], "id, then type, then the rest");
  a.finish();
  assert.deepEqual(a.log.errors, [], "the LMS refused nothing");
});

test("interactions after a resume continue at the LMS's _count", () => {
  const api = fakeAPI();
  api.interactions.push({ correct: [] }, { correct: [] });
  const a = adapter(api);
  a.init();
  a.record({ id: "q", kind: "choice", response: "b", correct: ["b"], result: true, time: new Date() });
  assert.equal(api.interactions.length, 3);
  assert.equal(api.interactions[2].id, "q");
  assert.ok(sets(api, "cmi.interactions.2.id").length === 1);
  a.finish();
  assert.deepEqual(a.log.errors, []);
});

test("an LMS without interactions: one warning, no writes", () => {
  const api = fakeAPI({}, { noInteractions: true });
  const a = adapter(api);
  a.init();
  a.record({ id: "q", kind: "choice", response: "b", correct: ["b"], result: true, time: new Date() });
  a.record({ id: "q-2", kind: "choice", response: "b", correct: ["b"], result: true, time: new Date() });
  assert.equal(api.calls.filter((c) => c[0] === "LMSSetValue" && /interactions/.test(c[1])).length, 0);
  assert.equal(a.log.warnings.filter((w) => /interactions/.test(w)).length, 2, "the failed read, then the notice");
  a.finish();
});

test("reflections go to cmi.comments as [reflection ID] text, within its room", () => {
  const api = fakeAPI({ "cmi.comments": "Learner said hello" });
  const a = adapter(api);
  a.init();
  const rec = (ref, text) => a.record({ id: ref, kind: "reflection", ref, response: text, correct: [], result: null, time: new Date() });
  rec("m1-r1", "First\nthought");
  assert.equal(api.model["cmi.comments"], "Learner said hello\n[reflection m1-r1] First thought");
  rec("m1-r2", "Second");
  rec("m1-r1", "Revised");
  assert.equal(api.model["cmi.comments"], "Learner said hello\n[reflection m1-r1] Revised\n[reflection m1-r2] Second", "own entry replaced in place");
  rec("m1-r3", "z".repeat(5000));
  const c = api.model["cmi.comments"];
  assert.equal(c.length, 4096, "filled to the limit");
  assert.match(c, /\n\[reflection m1-r3\] z+\u2026$/);
  rec("m1-r4", "no room");
  assert.equal(api.model["cmi.comments"], c, "nothing written without room");
  assert.ok(a.log.warnings.some((w) => /no room/.test(w)));
  assert.equal(api.calls.filter((x) => x[0] === "LMSGetValue" && x[1] === "cmi.comments").length, 2, "read on the first write, and once to learn that writes replace");
  a.finish();
  assert.deepEqual(a.log.errors, []);
});

test("an LMS that appends to cmi.comments, as Moodle does, gets each line once", () => {
  const api = fakeAPI({ "cmi.comments": "Learner said hello" }, { appendComments: true });
  const a = adapter(api);
  a.init();
  const rec = (ref, text) => a.record({ id: ref, kind: "reflection", ref, response: text, correct: [], result: null, time: new Date() });
  rec("m1-r1", "First\nthought");
  assert.equal(api.model["cmi.comments"], "Learner said hello\n[reflection m1-r1] First thought");
  rec("m1-r1", "First thought");
  rec("m1-r2", "Second");
  assert.equal(api.model["cmi.comments"], "Learner said hello\n[reflection m1-r1] First thought\n[reflection m1-r2] Second", "an unchanged text is not written again");
  rec("m1-r1", "Revised");
  assert.equal(api.model["cmi.comments"], "Learner said hello\n[reflection m1-r1] First thought\n[reflection m1-r2] Second\n[reflection m1-r1] Revised", "a revision is a new line");
  rec("m1-r3", "z".repeat(5000));
  const c = api.model["cmi.comments"];
  assert.equal(c.length, 4096, "filled to the limit");
  rec("m1-r4", "no room");
  assert.equal(api.model["cmi.comments"], c, "nothing written without room");
  a.finish();
  assert.deepEqual(a.log.errors, []);
});

test("an empty cmi.comments is written whole, whatever the LMS does with writes", () => {
  for (const appendComments of [false, true]) {
    const api = fakeAPI({}, { appendComments });
    const a = adapter(api);
    a.init();
    const rec = (ref, text) => a.record({ id: ref, kind: "reflection", ref, response: text, correct: [], result: null, time: new Date() });
    rec("m1-r1", "One");
    rec("m1-r2", "Two");
    rec("m1-r1", "One");
    assert.equal(api.model["cmi.comments"], "[reflection m1-r1] One\n[reflection m1-r2] Two", `appendComments=${appendComments}`);
    a.finish();
  }
});

function longState(text1, text2) {
  const s = CP.normalize(null, config);
  s.m.m.r["m-r1"] = { t: text1, n: 1 };
  s.m.m.r["m-r2"] = { t: text2, n: 1 };
  s.loc = "a";
  return s;
}

test("a state over 4096 characters is compressed when that fits", async () => {
  const api = fakeAPI();
  const a = adapter(api);
  a.init();
  const s = longState("I want to listen before I speak. ".repeat(90), "Ask, then listen. ".repeat(100));
  assert.ok(CP.encode(s).length > 4096);
  a.save(s, "incomplete");
  assert.deepEqual(sets(api, "cmi.suspend_data"), [], "nothing yet: compression is under way");
  await until(() => api.model["cmi.suspend_data"]);
  const z = api.model["cmi.suspend_data"];
  assert.match(z, /^z/);
  assert.ok(z.length <= 4096);
  assert.deepEqual(a.events.map((e) => e[0]), ["stored"]);
  assert.equal(await CP.unpack(z), CP.encode(s));
  a.finish();

  /* Relaunch: init returns a promise of the unpacked state. */
  const api2 = fakeAPI({ "cmi.core.entry": "resume", "cmi.suspend_data": z });
  const b = adapter(api2);
  const res = b.init();
  assert.equal(typeof res.then, "function");
  const got = await res;
  assert.deepEqual(CP.normalize(got.state, config), s);
  b.finish();
  assert.deepEqual(a.log.errors.concat(b.log.errors), []);
});

function noise(n, seed) {
  let x = seed, s = "";
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += String.fromCharCode(0x4e00 + (x % 20000));
  }
  return s;
}

test("text that cannot fit is clipped in the LMS copy, and the learner told", async () => {
  const api = fakeAPI();
  const a = adapter(api);
  a.init();
  const s = longState(noise(3000, 1), noise(1500, 2));
  a.save(s, "incomplete");
  await until(() => api.model["cmi.suspend_data"]);
  const data = api.model["cmi.suspend_data"];
  assert.ok(data.length <= 4096 && data.length > 4000, String(data.length));
  const back = CP.normalize(await CP.load(data), config);
  assert.equal(back.m.m.r["m-r1"].t.slice(-1), "\u2026");
  assert.ok(back.m.m.r["m-r1"].t.length > 2000, "only as much cut as needed");
  assert.equal(back.m.m.r["m-r2"].t, s.m.m.r["m-r2"].t, "the shorter text whole");
  assert.deepEqual(a.events[a.events.length - 1], ["clipped", ["m-r1"]]);

  const c = longState(noise(4000, 3), noise(4000, 4));
  a.save(c, "incomplete");
  await until(() => a.events.length > 1);
  const back2 = CP.normalize(await CP.load(api.model["cmi.suspend_data"]), config);
  assert.equal(back2.m.m.r["m-r1"].t.length, back2.m.m.r["m-r2"].t.length, "the longest texts cut to one length");
  assert.deepEqual(a.events[a.events.length - 1], ["clipped", ["m-r1", "m-r2"]]);

  /* Shorter text fits again: the notice goes. */
  a.save(longState("ok", "fine"), "incomplete");
  assert.deepEqual(a.events[a.events.length - 1], ["stored", undefined]);
  a.finish();
  assert.deepEqual(a.log.errors, []);
});

test("pagehide never loses the synchronous save", async () => {
  const api = fakeAPI();
  const a = adapter(api);
  a.init();
  a.save(longState("Listening matters. ".repeat(300), ""), "incomplete");
  a.finish(); /* before compression is done */
  const i = api.calls.findIndex((c) => c[0] === "LMSSetValue" && c[1] === "cmi.suspend_data");
  assert.ok(i >= 0 && i < api.calls.findIndex((c) => c[0] === "LMSFinish"), "the clipped copy went before LMSFinish");
  assert.ok(api.model["cmi.suspend_data"].length <= 4096);
  assert.match(api.model["cmi.suspend_data"], /^\{"v":2/);
  await settle();
  assert.deepEqual(api.calls[api.calls.length - 1], ["LMSFinish", ""], "nothing after LMSFinish");

  /* flush does the same while the page lives; the full copy follows. */
  const api2 = fakeAPI();
  const b = adapter(api2);
  b.init();
  const s = longState("Listening matters. ".repeat(300), "");
  b.save(s, "incomplete");
  b.flush();
  assert.match(api2.model["cmi.suspend_data"], /^\{/);
  await until(() => /^z/.test(api2.model["cmi.suspend_data"]));
  assert.equal(await CP.unpack(api2.model["cmi.suspend_data"]), CP.encode(s));
  b.finish();
});

test("without CompressionStream the clipped copy is written", async () => {
  const saved = global.CompressionStream;
  global.CompressionStream = undefined;
  try {
    const api = fakeAPI();
    const a = adapter(api);
    a.init();
    a.save(longState("Listening matters. ".repeat(300), ""), "incomplete");
    await until(() => api.model["cmi.suspend_data"]);
    assert.match(api.model["cmi.suspend_data"], /^\{"v":2/);
    assert.ok(api.model["cmi.suspend_data"].length <= 4096);
    assert.equal(a.events[0][0], "clipped");
    a.finish();
  } finally {
    global.CompressionStream = saved;
  }
});

test("a state that cannot fit at all is not written, and never throws", async () => {
  const big = { limits, modules: [{ id: "m", completion: "pages", pages: Array.from({ length: 40000 }, (_, i) => "p" + i) }] };
  const api = fakeAPI();
  const log = quietLog();
  const events = [];
  const a = CP.runtimes.scorm12(big, { window: { API: api }, log, notify: (k) => events.push(k) });
  a.init();
  const s = CP.normalize(null, big);
  let x = 7;
  s.m.m.seen = s.m.m.seen.map(() => (x = (x * 1103515245 + 12345) % 2147483648) > 1073741824); /* hard to compress */
  s.loc = "p1";
  a.save(s, "incomplete");
  await until(() => events.length);
  assert.deepEqual(sets(api, "cmi.suspend_data"), []);
  assert.match(log.errors.join("\n"), /4096/);
  assert.deepEqual(events, ["unsaved"]);
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
  const events = [];
  const a = CP.runtimes.local(config, { storage, notify: (k) => events.push(k) });
  assert.equal(a.kind, "local");
  assert.equal(a.persistent, true);
  assert.deepEqual(a.init(), { entry: "ab-initio", state: null, location: "", status: "" });
  const s = CP.normalize(null, config);
  s.m.m.seen.fill(true);
  s.m.m.r["m-r1"] = { t: "x".repeat(4000), n: 1 };
  s.m.m.r["m-r2"] = { t: "y".repeat(4000), n: 1 };
  s.loc = "b";
  a.save(s, "completed", 50);
  a.save(s, "incomplete");
  a.record({ id: "q", kind: "choice", response: "a", correct: ["a"], result: true });
  a.finish();
  assert.deepEqual(events, ["stored", "stored"]);
  const b = CP.runtimes.local(config, { storage });
  const res = b.init();
  assert.equal(res.entry, "resume");
  assert.equal(res.status, "completed");
  assert.equal(res.location, "b");
  assert.deepEqual(CP.normalize(res.state, config), s, "no size limit in the browser");

  const full = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
  const c = CP.runtimes.local(config, { storage: full, notify: (k) => events.push(k) });
  const warn = console.warn;
  console.warn = () => {};
  try {
    c.save(s, "completed");
  } finally {
    console.warn = warn;
  }
  assert.equal(events[events.length - 1], "unsaved");

  const none = CP.runtimes.local(config);
  assert.equal(none.persistent, false, "no localStorage in node");
  none.save(s, "completed");
});

test("a score is written only with a final status, so an LMS cannot turn incomplete into passed on finish", () => {
  const api = fakeAPI();
  const a = adapter(api);
  a.init();
  const st = CP.normalize(null, config);
  st.m.m.seen = [true, false];
  a.save(st, "incomplete", 100);
  assert.deepEqual(sets(api, "cmi.core.score.raw"), [], "a score written while incomplete");
  st.m.m.seen = [true, true];
  a.save(st, "passed", 100);
  assert.deepEqual(sets(api, "cmi.core.score.raw"), ["100"]);
  const order = api.calls.filter((c) => c[0] === "LMSSetValue").map((c) => c[1]);
  assert.ok(order.lastIndexOf("cmi.core.score.raw") < order.lastIndexOf("cmi.core.lesson_status"), "score before status");
});
