// coursepack's cmi5 packages against a real LRS (Learning Locker's
// xapi-statements behind lib/lrs.js, on another port than the package).
// Each test launches an AU of cmi5.xml as a cmi5 LMS does: a one-time fetch
// URL, LMS.LaunchData with the context template (session id, the AU's
// publisher id), launchMode, moveOn, masteryScore and returnURL, and
// endpoint, fetch, actor, registration and activityId in the query string.
// A learner walks it in headless Chromium; the LRS must receive what cmi5
// (Quartz) asks: every statement valid; the fetch URL POSTed once even
// across a reload; initialized first, terminated last and nothing after;
// the cmi5 and moveon categories where they belong; the context template
// in every statement; the masteryscore extension on passed; Exit goes to
// returnURL; Browse and Review send initialized and terminated only; no
// statement lost or sent twice while the LRS fails.
//
//   cd e2e && node --test cmi5.test.js

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchBrowser } from "./lib/browser.js";
import { tempDir } from "./lib/build.js";
import { playerConfig, questionsOf } from "./lib/learner.js";
import {
  CMI5_CATEGORY,
  CMI5_MASTERY_SCORE,
  CMI5_MOVEON_CATEGORY,
  CMI5_SESSION_ID,
  LAUNCH_DATA,
  LEARNER_PREFERENCES,
  start,
  withQuery,
} from "./lib/lrs.js";
import {
  DURATION,
  PROGRESS,
  UUID,
  assertOnce,
  buildPackage,
  describeRequests,
  exampleCourse,
  exit,
  findInFiles,
  offRequests,
  openUnit,
  pageHeading,
  parseCmi5,
  playerReady,
  verbOf,
  verbs,
  waitLRS,
  waitQuiet,
  walkUnit,
  xapiRequests,
} from "./lib/lrscontent.js";
import { startServer } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const DEFINED = new Set(["initialized", "completed", "passed", "failed", "terminated"]);
const MOVEON = new Set(["completed", "passed", "failed"]);
const LMS_VERBS = new Set(["launched", "abandoned", "waived", "satisfied", "voided"]);

function consoleProblems(seen, lrs) {
  return seen.consoleErrors.filter((e) => !(e.startsWith("Failed to load resource") && e.includes(lrs.url)));
}

/**
 * checkSession asserts the cmi5 rules over the statements of one session
 * (launch L): the actor and registration of the launch; the context
 * template of LMS.LaunchData in every context (session id, the publisher
 * id in grouping, nothing of it dropped); defined statements about the
 * launch's activityId with the cmi5 category, the others without it;
 * moveon on completed, passed and failed only; initialized first,
 * terminated last with a duration; no defined verb twice, not both passed
 * and failed; completed with completion and duration only; passed with
 * success, duration, a score at or above masteryScore and the masteryscore
 * extension; progress 0-100 and never after completed; no LMS verb.
 */
