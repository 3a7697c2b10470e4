package coursepack

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/txtar"
)

// exampleDir is the example course shipped with the tool.
const exampleDir = "examples/stepping-into-leadership"

// knownWarning matches the only warning the example course may give: the
// SCORM 1.2 state-size warning (suspend_data holds 4,096 characters, and a
// module of five 1,500-character reflections can outgrow it in the worst
// case; the learner then keeps the full text in the browser).
var knownWarning = regexp.MustCompile(`^scorm12: the learner state of (module "[a-z0-9-]+"|the course) can reach [0-9]+ characters, over the 4096 the format stores `)

// TestExampleBuildsWithEveryFormat builds the example course with each
// format of Formats, alone and all together, and allows no error and no
// warning other than the SCORM 1.2 state-size one.
func TestExampleBuildsWithEveryFormat(t *testing.T) {
	runs := [][]string{nil} // nil: every format at once
	for _, f := range Formats() {
		runs = append(runs, []string{f.Name()})
	}
	for _, names := range runs {
		label := strings.Join(names, ",")
		if label == "" {
			label = "all"
		}
		t.Run(label, func(t *testing.T) {
			res, err := Build(context.Background(), Options{Dir: exampleDir, Formats: names, Out: t.TempDir()})
			if err != nil {
				t.Fatalf("the example course does not build: %v", err)
			}
			if len(res.Written) == 0 {
				t.Fatal("the build wrote nothing")
			}
			for _, w := range res.Warnings {
				if !knownWarning.MatchString(w.Msg) || w.Line != 1 {
					t.Errorf("unexpected warning: %v", w)
				} else {
					t.Logf("known warning: %v", w)
				}
			}
		})
	}
}

// countWords counts the words of reading in a module's Markdown:
//
//  1. The front matter (the lines from the opening "---" to the closing
//     "---") is dropped.
//  2. Every question block, from its "::: question" line to its closing
//     ":::" line, is dropped whole: prompt, options, feedback and
//     explanation are assessment, not reading.
//  3. Block syntax lines are dropped: every other line that starts with
//     ":::" (block openers with their attributes, and closers) and every
//     page break "+++". The content of reflection, action-plan, callout and
//     media blocks stays: the learner reads it. (Inside a fenced code block
//     no line is syntax.)
//  4. Link and picture destinations ("](...)") are dropped, keeping the
//     link text.
//  5. What remains is split at white space, and a word is any piece that
//     holds at least one letter or digit. So Markdown markers on their own
//     ("##", "-", ">", "|", "---") and dashes are not words, a numbered
//     list's "1." is, and "co-production" and "don't" are one word each.
func countWords(md string) int {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				lines = lines[i+1:]
				break
			}
		}
	}
	var kept []string
	inQuestion, inFence := false, false
	for _, line := range lines {
		s := strings.TrimSpace(line)
		if strings.HasPrefix(s, "```") || strings.HasPrefix(s, "~~~") {
			inFence = !inFence
		}
		if !inFence {
			if inQuestion {
				inQuestion = s != ":::"
				continue
			}
			if questionOpener.MatchString(s) {
				inQuestion = true
				continue
			}
			if strings.HasPrefix(s, ":::") || s == "+++" {
				continue
			}
		}
		kept = append(kept, line)
	}
	text := linkDestination.ReplaceAllString(strings.Join(kept, "\n"), "]")
	n := 0
	for _, w := range strings.Fields(text) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

var (
	questionOpener  = regexp.MustCompile(`^:::\s*question(\s|$)`)
	linkDestination = regexp.MustCompile(`\]\([^)]*\)`)
)

func TestCountWords(t *testing.T) {
	md := "---\nid: x\ntitle: Not counted\n---\n## One heading\n\nTwo words, [a link](https://example.org/x y).\n\n" +
		"::: question id=q1\nNot counted at all\n\n- [x] No\n  > No\n:::\n\n::: tip\nTip text here\n:::\n\n+++\n\n" +
		"- co-production, don't — 2024 |\n\n```\n::: kept\n```\n"
	// One heading (2) Two words, a link. (4) Tip text here (3)
	// co-production don't 2024 (3) ::: kept (1)
	if got := countWords(md); got != 13 {
		t.Errorf("countWords = %d, want 13", got)
	}
}

