package xliff_test

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/internal/ziptest"
	"github.com/coursepack/coursepack/xliff"
)

const (
	tiny = "../testdata/tiny"
	rich = "testdata/rich"
)

func load(t *testing.T, dir string) *course.Course {
	t.Helper()
	c, err := course.Load(dir)
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	return c
}

func export(t *testing.T, dir, lang string, previous *xliff.Document) (*xliff.Document, xliff.Stats) {
	t.Helper()
	d, st, err := xliff.Export(load(t, dir), lang, previous)
	if err != nil {
		t.Fatal(err)
	}
	// Every export must read back as it was written.
	back, err := xliff.Parse(d.Marshal())
	if err != nil {
		t.Fatalf("the export does not parse: %v", err)
	}
	if string(back.Marshal()) != string(d.Marshal()) {
		t.Fatal("the export changes when read back and written again")
	}
	return back, st
}

// fill translates every unit of d that pass selects with f, keeping the
// source's codes, and marks it translated.
func fill(d *xliff.Document, pass func(file string, u *xliff.Unit) bool, f func(string) string) {
	for _, file := range d.Files {
		for _, u := range file.Units {
			if !pass(file.Original, u) {
				continue
			}
			target := make(xliff.Content, 0, len(u.Source)+1)
			first := true
			for _, p := range u.Source {
				if p.Kind == xliff.Text {
					if first {
						p.Text = f(p.Text)
						first = false
					}
				}
				target = append(target, p)
			}
			if first {
				target = append(xliff.Content{{Kind: xliff.Text, Text: f("")}}, target...)
			}
			u.Target, u.State = target, xliff.StateTranslated
		}
	}
}

func content(file string, _ *xliff.Unit) bool { return file != xliff.InterfaceFile }

func importTo(t *testing.T, dir string, d *xliff.Document) (string, *xliff.Report) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "translated")
	rep, err := xliff.Import(load(t, dir), d, xliff.ImportOptions{Out: out})
	if err != nil {
		var pe *xliff.ProblemsError
		if errors.As(err, &pe) {
			t.Fatalf("import: %v", pe)
		}
		t.Fatal(err)
	}
	return out, rep
}

// TestIdentityRoundTrip translates every text into itself, the interface
// text included: the translated course must render exactly as the source,
// which shows the segmentation keeps every byte of Markdown syntax and that
// translated text is escaped where it must be.
func TestIdentityRoundTrip(t *testing.T) {
	for _, dir := range []string{tiny, rich, "../examples/stepping-into-leadership"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			d, _ := export(t, dir, "cy", nil)
			fill(d, func(string, *xliff.Unit) bool { return true }, func(s string) string { return s })
			out, rep := importTo(t, dir, d)
			if len(rep.Untranslated) > 0 || len(rep.Review) > 0 || len(rep.Unknown) > 0 {
				t.Fatalf("report: %+v", rep)
			}
			src, got := load(t, dir), load(t, out)
			if got.Language != "cy" || got.Title != src.Title || got.Description != src.Description {
				t.Errorf("course: got %q %q %q", got.Language, got.Title, got.Description)
			}
			if len(got.Modules) != len(src.Modules) {
				t.Fatalf("%d modules, want %d", len(got.Modules), len(src.Modules))
			}
			track := regexp.MustCompile(`srclang="[^"]*"`)
			for i, m := range src.Modules {
				g := got.Modules[i]
				if g.Title != m.Title || strings.Join(g.Objectives, "|") != strings.Join(m.Objectives, "|") || len(g.Pages) != len(m.Pages) {
					t.Fatalf("module %s: got %q %q, %d pages", m.ID, g.Title, g.Objectives, len(g.Pages))
				}
				for j, p := range m.Pages {
					// A soft line break becomes a space: the same to a browser.
					want := strings.Join(strings.Fields(track.ReplaceAllString(string(p.HTML), "")), " ")
					have := strings.Join(strings.Fields(track.ReplaceAllString(string(g.Pages[j].HTML), "")), " ")
					if have != want || g.Pages[j].Title != p.Title {
						t.Errorf("module %s page %s renders differently:\n got: %s\nwant: %s", m.ID, p.ID, have, want)
					}
				}
			}
		})
	}
}

