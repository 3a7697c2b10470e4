// coursepack's plain web build (`--format html`) of the example course:
// the <slug>-html/ folder served as it is by a static server on 127.0.0.1
// (no LMS), opened in headless Chromium. index.html links every module; a
// learner walks a module, answering every question right, and a reload
// keeps the page and the answers (localStorage); the module says progress
// is kept in this browser and its end screen shows completion; axe-core
// finds no WCAG 2.1 A/AA violation on index.html and a module's pages; no
// console error, no request to another host. The zip beside the folder
// holds the same files.
//
//   cd e2e && node --test web.test.js

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildCourse, exampleCourse, tempDir, unzip } from "./lib/build.js";
import { axe, isLocal, launchBrowser, nextButton, visibleHeadings, walk, watch } from "./lib/browser.js";
import { answerQuestions, formatViolations, playerConfig } from "./lib/learner.js";
import { startServer } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

/** files lists the files under dir, as slash-separated relative paths. */
async function files(dir, prefix = "") {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...(await files(path.join(dir, e.name), rel + "/")));
    else out.push(rel);
  }
  return out.sort();
}

async function digest(file) {
  return createHash("sha256").update(await readFile(file)).digest("hex");
}

/** assertClean: no console error, no request off 127.0.0.1. */
function assertClean(seen, what) {
  assert.deepEqual(seen.consoleErrors, [], `console errors (${what})`);
  assert.deepEqual(seen.requests.filter((u) => !isLocal(u)), [], `requests to other hosts (${what})`);
}

