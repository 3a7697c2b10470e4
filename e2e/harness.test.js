// Tests of the e2e harness itself, on a hand-written SCO
// (fixtures/mini-sco) packaged by dist (go run ./e2e/mkzip): the manifest
// reader, unzip, the server, the test LMS with scorm-again, the learner
// scenarios, axe-core and schema validation. They need neither the CLI nor
// the player, so they tell a harness fault from a coursepack fault.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { repoRoot, tempDir, unzip } from "./lib/build.js";
import { axe, launchBrowser, resumeData } from "./lib/browser.js";
import {
  axeScenario,
  completeScenario,
  formatViolations,
  resumeScenario,
  standaloneScenario,
} from "./lib/learner.js";
import { isScorm12Manifest, launchURL, parseManifest } from "./lib/manifest.js";
import { writeWrapperSchema, xmllint } from "./lib/schema.js";
import { e2eDir, resolveInside, startServer } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const run = promisify(execFile);
const fixture = path.join(e2eDir, "fixtures", "mini-sco");

async function listFiles(dir, prefix = "") {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), rel + "/")));
    else out.push(rel);
  }
  return out;
}

describe("manifest", () => {
  test("launchURL joins parameters as ADL says", () => {
    const cases = [
      ["a.html", "", "a.html"],
      ["a.html", "?x=1", "a.html?x=1"],
      ["a.html", "x=1", "a.html?x=1"],
      ["a.html", "&x=1", "a.html?x=1"],
      ["a.html?y=2", "?x=1", "a.html?y=2&x=1"],
      ["a.html", "#p3", "a.html#p3"],
      ["a.html#p1", "#p3", "a.html#p1"],
    ];
    for (const [href, params, want] of cases) assert.equal(launchURL(href, params), want, `${href} + ${params}`);
  });

  test("parseManifest finds the SCOs and their launch URLs", async () => {
    const m = parseManifest(await readFile(path.join(fixture, "imsmanifest.xml"), "utf8"));
    assert.equal(m.identifier, "com.example.mini-sco");
    assert.equal(m.schemaversion, "1.2");
    assert.deepEqual(
      m.scos.map((s) => [s.item, s.title, s.launch]),
      [
        ["item-a", "Unit A", "sco/index.html?unit=a"],
        ["item-b", "Unit B", "sco/index.html?short=1&unit=b"],
      ],
    );
    assert.deepEqual(
      m.resources.map((r) => [r.scormtype, r.files]),
      [
        ["sco", ["sco/index.html", "sco/sco.js"]],
        ["sco", ["sco/index.html"]],
        ["asset", ["sco/sco.css"]],
      ],
    );
  });

  test("isScorm12Manifest tells manifests from other XML", () => {
    assert.equal(isScorm12Manifest('<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"/>'), true);
    assert.equal(isScorm12Manifest('<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"/>'), false);
    assert.equal(isScorm12Manifest("<manifest/>"), false);
    assert.equal(isScorm12Manifest("not xml <"), false);
  });
});

describe("server", () => {
  test("resolveInside keeps paths inside the root", () => {
    const root = "/srv/pkg";
    assert.equal(resolveInside(root, "a/b.html"), "/srv/pkg/a/b.html");
    assert.equal(resolveInside(root, "../../etc/passwd"), "/srv/pkg/etc/passwd");
    assert.equal(resolveInside(root, "%2e%2e/%2e%2e/etc/passwd"), "/srv/pkg/etc/passwd");
    assert.equal(resolveInside(root, "a%5c..%5c..%5cx"), null);
    assert.equal(resolveInside(root, "a%00"), null);
    assert.equal(resolveInside(root, "%E0%A4%A"), null);
  });

  test("serves the package, the LMS and scorm-again on 127.0.0.1", async () => {
    const server = await startServer({ pkgDir: fixture });
    try {
      assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
      const get = (p) => fetch(server.origin + p);
      let res = await get("/pkg/imsmanifest.xml");
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type"), /xml/);
      res = await get("/pkg/sco/index.html");
      assert.match(await res.text(), /Mini SCO/);
      res = await get("/lms/");
      assert.match(await res.text(), /test LMS/);
      res = await get("/lms/vendor/scorm12.js");
      assert.match(await res.text(), /Scorm12API/);
      res = await get("/lms/vendor/axe.min.js");
      assert.equal(res.status, 200);
      assert.equal((await get("/pkg/missing.html")).status, 404);
      assert.equal((await get("/lms/vendor/other.js")).status, 404);
      const { id } = server.addRun({ launch: "sco/index.html" });
      res = await fetch(`${server.origin}/lms/commit/${id}`, { method: "POST", body: '{"cmi":{}}' });
      assert.deepEqual(await res.json(), { result: true, errorCode: 0 });
      assert.equal(server.run(id).commits.length, 1);
    } finally {
      await server.close();
    }
  });
});

