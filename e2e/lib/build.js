// Building packages with the coursepack CLI and unpacking them.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import yauzl from "yauzl";
import { parseManifest } from "./manifest.js";
import { e2eDir, startServer } from "./server.js";

const run = promisify(execFile);

export const repoRoot = path.resolve(e2eDir, "..");

/** The course the tests build: $COURSEPACK_E2E_COURSE, or the example. */
export const exampleCourse = process.env.COURSEPACK_E2E_COURSE
  ? path.resolve(process.env.COURSEPACK_E2E_COURSE)
  : path.join(repoRoot, "examples", "stepping-into-leadership");

/** The command-line flags of each layout. */
export const layoutFlags = {
  module: [],
  course: ["--sco", "course"],
  split: ["--split"],
};

/** tempDir makes a temporary folder, removed by the returned function. */
export async function tempDir(prefix = "coursepack-e2e-") {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

let cli;
/** buildCLI compiles cmd/coursepack once per test process (Go's build cache
 * makes it quick after the first time) and returns the binary's path. */
export function buildCLI() {
  cli ??= (async () => {
    const { dir } = await tempDir("coursepack-cli-");
    const bin = path.join(dir, "coursepack");
    try {
      await run("go", ["build", "-o", bin, "./cmd/coursepack"], { cwd: repoRoot, maxBuffer: 16 << 20 });
    } catch (err) {
      throw new Error(`go build ./cmd/coursepack failed:\n${err.stderr || err.message}`);
    }
    return bin;
  })();
  return cli;
}

/**
 * buildCourse runs `coursepack build <course> --format <format> --out <out>`
 * (format scorm12 unless told) with the layout's flags and returns the
 * zips it wrote, sorted. (The html format also writes a folder beside its
 * zip.)
 * @param {{course?: string, layout?: "module"|"course"|"split", out: string, env?: object,
 *   format?: "scorm12"|"scorm2004"|"html"}} opts
 */
export async function buildCourse({ course = exampleCourse, layout = "module", out, env, format = "scorm12", brand }) {
  const bin = await buildCLI();
  const args = ["build", course, "--format", format, "--out", out, ...layoutFlags[layout]];
  if (brand) args.push("--brand", brand);
  const childEnv = { ...process.env, ...env };
  if (!env || !("SOURCE_DATE_EPOCH" in env)) delete childEnv.SOURCE_DATE_EPOCH;
  try {
    await run(bin, args, { cwd: repoRoot, env: childEnv, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`coursepack ${args.join(" ")} failed (exit ${err.code}):\n${err.stderr || err.message}`);
  }
  const zips = (await readdir(out)).filter((n) => n.endsWith(".zip")).sort();
  if (zips.length === 0) throw new Error(`coursepack ${args.join(" ")} wrote no zip in ${out}`);
  return zips.map((n) => path.join(out, n));
}

/** unzip unpacks a zip into dest with yauzl, which refuses absolute paths
 * and ".." in entry names. It returns the names of the files, in the
 * zip's order. */
export function unzip(zipPath, dest) {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, strictFileNames: true }, (err, zip) => {
      if (err) return reject(new Error(`${zipPath}: ${err.message}`));
      const names = [];
      const fail = (e) => {
        zip.close();
        reject(new Error(`${zipPath}: ${e.message}`));
      };
      zip.on("error", fail);
      zip.on("end", () => resolve(names));
      zip.on("entry", (entry) => {
        const name = entry.fileName;
        const target = path.join(dest, ...name.split("/"));
        if (name.endsWith("/")) {
          mkdir(target, { recursive: true }).then(() => zip.readEntry(), fail);
          return;
        }
        names.push(name);
        zip.openReadStream(entry, async (e, stream) => {
          if (e) return fail(e);
          try {
            await mkdir(path.dirname(target), { recursive: true });
            await pipeline(stream, createWriteStream(target, { flags: "wx" }));
            zip.readEntry();
          } catch (e2) {
            fail(e2);
          }
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * serveSCORM builds course as one SCORM package (format scorm12 or
 * scorm2004, in layout) into tmp.dir/name, unpacks it and serves it. It
 * returns the zip, the parsed manifest, the server, and sco(id): the SCO
 * launched from id.html (an assertion fails when there is none).
 */
export async function serveSCORM(tmp, { course = exampleCourse, layout = "module", format = "scorm12", name }) {
  const zips = await buildCourse({ course, layout, format, out: path.join(tmp.dir, name) });
  assert.equal(zips.length, 1, `one zip expected, got ${zips.map((z) => path.basename(z))}`);
  const pkgDir = path.join(tmp.dir, `${name}-pkg`);
  await unzip(zips[0], pkgDir);
  const manifest = parseManifest(await readFile(path.join(pkgDir, "imsmanifest.xml"), "utf8"));
  const server = await startServer({ pkgDir });
  const sco = (id) => {
    const s = manifest.scos.find((x) => x.href.replace(/\.html$/, "") === id);
    assert.ok(s, `no SCO ${id}.html in ${name}: ${manifest.scos.map((x) => x.href)}`);
    return s;
  };
  return { zip: zips[0], manifest, server, sco };
}
