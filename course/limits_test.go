package course

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The limits of limits.go and shape.go, each on a course made at test time
// (big files are sparse or generated, never committed): the problem, its
// place, and that Load wrote nothing and used little memory.

// sparse makes the file at path size bytes long without writing them.
func sparse(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

const limitYAML = "id: https://example.org/courses/limits\ntitle: Limits\nlanguage: en-GB\nmodules:\n  - modules/one.md\n"

const limitModule = "---\nid: one\ntitle: One\n---\n## Page\n\nText.\n"

// loadRefused loads dir with lim and checks that Load refused it with
// exactly want (problems as Errors prints them), wrote nothing, and
// allocated at most maxAlloc bytes on the way.
func loadRefused(t *testing.T, dir string, lim Limits, maxAlloc uint64, want ...string) {
	t.Helper()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	allocated := ms.TotalAlloc
	start := time.Now()
	errs := refused(t, dir, func() (*Course, error) { return LoadWith(dir, LoadOptions{Limits: lim}) })
	took := time.Since(start)
	runtime.ReadMemStats(&ms)
	allocated = ms.TotalAlloc - allocated
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if maxAlloc > 0 && allocated > maxAlloc {
		t.Errorf("Load allocated %d MB, want at most %d MB", allocated>>20, maxAlloc>>20)
	}
	t.Logf("refused in %v, allocating %d kB", took, allocated>>10)
}

func TestLimitCourseFileSize(t *testing.T) {
	dir := writeCourse(t, map[string]string{"modules/one.md": limitModule})
	sparse(t, filepath.Join(dir, CourseFile), 50_000_000)
	loadRefused(t, dir, Limits{}, 4<<20,
		"course.yaml: the file is 50 MB, over the limit of 1 MB for course.yaml; it needs only a few kB, with the text in the module files")
}

// TestLimitHugeModule refuses a 100 MB module before reading it.
func TestLimitHugeModule(t *testing.T) {
	dir := writeCourse(t, map[string]string{CourseFile: limitYAML})
	sparse(t, filepath.Join(dir, "modules", "one.md"), 100_000_000)
	loadRefused(t, dir, Limits{}, 4<<20,
		"modules/one.md: the file is 100 MB, over the limit of 10 MB for a module file; split it into several modules")
}

// TestLimitMillionLines refuses a module of a million short lines (2 MB).
func TestLimitMillionLines(t *testing.T) {
	dir := writeCourse(t, map[string]string{
		CourseFile:       limitYAML,
		"modules/one.md": limitModule + strings.Repeat("x\n", 1_000_000),
	})
	loadRefused(t, dir, Limits{}, 16<<20,
		"modules/one.md:100001: the file has 1000007 lines, over the limit of 100000 for a module file; split it into several modules")
}

func TestLimitMarkdownTotal(t *testing.T) {
	files := map[string]string{CourseFile: strings.Replace(limitYAML, "  - modules/one.md\n", "  - modules/one.md\n  - modules/two.md\n  - modules/three.md\n", 1)}
	for _, id := range []string{"one", "two", "three"} {
		files["modules/"+id+".md"] = strings.Replace(limitModule, "one", id, 1) + strings.Repeat("Some text.\n", 500)
	}
	dir := writeCourse(t, files)
	loadRefused(t, dir, Limits{MarkdownSize: 12_000}, 0,
		"modules/three.md: with this file the module files come to over 12 kB, the most a course may hold; split the course into several courses")
}

func TestLimitFrontMatter(t *testing.T) {
	objectives := strings.Repeat("  - An objective that goes on and on.\n", 3000)
	dir := writeCourse(t, map[string]string{
		CourseFile:       limitYAML,
		"modules/one.md": "---\nid: one\ntitle: One\nobjectives:\n" + objectives + "---\n## Page\n\nText.\n",
	})
	loadRefused(t, dir, Limits{}, 0,
		"modules/one.md:1:1: the front matter is 114 kB, over the limit of 100 kB; it needs only the module's id, title and a few more keys")
}

func TestLimitModules(t *testing.T) {
	var list strings.Builder
	for i := 1; i <= 1001; i++ {
		fmt.Fprintf(&list, "  - modules/m%d.md\n", i)
	}
	dir := writeCourse(t, map[string]string{
		CourseFile: strings.Replace(limitYAML, "  - modules/one.md\n", list.String(), 1),
	})
	loadRefused(t, dir, Limits{}, 0,
		"course.yaml:1005:5: modules: the course lists 1001 modules, over the limit of 1000; split it into several courses")
}

func TestLimitPages(t *testing.T) {
	dir := writeCourse(t, map[string]string{
		CourseFile:       limitYAML,
		"modules/one.md": "---\nid: one\ntitle: One\n---\n" + strings.Repeat("## Page\n\nText.\n\n+++\n\n", 1000) + "## Last\n",
	})
	// Page 1001 starts at the 1000th +++, on line 4 + 1000*6 - 1.
	loadRefused(t, dir, Limits{}, 0,
		"modules/one.md:6003:1: the module has 1001 pages, over the limit of 1000; split it into several modules")
}

func TestLimitQuestions(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\nid: one\ntitle: One\n---\n## Quiz\n\n")
	for i := 1; i <= 1001; i++ {
		fmt.Fprintf(&b, "::: question id=q%d\nRight?\n\n- [x] Yes\n- [ ] No\n:::\n\n", i)
	}
	dir := writeCourse(t, map[string]string{CourseFile: limitYAML, "modules/one.md": b.String()})
	// Question 1001 opens on line 7 + 1000*7.
	loadRefused(t, dir, Limits{}, 0,
		"modules/one.md:7007:1: this is question 1001 of the module, over the limit of 1000; split the module into several modules")
}

// TestLimitYAMLBombs refuses YAML documents that would be huge written
// out, or deep, at the node at fault, without exhausting memory.
func TestLimitYAMLBombs(t *testing.T) {
	laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, c := range "bcdefghi" {
		laughs += fmt.Sprintf("%c: &%c [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", c, c, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = string(c)
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"billion laughs", limitYAML + laughs,
			`course.yaml:10:8: with this alias, the aliases (*name) of the file stand for over 10000 values (a "billion laughs" document); write the values out instead`},
		{"deep", limitYAML + "keywords: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n",
			"course.yaml:6:42: the YAML nests more than 32 levels deep here; course.yaml needs only a few levels"},
		{"cycle", limitYAML + "keywords: &k [*k]\n",
			"course.yaml:6:15: the alias *k refers to a value that contains it; write the value out instead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeCourse(t, map[string]string{CourseFile: tt.yaml, "modules/one.md": limitModule})
			loadRefused(t, dir, Limits{}, 8<<20, tt.want)
		})
	}
}

