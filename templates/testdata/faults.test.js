"use strict";
/* LMS faults in the SCORM engine (cmi.js): an LMS that refuses SetValue,
 * Commit or LMSFinish, an API whose functions throw or vanish mid-session,
 * and an LMS that gives back non-standard values on resume. Each test
 * asserts what the LMS finally holds (its data as of its last successful
 * commit or finish), what the learner was told (notify), the journal the
 * adapter keeps in the browser, and the merge on the next launch. */
const test = require("node:test");
const assert = require("node:assert/strict");
const CP = require("../player/core.js");
require("../player/scorm12.js");
require("../player/scorm2004.js");

const limits = { answer: 255, goals: 5, goal: 150, actions: 400, buddy: 80 };
const config = {
  key: "coursepack:https://example.org/c#m",
  limits,
  modules: [{
    id: "m", completion: "pages", pages: ["a", "b", "c"], plan: true,
    questions: [
      { id: "q1", type: "single", correct: ["b"], options: 3, attempts: 0 },
      { id: "q2", type: "text", answers: ["Listen"], attempts: 3 }
    ],
    reflections: [{ id: "r1", max: 1000 }, { id: "r2", max: 1000 }]
  }]
};
const JKEY = config.key + ":journal:";

/* lms12 is a SCORM 1.2 LMS whose functions can be made to fail: faults
 * maps a function's name to f(args) returning an error code to fail with,
 * "throw" to throw, or nothing to work.
 * saved is what the LMS keeps: its data as of the last successful
 * LMSCommit or LMSFinish. */
