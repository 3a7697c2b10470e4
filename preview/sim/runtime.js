/* coursepack preview: the simulator's LMS run-time for SCORM 1.2 (the API
 * object's LMSInitialize ... LMSGetDiagnostic) and SCORM 2004 4th Edition
 * (API_1484_11's Initialize ... GetDiagnostic). It never touches the DOM or
 * storage: sim.js gives it the learner's record and saves what it hands
 * back.
 *
 * SIM.session(opts) makes one launch of one SCO:
 *   opts.version   "1.2" or "2004"
 *   opts.strict()  true to behave as Moodle does (see README.md, "preview");
 *                  asked on every call, so the switch acts at once
 *   opts.unit      what the manifest says of the SCO: masteryScore,
 *                  scaledPassingScore, completionThreshold, launchData,
 *                  maxTimeAllowed, timeLimitAction
 *   opts.record    what the LMS kept of earlier sessions, or null:
 *                  {launches, data: {element: value}, exit}
 *   opts.nav       {continue: bool, previous: bool, targets: [item ids]}
 *                  for adl.nav.request_valid
 *   opts.learner   {id, name}
 *   opts.onCall(entry)   hears each API call: {fn, args, result, error,
 *                  errorText, diagnostic, note, quiet, time}
 *   opts.onEvent(ev)     hears what the LMS does: {type: "initialized" |
 *                  "committed" | "finished" | "abandoned", text, nav}
 *   opts.save(record)    keeps the record (on commit and finish)
 *   opts.now()     the time in ms
 * and returns {api, version, state(), live(), committed(), record(), end()}.
 *
 * Strict mode models Moodle's mod/scorm/datamodels/scorm_12.js and
 * scorm_13.js: their formats for every element, CMIString4096 for 1.2's
 * suspend_data, two fractional digits at most in 2004 times and
 * durations, and on LMSFinish the 1.2 status rules (not attempted becomes
 * completed; with a mastery score, passed or failed from score.raw).
 * Lenient mode takes any value of the right kind (any number, any ISO 8601
 * time or duration, vocabulary in any case, text up to 64,000 characters)
 * and leaves the status as the SCO set it; both refuse what every LMS
 * does: writing a read-only element, reading a write-only one, a value
 * outside the vocabulary or range, and calls before initialising or after
 * finishing. */
