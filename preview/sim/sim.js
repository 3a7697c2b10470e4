/* coursepack preview: the simulator page. It follows the server's builds
 * (Server-Sent Events from _preview/events), launches the chosen SCO in
 * the iframe with an LMS run-time of runtime.js behind window.API (SCORM
 * 1.2) or window.API_1484_11 (SCORM 2004), keeps each SCO's record in this
 * page's localStorage, and shows what the LMS holds and every API call.
 * For xapi and cmi5 the server is the LRS: the unit is launched with the
 * parameters it hands out (_preview/lrs/launch), and lrs.js shows the
 * statements and documents it holds. */
(function () {
  "use strict";

  var SIM = window.SIM;
  var PREFIX = "cp-preview:";
  var MAX_LOG = 1500;

  function $(id) {
    return document.getElementById(id);
  }
  var frame = $("sco");
  var select = $("unit-select");
  var strictBox = $("strict");
  var logList = $("log");
  var logScroll = $("log-scroll");
  var tbody = $("data-table").tBodies[0];

  var state = null; /* the server's last State */
  var shown = 0; /* the build (State.served) the iframe shows */
  var showLast = false; /* show the last good build despite a failed one */
  var unit = null; /* the unit launched */
  var session = null; /* runtime.js session of the launch, or null */
  var unloading = false;
  var queue = Promise.resolve();
  var expanded = {};
  var previous = {};
  var lrsLaunch = null; /* the LRS's launch of the unit shown, or null */
  var lrsView = null;
  var lrsNames = {}; /* the units' activity ids, to their titles */

  /* ---- storage ---- */

  function getItem(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function setItem(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch (e) {
      logEvent("this browser would not keep the learner's data: " + e.message, "fail");
    }
  }
  function load(key) {
    try {
      return JSON.parse(getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }
  function courseKey() {
    return state.format + "|" + state.layout + "|" + state.course.id;
  }
  function recordKey(u) {
    return PREFIX + "rec:" + courseKey() + ":" + u.id;
  }
  /* courseStorage lists the keys the course itself wrote in this origin
   * (the html format's progress, the player's local copy of notes). */
  function courseStorage() {
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k.indexOf(PREFIX) !== 0) keys.push(k);
      }
    } catch (e) {
      /* no storage */
    }
    return keys.sort();
  }

  function strict() {
    return strictBox.checked;
  }
  strictBox.checked = getItem(PREFIX + "strict") !== "0";
  strictBox.addEventListener("change", function () {
    setItem(PREFIX + "strict", strict() ? "1" : "0");
    if (lrsKind()) {
      tellStrict();
      return; /* the LRS logs the change */
    }
    logEvent(strict() ? "strict mode: Moodle's formats, limits and LMSFinish rules" : "lenient mode: any value of the right kind; status as the SCO sets it");
    render();
  });

  function version() {
    if (!state) return null;
    return state.runtime === "scorm2004" ? "2004" : state.runtime === "scorm12" ? "1.2" : null;
  }

  /* lrsKind is "xapi" or "cmi5" when the server's LRS runs the course. */
  function lrsKind() {
    return state && (state.runtime === "xapi" || state.runtime === "cmi5") ? state.runtime : null;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      cache: "no-store",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? "{}" : JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () {
        return {};
      }).then(function (j) {
        if (!res.ok) throw new Error(j.error || "HTTP " + res.status);
        return j;
      });
    });
  }

  function tellStrict() {
    return post("_preview/lrs/settings", { strict: strict() }).catch(function (e) {
      logEvent("the LRS did not take the strict switch: " + e.message, "fail");
    });
  }

  /* withQuery adds a query string to a URL that may have one. */
  function withQuery(href, q) {
    var hash = href.indexOf("#");
    var base = hash >= 0 ? href.slice(0, hash) : href, frag = hash >= 0 ? href.slice(hash) : "";
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + q + frag;
  }

  /* ---- the API objects ----
   * The content finds them once and keeps them, so they stay the same
   * objects and pass each call to the current launch's session. */

  var idle = {};
  function facade(v) {
    var dead = SIM.session({ version: v, strict: strict });
    dead.end();
    var names = v === "2004"
      ? ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString", "GetDiagnostic"]
      : ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"];
    var api = {};
    names.forEach(function (name) {
      api[name] = function (a, b) {
        var s = session && session.version === v ? session : dead;
        return s.api[name](a, b);
      };
    });
    idle[v] = dead;
    return api;
  }

  /* ---- launching ---- */

  function serial(fn) {
    queue = queue.then(fn, fn).catch(function (e) {
      console.error("coursepack preview:", e);
    });
    return queue;
  }

  function setSession(text, ended) {
    var p = $("session-status");
    p.textContent = text;
    p.classList.toggle("ended", !!ended);
  }

  /* unload closes the course page as a browser does when the learner
   * leaves (the content's pagehide handlers run and may finish), then the
   * LMS ends the session: what the SCO did not commit is lost. */
  function unload() {
    return new Promise(function (resolve) {
      var done = function () {
        frame.removeEventListener("load", done);
        clearTimeout(timer);
        unloading = false;
        if (session && session.state() === "running") session.end();
        render();
        var ended = lrsLaunch;
        lrsLaunch = null;
        if (!ended) {
          resolve();
          return;
        }
        /* The LMS closes the launch once what the page sent as it went
         * has arrived: a cmi5 session without terminated is abandoned. */
        setTimeout(function () {
          post("_preview/lrs/end?launch=" + encodeURIComponent(ended.id)).catch(function () {}).then(function () {
            if (unit) setSession(unit.title + ": closed (launch " + ended.id + "). Suspend & resume launches it again.", true);
            resolve();
          });
        }, 300);
      };
      var timer = null;
      var src = frame.getAttribute("src");
      if (!src || src === "about:blank") {
        done();
        return;
      }
      unloading = true;
      timer = setTimeout(done, 3000);
      frame.addEventListener("load", done);
      frame.src = "about:blank";
    });
  }

  function unitIndex(u) {
    for (var i = 0; i < state.units.length; i++) if (state.units[i].id === u.id) return i;
    return -1;
  }

  function launch(u) {
    return serial(function () {
      return unload().then(function () {
        return start(u);
      });
    });
  }

  /* startLRS asks the LRS for a launch of unit u and opens it. */
  function startLRS(u, kind) {
    session = null;
    var served = state.served;
    return post("_preview/lrs/launch", { kind: kind, activityId: u.activityId, publisherId: u.activityId, moveOn: u.moveOn || "", masteryScore: u.masteryScore || "" }).then(function (ln) {
      lrsLaunch = ln;
      lrsNames[ln.activityId] = u.title + (kind === "cmi5" ? " (AU)" : "");
      setSession("Launched " + u.title + " (" + u.href + ") as launch " + ln.id + ", registration " + ln.registration +
        (kind === "cmi5" ? ", session " + ln.sessionId : "") + ": waiting for initialized…");
      frame.src = "course/" + withQuery(u.href, ln.query);
      shown = served;
      render();
    }, function (e) {
      setSession("The LRS would not launch " + u.title + ": " + e.message, true);
    });
  }

  function start(u) {
    unit = u;
    setItem(PREFIX + "unit:" + courseKey(), u.id);
    select.value = u.id;
    var v = version();
    var kind = lrsKind();
    if (kind) return startLRS(u, kind);
    if (v) {
      var i = unitIndex(u);
      var s = SIM.session({
        version: v,
        strict: strict,
        unit: u,
        record: load(recordKey(u)),
        nav: {
          "continue": i >= 0 && i < state.units.length - 1,
          previous: i > 0,
          targets: state.units.map(function (x) {
            return x.id;
          })
        },
        save: function (rec) {
          setItem(recordKey(u), JSON.stringify(rec));
        },
        onCall: onCall,
        onEvent: function (ev) {
          onEvent(s, u, ev);
        }
      });
      session = s;
      setSession("Launched " + u.title + " (" + u.href + "), entry " + JSON.stringify(s.entry) + ": waiting for " + (v === "2004" ? "Initialize" : "LMSInitialize") + "…");
      logEvent("launch " + u.title + " (" + u.href + ") with entry " + JSON.stringify(s.entry));
    } else {
      session = null;
      setSession("Showing " + u.title + " (" + u.href + "): the html format keeps its progress in the browser, shown beside.");
      logEvent("open " + u.href);
    }
    frame.src = "course/" + u.href;
    shown = state.served;
    render();
  }

  function onEvent(s, u, ev) {
    logEvent(ev.type + (ev.text ? ": " + ev.text : ""), ev.type === "abandoned" ? "fail" : "");
    if (s !== session) return;
    if (ev.type === "initialized") setSession(u.title + ": session running (" + ev.text + ")");
    if (ev.type === "abandoned") setSession(u.title + ": closed without finishing; the LMS keeps what was committed.", true);
    if (ev.type !== "finished") return;
    var nav = ev.nav || "";
    setSession(u.title + ": finished (exit " + JSON.stringify(ev.exit) + (nav && nav !== "_none_" ? ", adl.nav.request " + nav : "") + "). Suspend & resume launches it again.", true);
    if (unloading || version() !== "2004" || !nav || nav === "_none_") return;
    /* An LMS acts on the navigation request once the SCO has gone, as
     * Moodle does half a second later. */
    var i = unitIndex(u), target = null;
    var m = /^\{target=(.+)\}(choice|jump)$/.exec(nav);
    if (nav === "continue") target = state.units[i + 1];
    else if (nav === "previous") target = state.units[i - 1];
    else if (m) target = state.units.filter(function (x) {
      return x.id === m[1];
    })[0];
    setTimeout(function () {
      if (session !== s || unloading) return;
      if (target) {
        logEvent("adl.nav.request " + nav + ": launching " + target.title);
        launch(target);
      } else {
        logEvent("adl.nav.request " + nav + ": the LMS closes the SCO");
        serial(unload);
      }
    }, 500);
  }

  /* ---- the log ---- */

  function short(v) {
    v = String(v);
    return v.length > 80 ? JSON.stringify(v.slice(0, 80)) + "… (" + v.length + " characters)" : JSON.stringify(v);
  }
  function clock(t) {
    var d = new Date(t || Date.now());
    var p = function (n, w) {
      return ("000" + n).slice(-(w || 2));
    };
    return p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds()) + "." + p(d.getMilliseconds(), 3);
  }
  /* appendSpan adds to li a span of class cls holding text. */
  function appendSpan(li, cls, text) {
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    li.appendChild(span);
  }

  function addLog(li) {
    var atEnd = logScroll.scrollTop + logScroll.clientHeight >= logScroll.scrollHeight - 30;
    logList.appendChild(li);
    while (logList.children.length > MAX_LOG) logList.removeChild(logList.firstChild);
    if (atEnd) logScroll.scrollTop = logScroll.scrollHeight;
  }
  function logEvent(text, cls) {
    var li = document.createElement("li");
    li.className = "event" + (cls ? " " + cls : "");
    appendSpan(li, "t", clock());
    li.appendChild(document.createTextNode("LMS: " + text));
    addLog(li);
  }
  function onCall(e) {
    var li = document.createElement("li");
    var failed = e.result === "false" || (e.error !== "0" && !e.keepError);
    li.className = (failed ? "fail" : "") + (e.quiet ? " quiet" : "") + (e.note ? " note" : "");
    li.hidden = !!e.quiet && !$("show-quiet").checked;
    li.setAttribute("data-fn", e.fn);
    li.setAttribute("data-error", e.error);
    appendSpan(li, "t", clock(e.time));
    li.appendChild(document.createTextNode(e.fn + "(" + e.args.map(short).join(", ") + ") → " + short(e.result)));
    if (failed) {
      appendSpan(li, "err", "  ✗ " + e.error + " " + e.errorText + (e.diagnostic ? ": " + e.diagnostic : ""));
    }
    if (e.note) {
      appendSpan(li, "note", "  ⚑ " + e.note);
    }
    addLog(li);
    if (!e.quiet) scheduleRender();
  }
  $("show-quiet").addEventListener("change", function () {
    var on = this.checked;
    Array.prototype.forEach.call(logList.querySelectorAll("li.quiet"), function (li) {
      li.hidden = !on;
    });
  });
  $("btn-clear-log").addEventListener("click", function () {
    logList.textContent = "";
  });

  /* ---- the data table ---- */

  var renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    setTimeout(function () {
      renderQueued = false;
      render();
    }, 0);
  }

  function access(def) {
    return def.access === "r" ? "RO" : def.access === "w" ? "WO" : "RW";
  }

  function row(el, value, acc, opts) {
    opts = opts || {};
    var tr = document.createElement("tr");
    tr.setAttribute("data-element", el);
    var a = document.createElement("td");
    a.className = "el";
    a.textContent = el;
    var b = document.createElement("td");
    b.className = "value";
    if (value === undefined) {
      tr.className = "unset";
      b.textContent = "(not set)";
    } else {
      var full = expanded[el] || value.length <= 120;
      b.textContent = full ? value === "" ? '""' : value : value.slice(0, 120) + "…";
      if (value.length > 40) {
        var len = document.createElement("span");
        len.className = "len";
        len.textContent = " (" + value.length + " characters" + (value.length > 120 ? expanded[el] ? ", click to fold" : ", click to unfold" : "") + ")";
        b.appendChild(len);
        if (value.length > 120) {
          tr.style.cursor = "pointer";
          tr.addEventListener("click", function () {
            expanded[el] = !expanded[el];
            render();
          });
        }
      }
    }
    if (opts.pending) tr.classList.add("pending");
    if (previous[el] !== undefined && previous[el] !== value) tr.classList.add("changed");
    var c = document.createElement("td");
    c.className = "acc";
    c.textContent = acc || "";
    tr.appendChild(a);
    tr.appendChild(b);
    tr.appendChild(c);
    return tr;
  }

  function group(title) {
    var tr = document.createElement("tr");
    tr.className = "group";
    var th = document.createElement("th");
    th.colSpan = 3;
    th.scope = "colgroup";
    th.textContent = title;
    tr.appendChild(th);
    return tr;
  }

  /* sortIndexed orders concrete element names: by index, then by the
   * order of the data model. */
  function sortIndexed(keys, order) {
    return keys.sort(function (x, y) {
      var a = x.split("."), b = y.split(".");
      for (var i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] === b[i]) continue;
        var na = /^\d+$/.test(a[i]), nb = /^\d+$/.test(b[i]);
        if (na && nb) return +a[i] - +b[i];
        return (order[SIM.modelOf(x)] || 0) - (order[SIM.modelOf(y)] || 0);
      }
      return a.length - b.length;
    });
  }

  function render() {
    var rows = [];
    var now = {};
    var v = version();
    if (lrsKind()) return;
    if (v && session) {
      var model = SIM.models[v];
      var live = session.live();
      var pending = {};
      session.uncommitted().forEach(function (k) {
        pending[k] = true;
      });
      var order = {};
      Object.keys(model).forEach(function (k, i) {
        order[k] = i;
      });
      Object.keys(model).forEach(function (k) {
        var def = model[k];
        if (def.keyword || k.indexOf(".n.") >= 0 || /\.n$/.test(k)) return;
        rows.push(row(k, live[k], access(def), { pending: pending[k] }));
        now[k] = live[k];
      });
      var indexed = Object.keys(live).filter(function (k) {
        return /\.\d+\./.test(k);
      });
      sortIndexed(indexed, order);
      var lastGroup = "";
      indexed.forEach(function (k) {
        var m = /^(.*?)\.(\d+)\./.exec(k);
        var g = m[1] + "." + m[2];
        if (g !== lastGroup) {
          rows.push(group(g + "  (" + m[1] + "._count " + SIM.count(live, m[1]) + ")"));
          lastGroup = g;
        }
        var def = model[SIM.modelOf(k)];
        rows.push(row(k, live[k], def ? access(def) : "", { pending: pending[k] }));
        now[k] = live[k];
      });
      var st = session.state();
      $("data-hint").textContent = "SCORM " + v + ", " + (strict() ? "strict" : "lenient") + "; session " + (st === "new" ? "not started" : st === "running" ? "running" : st === "finished" ? "finished" : "ended") +
        (st === "running" ? " • = not committed yet" : "");
    } else if (state && !v) {
      courseStorage().forEach(function (k) {
        var value = getItem(k);
        try {
          value = JSON.stringify(JSON.parse(value), null, 1);
        } catch (e) {
          /* not JSON */
        }
        rows.push(row(k, value, "localStorage"));
        now[k] = value;
      });
      $("data-hint").textContent = "html format: no LMS; the page keeps its progress in this browser";
      if (rows.length === 0) rows.push(group("nothing stored yet"));
    }
    tbody.textContent = "";
    rows.forEach(function (r) {
      tbody.appendChild(r);
    });
    previous = now;
  }
  window.addEventListener("storage", function () {
    if (!version()) render();
  });
  setInterval(function () {
    if (state && !version() && !lrsKind()) render();
  }, 1000);

  /* ---- the LRS (xapi, cmi5) ---- */

  /* logLRS shows a request to the LRS, or what the LMS did, in the log. */
  function logLRS(e) {
    if (e.kind === "lms") {
      logEvent(e.text);
      return;
    }
    var li = document.createElement("li");
    /* A document not written yet is a 404 every LRS gives, no failure. */
    var failed = e.status >= 400 && !(e.status === 404 && e.method === "GET" && e.resource !== "statements" && !/^statements\?/.test(e.resource));
    li.className = (failed ? "fail" : "") + (e.note ? " note" : "");
    li.setAttribute("data-fn", e.method + " " + e.resource.replace(/\?.*$/, ""));
    li.setAttribute("data-status", String(e.status));
    if (e.launch) li.setAttribute("data-launch", e.launch);
    appendSpan(li, "t", clock(e.time));
    li.appendChild(document.createTextNode((e.launch ? e.launch + " " : "") + e.method + " " + e.resource + " → " + e.status));
    if (e.reason) {
      appendSpan(li, "err", "  ✗ " + e.reason);
    }
    if (e.note) {
      appendSpan(li, "note", "  ⚑ " + e.note);
    }
    addLog(li);
  }

  /* onStatement follows the session of the unit shown by its statements. */
  function onStatement(st, e) {
    if (!lrsLaunch || e.launch !== lrsLaunch.id || !unit) return;
    var verb = SIMLRS.verbName(st);
    if (verb === "initialized") setSession(unit.title + ": session running (launch " + e.launch + ", registration " + lrsLaunch.registration + ")");
    if (verb === "terminated" || verb === "suspended") setSession(unit.title + ": " + verb + " (launch " + e.launch + "). Suspend & resume launches it again.", true);
  }

  function startLRSView() {
    $("statements-pane").hidden = false;
    $("docs-pane").hidden = false;
    $("data-pane").hidden = true;
    $("quiet-label").hidden = true;
    $("log-name").textContent = "LRS requests";
    strictBox.parentNode.lastChild.textContent = " Strict LRS";
    strictBox.parentNode.title = "Refuse what a conformant LRS" + (lrsKind() === "cmi5" ? " or cmi5 LMS" : "") + " refuses: missing or bad properties and ids, the version header, a second terminated" + (lrsKind() === "cmi5" ? ", statements after terminated" : "");
    $("btn-suspend").title = "Close the unit (the LMS ends the launch" + (lrsKind() === "cmi5" ? "; a session without terminated is abandoned" : "") + "), then launch it again with the same registration";
    $("btn-reset").title = "Forget every statement and document and start a new registration";
    lrsView = SIMLRS.view({
      statements: $("statements").tBodies[0],
      documents: $("documents").tBodies[0],
      scroll: $("statements-scroll"),
      hint: $("statements-hint"),
      log: logLRS,
      onStatement: onStatement,
      names: function () {
        return lrsNames;
      },
      fetch: function (u, i) {
        return fetch(u, i);
      }
    });
    tellStrict().then(function () {
      return lrsView.refresh();
    });
  }

  /* ---- builds ---- */

  function showProblems(st) {
    var box = $("problems");
    var list = $("problem-list");
    list.textContent = "";
    var items = st.problems.length ? st.problems.map(function (p) {
      return p.text;
    }) : [st.error];
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    $("problems-note").textContent = st.served
      ? "Fix " + (items.length === 1 ? "it" : "them") + " and save: the course reloads by itself. Until then the server keeps serving the last good build."
      : "Fix " + (items.length === 1 ? "it" : "them") + " and save: the course loads by itself.";
    $("btn-show-last").hidden = !st.served;
    box.hidden = false;
  }

  function renderBuild(st) {
    var b = $("build-status");
    var when = new Date(st.time);
    var at = isNaN(when) ? "" : " at " + clock(when).slice(0, 8);
    if (st.ok) {
      b.textContent = "build " + st.version + " ok" + at + " (" + st.took + ")";
      b.className = "build ok";
    } else {
      b.textContent = "build " + st.version + " failed" + at + (st.problems.length ? ": " + st.problems.length + " problem" + (st.problems.length === 1 ? "" : "s") : "");
      b.className = "build failed";
    }
    $("course-title").textContent = st.course.title || "";
    var kind = lrsKind();
    $("format-badge").textContent = st.format + (version() ? ", a SCO per " + (st.layout === "course" ? "course" : "module") :
      kind === "cmi5" ? ", " + (st.units.length === 1 ? "one AU" : "an AU per module") : kind === "xapi" ? ", " + (st.units.length === 1 ? "one activity" : st.units.length + " activities") : "") +
      (st.brand ? ", brand " + st.brand : "");
    var w = $("warning-list");
    w.textContent = "";
    (st.warnings || []).forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.text;
      w.appendChild(li);
    });
    $("warnings").hidden = !(st.warnings || []).length;

    var current = select.value;
    select.textContent = "";
    st.units.forEach(function (u) {
      if (kind === "xapi" && u.activityId) lrsNames[u.activityId] = u.title;
      if (kind === "cmi5" && u.launchActivityId) lrsNames[u.launchActivityId] = u.title + " (AU)";
      var o = document.createElement("option");
      o.value = u.id;
      o.textContent = u.title;
      select.appendChild(o);
    });
    select.disabled = st.units.length === 0;
    if (current) select.value = current;
    $("unit-select").previousElementSibling.textContent = version() ? "SCO" : kind === "cmi5" ? "AU" : kind === "xapi" ? "Activity" : "Page";
  }

  function pickUnit(st) {
    var want = (unit && unit.id) || getItem(PREFIX + "unit:" + courseKey());
    var found = st.units.filter(function (u) {
      return u.id === want;
    })[0];
    return found || st.units[0];
  }

  var first = true;
  function onBuild(st) {
    var before = state;
    state = st;
    if (first) {
      first = false;
      var v = version();
      if (v === "1.2") window.API = facade("1.2");
      if (v === "2004") window.API_1484_11 = facade("2004");
      if (lrsKind()) startLRSView();
    }
    renderBuild(st);
    if (before && st.changed && st.version !== before.version) {
      logEvent("build " + st.version + (st.ok ? "" : " failed") + " after " + st.changed.join(", ") + " changed");
    }
    if (!st.ok && !(showLast && st.served)) {
      showProblems(st);
      serial(function () {
        return unload().then(function () {
          shown = 0;
          setSession("The course does not build; its problems are shown instead.", true);
        });
      });
      return;
    }
    if (st.ok) showLast = false;
    $("problems").hidden = true;
    if (st.served && st.served !== shown) {
      if (shown) logEvent("reloading the course: the learner leaves and comes back");
      launch(pickUnit(st));
    }
  }

  $("btn-show-last").addEventListener("click", function () {
    showLast = true;
    $("problems").hidden = true;
    launch(pickUnit(state));
  });

  select.addEventListener("change", function () {
    var u = state.units.filter(function (x) {
      return x.id === select.value;
    })[0];
    if (u) launch(u);
  });

  $("btn-leave").addEventListener("click", function () {
    serial(function () {
      return unload().then(function () {
        logEvent("the learner left");
        if (unit) setSession(unit.title + ": the learner left. Suspend & resume launches it again.", true);
      });
    });
  });

  $("btn-suspend").addEventListener("click", function () {
    if (!unit) return;
    logEvent("suspend & resume: the learner leaves and comes back");
    launch(unit);
  });

  $("btn-reset").addEventListener("click", function () {
    if (!state) return;
    serial(function () {
      return unload().then(function () {
        return lrsKind() ? post("_preview/lrs/reset").catch(function (e) {
          logEvent("the LRS did not reset: " + e.message, "fail");
        }) : null;
      }).then(function () {
        var prefix = PREFIX + "rec:" + courseKey() + ":";
        var remove = courseStorage();
        try {
          for (var i = 0; i < localStorage.length; i++) {
            var k = localStorage.key(i);
            if (k.indexOf(prefix) === 0) remove.push(k);
          }
          remove.forEach(function (k) {
            localStorage.removeItem(k);
          });
        } catch (e) {
          /* no storage */
        }
        session = null;
        logEvent("learner reset: the LMS forgot " + remove.length + " record" + (remove.length === 1 ? "" : "s"));
      });
    });
    if (unit && state.served) launch(unit);
  });

  /* A reload or a closed tab leaves the unit as a learner closing the
   * window does: the LMS ends the launch. */
  window.addEventListener("pagehide", function () {
    if (!lrsLaunch || !navigator.sendBeacon) return;
    navigator.sendBeacon("_preview/lrs/end?launch=" + encodeURIComponent(lrsLaunch.id), new Blob(["{}"], { type: "application/json" }));
  });

  /* ---- the server's builds ---- */

  var events = new EventSource("_preview/events");
  events.addEventListener("build", function (e) {
    try {
      onBuild(JSON.parse(e.data));
    } catch (err) {
      console.error("coursepack preview: bad build event", err);
    }
  });
  events.addEventListener("lrs", function () {
    if (lrsView) lrsView.refresh();
  });
  events.onerror = function () {
    var b = $("build-status");
    b.textContent = "disconnected: is coursepack preview still running?";
    b.className = "build failed";
  };

  /* For tests and the curious. */
  window.__preview = {
    state: function () {
      return state;
    },
    session: function () {
      return session;
    },
    unit: function () {
      return unit;
    },
    idle: function () {
      return queue;
    },
    launch: function (id) {
      var u = state.units.filter(function (x) {
        return x.id === id;
      })[0];
      return u ? launch(u) : Promise.reject(new Error("no unit " + id));
    },
    /* The LRS as the page shows it: the launch of the unit shown, the
     * statements, documents and log entries. */
    lrs: function () {
      return {
        launch: lrsLaunch,
        statements: lrsView ? lrsView.statements() : [],
        docs: lrsView ? lrsView.docs() : [],
        entries: lrsView ? lrsView.entries() : [],
        info: lrsView ? lrsView.info() : {}
      };
    },
    refreshLRS: function () {
      return lrsView ? lrsView.refresh() : Promise.resolve();
    }
  };
})();
