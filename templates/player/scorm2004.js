/* coursepack player: the SCORM 2004 (4th Edition) dialect of the SCORM
 * engine (cmi.js). Never touches the DOM. */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./cmi.js") : root.CP;

  /* safe keeps a learner's text from splitting on the reserved [,] and [.]
   * delimiters of the 2004 response formats. */
  function safe(s) {
    return String(s).replace(/\[([,.])\]/g, "[ $1]");
  }

  /* line makes a learner's text one line that LMSs take as a 2004
   * characterstring: scorm-again and Moodle match learner_response with
   * ".", which stops at a line break (406 otherwise), and read a leading
   * "{" as the start of a {lang=...} delimiter. */
  function line(s) {
    return CP.oneLine(s).replace(/[\r\n\u2028\u2029]+/g, " ").replace(/^\{/, " {");
  }

  /* The SCORM 2004 forms of an interaction (RTE 4.2.9): choice ids joined
   * by [,], true-false "true" or "false", fill-in at most 250 characters,
   * a reflection as long-fill-in of at most 4000, both on one line. */
  CP.scorm2004 = {
    type: function (kind) {
      if (kind === "choice" || kind === "true-false") return kind;
      return kind === "reflection" ? "long-fill-in" : "fill-in";
    },
    response: function (kind, r) {
      if (kind === "choice") return r.split("").join("[,]");
      if (kind === "true-false") return r === "t" ? "true" : "false";
      return CP.clip(safe(line(r)), kind === "reflection" ? 4000 : 250);
    },
    result: function (ok) {
      return ok === true ? "correct" : ok === false ? "incorrect" : "neutral";
    },
    /* id keeps to [A-Za-z0-9_.], which strict LMSs require. */
    id: function (id) {
      return String(id).replace(/[^A-Za-z0-9_.]/g, "_");
    }
  };

  var dialect = {
    kind: "scorm2004",
    api: "API_1484_11",
    maxHops: 500,
    fn: { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit", error: "GetLastError", errorString: "GetErrorString" },
    el: { entry: "cmi.entry", mode: "cmi.mode", location: "cmi.location", suspend: "cmi.suspend_data", exit: "cmi.exit", sessionTime: "cmi.session_time", learner: "cmi.learner_id" },
    maxSuspend: 64000,
    exitDone: "normal",
    duration: CP.duration,
    type: CP.scorm2004.type,
    interactionId: CP.scorm2004.id,
    /* Exit suspends the whole course rather than ending its attempt
     * (exitAll), so the learner's place and answers in every module stay. */
    navRequest: { "continue": "continue", exit: "suspendAll" },

    /* readStatus folds the two 2004 statuses into the player's one. */
    readStatus: function (lms) {
      var success = lms.get("cmi.success_status");
      if (success === "passed" || success === "failed") return success;
      var completion = lms.get("cmi.completion_status") || "";
      return completion === "completed" || completion === "incomplete" ? completion : "";
    },
    /* writeStatus sets success_status for a pass or fail and
     * completion_status from the status and the pages seen: a learner who
     * failed the check has still completed the pages they saw only when
     * they saw them all. */
    writeStatus: function (lms, status, state) {
      if (status === "passed" || status === "failed") lms.set("cmi.success_status", status);
      var completed = status === "completed" || status === "passed" || (status === "failed" && state && CP.progress(state) === 1);
      lms.set("cmi.completion_status", completed ? "completed" : "incomplete");
    },
    writeProgress: function (lms, state) {
      lms.set("cmi.progress_measure", String(Math.round(CP.progress(state) * 10000) / 10000));
    },
    writeScore: function (lms, score) {
      lms.set("cmi.score.scaled", String(score / 100));
      lms.set("cmi.score.raw", String(score));
      lms.set("cmi.score.min", "0");
      lms.set("cmi.score.max", "100");
    },
    interaction: function (lms, p, it) {
      var kind = it.kind;
      lms.put(p + "timestamp", CP.timestamp(it.time || new Date(lms.now())));
      (it.correct || []).forEach(function (c, j) {
        lms.put(p + "correct_responses." + j + ".pattern", CP.scorm2004.response(kind, c));
      });
      lms.put(p + "learner_response", CP.scorm2004.response(kind, it.response));
      lms.put(p + "result", CP.scorm2004.result(it.result));
      if (typeof it.latency === "number") lms.put(p + "latency", CP.duration(it.latency));
    }
  };

  CP.runtimes.scorm2004 = CP.scormAdapter(dialect);

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
