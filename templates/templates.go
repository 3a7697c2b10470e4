// Package templates holds the embedded player: the HTML page of a launchable
// unit (a SCO or an AU), its stylesheet and its JavaScript, including one
// tracking adapter per runtime behind one small JavaScript interface.
//
// Render writes the HTML page of one module, or of a whole course, with
// html/template; PlayerFiles lists the static files that page links to. The
// package does not build manifests, read course folders or write packages.
//
// The page is readable without JavaScript (every page of every module is in
// the document); the player script then shows one page at a time, keeps
// progress through the runtime adapter and falls back to the browser's
// localStorage when no runtime is found. The page requests nothing from any
// other host.
//
// The learner activities (knowledge checks, reflections, the action plan)
// are wired by player/activities.js; scoring, the status rules and the
// versioned state format are in player/core.js, which documents them.
// Every adapter implements init, save(state, status, score), record
// (one interaction: a checked answer or a reflection), flush and finish.
// In a unit holding several modules, the status follows the course's
// completion rule and mastery score, and the score is the mean of the
// scores of the modules with questions. StateBudget estimates the largest
// state a unit can save, for the runtime's limit.
package templates

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/iri"
)

//go:embed page.html.tmpl player
var files embed.FS

var page = template.Must(template.New("page.html.tmpl").ParseFS(files, "page.html.tmpl"))

// View is what Render needs to write one HTML page.
type View struct {
	Course *course.Course
	// Modules are the modules the page holds: one (a SCO or AU per module)
	// or several (one unit for the whole course: the player then moves
	// across modules and groups its contents by module).
	Modules []*course.Module
	// Runtime names the tracking runtime the page reports to: see Runtimes.
	Runtime string
	// Strings is the interface text in the course's language.
	Strings i18n.Strings
	// Next is the title of the unit that follows this one in its package,
	// or "": where the runtime lets content ask the LMS to move on (SCORM
	// 2004), the player offers a button to it.
	Next string
}

// adapters maps each runtime to its adapter scripts, in the order they
// go into ScriptFile; the web runtime has none and uses the standalone
// (localStorage) adapter.
var adapters = map[string][]string{
	"scorm12":   {"cmi", "scorm12"},
	"scorm2004": {"cmi", "scorm2004"},
	"xapi":      {"lrs", "xapi"},
	"cmi5":      {"lrs", "cmi5"},
	"web":       {},
}

// ScriptFile is a package's one player script: the core, the runtime's
// adapters, the line naming the runtime (CP.runtime, for player.js to
// start), the standalone adapter, the activities and the user interface,
// each minified, one after the other. One file is one request before the
// first page shows; and since it is the only file that differs between
// runtimes, the SCORM 1.2, SCORM 2004 and web packages of a course hold the
// same pages (and a build deflates each page once for them all).
const ScriptFile = "player/coursepack.js"

// StyleFile is the player's style sheet in a package.
const StyleFile = "player/player.css"

// statementRuntimes are the runtimes that report xAPI statements: their
// config carries the activity IRIs (package iri) and the names of the
// activities.
var statementRuntimes = map[string]bool{"xapi": true, "cmi5": true}

