// coursepack preview: the LMS simulator's own SCORM run-time
// (preview/sim/runtime.js) and its LRS view's helpers (preview/sim/lrs.js)
// in Node, then the command itself in headless Chromium: `coursepack
// preview` on a copy of testdata/tiny, a learner who walks the course
// inside the simulator, the LMS data the page shows, the strict (Moodle)
// and lenient modes, suspend and resume, and the rebuild on a change, a
// broken one included; for xapi and cmi5, the statements and documents
// the preview's own LRS holds and shows, and what its strict mode refuses.
//
//   cd e2e && npm ci && node --test preview.test.js

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildCLI, repoRoot, tempDir } from "./lib/build.js";
import { launchBrowser, nextButton, walk, watch } from "./lib/browser.js";
import { answerQuestions } from "./lib/learner.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const require = createRequire(import.meta.url);
const SIM = require(path.join(repoRoot, "preview", "sim", "runtime.js"));
const SIMLRS = require(path.join(repoRoot, "preview", "sim", "lrs.js"));

/* ---- the run-time, without a browser ---- */

/** lms makes a session as the simulator page does, and keeps what it saves. */
function lms(version, { strict = true, record = null, unit = {} } = {}) {
  const box = { record, calls: [], events: [] };
  box.session = SIM.session({
    version,
    strict: () => box.strict,
    unit,
    record,
    save: (r) => (box.record = r),
    onCall: (e) => box.calls.push(e),
    onEvent: (e) => box.events.push(e),
  });
  box.strict = strict;
  box.api = box.session.api;
  return box;
}

/** set returns [result, error code] of a SetValue. */
function set(box, el, value) {
  const api = box.api;
  const r = api.LMSSetValue ? api.LMSSetValue(el, value) : api.SetValue(el, value);
  return [r, api.LMSGetLastError ? api.LMSGetLastError() : api.GetLastError()];
}
function get(box, el) {
  const api = box.api;
  const r = api.LMSGetValue ? api.LMSGetValue(el) : api.GetValue(el);
  return [r, api.LMSGetLastError ? api.LMSGetLastError() : api.GetLastError()];
}

