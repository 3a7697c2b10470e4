// Driving headless Chromium through the test LMS as a learner would.

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

/** lmsData is what an LMS gives every launch of sco: a learner, credit,
 * and what the manifest says of the item (mastery score, launch data,
 * time limit). */
export function lmsData(sco = {}) {
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
 * localStorage is shared), which close then leaves open.
 * @param {import("playwright-core").Browser} browser
 * @param {*} server from startServer
 * @param {{launch: string, title?: string}} sco
 * @param {object} [preload]
 * @param {{context?: import("playwright-core").BrowserContext}} [opts]
 */
export async function openRun(browser, server, sco, preload, opts = {}) {
  const config = { launch: sco.launch, title: sco.title, preload: merge(lmsData(sco), preload) };
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
          .waitFor(id, (r) => r.events.some((e) => e.data?.data?.name === "LMSFinish"), 5000)
          .catch(() => server.run(id));
        // A second LMSFinish, or a late commit, would come right after.
        await new Promise((r) => setTimeout(r, 300));
      } else run = server.run(id);
      if (own) await context.close();
      return summarize(server.run(id) ?? run);
    },
  };
}

/** summarize reads a run's records: the API call counts, the calls that
 * were reported, and the CMI data of the last commit scorm-again sent. */
export function summarize(run) {
  const calls = run.events.filter((e) => e.data?.kind === "call").map((e) => e.data.data);
  const last = run.events.at(-1)?.data;
  const counts = { ...(last?.counts ?? {}) };
  const commits = run.commits.map((c) => c.data);
  return { counts, calls, commits, cmi: commits.at(-1)?.cmi ?? null };
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
    await frame.addScriptTag({ path: axePath });
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
 * total time, with entry "resume" when the SCO exited with "suspend". */
export function resumeData(cmi) {
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
