/* coursepack player: the xAPI 1.0.3 engine of the Tin Can (xapi.js) and
 * cmi5 (cmi5.js) adapters. Never touches the DOM.
 *
 * CP.lrs is an LRS client with a statement queue. A statement gets its UUID
 * and timestamp when made and never changes, so resending is harmless. The
 * queue is kept in localStorage (statements only, never credentials) per
 * endpoint, activity, registration and learner, and sent in order in
 * batches (50 statements, 60 kB). 2xx, or 409 for a lone statement (the LRS
 * has it): done. No answer, 401, 408, 429, 5xx: retried after 1, 2, 4 ...
 * 60 s (at once when the browser is back online), with notify("offline")
 * until a request gets through (notify("online")). Another refusal: the
 * batch goes one statement at a time, and a lone statement refused is
 * logged and dropped, so the queue never jams. flush() sends the head of the
 * queue with fetch keepalive; what is left goes at the next launch.
 *
 * CP.lrsAdapter(dialect) makes an adapter factory (interface: cmi.js). The
 * state lives in the State API, stateId "coursepack-state": {v: 1, t: ms,
 * l: bookmark, st: status, sc: score, d: CP.encode(state), x: {c, p, f:
 * completed, passed, failed sent}}, written at most once a second, read at
 * launch (404: fresh start) and mirrored in localStorage until the LRS has
 * it (a newer unsent copy wins at the next launch). Statements: initialized;
 * per page shown, experienced (the page C/<module>/_page/<id>, parent its
 * module) and, while the share of pages seen grows and before completed,
 * progressed (result extension progress, 0-100); answered per checked
 * question or changed reflection (a cmi.interaction with its definition);
 * completed once done (completed, passed, or failed with every page seen);
 * passed or failed once judged; the dialect's verb on finish (none when
 * the dialect's end gives none: the queue is still flushed). */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./core.js") : root.CP;

  var BATCH = 50, MAX_BODY = 60000, KEEPALIVE = 32000, MAX_WAIT = 60000;
  var VERBS = "http://adlnet.gov/expapi/verbs/";
  var INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction";
  var PAGE = "http://activitystrea.ms/schema/1.0/page";
  CP.PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";
  CP.UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  /* query parses a query string; the first of repeated names wins. "+"
   * stays "+" (as in TinCanJS), so a Basic auth value survives. */
  CP.query = function (search) {
    var out = {};
    String(search || "").replace(/^\?/, "").split("&").forEach(function (part) {
      var i = part.indexOf("="), k, v;
      try {
        k = decodeURIComponent(i < 0 ? part : part.slice(0, i));
        v = i < 0 ? "" : decodeURIComponent(part.slice(i + 1));
      } catch (e) {
        return;
      }
      if (k && !(k in out)) out[k] = v;
    });
    return out;
  };

  /* uuid is a random (version 4) UUID. */
  CP.uuid = function () {
    var c = root.crypto || (typeof crypto === "object" ? crypto : null);
    if (c && c.randomUUID) return c.randomUUID();
    var b = new Uint8Array(16), h = "", i;
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  };

  /* bytes is the UTF-8 length of s. */
  function bytes(s) {
    try {
      return encodeURIComponent(s).replace(/%../g, "x").length;
    } catch (e) {
      return s.length * 3;
    }
  }

  function transient(status) {
    return status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;
  }
  function ok(status) {
    return status >= 200 && status < 300;
  }

  /* lrs makes a client. o: endpoint, auth() (the Authorization value),
   * fetch, storage (localStorage-like, or null), key, log, notify, now,
   * setTimeout, clearTimeout, random, window (for its online event). */
  CP.lrs = function (o) {
    var endpoint = o.endpoint.replace(/\/?$/, "/");
    var setT = o.setTimeout, clearT = o.clearTimeout, log = o.log;
    var q = load(), sending = false, timer = null, fails = 0, single = 0, offline = false, idlers = [];

    function load() {
      try {
        var v = o.storage && JSON.parse(o.storage.getItem(o.key) || "[]");
        return Array.isArray(v) ? v.filter(function (s) {
          return s && typeof s.id === "string";
        }) : [];
      } catch (e) {
        return [];
      }
    }
    function persist() {
      if (!o.storage) return;
      try {
        if (q.length) o.storage.setItem(o.key, JSON.stringify(q));
        else o.storage.removeItem(o.key);
      } catch (e) {
        log.warn("coursepack: the statement queue cannot be kept in this browser", e);
      }
    }

    /* request resolves to {status, text}, status 0 when nothing came back
     * (network error, or no answer within opt.timeout ms, 30 s by default). */
    function request(method, path, params, body, opt) {
      opt = opt || {};
      var qs = Object.keys(params || {}).filter(function (k) {
        return params[k] != null && params[k] !== "";
      }).map(function (k) {
        return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
      }).join("&");
      var headers = { "X-Experience-API-Version": "1.0.3", Authorization: o.auth() };
      if (body != null) headers["Content-Type"] = "application/json";
      var init = { method: method, headers: headers, cache: "no-store" };
      if (body != null) init.body = body;
      if (opt.keepalive) init.keepalive = true;
      var ctl = !opt.keepalive && typeof AbortController === "function" ? new AbortController() : null;
      var t = null;
      if (ctl) {
        init.signal = ctl.signal;
        t = setT(function () {
          ctl.abort();
        }, opt.timeout || 30000);
      }
      function end(r) {
        if (t !== null) clearT(t);
        return r;
      }
      try {
        return o.fetch(endpoint + path + (qs ? "?" + qs : ""), init).then(function (res) {
          return res.text().then(function (txt) {
            return end({ status: res.status, text: txt });
          }, function () {
            return end({ status: res.status, text: "" });
          });
        }, function () {
          return end({ status: 0, text: "" });
        });
      } catch (e) {
        return Promise.resolve(end({ status: 0, text: "" }));
      }
    }

    /* take is the head of the queue that fits in limit bytes (at least one
     * statement), one statement at a time while single > 0. */
    function take(limit) {
      var out = [], size = 2, max = single > 0 ? 1 : BATCH;
      for (var i = 0; i < q.length && out.length < max; i++) {
        var n = bytes(JSON.stringify(q[i])) + 1;
        if (out.length && size + n > limit) break;
        out.push(q[i]);
        size += n;
      }
      return out;
    }

    function post(batch, keepalive) {
      return request("POST", "statements", null, JSON.stringify(batch), { keepalive: keepalive }).then(function (r) {
        return r.status;
      });
    }

    function drop(batch) {
      var ids = {};
      batch.forEach(function (s) {
        ids[s.id] = true;
      });
      q = q.filter(function (s) {
        return !ids[s.id];
      });
      persist();
      if (!q.length) {
        idlers.splice(0).forEach(function (f) {
          f(true);
        });
      }
    }

    function reached() {
      fails = 0;
      if (offline) {
        offline = false;
        o.notify("online");
      }
    }

    function pump() {
      if (sending || timer !== null || !q.length) return;
      var batch = take(MAX_BODY);
      sending = true;
      post(batch, false).then(function (status) {
        sending = false;
        if (transient(status)) return retry();
        reached();
        if (ok(status) || (status === 409 && batch.length === 1)) {
          drop(batch);
          if (single > 0) single -= batch.length;
        } else if (batch.length > 1) {
          single = batch.length;
        } else {
          log.error("coursepack: the LRS refused statement " + batch[0].id + " (HTTP " + status + "); it is dropped");
          drop(batch);
          if (single > 0) single--;
        }
        pump();
      });
    }

    function retry() {
      fails++;
      if (!offline) {
        offline = true;
        o.notify("offline");
      }
      var wait = Math.min(MAX_WAIT, 1000 * Math.pow(2, fails - 1)) * (0.5 + o.random() / 2);
      timer = setT(function () {
        timer = null;
        pump();
      }, wait);
    }

    if (o.window && o.window.addEventListener) {
      o.window.addEventListener("online", function () {
        if (timer === null) return;
        clearT(timer);
        timer = null;
        pump();
      });
    }

    return {
      request: request,
      /* add queues a statement; send queues it and starts sending. */
      add: function (s) {
        q.push(s);
        persist();
      },
      send: function (s) {
        this.add(s);
        pump();
      },
      pump: pump,
      pending: function () {
        return q.length;
      },
      /* flush sends the head of the queue with keepalive. */
      flush: function () {
        if (!q.length) return;
        var batch = take(KEEPALIVE);
        post(batch, true).then(function (status) {
          if (ok(status) || (status === 409 && batch.length === 1)) drop(batch);
          pump();
        });
      },
      /* idle resolves to true once the queue is empty, false after ms. */
      idle: function (ms) {
        return new Promise(function (resolve) {
          if (!q.length) return resolve(true);
          idlers.push(resolve);
          setT(function () {
            resolve(false);
          }, ms);
        });
      }
    };
  };

  function storageOf(win, name) {
    try {
      var s = win[name], k = "coursepack:probe";
      s.setItem(k, "1");
      s.removeItem(k);
      return s;
    } catch (e) {
      return null; /* blocked, or no window */
    }
  }

  function get(storage, key) {
    try {
      return storage ? JSON.parse(storage.getItem(key) || "null") : null;
    } catch (e) {
      return null;
    }
  }
  function put(storage, key, v) {
    try {
      if (storage) storage.setItem(key, JSON.stringify(v));
    } catch (e) {
      /* full or blocked: the LRS copy still counts */
    }
  }
  CP.lrsGet = get;
  CP.lrsPut = put;

  /* shorten cuts s to n characters (code points) the way tincan.xml names
   * are cut: trailing spaces dropped and "…" added. */
  function shorten(s, n) {
    var r = Array.from(s);
    return r.length <= n ? s : r.slice(0, n - 1).join("").replace(/ +$/, "") + "\u2026";
  }

  /* safe keeps a learner's text from splitting on the [,] and [.]
   * delimiters of the response formats. */
  function safe(s) {
    return String(s).replace(/\[([,.])\]/g, "[ $1]");
  }

  var TYPES = { choice: "choice", "true-false": "true-false", text: "fill-in", reflection: "long-fill-in" };

  /* pattern writes a response (or a correct response) in the SCORM 2004
   * format of xAPI interactions. */
  function pattern(kind, r, correct) {
    if (kind === "choice") return r.split("").join("[,]");
    if (kind === "true-false") return r === "t" ? "true" : "false";
    return correct ? "{case_matters=false}" + String(r).trim() : safe(r);
  }

  /* lrsAdapter: dialect d has kind; launch(params, env) -> L {endpoint,
   * actor, registration, activity, auth, ...} or null (partial launch);
   * open(L, env, client, authorized) -> promise of go (may set L.auth,
   * L.readOnly, L.started; calls authorized() once L.auth is set, so that
   * the learner's state is read meanwhile); unit(L, env) -> the unit's activity; context(L, verb, info
   * {parent module, mastery 0-1}, env); allow(L, verb); sent(L, verb, env);
   * end(status, L) -> the last verb, or null for none; judgedCompletion; after(L, env, client);
   * navigate(L, request). The optional ones may be left out. opts (for
   * tests): search, window, fetch, storage, session, now, setTimeout,
   * clearTimeout, random, log, notify, redirect. */
  CP.lrsAdapter = function (d) {
    return function (config, opts) {
      opts = opts || {};
      var win = opts.window || (typeof window === "object" ? window : null);
      var f = opts.fetch || (typeof fetch === "function" ? function (u, i) {
        return fetch(u, i);
      } : null);
      var env = {
        config: config,
        window: win,
        fetch: f,
        local: opts.storage !== undefined ? opts.storage : storageOf(win, "localStorage"),
        session: opts.session !== undefined ? opts.session : storageOf(win, "sessionStorage"),
        now: opts.now || Date.now,
        /* Wrapped: a browser's setTimeout called as a method of env throws. */
        setTimeout: opts.setTimeout || function (fn, ms) {
          return setTimeout(fn, ms);
        },
        clearTimeout: opts.clearTimeout || function (id) {
          clearTimeout(id);
        },
        random: opts.random || Math.random,
        log: opts.log || console,
        notify: opts.notify || function () {},
        redirect: opts.redirect || function (url) {
          win.location.href = url;
        }
      };
      var search = opts.search != null ? opts.search : win && win.location ? win.location.search : "";
      var L = f && config.iri ? d.launch(CP.query(search), env) : null;
      if (!L) return null;

      var ifi = L.actor.mbox || L.actor.mbox_sha1sum || L.actor.openid || (L.actor.account ? L.actor.account.homePage + "|" + L.actor.account.name : "");
      var base = "coursepack:lrs:" + [L.endpoint, L.activity, L.registration || "", ifi].join("|");
      var mirrorKey = base + "#state";
      var lang = config.lang || L.lang || "und";
      var client = null, live = false, done = false, started = 0, lastStamp = 0;
      var status = "", score = null, sent = {}, lastLoc = null, progress = 0;
      var doc = null, docTimer = null, docBusy = false, docFails = 0;
      var stateParams = { activityId: L.activity, agent: JSON.stringify(L.actor), registration: L.registration, stateId: "coursepack-state" };

      function lmap(s) {
        var m = {};
        m[lang] = s;
        return m;
      }
      function moduleIRI(mod) {
        return mod.iri || config.iri.replace(/\/+$/, "") + "/" + mod.id;
      }
      function stamp() {
        lastStamp = Math.max(env.now(), lastStamp + 1);
        return new Date(lastStamp).toISOString();
      }
      function sessionTime() {
        return CP.duration(env.now() - started);
      }

      /* emit makes a statement and queues it (add: without sending yet). */
      function emit(verb, object, result, info, add) {
        if (done || (d.allow && !d.allow(L, verb))) return false;
        var s = { id: CP.uuid(), actor: L.actor, verb: { id: VERBS + verb, display: { "en-US": verb } }, object: object, timestamp: stamp() };
        if (result) s.result = result;
        var ctx = d.context(L, verb, info || {}, env);
        if (ctx && Object.keys(ctx).length) s.context = ctx;
        client[add ? "add" : "send"](s);
        if (d.sent) d.sent(L, verb, env);
        return true;
      }

      function unit() {
        return d.unit(L, env);
      }

      function mastery() {
        var m = config.modules.length > 1 ? config.mastery : config.modules[0].mastery;
        return typeof m === "number" ? Math.round(m * 100) / 10000 : undefined;
      }

      function judged(pass, sc, complete) {
        var r = {};
        if (typeof sc === "number" && isFinite(sc)) {
          sc = Math.max(0, Math.min(100, Math.round(sc)));
          r.score = { scaled: sc / 100, raw: sc, min: 0, max: 100 };
        }
        r.success = pass;
        if (d.judgedCompletion) r.completion = complete;
        r.duration = sessionTime();
        return r;
      }

      /* ---- the state document ---- */

      function mirror(x, ack) {
        put(env.local, mirrorKey, { ack: ack, doc: x });
      }

      function putDoc(keepalive) {
        if (docTimer !== null) {
          env.clearTimeout(docTimer);
          docTimer = null;
        }
        var mine = doc;
        if (!mine || docBusy) return;
        var body = JSON.stringify(mine);
        keepalive = keepalive && bytes(body) <= KEEPALIVE;
        if (!keepalive) docBusy = true;
        client.request("PUT", "activities/state", stateParams, body, { keepalive: keepalive }).then(function (r) {
          if (!keepalive) docBusy = false;
          if (ok(r.status)) {
            docFails = 0;
            if (doc === mine) {
              doc = null;
              mirror(mine, true);
            }
          } else if (keepalive) {
            return;
          } else if (transient(r.status)) {
            docFails++;
            docTimer = env.setTimeout(putDoc, Math.min(MAX_WAIT, 2000 * Math.pow(2, docFails - 1)));
            return;
          } else {
            env.log.error("coursepack: the LRS refused the learner's state (HTTP " + r.status + ")");
            if (doc === mine) doc = null;
          }
          if (doc) schedule();
        });
      }

      function schedule() {
        if (docTimer === null && !docBusy) docTimer = env.setTimeout(putDoc, 1000);
      }

      function keep(state) {
        if (L.readOnly) return;
        doc = { v: 1, t: env.now(), l: state.loc || "", st: status, d: CP.encode(state), x: sent };
        if (score !== null) doc.sc = score;
        mirror(doc, false);
        schedule();
      }

      /* readDoc gets the state document: {doc} (null for none) or {failed}. */
      function readDoc() {
        return client.request("GET", "activities/state", stateParams, null, { timeout: 8000 }).then(function (r) {
          if (r.status === 404) return { doc: null };
          if (r.status !== 200) return { failed: r.status };
          try {
            var v = JSON.parse(r.text);
            return { doc: v && v.v === 1 ? v : null };
          } catch (e) {
            return { doc: null };
          }
        });
      }

      /* ---- statements about pages and interactions ---- */

      function experienced(loc) {
        var at = CP.findLocation(config, loc);
        if (!at) return;
        var mod = config.modules[at.mi], id = mod.pages[at.pi];
        emit("experienced", {
          objectType: "Activity",
          id: moduleIRI(mod) + "/_page/" + id,
          definition: { type: PAGE, name: lmap((mod.titles && mod.titles[at.pi]) || id) }
        }, null, { parent: mod });
      }

      /* find returns the module and config entry of interaction it. */
      function find(it) {
        var refl = it.kind === "reflection";
        var want = refl ? it.ref : it.q || String(it.id).replace(/-\d+$/, "");
        for (var i = 0; i < config.modules.length; i++) {
          var mod = config.modules[i], list = (refl ? mod.reflections : mod.questions) || [];
          for (var j = 0; j < list.length; j++) {
            if (list[j].id === want || list[j].id === it.id) return { mod: mod, x: list[j] };
          }
        }
        return null;
      }

      var adapter = {
        kind: d.kind,

        init: function () {
          client = CP.lrs({
            endpoint: L.endpoint, fetch: f, storage: env.local, key: base, log: env.log, notify: env.notify,
            setTimeout: env.setTimeout, clearTimeout: env.clearTimeout, random: env.random, window: win,
            auth: function () {
              return L.auth;
            }
          });
          /* The learner's state is read as soon as the LRS can be asked,
           * alongside what open still waits for. */
          var reading = null;
          function authorized() {
            reading = reading || readDoc();
          }
          return Promise.resolve(d.open ? d.open(L, env, client, authorized) : true).then(function (go) {
            if (!go) return null;
            authorized();
            return reading.then(function (r) {
              var m = get(env.local, mirrorKey), use = r.doc;
              if (m && m.doc && m.doc.v === 1 && (r.failed !== undefined || (!m.ack && !(use && use.t >= m.doc.t)))) {
                use = m.doc;
                if (!m.ack && !L.readOnly) doc = use;
              }
              if (r.failed !== undefined) env.log.warn("coursepack: cannot read the learner's state from the LRS (HTTP " + r.failed + ")");
              status = use && typeof use.st === "string" ? use.st : "";
              score = use && typeof use.sc === "number" ? use.sc : null;
              var x = (use && use.x) || {};
              sent = { c: !!x.c, p: !!x.p, f: !!x.f };
              var raw = use ? CP.decode(use.d) : null;
              progress = raw ? Math.floor(CP.progress(CP.normalize(raw, config)) * 100) : 0;
              started = L.started || env.now();
              live = true;
              emit("initialized", unit());
              if (doc) schedule();
              return { entry: use ? "resume" : "ab-initio", state: raw, location: (use && use.l) || "", status: status };
            });
          }).catch(function (e) {
            env.log.error("coursepack: the " + d.kind + " launch failed", e);
            return null;
          });
        },

        save: function (state, next, sc) {
          if (!live || done) return;
          var merged = CP.mergeStatus(status, next);
          if (state.loc && state.loc !== lastLoc) {
            lastLoc = state.loc;
            experienced(state.loc);
          }
          var share = CP.progress(state), p = Math.floor(share * 100);
          if (p > progress) {
            progress = p;
            var ext = {};
            ext[CP.PROGRESS] = p;
            if (!sent.c) emit("progressed", unit(), { extensions: ext });
          }
          var complete = merged === "completed" || merged === "passed" || (merged === "failed" && share === 1);
          if (typeof sc === "number") score = sc;
          if (complete && !sent.c && emit("completed", unit(), { completion: true, duration: sessionTime() })) sent.c = true;
          var info = { mastery: mastery() };
          if (merged === "passed" && !sent.p) {
            if (emit("passed", unit(), judged(true, score, complete), info)) sent.p = true;
          } else if (merged === "failed" && !sent.f && !sent.p) {
            if (emit("failed", unit(), judged(false, score, complete), info)) sent.f = true;
          }
          status = merged;
          keep(state);
        },

        record: function (it) {
          if (!live || done) return;
          var hit = find(it);
          if (!hit) return;
          var x = hit.x, kind = it.kind, name = x.text || x.id;
          var def = { type: INTERACTION, name: lmap(shorten(name, 120)), description: lmap(name), interactionType: TYPES[kind] || "other" };
          var res = { response: pattern(kind, String(it.response)) };
          if (kind !== "reflection") {
            var right = (it.correct || []).filter(function (c) {
              return c !== "";
            }).map(function (c) {
              return pattern(kind, c, true);
            });
            if (right.length) def.correctResponsesPattern = right;
            if (x.choices && x.choices.length) {
              def.choices = x.choices.map(function (c) {
                return { id: c.id, description: lmap(c.text) };
              });
            }
            if (typeof it.result === "boolean") res.success = it.result;
          }
          if (typeof it.latency === "number") res.duration = CP.duration(it.latency);
          emit("answered", { objectType: "Activity", id: x.iri || moduleIRI(hit.mod) + "/" + x.id, definition: def }, res, { parent: hit.mod });
        },

        flush: function () {
          if (!live) return;
          if (!done) putDoc(true);
          client.flush();
        },

        finish: function () {
          if (!live || done) return;
          var last = d.end(status, L);
          if (last) emit(last, unit(), { duration: sessionTime() }, null, true);
          done = true;
          putDoc(true);
          client.flush();
          if (d.after) d.after(L, env, client);
        }
      };
      if (d.navigate) {
        adapter.navigate = function (request) {
          return live && !done && d.navigate(L, request);
        };
      }
      return adapter;
    };
  };

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
