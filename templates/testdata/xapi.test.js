"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { CP, IRI, courseConfig, driver } = require("./harness.js");
require("../player/xapi.js");
const { fakeLRS, clock, settle, storage, quietLog, UUID, DURATION } = require("./fakelrs.js");

const REG = "6f6f7a4c-1c7e-4f4b-9d3f-0b6a2c5e8d11";
const ACTOR = { objectType: "Agent", name: "Ann Learner", mbox: "mailto:ann@example.org" };

function launch(lrs, extra) {
  const p = Object.assign({ endpoint: lrs.endpoint, auth: lrs.auth, actor: JSON.stringify(ACTOR), registration: REG }, extra);
  return "?" + Object.keys(p).filter((k) => p[k] !== undefined).map((k) => encodeURIComponent(k) + "=" + encodeURIComponent(p[k])).join("&");
}

/* setup makes an xAPI adapter against lrs; env is kept between launches
 * (the same browser) unless a fresh one is passed. */
function setup(lrs, o) {
  o = o || {};
  const env = o.env || { local: storage(), clk: clock(), log: quietLog(), notes: [] };
  const config = o.config || courseConfig("xapi", o.all);
  const win = { location: { pathname: o.page || "/pkg/index.html", search: "" }, addEventListener() {} };
  const adapter = CP.runtimes.xapi(config, {
    search: o.search !== undefined ? o.search : launch(lrs, o.params),
    window: win, fetch: lrs.fetch, storage: env.local, session: null,
    now: env.clk.now, setTimeout: env.clk.setTimeout, clearTimeout: env.clk.clearTimeout,
    random: () => 0.5, log: env.log, notify: (k) => env.notes.push(k)
  });
  return { adapter, config, env, clk: env.clk, d: adapter && driver(adapter, config, env.clk) };
}

/* walk takes the learner through the whole module: both pages, both
 * questions right, a reflection, and Exit. */
async function walk(t) {
  await t.d.start();
  t.d.show(0, 0);
  await t.clk.tick(30000);
  t.d.answer(0, "q1", ["b"]);
  t.d.reflect(0, "r1", "To help [,] people read.");
  await t.clk.tick(30000);
  t.d.show(0, 1);
  t.d.answer(0, "q2", ["listen "]);
  await t.clk.tick(5000);
  t.adapter.finish();
  await t.clk.tick(5000);
}

