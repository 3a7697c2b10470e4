"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { CP, IRI, courseConfig, driver } = require("./harness.js");
require("../player/cmi5.js");
const { fakeLRS, clock, storage, quietLog, UUID, DURATION } = require("./fakelrs.js");

const REG = "1b0c8a7e-3d5f-4e2a-8c9b-7a6f5e4d3c2b";
const AU = "https://lms.example/au/5f1c"; /* the LMS's activityId */
const PUBLISHER = IRI + "/purpose";
const ACTOR = { objectType: "Agent", name: "Ann", account: { homePage: "https://lms.example", name: "ann-42" } };
const SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
const MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
const CAT = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
const MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
const PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";
const DEFINED = ["initialized", "completed", "passed", "failed", "terminated"];

function template(session) {
  return {
    contextActivities: { grouping: [{ objectType: "Activity", id: PUBLISHER }] },
    extensions: { [SESSION]: session, "https://lms.example/ext/tenant": "t1" }
  };
}

/* seed writes LMS.LaunchData for a new session and returns its fetch URL. */
function seed(lrs, session, data) {
  lrs.setState(AU, ACTOR, REG, "LMS.LaunchData", Object.assign({
    contextTemplate: template(session), launchMode: "Normal", moveOn: "CompletedAndPassed",
    masteryScore: 0.5, returnURL: "https://lms.example/return?x=1"
  }, data));
  return lrs.fetchURL(session.replace(/\W/g, ""));
}

function launchQuery(lrs, fetchURL, extra) {
  const p = Object.assign({ endpoint: lrs.endpoint, fetch: fetchURL, actor: JSON.stringify(ACTOR), registration: REG, activityId: AU }, extra);
  return "?" + Object.keys(p).filter((k) => p[k] !== undefined).map((k) => encodeURIComponent(k) + "=" + encodeURIComponent(p[k])).join("&");
}

/* setup launches the AU; env (browser storage, clock) may be kept between
 * launches. */
function setup(lrs, fetchURL, o) {
  o = o || {};
  const env = o.env || { local: storage(), session: storage(), clk: clock(), log: quietLog(), notes: [], redirects: [] };
  const config = o.config || courseConfig("cmi5", o.all);
  const adapter = CP.runtimes.cmi5(config, {
    search: launchQuery(lrs, fetchURL, o.params),
    window: { location: { pathname: "/pkg/purpose.html", search: "" }, addEventListener() {} },
    fetch: lrs.fetch, storage: env.local, session: env.session,
    now: env.clk.now, setTimeout: env.clk.setTimeout, clearTimeout: env.clk.clearTimeout,
    random: () => 0.5, log: env.log, notify: (k) => env.notes.push(k),
    redirect: (url) => env.redirects.push({ url, stored: lrs.verbs() })
  });
  return { adapter, config, env, clk: env.clk, d: adapter && driver(adapter, config, env.clk) };
}

