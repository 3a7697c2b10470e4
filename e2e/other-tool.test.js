// coursepack inspect and diff on packages another tool made: the
// simple-scorm-packager npm package zips a tiny folder as SCORM 1.2 and
// SCORM 2004, and the CLI must read them as that tool wrote them (format,
// identifiers, mastery, files, the content audit) and tell an update that
// keeps learners' records from one that orphans them.
//
//   cd e2e && node --test other-tool.test.js

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildCLI, repoRoot, tempDir } from "./lib/build.js";

const require = createRequire(import.meta.url);
const scopackager = require("simple-scorm-packager");

const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Other tool</title>
<link rel="stylesheet" href="style.css">
<script src="https://cdn.example.com/scorm-wrapper.js"></script>
</head><body>
<p>A page packed by another tool.</p>
<script>document.querySelector("p").onclick = () => window.open("help.html");</script>
</body></html>
`;

let tmp;
let packs = 0;
before(async () => {
  tmp = await tempDir("coursepack-other-tool-");
});
after(() => tmp?.remove());

/**
 * pack zips a folder with simple-scorm-packager (which writes its manifest
 * and schema files into the folder) and returns the zip's path.
 * @param {{version: string, identifier: string, masteryScore: number, files: Record<string, string>}} opts
 */
async function pack({ version, identifier, masteryScore, files }) {
  const n = ++packs;
  const source = path.join(tmp.dir, `src-${n}`);
  const out = path.join(tmp.dir, `out-${n}`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(source, name)), { recursive: true });
    await writeFile(path.join(source, name), text);
  }
  const log = console.log;
  console.log = () => {}; // the packager logs every step
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("simple-scorm-packager did not finish in 30 s")), 30_000);
      scopackager(
        {
          version,
          organization: "Other Tool Inc",
          title: "Other course",
          identifier,
          masteryScore,
          startingPage: "index.html",
          source,
          package: { version: "1.0.0", zip: true, outputFolder: out, date: "2024-01-01" },
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      );
    });
  } finally {
    console.log = log;
  }
  const zips = (await readdir(out)).filter((f) => f.endsWith(".zip"));
  assert.equal(zips.length, 1, `simple-scorm-packager wrote ${zips.join(", ") || "no zip"}`);
  return path.join(out, zips[0]);
}

/** coursepack runs the CLI and returns its exit status and output. */
async function coursepack(...args) {
  const bin = await buildCLI();
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: repoRoot, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

async function inspectJSON(zip) {
  const res = await coursepack("inspect", "--json", zip);
  assert.equal(res.code, 0, `coursepack inspect --json ${zip} exited ${res.code}:\n${res.stderr}`);
  return JSON.parse(res.stdout);
}

const errors = (report) => report.problems.filter((p) => p.severity === "error");

describe("a package made by simple-scorm-packager", () => {
  const files = { "index.html": page, "style.css": "body { font-family: sans-serif; }\n" };

  test("SCORM 1.2: inspect reads format, identifiers, mastery, files and content", async () => {
    const zip = await pack({ version: "1.2", identifier: "com.example.other", masteryScore: 80, files });
    const r = await inspectJSON(zip);
    assert.equal(r.format, "scorm12");
    assert.equal(r.version, "1.2");
    assert.equal(r.manifest, "imsmanifest.xml");
    assert.equal(r.identifier, "com.example.other");
    assert.equal(r.title, "Other course");
    assert.deepEqual(errors(r), []);
    assert.deepEqual(
      r.organizations.map((o) => [o.identifier, o.default]),
      [["Other_Tool_Inc", true]],
    );
    assert.equal(r.units.length, 1);
    const [u] = r.units;
    assert.deepEqual(
      [u.identifier, u.kind, u.launchable, u.launch, u.mastery_score, u.resource],
      ["item_com.example.other", "sco", true, "index.html", "80", "resource_com.example.other"],
    );
    // The packager lists every file but its schema files and metadata.xml,
    // which the manifest names through adlcp:location.
    assert.deepEqual(r.missing_files, []);
    assert.deepEqual(r.unlisted_files, []);
    assert.ok(r.files.some((f) => f.path === "imscp_rootv1p1p2.xsd"), "the schema files are in the zip");
    assert.deepEqual(
      r.audit.external_hosts.map((h) => [h.host, h.uses, h.files]),
      [["cdn.example.com", ["src"], ["index.html"]]],
    );
    assert.deepEqual(
      r.audit.popups.map((f) => [f.path, f.line]),
      [["index.html", 7]],
    );
    assert.deepEqual(r.audit.unload_handlers, []);
    assert.equal(r.audit.file_count, r.files.length);

    const text = await coursepack("inspect", zip);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /format +SCORM 1\.2\n/);
    assert.match(text.stdout, /item_com\.example\.other +sco +Other course +index\.html +80/);
    assert.match(text.stdout, /cdn\.example\.com +src in index\.html/);
  });

  for (const edition of ["2004 3rd Edition", "2004 4th Edition"]) {
    test(`SCORM ${edition}: mastery as minNormalizedMeasure`, async () => {
      const zip = await pack({ version: edition, identifier: "com.example.other", masteryScore: 80, files });
      const r = await inspectJSON(zip);
      assert.equal(r.format, "scorm2004");
      assert.equal(r.version, edition);
      assert.deepEqual(errors(r), []);
      assert.deepEqual(
        r.units.map((u) => [u.kind, u.launch, u.mastery_score]),
        [["sco", "index.html", "0.8"]],
      );
      assert.deepEqual(r.missing_files, []);
      assert.deepEqual(r.unlisted_files, []);
    });
  }

  test("diff: a new version under the same identifier keeps learners' records", async () => {
    const v1 = await pack({ version: "1.2", identifier: "com.example.other", masteryScore: 80, files });
    const v2 = await pack({
      version: "1.2",
      identifier: "com.example.other",
      masteryScore: 90,
      files: { ...files, "index.html": page.replace("A page", "A revised page"), "more.html": "<p>More</p>\n" },
    });
    const res = await coursepack("diff", "--json", "--fail-on-breaking", v1, v2);
    assert.equal(res.code, 0, `diff --fail-on-breaking exited ${res.code}:\n${res.stderr}`);
    const d = JSON.parse(res.stdout);
    assert.equal(d.breaking, false);
    assert.deepEqual(d.orphaned_units, []);
    assert.deepEqual(
      d.changes.map((c) => [c.kind, c.severity, c.identifier, c.old, c.new]),
      [["mastery_changed", "warning", "item_com.example.other", "80", "90"]],
    );
    assert.deepEqual(
      d.files.added.map((f) => f.path),
      ["more.html"],
    );
    assert.ok(d.files.changed.some((f) => f.path === "index.html"), "index.html changed");

    const text = await coursepack("diff", v1, v2);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Learner records are kept/);
  });

  test("diff: a new identifier orphans learners' records and fails with --fail-on-breaking", async () => {
    const v1 = await pack({ version: "1.2", identifier: "com.example.other", masteryScore: 80, files });
    const v2 = await pack({ version: "1.2", identifier: "com.example.renamed", masteryScore: 80, files });
    const res = await coursepack("diff", "--json", "--fail-on-breaking", v1, v2);
    assert.equal(res.code, 1, `diff --fail-on-breaking exited ${res.code}, want 1`);
    assert.match(res.stderr, /breaking changes? \(--fail-on-breaking\)/);
    const d = JSON.parse(res.stdout);
    assert.equal(d.breaking, true);
    assert.deepEqual(d.orphaned_units, ["item_com.example.other"]);
    const kinds = d.changes.filter((c) => c.severity === "breaking").map((c) => c.kind);
    assert.deepEqual(kinds.sort(), ["identifier_changed", "unit_removed"]);

    const text = await coursepack("diff", v1, v2);
    assert.equal(text.code, 0, "without --fail-on-breaking, diff only reports");
    assert.match(text.stdout, /WARNING: this update would orphan the learner records of 1 unit: item_com\.example\.other\./);
  });

  test("diff: SCORM 1.2 to 2004 is a change of format", async () => {
    const v1 = await pack({ version: "1.2", identifier: "com.example.other", masteryScore: 80, files });
    const v2 = await pack({ version: "2004 4th Edition", identifier: "com.example.other", masteryScore: 80, files });
    const res = await coursepack("diff", "--json", v1, v2);
    assert.equal(res.code, 0, res.stderr);
    const d = JSON.parse(res.stdout);
    assert.equal(d.breaking, true);
    assert.equal(d.changes[0].kind, "format_changed");
    // 80 in SCORM 1.2 is 0.8 in SCORM 2004: the same pass mark.
    assert.ok(!d.changes.some((c) => c.kind === "mastery_changed"), JSON.stringify(d.changes));
  });
});