function checkSession(list, L) {
  const where = (s, i) => `statement ${i} ${verbOf(s)} ${s.object?.id}\n${verbs(list).join(" ")}`;
  const template = L.launchData.contextTemplate;
  const seen = {};
  assert.ok(list.length >= 2, `a session of ${list.length} statements`);
  list.forEach((s, i) => {
    const v = verbOf(s);
    assert.match(s.id, UUID, where(s, i));
    assert.deepEqual(s.actor, L.actor, `${where(s, i)}: actor`);
    assert.equal(s.context.registration, L.registration, `${where(s, i)}: registration`);
    assert.ok(!LMS_VERBS.has(v), `${where(s, i)}: a verb only the LMS sends`);
    for (const [k, val] of Object.entries(template.extensions)) {
      assert.deepEqual(s.context.extensions?.[k], val, `${where(s, i)}: context template extension ${k}`);
    }
    assert.equal(s.context.extensions[CMI5_SESSION_ID], L.sessionId, `${where(s, i)}: session id`);
    const ca = s.context.contextActivities ?? {};
    for (const k of ["parent", "grouping", "category", "other"]) {
      if (ca[k] !== undefined) assert.ok(Array.isArray(ca[k]), `${where(s, i)}: contextActivities.${k} is not an array`);
    }
    assert.ok(ca.grouping?.some((a) => a.id === L.publisherId), `${where(s, i)}: the publisher id is not in grouping`);
    const cats = (ca.category ?? []).map((a) => a.id);
    if (DEFINED.has(v)) {
      assert.equal(s.object.id, L.activityId, `${where(s, i)}: a cmi5 defined statement not about the launch's activityId`);
      assert.ok(cats.includes(CMI5_CATEGORY), `${where(s, i)}: no cmi5 category`);
      assert.ok(!seen[v], `${where(s, i)}: ${v} twice in a session`);
      seen[v] = i;
    } else {
      assert.ok(!cats.includes(CMI5_CATEGORY), `${where(s, i)}: the cmi5 category on a cmi5 allowed statement`);
    }
    assert.equal(cats.includes(CMI5_MOVEON_CATEGORY), MOVEON.has(v), `${where(s, i)}: moveon category`);
    const r = s.result ?? {};
    if (v === "initialized") assert.equal(i, 0, `${where(s, i)}: initialized is not first`);
    if (v === "terminated") {
      assert.equal(i, list.length - 1, `${where(s, i)}: statements after terminated`);
      assert.match(r.duration ?? "", DURATION, `${where(s, i)}: duration`);
    }
    if (v === "completed") {
      assert.deepEqual(Object.keys(r).sort(), ["completion", "duration"], `${where(s, i)}: result`);
      assert.equal(r.completion, true);
      assert.match(r.duration, DURATION);
    }
    if (v === "passed" || v === "failed") {
      assert.equal(r.success, v === "passed", `${where(s, i)}: success`);
      assert.match(r.duration ?? "", DURATION, `${where(s, i)}: duration`);
      if (L.launchData.masteryScore !== undefined) {
        assert.equal(s.context.extensions[CMI5_MASTERY_SCORE], L.launchData.masteryScore, `${where(s, i)}: masteryscore extension`);
        if (r.score) {
          const ok = v === "passed" ? r.score.scaled >= L.launchData.masteryScore : r.score.scaled < L.launchData.masteryScore;
          assert.ok(ok, `${where(s, i)}: score ${r.score.scaled} against masteryScore ${L.launchData.masteryScore}`);
        }
      }
    } else {
      assert.equal(r.score, undefined, `${where(s, i)}: a score on ${v}`);
      assert.equal(s.context.extensions[CMI5_MASTERY_SCORE], undefined, `${where(s, i)}: masteryscore on ${v}`);
    }
    if (r.extensions && PROGRESS in r.extensions) {
      const p = r.extensions[PROGRESS];
      assert.ok(Number.isInteger(p) && p >= 0 && p <= 100, `${where(s, i)}: progress ${p}`);
      assert.equal(seen.completed, undefined, `${where(s, i)}: progress after completed`);
    }
  });
  assert.ok(!("passed" in seen && "failed" in seen), "passed and failed in one session");
  assert.equal(verbOf(list[0]), "initialized", "the session does not start with initialized");
  assert.equal(verbOf(list.at(-1)), "terminated", "the session does not end with terminated");
}

/** assertAuth: one fetch, by POST; every xAPI request (from the
 * from-th request the LRS got: the session's) with the version header and
 * the token the fetch URL gave (not the LRS's own credentials);
 * LMS.LaunchData read and never written. Returns the Authorization value
 * used. */
