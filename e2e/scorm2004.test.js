// coursepack's SCORM 2004 4th Edition packages of the example course, run in
// the test LMS with scorm-again's Scorm2004API (window.API_1484_11) in
// headless Chromium. For the default layout (a SCO per module) and for
// --sco course: a learner who walks every page and answers every question
// right leaves each SCO completed and passed, score.scaled 1 (raw 100 of
// 0–100), progress_measure 1; one who leaves halfway suspends and comes back
// to the same page. In the default layout also: interactions in the 2004
// formats; the end screen's "Next module" and "Exit" buttons ask scorm-again
// (sequencing the manifest's organization) for continue and suspendAll;
// axe-core on every page of a module. On the fixture course (one try per
// question), wrong answers fail with the right scaled score. Every session
// must be clean: one Initialize and one Terminate with nothing after it,
// session_time (PT…S) set once just before Terminate, no Commit in the
// same go as Terminate, no failed call, no console error, no request to
// another host.
//
//   cd e2e && node --test scorm2004.test.js

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { exampleCourse, serveSCORM, tempDir } from "./lib/build.js";
import { launchBrowser, openRun, walk } from "./lib/browser.js";
import { answerQuestions, axeScenario, formatViolations, playerConfig, writeReflection } from "./lib/learner.js";
import {
  assertClean2004,
  assertInteractions2004,
  assertResult2004,
  endScreen,
  lastSet2004,
  passScenario2004,
  resumeScenario2004,
  setValues2004,
  toEnd,
} from "./lib/scorm2004.js";
import { e2eDir } from "./lib/server.js";
import { chromiumPath, skipUnless } from "./lib/tools.js";

const fixtureCourse = path.join(e2eDir, "fixtures", "activities-course");

/** pack builds course as SCORM 2004 with the layout, unzips it and serves
 * it; it returns the manifest, the server and sco(id), the SCO launched
 * from id.html. */
async function pack(tmp, course, layout, name) {
  const p = await serveSCORM(tmp, { course, layout, format: "scorm2004", name });
  assert.match(path.basename(p.zip), /^[a-z0-9]+(-[a-z0-9]+)*-scorm2004\.zip$/);
  return p;
}

/** sequencing is what the test LMS needs to let scorm-again sequence the
 * package (see lms/lms.js): the default organization's items as the
 * activity tree, with the manifest's choice and flow controls, and the
 * item to deliver. */
function sequencing(manifest, sco) {
  return {
    activityTree: {
      id: manifest.defaultOrganization,
      title: manifest.title,
      children: manifest.scos.map((s) => ({ id: s.item, title: s.title })),
    },
    controls: { choice: true, flow: true },
    target: sco.item,
  };
}

const seenOf = (run) => ({ requests: run.requests, consoleErrors: run.consoleErrors });