test("CP.query and CP.agent read Tin Can launch parameters in both actor forms", () => {
  const p = CP.query("?endpoint=https%3A%2F%2Flrs%2Fx%2F&auth=Basic%20ab+c%3D&a=1&a=2&bad=%E0%A4%A");
  assert.equal(p.endpoint, "https://lrs/x/");
  assert.equal(p.auth, "Basic ab+c=");
  assert.equal(p.a, "1");
  assert.equal(p.bad, undefined);

  const modern = { mbox: "mailto:a@b.c", name: "A" };
  assert.equal(CP.agent(JSON.stringify(modern)).mbox, "mailto:a@b.c");
  assert.deepEqual(CP.agent(modern), modern);
  assert.deepEqual(CP.agent('{"name":["Ann"],"mbox":["mailto:ann@example.org"]}'), { objectType: "Agent", name: "Ann", mbox: "mailto:ann@example.org" });
  assert.deepEqual(CP.agent({ name: ["Ann"], mbox: ["ann@example.org"] }), { objectType: "Agent", name: "Ann", mbox: "mailto:ann@example.org" });
  assert.deepEqual(CP.agent({ objectType: "Agent", account: [{ accountServiceHomePage: "https://lms.example", accountName: "42" }] }),
    { objectType: "Agent", account: { homePage: "https://lms.example", name: "42" } });
  assert.deepEqual(CP.agent({ account: { homePage: "https://lms.example", name: "42" } }), { account: { homePage: "https://lms.example", name: "42" } });
  assert.equal(CP.agent({ name: "nobody" }), null);
  assert.equal(CP.agent("{not json"), null);
  assert.match(CP.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("a partial launch gives no adapter, so the player stays in the browser", () => {
  const lrs = fakeLRS();
  for (const params of [{ auth: undefined }, { actor: undefined }, { endpoint: undefined }, { actor: '{"name":"no id"}' }]) {
    assert.equal(setup(lrs, { params }).adapter, null, JSON.stringify(params));
  }
  assert.equal(setup(lrs, { search: "" }).adapter, null);
  assert.equal(lrs.requests.length, 0);
});

test("a full walk sends valid statements in order, with the state and bookmark", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs);
  await walk(t);
  assert.deepEqual(lrs.problems, []);
  assert.deepEqual(lrs.verbs(), [
    "initialized", "experienced", "progressed", "answered", "answered",
    "experienced", "progressed", "answered", "completed", "passed", "terminated"
  ]);
  const st = lrs.stored();
  for (const r of lrs.requests) {
    assert.equal(r.headers["X-Experience-API-Version"], "1.0.3");
    assert.equal(r.headers.Authorization, lrs.auth);
  }
  const ids = st.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  let last = "";
  for (const s of st) {
    assert.match(s.id, UUID);
    assert.ok(s.timestamp > last, "timestamps increase");
    last = s.timestamp;
    assert.deepEqual(s.actor, ACTOR);
    assert.equal(s.context.registration, REG);
    assert.equal(s.context.language, "en-GB");
  }
  const [init, page, prog, q1, refl, , , q2, done, passed, term] = st;
  assert.equal(init.object.id, IRI);
  assert.deepEqual(init.object.definition, { type: "http://adlnet.gov/expapi/activities/course", name: { "en-GB": "Leading well" } });
  assert.equal(init.context.contextActivities, undefined);

  assert.equal(page.object.id, IRI + "/purpose/_page/welcome");
  assert.deepEqual(page.object.definition.name, { "en-GB": "Welcome" });
  assert.deepEqual(page.context.contextActivities, { parent: [{ objectType: "Activity", id: IRI + "/purpose" }], grouping: [{ objectType: "Activity", id: IRI }] });

  assert.deepEqual(prog.result, { extensions: { "https://w3id.org/xapi/cmi5/result/extensions/progress": 50 } });

  assert.equal(q1.object.id, IRI + "/purpose/q1");
  assert.deepEqual(q1.object.definition, {
    type: "http://adlnet.gov/expapi/activities/cmi.interaction",
    name: { "en-GB": "Which of these is a purpose?" }, description: { "en-GB": "Which of these is a purpose?" },
    interactionType: "choice", correctResponsesPattern: ["b"],
    choices: [{ id: "a", description: { "en-GB": "To sell" } }, { id: "b", description: { "en-GB": "To help" } }, { id: "c", description: { "en-GB": "A logo" } }]
  });
  assert.deepEqual(q1.result, { response: "b", success: true, duration: "PT4.25S" });
  assert.equal(refl.object.id, IRI + "/purpose/r1");
  assert.equal(refl.object.definition.interactionType, "long-fill-in");
  assert.equal(refl.object.definition.correctResponsesPattern, undefined);
  assert.deepEqual(refl.result, { response: "To help [ ,] people read." });
  assert.deepEqual(q2.object.definition.correctResponsesPattern, ["{case_matters=false}Listen", "{case_matters=false}ask"]);
  assert.equal(q2.object.definition.interactionType, "fill-in");
  assert.deepEqual(q2.result, { response: "listen ", success: true, duration: "PT4.25S" });

  assert.equal(done.object.id, IRI);
  assert.equal(done.result.completion, true);
  assert.match(done.result.duration, DURATION);
  assert.equal(done.result.score, undefined);
  assert.deepEqual(passed.result.score, { scaled: 1, raw: 100, min: 0, max: 100 });
  assert.equal(passed.result.success, true);
  assert.equal(passed.result.completion, true);
  assert.equal(passed.result.duration, "PT1M");
  assert.equal(term.result.duration, "PT1M5S");

  const doc = lrs.getState(IRI, ACTOR, REG, "coursepack-state");
  assert.equal(doc.st, "passed");
  assert.equal(doc.sc, 100);
  assert.equal(doc.l, "values");
  assert.deepEqual(doc.x, { c: true, p: true, f: false });
  assert.equal(CP.decode(doc.d).m.purpose.s, "3");
  assert.ok(!t.env.local.dump().includes(lrs.auth), "no credentials in localStorage");
  assert.ok(!t.env.local.dump().includes("Y29udGVudDpzZWNyZXQ"), "no credentials in localStorage");

  /* Nothing after finish. */
  const n = lrs.accepted.length;
  t.d.show(0, 0);
  t.adapter.finish();
  await t.clk.tick(10000);
  assert.equal(lrs.accepted.length, n);
});

test("a second launch resumes from the State API and does not repeat completion", async () => {
  const lrs = fakeLRS();
  const first = setup(lrs);
  await first.d.start();
  assert.equal(first.d.res.entry, "ab-initio");
  first.d.show(0, 0);
  first.d.show(0, 1);
  first.adapter.finish();
  await first.clk.tick(5000);
  assert.equal(lrs.verbs().at(-1), "suspended");

  /* Another browser: only the LRS knows. */
  const again = setup(lrs);
  const res = await again.d.start();
  assert.equal(res.entry, "resume");
  assert.equal(res.location, "values");
  assert.equal(res.status, "incomplete");
  assert.deepEqual(again.d.state.m.purpose.seen, [true, true]);
  again.d.show(0, 1); /* the player lands on the bookmark */
  again.d.answer(0, "q1", ["b"]);
  again.d.answer(0, "q2", ["ask"]);
  again.adapter.finish();
  await again.clk.tick(5000);
  const verbs = lrs.verbs();
  assert.deepEqual(verbs.slice(verbs.lastIndexOf("initialized")), ["initialized", "experienced", "answered", "answered", "completed", "passed", "terminated"]);

  const third = setup(lrs);
  await third.d.start();
  third.d.show(0, 0);
  third.adapter.finish();
  await third.clk.tick(5000);
  const v3 = lrs.verbs();
  assert.deepEqual(v3.slice(v3.lastIndexOf("initialized")), ["initialized", "experienced", "terminated"]);
});

test("the launch activity: activity_id, the module of a split page, or the course; grouping and platform", async () => {
  const lrs = fakeLRS();
  const split = setup(lrs, { page: "/pkg/purpose.html", params: { grouping: "https://lms.example/course/7", activity_platform: "Test LMS" } });
  await split.d.start();
  split.d.show(0, 0);
  await split.clk.tick(3000);
  const [init, page] = lrs.stored();
  assert.equal(init.object.id, IRI + "/purpose");
  assert.equal(init.object.definition.type, "http://adlnet.gov/expapi/activities/module");
  assert.deepEqual(init.context.contextActivities.grouping.map((a) => a.id), [IRI, "https://lms.example/course/7"]);
  assert.equal(init.context.platform, "Test LMS");
  assert.deepEqual(page.context.contextActivities.grouping.map((a) => a.id), [IRI, "https://lms.example/course/7"]);

  const lrs2 = fakeLRS();
  const own = setup(lrs2, { params: { activity_id: "https://lms.example/act/9", registration: "not-a-uuid" } });
  await own.d.start();
  await own.clk.tick(3000);
  const s = lrs2.stored()[0];
  assert.equal(s.object.id, "https://lms.example/act/9");
  assert.equal(s.context.registration, undefined);
  assert.equal(lrs2.requests.find((r) => r.path.endsWith("activities/state")).params.get("activityId"), "https://lms.example/act/9");
});

test("statements wait in localStorage while the LRS is down and go, once each, after a reload", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs);
  lrs.down = true;
  await t.d.start();
  assert.equal(t.d.res.entry, "ab-initio");
  t.d.show(0, 0);
  t.d.answer(0, "q1", ["a"]);
  await t.clk.tick(20000);
  assert.ok(t.env.notes.includes("offline"));
  const queued = [...t.env.local.map.entries()].find(([k]) => k.startsWith("coursepack:lrs:") && !k.endsWith("#state"));
  assert.ok(queued, "queue persisted");
  const ids = JSON.parse(queued[1]).map((s) => s.id);
  assert.equal(ids.length, 4);
  assert.ok(!t.env.local.dump().includes(lrs.auth));
  t.adapter.finish(); /* pagehide: best effort fails too */
  await t.clk.tick(1000);

  /* Reload in the same browser, the LRS back. */
  lrs.down = false;
  const again = setup(lrs, { env: t.env });
  const res = await again.d.start();
  assert.equal(res.entry, "resume", "the unsent state comes from the browser's copy");
  assert.equal(again.d.state.m.purpose.a.q1.r, "a");
  await again.clk.tick(5000);
  const verbs = lrs.verbs();
  assert.deepEqual(verbs, ["initialized", "experienced", "progressed", "answered", "suspended", "initialized"]);
  for (const id of ids) assert.equal(lrs.accepted.filter((x) => x === id).length, 1);
  assert.ok(lrs.getState(IRI, ACTOR, REG, "coursepack-state"), "the unsent state reached the LRS");
  assert.equal(again.env.notes.at(-1), "online");
});