function assertAuth(lrs, L, origin, from = 0) {
  const all = lrs.requests().slice(from);
  const fetchPath = new URL(L.fetchURL).pathname;
  const fetches = all.filter((r) => r.path === fetchPath && !r.preflight);
  assert.deepEqual(fetches.map((r) => r.method), ["POST"], "requests to the fetch URL");
  assert.equal(L.fetchCalls(), 1, "fetch URL calls");
  const reqs = all.filter((r) => !r.preflight && r.path.startsWith("/xapi/"));
  const auths = new Set(reqs.map((r) => r.headers.authorization));
  assert.equal(auths.size, 1, `Authorization values: ${[...auths]}`);
  const auth = [...auths][0];
  assert.match(auth, /^Basic [A-Za-z0-9+/]+=*$/);
  assert.notEqual(auth, lrs.auth, "the LRS's own credentials, which the AU was never given");
  for (const r of reqs) assert.equal(r.headers["x-experience-api-version"], "1.0.3", `${r.method} ${r.path}: X-Experience-API-Version`);
  assert.deepEqual(reqs.filter((r) => r.status === 400 || r.status === 401 || r.status === 403).map((r) => `${r.method} ${r.path} ${r.status}`), [], "requests the LRS refused");
  const launchData = reqs.filter((r) => r.path === "/xapi/activities/state" && r.query.stateId === LAUNCH_DATA);
  assert.ok(launchData.some((r) => r.method === "GET" && r.status === 200 && r.query.activityId === L.activityId && r.query.registration === L.registration), "LMS.LaunchData was not read");
  assert.deepEqual(launchData.filter((r) => r.method !== "GET").map((r) => r.method), [], "LMS.LaunchData written");
  const pre = all.filter((r) => r.preflight && r.path.startsWith("/xapi/"));
  assert.ok(pre.length > 0 && pre.every((r) => r.headers.origin === origin), "no CORS preflight from the package's origin");
  return auth;
}

