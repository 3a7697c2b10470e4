// Running coursepack's xAPI (Tin Can) and cmi5 packages against the test LRS
// (lib/lrs.js): building them, reading tincan.xml and cmi5.xml as an LMS
// does, launching a unit in headless Chromium from its own origin (the LRS
// is on another port, so every xAPI call is cross-origin), walking it as a
// learner, and reading what the LRS received.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { isLocal, walk, watch } from "./browser.js";
import { buildCLI, exampleCourse, repoRoot, unzip } from "./build.js";
import { answerQuestions } from "./learner.js";
import { parseXML } from "./manifest.js";

const run = promisify(execFile);

export const TINCAN_NS = "http://projecttincan.com/tincan.xsd";
export const CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";
export const PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";
/** The ISO 8601 durations an LRS takes: PT with unit letters. */
export const DURATION = /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tiny course of the repository's testdata: two short modules. */
export const tinyCourse = path.join(repoRoot, "testdata", "tiny");
export { exampleCourse };

/**
 * buildPackage runs `coursepack build <course> --format <format> --out <out>`
 * (with flags, such as --split) and unzips the zip it writes (the one whose
 * name ends with `-<pick>.zip`, when it writes several) into
 * <out>/pkg-<format>. Returns {zip, dir, files}.
 */
export async function buildPackage({ course = exampleCourse, format, out, flags = [], pick }) {
  const bin = await buildCLI();
  const args = ["build", course, "--format", format, "--out", out, ...flags];
  const env = { ...process.env };
  delete env.SOURCE_DATE_EPOCH;
  try {
    await run(bin, args, { cwd: repoRoot, env, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`coursepack ${args.join(" ")} failed (exit ${err.code}):\n${err.stderr || err.message}`);
  }
  const suffix = pick ? `-${format}-${pick}.zip` : `-${format}.zip`;
  const zips = (await readdir(out)).filter((n) => n.endsWith(suffix));
  if (zips.length !== 1) throw new Error(`coursepack ${args.join(" ")} wrote ${zips.length} ${format} zips in ${out}`);
  const zip = path.join(out, zips[0]);
  const dir = path.join(out, "pkg-" + format);
  const files = await unzip(zip, dir);
  return { zip, dir, files };
}

function kids(el, name) {
  const out = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && n.localName === name) out.push(n);
  return out;
}
function kid(el, name) {
  return kids(el, name)[0] ?? null;
}
function textOf(el) {
  return el ? el.textContent.trim() : "";
}

/**
 * parseTincan reads tincan.xml: its activities, each {id, type, name,
 * launch, interactionType, correct: [patterns], choices: [ids]}, and the
 * one that launches.
 */
export function parseTincan(xml) {
  const doc = parseXML(xml, "tincan.xml");
  const root = doc.documentElement;
  if (root.localName !== "tincan" || root.namespaceURI !== TINCAN_NS) throw new Error("tincan.xml: not a <tincan> in " + TINCAN_NS);
  const list = kid(root, "activities");
  const activities = kids(list, "activity").map((a) => {
    const crp = kid(a, "correctResponsePatterns");
    const choices = kid(a, "choices");
    return {
      id: a.getAttribute("id"),
      type: a.getAttribute("type"),
      name: textOf(kid(a, "name")),
      launch: textOf(kid(a, "launch")) || null,
      interactionType: textOf(kid(a, "interactionType")) || null,
      correct: crp ? kids(crp, "correctResponsePattern").map((p) => p.textContent) : null,
      choices: choices ? kids(choices, "component").map((c) => textOf(kid(c, "id"))) : null,
    };
  });
  const launchers = activities.filter((a) => a.launch);
  if (launchers.length !== 1) throw new Error(`tincan.xml: ${launchers.length} activities launch`);
  return { activities, byId: new Map(activities.map((a) => [a.id, a])), launch: launchers[0] };
}

