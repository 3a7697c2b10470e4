/* coursepack player: the SCORM run-time engine shared by the SCORM 1.2 and
 * SCORM 2004 adapters. Never touches the DOM.
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
 *                 q (the question id, for a question), ref (the
 *                 reflection id, for a reflection)}
 *   navigate(request)  asks the LMS to move on after finish: "continue"
 *                (the next module) or "exit"; true when the runtime can
 *                (optional: absent where the LMS offers no navigation)
 *   flush()   commits now (the page is being hidden)
 *   finish()  ends the session; called once, nothing runs after it
 * The factory returns null when its runtime is not available. opts.notify,
 * when given, hears about storage: notify("stored") when the whole state is
 * kept, notify("clipped", ids) when the runtime keeps it with those texts
 * shortened, notify("unsaved") when it cannot keep it at all.
 *
 * CP.scormAdapter(dialect) makes such a factory for one SCORM version. The
 * dialect names the API object and its functions, the data model elements
 * and limits, and writes what differs between versions (status, score,
 * interactions, exit). See scorm12.js and scorm2004.js.
 */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./core.js") : root.CP;

  function prop(win, name) {
    try {
      return win[name];
    } catch (e) {
      return undefined; /* cross-origin window */
    }
  }

  /* scan walks up from win through its parents, at most maxHops hops, to
   * the first window with an object called name. */
  function scan(win, name, maxHops) {
    for (var hops = 0; win; hops++) {
      var api = prop(win, name);
      if (api) return api;
      var parent = prop(win, "parent");
      if (!parent || parent === win || hops >= maxHops) return null;
      win = parent;
    }
    return null;
  }

  /* findAPI looks for the API object called name from win, then from
   * win.opener, and returns it when it has the function init. */
  CP.findAPI = function (win, name, maxHops, init) {
    if (!win) return null;
    var api = scan(win, name, maxHops);
    if (!api) {
      var opener = prop(win, "opener");
      if (opener) api = scan(opener, name, maxHops);
    }
    return api && typeof api[init] === "function" ? api : null;
  };

  CP.oneLine = function (s) {
    return String(s).replace(/\s*\n\s*|\t/g, " ");
  };

  /* scormAdapter makes the runtime factory for a dialect. opts (all
   * optional, for tests): window, now(), setTimeout, clearTimeout,
   * commitInterval (ms), log (console-like), notify. */
  CP.scormAdapter = function (d) {
    var fn = d.fn, el = d.el;
    return function (config, opts) {
      opts = opts || {};
      var api = CP.findAPI(opts.window || (typeof window === "object" ? window : null), d.api, d.maxHops, fn.init);
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
      var noInteractions = false;

      function call(name, a, b) {
        try {
          return String(api[name](a, b));
        } catch (e) {
          log.error("SCORM " + name + " threw", e);
          return "false";
        }
      }

      function lastError() {
        var code = call(fn.error);
        return { code: code, text: call(fn.errorString, code) };
      }

      /* ok calls an API function whose result is "true" or "false". */
      function ok(name, a, b) {
        if (call(name, a, b) === "true") return true;
        var err = lastError();
        log.error("SCORM " + name + "(" + (a === undefined ? "" : JSON.stringify(a)) + ") failed: " + err.code + " " + err.text);
        return false;
      }

      function get(element) {
        var v = call(fn.get, element);
        var code = call(fn.error);
        if (code !== "0" && code !== "" && code !== "undefined") {
          log.warn("SCORM " + fn.get + "(" + element + "): " + code + " " + call(fn.errorString, code));
          return null;
        }
        return v === "undefined" || v === "null" ? "" : v;
      }

      /* set writes element unless it already holds value. */
      function set(element, value) {
        if (written[element] === value) return true;
        if (!put(element, value)) return false;
        written[element] = value;
        return true;
      }

      /* put writes element. */
      function put(element, value) {
        if (!ok(fn.set, element, value)) return false;
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
        ok(fn.commit, "");
      }

      /* schedule commits at most once per interval, with a trailing commit. */
      function schedule() {
        if (timer !== null || !dirty) return;
        var wait = lastCommit + interval - now();
        if (wait <= 0) commit();
        else timer = setT(commit, wait);
      }

      /* store writes the suspend data. The plain encoding is written at
       * once when it fits. Otherwise the state is compressed, which takes a
       * moment; until then the largest plain encoding that fits (texts
       * clipped) waits in pending, and flush or finish write it if the
       * compressed form is not ready. A compressed form that does not fit
       * either is retried once with texts clipped in proportion. */
      function store(state) {
        var mine = ++seq;
        var full = CP.encode(state);
        if (full.length <= d.maxSuspend) {
          pending = null;
          if (set(el.suspend, full)) notify("stored");
          return;
        }
        var fallback = (pending = CP.fit(state, d.maxSuspend) || { data: null, cut: [] });
        function write(data, cut) {
          if (mine !== seq || !live || done) return;
          pending = null;
          if (set(el.suspend, data)) notify(cut.length ? "clipped" : "stored", cut);
          schedule();
        }
        CP.pack(full)
          .then(function (z) {
            if (z.length <= d.maxSuspend) return write(z, []);
            var smaller = CP.fit(state, Math.floor((d.maxSuspend * full.length) / z.length) - 64);
            if (!smaller) return usePending(mine);
            return CP.pack(smaller.data).then(function (z2) {
              if (z2.length <= d.maxSuspend && (fallback.data === null || smaller.data.length > fallback.data.length)) write(z2, smaller.cut);
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
          log.error("coursepack: the learner's state does not fit the " + d.maxSuspend + " characters of " + el.suspend + "; not saved");
          notify("unsaved");
        } else if (set(el.suspend, p.data)) {
          notify("clipped", p.cut);
        }
        schedule();
      }

      /* The dialect writes through this. */
      var lms = { get: get, set: set, put: put, log: log, now: now };

      var adapter = {
        kind: d.kind,

        init: function () {
          if (!ok(fn.init, "")) return null;
          live = true;
          started = now();
          var entry = get(el.entry) || "";
          var mode = get(el.mode);
          readOnly = mode === "review" || mode === "browse";
          status = d.readStatus(lms);
          var res = { entry: entry, state: null, location: "", status: status };
          var data = "";
          if (entry !== "ab-initio") {
            data = get(el.suspend) || "";
            res.state = CP.decode(data);
            res.location = get(el.location) || "";
          }
          if (!readOnly && (status === "not attempted" || status === "" || status === "unknown")) {
            status = "incomplete";
            d.writeStatus(lms, status, null);
          }
          set(el.exit, CP.isFinal(status) ? d.exitDone : "suspend");
          schedule();
          res.status = status;
          if (data.charAt(0) !== CP.PACKED) return res;
          return CP.load(data).then(function (state) {
            if (!state) log.error("coursepack: cannot unpack " + el.suspend);
            res.state = state;
            return res;
          });
        },

        save: function (state, next, score) {
          if (!live || done) return;
          store(state);
          if (state.loc) set(el.location, state.loc);
          if (!readOnly) {
            var merged = CP.mergeStatus(status, next);
            /* The score first: an LMS may derive the status from it. Where
             * the LMS judges a score against the mastery score on finish
             * (SCORM 1.2 in Moodle), it is written only with a final
             * status, so a learner who has passed the check but not seen
             * every page stays incomplete in every LMS. */
            if (typeof score === "number" && isFinite(score) && (!d.scoreWithFinalStatus || CP.isFinal(merged))) {
              d.writeScore(lms, Math.max(0, Math.min(100, Math.round(score))));
            }
            if (d.writeProgress) d.writeProgress(lms, state);
            if (merged && merged !== status) {
              status = merged;
              d.writeStatus(lms, status, state);
            }
          }
          set(el.exit, CP.isFinal(status) ? d.exitDone : "suspend");
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
            if (put(p + "id", d.interactionId(it.id)) && put(p + "type", d.type(kind))) d.interaction(lms, p, it);
          }
          if (d.afterRecord) d.afterRecord(lms, it);
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
          set(el.sessionTime, d.duration(now() - started));
          done = true;
          ok(fn.finish, "");
        }
      };
      if (d.navRequest) {
        /* navigate asks the LMS to go on once this SCO finishes. */
        adapter.navigate = function (request) {
          var value = d.navRequest[request];
          if (!live || done || !value) return false;
          return put("adl.nav.request", value);
        };
      }
      return adapter;
    };
  };

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
