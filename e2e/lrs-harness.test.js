// Tests of the test LRS (lib/lrs.js) itself, with Node's fetch: no browser,
// no package. They tell an LRS harness fault from a fault of the player's
// xAPI and cmi5 runtimes.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchBrowser } from "./lib/browser.js";
import { tempDir } from "./lib/build.js";
import { startServer } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";
import {
  CMI5_SESSION_ID,
  LAUNCH_DATA,
  LEARNER_PREFERENCES,
  agentKey,
  cmi5LaunchQuery,
  launchData,
  legacyActor,
  start,
  testActor,
  tinCanLaunchQuery,
  validateStatement,
  withQuery,
} from "./lib/lrs.js";

const VERBS = "http://adlnet.gov/expapi/verbs/";

function statement(fields = {}) {
  return {
    id: randomUUID(),
    actor: testActor(),
    verb: { id: VERBS + "experienced", display: { "en-GB": "experienced" } },
    object: { id: "https://example.org/courses/tiny", objectType: "Activity" },
    timestamp: new Date().toISOString(),
    ...fields,
  };
}

/** client makes xAPI calls to lrs with its credentials and version. */
function client(lrs, { auth = lrs.auth, version = "1.0.3" } = {}) {
  return (resource, { method = "GET", params, body, headers = {} } = {}) => {
    const h = { ...headers };
    if (auth) h.Authorization = auth;
    if (version) h["X-Experience-API-Version"] = version;
    let data;
    if (body !== undefined) {
      data = typeof body === "string" ? body : JSON.stringify(body);
      h["Content-Type"] ??= "application/json";
    }
    const q = params ? "?" + new URLSearchParams(params) : "";
    return fetch(new URL(resource, lrs.endpoint) + q, { method, headers: h, body: data });
  };
}

