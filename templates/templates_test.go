package templates

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/i18n"
)

func intp(n int) *int { return &n }

func testCourse() *course.Course {
	c := &course.Course{
		ID:           "https://example.org/courses/leading-well",
		Title:        `Leading <well> & "wisely"`,
		Language:     "en-GB",
		Completion:   course.CompletionPages,
		MasteryScore: intp(80),
		Theme: course.Theme{
			Logo:    &course.Asset{Path: "assets/logo.png"},
			Colours: map[string]string{"primary": "#fdd835", "accent": "#0b6e4f", "text": "red;}</style><script>"},
		},
	}
	c.Modules = []*course.Module{
		{
			ID: "purpose", Title: `Purpose <b>&</b> "why"`, Completion: course.CompletionPages,
			Pages: []*course.Page{
				{ID: "welcome", Title: "Welcome", HTML: template.HTML(`<p>Hello <img src="assets/a.png" alt=""></p>`)},
				{ID: "values", Title: "Values", HTML: "<p>Values</p>"},
			},
		},
		{
			ID: "change", Title: "Change", Completion: course.CompletionPagesAndPassed, MasteryScore: intp(70),
			Pages: []*course.Page{
				{ID: "welcome", Title: "Welcome again", HTML: "<p>Change</p>"},
			},
			Questions: []*course.Question{{
				ID: "change-q1", Type: course.MultipleChoice,
				Options: []*course.Option{{ID: "a", Correct: true}, {ID: "b"}, {ID: "c", Correct: true}},
			}},
		},
	}
	return c
}

func render(t *testing.T, v View) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var remoteRef = regexp.MustCompile(`(?i)(src|href|action)="?(https?:)?//`)

var configRE = regexp.MustCompile(`(?s)<script type="application/json" id="cp-config">(.*?)</script>`)

func parseConfig(t *testing.T, html string) config {
	t.Helper()
	m := configRE.FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no #cp-config script")
	}
	var cfg config
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("config JSON: %v\n%s", err, m[1])
	}
	return cfg
}

