/* coursepack preview: the simulator's view of its LRS (the server's
 * /_preview/lrs, package preview/lrs). For the xapi and cmi5 formats
 * sim.js launches the unit with the parameters the LRS hands out, and
 * this file shows what the LRS holds: every statement stored, in order
 * (verb, object, result), and every document of the State and profile
 * APIs, fetched from /_preview/lrs/log whenever the server's event stream
 * says the LRS changed.
 *
 * SIMLRS.verbName, objectLabel and resultSummary are pure (tested in
 * Node); SIMLRS.view(opts) makes the view over the page's tables. */
(function (root) {
  "use strict";

  var SIMLRS = {};
  var PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";

  function tail(iri) {
    var s = String(iri || "");
    var i = Math.max(s.lastIndexOf("/"), s.lastIndexOf("#"));
    return i >= 0 && i < s.length - 1 ? s.slice(i + 1) : s;
  }
  function firstValue(map) {
    if (!map || typeof map !== "object") return "";
    if (typeof map["en-US"] === "string") return map["en-US"];
    for (var k in map) if (typeof map[k] === "string") return map[k];
    return "";
  }

  /* verbName is a statement's verb as people say it: its display, or the
   * last segment of its IRI. */
  SIMLRS.verbName = function (st) {
    var v = (st && st.verb) || {};
    return firstValue(v.display) || tail(v.id) || "(no verb)";
  };

  /* objectLabel is {text, title}: the object's name (from its definition,
   * or names, a map of activity ids to the titles the simulator knows them
   * by) and the end of its id; title is the whole id. */
  SIMLRS.objectLabel = function (st, names) {
    var o = (st && st.object) || {};
    var type = o.objectType || "Activity";
    if (type === "Agent" || type === "Group") return { text: type + " " + (o.name || ""), title: JSON.stringify(o) };
    if (type === "StatementRef") return { text: "statement " + o.id, title: String(o.id) };
    if (type === "SubStatement") return { text: "sub-statement: " + SIMLRS.verbName(o), title: "" };
    var id = String(o.id || "(no id)");
    var name = (o.definition ? firstValue(o.definition.name) : "") || (names && Object.prototype.hasOwnProperty.call(names, id) ? names[id] : "");
    return { text: name ? name + " \u2039" + tail(id) + "\u203a" : id, title: id };
  };

  /* resultSummary is one line: completion, success, score, progress,
   * response, duration. */
  SIMLRS.resultSummary = function (st) {
    var r = st && st.result;
    if (!r || typeof r !== "object") return "";
    var out = [];
    if (typeof r.completion === "boolean") out.push("completion " + r.completion);
    if (typeof r.success === "boolean") out.push("success " + r.success);
    if (r.score && typeof r.score === "object") {
      var s = [];
      if (r.score.scaled !== undefined) s.push("scaled " + r.score.scaled);
      if (r.score.raw !== undefined) s.push("raw " + r.score.raw + (r.score.max !== undefined ? "/" + r.score.max : ""));
      out.push("score " + s.join(", "));
    }
    if (r.extensions && r.extensions[PROGRESS] !== undefined) out.push("progress " + r.extensions[PROGRESS] + "%");
    if (typeof r.response === "string") out.push("response " + JSON.stringify(r.response.length > 60 ? r.response.slice(0, 60) + "…" : r.response));
    if (typeof r.duration === "string") out.push("duration " + r.duration);
    return out.join(" \u00b7 ");
  };

  /* docName names a document for the table: its id, and for the State
   * API the activity's end. */
  SIMLRS.docName = function (d) {
    var api = d.api === "state" ? "state" : d.api === "agent-profile" ? "agent profile" : "activity profile";
    return d.id + " (" + api + (d.activityId ? ", " + tail(d.activityId) : "") + ")";
  };

  /* view makes the LRS view. opts: statements (tbody), documents
   * (tbody), scroll (the statements' scroller), hint, log(entry) for
   * requests and what the LMS did, onStatement(statement, entry), names()
   * (see objectLabel), fetch. */
  SIMLRS.view = function (opts) {
    var doc = root.document;
    var seq = 0, busy = false, again = false;
    var statements = [], docs = [], entries = [], info = {};
    var open = {};

    function cell(tr, text, cls, title) {
      var td = doc.createElement("td");
      if (cls) td.className = cls;
      td.textContent = text;
      if (title) td.title = title;
      tr.appendChild(td);
      return td;
    }

    function addStatement(st, e) {
      statements.push({ statement: st, entry: e });
      var n = statements.length;
      var tbody = opts.statements;
      var atEnd = opts.scroll.scrollTop + opts.scroll.clientHeight >= opts.scroll.scrollHeight - 30;
      var tr = doc.createElement("tr");
      var verb = SIMLRS.verbName(st), obj = SIMLRS.objectLabel(st, opts.names && opts.names());
      tr.setAttribute("data-verb", verb);
      tr.setAttribute("data-object", (st.object && st.object.id) || "");
      tr.setAttribute("data-launch", e.launch || "");
      if (e.note) tr.className = "noted";
      cell(tr, String(n), "n", e.launch ? "launch " + e.launch : "");
      var v = cell(tr, verb, "verb", (st.verb && st.verb.id) || "");
      if (st.authority && st.authority.account && st.authority.account.name === "lrs" && e.launch && /abandoned$/.test((st.verb && st.verb.id) || "")) v.className += " lms";
      cell(tr, obj.text, "object", obj.title);
      var res = cell(tr, SIMLRS.resultSummary(st), "result");
      if (e.note) {
        var note = doc.createElement("span");
        note.className = "note";
        note.textContent = " \u2691 " + e.note;
        res.appendChild(note);
      }
      tr.addEventListener("click", function () {
        var next = tr.nextSibling;
        if (next && next.classList.contains("json")) {
          tbody.removeChild(next);
          delete open[n];
          return;
        }
        open[n] = true;
        var j = doc.createElement("tr");
        j.className = "json";
        var td = doc.createElement("td");
        td.colSpan = 4;
        var pre = doc.createElement("pre");
        pre.textContent = JSON.stringify(st, null, 2);
        td.appendChild(pre);
        j.appendChild(td);
        tbody.insertBefore(j, tr.nextSibling);
      });
      tbody.appendChild(tr);
      if (atEnd) opts.scroll.scrollTop = opts.scroll.scrollHeight;
      if (opts.onStatement) opts.onStatement(st, e);
    }

    function renderDocs() {
      var tbody = opts.documents;
      tbody.textContent = "";
      if (!docs.length) {
        var tr = doc.createElement("tr");
        tr.className = "group";
        var th = doc.createElement("th");
        th.colSpan = 2;
        th.textContent = "no documents yet";
        tr.appendChild(th);
        tbody.appendChild(tr);
      }
      docs.forEach(function (d) {
        var tr = doc.createElement("tr");
        tr.setAttribute("data-doc", d.id);
        tr.setAttribute("data-api", d.api);
        if (d.lms) tr.className = "lms";
        cell(tr, SIMLRS.docName(d) + (d.lms ? " \u2014 the LMS's" : ""), "el", [d.activityId, d.registration ? "registration " + d.registration : ""].filter(Boolean).join("\n"));
        var text = d.body;
        try {
          text = JSON.stringify(JSON.parse(d.body), null, 1);
        } catch (e) {
          /* not JSON */
        }
        cell(tr, text, "value");
        tbody.appendChild(tr);
      });
    }

    function clear() {
      statements = [];
      open = {};
      opts.statements.textContent = "";
    }

    function take(r) {
      info = { strict: r.strict, registration: r.registration };
      r.entries.forEach(function (e) {
        if (e.seq <= seq) return;
        seq = e.seq;
        entries.push(e);
        if (e.reset) clear();
        if (e.kind === "statement") {
          var st = null;
          try {
            st = typeof e.statement === "string" ? JSON.parse(e.statement) : e.statement;
          } catch (err) {
            st = null;
          }
          if (st) addStatement(st, e);
        } else {
          opts.log(e);
        }
      });
      if (entries.length > 3000) entries = entries.slice(-2000);
      docs = r.docs || [];
      renderDocs();
      if (opts.hint) {
        opts.hint.textContent = (r.strict ? "strict" : "lenient") + " LRS · registration " + r.registration + " · " + r.statements + " stored";
      }
    }

    /* refresh asks the LRS what is new; calls while one runs make it ask
     * once more at its end. */
    function refresh() {
      if (busy) {
        again = true;
        return Promise.resolve();
      }
      busy = true;
      return opts.fetch("_preview/lrs/log?after=" + seq, { cache: "no-store" }).then(function (res) {
        return res.json();
      }).then(take).catch(function (e) {
        console.error("coursepack preview: cannot read the LRS", e);
      }).then(function () {
        busy = false;
        if (again) {
          again = false;
          return refresh();
        }
      });
    }

    return {
      refresh: refresh,
      statements: function () {
        return statements.map(function (s) {
          return s.statement;
        });
      },
      docs: function () {
        return docs.slice();
      },
      entries: function () {
        return entries.slice();
      },
      info: function () {
        return info;
      },
      idle: function () {
        return busy ? new Promise(function (resolve) {
          setTimeout(resolve, 50);
        }).then(this.idle.bind(this)) : Promise.resolve();
      }
    };
  };

  if (typeof module === "object" && module.exports) module.exports = SIMLRS;
  else root.SIMLRS = SIMLRS;
})(this);