function lms12(data) {
  const api = {
    calls: [],
    faults: {},
    model: Object.assign({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted", "cmi.core.lesson_mode": "normal", "cmi.core.student_id": "s-1" }, data),
    interactions: [],
    saved: null
  };
  let state = "new", err = "0";
  const snap = () => (api.saved = JSON.parse(JSON.stringify({ model: api.model, interactions: api.interactions })));
  const impl = {
    LMSInitialize() { if (state !== "new") return (err = "101"), "false"; state = "on"; return "true"; },
    LMSFinish() { if (state !== "on") return (err = "301"), "false"; state = "done"; snap(); return "true"; },
    LMSCommit() { if (state !== "on") return (err = "301"), "false"; snap(); return "true"; },
    LMSGetValue(el) {
      if (state !== "on") return (err = "301"), "";
      if (el === "cmi.interactions._count") return String(api.interactions.length);
      return el in api.model ? String(api.model[el]) : "";
    },
    LMSSetValue(el, v) {
      if (state !== "on") return (err = "301"), "false";
      const m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(el);
      if (m) {
        const n = +m[1];
        if (n > api.interactions.length || (n === api.interactions.length && m[2] !== "id")) return (err = "201"), "false";
        if (n === api.interactions.length) api.interactions.push({});
        api.interactions[n][m[2]] = v;
        return "true";
      }
      if (/^cmi\.core\.(student_id|entry|lesson_mode)$/.test(el)) return (err = "403"), "false";
      if (el === "cmi.suspend_data" && v.length > 4096) return (err = "405"), "false";
      api.model[el] = v;
      return "true";
    },
    LMSGetLastError() { return err; },
    LMSGetErrorString(c) { return "error " + c; },
    LMSGetDiagnostic() { return ""; }
  };
  Object.keys(impl).forEach((name) => {
    api[name] = (...args) => {
      api.calls.push([name, ...args]);
      const f = api.faults[name] && api.faults[name](...args);
      if (f === "throw") throw new Error("LMS session lost");
      if (/Error|Diagnostic/.test(name)) return impl[name](...args);
      err = "0";
      if (f) {
        err = f;
        return name === "LMSGetValue" ? "" : "false";
      }
      return impl[name](...args);
    };
  });
  return api;
}

function clock() {
  const c = { t: 1000000, timers: [] };
  c.now = () => c.t;
  c.setTimeout = (fn, ms) => { const id = { fn, at: c.t + ms }; c.timers.push(id); return id; };
  c.clearTimeout = (id) => { c.timers = c.timers.filter((x) => x !== id); };
  /* advance moves time on by ms, running each timer when its time comes. */
  c.advance = (ms) => {
    const end = c.t + ms;
    for (;;) {
      const due = c.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      c.timers = c.timers.filter((x) => x !== due);
      c.t = Math.max(c.t, due.at);
      due.fn();
    }
    c.t = end;
  };
  return c;
}

function memory() {
  const m = new Map();
  return { map: m, getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

/* launch starts a SCORM 1.2 adapter on api, with the clock and storage
 * (the same browser when shared between launches). */
function launch(api, env, extra) {
  const log = { errors: [], warnings: [] };
  log.error = (...a) => log.errors.push(a.map(String).join(" "));
  log.warn = (...a) => log.warnings.push(a.map(String).join(" "));
  const events = [];
  const make = (extra && extra.runtime) || CP.runtimes.scorm12;
  const a = make(config, Object.assign({
    window: { API: api, API_1484_11: api }, log, storage: env.storage,
    now: env.clock.now, setTimeout: env.clock.setTimeout, clearTimeout: env.clock.clearTimeout,
    notify: (k) => events.push(k)
  }, extra));
  a.log = log;
  a.events = events;
  return a;
}

function env() {
  return { clock: clock(), storage: memory() };
}

/* started launches the SCORM 1.2 adapter against a healthy LMS and a
 * learner, five seconds in (past the first throttled commit). */
async function started() {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  e.clock.advance(5000);
  return { e, api, a, l };
}

/* learner plays the player's part: the state, saves as player.js makes
 * them (status and score from CP.result). */
async function learner(a) {
  const res = await a.init();
  const state = CP.normalize(res.state, config);
  let status = res.status;
  const l = {
    res, state,
    save() {
      const r = CP.result(config, state);
      status = CP.mergeStatus(status, r.status);
      a.save(state, status, r.score);
    },
    see(pi) {
      state.m.m.seen[pi] = true;
      state.loc = config.modules[0].pages[pi];
      l.save();
    },
    answer(qid, r, right) {
      const q = config.modules[0].questions.find((x) => x.id === qid);
      const ans = CP.check(q, state.m.m, r);
      a.record({ id: CP.interactionId(qid, ans.n), q: qid, kind: q.type === "text" ? "text" : "choice", response: r, correct: [right], result: ans.ok, time: new Date(0) });
      l.save();
    },
    write(id, text) {
      state.m.m.r[id] = { t: text, n: (state.m.m.r[id].n || 0) + 1 };
      l.save();
    }
  };
  return l;
}

function journal(e, learnerId = "s-1") {
  return JSON.parse(e.storage.getItem(JKEY + learnerId));
}
/* held is the learner's state as the LMS keeps it. */
function held(api) {
  return CP.normalize(CP.decode(api.saved.model["cmi.suspend_data"]), config);
}
const count = (api, name) => api.calls.filter((c) => c[0] === name).length;

test("SetValue refused for suspend_data: set again with backoff, the learner told, the LMS has it after recovery", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  l.see(0);
  e.clock.advance(5000);
  assert.equal(held(api).m.m.seen[0], true);

  api.faults.LMSSetValue = (el) => (el === "cmi.suspend_data" ? "101" : undefined);
  l.write("r1", "Listen first.");
  const tries = () => api.calls.filter((c) => c[0] === "LMSSetValue" && c[1] === "cmi.suspend_data").length;
  const before = tries();
  assert.deepEqual(a.events.filter((k) => k.startsWith("lms")), [], "not told at the first refusal");
  e.clock.advance(999);
  assert.equal(tries(), before);
  e.clock.advance(1);
  assert.equal(tries(), before + 1, "set again after 1 s");
  assert.deepEqual(a.events.filter((k) => k.startsWith("lms")), ["lms-failed"], "told once a retry failed too");
  e.clock.advance(2000);
  assert.equal(tries(), before + 2, "then after 2 s more");
  const j = journal(e);
  assert.ok(j.t > j.c, "the journal knows the LMS lacks some of it");
  assert.equal(CP.normalize(CP.decode(j.d), config).m.m.r.r1.t, "Listen first.");
  assert.equal(held(api).m.m.r.r1.t, "", "the LMS does not have it yet");

  delete api.faults.LMSSetValue;
  e.clock.advance(4000);
  assert.equal(tries(), before + 3);
  assert.equal(held(api).m.m.r.r1.t, "Listen first.", "committed after the retry");
  assert.deepEqual(a.events.filter((k) => k.startsWith("lms")), ["lms-failed", "lms-ok"]);
  const j2 = journal(e);
  assert.equal(j2.c, j2.t, "the journal is confirmed");
  assert.deepEqual(e.clock.timers, [], "no retry left");
  a.finish();
  assert.equal(count(api, "LMSFinish"), 1);
  assert.deepEqual(a.log.errors, []);
});

test("Commit refused: committed again with backoff until the LMS takes it", async () => {
  const { e, api, a, l } = await started();
  const at = [];
  api.faults.LMSCommit = () => (at.push(e.clock.t), "101");
  l.see(0);
  const t0 = e.clock.t;
  l.answer("q1", "b", "b");
  e.clock.advance(7000);
  /* At once (the throttle allowed it), then 1, 2 and 4 s later (the
   * retry at 3 s stands for the answer's throttled commit). */
  assert.deepEqual(at.map((t) => t - t0), [0, 1000, 3000, 7000]);
  assert.ok(a.events.includes("lms-failed"));
  delete api.faults.LMSCommit;
  e.clock.advance(8000);
  assert.deepEqual(held(api).m.m.a.q1, { r: "b", n: 1, ok: true });
  assert.equal(api.saved.interactions.length, 1);
  assert.equal(a.events[a.events.length - 1], "lms-ok");
  assert.deepEqual(e.clock.timers, []);
  a.finish();
  assert.deepEqual(a.log.errors, []);
});

test("an LMS that never recovers: five retries, one error, the work in the journal, merged into the next launch", async () => {
  const { e, api, a, l } = await started();
  api.faults.LMSSetValue = () => "101";
  api.faults.LMSCommit = () => "101";
  l.see(0);
  l.see(1);
  l.answer("q1", "a", "b");
  l.answer("q1", "b", "b");
  l.write("r1", "A long thought about listening.");
  state_plan(l.state);
  l.save();
  const sets = () => api.calls.filter((c) => c[1] === "cmi.suspend_data").length;
  const s0 = sets();
  e.clock.advance(60000);
  assert.equal(sets() - s0, 5, "five retries");
  assert.deepEqual(e.clock.timers, [], "no more retries");
  assert.equal(a.log.errors.length, 1, a.log.errors.join("\n"));
  assert.match(a.log.errors[0], /kept in this browser/);
  l.see(2); /* the learner goes on: still journaled */
  assert.equal(a.events.filter((k) => k === "lms-failed").length, 1, "told once");
  api.faults.LMSFinish = () => "101";
  a.finish();
  assert.ok(count(api, "LMSFinish") >= 2, "finish tried again at once");
  const j = journal(e);
  assert.ok(j.t > j.c);
  assert.equal(j.d, CP.encode(l.state), "the journal holds the whole state");
  assert.ok(j.rt.r1 > j.c && j.pt.m > j.c, "the texts changed since the LMS last confirmed");

  /* Next launch: the LMS has what it had before the faults. */
  const api2 = lms12({ "cmi.core.entry": "resume", "cmi.suspend_data": api.saved.model["cmi.suspend_data"], "cmi.core.lesson_location": "a", "cmi.core.lesson_status": "incomplete" });
  e.clock.advance(1000);
  const b = launch(api2, e);
  const l2 = await learner(b);
  assert.deepEqual(l2.state, l.state, "the journal's state, whole");
  assert.equal(l2.res.location, "c", "back where the learner was");
  l2.save();
  e.clock.advance(5000);
  assert.deepEqual(held(api2), l.state, "the LMS has the merged state");
  assert.equal(api2.saved.model["cmi.core.lesson_status"], "completed");
  const j2 = journal(e);
  assert.equal(j2.c, j2.t);
  b.finish();
  assert.deepEqual(b.log.errors, []);
});

function state_plan(state) {
  state.m.m.p = { b: "Sam", d: "2031-06-01", g: [{ t: "Run a session", a: "Book a room", d: "2031-03-14" }] };
}

test("LMSFinish refused: tried again at once, then with backoff; nothing after the finish that worked", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  l.see(0);
  let refusals = 3;
  api.faults.LMSFinish = () => (refusals-- > 0 ? "101" : undefined);
  a.finish();
  assert.equal(count(api, "LMSFinish"), 2, "once more at once");
  assert.deepEqual(a.events.filter((k) => k.startsWith("lms")), ["lms-failed"]);
  a.finish(); /* the player calls it once; a second call does nothing */
  assert.equal(count(api, "LMSFinish"), 2);
  e.clock.advance(1000);
  assert.equal(count(api, "LMSFinish"), 3);
  e.clock.advance(2000);
  assert.equal(count(api, "LMSFinish"), 4, "the fourth worked");
  assert.equal(api.calls[api.calls.length - 1][0], "LMSFinish");
  e.clock.advance(60000);
  assert.equal(api.calls[api.calls.length - 1][0], "LMSFinish", "nothing after it");
  assert.equal(a.events[a.events.length - 1], "lms-ok");
  assert.equal(api.saved.model["cmi.core.session_time"] !== undefined, true);
  const j = journal(e);
  assert.equal(j.c, j.t, "confirmed by the finish");
});

test("API functions that throw mid-session: nothing escapes, the work is journaled and merged next time", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  l.see(0);
  e.clock.advance(5000);
  Object.keys(api).forEach((k) => {
    if (/^LMS/.test(k)) api.faults[k] = () => "throw";
  });
  l.see(1);
  l.answer("q2", "listen", "Listen");
  l.write("r2", "Ask, then wait.");
  a.flush();
  e.clock.advance(60000);
  a.finish();
  assert.ok(a.events.includes("lms-failed"));
  assert.equal(a.log.warnings.filter((w) => /threw/.test(w)).length, 1, "the throw is logged once");
  assert.deepEqual(held(api).m.m.seen, [true, false, false]);

  const api2 = lms12({ "cmi.core.entry": "resume", "cmi.suspend_data": api.saved.model["cmi.suspend_data"] });
  const b = launch(api2, e);
  const l2 = await learner(b);
  assert.deepEqual(l2.state.m.m.seen, [true, true, false]);
  assert.equal(l2.state.m.m.a.q2.n, 1);
  assert.equal(l2.state.m.m.r.r2.t, "Ask, then wait.");
});

test("the API removed after init (its functions gone): nothing escapes, merged on the next launch", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  l.see(0);
  e.clock.advance(5000);
  Object.keys(api).forEach((k) => {
    if (/^LMS/.test(k)) delete api[k];
  });
  l.see(1);
  l.write("r1", "Gone but kept.");
  e.clock.advance(60000);
  a.flush();
  a.finish();
  assert.ok(a.events.includes("lms-failed"));

  const api2 = lms12({ "cmi.core.entry": "ab-initio" });
  const b = launch(api2, e);
  const l2 = await learner(b);
  assert.deepEqual(l2.state.m.m.seen, [true, true, false], "an LMS that starts afresh gets the unconfirmed journal");
  assert.equal(l2.state.m.m.r.r1.t, "Gone but kept.");
});

