// What a SCORM 2004 4th Edition SCO must leave in the LMS (scorm-again's
// Scorm2004API in the test LMS), as the scenarios of scorm2004.test.js
// check it: statuses, score, progress measure, interactions in the 2004
// formats, session_time, and the discipline of Terminate.

import assert from "node:assert/strict";
import { openRun, resumeData2004, visibleHeadings, walk } from "./browser.js";
import { answerQuestions, assertCleanRun, expectedResult, playerConfig, questionsOf } from "./learner.js";

/** cmi.session_time as the brief asks: PT, then hours, minutes and
 * seconds with at most two decimals (RTE 4.2.19, STANDARDS.md section 3). */
export const sessionTime2004RE = /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/;
/** A SCORM 2004 timeinterval (ISO 8601 duration, at most two decimals on
 * the seconds): latency. */
export const duration2004RE = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
/** A SCORM 2004 time (second): at most two fractional digits, then an
 * optional zone. */
export const timestamp2004RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?(Z|[+-]\d{2}(:\d{2})?)?$/;
/** The interaction ids the brief allows (strict LMSs want no more). */
export const id2004RE = /^[A-Za-z0-9_.]+$/;

/** setValues lists the successful SetValue calls, in call order. */
export function setValues2004(calls) {
  return calls.filter((c) => c.name === "SetValue" && c.result === "true").sort((a, b) => a.n - b.n);
}

/** lastSet2004 is the value the SCO last set to element, or undefined. */
export function lastSet2004(calls, element) {
  return setValues2004(calls).findLast((c) => c.args[0] === element)?.args[1];
}

function brief(summary) {
  const cmi = summary.cmi ?? {};
  return JSON.stringify(
    {
      counts: summary.counts,
      completion_status: cmi.completion_status,
      success_status: cmi.success_status,
      score: cmi.score,
      progress_measure: cmi.progress_measure,
      exit: cmi.exit,
      location: cmi.location,
      tail: summary.calls.slice(-6).map((c) => [c.n, c.tick, c.name, ...c.args.map((a) => a.slice(0, 60)), c.result, c.error]),
    },
    null,
    2,
  );
}

/**
 * assertTerminate2004 checks how a SCORM 2004 session ended: Terminate
 * exactly once, successfully, and no call of any kind after it; the SCO
 * set cmi.session_time exactly once, in the 2004 format, as its last call
 * before Terminate and in the same go (one run of the SCO's script); and no
 * Commit in that go (Terminate commits: a Commit just before it is a
 * wasted round trip that some LMSs answer slowly). It returns the
 * Terminate call.
 */
export function assertTerminate2004(summary) {
  const calls = [...summary.calls].sort((a, b) => a.n - b.n);
  const terminates = calls.filter((c) => c.name === "Terminate");
  assert.equal(terminates.length, 1, `Terminate calls\n${brief(summary)}`);
  const term = terminates[0];
  assert.equal(term.result, "true", `Terminate failed with ${term.error}`);
  const after = calls.filter((c) => c.n > term.n);
  assert.deepEqual(after.map((c) => [c.name, ...c.args]), [], "API calls after Terminate");

  const times = setValues2004(calls).filter((c) => c.args[0] === "cmi.session_time");
  assert.equal(times.length, 1, `cmi.session_time set ${times.length} times\n${brief(summary)}`);
  const st = times[0];
  assert.match(st.args[1], sessionTime2004RE, "cmi.session_time");
  const before = calls.filter((c) => c.n < term.n && /^(SetValue|Commit|Initialize)$/.test(c.name)).at(-1);
  assert.equal(before?.n, st.n, `the last call before Terminate is not the session_time\n${brief(summary)}`);
  assert.equal(st.tick, term.tick, "cmi.session_time was not set in the same go as Terminate");
  const commits = calls.filter((c) => c.name === "Commit" && c.tick === term.tick);
  assert.deepEqual(
    commits.map((c) => c.n),
    [],
    `Commit in the same go as Terminate (calls ${commits.map((c) => c.n)}, Terminate ${term.n})\n${brief(summary)}`,
  );
  return term;
}

/** The SCORM 2004 elements that are write-only. */
export function writeOnly2004(element) {
  return element === "cmi.session_time" || element === "cmi.exit" || element === "adl.nav.request";
}

/**
 * assertClean2004 is assertCleanRun (one Initialize, one Terminate, no
 * failed call, no console error, no request off 127.0.0.1, a commit
 * reached the LMS) with assertTerminate2004; getCalls (every call the LMS
 * page saw, GetValue included), when given, must hold no read of a
 * write-only element.
 */
