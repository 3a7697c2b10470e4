package course

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuin/goldmark/parser"
	"golang.org/x/net/html"

	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/internal/txtar"
)

// The fuzz targets of the course loader. Their seeds are in
// testdata/fuzz/<target>/ (go's corpus format); `make fuzz` runs each for a
// while, `make fuzz-short` briefly, and `go test` runs the seeds alone.
// Each input is loaded with small limits, so that no input can take long
// or use much memory, and must give a course or Errors whose every problem
// names a file of the course at a line and column that exist.

// fuzzLimits are the limits of the fuzz targets: small, so that the
// fuzzer reaches them.
var fuzzLimits = Limits{
	CourseFileSize:  64 << 10,
	ModuleFileSize:  64 << 10,
	MarkdownSize:    160 << 10,
	FrontMatterSize: 8 << 10,
	ModuleLines:     2_000,
	Modules:         20,
	Pages:           50,
	Questions:       50,
}

// fuzzTimeout is the longest one input may take to load: a loose bound, to
// catch a parse that hangs or grows with the square of its input.
const fuzzTimeout = 10 * time.Second

// fuzzCourseYAML is the course.yaml of FuzzLoadModule.
const fuzzCourseYAML = `id: https://example.org/courses/fuzz
title: Fuzz
language: en-GB
raw_html: RAW
modules:
  - modules/m.md
  - modules/other.md
`

// fuzzOther is a module that fuzzed pages can link to.
const fuzzOther = "---\nid: other\ntitle: Other\n---\n## Other\n\nText.\n"

// writeFuzzCourse writes the files of the fuzz course into dir: the
// assets pages can reference, the other module, and the named files.
func writeFuzzCourse(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	all := map[string]string{
		"modules/other.md":  fuzzOther,
		"assets/pic.png":    "png",
		"media/intro.mp4":   "mp4",
		"media/intro.vtt":   "WEBVTT\n",
		"media/poster.jpg":  "jpg",
		"assets/guide.pdf":  "pdf",
		"modules/notes.txt": "notes",
	}
	for name, text := range files {
		all[name] = text
	}
	txtar.WriteFiles(t, dir, all)
}

// checkLoad loads dir with lim and checks what comes back: a course or
// Errors (never another error: every input is the author's), each problem
// in a file of files at a place that exists in it; every page of a course
// safe HTML. It returns the problems.
func checkLoad(t *testing.T, dir string, lim Limits, files map[string]string) Errors {
	t.Helper()
	start := time.Now()
	c, err := LoadWith(dir, LoadOptions{Limits: lim})
	if d := time.Since(start); d > fuzzTimeout {
		t.Errorf("Load took %v", d)
	}
	if err == nil {
		if c == nil {
			t.Fatal("Load returned neither a course nor an error")
		}
		for _, m := range c.Modules {
			for _, p := range m.Pages {
				checkSafeHTML(t, string(p.HTML), true)
			}
		}
		return nil
	}
	if c != nil {
		t.Error("Load returned a course and an error")
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load error %v (%T) is not Errors", err, err)
	}
	for _, e := range errs {
		text, ok := files[e.File]
		switch {
		case !ok:
			t.Errorf("problem %q names %q, not a file of the course", e, e.File)
		case e.Line < 0 || e.Col < 0 || (e.Line == 0 && e.Col != 0):
			t.Errorf("problem %q is at %d:%d", e, e.Line, e.Col)
		case e.Line > strings.Count(text, "\n")+1:
			t.Errorf("problem %q is at line %d of a file of %d lines", e, e.Line, strings.Count(text, "\n")+1)
		case strings.TrimSpace(e.Msg) == "":
			t.Errorf("problem at %s:%d:%d has no message", e.File, e.Line, e.Col)
		}
	}
	return errs
}

// unsafeElements are elements no page may hold, whatever its Markdown.
var unsafeElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "embed": true, "applet": true, "link": true, "meta": true,
	"base": true, "noscript": true, "svg": true, "math": true, "xmp": true,
	"plaintext": true, "title": true, "noembed": true, "noframes": true,
}

// urlAttrs are attributes whose value is an address.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "poster": true, "action": true, "formaction": true,
	"cite": true, "data": true, "background": true, "srcset": true, "xlink:href": true,
}

// checkSafeHTML fails t when page, a page's HTML, holds what could run
// script: an unsafe element, an event handler, a style attribute, a
// javascript:, vbscript: or data: address. With loaded, for a page of a
// course that loaded (without problems), a picture or medium from another
// host fails it too: the loader reports those, but keeps the page.
func checkSafeHTML(t *testing.T, page string, loaded bool) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if unsafeElements[tok.Data] {
			t.Errorf("the page holds <%s>:\n%s", tok.Data, page)
		}
		for _, a := range tok.Attr {
			key := a.Key
			if a.Namespace != "" {
				key = a.Namespace + ":" + a.Key
			}
			switch {
			case strings.HasPrefix(key, "on"), key == "style", key == "srcdoc", key == "formaction":
				t.Errorf("<%s> has the attribute %s:\n%s", tok.Data, key, page)
			case urlAttrs[key] && dangerousScheme(a.Val) != "":
				t.Errorf("<%s %s=%q> links to a %s: address:\n%s", tok.Data, key, a.Val, dangerousScheme(a.Val), page)
			case loaded && key == "src" && strings.Contains(a.Val, "//"):
				t.Errorf("<%s src=%q> loads from another host:\n%s", tok.Data, a.Val, page)
			}
		}
	}
}