describe("the simulator's run-time (preview/sim/runtime.js)", () => {
  test("SCORM 1.2 strict refuses what Moodle refuses; lenient takes it", () => {
    const strict = lms("1.2");
    assert.equal(strict.api.LMSInitialize(""), "true");
    assert.deepEqual(set(strict, "cmi.suspend_data", "x".repeat(5000)), ["false", "405"]);
    assert.match(strict.api.LMSGetDiagnostic(""), /5000 characters, over the 4096/);
    assert.deepEqual(set(strict, "cmi.suspend_data", "x".repeat(4096)), ["true", "0"]);
    assert.deepEqual(set(strict, "cmi.interactions.0.id", "has space"), ["false", "405"]);
    assert.deepEqual(set(strict, "cmi.core.session_time", "PT1M"), ["false", "405"]);
    assert.deepEqual(set(strict, "cmi.core.session_time", "00:01:02.345"), ["false", "405"]);
    assert.deepEqual(set(strict, "cmi.core.session_time", "0000:01:02.34"), ["true", "0"]);
    assert.deepEqual(set(strict, "cmi.core.score.raw", "101"), ["false", "405"]);
    assert.deepEqual(set(strict, "cmi.core.lesson_status", "Completed"), ["false", "405"]);
    assert.deepEqual(set(strict, "cmi.interactions.0.time", "2024-01-01T10:00:00"), ["false", "405"]);

    const lenient = lms("1.2", { strict: false });
    lenient.api.LMSInitialize("");
    assert.deepEqual(set(lenient, "cmi.suspend_data", "x".repeat(5000)), ["true", "0"]);
    assert.match(lenient.calls.at(-2).note, /strict mode \(Moodle\) refuses it/);
    assert.deepEqual(set(lenient, "cmi.interactions.0.id", "has space"), ["true", "0"]);
    assert.deepEqual(set(lenient, "cmi.core.session_time", "PT1M"), ["true", "0"]);
    assert.deepEqual(set(lenient, "cmi.core.score.raw", "101"), ["true", "0"]);
    assert.deepEqual(set(lenient, "cmi.core.lesson_status", "Completed"), ["true", "0"]);
    assert.deepEqual(get(lenient, "cmi.core.lesson_status"), ["completed", "0"]);
    // What every LMS refuses, lenient or not.
    assert.deepEqual(set(lenient, "cmi.core.lesson_status", "done"), ["false", "405"]);
    assert.deepEqual(set(lenient, "cmi.core.lesson_status", "not attempted"), ["false", "405"]);
    assert.deepEqual(set(lenient, "cmi.core.student_id", "me"), ["false", "403"]);
    assert.deepEqual(set(lenient, "cmi.core._children", "x"), ["false", "402"]);
    assert.deepEqual(get(lenient, "cmi.core.exit"), ["", "404"]);
    assert.deepEqual(get(lenient, "cmi.interactions.0.id"), ["", "404"]);
    assert.deepEqual(get(lenient, "cmi.interactions._count"), ["1", "0"]);
    assert.deepEqual(set(lenient, "cmi.interactions.2.id", "gap"), ["false", "201"]);
    assert.deepEqual(get(lenient, "cmi.core.score._count"), ["", "203"]);
    assert.deepEqual(get(lenient, "cmi.core.lesson_status._children"), ["", "202"]);
    assert.deepEqual(get(lenient, "cmi.nothing"), ["", "201"]);
    assert.equal(lenient.api.LMSInitialize(""), "false");
    assert.equal(lenient.api.LMSGetLastError(), "101");
    assert.equal(lenient.api.LMSFinish(""), "true");
    assert.deepEqual(get(lenient, "cmi.core.lesson_status"), ["", "301"]);
    assert.deepEqual(set(lenient, "cmi.core.lesson_location", "x"), ["false", "301"]);
    assert.equal(lenient.api.LMSCommit(""), "false");
    assert.equal(lenient.api.LMSFinish(""), "false");
    assert.equal(lenient.api.LMSGetErrorString("405"), "Incorrect data type");
  });

  test("SCORM 2004 strict refuses a timestamp with 3 fractional digits; lenient takes it", () => {
    for (const strict of [true, false]) {
      const box = lms("2004", { strict });
      assert.equal(box.api.Initialize(""), "true");
      assert.deepEqual(set(box, "cmi.interactions.0.timestamp", "2024-05-01T10:00:00.12"), ["false", "408"], "a field before the id");
      assert.deepEqual(set(box, "cmi.interactions.0.id", "urn:coursepack:q1"), ["true", "0"]);
      assert.deepEqual(set(box, "cmi.interactions.0.timestamp", "2024-05-01T10:00:00.12"), ["true", "0"]);
      assert.deepEqual(set(box, "cmi.interactions.0.timestamp", "2024-05-01T10:00:00.123"), strict ? ["false", "406"] : ["true", "0"]);
      assert.deepEqual(set(box, "cmi.session_time", "PT1.234S"), strict ? ["false", "406"] : ["true", "0"]);
      assert.deepEqual(set(box, "cmi.interactions.0.learner_response", "a"), ["false", "408"], "a response before the type");
      assert.deepEqual(set(box, "cmi.interactions.0.type", "choice"), ["true", "0"]);
      assert.deepEqual(set(box, "cmi.interactions.0.learner_response", "a[,]c"), ["true", "0"]);
      assert.deepEqual(set(box, "cmi.interactions.0.learner_response", "a,c"), strict ? ["false", "406"] : ["true", "0"]);
      assert.deepEqual(set(box, "cmi.interactions.0.result", "wrong"), ["false", "406"], "1.2's wrong in 2004");
      assert.deepEqual(set(box, "cmi.interactions.2.id", "gap"), ["false", "351"]);
      assert.deepEqual(set(box, "cmi.score.scaled", "85"), ["false", "407"]);
      assert.deepEqual(set(box, "cmi.completion_status", "Completed"), strict ? ["false", "406"] : ["true", "0"]);
      assert.deepEqual(set(box, "cmi.learner_id", "me"), ["false", "404"]);
      assert.deepEqual(get(box, "cmi.exit"), ["", "405"]);
      assert.deepEqual(get(box, "cmi.location"), ["", "403"]);
      assert.deepEqual(get(box, "cmi.bogus"), ["", "401"]);
      assert.deepEqual(get(box, "cmi.interactions.0.id"), ["urn:coursepack:q1", "0"]);
      assert.equal(box.api.Initialize(""), "false");
      assert.equal(box.api.GetLastError(), "103");
      assert.equal(box.api.Terminate(""), "true");
      assert.deepEqual(get(box, "cmi.location"), ["", "123"]);
      assert.deepEqual(set(box, "cmi.location", "x"), ["false", "133"]);
      assert.equal(box.api.Commit(""), "false");
      assert.equal(box.api.GetLastError(), "143");
      assert.equal(box.api.Terminate(""), "false");
      assert.equal(box.api.GetLastError(), "113");
    }
    const early = lms("2004");
    assert.deepEqual(get(early, "cmi.location"), ["", "122"]);
    assert.deepEqual(set(early, "cmi.location", "x"), ["false", "132"]);
    assert.equal(early.api.Terminate(""), "false");
    assert.equal(early.api.GetLastError(), "112");
  });

  test("SCORM 1.2 strict applies Moodle's status rules on LMSFinish; lenient leaves the status", () => {
    const finish = (strict, raw, status) => {
      const box = lms("1.2", { strict, unit: { masteryScore: "80" } });
      box.api.LMSInitialize("");
      if (raw !== undefined) set(box, "cmi.core.score.raw", raw);
      if (status) set(box, "cmi.core.lesson_status", status);
      box.api.LMSFinish("");
      return box.record.data["cmi.core.lesson_status"];
    };
    assert.equal(finish(true, "90", "incomplete"), "passed");
    assert.equal(finish(true, "50", "completed"), "failed");
    assert.equal(finish(true, undefined, undefined), "completed", "not attempted becomes completed");
    assert.equal(finish(true, undefined, "incomplete"), "incomplete");
    assert.equal(finish(false, "90", "incomplete"), "incomplete");
    assert.equal(finish(false, undefined, undefined), "not attempted");
  });

  test("SCORM 2004 status from the measure and the passing score", () => {
    const box = lms("2004", { unit: { completionThreshold: "1.0", scaledPassingScore: "0.8" } });
    box.api.Initialize("");
    set(box, "cmi.progress_measure", "0.5");
    set(box, "cmi.completion_status", "completed");
    set(box, "cmi.score.scaled", "0.9");
    assert.deepEqual(get(box, "cmi.completion_status"), ["incomplete", "0"]);
    assert.deepEqual(get(box, "cmi.success_status"), ["passed", "0"]);
    assert.deepEqual(get(box, "cmi.scaled_passing_score"), ["0.8", "0"]);
    box.api.Terminate("");
    assert.equal(box.record.data["cmi.completion_status"], "incomplete");
    assert.equal(box.record.data["cmi.success_status"], "passed");
  });

  test("a session: suspend gives entry resume and the data back; what was not committed is lost", () => {
    const one = lms("1.2");
    assert.equal(one.session.entry, "ab-initio");
    one.api.LMSInitialize("");
    set(one, "cmi.suspend_data", "state-1");
    set(one, "cmi.core.lesson_location", "p2");
    set(one, "cmi.core.exit", "suspend");
    set(one, "cmi.core.session_time", "00:00:10");
    one.api.LMSFinish("");
    assert.equal(one.record.data["cmi.core.total_time"], "0000:00:10");

    const two = lms("1.2", { record: one.record });
    assert.equal(two.session.entry, "resume");
    two.api.LMSInitialize("");
    assert.deepEqual(get(two, "cmi.suspend_data"), ["state-1", "0"]);
    assert.deepEqual(get(two, "cmi.core.lesson_location"), ["p2", "0"]);
    assert.deepEqual(get(two, "cmi.core.entry"), ["resume", "0"]);
    set(two, "cmi.suspend_data", "state-2");
    two.api.LMSCommit("");
    set(two, "cmi.suspend_data", "state-3");
    set(two, "cmi.core.exit", "");
    assert.deepEqual(two.session.end(), ["cmi.core.exit", "cmi.suspend_data"]);
    assert.equal(two.events.at(-1).type, "abandoned");

    const three = lms("1.2", { record: two.record });
    assert.equal(three.session.entry, "resume", "the exit that was never committed does not count");
    three.api.LMSInitialize("");
    assert.deepEqual(get(three, "cmi.suspend_data"), ["state-2", "0"]);
    assert.deepEqual(get(three, "cmi.core.total_time"), ["0000:00:10", "0"]);
  });

  test("Moodle adds what a SCO writes to cmi.comments to what it holds", () => {
    const box = lms("1.2");
    box.api.LMSInitialize("");
    set(box, "cmi.comments", "a");
    set(box, "cmi.comments", "a\nb");
    assert.deepEqual(get(box, "cmi.comments"), ["aa\nb", "0"]);
    box.strict = false;
    set(box, "cmi.comments", "c");
    assert.deepEqual(get(box, "cmi.comments"), ["c", "0"]);
  });
});

