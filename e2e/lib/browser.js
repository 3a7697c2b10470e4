// Driving headless Chromium through the test LMS as a learner would.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";
import { chromiumPath } from "./tools.js";

const require = createRequire(import.meta.url);
const axePath = path.join(path.dirname(require.resolve("axe-core/package.json")), "axe.min.js");

/** The WCAG 2.0 and 2.1 levels A and AA rules of axe-core. */
export const axeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** isLocal reports whether a request's URL stays on this machine's test
 * server (or needs no network at all). */
export function isLocal(url) {
  const u = new URL(url);
  if (["data:", "blob:", "about:"].includes(u.protocol)) return true;
  return u.hostname === "127.0.0.1";
}

/**
 * watch records, from now on, what a page requests and every console error
 * and uncaught exception in any of its frames.
 */
export function watch(page) {
  const seen = { requests: [], consoleErrors: [] };
  page.on("request", (r) => seen.requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") {
      const loc = m.location();
      seen.consoleErrors.push(`${m.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (e) => seen.consoleErrors.push(`uncaught: ${e.stack || e.message}`));
  return seen;
}

/** is2004 reports whether sco (from parseManifest) is a SCORM 2004 SCO. */
export function is2004(sco) {
  return sco?.version === "2004";
}

/** The API functions' names of each SCORM edition. */
export const apiNames = {
  "1.2": { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit" },
  2004: { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit" },
};

/** lmsData is what an LMS gives every launch of sco: a learner, credit,
 * and what the manifest says of the item (mastery score, launch data,
 * time limit; in SCORM 2004, the completion threshold and scaled passing
 * score). */
export function lmsData(sco = {}) {
  if (is2004(sco)) {
    // entry ab-initio: the first launch of a new attempt (RTE 4.2.8);
    // resumeData2004 replaces it with resume.
    const cmi = { entry: "ab-initio", learner_id: "learner-1", learner_name: "Learner, Test", credit: "credit" };
    if (sco.completionThreshold) cmi.completion_threshold = sco.completionThreshold;
    if (sco.scaledPassingScore) cmi.scaled_passing_score = sco.scaledPassingScore;
    if (sco.dataFromLMS) cmi.launch_data = sco.dataFromLMS;
    if (sco.timeLimitAction) cmi.time_limit_action = sco.timeLimitAction;
    return cmi;
  }
  const data = { core: { student_id: "learner-1", student_name: "Learner, Test", credit: "credit" } };
  const student = {};
  if (sco.masteryscore) student.mastery_score = sco.masteryscore;
  if (sco.maxtimeallowed) student.max_time_allowed = sco.maxtimeallowed;
  if (sco.timelimitaction) student.time_limit_action = sco.timelimitaction;
  if (Object.keys(student).length) data.student_data = student;
  if (sco.datafromlms) data.launch_data = sco.datafromlms;
  return data;
}

function merge(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) ? merge(a?.[k], v) : v;
  }
  return out;
}

/**
 * openRun launches one SCO (an entry of parseManifest's scos) in the test
 * LMS, in a new browser context (so nothing, localStorage included,
 * carries over from another run). preload is the learner's data from an
 * earlier session (see resumeData). With opts.context, the run opens in
 * that browser context instead (the same learner in the same browser: its
 * localStorage is shared), which close then leaves open. A SCORM 2004 SCO
 * (version "2004") runs against scorm-again's Scorm2004API, with
 * opts.settings, when given, passed on to it, and with opts.sequencing
 * ({activityTree, target}), scorm-again sequences the course and delivers
 * the target item before the SCO starts (see lms/lms.js). opts.faults
 * lists the LMS's fault rules from the start (see fault below). With
 * opts.appendComments, the LMS adds what is written to cmi.comments to the
 * value it holds, as Moodle does.
 * @param {import("playwright-core").Browser} browser
 * @param {*} server from startServer
 * @param {{launch: string, title?: string, version?: string}} sco
 * @param {object} [preload]
 * @param {{context?: import("playwright-core").BrowserContext, settings?: object, sequencing?: object, faults?: object[], appendComments?: boolean}} [opts]
 */
export async function openRun(browser, server, sco, preload, opts = {}) {
  const scorm = is2004(sco) ? "2004" : "1.2";
  const config = { launch: sco.launch, title: sco.title, scorm, preload: merge(lmsData(sco), preload) };
  if (opts.settings) config.settings = opts.settings;
  if (opts.sequencing) config.sequencing = opts.sequencing;
  if (opts.faults) config.faults = opts.faults;
  if (opts.appendComments) config.appendComments = true;
  const finishName = apiNames[scorm].finish;
  const { id, url } = server.addRun(config);
  const own = !opts.context;
  const context = opts.context ?? (await browser.newContext());
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(url);
  const frame = await scoFrame(page);
  return {
    id,
    page,
    frame,
    ...seen,
    /** fault makes the LMS fail calls from now on (a rule of lms/lms.js's
     * fault injection, such as {fn: "LMSCommit"}); heal drops every rule. */
    fault: (rule) => page.evaluate((r) => void window.__lms.faults.push(r), rule),
    heal: () => page.evaluate(() => void (window.__lms.faults.length = 0)),
    /** lms returns what the LMS page holds (window.__lms), without the API. */
    lms: () =>
      page.evaluate(() => {
        const { api, ...rest } = window.__lms;
        return JSON.parse(JSON.stringify(rest));
      }),
    /** close closes the page, so that the SCO's pagehide handlers run, and
     * waits until the server has the LMS's last records. */
    async close({ waitForFinish = true } = {}) {
      await page.close();
      let run;
      if (waitForFinish) {
        run = await server
          .waitFor(id, (r) => r.events.some((e) => e.data?.data?.name === finishName), 5000)
          .catch(() => server.run(id));
        // A second finish, or a late commit, would come right after.
        await new Promise((r) => setTimeout(r, 300));
      } else run = server.run(id);
      if (own) await context.close();
      return summarize(server.run(id) ?? run);
    },
  };
}

/** summarize reads a run's records: the API call counts, the calls that
 * were reported, the CMI data of the last commit scorm-again sent, the
 * SCORM edition ("1.2" or "2004") and, for 2004, the navigation events
 * scorm-again raised. */
export function summarize(run) {
  const calls = run.events.filter((e) => e.data?.kind === "call").map((e) => e.data.data);
  const nav = run.events.filter((e) => e.data?.kind === "nav").map((e) => e.data.data);
  const last = run.events.at(-1)?.data;
  const counts = { ...(last?.counts ?? {}) };
  const commits = run.commits.map((c) => c.data);
  const version = run.config?.scorm === "2004" ? "2004" : "1.2";
  return { version, counts, calls, nav, commits, cmi: commits.at(-1)?.cmi ?? null };
}

/** scoFrame waits for the SCO's iframe to load and returns its frame. */
export async function scoFrame(page) {
  const handle = await page.waitForSelector("iframe#sco", { state: "attached" });
  const frame = await handle.contentFrame();
  await frame.waitForLoadState("load");
  return frame;
}

/** nextButton is the button whose visible text is "Next". */
export function nextButton(frame) {
  return frame.locator("button:visible", { hasText: /^\s*Next\s*$/ });
}

/**
 * walk clicks "Next" until it is gone or disabled (or `steps` times),
 * calling onPage before each click and once at the end. It returns the
 * number of clicks.
 */
export async function walk(frame, { steps = Infinity, onPage, max = 500 } = {}) {
  let clicks = 0;
  for (;;) {
    if (onPage) await onPage(clicks);
    if (clicks >= steps) return clicks;
    const next = nextButton(frame);
    if ((await next.count()) === 0 || !(await next.first().isEnabled())) return clicks;
    if (clicks >= max) throw new Error(`still a "Next" button after ${max} clicks`);
    await next.first().click();
    clicks++;
  }
}

/** visibleHeadings lists the text of every heading the learner can see. */
export function visibleHeadings(frame) {
  return frame.evaluate(() =>
    Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]"))
      .filter((h) => (h.checkVisibility ? h.checkVisibility() : h.offsetParent !== null))
      .map((h) => h.textContent.replace(/\s+/g, " ").trim()),
  );
}

/** axe runs axe-core's WCAG 2.x A and AA rules on the frame's document and
 * returns the violations, each with the selectors of its nodes. */
export async function axe(frame) {
  if (!(await frame.evaluate(() => typeof window.axe !== "undefined"))) {
    // Evaluated through the DevTools protocol rather than added as a
    // <script>: the page's Content-Security-Policy allows no inline script.
    await frame.evaluate(readFileSync(axePath, "utf8") + "\n;true");
  }
  const result = await frame.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    axeTags,
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
}

/** resumeData is what an LMS gives a SCO back on its next launch, from the
 * CMI data of its last commit: bookmark, suspend data, status, score and
 * total time, with entry "resume" when the SCO exited with "suspend". It
 * reads SCORM 1.2 data (cmi.core...) or SCORM 2004 data (resumeData2004). */
export function resumeData(cmi) {
  if (!cmi.core && "completion_status" in cmi) return resumeData2004(cmi);
  const core = cmi.core ?? {};
  const preload = {
    core: {
      entry: core.exit === "suspend" ? "resume" : "",
      lesson_location: core.lesson_location ?? "",
      lesson_status: core.lesson_status ?? "",
      total_time: core.total_time ?? "",
    },
    suspend_data: cmi.suspend_data ?? "",
  };
  const score = core.score ?? {};
  if (score.raw !== undefined && score.raw !== "") preload.core.score = { raw: score.raw, min: score.min, max: score.max };
  // loadFromJSON skips empty values.
  for (const [k, v] of Object.entries(preload.core)) if (v === "" || v === undefined) delete preload.core[k];
  return preload;
}

/** resumeData2004 is resumeData for SCORM 2004 CMI data: location,
 * suspend_data, completion and success status, progress measure, score
 * and total time, with entry "resume" after exit "suspend" (or a
 * suspendAll navigation request, which the caller passes as exit). */
export function resumeData2004(cmi) {
  const preload = {
    entry: cmi.exit === "suspend" ? "resume" : "",
    location: cmi.location ?? "",
    suspend_data: cmi.suspend_data ?? "",
    completion_status: cmi.completion_status ?? "",
    success_status: cmi.success_status ?? "",
    progress_measure: cmi.progress_measure ?? "",
    total_time: cmi.total_time ?? "",
  };
  const score = cmi.score ?? {};
  const kept = {};
  for (const el of ["scaled", "raw", "min", "max"]) if (score[el] !== undefined && score[el] !== "") kept[el] = score[el];
  if (Object.keys(kept).length) preload.score = kept;
  for (const [k, v] of Object.entries(preload)) if (v === "" || v === undefined) delete preload[k];
  return preload;
}
