// Every SCORM 1.2 manifest is valid against the official schemas
// (xmllint): those of the example course built in each layout (default,
// --sco course, --split), and the golden manifests that the Go tests keep
// under scorm/testdata/. Also: every file a manifest lists is in its zip,
// and two builds of the same course are byte-identical.
//
//   cd e2e && npm ci && node --test manifest-schema.test.js

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import yauzl from "yauzl";
import { buildCourse, repoRoot, tempDir, unzip } from "./lib/build.js";
import { isScorm12Manifest, parseManifest } from "./lib/manifest.js";
import { writeWrapperSchema, xmllint } from "./lib/schema.js";
import { skipUnless } from "./lib/tools.js";

const goldenDir = path.join(repoRoot, "scorm", "testdata");

async function findXML(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await findXML(full)));
    else if (e.name.endsWith(".xml")) out.push(full);
  }
  return out.sort();
}

/** zipEntries lists a zip's entries: name and modification time. */
function zipEntries(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out = [];
      zip.on("entry", (e) => {
        out.push({ name: e.fileName, modified: e.getLastModDate({ forceDosFormat: false }) });
        zip.readEntry();
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

let tmp, xsd;
before(async () => {
  tmp = await tempDir();
  xsd = await writeWrapperSchema(tmp.dir);
});
after(() => tmp?.remove());

async function validate(file) {
  const res = await xmllint(xsd, file);
  assert.ok(res.ok, `${path.relative(repoRoot, file)} is not valid SCORM 1.2:\n${res.output}`);
}

describe("built manifests", { skip: skipUnless("xmllint") }, () => {
  for (const layout of ["module", "course", "split"]) {
    test(`${layout} layout: every manifest is valid and lists files that are there`, async (t) => {
      const out = path.join(tmp.dir, layout);
      const zips = await buildCourse({ layout, out });
      if (layout === "split") {
        assert.ok(zips.length > 1, "--split made a single zip");
        for (const z of zips) assert.match(path.basename(z), /-scorm12-.+\.zip$/);
      } else {
        assert.equal(zips.length, 1);
        assert.match(path.basename(zips[0]), /-scorm12\.zip$/);
      }
      for (const zip of zips) {
        await t.test(path.basename(zip), async () => {
          const dir = path.join(out, path.basename(zip, ".zip"));
          const files = new Set(await unzip(zip, dir));
          const manifestPath = path.join(dir, "imsmanifest.xml");
          assert.ok(files.has("imsmanifest.xml"), "no imsmanifest.xml at the root");
          const text = await readFile(manifestPath, "utf8");
          assert.ok(isScorm12Manifest(text), "not a SCORM 1.2 manifest");
          await validate(manifestPath);
          const m = parseManifest(text);
          assert.ok(m.scos.length > 0, "no SCO");
          if (layout !== "module") assert.equal(m.scos.length, 1, `${layout}: one SCO per package`);
          for (const sco of m.scos) {
            assert.ok(files.has(sco.href.split(/[?#]/)[0]), `launch file ${sco.href} is not in the zip`);
          }
          for (const r of m.resources) {
            for (const f of r.files) {
              assert.ok(files.has(f), `resource ${r.identifier} lists ${f}, which is not in the zip`);
            }
          }
        });
      }
    });
  }

  test("two builds of the course are byte-identical, with SOURCE_DATE_EPOCH as the entries' time", async () => {
    const epoch = "1700000000";
    const a = await buildCourse({ out: path.join(tmp.dir, "det-a"), env: { SOURCE_DATE_EPOCH: epoch } });
    const b = await buildCourse({ out: path.join(tmp.dir, "det-b"), env: { SOURCE_DATE_EPOCH: epoch } });
    assert.deepEqual(a.map((z) => path.basename(z)), b.map((z) => path.basename(z)));
    for (let i = 0; i < a.length; i++) {
      assert.ok((await readFile(a[i])).equals(await readFile(b[i])), `${path.basename(a[i])} differs between builds`);
      const entries = await zipEntries(a[i]);
      const names = entries.map((e) => e.name);
      const sorted = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual(names, sorted, "entries not sorted by path");
      for (const e of entries) {
        assert.equal(e.modified.getTime(), Number(epoch) * 1000, `${e.name}: modified ${e.modified.toISOString()}`);
      }
    }
  });
});

test("golden manifests under scorm/testdata are valid", { skip: skipUnless("xmllint") }, async (t) => {
  if (!existsSync(goldenDir)) {
    t.skip("scorm/testdata does not exist yet");
    return;
  }
  const manifests = [];
  for (const file of await findXML(goldenDir)) {
    if (isScorm12Manifest(await readFile(file, "utf8"))) manifests.push(file);
  }
  assert.ok(manifests.length > 0, "scorm/testdata exists but holds no SCORM 1.2 manifest (*.xml)");
  for (const file of manifests) {
    await t.test(path.relative(goldenDir, file), () => validate(file));
  }
});
