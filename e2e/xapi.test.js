// coursepack's xAPI (Tin Can) packages against a real LRS: Learning
// Locker's xapi-statements behind lib/lrs.js, on another port than the
// package (so every xAPI call is cross-origin and preflighted). Each test
// launches a unit as an LMS does (endpoint, auth, actor, registration in the
// query string) in headless Chromium, acts as a learner, and checks what
// the LRS received: every statement valid (xapi-validation), in the order
// the player's unit tests give, about tincan.xml's activities, with the
// launch's registration and credentials; resume through the State API; no
// statement lost or sent twice while the LRS fails or is down; no
// credential in the package or left in the browser.
//
//   cd e2e && node --test xapi.test.js

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchBrowser } from "./lib/browser.js";
import { tempDir } from "./lib/build.js";
import { playerConfig, questionsOf, writeReflection } from "./lib/learner.js";
import { start } from "./lib/lrs.js";
import {
  DURATION,
  assertOnce,
  PROGRESS,
  UUID,
  buildPackage,
  countById,
  exampleCourse,
  exit,
  findInFiles,
  offRequests,
  openUnit,
  pageHeading,
  parseTincan,
  tinyCourse,
  verbOf,
  verbs,
  waitLRS,
  waitQuiet,
  walkUnit,
  xapiRequests,
} from "./lib/lrscontent.js";
import { startServer } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const ACT = "http://adlnet.gov/expapi/activities/";

/** consoleProblems: the console errors of a page but the browser's own
 * "Failed to load resource" lines about the LRS (a 404 for a missing state
 * document or profile, a request the LRS dropped on purpose). */
function consoleProblems(seen, lrs) {
  return seen.consoleErrors.filter((e) => !(e.startsWith("Failed to load resource") && e.includes(lrs.url)));
}

/** assertRequests: every xAPI request carried the version header and the
 * launch's Authorization, and went through a CORS preflight from the
 * package's origin. */
function assertRequests(lrs, auth, origin) {
  const reqs = xapiRequests(lrs).filter((r) => r.path !== "/xapi/about");
  assert.ok(reqs.length > 0, "no xAPI request reached the LRS");
  for (const r of reqs) {
    const where = `${r.method} ${r.path}?${new URLSearchParams(r.query)}`;
    assert.equal(r.headers["x-experience-api-version"], "1.0.3", `${where}: X-Experience-API-Version`);
    assert.equal(r.headers.authorization, auth, `${where}: Authorization is not the launch's auth`);
  }
  const pre = lrs.requests().filter((r) => r.preflight);
  assert.ok(pre.length > 0 && pre.every((r) => r.headers.origin === origin), "the calls were not cross-origin with preflights from the package's origin");
  assert.deepEqual(reqs.filter((r) => r.status === 400 || r.status === 401 || r.status === 403).map((r) => `${r.method} ${r.path} ${r.status}`), [], "requests the LRS refused");
}

/** assertCommon: the rules every statement of a launch follows. */
function assertCommon(list, { actor, registration }) {
  let last = "";
  for (const s of list) {
    const where = `${verbOf(s)} ${s.object?.id} (${s.id})`;
    assert.match(s.id ?? "", UUID, `${where}: id`);
    assert.deepEqual(s.actor, actor, `${where}: actor is not the launch's`);
    assert.equal(s.context?.registration, registration, `${where}: registration`);
    assert.ok(s.timestamp > last, `${where}: timestamp ${s.timestamp} does not follow ${last}`);
    last = s.timestamp;
    for (const k of ["parent", "grouping", "category", "other"]) {
      const v = s.context?.contextActivities?.[k];
      if (v !== undefined) assert.ok(Array.isArray(v) && v.length > 0, `${where}: contextActivities.${k} is not a non-empty array`);
    }
    assert.equal(s.version, undefined, `${where}: version`);
    assert.equal(s.stored, undefined, `${where}: stored`);
  }
}