describe("the simulator's LRS view (preview/sim/lrs.js)", () => {
  test("a statement's verb, object and result as the table shows them", () => {
    const st = {
      verb: { id: "http://adlnet.gov/expapi/verbs/answered", display: { "en-US": "answered" } },
      object: { id: "https://example.org/c/two/two-q1", definition: { name: { "en-GB": "Pick the right one." } } },
      result: { success: true, response: "a", duration: "PT2S", score: { scaled: 0.5, raw: 50, max: 100 } },
    };
    assert.equal(SIMLRS.verbName(st), "answered");
    assert.equal(SIMLRS.verbName({ verb: { id: "http://adlnet.gov/expapi/verbs/terminated" } }), "terminated");
    assert.deepEqual(SIMLRS.objectLabel(st), { text: "Pick the right one. \u2039two-q1\u203a", title: "https://example.org/c/two/two-q1" });
    assert.equal(SIMLRS.resultSummary(st), 'success true \u00b7 score scaled 0.5, raw 50/100 \u00b7 response "a" \u00b7 duration PT2S');
    assert.equal(SIMLRS.resultSummary({ result: { extensions: { "https://w3id.org/xapi/cmi5/result/extensions/progress": 50 } } }), "progress 50%");
    assert.equal(SIMLRS.resultSummary({}), "");
  });
});

