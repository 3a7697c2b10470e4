"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const CP = require("../player/core.js");

const limits = { answer: 255, goals: 5, goal: 150, actions: 400, buddy: 80 };

const config = {
  limits,
  completion: "pages",
  modules: [
    { id: "purpose", completion: "pages", pages: ["welcome", "values", "you", "next"], questions: [], reflections: [{ id: "r1", max: 20 }] },
    { id: "change", completion: "pages-and-passed", mastery: 80, pages: ["a", "b", "c", "d", "e"], questions: [{ id: "q1", type: "single", correct: ["b"], options: 3 }], reflections: [] },
    { id: "power", completion: "passed", pages: ["x"], questions: [], reflections: [], plan: true }
  ]
};

test("timespan", () => {
  const cases = [
    [0, "00:00:00.00"],
    [-5, "00:00:00.00"],
    [NaN, "00:00:00.00"],
    [Infinity, "00:00:00.00"],
    [4, "00:00:00.00"],
    [5, "00:00:00.01"],
    [1234, "00:00:01.23"],
    [1235, "00:00:01.24"],
    [59994, "00:00:59.99"],
    [59995, "00:01:00.00"],
    [12 * 60000 + 5500, "00:12:05.50"],
    [3600000, "01:00:00.00"],
    [99 * 3600000 + 59 * 60000 + 59990, "99:59:59.99"],
    [100 * 3600000, "100:00:00.00"],
    [1234 * 3600000 + 61000, "1234:01:01.00"],
    [9999 * 3600000 + 59 * 60000 + 59990, "9999:59:59.99"],
    [10000 * 3600000, "9999:59:59.99"],
    [1e15, "9999:59:59.99"]
  ];
  for (const [ms, want] of cases) assert.equal(CP.timespan(ms), want, "timespan(" + ms + ")");
  for (const [ms] of cases) assert.match(CP.timespan(ms), /^\d{2,4}:\d\d:\d\d\.\d\d$/);
});

test("time of day is CMITime", () => {
  assert.equal(CP.timeOfDay(new Date(2024, 0, 2, 9, 5, 7, 999)), "09:05:07");
  assert.equal(CP.timeOfDay(new Date(2024, 0, 2, 23, 59, 59)), "23:59:59");
  assert.equal(CP.timeOfDay(new Date(2024, 0, 2, 0, 0, 0)), "00:00:00");
});

test("clean and clip learner text", () => {
  assert.equal(CP.clean("a\r\nb\rc\u0000\u0007d\te\u001f\u007f"), "a\nb\ncd\te");
  assert.equal(CP.clean("x\ud800y"), "x\ufffdy", "lone high surrogate");
  assert.equal(CP.clean("\udc00\udc00z"), "\ufffd\ufffdz", "lone low surrogates");
  assert.equal(CP.clean("ok \ud83d\ude00!"), "ok \ud83d\ude00!", "a pair stays");
  assert.equal(CP.clean("ab\ud83d\ude00", 3), "ab", "a cut never splits a pair");
  assert.equal(CP.clean(null), "");
  assert.equal(CP.clip("abcdef", 6), "abcdef");
  assert.equal(CP.clip("abcdefg", 6), "abcde\u2026");
  assert.equal(CP.clip("abcdefg", 0), "");
  /* The bound StateBudget relies on: at most two JSON characters a unit. */
  let all = "";
  for (let c = 0; c < 0x10000; c += 7) all += String.fromCharCode(c);
  all += '"\\\n\t';
  const s = CP.clean(all);
  assert.ok(JSON.stringify(s).length <= 2 * s.length + 2);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(s));
});

function filled() {
  const s = CP.normalize(null, config);
  s.m.purpose.seen[0] = s.m.purpose.seen[3] = true;
  s.m.purpose.r.r1 = { t: 'say "hi"\nnow', n: 2 };
  s.m.change.seen = [true, true, true, true, true];
  CP.check(config.modules[1].questions[0], s.m.change, "a");
  CP.check(config.modules[1].questions[0], s.m.change, "b");
  s.m.power.p = { b: "Sam", d: "2025-03-01", g: [{ t: "Listen", a: "Ask first", d: "" }] };
  s.loc = "purpose/you";
  return s;
}

