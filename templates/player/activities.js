/* coursepack player: learner activities in the page (knowledge checks,
 * reflections, the action plan). DOM only: the state, scoring and formats
 * are in core.js, the runtime behind player.js.
 *
 * CP.activities(env) wires every activity of the page and returns
 * {show(pageElement)}, to be called when a page is shown. env:
 *   config, state, doc, text(key, vars)
 *   changed(now)  the state changed: save now, or soon (typing)
 *   record(it)    journal an interaction (see scorm12.js)
 *   since(el)     when the page holding el was last shown (ms)
 *   notes()       the local copy of the learner's text (CP.readNotes)
 *   now()         the time in ms
 */
(function () {
  "use strict";

  var CP = window.CP;
  if (!CP) return;

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  CP.activities = function (env) {
    var config = env.config, state = env.state, doc = env.doc, text = env.text;
    var lim = config.limits || {};
    var questions = {}, reflections = {}, lastCheck = {}, plans = [];
    config.modules.forEach(function (mod) {
      (mod.questions || []).forEach(function (q) {
        questions[q.id] = { q: q, ms: state.m[mod.id] };
      });
      (mod.reflections || []).forEach(function (r) {
        reflections[r.id] = { r: r, ms: state.m[mod.id] };
      });
    });

    function el(tag, cls, txt) {
      var e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (txt != null) e.textContent = txt;
      return e;
    }

    function button(label, cls) {
      var b = el("button", cls, label);
      b.type = "button";
      return b;
    }

    /* ---- knowledge checks ---- */

    function kind(q) {
      return q.type === "text" ? "text" : q.type === "true-false" ? "true-false" : "choice";
    }

    function inputs(form) {
      return form.querySelectorAll("fieldset input");
    }

    function picked(form, q) {
      if (q.type === "text") {
        var t = form.querySelector("fieldset input");
        return t ? t.value : "";
      }
      var out = [];
      each(inputs(form), function (i) {
        if (i.checked) out.push(i.value);
      });
      return out;
    }

    function restore(form, a, q) {
      each(inputs(form), function (i) {
        if (q.type === "text") i.value = a.r;
        else i.checked = a.r.indexOf(i.value) >= 0;
      });
    }

    /* render shows the result of answer a; a final answer locks the
     * question, marks the right options and shows the explanation. */
    function render(form, q, a, focus) {
      var fb = form.querySelector(".cp-feedback");
      if (!fb) return;
      var final = CP.answerFinal(q, a);
      var head = text(a.ok ? "question.correct" : "question.wrong");
      if (!final) head += " " + (q.attempts > 0 ? text("question.left", { n: q.attempts - a.n }) : text("question.retry"));
      fb.textContent = "";
      fb.appendChild(el("p", "cp-result", head));
      if (q.type !== "text") {
        a.r.split("").forEach(function (o) {
          var tpl = form.querySelector('template.cp-option-feedback[data-option="' + o + '"]');
          if (tpl) fb.appendChild(tpl.content.cloneNode(true));
        });
      }
      form.setAttribute("data-result", a.ok ? "correct" : "wrong");
      if (!final) return;
      form.classList.add("cp-locked");
      each(form.querySelectorAll("fieldset input, .cp-check"), function (i) {
        i.disabled = true;
      });
      var key = (q.correct || []).join("");
      each(form.querySelectorAll(".cp-option"), function (o) {
        var i = o.querySelector("input");
        if (!i) return;
        var right = key.indexOf(i.value) >= 0;
        o.classList.toggle("cp-option-right", right);
        o.classList.toggle("cp-option-wrong", !right && i.checked);
        var label = o.querySelector("label");
        if (right && label && !label.querySelector(".cp-mark")) {
          label.appendChild(el("span", "cp-mark cp-visually-hidden", " " + text("question.right-option")));
        }
      });
      if (q.type === "text" && !a.ok && q.answers && q.answers.length) {
        fb.appendChild(el("p", "cp-accepted", text("question.accepted", { answer: q.answers[0] })));
      }
      var ex = form.querySelector("template.cp-explanation");
      if (ex) {
        var box = el("div", "cp-explanation");
        box.appendChild(ex.content.cloneNode(true));
        fb.appendChild(box);
      }
      if (focus) fb.focus();
    }

    function check(form, ref) {
      var q = ref.q;
      if (CP.answerFinal(q, ref.ms.a[q.id])) return;
      var r = CP.response(q, picked(form, q));
      var a = CP.check(q, ref.ms, r);
      var fb = form.querySelector(".cp-feedback");
      if (!a) {
        if (fb) fb.textContent = text("question.empty");
        return;
      }
      var now = env.now();
      var from = Math.max(env.since(form), lastCheck[q.id] || 0);
      lastCheck[q.id] = now;
      env.record({
        id: CP.interactionId(q.id, a.n),
        q: q.id,
        kind: kind(q),
        response: r,
        correct: q.type === "text" ? q.answers || [] : [CP.response(q, q.correct || [])],
        result: a.ok,
        latency: now - from,
        time: new Date(now)
      });
      env.changed(true);
      render(form, q, a, true);
    }

    each(doc.querySelectorAll("form.cp-question[data-question]"), function (form) {
      var ref = questions[form.getAttribute("data-question")];
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (ref) check(form, ref);
      });
      if (!ref) return;
      var fb = form.querySelector(".cp-feedback");
      if (fb) fb.tabIndex = -1;
      if (ref.q.type === "text") {
        each(inputs(form), function (i) {
          i.maxLength = lim.answer || 255;
        });
      }
      var a = ref.ms.a[ref.q.id];
      if (a) {
        restore(form, a, ref.q);
        render(form, ref.q, a, false);
      }
    });

    /* ---- reflections ---- */

    each(doc.querySelectorAll(".cp-reflection[data-reflection]"), function (box) {
      var id = box.getAttribute("data-reflection");
      var ref = reflections[id];
      var ta = box.querySelector("textarea");
      if (!ref || !ta) return;
      var max = ref.r.max;
      if (!(ta.maxLength > 0 && ta.maxLength <= max)) ta.maxLength = max;
      var cur = ref.ms.r[id] || (ref.ms.r[id] = { t: "", n: 0 });
      var recorded = cur.t;
      ta.value = cur.t;
      var counter = el("p", "cp-count");
      counter.id = (ta.id || "cp-r-" + id) + "-count";
      box.appendChild(counter);
      ta.setAttribute("aria-describedby", ((ta.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
      function count() {
        counter.textContent = text("reflection.count", { n: ta.value.length, max: max });
      }
      count();
      ta.addEventListener("input", function () {
        cur.t = CP.clean(ta.value, max);
        count();
        env.changed(false);
      });
      ta.addEventListener("change", function () {
        cur.t = CP.clean(ta.value, max);
        if (cur.t !== recorded && cur.t.trim()) {
          recorded = cur.t;
          cur.n = Math.min(cur.n + 1, 999);
          env.record({ id: CP.interactionId(id, cur.n), kind: "reflection", ref: id, response: cur.t, correct: [], result: null, time: new Date(env.now()) });
        }
        env.changed(true);
      });
      ta.addEventListener("blur", function () {
        env.changed(true);
      });
    });

    /* ---- the action plan ---- */

    function fmtDate(iso) {
      try {
        var p = iso.split("-");
        return new Date(+p[0], p[1] - 1, +p[2]).toLocaleDateString(config.lang || undefined, { year: "numeric", month: "long", day: "numeric" });
      } catch (e) {
        return iso;
      }
    }

    function today() {
      var d = new Date(env.now());
      return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
    }

    /* field is a labelled control bound to a value: get() reads it,
     * set(v) stores the cleaned value. */
    function field(id, label, tag, type, max, get, set) {
      var wrap = el("div", "cp-field");
      var l = el("label", null, label);
      l.htmlFor = id;
      var c = el(tag);
      c.id = id;
      if (type) c.type = type;
      if (type === "date") c.placeholder = "YYYY-MM-DD";
      if (max) c.maxLength = max;
      if (tag === "textarea") c.rows = 3;
      c.value = get();
      c.addEventListener("input", function () {
        set(type === "date" ? CP.date(c.value) : CP.clean(c.value, max));
        env.changed(false);
      });
      c.addEventListener("change", function () {
        env.changed(true);
      });
      wrap.appendChild(l);
      wrap.appendChild(c);
      return wrap;
    }

    /* gather collects every reflection of the course: from the state for
     * the modules of this unit, from the local copy for the others. */
    function gather() {
      var notes = env.notes(), missing = 0;
      var groups = (config.gather || []).map(function (gm) {
        var ms = state.m[gm.id];
        return {
          title: gm.title,
          items: gm.reflections.map(function (r) {
            var t = ms ? (ms.r[r.id] || {}).t : notes.r[r.id];
            var miss = !ms && !notes.m[gm.id] && !t;
            if (miss) missing++;
            return { prompt: r.prompt, text: t || "", missing: miss };
          })
        };
      });
      groups.missing = missing;
      return groups;
    }

    function plan(sec, mod) {
      var ms = state.m[mod.id];
      var p = ms.p || (ms.p = { b: "", d: "", g: [] });
      if (!p.g.length) p.g.push({ t: "", a: "", d: "" });
      var uid = "cp-plan-" + mod.id;
      var wrap = el("div", "cp-plan");

      var gathered = el("div", "cp-plan-gathered");
      var note = el("p", "cp-plan-note", text("plan.missing-note"));
      if ((config.gather || []).length) {
        wrap.appendChild(el("h3", null, text("plan.reflections")));
        wrap.appendChild(note);
        wrap.appendChild(gathered);
      }

      wrap.appendChild(el("h3", null, text("plan.goals")));
      var list = el("ol", "cp-goals");
      var add = button(text("plan.add"), "cp-button");
      var full = el("p", "cp-plan-max", text("plan.max", { n: lim.goals }));
      wrap.appendChild(list);
      wrap.appendChild(add);
      wrap.appendChild(full);
      wrap.appendChild(field(uid + "-buddy", text("plan.buddy"), "input", "text", lim.buddy, function () {
        return p.b;
      }, function (v) {
        p.b = v;
      }));
      wrap.appendChild(field(uid + "-review", text("plan.review"), "input", "date", 0, function () {
        return p.d;
      }, function (v) {
        p.d = v;
      }));
      var bar = el("div", "cp-plan-buttons");
      var download = button(text("plan.download"), "cp-button cp-primary");
      var print = button(text("plan.print"), "cp-button");
      bar.appendChild(download);
      bar.appendChild(print);
      wrap.appendChild(bar);
      sec.appendChild(wrap);

      function goalField(i) {
        return doc.getElementById(uid + "-g" + i + "-t");
      }

      function rows() {
        list.textContent = "";
        p.g.forEach(function (g, i) {
          var li = el("li", "cp-goal");
          var fs = el("fieldset");
          fs.appendChild(el("legend", null, text("plan.goal", { n: i + 1 })));
          var id = uid + "-g" + i;
          fs.appendChild(field(id + "-t", text("plan.goal-text"), "input", "text", lim.goal, function () {
            return g.t;
          }, function (v) {
            g.t = v;
          }));
          fs.appendChild(field(id + "-a", text("plan.actions"), "textarea", null, lim.actions, function () {
            return g.a;
          }, function (v) {
            g.a = v;
          }));
          fs.appendChild(field(id + "-d", text("plan.date"), "input", "date", 0, function () {
            return g.d;
          }, function (v) {
            g.d = v;
          }));
          var rm = button(text("plan.remove", { n: i + 1 }), "cp-link cp-remove");
          rm.addEventListener("click", function () {
            p.g.splice(i, 1);
            rows();
            env.changed(true);
            (goalField(Math.min(i, p.g.length - 1)) || add).focus();
          });
          fs.appendChild(rm);
          li.appendChild(fs);
          list.appendChild(li);
        });
        add.disabled = p.g.length >= lim.goals;
        full.hidden = !add.disabled;
      }

      add.addEventListener("click", function () {
        if (p.g.length >= lim.goals) return;
        p.g.push({ t: "", a: "", d: "" });
        rows();
        env.changed(true);
        goalField(p.g.length - 1).focus();
      });

      function refresh() {
        var groups = gather();
        gathered.textContent = "";
        groups.forEach(function (g) {
          gathered.appendChild(el("h4", null, g.title));
          g.items.forEach(function (it) {
            var item = el("div", "cp-plan-item");
            item.appendChild(el("p", "cp-plan-prompt", it.prompt));
            if (it.text) item.appendChild(el("p", "cp-plan-answer", it.text));
            else item.appendChild(el("p", "cp-plan-none", text(it.missing ? "plan.missing" : "plan.empty")));
            gathered.appendChild(item);
          });
        });
        note.hidden = !groups.missing;
        return groups;
      }

      function data() {
        return { course: config.title || "", date: text("plan.made", { date: fmtDate(today()) }), plan: p, groups: refresh(), fmt: fmtDate };
      }

      download.addEventListener("click", function () {
        env.changed(true);
        var blob = new Blob([CP.planHTML(data(), text, config.lang)], { type: "text/html;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        var a = el("a");
        a.href = url;
        a.download = text("plan.file") + ".html";
        a.hidden = true;
        doc.body.appendChild(a);
        a.click();
        setTimeout(function () {
          URL.revokeObjectURL(url);
          doc.body.removeChild(a);
        }, 5000);
      });

      print.addEventListener("click", function () {
        env.changed(true);
        var box = doc.getElementById("cp-plan-print");
        if (!box) {
          box = el("div", "cp-doc");
          box.id = "cp-plan-print";
          doc.body.appendChild(box);
        }
        box.innerHTML = CP.planBody(data(), text);
        doc.documentElement.classList.add("cp-print-plan");
        window.print();
      });

      rows();
      refresh();
      return { sec: sec, refresh: refresh };
    }

    window.addEventListener("afterprint", function () {
      doc.documentElement.classList.remove("cp-print-plan");
    });

    each(doc.querySelectorAll("[data-action-plan]"), function (sec) {
      var group = sec.closest(".cp-module");
      config.modules.forEach(function (mod) {
        if (mod.plan && group && group.id === "cp-" + mod.id) plans.push(plan(sec, mod));
      });
    });

    return {
      show: function (page) {
        plans.forEach(function (pl) {
          if (page && page.contains(pl.sec)) pl.refresh();
        });
      }
    };
  };
})();