// TestExampleModulesMeetCounts checks what every module of the example
// course must hold: 2,500 to 4,000 words of reading (see countWords), at
// least six pages, four reflections, a knowledge check of five or more
// questions each with feedback on every option or an explanation, a buddy
// callout and a summary page; the sixth module holds the action plan.
func TestExampleModulesMeetCounts(t *testing.T) {
	c, err := course.Load(exampleDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Modules) != 6 {
		t.Fatalf("the example has %d modules, want 6", len(c.Modules))
	}
	total := 0
	for i, m := range c.Modules {
		t.Run(m.ID, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(exampleDir, filepath.FromSlash(m.Source)))
			if err != nil {
				t.Fatal(err)
			}
			words := countWords(string(data))
			total += words
			t.Logf("module %d %s: %d words of reading, %d pages, %d reflections, %d questions",
				i+1, m.ID, words, len(m.Pages), len(m.Reflections), len(m.Questions))
			if words < 2500 || words > 4000 {
				t.Errorf("%d words of reading, want 2,500 to 4,000", words)
			}
			if len(m.Pages) < 6 {
				t.Errorf("%d pages, want at least 6", len(m.Pages))
			}
			if len(m.Reflections) < 4 {
				t.Errorf("%d reflections, want at least 4", len(m.Reflections))
			}
			if len(m.Questions) < 5 {
				t.Errorf("%d questions, want at least 5", len(m.Questions))
			}
			for _, q := range m.Questions {
				if strings.TrimSpace(string(q.Explanation)) != "" {
					continue
				}
				if len(q.Options) == 0 {
					t.Errorf("question %s has neither option feedback nor an explanation", q.ID)
				}
				for _, o := range q.Options {
					if strings.TrimSpace(string(o.Feedback)) == "" {
						t.Errorf("question %s: option %s has no feedback and the question no explanation", q.ID, o.ID)
					}
				}
			}
			buddy, summary := false, false
			for _, p := range m.Pages {
				buddy = buddy || strings.Contains(string(p.HTML), `class="cp-callout cp-callout-buddy"`)
				summary = summary || strings.Contains(strings.ToLower(p.Title), "summary")
			}
			if !buddy {
				t.Error("no ::: buddy callout")
			}
			if !summary {
				t.Error(`no page titled like "Summary"`)
			}
			if i == 5 && !m.ActionPlan {
				t.Error("the sixth module does not hold the action plan")
			}
		})
	}
	t.Logf("%d words of reading in all", total)
}