test("state round trip (version 2)", () => {
  const s = filled();
  const enc = CP.encode(s);
  assert.equal(
    enc,
    '{"v":2,"l":"purpose/you","m":{"purpose":{"n":4,"s":"9","r":{"r1":["say \\"hi\\"\\nnow",2]}},' +
      '"change":{"n":5,"s":"f1","a":{"q1":["b",2]}},"power":{"n":1,"s":"0","p":{"b":"Sam","d":"2025-03-01","g":[["Listen","Ask first",""]]}}}}'
  );
  assert.deepEqual(CP.normalize(CP.decode(enc), config), s);
  assert.equal(s.m.change.a.q1.ok, true);
});

test("version 1 states migrate", () => {
  const v1 = '{"v":1,"l":"change/c","m":{"purpose":{"n":4,"s":"3"},"change":{"n":5,"s":"f1","k":1}}}';
  const s = CP.normalize(CP.decode(v1), config);
  assert.equal(s.loc, "change/c");
  assert.deepEqual(s.m.purpose.seen, [true, true, false, false]);
  assert.deepEqual(s.m.change.seen, [true, true, true, true, true]);
  assert.deepEqual(s.m.change.a, {}, "no answers in version 1");
  assert.deepEqual(s.m.power.p, { b: "", d: "", g: [] });
  assert.equal(JSON.parse(CP.encode(s)).v, 2);
});

test("decode rejects junk and other versions", () => {
  for (const bad of [undefined, null, "", "{", "[]", "null", '{"v":3,"m":{}}', '{"v":2}', '{"v":1,"m":"x"}', "zAAAA"]) {
    assert.equal(CP.decode(bad), null, String(bad));
  }
});

test("normalize fits a changed course and distrusts its input", () => {
  const raw = CP.decode(
    '{"v":2,"l":"gone/x","m":{"purpose":{"n":2,"s":"3","r":{"r1":["' + "x".repeat(30) + '",1],"gone":["y",1]}},' +
      '"gone":{"n":1,"s":"1"},"change":{"n":5,"s":"zz","a":{"q1":["b",5000],"q9":["a",1],"q2":[1,1]}},' +
      '"power":{"p":{"b":5,"d":"tomorrow","g":[["a","b","2025-01-01"],"junk",["c"]]}}}}'
  );
  const s = CP.normalize(raw, config);
  assert.deepEqual(Object.keys(s.m), ["purpose", "change", "power"]);
  assert.deepEqual(s.m.purpose.seen, [true, true, false, false]);
  assert.equal(s.m.purpose.r.r1.t, "x".repeat(20), "capped at the reflection's max");
  assert.deepEqual(Object.keys(s.m.purpose.r), ["r1"]);
  assert.deepEqual(s.m.change.seen, [false, false, false, false, false]);
  assert.deepEqual(s.m.change.a, { q1: { r: "b", n: 999, ok: true } });
  assert.deepEqual(s.m.power.p, { b: "", d: "", g: [{ t: "a", a: "b", d: "2025-01-01" }, { t: "c", a: "", d: "" }] });
  assert.equal(CP.findLocation(config, s.loc), null);
});

test("a long course fits cmi.suspend_data", () => {
  const big = { modules: [] };
  for (let i = 0; i < 40; i++) {
    big.modules.push({ id: "module-number-" + i, pages: Array.from({ length: 60 }, (_, j) => "p" + j) });
  }
  const s = CP.normalize(null, big);
  big.modules.forEach((m) => s.m[m.id].seen.fill(true));
  s.loc = CP.location(big, 39, 59);
  assert.ok(CP.encode(s).length <= 4096, CP.encode(s).length);
});

