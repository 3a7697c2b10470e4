/* The test LMS: makes window.API with scorm-again, then launches the SCO in
 * an iframe of the same origin.
 *
 *   /lms/?run=ID          launch what the test server registered as run ID
 *   /lms/?launch=HREF     launch /pkg/HREF (by hand, for debugging)
 *
 * For the tests it keeps, in window.__lms: the number of calls of each API
 * function, every call with its result and error code, and the CMI data
 * after each successful LMSCommit and LMSFinish. scorm-again itself POSTs
 * its commits to /lms/commit/ID (by sendBeacon when the SCO finishes), and
 * this page sends each LMSInitialize, LMSSetValue, LMSCommit and LMSFinish
 * call, and any call that failed or came after LMSFinish, to /lms/event/ID, so that the
 * test still has them when the page has been closed. */
(async function () {
  "use strict";

  var statusEl = document.getElementById("lms-status");
  var params = new URLSearchParams(location.search);
  var config;
  try {
    if (params.has("run")) {
      var res = await fetch("/lms/run/" + encodeURIComponent(params.get("run")));
      if (!res.ok) throw new Error("no run " + params.get("run"));
      config = await res.json();
    } else {
      config = { launch: params.get("launch") || "index.html", preload: null };
    }
  } catch (err) {
    statusEl.textContent = "cannot load the run: " + err.message;
    console.error("test LMS:", err);
    return;
  }

  var runId = config.id;
  var lms = (window.__lms = {
    config: config,
    counts: {},
    calls: [],
    commits: [],
    finishes: [],
  });

  var api = new Scorm12API({
    // With a URL, scorm-again sends each commit to it (the final one by
    // sendBeacon); without, it keeps the data in the page only.
    lmsCommitUrl: runId ? "/lms/commit/" + runId : false,
    autocommit: false,
    logLevel: 4, // errors only
  });
  // The learner's data from an earlier session (for a resume): only before
  // LMSInitialize.
  if (config.preload) api.loadFromJSON(config.preload);
  lms.api = api;

  function report(kind, data) {
    if (!runId) return;
    var body = JSON.stringify({ kind: kind, counts: lms.counts, data: data });
    var blob = new Blob([body], { type: "text/plain" });
    if (!navigator.sendBeacon("/lms/event/" + runId, blob)) {
      console.warn("test LMS: sendBeacon refused the report");
    }
  }

  function snapshot(terminate) {
    // What scorm-again would send the LMS, with total_time worked out.
    return api.renderCommitCMI(terminate, true);
  }

  var names = [
    "LMSInitialize",
    "LMSFinish",
    "LMSGetValue",
    "LMSSetValue",
    "LMSCommit",
    "LMSGetLastError",
    "LMSGetErrorString",
    "LMSGetDiagnostic",
  ];
  names.forEach(function (name) {
    var original = api[name];
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var finishedBefore = api.isTerminated();
      var result = original.apply(api, args);
      lms.counts[name] = (lms.counts[name] || 0) + 1;
      var call = {
        n: lms.calls.length,
        name: name,
        args: args.map(String),
        result: String(result),
        error: String(api.lastErrorCode),
        at: Date.now(),
      };
      lms.calls.push(call);
      var ok = String(result) === "true";
      if ((name === "LMSCommit" || name === "LMSFinish") && ok) {
        var cmi = snapshot(name === "LMSFinish");
        (name === "LMSFinish" ? lms.finishes : lms.commits).push(cmi);
        call.cmi = cmi;
      }
      if (name === "LMSFinish" && ok) statusEl.textContent = "finished";
      if (
        name === "LMSInitialize" ||
        name === "LMSCommit" ||
        name === "LMSFinish" ||
        name === "LMSSetValue" ||
        finishedBefore ||
        (call.error !== "0" && !/^LMSGet(LastError|ErrorString|Diagnostic)$/.test(name))
      ) {
        report("call", call);
      }
      return result;
    };
  });

  window.API = api;
  statusEl.textContent = "running";

  var frame = document.createElement("iframe");
  frame.id = "sco";
  frame.name = "sco";
  frame.title = config.title || "Course content";
  frame.src = "/pkg/" + config.launch;
  document.getElementById("lms-main").appendChild(frame);
})();
