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
 * shortened, notify("unsaved") when it cannot keep it at all; and about the
 * LMS: notify("lms-failed") when it keeps refusing the learner's progress
 * (a retry failed too, or the finish did), notify("lms-ok") when it takes
 * everything again.
 *
 * CP.scormAdapter(dialect) makes such a factory for one SCORM version. The
 * dialect names the API object and its functions, the data model elements
 * and limits, and writes what differs between versions (status, score,
 * interactions, exit). See scorm12.js and scorm2004.js.
 *
 * LMS faults. No exception leaves an adapter: an API function that throws
 * (its frame gone) counts as one that returned "false". A value the LMS
 * refuses for a reason other than the value itself (any error code but
 * 201-203 and 401-408: a general failure, a session that expired, an LMS
 * that refuses while the page unloads) is set again, after the values
 * that went before it, and committed, opts.retries times (5) at most,
 * waiting opts.backoff ms (1000) and twice as long each time; an
 * interaction whose id the LMS refused is recorded again at the LMS's new
 * _count; a failed commit is made again; a failed finish is tried once
 * more at once, then with the same backoff. Meanwhile every save keeps the
 * learner's whole state in the browser, in a journal per unit and learner
 * that the next launch merges back (CP.mergeJournal).
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

  /* ---- the journal ----
   * What a save gave the adapter, kept in localStorage under
   * config.key + ":journal:" + the learner's id (cmi.core.student_id or
   * cmi.learner_id), so that two learners sharing a browser keep apart:
   *   {v: 1, t: when it was last written (ms, always increasing),
   *    c: the t the LMS confirmed (a commit or finish with nothing refused
   *       since), d: the whole state, plainly encoded (CP.encode),
   *    rt: {<reflection id>: the t its text last changed},
   *    pt: {<module id>: the t its action plan last changed}}
   * t > c means the LMS lacks some of it. */

  /* plan is a plan's text, empty goals left out, to tell a change. */
  function plan(p) {
    return p ? JSON.stringify([p.b, p.d, p.g.filter(function (g) {
      return g.t || g.a || g.d;
    })]) : "";
  }

  var NONE = plan({ b: "", d: "", g: [] });

  /* texts calls fn(key, text, id, kind) for each reflection (kind "rt")
   * and action plan ("pt") of state. */
  function texts(config, state, fn) {
    config.modules.forEach(function (mod) {
      var ms = state.m[mod.id];
      if (!ms) return;
      Object.keys(ms.r).forEach(function (k) {
        fn("r" + k, ms.r[k].t, k, "rt");
      });
      if (ms.p) fn("p" + mod.id, plan(ms.p), mod.id, "pt");
    });
  }

  /* readJournal is the journal under key in storage, or null. */
  CP.readJournal = function (storage, key) {
    var j = null;
    try {
      j = JSON.parse(storage.getItem(key));
    } catch (e) {
      j = null;
    }
    if (!j || j.v !== 1 || typeof j.d !== "string") return null;
    j.t = +j.t || 0;
    j.c = +j.c || 0;
    ["rt", "pt"].forEach(function (k) {
      if (!j[k] || typeof j[k] !== "object") j[k] = {};
    });
    return j;
  };

  /* mergeJournal merges journal j into raw, the state the LMS returned
   * (decoded, or null when it had none or nothing readable), and returns
   * the merged state in the same form. Nothing is lost or counted twice:
   * a page seen in either is seen; of two answers to a question, the one
   * with more checks; a reflection's or action plan's text from the
   * journal when it changed there after the LMS last confirmed the
   * journal, or when the LMS has none, the LMS's otherwise (it may come
   * from another device); the bookmark from the journal when the LMS
   * lacks some of it, or has nothing readable. */
  CP.mergeJournal = function (raw, j, config) {
    var a = CP.normalize(raw, config);
    var b = CP.normalize(CP.decode(j.d), config);
    var c = j.c;
    if ((j.t > c || !raw) && b.loc) a.loc = b.loc;
    config.modules.forEach(function (mod) {
      var x = a.m[mod.id], y = b.m[mod.id];
      x.seen = x.seen.map(function (s, i) {
        return s || y.seen[i];
      });
      Object.keys(y.a).forEach(function (q) {
        if (!x.a[q] || y.a[q].n > x.a[q].n) x.a[q] = y.a[q];
      });
      Object.keys(y.r).forEach(function (k) {
        var lx = x.r[k], ly = y.r[k];
        if (ly.t !== lx.t && (j.rt[k] > c || !lx.t)) x.r[k] = { t: ly.t, n: Math.max(lx.n, ly.n) };
      });
      if (y.p && (j.pt[mod.id] > c || plan(x.p) === NONE)) x.p = y.p;
    });
    return CP.decode(CP.encode(a));
  };

  /* Error codes that a retry cannot cure: the element or the value is
   * wrong (SCORM 1.2 201-203, 401-405; SCORM 2004 201, 401-408). */
  var PERMANENT = /^(20[1-3]|40\d)$/;
  var STATUS = /^(passed|completed|failed|incomplete|browsed)$/;

  /* scormAdapter makes the runtime factory for a dialect. opts (all
   * optional, for tests): window, now(), setTimeout, clearTimeout,
   * commitInterval (ms), log (console-like), notify, storage (for the
   * journal; localStorage by default), retries, backoff (ms). */
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
      var retries = opts.retries == null ? 5 : opts.retries;
      var backoff = opts.backoff || 1000;
      var storage = opts.storage;
      if (storage === undefined) {
        try {
          storage = root.localStorage;
        } catch (e) {
          storage = null;
        }
      }

      var live = false, ended = false, done = false, dirty = false, readOnly = false;
      var started = 0, lastCommit = -Infinity, timer = null;
      var written = {}; /* element -> last value set */
      var status = "";
      var seq = 0, pending = null, packing = false; /* see store */
      var noInteractions = false;
      var code = "0"; /* the error code of the last failed call */
      var threw = false;
      var failed = {}; /* element -> value the LMS refused, in order */
      var lost = []; /* interactions the LMS could not start */
      var tries = 0, retryTimer = null, down = false;
      var jkey = null, journal = null, last = {};

      /* call calls an API function: its result as a string, or null when
       * it threw. */
      function call(name, a, b) {
        try {
          return String(api[name](a, b));
        } catch (e) {
          if (!threw) log.warn("SCORM " + name + " threw", e);
          threw = true;
          return null;
        }
      }

      /* ok calls an API function whose result is "true" or "false". */
      function ok(name, a, b) {
        var r = call(name, a, b);
        if (r === "true") return true;
        code = (r !== null && call(fn.error)) || "101";
        var msg = "SCORM " + name + "(" + (a === undefined ? "" : JSON.stringify(a)) + ") failed: " + code + " " + call(fn.errorString, code);
        if (name === fn.init || PERMANENT.test(code)) log.error(msg);
        else log.warn(msg);
        return false;
      }

      function get(element) {
        var v = call(fn.get, element);
        code = v === null ? "101" : call(fn.error);
        if (code !== "0" && code !== "" && code !== "undefined" && code !== null) {
          log.warn("SCORM " + fn.get + "(" + element + "): " + code + " " + call(fn.errorString, code));
          return null;
        }
        return v === null || v === "undefined" || v === "null" ? "" : v;
      }

      /* set writes element unless it already holds value. */
      function set(element, value) {
        if (written[element] === value && !(element in failed)) return true;
        if (!put(element, value)) return false;
        written[element] = value;
        return true;
      }

      /* put writes element; a value refused for a passing reason is kept
       * in failed, to be set again. */
      function put(element, value) {
        if (ok(fn.set, element, value)) {
          delete failed[element];
          dirty = true;
          return true;
        }
        if (!PERMANENT.test(code)) {
          failed[element] = value;
          trouble();
        }
        return false;
      }

      function clean() {
        return !dirty && !lost.length && !Object.keys(failed).length && (!ended || done);
      }

      /* tell lets the learner know the LMS does not have their progress. */
      function tell() {
        if (!down) {
          down = true;
          notify("lms-failed");
        }
      }

      /* trouble arms the next retry, each waiting twice as long. */
      function trouble() {
        if (retryTimer !== null || done) return;
        if (tries >= retries) {
          if (tries++ === retries) log.error("coursepack: the LMS keeps refusing the learner's progress; it is kept in this browser until the next launch");
          return;
        }
        retryTimer = setT(guard(retry), backoff * Math.pow(2, tries++));
      }

      function retry() {
        retryTimer = null;
        if (!live || done) return;
        if (ended) return end(false);
        resend();
        commit();
        if (!clean()) {
          tell();
          trouble();
        }
      }

      /* resend sets again what the LMS refused, in order, and records
       * again the interactions it could not start. */
      function resend() {
        for (var k in failed) {
          var v = failed[k];
          if (!put(k, v)) return;
          written[k] = v;
        }
        var again = lost;
        lost = [];
        again.forEach(record);
      }

      /* settled: the LMS has taken everything so far. */
      function settled() {
        tries = 0;
        if (down) {
          down = false;
          notify("lms-ok");
        }
        if (journal && pending === null && !packing) {
          journal.c = journal.t;
          keep();
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
        if (!ok(fn.commit, "")) {
          dirty = true;
          trouble();
        } else if (clean()) settled();
      }

      /* schedule commits at most once per interval, with a trailing commit. */
      function schedule() {
        if (timer !== null || !dirty) return;
        var wait = lastCommit + interval - now();
        if (wait <= 0) commit();
        else timer = setT(guard(commit), wait);
      }

      /* end finishes the session; when the LMS refuses, it commits and
       * tries once more at once (again), or later (trouble). */
      function end(again) {
        retryTimer = null;
        resend();
        if (ok(fn.finish, "")) {
          done = true;
          if (retryTimer !== null) clearT(retryTimer);
          retryTimer = null;
          dirty = false;
          if (clean()) settled();
          else tell();
          return;
        }
        tell();
        if (again) {
          dirty = true;
          commit();
          end(false);
        } else trouble();
      }

      /* keep writes the journal. */
      function keep() {
        try {
          storage.setItem(jkey, JSON.stringify(journal));
        } catch (e) {
          /* full or blocked: the LMS is all there is */
        }
      }

      /* note journals a save: the state, and when each text changed. */
      function note(state, full) {
        if (!journal) return;
        var t = Math.max(now(), journal.t + 1);
        journal.t = t;
        journal.d = full;
        texts(config, state, function (key, v, id, kind) {
          if (last[key] !== v) {
            last[key] = v;
            journal[kind][id] = t;
          }
        });
        keep();
      }

      /* restore merges the journal into raw, the state the LMS returned,
       * when the LMS lacks some of it or resumes: a new attempt
       * (ab-initio) after the LMS took everything starts afresh. */
      function restore(res, raw) {
        var j = jkey && CP.readJournal(storage, jkey);
        journal = { v: 1, t: 0, c: 0, d: "", rt: {}, pt: {} };
        res.state = raw;
        if (j && (j.t > j.c || res.entry !== "ab-initio")) {
          journal = j;
          res.state = CP.mergeJournal(raw, j, config);
          if (j.t > j.c || !raw) res.location = res.state.l || res.location;
        }
        texts(config, CP.normalize(res.state, config), function (key, v) {
          last[key] = v;
        });
        return res;
      }

      /* store writes the suspend data. The plain encoding is written at
       * once when it fits. Otherwise the state is compressed, which takes a
       * moment; until then the largest plain encoding that fits (texts
       * clipped) waits in pending, and flush or finish write it if the
       * compressed form is not ready. A compressed form that does not fit
       * either is retried once with texts clipped in proportion. */
      function store(state, full) {
        var mine = ++seq;
        if (full.length <= d.maxSuspend) {
          pending = null;
          packing = false;
          if (set(el.suspend, full)) notify("stored");
          return;
        }
        var fallback = (pending = CP.fit(state, d.maxSuspend) || { data: null, cut: [] });
        packing = true;
        function write(data, cut) {
          if (mine !== seq || !live || ended) return;
          pending = null;
          packing = false;
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
          .catch(guard(function () {
            usePending(mine);
          }));
      }

      /* usePending writes the plain fallback of store, if still wanted. */
      function usePending(mine) {
        if (mine === seq) packing = false;
        if (!pending || (mine !== undefined && mine !== seq) || !live || ended) return;
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

      /* record writes one interaction at the LMS's _count (until the
         * session is over: finish replays those the LMS could not start). */
      function record(it) {
        if (!live || done || readOnly || noInteractions) return;
        var n = get("cmi.interactions._count");
        var p = "cmi.interactions." + n + ".";
        if (n === null && !PERMANENT.test(code)) {
          later(it);
        } else if (n === null || !/^\d+$/.test(n)) {
          noInteractions = true;
          log.warn("coursepack: this LMS keeps no cmi.interactions");
        } else if (!put(p + "id", d.interactionId(it.id))) {
          if (p + "id" in failed) {
            delete failed[p + "id"];
            later(it);
          }
        } else if (put(p + "type", d.type(it.kind))) d.interaction(lms, p, it);
        if (d.afterRecord) d.afterRecord(lms, it);
        schedule();
      }

      function later(it) {
        if (lost.length < 100) lost.push(it);
        trouble();
      }

      /* The dialect writes through this. */
      var lms = { get: get, set: set, put: put, log: log, now: now };

      /* guard keeps exceptions in: an adapter never throws. */
      function guard(f, fallback) {
        return function (a, b, c) {
          try {
            return f(a, b, c);
          } catch (e) {
            log.warn("coursepack: " + e);
            return fallback;
          }
        };
      }

      var adapter = {
        kind: d.kind,

        init: guard(function () {
          if (!ok(fn.init, "")) return null;
          live = true;
          started = now();
          var entry = get(el.entry) || "";
          var mode = get(el.mode);
          readOnly = mode === "review" || mode === "browse";
          status = String(d.readStatus(lms)).toLowerCase();
          if (!STATUS.test(status)) status = "";
          var learner = get(el.learner) || "";
          if (storage && config.key) jkey = config.key + ":journal:" + learner;
          var res = { entry: entry, state: null, location: "", status: status };
          var data = "";
          if (entry !== "ab-initio") {
            data = get(el.suspend) || "";
            res.location = get(el.location) || "";
          }
          if (!readOnly && status === "") {
            status = "incomplete";
            d.writeStatus(lms, status, null);
          }
          set(el.exit, CP.isFinal(status) ? d.exitDone : "suspend");
          schedule();
          res.status = status;
          if (data.charAt(0) !== CP.PACKED) {
            var raw = CP.decode(data);
            if (data && !raw) log.warn("coursepack: cannot read " + el.suspend);
            return restore(res, raw);
          }
          return CP.load(data).then(function (state) {
            if (!state) log.warn("coursepack: cannot unpack " + el.suspend);
            return restore(res, state);
          });
        }, null),

        save: guard(function (state, next, score) {
          if (!live || ended) return;
          var full = CP.encode(state);
          note(state, full);
          store(state, full);
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
        }),

        record: guard(function (it) {
          if (!ended) record(it);
        }),

        flush: guard(function () {
          if (!live || ended) return;
          usePending();
          resend();
          commit();
        }),

        finish: guard(function () {
          if (!live || ended) return;
          usePending();
          ended = true;
          if (timer !== null) clearT(timer);
          if (retryTimer !== null) clearT(retryTimer);
          timer = null;
          set(el.sessionTime, d.duration(now() - started));
          end(true);
        })
      };
      if (d.navRequest) {
        /* navigate asks the LMS to go on once this SCO finishes. */
        adapter.navigate = guard(function (request) {
          var value = d.navRequest[request];
          if (!live || ended || !value) return false;
          return put("adl.nav.request", value);
        }, false);
      }
      return adapter;
    };
  };

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