describe(`plain web build (--format html) of ${path.basename(exampleCourse)}`, { skip: skipUnless(chromiumPath()) }, () => {
  let browser, tmp, server, site, zip;
  before(async () => {
    tmp = await tempDir();
    const out = path.join(tmp.dir, "out");
    const zips = await buildCourse({ format: "html", out });
    assert.equal(zips.length, 1, `one zip expected, got ${zips.map((z) => path.basename(z))}`);
    zip = zips[0];
    assert.match(path.basename(zip), /^[a-z0-9]+(-[a-z0-9]+)*-html\.zip$/);
    site = zip.replace(/\.zip$/, "");
    assert.ok((await stat(site)).isDirectory(), `no folder ${path.basename(site)}/ beside the zip`);
    // The folder as it is, from a plain static server.
    server = await startServer({ pkgDir: site });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await tmp?.remove();
  });

  /** open loads a page of the site in a new context (a browser of its
   * own: nothing kept from another test), watching it. */
  async function open(href, context) {
    context ??= await browser.newContext();
    const page = await context.newPage();
    const seen = watch(page);
    const res = await page.goto(`${server.origin}/pkg/${href}`);
    assert.equal(res.status(), 200, `${href}: HTTP ${res.status()}`);
    await page.waitForLoadState("load");
    return { context, page, seen, frame: page.mainFrame() };
  }

  /** moduleFiles lists the module pages of the folder: every .html at its
   * root but index.html. */
  async function moduleFiles() {
    return (await files(site)).filter((f) => !f.includes("/") && f.endsWith(".html") && f !== "index.html");
  }

  test("the zip and the folder hold the same files, byte for byte", async () => {
    const unzipped = path.join(tmp.dir, "unzipped");
    const names = await unzip(zip, unzipped);
    const inFolder = await files(site);
    assert.deepEqual([...names].sort(), inFolder, "files in the zip and in the folder");
    assert.ok(inFolder.includes("index.html"), "no index.html at the root");
    for (const f of inFolder) {
      assert.equal(await digest(path.join(unzipped, ...f.split("/"))), await digest(path.join(site, ...f.split("/"))), `${f} differs`);
    }
  });

  test("index.html links every module, and each link opens that module", async () => {
    const { context, page, seen } = await open("index.html");
    try {
      const links = await page
        .locator("main a[href]")
        .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href"), text: a.textContent.replace(/\s+/g, " ").trim() })));
      const modules = await moduleFiles();
      assert.ok(modules.length > 1, `module pages in the folder: ${modules}`);
      assert.deepEqual(links.map((l) => l.href).sort(), modules, "index.html's links and the module pages");
      for (const l of links) assert.match(l.href, /^[a-z0-9-]+\.html$/, `${l.href}: not a plain relative link`);
      for (const [i, l] of links.entries()) {
        // As a learner does: a click on index.html, then back.
        await page.locator("main a[href]").nth(i).click();
        await page.waitForURL(`**/pkg/${l.href}`);
        await page.waitForLoadState("load");
        const config = await playerConfig(page.mainFrame());
        assert.equal(await page.evaluate(() => window.CP.runtime), "web", `${l.href}: the runtime player/runtime.js names`);
        assert.equal(config.modules.length, 1, `${l.href}: one module`);
        assert.equal(config.modules[0].title, l.text, `${l.href}: the module the link names`);
        const headings = await visibleHeadings(page.mainFrame());
        assert.ok(headings.includes(l.text), `${l.href}: "${l.text}" not among the headings ${JSON.stringify(headings)}`);
        await page.goBack();
        await page.waitForURL("**/pkg/index.html");
      }
      assertClean(seen, "index.html and the modules");
    } finally {
      await context.close();
    }
  });

  test("a learner walks a module answering right; a reload keeps the page and the answers; the end screen shows completion", async () => {
    const href = "creativity-and-innovation.html";
    const { context, page, seen, frame } = await open(href);
    try {
      const config = await playerConfig(frame);
      const notice = page.locator("#cp-notice");
      await notice.waitFor({ state: "visible", timeout: 5000 });
      assert.equal((await notice.innerText()).trim(), config.t["notice.local"], "the standalone notice");
      const questions = config.modules[0].questions.length;
      assert.ok(questions > 0, "a module with questions");

      // Walk, answering right, to the page after the last question.
      const ids = [];
      for (let i = 0; i < 200 && ids.length < questions; i++) {
        ids.push(...(await answerQuestions(frame, { correct: true })).map((a) => a.id));
        await nextButton(frame).click();
      }
      assert.equal(ids.length, questions, "questions answered on the walk");
      const before = await visibleHeadings(frame);
      const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), config.key);
      assert.ok(stored && stored.d, `nothing in localStorage under ${config.key}`);

      await page.reload();
      await page.waitForLoadState("load");
      assert.deepEqual(await visibleHeadings(frame), before, "a reload moved the learner to another page");
      await notice.waitFor({ state: "visible", timeout: 5000 });
      // The answers are kept: back on the questions, each shows as
      // answered right, as it was.
      await frame.getByRole("button", { name: "Previous" }).click();
      const results = await frame
        .locator("form.cp-question[data-question]")
        .evaluateAll((fs) => fs.map((x) => [x.getAttribute("data-question"), x.getAttribute("data-result")]));
      assert.deepEqual(results, ids.map((id) => [id, "correct"]), "the answers after a reload");
      assert.ok(
        (await frame.locator("form.cp-question[data-question] fieldset input:checked").count()) > 0,
        "no option shows as chosen after a reload",
      );

      // On to the end: completed (passed), without the LMS's buttons.
      await walk(frame);
      assert.equal(await nextButton(frame).isDisabled(), true, '"Next" on the end screen');
      await frame.locator("#cp-end").waitFor({ state: "visible", timeout: 5000 });
      assert.equal((await frame.locator("#cp-end-title").innerText()).trim(), config.t["end.module"], "the end screen's title");
      assert.match(await frame.locator("#cp-end-score").innerText(), /\b100\b/, "the end screen's score");
      assert.equal(await frame.locator("#cp-exit").isVisible(), false, '"Exit" shows without an LMS');
      assert.equal(await frame.locator("#cp-continue").isVisible(), false, '"Next module" shows without an LMS');
      const rec = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), config.key);
      assert.equal(rec.st, "passed", "the status kept in localStorage");
      assert.equal(rec.sc, 100, "the score kept in localStorage");
      assertClean(seen, href);
    } finally {
      await context.close();
    }
  });

  test("the page shows one page at a time from the start; without its player script it stays one long document", async () => {
    const [href] = await moduleFiles();
    const shown = (frame) =>
      frame.evaluate(() => ({
        js: document.documentElement.classList.contains("js"),
        pages: document.querySelectorAll(".cp-page").length,
        visible: Array.from(document.querySelectorAll(".cp-page")).filter((p) => p.checkVisibility()).length,
      }));
    // The inline script marks the page as scripted before the player's
    // deferred script runs, so the browser never lays out every page.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      document.addEventListener("readystatechange", () => {
        if (document.readyState === "interactive") window.__atParsed = document.documentElement.classList.contains("js");
      });
    });
    await page.goto(`${server.origin}/pkg/${href}`);
    await page.waitForLoadState("load");
    assert.equal(await page.evaluate(() => window.__atParsed), true, "the page was not marked as scripted when parsed");
    const on = await shown(page.mainFrame());
    assert.ok(on.js && on.pages > 1 && on.visible === 1, `with the player: ${JSON.stringify(on)}`);
    await context.close();
    // The player's script fails to load: once the page has loaded, the
    // mark is taken back and every page shows.
    const broken = await browser.newContext();
    await broken.route("**/player/coursepack.js", (route) => route.fulfill({ status: 404, body: "" }));
    const b = await broken.newPage();
    await b.goto(`${server.origin}/pkg/${href}`);
    await b.waitForLoadState("load");
    const off = await shown(b.mainFrame());
    assert.ok(!off.js && off.visible === off.pages && off.pages > 1, `without the player: ${JSON.stringify(off)}`);
    await broken.close();
  });

  test("no WCAG 2.1 A or AA violation (axe-core) on index.html or any page of a module", async () => {
    const found = [];
    const index = await open("index.html");
    try {
      const v = await axe(index.frame);
      if (v.length) found.push({ page: "index.html", heading: "", violations: v });
      assertClean(index.seen, "index.html");
    } finally {
      await index.context.close();
    }
    const mod = await open("leadership-and-purpose.html");
    try {
      await walk(mod.frame, {
        onPage: async (n) => {
          const v = await axe(mod.frame);
          if (v.length) found.push({ page: n, heading: (await visibleHeadings(mod.frame)).join(" / "), violations: v });
        },
      });
      assertClean(mod.seen, "leadership-and-purpose.html");
    } finally {
      await mod.context.close();
    }
    assert.equal(found.length, 0, `axe-core violations:\n${formatViolations(found)}`);
  });

  test("a dark brand: no WCAG 2.1 A or AA violation (axe-core) on the pages of the module with callouts", async () => {
    // Light text on a dark background: the player's fixed colours (muted
    // text, callout panels) must follow the theme.
    const brand = path.join(tmp.dir, "night.yaml");
    await writeFile(brand, [
      "brand: {name: night}",
      "theme:",
      "  colours:",
      '    background: "#1b1d21"',
      '    surface: "#272a30"',
      '    text: "#eceff4"',
      '    primary: "#8ab4f8"',
      '    accent: "#81c995"',
      "",
    ].join("\n"));
    const out = path.join(tmp.dir, "night");
    const [darkZip] = await buildCourse({ format: "html", out, brand });
    const darkServer = await startServer({ pkgDir: darkZip.replace(/\.zip$/, "") });
    const context = await browser.newContext();
    const found = [];
    try {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(`${darkServer.origin}/pkg/continuing-development.html`);
      const frame = page.mainFrame();
      let callouts = 0;
      await walk(frame, {
        onPage: async (n) => {
          callouts += await frame.locator(".cp-page:not([hidden]) .cp-callout").count();
          const v = await axe(frame);
          if (v.length) found.push({ page: n, heading: (await visibleHeadings(frame)).join(" / "), violations: v });
        },
      });
      assert.ok(callouts > 0, "the module shows no callout");
      assertClean(seen, "continuing-development.html, dark");
    } finally {
      await context.close();
      await darkServer.close();
    }
    assert.equal(found.length, 0, `axe-core violations:\n${formatViolations(found)}`);
  });
});