describe(`cmi5 package of ${path.basename(exampleCourse)}`, { skip: skipUnless(chromiumPath()) }, () => {
  let tmp, browser, pkg, server, structure, au;

  before(async () => {
    tmp = await tempDir();
    [pkg, browser] = await Promise.all([buildPackage({ format: "cmi5", out: path.join(tmp.dir, "out") }), launchBrowser()]);
    structure = parseCmi5(await readFile(path.join(pkg.dir, "cmi5.xml"), "utf8"));
    // The first AU with a pass mark: moveOn CompletedAndPassed, masteryScore.
    au = structure.aus.find((a) => a.masteryScore !== undefined);
    server = await startServer({ pkgDir: pkg.dir });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await tmp?.remove();
  });

  /** launch prepares a cmi5 launch of the AU (as the LMS would, from
   * cmi5.xml) and returns it with its URL. */
  function launch(lrs, fields = {}) {
    const L = lrs.cmi5Launch({ publisherId: au.id, moveOn: au.moveOn, masteryScore: au.masteryScore, returnURL: lrs.returnURL, ...fields });
    return { L, url: withQuery(`${server.origin}/pkg/${au.url}`, L.query) };
  }

  test("cmi5.xml: an AU per module, in the package, with moveOn and masteryScore", () => {
    assert.ok(structure.aus.length > 1);
    for (const a of structure.aus) assert.ok(pkg.files.includes(a.url), `${a.url} is not in the zip`);
    assert.ok(au, "no AU with a masteryScore");
    assert.equal(au.moveOn, "CompletedAndPassed");
  });

  test("Normal: a full walk with a reload halfway, then Exit to returnURL", async () => {
    const lrs = await start();
    const { L, url } = launch(lrs);
    lrs.setAgentProfile(L.actor, LEARNER_PREFERENCES, { languagePreference: "en-GB", audioPreference: "on" });
    const u = await openUnit(browser, url);
    try {
      const config = await playerConfig(u.frame);
      assert.equal(config.modules[0].mastery, au.masteryScore * 100, "LaunchData's masteryScore is the pass mark");
      const first = await walkUnit(u.frame, { steps: 3 });
      const heading = await pageHeading(u.frame);
      await waitQuiet(lrs);
      const before = lrs.statements().length;

      // A reload in the same session: no second fetch, no second
      // initialized, the same page, and tracking goes on.
      await u.page.reload();
      await playerReady(u.frame);
      assert.equal(await pageHeading(u.frame), heading, "the reload shows another page");
      await waitQuiet(lrs);
      assert.equal(L.fetchCalls(), 1, "the reload POSTed the fetch URL again");
      const afterReload = verbs(lrs.statements().slice(before));
      assert.ok(!afterReload.includes("initialized"), `initialized again after the reload: ${afterReload}`);
      assert.ok(!afterReload.includes("terminated"), `the reload ended the session: ${afterReload}`);
      const notice = u.page.locator("#cp-notice");
      assert.ok(!(await notice.isVisible()) || !/this browser only/.test(await notice.textContent()), "after the reload the AU tracks in the browser only");

      const rest = await walkUnit(u.frame);
      assert.equal(first.answered.length + rest.answered.length, questionsOf(config).length, "questions answered");
      await waitQuiet(lrs);
      const n = lrs.statements().length;
      await exit(u.frame);
      await u.page.waitForURL(lrs.returnURL, { timeout: 10000 });
      await waitQuiet(lrs, { quiet: 800 });

      assert.deepEqual(lrs.validationErrors(), [], "statements xapi-validation finds fault with");
      await assertOnce(lrs);
      const list = lrs.statements();
      checkSession(list, L);
      const vs = verbs(list);
      const count = (v) => vs.filter((x) => x === v).length;
      for (const v of ["initialized", "completed", "passed", "terminated"]) assert.equal(count(v), 1, `${v}\n${vs.join(" ")}`);
      assert.equal(count("failed"), 0);
      assert.equal(count("answered"), questionsOf(config).length, "answered statements");
      assert.equal(count("experienced"), config.modules[0].pages.length + 1, "experienced: each page, and the page shown again after the reload");
      assert.deepEqual(vs.slice(n), ["terminated"], "Exit sends terminated only");
      const passed = list.find((s) => verbOf(s) === "passed");
      assert.deepEqual(passed.result.score, { scaled: 1, raw: 100, min: 0, max: 100 });

      // Statements about pages and questions: the AU as parent, the module
      // in grouping beside the publisher id.
      for (const s of list.filter((x) => ["experienced", "answered"].includes(verbOf(x)))) {
        assert.deepEqual(s.context.contextActivities.parent.map((a) => a.id), [L.activityId]);
        assert.ok(s.object.id.startsWith(au.id + "/"), `${s.object.id} is not under the AU's publisher id`);
      }
      const auth = assertAuth(lrs, L, server.origin);
      const prefs = xapiRequests(lrs).find((r) => r.path === "/xapi/agents/profile" && r.method === "GET");
      assert.equal(prefs?.query.profileId, LEARNER_PREFERENCES, "cmi5LearnerPreferences was not read");

      // returnURL only once terminated got to the LRS.
      const reqs = lrs.requests();
      const term = reqs.findIndex((r) => r.method === "POST" && r.path === "/xapi/statements" && r.status === 200 && r.body.includes("/verbs/terminated"));
      const back = reqs.findIndex((r) => r.path === "/lms/return");
      assert.ok(term >= 0 && back > term, `returnURL before terminated was stored\n${describeRequests(lrs)}`);

      // The token is for this session, not for localStorage.
      const token = auth.slice("Basic ".length);
      assert.ok(!(await u.page.evaluate((t) => JSON.stringify({ ...localStorage }).includes(t), token)), "the token in localStorage");
      assert.deepEqual(offRequests(u.seen), [], "requests to other hosts");
      assert.deepEqual(consoleProblems(u.seen, lrs), [], "console errors");
      const hits = await findInFiles(pkg.dir, [token, /Basic\s+[A-Za-z0-9+/]{12,}={0,2}/]);
      assert.deepEqual(Object.values(hits).flat(), [], `credentials in the package: ${JSON.stringify(hits)}`);
    } finally {
      await u.close();
      await lrs.stop();
    }
  });

  for (const mode of ["Browse", "Review"]) {
    test(`${mode}: only initialized and terminated, and no state written`, async () => {
      const lrs = await start();
      const { L, url } = launch(lrs, { launchMode: mode });
      const u = await openUnit(browser, url);
      try {
        const { answered } = await walkUnit(u.frame);
        assert.ok(answered.length > 0, "the learner answered nothing");
        await exit(u.frame);
        await u.page.waitForURL(lrs.returnURL, { timeout: 10000 });
        await waitQuiet(lrs);
        assert.deepEqual(lrs.validationErrors(), []);
        assert.deepEqual(verbs(lrs.statements()), ["initialized", "terminated"], `${mode} mode`);
        checkSession(lrs.statements(), L);
        assertAuth(lrs, L, server.origin);
        const writes = xapiRequests(lrs).filter((r) => r.path === "/xapi/activities/state" && !["GET", "HEAD", "OPTIONS"].includes(r.method));
        assert.deepEqual(writes.map((r) => `${r.method} ${r.query.stateId}`), [], "state written");
        assert.deepEqual(offRequests(u.seen), []);
        assert.deepEqual(consoleProblems(u.seen, lrs), []);
      } finally {
        await u.close();
        await lrs.stop();
      }
    });
  }

  test("a window closed without Exit: what was queued arrives, no terminated; the next session of the registration completes nothing again", async () => {
    const lrs = await start();
    const first = launch(lrs);
    const registration = first.L.registration;
    const u1 = await openUnit(browser, first.url);
    try {
      await walkUnit(u1.frame);
      await u1.close({ until: () => waitLRS(lrs, (l) => l.statements().some((s) => verbOf(s) === "passed"), 10000, "passed") });
      await waitQuiet(lrs);
      let vs = verbs(lrs.statements());
      assert.ok(!vs.includes("terminated"), `a closed window is not an Exit: the LMS abandons the session\n${vs.join(" ")}`);
      const n = lrs.statements().length;

      // The LMS launches the AU again: a new session, a new fetch URL.
      const second = launch(lrs, { registration });
      assert.notEqual(second.L.sessionId, first.L.sessionId);
      const from = lrs.requests().length;
      const u2 = await openUnit(browser, second.url);
      await walkUnit(u2.frame, { steps: 1, answer: false });
      await walkUnit(u2.frame, { answer: false });
      await exit(u2.frame);
      await u2.page.waitForURL(lrs.returnURL, { timeout: 10000 });
      await waitQuiet(lrs);
      await u2.close();

      assert.deepEqual(lrs.validationErrors(), []);
      await assertOnce(lrs);
      const list = lrs.statements();
      vs = verbs(list);
      for (const v of ["completed", "passed"]) assert.equal(vs.filter((x) => x === v).length, 1, `${v} in the registration\n${vs.join(" ")}`);
      const later = list.slice(n);
      assert.ok(later.every((s) => s.context.extensions[CMI5_SESSION_ID] === second.L.sessionId), "statements of the first session after the second began");
      checkSession(later, second.L);
      assertAuth(lrs, second.L, server.origin, from);
      assert.equal(first.L.fetchCalls(), 1);
    } finally {
      await u1.close();
      await lrs.stop();
    }
  });

  test("the LRS fails for a while: the learner is told, and every statement arrives once", async () => {
    const lrs = await start();
    const { L, url } = launch(lrs);
    const u = await openUnit(browser, url);
    try {
      const config = await playerConfig(u.frame);
      await waitQuiet(lrs);
      const notice = u.page.locator("#cp-notice");
      lrs.setFault({ fail: 1e6, status: 500, match: (r) => r.method !== "GET" });
      await walkUnit(u.frame, { steps: 4 });
      await notice.waitFor({ state: "visible", timeout: 10000 });
      assert.equal(await notice.textContent(), config.t["notice.offline"]);
      assert.match(await notice.textContent(), /cannot be reached/);
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(lrs.requests().filter((r) => r.fault === "fail").length >= 2, "the player did not retry");
      lrs.clearFaults();
      await notice.waitFor({ state: "hidden", timeout: 15000 });
      await walkUnit(u.frame);
      await waitQuiet(lrs);
      await exit(u.frame);
      await u.page.waitForURL(lrs.returnURL, { timeout: 10000 });
      await waitQuiet(lrs);

      assert.deepEqual(lrs.validationErrors(), []);
      await assertOnce(lrs);
      const list = lrs.statements();
      checkSession(list, L);
      const vs = verbs(list);
      for (const v of ["initialized", "completed", "passed", "terminated"]) assert.equal(vs.filter((x) => x === v).length, 1, `${v}\n${vs.join(" ")}`);
      assert.equal(vs.filter((v) => v === "experienced").length, config.modules[0].pages.length, vs.join(" "));
      assert.equal(vs.filter((v) => v === "answered").length, questionsOf(config).length, vs.join(" "));
      assertAuth(lrs, L, server.origin);
      assert.deepEqual(offRequests(u.seen), []);
      assert.deepEqual(consoleProblems(u.seen, lrs), []);
    } finally {
      await u.close();
      await lrs.stop();
    }
  });
});