test("failures are retried with backoff, in order, each statement stored once", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs);
  await t.d.start();
  lrs.fail = 3;
  t.d.show(0, 0);
  t.d.show(0, 1);
  lrs.clock = t.clk.now;
  await t.clk.tick(120000);
  const times = lrs.requests.filter((r) => r.path.endsWith("statements") && r.time).map((r) => r.time);
  assert.deepEqual(lrs.verbs(), ["initialized", "experienced", "progressed", "experienced", "progressed"]);
  const gaps = times.slice(1).map((x, i) => x - times[i]);
  assert.ok(gaps[1] >= gaps[0] && gaps[2] >= gaps[1], "the waits grow: " + gaps);
  assert.deepEqual(t.env.notes.filter((n) => n === "offline" || n === "online"), ["offline", "online"]);
  const posted = lrs.requests.filter((r) => r.path.endsWith("statements")).flatMap((r) => JSON.parse(r.body).map((s) => s.id));
  assert.ok(posted.length > lrs.accepted.length, "some were sent more than once");
  assert.equal(new Set(lrs.accepted).size, lrs.accepted.length);
});

test("a 409 or a refused statement does not jam the queue", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs);
  await t.d.start();
  await t.clk.tick(1000);
  /* The LRS already holds a different statement with the next id. */
  const realUUID = CP.uuid;
  let n = 0;
  CP.uuid = () => (++n === 2 ? "0e6b3c2a-5a4f-4d6e-9c1b-2f3a4b5c6d7e" : realUUID());
  lrs.statements.set("0e6b3c2a-5a4f-4d6e-9c1b-2f3a4b5c6d7e", "{}");
  /* And refuses any answered statement. */
  lrs.reject = (s) => (/answered$/.test(s.verb.id) ? 400 : 0);
  lrs.down = true;
  t.d.show(0, 0); /* experienced, progressed (the 409) */
  t.d.answer(0, "q1", ["b"]); /* refused */
  t.d.show(0, 1);
  CP.uuid = realUUID;
  lrs.down = false;
  await t.clk.tick(60000);
  assert.deepEqual(lrs.verbs(), ["initialized", "experienced", "experienced", "progressed"]);
  assert.equal(t.env.log.errors.length, 1);
  assert.match(t.env.log.errors[0], /HTTP 400/);
  const key = [...t.env.local.map.keys()].find((k) => k.startsWith("coursepack:lrs:") && !k.endsWith("#state"));
  assert.equal(key, undefined, "the queue is empty");
});