test("an interaction the LMS could not start is recorded again at its _count, once", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  api.faults.LMSSetValue = (el) => (/^cmi\.interactions/.test(el) ? "101" : undefined);
  l.answer("q1", "a", "b");
  api.faults.LMSGetValue = (el) => (el === "cmi.interactions._count" ? "101" : undefined);
  l.answer("q1", "b", "b");
  assert.equal(api.interactions.length, 0);
  delete api.faults.LMSSetValue;
  delete api.faults.LMSGetValue;
  e.clock.advance(1000);
  assert.deepEqual(api.interactions.map((i) => [i.id, i.student_response, i.result]), [["q1", "a", "wrong"], ["q1-2", "b", "correct"]]);
  e.clock.advance(60000);
  assert.equal(api.interactions.length, 2, "no duplicate");
  assert.equal(api.saved.interactions.length, 2, "committed");
  a.finish();
});

test("a passing refusal cured by the first retry: the learner is not told", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  let once = 1;
  api.faults.LMSSetValue = (el) => (el === "cmi.suspend_data" && once-- > 0 ? "101" : undefined);
  l.see(1);
  e.clock.advance(60000);
  assert.deepEqual(a.events.filter((k) => k.startsWith("lms")), []);
  assert.deepEqual(held(api).m.m.seen, [false, true, false]);
  assert.deepEqual(a.log.errors, []);
});