test("location", () => {
  assert.equal(CP.location(config, 0, 2), "purpose/you");
  assert.deepEqual(CP.findLocation(config, "purpose/you"), { mi: 0, pi: 2 });
  assert.deepEqual(CP.findLocation(config, "change/e"), { mi: 1, pi: 4 });
  assert.equal(CP.findLocation(config, "change/zz"), null);
  assert.equal(CP.findLocation(config, ""), null);
  assert.equal(CP.findLocation(config, "~9.0"), null);
  const one = { modules: [config.modules[0]] };
  assert.equal(CP.location(one, 0, 1), "values");
  assert.deepEqual(CP.findLocation(one, "values"), { mi: 0, pi: 1 });
  const long = { modules: [{ id: "m".repeat(200), pages: ["a", "p".repeat(100)] }, { id: "x", pages: ["y"] }] };
  assert.equal(CP.location(long, 0, 1), "~0.1");
  assert.deepEqual(CP.findLocation(long, "~0.1"), { mi: 0, pi: 1 });
});

test("answers: each type, text matching, attempts", () => {
  const single = { id: "s", type: "single", correct: ["b"] };
  const multi = { id: "m", type: "multiple", correct: ["c", "a"], attempts: 2 };
  const tf = { id: "t", type: "true-false", correct: ["f"], attempts: 1 };
  const text = { id: "x", type: "text", answers: ["Paris", "  Île-de-France "] };
  assert.equal(CP.response(multi, ["c", "a"]), "ac");
  assert.equal(CP.isCorrect(single, "b"), true);
  assert.equal(CP.isCorrect(single, "a"), false);
  assert.equal(CP.isCorrect(multi, "ac"), true);
  assert.equal(CP.isCorrect(multi, "a"), false);
  assert.equal(CP.isCorrect(multi, "abc"), false);
  assert.equal(CP.isCorrect(tf, "f"), true);
  assert.equal(CP.isCorrect(tf, "t"), false);
  assert.equal(CP.isCorrect(text, "  pARIS\t"), true);
  assert.equal(CP.isCorrect(text, "ÎLE-DE-FRANCE"), true);
  assert.equal(CP.isCorrect(text, "I\u0302le-de-France"), true, "NFC");
  assert.equal(CP.isCorrect(text, "Paris!"), false);
  assert.equal(CP.isCorrect(text, " "), false);
  assert.equal(CP.isCorrect({ type: "text" }, "x"), false);
  assert.equal(CP.isCorrect({ type: "single" }, ""), false);

  const ms = { a: {} };
  assert.equal(CP.check(multi, ms, ""), null, "nothing picked");
  assert.deepEqual(CP.check(multi, ms, "a"), { r: "a", n: 1, ok: false });
  assert.equal(CP.answerFinal(multi, ms.a.m), false);
  assert.deepEqual(CP.check(multi, ms, "ab"), { r: "ab", n: 2, ok: false });
  assert.equal(CP.answerFinal(multi, ms.a.m), true, "out of attempts");
  assert.equal(CP.check(multi, ms, "ac"), null, "locked");
  assert.deepEqual(CP.check(single, ms, "b"), { r: "b", n: 1, ok: true });
  assert.equal(CP.check(single, ms, "a"), null, "locked once right");
  assert.equal(CP.check(text, ms, "   "), null, "blank text");
  assert.equal(CP.check(text, ms, "Rome").ok, false);
  assert.equal(CP.answerFinal(text, ms.a.x), false, "unlimited");
  assert.equal(CP.check(text, ms, "paris").n, 2);
  assert.equal(CP.answerFinal(undefined, undefined), false);
});

test("module score", () => {
  const mod = {
    questions: [
      { id: "a", type: "single", correct: ["a"], attempts: 1 },
      { id: "b", type: "single", correct: ["a"], attempts: 1 },
      { id: "c", type: "single", correct: ["a"], attempts: 1 }
    ]
  };
  const ms = { a: {} };
  assert.deepEqual(CP.moduleScore(mod, ms), { total: 3, right: 0, final: false, score: null });
  CP.check(mod.questions[0], ms, "a");
  CP.check(mod.questions[1], ms, "a");
  assert.equal(CP.moduleScore(mod, ms).score, null, "not final yet");
  CP.check(mod.questions[2], ms, "b");
  assert.deepEqual(CP.moduleScore(mod, ms), { total: 3, right: 2, final: true, score: 67 });
  ms.a = {};
  mod.questions.forEach((q) => CP.check(q, ms, "b"));
  assert.equal(CP.moduleScore(mod, ms).score, 0, "a raw 0");
  assert.deepEqual(CP.moduleScore({ questions: [] }, ms), { total: 0, right: 0, final: true, score: null });
});

