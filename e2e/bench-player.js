// bench-player.js: how soon the player shows its first page, in headless
// Chromium, for a package of each format. It is a benchmark, not a test:
// it prints figures and asserts none (timings depend on the machine).
//
//   make bench-player                 # from the repository root
//   cd e2e && node bench-player.js    # N=30 FORMATS="scorm12 html" ...
//
// For each format it builds the course (the example, or
// $COURSEPACK_E2E_COURSE) and launches its first unit N times (default 20),
// each in a new browser context, as a learner's first visit would:
//
//   scorm12, scorm2004   the first SCO, in the test LMS page (scorm-again)
//   xapi                 tincan.xml's launch, with a Tin Can launch query
//                        against the test LRS (lib/lrs.js)
//   cmi5                 the first AU, with a cmi5 launch (fetch URL,
//                        LMS.LaunchData) against the test LRS
//   html                 the first module's page of the web build, served
//                        as it is
//
// The unit's page (the SCO's frame, for SCORM) carries a probe, added
// before any of its scripts run: a MutationObserver that notes
// performance.now() when a page first becomes the current one
// (`.cp-page.cp-current`, which the player sets when it shows a page).
// Times are from the start of the unit page's own navigation (its
// performance.timeOrigin), so the test LMS page around a SCO does not
// count. Printed per format, median and 90th percentile:
//
//   firstPage   the player shows its first page
//   html        the page's HTML received (navigation timing's responseEnd)
//   assets      the last of the player's scripts and style sheet received
//   fcp         first contentful paint (the page's text is readable before
//               the scripts run, since they load at the end of the page)
//   dcl, load   DOMContentLoaded and load, from navigation timing
//
// The baseline, measured in the same run: the same unit page with its
// scripts taken out (the same HTML and style sheet, no player), opened N
// times on its own from the same server; plain is its first contentful
// paint, the moment a browser shows such a page at all, and ratio is
// firstPage / plain (medians). floor is the first contentful paint of a
// page of one line, opened the same way: what a new browser context costs
// on this machine before any page of the course.

import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { launchBrowser } from "./lib/browser.js";
import { exampleCourse, tempDir } from "./lib/build.js";
import { start as startLRS, withQuery } from "./lib/lrs.js";
import { buildPackage, parseCmi5, parseTincan } from "./lib/lrscontent.js";
import { lmsData } from "./lib/browser.js";
import { parseManifest } from "./lib/manifest.js";
import { startServer } from "./lib/server.js";
import { chromiumPath, which } from "./lib/tools.js";

const N = Number(process.env.N ?? 20);
const FORMATS = (process.env.FORMATS ?? "scorm12 scorm2004 xapi cmi5 html").split(/\s+/).filter(Boolean);

/** probe runs in every frame before its own scripts (addInitScript). */
function probe() {
  const t = {};
  window.__cpBench = t;
  const check = () => {
    if (t.firstPage === undefined && document.querySelector(".cp-page.cp-current")) {
      t.firstPage = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
}

/** measure waits in frame for the first page and returns its timings. */
async function measure(frame) {
  await frame.waitForFunction(() => window.__cpBench?.firstPage !== undefined, null, { timeout: 15000, polling: 20 });
  // Let the load event happen, if it has not.
  await frame.waitForLoadState("load");
  return frame.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    const assets = performance
      .getEntriesByType("resource")
      .filter((r) => r.initiatorType === "script" || r.initiatorType === "link")
      .map((r) => r.responseEnd);
    return {
      firstPage: window.__cpBench.firstPage,
      html: nav ? nav.responseEnd : NaN,
      assets: assets.length ? Math.max(...assets) : NaN,
      fcp: fcp ? fcp.startTime : NaN,
      dcl: nav ? nav.domContentLoadedEventEnd : NaN,
      load: nav ? nav.loadEventEnd : NaN,
    };
  });
}