// Runtimes lists the runtime names Render accepts, sorted.
func Runtimes() []string {
	names := make([]string, 0, len(adapters))
	for n := range adapters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Render writes one complete HTML document for v: every page of v.Modules as
// a section, the contents, the navigation controls, the player's
// configuration as JSON, and links to the files of PlayerFiles, relative to
// the document (which sits at the package root). It returns an error when v
// names an unknown runtime or holds no page.
func Render(w io.Writer, v View) error {
	d, err := newDoc(v)
	if err != nil {
		return err
	}
	return page.Execute(w, d)
}

// PageKey names the page Render writes for v among the pages of the
// builds of v.Course (the same *course.Course, with the player and text
// the course selects): two views with the same key give the same bytes.
// The pages of runtimes whose pages are alike (the SCORM runtimes and web;
// the xAPI ones) have the same key.
func PageKey(v View) string {
	kind := "lms"
	if statementRuntimes[v.Runtime] {
		kind = "lrs"
	}
	return kind + " " + sharedKey(v)
}

// PlayerFiles returns the static files a page of runtime loads, sorted by
// path: ScriptFile, made of the player's scripts for runtime, and
// StyleFile. Both are minified (see minify.go).
func PlayerFiles(runtime string) ([]dist.File, error) {
	return playerFiles(runtime, embeddedFile)
}

// embeddedFile returns the embedded player file at p, minified.
func embeddedFile(p string) ([]byte, error) {
	data, err := files.ReadFile(p)
	if err != nil {
		return nil, err
	}
	if data, err = minifyFile(p, data); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	return data, nil
}

// ScriptParts lists the player's scripts that make up ScriptFile for
// runtime, in order, as paths of the player's files ("player/core.js").
func ScriptParts(runtime string) ([]string, error) {
	scripts, ok := adapters[runtime]
	if !ok {
		return nil, fmt.Errorf("templates: unknown runtime %q (known: %s)", runtime, strings.Join(Runtimes(), ", "))
	}
	parts := []string{"player/core.js"}
	for _, name := range scripts {
		parts = append(parts, "player/"+name+".js")
	}
	return append(parts, "player/local.js", "player/activities.js", "player/player.js"), nil
}

// playerFiles is PlayerFiles with each player file (minified) read by
// read, given its path.
func playerFiles(runtime string, read func(p string) ([]byte, error)) ([]dist.File, error) {
	parts, err := ScriptParts(runtime)
	if err != nil {
		return nil, err
	}
	var script bytes.Buffer
	for _, p := range parts {
		if p == "player/local.js" {
			// After the runtime's adapters, before the fallback.
			fmt.Fprintf(&script, "CP.runtime=%q;\n", runtime)
		}
		data, err := read(p)
		if err != nil {
			return nil, err
		}
		script.Write(data)
		script.WriteString(";\n")
	}
	style, err := read(StyleFile)
	if err != nil {
		return nil, err
	}
	return []dist.File{{Path: ScriptFile, Data: script.Bytes()}, {Path: StyleFile, Data: style}}, nil
}

// doc is the data of page.html.tmpl.
type doc struct {
	Lang        string
	Title       string
	CourseTitle string
	Heading     string
	Logo        string
	ThemeCSS    template.CSS
	CourseMode  bool
	Modules     []docModule
	// Config is the player's configuration as JSON, cfg marshalled: as
	// html/template would write cfg in the page's script element, so a
	// page's configuration can be written without rendering the page
	// (see PageParts).
	Config  template.JS
	cfg     config
	strings i18n.Strings

	// Favicon is the path of the page icon, and FaviconType its media
	// type; "" when the theme has none.
	Favicon, FaviconType string
	// Footer and LicenceLine are the theme's footer text, or "".
	Footer, LicenceLine string
	// CSP is the page's Content-Security-Policy (see
	// ContentSecurityPolicy), for a <meta http-equiv> at the top of its
	// head.
	CSP string
	// MarkScript is the page's inline script (see MarkScript).
	MarkScript template.JS
}

// T returns the interface text of key.
func (d doc) T(key string) string { return d.strings.Get(key) }

type docModule struct {
	Anchor string
	Title  string
	Pages  []docPage
}

type docPage struct {
	Anchor string
	Index  int
	Title  string
	HTML   template.HTML
}

// config is the JSON the player script reads from #cp-config.
type config struct {
	V      int    `json:"v"`
	Course string `json:"course"`
	Title  string `json:"title"`
	Lang   string `json:"lang,omitempty"`
	// Key is the localStorage key of the standalone player's progress.
	Key string `json:"key"`
	// Notes is the localStorage key of the local copy of the learner's
	// text (every reflection and action plan of the course).
	Notes string `json:"notes"`
	// Completion and Mastery are the course's rule and pass mark, which
	// decide the status of a unit holding several modules.
	Completion string         `json:"completion"`
	Mastery    *int           `json:"mastery"`
	Limits     Limits         `json:"limits"`
	Modules    []configModule `json:"modules"`
	// Gather lists every reflection of the course, by module, when a module
	// of the page holds the action plan.
	Gather []gatherModule `json:"gather,omitempty"`
	// Next is the title of the next unit in the package, or "".
	Next string            `json:"next,omitempty"`
	T    map[string]string `json:"t"`
	// IRI is the course's activity IRI (xAPI runtimes only, as are the
	// IRI, Titles, Text and Choices fields below).
	IRI string `json:"iri,omitempty"`
}

type configModule struct {
	ID          string             `json:"id"`
	Title       string             `json:"title"`
	Completion  string             `json:"completion"`
	Mastery     *int               `json:"mastery"`
	Pages       []string           `json:"pages"`
	Questions   []configQuestion   `json:"questions"`
	Reflections []configReflection `json:"reflections"`
	// Plan is true when a page of the module holds the action plan.
	Plan bool `json:"plan,omitempty"`
	// IRI is the module's activity IRI; a page's is IRI + "/_page/" + its
	// id (iri.Page).
	IRI string `json:"iri,omitempty"`
	// Titles are the page titles, in page order.
	Titles []string `json:"titles,omitempty"`
}

// configQuestion is the answer key of a knowledge-check question.
type configQuestion struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Correct  []string `json:"correct,omitempty"`
	Answers  []string `json:"answers,omitempty"`
	Attempts int      `json:"attempts,omitempty"`
	// Options is the number of options (0 for a text question).
	Options int    `json:"options,omitempty"`
	IRI     string `json:"iri,omitempty"`
	// Text is the prompt as one line of plain text.
	Text string `json:"text,omitempty"`
	// Choices are the options of a single or multiple choice question.
	Choices []configChoice `json:"choices,omitempty"`
}

