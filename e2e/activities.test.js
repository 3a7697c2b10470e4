// Learner activities that the LMS records: knowledge checks, reflections and
// the action plan, in coursepack's SCORM 1.2 packages run in the test LMS
// (scorm-again) in headless Chromium. Each test asserts what scorm-again
// recorded (lesson_status, score, cmi.interactions, cmi.comments,
// suspend_data) or what the learner gets back (a relaunch, a download).
//
// Two packages, default layout: the fixture fixtures/activities-course (one
// try per question, so that a learner can fail; reflections of 6000
// characters; an action plan) and the example course (its module 6 holds
// the action plan that gathers the other modules' reflections).
//
//   cd e2e && node --test activities.test.js

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { exampleCourse, serveSCORM, tempDir } from "./lib/build.js";
import { launchBrowser, openRun, resumeData, walk } from "./lib/browser.js";
import {
  answerQuestions,
  assertCleanRun,
  assertInteractions,
  assertNoScore,
  assertScore,
  assertTracked,
  lastSet,
  learnerRun,
  playerConfig,
  setValues,
  showPage,
  writeReflection,
} from "./lib/learner.js";
import { e2eDir } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const fixtureCourse = path.join(e2eDir, "fixtures", "activities-course");

/** A built and served package: its manifest and SCO by module id. */
const serve = (tmp, course, name) => serveSCORM(tmp, { course, name });

/** seen is what openRun's watchers saw, for assertCleanRun. */
const seen = (run) => ({ requests: run.requests, consoleErrors: run.consoleErrors });

/**
 * session runs learner(frame) on an opened run, then closes the page and
 * checks that the run was clean. It returns every call the LMS page saw
 * (during: LMSGetValue included) and what the LMS recorded (summary).
 */
async function session(run, learner) {
  try {
    await learner(run.frame);
  } catch (e) {
    await run.close({ waitForFinish: false });
    throw e;
  }
  const during = await run.lms();
  const summary = await run.close();
  assertCleanRun(summary, seen(run));
  return { during, summary };
}

/** words makes n characters of text from random letters (with a fixed
 * seed): deflate can shrink it by no more than about a third, so it
 * cannot hide in a compressed suspend_data. */
function words(n, seed) {
  let x = seed >>> 0 || 1;
  const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèà0123456789";
  let out = "";
  while (out.length < n) {
    const len = 2 + Math.floor(rnd() * 8);
    for (let i = 0; i < len; i++) out += letters[Math.floor(rnd() * letters.length)];
    out += rnd() < 0.1 ? ".\n" : " ";
  }
  return out.slice(0, n);
}

/** decodeState reads the player's suspend_data, plain or "z" + base64
 * of deflate-raw. */
function decodeState(data) {
  const json = data.startsWith("z") ? inflateRawSync(Buffer.from(data.slice(1), "base64")).toString("utf8") : data;
  return JSON.parse(json);
}

