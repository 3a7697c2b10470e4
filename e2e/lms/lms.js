/* The test LMS: makes the SCORM API with scorm-again, then launches the SCO
 * in an iframe of the same origin. A run's `scorm` setting picks the
 * edition: "1.2" (the default: window.API = new Scorm12API) or "2004"
 * (window.API_1484_11 = new Scorm2004API); its `settings` are passed on to
 * scorm-again.
 *
 *   /lms/?run=ID          launch what the test server registered as run ID
 *   /lms/?launch=HREF     launch /pkg/HREF (by hand, for debugging; add
 *                         &scorm=2004 for SCORM 2004)
 *
 * For the tests it keeps, in window.__lms: the number of calls of each API
 * function, every call with its result and error code, and the CMI data
 * after each successful commit and finish (LMSCommit/LMSFinish, or
 * Commit/Terminate). scorm-again itself POSTs its commits to
 * /lms/commit/ID (by sendBeacon when the SCO finishes), and this page sends
 * each initialize, set, commit and finish call, and any call that failed
 * or came after the finish, to /lms/event/ID, so that the test still has
 * them when the page has been closed. Each call carries `tick`, the number
 * of the run of script it was made in (calls with the same tick were made
 * in one go, by one handler of the SCO), and a finish carries
 * `navRequest`, the adl.nav.request that scorm-again held when the SCO
 * terminated (SCORM 2004). The navigation events scorm-again raises
 * (SequenceNext, ...) are reported as kind "nav". */
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
      config = { launch: params.get("launch") || "index.html", preload: null, scorm: params.get("scorm") || "1.2" };
    }
  } catch (err) {
    statusEl.textContent = "cannot load the run: " + err.message;
    console.error("test LMS:", err);
    return;
  }

  var is2004 = config.scorm === "2004";
  // scorm-again's classic-script build for the edition: it sets the global
  // Scorm12API or Scorm2004API.
  try {
    await new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = "/lms/vendor/" + (is2004 ? "scorm2004.js" : "scorm12.js");
      s.onload = resolve;
      s.onerror = function () {
        reject(new Error("cannot load " + s.src));
      };
      document.head.appendChild(s);
    });
  } catch (err) {
    statusEl.textContent = err.message;
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
    nav: [],
  });

  var settings = Object.assign(
    {
      // With a URL, scorm-again sends each commit to it (the final one by
      // sendBeacon); without, it keeps the data in the page only.
      lmsCommitUrl: runId ? "/lms/commit/" + runId : false,
      autocommit: false,
      logLevel: 4, // errors only
    },
    config.settings || {},
  );
  // SCORM 2004 sequencing (config.sequencing: {activityTree, controls,
  // target}): scorm-again gets the activity tree of the manifest's
  // organization, delivers the target item before the SCO starts, and
  // acts on the SCO's adl.nav.request when it terminates: the events of
  // its sequencing service (the activity it delivers next, the end of the
  // sequencing session, errors) are reported as kind "nav".
  if (is2004 && config.sequencing) {
    var seqEvent = function (name) {
      return function (data) {
        var detail;
        try {
          detail = data && typeof data === "object" ? (data.id !== undefined ? { id: data.id } : JSON.parse(JSON.stringify(data))) : data;
        } catch (e) {
          detail = String(data);
        }
        var e = { event: name, data: detail, at: Date.now() };
        lms.nav.push(e);
        report("nav", e);
      };
    };
    var listeners = {};
    [
      "onActivityDelivery",
      "onActivitySuspended",
      "onSequencingSessionEnd",
      "onSequencingError",
      "onSuspendError",
    ].forEach(function (name) {
      listeners[name] = seqEvent(name);
    });
    settings.sequencing = {
      activityTree: config.sequencing.activityTree,
      sequencingControls: config.sequencing.controls || { choice: true, flow: true },
      eventListeners: listeners,
    };
  }
  var api = is2004 ? new Scorm2004API(settings) : new Scorm12API(settings);
  // The learner's data from an earlier session (for a resume): only before
  // the SCO initializes.
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

  // The API's functions: initialize, finish, get, set, commit, then the
  // error functions.
  var fn = is2004
    ? ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString", "GetDiagnostic"]
    : ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"];
  var INIT = fn[0], FINISH = fn[1], SET = fn[3], COMMIT = fn[4];

  // tick counts runs of script: it moves on once the run that made the
  // first call since it last moved has returned (a microtask runs only
  // when no script is on the stack). Calls with the same tick were made
  // in one go, by one event handler or timer of the SCO. A timer would
  // not do: two events of one task (visibilitychange and pagehide as a
  // page closes) can run before it, and their calls would share a tick.
  var tick = 0, tickPending = false;
  function currentTick() {
    if (!tickPending) {
      tickPending = true;
      queueMicrotask(function () {
        tick++;
        tickPending = false;
      });
    }
    return tick;
  }

  // Fault injection: lms.faults lists rules, from the run's `faults` or
  // pushed by a test while the SCO runs (see openRun's fault()). A rule
  // {fn, element, skip, times, error, throws} fails the calls of fn ("*":
  // any function but the error functions) whose first argument matches
  // the regular expression element (when given), after letting `skip` of
  // them through, `times` times at most (no limit when absent): the call
  // returns "false" ("" for a get) without reaching scorm-again, and the
  // last-error function then gives `error` ("101" when absent); with
  // throws, it throws instead. Such calls are kept and reported with
  // injected: true. With no rule, nothing changes.
  lms.faults = (config.faults || []).slice();
  var injectedError = null;
  function injected(name, args) {
    for (var k = 0; k < lms.faults.length; k++) {
      var r = lms.faults[k];
      if (r.fn !== name && r.fn !== "*") continue;
      if (r.element && !new RegExp(r.element).test(String(args[0]))) continue;
      r.seen = (r.seen || 0) + 1;
      var n = r.seen - (r.skip || 0);
      if (n >= 1 && (r.times == null || n <= r.times)) return r;
    }
    return null;
  }

  fn.forEach(function (name, i) {
    var original = api[name];
    var errorFn = i >= 5;
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      var rule = errorFn ? null : injected(name, args);
      if (rule) {
        injectedError = String(rule.error || "101");
        lms.counts[name] = (lms.counts[name] || 0) + 1;
        var failedCall = {
          n: lms.calls.length,
          name: name,
          args: args.map(String),
          result: rule.throws ? "threw" : "false",
          error: injectedError,
          at: Date.now(),
          tick: currentTick(),
          injected: true,
        };
        lms.calls.push(failedCall);
        report("call", failedCall);
        if (rule.throws) throw new Error("test LMS: " + name + " fails (injected)");
        return i === 2 ? "" : "false";
      }
      // With appendComments, a write to cmi.comments adds to what scorm-again
      // holds, as Moodle's SCORM 1.2 runtime does (the call is logged as
      // the SCO made it).
      var passed = args;
      if (config.appendComments && name === SET && args[0] === "cmi.comments") {
        passed = [args[0], String(api.cmi.comments || "") + String(args[1])];
      }
      if (!errorFn) injectedError = null;
      else if (i === 5 && injectedError !== null) return injectedError;
      var finishedBefore = api.isTerminated();
      var navRequest = name === FINISH && is2004 ? String(api.adl.nav.request) : undefined;
      var result = original.apply(api, passed);
      lms.counts[name] = (lms.counts[name] || 0) + 1;
      var call = {
        n: lms.calls.length,
        name: name,
        args: args.map(String),
        result: String(result),
        error: String(api.lastErrorCode),
        at: Date.now(),
        tick: currentTick(),
      };
      if (navRequest !== undefined) call.navRequest = navRequest;
      lms.calls.push(call);
      var ok = String(result) === "true";
      if ((name === COMMIT || name === FINISH) && ok) {
        var cmi = snapshot(name === FINISH);
        (name === FINISH ? lms.finishes : lms.commits).push(cmi);
        call.cmi = cmi;
      }
      if (name === FINISH && ok) statusEl.textContent = "finished";
      if (
        name === INIT ||
        name === COMMIT ||
        name === FINISH ||
        name === SET ||
        finishedBefore ||
        (call.error !== "0" && !errorFn)
      ) {
        report("call", call);
      }
      return result;
    };
  });

  if (is2004) {
    // The navigation events scorm-again raises on Terminate.
    [
      "SequenceNext",
      "SequencePrevious",
      "SequenceChoice",
      "SequenceJump",
      "SequenceExit",
      "SequenceExitAll",
      "SequenceAbandon",
      "SequenceAbandonAll",
      "SequenceRetry",
      "SequenceRetryAll",
    ].forEach(function (event) {
      api.on(event, function () {
        var e = { event: event, args: Array.prototype.slice.call(arguments).map(String), at: Date.now() };
        lms.nav.push(e);
        report("nav", e);
      });
    });
    window.API_1484_11 = api;
    if (config.sequencing) {
      // Deliver the SCO's item, as an LMS does when the learner chooses it.
      var delivered = api.processNavigationRequest("choice", config.sequencing.target);
      if (!delivered) console.error("test LMS: scorm-again did not deliver " + config.sequencing.target);
    }
  } else window.API = api;
  statusEl.textContent = "running";

  var frame = document.createElement("iframe");
  frame.id = "sco";
  frame.name = "sco";
  frame.title = config.title || "Course content";
  frame.src = "/pkg/" + config.launch;
  document.getElementById("lms-main").appendChild(frame);
})();