// configChoice is an option of a choice question, as an xAPI interaction
// component.
type configChoice struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// configReflection is a reflection and the cap of its answer.
type configReflection struct {
	ID   string `json:"id"`
	Max  int    `json:"max"`
	IRI  string `json:"iri,omitempty"`
	Text string `json:"text,omitempty"`
}

// gatherModule is a module's reflection prompts, as plain text, for the
// action plan.
type gatherModule struct {
	ID          string             `json:"id"`
	Title       string             `json:"title"`
	Reflections []gatherReflection `json:"reflections"`
}

type gatherReflection struct {
	ID     string `json:"id"`
	Prompt string `json:"prompt"`
}

// scriptKeys are the interface texts the player script uses.
var scriptKeys = []string{
	"progress.page", "contents.viewed",
	"notice.local", "notice.none", "notice.clipped", "notice.unsaved", "notice.offline", "notice.lms-failed",
	"end.module", "end.course", "end.exited",
	"end.incomplete-title", "end.incomplete", "end.missing",
	"end.score", "end.failed",
	"question.correct", "question.wrong", "question.retry", "question.left",
	"question.empty", "question.right-option", "question.accepted",
	"reflection.count",
	"plan.title", "plan.reflections", "plan.missing", "plan.missing-note", "plan.empty",
	"plan.goals", "plan.goal", "plan.goal-text", "plan.actions", "plan.date",
	"plan.add", "plan.remove", "plan.max", "plan.buddy", "plan.review",
	"plan.download", "plan.print", "plan.file", "plan.no-goals", "plan.made",
}

// checkView reports what makes v a view Render refuses.
func checkView(v View) error {
	if v.Course == nil {
		return errors.New("templates: no course")
	}
	if _, ok := adapters[v.Runtime]; !ok {
		return fmt.Errorf("templates: unknown runtime %q (known: %s)", v.Runtime, strings.Join(Runtimes(), ", "))
	}
	if len(v.Modules) == 0 {
		return errors.New("templates: no module to render")
	}
	return nil
}