/* ---- the command in a browser ---- */

/**
 * startPreview runs `coursepack preview ARGS --port 0` and resolves once it
 * has printed its URL. stop() sends SIGINT and resolves with the exit code.
 */
async function startPreview(args) {
  const bin = await buildCLI();
  const proc = spawn(bin, ["preview", "--port", "0", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20s\n${stdout}${stderr}`)), 20000);
    proc.stdout.on("data", (d) => {
      stdout += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`coursepack preview exited with ${code}\n${stdout}${stderr}`)));
  });
  const exited = new Promise((resolve) => proc.on("exit", (code, signal) => resolve(code ?? signal)));
  return {
    url,
    stderr: () => stderr,
    stop: () => {
      proc.kill("SIGINT");
      return exited;
    },
  };
}

/** value is the text the LMS data table shows for element (or null). */
function value(page, element) {
  return page.evaluate((el) => {
    const td = document.querySelector(`#data-table tr[data-element="${el}"] td.value`);
    return td ? td.firstChild.textContent : null;
  }, element);
}

/** waitValue waits until the table shows want (a string or RegExp) for element. */
async function waitValue(page, element, want, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let got;
  while (Date.now() < deadline) {
    got = await value(page, element);
    if (typeof want === "string" ? got === want : want.test(got ?? "")) return got;
    await page.waitForTimeout(50);
  }
  assert.fail(`${element} shows ${JSON.stringify(got)}, not ${want}`);
}

/** course returns the iframe's frame once it shows a page whose URL
 * matches re and the player has started. */
async function course(page, re) {
  const frame = await (await page.waitForSelector("iframe#sco", { state: "attached" })).contentFrame();
  await frame.waitForURL(re, { timeout: 10000 });
  await frame.waitForLoadState("load");
  await frame.waitForSelector("html.js", { state: "attached" });
  return frame;
}

/** shownStatements lists the rows of the statements table: {verb,
 * object, result, launch, noted}. */
function shownStatements(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("#statements tr[data-verb]")).map((tr) => ({
      verb: tr.getAttribute("data-verb"),
      object: tr.getAttribute("data-object"),
      result: tr.querySelector("td.result").textContent,
      launch: tr.getAttribute("data-launch"),
      noted: tr.classList.contains("noted"),
    })),
  );
}

/** waitStatements waits until the table shows at least n statements with
 * the verb (after the first `after` rows). */
async function waitStatements(page, verb, { n = 1, after = 0, timeout = 10000 } = {}) {
  await page
    .waitForFunction(
      ([v, n, after]) => Array.from(document.querySelectorAll("#statements tr[data-verb]")).slice(after).filter((tr) => tr.getAttribute("data-verb") === v).length >= n,
      [verb, n, after],
      { timeout },
    )
    .catch(async (e) => {
      throw new Error(`${e.message}: no ${verb} in ${JSON.stringify((await shownStatements(page)).map((s) => s.verb))}`);
    });
}

/** shownDocs maps the documents table's ids to their values. */
function shownDocs(page) {
  return page.evaluate(() =>
    Object.fromEntries(Array.from(document.querySelectorAll("#documents tr[data-doc]")).map((tr) => [tr.getAttribute("data-doc"), tr.querySelector("td.value").textContent])),
  );
}

/** lrsFailures lists the LRS requests the log shows as refused. */
function lrsFailures(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll("#log li.fail[data-status]")).map((li) => li.textContent));
}

/** postStatement sends a statement to the preview's LRS with a launch's
 * Authorization, as content would; headers may drop or change the
 * version header. */
