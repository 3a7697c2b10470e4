// Every SCORM manifest is valid against the official schemas (xmllint):
// those of the example course built in each layout (default, --sco course,
// --split), and the golden manifests that the Go tests keep under
// scorm/testdata/, SCORM 1.2 and SCORM 2004 4th Edition alike. Also: every
// file a manifest lists is in its zip, two builds of the same course are
// byte-identical, and the 2004 schemas do reject broken manifests.
//
//   cd e2e && npm ci && node --test manifest-schema.test.js

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import yauzl from "yauzl";
import { buildCLI, buildCourse, exampleCourse, layoutFlags, repoRoot, tempDir, unzip } from "./lib/build.js";
import { isScorm12Manifest, parseManifest, parseXML } from "./lib/manifest.js";
import {
  NS2004,
  laxProblems,
  manifestEdition,
  schemaSets,
  writeWrapperSchema,
  xmllint,
} from "./lib/schema.js";
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

const run = promisify(execFile);

let tmp;
const xsd = {};
before(async () => {
  tmp = await tempDir();
  for (const edition of Object.keys(schemaSets)) xsd[edition] = await writeWrapperSchema(tmp.dir, edition);
});
after(() => tmp?.remove());

/** validate checks file against the schemas of its edition, and a 2004
 * manifest's resource types too. */
async function validate(file, edition = "scorm12") {
  const res = await xmllint(xsd[edition], file);
  assert.ok(res.ok, `${path.relative(repoRoot, file)} is not valid ${schemaSets[edition].title}:\n${res.output}`);
  if (edition === "scorm2004") {
    assert.deepEqual(laxProblems(await readFile(file, "utf8")), [], path.relative(repoRoot, file));
  }
}

/** resources2004 lists a SCORM 2004 manifest's resources: identifier,
 * scormType, href and files (the manifests coursepack writes use no
 * xml:base). */
function resources2004(text) {
  const doc = parseXML(text, "imsmanifest.xml");
  const list = doc.getElementsByTagNameNS(NS2004.imscp, "resource");
  const out = [];
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    const files = r.getElementsByTagNameNS(NS2004.imscp, "file");
    out.push({
      identifier: r.getAttribute("identifier"),
      scormType: r.getAttributeNS(NS2004.adlcp, "scormType"),
      href: r.getAttribute("href") || "",
      files: Array.from({ length: files.length }, (_, j) => files[j].getAttribute("href")),
    });
  }
  return out;
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

for (const edition of Object.keys(schemaSets)) {
  const { title } = schemaSets[edition];
  test(`golden ${title} manifests under scorm/testdata are valid`, { skip: skipUnless("xmllint") }, async (t) => {
    assert.ok(existsSync(goldenDir), "scorm/testdata is missing: the Go tests write the golden manifests there");
    const manifests = [];
    for (const file of await findXML(goldenDir)) {
      if (manifestEdition(await readFile(file, "utf8")) === edition) manifests.push(file);
    }
    assert.ok(manifests.length > 0, `scorm/testdata exists but holds no ${title} manifest (*.xml)`);
    for (const file of manifests) {
      await t.test(path.relative(goldenDir, file), () => validate(file, edition));
    }
  });
}