test("status rules", () => {
  const q = (attempts) => [{ id: "q1", type: "single", correct: ["a"], attempts }, { id: "q2", type: "single", correct: ["a"], attempts }];
  function run(mod, seen, answers) {
    const cfg = { modules: [Object.assign({ id: "m", pages: ["p1", "p2"] }, mod)] };
    const s = CP.normalize(null, cfg);
    s.m.m.seen = seen;
    answers.forEach((r, i) => r && CP.check(cfg.modules[0].questions[i], s.m.m, r));
    return CP.result(cfg, s);
  }
  const all = [true, true], some = [true, false];
  const cases = [
    // [module, seen, answers, status, score]
    [{ completion: "pages", questions: [] }, some, [], "incomplete", null],
    [{ completion: "pages", questions: [] }, all, [], "completed", null],
    [{ completion: "pages", mastery: 80, questions: q(1) }, all, [], "completed", null],
    [{ completion: "pages", mastery: 80, questions: q(1) }, some, ["b", "b"], "incomplete", 0],
    [{ completion: "passed", mastery: 80, questions: q(1) }, some, ["a"], "incomplete", null],
    [{ completion: "passed", mastery: 80, questions: q(1) }, some, ["a", "a"], "passed", 100],
    [{ completion: "passed", mastery: 80, questions: q(1) }, all, ["a", "b"], "failed", 50],
    [{ completion: "passed", mastery: 50, questions: q(1) }, some, ["a", "b"], "passed", 50],
    [{ completion: "passed", mastery: null, questions: q(1) }, some, ["a", "b"], "completed", 50],
    [{ completion: "passed", mastery: 80, questions: [] }, some, [], "completed", null],
    [{ completion: "passed", mastery: 80, questions: q(0) }, some, ["b", "b"], "incomplete", null],
    [{ completion: "pages-and-passed", mastery: 80, questions: q(1) }, some, ["a", "a"], "incomplete", 100],
    [{ completion: "pages-and-passed", mastery: 80, questions: q(1) }, all, ["a", "a"], "passed", 100],
    [{ completion: "pages-and-passed", mastery: 80, questions: q(1) }, all, ["a"], "incomplete", null],
    [{ completion: "pages-and-passed", mastery: 80, questions: q(1) }, some, ["a", "b"], "failed", 50],
    [{ completion: "pages-and-passed", questions: q(1) }, all, ["a", "b"], "completed", 50],
    [{ completion: "pages-and-passed", mastery: 80, questions: [] }, all, [], "completed", null],
    [{ completion: "pages-and-passed", mastery: 80, questions: [] }, some, [], "incomplete", null]
  ];
  cases.forEach(([mod, seen, answers, status, score], i) => {
    assert.deepEqual(run(mod, seen, answers), { status, score }, "case " + i + ": " + JSON.stringify([mod.completion, mod.mastery, seen, answers]));
  });
});

test("course mode: the course rule over the mean of module scores", () => {
  const cfg = {
    completion: "pages-and-passed",
    mastery: 70,
    modules: [
      { id: "a", completion: "pages", pages: ["p"], questions: [{ id: "a1", type: "single", correct: ["a"], attempts: 1 }] },
      { id: "b", completion: "pages", pages: ["p"], questions: [] },
      {
        id: "c", completion: "pages", pages: ["p"],
        questions: [1, 2, 3].map((n) => ({ id: "c" + n, type: "single", correct: ["a"], attempts: 1 }))
      }
    ]
  };
  const s = CP.normalize(null, cfg);
  Object.values(s.m).forEach((m) => m.seen.fill(true));
  assert.deepEqual(CP.result(cfg, s), { status: "incomplete", score: null });
  CP.check(cfg.modules[0].questions[0], s.m.a, "a"); // 100
  ["a", "b", "b"].forEach((r, i) => CP.check(cfg.modules[2].questions[i], s.m.c, r)); // 33.3
  assert.deepEqual(CP.result(cfg, s), { status: "failed", score: 67 }, "mean of 100 and 33.3");
  cfg.mastery = 60;
  assert.deepEqual(CP.result(cfg, s), { status: "passed", score: 67 });
  assert.equal(CP.status(cfg, s), "passed");
});

