"use strict";
/* Shared set-up for the xAPI and cmi5 adapter tests: a course config as
 * templates.go writes it for these runtimes, and a driver that calls an
 * adapter the way player.js and activities.js do. */
const CP = require("../player/core.js");

const IRI = "https://example.org/courses/leading-well";
const limits = { answer: 255, goals: 5, goal: 150, actions: 400, buddy: 80 };

/* courseConfig: one module (two pages, a choice question, a text question,
 * a reflection) passed by its pages and a score of 50, or with all: a
 * second module of one page and the course's rule. */
function courseConfig(runtime, all) {
  const purpose = {
    id: "purpose", title: "Purpose", completion: "pages-and-passed", mastery: 50,
    pages: ["welcome", "values"], titles: ["Welcome", "Values"], iri: IRI + "/purpose",
    questions: [
      { id: "q1", type: "single", correct: ["b"], options: 3, attempts: 1, iri: IRI + "/purpose/q1", text: "Which of these is a purpose?",
        choices: [{ id: "a", text: "To sell" }, { id: "b", text: "To help" }, { id: "c", text: "A logo" }] },
      { id: "q2", type: "text", answers: ["Listen", " ask "], attempts: 2, iri: IRI + "/purpose/q2", text: "Name the first step." }
    ],
    reflections: [{ id: "r1", max: 1000, iri: IRI + "/purpose/r1", text: "What is your team's purpose?" }]
  };
  const change = {
    id: "change", title: "Change", completion: "pages", mastery: null,
    pages: ["intro"], titles: ["Introduction"], iri: IRI + "/change", questions: [], reflections: []
  };
  return {
    v: 1, course: IRI, iri: IRI, title: "Leading well", lang: "en-GB", runtime,
    key: "coursepack:" + IRI + "#" + (all ? "purpose+change" : "purpose"), notes: "coursepack:" + IRI + "#:notes",
    completion: all ? "pages-and-passed" : "pages", mastery: all ? 50 : null, limits,
    modules: all ? [purpose, change] : [purpose], t: {}
  };
}

function kind(q) {
  return q.type === "text" ? "text" : q.type === "true-false" ? "true-false" : "choice";
}

/* driver plays the learner's part against adapter. */
function driver(adapter, config, clk) {
  let state = null, status = "";
  const d = {
    res: null,
    async start() {
      const res = await adapter.init();
      d.res = res;
      if (!res) return null;
      state = CP.normalize(res.state, config);
      status = res.status || "";
      return res;
    },
    get state() {
      return state;
    },
    get status() {
      return status;
    },
    save() {
      const r = CP.result(config, state);
      status = CP.mergeStatus(status, r.status);
      adapter.save(state, status, r.score);
    },
    show(mi, pi) {
      state.m[config.modules[mi].id].seen[pi] = true;
      state.loc = CP.location(config, mi, pi);
      d.save();
    },
    answer(mi, qid, picked) {
      const mod = config.modules[mi];
      const q = mod.questions.find((x) => x.id === qid);
      const r = CP.response(q, picked);
      const a = CP.check(q, state.m[mod.id], r);
      adapter.record({
        id: CP.interactionId(q.id, a.n), q: q.id, kind: kind(q), response: r,
        correct: q.type === "text" ? q.answers : [CP.response(q, q.correct || [])],
        result: a.ok, latency: 4250, time: new Date(clk.now())
      });
      d.save();
      return a;
    },
    reflect(mi, rid, text) {
      const ms = state.m[config.modules[mi].id];
      const cur = ms.r[rid];
      cur.t = text;
      cur.n++;
      adapter.record({ id: CP.interactionId(rid, cur.n), kind: "reflection", ref: rid, response: text, correct: [], result: null, time: new Date(clk.now()) });
      d.save();
    }
  };
  return d;
}

module.exports = { CP, IRI, courseConfig, driver };