// TestShapeGuards refuses the shapes of page that goldmark takes time
// growing with the square of their size over, each at the place at fault.
func TestShapeGuards(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"nested quotes", strings.Repeat("> ", 33) + "deep\n",
			"7:1: block quotes, lists and footnotes nest more than 32 levels deep on this line; no page needs so many"},
		{"nested lists", func() string {
			var b strings.Builder
			for i := 0; i < 40; i++ {
				b.WriteString(strings.Repeat("  ", i) + "- item\n")
			}
			return b.String()
		}(), "39:1: block quotes, lists and footnotes nest more than 32 levels deep on this line; no page needs so many"},
		{"nested brackets", strings.Repeat("[", 33) + "x" + strings.Repeat("]", 33) + "\n",
			"7:33: [ brackets nest more than 32 deep in this paragraph; no page needs so many"},
		{"links on a line", strings.Repeat("[a](b) ", 33) + "\n",
			"7:227: this line has more than 32 links; split it into several lines"},
		{"definitions", strings.Repeat("[a]: https://example.org\n", 257),
			"263:3: more than 256 link definitions ([label]: address) follow each other here; separate them with blank lines"},
		{"brackets over many lines", strings.Repeat("[a]\n", 1001),
			"7:1: this paragraph has 1001 lines and 1001 pairs of [ ] (links, references); split it with blank lines"},
		{"emphasis", strings.Repeat("a_", 1001) + "\n",
			"7:2002: this paragraph has more than 1000 runs of *, _ and ~ (emphasis markers); split it with blank lines, or write one that is not emphasis as \\*, \\_ or \\~"},
		{"table columns", "|" + strings.Repeat(" a |", 70) + "\n",
			"7:257: this line has more than 64 | characters; a table may have at most 63 columns"},
		{"footnotes", strings.Repeat("Note[^1].\n\n", 501) + "[^1]: The note.\n",
			"1007:5: the page has more than 500 footnote references and notes ([^...]); split it into several pages"},
		{"block attributes", "::: note " + strings.Repeat("a=b ", 20) + "\nText.\n:::\n",
			"7:74: ::: note has more than 16 attributes; no block takes so many"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeCourse(t, map[string]string{CourseFile: limitYAML, "modules/one.md": "---\nid: one\ntitle: One\n---\n## Page\n\n" + tt.body})
			c, err := Load(dir)
			var errs Errors
			if c != nil || !errors.As(err, &errs) {
				t.Fatalf("Load = %v, %v; want Errors", c != nil, err)
			}
			want := "modules/one.md:" + tt.want
			if errs[len(errs)-1].Error() != want {
				t.Errorf("last problem:\n%s\nwant:\n%s\n(all: %v)", errs[len(errs)-1], want, errs)
			}
		})
	}
}

// TestShapeGuardsAllowCourses makes sure the guards let real pages
// through: the example course and the good test course load.
func TestShapeGuardsAllowCourses(t *testing.T) {
	for _, dir := range []string{filepath.Join("..", "examples", "stepping-into-leadership"), filepath.Join("testdata", "good")} {
		if _, err := Load(dir); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
	}
}

