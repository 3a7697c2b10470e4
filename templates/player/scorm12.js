/* coursepack player: SCORM 1.2 runtime adapter. Never touches the DOM.
 *
 * Every adapter has the same shape, made by CP.runtimes.<name>(config, opts):
 *   kind      runtime name
 *   init()    -> {entry, state, location, status}, a promise of it, or null
 *                when it cannot start
 *   save(state, status, score)  records progress; score (0-100) is written
 *                when it is a number (the adapter decides when to commit)
 *   record(interaction)  journals one learner response:
 *                {id, kind: "choice" | "true-false" | "text" | "reflection",
 *                 response (option ids "ac", "t", or text), correct (list of
 *                 patterns, same form), result (true, false, or null for a
 *                 reflection), latency (ms, optional), time (Date),
 *                 ref (the reflection id, for a reflection)}
 *   flush()   commits now (the page is being hidden)
 *   finish()  ends the session; called once, nothing runs after it
 * The factory returns null when its runtime is not available. opts.notify,
 * when given, hears about storage: notify("stored") when the whole state is
 * kept, notify("clipped", ids) when the runtime keeps it with those texts
 * shortened, notify("unsaved") when it cannot keep it at all.
 */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./core.js") : root.CP;

  var MAX_SUSPEND = 4096;
  var MAX_COMMENTS = 4096;

  function prop(win, name) {
    try {
      return win[name];
    } catch (e) {
      return undefined; /* cross-origin window */
    }
  }

  /* scan walks up from win through its parents, at most 7 hops, to the
   * first window with an API object. */
  function scan(win) {
    for (var hops = 0; win; hops++) {
      var api = prop(win, "API");
      if (api) return api;
      var parent = prop(win, "parent");
      if (!parent || parent === win || hops >= 7) return null;
      win = parent;
    }
    return null;
  }

  /* findAPI looks for the SCORM 1.2 API from win, then from win.opener. */
  CP.findAPI12 = function (win) {
    if (!win) return null;
    var api = scan(win);
    if (!api) {
      var opener = prop(win, "opener");
      if (opener) api = scan(opener);
    }
    return api && typeof api.LMSInitialize === "function" ? api : null;
  };

  function oneLine(s) {
    return String(s).replace(/\s*\n\s*|\t/g, " ");
  }

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
      return CP.clip(oneLine(r), 255);
    },
    result: function (ok) {
      return ok === true ? "correct" : ok === false ? "wrong" : "neutral";
    }
  };

  /* opts (all optional, for tests): window, now(), setTimeout,
   * clearTimeout, commitInterval (ms), log (console-like), notify. */
  CP.runtimes.scorm12 = function (config, opts) {
    opts = opts || {};
    var api = CP.findAPI12(opts.window || (typeof window === "object" ? window : null));
    if (!api) return null;
    var now = opts.now || Date.now;
    var setT = opts.setTimeout || setTimeout;
    var clearT = opts.clearTimeout || clearTimeout;
    var interval = opts.commitInterval == null ? 3000 : opts.commitInterval;
    var log = opts.log || console;
    var notify = opts.notify || function () {};

    var live = false, done = false, dirty = false, readOnly = false;
    var started = 0, lastCommit = -Infinity, timer = null;
    var written = {}; /* element -> last value set */
    var status = "";
    var seq = 0, pending = null; /* see store */
    var comments = null, noInteractions = false;

    function call(fn, a, b) {
      try {
        return String(api[fn](a, b));
      } catch (e) {
        log.error("SCORM " + fn + " threw", e);
        return "false";
      }
    }

    function lastError() {
      var code = call("LMSGetLastError");
      return { code: code, text: call("LMSGetErrorString", code) };
    }

    /* ok calls an API function whose result is "true" or "false". */
    function ok(fn, a, b) {
      if (call(fn, a, b) === "true") return true;
      var err = lastError();
      log.error("SCORM " + fn + "(" + (a === undefined ? "" : JSON.stringify(a)) + ") failed: " + err.code + " " + err.text);
      return false;
    }

    function get(el) {
      var v = call("LMSGetValue", el);
      var code = call("LMSGetLastError");
      if (code !== "0" && code !== "" && code !== "undefined") {
        log.warn("SCORM LMSGetValue(" + el + "): " + code + " " + call("LMSGetErrorString", code));
        return null;
      }
      return v === "undefined" || v === "null" ? "" : v;
    }

    /* set writes el unless it already holds value. */
    function set(el, value) {
      if (written[el] === value) return true;
      if (!put(el, value)) return false;
      written[el] = value;
      return true;
    }

    /* put writes el. */
    function put(el, value) {
      if (!ok("LMSSetValue", el, value)) return false;
      dirty = true;
      return true;
    }

    function commit() {
      if (timer !== null) {
        clearT(timer);
        timer = null;
      }
      if (!live || done || !dirty) return;
      dirty = false;
      lastCommit = now();
      ok("LMSCommit", "");
    }

    /* schedule commits at most once per interval, with a trailing commit. */
    function schedule() {
      if (timer !== null || !dirty) return;
      var wait = lastCommit + interval - now();
      if (wait <= 0) commit();
      else timer = setT(commit, wait);
    }

    /* store writes cmi.suspend_data. The plain encoding is written at once
     * when it fits. Otherwise the state is compressed, which takes a
     * moment; until then the largest plain encoding that fits (texts
     * clipped) waits in pending, and flush or finish write it if the
     * compressed form is not ready. A compressed form that does not fit
     * either is retried once with texts clipped in proportion. */
    function store(state) {
      var mine = ++seq;
      var full = CP.encode(state);
      if (full.length <= MAX_SUSPEND) {
        pending = null;
        if (set("cmi.suspend_data", full)) notify("stored");
        return;
      }
      var fallback = (pending = CP.fit(state, MAX_SUSPEND) || { data: null, cut: [] });
      function write(data, cut) {
        if (mine !== seq || !live || done) return;
        pending = null;
        if (set("cmi.suspend_data", data)) notify(cut.length ? "clipped" : "stored", cut);
        schedule();
      }
      CP.pack(full)
        .then(function (z) {
          if (z.length <= MAX_SUSPEND) return write(z, []);
          var smaller = CP.fit(state, Math.floor((MAX_SUSPEND * full.length) / z.length) - 64);
          if (!smaller) return usePending(mine);
          return CP.pack(smaller.data).then(function (z2) {
            if (z2.length <= MAX_SUSPEND && (fallback.data === null || smaller.data.length > fallback.data.length)) write(z2, smaller.cut);
            else usePending(mine);
          });
        })
        .catch(function () {
          usePending(mine);
        });
    }

    /* usePending writes the plain fallback of store, if still wanted. */
    function usePending(mine) {
      if (!pending || (mine !== undefined && mine !== seq) || !live || done) return;
      var p = pending;
      pending = null;
      if (p.data === null) {
        log.error("coursepack: the learner's state does not fit the 4096 characters of cmi.suspend_data; not saved");
        notify("unsaved");
      } else if (set("cmi.suspend_data", p.data)) {
        notify("clipped", p.cut);
      }
      schedule();
    }

    /* comment keeps "[reflection ID] text" for reflection ref in
     * cmi.comments, one line per reflection, replacing the line it wrote
     * before and clipping the text to the room left in the 4096
     * characters. */
    function comment(ref, text) {
      if (comments === null) comments = get("cmi.comments");
      if (comments === null) return; /* not supported */
      var mark = "[reflection " + ref + "] ";
      var lines = comments === "" ? [] : comments.split("\n").filter(function (l) {
        return l.indexOf(mark) !== 0;
      });
      var base = lines.join("\n");
      var room = MAX_COMMENTS - base.length - (base ? 1 : 0) - mark.length;
      var line = oneLine(text).trim();
      if (line && room < 2) {
        log.warn("coursepack: no room left in cmi.comments for reflection " + ref);
        return;
      }
      var value = line ? (base ? base + "\n" : "") + mark + CP.clip(line, room) : base;
      if (set("cmi.comments", value)) comments = value;
    }

    return {
      kind: "scorm12",

      init: function () {
        if (!ok("LMSInitialize", "")) return null;
        live = true;
        started = now();
        var entry = get("cmi.core.entry") || "";
        var mode = get("cmi.core.lesson_mode");
        readOnly = mode === "review" || mode === "browse";
        status = get("cmi.core.lesson_status") || "";
        var res = { entry: entry, state: null, location: "", status: status };
        var data = "";
        if (entry !== "ab-initio") {
          data = get("cmi.suspend_data") || "";
          res.state = CP.decode(data);
          res.location = get("cmi.core.lesson_location") || "";
        }
        if (!readOnly && (status === "not attempted" || status === "")) {
          status = "incomplete";
          set("cmi.core.lesson_status", status);
        }
        set("cmi.core.exit", CP.isFinal(status) ? "" : "suspend");
        schedule();
        res.status = status;
        if (data.charAt(0) !== CP.PACKED) return res;
        return CP.load(data).then(function (state) {
          if (!state) log.error("coursepack: cannot unpack cmi.suspend_data");
          res.state = state;
          return res;
        });
      },

      save: function (state, next, score) {
        if (!live || done) return;
        store(state);
        if (state.loc) set("cmi.core.lesson_location", state.loc);
        if (!readOnly) {
          /* The score first: an LMS may derive the status from it. */
          if (typeof score === "number" && isFinite(score)) {
            set("cmi.core.score.raw", String(Math.max(0, Math.min(100, Math.round(score)))));
            set("cmi.core.score.min", "0");
            set("cmi.core.score.max", "100");
          }
          var merged = CP.mergeStatus(status, next);
          if (merged !== status && merged) {
            status = merged;
            set("cmi.core.lesson_status", status);
          }
        }
        set("cmi.core.exit", CP.isFinal(status) ? "" : "suspend");
        schedule();
      },

      record: function (it) {
        if (!live || done || readOnly || noInteractions) return;
        var n = get("cmi.interactions._count");
        if (n === null || !/^\d+$/.test(n)) {
          noInteractions = true;
          log.warn("coursepack: this LMS keeps no cmi.interactions");
        } else {
          var p = "cmi.interactions." + n + ".";
          var kind = it.kind;
          if (put(p + "id", it.id) && put(p + "type", CP.scorm12.type(kind))) {
            (it.correct || []).forEach(function (c, j) {
              put(p + "correct_responses." + j + ".pattern", CP.scorm12.response(kind, c));
            });
            put(p + "student_response", CP.scorm12.response(kind, it.response));
            put(p + "result", CP.scorm12.result(it.result));
            if (typeof it.latency === "number") put(p + "latency", CP.timespan(it.latency));
            put(p + "time", CP.timeOfDay(it.time || new Date(now())));
          }
        }
        if (it.kind === "reflection") comment(it.ref, it.response);
        schedule();
      },

      flush: function () {
        usePending();
        commit();
      },

      finish: function () {
        if (!live || done) return;
        usePending();
        if (timer !== null) {
          clearT(timer);
          timer = null;
        }
        set("cmi.core.session_time", CP.timespan(now() - started));
        done = true;
        ok("LMSFinish", "");
      }
    };
  };

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
