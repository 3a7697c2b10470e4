/* coursepack player: the SCORM 1.2 dialect of the SCORM engine (cmi.js).
 * Never touches the DOM. */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./cmi.js") : root.CP;

  var MAX_COMMENTS = 4096;

  /* The SCORM 1.2 forms of an interaction (RTE 3.4.2.7): choice responses
   * are one-character ids joined by commas, true-false "t" or "f", fill-in
   * one line of at most 255 characters. */
  CP.scorm12 = {
    type: function (kind) {
      return kind === "choice" || kind === "true-false" ? kind : "fill-in";
    },
    response: function (kind, r) {
      if (kind === "choice") return r.split("").join(",");
      if (kind === "true-false") return r;
      return CP.clip(CP.oneLine(r), 255);
    },
    result: function (ok) {
      return ok === true ? "correct" : ok === false ? "wrong" : "neutral";
    }
  };

  /* comments keeps "[reflection ID] text" for each reflection in
   * cmi.comments, one line per reflection, replacing the line it wrote
   * before and clipping the text to the room left in the 4096 characters.
   * The LMS replaces cmi.comments on each write (scorm-again and Moodle
   * do), so the whole value is written each time. */
  function commenter() {
    var comments = null;
    return function (lms, ref, text) {
      if (comments === null) comments = lms.get("cmi.comments");
      if (comments === null) return; /* not supported */
      var mark = "[reflection " + ref + "] ";
      var lines = comments === "" ? [] : comments.split("\n").filter(function (l) {
        return l.indexOf(mark) !== 0;
      });
      var base = lines.join("\n");
      var room = MAX_COMMENTS - base.length - (base ? 1 : 0) - mark.length;
      var line = CP.oneLine(text).trim();
      if (line && room < 2) {
        lms.log.warn("coursepack: no room left in cmi.comments for reflection " + ref);
        return;
      }
      var value = line ? (base ? base + "\n" : "") + mark + CP.clip(line, room) : base;
      if (lms.set("cmi.comments", value)) comments = value;
    };
  }

  var dialect = {
    kind: "scorm12",
    api: "API",
    maxHops: 7,
    fn: { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", error: "LMSGetLastError", errorString: "LMSGetErrorString" },
    el: { entry: "cmi.core.entry", mode: "cmi.core.lesson_mode", location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", exit: "cmi.core.exit", sessionTime: "cmi.core.session_time", learner: "cmi.core.student_id" },
    maxSuspend: 4096,
    exitDone: "",
    scoreWithFinalStatus: true,
    duration: CP.timespan,
    type: CP.scorm12.type,
    interactionId: function (id) {
      return id;
    },
    readStatus: function (lms) {
      return lms.get("cmi.core.lesson_status") || "";
    },
    writeStatus: function (lms, status) {
      if (status) lms.set("cmi.core.lesson_status", status);
    },
    writeScore: function (lms, score) {
      lms.set("cmi.core.score.raw", String(score));
      lms.set("cmi.core.score.min", "0");
      lms.set("cmi.core.score.max", "100");
    },
    interaction: function (lms, p, it) {
      var kind = it.kind;
      (it.correct || []).forEach(function (c, j) {
        lms.put(p + "correct_responses." + j + ".pattern", CP.scorm12.response(kind, c));
      });
      lms.put(p + "student_response", CP.scorm12.response(kind, it.response));
      lms.put(p + "result", CP.scorm12.result(it.result));
      if (typeof it.latency === "number") lms.put(p + "latency", CP.timespan(it.latency));
      lms.put(p + "time", CP.timeOfDay(it.time || new Date(lms.now())));
    }
  };

  CP.runtimes.scorm12 = function (config, opts) {
    var comment = commenter();
    var d = Object.create(dialect);
    d.afterRecord = function (lms, it) {
      if (it.kind === "reflection") comment(lms, it.ref, it.response);
    };
    return CP.scormAdapter(d)(config, opts);
  };

  /* findAPI12 looks for the SCORM 1.2 API from win, then from win.opener. */
  CP.findAPI12 = function (win) {
    return CP.findAPI(win, "API", 7, "LMSInitialize");
  };

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
