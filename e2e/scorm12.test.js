// coursepack's SCORM 1.2 packages of the example course, run in a test LMS
// (scorm-again) in headless Chromium: for each SCO of the default layout
// (one SCO per module) and of --sco course, a learner walks every page,
// answers every question right and leaves: the LMS must have what SCORM 1.2
// asks for, passed (or completed) with a score of 100 set before the status; one who leaves
// halfway comes back to the same page; axe-core finds no WCAG 2.1 A/AA
// violation on any page; opened with no LMS, a module keeps its place in
// the browser.
//
//   cd e2e && npm ci && node --test scorm12.test.js

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildCourse, exampleCourse, tempDir, unzip } from "./lib/build.js";
import { launchBrowser } from "./lib/browser.js";
import {
  axeScenario,
  formatViolations,
  learnerRun,
  passScenario,
  resumeScenario,
  standaloneScenario,
} from "./lib/learner.js";
import { parseManifest } from "./lib/manifest.js";
import { startServer } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

describe(`SCORM 1.2 packages of ${path.basename(exampleCourse)}`, { skip: skipUnless(chromiumPath()) }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  for (const layout of ["module", "course"]) {
    describe(layout === "module" ? "default layout (a SCO per module)" : "--sco course", () => {
      let tmp, server, manifest, pkgDir;
      // "Next" clicks from the first page to the end, by SCO.
      const steps = new Map();

      before(async () => {
        tmp = await tempDir();
        const zips = await buildCourse({ layout, out: path.join(tmp.dir, "out") });
        assert.equal(zips.length, 1, `one zip expected, got ${zips.map((z) => path.basename(z))}`);
        assert.match(path.basename(zips[0]), /^[a-z0-9]+(-[a-z0-9]+)*-scorm12\.zip$/);
        pkgDir = path.join(tmp.dir, "pkg");
        await unzip(zips[0], pkgDir);
        manifest = parseManifest(await readFile(path.join(pkgDir, "imsmanifest.xml"), "utf8"));
        server = await startServer({ pkgDir });
      });
      after(async () => {
        await server?.close();
        await tmp?.remove();
      });

      test("the manifest lists the SCOs", () => {
        assert.ok(manifest.scos.length > 0, "no SCO in the manifest");
        if (layout === "course") assert.equal(manifest.scos.length, 1, "--sco course makes one SCO");
      });

      test("a learner who walks every page and answers every question right completes (or passes) each SCO", async (t) => {
        for (const sco of manifest.scos) {
          await t.test(sco.title || sco.launch, async () => {
            steps.set(sco, (await passScenario(browser, server, sco)).clicks);
          });
        }
      });

      test("a learner who leaves halfway comes back to the same page", async (t) => {
        for (const sco of manifest.scos) {
          await t.test(sco.title || sco.launch, async () => {
            // The number of "Next" clicks to the end, from the test above or
            // by walking now.
            let total = steps.get(sco);
            if (total === undefined) total = (await learnerRun(browser, server, sco)).clicks;
            assert.ok(total >= 1, "a single page: there is no halfway");
            await resumeScenario(browser, server, sco, total);
          });
        }
      });

      test("no page has a WCAG 2.1 A or AA violation (axe-core)", async (t) => {
        for (const sco of manifest.scos) {
          await t.test(sco.title || sco.launch, async () => {
            const found = await axeScenario(browser, server, sco);
            assert.equal(found.length, 0, `axe-core violations:\n${formatViolations(found)}`);
          });
        }
      });

      test("opened with no LMS, a module says progress is kept in this browser and keeps its place", async () => {
        await standaloneScenario(browser, server, manifest.scos[0].href);
      });
    });
  }
});
