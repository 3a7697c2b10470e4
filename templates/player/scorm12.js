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

  /* commenter keeps a "[reflection ID] text" line per reflection in
   * cmi.comments, clipped to the room left in its 4096 characters. LMSs
   * differ in what a write does: most (scorm-again among them) replace
   * the value, while Moodle adds what is written to what it holds. The
   * first write into a value that is not empty tells them apart: writing
   * "" leaves an appending LMS's value as it was and empties a replacing
   * one's. A replacing LMS is then given the whole value each time, with
   * the reflection's earlier line replaced in place; an appending one is
   * given only a new line, when the reflection's text differs from its
   * last line, so nothing is repeated. */
  function commenter() {
    var held = null; /* what the LMS holds, as last read or written */
    var appends = null; /* whether a write appends; null until known */
    return function (lms, ref, text) {
      if (held === null) held = lms.get("cmi.comments");
      if (held === null) return; /* not supported */
      var mark = "[reflection " + ref + "] ";
      var line = CP.oneLine(text).trim();
      var lines = held === "" ? [] : held.split("\n");
      var others = lines.filter(function (l) {
        return l.indexOf(mark) !== 0;
      });
      if (appends === null && held !== "") {
        if (!lms.set("cmi.comments", "")) return;
        var now = lms.get("cmi.comments");
        appends = now === held;
        /* a replacing LMS now holds "": give it back what it held */
        if (!appends && !lms.set("cmi.comments", held)) held = "";
      }
      var base = appends ? held : others.join("\n");
      var room = MAX_COMMENTS - base.length - (base ? 1 : 0) - mark.length;
      if (line && room < 2) {
        lms.log.warn("coursepack: no room left in cmi.comments for reflection " + ref);
        return;
      }
      var own = line ? mark + CP.clip(line, room) : "";
      if (appends) {
        var mine = lines.filter(function (l) {
          return l.indexOf(mark) === 0;
        });
        var last = mine.length ? mine[mine.length - 1] : "";
        if (!line || last === mark + line || last === own) return;
        var add = (held ? "\n" : "") + own;
        if (lms.set("cmi.comments", add)) held += add;
        return;
      }
      var kept = [];
      var placed = false;
      lines.forEach(function (l) {
        if (l.indexOf(mark) !== 0) kept.push(l);
        else if (!placed) {
          placed = true;
          if (own) kept.push(own);
        }
      });
      if (!placed && own) kept.push(own);
      var value = kept.join("\n");
      if (value !== held && lms.set("cmi.comments", value)) held = value;
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
