// A test LRS for the xAPI and cmi5 end-to-end tests, on 127.0.0.1 at a free
// port.
//
// Statements are kept by Learning Locker's xapi-statements service, run in
// this process with in-memory storage (the choices MODELS_REPO=memory,
// AUTH_REPO=test, EVENTS_REPO=test pick, made here per LRS so that every
// start() has an empty store) on a port of its own. In front of it, this
// module's server is what content talks to, at ENDPOINT = ORIGIN/xapi/:
//
//   OPTIONS *                    CORS preflight (no auth, no version)
//   GET  /xapi/about             {"version": ["1.0.3"]} (no auth)
//   *    /xapi/statements        checked, validated with xapi-validation,
//                                then forwarded to xapi-statements
//   GET  /xapi/activities        forwarded (activity definitions)
//   *    /xapi/activities/state  the State API, kept here (xapi-statements
//                                has none)
//   GET  /xapi/agents/profile    the Agent Profile API: seeded documents or
//                                404; writes get 403 (the LMS owns them)
//   POST /cmi5/fetch/ID          the cmi5 fetch URL: {"auth-token": ...}
//                                once, then {"error-code": "1", ...}
//   GET  /lms/return             a page to return to (cmi5 returnURL)
//
// Every request under /xapi/ but about needs X-Experience-API-Version 1.0.x
// (else 400) and the Authorization of this LRS or a token it issued (else
// 401). Every request is recorded, every statement received is validated,
// and faults can be injected: fail the next N requests, delay answers, or
// drop every connection for a while.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { readBody } from "./server.js";

const require = createRequire(import.meta.url);

export const XAPI_VERSION = "1.0.3";
export const CMI5_SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
export const CMI5_MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
export const CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
export const CMI5_MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon";
export const LAUNCH_DATA = "LMS.LaunchData";
export const LEARNER_PREFERENCES = "cmi5LearnerPreferences";

const EXPOSED = "ETag, Last-Modified, Content-Type, X-Experience-API-Version, X-Experience-API-Consistent-Through";
const ALLOWED_HEADERS = "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match";
const ALLOWED_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS";
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iriPattern = /^[a-z][a-z0-9+.-]*:\S+$/i;

// ---- Learning Locker, loaded on first use (it takes a second or two) ----

let ll = null;

function learningLocker() {
  if (ll) return ll;
  // aws-sdk (a dependency of xapi-statements, unused here) warns on load.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= "1";
  const llRequire = createRequire(require.resolve("xapi-statements/package.json"));
  const dist = (p) => llRequire(`./dist/${p}`).default;
  ll = {
    express: llRequire("express"),
    urlEncoding: llRequire("jscommons/dist/expressPresenter/mixins/urlEncoding").default,
    tracker: Promise.resolve(llRequire("jscommons/dist/tracker/fake").default),
    repo: dist("repo/facade"),
    service: dist("service"),
    translator: dist("translatorFactory")(),
    getAbout: dist("expressPresenter/getAbout"),
    getFullActivity: dist("expressPresenter/getFullActivity"),
    getStatements: dist("expressPresenter/getStatements"),
    postStatements: dist("expressPresenter/postStatements"),
    putStatement: dist("expressPresenter/putStatement"),
    validate: require("xapi-validation").default,
  };
  return ll;
}

const quietLogger = { error() {}, warn() {}, info() {}, verbose() {}, debug() {}, silly() {} };

