"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const CP = require("../player/core.js");
require("../player/scorm2004.js");

const config = {
  key: "coursepack:test#m",
  limits: { answer: 255, goals: 5, goal: 150, actions: 400, buddy: 80 },
  modules: [{ id: "m", completion: "pages", pages: ["a", "b"], questions: [], reflections: [] }]
};

/* fakeAPI is a SCORM 2004 LMS that checks what content does the way a
 * strict LMS would (RTE 4.2; Moodle's 2004 patterns): element access,
 * vocabularies, the formats of durations, timestamps and responses,
 * interactions appended at n = _count with id first and type before the
 * fields whose format depends on it. It records every call. */
function fakeAPI(data) {
  const calls = [];
  const model = Object.assign({ "cmi.entry": "ab-initio", "cmi.mode": "normal", "cmi.completion_status": "unknown", "cmi.success_status": "unknown" }, data);
  const interactions = [];
  let state = "new", lastError = "0";
  const RO = /^cmi\.(entry|mode|credit|learner_id|learner_name|total_time|completion_threshold|scaled_passing_score|launch_data|interactions\._count)$/;
  const WO = /^cmi\.(exit|session_time)$/;
  const duration = /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
  const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,2})?(Z|[+-]\d\d(:\d\d)?)?$/;
  const vocab = {
    "cmi.completion_status": /^(completed|incomplete|not attempted|unknown)$/,
    "cmi.success_status": /^(passed|failed|unknown)$/,
    "cmi.exit": /^(time-out|suspend|logout|normal|)$/,
    "cmi.session_time": duration,
    "cmi.score.scaled": /^-?(0(\.\d+)?|1(\.0+)?)$/,
    "cmi.progress_measure": /^(0(\.\d+)?|1(\.0+)?)$/,
    "adl.nav.request": /^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_)$/
  };
  const formats = {
    choice: /^[^\s\[\]]+(\[,\][^\s\[\]]+)*$/,
    "true-false": /^(true|false)$/,
    /* scorm-again's and Moodle's CMILangString patterns: ".", so one
     * line, and no "{" but a {lang=...} delimiter at the start. */
    "fill-in": /^(?!\{)[^\n\r\u2028\u2029]{0,250}$/,
    "long-fill-in": /^(?!\{)[^\n\r\u2028\u2029]{0,4000}$/
  };
  function r(ok, code) {
    lastError = ok ? "0" : code;
    return ok ? "true" : "false";
  }
  function setInteraction(el, v) {
    const m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(el);
    const n = +m[1], field = m[2];
    if (n > interactions.length) return r(false, "351");
    if (n === interactions.length) {
      if (field !== "id") return r(false, "408");
      interactions.push({ correct: [] });
    }
    const it = interactions[n];
    let cm;
    if (field === "id") {
      if (!/^[A-Za-z0-9_.]{1,4000}$/.test(v)) return r(false, "406");
      it.id = v;
    } else if (field === "type") {
      if (!(v in formats)) return r(false, "406");
      it.type = v;
    } else if (it.type === undefined) {
      return r(false, "408");
    } else if ((cm = /^correct_responses\.(\d+)\.pattern$/.exec(field))) {
      if (+cm[1] !== it.correct.length || !formats[it.type].test(v)) return r(false, "406");
      it.correct.push(v);
    } else if (field === "learner_response") {
      if (!formats[it.type].test(v)) return r(false, "406");
      it.response = v;
    } else if (field === "result") {
      if (!/^(correct|incorrect|unanticipated|neutral|-?\d+(\.\d+)?)$/.test(v)) return r(false, "406");
      it.result = v;
    } else if (field === "latency") {
      if (!duration.test(v)) return r(false, "406");
      it.latency = v;
    } else if (field === "timestamp") {
      if (!timestamp.test(v)) return r(false, "406");
      it.timestamp = v;
    } else {
      return r(false, "401");
    }
    return r(true);
  }
  const api = {
    calls, model, interactions,
    Initialize(a) { calls.push(["Initialize", a]); if (state !== "new") return r(false, "103"); state = "live"; return r(true); },
    Terminate(a) { calls.push(["Terminate", a]); if (state !== "live") return r(false, state === "new" ? "112" : "113"); state = "done"; return r(true); },
    Commit(a) { calls.push(["Commit", a]); return state === "live" ? r(true) : r(false, "143"); },
    GetValue(el) {
      calls.push(["GetValue", el]);
      if (state !== "live") return (r(false, "123"), "");
      if (WO.test(el) || /^cmi\.interactions\.\d+\./.test(el) && false) return (r(false, "405"), "");
      if (el === "cmi.interactions._count") return (r(true), String(interactions.length));
      if (el in model) return (r(true), model[el]);
      return (r(false, "403"), "");
    },
    SetValue(el, v) {
      calls.push(["SetValue", el, v]);
      if (state !== "live") return r(false, "133");
      if (typeof v !== "string") return r(false, "406");
      if (RO.test(el)) return r(false, "404");
      if (/^cmi\.interactions\.\d+\./.test(el)) return setInteraction(el, v);
      if (vocab[el] && !vocab[el].test(v)) return r(false, "406");
      if (el === "cmi.suspend_data" && v.length > 64000) return r(false, "407");
      if (el === "cmi.location" && v.length > 1000) return r(false, "407");
      model[el] = v;
      return r(true);
    },
    GetLastError() { return lastError; },
    GetErrorString(c) { return "error " + c; },
    GetDiagnostic(c) { return "error " + c; }
  };
  return api;
}

function start(api, extra) {
  const log = { errors: [], warns: [], error(...a) { this.errors.push(a.join(" ")); }, warn(...a) { this.warns.push(a.join(" ")); } };
  const a = CP.runtimes.scorm2004(config, Object.assign({ window: { API_1484_11: api }, log, commitInterval: 0 }, extra));
  return { a, log };
}

function fresh(seen) {
  const s = CP.normalize(null, config);
  s.m.m.seen = seen;
  return s;
}

test("finds API_1484_11 through parents and not the 1.2 API", () => {
  const api = fakeAPI();
  const top = { API_1484_11: api };
  top.parent = top;
  let win = { parent: top };
  for (let i = 0; i < 20; i++) win = { parent: win };
  assert.ok(CP.runtimes.scorm2004(config, { window: win }));
  assert.equal(CP.runtimes.scorm2004(config, { window: { API: { LMSInitialize() {} } } }), null);
});

test("a full session: statuses, progress, score, exit and session time in 2004 forms", () => {
  const api = fakeAPI();
  const { a, log } = start(api, { now: (() => { let t = 0; return () => (t += 61234); })() });
  const r = a.init();
  assert.equal(r.entry, "ab-initio");
  assert.equal(api.model["cmi.completion_status"], "incomplete");
  assert.equal(api.model["cmi.exit"], "suspend");
  a.save(fresh([true, false]), "incomplete");
  assert.equal(api.model["cmi.progress_measure"], "0.5");
  a.save(fresh([true, true]), "passed", 80);
  assert.equal(api.model["cmi.score.scaled"], "0.8");
  assert.equal(api.model["cmi.score.raw"], "80");
  assert.equal(api.model["cmi.score.min"], "0");
  assert.equal(api.model["cmi.score.max"], "100");
  assert.equal(api.model["cmi.success_status"], "passed");
  assert.equal(api.model["cmi.completion_status"], "completed");
  assert.equal(api.model["cmi.exit"], "normal");
  const sets = api.calls.filter((c) => c[0] === "SetValue").map((c) => c[1]);
  assert.ok(sets.indexOf("cmi.score.scaled") < sets.indexOf("cmi.success_status"), "score before status");
  a.finish();
  assert.match(api.model["cmi.session_time"], /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/);
  assert.deepEqual(log.errors, []);
  const terminates = api.calls.filter((c) => c[0] === "Terminate").length;
  assert.equal(terminates, 1);
  const last = api.calls[api.calls.length - 1];
  assert.equal(last[0], "Terminate", "nothing after Terminate");
  assert.notEqual(api.calls[api.calls.length - 2][0], "Commit", "no Commit right before Terminate");
});

test("a failed check with pages unseen leaves completion incomplete", () => {
  const api = fakeAPI();
  const { a } = start(api);
  a.init();
  a.save(fresh([true, false]), "failed", 20);
  assert.equal(api.model["cmi.success_status"], "failed");
  assert.equal(api.model["cmi.completion_status"], "incomplete");
  assert.equal(api.model["cmi.score.scaled"], "0.2");
});

test("a raw 0 is written as 0 and scaled 0", () => {
  const api = fakeAPI();
  const { a } = start(api);
  a.init();
  a.save(fresh([true, true]), "failed", 0);
  assert.equal(api.model["cmi.score.raw"], "0");
  assert.equal(api.model["cmi.score.scaled"], "0");
});

test("interactions in 2004 formats, ids kept to [A-Za-z0-9_.]", () => {
  const api = fakeAPI();
  const { a, log } = start(api);
  a.init();
  const time = new Date(Date.UTC(2026, 10, 26, 9, 5, 7, 456));
  a.record({ id: "m1-q1", kind: "choice", response: "ac", correct: ["ab"], result: false, latency: 12345, time });
  a.record({ id: "m1-q2", kind: "true-false", response: "t", correct: ["t"], result: true, latency: 1000, time });
  a.record({ id: "m1-q3", kind: "text", response: "Neutral zone", correct: ["neutral zone", "the neutral zone"], result: true, time });
  a.record({ id: "m1-r1", kind: "reflection", ref: "m1-r1", response: "Line one\nline [,] two " + "x".repeat(5000), correct: [], result: null, time });
  assert.deepEqual(log.errors, []);
  const [c, tf, fill, long] = api.interactions;
  assert.equal(c.id, "m1_q1");
  assert.equal(c.type, "choice");
  assert.equal(c.response, "a[,]c");
  assert.deepEqual(c.correct, ["a[,]b"]);
  assert.equal(c.result, "incorrect");
  assert.equal(c.latency, "PT12.35S");
  assert.equal(c.timestamp, "2026-11-26T09:05:07.45Z");
  assert.equal(tf.response, "true");
  assert.equal(tf.result, "correct");
  assert.equal(fill.type, "fill-in");
  assert.deepEqual(fill.correct, ["neutral zone", "the neutral zone"]);
  assert.equal(long.type, "long-fill-in");
  assert.equal(long.result, "neutral");
  assert.ok(long.response.length <= 4000 && long.response.startsWith("Line one line [ ,] two"), long.response.slice(0, 40));
});

test("navigation requests: Next module continues, Exit suspends the course", () => {
  const api = fakeAPI();
  const { a } = start(api);
  a.init();
  assert.equal(a.navigate("continue"), true);
  assert.equal(api.model["adl.nav.request"], "continue");
  assert.equal(a.navigate("exit"), true);
  assert.equal(api.model["adl.nav.request"], "suspendAll");
  assert.equal(a.navigate("jump"), false);
  a.finish();
  assert.equal(a.navigate("continue"), false, "nothing after Terminate");
});

test("resume reads the bookmark and suspend data, keeps a pass", () => {
  const saved = CP.encode(fresh([true, false]));
  const api = fakeAPI({ "cmi.entry": "resume", "cmi.location": "b", "cmi.suspend_data": saved, "cmi.success_status": "passed", "cmi.completion_status": "completed" });
  const { a } = start(api);
  const r = a.init();
  assert.equal(r.location, "b");
  assert.equal(r.status, "passed");
  assert.deepEqual(CP.normalize(r.state, config).m.m.seen, [true, false]);
  a.save(fresh([true, true]), "incomplete");
  assert.equal(api.model["cmi.success_status"], "passed", "never downgraded");
});

test("duration and timestamp formats", () => {
  assert.equal(CP.duration(0), "PT0S");
  assert.equal(CP.duration(-5), "PT0S");
  assert.equal(CP.duration(1234), "PT1.23S");
  assert.equal(CP.duration(60000), "PT1M");
  assert.equal(CP.duration(3723450), "PT1H2M3.45S");
  assert.equal(CP.duration(3600000 * 12000), "PT12000H");
  assert.equal(CP.timestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 9))), "2026-01-02T03:04:05.00Z");
});