describe("launch helpers", () => {
  test("tinCanLaunchQuery URL-encodes every parameter and names activity_id", () => {
    const actor = testActor("u 1");
    const q = tinCanLaunchQuery({
      endpoint: "http://127.0.0.1:1/xapi/",
      auth: "Basic YTpi",
      actor,
      registration: "9d0b1b5c-0c1d-4d8e-9f4a-1b2c3d4e5f60",
      activityId: "https://example.org/courses/tiny",
      grouping: undefined,
    });
    assert.doesNotMatch(q, /[ {}"]/, "values are URL-encoded");
    const p = new URLSearchParams(q);
    assert.deepEqual([...p.keys()], ["endpoint", "auth", "actor", "registration", "activity_id"]);
    assert.equal(p.get("auth"), "Basic YTpi");
    assert.deepEqual(JSON.parse(p.get("actor")), actor);
    assert.equal(p.get("activity_id"), "https://example.org/courses/tiny");
  });

  test("cmi5LaunchQuery names activityId in camelCase", () => {
    const p = new URLSearchParams(
      cmi5LaunchQuery({ endpoint: "e/", fetch: "http://x/f", actor: testActor(), registration: "r", activityId: "https://lms/a" }),
    );
    assert.deepEqual([...p.keys()], ["endpoint", "fetch", "actor", "registration", "activityId"]);
  });

  test("withQuery joins a query to a URL with or without one", () => {
    assert.equal(withQuery("a.html", "x=1"), "a.html?x=1");
    assert.equal(withQuery("a.html?y=2", "x=1"), "a.html?y=2&x=1");
    assert.equal(withQuery("a.html#p", "?x=1"), "a.html?x=1#p");
    assert.equal(withQuery("a.html", ""), "a.html");
  });

  test("launchData holds the context template, launch mode, moveOn and more", () => {
    const d = launchData({ publisherId: "https://example.org/c/m", sessionId: "s-1", moveOn: "Passed", masteryScore: 0.8, returnURL: "http://r" });
    assert.deepEqual(d.contextTemplate.contextActivities.grouping, [{ objectType: "Activity", id: "https://example.org/c/m" }]);
    assert.equal(d.contextTemplate.extensions[CMI5_SESSION_ID], "s-1");
    assert.equal(d.launchMode, "Normal");
    assert.equal(d.moveOn, "Passed");
    assert.equal(d.masteryScore, 0.8);
    assert.equal(d.returnURL, "http://r");
    assert.equal("launchParameters" in d, false);
    assert.throws(() => launchData({}), /publisherId/);
  });

  test("legacyActor writes the Tin Can 0.9 arrays", () => {
    assert.deepEqual(legacyActor(testActor("u1", "Ann")), {
      objectType: "Agent",
      name: ["Ann"],
      account: [{ accountServiceHomePage: "https://lms.example.org", accountName: "u1" }],
    });
  });

  test("agentKey names an agent by its one identifier", () => {
    assert.equal(agentKey({ mbox: "mailto:a@b.c", name: "A" }), agentKey('{"mbox":"mailto:a@b.c"}'));
    assert.equal(agentKey({ name: "nobody" }), null);
    assert.equal(agentKey({ mbox: "mailto:a@b.c", openid: "http://o" }), null, "two identifiers");
    assert.equal(agentKey("not json"), null);
  });

  test("validateStatement finds the faults LRSs reject", () => {
    assert.deepEqual(validateStatement(statement()), []);
    const bad = validateStatement(
      statement({ result: { duration: "P16559.14S" }, verb: { id: VERBS + "completed", display: { en_US: "completed" } } }),
    );
    assert.ok(bad.some((e) => e.startsWith("statement.result.duration")), bad.join("\n"));
    assert.ok(bad.some((e) => e.startsWith("statement.verb.display")), bad.join("\n"));
  });
});

describe("LRS", () => {
  let lrs, xapi;
  before(async () => {
    lrs = await start();
    xapi = client(lrs);
  });
  after(() => lrs?.stop());

  test("the endpoint is on 127.0.0.1 and ends with /", () => {
    assert.match(lrs.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/xapi\/$/);
    assert.match(lrs.auth, /^Basic [A-Za-z0-9+/=]+$/);
  });

  test("about answers without credentials", async () => {
    const r = await fetch(lrs.endpoint + "about");
    assert.equal(r.status, 200);
    assert.deepEqual((await r.json()).version, ["1.0.3"]);
  });

  test("statements round-trip through xapi-statements", async () => {
    const one = statement();
    let r = await xapi("statements", { method: "POST", body: one });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), [one.id]);

    const two = [statement(), statement({ verb: { id: VERBS + "completed", display: { "en-GB": "completed" } }, result: { completion: true, duration: "PT1M2.5S" } })];
    r = await xapi("statements", { method: "POST", body: two });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), two.map((s) => s.id));

    const put = statement();
    r = await xapi("statements", { method: "PUT", params: { statementId: put.id }, body: put });
    assert.equal(r.status, 204);

    const noId = statement();
    delete noId.id;
    r = await xapi("statements", { method: "POST", body: noId });
    const [given] = await r.json();

    r = await xapi("statements", { params: { statementId: two[1].id } });
    assert.equal(r.status, 200);
    const got = await r.json();
    assert.equal(got.verb.id, VERBS + "completed");
    assert.equal(got.result.duration, "PT1M2.5S");
    assert.ok(r.headers.get("x-experience-api-consistent-through"));

    const ids = lrs.statements().map((s) => s.id);
    for (const id of [one.id, two[0].id, two[1].id, put.id, given]) assert.ok(ids.includes(id), `statements() has ${id}`);
    const stored = (await lrs.storedStatements()).map((s) => s.id);
    for (const id of ids) assert.ok(stored.includes(id), `xapi-statements keeps ${id}`);
    assert.deepEqual(lrs.validationErrors(), []);
  });

  test("GET statements follows more links through the front", async () => {
    for (let i = 0; i < 3; i++) await xapi("statements", { method: "POST", body: statement() });
    const r = await xapi("statements", { params: { limit: "1" } });
    const { more } = await r.json();
    assert.match(more, /^\/xapi\/statements\?/);
    const next = await fetch(new URL(more, lrs.url), { headers: { Authorization: lrs.auth, "X-Experience-API-Version": "1.0.3" } });
    assert.equal(next.status, 200);
    assert.equal((await next.json()).statements.length, 1);
  });

  test("invalid statements are rejected and recorded", async () => {
    const before = lrs.validationErrors().length;
    const bad = statement({ result: { duration: "PT90" } });
    let r = await xapi("statements", { method: "POST", body: bad });
    assert.equal(r.status, 400);
    r = await xapi("statements", { method: "POST", body: statement({ object: { id: "relative/id" } }) });
    assert.equal(r.status, 400);
    r = await xapi("statements", { method: "POST", body: "{not json" });
    assert.equal(r.status, 400);
    const errs = lrs.validationErrors().slice(before);
    assert.equal(errs.length, 3);
    assert.equal(errs[0].statementId, bad.id);
    assert.match(errs[0].errors.join("\n"), /statement\.result\.duration: TypeWarning \(ISO Duration\): "PT90"/);
    assert.match(errs[1].errors.join("\n"), /statement\.object\.id/);
    assert.match(errs[2].errors.join("\n"), /not JSON/);
    assert.ok(!lrs.statements().some((s) => s.id === bad.id), "a rejected statement is not listed as accepted");
  });

  test("one statement sent twice at once is accepted twice and stored once", async () => {
    const s = statement();
    const before = lrs.received().length;
    const answers = await Promise.all([1, 2, 3].map(() => xapi("statements", { method: "POST", body: [s] })));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200]);
    assert.equal(lrs.received().slice(before).filter((x) => x.id === s.id).length, 3, "received() has every copy");
    assert.equal(lrs.statements().filter((x) => x.id === s.id).length, 1, "statements() has it once");
    const stored = (await lrs.storedStatements()).filter((x) => x.id === s.id);
    assert.equal(stored.length, 1, "xapi-statements keeps it once");
  });

  test("a statement id sent again with other content is a conflict", async () => {
    const s = statement();
    assert.equal((await xapi("statements", { method: "PUT", params: { statementId: s.id }, body: s })).status, 204);
    assert.equal((await xapi("statements", { method: "PUT", params: { statementId: s.id }, body: s })).status, 204, "the same statement again is fine");
    const changed = { ...s, verb: { id: VERBS + "completed", display: { "en-GB": "completed" } } };
    assert.equal((await xapi("statements", { method: "PUT", params: { statementId: s.id }, body: changed })).status, 409);
  });

  test("the version header is required", async () => {
    let r = await client(lrs, { version: null })("statements");
    assert.equal(r.status, 400);
    assert.match((await r.json()).error, /X-Experience-API-Version/);
    r = await client(lrs, { version: "0.95" })("statements");
    assert.equal(r.status, 400);
    r = await client(lrs, { version: "1.0.0" })("statements", { params: { limit: "1" } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-experience-api-version"), "1.0.3");
  });

  test("credentials are checked", async () => {
    assert.equal((await client(lrs, { auth: null })("statements")).status, 401);
    assert.equal((await client(lrs, { auth: "Basic " + Buffer.from("x:y").toString("base64") })("statements")).status, 401);
    assert.equal((await client(lrs, { auth: null })("activities/state", { params: { activityId: "https://x", agent: "{}", stateId: "s" } })).status, 401);
    const extra = lrs.newCredentials();
    assert.notEqual(extra, lrs.auth);
    assert.equal((await client(lrs, { auth: extra })("statements", { params: { limit: "1" } })).status, 200);
    const other = await start();
    try {
      assert.notEqual(other.auth, lrs.auth, "each LRS makes its own credentials");
      assert.equal((await client(other, { auth: lrs.auth })("statements")).status, 401);
    } finally {
      await other.stop();
    }
  });

  test("CORS preflight is answered for the xAPI headers", async () => {
    const r = await fetch(lrs.endpoint + "activities/state", {
      method: "OPTIONS",
      headers: {
        Origin: "http://127.0.0.1:9",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization,content-type,x-experience-api-version,if-match",
      },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get("access-control-allow-origin"), "http://127.0.0.1:9");
    const allowed = r.headers.get("access-control-allow-headers").toLowerCase();
    for (const h of ["authorization", "content-type", "x-experience-api-version", "if-match", "if-none-match"]) {
      assert.ok(allowed.includes(h), `allows ${h}`);
    }
    assert.match(r.headers.get("access-control-allow-methods"), /PUT/);
    assert.ok(lrs.requests().some((q) => q.preflight && q.path === "/xapi/activities/state"));
    const g = await xapi("statements", { params: { limit: "1" }, headers: { Origin: "http://127.0.0.1:9" } });
    assert.equal(g.headers.get("access-control-allow-origin"), "http://127.0.0.1:9");
    const exposed = g.headers.get("access-control-expose-headers").toLowerCase();
    for (const h of ["etag", "last-modified", "x-experience-api-version", "x-experience-api-consistent-through"]) {
      assert.ok(exposed.includes(h), `exposes ${h}`);
    }
  });

  test("the State API stores, merges, lists and deletes documents", async () => {
    const actor = testActor("state-learner");
    const registration = randomUUID();
    const base = { activityId: "https://example.org/courses/tiny", agent: JSON.stringify(actor), registration };
    const at = (stateId, extra = {}) => ({ ...base, stateId, ...extra });

    let r = await xapi("activities/state", { params: at("bookmark") });
    assert.equal(r.status, 404);

    r = await xapi("activities/state", { method: "PUT", params: at("bookmark"), body: { page: 3, seen: [1, 2] } });
    assert.equal(r.status, 204);
    r = await xapi("activities/state", { params: at("bookmark") });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /^application\/json/);
    const tag = r.headers.get("etag");
    assert.match(tag, /^"[0-9a-f]{40}"$/);
    assert.ok(r.headers.get("last-modified"));
    assert.deepEqual(await r.json(), { page: 3, seen: [1, 2] });

    r = await xapi("activities/state", { method: "POST", params: at("bookmark"), body: { page: 4, note: "x" } });
    assert.equal(r.status, 204);
    r = await xapi("activities/state", { params: at("bookmark") });
    assert.deepEqual(await r.json(), { page: 4, seen: [1, 2], note: "x" }, "POST merges top-level keys");
    assert.notEqual(r.headers.get("etag"), tag);

    r = await xapi("activities/state", { method: "PUT", params: at("bookmark"), body: { page: 1 } });
    assert.equal(r.status, 204);
    assert.deepEqual(await (await xapi("activities/state", { params: at("bookmark") })).json(), { page: 1 }, "PUT replaces");

    r = await xapi("activities/state", { method: "POST", params: at("new"), body: { a: 1 } });
    assert.equal(r.status, 204, "POST of a new document stores it");
    r = await xapi("activities/state", { method: "POST", params: at("bookmark"), body: "plain", headers: { "Content-Type": "text/plain" } });
    assert.equal(r.status, 400, "POST cannot merge text into JSON");

    r = await xapi("activities/state", { method: "PUT", params: at("bookmark"), body: { page: 9 }, headers: { "If-Match": '"nope"' } });
    assert.equal(r.status, 412);
    r = await xapi("activities/state", { method: "PUT", params: at("bookmark"), body: { page: 9 }, headers: { "If-None-Match": "*" } });
    assert.equal(r.status, 412);

    // Keyed by the agent's identifier, not its name; by registration.
    const renamed = { ...actor, name: "Someone Else" };
    r = await xapi("activities/state", { params: { ...at("bookmark"), agent: JSON.stringify(renamed) } });
    assert.equal(r.status, 200);
    r = await xapi("activities/state", { params: at("bookmark", { registration: randomUUID() }) });
    assert.equal(r.status, 404);
    const { registration: _, ...noReg } = at("bookmark");
    r = await xapi("activities/state", { params: noReg });
    assert.equal(r.status, 404);

    r = await xapi("activities/state", { params: base });
    assert.deepEqual((await r.json()).sort(), ["bookmark", "new"]);

    const docs = lrs.stateDocs().filter((d) => d.registration === registration);
    assert.deepEqual(docs.map((d) => d.stateId).sort(), ["bookmark", "new"]);
    assert.deepEqual(docs.find((d) => d.stateId === "bookmark").json, { page: 1 });

    r = await xapi("activities/state", { method: "DELETE", params: at("bookmark") });
    assert.equal(r.status, 204);
    assert.equal((await xapi("activities/state", { params: at("bookmark") })).status, 404);
    r = await xapi("activities/state", { method: "DELETE", params: base });
    assert.equal(r.status, 204);
    assert.equal((await xapi("activities/state", { params: at("new") })).status, 404);
  });

  test("the State API rejects bad parameters", async () => {
    const agent = JSON.stringify(testActor());
    const cases = [
      { agent, stateId: "s" },
      { activityId: "not-an-iri", agent, stateId: "s" },
      { activityId: "https://x.org/a", stateId: "s" },
      { activityId: "https://x.org/a", agent: '{"name":"no id"}', stateId: "s" },
      { activityId: "https://x.org/a", agent, stateId: "s", registration: "nope" },
    ];
    for (const params of cases) {
      const r = await xapi("activities/state", { params });
      assert.equal(r.status, 400, JSON.stringify(params));
    }
    const r = await xapi("activities/state", { method: "PUT", params: { activityId: "https://x.org/a", agent }, body: {} });
    assert.equal(r.status, 400, "PUT needs a stateId");
  });

  test("the Agent Profile API answers 404, seeded documents, and 403 on write", async () => {
    const actor = testActor("prefs");
    const params = { agent: JSON.stringify(actor), profileId: LEARNER_PREFERENCES };
    assert.equal((await xapi("agents/profile", { params })).status, 404);
    lrs.setAgentProfile(actor, LEARNER_PREFERENCES, { languagePreference: "cy,en-GB", audioPreference: "off" });
    const r = await xapi("agents/profile", { params });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).languagePreference, "cy,en-GB");
    assert.equal((await xapi("agents/profile", { method: "PUT", params, body: {} })).status, 403);
  });

  test("a cmi5 launch: fetch once, then read LMS.LaunchData", async () => {
    const launch = lrs.cmi5Launch({ publisherId: "https://example.org/courses/tiny/one", moveOn: "CompletedAndPassed", masteryScore: 0.8, returnURL: lrs.returnURL });
    const q = new URLSearchParams(launch.query);
    assert.equal(q.get("endpoint"), lrs.endpoint);
    assert.equal(q.get("activityId"), launch.activityId);
    assert.notEqual(launch.activityId, launch.publisherId, "the LMS's activity id is not the publisher id");
    assert.deepEqual(JSON.parse(q.get("actor")), launch.actor);

    let r = await fetch(q.get("fetch"), { method: "POST" });
    assert.equal(r.status, 200);
    const token = (await r.json())["auth-token"];
    assert.ok(token);
    r = await fetch(q.get("fetch"), { method: "POST" });
    assert.equal(r.status, 200);
    assert.equal((await r.json())["error-code"], "1", "a second fetch is refused");
    assert.equal((await fetch(q.get("fetch"))).status, 405, "GET is not a fetch");
    assert.equal(launch.fetchCalls(), 2);

    const xapiToken = client(lrs, { auth: "Basic " + token });
    const params = { activityId: launch.activityId, agent: q.get("actor"), registration: launch.registration, stateId: LAUNCH_DATA };
    r = await xapiToken("activities/state", { params });
    assert.equal(r.status, 200);
    const data = await r.json();
    assert.equal(data.launchMode, "Normal");
    assert.equal(data.moveOn, "CompletedAndPassed");
    assert.equal(data.masteryScore, 0.8);
    assert.equal(data.returnURL, lrs.returnURL);
    assert.equal(data.contextTemplate.extensions[CMI5_SESSION_ID], launch.sessionId);
    assert.equal(data.contextTemplate.contextActivities.grouping[0].id, launch.publisherId);

    r = await xapiToken("activities/state", { method: "PUT", params, body: { launchMode: "Review" } });
    assert.equal(r.status, 403, "content must not change LMS.LaunchData");
    assert.equal(lrs.stateDocs().find((d) => d.stateId === LAUNCH_DATA && d.registration === launch.registration).json.launchMode, "Normal");

    assert.equal((await fetch(lrs.url + "/cmi5/fetch/unknown", { method: "POST" })).status, 404);
    const back = await fetch(lrs.returnURL);
    assert.equal(back.status, 200);
    assert.match(await back.text(), /Returned/);
  });

  test("a Tin Can launch query carries the LRS's endpoint and credentials", () => {
    const launch = lrs.tinCanLaunch({ activityId: "https://example.org/courses/tiny" });
    const q = new URLSearchParams(launch.query);
    assert.equal(q.get("endpoint"), lrs.endpoint);
    assert.equal(q.get("auth"), lrs.auth);
    assert.match(q.get("registration"), /^[0-9a-f-]{36}$/);
    assert.equal(q.get("activity_id"), "https://example.org/courses/tiny");
  });

  test("every request is recorded", async () => {
    const n = lrs.requests().length;
    await xapi("statements", { params: { limit: "1" } });
    const [rec] = lrs.requests().slice(n);
    assert.equal(rec.method, "GET");
    assert.equal(rec.path, "/xapi/statements");
    assert.equal(rec.query.limit, "1");
    assert.equal(rec.headers["x-experience-api-version"], "1.0.3");
    assert.equal(rec.status, 200);
  });
});

