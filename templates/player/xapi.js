/* coursepack player: the xAPI adapter for the Tin Can launch convention,
 * a dialect of the engine in lrs.js. Never touches the DOM.
 *
 * The LMS launches the page with endpoint, auth, actor (xAPI 1.0 or the
 * legacy 0.9 form), and optionally registration, activity_id, grouping,
 * activity_platform and Accept-Language in the query string. Without
 * endpoint, auth or actor the factory returns null and the player keeps
 * progress in the browser only. The credentials are read from the address
 * only and kept in memory.
 *
 * The unit's activity is activity_id, or else the one tincan.xml launches:
 * the module (C/<module>) for a page <module>.html holding one module (a
 * split build), the course (C) otherwise. Statements about pages and
 * questions have their module as parent; every statement has the course
 * (and the launch's grouping) in grouping, unless it is about the course.
 * passed and failed carry score, success and completion. On finish:
 * terminated when the unit is done (completed, passed or failed),
 * suspended otherwise. */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./lrs.js") : root.CP;

  var TYPE = "http://adlnet.gov/expapi/activities/";

  function first(v) {
    return Array.isArray(v) ? v[0] : v;
  }
  function text(v) {
    return typeof v === "string" && v !== "" ? v : null;
  }

  /* agent reads a launch actor (JSON text or object): an xAPI 1.0 agent is
   * returned as given; the legacy 0.9 form (arrays of names and mboxes,
   * account {accountServiceHomePage, accountName}) becomes a 1.0 agent.
   * null when it has no identifier. */
  CP.agent = function (a) {
    if (typeof a === "string") {
      try {
        a = JSON.parse(a);
      } catch (e) {
        return null;
      }
    }
    a = first(a);
    if (!a || typeof a !== "object") return null;
    var out = { objectType: "Agent" }, acc = first(a.account), legacy = false;
    ["name", "mbox", "mbox_sha1sum", "openid", "account"].forEach(function (k) {
      if (Array.isArray(a[k])) legacy = true;
    });
    var name = text(first(a.name)), mbox = text(first(a.mbox));
    if (name) out.name = name;
    if (mbox) {
      out.mbox = /^mailto:/i.test(mbox) ? mbox : "mailto:" + mbox;
      legacy = legacy || out.mbox !== mbox;
    } else if (text(first(a.mbox_sha1sum))) out.mbox_sha1sum = first(a.mbox_sha1sum);
    else if (text(first(a.openid))) out.openid = first(a.openid);
    else if (acc && typeof acc === "object") {
      var home = text(acc.homePage) || text(acc.accountServiceHomePage);
      var id = acc.name != null ? acc.name : acc.accountName;
      if (!home || id == null || id === "") return null;
      out.account = { homePage: home, name: String(id) };
      legacy = legacy || !acc.homePage || acc.name == null;
    } else return null;
    return legacy ? out : a;
  };

  function activity(id) {
    return { objectType: "Activity", id: id };
  }

  CP.runtimes.xapi = CP.lrsAdapter({
    kind: "xapi",

    launch: function (p, env) {
      var actor = CP.agent(p.actor);
      if (!p.endpoint || !p.auth || !actor) return null;
      var config = env.config, mods = config.modules;
      var reg = p.registration || "";
      if (reg && !CP.UUID.test(reg)) {
        env.log.warn("coursepack: the launch registration " + reg + " is not a UUID; left out");
        reg = "";
      }
      var page = "";
      try {
        page = decodeURIComponent(((env.window && env.window.location.pathname) || "").replace(/^.*\//, ""));
      } catch (e) {
        page = "";
      }
      var mod = mods.length === 1 && page === mods[0].id + ".html" ? mods[0] : null;
      var lang = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*/.exec(p["Accept-Language"] || "");
      return {
        endpoint: p.endpoint,
        auth: p.auth,
        actor: actor,
        registration: reg,
        activity: p.activity_id || (mod ? mod.iri || config.iri.replace(/\/+$/, "") + "/" + mod.id : config.iri),
        module: mod,
        grouping: p.grouping || "",
        platform: p.activity_platform || "",
        lang: lang ? lang[0] : ""
      };
    },

    unit: function (L, env) {
      var o = activity(L.activity), c = env.config, m = L.module;
      o.definition = { type: TYPE + (m ? "module" : "course"), name: {} };
      o.definition.name[c.lang || L.lang || "und"] = m ? m.title : c.title;
      return o;
    },

    context: function (L, verb, info, env) {
      var c = {}, ca = {}, grouping = [], about = info.parent ? null : L.activity;
      if (L.registration) c.registration = L.registration;
      if (info.parent) ca.parent = [activity(info.parent.iri || env.config.iri.replace(/\/+$/, "") + "/" + info.parent.id)];
      [env.config.iri, L.grouping].forEach(function (id) {
        if (id && id !== about && !grouping.some(function (a) {
          return a.id === id;
        })) grouping.push(activity(id));
      });
      if (grouping.length) ca.grouping = grouping;
      if (ca.parent || ca.grouping) c.contextActivities = ca;
      if (env.config.lang || L.lang) c.language = env.config.lang || L.lang;
      if (L.platform) c.platform = L.platform;
      return c;
    },

    end: function (status) {
      return CP.isFinal(status) ? "terminated" : "suspended";
    },

    judgedCompletion: true
  });

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