export function assertClean2004(summary, seen, getCalls) {
  assert.equal(summary.version, "2004", "not a SCORM 2004 run");
  assertCleanRun(summary, seen);
  if (getCalls) {
    const reads = getCalls.filter((c) => c.name === "GetValue" && writeOnly2004(c.args[0]));
    assert.deepEqual(reads.map((c) => c.args[0]), [], "GetValue of write-only elements");
  }
  return assertTerminate2004(summary);
}

/**
 * assertResult2004 checks the statuses, score and progress a finished
 * session left, both as the SCO set them (its last SetValue) and as
 * scorm-again committed them. want: completion ("completed" or
 * "incomplete"), success ("passed", "failed", or undefined when the SCO
 * has no pass mark and must not set one), scaled and raw (strings, or
 * undefined for no score), progress (the progress_measure string).
 */
export function assertResult2004(summary, want) {
  const { calls, cmi } = summary;
  const sets = setValues2004(calls);
  assert.equal(lastSet2004(calls, "cmi.completion_status"), want.completion, `the SCO's last cmi.completion_status\n${brief(summary)}`);
  assert.equal(cmi.completion_status, want.completion, "cmi.completion_status as the LMS has it");
  if (want.success) {
    assert.equal(lastSet2004(calls, "cmi.success_status"), want.success, `the SCO's last cmi.success_status\n${brief(summary)}`);
    assert.equal(cmi.success_status, want.success, "cmi.success_status as the LMS has it");
  } else {
    assert.equal(lastSet2004(calls, "cmi.success_status"), undefined, "a SCO without a pass mark set cmi.success_status");
    assert.equal(cmi.success_status, "unknown", "cmi.success_status as the LMS has it");
  }
  if (want.scaled !== undefined) {
    const score = { scaled: want.scaled, raw: want.raw, min: "0", max: "100" };
    for (const [el, v] of Object.entries(score)) {
      assert.equal(lastSet2004(calls, `cmi.score.${el}`), v, `the SCO's last cmi.score.${el}`);
      assert.equal(cmi.score?.[el], v, `cmi.score.${el} as the LMS has it`);
    }
    // The score before the success status: an LMS may judge the status
    // from score.scaled and the scaled passing score.
    const status = sets.find((c) => c.args[0] === "cmi.success_status");
    if (status) {
      for (const el of Object.keys(score)) {
        const s = sets.find((c) => c.args[0] === `cmi.score.${el}`);
        assert.ok(s && s.n < status.n, `cmi.score.${el} was not set before cmi.success_status`);
      }
    }
  } else {
    assert.deepEqual(
      sets.filter((c) => c.args[0].startsWith("cmi.score.")).map((c) => c.args),
      [],
      "a SCO without questions set a score",
    );
  }
  if (want.progress !== undefined) {
    assert.equal(lastSet2004(calls, "cmi.progress_measure"), want.progress, "the SCO's last cmi.progress_measure");
    assert.equal(cmi.progress_measure, want.progress, "cmi.progress_measure as the LMS has it");
  }
  // A SCO that is done (completed, passed or failed) ends its attempt;
  // otherwise it asks to be resumed.
  const final = want.completion === "completed" || want.success === "passed" || want.success === "failed";
  assert.equal(cmi.exit, final ? "normal" : "suspend", "cmi.exit");
  assert.ok(cmi.location, "cmi.location is empty");
  assert.ok((cmi.suspend_data ?? "").length <= 64000, `suspend_data of ${cmi.suspend_data.length} characters`);
}

/**
 * endScreen reads the end screen the learner sees: its title, text, and
 * which of the "Next module" and "Exit" buttons show.
 */
export async function endScreen(frame) {
  const end = frame.locator("#cp-end");
  await end.waitFor({ state: "visible", timeout: 5000 });
  return {
    title: (await frame.locator("#cp-end-title").innerText()).trim(),
    text: (await frame.locator("#cp-end-text").innerText()).trim(),
    next: await frame.locator("#cp-continue").isVisible(),
    exit: await frame.locator("#cp-exit").isVisible(),
  };
}

/** toEnd shows the end screen quickly: from the contents, the last page,
 * then "Next". */
export async function toEnd(frame) {
  const links = frame.locator("#cp-contents a[data-index]");
  const toggle = frame.locator("#cp-toggle");
  if (await toggle.isVisible()) {
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  }
  await links.last().click();
  await walk(frame);
}

