/* coursepack player: the cmi5 adapter, a dialect of lrs.js. Never touches
 * the DOM.
 *
 * Launch: endpoint, fetch, actor, registration, activityId (all needed).
 * The fetch URL is POSTed once per session; its token is kept in
 * sessionStorage so a reload does not ask again (an "error-code" answer
 * ends the launch). Then LMS.LaunchData, the cmi5LearnerPreferences
 * profile (404 is fine) and the learner's state are read, all at once.
 *
 * Rules: each context is a copy of the context template with things added;
 * the defined statements (initialized, completed, passed, failed,
 * terminated) are about activityId with the cmi5 category, completed,
 * passed and failed also with moveon, passed and failed with masteryscore;
 * no score on completed; initialized first, once per session even across
 * reloads (sessionStorage remembers), terminated last and nothing after it;
 * no defined verb twice in a session, only one of passed and failed;
 * completed and passed once per registration, no failed after passed (the
 * state document remembers); progress only before completed. Browse and
 * Review: only initialized and terminated, and the state is not written.
 * LaunchData's masteryScore replaces the pass mark in the player's config.
 * On Exit, once terminated is sent (or after 5 s), go to returnURL. When
 * the page goes away without Exit (pagehide: a reload, or the window
 * closed), terminated is not sent, only what is queued: a reload goes on
 * with the same session (best practice 17), and a session whose window
 * was closed is the LMS's to abandon. */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./lrs.js") : root.CP;

  var CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var SESSION = CMI5 + "extensions/sessionid";
  var MASTERY = CMI5 + "extensions/masteryscore";
  var DEFINED = { initialized: 1, completed: 1, passed: 1, failed: 1, terminated: 1 };
  var MOVEON = { completed: 1, passed: 1, failed: 1 };

  /* add puts the activity id in list key of ca, unless it is there. */
  function add(ca, key, id) {
    var v = ca[key];
    v = v == null ? [] : Array.isArray(v) ? v : [v];
    if (!v.some(function (a) {
      return a && a.id === id;
    })) v.push({ objectType: "Activity", id: id });
    ca[key] = v;
  }

  function json(r) {
    try {
      return JSON.parse(r.text);
    } catch (e) {
      return null;
    }
  }

  /* token is a promise of the session's auth token. */
  function token(L, env) {
    var key = "coursepack:cmi5:token:" + L.fetch;
    var t = CP.lrsGet(env.session, key);
    if (typeof t === "string" && t) return Promise.resolve(t);
    return env.fetch(L.fetch, { method: "POST", cache: "no-store" }).then(function (res) {
      return res.json();
    }).then(function (j) {
      t = j && j["auth-token"];
      if (typeof t !== "string" || !t) throw new Error("the fetch URL answered error " + (j && j["error-code"]) + ": " + (j && j["error-text"]));
      CP.lrsPut(env.session, key, t);
      return t;
    });
  }

  /* launchData reads LMS.LaunchData, trying three times when the LRS does
   * not answer. */
  function launchData(L, env, client) {
    var tries = 0;
    var params = { activityId: L.activity, agent: JSON.stringify(L.actor), registration: L.registration, stateId: "LMS.LaunchData" };
    function attempt() {
      return client.request("GET", "activities/state", params, null, { timeout: 10000 }).then(function (r) {
        var ld = r.status === 200 && json(r);
        if (ld && ld.contextTemplate && typeof ld.contextTemplate === "object") return ld;
        if ((r.status === 0 || r.status >= 500 || r.status === 429) && ++tries < 3) {
          return new Promise(function (resolve) {
            env.setTimeout(resolve, 1000 * tries);
          }).then(attempt);
        }
        throw new Error("no LMS.LaunchData (HTTP " + r.status + ")");
      });
    }
    return attempt();
  }

  CP.runtimes.cmi5 = CP.lrsAdapter({
    kind: "cmi5",

    launch: function (p) {
      var actor = null;
      try {
        actor = JSON.parse(p.actor);
      } catch (e) {
        actor = null;
      }
      if (!p.endpoint || !p.fetch || !p.registration || !p.activityId || !actor || typeof actor !== "object") return null;
      return { endpoint: p.endpoint, fetch: p.fetch, actor: actor, registration: p.registration, activity: p.activityId, sess: {} };
    },

    open: function (L, env, client, authorized) {
      /* Before the player's own pagehide handler, which finishes. */
      if (env.window && env.window.addEventListener) {
        env.window.addEventListener("pagehide", function () {
          L.hidden = true;
        });
      }
      return token(L, env).then(function (t) {
        L.auth = "Basic " + t;
        if (authorized) authorized();
        var prefs = client.request("GET", "agents/profile", { agent: JSON.stringify(L.actor), profileId: "cmi5LearnerPreferences" });
        return Promise.all([launchData(L, env, client), prefs]);
      }).then(function (r) {
        var ld = r[0], config = env.config;
        L.prefs = r[1].status === 200 ? json(r[1]) : null;
        L.template = JSON.stringify(ld.contextTemplate);
        L.readOnly = ld.launchMode === "Browse" || ld.launchMode === "Review";
        L.returnURL = typeof ld.returnURL === "string" ? ld.returnURL : "";
        L.sessionKey = "coursepack:cmi5:session:" + ((ld.contextTemplate.extensions || {})[SESSION] || L.fetch);
        L.sess = CP.lrsGet(env.session, L.sessionKey) || {};
        if (L.sess.terminated) {
          env.log.warn("coursepack: this cmi5 session has ended; launch the unit again from the LMS");
          return false;
        }
        if (L.sess.t0) L.started = L.sess.t0;
        var ms = ld.masteryScore;
        if (typeof ms === "number" && ms >= 0 && ms <= 1) {
          var pct = Math.round(ms * 10000) / 100;
          if (config.modules.length > 1) config.mastery = pct;
          else config.modules[0].mastery = pct;
        }
        return true;
      });
    },

    unit: function (L) {
      return { objectType: "Activity", id: L.activity };
    },

    context: function (L, verb, info, env) {
      var c = JSON.parse(L.template);
      if (!c.registration) c.registration = L.registration;
      var ca = c.contextActivities && typeof c.contextActivities === "object" ? c.contextActivities : (c.contextActivities = {});
      if (DEFINED[verb]) add(ca, "category", CMI5 + "categories/cmi5");
      if (MOVEON[verb]) add(ca, "category", CMI5 + "categories/moveon");
      if (info.parent) {
        add(ca, "parent", L.activity);
        add(ca, "grouping", info.parent.iri || env.config.iri.replace(/\/+$/, "") + "/" + info.parent.id);
      }
      if ((verb === "passed" || verb === "failed") && info.mastery !== undefined) {
        c.extensions = c.extensions || {};
        if (!(MASTERY in c.extensions)) c.extensions[MASTERY] = info.mastery;
      }
      if (!c.language && env.config.lang) c.language = env.config.lang;
      return c;
    },

    allow: function (L, verb) {
      var s = L.sess;
      if (s.terminated) return false;
      if (L.readOnly) return verb === "initialized" || verb === "terminated";
      return !DEFINED[verb] || !(s[verb] || (MOVEON[verb] && verb !== "completed" && (s.passed || s.failed)));
    },

    sent: function (L, verb, env) {
      if (!DEFINED[verb]) return;
      L.sess[verb] = 1;
      if (verb === "initialized") L.sess.t0 = env.now();
      CP.lrsPut(env.session, L.sessionKey, L.sess);
    },

    end: function (status, L) {
      return L.hidden && !L.asked ? null : "terminated";
    },

    navigate: function (L, request) {
      L.asked = true;
      L.leaving = !!L.returnURL && (request === "exit" || request === "continue");
      return L.leaving;
    },

    after: function (L, env, client) {
      if (!L.leaving) return;
      client.idle(5000).then(function () {
        env.redirect(L.returnURL);
      });
    }
  });

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
