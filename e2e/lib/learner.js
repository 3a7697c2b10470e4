// What a learner does with a SCO, and what the LMS must have recorded: the
// scenarios shared by the tests of the harness's fixture and of coursepack's
// own packages.

import assert from "node:assert/strict";
import { axe, isLocal, nextButton, openRun, resumeData, visibleHeadings, walk, watch } from "./browser.js";

export const sessionTimeRE = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;

/** describeRun is a short account of a run for assertion messages. */
function describeRun(summary, seen) {
  return JSON.stringify(
    {
      counts: summary.counts,
      core: summary.cmi?.core,
      suspend_data: summary.cmi?.suspend_data?.slice(0, 200),
      failedCalls: summary.calls.filter((c) => c.error !== "0"),
      consoleErrors: seen?.consoleErrors,
    },
    null,
    2,
  );
}

/** assertCleanRun: LMSFinish called exactly once, no failed API call, no
 * console error, no request to any host but 127.0.0.1. */
export function assertCleanRun(summary, seen) {
  assert.equal(summary.counts.LMSInitialize ?? 0, 1, `LMSInitialize calls\n${describeRun(summary, seen)}`);
  assert.equal(summary.counts.LMSFinish ?? 0, 1, `LMSFinish calls\n${describeRun(summary, seen)}`);
  const failed = summary.calls.filter((c) => c.error !== "0");
  assert.deepEqual(failed, [], "API calls that set an error");
  assert.deepEqual(seen.requests.filter((u) => !isLocal(u)), [], "requests to other hosts");
  assert.deepEqual(seen.consoleErrors, [], "console errors");
  assert.ok(summary.cmi, `no commit reached the LMS\n${describeRun(summary, seen)}`);
}

/** assertTracked checks the CMI data that a finished run left. status
 * lists the lesson_status values that count as done: "completed", and
 * "passed" for a SCO with a pass mark (in SCORM 1.2 passed implies
 * completed). */
export function assertTracked(summary, seen, { status = ["completed", "passed"] } = {}) {
  const core = summary.cmi.core;
  assert.ok(status.includes(core.lesson_status), `lesson_status is "${core.lesson_status}", not ${status.join(" or ")}\n${describeRun(summary, seen)}`);
  assert.match(core.session_time, sessionTimeRE, "session_time");
  assert.ok(core.lesson_location, `lesson_location is empty\n${describeRun(summary, seen)}`);
  assert.ok((summary.cmi.suspend_data ?? "").length <= 4096, `suspend_data is ${summary.cmi.suspend_data.length} characters`);
}

/**
 * learnerRun launches sco, clicks "Next" (all the way, or `steps` times),
 * then closes the page, and returns what the LMS recorded. onPage(frame,
 * n) runs on each page before "Next" is clicked (to answer questions, say).
 */
export async function learnerRun(browser, server, sco, { steps = Infinity, preload, onPage } = {}) {
  const run = await openRun(browser, server, sco, preload);
  const clicks = await walk(run.frame, { steps, onPage: onPage && ((n) => onPage(run.frame, n)) });
  const headings = await visibleHeadings(run.frame);
  const during = await run.lms();
  const summary = await run.close();
  return { clicks, headings, during, summary, seen: { requests: run.requests, consoleErrors: run.consoleErrors } };
}

/** sessionTimeSet reports whether the SCO itself set cmi.core.session_time
 * (scorm-again otherwise reports a default of 00:00:00). */
export function sessionTimeSet(summary) {
  return summary.calls.some((c) => c.name === "LMSSetValue" && c.args[0] === "cmi.core.session_time" && c.result === "true");
}

/**
 * completeScenario: walk to the end, close, and check the records.
 * opts: status (see assertTracked), onPage (see learnerRun).
 * @returns the number of "Next" clicks the walk took
 */