function verb(s) {
  return s.verb.id.replace(/^.*\//, "");
}
function categories(s) {
  return ((s.context.contextActivities || {}).category || []).map((a) => a.id);
}

/* checkRules asserts the cmi5 statement rules over one session's
 * statements. */
function checkRules(list) {
  const seen = {};
  list.forEach((s, i) => {
    const v = verb(s);
    assert.match(s.id, UUID);
    assert.deepEqual(s.actor, ACTOR);
    assert.equal(s.context.registration, REG);
    /* The template is there, unchanged. */
    assert.equal(s.context.extensions[SESSION], list[0].context.extensions[SESSION]);
    assert.equal(s.context.extensions["https://lms.example/ext/tenant"], "t1");
    assert.ok(s.context.contextActivities.grouping.some((a) => a.id === PUBLISHER));
    const cats = categories(s);
    if (DEFINED.includes(v)) {
      assert.equal(s.object.id, AU, v + " is about the AU");
      assert.ok(cats.includes(CAT), v + " has the cmi5 category");
      assert.ok(!seen[v], v + " twice in a session");
      seen[v] = true;
    } else {
      assert.ok(!cats.includes(CAT), v + " is cmi5 allowed, without the category");
    }
    const judged = v === "completed" || v === "passed" || v === "failed";
    assert.equal(cats.includes(MOVEON), judged, v + " moveon");
    const r = s.result || {};
    if (v === "completed") assert.deepEqual(Object.keys(r).sort(), ["completion", "duration"]);
    if (v === "passed" || v === "failed") {
      assert.equal(r.success, v === "passed");
      assert.equal(r.completion, undefined);
      assert.match(r.duration, DURATION);
    }
    if (v === "terminated") {
      assert.equal(i, list.length - 1, "terminated is last");
      assert.match(r.duration, DURATION);
    }
    if (v === "initialized") assert.equal(i, 0, "initialized is first");
    if (r.extensions && PROGRESS in r.extensions) {
      assert.ok(!seen.completed, "no progress after completed");
      assert.ok(Number.isInteger(r.extensions[PROGRESS]));
    }
  });
  assert.ok(!(seen.passed && seen.failed));
}

test("a partial cmi5 launch gives no adapter", () => {
  const lrs = fakeLRS();
  const f = seed(lrs, "s1");
  for (const params of [{ fetch: undefined }, { registration: undefined }, { activityId: undefined }, { actor: "{" }, { endpoint: undefined }]) {
    assert.equal(setup(lrs, f, { params }).adapter, null, JSON.stringify(params));
  }
  assert.equal(lrs.requests.length, 0);
});

test("a full cmi5 session follows the statement rules and returns to the LMS", async () => {
  const lrs = fakeLRS();
  lrs.profiles.set("cmi5LearnerPreferences", JSON.stringify({ languagePreference: "en-GB,cy", audioPreference: "on" }));
  const t = setup(lrs, seed(lrs, "s1"));
  const res = await t.d.start();
  assert.equal(res.entry, "ab-initio");
  t.d.show(0, 0);
  await t.clk.tick(20000);
  t.d.answer(0, "q1", ["b"]);
  t.d.reflect(0, "r1", "Our purpose.");
  t.d.show(0, 1);
  t.d.answer(0, "q2", ["Ask"]);
  await t.clk.tick(10000);
  assert.equal(t.adapter.navigate("exit"), true);
  t.adapter.finish();
  await t.clk.tick(6000);

  assert.deepEqual(lrs.problems, []);
  assert.deepEqual(lrs.verbs(), [
    "initialized", "experienced", "progressed", "answered", "answered",
    "experienced", "progressed", "answered", "completed", "passed", "terminated"
  ]);
  const list = lrs.stored();
  checkRules(list);
  const passed = list.find((s) => verb(s) === "passed");
  assert.deepEqual(passed.result.score, { scaled: 1, raw: 100, min: 0, max: 100 });
  assert.equal(passed.context.extensions[MASTERY], 0.5);
  assert.equal(list.find((s) => verb(s) === "completed").context.extensions[MASTERY], undefined);
  const page = list[1];
  assert.equal(page.object.id, IRI + "/purpose/_page/welcome");
  assert.deepEqual(page.context.contextActivities.parent.map((a) => a.id), [AU]);
  assert.deepEqual(page.context.contextActivities.grouping.map((a) => a.id), [PUBLISHER]);
  assert.equal(list[3].object.id, IRI + "/purpose/q1");

  /* The fetch URL was used once, its token on every xAPI request. */
  const fetches = lrs.requests.filter((r) => r.path.startsWith("/fetch/"));
  assert.equal(fetches.length, 1);
  assert.equal(fetches[0].method, "POST");
  const token = [...lrs.tokens][0];
  for (const r of lrs.requests.filter((x) => x.path.startsWith("/xapi/"))) {
    assert.equal(r.headers.Authorization, "Basic " + token);
    assert.equal(r.headers["X-Experience-API-Version"], "1.0.3");
  }
  assert.ok(lrs.requests.some((r) => r.path === "/xapi/agents/profile" && r.params.get("profileId") === "cmi5LearnerPreferences"));
  assert.ok(!lrs.requests.some((r) => r.method !== "GET" && r.params.get("stateId") === "LMS.LaunchData"), "LaunchData is never written");
  assert.ok(!t.env.local.dump().includes(token), "the token is not in localStorage");

  /* Exit: after terminated reached the LRS, to returnURL. */
  assert.equal(t.env.redirects.length, 1);
  assert.equal(t.env.redirects[0].url, "https://lms.example/return?x=1");
  assert.equal(t.env.redirects[0].stored.at(-1), "terminated");

  /* Nothing after terminated. */
  t.d.show(0, 0);
  t.adapter.record({ id: "q1-2", q: "q1", kind: "choice", response: "a", correct: ["b"], result: false });
  t.adapter.finish();
  await t.clk.tick(10000);
  assert.equal(lrs.verbs().length, 11);
  const doc = lrs.getState(AU, ACTOR, REG, "coursepack-state");
  assert.equal(doc.st, "passed");
});

test("a reload in the same session neither fetches again nor repeats initialized; after terminated it stops", async () => {
  const lrs = fakeLRS();
  const f = seed(lrs, "s1");
  const t = setup(lrs, f);
  await t.d.start();
  t.d.show(0, 0);
  await t.clk.tick(5000);

  const again = setup(lrs, f, { env: t.env });
  const res = await again.d.start();
  assert.ok(res, "the reload starts");
  assert.equal(res.location, "welcome");
  again.d.show(0, 0);
  again.adapter.finish();
  await again.clk.tick(5000);
  assert.deepEqual(lrs.verbs(), ["initialized", "experienced", "progressed", "experienced", "terminated"]);
  assert.equal(lrs.fetches.get("s1").calls, 1);
  const term = lrs.stored().at(-1);
  assert.equal(term.result.duration, "PT5S", "the duration counts from initialized, before the reload");
  checkRules(lrs.stored());

  const third = setup(lrs, f, { env: t.env });
  assert.equal(await third.adapter.init(), null, "a terminated session does not start again");
});

test("a used fetch URL (error-code 1) ends the launch", async () => {
  const lrs = fakeLRS();
  const f = seed(lrs, "s1");
  await setup(lrs, f).d.start();
  const other = setup(lrs, f); /* another tab: no token in its sessionStorage */
  assert.equal(await other.adapter.init(), null);
  assert.match(other.env.log.errors.join(" "), /error 1/);
});

test("Browse and Review send only initialized and terminated, and keep no state", async () => {
  for (const mode of ["Browse", "Review"]) {
    const lrs = fakeLRS();
    const t = setup(lrs, seed(lrs, "s-" + mode, { launchMode: mode }));
    await t.d.start();
    t.d.show(0, 0);
    t.d.answer(0, "q1", ["b"]);
    t.d.show(0, 1);
    t.d.answer(0, "q2", ["ask"]);
    await t.clk.tick(5000);
    t.adapter.finish();
    await t.clk.tick(5000);
    assert.deepEqual(lrs.verbs(), ["initialized", "terminated"], mode);
    checkRules(lrs.stored());
    assert.ok(!lrs.requests.some((r) => r.method === "PUT"), mode + ": no writes");
  }
});

test("LaunchData's masteryScore decides the pass; failed carries it, then nothing is judged twice", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs, seed(lrs, "s1", { masteryScore: 0.75 }));
  await t.d.start();
  assert.equal(t.config.modules[0].mastery, 75);
  t.d.show(0, 0);
  t.d.answer(0, "q1", ["a"]); /* wrong, one attempt */
  t.d.answer(0, "q2", ["ask"]);
  t.d.show(0, 1);
  t.adapter.finish();
  await t.clk.tick(5000);
  assert.deepEqual(lrs.verbs(), ["initialized", "experienced", "progressed", "answered", "answered", "failed", "experienced", "progressed", "completed", "terminated"]);
  checkRules(lrs.stored());
  const failed = lrs.stored().find((s) => verb(s) === "failed");
  assert.deepEqual(failed.result.score, { scaled: 0.5, raw: 50, min: 0, max: 100 });
  assert.equal(failed.context.extensions[MASTERY], 0.75);

  /* A new session of the same registration: no second failed or completed. */
  const n = lrs.accepted.length;
  const t2 = setup(lrs, seed(lrs, "s2", { masteryScore: 0.75 }));
  const res = await t2.d.start();
  assert.equal(res.status, "failed");
  t2.d.show(0, 0);
  t2.adapter.finish();
  await t2.clk.tick(5000);
  const second = lrs.stored().slice(n);
  assert.deepEqual(second.map(verb), ["initialized", "experienced", "terminated"]);
  checkRules(second);
});