describe(`xAPI packages (${path.basename(exampleCourse)}, tiny)`, { skip: skipUnless(chromiumPath()) }, () => {
  let tmp, browser, example, tiny, module, exampleServer, tinyServer, moduleServer, tincan, tinyTincan, moduleTincan;

  before(async () => {
    tmp = await tempDir();
    [example, tiny, module, browser] = await Promise.all([
      buildPackage({ format: "xapi", out: path.join(tmp.dir, "example") }),
      buildPackage({ course: tinyCourse, format: "xapi", out: path.join(tmp.dir, "tiny") }),
      // --split: a package per module; the first module's (9 pages, a pass
      // mark), where the module is the activity tincan.xml launches.
      buildPackage({ format: "xapi", out: path.join(tmp.dir, "split"), flags: ["--split"], pick: "leadership-and-purpose" }),
      launchBrowser(),
    ]);
    const read = (p) => readFile(path.join(p.dir, "tincan.xml"), "utf8").then(parseTincan);
    [tincan, tinyTincan, moduleTincan] = await Promise.all([read(example), read(tiny), read(module)]);
    [exampleServer, tinyServer, moduleServer] = await Promise.all([example, tiny, module].map((p) => startServer({ pkgDir: p.dir })));
  });
  after(async () => {
    await browser?.close();
    await exampleServer?.close();
    await tinyServer?.close();
    await moduleServer?.close();
    await tmp?.remove();
  });

  /** url is the launch URL of a package's tincan.xml launch activity. */
  const launchURL = (server, tc, query) => `${server.origin}/pkg/${tc.launch.launch}?${query}`;

  test("tincan.xml launches index.html as the course activity; with --split, a module", () => {
    assert.equal(tincan.launch.launch, "index.html");
    assert.ok(example.files.includes("index.html"));
    assert.equal(tincan.launch.type, ACT + "course");
    assert.ok(tincan.activities.some((a) => a.type === ACT + "module"), "no module activity in tincan.xml");
    assert.ok(tincan.activities.some((a) => a.type === ACT + "cmi.interaction"), "no question in tincan.xml");
    assert.equal(moduleTincan.launch.launch, "leadership-and-purpose.html");
    assert.ok(module.files.includes(moduleTincan.launch.launch));
    assert.equal(moduleTincan.launch.type, ACT + "module");
    assert.ok(tincan.byId.has(moduleTincan.launch.id), "the split module's id is not the module's id in the course's tincan.xml");
  });

  test("a learner who walks every page and answers right: the statements an LRS needs, in order", async () => {
    const lrs = await start();
    // Credentials other than the LRS's own: the player must use the launch's.
    const auth = lrs.newCredentials();
    const L = lrs.tinCanLaunch({ auth });
    const u = await openUnit(browser, launchURL(exampleServer, tincan, L.query));
    try {
      const config = await playerConfig(u.frame);
      const { answered } = await walkUnit(u.frame);
      const questions = questionsOf(config);
      assert.equal(answered.length, questions.length, "questions answered on the walk");
      await exit(u.frame);
      await waitLRS(lrs, (l) => l.statements().some((s) => verbOf(s) === "terminated"), 15000, "terminated");
      // Whatever comes late would be a fault too.
      await new Promise((r) => setTimeout(r, 500));

      assert.deepEqual(lrs.validationErrors(), [], "statements xapi-validation finds fault with");
      const list = lrs.statements();
      assertCommon(list, L);
      const vs = verbs(list);
      const count = (v) => vs.filter((x) => x === v).length;
      assert.equal(vs[0], "initialized", `first verb\n${vs.join(" ")}`);
      assert.deepEqual(vs.slice(-3), ["completed", "passed", "terminated"], `last verbs\n${vs.join(" ")}`);
      for (const v of ["initialized", "completed", "passed", "terminated"]) assert.equal(count(v), 1, `${v} statements`);
      assert.equal(count("failed") + count("suspended"), 0, "failed or suspended");
      const pages = config.modules.reduce((n, m) => n + m.pages.length, 0);
      assert.equal(count("experienced"), pages, "experienced statements, one per page");
      assert.equal(count("answered"), questions.length, "answered statements, one per question");
      assert.deepEqual(
        [...new Set(vs)].sort(),
        ["answered", "completed", "experienced", "initialized", "passed", "progressed", "terminated"],
        "verbs used",
      );

      const unitIds = new Set(["initialized", "completed", "passed", "terminated"]);
      const modules = new Set(tincan.activities.filter((a) => a.type === ACT + "module").map((a) => a.id));
      const seenPages = new Set();
      const seenQuestions = new Set();
      let progress = 0;
      let completedAt = -1;
      list.forEach((s, i) => {
        const v = verbOf(s);
        const where = `statement ${i} ${v} ${s.object.id}`;
        const ca = s.context.contextActivities ?? {};
        if (unitIds.has(v) || v === "progressed") {
          assert.equal(s.object.id, tincan.launch.id, `${where}: not about tincan.xml's launch activity`);
          assert.equal(s.object.definition?.type, tincan.launch.type, `${where}: definition.type`);
          assert.equal(ca.parent, undefined, `${where}: a parent for the course itself`);
          assert.ok(!(ca.grouping ?? []).some((a) => a.id === s.object.id), `${where}: groups itself`);
        } else {
          assert.equal(ca.parent?.length, 1, `${where}: parent`);
          assert.ok(modules.has(ca.parent[0].id), `${where}: parent ${ca.parent[0].id} is no module of tincan.xml`);
          assert.deepEqual(ca.grouping?.map((a) => a.id), [tincan.launch.id], `${where}: grouping`);
        }
        if (v === "experienced") {
          assert.ok(s.object.id.startsWith(ca.parent[0].id + "/_page/"), `${where}: a page outside its module`);
          assert.equal(s.object.definition.type, "http://activitystrea.ms/schema/1.0/page");
          seenPages.add(s.object.id);
        }
        if (v === "answered") {
          const a = tincan.byId.get(s.object.id);
          assert.ok(a, `${where}: no such activity in tincan.xml`);
          assert.equal(a.type, ACT + "cmi.interaction");
          assert.ok(s.object.id.startsWith(ca.parent[0].id + "/"), `${where}: parent is not the question's module`);
          const d = s.object.definition;
          assert.equal(d.type, ACT + "cmi.interaction", `${where}: definition.type`);
          assert.equal(d.interactionType, a.interactionType, `${where}: interactionType`);
          assert.deepEqual(d.correctResponsesPattern, a.correct ?? undefined, `${where}: correctResponsesPattern differs from tincan.xml`);
          assert.deepEqual(d.choices?.map((c) => c.id), a.choices ?? undefined, `${where}: choices`);
          assert.equal(s.result.success, true, `${where}: answered right`);
          assert.equal(typeof s.result.response, "string", `${where}: response`);
          if (d.interactionType === "choice" || d.interactionType === "true-false") {
            assert.ok(d.correctResponsesPattern.includes(s.result.response), `${where}: response ${s.result.response} is not a correct one`);
          }
          seenQuestions.add(s.object.id);
        }
        if (v === "progressed") {
          const p = s.result?.extensions?.[PROGRESS];
          assert.ok(Number.isInteger(p) && p > progress && p <= 100, `${where}: progress ${p} after ${progress}`);
          assert.equal(s.result.score, undefined, `${where}: a score for progress`);
          assert.equal(completedAt, -1, `${where}: progress after completed`);
          progress = p;
        }
        if (v === "completed") {
          completedAt = i;
          assert.deepEqual(Object.keys(s.result).sort(), ["completion", "duration"], `${where}: result`);
          assert.equal(s.result.completion, true);
          assert.match(s.result.duration, DURATION);
        }
        if (v === "passed") {
          assert.deepEqual(s.result.score, { scaled: 1, raw: 100, min: 0, max: 100 }, `${where}: score`);
          assert.equal(s.result.success, true);
          assert.equal(s.result.completion, true);
          assert.match(s.result.duration, DURATION);
        }
        if (v === "terminated") assert.match(s.result?.duration ?? "", DURATION, `${where}: duration`);
      });
      assert.equal(progress, 100, "progress never reached 100");
      assert.equal(seenPages.size, pages, "distinct pages experienced");
      assert.equal(seenQuestions.size, questions.length, "distinct questions answered");
      const inTincan = tincan.activities.filter((a) => a.type === ACT + "cmi.interaction").map((a) => a.id);
      for (const id of seenQuestions) assert.ok(inTincan.includes(id));

      assertRequests(lrs, auth, exampleServer.origin);
      // The LRS kept every statement it acknowledged.
      const stored = await lrs.storedStatements({ registration: L.registration, limit: 500 });
      assert.equal(stored.length, list.length, "statements xapi-statements holds for the registration");
      // The bookmark went to the State API.
      const doc = lrs.stateDocs().find((d) => d.stateId === "coursepack-state" && d.registration === L.registration);
      assert.ok(doc?.json, "no coursepack-state document");
      assert.equal(doc.activityId, tincan.launch.id);
      assert.equal(doc.json.st, "passed");

      // No credential left in the browser.
      const kept = await u.page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      assert.ok(!kept.includes(auth) && !kept.includes(auth.slice(6)), "the launch's credentials are kept in the browser");
      assert.deepEqual(offRequests(u.seen), [], "requests to other hosts");
      assert.deepEqual(consoleProblems(u.seen, lrs), [], "console errors");
    } finally {
      await u.close();
      await lrs.stop();
    }
  });

  test("leaving halfway suspends with a State API bookmark; the next launch of the registration resumes there, completed once", async () => {
    // A module of the --split build: its tincan.xml launches the module.
    const tincan = moduleTincan;
    const lrs = await start();
    // As an LMS does, with activity_id: tincan.xml's launch activity.
    const L = lrs.tinCanLaunch({ activityId: tincan.launch.id });
    const url = launchURL(moduleServer, tincan, L.query);
    try {
      // Session 1: half the pages, then the window is closed.
      const u1 = await openUnit(browser, url);
      const pages = (await playerConfig(u1.frame)).modules.reduce((n, m) => n + m.pages.length, 0);
      const half = Math.floor(pages / 2);
      const w1 = await walkUnit(u1.frame, { steps: half });
      assert.equal(w1.clicks, half);
      const heading = await pageHeading(u1.frame);
      const seen1 = u1.seen;
      // Nothing on its way when the window closes (see "a statement on its
      // way" below for what happens then).
      await waitQuiet(lrs);
      await u1.close({ until: () => waitLRS(lrs, (l) => l.statements().some((s) => verbOf(s) === "suspended"), 10000, "suspended") });
      await waitLRS(lrs, (l) => l.stateDocs().some((d) => d.stateId === "coursepack-state" && d.json?.l), 5000, "a coursepack-state document with a bookmark");
      let vs = verbs(lrs.statements());
      assert.equal(vs.at(-1), "suspended", `a session left halfway ends with suspended\n${vs.join(" ")}`);
      assert.ok(!vs.includes("completed") && !vs.includes("passed") && !vs.includes("terminated"), vs.join(" "));
      const doc = lrs.stateDocs().find((d) => d.stateId === "coursepack-state");
      assert.equal(doc.registration, L.registration);
      assert.equal(doc.activityId, tincan.launch.id);
      assert.deepEqual(doc.agent, L.actor);

      // Session 2, in another browser (nothing in localStorage): the State
      // API alone brings the learner back to the page they left.
      const n1 = lrs.requests().length;
      const u2 = await openUnit(browser, url);
      assert.equal(await pageHeading(u2.frame), heading, "the relaunch shows another page");
      const read = lrs.requests().slice(n1).find((r) => r.method === "GET" && r.query.stateId === "coursepack-state");
      assert.equal(read?.status, 200, "the relaunch did not read its state document");
      assert.equal(read.query.registration, L.registration);
      const w2 = await walkUnit(u2.frame);
      const answered = [...w1.answered, ...w2.answered].map((a) => a.id);
      assert.equal(new Set(answered).size, answered.length, `questions answered twice: ${answered}`);
      assert.equal(answered.length, questionsOf(await playerConfig(u2.frame)).length, "questions answered over both sessions");
      const seen2 = u2.seen;
      // Done, and the window closed without Exit.
      await waitQuiet(lrs);
      await u2.close({ until: () => waitLRS(lrs, (l) => verbs(l.statements()).filter((v) => v === "terminated").length === 1, 10000, "terminated once") });

      // Session 3: a look back. Nothing is completed or passed again.
      const u3 = await openUnit(browser, url);
      await walkUnit(u3.frame, { steps: 1, answer: false });
      const seen3 = u3.seen;
      await waitQuiet(lrs);
      await u3.close({ until: () => waitLRS(lrs, (l) => verbs(l.statements()).filter((v) => v === "terminated").length === 2, 10000, "terminated twice") });
      await new Promise((r) => setTimeout(r, 300));

      assert.deepEqual(lrs.validationErrors(), []);
      const list = lrs.statements();
      assertCommon(list, L);
      vs = verbs(list);
      const count = (v) => vs.filter((x) => x === v).length;
      assert.equal(count("initialized"), 3, vs.join(" "));
      assert.equal(count("completed"), 1, `completed more than once\n${vs.join(" ")}`);
      assert.equal(count("passed"), 1, `passed more than once\n${vs.join(" ")}`);
      assert.equal(count("failed"), 0);
      const course = tincan.activities.find((a) => a.type === ACT + "course");
      for (const s of list) {
        const where = `${verbOf(s)} ${s.object.id}`;
        if (["initialized", "completed", "passed", "terminated", "suspended"].includes(verbOf(s))) {
          assert.equal(s.object.id, tincan.launch.id, where);
          assert.equal(s.object.definition.type, ACT + "module", where);
        }
        assert.ok(s.context.contextActivities?.grouping?.some((a) => a.id === course.id), `${where}: the course is not in grouping`);
      }
      assertRequests(lrs, L.auth, moduleServer.origin);
      for (const seen of [seen1, seen2, seen3]) {
        assert.deepEqual(offRequests(seen), [], "requests to other hosts");
        assert.deepEqual(consoleProblems(seen, lrs), [], "console errors");
      }
    } finally {
      await lrs.stop();
    }
  });

  test("the LRS fails for a while: the learner is told, and every statement arrives once", async () => {
    const lrs = await start();
    const L = lrs.tinCanLaunch();
    const u = await openUnit(browser, launchURL(tinyServer, tinyTincan, L.query));
    try {
      await waitLRS(lrs, (l) => l.statements().some((s) => verbOf(s) === "initialized"), 5000, "initialized");
      const config = await playerConfig(u.frame);
      const notice = u.page.locator("#cp-notice");
      // Statements and state writes get 500s.
      lrs.setFault({ fail: 1e6, status: 500, match: (r) => r.method !== "GET" });
      await walkUnit(u.frame, { steps: 1 });
      await writeReflection(u.frame, "one-r1", "Small things matter.");
      await notice.waitFor({ state: "visible", timeout: 10000 });
      assert.equal(await notice.textContent(), config.t["notice.offline"]);
      assert.match(await notice.textContent(), /cannot be reached/);
      await walkUnit(u.frame);
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(await notice.isVisible(), "the notice went while the LRS still fails");
      const failed = lrs.requests().filter((r) => r.fault === "fail").length;
      assert.ok(failed >= 2, `only ${failed} requests failed: the player did not retry`);
      lrs.clearFaults();
      await notice.waitFor({ state: "hidden", timeout: 15000 });
      await exit(u.frame);
      await waitLRS(lrs, (l) => l.statements().some((s) => verbOf(s) === "terminated"), 15000, "terminated");
      await new Promise((r) => setTimeout(r, 500));

      assert.deepEqual(lrs.validationErrors(), []);
      const list = lrs.statements();
      assertCommon(list, L);
      await assertOnce(lrs);
      const vs = verbs(list);
      assert.equal(vs[0], "initialized");
      assert.equal(vs.at(-1), "terminated", vs.join(" "));
      assert.equal(vs.filter((v) => v === "completed").length, 1, vs.join(" "));
      assert.equal(vs.filter((v) => v === "experienced").length, 3, vs.join(" "));
      assert.equal(vs.filter((v) => v === "answered").length, 2, `the reflection and the question\n${vs.join(" ")}`);
      const doc = lrs.stateDocs().find((d) => d.stateId === "coursepack-state");
      assert.equal(doc?.json?.st, "completed", "the state document after the LRS came back");
      assertRequests(lrs, L.auth, tinyServer.origin);
      assert.deepEqual(offRequests(u.seen), []);
      assert.deepEqual(consoleProblems(u.seen, lrs), []);
    } finally {
      await u.close();
      await lrs.stop();
    }
  });

  test("the page is closed while the LRS is down: the next launch sends what was queued, once", async () => {
    const lrs = await start();
    const L = lrs.tinCanLaunch();
    const url = launchURL(tinyServer, tinyTincan, L.query);
    const context = await browser.newContext();
    try {
      const u1 = await openUnit(browser, url, { context });
      // The first page's statements, then nothing gets through.
      await waitLRS(lrs, (l) => l.statements().some((s) => verbOf(s) === "progressed"), 5000, "the first page's statements");
      await new Promise((r) => setTimeout(r, 300));
      lrs.setFault({ down: 120000 });
      const before = verbs(lrs.statements());
      await walkUnit(u1.frame, { steps: 1 });
      await u1.page.locator("#cp-notice").waitFor({ state: "visible", timeout: 10000 });
      await walkUnit(u1.frame);
      const seen1 = u1.seen;
      await u1.close();
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(verbs(lrs.statements()), before, "statements got through a dropped connection");

      // What the closed page left in this browser for the LRS.
      const probe = await context.newPage();
      await probe.goto(`${tinyServer.origin}/pkg/tincan.xml`);
      const queued = await probe.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith("coursepack:lrs:") && !k.endsWith("#state"))
          .flatMap((k) => JSON.parse(localStorage.getItem(k))),
      );
      await probe.close();
      const qv = verbs(queued);
      assert.equal(qv.at(-1), "terminated", `the queue the page left\n${qv.join(" ")}`);
      for (const v of ["experienced", "answered", "completed"]) assert.ok(qv.includes(v), `no ${v} in the queue the page left\n${qv.join(" ")}`);

      lrs.clearFaults();
      const u2 = await openUnit(browser, url, { context });
      await waitLRS(lrs, (l) => queued.every((q) => l.statements().some((s) => s.id === q.id)), 15000, "the queued statements");
      const seen2 = u2.seen;
      await waitQuiet(lrs);
      await u2.close({ until: () => waitLRS(lrs, (l) => verbs(l.statements()).filter((v) => v === "terminated").length === 2, 10000, "terminated twice") });
      await new Promise((r) => setTimeout(r, 300));

      assert.deepEqual(lrs.validationErrors(), []);
      const list = lrs.statements();
      await assertOnce(lrs);
      // Session 1 in its order, then session 2.
      assert.deepEqual(list.slice(before.length, before.length + queued.length).map((s) => s.id), queued.map((q) => q.id), "the queued statements, in order, first");
      for (const q of queued) assert.deepEqual(list.find((s) => s.id === q.id), q, "a queued statement changed on the way");
      const vs = verbs(list);
      assert.equal(vs.filter((v) => v === "completed").length, 1, vs.join(" "));
      assert.equal(vs.filter((v) => v === "initialized").length, 2, vs.join(" "));
      assertCommon(list, L);
      assertRequests(lrs, L.auth, tinyServer.origin);
      for (const seen of [seen1, seen2]) {
        assert.deepEqual(offRequests(seen), []);
        assert.deepEqual(consoleProblems(seen, lrs), []);
      }
    } finally {
      await context.close();
      await lrs.stop();
    }
  });

  test("a page closed while a statement is on its way sends it again with the last one; the LRS keeps each once", async (t) => {
    const lrs = await start();
    const L = lrs.tinCanLaunch();
    const u = await openUnit(browser, launchURL(tinyServer, tinyTincan, L.query));
    try {
      await waitQuiet(lrs);
      const n = lrs.statements().length;
      lrs.setFault({ delay: 1500, match: "/xapi/statements" });
      await walkUnit(u.frame, { steps: 1 });
      await waitLRS(lrs, (l) => l.requests().some((r) => r.fault === "delay" && r.method === "POST"), 5000, "a statement on its way");
      // The statements of the POSTs not answered when the page closes.
      const inFlight = new Set(
        lrs.requests().filter((r) => r.fault === "delay" && r.method === "POST" && !r.status).flatMap((r) => JSON.parse(r.body).map((s) => s.id)),
      );
      assert.ok(inFlight.size > 0);
      await u.close({ until: () => waitLRS(lrs, (l) => l.statements().some((s) => verbOf(s) === "suspended"), 10000, "suspended") });
      await waitQuiet(lrs);

      assert.deepEqual(lrs.validationErrors(), []);
      const list = lrs.statements();
      const vs = verbs(list.slice(n));
      assert.ok(vs.includes("experienced") && vs.at(-1) === "suspended", vs.join(" "));
      // At least once: the in-flight statements may come twice, with the
      // same id and body, which the LRS keeps once (xAPI ids make resending
      // safe).
      const copies = lrs.received();
      const twice = [...countById(copies)].filter(([, k]) => k > 1).map(([id]) => id);
      t.diagnostic(`${inFlight.size} statements on their way at the close, ${twice.length} of them sent again`);
      assert.deepEqual(twice.filter((id) => !inFlight.has(id)), [], "statements sent twice that were not on their way at the close");
      for (const id of twice) {
        const same = copies.filter((s) => s.id === id);
        assert.deepEqual(same[1], same[0], "a statement changed between sends");
      }
      const stored = await lrs.storedStatements({ registration: L.registration, limit: 500 });
      assert.equal(new Set(stored.map((s) => s.id)).size, stored.length, "the LRS keeps a statement twice");
      assert.deepEqual(new Set(stored.map((s) => s.id)), new Set(list.map((s) => s.id)), "the LRS store and what it accepted");
    } finally {
      await u.close();
      await lrs.stop();
    }
  });

  test("no credential in the package; no request off 127.0.0.1 on a launch", async () => {
    const lrs = await start();
    const L = lrs.tinCanLaunch();
    // "Basic " itself is in the package (the player's comments, and the
    // example's references cite Basic Books): look for what would follow it.
    const basicCredential = /Basic\s+[A-Za-z0-9+/]{12,}={0,2}/;
    for (const pkg of [example, tiny]) {
      const hits = await findInFiles(pkg.dir, [basicCredential, lrs.auth, lrs.auth.slice(6)]);
      assert.deepEqual(Object.values(hits).flat(), [], `credentials written into ${path.basename(pkg.zip)}: ${JSON.stringify(hits)}`);
    }
    const u = await openUnit(browser, launchURL(tinyServer, tinyTincan, L.query));
    try {
      await walkUnit(u.frame);
      assert.deepEqual(offRequests(u.seen), [], "requests to other hosts");
      assert.ok(u.seen.requests.some((r) => r.startsWith(lrs.endpoint)), "the page never called the LRS");
    } finally {
      await u.close();
      await lrs.stop();
    }
  });
});
