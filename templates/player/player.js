/* coursepack player: navigation, progress and tracking. Talks to the runtime
 * only through an adapter (CP.runtimes.*); without JavaScript the page stays
 * a long readable document. */
(function () {
  "use strict";

  var CP = window.CP;
  var doc = document;
  var cfgEl = doc.getElementById("cp-config");
  if (!CP || !cfgEl) return;
  var config;
  try {
    config = JSON.parse(cfgEl.textContent);
  } catch (e) {
    console.error("coursepack: bad player config", e);
    return;
  }

  function $(id) {
    return doc.getElementById(id);
  }
  function text(key, vars) {
    var s = (config.t && config.t[key]) || key;
    return s.replace(/\{(\w+)\}/g, function (all, k) {
      return vars && k in vars ? vars[k] : all;
    });
  }

  /* ---- pages ---- */

  var sections = doc.querySelectorAll("#cp-main > .cp-module > .cp-page");
  var pages = [];
  config.modules.forEach(function (mod, mi) {
    mod.pages.forEach(function (id, pi) {
      pages.push({ mi: mi, pi: pi, el: sections[pages.length] });
    });
  });
  if (pages.length === 0 || sections.length !== pages.length) {
    console.error("coursepack: the page does not match its config");
    return;
  }
  var groups = doc.querySelectorAll("#cp-main > .cp-module");
  var links = doc.querySelectorAll("#cp-contents a[data-index]");
  var end = $("cp-end");
  var prev = $("cp-prev");
  var next = $("cp-next");
  var progressText = $("cp-progress-text");
  var bar = $("cp-bar");
  var toggle = $("cp-toggle");
  var nav = $("cp-contents");
  var exitBtn = $("cp-exit");
  var continueBtn = $("cp-continue");

  doc.documentElement.classList.add("js");

  /* ---- tracking ---- */

  var adapter, state, status, started, ui;
  var score = null;
  var current = -1;
  var finished = false;
  var saveTimer = null;
  var storage = null;
  try {
    storage = window.localStorage;
  } catch (e) {
    storage = null;
  }

  var lmsDown = false, stored = "";

  /* onStore shows or hides the notice about learner text the runtime
   * cannot keep in full, or about an LMS that does not take the learner's
   * progress (with the action plan's download, when this page has it). */
  function onStore(kind) {
    if (kind === "offline" || kind === "online") {
      /* An LRS runtime cannot reach its LRS (or can again). */
      var o = $("cp-notice");
      if (o && !(adapter && adapter.kind === "local")) {
        o.textContent = text("notice.offline");
        o.hidden = kind === "online";
      }
      return;
    }
    if (/^lms-/.test(kind)) lmsDown = kind === "lms-failed";
    else stored = kind === "stored" ? "" : kind === "clipped" ? kind : "unsaved";
    var n = $("cp-store-notice");
    var key = lmsDown ? "lms-failed" : stored;
    if (!n || n.getAttribute("data-notice") === key) return;
    n.setAttribute("data-notice", key);
    if (finished) renderEnd();
    n.hidden = !key;
    n.textContent = key && text("notice." + key) + " ";
    var dl = lmsDown && doc.querySelector(".cp-plan-buttons .cp-primary");
    if (dl) {
      var b = n.appendChild(dl.cloneNode(true));
      b.className = "cp-link";
      b.onclick = function () {
        dl.click();
      };
    }
  }

  /* launch starts the adapter of the package's runtime (CP.runtime, which
   * the package's script names), or the standalone one when that runtime is
   * missing or fails; init may return a promise. */
  function launch(then) {
    var make = CP.runtimes[CP.runtime];
    var opts = { notify: onStore };
    var a = (make && make(config, opts)) || null;
    function fallback() {
      a = CP.runtimes.local(config, opts);
      then(a, a.init());
    }
    var r = a && a.init();
    if (r && typeof r.then === "function") {
      r.then(function (res) {
        if (res) then(a, res);
        else fallback();
      }, fallback);
    } else if (r) then(a, r);
    else fallback();
  }

  /* save hands the state, status and score to the adapter and refreshes
   * the local copy of the learner's text. */
  function save() {
    if (saveTimer !== null) {
      clearTimeout(saveTimer);
      saveTimer = null;
    }
    var r = CP.result(config, state);
    status = CP.mergeStatus(status, r.status);
    score = r.score;
    adapter.save(state, status, score);
    CP.writeNotes(storage, config.notes, config, state);
  }

  /* changed is called by the activities: save now, or within a second
   * while the learner types. */
  function changed(now) {
    if (finished) return;
    if (now) save();
    else if (saveTimer === null) saveTimer = setTimeout(save, 1000);
  }

  /* ---- view ---- */

  function setCurrent(el, on) {
    if (el) el.classList.toggle("cp-current", on);
  }

  function refreshContents() {
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var p = pages[+a.getAttribute("data-index")];
      var seen = state.m[config.modules[p.mi].id].seen[p.pi];
      a.classList.toggle("cp-seen", seen);
      var mark = a.querySelector(".cp-seen-mark");
      if (mark) mark.textContent = seen ? " " + text("contents.viewed") : "";
      if (+a.getAttribute("data-index") === current) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  }

  /* exited says the progress was saved, unless the LMS refused it. */
  function exited() {
    return text(lmsDown ? "notice.lms-failed" : "end.exited");
  }

  function renderEnd() {
    var title = $("cp-end-title");
    var body = $("cp-end-text");
    var list = $("cp-end-missing");
    var course = config.modules.length > 1;
    list.textContent = "";
    var missing = pages.filter(function (p) {
      return !state.m[config.modules[p.mi].id].seen[p.pi];
    });
    var sc = $("cp-end-score");
    if (sc) {
      var mastery = course ? config.mastery : config.modules[0].mastery;
      sc.textContent = score === null ? "" : text("end.score", { score: score }) +
        (status === "failed" && typeof mastery === "number" ? " " + text("end.failed", { mastery: mastery }) : "");
      sc.hidden = score === null;
    }
    if (CP.isFinal(status)) {
      title.textContent = text(course ? "end.course" : "end.module");
      body.textContent = finished ? exited() : "";
    } else {
      title.textContent = text("end.incomplete-title");
      body.textContent = finished ? exited() : missing.length ? text("end.missing") : text("end.incomplete");
    }
    if (!finished) {
      missing.forEach(function (p) {
        var li = doc.createElement("li");
        var b = doc.createElement("button");
        b.type = "button";
        b.className = "cp-link";
        b.textContent = p.el.querySelector(".cp-page-title").textContent;
        b.addEventListener("click", function () {
          go(pages.indexOf(p), true);
        });
        li.appendChild(b);
        list.appendChild(li);
      });
    }
    if (exitBtn) exitBtn.hidden = finished || adapter.kind === "local";
    if (continueBtn) continueBtn.hidden = finished || !config.next || !adapter.navigate;
  }

  /* go shows page i (pages.length is the end screen); focus moves to the
   * new heading when the learner asked for the change. */
  function go(i, focus) {
    if (i < 0 || i > pages.length) return;
    var old = pages[current];
    if (old) {
      setCurrent(old.el, false);
      setCurrent(groups[old.mi], false);
    }
    current = i;
    var p = pages[i];
    var heading;
    if (p) {
      end.hidden = true;
      setCurrent(p.el, true);
      setCurrent(groups[p.mi], true);
      var mod = config.modules[p.mi];
      state.m[mod.id].seen[p.pi] = true;
      state.loc = CP.location(config, p.mi, p.pi);
      p.shown = Date.now();
      save();
      ui.show(p.el);
      progressText.textContent = text("progress.page", { n: p.pi + 1, total: mod.pages.length });
      bar.style.width = ((p.pi + 1) / mod.pages.length) * 100 + "%";
      heading = p.el.querySelector(".cp-page-title");
    } else {
      renderEnd();
      end.hidden = false;
      bar.style.width = "100%";
      heading = $("cp-end-title");
    }
    prev.disabled = i === 0;
    next.disabled = i === pages.length;
    refreshContents();
    if (focus) {
      heading.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }

  /* target finds the place a link names by id: an element with that id (a
   * heading, a footnote), else the page with that page id, in module mi
   * when given (-1: the current page's module first). */
  function target(id, mi) {
    var el = id && $(id);
    if (el) return el;
    var cur = pages[current];
    var found = null;
    for (var n = 0; n < pages.length; n++) {
      var p = pages[n];
      if (mi >= 0 && p.mi !== mi) continue;
      if (id && config.modules[p.mi].pages[p.pi] !== id) continue;
      if (!id) return p.el; /* no id: the module's first page */
      if (!found || (cur && p.mi === cur.mi)) found = p.el;
    }
    return found;
  }

  /* reveal shows the page holding the place a link names (see target) and
   * moves the reader to it, as following the link would on a page that
   * shows everything; false when no page of this document holds it. */
  function reveal(id, mi) {
    var el = target(id, mi);
    if (!el) return false;
    for (var n = 0; n < pages.length; n++) {
      if (!pages[n].el.contains(el)) continue;
      if (n !== current) go(n, false);
      if (el === pages[n].el) el = el.querySelector(".cp-page-title");
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus();
      return true;
    }
    return false;
  }

  /* follow reveals what the link href names when this document holds it:
   * "#id", or "MODULE.html#id" for a module of this document (with the
   * course in one unit, every module). */
  function follow(href) {
    var m = /^(?:([^\/?#:]+)\.html)?#(.*)$|^([^\/?#:]+)\.html$/.exec(href || "");
    if (!m) return false;
    var file = m[1] || m[3];
    if (!file && !m[2]) return false; /* a bare "#" */
    var mi = -1;
    if (file) {
      for (var i = 0; i < config.modules.length; i++) if (config.modules[i].id === decode(file)) mi = i;
      if (mi < 0) return false;
    }
    return reveal(decode(m[2] || ""), mi);
  }
  function decode(s) {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  }

  launch(function (a, res) {
    adapter = a;
    started = res;
    state = CP.normalize(res.state, config);
    status = res.status || "";
    /* Text the runtime had to shorten comes back in full from this
     * browser's copy. */
    CP.mergeNotes(state, config, CP.readNotes(storage, config.notes));
    ui = (CP.activities || function () {
      return { show: function () {} };
    })({
      config: config,
      state: state,
      doc: doc,
      text: text,
      changed: changed,
      record: function (it) {
        if (adapter.record) adapter.record(it);
      },
      since: function (el) {
        for (var i = 0; i < pages.length; i++) if (pages[i].el.contains(el)) return pages[i].shown || 0;
        return 0;
      },
      notes: function () {
        return CP.readNotes(storage, config.notes);
      },
      now: Date.now
    });
    if (adapter.kind === "local") {
      var notice = $("cp-notice");
      notice.textContent = text(adapter.persistent ? "notice.local" : "notice.none");
      notice.hidden = false;
    }
    prev.addEventListener("click", function () {
      go(current - 1, true);
    });
    next.addEventListener("click", function () {
      go(current + 1, true);
    });
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (ev) {
        ev.preventDefault();
        go(+this.getAttribute("data-index"), true);
        if (toggle.getAttribute("aria-expanded") === "true") setContents(false);
      });
    }

    function setContents(open) {
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("cp-open", open);
    }
    toggle.addEventListener("click", function () {
      setContents(toggle.getAttribute("aria-expanded") !== "true");
    });

    /* leave ends the session; where the runtime can, it first asks the
     * LMS for the next module or to close the course. */
    function leave(request) {
      if (saveTimer !== null) save();
      if (adapter.navigate) adapter.navigate(request);
      finished = true;
      adapter.finish();
      renderEnd();
      $("cp-end-title").focus();
    }
    if (exitBtn) {
      exitBtn.addEventListener("click", function () {
        leave("exit");
      });
    }
    if (continueBtn) {
      continueBtn.addEventListener("click", function () {
        leave("continue");
      });
    }

    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState !== "hidden" || finished) return;
      if (saveTimer !== null) save();
      adapter.flush();
    });
    window.addEventListener("pagehide", function () {
      if (finished) return;
      if (saveTimer !== null) save();
      finished = true;
      adapter.finish();
    });

    /* Land on the bookmarked page, or the first. */
    var at = CP.findLocation(config, started.location) || CP.findLocation(config, state.loc);
    var start = 0;
    if (at) {
      pages.forEach(function (p, n) {
        if (p.mi === at.mi && p.pi === at.pi) start = n;
      });
    }
    go(start, false);

    /* Links to a place on another page of this document (#id, or
     * MODULE.html#id for a module it holds), and a launch with such a
     * place (module.html#id), show that page. */
    $("cp-main").addEventListener("click", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a[href]") : null;
      if (a && follow(a.getAttribute("href"))) ev.preventDefault();
    });
    window.addEventListener("hashchange", function () {
      follow(location.hash);
    });
    if (location.hash) follow(location.hash);
  });
})();
