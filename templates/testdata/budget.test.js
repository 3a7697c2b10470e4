"use strict";
/* Cross-checks the Go estimate of the worst-case state (templates.StateBudget,
 * written with each unit's player config to budget.json by
 * TestStateBudgetFixture) against the player's own encoder. */
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const CP = require("../player/core.js");

const units = JSON.parse(fs.readFileSync(path.join(__dirname, "budget.json"), "utf8"));

/* worstState fills every part of the state as far as the player allows,
 * with text made of the character JSON escapes ("), the worst case. */
function worstState(config) {
  const lim = config.limits;
  const bad = (n) => '"'.repeat(n);
  const state = CP.normalize(null, config);
  let loc = "";
  config.modules.forEach((mod, mi) => {
    const ms = state.m[mod.id];
    ms.seen.fill(true);
    mod.pages.forEach((_, pi) => {
      const l = CP.location(config, mi, pi);
      if (l.length > loc.length) loc = l;
    });
    for (const q of mod.questions) {
      let picked;
      if (q.type === "text") picked = bad(lim.answer + 50);
      else if (q.type === "multiple") picked = Array.from({ length: q.options }, (_, i) => String.fromCharCode(97 + i));
      else picked = [q.type === "true-false" ? "f" : "a"];
      for (let n = 0; n < (q.attempts || 2000); n++) {
        const old = ms.a[q.id];
        if (old) old.ok = false; /* keep checking past a right answer */
        CP.check(q, ms, CP.response(q, picked));
      }
    }
    for (const r of mod.reflections) ms.r[r.id] = { t: CP.clean(bad(r.max + 10), r.max), n: 999 };
    if (mod.plan) {
      ms.p = { b: CP.clean(bad(500), lim.buddy), d: "2099-12-31", g: [] };
      for (let i = 0; i < lim.goals; i++) {
        ms.p.g.push({ t: CP.clean(bad(999), lim.goal), a: CP.clean(bad(999), lim.actions), d: "2099-12-31" });
      }
    }
  });
  state.loc = loc;
  return state;
}

for (const u of units) {
  test("worst-case state of unit " + u.name + " is the Go estimate", () => {
    const state = worstState(u.config);
    const enc = CP.encode(state);
    assert.equal(enc.length, u.worst, "encoded length vs templates.StateBudget");
    /* It survives normalize (the limits are the player's). */
    assert.equal(CP.encode(CP.normalize(CP.decode(enc), u.config)), enc);
    /* Over the limit, the player saves a clipped copy that fits. */
    const fit = CP.fit(state, u.limit);
    assert.ok(fit && fit.data.length <= u.limit, "fit");
    if (u.worst > u.limit) assert.ok(fit.cut.length > 0);
  });
}

test("a realistic state is well under the estimate", () => {
  const u = units.find((x) => x.name === "course");
  const state = CP.normalize(null, u.config);
  state.m.checks.r["checks-r1"] = { t: "I would listen more.", n: 1 };
  assert.ok(CP.encode(state).length < u.worst / 10);
});