export async function completeScenario(browser, server, sco, opts = {}) {
  const r = await learnerRun(browser, server, sco, { onPage: opts.onPage });
  assertCleanRun(r.summary, r.seen);
  assertTracked(r.summary, r.seen, opts);
  assert.ok(sessionTimeSet(r.summary), "the SCO never set cmi.core.session_time");
  return r.clicks;
}

/**
 * resumeScenario: walk half of the `total` clicks, close (the SCO must
 * suspend), relaunch with what the LMS kept (entry "resume"), and check
 * that the learner sees the page they left.
 */
export async function resumeScenario(browser, server, sco, total) {
  const half = Math.max(1, Math.floor(total / 2));
  const first = await learnerRun(browser, server, sco, { steps: half });
  assert.equal(first.clicks, half, `could only click "Next" ${first.clicks} times of ${half}`);
  assertCleanRun(first.summary, first.seen);
  const core = first.summary.cmi.core;
  assert.equal(core.exit, "suspend", `cmi.core.exit after leaving halfway\n${JSON.stringify(core)}`);
  assert.ok(!["completed", "passed"].includes(core.lesson_status), `${core.lesson_status} after half the pages`);
  assert.ok(core.lesson_location, "no lesson_location after leaving halfway");

  const preload = resumeData(first.summary.cmi);
  assert.equal(preload.core.entry, "resume");
  const second = await openRun(browser, server, sco, preload);
  try {
    const headings = await visibleHeadings(second.frame);
    assert.deepEqual(headings, first.headings, "the relaunched SCO shows another page");
    const lms = await second.lms();
    const entry = lms.calls.find((c) => c.name === "LMSGetValue" && c.args[0] === "cmi.core.entry");
    assert.equal(entry?.result, "resume", "the SCO did not read cmi.core.entry, or did not get resume");
  } finally {
    const summary = await second.close();
    assertCleanRun(summary, { requests: second.requests, consoleErrors: second.consoleErrors });
  }
  return first.headings;
}

/**
 * axeScenario visits every page of sco (through "Next") and runs axe-core
 * on each; it returns the violations found, by page.
 */
export async function axeScenario(browser, server, sco) {
  const run = await openRun(browser, server, sco);
  const found = [];
  try {
    await walk(run.frame, {
      onPage: async (n) => {
        const violations = await axe(run.frame);
        if (violations.length) {
          const heading = (await visibleHeadings(run.frame)).join(" / ");
          found.push({ page: n, heading, violations });
        }
      },
    });
  } finally {
    await run.close({ waitForFinish: false });
  }
  return found;
}

/** formatViolations makes axe's findings readable in a test failure. */
export function formatViolations(found) {
  return found
    .map(
      (p) =>
        `page ${p.page} (${p.heading}):\n` +
        p.violations.map((v) => `  ${v.id} [${v.impact}] ${v.help}\n    ${v.nodes.slice(0, 5).join("\n    ")}`).join("\n"),
    )
    .join("\n");
}

/**
 * standaloneScenario opens a SCO's page directly, with no LMS: it must say
 * that progress is kept in this browser, and a reload must keep the page.
 */
export async function standaloneScenario(browser, server, href, { notice = /(kept|saved|stored) in this browser/i } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = watch(page);
  try {
    await page.goto(`${server.origin}/pkg/${href}`);
    await page.waitForLoadState("load");
    await page.getByText(notice).first().waitFor({ state: "visible", timeout: 5000 });
    // Move on a page or two, if there are pages.
    for (let i = 0; i < 2; i++) {
      const next = nextButton(page.mainFrame());
      if ((await next.count()) === 0 || !(await next.first().isEnabled())) break;
      await next.first().click();
    }
    const before = await visibleHeadings(page.mainFrame());
    await page.reload();
    await page.waitForLoadState("load");
    const after = await visibleHeadings(page.mainFrame());
    assert.deepEqual(after, before, "a reload moved the learner to another page");
    assert.deepEqual(seen.consoleErrors, [], "console errors");
    assert.deepEqual(seen.requests.filter((u) => !isLocal(u)), [], "requests to other hosts");
    return before;
  } finally {
    await context.close();
  }
}
