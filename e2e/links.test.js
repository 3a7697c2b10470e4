// Links inside a course: the player shows one page at a time, so a link to
// a heading or page of another page (#id), or of another module
// (module.md#id, built as MODULE.html#id), must show the page that holds
// it. A small course with such links is built as the web build, followed
// from a static server, and as a SCORM 1.2 package with the course in one
// SCO, run in the test LMS (scorm-again), where every module is in the one
// document and a link to another module must not leave it.
//
//   cd e2e && node --test links.test.js

import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildCourse, tempDir, unzip } from "./lib/build.js";
import { launchBrowser, openRun, visibleHeadings, watch } from "./lib/browser.js";
import { parseManifest } from "./lib/manifest.js";
import { startServer } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const files = {
  "course.yaml": "id: https://example.org/courses/links\ntitle: Links\nlanguage: en-GB\nmodules:\n  - modules/one.md\n  - modules/two.md\n",
  "modules/one.md": [
    "---\nid: one\ntitle: One\n---\n## Start\n",
    "Read [the detail](#the-detail), [the middle page](#middle), [the end of two](two.md#far-away) or [nothing](#).\n\n+++\n",
    "## Middle\n\nFiller.\n\n+++\n",
    "## Later\n\nText.\n\n### The detail\n\nHere.\n",
  ].join("\n"),
  "modules/two.md": "---\nid: two\ntitle: Two\n---\n## First\n\nText.\n\n+++\n\n## Far away\n\nThe end.\n",
};

/** shown asserts that the frame shows the heading want and not notWant. */
async function shown(frame, want, notWant) {
  const h = await visibleHeadings(frame);
  assert.ok(h.includes(want) && !h.includes(notWant), `headings shown: ${h.join(" / ")}`);
}

/** focusedText is the text of the element that has the focus. */
const focusedText = (frame) => frame.evaluate(() => document.activeElement?.textContent.trim());

describe("links to other pages of a course", { skip: skipUnless(chromiumPath()) }, () => {
  let browser, tmp, course;
  before(async () => {
    tmp = await tempDir();
    course = path.join(tmp.dir, "links");
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(course, name)), { recursive: true });
      await writeFile(path.join(course, name), text);
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await tmp?.remove();
  });

  test("web build: a heading or page on another page of the module, and a page of another module", async () => {
    const [zip] = await buildCourse({ course, format: "html", out: path.join(tmp.dir, "html") });
    const server = await startServer({ pkgDir: zip.replace(/\.zip$/, "") });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(`${server.origin}/pkg/one.html`);
      const f = page.mainFrame();
      await shown(f, "Start", "Later");

      await page.getByRole("link", { name: "nothing" }).click();
      await shown(f, "Start", "Later");

      await page.getByRole("link", { name: "the detail" }).click();
      await page.waitForFunction(() => document.activeElement?.id === "the-detail", null, { timeout: 5000 });
      await shown(f, "The detail", "Start");
      assert.equal(await page.locator("#cp-progress-text").innerText(), "Page 3 of 3");

      await page.getByRole("button", { name: "Previous" }).click();
      await page.getByRole("button", { name: "Previous" }).click();
      await page.getByRole("link", { name: "the middle page" }).click();
      await shown(f, "Middle", "Start");
      assert.equal(await focusedText(f), "Middle", "the page's heading has the focus");

      await page.getByRole("button", { name: "Previous" }).click();
      await page.getByRole("link", { name: "the end of two" }).click();
      await page.waitForURL(/two\.html#far-away$/);
      await page.waitForFunction(() => document.activeElement?.textContent.trim() === "Far away", null, { timeout: 5000 });
      await shown(f, "Far away", "First");
      assert.deepEqual(seen.consoleErrors, []);
    } finally {
      await context.close();
      await server.close();
    }
  });

  test("SCORM 1.2, the course in one SCO: a link to another module stays in the SCO", async () => {
    const [zip] = await buildCourse({ course, format: "scorm12", layout: "course", out: path.join(tmp.dir, "scorm") });
    const pkgDir = path.join(tmp.dir, "scorm-pkg");
    await unzip(zip, pkgDir);
    const manifest = parseManifest(await readFile(path.join(pkgDir, "imsmanifest.xml"), "utf8"));
    const server = await startServer({ pkgDir });
    try {
      const run = await openRun(browser, server, manifest.scos[0]);
      const f = run.frame;
      const url = f.url();
      await shown(f, "Start", "Far away");
      await f.getByRole("link", { name: "the end of two" }).click();
      await f.waitForFunction(() => document.activeElement?.textContent.trim() === "Far away", null, { timeout: 5000 });
      await shown(f, "Far away", "Start");
      assert.equal(f.url(), url, "the SCO's document was left");
      assert.deepEqual(run.consoleErrors, []);
      await run.close();
    } finally {
      await server.close();
    }
  });
});
