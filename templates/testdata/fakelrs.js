"use strict";
/* Fakes for the xAPI and cmi5 adapter tests: an LRS behind a fake fetch
 * that checks requests and statements as a strict LRS would, a clock with
 * timers run on demand, and Storage objects. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;
const LANG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const DURATION = /^PT(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"];

/* problems lists what a strict LRS would reject in statement s. */
function problems(s) {
  const out = [];
  const bad = (m) => out.push(m);
  (function walk(v, path) {
    if (v === null) return bad(`${path} is null`);
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (typeof v === "object") {
      if (!Object.keys(v).length && !/extensions$/.test(path)) bad(`${path} is an empty object`);
      if (!/extensions$/.test(path)) for (const k of Object.keys(v)) walk(v[k], `${path}.${k}`);
    }
  })(s, "statement");
  for (const k of Object.keys(s)) if (!["id", "actor", "verb", "object", "result", "context", "timestamp"].includes(k)) bad(`unexpected key ${k}`);
  if (!UUID.test(s.id || "")) bad(`id ${s.id} is not a UUID`);
  if (!TIMESTAMP.test(s.timestamp || "")) bad(`timestamp ${s.timestamp}`);
  const a = s.actor || {};
  const ifis = ["mbox", "mbox_sha1sum", "openid", "account"].filter((k) => a[k] !== undefined);
  if (ifis.length !== 1) bad(`actor has ${ifis.length} identifiers`);
  if (a.mbox !== undefined && !/^mailto:/.test(a.mbox)) bad("mbox without mailto:");
  if (a.account && (!IRI.test(a.account.homePage) || typeof a.account.name !== "string")) bad("bad account");
  if (!s.verb || !IRI.test(s.verb.id) || typeof s.verb.display !== "object") bad("bad verb");
  const o = s.object || {};
  if (o.objectType !== "Activity" || !IRI.test(o.id || "")) bad(`bad object ${o.id}`);
  const def = o.definition;
  if (def) {
    for (const k of ["name", "description"]) if (def[k]) for (const l of Object.keys(def[k])) if (!LANG.test(l)) bad(`language tag ${l}`);
    if (def.type && !IRI.test(def.type)) bad("bad type");
    if (def.interactionType !== undefined) {
      if (!TYPES.includes(def.interactionType)) bad(`interactionType ${def.interactionType}`);
      if (def.correctResponsesPattern !== undefined && (!Array.isArray(def.correctResponsesPattern) || def.correctResponsesPattern.some((p) => typeof p !== "string"))) bad("correctResponsesPattern");
      if (def.choices !== undefined) {
        const ids = def.choices.map((c) => c.id);
        if (new Set(ids).size !== ids.length || ids.some((id) => /\s/.test(id))) bad("choice ids");
      }
    }
  }
  const r = s.result;
  if (r) {
    if (r.duration !== undefined && !DURATION.test(r.duration)) bad(`duration ${r.duration}`);
    if (r.success !== undefined && typeof r.success !== "boolean") bad("success");
    if (r.completion !== undefined && typeof r.completion !== "boolean") bad("completion");
    if (r.response !== undefined && typeof r.response !== "string") bad("response");
    if (r.score) {
      const sc = r.score;
      if (sc.scaled !== undefined && !(sc.scaled >= -1 && sc.scaled <= 1)) bad("scaled");
      if (sc.raw !== undefined && !(sc.min <= sc.raw && sc.raw <= sc.max && sc.min < sc.max)) bad("raw");
    }
    if (r.extensions) for (const k of Object.keys(r.extensions)) if (!IRI.test(k)) bad(`extension ${k}`);
  }
  const c = s.context;
  if (c) {
    if (c.registration !== undefined && !UUID.test(c.registration)) bad("registration");
    if (c.language !== undefined && !LANG.test(c.language)) bad("language");
    for (const [k, v] of Object.entries(c.contextActivities || {})) {
      if (!["parent", "grouping", "category", "other"].includes(k)) bad(`contextActivities.${k}`);
      if (!Array.isArray(v)) bad(`contextActivities.${k} is not an array`);
      else if (v.some((x) => !IRI.test(x.id || ""))) bad(`contextActivities.${k} ids`);
    }
    for (const k of Object.keys(c.extensions || {})) if (!IRI.test(k)) bad(`extension ${k}`);
  }
  return out;
}

function response(status, body) {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  return { status, ok: status >= 200 && status < 300, text: async () => text, json: async () => JSON.parse(text) };
}

/* fakeLRS: endpoint ORIGIN/xapi/, auth AUTH (or a cmi5 token it issued at
 * ORIGIN/fetch/<n>). Faults: down (network error), fail (answer the next n
 * statement requests with failStatus), reject(statement) -> status for one
 * statement. */