describe("LRS faults", () => {
  let lrs, xapi;
  before(async () => {
    lrs = await start({ faults: { fail: 1 } });
    xapi = client(lrs);
  });
  after(() => lrs?.stop());

  const post = () => xapi("statements", { method: "POST", body: statement() });

  test("faults given to start apply from the first request", async () => {
    assert.equal((await post()).status, 500);
    assert.equal((await post()).status, 200);
  });

  test("the next N requests fail, then the LRS recovers", async () => {
    lrs.setFault({ fail: 2, status: 503 });
    const s = statement();
    assert.equal((await xapi("statements", { method: "POST", body: s })).status, 503);
    assert.equal((await xapi("statements", { method: "POST", body: s })).status, 503);
    assert.equal((await xapi("statements", { method: "POST", body: s })).status, 200);
    assert.equal(lrs.statements().filter((x) => x.id === s.id).length, 1, "failed attempts store nothing");
    assert.equal(lrs.requests().filter((r) => r.fault === "fail").length, 3);
  });

  test("a fault can match some requests only; preflights never fail", async () => {
    lrs.setFault({ fail: 1, status: 500, match: "/activities/state" });
    const pre = await fetch(lrs.endpoint + "activities/state", { method: "OPTIONS", headers: { Origin: "http://x", "Access-Control-Request-Method": "PUT" } });
    assert.equal(pre.status, 204);
    assert.equal((await post()).status, 200, "statements are not matched");
    const params = { activityId: "https://x.org/a", agent: JSON.stringify(testActor()), stateId: "s" };
    assert.equal((await xapi("activities/state", { params })).status, 500);
    assert.equal((await xapi("activities/state", { params })).status, 404);
    lrs.clearFaults();
  });

  test("answers can be delayed", async () => {
    lrs.setFault({ delay: 300 });
    const t0 = Date.now();
    assert.equal((await post()).status, 200);
    assert.ok(Date.now() - t0 >= 280, `took ${Date.now() - t0} ms`);
    lrs.setFault({ delay: 0 });
    const t1 = Date.now();
    await post();
    assert.ok(Date.now() - t1 < 280);
  });

  test("the LRS can go down for a while and come back", async () => {
    lrs.setFault({ down: 400 });
    await assert.rejects(post(), TypeError, "the connection is dropped");
    await assert.rejects(fetch(lrs.endpoint + "statements", { method: "OPTIONS" }), TypeError, "preflights too");
    assert.ok(lrs.requests().some((r) => r.fault === "down"));
    await new Promise((r) => setTimeout(r, 450));
    assert.equal((await post()).status, 200);
  });

  test("waitFor resolves once the LRS has what the test waits for", async () => {
    const s = statement();
    const waiting = lrs.waitFor((l) => l.statements().some((x) => x.id === s.id), 2000);
    setTimeout(() => xapi("statements", { method: "POST", body: s }), 50);
    await waiting;
    await assert.rejects(lrs.waitFor(() => false, 100), /timed out/);
  });
});