test("completed and passed once per registration, even from another browser", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs, seed(lrs, "s1"));
  await t.d.start();
  t.d.show(0, 0);
  t.d.answer(0, "q1", ["b"]);
  t.d.answer(0, "q2", ["ask"]);
  t.d.show(0, 1);
  t.adapter.finish();
  await t.clk.tick(5000);
  assert.deepEqual(lrs.verbs().slice(-3), ["completed", "passed", "terminated"]);

  const n = lrs.accepted.length;
  const t2 = setup(lrs, seed(lrs, "s2", { masteryScore: 1 })); /* a fresh browser */
  await t2.d.start();
  t2.d.show(0, 1);
  t2.d.show(0, 0);
  t2.adapter.finish();
  await t2.clk.tick(5000);
  const second = lrs.stored().slice(n);
  assert.deepEqual(second.map(verb), ["initialized", "experienced", "experienced", "terminated"]);
  checkRules(second);
});

test("cmi5 statements queued while the LRS is down go after a reload, once each", async () => {
  const lrs = fakeLRS();
  const f = seed(lrs, "s1");
  const t = setup(lrs, f);
  await t.d.start();
  await t.clk.tick(1000);
  lrs.down = true;
  t.d.show(0, 0);
  t.d.answer(0, "q1", ["b"]);
  await t.clk.tick(30000);
  assert.ok(t.env.notes.includes("offline"));

  lrs.down = false;
  const again = setup(lrs, f, { env: t.env });
  await again.d.start();
  again.d.show(0, 0);
  again.adapter.finish();
  await again.clk.tick(10000);
  assert.deepEqual(lrs.verbs(), ["initialized", "experienced", "progressed", "answered", "experienced", "terminated"]);
  assert.equal(new Set(lrs.accepted).size, lrs.accepted.length);
  checkRules(lrs.stored());
});