describe("SCORM 2004 validation", { skip: skipUnless("xmllint") }, () => {
  test("tells the editions apart", async () => {
    assert.equal(manifestEdition(await readFile(path.join(goldenDir, "scorm12-module.xml"), "utf8")), "scorm12");
    assert.equal(manifestEdition(await readFile(path.join(goldenDir, "scorm2004-module.xml"), "utf8")), "scorm2004");
    assert.ok(isScorm12Manifest(await readFile(path.join(goldenDir, "scorm12-module.xml"), "utf8")));
    assert.equal(manifestEdition("<manifest/>"), null);
    assert.equal(manifestEdition("not xml <"), null);
  });

  // Each breakage must be caught, by the schemas or by laxProblems:
  // with no check failing on them, a passing validation would mean little.
  test("rejects broken manifests", async () => {
    const module = await readFile(path.join(goldenDir, "scorm2004-module.xml"), "utf8");
    const course = await readFile(path.join(goldenDir, "scorm2004-course.xml"), "utf8");
    const delivery = '<imsss:deliveryControls tracked="true" completionSetByContent="true" objectiveSetByContent="true"/>';
    const rollup = '<imsss:rollupRules rollupObjectiveSatisfied="false"/>';
    const breakages = [
      ["sequencing children out of order", module, (m) => m.replace(rollup, "").replace(delivery, delivery + rollup)],
      ["a pass mark in percent", module, (m) => m.replace(/(<imsss:minNormalizedMeasure>)0\.8/, "$180")],
      ["a progress threshold over 1", module, (m) => m.replace('minProgressMeasure="1.0"', 'minProgressMeasure="100"')],
      ["a misspelt controlMode attribute", module, (m) => m.replace('controlMode choice="true"', 'controlMode choise="true"')],
      ["an unknown hideLMSUI token", course, (m) => m.replace(">previous<", ">back<")],
      ["an unknown imsss element", module, (m) => m.replace(delivery, delivery + "<imsss:bogus/>")],
      ["a hideLMSUI outside navigationInterface", course, (m) => m.replace("<adlnav:navigationInterface>", "<adlnav:hideLMSUI>exit</adlnav:hideLMSUI>$&")],
      ["no resources", module, (m) => m.replace(/<resources>[\s\S]*<\/resources>/, "")],
    ];
    const file = path.join(tmp.dir, "broken-2004.xml");
    for (const [what, text, breakIt] of breakages) {
      const broken = breakIt(text);
      assert.notEqual(broken, text, `${what}: the replacement changed nothing`);
      await writeFile(file, broken);
      const res = await xmllint(xsd.scorm2004, file);
      assert.equal(res.ok, false, `${what}: xmllint accepted it`);
      assert.match(res.output, /fails to validate/, what);
    }
    // What the schemas let through, being of a namespace they know but
    // undeclared there, laxProblems catches.
    const lax = [
      ["a 1.2 scormtype", module.replaceAll("adlcp:scormType=", "adlcp:scormtype="), /scormtype/],
      ["a 1.2 masteryscore", module.replace("<title>Leadership and purpose</title>", "$&<adlcp:masteryscore>80</adlcp:masteryscore>"), /masteryscore/],
      ["a lowercase completionthreshold", module.replaceAll("adlcp:completionThreshold", "adlcp:completionthreshold"), /completionthreshold/],
    ];
    for (const [what, broken, want] of lax) {
      assert.match(laxProblems(broken).join("\n"), want, what);
    }
    assert.deepEqual(laxProblems(module), []);
  });
});

/** offeredFormats lists the formats `coursepack build --help` offers. */
async function offeredFormats() {
  const { stdout } = await run(await buildCLI(), ["build", "--help"], { cwd: repoRoot });
  const m = /^Formats: (.*)\.$/m.exec(stdout);
  assert.ok(m, `no "Formats:" line in coursepack build --help:\n${stdout}`);
  return m[1].split(", ");
}

describe("built SCORM 2004 manifests", { skip: skipUnless("xmllint") }, () => {
  for (const layout of ["module", "course", "split"]) {
    test(`${layout} layout: every manifest is valid and lists files that are there`, async (t) => {
      assert.ok((await offeredFormats()).includes("scorm2004"), "coursepack does not offer the scorm2004 format");
      const out = path.join(tmp.dir, `2004-${layout}`);
      const args = ["build", exampleCourse, "--format", "scorm2004", "--out", out, ...layoutFlags[layout]];
      await run(await buildCLI(), args, { cwd: repoRoot });
      const zips = (await readdir(out)).filter((n) => n.endsWith(".zip")).sort();
      assert.ok(zips.length > 0, `coursepack ${args.join(" ")} wrote no zip`);
      if (layout !== "split") assert.equal(zips.length, 1);
      for (const name of zips) {
        assert.match(name, /-scorm2004(-.+)?\.zip$/);
        const dir = path.join(out, path.basename(name, ".zip"));
        const files = new Set(await unzip(path.join(out, name), dir));
        assert.ok(files.has("imsmanifest.xml"), `${name}: no imsmanifest.xml at the root`);
        const manifestPath = path.join(dir, "imsmanifest.xml");
        const text = await readFile(manifestPath, "utf8");
        assert.equal(manifestEdition(text), "scorm2004", name);
        await validate(manifestPath, "scorm2004");
        const resources = resources2004(text);
        const scos = resources.filter((r) => r.scormType === "sco");
        assert.ok(scos.length > 0, `${name}: no SCO`);
        if (layout !== "module") assert.equal(scos.length, 1, `${name}: one SCO per package`);
        for (const sco of scos) assert.ok(files.has(sco.href), `${name}: launch file ${sco.href} is not in the zip`);
        for (const r of resources) {
          for (const f of r.files) assert.ok(files.has(f), `${name}: resource ${r.identifier} lists ${f}, which is not in the zip`);
        }
      }
    });
  }
});