/**
 * passScenario2004: a learner sees every page of sco, answers every
 * question right, and leaves from the end screen by closing the window.
 * The LMS must have completed (and passed, with score.scaled 1 and raw
 * 100 of 0–100, where the unit has questions), progress_measure 1, a clean
 * session (assertClean2004). hasNext says whether the manifest has a
 * SCO after this one, which the end screen's "Next module" must follow.
 * @returns {Promise<{clicks: number, headings: string[]}>}
 */
export async function passScenario2004(browser, server, sco, { hasNext } = {}) {
  const run = await openRun(browser, server, sco);
  let config;
  let answered = 0;
  let end, during;
  try {
    const clicks = await walk(run.frame, {
      onPage: async () => {
        config ??= await playerConfig(run.frame);
        answered += (await answerQuestions(run.frame, { correct: true })).length;
      },
    });
    end = await endScreen(run.frame);
    during = await run.lms();
    const summary = await run.close();
    const seen = { requests: run.requests, consoleErrors: run.consoleErrors };
    assertClean2004(summary, seen, during.calls);
    const want = expectedResult(config);
    assert.equal(answered, want.questions, "questions answered on the walk");
    assert.equal(end.title, config.t[config.modules.length > 1 ? "end.course" : "end.module"], "the end screen's title");
    if (hasNext !== undefined) assert.equal(end.next, hasNext, `"Next module" on the end screen`);
    assert.equal(end.exit, true, `"Exit" on the end screen`);
    assertResult2004(summary, {
      completion: "completed",
      success: want.status === "passed" ? "passed" : undefined,
      scaled: want.scored ? "1" : undefined,
      raw: want.scored ? "100" : undefined,
      progress: "1",
    });
    return { clicks, config };
  } catch (e) {
    if (!run.page.isClosed()) await run.close({ waitForFinish: false });
    throw e;
  }
}

/**
 * resumeScenario2004: walk half of the `total` clicks, close (the SCO must
 * suspend: exit "suspend"), relaunch with what the LMS kept (entry
 * "resume", location, suspend_data, statuses), and check that the learner
 * sees the page they left and that the SCO read entry "resume".
 */
export async function resumeScenario2004(browser, server, sco, total) {
  const half = Math.max(1, Math.floor(total / 2));
  const first = await openRun(browser, server, sco);
  const clicks = await walk(first.frame, { steps: half });
  assert.equal(clicks, half, `could only click "Next" ${clicks} times of ${half}`);
  const headings = await visibleHeadings(first.frame);
  const s1 = await first.close();
  assertClean2004(s1, { requests: first.requests, consoleErrors: first.consoleErrors });
  assert.equal(s1.cmi.exit, "suspend", "cmi.exit after leaving halfway");
  assert.equal(lastSet2004(s1.calls, "cmi.exit"), "suspend", "the SCO's cmi.exit");
  assert.equal(s1.cmi.completion_status, "incomplete", "completion_status after half the pages");
  assert.ok(s1.cmi.location, "no cmi.location after leaving halfway");
  assert.ok(Number(s1.cmi.progress_measure) > 0 && Number(s1.cmi.progress_measure) < 1, `progress_measure ${s1.cmi.progress_measure} after half the pages`);

  const preload = resumeData2004(s1.cmi);
  assert.equal(preload.entry, "resume");
  const second = await openRun(browser, server, sco, preload);
  let s2, lms;
  try {
    assert.deepEqual(await visibleHeadings(second.frame), headings, "the relaunched SCO shows another page");
    lms = await second.lms();
    const entry = lms.calls.find((c) => c.name === "GetValue" && c.args[0] === "cmi.entry");
    assert.equal(entry?.result, "resume", "the SCO did not read cmi.entry, or did not get resume");
    const location = lms.calls.find((c) => c.name === "GetValue" && c.args[0] === "cmi.location");
    assert.equal(location?.result, s1.cmi.location, "the SCO did not read back cmi.location");
  } finally {
    s2 = await second.close();
  }
  assertClean2004(s2, { requests: second.requests, consoleErrors: second.consoleErrors }, lms.calls);
  return headings;
}

/* ---- interactions ---- */

/** The id the player writes for a question or reflection id in SCORM
 * 2004 (templates/player/scorm2004.js). */
function sanitize(id) {
  return String(id).replace(/[^A-Za-z0-9_.]/g, "_");
}

/** interactions2004 gathers, from the SetValue calls, each interaction
 * the SCO wrote, by index: {n, first (its first call), fields (the order
 * they were written), id, type, ..., correct: [patterns]}. */