async function postStatement(ln, auth, statement, headers = {}) {
  const h = { Authorization: auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json", ...headers };
  for (const k of Object.keys(h)) if (h[k] === null) delete h[k];
  const res = await fetch(ln.endpoint + "statements", { method: "POST", headers: h, body: JSON.stringify(statement) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** realErrors drops what an LRS's answers put on the console: a 404 for a
 * document not written yet, and the refusals the test asked for. */
function realErrors(seen) {
  return seen.consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of (400|404)/.test(e));
}

const VERB = "http://adlnet.gov/expapi/verbs/";

/** failedCalls lists the API calls the log shows as failed. */
function failedCalls(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll("#log li.fail[data-fn]")).map((li) => li.textContent));
}

describe("coursepack preview in Chromium", { skip: skipUnless(chromiumPath()) }, () => {
  let browser, tmp, dir;
  before(async () => {
    browser = await launchBrowser();
    tmp = await tempDir("coursepack-preview-");
    dir = path.join(tmp.dir, "tiny");
    await cp(path.join(repoRoot, "testdata", "tiny"), dir, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await tmp?.remove();
  });

  test("SCORM 1.2: a learner walks the tiny course; the page shows what the LMS holds", async () => {
    const server = await startPreview(["--format", "scorm12", dir]);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(server.url);
      assert.equal(await page.locator("#strict").isChecked(), true, "strict by default");
      let frame = await course(page, /\/course\/one\.html$/);
      await waitValue(page, "cmi.core.lesson_status", "incomplete");
      assert.equal(await value(page, "cmi.core.entry"), "ab-initio");
      assert.equal(await value(page, "cmi.core.student_id"), "preview-learner");

      // Halfway through module one, the learner leaves and comes back.
      await waitValue(page, "cmi.core.lesson_location", "first-page");
      await page.click("#btn-suspend");
      frame = await course(page, /\/course\/one\.html$/);
      await waitValue(page, "cmi.core.entry", "resume");
      assert.equal(await value(page, "cmi.core.lesson_location"), "first-page");
      assert.match(await value(page, "cmi.suspend_data"), /first-page/);
      assert.match(await value(page, "cmi.core.total_time"), /^\d{4}:\d{2}:\d{2}(\.\d{2})?$/);

      // The rest of module one completes it.
      await walk(frame);
      await waitValue(page, "cmi.core.lesson_status", "completed");

      // Module two, from the list: the question, answered right.
      await page.selectOption("#unit-select", "item-two");
      frame = await course(page, /\/course\/two\.html$/);
      await answerQuestions(frame, { correct: true });
      await walk(frame);
      await waitValue(page, "cmi.core.score.raw", "100");
      await waitValue(page, "cmi.core.lesson_status", /^(completed|passed)$/);
      assert.match(await value(page, "cmi.interactions.0.id"), /\S/);
      assert.equal(await value(page, "cmi.interactions.0.result"), "correct");

      // Leaving finishes the session: session_time is added to total_time.
      await page.click("#btn-leave");
      await page.waitForFunction(() => Array.from(document.querySelectorAll("#log li[data-fn=LMSFinish]")).some((li) => /→ "true"/.test(li.textContent)));
      await waitValue(page, "cmi.core.session_time", /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
      assert.deepEqual(await failedCalls(page), [], "the player makes no call that strict mode refuses");

      // A reload of the simulator page keeps the learner.
      await page.reload();
      frame = await course(page, /\/course\/two\.html$/);
      await waitValue(page, "cmi.core.entry", '""'); // the table shows an empty value as ""
      assert.equal(await value(page, "cmi.core.score.raw"), "100");

      // Strict mode refuses what Moodle refuses; lenient mode takes it.
      const tooLong = () => [window.API.LMSSetValue("cmi.suspend_data", "x".repeat(5000)), window.API.LMSGetLastError()];
      assert.deepEqual(await page.evaluate(tooLong), ["false", "405"]);
      await page.waitForFunction(() => /over the 4096/.test(document.querySelector("#log li.fail[data-fn=LMSSetValue]")?.textContent));
      await page.click("#strict");
      assert.deepEqual(await page.evaluate(tooLong), ["true", "0"]);
      await page.click("#strict");

      // Reset forgets the learner.
      await page.click("#btn-reset");
      await course(page, /\/course\/two\.html$/);
      await waitValue(page, "cmi.core.entry", "ab-initio");
      await waitValue(page, "cmi.core.score.raw", "(not set)");
      assert.deepEqual(seen.consoleErrors, []);
    } finally {
      await context.close();
      assert.equal(await server.stop(), 0, "Ctrl-C stops preview cleanly");
    }
  });

  test("SCORM 2004: completion and success; strict refuses a 3-digit timestamp, lenient takes it", async () => {
    const server = await startPreview(["--format", "scorm2004", dir]);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(server.url);
      await course(page, /\/course\/one\.html$/);
      await page.selectOption("#unit-select", "item-two");
      const frame = await course(page, /\/course\/two\.html$/);
      await answerQuestions(frame, { correct: true });
      await walk(frame);
      await waitValue(page, "cmi.completion_status", "completed");
      await waitValue(page, "cmi.score.scaled", "1");
      assert.equal(await value(page, "cmi.interactions.0.result"), "correct");
      assert.match(await value(page, "cmi.interactions.0.timestamp"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,2})?(Z|[+-]\d\d(:\d\d)?)?$/);
      assert.deepEqual(await failedCalls(page), []);

      const stamp = (t) => [window.API_1484_11.SetValue("cmi.interactions.0.timestamp", t), window.API_1484_11.GetLastError()];
      assert.deepEqual(await page.evaluate(stamp, "2024-05-01T10:00:00.123"), ["false", "406"]);
      assert.deepEqual(await page.evaluate(stamp, "2024-05-01T10:00:00.12"), ["true", "0"]);
      await page.click("#strict");
      assert.deepEqual(await page.evaluate(stamp, "2024-05-01T10:00:00.123"), ["true", "0"]);
      await page.click("#strict");
      assert.deepEqual(seen.consoleErrors, []);
    } finally {
      await context.close();
      await server.stop();
    }
  });

  test("xAPI: the preview's LRS holds the course's statements and state, shown as they arrive; strict refuses a bad statement", async () => {
    const server = await startPreview(["--format", "xapi", dir]);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(server.url);
      let frame = await course(page, /\/course\/index\.html\?endpoint=/);
      assert.equal(await page.locator("#statements-pane").isVisible(), true);
      assert.equal(await page.locator("#data-pane").isVisible(), false, "no SCORM data model for xAPI");
      const ln = await page.evaluate(() => window.__preview.lrs().launch);
      const q = new URL(frame.url()).searchParams;
      assert.equal(q.get("endpoint"), server.url + "_preview/lrs/xapi/");
      assert.equal(q.get("auth"), ln.auth);
      assert.equal(q.get("registration"), ln.registration);
      assert.equal(q.get("activity_id"), "https://example.org/courses/tiny");
      assert.deepEqual(JSON.parse(q.get("actor")).account, { homePage: "https://coursepack.invalid/preview", name: "preview-learner" });
      await waitStatements(page, "initialized");

      // The learner walks the course and answers its question.
      await walk(frame, { onPage: () => answerQuestions(frame, { correct: true }) });
      await waitStatements(page, "completed");
      await waitStatements(page, "answered");
      const rows = await shownStatements(page);
      assert.equal(rows[0].verb, "initialized");
      assert.equal(rows[0].object, "https://example.org/courses/tiny");
      const answered = rows.find((r) => r.verb === "answered");
      assert.equal(answered.object, "https://example.org/courses/tiny/two/two-q1");
      assert.match(answered.result, /success true/);
      assert.match(rows.find((r) => r.verb === "completed").result, /completion true/);
      assert.ok(rows.some((r) => r.verb === "experienced" && r.object === "https://example.org/courses/tiny/one/_page/second-page"));
      assert.ok(rows.some((r) => r.verb === "progressed" && /progress 100%/.test(r.result)));
      await page.waitForFunction(() => /"st": "completed"/.test(document.querySelector('#documents tr[data-doc="coursepack-state"] td.value')?.textContent || ""));

      // Leaving ends the launch: the course is done, so terminated.
      await page.click("#btn-leave");
      await waitStatements(page, "terminated");

      // The page shows what the LRS holds, in order.
      const auth = { Authorization: ln.auth, "X-Experience-API-Version": "1.0.3" };
      const held = await (await fetch(`${ln.endpoint}statements?ascending=true&registration=${ln.registration}`, { headers: auth })).json();
      const shown = await shownStatements(page);
      assert.deepEqual(
        shown.map((r) => r.verb),
        held.statements.map((s) => s.verb.display["en-US"]),
      );
      assert.deepEqual((await page.evaluate(() => window.__preview.lrs().statements)).map((s) => s.id), held.statements.map((s) => s.id));
      const state = await (
        await fetch(`${ln.endpoint}activities/state?stateId=coursepack-state&activityId=${encodeURIComponent(ln.activityId)}&agent=${encodeURIComponent(JSON.stringify(ln.actor))}&registration=${ln.registration}`, { headers: auth })
      ).json();
      assert.deepEqual(JSON.parse((await shownDocs(page))["coursepack-state"]), state);
      assert.deepEqual(await lrsFailures(page), [], "the player sends nothing strict mode refuses");

      // Strict mode refuses what an LRS refuses, and the log says why.
      const good = { actor: ln.actor, verb: { id: VERB + "experienced" }, object: { id: "https://example.org/courses/tiny/one" }, context: { registration: ln.registration } };
      let r = await postStatement(ln, ln.auth, { ...good, verb: undefined });
      assert.equal(r.status, 400);
      assert.match(r.body.error, /statement\.verb: missing \(required\)/);
      r = await postStatement(ln, ln.auth, { ...good, verb: { id: VERB + "terminated" } });
      assert.equal(r.status, 400);
      assert.match(r.body.error, /a second terminated/);
      r = await postStatement(ln, ln.auth, good, { "X-Experience-API-Version": null });
      assert.equal(r.status, 400);
      assert.match(r.body.error, /no X-Experience-API-Version header/);
      await page.waitForFunction(() => document.querySelectorAll("#log li.fail[data-status]").length >= 3);
      const refused = await lrsFailures(page);
      assert.match(refused[0], /POST statements → 400.*statement\.verb: missing/);
      assert.match(refused[1], /a second terminated/);
      assert.match(refused[2], /no X-Experience-API-Version header/);
      assert.equal((await shownStatements(page)).length, shown.length, "nothing refused is stored");

      // Lenient mode stores it, and says what strict mode refuses.
      await page.click("#strict");
      await page.waitForFunction(() => /lenient LRS/.test(document.getElementById("statements-hint").textContent));
      r = await postStatement(ln, ln.auth, { ...good, verb: undefined });
      assert.equal(r.status, 200);
      await page.waitForFunction((n) => document.querySelectorAll("#statements tr[data-verb]").length > n, shown.length);
      const last = (await shownStatements(page)).at(-1);
      assert.equal(last.noted, true);
      assert.match(last.result, /strict mode refuses it: statement\.verb: missing/);
      await page.click("#strict");
      await page.waitForFunction(() => /strict LRS/.test(document.getElementById("statements-hint").textContent));

      // Suspend & resume: a new launch, the same registration, the state read back.
      await page.click("#btn-suspend");
      frame = await course(page, /\/course\/index\.html\?endpoint=/);
      await waitStatements(page, "initialized", { n: 2 });
      const again = await page.evaluate(() => window.__preview.lrs().launch);
      assert.notEqual(again.id, ln.id);
      assert.equal(again.registration, ln.registration);
      await page.waitForFunction(
        (id) => Array.from(document.querySelectorAll(`#log li[data-launch="${id}"]`)).some((li) => /GET activities\/state\?stateId=coursepack-state → 200/.test(li.textContent)),
        again.id,
      );

      // Reset: everything forgotten, a new registration.
      await page.click("#btn-reset");
      await page.waitForFunction((reg) => window.__preview.lrs().launch && window.__preview.lrs().launch.registration !== reg, ln.registration);
      await waitStatements(page, "initialized");
      const after = await shownStatements(page);
      assert.equal(after[0].verb, "initialized");
      assert.ok(after.every((s) => s.verb !== "terminated"), "the old registration's statements are gone");
      assert.deepEqual(realErrors(seen), []);
    } finally {
      await context.close();
      await server.stop();
    }
  });

  test("cmi5: an AU launched with a fetch URL and LMS.LaunchData; abandoned, resumed, exited; strict refuses a statement after terminated", async () => {
    const server = await startPreview(["--format", "cmi5", dir]);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(server.url);
      let frame = await course(page, /\/course\/one\.html\?endpoint=/);
      const ln = await page.evaluate(() => window.__preview.lrs().launch);
      const q = new URL(frame.url()).searchParams;
      assert.deepEqual([...q.keys()], ["endpoint", "fetch", "actor", "registration", "activityId"]);
      assert.equal(q.get("fetch"), ln.fetch);
      assert.equal(ln.publisherId, "https://example.org/courses/tiny/one");
      assert.notEqual(ln.activityId, ln.publisherId, "the LMS makes the AU's activity id");
      await waitStatements(page, "initialized");
      const docs = await shownDocs(page);
      const launchData = JSON.parse(docs["LMS.LaunchData"]);
      assert.equal(launchData.launchMode, "Normal");
      assert.equal(launchData.moveOn, "Completed");
      assert.equal(launchData.contextTemplate.extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"], ln.sessionId);
      assert.equal(await page.locator('#documents tr[data-doc="LMS.LaunchData"]').getAttribute("class"), "lms");

      // Halfway, the learner leaves and comes back: the LMS abandons the
      // session that did not end, the next one resumes.
      await page.waitForFunction(() => /first-page/.test(document.querySelector('#documents tr[data-doc="coursepack-state"] td.value')?.textContent || ""));
      await page.click("#btn-suspend");
      frame = await course(page, /\/course\/one\.html\?endpoint=/);
      await waitStatements(page, "abandoned");
      await waitStatements(page, "initialized", { n: 2 });
      const second = await page.evaluate(() => window.__preview.lrs().launch);
      assert.notEqual(second.sessionId, ln.sessionId);
      assert.equal(second.registration, ln.registration);
      let rows = await shownStatements(page);
      const abandoned = rows.findIndex((r) => r.verb === "abandoned");
      assert.equal(rows[abandoned].launch, ln.id);
      assert.equal(rows[abandoned + 1].verb, "initialized");
      assert.equal(rows[abandoned + 1].launch, second.id);

      // The rest of the AU completes it; Exit terminates the session and
      // goes to the returnURL.
      await walk(frame);
      await waitStatements(page, "completed");
      await frame.locator("#cp-exit").click();
      await waitStatements(page, "terminated");
      await (await page.waitForSelector("iframe#sco")).contentFrame().then((f) => f.waitForURL(/\/_preview\/lrs\/returned$/));
      rows = await shownStatements(page);
      assert.deepEqual(
        rows.map((r) => r.verb).filter((v) => ["initialized", "completed", "terminated", "abandoned"].includes(v)),
        ["initialized", "abandoned", "initialized", "completed", "terminated"],
      );
      assert.ok(rows.every((r) => r.object === ln.activityId || /\/_page\//.test(r.object)));
      assert.deepEqual(await lrsFailures(page), [], "the player sends nothing strict mode refuses");

      // The AU's token (the fetch URL's answer, kept by the player) sends
      // one more statement: refused, since the session has terminated.
      const token = JSON.parse(await page.evaluate((f) => sessionStorage.getItem("coursepack:cmi5:token:" + f), second.fetch));
      const late = {
        actor: second.actor,
        verb: { id: VERB + "experienced" },
        object: { id: "https://example.org/courses/tiny/one/_page/first-page" },
        context: { registration: second.registration, extensions: { "https://w3id.org/xapi/cmi5/context/extensions/sessionid": second.sessionId } },
      };
      const r = await postStatement(second, "Basic " + token, late);
      assert.equal(r.status, 400);
      assert.match(r.body.error, /cmi5: a statement after terminated/);
      await page.waitForFunction(() => /cmi5: a statement after terminated/.test(document.querySelector("#log li.fail[data-status]")?.textContent || ""));
      assert.equal((await shownStatements(page)).length, rows.length);

      // The fetch URL answers once.
      const refetch = await (await fetch(second.fetch, { method: "POST" })).json();
      assert.equal(refetch["error-code"], "1");
      assert.deepEqual(realErrors(seen), []);
    } finally {
      await context.close();
      await server.stop();
    }
  });

  test("a change rebuilds and reloads; a broken one shows its problems, then the fix brings the course back", async () => {
    const server = await startPreview(["--format", "scorm12", dir]);
    const context = await browser.newContext();
    const one = path.join(dir, "modules", "one.md");
    const yaml = path.join(dir, "course.yaml");
    const origOne = await readFile(one, "utf8");
    const origYaml = await readFile(yaml, "utf8");
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      let frame = await course(page, /\/course\/one\.html$/);
      await frame.getByText("Some text.").waitFor();

      await writeFile(one, origOne.replace("Some text.", "Some edited text."));
      frame = await course(page, /\/course\/one\.html$/);
      await frame.getByText("Some edited text.").waitFor({ timeout: 10000 });
      await page.waitForFunction(() => /^build \d+ ok/.test(document.getElementById("build-status").textContent), null, { timeout: 5000 }).catch(async (e) => {
        throw new Error(`${e.message}: the page says ${await page.locator("#build-status").textContent()}\n${server.stderr()}`);
      });

      await writeFile(yaml, origYaml.replace("title:", "titel:"));
      await page.locator("#problems").waitFor({ state: "visible", timeout: 10000 });
      const problems = await page.locator("#problem-list").textContent();
      assert.match(problems, /course\.yaml:2:1: unknown key "titel" \(did you mean "title"\?\)/);
      assert.equal(await page.locator("#sco").getAttribute("src"), "about:blank", "the course is not shown");
      // The server still serves the last good build.
      const res = await page.request.get(server.url + "course/one.html");
      assert.equal(res.status(), 200);
      assert.match(await res.text(), /Some edited text\./);

      await writeFile(yaml, origYaml);
      await page.locator("#problems").waitFor({ state: "hidden", timeout: 10000 });
      frame = await course(page, /\/course\/one\.html$/);
      await frame.getByText("Some edited text.").waitFor();
      assert.match(server.stderr(), /course\.yaml changed: build failed: 2 problems/);
      assert.match(server.stderr(), /course\.yaml changed: rebuilt scorm12/);
    } finally {
      await writeFile(one, origOne);
      await writeFile(yaml, origYaml);
      await context.close();
      await server.stop();
    }
  });

  test("html: the page runs with no LMS; the data pane shows its localStorage record", async () => {
    const server = await startPreview(["--format", "html", dir]);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(server.url);
      const frame = await (await page.waitForSelector("iframe#sco")).contentFrame();
      await frame.waitForURL(/\/course\/index\.html$/);
      assert.equal(await page.evaluate(() => typeof window.API + typeof window.API_1484_11), "undefinedundefined");
      await page.selectOption("#unit-select", "one.html");
      const mod = await course(page, /\/course\/one\.html$/);
      await nextButton(mod).first().click();
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll("#data-table tr[data-element]")).some((tr) => /second-page/.test(tr.textContent)),
      );
      assert.deepEqual(seen.consoleErrors, []);
    } finally {
      await context.close();
      await server.stop();
    }
  });
});