test("flush on pagehide sends with keepalive within 64 kB; a slow LRS loses nothing", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs);
  await t.d.start();
  await t.clk.tick(1000);
  lrs.down = true;
  for (let i = 0; i < 40; i++) t.d.reflect(0, "r1", "x".repeat(900) + i);
  t.adapter.flush();
  lrs.down = false;
  t.adapter.finish();
  await settle();
  const keep = lrs.requests.filter((r) => r.keepalive);
  assert.ok(keep.length >= 1);
  for (const r of keep) assert.ok(Buffer.byteLength(r.body) <= 64 * 1024);
  await t.clk.tick(120000);
  const verbs = lrs.verbs();
  assert.equal(verbs.filter((v) => v === "answered").length, 40);
  assert.equal(verbs.at(-1), "suspended");
});

test("a state the LRS cannot give at launch comes from the browser's copy; 404 is a fresh start", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs);
  await t.d.start();
  t.d.show(0, 1);
  await t.clk.tick(5000);
  assert.ok(lrs.getState(IRI, ACTOR, REG, "coursepack-state"));

  lrs.down = true;
  const again = setup(lrs, { env: t.env });
  const res = await again.d.start();
  assert.equal(res.entry, "resume");
  assert.equal(res.location, "values");

  const other = setup(fakeLRS());
  const fresh = await other.d.start();
  assert.equal(fresh.entry, "ab-initio");
  assert.equal(fresh.state, null);
});

test("a whole-course unit names each page's module as parent", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs, { all: true });
  await t.d.start();
  t.d.show(1, 0);
  await t.clk.tick(3000);
  const page = lrs.stored()[1];
  assert.equal(page.object.id, IRI + "/change/_page/intro");
  assert.deepEqual(page.context.contextActivities.parent, [{ objectType: "Activity", id: IRI + "/change" }]);
  assert.equal(lrs.stored()[0].object.id, IRI);
});
