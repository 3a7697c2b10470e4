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

  /* timeOfDay formats the local time of day of a Date as HH:MM:SS (SCORM
   * 1.2 CMITime). */
  CP.timeOfDay = function (d) {
    return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2);
  };

  /* duration formats milliseconds as an ISO 8601 duration for SCORM 2004
   * and xAPI: PT#H#M#S with at most two decimals on the seconds (PT0S for
   * nothing), hours unbounded. Negative or invalid input counts as zero. */
  CP.duration = function (ms) {
    var cs = ms > 0 && isFinite(ms) ? Math.round(ms / 10) : 0;
    var h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60;
    var sec = (cs % 6000) / 100;
    var out = "PT" + (h ? h + "H" : "") + (m ? m + "M" : "");
    if (sec || out === "PT") out += (Math.round(sec * 100) / 100) + "S";
    return out;
  };

  /* timestamp formats a Date as a UTC ISO 8601 time with exactly two
   * fractional digits, such as 2026-11-26T09:05:00.50Z: SCORM 2004 allows
   * at most two (Moodle rejects three), and wants the zone after them. */
  CP.timestamp = function (d) {
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2) +
      "T" + pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + ":" + pad(d.getUTCSeconds(), 2) +
      "." + pad(Math.floor(d.getUTCMilliseconds() / 10), 2) + "Z";
  };

  /* ---- learner text ----
   * Lengths are JavaScript string lengths (UTF-16 code units): the LMS
   * stores the string it is given and checks it the same way (scorm-again
   * and Moodle test .length or a [\u0000-\uFFFF]{0,4096} pattern), so a
   * character outside the BMP, such as an emoji, counts as two. */

  /* clean drops control characters other than tab and newline, replaces
   * lone surrogates, and cuts s to at most max code units without
   * splitting a pair. After it, JSON.stringify writes each code unit of s
   * as at most two characters. */
  CP.clean = function (s, max) {
    s = String(s == null ? "" : s)
      .replace(/\r\n?/g, "\n")
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
    if (/[\ud800-\udfff]/.test(s)) {
      var out = "";
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        var pair = c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
        if ((c & 0xf800) !== 0xd800) out += s.charAt(i);
        else if (pair) out += s.charAt(i) + s.charAt(++i);
        else out += "\ufffd";
      }
      s = out;
    }
    return max >= 0 && s.length > max ? cut(s, max) : s;
  };

  function cut(s, n) {
    s = s.slice(0, n);
    return /[\ud800-\udbff]$/.test(s) ? s.slice(0, -1) : s;
  }

  /* clip shortens s to at most max code units, ending it with "…" when it
   * had to be cut. */
  CP.clip = function (s, max) {
    s = String(s);
    if (s.length <= max) return s;
    return max < 1 ? "" : cut(s, max - 1) + "\u2026";
  };

  /* ---- state ----
   * In memory:
   *   { loc: "page" | "module/page",
   *     m: { <module id>: {
   *       seen: [bool],                          pages seen
   *       a: { <question id>: {r, n, ok} },      answer: response ("ac" for
   *                                              options a and c, or the
   *                                              typed text), checks, right
   *       r: { <reflection id>: {t, n} },        text, versions recorded
   *       p: null | {b, d, g: [{t, a, d}]}       action plan: buddy, review
   *                                              date, goals (goal, actions,
   *                                              target date)
   *     } } }
   * Encoded (version 2), JSON with short keys, empty parts left out:
   *   {"v":2,"l":"<location>","m":{"<module>":{"n":<pages>,"s":"<hex bitmap
   *   of pages seen>","a":{"<q>":["<response>",<checks>]},"r":{"<r>":
   *   ["<text>",<versions>]},"p":{"b":"<buddy>","d":"<date>","g":[["<goal>",
   *   "<actions>","<date>"]]}}}}
   * Whether an answer is right is not stored: normalize works it out from
   * the answer key. Version 1 ({"v":1,...,"n","s","k"}) reads as a version 2
   * state without answers ("k" is dropped). A state that does not fit the
   * runtime may be stored compressed: "z" + base64(deflate-raw(UTF-8)).
   */
  CP.VERSION = 2;
  var MAX_COUNT = 999;

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

  function keys(o) {
    return o ? Object.keys(o) : [];
  }

  /* encodePlan is the encoded form of plan p (t clips texts), or null
   * when it is empty. */
  function encodePlan(p, t) {
    var e = {};
    if (p.b) e.b = t(p.b);
    if (p.d) e.d = p.d;
    if (p.g.length) {
      e.g = p.g.map(function (g) {
        return [t(g.t), t(g.a), g.d];
      });
    }
    return e.b || e.d || e.g ? e : null;
  }

  /* decodePlan reads an encoded plan within the limits lim. */
  function decodePlan(e, lim) {
    if (!e || typeof e !== "object") e = {};
    var p = { b: str(e.b, lim.buddy), d: CP.date(e.d), g: [] };
    (Array.isArray(e.g) ? e.g : []).slice(0, lim.goals).forEach(function (g) {
      if (Array.isArray(g)) p.g.push({ t: str(g[0], lim.goal), a: str(g[1], lim.actions), d: CP.date(g[2]) });
    });
    return p;
  }

  /* encode serialises a state compactly. With cap (a number), every
   * reflection and action-plan text longer than cap is clipped to it: see
   * fit. */
  CP.encode = function (state, cap) {
    function t(s) {
      return cap >= 0 ? CP.clip(s, cap) : s;
    }
    var m = {};
    keys(state.m).forEach(function (id) {
      var ms = state.m[id];
      var e = { n: ms.seen.length, s: bitsToHex(ms.seen) };
      var a = {}, r = {}, any = false;
      keys(ms.a).forEach(function (q) {
        a[q] = [ms.a[q].r, ms.a[q].n];
        any = true;
      });
      if (any) e.a = a;
      any = false;
      keys(ms.r).forEach(function (k) {
        var x = ms.r[k];
        if (x.t === "" && !x.n) return;
        r[k] = [t(x.t), x.n];
        any = true;
      });
      if (any) e.r = r;
      var p = ms.p && encodePlan(ms.p, t);
      if (p) e.p = p;
      m[id] = e;
    });
    var out = { v: CP.VERSION };
    if (state.loc) out.l = state.loc;
    out.m = m;
    return JSON.stringify(out);
  };

  /* decode parses a plain encoded state (version 1 or 2); null when it is
   * empty, malformed, compressed (see unpack) or of an unknown version. The
   * result still needs normalize. */
  CP.decode = function (s) {
    if (typeof s !== "string" || s.charAt(0) !== "{") return null;
    var o;
    try {
      o = JSON.parse(s);
    } catch (e) {
      return null;
    }
    if (!o || typeof o !== "object" || (o.v !== 1 && o.v !== 2) || !o.m || typeof o.m !== "object") return null;
    return o;
  };

  function str(v, max) {
    return typeof v === "string" ? CP.clean(v, max) : "";
  }
  function count(v) {
    return typeof v === "number" && v >= 1 ? Math.min(Math.floor(v), MAX_COUNT) : 0;
  }
  var DATE = /^\d{4}-\d\d-\d\d$/;
  CP.date = function (v) {
    return typeof v === "string" && DATE.test(v) ? v : "";
  };

  /* normalize turns a decoded state (or null) into the in-memory state for
   * config: one entry per module of the config, pages seen fitted to its
   * page count, answers and reflections kept only for the config's
   * questions and reflections and checked against its limits, unknown
   * modules dropped. */
  CP.normalize = function (raw, config) {
    var state = { loc: raw && typeof raw.l === "string" ? raw.l : "", m: {} };
    var lim = config.limits || {};
    config.modules.forEach(function (mod) {
      var e = raw && raw.m[mod.id];
      if (!e || typeof e !== "object") e = {};
      var ms = { seen: hexToBits(typeof e.s === "string" ? e.s : "", mod.pages.length), a: {}, r: {}, p: null };
      (mod.questions || []).forEach(function (q) {
        var x = e.a && e.a[q.id];
        if (!Array.isArray(x) || typeof x[0] !== "string" || !count(x[1])) return;
        var r = q.type === "text" ? CP.clean(x[0], lim.answer || 255) : x[0].replace(/[^a-z]/g, "");
        ms.a[q.id] = { r: r, n: count(x[1]), ok: CP.isCorrect(q, r) };
      });
      (mod.reflections || []).forEach(function (rf) {
        var x = e.r && e.r[rf.id];
        ms.r[rf.id] = Array.isArray(x) ? { t: str(x[0], rf.max), n: count(x[1]) } : { t: "", n: 0 };
      });
      if (mod.plan) ms.p = decodePlan(e.p, lim);
      state.m[mod.id] = ms;
    });
    return state;
  };

  /* fit returns the largest encoding of state that is at most limit
   * characters long: the whole state when it fits, otherwise the state
   * with its longest reflection and action-plan texts clipped to one
   * length (ending in "…"), found by bisection. cut lists the ids of the
   * reflections clipped ("plan" for the action plan). null when even
   * empty texts do not fit. */
  CP.fit = function (state, limit) {
    var full = CP.encode(state);
    if (full.length <= limit) return { data: full, cut: [] };
    if (CP.encode(state, 0).length > limit) return null;
    var lo = 0, hi = 0;
    texts(state, function (s) {
      if (s.length > hi) hi = s.length;
    });
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (CP.encode(state, mid).length <= limit) lo = mid;
      else hi = mid;
    }
    var cutIDs = [];
    texts(state, function (s, id) {
      if (s.length > lo && cutIDs.indexOf(id) < 0) cutIDs.push(id);
    });
    return { data: CP.encode(state, lo), cut: cutIDs };
  };

  function texts(state, fn) {
    keys(state.m).forEach(function (mid) {
      var ms = state.m[mid];
      keys(ms.r).forEach(function (k) {
        fn(ms.r[k].t, k);
      });
      if (ms.p) {
        fn(ms.p.b, "plan");
        ms.p.g.forEach(function (g) {
          fn(g.t, "plan");
          fn(g.a, "plan");
        });
      }
    });
  }

  /* ---- compression ----
   * pack and unpack return promises and never throw; pack rejects where
   * the browser has no CompressionStream("deflate-raw"). */
  CP.PACKED = "z";

  function none() {}

  function stream(Kind, bytes) {
    var s = new Kind("deflate-raw");
    var w = s.writable.getWriter();
    /* Bad data rejects these too: the result's rejection tells it. */
    w.write(bytes).catch(none);
    w.close().catch(none);
    return new Response(s.readable).arrayBuffer();
  }

  CP.pack = function (s) {
    try {
      return stream(CompressionStream, new TextEncoder().encode(s)).then(function (buf) {
        var b = new Uint8Array(buf), bin = "";
        for (var i = 0; i < b.length; i++) bin += String.fromCharCode(b[i]);
        return CP.PACKED + btoa(bin);
      });
    } catch (e) {
      return Promise.reject(e);
    }
  };

  CP.unpack = function (z) {
    try {
      var bin = atob(z.slice(CP.PACKED.length));
      var b = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
      return stream(DecompressionStream, b).then(function (buf) {
        return new TextDecoder().decode(buf);
      });
    } catch (e) {
      return Promise.reject(e);
    }
  };

  /* load decodes what a runtime kept, packed or not: a promise of the
   * decoded state, or of null. */
  CP.load = function (s) {
    if (typeof s === "string" && s.charAt(0) === CP.PACKED) {
      return CP.unpack(s).then(CP.decode, function () {
        return null;
      });
    }
    return Promise.resolve(CP.decode(s));
  };

  /* ---- the local copy of learner text ----
   * Every reflection and action plan of the course, in full, kept in the
   * browser under config.notes: the action-plan page gathers the other
   * modules' reflections from it, and a launch brings back text that the
   * LMS copy had to shorten. Format: {"v":1,"m":{"<module>":1},
   * "r":{"<id>":"<text>"},"p":{"<module>":{"b","d","g":[["goal","actions",
   * "date"]]}}}, "m" listing the modules opened in this browser. */

  CP.readNotes = function (storage, key) {
    var o = null;
    try {
      o = storage && key ? JSON.parse(storage.getItem(key) || "null") : null;
    } catch (e) {
      o = null;
    }
    if (!o || typeof o !== "object" || o.v !== 1) o = { v: 1 };
    if (!o.r || typeof o.r !== "object") o.r = {};
    if (!o.p || typeof o.p !== "object") o.p = {};
    if (!o.m || typeof o.m !== "object") o.m = {};
    return o;
  };

  /* writeNotes copies the learner text of state into the notes in storage;
   * false when storage refuses it. */
  CP.writeNotes = function (storage, key, config, state) {
    if (!storage || !key) return false;
    var o = CP.readNotes(storage, key);
    config.modules.forEach(function (mod) {
      var ms = state.m[mod.id];
      o.m[mod.id] = 1;
      /* A reflection not yet written in this attempt (a new attempt, or
       * another device) leaves the copy alone. */
      keys(ms.r).forEach(function (k) {
        if (ms.r[k].t || ms.r[k].n) o.r[k] = ms.r[k].t;
      });
      var p = ms.p && encodePlan(ms.p, String);
      if (p && (p.b || p.d || ms.p.g.some(function (g) {
        return g.t || g.a || g.d;
      }))) o.p[mod.id] = p;
    });
    try {
      storage.setItem(key, JSON.stringify(o));
      return true;
    } catch (e) {
      return false;
    }
  };

  function clipped(short, full) {
    return typeof full === "string" && short.length > 0 && short.length < full.length &&
      short.charAt(short.length - 1) === "\u2026" && full.indexOf(short.slice(0, -1)) === 0;
  }

  /* planClipped says whether plan p is plan full with some texts clipped. */
  function planClipped(p, full) {
    var same = full.g.length === p.g.length && p.d === full.d, any = false;
    if (!same) return false;
    function take(a, b) {
      if (a === b) return;
      if (clipped(a, b)) any = true;
      else same = false;
    }
    take(p.b, full.b);
    p.g.forEach(function (g, i) {
      take(g.t, full.g[i].t);
      take(g.a, full.g[i].a);
      if (g.d !== full.g[i].d) same = false;
    });
    return same && any;
  }

  /* mergeNotes puts back, from notes, the full text of every reflection or
   * plan that the runtime's copy holds clipped; it returns the number of
   * texts restored. */
  CP.mergeNotes = function (state, config, notes) {
    var n = 0;
    config.modules.forEach(function (mod) {
      var ms = state.m[mod.id];
      keys(ms.r).forEach(function (k) {
        var rf = (mod.reflections || []).filter(function (x) {
          return x.id === k;
        })[0];
        if (rf && clipped(ms.r[k].t, notes.r[k])) {
          ms.r[k].t = CP.clean(notes.r[k], rf.max);
          n++;
        }
      });
      var np = notes.p[mod.id];
      if (ms.p && np && planClipped(ms.p, decodePlan(np, config.limits || {}))) {
        ms.p = decodePlan(np, config.limits || {});
        n++;
      }
    });
    return n;
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

  /* ---- knowledge checks ---- */

  function norm(s) {
    s = String(s);
    return (s.normalize ? s.normalize("NFC") : s).trim().toLowerCase();
  }

  /* response turns what the learner chose into the stored response: option
   * ids sorted and joined ("ac"), or the typed text. */
  CP.response = function (q, picked) {
    if (q.type === "text") return CP.clean(picked, 255);
    return picked.slice().sort().join("");
  };

  /* isCorrect says whether response r answers q: the same set of options
   * as the key, or a typed text equal to an accepted answer regardless of
   * case and surrounding space. */
  CP.isCorrect = function (q, r) {
    if (q.type === "text") {
      var v = norm(r);
      return v !== "" && (q.answers || []).some(function (a) {
        return norm(a) === v;
      });
    }
    return r !== "" && r === (q.correct || []).slice().sort().join("");
  };

  /* answerFinal says whether answer a of q is final: right, or out of
   * attempts (q.attempts 0 means unlimited). */
  CP.answerFinal = function (q, a) {
    return !!a && (a.ok || (q.attempts > 0 && a.n >= q.attempts));
  };

  /* check records a new check of q with response r in module state ms and
   * returns the answer; null when q is already final or r is empty. */
  CP.check = function (q, ms, r) {
    var old = ms.a[q.id];
    if (CP.answerFinal(q, old) || (q.type === "text" ? norm(r) === "" : r === "")) return null;
    var a = { r: r, n: Math.min((old ? old.n : 0) + 1, MAX_COUNT), ok: CP.isCorrect(q, r) };
    ms.a[q.id] = a;
    return a;
  };

  /* moduleScore: {total, right, final, score}; score (0-100, rounded) is
   * null until every question is final, and for a module without
   * questions. */
  CP.moduleScore = function (mod, ms) {
    var qs = mod.questions || [];
    var right = 0, final = true;
    qs.forEach(function (q) {
      var a = ms.a[q.id];
      if (a && a.ok) right++;
      if (!CP.answerFinal(q, a)) final = false;
    });
    var score = qs.length && final ? Math.round((right / qs.length) * 100) : null;
    return { total: qs.length, right: right, final: final, score: score };
  };

  /* rule applies a completion rule. */
  function rule(name, mastery, pages, sc) {
    var has = sc.total > 0;
    var mark = has && typeof mastery === "number";
    switch (name) {
      case "passed":
        if (!has) return "completed";
        if (!sc.final) return "incomplete";
        if (!mark) return "completed";
        return sc.score >= mastery ? "passed" : "failed";
      case "pages-and-passed":
        if (mark && sc.final && sc.score < mastery) return "failed";
        if (!pages || !sc.final) return "incomplete";
        return mark ? "passed" : "completed";
      default:
        return pages ? "completed" : "incomplete";
    }
  }

  /* result is the unit's {status, score}. One module: its completion rule
   * and mastery score. Several (one unit for the whole course): the
   * course's rule and mastery score (config.completion, config.mastery)
   * over all pages and questions, the score being the mean of the scores
   * of the modules with questions. score is null until every question of
   * the unit is final. */
  CP.result = function (config, state) {
    var mods = config.modules;
    if (mods.length === 1) {
      var ms = state.m[mods[0].id];
      var sc = CP.moduleScore(mods[0], ms);
      return { status: rule(mods[0].completion, mods[0].mastery, ms.seen.every(Boolean), sc), score: sc.score };
    }
    var pages = true, total = 0, final = true, sum = 0, scored = 0;
    mods.forEach(function (mod) {
      var s = state.m[mod.id];
      if (!s.seen.every(Boolean)) pages = false;
      var x = CP.moduleScore(mod, s);
      total += x.total;
      if (!x.final) final = false;
      if (x.total) {
        sum += (x.right / x.total) * 100;
        scored++;
      }
    });
    var all = { total: total, final: final, score: total && final ? Math.round(sum / scored) : null };
    return { status: rule(config.completion || "pages", config.mastery, pages, all), score: all.score };
  };

  /* progress is the share of the unit's pages the learner has seen, from 0
   * to 1. */
  CP.progress = function (state) {
    var seen = 0, total = 0;
    Object.keys(state.m).forEach(function (id) {
      state.m[id].seen.forEach(function (b) {
        total++;
        if (b) seen++;
      });
    });
    return total ? seen / total : 0;
  };

  /* status is the unit's lesson status (see result). */
  CP.status = function (config, state) {
    return CP.result(config, state).status;
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

  /* interactionId is a runtime-safe id for the k-th record of the question
   * or reflection base: base, then base-2, base-3, ...; only [A-Za-z0-9_-],
   * at most 255 characters. */
  CP.interactionId = function (base, k) {
    var id = String(base).replace(/[^A-Za-z0-9_-]/g, "_") || "i";
    var suffix = k > 1 ? "-" + k : "";
    return id.slice(0, 255 - suffix.length) + suffix;
  };

  /* ---- the action plan as a document ---- */

  var ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  CP.escape = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return ESC[c];
    });
  };

  function para(cls, s) {
    return '<p class="' + cls + '">' + CP.escape(s).replace(/\n/g, "<br>") + "</p>";
  }

  /* planBody writes the action plan as HTML: d = {course, date (text),
   * plan: {b, d, g}, groups: [{title, items: [{prompt, text, missing}]}],
   * fmt(date) → text}; t(key, vars) gives interface text. Every learner
   * text is escaped. */
  CP.planBody = function (d, t) {
    var p = d.plan || { b: "", d: "", g: [] };
    var fmt = d.fmt || function (x) {
      return x;
    };
    var h = "<h1>" + CP.escape(t("plan.title")) + "</h1>" + para("cp-doc-course", d.course);
    if (d.date) h += para("cp-doc-date", d.date);
    h += "<h2>" + CP.escape(t("plan.goals")) + "</h2>";
    var goals = p.g.filter(function (g) {
      return g.t || g.a || g.d;
    });
    if (!goals.length) h += para("cp-doc-none", t("plan.no-goals"));
    goals.forEach(function (g, i) {
      h += "<h3>" + CP.escape(t("plan.goal", { n: i + 1 })) + "</h3>" + para("cp-doc-text", g.t);
      if (g.a) h += "<h4>" + CP.escape(t("plan.actions")) + "</h4>" + para("cp-doc-text", g.a);
      if (g.d) h += para("cp-doc-meta", t("plan.date") + ": " + fmt(g.d));
    });
    if (p.b) h += para("cp-doc-meta", t("plan.buddy") + ": " + p.b);
    if (p.d) h += para("cp-doc-meta", t("plan.review") + ": " + fmt(p.d));
    if ((d.groups || []).length) h += "<h2>" + CP.escape(t("plan.reflections")) + "</h2>";
    (d.groups || []).forEach(function (gr) {
      h += "<h3>" + CP.escape(gr.title) + "</h3>";
      gr.items.forEach(function (it) {
        h += para("cp-doc-prompt", it.prompt);
        h += it.text ? para("cp-doc-text", it.text) : para("cp-doc-none", t(it.missing ? "plan.missing" : "plan.empty"));
      });
    });
    return h;
  };

  /* planHTML is a self-contained HTML document of the action plan. */
  CP.planHTML = function (d, t, lang) {
    return '<!DOCTYPE html>\n<html lang="' + CP.escape(lang || "en") + '"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1"><title>' +
      CP.escape(t("plan.title") + " – " + d.course) + "</title><style>" +
      "body{font:1rem/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}" +
      "h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #999}h3{font-size:1.1rem}" +
      "h4{font-size:1rem;margin-bottom:0}.cp-doc-prompt{font-style:italic}.cp-doc-none{color:#595959}" +
      ".cp-doc-text{white-space:pre-wrap}</style></head><body>\n" + CP.planBody(d, t) + "\n</body></html>\n";
  };

  if (typeof module === "object" && module.exports) module.exports = CP;
  else root.CP = CP;
})(this);