test("flush and finish send at once what the LMS refused: values, then interactions, before LMSFinish", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  api.faults.LMSSetValue = () => "101";
  l.see(2);
  delete api.faults.LMSSetValue;
  a.flush();
  assert.equal(api.saved.model["cmi.core.lesson_location"], "c", "committed by the flush");
  api.faults.LMSSetValue = () => "101";
  l.answer("q1", "b", "b");
  delete api.faults.LMSSetValue;
  a.finish();
  const names = api.calls.map((c) => c[0] + " " + (c[1] || ""));
  const fin = names.lastIndexOf("LMSFinish ");
  assert.ok(names.indexOf("LMSSetValue cmi.interactions.0.id") < fin);
  assert.deepEqual(api.saved.interactions.map((i) => i.id), ["q1"]);
  assert.deepEqual(held(api).m.m.a.q1, { r: "b", n: 1, ok: true });
  assert.equal(api.calls[api.calls.length - 1][0], "LMSFinish");
  const j = journal(e);
  assert.equal(j.c, j.t);
  assert.deepEqual(a.events.filter((k) => k.startsWith("lms")), [], "cured before a retry was due");
});

test("a value refused as wrong (405) is not retried", async () => {
  const e = env();
  const api = lms12();
  const a = launch(api, e);
  const l = await learner(a);
  api.faults.LMSSetValue = (el) => (el === "cmi.core.lesson_location" ? "405" : undefined);
  l.see(1);
  const n = api.calls.length;
  e.clock.advance(60000);
  assert.ok(!api.calls.slice(n).some((c) => c[1] === "cmi.core.lesson_location"));
  assert.ok(!a.events.includes("lms-failed"));
  assert.equal(a.log.errors.length, 1, "logged as an error");
  const j = journal(e);
  assert.equal(j.c, j.t, "the rest was confirmed");
});