func newDoc(v View) (doc, error) {
	if err := checkView(v); err != nil {
		return doc{}, err
	}
	c := v.Course
	d := doc{
		Lang:        c.Language,
		CourseTitle: c.Title,
		CourseMode:  len(v.Modules) > 1,
		ThemeCSS:    ThemeCSS(c.Theme),
		Footer:      c.Theme.Footer,
		LicenceLine: c.Theme.LicenceLine,
		strings:     v.Strings,
	}
	d.CSP = PlayerPolicy(v.Runtime, string(d.ThemeCSS))
	d.MarkScript = MarkScript
	if c.Theme.Logo != nil {
		d.Logo = c.Theme.Logo.Path
	}
	if c.Theme.Favicon != nil {
		d.Favicon, d.FaviconType = c.Theme.Favicon.Path, FaviconType(c.Theme.Favicon.Path)
	}
	if d.CourseMode {
		d.Heading = c.Title
		d.Title = c.Title
	} else {
		d.Heading = v.Modules[0].Title
		d.Title = v.Modules[0].Title + " – " + c.Title
	}
	ids := make([]string, len(v.Modules))
	courseRule := c.Completion
	if courseRule == "" {
		courseRule = course.CompletionPages
	}
	d.cfg = config{
		V: 1, Course: c.ID, Title: c.Title, Lang: c.Language,
		Notes: NotesKey(c.ID), Completion: string(courseRule), Mastery: c.MasteryScore,
		Limits: limits, Next: v.Next, T: map[string]string{},
	}
	xapi := statementRuntimes[v.Runtime]
	if xapi {
		d.cfg.IRI = c.ID
	}
	plan := false
	for _, k := range scriptKeys {
		d.cfg.T[k] = v.Strings.Get(k)
	}
	index := 0
	for i, m := range v.Modules {
		if len(m.Pages) == 0 {
			return doc{}, fmt.Errorf("templates: module %q has no page", m.ID)
		}
		ids[i] = m.ID
		dm := docModule{Anchor: "cp-" + m.ID, Title: m.Title}
		rule := m.Completion
		if rule == "" {
			rule = c.Completion
		}
		if rule == "" {
			rule = course.CompletionPages
		}
		mastery := m.MasteryScore
		if mastery == nil {
			mastery = c.MasteryScore
		}
		cm := configModule{
			ID: m.ID, Title: m.Title, Completion: string(rule), Mastery: mastery,
			Pages: []string{}, Questions: []configQuestion{}, Reflections: []configReflection{}, Plan: m.ActionPlan,
		}
		plan = plan || m.ActionPlan
		if xapi {
			cm.IRI = iri.Module(c.ID, m.ID)
		}
		for _, p := range m.Pages {
			dm.Pages = append(dm.Pages, docPage{Anchor: dm.Anchor + "." + p.ID, Index: index, Title: p.Title, HTML: p.HTML})
			cm.Pages = append(cm.Pages, p.ID)
			if xapi {
				cm.Titles = append(cm.Titles, p.Title)
			}
			index++
		}
		for _, q := range m.Questions {
			cq := configQuestion{ID: q.ID, Type: string(q.Type), Answers: q.Answers, Attempts: q.Attempts, Options: len(q.Options)}
			for _, o := range q.Options {
				if o.Correct {
					cq.Correct = append(cq.Correct, o.ID)
				}
			}
			if xapi {
				describeQuestion(&cq, c, m, q)
			}
			cm.Questions = append(cm.Questions, cq)
		}
		for _, r := range m.Reflections {
			cr := configReflection{ID: r.ID, Max: ReflectionMax(r)}
			if xapi {
				cr.IRI = iri.Question(c.ID, m.ID, r.ID)
				cr.Text = lineText(r.Prompt)
				if cr.Text == "" {
					cr.Text = m.Title + ": " + r.ID
				}
			}
			cm.Reflections = append(cm.Reflections, cr)
		}
		d.Modules = append(d.Modules, dm)
		d.cfg.Modules = append(d.cfg.Modules, cm)
	}
	d.cfg.Key = StorageKey(c.ID, ids)
	if plan {
		d.cfg.Gather = gather(c)
	}
	// json.Marshal escapes <, > and & (and U+2028 and U+2029), so the
	// JSON is safe in a script element.
	b, err := json.Marshal(d.cfg)
	if err != nil {
		return doc{}, fmt.Errorf("templates: %w", err)
	}
	d.Config = template.JS(b)
	return d, nil
}

// describeQuestion adds to cq what an xAPI interaction activity needs: its
// IRI, its prompt and the text of its choices, as tincan.xml gives them
// (package xapi), so that the definitions in statements match.
func describeQuestion(cq *configQuestion, c *course.Course, m *course.Module, q *course.Question) {
	cq.IRI = iri.Question(c.ID, m.ID, q.ID)
	cq.Text = lineText(q.Prompt)
	if cq.Text == "" {
		cq.Text = m.Title + ": " + q.ID
	}
	if q.Type != course.SingleChoice && q.Type != course.MultipleChoice {
		return
	}
	for _, o := range q.Options {
		text := lineText(o.Text)
		if text == "" {
			text = o.ID
		}
		cq.Choices = append(cq.Choices, configChoice{ID: o.ID, Text: text})
	}
}