func TestRender(t *testing.T) {
	strs, err := i18n.For("en-GB")
	if err != nil {
		t.Fatal(err)
	}
	c := testCourse()
	tests := []struct {
		name     string
		modules  []*course.Module
		sections int
		pages    [][]string
		key      string
		want     []string
		dontWant []string
	}{
		{
			name:     "one module",
			modules:  c.Modules[:1],
			sections: 2,
			pages:    [][]string{{"welcome", "values"}},
			key:      "coursepack:https://example.org/courses/leading-well#purpose",
			want: []string{
				`<h1 class="cp-title">Purpose &lt;b&gt;&amp;&lt;/b&gt; &#34;why&#34;</h1>`,
				`<title>Purpose &lt;b&gt;&amp;&lt;/b&gt; &#34;why&#34; – Leading &lt;well&gt; &amp; &#34;wisely&#34;</title>`,
				`<h2 class="cp-page-title" id="cp-purpose.welcome-h" tabindex="-1">Welcome</h2>`,
				`<a href="#cp-purpose.values" data-index="1">`,
			},
			dontWant: []string{"cp-module-title", "cp-change"},
		},
		{
			name:     "whole course",
			modules:  c.Modules,
			sections: 3,
			pages:    [][]string{{"welcome", "values"}, {"welcome"}},
			key:      "coursepack:https://example.org/courses/leading-well#purpose+change",
			want: []string{
				`<h1 class="cp-title">Leading &lt;well&gt; &amp; &#34;wisely&#34;</h1>`,
				`<h2 class="cp-module-title">Purpose &lt;b&gt;&amp;&lt;/b&gt; &#34;why&#34;</h2>`,
				`<span class="cp-toc-module">Change</span>`,
				`<h3 class="cp-page-title" id="cp-change.welcome-h" tabindex="-1">Welcome again</h3>`,
				`<a href="#cp-change.welcome" data-index="2">`,
			},
		},
	}
	common := []string{
		"<!DOCTYPE html>",
		`<html lang="en-GB">`,
		`<link rel="stylesheet" href="player/player.css">`,
		`<script defer src="player/coursepack.js"></script>`,
		`<p class="cp-notice cp-notice-warn" id="cp-store-notice" role="status" hidden></p>`,
		`<a class="cp-skip" href="#cp-main">Skip to content</a>`,
		`<header class="cp-header">`, `<nav class="cp-contents"`, `<main class="cp-main" id="cp-main" tabindex="-1">`,
		`<button type="button" class="cp-button" id="cp-prev">Previous</button>`,
		`<button type="button" class="cp-button cp-primary" id="cp-next">Next</button>`,
		`<img class="cp-logo" src="assets/logo.png" alt="Leading &lt;well&gt; &amp; &#34;wisely&#34;">`,
		`<img src="assets/a.png" alt="">`,
		`--cp-primary:#fdd835;--cp-on-primary:#1a1a1a;`,
		`--cp-accent:#0b6e4f;`,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := render(t, View{Course: c, Modules: tt.modules, Runtime: "scorm12", Strings: strs})
			for _, w := range append(common, tt.want...) {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s", w)
				}
			}
			for _, w := range append(tt.dontWant, "<b>&</b>", `<well>`, "</style><script>", "--cp-text") {
				if strings.Contains(html, w) {
					t.Errorf("unexpected %s", w)
				}
			}
			if n := strings.Count(html, `<section class="cp-page"`); n != tt.sections {
				t.Errorf("%d page sections, want %d", n, tt.sections)
			}
			if m := remoteRef.FindString(html); m != "" {
				t.Errorf("refers to another host: %s", m)
			}
			if strings.Count(html, "<html") != 1 || !strings.HasSuffix(strings.TrimSpace(html), "</html>") {
				t.Error("not one complete document")
			}
			cfg := parseConfig(t, html)
			if cfg.Course != c.ID || cfg.Key != tt.key || cfg.V != 1 {
				t.Errorf("config = %+v", cfg)
			}
			if len(cfg.Modules) != len(tt.pages) {
				t.Fatalf("config has %d modules, want %d", len(cfg.Modules), len(tt.pages))
			}
			for i, m := range cfg.Modules {
				if m.ID != tt.modules[i].ID || strings.Join(m.Pages, ",") != strings.Join(tt.pages[i], ",") {
					t.Errorf("config module %d = %+v", i, m)
				}
			}
			if cfg.T["progress.page"] != "Page {n} of {total}" {
				t.Errorf("config strings = %v", cfg.T)
			}
			if tt.name == "whole course" {
				m := cfg.Modules[1]
				if m.Completion != "pages-and-passed" || m.Mastery == nil || *m.Mastery != 70 ||
					len(m.Questions) != 1 || strings.Join(m.Questions[0].Correct, ",") != "a,c" {
					t.Errorf("config module change = %+v", m)
				}
				if *cfg.Modules[0].Mastery != 80 {
					t.Error("course mastery score not inherited")
				}
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	c := testCourse()
	for name, v := range map[string]View{
		"no course":       {Modules: c.Modules, Runtime: "scorm12"},
		"unknown runtime": {Course: c, Modules: c.Modules, Runtime: "aicc"},
		"no modules":      {Course: c, Runtime: "scorm12"},
		"no pages":        {Course: c, Modules: []*course.Module{{ID: "empty"}}, Runtime: "scorm12"},
	} {
		if err := Render(&bytes.Buffer{}, v); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRenderWebRuntimeWithoutTheme(t *testing.T) {
	c := testCourse()
	c.Theme = course.Theme{}
	c.Language = ""
	html := render(t, View{Course: c, Modules: c.Modules[:1], Runtime: "web"})
	for _, bad := range []string{"scorm12.js", "<style>", "cp-logo", " lang="} {
		if strings.Contains(html, bad) {
			t.Errorf("unexpected %s", bad)
		}
	}
	if !strings.Contains(html, `<script defer src="`+ScriptFile+`"></script>`) {
		t.Error("no player script")
	}
}

func TestThemeCSS(t *testing.T) {
	tests := []struct {
		in   map[string]string
		want template.CSS
	}{
		{nil, ""},
		{map[string]string{"primary": "#1d4f91"}, ":root{--cp-primary:#1d4f91;--cp-on-primary:#ffffff;}"},
		{map[string]string{"primary": "#ff0"}, ":root{--cp-primary:#ff0;--cp-on-primary:#1a1a1a;}"},
		{map[string]string{"text": "rgb(10, 20, 30)", "background": "white"}, ":root{--cp-background:white;--cp-text:rgb(10, 20, 30);}"},
		{map[string]string{"Bad Name": "#fff", "accent": "url(x)", "text": "#12345g"}, ""},
		// A dark theme: the player's fixed colours that would not read follow it.
		{map[string]string{"background": "#1b1d21", "surface": "#272a30", "text": "#eceff4"},
			":root{--cp-background:#1b1d21;--cp-surface:#272a30;--cp-text:#eceff4;--cp-buddy-bg:#272a30;--cp-important-bg:#272a30;--cp-muted:#989ba0;--cp-right:#2b8166;--cp-wrong:#c14d47;}"},
	}
	for _, tt := range tests {
		if got := themeCSS(tt.in); got != tt.want {
			t.Errorf("themeCSS(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var remoteURL = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)

// vocabularyIRI matches the xAPI and cmi5 identifiers the LRS adapters
// write into statements (verbs, activity types, categories, extensions):
// names, never fetched.
var vocabularyIRI = regexp.MustCompile(`"(http://adlnet\.gov/expapi/(verbs|activities)/|http://activitystrea\.ms/schema/1\.0/|https://w3id\.org/xapi/cmi5/(context|result)/)[a-z./-]*"`)

// checkScript checks ScriptFile of runtime: the core, each of adapters (a
// comma-separated list), the line naming the runtime, the standalone
// adapter, the activities and the user interface, each minified, in that
// order.
func checkScript(t *testing.T, runtime, adapters string, data []byte) {
	t.Helper()
	parts := []string{"core"}
	if adapters != "" {
		parts = append(parts, strings.Split(adapters, ",")...)
	}
	parts = append(parts, "", "local", "activities", "player")
	var want, sources []string
	for _, name := range parts {
		if name == "" {
			want = append(want, `CP.runtime="`+runtime+`";`)
			continue
		}
		min, err := embeddedFile("player/" + name + ".js")
		if err != nil {
			t.Fatal(err)
		}
		src, _ := files.ReadFile("player/" + name + ".js")
		if len(min) >= len(src) {
			t.Errorf("player/%s.js is %d bytes, not minified from %d", name, len(min), len(src))
		}
		want = append(want, string(min)+";")
		sources = append(sources, name)
	}
	if got := string(data); got != strings.Join(want, "\n")+"\n" {
		t.Errorf("%s of %s:\n%.300s\nwant the minified %s with the runtime's name", ScriptFile, runtime, got, strings.Join(sources, ", "))
	}
	if got, _ := ScriptParts(runtime); len(got) != len(sources) {
		t.Errorf("ScriptParts(%s) = %v, want the files of %v", runtime, got, sources)
	}
}

func TestPlayerFiles(t *testing.T) {
	tests := []struct {
		runtime, adapters string
	}{
		{"scorm12", "cmi,scorm12"},
		{"scorm2004", "cmi,scorm2004"},
		{"web", ""},
		{"xapi", "lrs,xapi"},
		{"cmi5", "lrs,cmi5"},
	}
	for _, tt := range tests {
		t.Run(tt.runtime, func(t *testing.T) {
			list, err := PlayerFiles(tt.runtime)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || list[0].Path != ScriptFile || list[1].Path != StyleFile {
				t.Fatalf("PlayerFiles = %v, want %s and %s", list, ScriptFile, StyleFile)
			}
			for _, f := range list {
				if len(f.Data) == 0 {
					t.Errorf("%s is empty", f.Path)
				}
				if m := remoteURL.Find(vocabularyIRI.ReplaceAll(f.Data, nil)); m != nil {
					t.Errorf("%s refers to another host: %s", f.Path, m)
				}
			}
			checkScript(t, tt.runtime, tt.adapters, list[0].Data)
			if src, _ := files.ReadFile(StyleFile); len(list[1].Data) >= len(src) {
				t.Errorf("%s is %d bytes, not minified from %d", StyleFile, len(list[1].Data), len(src))
			}
			// The whole player of a page stays small: its files gzipped
			// one by one, as a web server sends them.
			total := 0
			for _, f := range list {
				var gz bytes.Buffer
				zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
				_, _ = zw.Write(f.Data)
				_ = zw.Close()
				total += gz.Len()
			}
			if total > 30*1024 {
				t.Errorf("the player is %d bytes gzipped; keep it under 30 KB", total)
			}
			t.Logf("player for %s: %d bytes gzipped", tt.runtime, total)
		})
	}
	if _, err := PlayerFiles("scorm3000"); err == nil {
		t.Error("an unknown runtime gave files")
	}
	page, _ := files.ReadFile("page.html.tmpl")
	if m := remoteURL.Find(page); m != nil {
		t.Errorf("page template refers to another host: %s", m)
	}
}

// TestJavaScript runs the player's unit tests (testdata/*.test.js) with
// node --test when node is installed.
func TestJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is not installed; CI must run the player's tests")
		}
		t.Skip("node not installed")
	}
	// Read every script through the os package first: go test then keys its
	// cached result on them, so a change to the JavaScript alone reruns this.
	for _, pattern := range []string{"player/*.js", "testdata/*.js", "testdata/*.json"} {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			if _, err := os.ReadFile(name); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd := exec.Command(node, "--test", "testdata/")
	cmd.Env = append(os.Environ(), "NODE_NO_WARNINGS=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
}

func TestConfigActivities(t *testing.T) {
	strs, err := i18n.For("en-GB")
	if err != nil {
		t.Fatal(err)
	}
	c := budgetCourse()
	one := parseConfig(t, render(t, View{Course: c, Modules: c.Modules[:1], Runtime: "scorm12", Strings: strs}))
	if one.Gather != nil {
		t.Errorf("gather without an action plan: %+v", one.Gather)
	}
	if one.Title != "Budget" || one.Lang != "en-GB" || one.Notes != "coursepack:https://example.org/budget#:notes" ||
		one.Completion != "pages-and-passed" || one.Mastery == nil || *one.Mastery != 75 || one.Limits != limits {
		t.Errorf("config = %+v", one)
	}
	m := one.Modules[0]
	if m.Title != "Checks" || m.Plan {
		t.Errorf("module = %+v", m)
	}
	if got, _ := json.Marshal(m.Reflections); string(got) != `[{"id":"checks-r1","max":1000},{"id":"checks-r2","max":300}]` {
		t.Errorf("reflections = %s", got)
	}
	if got, _ := json.Marshal(m.Questions); string(got) != `[{"id":"checks-q1","type":"single","correct":["b"],"attempts":2,"options":4},`+
		`{"id":"checks-q2","type":"multiple","correct":["a","c","f"],"options":12},`+
		`{"id":"checks-q3","type":"true-false","correct":["t"],"attempts":1,"options":2},`+
		`{"id":"checks-q4","type":"text","answers":["Paris","paris, France"],"attempts":12}]` {
		t.Errorf("questions = %s", got)
	}
	for _, k := range []string{"question.correct", "plan.download", "notice.clipped", "reflection.count", "end.score"} {
		if v := one.T[k]; v == "" || v == k {
			t.Errorf("script text %s = %q", k, v)
		}
	}

	plan := parseConfig(t, render(t, View{Course: c, Modules: c.Modules[1:], Runtime: "scorm12", Strings: strs}))
	if !plan.Modules[0].Plan {
		t.Error("plan module not marked")
	}
	got, _ := json.Marshal(plan.Gather)
	want := `[{"id":"checks","title":"Checks","reflections":[{"id":"checks-r1","prompt":"Think hard \u0026 write.\nThen more."},` +
		`{"id":"checks-r2","prompt":"Short."}]},{"id":"plan","title":"Plan","reflections":[{"id":"plan-r1","prompt":"Last one"}]}]`
	if string(got) != want {
		t.Errorf("gather = %s\nwant %s", got, want)
	}
}

// TestConfigXAPI checks what the xAPI runtimes add to the config: the
// activity IRIs of package iri, the page titles, and the interaction
// definitions as tincan.xml writes them; other runtimes get none of it.
func TestConfigXAPI(t *testing.T) {
	c := testCourse()
	c.Modules[1].Questions[0].Prompt = "<p>Pick <em>two</em> &amp; go.</p>\n<p>Then more.</p>"
	c.Modules[1].Questions[0].Options[0].Text = "<p>Yes &lt;really&gt;</p>"
	c.Modules[1].Reflections = []*course.Reflection{{ID: "change-r1", Prompt: "<p>Why?</p>"}}
	for _, runtime := range []string{"xapi", "cmi5"} {
		html := render(t, View{Course: c, Modules: c.Modules, Runtime: runtime})
		if !strings.Contains(html, `<script defer src="`+ScriptFile+`"></script>`) {
			t.Errorf("%s: adapter scripts missing", runtime)
		}
		cfg := parseConfig(t, html)
		if cfg.IRI != c.ID {
			t.Errorf("%s: config iri = %q", runtime, cfg.IRI)
		}
		m := cfg.Modules[1]
		if m.IRI != c.ID+"/change" || strings.Join(m.Titles, "|") != "Welcome again" {
			t.Errorf("%s: module = %+v", runtime, m)
		}
		q := m.Questions[0]
		got, _ := json.Marshal(q.Choices)
		if q.IRI != c.ID+"/change/change-q1" || q.Text != "Pick two & go. Then more." ||
			string(got) != `[{"id":"a","text":"Yes \u003creally\u003e"},{"id":"b","text":"b"},{"id":"c","text":"c"}]` {
			t.Errorf("%s: question = %+v %s", runtime, q, got)
		}
		if r := m.Reflections[0]; r.IRI != c.ID+"/change/change-r1" || r.Text != "Why?" {
			t.Errorf("%s: reflection = %+v", runtime, r)
		}
	}
	scorm := parseConfig(t, render(t, View{Course: c, Modules: c.Modules, Runtime: "scorm2004"}))
	if scorm.IRI != "" || scorm.Modules[1].IRI != "" || scorm.Modules[1].Titles != nil || scorm.Modules[1].Questions[0].Text != "" {
		t.Errorf("scorm2004 config carries xAPI fields: %+v", scorm.Modules[1])
	}
}

// The pages of the SCORM 1.2, SCORM 2004 and web runtimes are the same
// bytes (what differs is in ScriptFile), so that a build of every format
// deflates each page once; those of the statement runtimes differ from
// them (their Content-Security-Policy and activity IRIs), and are alike.
// PageKey tells them apart: two views have the same key exactly when
// their pages are the same bytes.
func TestPagesShared(t *testing.T) {
	c := testCourse()
	other := testCourse()
	type view struct {
		name string
		v    View
	}
	var views []view
	for _, rt := range Runtimes() {
		for _, next := range []string{"", "Next unit"} {
			views = append(views,
				view{rt + " module " + next, View{Course: c, Modules: c.Modules[:1], Runtime: rt, Next: next}},
				view{rt + " course " + next, View{Course: c, Modules: c.Modules, Runtime: rt, Next: next}},
				view{rt + " other course " + next, View{Course: other, Modules: other.Modules, Runtime: rt, Next: next}})
		}
	}
	pages := make([]string, len(views))
	for i, v := range views {
		pages[i] = render(t, v.v)
	}
	for i, a := range views {
		for j, b := range views[:i] {
			sameKey := PageKey(a.v) == PageKey(b.v)
			samePage := pages[i] == pages[j]
			// Two course objects with the same content make the same
			// pages under different keys; nothing else may.
			if sameKey != samePage && (sameKey || a.v.Course == b.v.Course) {
				t.Errorf("%s and %s: same key %v, same page %v", a.name, b.name, sameKey, samePage)
			}
		}
	}
	for _, rt := range []string{"scorm2004", "web"} {
		v := View{Course: c, Modules: c.Modules, Runtime: rt}
		if render(t, v) != render(t, View{Course: c, Modules: c.Modules, Runtime: "scorm12"}) {
			t.Errorf("the %s page differs from the scorm12 one", rt)
		}
	}
	if render(t, View{Course: c, Modules: c.Modules, Runtime: "xapi"}) != render(t, View{Course: c, Modules: c.Modules, Runtime: "cmi5"}) {
		t.Error("the xapi page differs from the cmi5 one")
	}
}

// pageParts renders the parts of the page of v, one string each.
func pageParts(t *testing.T, s *Set, v View) ([]string, []string) {
	t.Helper()
	var texts, sames []string
	for _, p := range s.PageParts(v) {
		var buf bytes.Buffer
		if err := p.Render(&buf); err != nil {
			t.Fatal(err)
		}
		texts, sames = append(texts, buf.String()), append(sames, p.Same)
	}
	return texts, sames
}

// TestPageParts checks the parts of every page of TestPagesShared's views:
// one after the other they are the page, the parts around the policy and
// the configuration do not depend on the runtime, and parts with the same
// name at the same place have the same bytes.
func TestPageParts(t *testing.T) {
	c := testCourse()
	type parts struct {
		name         string
		texts, sames []string
	}
	var all []parts
	for _, rt := range Runtimes() {
		for _, next := range []string{"", "Next unit"} {
			for _, mods := range [][]*course.Module{c.Modules[:1], c.Modules} {
				v := View{Course: c, Modules: mods, Runtime: rt, Next: next}
				texts, sames := pageParts(t, embeddedSet, v)
				name := fmt.Sprintf("%s %d modules %q", rt, len(mods), next)
				if strings.Join(texts, "") != render(t, v) {
					t.Errorf("%s: the parts are not the page", name)
				}
				if len(mods) > 1 {
					// The page of a whole course is one part.
					if len(texts) != 1 || sames[0] != PageKey(v) {
						t.Errorf("%s: %d parts, want 1", name, len(texts))
					}
					continue
				}
				if len(texts) != 5 {
					t.Fatalf("%s: %d parts, want 5", name, len(texts))
				}
				if !strings.Contains(texts[0], "<head>") || !strings.HasPrefix(texts[1], "default-src") || !strings.HasPrefix(texts[3], `{"v":1`) {
					t.Errorf("%s: parts cut elsewhere than at the policy and the configuration: %.30q, %.30q", name, texts[1], texts[3])
				}
				all = append(all, parts{name, texts, sames})
			}
		}
	}
	shared := 0
	for i, a := range all {
		for _, b := range all[:i] {
			for k := range a.texts {
				if a.sames[k] == b.sames[k] && a.texts[k] != b.texts[k] {
					t.Errorf("%s and %s: part %d has the same name, other bytes", a.name, b.name, k)
				}
				if k == 2 && a.sames[k] == b.sames[k] {
					shared++
				}
			}
		}
	}
	// Each of the 2 next titles has a module page in 5 runtimes: 10 pairs
	// of pages share their body.
	if shared != 2*10 {
		t.Errorf("%d pairs of pages share their body, want 20", shared)
	}
}

// TestPagePartsOverride checks that a course's own page template makes
// the page one part.
func TestPagePartsOverride(t *testing.T) {
	s := &Set{page: template.Must(template.New("page.html.tmpl").Parse(`<p>{{.CSP}}</p>{{.Config}}`))}
	c := testCourse()
	v := View{Course: c, Modules: c.Modules, Runtime: "xapi"}
	texts, _ := pageParts(t, s, v)
	if len(texts) != 1 || !strings.Contains(texts[0], "connect-src") {
		t.Errorf("parts %q", texts)
	}
}

// TestPagePartsErrors checks the errors of a page's parts: a view Render
// refuses, and a page template without the policy or configuration where
// the embedded one has them.
func TestPagePartsErrors(t *testing.T) {
	c := testCourse()
	for _, tt := range []struct {
		name string
		v    View
		want string
	}{
		{"unknown runtime", View{Course: c, Modules: c.Modules, Runtime: "nope"}, `unknown runtime "nope"`},
		{"no course", View{Modules: c.Modules, Runtime: "web"}, "no course"},
		{"no module", View{Course: c, Runtime: "web"}, "no module"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for i, p := range embeddedSet.PageParts(tt.v) {
				if err := p.Render(io.Discard); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("part %d: got %v, want %q", i, err, tt.want)
				}
			}
		})
	}
	for _, text := range []string{`<p>{{.Config}}</p>`, `<p>{{.CSP}}</p>`, `{{.Config}}<p>{{.CSP}}</p>`} {
		tmpl := template.Must(template.New("page").Parse(text))
		if _, _, err := splitPage(&bytes.Buffer{}, tmpl, View{Course: c, Modules: c.Modules[:1], Runtime: "web"}); err == nil || !strings.Contains(err.Error(), "not where the page template puts them") {
			t.Errorf("%s: got %v", text, err)
		}
	}
}