// TestExampleInWelsh builds the example course with language: cy and checks
// its pages carry the Welsh interface text.
func TestExampleInWelsh(t *testing.T) {
	dir := txtar.CopyDir(t, exampleDir)
	path := filepath.Join(dir, course.CourseFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	languageLine := regexp.MustCompile(`(?m)^language: en-GB$`)
	if len(languageLine.FindAll(data, -1)) != 1 {
		t.Fatal("course.yaml has no single line `language: en-GB` to rewrite")
	}
	if err := os.WriteFile(path, languageLine.ReplaceAll(data, []byte("language: cy")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	res, err := Build(context.Background(), Options{Dir: dir, Out: out})
	if err != nil {
		t.Fatalf("the Welsh example does not build: %v", err)
	}
	if res.Course.Language != "cy" {
		t.Fatalf("language = %q", res.Course.Language)
	}
	for _, w := range res.Warnings {
		if !knownWarning.MatchString(w.Msg) {
			t.Errorf("unexpected warning: %v", w)
		}
	}
	pages := playerPages(t, out)
	if len(pages) == 0 {
		t.Fatal("the build holds no player page")
	}
	welsh := []string{
		`<html lang="cy"`,
		`id="cp-prev">Blaenorol</button>`,
		`id="cp-next">Nesaf</button>`,
		`id="cp-toggle" aria-expanded="false" aria-controls="cp-contents">Cynnwys</button>`,
		`id="cp-exit" hidden>Gadael</button>`,
		`Neidio i’r cynnwys`,
	}
	for name, page := range pages {
		for _, s := range welsh {
			if !strings.Contains(page, s) {
				t.Errorf("%s lacks %q", name, s)
			}
		}
		for _, s := range []string{">Next</button>", ">Previous</button>", ">Check answer<", "Skip to content"} {
			if strings.Contains(page, s) {
				t.Errorf("%s still has the English %q", name, s)
			}
		}
		if cfg := playerConfig(t, name, page); cfg["plan.title"] != "Cynllun gweithredu personol" {
			t.Errorf("%s: the player script's plan.title is %q", name, cfg["plan.title"])
		}
	}
	// The content the loader renders is in Welsh too.
	all := strings.Join(mapValues(pages), "\n")
	for _, s := range []string{"Trafodwch y peth", "Gwirio’r ateb", "Eich myfyrdod"} {
		if !strings.Contains(all, s) {
			t.Errorf("no page has %q", s)
		}
	}
}

// TestStringsOverrideReachesPages builds a small course whose course.yaml
// overrides interface text, with every format, and looks for the new text
// in the pages: in the HTML, in the content the loader renders and in the
// player script's configuration.
func TestStringsOverrideReachesPages(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"course.yaml": `id: https://example.org/courses/overrides
title: Overrides
language: gd
modules: [modules/one.md, modules/two.md]
strings:
  nav.next: "Air adhart a-nis"
  callout.buddy: Bruidhinn ri do charaid
  plan.title: "Am plana agam"
  progress.page: "{n} / {total}"
`,
		"modules/one.md": "---\nid: one\ntitle: Aon\n---\n## Fàilte\n\n::: buddy\nBruidhinn ri cuideigin.\n:::\n\n+++\n\n## Ceist\n\n" +
			"::: question id=q1\nA bheil seo fìor?\n\n- [x] Tha\n- [ ] Chan eil\n:::\n",
		"modules/two.md": "---\nid: two\ntitle: Dhà\n---\n## Plana\n\n::: reflection id=r1\nDè a nì thu?\n:::\n\n::: action-plan\nSgrìobh na h-amasan agad.\n:::\n",
	}
	txtar.WriteFiles(t, dir, files)
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse} {
		t.Run(string(layout), func(t *testing.T) {
			out := t.TempDir()
			if _, err := Build(context.Background(), Options{Dir: dir, Out: out, Layout: layout}); err != nil {
				t.Fatal(err)
			}
			pages := playerPages(t, out)
			if len(pages) == 0 {
				t.Fatal("the build holds no player page")
			}
			buddy := false
			for name, page := range pages {
				if !strings.Contains(page, `id="cp-next">Air adhart a-nis</button>`) {
					t.Errorf("%s lacks the overridden nav.next", name)
				}
				if !strings.Contains(page, `id="cp-prev">Air ais</button>`) {
					t.Errorf("%s lacks the Gaelic nav.previous", name)
				}
				cfg := playerConfig(t, name, page)
				if cfg["plan.title"] != "Am plana agam" || cfg["progress.page"] != "{n} / {total}" || cfg["plan.add"] != "Cuir amas ris" {
					t.Errorf("%s: the player script's text is not overridden: %q", name, cfg)
				}
				buddy = buddy || strings.Contains(page, ">Bruidhinn ri do charaid</p>")
			}
			if !buddy {
				t.Error("no page has the overridden buddy callout title")
			}
		})
	}
}

// playerPages returns every player page (an HTML file holding the player's
// configuration) under out, in zips or in folders, by a name such as
// "x-scorm12.zip/leadership.html".
func playerPages(t *testing.T, out string) map[string]string {
	t.Helper()
	pages := map[string]string{}
	add := func(name string, data []byte) {
		if strings.HasSuffix(name, ".html") && bytes.Contains(data, []byte(`id="cp-config"`)) {
			pages[name] = string(data)
		}
	}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(p, ".zip") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			add(rel, data)
			return nil
		}
		zr, err := zip.OpenReader(p)
		if err != nil {
			return err
		}
		defer zr.Close()
		for _, f := range zr.File {
			r, err := f.Open()
			if err != nil {
				return err
			}
			data, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				return err
			}
			add(rel+"/"+f.Name, data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

var configScript = regexp.MustCompile(`(?s)<script type="application/json" id="cp-config">(.*?)</script>`)

// playerConfig returns the interface text of a page's player
// configuration.
func playerConfig(t *testing.T, name, page string) map[string]string {
	t.Helper()
	m := configScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("%s has no player configuration", name)
	}
	var cfg struct {
		T map[string]string `json:"t"`
	}
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		// html/template may escape the JSON as HTML text; try unescaped.
		if err2 := json.Unmarshal([]byte(html.UnescapeString(m[1])), &cfg); err2 != nil {
			t.Fatalf("%s: the player configuration is not JSON: %v", name, err)
		}
	}
	return cfg.T
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