for (const [name, data] of [
  ["empty", ""],
  ["null", "null"],
  ["undefined", "undefined"],
  ["truncated", CP.encode(CP.normalize(null, config)).slice(0, 20)],
  ["an unknown version", '{"v":9,"m":{"m":{"n":3,"s":"7"}}}'],
  ["garbage", "\u0000\ufffd<html>oops"],
  ["a truncated packed state", "zq1Y"],
  ["packed garbage", "z!!!not base64"]
]) {
  test(`resume with ${name} suspend_data: a clean start, or the journal's state`, async () => {
    for (const withJournal of [false, true]) {
      const e = env();
      let want = CP.normalize(null, config);
      if (withJournal) {
        /* A confirmed journal from the last session in this browser. */
        const api0 = lms12();
        const l0 = await learner(launch(api0, e));
        l0.see(0);
        l0.see(1);
        l0.write("r1", "Kept here.");
        e.clock.advance(5000);
        want = l0.state;
        const j = journal(e);
        assert.equal(j.c, j.t);
      }
      const api = lms12({ "cmi.core.entry": "resume", "cmi.suspend_data": data, "cmi.core.lesson_status": "null", "cmi.core.lesson_location": "undefined" });
      const a = launch(api, e);
      let l;
      await assert.doesNotReject(async () => {
        l = await learner(a);
      });
      assert.equal(l.res.entry, "resume");
      assert.equal(l.res.status, "incomplete", "a status of \"null\" counts as none");
      assert.equal(api.model["cmi.core.lesson_status"], "incomplete");
      want.loc = withJournal ? want.loc : "";
      assert.deepEqual(l.state, want, withJournal ? "the journal's state" : "a clean start");
      l.save();
      e.clock.advance(5000);
      assert.deepEqual(held(api), want, "written back to the LMS");
      assert.deepEqual(a.log.errors, []);
    }
  });
}