describe("Learner activities that the LMS records", { skip: skipUnless(chromiumPath()) }, () => {
  let browser, tmp, fixture, example;
  before(async () => {
    tmp = await tempDir();
    browser = await launchBrowser();
    fixture = await serve(tmp, fixtureCourse, "fixture");
    example = await serve(tmp, exampleCourse, "example");
  });
  after(async () => {
    await browser?.close();
    await fixture?.server.close();
    await example?.server.close();
    await tmp?.remove();
  });

  /** finish walks the SCO to its end, answering as told, and closes it. */
  async function finish(pkg, id, correct) {
    const r = await learnerRun(browser, pkg.server, pkg.sco(id), {
      onPage: (frame) => answerQuestions(frame, { correct }),
    });
    assertCleanRun(r.summary, r.seen);
    return r.summary;
  }

  describe("knowledge checks", () => {
    const cases = [
      { name: "every answer right: passed, score 100", correct: true, status: "passed", raw: "100" },
      { name: "every answer wrong: failed, score 0", correct: false, status: "failed", raw: "0" },
      { name: "three answers of four right: failed under the pass mark of 80, score 75", correct: (q) => q.type !== "text", status: "failed", raw: "75" },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const summary = await finish(fixture, "checks", c.correct);
        assertTracked(summary, {}, { status: [c.status] });
        assert.equal(lastSet(summary.calls, "cmi.core.lesson_status"), c.status, "the SCO's last lesson_status");
        // Written as the LMS expects, "0" included (not "", "0.0" or left out).
        assertScore(summary, { raw: c.raw });
        // A finished SCO does not ask to be resumed.
        assert.equal(summary.cmi.core.exit, "", "cmi.core.exit of a finished SCO");
      });
    }

    test("a module without questions is completed, with no score", async () => {
      const summary = await finish(fixture, "plan", true);
      assertTracked(summary, {}, { status: ["completed"] });
      assertNoScore(summary);
    });
  });

  test("interactions are recorded in SCORM 1.2 formats, each at the index cmi.interactions._count gives", async () => {
    // Module 2 of the example has single, multiple, text and true-false
    // questions with unlimited tries: answer each wrong, then right (a
    // second record with its own id), and write a reflection.
    const sco = example.sco("creativity-and-innovation");
    const run = await openRun(browser, example.server, sco);
    let config;
    let reflected = false;
    const answered = [];
    const { during, summary } = await session(run, (frame) =>
      walk(frame, {
        onPage: async () => {
          config ??= await playerConfig(frame);
          answered.push(...(await answerQuestions(frame, { correct: false })));
          answered.push(...(await answerQuestions(frame, { correct: true })));
          if (!reflected && (await frame.locator(".cp-reflection textarea:visible").count())) {
            const id = await frame.locator(".cp-reflection:visible").first().getAttribute("data-reflection");
            await writeReflection(frame, id, "First line\nsecond line, with “quotes”");
            reflected = true;
          }
        },
      }),
    );
    const types = new Set(config.modules[0].questions.map((q) => q.type));
    assert.deepEqual([...types].sort(), ["multiple", "single", "text", "true-false"], "the module should have every type of question");
    assert.equal(answered.length, 2 * config.modules[0].questions.length, "questions answered");
    assert.ok(reflected, "no reflection on the way");

    const list = assertInteractions(summary.calls, during.calls, config);
    assert.equal(list.length, answered.length + 1, "one interaction per check and one for the reflection");
    // Each check, in order: the question's id (then id-2 for its second
    // record), and its result.
    const reflectionIds = new Set(config.modules[0].reflections.map((r) => r.id));
    const checks = list.filter((it) => !reflectionIds.has(it.id));
    const times = new Map();
    const want = answered.map((a) => {
      const k = (times.get(a.id) ?? 0) + 1;
      times.set(a.id, k);
      return [k > 1 ? `${a.id}-${k}` : a.id, a.right ? "correct" : "wrong", a.response];
    });
    assert.deepEqual(
      checks.map((it) => [it.id, it.result, it.type === "fill-in" ? it.student_response : it.student_response.replaceAll(",", "")]),
      want,
      "interaction ids, results and responses, in the order answered",
    );
    const byId = new Map(list.map((it) => [it.id, it]));
    const multi = config.modules[0].questions.find((q) => q.type === "multiple");
    assert.equal(byId.get(`${multi.id}-2`).student_response, multi.correct.join(","), "a multiple-choice response is ids joined by commas");
    const tf = config.modules[0].questions.find((q) => q.type === "true-false");
    assert.match(byId.get(tf.id).student_response, /^[tf]$/, "a true-false response");
    const reflection = list.find((it) => reflectionIds.has(it.id));
    assert.equal(reflection.student_response, "First line second line, with “quotes”", "a reflection is one line");

    // What scorm-again kept: the same interactions, and the final status.
    const kept = Object.values(summary.cmi.interactions ?? {});
    assert.deepEqual(
      kept.map((x) => [x.id, x.type, x.student_response, x.result, Object.values(x.correct_responses).map((c) => c.pattern)]),
      list.map((x) => [x.id, x.type, x.student_response, x.result, x.correct]),
      "the interactions scorm-again kept",
    );
    assertTracked(summary, {}, { status: ["passed"] });
    assertScore(summary, { raw: "100" });
  });

  test("reflections and the action plan survive leaving and relaunching", async () => {
    const sco = fixture.sco("plan");
    const note = "I learnt to listen first.\nThen to ask — and to wait.";
    const plan = { goal: "Run a listening session", actions: "Book the room.\nAsk three colleagues.", date: "2031-03-14", buddy: "Sam O'Neil", review: "2031-06-01" };
    const run = await openRun(browser, fixture.server, sco);
    const { during, summary: first } = await session(run, async (frame) => {
      await writeReflection(frame, "looking-back", note);
      await showPage(frame, "section.cp-action-plan[data-action-plan]");
      await fillPlan(frame, plan);
    });
    assert.equal(first.cmi.core.exit, "suspend", "leaving unfinished must ask for a resume");
    // The reflection reaches cmi.comments and a fill-in interaction.
    assert.equal(first.cmi.comments, "[reflection looking-back] I learnt to listen first. Then to ask — and to wait.", "cmi.comments");
    const it = assertInteractions(first.calls, during.calls, await configOf(fixture, "plan"));
    assert.deepEqual(
      it.map((x) => [x.id, x.type, x.student_response, x.result]),
      [["looking-back", "fill-in", "I learnt to listen first. Then to ask — and to wait.", "neutral"]],
      "the reflection's interaction",
    );
    assert.deepEqual(
      Object.values(first.cmi.interactions ?? {}).map((x) => [x.id, x.type, x.student_response, x.result]),
      [["looking-back", "fill-in", "I learnt to listen first. Then to ask — and to wait.", "neutral"]],
      "the interactions scorm-again kept",
    );

    // Relaunched in another browser: only the LMS's copy can bring it back.
    const again = await openRun(browser, fixture.server, sco, resumeData(first.cmi));
    await session(again, async (f) => {
      // Back on the plan page, where the learner left.
      await f.locator("section.cp-action-plan").waitFor({ state: "visible", timeout: 5000 });
      assert.deepEqual(await readPlan(f), plan, "the action plan after relaunch");
      // The plan page shows the reflection it gathers.
      assert.match(await f.locator(".cp-plan-gathered").innerText(), /I learnt to listen first\./);
      await f.getByRole("button", { name: "Previous" }).click();
      assert.equal(await f.locator('.cp-reflection[data-reflection="looking-back"] textarea:visible').inputValue(), note, "the reflection after relaunch");
    });
  });

  test("an LMS that appends to cmi.comments, as Moodle does, gets each reflection's line once, across sessions", async () => {
    const sco = fixture.sco("plan");
    const line = (text) => `[reflection looking-back] ${text}`;
    const run = await openRun(browser, fixture.server, sco, undefined, { appendComments: true });
    const { summary: first } = await session(run, async (frame) => {
      await writeReflection(frame, "looking-back", "First try");
      await writeReflection(frame, "looking-back", "Second try");
      await writeReflection(frame, "looking-back", "Second try ");
    });
    assert.equal(first.cmi.comments, [line("First try"), line("Second try")].join("\n"), "cmi.comments after the first session");

    // Relaunched elsewhere: the same text is not added again, a new one is.
    const preload = { ...resumeData(first.cmi), comments: first.cmi.comments };
    const again = await openRun(browser, fixture.server, sco, preload, { appendComments: true });
    const { summary: second } = await session(again, async (f) => {
      await writeReflection(f, "looking-back", "Second try");
      await writeReflection(f, "looking-back", "Third try");
    });
    assert.equal(second.cmi.comments, [line("First try"), line("Second try"), line("Third try")].join("\n"), "cmi.comments after the second session");
  });

  test("text far beyond 4096 characters: a warning, suspend_data within 4096, and the full text back in the same browser", async () => {
    const sco = fixture.sco("checks");
    const texts = { "long-one": words(6000, 1), "long-two": words(6000, 2) };
    const context = await browser.newContext();
    try {
      const run = await openRun(browser, fixture.server, sco, undefined, { context });
      const { summary: first } = await session(run, async (frame) => {
        const notice = frame.locator("#cp-store-notice");
        assert.ok(await notice.isHidden(), "the warning shows before anything is written");
        for (const [id, t] of Object.entries(texts)) {
          const box = await writeReflection(frame, id, t);
          assert.equal((await box.inputValue()).length, t.length, `${id} took only part of the text (maxlength?)`);
        }
        await notice.waitFor({ state: "visible", timeout: 5000 });
        assert.match(await notice.innerText(), /cannot store all you have written/i);
      });
      const stored = setValues(first.calls).filter((c) => c.args[0] === "cmi.suspend_data");
      assert.ok(stored.length > 0, "no suspend_data written");
      for (const c of stored) assert.ok(c.args[1].length <= 4096, `suspend_data of ${c.args[1].length} characters`);
      assert.ok(first.cmi.suspend_data.length <= 4096, "suspend_data as the LMS has it");
      assert.ok((first.cmi.comments ?? "").length <= 4096, "cmi.comments over 4096");
      // The LMS's copy is clipped, so the full text can only come from this
      // browser's.
      const kept = decodeState(first.cmi.suspend_data).m.checks.r;
      for (const [id, t] of Object.entries(texts)) {
        const short = kept[id]?.[0] ?? "";
        assert.ok(short.length < t.length && short.endsWith("…") && t.startsWith(short.slice(0, -1)), `${id} in suspend_data: ${short.length} characters`);
      }

      const again = await openRun(browser, fixture.server, sco, resumeData(first.cmi), { context });
      const { summary: second } = await session(again, async (frame) => {
        for (const [id, t] of Object.entries(texts)) {
          const value = await frame.locator(`.cp-reflection[data-reflection="${id}"] textarea:visible`).inputValue();
          assert.ok(value === t, `${id} after relaunch: ${value.length} characters of ${t.length}`);
        }
      });
      assert.ok(second.cmi.suspend_data.length <= 4096, "suspend_data after relaunch");
    } finally {
      await context.close();
    }
  });

  test("the downloaded action plan holds what the learner wrote", async () => {
    const sco = fixture.sco("plan");
    const note = "Listening <first> & asking second";
    const plan = { goal: "Start a \"book & brew\" club", actions: "Find a room", date: "2031-01-02", buddy: "Ana", review: "" };
    const run = await openRun(browser, fixture.server, sco);
    await session(run, async (frame) => {
      await writeReflection(frame, "looking-back", note);
      await showPage(frame, "section.cp-action-plan[data-action-plan]");
      await fillPlan(frame, plan);
      // The link is clicked in the SCO's frame, inside the LMS's page.
      const [download] = await Promise.all([
        run.page.waitForEvent("download", { timeout: 5000 }),
        frame.getByRole("button", { name: "Download your plan" }).click(),
      ]);
      assert.equal(download.suggestedFilename(), "action-plan.html");
      const html = await readFile(await download.path(), "utf8");
      assert.match(html, /^<!DOCTYPE html>/i);
      for (const want of ["Listening &lt;first&gt; &amp; asking second", "Start a &quot;book &amp; brew&quot; club", "Find a room", "Ana", "Activities under test"]) {
        assert.ok(html.includes(want), `the plan lacks ${JSON.stringify(want)}`);
      }
      assert.ok(!html.includes("<first>"), "learner text not escaped");
    });
  });

  test("a reflection written in module 1 shows on module 6's action plan in the same browser", async () => {
    const context = await browser.newContext();
    const text = "Mina at the issue desk, who listened before she answered.";
    try {
      const one = await openRun(browser, example.server, example.sco("leadership-and-purpose"), undefined, { context });
      await session(one, async (frame) => {
        await showPage(frame, '.cp-reflection[data-reflection="m1-r1"]');
        await writeReflection(frame, "m1-r1", text);
      });
      const six = await openRun(browser, example.server, example.sco("continuing-development"), undefined, { context });
      await session(six, async (frame) => {
        await showPage(frame, "section.cp-action-plan[data-action-plan]");
        const prompt = frame.locator(".cp-plan-prompt", { hasText: /^Think of someone who has shown you good leadership/ });
        const item = frame.locator(".cp-plan-item", { has: prompt });
        assert.equal(await item.count(), 1, "module 1's first reflection prompt on module 6's plan");
        const answer = item.locator(".cp-plan-answer");
        assert.equal(await answer.count(), 1, `no answer under module 1's prompt: ${await item.innerText()}`);
        assert.equal(await answer.innerText(), text, "module 1's reflection on module 6's plan");
      });
    } finally {
      await context.close();
    }
  });

  /** configOf reads a SCO's #cp-config from its file. */
  async function configOf(pkg, id) {
    const html = await readFile(path.join(tmp.dir, pkg === fixture ? "fixture-pkg" : "example-pkg", `${id}.html`), "utf8");
    const m = /<script type="application\/json" id="cp-config">([\s\S]*?)<\/script>/.exec(html);
    return JSON.parse(m[1]);
  }
});

/** The fields of the first goal of the action plan on the page shown. */
function planFields(frame) {
  const sec = frame.locator("section.cp-action-plan .cp-plan");
  return {
    goal: sec.locator(".cp-goal").first().locator("input[type=text]").first(),
    actions: sec.locator(".cp-goal").first().locator("textarea"),
    date: sec.locator(".cp-goal").first().locator("input[type=date]"),
    buddy: sec.locator('input[id$="-buddy"]'),
    review: sec.locator('input[id$="-review"]'),
  };
}

async function fillPlan(frame, plan) {
  const f = planFields(frame);
  for (const [k, v] of Object.entries(plan)) if (v) await f[k].fill(v);
  await f.review.blur();
}

async function readPlan(frame) {
  const f = planFields(frame);
  const out = {};
  for (const k of Object.keys(f)) out[k] = await f[k].inputValue();
  return out;
}