// TestTranslateAndBuild is the whole round trip: export, a scripted
// translation ("CY: " before each text, codes kept), import and build.
func TestTranslateAndBuild(t *testing.T) {
	d, st := export(t, rich, "cy", nil)
	if st.New == 0 || st.Translated == 0 || st.New+st.Translated != st.Units {
		t.Errorf("stats: %+v", st)
	}
	fill(d, content, func(s string) string { return "CY: " + s })
	// The course's own interface text has no catalogue translation.
	fill(d, func(file string, u *xliff.Unit) bool { return file == xliff.InterfaceFile && u.ResName == "nav.next" },
		func(string) string { return "Ymlaen" })
	fill(d, func(file string, u *xliff.Unit) bool {
		return file == xliff.InterfaceFile && u.ResName == "progress.page"
	},
		func(s string) string { return map[string]string{"Step ": "Cam ", " of ": " o "}[s] })
	out, rep := importTo(t, rich, d)
	if len(rep.Untranslated) > 0 || rep.Translated != rep.Units {
		t.Errorf("untranslated: %+v", rep.Untranslated)
	}
	res, err := coursepack.Build(context.Background(), coursepack.Options{Dir: out, Formats: []string{"scorm12"}, Out: filepath.Join(t.TempDir(), "dist")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Course.Language != "cy" || res.Course.Title != "CY: Rich course" {
		t.Errorf("course %q in %q", res.Course.Title, res.Course.Language)
	}
	pages := ziptest.Texts(t, res.Written[0].Path)
	one, two := pages["one.html"], pages["two.html"]
	for _, want := range []string{
		`<html lang="cy">`,
		`>CY: Welcome to the course</h2>`,
		`<p>CY: Some <strong>bold <em>nested</em></strong> text with <code>code</code> and <a href="https://example.org/a" title="Title">a link</a> and a second line<br>`,
		`<img src="media/pic.png" alt="a small picture">`,
		`<blockquote>`,
		`<a href="https://example.org/ref">reference link</a>`,
		`<p>CY: First <em>item</em></p>`,
		`<td align="left">CY: The <a href="https://example.org/1">first</a> one</td>`,
		`<legend class="cp-question-prompt">CY: Which one is <strong>right</strong>?</legend>`,
		`CY: The <em>right</em> one`,
		`CY: Yes, that&rsquo;s it.`,
		`CY: The explanation, with <code>code</code>.`,
		`CY: What is the capital of Wales?`,
		`>Ymlaen</button>`, // nav.next: the course's own "Continue", translated
	} {
		if !strings.Contains(one, want) {
			t.Errorf("one.html lacks %s", want)
		}
	}
	for _, want := range []string{`CY: Setext heading`, `CY: A note with <em>emphasis</em>.`, `CY: What will you <strong>do</strong> differently?`,
		`<figcaption>`, `CY: A caption for the talk.`, `CY: Plan your next steps: 3 goals.`, `code block: not translated`, `CY: A sub-heading`} {
		if !strings.Contains(two, want) {
			t.Errorf("two.html lacks %s", want)
		}
	}
	if strings.Contains(one+two, "CY: CY:") {
		t.Error("a text was translated twice")
	}
	tr := load(t, out)
	q := tr.Modules[0].Questions
	if len(q) != 3 || !q[0].Options[0].Correct || q[0].Options[1].Correct || q[0].Attempts != 2 || q[1].Type != course.TrueFalse ||
		strings.Join(q[2].Answers, "|") != "CY: Cardiff|CY: Caerdydd" {
		t.Errorf("questions changed: %+v %+v %+v", q[0], q[1], q[2])
	}
}
