// LMS faults: coursepack's SCORM packages run in the test LMS (scorm-again)
// whose API is made to fail chosen calls at chosen times (lms/lms.js's
// fault injection): a Commit or SetValue that returns "false" for a while,
// SetValue refused while the page unloads (as Cornerstone does), an API
// whose functions throw (its frame gone), LMSFinish refused, and
// non-standard values given back on resume. Each test asserts what the LMS
// finally holds (after a later successful commit, or after the next
// launch in the same browser has merged the player's journal back), and
// what the learner saw. No fault may put a JavaScript exception or error
// in the console.
//
//   cd e2e && node --test faults.test.js

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { serveSCORM, tempDir } from "./lib/build.js";
import { launchBrowser, nextButton, openRun, resumeData, resumeData2004, walk } from "./lib/browser.js";
import { answerQuestions, showPage, writeReflection } from "./lib/learner.js";
import { e2eDir } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const fixtureCourse = path.join(e2eDir, "fixtures", "activities-course");
const failedNotice = /could not be saved in your learning system/i;

/** serve builds the fixture in format, unpacks and serves it. */
const serve = (tmp, format) => serveSCORM(tmp, { course: fixtureCourse, format, name: format });

/** decodeState reads the player's suspend_data, plain or packed. */
function decodeState(data) {
  assert.ok(data, "no suspend_data");
  return JSON.parse(data.startsWith("z") ? inflateRawSync(Buffer.from(data.slice(1), "base64")).toString("utf8") : data);
}

/** quiet asserts that the run put no error in the console: the player
 * logs the LMS's refusals as warnings. */
function quiet(run) {
  assert.deepEqual(run.consoleErrors, [], "console errors");
}

/** notice is the warning the learner sees at the top of the page. */
const notice = (frame) => frame.locator("#cp-store-notice");