test("status never goes down", () => {
  const cases = [
    ["", "incomplete", "incomplete"],
    ["not attempted", "incomplete", "incomplete"],
    ["incomplete", "completed", "completed"],
    ["completed", "incomplete", "completed"],
    ["completed", "failed", "completed"],
    ["completed", "passed", "passed"],
    ["passed", "completed", "passed"],
    ["passed", "failed", "passed"],
    ["passed", "incomplete", "passed"],
    ["failed", "passed", "passed"],
    ["incomplete", "", "incomplete"]
  ];
  for (const [cur, next, want] of cases) assert.equal(CP.mergeStatus(cur, next), want, cur + " + " + next);
});

test("interaction ids", () => {
  assert.equal(CP.interactionId("m1-q1", 1), "m1-q1");
  assert.equal(CP.interactionId("m1-q1", 2), "m1-q1-2");
  assert.equal(CP.interactionId("m1-q1", 12), "m1-q1-12");
  assert.equal(CP.interactionId("a b.c/é", 1), "a_b_c__");
  assert.equal(CP.interactionId("", 1), "i");
  const long = CP.interactionId("q".repeat(300), 999);
  assert.equal(long.length, 255);
  assert.match(long, /^q+-999$/);
  for (const id of [CP.interactionId("x", 3), long]) assert.match(id, /^[A-Za-z0-9_-]{1,255}$/);
});

test("fit: the whole state when it fits, else the longest texts clipped", () => {
  const s = filled();
  const whole = CP.encode(s);
  assert.deepEqual(CP.fit(s, 4096), { data: whole, cut: [] });
  assert.deepEqual(CP.fit(s, whole.length), { data: whole, cut: [] });

  s.m.purpose.r.r1.t = "a".repeat(20);
  s.m.power.p.g[0].a = "b".repeat(300);
  const big = CP.encode(s);
  const limit = big.length - 100;
  const f = CP.fit(s, limit);
  assert.ok(f.data.length <= limit && f.data.length > limit - 10, "as large as fits: " + f.data.length);
  assert.deepEqual(f.cut, ["plan"], "only the longest text is cut");
  const back = CP.normalize(CP.decode(f.data), config);
  assert.equal(back.m.power.p.g[0].a.slice(-1), "\u2026");
  assert.equal(back.m.purpose.r.r1.t, "a".repeat(20), "short texts untouched");
  assert.equal(back.m.change.a.q1.ok, true, "answers kept");

  const g = CP.fit(s, CP.encode(s, 0).length + 5);
  assert.ok(g.data.length <= CP.encode(s, 0).length + 5);
  assert.deepEqual(g.cut.sort(), ["plan", "r1"]);
  assert.equal(CP.fit(s, 20), null, "nothing fits");
  assert.equal(s.m.power.p.g[0].a, "b".repeat(300), "the state itself is not changed");
});

test("pack and load round trip", async () => {
  const s = filled();
  s.m.purpose.r.r1.t = "Leading well means listening well. ".repeat(40);
  const plain = CP.encode(s);
  const z = await CP.pack(plain);
  assert.match(z, /^z[A-Za-z0-9+/]+=*$/);
  assert.ok(z.length < plain.length / 3, z.length + " vs " + plain.length);
  assert.equal(await CP.unpack(z), plain);
  assert.deepEqual(CP.normalize(await CP.load(z), config), CP.normalize(CP.decode(plain), config));
  assert.deepEqual(await CP.load(plain), CP.decode(plain));
  assert.equal(await CP.load("z!!!"), null);
  assert.equal(await CP.load(""), null);
  const uni = "Ça va? \ud83d\ude00 ".repeat(3);
  assert.equal(await CP.unpack(await CP.pack(uni)), uni);
});

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), map: m };
}

