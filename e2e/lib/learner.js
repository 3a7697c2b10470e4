// What a learner does with a SCO, and what the LMS must have recorded: the
// scenarios shared by the tests of the harness's fixture and of coursepack's
// own packages.

import assert from "node:assert/strict";
import { apiNames, axe, isLocal, nextButton, openRun, resumeData, visibleHeadings, walk, watch } from "./browser.js";

export const sessionTimeRE = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;

/** describeRun is a short account of a run for assertion messages. */
function describeRun(summary, seen) {
  return JSON.stringify(
    {
      counts: summary.counts,
      core: summary.cmi?.core ?? (summary.cmi && {
        completion_status: summary.cmi.completion_status,
        success_status: summary.cmi.success_status,
        score: summary.cmi.score,
        exit: summary.cmi.exit,
        location: summary.cmi.location,
      }),
      suspend_data: summary.cmi?.suspend_data?.slice(0, 200),
      failedCalls: summary.calls.filter((c) => c.error !== "0"),
      consoleErrors: seen?.consoleErrors,
    },
    null,
    2,
  );
}

/** assertCleanRun: LMSFinish (Terminate, in SCORM 2004) called exactly
 * once, no failed API call, no console error, no request to any host but
 * 127.0.0.1. */
export function assertCleanRun(summary, seen) {
  const names = apiNames[summary.version ?? "1.2"];
  assert.equal(summary.counts[names.init] ?? 0, 1, `${names.init} calls\n${describeRun(summary, seen)}`);
  assert.equal(summary.counts[names.finish] ?? 0, 1, `${names.finish} calls\n${describeRun(summary, seen)}`);
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
export async function learnerRun(browser, server, sco, { steps = Infinity, preload, onPage, settings } = {}) {
  const run = await openRun(browser, server, sco, preload, { settings });
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
 * passScenario: a learner sees every page and answers every question right
 * (answerQuestions on each page), then leaves. The SCO must end as the
 * course's rules say (expectedResult: "passed", or "completed" for a unit
 * without questions or pass mark) with the checks of completeScenario,
 * and, when it has questions, report the score 100 out of 0 to 100, set
 * before the status.
 * @returns {Promise<{clicks: number, status: string, answered: number}>}
 */
export async function passScenario(browser, server, sco) {
  let config;
  let answered = 0;
  const r = await learnerRun(browser, server, sco, {
    onPage: async (frame) => {
      config ??= await playerConfig(frame);
      answered += (await answerQuestions(frame, { correct: true })).length;
    },
  });
  assertCleanRun(r.summary, r.seen);
  // At most one commit per page turn, however many answers were checked
  // on the way (and one more as the SCO finishes).
  const commits = r.summary.calls.filter((c) => c.name === "LMSCommit").length;
  assert.ok(commits <= r.clicks + 1, `${commits} LMSCommit calls for ${r.clicks} page turns`);
  const want = expectedResult(config);
  assert.equal(answered, want.questions, "questions answered on the walk");
  assertTracked(r.summary, r.seen, { status: [want.status] });
  // The SCO's own word, not scorm-again's (which, as Moodle does, turns the
  // status into passed or failed from the score and mastery score).
  assert.equal(lastSet(r.summary.calls, "cmi.core.lesson_status"), want.status, "the SCO's last LMSSetValue of lesson_status");
  assert.ok(sessionTimeSet(r.summary), "the SCO never set cmi.core.session_time");
  if (sco.masteryscore) assert.equal(r.summary.cmi.core.lesson_status, "passed", `the manifest gives a mastery score of ${sco.masteryscore}`);
  if (want.scored) assertScore(r.summary, { raw: "100" });
  else assertNoScore(r.summary);
  return { clicks: r.clicks, status: want.status, answered };
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

/* ---- learner activities: questions, reflections, the action plan ---- */

/** CMITimespan (session_time, latency) and CMITime (interaction time). */
export const timespanRE = sessionTimeRE;
export const cmiTimeRE = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
/** A CMIIdentifier as the player writes it: safe characters only. */
export const identifierRE = /^[A-Za-z0-9_-]{1,255}$/;

const configs = new WeakMap();

/** playerConfig reads the player's #cp-config from the SCO's page: the
 * modules with their questions (answer keys included), reflections and
 * rules. */
export async function playerConfig(frame) {
  const cached = configs.get(frame);
  if (cached && cached.url === frame.url()) return cached.config;
  const config = await frame.evaluate(() => JSON.parse(document.getElementById("cp-config").textContent));
  configs.set(frame, { url: frame.url(), config });
  return config;
}

/** questionsOf lists every question of a config, each with its module. */
export function questionsOf(config) {
  return config.modules.flatMap((m) => (m.questions ?? []).map((q) => ({ ...q, module: m.id })));
}

/**
 * expectedResult is what a learner who sees every page and answers every
 * question right must end with, by the compiled course's rules: "passed"
 * when the unit has questions and a pass mark that counts ("passed" or
 * "pages-and-passed"), "completed" otherwise; and whether a score is due.
 */
export function expectedResult(config) {
  const one = config.modules.length === 1;
  const rule = (one ? config.modules[0].completion : config.completion) || "pages";
  const mastery = one ? config.modules[0].mastery : config.mastery;
  const questions = questionsOf(config).length;
  const marked = questions > 0 && typeof mastery === "number" && rule !== "pages";
  return { questions, status: marked ? "passed" : "completed", scored: questions > 0 };
}

const wrongText = "definitely not this";

/** pickWrong chooses options that do not answer q: the first wrong option,
 * or, when every option is right, all but one of them. */
function pickWrong(q, options) {
  const wrong = options.find((o) => !q.correct.includes(o));
  return wrong ? [wrong] : q.correct.slice(1);
}

/**
 * answerQuestions answers, on the page the learner sees, every question
 * still open (not locked, not already answered right), as a learner would:
 * it reads the answer key from #cp-config, ticks the right options (or a
 * wrong one), types an accepted answer (or a wrong word), clicks "Check"
 * and waits for the feedback. correct is a boolean or a function of the
 * question (from the config) returning one. It fails when the player
 * judges an answer otherwise than the key says. Returns what was answered:
 * [{id, type, response, right}], response as the player stores it ("ac",
 * "t", or the text).
 * @param {import("playwright-core").Frame} frame
 * @param {{correct?: boolean | ((q: object) => boolean)}} [opts]
 */
export async function answerQuestions(frame, { correct = true } = {}) {
  const key = new Map(questionsOf(await playerConfig(frame)).map((q) => [q.id, q]));
  const open = await frame
    .locator("form.cp-question[data-question]:visible")
    .evaluateAll((forms) =>
      forms
        .filter((f) => !f.classList.contains("cp-locked") && f.getAttribute("data-result") !== "correct")
        .map((f) => f.getAttribute("data-question")),
    );
  const answered = [];
  for (const id of open) {
    const q = key.get(id);
    if (!q) throw new Error(`question ${id} is on the page but not in #cp-config`);
    const right = typeof correct === "function" ? !!correct(q) : correct;
    const form = frame.locator(`form.cp-question[data-question="${id}"]`);
    const inputs = form.locator("fieldset input");
    let response;
    if (q.type === "text") {
      response = right ? q.answers[0] : wrongText;
      await inputs.fill(response);
    } else {
      const options = await inputs.evaluateAll((is) => is.map((i) => i.value));
      const want = right ? q.correct : pickWrong(q, options);
      for (const o of options) {
        const input = form.locator(`fieldset input[value="${o}"]`);
        if (want.includes(o)) await input.check();
        else if (q.type === "multiple" && (await input.isChecked())) await input.uncheck();
      }
      response = [...want].sort().join("");
    }
    // The feedback is rebuilt on each check: mark the old one to tell them apart.
    await form.evaluate((f) => f.querySelector(".cp-feedback .cp-result")?.setAttribute("data-e2e-old", ""));
    await form.locator("button.cp-check").click();
    await form.locator(".cp-feedback .cp-result:not([data-e2e-old])").waitFor({ state: "visible", timeout: 5000 });
    const result = await form.getAttribute("data-result");
    if (result !== (right ? "correct" : "wrong")) {
      throw new Error(`question ${id} (${q.type}): answered ${right ? "right" : "wrong"} with "${response}", but the player says ${result}`);
    }
    answered.push({ id, type: q.type, response, right });
  }
  return answered;
}

/** showPage clicks "Next" until an element matching selector is visible
 * (it may be already); it fails at the end of the SCO. */
export async function showPage(frame, selector) {
  const target = frame.locator(selector).first();
  for (let i = 0; i < 200; i++) {
    if (await target.isVisible()) return target;
    const next = nextButton(frame);
    if ((await next.count()) === 0 || !(await next.first().isEnabled())) break;
    await next.first().click();
  }
  throw new Error(`no page shows ${selector}`);
}

/** writeReflection types text into reflection id (on the page shown) and
 * leaves the box, as a learner moving on does. */
export async function writeReflection(frame, id, text) {
  const box = frame.locator(`.cp-reflection[data-reflection="${id}"] textarea`);
  await box.fill(text);
  await box.blur();
  return box;
}

/** setValues lists the successful LMSSetValue calls, in call order. */
export function setValues(calls) {
  return calls
    .filter((c) => c.name === "LMSSetValue" && c.result === "true")
    .sort((a, b) => a.n - b.n);
}

/** lastSet is the value last set to element, or undefined. */
export function lastSet(calls, element) {
  return setValues(calls).findLast((c) => c.args[0] === element)?.args[1];
}

/**
 * assertScore checks the score a SCO reported: raw, min and max set by the
 * SCO (not scorm-again's defaults) and committed with those values; and,
 * when the SCO set lesson_status to passed or failed, that it set the
 * score before, as an LMS that derives the status from the score needs.
 */
export function assertScore(summary, { raw, min = "0", max = "100" }) {
  const sets = setValues(summary.calls);
  for (const [el, want] of [["raw", raw], ["min", min], ["max", max]]) {
    assert.equal(lastSet(summary.calls, `cmi.core.score.${el}`), want, `the SCO's last LMSSetValue of cmi.core.score.${el}`);
    assert.equal(summary.cmi.core.score?.[el], want, `cmi.core.score.${el} as the LMS has it`);
  }
  const status = sets.find((c) => c.args[0] === "cmi.core.lesson_status" && ["passed", "failed"].includes(c.args[1]));
  if (status) {
    for (const el of ["raw", "min", "max"]) {
      const score = sets.find((c) => c.args[0] === `cmi.core.score.${el}`);
      assert.ok(score && score.n < status.n, `cmi.core.score.${el} was not set before lesson_status "${status.args[1]}"`);
    }
  }
}

/** assertNoScore: the SCO never set a score. */
export function assertNoScore(summary) {
  const set = setValues(summary.calls).filter((c) => c.args[0].startsWith("cmi.core.score."));
  assert.deepEqual(set.map((c) => c.args), [], "a SCO without questions set a score");
}

/** The elements that SCORM 1.2 makes write-only. */
export function writeOnly(element) {
  return (
    element === "cmi.core.session_time" ||
    element === "cmi.core.exit" ||
    (/^cmi\.interactions\.\d+\./.test(element) && !element.endsWith("._count"))
  );
}

/** interactions gathers, from the LMSSetValue calls, each interaction the
 * SCO wrote, by index: {n, first (the call number of its first write),
 * id, type, ..., correct: [patterns]}. */
export function interactions(calls) {
  const out = [];
  for (const c of setValues(calls)) {
    const m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(c.args[0]);
    if (!m) continue;
    const n = Number(m[1]);
    const it = (out[n] ??= { n, first: c.n, correct: [] });
    const cr = /^correct_responses\.(\d+)\.pattern$/.exec(m[2]);
    if (cr) it.correct[Number(cr[1])] = c.args[1];
    else it[m[2]] = c.args[1];
  }
  return out;
}

const choiceRE = /^[0-9a-z](,[0-9a-z])*$/;

/** scorm12Response is a response as SCORM 1.2 writes it for a question of
 * this type: "a,c" for choices, "t"/"f", or the text. */
export function scorm12Response(type, r) {
  if (type === "text") return r;
  if (type === "true-false") return r;
  return r.split("").join(",");
}

/**
 * assertInteractions checks every interaction the SCO wrote against
 * SCORM 1.2 (RTE 3.4.2.7, STANDARDS.md section 2): appended at the index
 * cmi.interactions._count gave just before (getCalls: every call the LMS
 * page saw, LMSGetValue included); a safe id; type choice, true-false or
 * fill-in as the question's type asks; responses and patterns in the
 * type's format, patterns matching the answer key; result correct or
 * wrong for a question (neutral for a reflection); latency a CMITimespan;
 * time HH:MM:SS. It also checks that the SCO read no write-only element.
 * Returns the interactions.
 */
export function assertInteractions(calls, getCalls, config) {
  const reads = getCalls.filter((c) => c.name === "LMSGetValue");
  assert.deepEqual(reads.filter((c) => writeOnly(c.args[0])).map((c) => c.args[0]), [], "LMSGetValue of write-only elements");
  const key = new Map(questionsOf(config).map((q) => [q.id, q]));
  const reflections = new Set(config.modules.flatMap((m) => (m.reflections ?? []).map((r) => r.id)));
  const list = interactions(calls);
  list.forEach((it, n) => {
    const where = `cmi.interactions.${n}: ${JSON.stringify(it)}`;
    assert.ok(it, `cmi.interactions.${n} was skipped`);
    const count = reads.filter((c) => c.args[0] === "cmi.interactions._count" && c.n < it.first).at(-1);
    assert.equal(count?.result, String(n), `${where}\nwritten at an index other than cmi.interactions._count`);
    assert.match(it.id ?? "", identifierRE, `${where}\nid`);
    const base = it.id.replace(/-\d+$/, "");
    const q = key.get(it.id) ?? key.get(base);
    const isReflection = !q && (reflections.has(it.id) || reflections.has(base));
    assert.ok(q || isReflection, `${where}\nthe id names no question or reflection of the course`);
    assert.match(it.time ?? "", cmiTimeRE, `${where}\ntime is not a CMITime`);
    if (isReflection) {
      assert.equal(it.type, "fill-in", `${where}\ntype`);
      assert.ok(it.student_response.length <= 255 && !/[\n\r]/.test(it.student_response), `${where}\nstudent_response is not one line of at most 255 characters`);
      assert.equal(it.result, "neutral", `${where}\nresult`);
      return;
    }
    const type = { single: "choice", multiple: "choice", "true-false": "true-false", text: "fill-in" }[q.type];
    assert.equal(it.type, type, `${where}\ntype of a ${q.type} question`);
    assert.match(it.latency ?? "", timespanRE, `${where}\nlatency is not a CMITimespan`);
    assert.match(it.result ?? "", /^(correct|wrong)$/, `${where}\nresult`);
    const patterns = type === "fill-in" ? q.answers : [scorm12Response(q.type, [...q.correct].sort().join(""))];
    assert.deepEqual(it.correct, patterns, `${where}\ncorrect_responses.n.pattern`);
    const format = type === "choice" ? choiceRE : type === "true-false" ? /^[01tf]$/ : /^[^\n\r]{0,255}$/;
    for (const p of [it.student_response, ...it.correct]) assert.match(p ?? "", format, `${where}\n"${p}" is not a SCORM 1.2 ${type} response`);
    const right = type === "fill-in"
      ? q.answers.some((a) => a.trim().toLowerCase() === it.student_response.trim().toLowerCase())
      : it.student_response === it.correct[0];
    assert.equal(it.result, right ? "correct" : "wrong", `${where}\nresult does not match the response`);
  });
  return list;
}