test("a whole-course AU puts each page's module in grouping and judges by the course's mark", async () => {
  const lrs = fakeLRS();
  const t = setup(lrs, seed(lrs, "s1", { masteryScore: 0.6 }), { all: true });
  await t.d.start();
  assert.equal(t.config.mastery, 60);
  t.d.show(1, 0);
  await t.clk.tick(3000);
  const page = lrs.stored()[1];
  assert.deepEqual(page.context.contextActivities.grouping.map((a) => a.id), [PUBLISHER, IRI + "/change"]);
});

test("the learner's state is read alongside LMS.LaunchData, not after it", async () => {
  const lrs = fakeLRS();
  const fetchURL = seed(lrs, "s1");
  lrs.setState(AU, ACTOR, REG, "coursepack-state", { v: 1, t: 5, l: "", st: "incomplete", d: "" });
  /* LMS.LaunchData is answered only once the state has been asked for
   * (or after 500 ms: then the reads came one after the other). */
  const inner = lrs.fetch;
  let stateAsked;
  const asked = new Promise((resolve) => (stateAsked = resolve));
  const waited = [];
  lrs.fetch = async (url, init) => {
    const id = new URL(url).searchParams.get("stateId");
    if (id === "coursepack-state") stateAsked(true);
    if (id === "LMS.LaunchData") {
      let timer;
      waited.push(await Promise.race([asked, new Promise((resolve) => (timer = setTimeout(resolve, 500, false)))]));
      clearTimeout(timer);
    }
    return inner(url, init);
  };
  const t = setup(lrs, fetchURL);
  const started = await t.adapter.init();
  assert.ok(started, "the launch failed");
  assert.equal(started.entry, "resume");
  assert.deepEqual(waited, [true], "LMS.LaunchData was answered before the state was asked for");
});