describe("LMS faults", { skip: skipUnless(chromiumPath()) }, () => {
  let browser, tmp, scorm12, scorm2004;
  before(async () => {
    tmp = await tempDir();
    browser = await launchBrowser();
    scorm12 = await serve(tmp, "scorm12");
    scorm2004 = await serve(tmp, "scorm2004");
  });
  after(async () => {
    await browser?.close();
    await scorm12?.server.close();
    await scorm2004?.server.close();
    await tmp?.remove();
  });

  test("Commit refused while the learner works: told, with the plan's download, until the LMS takes it all", async () => {
    const run = await openRun(browser, scorm12.server, scorm12.sco("plan"));
    const f = run.frame;
    const note = "Refused for a while, kept all the same.";
    await run.fault({ fn: "LMSCommit" });
    await writeReflection(f, "looking-back", note);
    await notice(f).waitFor({ state: "visible", timeout: 10000 });
    assert.match(await notice(f).innerText(), failedNotice);
    // The notice offers the action plan, which this page has.
    const [download] = await Promise.all([
      run.page.waitForEvent("download", { timeout: 5000 }),
      notice(f).getByRole("button", { name: "Download your plan" }).click(),
    ]);
    assert.ok((await readFile(await download.path(), "utf8")).includes(note), "the downloaded plan has the reflection");
    const refused = (await run.lms()).calls.filter((c) => c.injected);
    assert.ok(refused.length >= 2, "a commit and at least one retry refused");

    await run.heal();
    await notice(f).waitFor({ state: "hidden", timeout: 15000 });
    const during = await run.lms();
    const kept = decodeState(during.commits.at(-1).cmi.suspend_data);
    assert.equal(kept.m.plan.r["looking-back"][0], note, "committed once the LMS took it");
    const summary = await run.close();
    quiet(run);
    assert.equal(decodeState(summary.cmi.suspend_data).m.plan.r["looking-back"][0], note);
    assert.equal(summary.counts.LMSFinish, 1);
  });

  test("SetValue and Commit refused while the page unloads: the next launch in the browser brings it back to the LMS", async () => {
    const context = await browser.newContext();
    try {
      const sco = scorm12.sco("checks");
      const run = await openRun(browser, scorm12.server, sco, undefined, { context });
      await writeReflection(run.frame, "long-one", "Saved in time.");
      // Typed, and the page closed before the player's one-second save:
      // the save on pagehide meets an LMS that refuses everything.
      await run.frame.locator('.cp-reflection[data-reflection="long-two"] textarea').fill("Typed as the window closed.");
      await run.fault({ fn: "LMSSetValue" });
      await run.fault({ fn: "LMSCommit" });
      const first = await run.close();
      quiet(run);
      assert.ok(first.calls.some((c) => c.injected && c.args[0] === "cmi.suspend_data"), "the unload's suspend_data refused");
      const lost = decodeState(first.cmi.suspend_data).m.checks.r;
      assert.equal(lost["long-one"][0], "Saved in time.");
      assert.equal(lost["long-two"], undefined, "the LMS lacks what was typed last");

      const again = await openRun(browser, scorm12.server, sco, resumeData(first.cmi), { context });
      const box = again.frame.locator('.cp-reflection[data-reflection="long-two"] textarea');
      assert.equal(await box.inputValue(), "Typed as the window closed.");
      assert.ok(await notice(again.frame).isHidden());
      const second = await again.close();
      quiet(again);
      const merged = decodeState(second.cmi.suspend_data).m.checks.r;
      assert.equal(merged["long-one"][0], "Saved in time.");
      assert.equal(merged["long-two"][0], "Typed as the window closed.", "the LMS has the merged state");
    } finally {
      await context.close();
    }
  });

  test("the API's functions throw mid-session: no exception escapes, the learner is told, the next launch restores and reports it all", async () => {
    const context = await browser.newContext();
    try {
      const sco = scorm12.sco("checks");
      const run = await openRun(browser, scorm12.server, sco, undefined, { context });
      await nextButton(run.frame).click();
      await run.frame.waitForTimeout(3500); // a commit of page 2
      await run.fault({ fn: "*", throws: true });
      await walk(run.frame, { onPage: () => answerQuestions(run.frame, { correct: true }) });
      await notice(run.frame).waitFor({ state: "visible", timeout: 10000 });
      assert.match(await notice(run.frame).innerText(), failedNotice);
      // Not the plan's module: no download to offer.
      assert.equal(await notice(run.frame).locator("button").count(), 0);
      const first = await run.close({ waitForFinish: false });
      quiet(run);
      assert.ok(run.consoleErrors.every((e) => !/uncaught/i.test(e)));
      assert.notEqual(first.cmi.core.lesson_status, "passed", "the LMS never heard of the answers");

      const again = await openRun(browser, scorm12.server, sco, resumeData(first.cmi), { context });
      await again.frame.locator("form.cp-question").first().waitFor({ state: "visible", timeout: 5000 });
      assert.equal(await again.frame.locator("form.cp-question.cp-locked").count(), 4, "the answers are back, final");
      const second = await again.close();
      quiet(again);
      assert.equal(second.cmi.core.lesson_status, "passed");
      assert.equal(second.cmi.core.score.raw, "100");
      const state = decodeState(second.cmi.suspend_data).m.checks;
      assert.equal(state.s, "7", "every page seen");
      assert.equal(Object.keys(state.a).length, 4);
    } finally {
      await context.close();
    }
  });

  test("LMSFinish refused at Exit: the end screen says so, until a retry finishes", async () => {
    const run = await openRun(browser, scorm12.server, scorm12.sco("plan"));
    await walk(run.frame);
    await run.fault({ fn: "LMSFinish", times: 2 });
    await run.frame.getByRole("button", { name: "Exit" }).click();
    const text = run.frame.locator("#cp-end-text");
    assert.match(await text.innerText(), failedNotice, "at once: refused twice");
    await notice(run.frame).waitFor({ state: "hidden", timeout: 5000 });
    assert.match(await text.innerText(), /progress has been saved/i);
    const summary = await run.close();
    quiet(run);
    assert.equal(summary.counts.LMSFinish, 3);
    assert.equal(summary.calls.filter((c) => c.name === "LMSFinish" && c.result === "true").length, 1);
    assert.equal(summary.cmi.core.lesson_status, "completed");
  });

  test("resume with a truncated suspend_data: the learner's work comes back from the browser and goes back to the LMS", async () => {
    const context = await browser.newContext();
    try {
      const sco = scorm12.sco("plan");
      const run = await openRun(browser, scorm12.server, sco, undefined, { context });
      await writeReflection(run.frame, "looking-back", "Whole again.");
      await showPage(run.frame, "section.cp-action-plan[data-action-plan]");
      const first = await run.close();
      quiet(run);
      const preload = resumeData(first.cmi);
      preload.suspend_data = preload.suspend_data.slice(0, 25);
      const again = await openRun(browser, scorm12.server, sco, preload, { context });
      await again.frame.locator("section.cp-action-plan").waitFor({ state: "visible", timeout: 5000 });
      assert.match(await again.frame.locator(".cp-plan-gathered").innerText(), /Whole again\./);
      const second = await again.close();
      quiet(again);
      const state = decodeState(second.cmi.suspend_data).m.plan;
      assert.equal(state.r["looking-back"][0], "Whole again.");
      assert.equal(state.s, "3");
    } finally {
      await context.close();
    }
  });

  test("SCORM 2004: Commit and suspend_data refused all session, merged on the next launch", async () => {
    const context = await browser.newContext();
    try {
      const sco = scorm2004.sco("plan");
      const faults = [{ fn: "Commit" }, { fn: "SetValue", element: "^cmi\\.suspend_data$", error: "351" }];
      const run = await openRun(browser, scorm2004.server, sco, undefined, { context, faults });
      await writeReflection(run.frame, "looking-back", "Twenty-o-four.");
      await notice(run.frame).waitFor({ state: "visible", timeout: 10000 });
      assert.match(await notice(run.frame).innerText(), failedNotice);
      const first = await run.close();
      quiet(run);
      assert.ok(!/Twenty/.test(first.cmi?.suspend_data ?? ""), "the LMS lacks the reflection");

      const preload = resumeData2004({ ...first.cmi, exit: "suspend" });
      const again = await openRun(browser, scorm2004.server, sco, preload, { context });
      const box = again.frame.locator('.cp-reflection[data-reflection="looking-back"] textarea');
      assert.equal(await box.inputValue(), "Twenty-o-four.");
      const second = await again.close();
      quiet(again);
      assert.equal(decodeState(second.cmi.suspend_data).m.plan.r["looking-back"][0], "Twenty-o-four.");
    } finally {
      await context.close();
    }
  });
});