// hostilePages are page bodies of about size bytes in shapes that take
// Markdown parsers time growing faster than their size: CommonMark's
// pathological tests and goldmark's own weak spots. Each must load (or be
// refused) quickly.
func hostilePages(size int) map[string]string {
	rep := func(s string) string { return strings.Repeat(s, max(1, size/len(s))) }
	half := func(a, b string) string { return strings.Repeat(a, size/2/len(a)) + strings.Repeat(b, size/2/len(b)) }
	lines := func(f func(i int) string) string {
		var b strings.Builder
		for i := 0; b.Len() < size; i++ {
			b.WriteString(f(i))
		}
		return b.String()
	}
	return map[string]string{
		"text":                rep("Some *text* with [a link](https://example.org) and `code`.\n\n"),
		"open brackets":       rep("["),
		"closed brackets":     rep("[a]"),
		"nested brackets":     half("[", "]"),
		"emphasis":            rep("*a **a "),
		"emphasis closers":    rep("a_"),
		"emphasis openers":    rep("_a"),
		"mismatched emphasis": rep("*a_ "),
		"emphasis mod 3":      rep("a**b c* "),
		"links and emphasis":  rep("[ a_"),
		"brackets and parens": rep("[ (]( "),
		"backticks":           rep("`a``"),
		"backtick runs":       lines(func(i int) string { return "e" + strings.Repeat("`", i%500) }),
		"quotes on a line":    rep("> ") + "a\n",
		"quotes, lazy lines":  strings.Repeat("> ", 32) + "a\n" + rep("a\n"),
		"quotes stair":        lines(func(i int) string { return strings.Repeat(">", i%3000) + "a\n" }),
		"list on a line":      rep("* ") + "a\n",
		"ordered on a line":   rep("1. ") + "a\n",
		"list stair":          lines(func(i int) string { return strings.Repeat("  ", i) + "- a\n" }),
		"list stair, tabs":    lines(func(i int) string { return strings.Repeat("\t", i) + "- a\n" }),
		"unclosed tags":       rep("<a "),
		"unclosed attribute":  rep("<a b='"),
		"unclosed attr, nl":   rep("<a b=\"\n"),
		"instructions":        rep("a <?"),
		"declarations":        rep("a <!A "),
		"cdata":               rep("a <![CDATA["),
		"comments":            rep("a <!--"),
		"entities":            rep("&#"),
		"definitions":         rep("[a]: b\n"),
		"unique definitions":  lines(func(i int) string { return fmt.Sprintf("[a%d]: b\n", i) }),
		"definition titles":   rep("[a]: b \"\n"),
		"wide table":          rep("|a") + "\n" + rep("|-") + "\n" + rep("|a") + "\n",
		"padded table":        "|" + strings.Repeat("a|", 1000) + "\n|" + strings.Repeat("-|", 1000) + "\n" + rep("|a|\n"),
		"footnote references": rep("[^a]"),
		"footnote nesting":    rep("[^a]: ") + "a\n",
		"unique footnotes":    lines(func(i int) string { return fmt.Sprintf("[^a%d]: b [^a%d]\n\n", i, i) }),
		"autolinks":           rep("www.a"),
		"block openers":       rep("::: note\n"),
		"block closers":       rep(":::\n"),
		"block attributes":    "::: question " + rep("a=b ") + "\n:::\n",
		"typography":          rep("'\"--..."),
		"headings":            rep("# a\n"),
		"link destinations":   rep("[a]("),
		"link titles":         rep("[a](b \"\n"),
		"angle destinations":  rep("[a](<"),
		"spaced angles":       rep(strings.Repeat("[a](< ", 32) + "\n"),
		"references":          rep("[a][b"),
		"parens":              "[a](" + rep("(") + "\n",
		"images":              rep("!["),
		"brackets by line":    rep("[a]\n"),
		"strikethrough":       rep("~~a"),
		"nul":                 rep("a\x00"),
		"question options":    "::: question id=q\nP?\n\n" + rep("- [x] a\n") + ":::\n",
	}
}

// TestHostileMarkdownTime loads each hostile page, and fails when one takes
// longer than parsing in time proportional to its size could.
func TestHostileMarkdownTime(t *testing.T) {
	size, budget := 256<<10, 10*time.Second
	if raceEnabled {
		size, budget = 64<<10, 30*time.Second
	}
	for name, body := range hostilePages(size) {
		t.Run(name, func(t *testing.T) {
			dir := writeCourse(t, map[string]string{CourseFile: limitYAML, "modules/one.md": "---\nid: one\ntitle: One\n---\n## Page\n\n" + body})
			start := time.Now()
			_, err := Load(dir)
			if d := time.Since(start); d > budget {
				t.Errorf("Load took %v (budget %v)", d, budget)
			}
			var errs Errors
			if err != nil && !errors.As(err, &errs) {
				t.Errorf("Load error %v (%T), want Errors", err, err)
			}
		})
	}
}