/** quantile q (0 to 1) of sorted numbers xs, by the nearest rank. */
function quantile(xs, q) {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const ms = (x) => (Number.isNaN(x) ? "-" : x.toFixed(1));

/** prepare builds format's package, serves it and returns a function that
 * opens a new launch of its first unit in a page and returns the unit's
 * frame, with what to close afterwards. */
async function prepare(format, tmp, lrs) {
  const pkg = await buildPackage({ format, out: path.join(tmp, format) });
  const server = await startServer({ pkgDir: pkg.dir });
  let open, unit;
  if (format === "scorm12" || format === "scorm2004") {
    const manifest = parseManifest(await readFile(path.join(pkg.dir, "imsmanifest.xml"), "utf8"));
    const sco = manifest.scos[0];
    unit = sco.href;
    const scorm = sco.version === "2004" ? "2004" : "1.2";
    open = async (page) => {
      const { url } = server.addRun({ launch: sco.launch, title: sco.title, scorm, preload: lmsData(sco) });
      await page.goto(url);
      const handle = await page.waitForSelector("iframe#sco", { state: "attached" });
      return handle.contentFrame();
    };
  } else if (format === "xapi") {
    const tincan = parseTincan(await readFile(path.join(pkg.dir, "tincan.xml"), "utf8"));
    unit = tincan.launch.launch;
    open = async (page) => {
      const L = lrs.tinCanLaunch({ activityId: tincan.launch.id });
      await page.goto(withQuery(`${server.origin}/pkg/${tincan.launch.launch}`, L.query));
      return page.mainFrame();
    };
  } else if (format === "cmi5") {
    const au = parseCmi5(await readFile(path.join(pkg.dir, "cmi5.xml"), "utf8")).aus[0];
    unit = au.url;
    open = async (page) => {
      const L = lrs.cmi5Launch({ publisherId: au.id, moveOn: au.moveOn, masteryScore: au.masteryScore, returnURL: lrs.returnURL });
      await page.goto(withQuery(`${server.origin}/pkg/${au.url}`, L.query));
      return page.mainFrame();
    };
  } else if (format === "html") {
    const index = await readFile(path.join(pkg.dir, "index.html"), "utf8");
    const first = /href="([^"/]+\.html)"/.exec(index)?.[1];
    if (!first) throw new Error("index.html links no module page");
    unit = first;
    open = async (page) => {
      await page.goto(`${server.origin}/pkg/${first}`);
      return page.mainFrame();
    };
  } else {
    throw new Error(`unknown format ${format}`);
  }
  // The baseline page: the unit's page without its scripts, beside it.
  const unitPath = unit.split(/[?#]/)[0];
  const plainPath = path.posix.join(path.posix.dirname(unitPath), "bench-plain.html");
  const html = await readFile(path.join(pkg.dir, unitPath), "utf8");
  await writeFile(path.join(pkg.dir, plainPath), html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, ""));
  const openPlain = async (page) => {
    await page.goto(`${server.origin}/pkg/${plainPath}`);
    return page.mainFrame();
  };
  const floorPath = path.posix.join(path.posix.dirname(unitPath), "bench-floor.html");
  await writeFile(path.join(pkg.dir, floorPath), '<!DOCTYPE html><html lang="en"><title>Floor</title><p>One line.</p></html>\n');
  const openFloor = async (page) => {
    await page.goto(`${server.origin}/pkg/${floorPath}`);
    return page.mainFrame();
  };
  return { open, openPlain, openFloor, close: () => server.close() };
}

/** paint waits in frame for its first contentful paint and returns it. */
async function paint(frame) {
  await frame.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 15000, polling: 20 });
  return frame.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0].startTime);
}

async function main() {
  if (!which(chromiumPath())) {
    console.error(`bench-player: ${chromiumPath()} is not installed (apt-get install chromium)`);
    process.exit(1);
  }
  const tmp = await tempDir("coursepack-bench-");
  const browser = await launchBrowser();
  const lrs = FORMATS.some((f) => f === "xapi" || f === "cmi5") ? await startLRS() : null;
  const load = os.loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(`# player first page, ${path.basename(exampleCourse)}, ${N} launches per format, new context each`);
  console.log(`# ${os.cpus().length} CPUs, load average ${load}, ${chromiumPath()}`);
  console.log(`# ms from the unit page's navigation start: median / p90`);
  try {
    for (const format of FORMATS) {
      const { open, openPlain, openFloor, close } = await prepare(format, tmp.dir, lrs);
      const runs = [];
      const plain = [];
      const floor = [];
      try {
        // One launch to warm the server, the browser and the disk cache.
        for (let i = 0; i <= N; i++) {
          const context = await browser.newContext();
          await context.addInitScript(probe);
          const page = await context.newPage();
          try {
            const frame = await open(page);
            const t = await measure(frame);
            if (i > 0) runs.push(t);
          } finally {
            await context.close();
          }
          for (const [openBare, into] of [[openPlain, plain], [openFloor, floor]]) {
            const bare = await browser.newContext();
            try {
              const fcp = await paint(await openBare(await bare.newPage()));
              if (i > 0) into.push(fcp);
            } finally {
              await bare.close();
            }
          }
        }
      } finally {
        await close();
      }
      const col = (k) => `${k}=${ms(quantile(runs.map((r) => r[k]), 0.5))}/${ms(quantile(runs.map((r) => r[k]), 0.9))}`;
      const ratio = quantile(runs.map((r) => r.firstPage), 0.5) / quantile(plain, 0.5);
      console.log(
        `${format.padEnd(9)} ${col("firstPage")} plain=${ms(quantile(plain, 0.5))}/${ms(quantile(plain, 0.9))} ratio=${ratio.toFixed(2)} ` +
          `floor=${ms(quantile(floor, 0.5))}/${ms(quantile(floor, 0.9))} ` +
          `${col("html")} ${col("assets")} ${col("fcp")} ${col("dcl")} ${col("load")}`,
      );
    }
  } finally {
    await browser.close();
    await lrs?.stop();
    await tmp.remove();
  }
}

await main();