test("notes keep full text and restore what the runtime clipped", () => {
  const st = memoryStorage();
  assert.deepEqual(CP.readNotes(st, "k"), { v: 1, r: {}, p: {}, m: {} });
  assert.deepEqual(CP.readNotes(null, "k"), { v: 1, r: {}, p: {}, m: {} });
  st.setItem("bad", "{");
  assert.deepEqual(CP.readNotes(st, "bad"), { v: 1, r: {}, p: {}, m: {} });

  const s = filled();
  s.m.purpose.r.r1.t = "a".repeat(20);
  s.m.power.p.g[0].a = "b".repeat(300);
  st.setItem("k", JSON.stringify({ v: 1, r: { other: "from module 2" }, p: {} }));
  assert.equal(CP.writeNotes(st, "k", config, s), true);
  const notes = CP.readNotes(st, "k");
  assert.equal(notes.r.other, "from module 2", "other modules' text kept");
  assert.deepEqual(notes.m, { purpose: 1, change: 1, power: 1 }, "modules opened here");
  assert.equal(notes.r.r1, "a".repeat(20));
  assert.deepEqual(notes.p.power.g[0], ["Listen", "b".repeat(300), ""]);

  const clipped = CP.normalize(CP.decode(CP.fit(s, CP.encode(s).length - 200).data), config);
  assert.notEqual(clipped.m.power.p.g[0].a, "b".repeat(300));
  assert.equal(CP.mergeNotes(clipped, config, notes), 1);
  assert.deepEqual(clipped, CP.normalize(CP.decode(CP.encode(s)), config));

  /* Text changed elsewhere (not a clipped copy) wins over the notes. */
  const newer = CP.normalize(CP.decode(CP.encode(s)), config);
  newer.m.purpose.r.r1.t = "rewritten\u2026";
  newer.m.power.p.g[0].t = "Other goal";
  assert.equal(CP.mergeNotes(newer, config, notes), 0);
  assert.equal(newer.m.purpose.r.r1.t, "rewritten\u2026");

  /* A new attempt (nothing written yet) leaves the copy alone. */
  CP.writeNotes(st, "k", config, CP.normalize(null, config));
  assert.equal(CP.readNotes(st, "k").r.r1, "a".repeat(20));
  assert.deepEqual(CP.readNotes(st, "k").p.power.g[0], ["Listen", "b".repeat(300), ""]);
  const cleared = CP.normalize(CP.decode(CP.encode(s)), config);
  cleared.m.purpose.r.r1.t = "";
  CP.writeNotes(st, "k", config, cleared);
  assert.equal(CP.readNotes(st, "k").r.r1, "", "a reflection the learner cleared");

  const full = { setItem() { throw new Error("QuotaExceededError"); }, getItem: () => null };
  assert.equal(CP.writeNotes(full, "k", config, s), false, "never throws");
});

test("the action plan document escapes learner text", () => {
  const t = (k, v) => k + (v ? JSON.stringify(v) : "");
  const html = CP.planHTML(
    {
      course: "Lead <well>",
      date: "today",
      plan: { b: "Sam & Jo", d: "2025-01-31", g: [{ t: "<script>alert(1)</script>", a: "one\ntwo", d: "2025-02-01" }, { t: "", a: "", d: "" }] },
      groups: [{ title: "M1", items: [{ prompt: "Why?", text: 'I "think"', missing: false }, { prompt: "How?", text: "", missing: true }] }],
      fmt: (d) => "<" + d + ">"
    },
    t,
    "en-GB"
  );
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en-GB">/);
  assert.ok(!html.includes("<script>"), "no markup from the learner");
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("one<br>two"));
  assert.ok(html.includes("Sam &amp; Jo"));
  assert.ok(html.includes("I &quot;think&quot;"));
  assert.ok(html.includes("&lt;2025-02-01&gt;"));
  assert.ok(html.includes("plan.missing"));
  assert.equal((html.match(/<h3>plan.goal/g) || []).length, 1, "empty goals left out");
  assert.ok(!/https?:/.test(html), "self-contained");
  const empty = CP.planBody({ course: "C", plan: { b: "", d: "", g: [] }, groups: [] }, t);
  assert.ok(empty.includes("plan.no-goals") && !empty.includes("plan.reflections"));
});