// Content is served from another origin than the LRS, as in an LMS: the
// browser's CORS checks must let the xAPI calls through.
describe("LRS from a page in Chromium", { skip: skipUnless(chromiumPath()) }, () => {
  let lrs, server, browser, page, tmp;
  before(async () => {
    lrs = await start();
    tmp = await tempDir();
    const dir = tmp.dir;
    await writeFile(path.join(dir, "index.html"), "<!doctype html><title>content</title><p>content</p>");
    server = await startServer({ pkgDir: dir });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(server.origin + "/pkg/index.html");
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await lrs?.stop();
    await tmp?.remove();
  });

  /** call runs fetch in the page and returns what it saw. */
  const call = (url, init) =>
    page.evaluate(
      async ([url, init]) => {
        try {
          const r = await fetch(url, init);
          return { status: r.status, etag: r.headers.get("ETag"), version: r.headers.get("X-Experience-API-Version"), body: await r.text() };
        } catch (err) {
          return { error: String(err) };
        }
      },
      [url, init],
    );

  test("statements and state pass the preflight; ETag is readable", async () => {
    assert.notEqual(new URL(server.origin).port, new URL(lrs.url).port, "content and LRS are on different origins");
    const headers = { Authorization: lrs.auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" };
    const s = statement();
    let r = await call(lrs.endpoint + "statements", { method: "POST", headers, body: JSON.stringify(s) });
    assert.equal(r.status, 200, JSON.stringify(r));
    assert.equal(r.version, "1.0.3");
    const q = new URLSearchParams({ activityId: "https://example.org/courses/tiny", agent: JSON.stringify(testActor()), stateId: "bookmark" });
    r = await call(lrs.endpoint + "activities/state?" + q, { method: "PUT", headers, body: '{"page":2}' });
    assert.equal(r.status, 204, JSON.stringify(r));
    r = await call(lrs.endpoint + "activities/state?" + q, { headers });
    assert.equal(r.status, 200);
    assert.match(r.etag, /^"[0-9a-f]{40}"$/, "ETag is exposed to the page");
    r = await call(lrs.endpoint + "activities/state?" + q, { method: "PUT", headers: { ...headers, "If-Match": r.etag }, body: '{"page":3}' });
    assert.equal(r.status, 204);
    r = await call(lrs.endpoint + "statements", { method: "POST", headers, body: JSON.stringify(statement()), keepalive: true });
    assert.equal(r.status, 200, "a keepalive fetch passes too");
    assert.ok(lrs.requests().some((x) => x.preflight && x.headers.origin === server.origin));
    assert.ok(lrs.statements().some((x) => x.id === s.id));
  });

  test("a header the LRS does not allow fails the preflight", async () => {
    const r = await call(lrs.endpoint + "statements", { headers: { Authorization: lrs.auth, "X-Experience-API-Version": "1.0.3", "X-Custom": "1" } });
    assert.ok(r.error, JSON.stringify(r));
  });

  test("a page sees the LRS go down and come back", async () => {
    const headers = { Authorization: lrs.auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" };
    lrs.setFault({ down: 500 });
    let r = await call(lrs.endpoint + "statements", { method: "POST", headers, body: JSON.stringify(statement()) });
    assert.ok(r.error, JSON.stringify(r));
    await new Promise((res) => setTimeout(res, 550));
    r = await call(lrs.endpoint + "statements", { method: "POST", headers, body: JSON.stringify(statement()) });
    assert.equal(r.status, 200, JSON.stringify(r));
    lrs.setFault({ fail: 1 });
    r = await call(lrs.endpoint + "statements", { method: "POST", headers, body: JSON.stringify(statement()) });
    assert.equal(r.status, 500, "an injected failure reaches the page as a status, past the preflight");
  });
});