var lineBreak = regexp.MustCompile(`(?i)</(p|li|div|h[1-6])>|<br\s*/?>`)

// lineText turns rendered HTML into one line of text the way package xapi
// does for tincan.xml: block ends become spaces, tags are dropped, entities
// decoded and white space collapsed.
func lineText(h template.HTML) string {
	s := lineBreak.ReplaceAllString(string(h), " ")
	s = html.UnescapeString(anyTag.ReplaceAllString(s, ""))
	return strings.Join(strings.Fields(s), " ")
}

// gather lists the reflection prompts of every module of c that has any.
func gather(c *course.Course) []gatherModule {
	out := []gatherModule{}
	for _, m := range c.Modules {
		if len(m.Reflections) == 0 {
			continue
		}
		g := gatherModule{ID: m.ID, Title: m.Title}
		for _, r := range m.Reflections {
			g.Reflections = append(g.Reflections, gatherReflection{ID: r.ID, Prompt: plainText(r.Prompt)})
		}
		out = append(out, g)
	}
	return out
}

var (
	blockEnd = regexp.MustCompile(`(?i)</(p|li|h[1-6]|blockquote|div|tr)>|<br\s*/?>`)
	anyTag   = regexp.MustCompile(`<[^>]*>`)
	blankRun = regexp.MustCompile(`[ \t]*\n[\s]*`)
	spaceRun = regexp.MustCompile(`[ \t]+`)
)

// plainText turns a rendered fragment into text: tags dropped, entities
// decoded, one line per paragraph.
func plainText(h template.HTML) string {
	s := blockEnd.ReplaceAllString(string(h), "\n")
	s = html.UnescapeString(anyTag.ReplaceAllString(s, ""))
	s = spaceRun.ReplaceAllString(s, " ")
	return strings.TrimSpace(blankRun.ReplaceAllString(s, "\n"))
}

// NotesKey is the localStorage key under which the player keeps a full copy
// of the learner's reflections and action plans of the course courseID.
// (Module ids cannot hold ":", so it cannot clash with StorageKey.)
func NotesKey(courseID string) string {
	return "coursepack:" + courseID + "#:notes"
}

// StorageKey is the localStorage key under which the standalone player keeps
// the progress of a unit holding moduleIDs of the course courseID.
func StorageKey(courseID string, moduleIDs []string) string {
	return "coursepack:" + courseID + "#" + strings.Join(moduleIDs, "+")
}

var (
	colourName  = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	colourValue = regexp.MustCompile(`^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(rgb|rgba|hsl|hsla)\([0-9a-z.,%/ ]{1,60}\))$`)
	hexColour   = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
)

// themeCSS turns the theme colours into CSS custom properties on :root
// (--cp-primary, ...). Names and values that are not plain colours are left
// out. For a hex primary colour it also sets --cp-on-primary, the text
// colour with the better contrast on it, and it sets the player colours the
// theme calls for (course.DerivedColours), as for a dark theme.
func themeCSS(colours map[string]string) template.CSS {
	names := make([]string, 0, len(colours))
	for n := range colours {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		val := strings.TrimSpace(colours[n])
		if !colourName.MatchString(n) || !colourValue.MatchString(val) {
			continue
		}
		fmt.Fprintf(&b, "--cp-%s:%s;", n, val)
		if n == "primary" && hexColour.MatchString(val) {
			fmt.Fprintf(&b, "--cp-on-primary:%s;", onColour(val))
		}
	}
	derived := course.DerivedColours(colours)
	names = names[:0]
	for n := range derived {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if hexColour.MatchString(derived[n]) {
			fmt.Fprintf(&b, "--cp-%s:%s;", n, derived[n])
		}
	}
	if b.Len() == 0 {
		return ""
	}
	// Safe: names and values are restricted to the patterns above.
	return template.CSS(":root{" + b.String() + "}")
}

// onColour picks white or near-black text, whichever contrasts more with
// the hex colour bg: the colour the course loader checks button text in.
func onColour(bg string) string {
	return course.TextOn(bg)
}