// FuzzLoadCourseYAML loads a course whose course.yaml is the input.
func FuzzLoadCourseYAML(f *testing.F) {
	dir := f.TempDir()
	module := "---\nid: m\ntitle: M\n---\n## Page\n\nText with [a link](../assets/pic.png).\n"
	writeFuzzCourse(f, dir, map[string]string{"modules/m.md": module})
	files := map[string]string{"modules/m.md": module, "modules/other.md": fuzzOther}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, CourseFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{CourseFile: string(data), "modules/m.md": files["modules/m.md"], "modules/other.md": files["modules/other.md"]}
		checkLoad(t, dir, fuzzLimits, files)
	})
}

// FuzzLoadModule loads a course whose first module is the input, with raw
// HTML allowed or not.
func FuzzLoadModule(f *testing.F) {
	dir := f.TempDir()
	writeFuzzCourse(f, dir, nil)
	f.Fuzz(func(t *testing.T, rawHTML bool, data []byte) {
		yaml := strings.Replace(fuzzCourseYAML, "RAW", map[bool]string{true: "true", false: "false"}[rawHTML], 1)
		if err := os.WriteFile(filepath.Join(dir, CourseFile), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "modules", "m.md"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{CourseFile: yaml, "modules/m.md": string(data), "modules/other.md": fuzzOther}
		checkLoad(t, dir, fuzzLimits, files)
	})
}

// pageHarness reads page text as the loader reads a module's pages, without
// files: the module is in memory, and the course folder only holds the
// files pages can reference.
type pageHarness struct {
	dir string
	raw bool
}

func newPageHarness(t testing.TB, raw bool) *pageHarness {
	dir := t.TempDir()
	writeFuzzCourse(t, dir, nil)
	return &pageHarness{dir: dir, raw: raw}
}

// read reads text as the body of module modules/m.md (after its front
// matter) and returns the module and the problems found.
func (h *pageHarness) read(t testing.TB, text []byte) (*Module, Errors, error) {
	root, err := filepath.EvalSymlinks(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	strs, err := i18n.ForCourse("en-GB", nil)
	if err != nil {
		t.Fatal(err)
	}
	l := &loader{
		dir: h.dir, root: root,
		course:       &Course{Dir: h.dir, Language: "en-GB", RawHTML: h.raw, Completion: CompletionPages},
		assets:       map[string]*Asset{},
		byPath:       map[string]*moduleFile{},
		interactions: map[string]string{},
		strings:      strs,
		limits:       fuzzLimits.withDefaults(),
	}
	l.assetsMu = new(sync.Mutex)
	l.md = l.newMarkdown()
	other := &moduleFile{rel: "modules/other.md", module: &Module{ID: "other"}}
	l.byPath[other.rel] = other
	m := &moduleFile{rel: "modules/m.md", module: &Module{Source: "modules/m.md", Completion: CompletionPages}, ok: true}
	m.data, m.lines = text, newLineIndex(text)
	m.ids = parser.NewContext().IDs()
	l.byPath[m.rel] = m
	l.modules = []*moduleFile{m}
	l.readAllPages()
	return m.module, l.errs.sorted(), l.fatal
}

// FuzzCourseBlocks reads the input as the pages of a module: the page
// breaks, the course blocks (::: question, reflection, video ...) and their
// attributes, links and raw HTML. Every problem must lie in the text, and
// every page be safe HTML.
func FuzzCourseBlocks(f *testing.F) {
	harness := map[bool]*pageHarness{false: newPageHarness(f, false), true: newPageHarness(f, true)}
	f.Fuzz(func(t *testing.T, rawHTML bool, text []byte) {
		if len(text) > 32<<10 {
			return
		}
		start := time.Now()
		mod, errs, fatal := harness[rawHTML].read(t, text)
		if d := time.Since(start); d > fuzzTimeout {
			t.Errorf("reading the pages took %v", d)
		}
		if fatal != nil {
			t.Fatalf("I/O failure %v: every problem of page text is the author's", fatal)
		}
		lines := bytes.Count(text, []byte("\n")) + 1
		for _, e := range errs {
			if e.File != "modules/m.md" || e.Line < 1 || e.Line > lines || e.Col < 0 || e.Msg == "" {
				t.Errorf("problem %q (%s:%d:%d) is not in the %d lines of the text", e.Msg, e.File, e.Line, e.Col, lines)
			}
		}
		loaded := len(errs) == 0
		for _, p := range mod.Pages {
			checkSafeHTML(t, string(p.HTML), loaded)
		}
		for _, q := range mod.Questions {
			checkSafeHTML(t, string(q.Prompt)+string(q.Explanation), loaded)
			for _, o := range q.Options {
				checkSafeHTML(t, string(o.Text)+string(o.Feedback), loaded)
			}
		}
	})
}