export function interactions2004(calls) {
  const out = [];
  for (const c of setValues2004(calls)) {
    const m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(c.args[0]);
    if (!m) continue;
    const n = Number(m[1]);
    const it = (out[n] ??= { n, first: c.n, fields: [], correct: [] });
    it.fields.push(m[2]);
    const cr = /^correct_responses\.(\d+)\.pattern$/.exec(m[2]);
    if (cr) it.correct[Number(cr[1])] = c.args[1];
    else it[m[2]] = c.args[1];
  }
  return out;
}

const choice2004RE = /^[0-9a-z](\[,\][0-9a-z])*$/;

/** response2004 is a player response ("ac", "t", text) as SCORM 2004
 * writes it for a question of this type. */
export function response2004(type, r) {
  if (type === "text") return r;
  if (type === "true-false") return r === "t" ? "true" : "false";
  return r.split("").join("[,]");
}

/**
 * assertInteractions2004 checks every interaction the SCO wrote against
 * SCORM 2004 (RTE 4.2.9, STANDARDS.md section 3): appended at the index
 * cmi.interactions._count gave just before (getCalls: every call the LMS
 * page saw); id then type written first; an id of [A-Za-z0-9_.] naming a
 * question or reflection of the course; type choice, true-false or
 * fill-in as the question asks, long-fill-in for a reflection; responses
 * and patterns in the type's 2004 format ("a[,]c", "true"/"false"),
 * patterns matching the answer key; result correct or incorrect (neutral
 * for a reflection) as the response deserves; latency an ISO 8601
 * duration; timestamp with at most two fractional digits. Returns the
 * interactions, each with `q` (the question) or `reflection` (its id).
 */
export function assertInteractions2004(calls, getCalls, config) {
  const key = new Map(questionsOf(config).map((q) => [sanitize(q.id), q]));
  const reflections = new Map(config.modules.flatMap((m) => (m.reflections ?? []).map((r) => [sanitize(r.id), r.id])));
  const list = interactions2004(calls);
  list.forEach((it, n) => {
    const where = `cmi.interactions.${n}: ${JSON.stringify(it)}`;
    assert.ok(it, `cmi.interactions.${n} was skipped`);
    const count = getCalls.filter((c) => c.name === "GetValue" && c.args[0] === "cmi.interactions._count" && c.n < it.first).at(-1);
    assert.equal(count?.result, String(n), `${where}\nwritten at an index other than cmi.interactions._count`);
    assert.deepEqual(it.fields.slice(0, 2), ["id", "type"], `${where}\nid and type must come first`);
    assert.match(it.id ?? "", id2004RE, `${where}\nid`);
    const base = it.id.replace(/_\d+$/, "");
    const q = key.get(it.id) ?? key.get(base);
    const reflection = q ? undefined : (reflections.get(it.id) ?? reflections.get(base));
    assert.ok(q || reflection, `${where}\nthe id names no question or reflection of the course`);
    assert.match(it.timestamp ?? "", timestamp2004RE, `${where}\ntimestamp`);
    if (reflection) {
      it.reflection = reflection;
      assert.equal(it.type, "long-fill-in", `${where}\ntype of a reflection`);
      assert.ok(it.learner_response.length <= 4000, `${where}\nlearner_response over 4000 characters`);
      assert.doesNotMatch(it.learner_response, /\[[,.]\]/, `${where}\nlearner_response holds a reserved delimiter`);
      assert.equal(it.result, "neutral", `${where}\nresult`);
      return;
    }
    it.q = q;
    const type = { single: "choice", multiple: "choice", "true-false": "true-false", text: "fill-in" }[q.type];
    assert.equal(it.type, type, `${where}\ntype of a ${q.type} question`);
    assert.match(it.latency ?? "", duration2004RE, `${where}\nlatency is not an ISO 8601 duration`);
    assert.match(it.result ?? "", /^(correct|incorrect)$/, `${where}\nresult`);
    const patterns = type === "fill-in" ? q.answers : [response2004(q.type, [...q.correct].sort().join(""))];
    assert.deepEqual(it.correct, patterns, `${where}\ncorrect_responses.n.pattern`);
    const format = type === "choice" ? choice2004RE : type === "true-false" ? /^(true|false)$/ : /^(?![\s\S]*\[[,.]\])[^\n\r]{0,250}$/;
    for (const p of [it.learner_response, ...it.correct]) assert.match(p ?? "", format, `${where}\n"${p}" is not a SCORM 2004 ${type} response`);
    const right =
      type === "fill-in"
        ? q.answers.some((a) => a.trim().toLowerCase() === it.learner_response.trim().toLowerCase())
        : it.learner_response === it.correct[0];
    assert.equal(it.result, right ? "correct" : "incorrect", `${where}\nresult does not match the response`);
  });
  return list;
}
