"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const CP = require("../player/core.js");

const config = {
  modules: [
    { id: "purpose", completion: "pages", pages: ["welcome", "values", "you", "next"], questions: [] },
    { id: "change", completion: "pages-and-passed", pages: ["a", "b", "c", "d", "e"], questions: [{ id: "q1" }] },
    { id: "power", completion: "passed", pages: ["x"], questions: [] }
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

test("state round trip", () => {
  const s = CP.normalize(null, config);
  assert.deepEqual(s.m.purpose.seen, [false, false, false, false]);
  s.m.purpose.seen[0] = s.m.purpose.seen[3] = true;
  s.m.change.seen = [true, true, true, true, true];
  s.m.change.passed = true;
  s.loc = "purpose/you";
  const enc = CP.encode(s);
  assert.equal(enc, '{"v":1,"l":"purpose/you","m":{"purpose":{"n":4,"s":"9"},"change":{"n":5,"s":"f1","k":1},"power":{"n":1,"s":"0"}}}');
  assert.deepEqual(CP.normalize(CP.decode(enc), config), s);
});

test("decode rejects junk and other versions", () => {
  for (const bad of [undefined, null, "", "{", "[]", "null", '{"v":2,"m":{}}', '{"v":1}', '{"v":1,"m":"x"}']) {
    assert.equal(CP.decode(bad), null, String(bad));
  }
});

test("normalize fits a changed course", () => {
  const raw = CP.decode('{"v":1,"l":"gone/x","m":{"purpose":{"n":2,"s":"3"},"gone":{"n":1,"s":"1"},"change":{"n":5,"s":"zz"}}}');
  const s = CP.normalize(raw, config);
  assert.deepEqual(Object.keys(s.m), ["purpose", "change", "power"]);
  assert.deepEqual(s.m.purpose.seen, [true, true, false, false]);
  assert.deepEqual(s.m.change.seen, [false, false, false, false, false]);
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

test("completion rules", () => {
  const s = CP.normalize(null, config);
  const [purpose, change, power] = config.modules;
  assert.equal(CP.moduleComplete(purpose, s.m.purpose), false);
  s.m.purpose.seen.fill(true);
  assert.equal(CP.moduleComplete(purpose, s.m.purpose), true);
  s.m.change.seen.fill(true);
  assert.equal(CP.moduleComplete(change, s.m.change), false, "pages seen but not passed");
  s.m.change.passed = true;
  assert.equal(CP.moduleComplete(change, s.m.change), true);
  assert.equal(CP.moduleComplete(power, s.m.power), true, "nothing to pass");
  assert.equal(CP.status(config, s), "completed");
  s.m.change.passed = false;
  assert.equal(CP.status(config, s), "incomplete");
});

test("status never goes down", () => {
  const cases = [
    ["", "incomplete", "incomplete"],
    ["not attempted", "incomplete", "incomplete"],
    ["incomplete", "completed", "completed"],
    ["completed", "incomplete", "completed"],
    ["completed", "passed", "passed"],
    ["passed", "completed", "passed"],
    ["passed", "incomplete", "passed"],
    ["failed", "passed", "passed"],
    ["incomplete", "", "incomplete"]
  ];
  for (const [cur, next, want] of cases) assert.equal(CP.mergeStatus(cur, next), want, cur + " + " + next);
});