function fakeLRS() {
  const lrs = {
    origin: "https://lrs.example.org",
    endpoint: "https://lrs.example.org/xapi/",
    auth: "Basic Y29udGVudDpzZWNyZXQ=",
    requests: [],
    statements: new Map(), // id -> JSON text
    accepted: [], // ids, in the order they were first stored
    states: new Map(),
    profiles: new Map(),
    tokens: new Set(),
    fetches: new Map(), // fetch id -> {used, calls}
    down: false,
    fail: 0,
    failStatus: 503,
    reject: null,
    problems: []
  };
  const key = (p) => JSON.stringify([p.get("activityId"), JSON.parse(p.get("agent")), p.get("registration") || "", p.get("stateId")]);
  lrs.fetchURL = (id) => {
    lrs.fetches.set(id, { used: false, calls: 0, token: Buffer.from(`tok-${id}:pw`).toString("base64") });
    return `${lrs.origin}/fetch/${id}`;
  };
  lrs.setState = (activityId, agent, registration, stateId, doc) => {
    lrs.states.set(JSON.stringify([activityId, agent, registration || "", stateId]), JSON.stringify(doc));
  };
  lrs.getState = (activityId, agent, registration, stateId) => {
    const v = lrs.states.get(JSON.stringify([activityId, agent, registration || "", stateId]));
    return v === undefined ? undefined : JSON.parse(v);
  };
  lrs.stored = () => lrs.accepted.map((id) => JSON.parse(lrs.statements.get(id)));
  lrs.verbs = () => lrs.stored().map((s) => s.verb.id.replace(/^.*\//, ""));
  lrs.fetch = async (url, init) => {
    init = init || {};
    const u = new URL(url);
    const rec = { method: init.method || "GET", url, path: u.pathname, params: u.searchParams, headers: init.headers || {}, body: init.body, keepalive: !!init.keepalive, time: lrs.clock ? lrs.clock() : 0 };
    lrs.requests.push(rec);
    await null;
    if (lrs.down) throw new TypeError("Failed to fetch");
    const fm = /^\/fetch\/(\w+)$/.exec(u.pathname);
    if (fm) {
      const f = lrs.fetches.get(fm[1]);
      if (rec.method !== "POST") return response(405);
      if (!f) return response(200, { "error-code": "2", "error-text": "unknown" });
      f.calls++;
      if (f.used) return response(200, { "error-code": "1", "error-text": "The authorization token has already been returned." });
      f.used = true;
      lrs.tokens.add(f.token);
      return response(200, { "auth-token": f.token });
    }
    if (!u.pathname.startsWith("/xapi/")) return response(404);
    if (rec.headers["X-Experience-API-Version"] !== "1.0.3") return response(400, "no version header");
    const auth = rec.headers.Authorization || "";
    if (auth !== lrs.auth && !(auth.startsWith("Basic ") && lrs.tokens.has(auth.slice(6)))) return response(401);
    const res = u.pathname.slice("/xapi/".length);
    if (res === "statements" && rec.method === "POST") {
      if (rec.headers["Content-Type"] !== "application/json") return response(400, "content type");
      if (lrs.fail > 0) {
        lrs.fail--;
        return response(lrs.failStatus);
      }
      const body = JSON.parse(rec.body);
      const list = Array.isArray(body) ? body : [body];
      for (const s of list) {
        const p = problems(s);
        if (p.length) {
          lrs.problems.push({ statement: s, problems: p });
          return response(400, p.join("; "));
        }
        const r = lrs.reject && lrs.reject(s);
        if (r) return response(r, "rejected");
        const old = lrs.statements.get(s.id);
        if (old !== undefined && old !== JSON.stringify(s)) return response(409, "conflict");
      }
      for (const s of list) {
        if (!lrs.statements.has(s.id)) {
          lrs.statements.set(s.id, JSON.stringify(s));
          lrs.accepted.push(s.id);
        }
      }
      return response(200, list.map((s) => s.id));
    }
    if (res === "activities/state") {
      const k = key(u.searchParams);
      if (rec.method === "GET") return lrs.states.has(k) ? response(200, lrs.states.get(k)) : response(404);
      if (rec.method === "PUT") {
        if (u.searchParams.get("stateId") === "LMS.LaunchData") return response(403);
        lrs.states.set(k, rec.body);
        return response(204);
      }
    }
    if (res === "agents/profile" && rec.method === "GET") {
      const v = lrs.profiles.get(u.searchParams.get("profileId"));
      return v === undefined ? response(404) : response(200, v);
    }
    return response(400, "unexpected request");
  };
  return lrs;
}

/* clock is a fake time source with timers that run when tick is called. */
function clock(start) {
  let t = start || Date.UTC(2026, 0, 5, 9, 0, 0);
  let timers = [];
  let seq = 0;
  const c = {
    now: () => t,
    setTimeout(fn, ms) {
      const id = { fn, at: t + (ms || 0), seq: seq++ };
      timers.push(id);
      return id;
    },
    clearTimeout(id) {
      timers = timers.filter((x) => x !== id);
    },
    pending: () => timers.length,
    /* tick moves time on by ms, running the timers that fall due (and
     * letting promises settle between them). */
    async tick(ms) {
      const end = t + ms;
      for (;;) {
        await settle();
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        t = Math.max(t, next.at);
        next.fn();
      }
      t = end;
      await settle();
    }
  };
  return c;
}

async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function storage() {
  const m = new Map();
  return {
    map: m,
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
    dump: () => [...m.entries()].map(([k, v]) => k + "=" + v).join("\n")
  };
}

function quietLog() {
  const log = { errors: [], warnings: [] };
  log.error = (...a) => log.errors.push(a.join(" "));
  log.warn = (...a) => log.warnings.push(a.join(" "));
  log.info = () => {};
  return log;
}

module.exports = { fakeLRS, clock, settle, storage, quietLog, problems, UUID, DURATION };