describe(`SCORM 2004 packages of ${path.basename(exampleCourse)}`, { skip: skipUnless(chromiumPath()) }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  for (const layout of ["module", "course"]) {
    describe(layout === "module" ? "default layout (a SCO per module)" : "--sco course", () => {
      let tmp, pkg;
      const steps = new Map();

      before(async () => {
        tmp = await tempDir();
        pkg = await pack(tmp, exampleCourse, layout, layout);
      });
      after(async () => {
        await pkg?.server.close();
        await tmp?.remove();
      });

      test("the manifest is SCORM 2004 4th Edition and lists the SCOs", () => {
        const m = pkg.manifest;
        assert.equal(m.version, "2004");
        assert.equal(m.schema, "ADL SCORM");
        assert.equal(m.schemaversion, "2004 4th Edition");
        assert.ok(m.scos.length > 0, "no SCO in the manifest");
        if (layout === "course") assert.equal(m.scos.length, 1, "--sco course makes one SCO");
        else assert.ok(m.scos.length > 1, "a SCO per module");
        for (const s of m.scos) {
          assert.deepEqual(s.sequencing, { tracked: true, completionSetByContent: true, objectiveSetByContent: true }, `${s.item}: deliveryControls`);
        }
      });

      test("a learner who walks every page and answers every question right completes and passes each SCO", async (t) => {
        const scos = pkg.manifest.scos;
        for (const [i, sco] of scos.entries()) {
          await t.test(sco.title || sco.launch, async () => {
            const r = await passScenario2004(browser, pkg.server, sco, { hasNext: i < scos.length - 1 });
            steps.set(sco, r.clicks);
          });
        }
      });

      test("a learner who leaves halfway suspends and comes back to the same page", async () => {
        // The module with every type of question, or the course's one SCO.
        const sco = layout === "module" ? pkg.sco("creativity-and-innovation") : pkg.manifest.scos[0];
        let total = steps.get(sco);
        if (total === undefined) {
          const run = await openRun(browser, pkg.server, sco);
          total = await walk(run.frame);
          await run.close();
        }
        assert.ok(total >= 2, "too few pages for a halfway");
        await resumeScenario2004(browser, pkg.server, sco, total);
      });

      if (layout !== "module") return;

      test("interactions are recorded in SCORM 2004 formats, each at the index cmi.interactions._count gives", async () => {
        // Module 2 has single, multiple, text and true-false questions with
        // unlimited tries: answer each wrong, then right (a second record
        // with its own id), and write a reflection.
        const sco = pkg.sco("creativity-and-innovation");
        const run = await openRun(browser, pkg.server, sco);
        let config;
        let reflected = null;
        const answered = [];
        try {
          await walk(run.frame, {
            onPage: async () => {
              config ??= await playerConfig(run.frame);
              answered.push(...(await answerQuestions(run.frame, { correct: false })));
              answered.push(...(await answerQuestions(run.frame, { correct: true })));
              if (!reflected && (await run.frame.locator(".cp-reflection textarea:visible").count())) {
                reflected = await run.frame.locator(".cp-reflection:visible").first().getAttribute("data-reflection");
                // What a 2004 learner_response cannot hold as it is: a
                // leading "{" (read as a {lang=} delimiter), the reserved
                // [,] and [.], a line break.
                await writeReflection(run.frame, reflected, "{draft} First line [,] and [.]\nsecond line, with “quotes”");
              }
            },
          });
        } catch (e) {
          await run.close({ waitForFinish: false });
          throw e;
        }
        const during = await run.lms();
        const summary = await run.close();
        assertClean2004(summary, seenOf(run), during.calls);

        const types = new Set(config.modules[0].questions.map((q) => q.type));
        assert.deepEqual([...types].sort(), ["multiple", "single", "text", "true-false"], "the module should have every type of question");
        assert.equal(answered.length, 2 * config.modules[0].questions.length, "questions answered");
        assert.ok(reflected, "no reflection on the way");

        const list = assertInteractions2004(summary.calls, during.calls, config);
        assert.equal(list.length, answered.length + 1, "one interaction per check and one for the reflection");
        // Each check, in order: the question's id (then id_2 for its second
        // record), its result and response.
        const checks = list.filter((it) => it.q);
        const times = new Map();
        const want = answered.map((a) => {
          const k = (times.get(a.id) ?? 0) + 1;
          times.set(a.id, k);
          const id = a.id.replace(/[^A-Za-z0-9_.]/g, "_");
          const type = { single: "choice", multiple: "choice", "true-false": "true-false", text: "fill-in" }[a.type];
          const response = type === "fill-in" ? a.response : type === "true-false" ? (a.response === "t" ? "true" : "false") : a.response.split("").join("[,]");
          return [k > 1 ? `${id}_${k}` : id, a.right ? "correct" : "incorrect", response];
        });
        assert.deepEqual(
          checks.map((it) => [it.id, it.result, it.learner_response]),
          want,
          "interaction ids, results and responses, in the order answered",
        );
        const types2004 = new Set(list.map((it) => it.type));
        assert.deepEqual([...types2004].sort(), ["choice", "fill-in", "long-fill-in", "true-false"], "interaction types");
        const multi = config.modules[0].questions.find((q) => q.type === "multiple");
        const multiIt = list.find((it) => it.id === `${multi.id.replace(/-/g, "_")}_2`);
        assert.equal(multiIt.learner_response, multi.correct.join("[,]"), "a multiple-choice response is ids joined by [,]");
        assert.equal(multiIt.correct[0], multi.correct.join("[,]"), "a multiple-choice pattern is ids joined by [,]");
        const reflection = list.find((it) => it.reflection);
        assert.equal(reflection.reflection, reflected);
        assert.equal(reflection.learner_response, " {draft} First line [ ,] and [ .] second line, with “quotes”", "a reflection's text, on one line, delimiters defused");

        // What scorm-again kept: the same interactions.
        const kept = Object.values(summary.cmi.interactions ?? {});
        assert.deepEqual(
          kept.map((x) => [x.id, x.type, x.learner_response, x.result, x.latency, x.timestamp, Object.values(x.correct_responses).map((c) => c.pattern)]),
          list.map((x) => [x.id, x.type, x.learner_response, x.result, x.latency ?? "", x.timestamp, x.correct]),
          "the interactions scorm-again kept",
        );
        assertResult2004(summary, { completion: "completed", success: "passed", scaled: "1", raw: "100", progress: "1" });
      });

      test('the end screen\'s "Next module" asks for continue and "Exit" for suspendAll, then Terminate', async (t) => {
        const scos = pkg.manifest.scos;
        const sco = scos[0];
        const nextItem = scos[1].item;

        /** leave shows sco's end screen (after the last page, not every
         * page seen), clicks the button, and returns what the LMS saw. */
        async function leave(button, opts) {
          const run = await openRun(browser, pkg.server, sco, undefined, opts);
          let end, after, lms, clicksAfter;
          try {
            await toEnd(run.frame);
            end = await endScreen(run.frame);
            assert.ok(end.next && end.exit, `"Next module" and "Exit" on the end screen: ${JSON.stringify(end)}`);
            await run.frame.locator(button).click();
            await run.page.waitForFunction(() => document.getElementById("lms-status")?.textContent === "finished", null, { timeout: 5000 });
            after = await endScreen(run.frame);
            lms = await run.lms();
            // Nothing more once the SCO has terminated: not on the buttons
            // (gone), not on leaving the page.
            clicksAfter = await run.frame.locator("#cp-continue:visible, #cp-exit:visible").count();
          } catch (e) {
            await run.close({ waitForFinish: false });
            throw e;
          }
          const summary = await run.close();
          const term = assertClean2004(summary, seenOf(run), lms.calls);
          const config = await readConfig(sco);
          assert.equal(after.text, config.t["end.exited"], "the end screen after leaving");
          assert.equal(clicksAfter, 0, "the buttons still show after Terminate");
          return { summary, term, lms };
        }

        /** navSet is the SCO's SetValue of adl.nav.request: one, just before
         * the session_time, in the same go as Terminate. */
        function navSet(summary, term) {
          const sets = setValues2004(summary.calls).filter((c) => c.args[0] === "adl.nav.request");
          assert.equal(sets.length, 1, `adl.nav.request set ${sets.length} times`);
          assert.equal(sets[0].tick, term.tick, "adl.nav.request not set in the same go as Terminate");
          return sets[0].args[1];
        }

        await t.test("with sequencing: Next module → continue, and scorm-again delivers the next module", async () => {
          const { summary, term } = await leave("#cp-continue", { sequencing: sequencing(pkg.manifest, sco) });
          assert.equal(navSet(summary, term), "continue");
          assert.equal(term.navRequest, "continue", "adl.nav.request as scorm-again held it at Terminate");
          const delivered = summary.nav.filter((e) => e.event === "onActivityDelivery").map((e) => e.data?.id);
          assert.deepEqual(delivered, [sco.item, nextItem], "the activities scorm-again delivered");
          assert.deepEqual(summary.nav.filter((e) => /Error/.test(e.event)), [], "sequencing errors");
          // The learner has not seen every page: the SCO suspends.
          assert.equal(summary.cmi.exit, "suspend", "cmi.exit");
        });

        await t.test("with sequencing: Exit → suspendAll, and scorm-again suspends the course", async () => {
          const { summary, term } = await leave("#cp-exit", { sequencing: sequencing(pkg.manifest, sco) });
          assert.equal(navSet(summary, term), "suspendAll");
          assert.equal(term.navRequest, "suspendAll", "adl.nav.request as scorm-again held it at Terminate");
          const ends = summary.nav.filter((e) => e.event === "onSequencingSessionEnd").map((e) => e.data);
          assert.deepEqual(ends, [{ reason: "suspend_all", navigationRequest: "suspendAll" }], "the end of scorm-again's sequencing session");
          const delivered = summary.nav.filter((e) => e.event === "onActivityDelivery").map((e) => e.data?.id);
          assert.deepEqual(delivered, [sco.item], "suspendAll delivered another activity");
          assert.deepEqual(summary.nav.filter((e) => /Error/.test(e.event)), [], "sequencing errors");
          assert.equal(summary.cmi.exit, "suspend", "cmi.exit");
        });

        await t.test("without sequencing: Next module → continue, which scorm-again turns into SequenceNext", async () => {
          const { summary, term } = await leave("#cp-continue");
          assert.equal(navSet(summary, term), "continue");
          assert.equal(term.navRequest, "continue", "adl.nav.request as scorm-again held it at Terminate");
          assert.deepEqual(summary.nav.map((e) => e.event), ["SequenceNext"], "scorm-again's navigation events");
        });
      });

      test("no page of a module has a WCAG 2.1 A or AA violation (axe-core)", async () => {
        const found = await axeScenario(browser, pkg.server, pkg.sco("leadership-and-purpose"));
        assert.equal(found.length, 0, `axe-core violations:\n${formatViolations(found)}`);
      });

      /** readConfig reads a SCO's #cp-config from its file. */
      async function readConfig(sco) {
        const html = await readFile(path.join(tmp.dir, `${layout}-pkg`, sco.href), "utf8");
        const m = /<script type="application\/json" id="cp-config">([\s\S]*?)<\/script>/.exec(html);
        return JSON.parse(m[1]);
      }
    });
  }

  describe("a learner who answers wrong fails (fixture: one try per question, pass mark 80%)", () => {
    let tmp, pkg;
    before(async () => {
      tmp = await tempDir();
      pkg = await pack(tmp, fixtureCourse, "module", "fixture");
    });
    after(async () => {
      await pkg?.server.close();
      await tmp?.remove();
    });

    const cases = [
      { name: "every answer wrong: failed, score.scaled 0", correct: false, scaled: "0", raw: "0" },
      { name: "three answers of four right: failed, score.scaled 0.75", correct: (q) => q.type !== "text", scaled: "0.75", raw: "75" },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const sco = pkg.sco("checks");
        assert.equal(sco.scaledPassingScore, "0.8", "the manifest's pass mark");
        const run = await openRun(browser, pkg.server, sco);
        let during;
        try {
          await walk(run.frame, { onPage: () => answerQuestions(run.frame, { correct: c.correct }) });
          const end = await endScreen(run.frame);
          assert.match(end.title, /./);
          during = await run.lms();
        } catch (e) {
          await run.close({ waitForFinish: false });
          throw e;
        }
        const summary = await run.close();
        assertClean2004(summary, seenOf(run), during.calls);
        // Every page seen: the failed learner has completed the module.
        assertResult2004(summary, { completion: "completed", success: "failed", scaled: c.scaled, raw: c.raw, progress: "1" });
        assert.equal(lastSet2004(summary.calls, "cmi.exit"), "normal", "a failed SCO ends its attempt");
      });
    }
  });
});
