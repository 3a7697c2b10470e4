/* coursepack player: pure logic (no DOM, no runtime API).
 * Loaded as a classic script it attaches window.CP; under node it is a
 * CommonJS module, so the unit tests in templates/testdata use the same code.
 */
(function (root) {
  "use strict";

  var CP = {};
  CP.runtimes = {};

  /* ---- time ---- */

  var MAX_CS = ((9999 * 60 + 59) * 60 + 59) * 100 + 99;

  function pad(n, w) {
    var s = String(n);
    while (s.length < w) s = "0" + s;
    return s;
  }

  /* timespan formats a duration in milliseconds as a SCORM 1.2 CMITimespan,
   * HHHH:MM:SS.SS: hours at least two digits, rounded to centiseconds, capped
   * at 9999:59:59.99. Negative or invalid input counts as zero. */
  CP.timespan = function (ms) {
    var cs = ms > 0 && isFinite(ms) ? Math.round(ms / 10) : 0;
    if (cs > MAX_CS) cs = MAX_CS;
    var h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60;
    var s = Math.floor(cs / 100) % 60;
    return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(cs % 100, 2);
  };

  /* ---- state ----
   * In memory: { loc: "page" | "module/page", m: { <module id>: { seen: [bool], passed: bool } } }
   * Encoded (version 1), keys short to fit cmi.suspend_data:
   *   {"v":1,"l":"<location>","m":{"<module id>":{"n":<pages>,"s":"<hex bitmap of pages seen>","k":1}}}
   * "k" is present when the module's knowledge check is passed. Later
   * versions add per-module "a" (answers), "r" (reflections), "p" (action plan).
   */
  CP.VERSION = 1;

  function bitsToHex(bits) {
    var out = "";
    for (var i = 0; i < bits.length; i += 4) {
      var n = 0;
      for (var b = 0; b < 4; b++) if (bits[i + b]) n |= 1 << b;
      out += n.toString(16);
    }
    return out;
  }

  function hexToBits(hex, n) {
    var bits = [];
    for (var i = 0; i < n; i++) {
      var d = parseInt(hex.charAt(i >> 2), 16);
      bits.push(!isNaN(d) && (d & (1 << (i & 3))) !== 0);
    }
    return bits;
  }

  /* encode serialises a state compactly. */
  CP.encode = function (state) {
    var m = {};
    Object.keys(state.m).forEach(function (id) {
      var ms = state.m[id];
      var e = { n: ms.seen.length, s: bitsToHex(ms.seen) };
      if (ms.passed) e.k = 1;
      m[id] = e;
    });
    var out = { v: CP.VERSION };
    if (state.loc) out.l = state.loc;
    out.m = m;
    return JSON.stringify(out);
  };

  /* decode parses an encoded state; null when it is empty, malformed or of
   * an unknown version. The result still needs normalize. */
  CP.decode = function (s) {
    if (typeof s !== "string" || s === "") return null;
    var o;
    try {
      o = JSON.parse(s);
    } catch (e) {
      return null;
    }
    if (!o || typeof o !== "object" || o.v !== 1 || !o.m || typeof o.m !== "object") return null;
    return o;
  };

  /* normalize turns a decoded state (or null) into the in-memory state for
   * config: one entry per module of the config, pages seen fitted to its
   * page count, unknown modules dropped. */
  CP.normalize = function (raw, config) {
    var state = { loc: raw && typeof raw.l === "string" ? raw.l : "", m: {} };
    config.modules.forEach(function (mod) {
      var e = raw && raw.m[mod.id];
      var n = mod.pages.length;
      state.m[mod.id] = {
        seen: e && typeof e.s === "string" ? hexToBits(e.s, n) : hexToBits("", n),
        passed: !!(e && e.k === 1)
      };
    });
    return state;
  };

  /* ---- location ---- */

  /* location names a page for cmi.core.lesson_location: the page id when the
   * unit has one module, "module/page" otherwise, "~m.p" (indexes) when the
   * ids are too long for 255 characters. */
  CP.location = function (config, mi, pi) {
    var mod = config.modules[mi];
    var loc = config.modules.length === 1 ? mod.pages[pi] : mod.id + "/" + mod.pages[pi];
    return loc.length <= 255 ? loc : "~" + mi + "." + pi;
  };

  /* findLocation is the inverse of location: {mi, pi} or null. */
  CP.findLocation = function (config, loc) {
    if (typeof loc !== "string" || loc === "") return null;
    var mods = config.modules, mi, pi;
    var m = /^~(\d+)\.(\d+)$/.exec(loc);
    if (m) {
      mi = +m[1];
      pi = +m[2];
      return mods[mi] && pi < mods[mi].pages.length ? { mi: mi, pi: pi } : null;
    }
    var modID = mods.length === 1 ? mods[0].id : loc.slice(0, loc.indexOf("/"));
    var page = mods.length === 1 ? loc : loc.slice(loc.indexOf("/") + 1);
    for (mi = 0; mi < mods.length; mi++) {
      if (mods[mi].id !== modID) continue;
      pi = mods[mi].pages.indexOf(page);
      return pi >= 0 ? { mi: mi, pi: pi } : null;
    }
    return null;
  };

  /* ---- completion ---- */

  /* modulePassed says whether the module's knowledge check is passed. A
   * module without questions has nothing to pass. Hook: the knowledge-check
   * code sets state.m[id].passed when the score reaches the mastery score. */
  CP.modulePassed = function (mod, ms) {
    return !mod.questions || mod.questions.length === 0 || ms.passed === true;
  };

  /* moduleComplete applies the module's completion rule to its state. */
  CP.moduleComplete = function (mod, ms) {
    var pages = ms.seen.every(Boolean);
    switch (mod.completion) {
      case "passed":
        return CP.modulePassed(mod, ms);
      case "pages-and-passed":
        return pages && CP.modulePassed(mod, ms);
      default:
        return pages;
    }
  };

  /* status is the unit's lesson status: "completed" when every module of
   * the unit is complete, else "incomplete". */
  CP.status = function (config, state) {
    var done = config.modules.every(function (mod) {
      return CP.moduleComplete(mod, state.m[mod.id]);
    });
    return done ? "completed" : "incomplete";
  };

  var FINAL = { completed: 1, passed: 1 };

  /* isFinal says whether a status means the learner is done. */
  CP.isFinal = function (status) {
    return FINAL[status] === 1 || status === "failed";
  };

  /* mergeStatus never downgrades: once completed or passed the status stays
   * (completed may still become passed). */
  CP.mergeStatus = function (current, next) {
    if (current === "passed") return current;
    if (current === "completed") return next === "passed" ? next : current;
    return next || current || "";
  };

  if (typeof module === "object" && module.exports) module.exports = CP;
  else root.CP = CP;
})(this);
