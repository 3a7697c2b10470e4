// A static server on 127.0.0.1 for the end-to-end tests. It serves, on one
// origin (so that a SCO in an iframe finds window.parent.API):
//
//   /pkg/...          the unpacked package under test (setPackage)
//   /lms/             the test LMS page (e2e/lms/)
//   /lms/vendor/...   scorm-again's SCORM 1.2 and SCORM 2004 builds and
//                     axe-core, from node_modules
//   /lms/run/ID       a run's launch settings, as JSON (addRun)
//   POST /lms/commit/ID   what scorm-again sends on LMSCommit and LMSFinish
//   POST /lms/event/ID    what the LMS page reports of API calls
//
// Commits and events are kept per run, so that what a page sent while it
// was closing (scorm-again uses sendBeacon then) is there after it closed.

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const e2eDir = path.resolve(here, "..");
const require = createRequire(import.meta.url);

// Files of dependencies that the LMS page loads.
const vendor = {
  // The classic-script builds (dist/scorm12.js, dist/scorm2004.js): they
  // set the global Scorm12API or Scorm2004API.
  "scorm12.js": require.resolve("scorm-again/scorm12"),
  "scorm2004.js": require.resolve("scorm-again/scorm2004"),
  "axe.min.js": path.join(path.dirname(require.resolve("axe-core/package.json")), "axe.min.js"),
};

const types = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".xsd": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".mp4": "video/mp4",
  ".m4v": "video/mp4",
  ".webm": "video/webm",
  ".mov": "video/quicktime",
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".ogg": "audio/ogg",
  ".oga": "audio/ogg",
  ".opus": "audio/ogg",
  ".vtt": "text/vtt; charset=utf-8",
  ".pdf": "application/pdf",
};

/** resolveInside maps a URL path below root to a file path, or null when it
 * would leave root. */
export function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const full = path.resolve(root, "." + path.posix.normalize("/" + decoded));
  const rel = path.relative(root, full);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  return full;
}

async function sendFile(res, file, method) {
  let info;
  try {
    info = await stat(file);
  } catch {
    return send(res, 404, "not found");
  }
  if (info.isDirectory()) {
    return sendFile(res, path.join(file, "index.html"), method);
  }
  res.writeHead(200, {
    "Content-Type": types[path.extname(file).toLowerCase()] ?? "application/octet-stream",
    "Content-Length": info.size,
    "Cache-Control": "no-store",
  });
  if (method === "HEAD") return res.end();
  createReadStream(file).pipe(res);
}

function send(res, code, body, type = "text/plain; charset=utf-8") {
  res.writeHead(code, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

/** readBody reads a request's body as UTF-8 text, refusing one over limit
 * bytes. */
export function readBody(req, limit = 8 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > limit) {
        reject(new Error("request body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * startServer starts the server on 127.0.0.1 at a free port. pkgDir may be
 * any folder (a package, or a plain web build).
 * @param {{pkgDir?: string}} [opts]
 */
export async function startServer(opts = {}) {
  let pkgDir = opts.pkgDir ?? null;
  const runs = new Map();
  let nextRun = 1;
  // Waiters for a run's records, woken on each POST.
  const waiters = new Set();
  const wake = () => {
    for (const w of waiters) w();
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://127.0.0.1");
      const p = url.pathname;
      if (req.method === "POST") {
        const m = /^\/lms\/(commit|event)\/(\d+)$/.exec(p);
        const run = m && runs.get(Number(m[2]));
        if (!run) return send(res, 404, "no such run");
        const body = await readBody(req);
        let data;
        try {
          data = JSON.parse(body);
        } catch {
          data = { unparsed: body };
        }
        (m[1] === "commit" ? run.commits : run.events).push({ at: Date.now(), data });
        wake();
        // The answer scorm-again expects from an LMS.
        return send(res, 200, JSON.stringify({ result: true, errorCode: 0 }), "application/json");
      }
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed");
      if (p.startsWith("/pkg/")) {
        if (!pkgDir) return send(res, 404, "no package");
        const file = resolveInside(pkgDir, p.slice("/pkg/".length));
        if (!file) return send(res, 403, "outside the package");
        return sendFile(res, file, req.method);
      }
      if (p.startsWith("/lms/run/")) {
        const run = runs.get(Number(p.slice("/lms/run/".length)));
        if (!run) return send(res, 404, "no such run");
        return send(res, 200, JSON.stringify(run.config), "application/json");
      }
      if (p.startsWith("/lms/vendor/")) {
        const file = vendor[p.slice("/lms/vendor/".length)];
        if (!file) return send(res, 404, "not found");
        return sendFile(res, file, req.method);
      }
      if (p === "/lms") {
        res.writeHead(301, { Location: "/lms/" });
        return res.end();
      }
      if (p.startsWith("/lms/")) {
        const file = resolveInside(path.join(e2eDir, "lms"), p.slice("/lms/".length));
        if (!file) return send(res, 403, "outside the LMS");
        return sendFile(res, file, req.method);
      }
      if (p === "/favicon.ico") return send(res, 204, "");
      return send(res, 404, "not found");
    } catch (err) {
      if (!res.headersSent) send(res, 500, String(err));
      else res.destroy();
    }
  });
  // Keep-alive sockets would hold close() up.
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    /** setPackage serves dir under /pkg/. */
    setPackage(dir) {
      pkgDir = dir;
    },
    /**
     * addRun registers one launch of a SCO and returns its id and the LMS
     * page's URL.
     * @param {{launch: string, preload?: object, title?: string}} config
     */
    addRun(config) {
      const id = nextRun++;
      const run = { id, config: { id, ...config }, commits: [], events: [] };
      runs.set(id, run);
      return { id, url: `${origin}/lms/?run=${id}`, run };
    },
    run(id) {
      return runs.get(id);
    },
    /** waitFor resolves once test(run) is true, or rejects after ms. */
    waitFor(id, test, ms = 5000) {
      const run = runs.get(id);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (test(run)) {
            done();
            resolve(run);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`run ${id}: timed out waiting for the LMS's records`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