test("mergeJournal: pages OR, the answer with more checks, texts by time, plan newer", () => {
  const lms = CP.normalize(null, config);
  lms.m.m.seen = [true, false, false];
  lms.m.m.a.q1 = { r: "b", n: 3, ok: true };
  lms.m.m.a.q2 = { r: "lisen", n: 1, ok: false };
  lms.m.m.r.r1 = { t: "From another device", n: 2 };
  lms.m.m.r.r2 = { t: "Old", n: 1 };
  lms.m.m.p = { b: "Ana", d: "", g: [] };
  lms.loc = "a";
  const mine = CP.normalize(null, config);
  mine.m.m.seen = [false, false, true];
  mine.m.m.a.q1 = { r: "a", n: 1, ok: false };
  mine.m.m.a.q2 = { r: "listen", n: 2, ok: true };
  mine.m.m.r.r1 = { t: "Written here long ago", n: 1 };
  mine.m.m.r.r2 = { t: "Newer, here", n: 2 };
  state_plan(mine);
  mine.loc = "c";
  const j = { v: 1, t: 50, c: 20, d: CP.encode(mine), rt: { r1: 10, r2: 40 }, pt: { m: 45 } };
  const got = CP.normalize(CP.mergeJournal(CP.decode(CP.encode(lms)), j, config), config);
  assert.deepEqual(got.m.m.seen, [true, false, true]);
  assert.deepEqual(got.m.m.a, { q1: { r: "b", n: 3, ok: true }, q2: { r: "listen", n: 2, ok: true } });
  assert.deepEqual(got.m.m.r.r1, { t: "From another device", n: 2 }, "unchanged here since confirmed: the LMS's");
  assert.deepEqual(got.m.m.r.r2, { t: "Newer, here", n: 2 }, "changed here since: the journal's");
  assert.deepEqual(got.m.m.p, mine.m.m.p);
  assert.equal(got.loc, "c", "the journal lacked confirmation: its bookmark");

  /* A confirmed journal: the LMS's texts and plan (newer, elsewhere), but
   * still no page or check lost. */
  const synced = Object.assign({}, j, { c: 50 });
  const got2 = CP.normalize(CP.mergeJournal(CP.decode(CP.encode(lms)), synced, config), config);
  assert.deepEqual(got2.m.m.seen, [true, false, true]);
  assert.equal(got2.m.m.r.r2.t, "Old");
  assert.deepEqual(got2.m.m.p, lms.m.m.p);
  assert.equal(got2.loc, "a");

  /* An empty text in the LMS never wins over one in the journal. */
  lms.m.m.r.r1 = { t: "", n: 0 };
  const got3 = CP.normalize(CP.mergeJournal(CP.decode(CP.encode(lms)), synced, config), config);
  assert.equal(got3.m.m.r.r1.t, "Written here long ago");
  /* Nothing counted twice: merging again changes nothing. */
  const again = CP.normalize(CP.mergeJournal(CP.decode(CP.encode(got3)), synced, config), config);
  assert.deepEqual(again, got3);
});