test("resumeData carries the bookmark back with entry resume", () => {
  const cmi = {
    core: { exit: "suspend", lesson_location: "m1/p3", lesson_status: "incomplete", total_time: "00:01:02", session_time: "00:00:10", score: { raw: "", min: "", max: "" } },
    suspend_data: "abc",
  };
  assert.deepEqual(resumeData(cmi), {
    core: { entry: "resume", lesson_location: "m1/p3", lesson_status: "incomplete", total_time: "00:01:02" },
    suspend_data: "abc",
  });
  assert.equal(resumeData({ core: { exit: "" } }).core.entry, undefined);
});

describe("fixture package", () => {
  let tmp, pkgDir, zipPath, manifest;
  before(async () => {
    tmp = await tempDir();
    zipPath = path.join(tmp.dir, "mini-sco-scorm12.zip");
    await run("go", ["run", "./e2e/mkzip", "-out", zipPath, fixture], { cwd: repoRoot });
    pkgDir = path.join(tmp.dir, "pkg");
    await unzip(zipPath, pkgDir);
    manifest = parseManifest(await readFile(path.join(pkgDir, "imsmanifest.xml"), "utf8"));
  });
  after(() => tmp?.remove());

  test("dist's zip unpacks to the same files", async () => {
    const want = (await listFiles(fixture)).sort();
    assert.deepEqual((await listFiles(pkgDir)).sort(), want);
    for (const f of want) {
      assert.deepEqual(await readFile(path.join(pkgDir, f)), await readFile(path.join(fixture, f)), f);
    }
  });

  test("unzip refuses to overwrite files", async () => {
    await assert.rejects(unzip(zipPath, pkgDir), /EEXIST/);
  });

  test("schema validation accepts the manifest and rejects a broken one", { skip: skipUnless("xmllint") }, async () => {
    const xsd = await writeWrapperSchema(tmp.dir);
    const good = await xmllint(xsd, path.join(pkgDir, "imsmanifest.xml"));
    assert.ok(good.ok, good.output);
    const text = await readFile(path.join(pkgDir, "imsmanifest.xml"), "utf8");
    const breakages = [
      ["an unknown element", text.replace("<title>Unit B</title>", "<title>Unit B</title><bogus/>")],
      ["a bad scormtype", text.replace('adlcp:scormtype="asset"', 'adlcp:scormtype="media"')],
      ["a misspelt metadata element", text.replaceAll("imsmd:title>", "imsmd:titel>")],
      ["no resources", text.replace(/<resources[\s\S]*<\/resources>/, "")],
    ];
    for (const [what, broken] of breakages) {
      assert.notEqual(broken, text, what);
      const file = path.join(tmp.dir, "broken.xml");
      await writeFile(file, broken);
      const res = await xmllint(xsd, file);
      assert.equal(res.ok, false, `${what}: xmllint accepted it`);
      assert.match(res.output, /fails to validate/, what);
    }
  });

  describe("in the test LMS", { skip: skipUnless(chromiumPath()) }, () => {
    let browser, server;
    before(async () => {
      browser = await launchBrowser();
      server = await startServer({ pkgDir });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    test("a learner completes each SCO", async () => {
      const clicks = [];
      for (const sco of manifest.scos) clicks.push(await completeScenario(browser, server, sco));
      assert.deepEqual(clicks, [3, 2]);
    });

    test("a learner resumes where they left", async () => {
      const headings = await resumeScenario(browser, server, manifest.scos[0], 3);
      assert.deepEqual(headings, ["Page two"]);
    });

    test("every page passes axe-core's WCAG 2.1 A and AA rules", async () => {
      for (const sco of manifest.scos) {
        const found = await axeScenario(browser, server, sco);
        assert.equal(found.length, 0, formatViolations(found));
      }
    });

    test("axe-core finds a violation where there is one", async () => {
      // A page with an unlabelled image and no lang: axe must report both.
      await writeFile(path.join(pkgDir, "bad.html"), '<!doctype html><html><title>x</title><img src="x.png"></html>');
      const page = await browser.newPage();
      try {
        await page.goto(`${server.origin}/pkg/bad.html`);
        const ids = (await axe(page.mainFrame())).map((v) => v.id).sort();
        assert.deepEqual(ids, ["html-has-lang", "image-alt"]);
      } finally {
        await page.close();
      }
    });

    test("the checks catch a SCO that misbehaves", async (t) => {
      const sco = manifest.scos[1];
      const faults = [
        ["double-finish", /LMSFinish calls/],
        ["no-finish", /LMSFinish calls/],
        ["console-error", /console errors/],
        ["other-host", /requests to other hosts/],
        ["no-session-time", /session_time/],
        ["big-suspend", /suspend_data is 41\d\d characters/],
      ];
      for (const [fault, want] of faults) {
        await t.test(fault, () =>
          assert.rejects(completeScenario(browser, server, { ...sco, launch: `${sco.launch}&fault=${fault}` }), want),
        );
      }
      await t.test("no-resume", () =>
        assert.rejects(
          resumeScenario(browser, server, { ...manifest.scos[0], launch: `${manifest.scos[0].launch}&fault=no-resume` }, 3),
          /another page/,
        ),
      );
    });

    test("standalone, the SCO keeps its place in this browser", async () => {
      const headings = await standaloneScenario(browser, server, manifest.scos[0].launch);
      assert.deepEqual(headings, ["Page three"]);
    });
  });
});
