/* coursepack player: SCORM 1.2 runtime adapter. Never touches the DOM.
 *
 * Every adapter has the same shape, made by CP.runtimes.<name>(config, opts):
 *   kind      runtime name
 *   init()    -> {entry, state, location, status} or null when it cannot start
 *   save(state, status)  records progress (the adapter decides when to commit)
 *   flush()   commits now (the page is being hidden)
 *   finish()  ends the session; called once, nothing runs after it
 * The factory returns null when its runtime is not available.
 */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./core.js") : root.CP;

  var MAX_SUSPEND = 4096;

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

  /* opts (all optional, for tests): window, now(), setTimeout,
   * clearTimeout, commitInterval (ms), log (console-like). */
  CP.runtimes.scorm12 = function (config, opts) {
    opts = opts || {};
    var api = CP.findAPI12(opts.window || (typeof window === "object" ? window : null));
    if (!api) return null;
    var now = opts.now || Date.now;
    var setT = opts.setTimeout || setTimeout;
    var clearT = opts.clearTimeout || clearTimeout;
    var interval = opts.commitInterval == null ? 3000 : opts.commitInterval;
    var log = opts.log || console;

    var live = false, done = false, dirty = false, readOnly = false;
    var started = 0, lastCommit = -Infinity, timer = null;
    var written = {}; /* element -> last value set */
    var status = "";

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
        return "";
      }
      return v === "undefined" || v === "null" ? "" : v;
    }

    function set(el, value) {
      if (written[el] === value) return;
      if (ok("LMSSetValue", el, value)) {
        written[el] = value;
        dirty = true;
      }
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

    return {
      kind: "scorm12",

      init: function () {
        if (!ok("LMSInitialize", "")) return null;
        live = true;
        started = now();
        var entry = get("cmi.core.entry");
        var mode = get("cmi.core.lesson_mode");
        readOnly = mode === "review" || mode === "browse";
        status = get("cmi.core.lesson_status");
        var res = { entry: entry, state: null, location: "", status: status };
        if (entry !== "ab-initio") {
          res.state = CP.decode(get("cmi.suspend_data"));
          res.location = get("cmi.core.lesson_location");
        }
        if (!readOnly && (status === "not attempted" || status === "")) {
          status = "incomplete";
          set("cmi.core.lesson_status", status);
        }
        set("cmi.core.exit", CP.isFinal(status) ? "" : "suspend");
        schedule();
        res.status = status;
        return res;
      },

      save: function (state, next) {
        if (!live || done) return;
        var data = CP.encode(state);
        if (data.length <= MAX_SUSPEND) set("cmi.suspend_data", data);
        else log.error("coursepack: state is " + data.length + " characters, over the 4096 of cmi.suspend_data; not saved");
        if (state.loc) set("cmi.core.lesson_location", state.loc);
        if (!readOnly) {
          var merged = CP.mergeStatus(status, next);
          if (merged !== status && merged) {
            status = merged;
            set("cmi.core.lesson_status", status);
          }
        }
        set("cmi.core.exit", CP.isFinal(status) ? "" : "suspend");
        schedule();
      },

      flush: commit,

      finish: function () {
        if (!live || done) return;
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