test("the journal is kept per learner: another learner in the same browser starts afresh", async () => {
  const e = env();
  const api = lms12({ "cmi.core.student_id": "ann" });
  const a = launch(api, e);
  const l = await learner(a);
  api.faults.LMSSetValue = () => "101";
  api.faults.LMSCommit = () => "101";
  l.see(2);
  l.write("r1", "Ann's thoughts");
  assert.ok(journal(e, "ann").t > journal(e, "ann").c);

  const bob = lms12({ "cmi.core.student_id": "bob" });
  const b = launch(bob, e);
  const lb = await learner(b);
  assert.deepEqual(lb.state, CP.normalize(null, config), "nothing of Ann's");
  assert.equal(e.storage.getItem(JKEY + "bob"), null, "Bob's journal is written on his first save");
  lb.see(0);
  assert.deepEqual(CP.normalize(CP.decode(journal(e, "bob").d), config).m.m.seen, [true, false, false]);
  assert.equal(CP.normalize(CP.decode(journal(e, "ann").d), config).m.m.r.r1.t, "Ann's thoughts", "Ann's journal untouched");
});

test("a new attempt (ab-initio) after everything was confirmed starts afresh", async () => {
  const e = env();
  const api = lms12();
  const l = await learner(launch(api, e));
  l.see(0);
  l.see(1);
  l.see(2);
  e.clock.advance(5000);
  const api2 = lms12({ "cmi.core.entry": "ab-initio" });
  const l2 = await learner(launch(api2, e));
  assert.deepEqual(l2.state, CP.normalize(null, config));
});

test("SCORM 2004: Commit and SetValue refused, then the next launch merges the journal and writes it back", async () => {
  const e = env();
  const api = lms2004();
  const a = launch(api, e, { runtime: CP.runtimes.scorm2004 });
  const l = await learner(a);
  e.clock.advance(5000);
  api.faults.Commit = () => "391";
  api.faults.SetValue = (el) => (el === "cmi.suspend_data" ? "351" : undefined);
  l.see(0);
  l.see(1);
  l.answer("q1", "b", "b");
  l.write("r1", "Twenty-o-four");
  e.clock.advance(60000);
  assert.ok(a.events.includes("lms-failed"));
  api.faults.Terminate = () => "391";
  a.finish();
  const j = journal(e, "l-9");
  assert.ok(j.t > j.c);
  assert.ok(!api.saved || !/Twenty/.test(api.saved.model["cmi.suspend_data"] || ""));

  const api2 = lms2004({ "cmi.entry": "resume", "cmi.suspend_data": "null" });
  const b = launch(api2, e, { runtime: CP.runtimes.scorm2004 });
  const l2 = await learner(b);
  assert.deepEqual(l2.state, l.state);
  l2.save();
  b.finish();
  assert.deepEqual(held(api2), l.state);
  assert.equal(api2.saved.model["cmi.completion_status"], "incomplete");
  assert.equal(api2.saved.model["cmi.progress_measure"], "0.6667");
  assert.deepEqual(b.log.errors, []);
});

/* lms2004 is lms12 with the SCORM 2004 names. */
function lms2004(data) {
  const names = { Initialize: "LMSInitialize", Terminate: "LMSFinish", GetValue: "LMSGetValue", SetValue: "LMSSetValue", Commit: "LMSCommit", GetLastError: "LMSGetLastError", GetErrorString: "LMSGetErrorString", GetDiagnostic: "LMSGetDiagnostic" };
  const inner = lms12(Object.assign({ "cmi.entry": "ab-initio", "cmi.mode": "normal", "cmi.learner_id": "l-9", "cmi.completion_status": "unknown", "cmi.success_status": "unknown" }, data));
  const api = { calls: inner.calls, faults: {}, get model() { return inner.model; }, get saved() { return inner.saved; }, interactions: inner.interactions };
  Object.keys(names).forEach((n) => {
    api[n] = (...args) => {
      inner.faults[names[n]] = api.faults[n];
      return inner[names[n]](...args);
    };
  });
  return api;
}
