/* coursepack player: standalone adapter, used when no runtime is found (or
 * for the "web" runtime). Keeps the same state in localStorage under the
 * config's storage key. Never touches the DOM; see scorm12.js for the shape
 * of an adapter. */
(function (root) {
  "use strict";

  var CP = typeof module === "object" && module.exports ? require("./core.js") : root.CP;

  /* opts (optional): storage (a Storage-like object, for tests), notify
   * (see scorm12.js). */
  CP.runtimes.local = function (config, opts) {
    opts = opts || {};
    var notify = opts.notify || function () {};
    var storage = opts.storage;
    if (!storage) {
      try {
        storage = root.localStorage;
        var probe = config.key + ":probe";
        storage.setItem(probe, "1");
        storage.removeItem(probe);
      } catch (e) {
        storage = null; /* blocked (sandbox, privacy settings) */
      }
    }
    var status = "";

    return {
      kind: "local",
      /* persistent is false when progress cannot be kept at all. */
      persistent: !!storage,

      init: function () {
        var rec = null;
        try {
          rec = storage && JSON.parse(storage.getItem(config.key) || "null");
        } catch (e) {
          rec = null;
        }
        if (!rec || typeof rec !== "object") return { entry: "ab-initio", state: null, location: "", status: "" };
        status = typeof rec.st === "string" ? rec.st : "";
        var state = CP.decode(rec.d);
        return { entry: "resume", state: state, location: state && state.l || "", status: status };
      },

      save: function (state, next, score) {
        status = CP.mergeStatus(status, next);
        if (!storage) return;
        var rec = { st: status, d: CP.encode(state) };
        if (typeof score === "number") rec.sc = score;
        try {
          storage.setItem(config.key, JSON.stringify(rec));
          notify("stored");
        } catch (e) {
          console.warn("coursepack: progress not saved in this browser", e);
          notify("unsaved");
        }
      },

      /* Nobody reads interactions here: the state keeps the answers. */
      record: function () {},

      flush: function () {},
      finish: function () {}
    };
  };

  CP.runtimes.web = CP.runtimes.local;

  if (typeof module === "object" && module.exports) module.exports = CP;
})(this);