(function (root) {
  "use strict";

  var SIM = {};

  /* ---- error codes ---- */

  SIM.errors = {
    "1.2": {
      "0": "No error",
      "101": "General exception",
      "201": "Invalid argument error",
      "202": "Element cannot have children",
      "203": "Element not an array - cannot have count",
      "301": "Not initialized",
      "401": "Not implemented error",
      "402": "Invalid set value, element is a keyword",
      "403": "Element is read only",
      "404": "Element is write only",
      "405": "Incorrect data type"
    },
    "2004": {
      "0": "No Error",
      "101": "General Exception",
      "102": "General Initialization Failure",
      "103": "Already Initialized",
      "104": "Content Instance Terminated",
      "111": "General Termination Failure",
      "112": "Termination Before Initialization",
      "113": "Termination After Termination",
      "122": "Retrieve Data Before Initialization",
      "123": "Retrieve Data After Termination",
      "132": "Store Data Before Initialization",
      "133": "Store Data After Termination",
      "142": "Commit Before Initialization",
      "143": "Commit After Termination",
      "201": "General Argument Error",
      "301": "General Get Failure",
      "351": "General Set Failure",
      "391": "General Commit Failure",
      "401": "Undefined Data Model Element",
      "402": "Unimplemented Data Model Element",
      "403": "Data Model Element Value Not Initialized",
      "404": "Data Model Element Is Read Only",
      "405": "Data Model Element Is Write Only",
      "406": "Data Model Element Type Mismatch",
      "407": "Data Model Element Value Out Of Range",
      "408": "Data Model Dependency Not Established"
    }
  };

  /* ---- value checks ----
   * A check is function (value, strict) returning null when the value is
   * acceptable, else {kind: "type" | "range", why}. */

  function bad(why) {
    return { kind: "type", why: why };
  }
  function outOfRange(why) {
    return { kind: "range", why: why };
  }
  function re(pattern, name) {
    return function (v) {
      return pattern.test(v) ? null : bad("not a " + name);
    };
  }
  function either(strictCheck, lenientCheck) {
    return function (v, strict) {
      return strict ? strictCheck(v, true) : lenientCheck(v, false);
    };
  }

  var LENIENT_MAX = 64000;

  /* text: at most max characters (strict) or LENIENT_MAX. */
  function text(max, name) {
    return function (v, strict) {
      var limit = strict ? max : Math.max(max, LENIENT_MAX);
      if (v.length <= limit) return null;
      return bad(v.length + " characters, over the " + limit + " of " + (strict ? name : "any LMS's " + name));
    };
  }

  /* vocab: one of words; lenient mode ignores case (and normalize
   * lower-cases what it stores). */
  function vocab(words) {
    var check = function (v, strict) {
      if (words.indexOf(v) >= 0) return null;
      if (!strict && words.indexOf(v.toLowerCase()) >= 0) return null;
      return bad(JSON.stringify(v) + " is not one of " + words.map(function (w) { return JSON.stringify(w); }).join(", "));
    };
    check.normalize = function (v) {
      return words.indexOf(v) >= 0 ? v : v.toLowerCase();
    };
    return check;
  }

  function isNumber(v) {
    return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) && isFinite(Number(v));
  }
  function lenientNumber(v) {
    return isNumber(v) ? null : bad("not a number");
  }
  /* range: check, then lo <= value <= hi (null: no bound); with
   * strictOnly, lenient mode skips the bounds (Moodle's own, not the
   * specification's). */
  function range(check, lo, hi, strictOnly) {
    return function (v, strict) {
      var r = check(v, strict);
      if (r || v === "" || (strictOnly && !strict)) return r;
      var n = Number(v);
      if ((lo !== null && n < lo) || (hi !== null && n > hi)) {
        return outOfRange(v + " is outside " + (lo === null ? "" : lo) + ".." + (hi === null ? "" : hi));
      }
      return null;
    };
  }

  /* SCORM 1.2 types, strict as Moodle's scorm_12.js. */
  var T12 = {
    string255: text(255, "CMIString255"),
    string4096: text(4096, "CMIString4096"),
    /* CMIDecimal or CMIBlank */
    decimal: either(re(/^-?\d{0,3}(\.\d*)?$/, "CMIDecimal (at most 3 integer digits)"), function (v) {
      return v === "" ? null : lenientNumber(v);
    }),
    sinteger: either(re(/^-?\d+$/, "CMISInteger"), function (v) {
      return /^\s*[-+]?\d+\s*$/.test(v) ? null : bad("not an integer");
    }),
    identifier: either(re(/^[\u0021-\u007E]{0,255}$/, "CMIIdentifier (printable ASCII, no spaces, at most 255)"), function (v) {
      return v.length > 0 && v.length <= 4000 ? null : bad("empty or over 4000 characters");
    }),
    timespan: either(re(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/, "CMITimespan (HHHH:MM:SS.SS)"), function (v) {
      return /^\d+:\d{1,2}:\d{1,2}(\.\d+)?$/.test(v) || duration2004(v) !== null ? null : bad("not a time span");
    }),
    time: either(re(/^([0-2]\d):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/, "CMITime (HH:MM:SS.SS)"), function (v) {
      return /^\d{1,2}:\d{1,2}(:\d{1,2}(\.\d+)?)?$/.test(v) || !isNaN(Date.parse(v)) ? null : bad("not a time");
    }),
    feedback: text(255, "CMIFeedback"),
    result: function (v, strict) {
      var words = ["correct", "wrong", "unanticipated", "neutral"];
      if (words.indexOf(v) >= 0 || (!strict && words.indexOf(v.toLowerCase()) >= 0)) return null;
      if (strict ? /^\d{0,3}(\.\d*)?$/.test(v) && v !== "" : isNumber(v)) return null;
      return bad(JSON.stringify(v) + " is not correct, wrong, unanticipated, neutral or a decimal");
    }
  };
  T12.score = range(T12.decimal, 0, 100, true);

  /* SCORM 2004 types, strict as Moodle's scorm_13.js. */
  var TIME2004 = /^(19[7-9]\d|20[0-2]\d|203[0-8])((-(0[1-9]|1[0-2]))((-(0[1-9]|[12]\d|3[01]))(T([01]\d|2[0-3])((:[0-5]\d)((:[0-5]\d)((\.\d{1,2})((Z|([+-]([01]\d|2[0-3])))(:[0-5]\d)?)?)?)?)?)?)?)?$/;
  var DURATION2004 = /^P(\d+Y)?(\d+M)?(\d+D)?(T(((\d+H)(\d+M)?(\d+(\.\d{1,2})?S)?)|((\d+M)(\d+(\.\d{1,2})?S)?)|((\d+(\.\d{1,2})?S))))?$/;
  var LONG_ID = /^(?:(?!urn:)\S{1,4000}|urn:[A-Za-z0-9-]{1,31}:\S{1,4000})$/;
  var SHORT_ID = /^[\w.]{1,250}$/;
  var LANG = /^([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9-]{2,8})?$|^$/;

  /* duration2004 parses any ISO 8601 duration into seconds, or null. */
  function duration2004(v) {
    var m = /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?!$)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(v);
    if (!m) return null;
    var f = function (i) {
      return m[i] ? Number(m[i]) : 0;
    };
    return f(1) * 31536000 + f(2) * 2592000 + f(3) * 604800 + f(4) * 86400 + f(5) * 3600 + f(6) * 60 + f(7);
  }
  SIM.duration2004 = duration2004;

  /* langString: an optional {lang=xx} then at most max characters. */
  function langString(max) {
    return function (v, strict) {
      var m = /^\{lang=([^}]*)\}/.exec(v);
      var rest = v;
      if (m) {
        if (strict && !LANG.test(m[1])) return bad("{lang=" + m[1] + "} is not a language code");
        rest = v.slice(m[0].length);
      } else if (strict && rest.charAt(0) === "{") {
        return bad("text that starts with { must start with {lang=...}");
      }
      var limit = strict ? max : Math.max(max, LENIENT_MAX);
      return rest.length <= limit ? null : bad(rest.length + " characters, over the " + limit + " of a localized string");
    };
  }

  var T2004 = {
    real: either(re(/^-?\d{1,5}(\.\d{1,18})?$/, "real number as Moodle reads it (at most 5 integer digits)"), lenientNumber),
    integer: either(re(/^-?\d+$/, "integer"), lenientNumber),
    time: either(re(TIME2004, "time (ISO 8601, at most 2 fractional digits of a second)"), function (v) {
      return /^\d{4}/.test(v) && !isNaN(Date.parse(v)) ? null : bad("not an ISO 8601 time");
    }),
    duration: either(re(DURATION2004, "timeinterval (ISO 8601 duration, at most 2 decimals on seconds)"), function (v) {
      return duration2004(v) !== null ? null : bad("not an ISO 8601 duration");
    }),
    longId: either(re(LONG_ID, "long_identifier_type (no whitespace)"), function (v) {
      return v.length > 0 && v.length <= 4000 ? null : bad("empty or over 4000 characters");
    }),
    string250: text(250, "characterstring(SPM: 250)"),
    string1000: text(1000, "characterstring(SPM: 1000)"),
    string4000: text(4000, "characterstring(SPM: 4000)"),
    string64000: text(64000, "characterstring(SPM: 64000)"),
    lang250: langString(250),
    lang4000: langString(4000),
    lang: either(re(LANG, "language code"), function () {
      return null;
    }),
    nav: either(re(/^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_)$|^\{target=\S{0,200}[a-zA-Z0-9]\}(choice|jump)$/, "navigation request"), function (v) {
      return /^(continue|previous|exit|exitall|abandon|abandonall|suspendall|_none_)$|^\{target=\S+\}(choice|jump)$/i.test(v) ? null : bad("not a navigation request");
    }),
    result: function (v, strict) {
      var words = ["correct", "incorrect", "unanticipated", "neutral"];
      if (words.indexOf(v) >= 0 || (!strict && words.indexOf(v.toLowerCase()) >= 0)) return null;
      if (strict ? /^-?\d{1,4}(\.\d{1,18})?$/.test(v) : isNumber(v)) return null;
      return bad(JSON.stringify(v) + " is not correct, incorrect, unanticipated, neutral or a real number");
    }
  };

  /* Interaction responses of SCORM 2004 (RTE 4.2.9), checked in strict
   * mode by the interaction's type, as Moodle's scorm_13.js does. */
  function split(v, delim) {
    return v === "" ? [] : v.split(delim);
  }
  function shortIds(list, max, unique, what) {
    if (list.length > max) return bad("more than " + max + " " + what);
    var seen = {};
    for (var i = 0; i < list.length; i++) {
      if (!SHORT_ID.test(list[i])) return bad(JSON.stringify(list[i]) + " is not a short_identifier_type ([A-Za-z0-9_.])");
      if (unique && seen[list[i]]) return bad(JSON.stringify(list[i]) + " twice");
      seen[list[i]] = true;
    }
    return null;
  }
  function stripPrefixes(v, names) {
    var m;
    while ((m = /^\{(\w+)=([^}]*)\}/.exec(v)) && names.indexOf(m[1]) >= 0) {
      if ((m[1] === "case_matters" || m[1] === "order_matters") && m[2] !== "true" && m[2] !== "false") return null;
      v = v.slice(m[0].length);
    }
    return v;
  }
  function response2004(type, v, pattern) {
    var parts, i, r;
    switch (type) {
      case "true-false":
        return v === "true" || v === "false" ? null : bad("a true-false response is true or false");
      case "choice":
        return shortIds(split(v, "[,]"), 36, true, "choices");
      case "sequencing":
        return shortIds(split(v, "[,]"), 36, false, "steps");
      case "likert":
        return SHORT_ID.test(v) ? null : bad("a likert response is one short_identifier_type");
      case "fill-in":
        if (pattern) {
          v = stripPrefixes(v, ["case_matters", "order_matters"]);
          if (v === null) return bad("a bad {case_matters} or {order_matters}");
        }
        parts = split(v, "[,]");
        if (parts.length > 10) return bad("more than 10 strings");
        for (i = 0; i < parts.length; i++) if ((r = langString(250)(parts[i], true))) return r;
        return null;
      case "long-fill-in":
        if (pattern) {
          v = stripPrefixes(v, ["case_matters"]);
          if (v === null) return bad("a bad {case_matters}");
        }
        return langString(4000)(v, true);
      case "matching":
        parts = split(v, "[,]");
        if (parts.length > 36) return bad("more than 36 pairs");
        for (i = 0; i < parts.length; i++) {
          var pair = parts[i].split("[.]");
          if (pair.length !== 2 || !SHORT_ID.test(pair[0]) || !SHORT_ID.test(pair[1])) return bad(JSON.stringify(parts[i]) + " is not source[.]target");
        }
        return null;
      case "performance":
        if (pattern) {
          v = stripPrefixes(v, ["order_matters"]);
          if (v === null) return bad("a bad {order_matters}");
        }
        parts = split(v, "[,]");
        if (parts.length > 250) return bad("more than 250 steps");
        for (i = 0; i < parts.length; i++) {
          var step = parts[i].split("[.]");
          if (step.length !== 2 || (step[0] !== "" && !SHORT_ID.test(step[0])) || (step[1] !== "" && !SHORT_ID.test(step[1]) && !/^-?\d{1,5}(\.\d{1,18})?$/.test(step[1]))) {
            return bad(JSON.stringify(parts[i]) + " is not step[.]answer");
          }
        }
        return null;
      case "numeric":
        if (pattern) {
          var ends = v.split("[:]");
          if (ends.length > 2) return bad("a numeric pattern is min[:]max");
          for (i = 0; i < ends.length; i++) if (ends[i] !== "" && !/^-?\d{1,5}(\.\d{1,18})?$/.test(ends[i])) return bad(JSON.stringify(ends[i]) + " is not a real number");
          return null;
        }
        return /^-?\d{1,5}(\.\d{1,18})?$/.test(v) ? null : bad("a numeric response is a real number");
      case "other":
        return v.length <= 4000 ? null : bad("over 4000 characters");
    }
    return null;
  }

  /* ---- data models ----
   * Each element: access "r", "w" or "rw"; check; keyword (a constant);
   * normalize (what lenient mode stores). Indices are written "n". */

  function K(value) {
    return { access: "r", keyword: true, value: value };
  }
  var R = { access: "r" };
  function RW(check, extra) {
    var d = { access: "rw", check: check };
    for (var k in extra || {}) d[k] = extra[k];
    return d;
  }
  function W(check) {
    return { access: "w", check: check };
  }

  var STATUS12 = ["passed", "completed", "failed", "incomplete", "browsed"];

  var MODEL12 = {
    "cmi._children": K("core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions"),
    "cmi._version": K("3.4"),
    "cmi.core._children": K("student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time"),
    "cmi.core.student_id": R,
    "cmi.core.student_name": R,
    "cmi.core.lesson_location": RW(T12.string255),
    "cmi.core.credit": R,
    "cmi.core.lesson_status": RW(vocab(STATUS12)),
    "cmi.core.entry": R,
    "cmi.core.score._children": K("raw,min,max"),
    "cmi.core.score.raw": RW(T12.score),
    "cmi.core.score.min": RW(T12.score),
    "cmi.core.score.max": RW(T12.score),
    "cmi.core.total_time": R,
    "cmi.core.lesson_mode": R,
    "cmi.core.exit": W(vocab(["time-out", "suspend", "logout", ""])),
    "cmi.core.session_time": W(T12.timespan),
    "cmi.suspend_data": RW(T12.string4096),
    "cmi.launch_data": R,
    "cmi.comments": RW(T12.string4096),
    "cmi.comments_from_lms": R,
    "cmi.objectives._children": K("id,score,status"),
    "cmi.objectives.n.id": RW(T12.identifier),
    "cmi.objectives.n.score._children": K("raw,min,max"),
    "cmi.objectives.n.score.raw": RW(T12.score),
    "cmi.objectives.n.score.min": RW(T12.score),
    "cmi.objectives.n.score.max": RW(T12.score),
    "cmi.objectives.n.status": RW(vocab(STATUS12.concat(["not attempted"]))),
    "cmi.student_data._children": K("mastery_score,max_time_allowed,time_limit_action"),
    "cmi.student_data.mastery_score": R,
    "cmi.student_data.max_time_allowed": R,
    "cmi.student_data.time_limit_action": R,
    "cmi.student_preference._children": K("audio,language,speed,text"),
    "cmi.student_preference.audio": RW(range(T12.sinteger, -1, 100)),
    "cmi.student_preference.language": RW(T12.string255),
    "cmi.student_preference.speed": RW(range(T12.sinteger, -100, 100)),
    "cmi.student_preference.text": RW(range(T12.sinteger, -1, 1)),
    "cmi.interactions._children": K("id,objectives,time,type,correct_responses,weighting,student_response,result,latency"),
    "cmi.interactions.n.id": W(T12.identifier),
    "cmi.interactions.n.objectives.n.id": W(T12.identifier),
    "cmi.interactions.n.time": W(T12.time),
    "cmi.interactions.n.type": W(vocab(["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"])),
    "cmi.interactions.n.correct_responses.n.pattern": W(T12.feedback),
    "cmi.interactions.n.weighting": W(range(T12.decimal, -100, 100, true)),
    "cmi.interactions.n.student_response": W(T12.feedback),
    "cmi.interactions.n.result": W(T12.result),
    "cmi.interactions.n.latency": W(T12.timespan)
  };

  var CSTATUS = ["completed", "incomplete", "not attempted", "unknown"];
  var SSTATUS = ["passed", "failed", "unknown"];

  var MODEL2004 = {
    "cmi._version": K("1.0"),
    "cmi.comments_from_learner._children": K("comment,location,timestamp"),
    "cmi.comments_from_learner.n.comment": RW(T2004.lang4000),
    "cmi.comments_from_learner.n.location": RW(T2004.string250),
    "cmi.comments_from_learner.n.timestamp": RW(T2004.time),
    "cmi.comments_from_lms._children": K("comment,location,timestamp"),
    "cmi.comments_from_lms.n.comment": R,
    "cmi.comments_from_lms.n.location": R,
    "cmi.comments_from_lms.n.timestamp": R,
    "cmi.completion_status": RW(vocab(CSTATUS)),
    "cmi.completion_threshold": R,
    "cmi.credit": R,
    "cmi.entry": R,
    "cmi.exit": W(vocab(["time-out", "suspend", "logout", "normal", ""])),
    "cmi.interactions._children": K("id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"),
    "cmi.interactions.n.id": RW(T2004.longId),
    "cmi.interactions.n.type": RW(vocab(["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"])),
    "cmi.interactions.n.objectives.n.id": RW(T2004.longId),
    "cmi.interactions.n.timestamp": RW(T2004.time),
    "cmi.interactions.n.correct_responses.n.pattern": RW(null, { typed: true }),
    "cmi.interactions.n.weighting": RW(T2004.real),
    "cmi.interactions.n.learner_response": RW(null, { typed: true }),
    "cmi.interactions.n.result": RW(T2004.result),
    "cmi.interactions.n.latency": RW(T2004.duration),
    "cmi.interactions.n.description": RW(T2004.lang250),
    "cmi.launch_data": R,
    "cmi.learner_id": R,
    "cmi.learner_name": R,
    "cmi.learner_preference._children": K("audio_level,language,delivery_speed,audio_captioning"),
    "cmi.learner_preference.audio_level": RW(range(T2004.real, 0, null)),
    "cmi.learner_preference.language": RW(T2004.lang),
    "cmi.learner_preference.delivery_speed": RW(range(T2004.real, 0, null)),
    "cmi.learner_preference.audio_captioning": RW(vocab(["-1", "0", "1"])),
    "cmi.location": RW(T2004.string1000),
    "cmi.max_time_allowed": R,
    "cmi.mode": R,
    "cmi.objectives._children": K("id,score,success_status,completion_status,progress_measure,description"),
    "cmi.objectives.n.id": RW(T2004.longId),
    "cmi.objectives.n.score._children": K("scaled,raw,min,max"),
    "cmi.objectives.n.score.scaled": RW(range(T2004.real, -1, 1)),
    "cmi.objectives.n.score.raw": RW(T2004.real),
    "cmi.objectives.n.score.min": RW(T2004.real),
    "cmi.objectives.n.score.max": RW(T2004.real),
    "cmi.objectives.n.success_status": RW(vocab(SSTATUS)),
    "cmi.objectives.n.completion_status": RW(vocab(CSTATUS)),
    "cmi.objectives.n.progress_measure": RW(range(T2004.real, 0, 1)),
    "cmi.objectives.n.description": RW(T2004.lang250),
    "cmi.progress_measure": RW(range(T2004.real, 0, 1)),
    "cmi.scaled_passing_score": R,
    "cmi.score._children": K("scaled,raw,min,max"),
    "cmi.score.scaled": RW(range(T2004.real, -1, 1)),
    "cmi.score.raw": RW(T2004.real),
    "cmi.score.min": RW(T2004.real),
    "cmi.score.max": RW(T2004.real),
    "cmi.session_time": W(T2004.duration),
    "cmi.success_status": RW(vocab(SSTATUS)),
    "cmi.suspend_data": RW(T2004.string64000),
    "cmi.time_limit_action": R,
    "cmi.total_time": R,
    "adl.nav.request": RW(T2004.nav)
  };

  /* Defaults of 2004 elements that read as a value before anything sets
   * them; every other unset element gives 403. */
  var DEFAULTS2004 = {
    "cmi.objectives.n.success_status": "unknown",
    "cmi.objectives.n.completion_status": "unknown",
    "adl.nav.request": "_none_"
  };

  var COLLECTIONS = {
    "1.2": ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses"],
    "2004": ["cmi.comments_from_learner", "cmi.comments_from_lms", "cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses"]
  };

  /* The elements per version that name things. */
  var V = {
    "1.2": {
      model: MODEL12,
      status: "cmi.core.lesson_status",
      exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time",
      totalTime: "cmi.core.total_time",
      entry: "cmi.core.entry",
      fn: { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", error: "LMSGetLastError", errorString: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic" }
    },
    "2004": {
      model: MODEL2004,
      exit: "cmi.exit",
      sessionTime: "cmi.session_time",
      totalTime: "cmi.total_time",
      entry: "cmi.entry",
      fn: { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit", error: "GetLastError", errorString: "GetErrorString", diagnostic: "GetDiagnostic" }
    }
  };
  SIM.models = { "1.2": MODEL12, "2004": MODEL2004 };

  /* modelOf writes element's indices as "n". */
  function modelOf(el) {
    return el.replace(/\.(0|[1-9]\d*)(?=\.)/g, ".n");
  }
  SIM.modelOf = modelOf;

  /* count is the number of entries of the collection at prefix (concrete,
   * such as "cmi.interactions.0.objectives") in data. */
  function count(data, prefix) {
    var n = 0, p = prefix + ".";
    for (var k in data) {
      if (k.indexOf(p) !== 0) continue;
      var m = /^(\d+)\./.exec(k.slice(p.length));
      if (m && +m[1] + 1 > n) n = +m[1] + 1;
    }
    return n;
  }
  SIM.count = count;

  /* ---- times ---- */

  /* centiseconds of a SCORM 1.2 time span, or null. */
  function cs12(v) {
    var m = /^(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d+))?$/.exec(v || "");
    if (!m) {
      var d = duration2004(v || "");
      return d === null ? null : Math.round(d * 100);
    }
    var frac = m[4] ? Math.round(Number("0." + m[4]) * 100) : 0;
    return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 100 + frac;
  }
  function pad(n, w) {
    var s = String(n);
    while (s.length < w) s = "0" + s;
    return s;
  }
  function fmt12(cs) {
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, c = cs % 100;
    return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + (c ? "." + pad(c, 2) : "");
  }
  function fmt2004(cs) {
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return "PT" + h + "H" + m + "M" + (Math.round(s * 100) / 100) + "S";
  }
  SIM.addTime = function (version, total, session) {
    if (version === "1.2") {
      var a = cs12(total) || 0, b = cs12(session);
      return b === null ? total : fmt12(a + b);
    }
    var x = duration2004(total || "PT0S") || 0, y = duration2004(session || "");
    return y === null ? total : fmt2004(Math.round((x + y) * 100));
  };

  function copy(o) {
    var out = {};
    for (var k in o) out[k] = o[k];
    return out;
  }

  /* ---- a session ---- */

  SIM.session = function (opts) {
    var version = opts.version === "2004" ? "2004" : "1.2";
    var v = V[version];
    var model = v.model;
    var fn = v.fn;
    var strings = SIM.errors[version];
    var strictNow = typeof opts.strict === "function" ? opts.strict : function () {
      return opts.strict !== false;
    };
    var now = opts.now || Date.now;
    var onCall = opts.onCall || function () {};
    var onEvent = opts.onEvent || function () {};
    var save = opts.save || function () {};
    var unit = opts.unit || {};
    var nav = opts.nav || {};
    var learner = opts.learner || { id: "preview-learner", name: "Learner, Preview" };

    var rec = opts.record && typeof opts.record === "object" ? opts.record : {};
    rec = { launches: rec.launches || 0, data: copy(rec.data || {}), exit: rec.exit || "" };

    var state = "new"; /* new, running, finished (by the SCO), ended (by the LMS) */
    var last = { code: "0", diagnostic: "" };

    /* The data this session starts from: the record, without last
     * session's write-only values, with what the LMS sets at launch. */
    var live = copy(rec.data);
    delete live[v.exit];
    delete live[v.sessionTime];
    delete live["adl.nav.request"];
    var entry = rec.launches === 0 ? "ab-initio" : rec.exit === "suspend" ? "resume" : "";
    function lms(el, value) {
      if (value === undefined || value === null || value === "") delete live[el];
      else live[el] = String(value);
    }
    if (version === "1.2") {
      lms("cmi.core.student_id", learner.id);
      lms("cmi.core.student_name", learner.name);
      lms("cmi.core.credit", "credit");
      lms("cmi.core.lesson_mode", "normal");
      live["cmi.core.entry"] = entry;
      if (!live["cmi.core.lesson_status"]) live["cmi.core.lesson_status"] = "not attempted";
      if (!live["cmi.core.total_time"]) live["cmi.core.total_time"] = "0000:00:00";
      lms("cmi.launch_data", unit.launchData);
      lms("cmi.student_data.mastery_score", unit.masteryScore);
      lms("cmi.student_data.max_time_allowed", unit.maxTimeAllowed);
      lms("cmi.student_data.time_limit_action", unit.timeLimitAction);
      if (!("cmi.student_preference.audio" in live)) live["cmi.student_preference.audio"] = "0";
      if (!("cmi.student_preference.speed" in live)) live["cmi.student_preference.speed"] = "0";
      if (!("cmi.student_preference.text" in live)) live["cmi.student_preference.text"] = "0";
    } else {
      lms("cmi.learner_id", learner.id);
      lms("cmi.learner_name", learner.name);
      lms("cmi.credit", "credit");
      lms("cmi.mode", "normal");
      live["cmi.entry"] = entry;
      if (!live["cmi.completion_status"]) live["cmi.completion_status"] = "unknown";
      if (!live["cmi.success_status"]) live["cmi.success_status"] = "unknown";
      if (!live["cmi.total_time"]) live["cmi.total_time"] = "PT0H0M0S";
      lms("cmi.launch_data", unit.launchData);
      lms("cmi.scaled_passing_score", unit.scaledPassingScore);
      lms("cmi.completion_threshold", unit.completionThreshold);
      lms("cmi.max_time_allowed", unit.maxTimeAllowed);
      live["cmi.time_limit_action"] = unit.timeLimitAction || "continue,no message";
      if (!("cmi.learner_preference.audio_level" in live)) live["cmi.learner_preference.audio_level"] = "1";
      if (!("cmi.learner_preference.delivery_speed" in live)) live["cmi.learner_preference.delivery_speed"] = "1";
      if (!("cmi.learner_preference.audio_captioning" in live)) live["cmi.learner_preference.audio_captioning"] = "0";
    }
    var committed = copy(live);

    function fail(code, diagnostic) {
      last = { code: String(code), diagnostic: diagnostic || "" };
    }
    function okay() {
      last = { code: "0", diagnostic: "" };
    }

    function report(name, args, result, extra) {
      var e = {
        fn: name,
        args: args,
        result: result,
        error: last.code,
        errorText: strings[last.code] || "",
        diagnostic: last.diagnostic,
        time: now()
      };
      for (var k in extra || {}) e[k] = extra[k];
      onCall(e);
      return result;
    }

    /* status2004 is what the LMS reports for completion or success: the
     * comparison with the manifest's threshold or passing score when the
     * SCO set the measure or scaled score (RTE 4.2.4.1, 4.2.22.1). */
    function evaluated(el) {
      if (version !== "2004") return live[el];
      var th = live["cmi.completion_threshold"], pm = live["cmi.progress_measure"];
      if (el === "cmi.completion_status" && th !== undefined && pm !== undefined) {
        return Number(pm) >= Number(th) ? "completed" : "incomplete";
      }
      var ps = live["cmi.scaled_passing_score"], sc = live["cmi.score.scaled"];
      if (el === "cmi.success_status" && ps !== undefined && sc !== undefined) {
        return Number(sc) >= Number(ps) ? "passed" : "failed";
      }
      return live[el];
    }

    /* indices checks each index of el against its collection's count:
     * below it (get), or at most it (set). It returns the failing
     * collection, or "". */
    function indices(el, forSet) {
      var segs = el.split(".");
      for (var i = 1; i < segs.length; i++) {
        if (!/^(0|[1-9]\d*)$/.test(segs[i])) continue;
        var coll = segs.slice(0, i).join(".");
        var n = count(live, coll), idx = +segs[i];
        if (forSet ? idx > n : idx >= n) return coll + " has " + n + (n === 1 ? " entry" : " entries") + "; index " + idx + (forSet ? " would leave a gap" : " does not exist");
      }
      return "";
    }

    function hasChildren(modelEl) {
      for (var k in model) if (k.indexOf(modelEl + ".") === 0) return true;
      return false;
    }

    /* ---- GetValue ---- */
    function getValue(el) {
      el = el === undefined || el === null ? "" : String(el);
      if (state !== "running") {
        if (version === "1.2") fail(301, "LMSGetValue " + (state === "new" ? "before LMSInitialize" : "after LMSFinish"));
        else fail(state === "new" ? 122 : 123);
        return "";
      }
      if (el === "") {
        fail(version === "1.2" ? 201 : 301, "no element named");
        return "";
      }
      var m = modelOf(el);
      var tail = /\._(count|children|version)$/.exec(el);
      if (tail && !model[m]) {
        var parent = el.slice(0, -tail[0].length), pm = modelOf(parent + ".").slice(0, -1);
        if (tail[1] === "count" && COLLECTIONS[version].indexOf(pm) >= 0) {
          var gap = indices(parent, false);
          if (gap) {
            fail(version === "1.2" ? 201 : 301, gap);
            return "";
          }
          okay();
          return String(count(live, parent));
        }
        var known = !!model[pm] || hasChildren(pm);
        if (known) {
          if (version === "1.2") fail(tail[1] === "count" ? 203 : 202, parent + (tail[1] === "count" ? " is not a collection" : " has no children"));
          else fail(301, parent + (tail[1] === "count" ? " is not a collection" : " has no children"));
        } else fail(version === "1.2" ? 201 : 401, el + " is not in the SCORM " + version + " data model");
        return "";
      }
      if (version === "2004" && el.indexOf("adl.nav.request_valid.") === 0) {
        var what = el.slice("adl.nav.request_valid.".length);
        okay();
        if (what === "continue") return nav["continue"] ? "true" : "false";
        if (what === "previous") return nav.previous ? "true" : "false";
        var t = /^(choice|jump)\.\{target=(\S+)\}$/.exec(what);
        if (t) return (nav.targets || []).indexOf(t[2]) >= 0 ? "true" : "false";
        fail(401, el + " is not a navigation request");
        return "";
      }
      var def = model[m];
      if (!def) {
        fail(version === "1.2" ? 201 : 401, el + " is not in the SCORM " + version + " data model");
        return "";
      }
      if (def.access === "w") {
        fail(version === "1.2" ? 404 : 405, el + " is write-only");
        return "";
      }
      if (def.keyword) {
        okay();
        return def.value;
      }
      var gap2 = indices(el, false);
      if (gap2) {
        fail(version === "1.2" ? 201 : 301, gap2);
        return "";
      }
      var value = evaluated(el);
      if (value !== undefined) {
        okay();
        return value;
      }
      if (version === "2004") {
        if (DEFAULTS2004[m] !== undefined) {
          okay();
          return DEFAULTS2004[m];
        }
        fail(403, el + " has no value yet");
        return "";
      }
      okay();
      return "";
    }

    /* ---- SetValue ---- */
    function setValue(el, value) {
      el = el === undefined || el === null ? "" : String(el);
      value = value === undefined || value === null ? "" : String(value);
      var note = "";
      if (state !== "running") {
        if (version === "1.2") fail(301, "LMSSetValue " + (state === "new" ? "before LMSInitialize" : "after LMSFinish"));
        else fail(state === "new" ? 132 : 133);
        return { ok: false };
      }
      if (el === "") {
        fail(version === "1.2" ? 201 : 351, "no element named");
        return { ok: false };
      }
      var m = modelOf(el);
      var def = model[m];
      if (/\._(count|children|version)$/.test(el) && (!def || def.keyword)) {
        var known = def || COLLECTIONS[version].indexOf(modelOf(el.replace(/\._count$/, "") + ".").slice(0, -1)) >= 0;
        if (known) fail(version === "1.2" ? 402 : 404, el + " is a keyword, read-only");
        else fail(version === "1.2" ? 201 : 401, el + " is not in the SCORM " + version + " data model");
        return { ok: false };
      }
      if (!def) {
        fail(version === "1.2" ? 201 : 401, el + " is not in the SCORM " + version + " data model");
        return { ok: false };
      }
      if (def.access === "r") {
        fail(version === "1.2" ? 403 : 404, el + " is read-only");
        return { ok: false };
      }
      var gap = indices(el, true);
      if (gap) {
        fail(version === "1.2" ? 201 : 351, gap);
        return { ok: false };
      }
      var segs = el.split(".");
      if (version === "2004") {
        /* id first, then type, then the rest (RTE 4.2.9.1, 4.2.17.1). */
        if ((m.indexOf("cmi.interactions.n.") === 0 || m.indexOf("cmi.objectives.n.") === 0) && m !== "cmi.interactions.n.id" && m !== "cmi.objectives.n.id") {
          var idEl = segs.slice(0, 3).join(".") + ".id";
          if (live[idEl] === undefined) {
            fail(408, idEl + " must be set before " + el);
            return { ok: false };
          }
        }
        if (m === "cmi.objectives.n.id" && live[el] !== undefined && live[el] !== value) {
          fail(351, "an objective's id cannot change once set");
          return { ok: false };
        }
      }
      var check = def.check;
      if (def.typed) {
        var typeEl = segs.slice(0, 3).join(".") + ".type";
        var type = live[typeEl];
        if (type === undefined) {
          fail(408, typeEl + " must be set before " + el);
          return { ok: false };
        }
        var isPattern = m === "cmi.interactions.n.correct_responses.n.pattern";
        if (isPattern && ["true-false", "likert", "numeric", "other"].indexOf(type) >= 0 && +segs[4] > 0) {
          fail(351, "a " + type + " interaction has one correct response");
          return { ok: false };
        }
        check = function (val, strict) {
          if (!strict) return val.length <= 4000 || type === "long-fill-in" || type === "other" ? null : bad("over 4000 characters");
          return response2004(type, val, isPattern);
        };
      }
      var problem = check ? check(value, true) : null;
      if (problem) {
        var lenient = check(value, false);
        if (strictNow() || lenient) {
          var why = (lenient || problem).why;
          var kind = (lenient || problem).kind;
          if (strictNow() && !lenient) why += " (strict mode, as Moodle)";
          fail(version === "1.2" ? 405 : kind === "range" ? 407 : 406, el + ": " + why);
          return { ok: false };
        }
        note = "accepted leniently; strict mode (Moodle) refuses it: " + problem.why;
      }
      if (check && check.normalize && !strictNow()) value = check.normalize(value);
      if (version === "1.2" && el === "cmi.comments" && strictNow() && live[el]) {
        /* Moodle adds what the SCO writes to cmi.comments to what it has. */
        live[el] = live[el] + value;
        note = "Moodle appends to cmi.comments: it now holds " + live[el].length + " characters";
      } else live[el] = value;
      okay();
      return { ok: true, note: note };
    }

    /* ---- finishing ---- */

    function finishRules() {
      var notes = [];
      var strict = strictNow();
      if (version === "1.2") {
        var status = live["cmi.core.lesson_status"];
        if (strict) {
          if (status === "not attempted") {
            live["cmi.core.lesson_status"] = "completed";
            notes.push("Moodle: lesson_status not attempted → completed");
          }
          var mastery = live["cmi.student_data.mastery_score"], raw = live["cmi.core.score.raw"];
          if (live["cmi.core.lesson_mode"] === "normal" && live["cmi.core.credit"] === "credit" && mastery !== undefined && mastery !== "" && raw !== undefined && raw !== "") {
            var judged = parseFloat(raw) >= parseFloat(mastery) ? "passed" : "failed";
            if (judged !== live["cmi.core.lesson_status"]) {
              notes.push("Moodle: lesson_status " + live["cmi.core.lesson_status"] + " → " + judged + " (score.raw " + raw + (judged === "passed" ? " ≥ " : " < ") + "mastery_score " + mastery + ")");
            }
            live["cmi.core.lesson_status"] = judged;
          }
        }
      } else {
        ["cmi.completion_status", "cmi.success_status"].forEach(function (el) {
          var e = evaluated(el);
          if (e !== live[el]) {
            notes.push(el + " " + live[el] + " → " + e + " (from " + (el === "cmi.completion_status" ? "progress_measure and completion_threshold" : "score.scaled and scaled_passing_score") + ")");
            live[el] = e;
          }
        });
      }
      if (live[v.sessionTime] !== undefined) {
        var total = SIM.addTime(version, live[v.totalTime], live[v.sessionTime]);
        if (total !== live[v.totalTime]) live[v.totalTime] = total;
      }
      return notes;
    }

    /* keep is the LMS storing what it has received. The record's exit
     * changes only when a session sets one: as in Moodle, a session that
     * never sets it leaves the last one (and the next entry) as it was. */
    function keep() {
      committed = copy(live);
      rec.data = copy(live);
      if (live[v.exit] !== undefined) rec.exit = live[v.exit];
      save({ launches: rec.launches, data: rec.data, exit: rec.exit });
    }

    /* uncommitted lists the elements whose value the LMS has not
     * received yet. */
    function uncommitted() {
      var out = [];
      var k;
      for (k in live) if (live[k] !== committed[k]) out.push(k);
      for (k in committed) if (!(k in live)) out.push(k);
      return out.sort();
    }

    /* ---- the API object ---- */

    function argCheck(param) {
      return param === undefined || param === null || String(param) === "";
    }

    var api = {};
    api[fn.init] = function (param) {
      if (!argCheck(param)) {
        fail(201, fn.init + " takes \"\"");
        return report(fn.init, [param], "false");
      }
      if (state === "running") {
        fail(version === "1.2" ? 101 : 103, "already initialized");
        return report(fn.init, [param], "false");
      }
      if (state !== "new") {
        fail(version === "1.2" ? 101 : 104, "this launch has ended; the LMS launches the SCO again");
        return report(fn.init, [param], "false");
      }
      state = "running";
      rec.launches++;
      save({ launches: rec.launches, data: rec.data, exit: rec.exit });
      okay();
      report(fn.init, [param], "true");
      onEvent({ type: "initialized", text: "session " + rec.launches + ", entry " + JSON.stringify(entry) });
      return "true";
    };
    api[fn.finish] = function (param) {
      if (!argCheck(param)) {
        fail(201, fn.finish + " takes \"\"");
        return report(fn.finish, [param], "false");
      }
      if (state !== "running") {
        if (version === "1.2") fail(301, fn.finish + (state === "new" ? " before LMSInitialize" : " twice"));
        else fail(state === "new" ? 112 : 113);
        return report(fn.finish, [param], "false");
      }
      var notes = finishRules();
      state = "finished";
      keep();
      okay();
      report(fn.finish, [param], "true", { note: notes.join("; ") });
      onEvent({ type: "finished", text: notes.join("; "), nav: live["adl.nav.request"] || "", exit: rec.exit });
      return "true";
    };
    api[fn.get] = function (el) {
      var r = getValue(el);
      return report(fn.get, [el], r);
    };
    api[fn.set] = function (el, value) {
      var r = setValue(el, value);
      return report(fn.set, [el, value], r.ok ? "true" : "false", { note: r.note || "" });
    };
    api[fn.commit] = function (param) {
      if (!argCheck(param)) {
        fail(201, fn.commit + " takes \"\"");
        return report(fn.commit, [param], "false");
      }
      if (state !== "running") {
        if (version === "1.2") fail(301, fn.commit + (state === "new" ? " before LMSInitialize" : " after LMSFinish"));
        else fail(state === "new" ? 142 : 143);
        return report(fn.commit, [param], "false");
      }
      var n = uncommitted().length;
      keep();
      okay();
      report(fn.commit, [param], "true");
      onEvent({ type: "committed", text: n + " value" + (n === 1 ? "" : "s") });
      return "true";
    };
    api[fn.error] = function () {
      return report(fn.error, [], last.code, { quiet: true, keepError: true });
    };
    api[fn.errorString] = function (code) {
      var s = strings[String(code)] || "";
      return report(fn.errorString, [code], s, { quiet: true });
    };
    api[fn.diagnostic] = function (code) {
      var c = code === undefined || code === null || String(code) === "" ? last.code : String(code);
      var s = c === last.code && last.diagnostic ? last.diagnostic : strings[c] || "";
      return report(fn.diagnostic, [code], s, { quiet: true });
    };

    return {
      api: api,
      version: version,
      state: function () {
        return state;
      },
      entry: entry,
      live: function () {
        var out = copy(live);
        if (version === "2004") {
          out["cmi.completion_status"] = evaluated("cmi.completion_status");
          out["cmi.success_status"] = evaluated("cmi.success_status");
        }
        return out;
      },
      committed: function () {
        return copy(committed);
      },
      uncommitted: uncommitted,
      record: function () {
        return { launches: rec.launches, data: copy(rec.data), exit: rec.exit };
      },
      /* end is the LMS closing the SCO's window: a SCO that has not
       * finished loses what it did not commit, as on an LMS's server. */
      end: function () {
        if (state !== "running") {
          if (state === "new") state = "ended";
          return null;
        }
        var lost = uncommitted();
        state = "ended";
        live = copy(committed);
        onEvent({
          type: "abandoned",
          text: "the SCO was closed without " + fn.finish + (lost.length ? "; not committed, so lost: " + lost.join(", ") : "")
        });
        return lost;
      }
    };
  };

  if (typeof module === "object" && module.exports) module.exports = SIM;
  else root.SIM = SIM;
})(this);