/** parseCmi5 reads cmi5.xml: the course id and its AUs, each {id, url,
 * moveOn, masteryScore (a number or undefined), title}. */
export function parseCmi5(xml) {
  const doc = parseXML(xml, "cmi5.xml");
  const root = doc.documentElement;
  if (root.localName !== "courseStructure" || root.namespaceURI !== CMI5_NS) throw new Error("cmi5.xml: not a <courseStructure> in " + CMI5_NS);
  const aus = [];
  const visit = (el) => {
    for (const c of kids(el, "au")) {
      const ms = c.getAttribute("masteryScore");
      aus.push({
        id: c.getAttribute("id"),
        url: textOf(kid(c, "url")),
        moveOn: c.getAttribute("moveOn") || "NotApplicable",
        masteryScore: ms ? Number(ms) : undefined,
        title: textOf(kid(kid(c, "title"), "langstring")),
      });
    }
    for (const b of kids(el, "block")) visit(b);
  };
  visit(root);
  return { courseId: kid(root, "course").getAttribute("id"), aus };
}

/** verbOf is the last part of a statement's verb IRI ("completed"). */
export function verbOf(s) {
  return String(s?.verb?.id ?? "").replace(/^.*\//, "");
}

/** verbs lists the verbs of statements, in order. */
export function verbs(list) {
  return list.map(verbOf);
}

/** countById counts the statements received under each id. */
export function countById(list) {
  const m = new Map();
  for (const s of list) m.set(s.id, (m.get(s.id) ?? 0) + 1);
  return m;
}

/** xapiRequests lists the requests content made to the xAPI endpoint
 * (preflights left out). */
export function xapiRequests(lrs) {
  return lrs.requests().filter((r) => !r.preflight && r.path.startsWith("/xapi/"));
}

/**
 * openUnit opens url (a unit of a package, with its launch query) in a
 * page of context (a new context unless given), watching its requests and
 * console errors, and waits until the player has started: a page heading
 * is visible. Returns {page, frame, context, seen, close()}.
 */
export async function openUnit(browser, url, { context } = {}) {
  const own = !context;
  context ??= await browser.newContext();
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(url);
  const frame = page.mainFrame();
  await playerReady(frame);
  return {
    page,
    frame,
    context,
    seen,
    /**
     * close closes the page, so that the player's pagehide handler runs,
     * then awaits until() (say, until the LRS has the last statement) and
     * closes the page's own context. A context closed at once would cancel
     * the keepalive requests the page left, which a browser whose window
     * closes still sends.
     */
    async close({ until } = {}) {
      if (!page.isClosed()) await page.close({ runBeforeUnload: false });
      try {
        if (until) await until();
        else await new Promise((r) => setTimeout(r, 500));
      } finally {
        if (own) await context.close();
      }
    },
  };
}

/** playerReady waits until the player shows a page (its heading). */
export async function playerReady(frame, timeout = 10000) {
  await frame.locator(".cp-page.cp-current .cp-page-title").first().waitFor({ state: "visible", timeout });
}

/**
 * walkUnit clicks "Next" (steps times, or to the end), answering every
 * question on each page (right unless correct says otherwise). Returns
 * {clicks, answered: [{id, type, response, right}]}.
 */
export async function walkUnit(frame, { steps = Infinity, correct = true, answer = true } = {}) {
  const answered = [];
  const clicks = await walk(frame, {
    steps,
    onPage: async () => {
      if (answer) answered.push(...(await answerQuestions(frame, { correct })));
    },
  });
  return { clicks, answered };
}

/** pageHeading is the heading of the page the player shows. */
export async function pageHeading(frame) {
  const h = frame.locator(".cp-page.cp-current .cp-page-title").first();
  if (!(await h.count())) return null;
  return (await h.textContent()).replace(/\s+/g, " ").trim();
}

/** exit clicks the player's "Exit" button (on the end screen). */
export async function exit(frame) {
  const b = frame.locator("#cp-exit");
  await b.waitFor({ state: "visible", timeout: 5000 });
  await b.click();
}

/** offRequests lists what a page asked of hosts other than 127.0.0.1. */
export function offRequests(seen) {
  return seen.requests.filter((u) => !isLocal(u));
}

/** describeRequests is a line per request the LRS received (preflights
 * left out; the last `last` of them), for failure messages. */
export function describeRequests(lrs, last = 12) {
  const t0 = lrs.requests()[0]?.at ?? 0;
  return lrs
    .requests()
    .filter((r) => !r.preflight)
    .slice(-last)
    .map((r) => {
      let ids = "";
      if (r.path === "/xapi/statements" && r.body) {
        try {
          const b = JSON.parse(r.body);
          ids = (Array.isArray(b) ? b : [b]).map((s) => `${verbOf(s)}:${String(s.id).slice(0, 8)}`).join(",");
        } catch {
          ids = "(not JSON)";
        }
      }
      return `  +${r.at - t0}ms ${r.method} ${r.path} ${r.query.stateId ?? ""} -> ${r.status || "no answer"}${r.fault ? ` (${r.fault})` : ""} ${ids}`;
    })
    .join("\n");
}

/** assertOnce: every statement the LRS accepted is stored once, by id,
 * and what the LRS stored is what it accepted. */
export async function assertOnce(lrs) {
  const stored = await lrs.storedStatements();
  const twice = [...countById(stored)].filter(([, n]) => n > 1);
  if (twice.length > 0) {
    const names = twice.map(([id, n]) => `${verbOf(stored.find((s) => s.id === id))}:${id.slice(0, 8)} x${n}`);
    throw new assert.AssertionError({ message: `statements stored more than once: ${names.join(", ")}\n${describeRequests(lrs, 40)}` });
  }
  assert.deepEqual(stored.map((s) => s.id).sort(), lrs.statements().map((s) => s.id).sort(), "the statements stored and those accepted");
}

/** waitQuiet resolves once the LRS has had no request for quiet ms (the
 * page has nothing on its way), or rejects after ms. */
export async function waitQuiet(lrs, { quiet = 400, ms = 15000 } = {}) {
  const end = Date.now() + ms;
  let n = -1;
  let since = Date.now();
  for (;;) {
    const reqs = lrs.requests();
    const pending = reqs.some((r) => !r.status && !r.fault);
    if (reqs.length !== n || pending) {
      n = reqs.length;
      since = Date.now();
    } else if (Date.now() - since >= quiet) return;
    if (Date.now() > end) throw new Error(`the page kept calling the LRS for ${ms} ms:\n${describeRequests(lrs, 8)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** waitLRS is lrs.waitFor with a failure that says what was awaited and
 * what the LRS had by then. */
export async function waitLRS(lrs, test, ms, what) {
  try {
    await lrs.waitFor(test, ms);
  } catch {
    const seen = verbs(lrs.statements()).join(" ");
    const faults = lrs.requests().filter((r) => r.fault).length;
    throw new Error(
      `waited ${ms} ms for the LRS to have ${what}; it has: ${seen || "no statement"} (${faults} requests faulted); the last requests:\n${describeRequests(lrs, 8)}`,
    );
  }
}

/**
 * findInFiles returns, for each needle (a string or a RegExp), the package
 * files (relative paths) whose bytes contain it.
 */
export async function findInFiles(dir, needles) {
  const hits = Object.fromEntries(needles.map((n) => [String(n), []]));
  const visit = async (d) => {
    for (const name of await readdir(d)) {
      const full = path.join(d, name);
      if ((await stat(full)).isDirectory()) await visit(full);
      else {
        const text = (await readFile(full)).toString("latin1");
        for (const n of needles) {
          if (n instanceof RegExp ? n.test(text) : text.includes(n)) hits[String(n)].push(path.relative(dir, full));
        }
      }
    }
  };
  await visit(dir);
  return hits;
}