/** startUpstream runs xapi-statements with in-memory models on 127.0.0.1. */
async function startUpstream(storageDir) {
  const L = learningLocker();
  const repo = L.repo({
    auth: { facade: "test", fake: {} },
    events: { facade: "test" },
    models: { facade: "memory", memory: { state: { fullActivities: [], statements: [] } } },
    storage: { facade: "local", local: { storageDir } },
  });
  const service = L.service({
    repo,
    tracker: L.tracker,
    logger: quietLogger,
    enableConflictChecks: true,
    enableAttachmentValidation: true,
    enableVoidingChecks: true,
    enableStatementCreation: true,
    enableAttachmentCreation: true,
    enableVoiding: true,
    enableNullRemoval: false,
    enableReferencing: true,
    enableActivityUpdates: true,
    // Answer only once a statement is stored, so a GET right after a POST
    // finds it.
    awaitUpdates: true,
  });
  const config = {
    llClientInfoEndpoint: "http://127.0.0.1:9/unused",
    customRoute: "status",
    customRouteText: "ok",
    bodyParserLimit: "5mb",
    service,
    tracker: L.tracker,
    translator: L.translator,
    logger: quietLogger,
  };
  // The routers of xapi-statements' expressPresenter, without its access
  // log files, helmet and CORS (the front answers CORS).
  const app = L.express();
  const router = (routes) => {
    const r = L.express.Router();
    r.use(L.urlEncoding(config.bodyParserLimit));
    routes(r);
    return r;
  };
  app.use("/xAPI/about", router((r) => r.get("", L.getAbout(config))));
  app.use("/xAPI/activities", router((r) => r.get("", L.getFullActivity(config))));
  app.use(
    "/xAPI/statements",
    router((r) => {
      r.get("", L.getStatements(config));
      r.put("", L.putStatement(config));
      r.post("", L.postStatements(config));
    }),
  );
  const server = await listen(app);
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

function listen(handler) {
  const server = createServer(handler);
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function closeServer(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

// ---- helpers ----

function basic(user, pass) {
  return "Basic " + Buffer.from(`${user}:${pass}`).toString("base64");
}

function credentials(prefix) {
  return basic(`${prefix}-${randomBytes(4).toString("hex")}`, randomBytes(12).toString("hex"));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseJSON(s) {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
}

function isJSONType(type) {
  return /^application\/json\b/i.test(type || "");
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** agentKey names an agent by its inverse functional identifier, or null
 * when agentJSON is not an xAPI 1.0 agent. */
export function agentKey(agent) {
  if (typeof agent === "string") {
    const p = parseJSON(agent);
    if (!p.ok) return null;
    agent = p.value;
  }
  if (!isObject(agent)) return null;
  const ifis = [];
  if (typeof agent.mbox === "string") ifis.push("mbox:" + agent.mbox);
  if (typeof agent.mbox_sha1sum === "string") ifis.push("sha1:" + agent.mbox_sha1sum);
  if (typeof agent.openid === "string") ifis.push("openid:" + agent.openid);
  if (isObject(agent.account) && typeof agent.account.homePage === "string" && typeof agent.account.name === "string") {
    ifis.push(`account:${agent.account.homePage}|${agent.account.name}`);
  }
  return ifis.length === 1 ? ifis[0] : null;
}

/** describeWarning turns an xapi-validation warning into one line. */
function describeWarning(w) {
  const where = (w.path || []).join(".");
  let what = w.name || "Warning";
  if (w.typeName) what += ` (${w.typeName})`;
  if (w.keys) what += ` (allowed: ${w.keys.join(", ")})`;
  let data = "";
  if (w.data !== undefined) {
    const s = JSON.stringify(w.data);
    data = ": " + (s && s.length > 120 ? s.slice(0, 117) + "..." : s);
  }
  return `${where}: ${what}${data}`;
}

/** validateStatement checks one statement with xapi-validation and returns
 * its problems, one line each (empty when it is valid). */
export function validateStatement(statement) {
  const { validate } = learningLocker();
  try {
    return validate(statement).map(describeWarning);
  } catch (err) {
    return [`statement: validator failed: ${err.message}`];
  }
}

// ---- launch helpers ----

/** testActor is an xAPI 1.0 agent identified by an account, as LMSs send. */
export function testActor(name = "learner-1", display = "Test Learner") {
  return { objectType: "Agent", name: display, account: { homePage: "https://lms.example.org", name } };
}

/** legacyActor writes an agent in the Tin Can 0.9 form that some LMSs still
 * send: every property an array, accounts as accountServiceHomePage and
 * accountName. */
export function legacyActor(actor) {
  const out = { objectType: "Agent" };
  if (actor.name) out.name = [actor.name];
  if (actor.mbox) out.mbox = [actor.mbox];
  if (actor.account) out.account = [{ accountServiceHomePage: actor.account.homePage, accountName: actor.account.name }];
  return out;
}

function query(params) {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === "string" ? v : JSON.stringify(v))}`)
    .join("&");
}

/**
 * tinCanLaunchQuery builds the query string of a Tin Can launch (endpoint,
 * auth, actor, registration, activity_id, then any extra parameters), each
 * value URL-encoded; objects (the actor) are written as JSON. Leave a value
 * undefined to omit it.
 */
export function tinCanLaunchQuery({ endpoint, auth, actor, registration, activityId, ...extra }) {
  return query({ endpoint, auth, actor, registration, activity_id: activityId, ...extra });
}

/** cmi5LaunchQuery builds the query string of a cmi5 launch: endpoint,
 * fetch, actor, registration and activityId (camelCase). */
export function cmi5LaunchQuery({ endpoint, fetch, actor, registration, activityId }) {
  return query({ endpoint, fetch, actor, registration, activityId });
}

/** withQuery appends a query string to a URL that may have one. */
export function withQuery(href, q) {
  if (!q) return href;
  const hash = href.indexOf("#");
  const [base, frag] = hash >= 0 ? [href.slice(0, hash), href.slice(hash)] : [href, ""];
  return base + (base.includes("?") ? "&" : "?") + q.replace(/^[?&]/, "") + frag;
}

/**
 * launchData builds the LMS.LaunchData state document of a cmi5 launch:
 * the context template (session id extension, the AU's publisher id as a
 * grouping activity), launchMode, moveOn, and masteryScore, returnURL,
 * launchParameters and entitlementKey when given.
 */
export function launchData({
  publisherId,
  sessionId = randomUUID(),
  launchMode = "Normal",
  moveOn = "NotApplicable",
  masteryScore,
  returnURL,
  launchParameters,
  entitlementKey,
}) {
  if (!publisherId) throw new Error("launchData needs the AU's publisherId (its id in cmi5.xml)");
  const doc = {
    contextTemplate: {
      contextActivities: { grouping: [{ objectType: "Activity", id: publisherId }] },
      extensions: { [CMI5_SESSION_ID]: sessionId },
    },
    launchMode,
    moveOn,
  };
  if (masteryScore !== undefined && masteryScore !== null) doc.masteryScore = masteryScore;
  if (returnURL) doc.returnURL = returnURL;
  if (launchParameters) doc.launchParameters = launchParameters;
  if (entitlementKey) doc.entitlementKey = entitlementKey;
  return doc;
}

// ---- the LRS ----

/**
 * start starts a test LRS.
 * @param {{faults?: object}} [opts] faults: as for setFault, from the start
 */
export async function start(opts = {}) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "coursepack-lrs-"));
  let upstream;
  try {
    upstream = await startUpstream(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const upstreamAuth = basic("coursepack", "upstream");

  const auth = credentials("lrs");
  const accepted = new Set([auth]);
  const requests = [];
  const statements = [];
  const storedIds = new Set();
  const received = [];
  const validationErrors = [];
  const states = new Map(); // key -> doc
  const profiles = new Map(); // agentKey|profileId -> doc
  const fetches = new Map(); // id -> {token, used}
  const fault = { fail: 0, status: 500, delay: 0, downUntil: 0, match: null };
  const waiters = new Set();
  const wake = () => {
    for (const w of waiters) w();
  };

  function matches(rec) {
    const m = fault.match;
    if (m == null) return rec.path.startsWith("/xapi/");
    if (typeof m === "string") return rec.path.includes(m);
    if (m instanceof RegExp) return m.test(rec.path);
    return Boolean(m(rec));
  }

  function setFault(f = {}) {
    if ("match" in f) fault.match = f.match ?? null;
    if ("status" in f) fault.status = f.status;
    if ("fail" in f) fault.fail = f.fail;
    if ("delay" in f) fault.delay = f.delay;
    if ("down" in f) fault.downUntil = f.down > 0 ? Date.now() + f.down : 0;
    return { ...fault };
  }
  if (opts.faults) setFault(opts.faults);

  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const rec = {
      at: Date.now(),
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: "",
      status: 0,
      fault: null,
      // Set here too, so that a preflight dropped while the LRS is down
      // is known as one.
      preflight: req.method === "OPTIONS",
    };
    requests.push(rec);
    if (fault.downUntil > Date.now() && matches(rec)) {
      rec.fault = "down";
      req.socket.destroy();
      wake();
      return;
    }
    res.on("finish", wake);
    res.on("close", wake);
    handle(req, res, url, rec).catch((err) => {
      rec.error = String(err && err.stack ? err.stack : err);
      if (!res.headersSent) send(res, rec, 500, { error: String(err) });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const endpoint = `${origin}/xapi/`;
  const returnURL = `${origin}/lms/return`;

  function cors(req, res) {
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin || "*");
    res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Expose-Headers", EXPOSED);
    res.setHeader("X-Experience-API-Version", XAPI_VERSION);
    res.setHeader("Cache-Control", "no-store");
  }

  function send(res, rec, status, body, headers = {}) {
    rec.status = status;
    let data = "";
    if (body !== undefined && body !== null) {
      if (typeof body === "string") data = body;
      else {
        data = JSON.stringify(body);
        headers = { "Content-Type": "application/json; charset=utf-8", ...headers };
      }
    }
    res.writeHead(status, headers);
    res.end(data);
  }

  async function handle(req, res, url, rec) {
    cors(req, res);
    rec.body = await readBody(req);
    if (req.method === "OPTIONS") {
      rec.preflight = true;
      return send(res, rec, 204, null, {
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": "0",
      });
    }
    if (matches(rec)) {
      if (fault.delay > 0) {
        rec.fault = "delay";
        await sleep(fault.delay);
      }
      if (fault.fail > 0) {
        fault.fail--;
        rec.fault = "fail";
        return send(res, rec, fault.status, { error: "injected fault" });
      }
    }
    const p = url.pathname;
    if (p === "/lms/return") {
      return send(res, rec, 200, "<!doctype html><title>Returned</title><p>Returned to the LMS.</p>", {
        "Content-Type": "text/html; charset=utf-8",
      });
    }
    const fm = /^\/cmi5\/fetch\/([\w-]+)$/.exec(p);
    if (fm) return fetchToken(req, res, rec, fm[1]);
    if (!p.startsWith("/xapi/")) return send(res, rec, 404, { error: "not found" });
    const resource = p.slice("/xapi/".length);
    if (resource === "about" && req.method === "GET") {
      return send(res, rec, 200, { version: [XAPI_VERSION] });
    }
    const a = req.headers.authorization;
    if (!a || !accepted.has(a.trim())) {
      return send(res, rec, 401, { error: a ? "unknown credentials" : "Authorization header missing" });
    }
    const version = req.headers["x-experience-api-version"];
    if (!version || !/^1\.0(\.\d+)?$/.test(version.trim())) {
      return send(res, rec, 400, {
        error: version ? `unsupported X-Experience-API-Version ${version}` : "X-Experience-API-Version header missing",
      });
    }
    switch (resource) {
      case "statements":
        return statementsResource(req, res, url, rec);
      case "activities":
        if (req.method !== "GET") return send(res, rec, 405, { error: "method not allowed" });
        return forward(req, res, url, rec, "/xAPI/activities");
      case "activities/state":
        return stateResource(req, res, url, rec);
      case "agents/profile":
        return profileResource(req, res, url, rec);
    }
    return send(res, rec, 404, { error: `no resource ${resource}` });
  }

  async function forward(req, res, url, rec, upstreamPath) {
    const headers = {
      Authorization: upstreamAuth,
      "X-Experience-API-Version": req.headers["x-experience-api-version"],
    };
    if (req.headers["content-type"]) headers["Content-Type"] = req.headers["content-type"];
    const method = req.method === "HEAD" ? "GET" : req.method;
    const up = await fetch(upstream.origin + upstreamPath + url.search, {
      method,
      headers,
      body: method === "GET" || method === "DELETE" ? undefined : rec.body,
    });
    // "more" links are relative to the server root: point them at the
    // front's path.
    const text = (await up.text()).replace(/"more":"\/xAPI\//g, '"more":"/xapi/');
    const out = {};
    for (const h of ["content-type", "etag", "last-modified", "x-experience-api-consistent-through"]) {
      const v = up.headers.get(h);
      if (v) out[h] = v;
    }
    rec.status = up.status;
    res.writeHead(up.status, out);
    res.end(req.method === "HEAD" ? undefined : text);
    return { status: up.status, text };
  }

  async function statementsResource(req, res, url, rec) {
    if (req.method === "GET" || req.method === "HEAD") return forward(req, res, url, rec, "/xAPI/statements");
    if (req.method !== "POST" && req.method !== "PUT") return send(res, rec, 405, { error: "method not allowed" });
    const parsed = parseJSON(rec.body);
    let batch = [];
    if (!parsed.ok) {
      validationErrors.push({ at: rec.at, method: req.method, statementId: null, statement: rec.body, errors: ["body: not JSON"] });
    } else {
      batch = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
      for (const s of batch) {
        const errors = validateStatement(s);
        if (req.method === "PUT" && isObject(s) && s.id !== undefined && s.id !== url.searchParams.get("statementId")) {
          errors.push(`statement.id: ${JSON.stringify(s.id)} differs from statementId ${url.searchParams.get("statementId")}`);
        }
        if (errors.length) {
          validationErrors.push({ at: rec.at, method: req.method, statementId: isObject(s) ? s.id ?? null : null, statement: s, errors });
        }
      }
    }
    const { status, text } = await forward(req, res, url, rec, "/xAPI/statements");
    if (status !== 200 && status !== 204) return;
    let ids = [];
    if (req.method === "PUT") ids = [url.searchParams.get("statementId")];
    else {
      const r = parseJSON(text);
      if (r.ok && Array.isArray(r.value)) ids = r.value;
    }
    batch.forEach((s, i) => {
      const kept = isObject(s) && !s.id && ids[i] ? { ...s, id: ids[i] } : s;
      received.push(kept);
      const id = isObject(kept) ? kept.id : undefined;
      if (id !== undefined && storedIds.has(id)) return;
      if (id !== undefined) storedIds.add(id);
      statements.push(kept);
    });
  }

  // ---- State API ----

  function stateParams(url, needStateId) {
    const q = url.searchParams;
    const activityId = q.get("activityId");
    const agentRaw = q.get("agent");
    const registration = q.get("registration");
    const stateId = q.get("stateId");
    if (!activityId || !iriPattern.test(activityId)) return { error: "activityId missing or not an IRI" };
    const agent = agentRaw && agentKey(agentRaw);
    if (!agent) return { error: "agent missing or not an Agent with one identifier" };
    if (registration !== null && !uuidPattern.test(registration)) return { error: "registration is not a UUID" };
    if (needStateId && !stateId) return { error: "stateId missing" };
    return { activityId, agent, agentJSON: JSON.parse(agentRaw), registration: registration ?? "", stateId };
  }

  /** sameScope says whether doc d belongs to the activity, agent and
   * registration of the parameters s. */
  const sameScope = (d, s) =>
    d.activityId === s.activityId && agentKey(d.agent) === s.agent && (d.registration || "") === s.registration;

  const stateKey = (s, stateId) => JSON.stringify([s.activityId, s.agent, s.registration, stateId]);

  function etag(body) {
    return '"' + createHash("sha1").update(body).digest("hex") + '"';
  }

  function preconditions(req, doc) {
    const ifMatch = req.headers["if-match"];
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifMatch && (!doc || (ifMatch.trim() !== "*" && ifMatch.trim() !== doc.etag))) return false;
    if (ifNoneMatch && doc && (ifNoneMatch.trim() === "*" || ifNoneMatch.trim() === doc.etag)) return false;
    return true;
  }

  function putState(s, stateId, contentType, body, lms = false) {
    const doc = {
      activityId: s.activityId,
      agent: s.agentJSON,
      registration: s.registration || null,
      stateId,
      contentType: contentType || "application/octet-stream",
      body,
      etag: etag(body),
      updated: new Date(),
      lms,
    };
    states.set(stateKey(s, stateId), doc);
    return doc;
  }

  async function stateResource(req, res, url, rec) {
    const write = req.method === "PUT" || req.method === "POST";
    const s = stateParams(url, write);
    if (s.error) return send(res, rec, 400, { error: s.error });
    const key = s.stateId ? stateKey(s, s.stateId) : null;
    const doc = key ? states.get(key) : null;
    switch (req.method) {
      case "GET":
      case "HEAD": {
        if (!s.stateId) {
          const since = url.searchParams.get("since");
          const ids = [...states.values()]
            .filter((d) => sameScope(d, s))
            .filter((d) => !since || d.updated > new Date(since))
            .map((d) => d.stateId);
          return send(res, rec, 200, ids);
        }
        if (!doc) return send(res, rec, 404, null);
        rec.status = 200;
        res.writeHead(200, { "Content-Type": doc.contentType, ETag: doc.etag, "Last-Modified": doc.updated.toUTCString() });
        return res.end(req.method === "HEAD" ? undefined : doc.body);
      }
      case "PUT":
      case "POST": {
        if (doc && doc.lms) return send(res, rec, 403, { error: `${s.stateId} is the LMS's document; content must not change it` });
        if (!preconditions(req, doc)) return send(res, rec, 412, { error: "precondition failed" });
        const type = req.headers["content-type"];
        if (req.method === "POST" && doc) {
          const next = isJSONType(type) ? parseJSON(rec.body) : { ok: false };
          const prev = isJSONType(doc.contentType) ? parseJSON(doc.body) : { ok: false };
          if (!next.ok || !prev.ok || !isObject(next.value) || !isObject(prev.value)) {
            return send(res, rec, 400, { error: "POST merges JSON objects only; both documents must be JSON objects" });
          }
          putState(s, s.stateId, doc.contentType, JSON.stringify({ ...prev.value, ...next.value }));
          return send(res, rec, 204, null);
        }
        if (isJSONType(type) && !parseJSON(rec.body).ok) return send(res, rec, 400, { error: "Content-Type is JSON but the body is not" });
        putState(s, s.stateId, type, rec.body);
        return send(res, rec, 204, null);
      }
      case "DELETE": {
        if (s.stateId) {
          if (doc && doc.lms) return send(res, rec, 403, { error: `${s.stateId} is the LMS's document` });
          if (!preconditions(req, doc)) return send(res, rec, 412, { error: "precondition failed" });
          states.delete(key);
          return send(res, rec, 204, null);
        }
        for (const [k, d] of states) {
          if (sameScope(d, s) && !d.lms) {
            states.delete(k);
          }
        }
        return send(res, rec, 204, null);
      }
    }
    return send(res, rec, 405, { error: "method not allowed" });
  }

  // ---- Agent Profile API: read only ----

  async function profileResource(req, res, url, rec) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return send(res, rec, 403, { error: "agent profiles are kept by the LMS" });
    }
    const agent = agentKey(url.searchParams.get("agent") || "");
    if (!agent) return send(res, rec, 400, { error: "agent missing or not an Agent with one identifier" });
    const profileId = url.searchParams.get("profileId");
    if (!profileId) {
      const ids = [...profiles.values()].filter((d) => d.agent === agent).map((d) => d.profileId);
      return send(res, rec, 200, ids);
    }
    const doc = profiles.get(`${agent}|${profileId}`);
    if (!doc) return send(res, rec, 404, null);
    rec.status = 200;
    res.writeHead(200, { "Content-Type": doc.contentType, ETag: doc.etag, "Last-Modified": doc.updated.toUTCString() });
    return res.end(req.method === "HEAD" ? undefined : doc.body);
  }

  // ---- cmi5 fetch ----

  function fetchToken(req, res, rec, id) {
    const f = fetches.get(id);
    if (!f) return send(res, rec, 404, { "error-code": "2", "error-text": "unknown fetch URL" });
    if (req.method !== "POST") return send(res, rec, 405, { "error-code": "3", "error-text": "the fetch URL takes POST only" });
    f.calls++;
    if (f.used) return send(res, rec, 200, { "error-code": "1", "error-text": "the fetch URL was already used" });
    f.used = true;
    accepted.add("Basic " + f.token);
    return send(res, rec, 200, { "auth-token": f.token });
  }

  function newFetch() {
    const id = randomUUID();
    const token = Buffer.from(`cmi5-${randomBytes(4).toString("hex")}:${randomBytes(12).toString("hex")}`).toString("base64");
    const f = { id, token, used: false, calls: 0, url: `${origin}/cmi5/fetch/${id}` };
    fetches.set(id, f);
    return f;
  }

  const lrs = {
    /** origin of the LRS, such as http://127.0.0.1:PORT */
    url: origin,
    /** the xAPI endpoint, ending with / */
    endpoint,
    /** the complete Authorization value this LRS accepts */
    auth,
    /** a page content may return to (a cmi5 returnURL) */
    returnURL,
    /** statements() lists the statements the LRS accepted, as sent (with
     * the id the LRS gave those sent without one), in order, each id once:
     * a statement sent again with an id the LRS has is accepted and not
     * stored again, as xAPI has it (received() has every copy). */
    statements: () => statements.slice(),
    /** received() lists every statement of every write the LRS accepted,
     * as statements() does but with each copy of one sent again. */
    received: () => received.slice(),
    /** stateDocs() lists the State API documents: {activityId, agent,
     * registration, stateId, contentType, body, json, etag, updated, lms}. */
    stateDocs: () =>
      [...states.values()].map((d) => {
        const p = isJSONType(d.contentType) ? parseJSON(d.body) : { ok: false };
        return { ...d, json: p.ok ? p.value : undefined };
      }),
    /** requests() lists every request received, preflights included:
     * {at, method, path, query, headers, body, status, fault, preflight}. */
    requests: () => requests.slice(),
    /** validationErrors() lists the statements xapi-validation found fault
     * with: {at, method, statementId, statement, errors: [string]}. */
    validationErrors: () => validationErrors.slice(),
    /**
     * setFault changes the injected faults and returns them. Each field is
     * optional and kept until changed:
     *   fail: n      answer the next n matching requests with `status`
     *   status: 500  the status of failed requests
     *   delay: ms    hold every matching answer for ms (0 ends it)
     *   down: ms     for ms from now, drop the connection of every matching
     *                request, preflights included (0 ends it)
     *   match        which requests: a path substring, a RegExp tested on
     *                the path, or a function of the request record; null
     *                (the default) is every request under /xapi/
     * Preflights never fail nor wait, so a browser sees the failure itself.
     */
    setFault,
    /** clearFaults ends every injected fault. */
    clearFaults: () => setFault({ fail: 0, delay: 0, down: 0, match: null, status: 500 }),
    /** newCredentials makes another Authorization value the LRS accepts. */
    newCredentials() {
      const a = credentials("extra");
      accepted.add(a);
      return a;
    },
    /** setState writes a State API document as the LMS (content cannot
     * change it when lms is true). */
    setState({ activityId, agent, registration, stateId, doc, contentType = "application/json", lms = false }) {
      const body = typeof doc === "string" ? doc : JSON.stringify(doc);
      const s = { activityId, agent: agentKey(agent), agentJSON: agent, registration: registration || "" };
      if (!s.agent) throw new Error("setState: agent has no single identifier");
      return putState(s, stateId, contentType, body, lms);
    },
    /** seedLaunchData writes the LMS.LaunchData document of a cmi5 launch
     * (see launchData for its fields) and returns it. */
    seedLaunchData({ activityId, actor, registration, ...fields }) {
      const doc = launchData(fields);
      lrs.setState({ activityId, agent: actor, registration, stateId: LAUNCH_DATA, doc, lms: true });
      return doc;
    },
    /** setAgentProfile seeds an Agent Profile document, such as
     * cmi5LearnerPreferences. */
    setAgentProfile(agent, profileId, doc, contentType = "application/json") {
      const key = agentKey(agent);
      if (!key) throw new Error("setAgentProfile: agent has no single identifier");
      const body = typeof doc === "string" ? doc : JSON.stringify(doc);
      profiles.set(`${key}|${profileId}`, { agent: key, profileId, contentType, body, etag: etag(body), updated: new Date() });
    },
    /**
     * tinCanLaunch prepares a Tin Can launch: a new registration (unless
     * given) and the query string to append to the launch URL.
     */
    tinCanLaunch({ activityId, actor = testActor(), registration = randomUUID(), auth: launchAuth = auth, ...extra } = {}) {
      const q = tinCanLaunchQuery({ endpoint, auth: launchAuth, actor, registration, activityId, ...extra });
      return { query: q, endpoint, auth: launchAuth, actor, registration, activityId };
    },
    /**
     * cmi5Launch prepares a cmi5 launch of the AU whose cmi5.xml id is
     * publisherId: an LMS-made activityId (unlike the publisher id), a
     * registration, a session, a one-time fetch URL, the LMS.LaunchData
     * document (launchMode, moveOn, masteryScore, returnURL, ...), and the
     * query string to append to the AU's url.
     */
    cmi5Launch({
      publisherId,
      activityId = `${origin}/lms/activities/${randomUUID()}`,
      actor = testActor(),
      registration = randomUUID(),
      sessionId = randomUUID(),
      ...fields
    } = {}) {
      const f = newFetch();
      const data = lrs.seedLaunchData({ activityId, actor, registration, publisherId, sessionId, ...fields });
      const q = cmi5LaunchQuery({ endpoint, fetch: f.url, actor, registration, activityId });
      return {
        query: q,
        endpoint,
        fetchURL: f.url,
        /** fetchCalls is how many times content called the fetch URL. */
        fetchCalls: () => f.calls,
        activityId,
        publisherId,
        actor,
        registration,
        sessionId,
        launchData: data,
      };
    },
    /** storedStatements asks xapi-statements for the statements it keeps
     * (GET statements with the given query parameters, every page). */
    async storedStatements(params = {}) {
      const out = [];
      let next = `/xAPI/statements?${new URLSearchParams(params)}`;
      while (next) {
        const r = await fetch(upstream.origin + next.replace(/^\/xAPI\/xAPI\//, "/xAPI/"), {
          headers: { Authorization: upstreamAuth, "X-Experience-API-Version": XAPI_VERSION },
        });
        if (r.status !== 200) throw new Error(`xapi-statements answered ${r.status}: ${await r.text()}`);
        const body = await r.json();
        if (body.statements === undefined) return [body];
        out.push(...body.statements);
        next = body.more || "";
      }
      return out;
    },
    /** waitFor resolves once test(lrs) is true (checked after each answer),
     * or rejects after ms. */
    waitFor(test, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          let ok = false;
          try {
            ok = test(lrs);
          } catch {
            ok = false;
          }
          if (ok) {
            done();
            resolve(lrs);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error("timed out waiting for the LRS"));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    /** stop closes the LRS and xapi-statements and removes their files. */
    async stop() {
      await Promise.all([closeServer(server), closeServer(upstream.server)]);
      await rm(tmp, { recursive: true, force: true });
    },
  };
  return lrs;
}

/** startLRS is start, by a name that reads well beside other servers. */
export const startLRS = start;
