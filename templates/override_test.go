package templates

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/internal/txtar"
)

// overrides makes a course folder holding a templates/ folder with files,
// and returns the templates/ folder.
func overrides(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "course", "templates")
	txtar.WriteFiles(t, dir, files)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func embeddedPage(t *testing.T) string {
	t.Helper()
	data, err := files.ReadFile(PageTemplate)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestNames(t *testing.T) {
	names := Names()
	for _, want := range []string{"page.html.tmpl", "player/player.css", "player/player.js", "player/core.js", "player/scorm12.js"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names lacks %s: %v", want, names)
		}
	}
	if !slices.IsSorted(names) {
		t.Error("Names is not sorted")
	}
}

func TestLayeredNone(t *testing.T) {
	s, err := Layered("")
	if err != nil || s != Embedded() || len(s.Overrides()) != 0 {
		t.Fatalf("Layered(\"\") = %v, %v", s, err)
	}
	s, err = Layered(overrides(t, nil))
	if err != nil || len(s.Overrides()) != 0 {
		t.Fatalf("an empty folder: %v, %v", s.Overrides(), err)
	}
	var a, b bytes.Buffer
	v := View{Course: testCourse(), Modules: testCourse().Modules[:1], Runtime: "scorm12", Strings: i18n.Strings{}}
	if err := s.Render(&a, v); err != nil {
		t.Fatal(err)
	}
	if err := Render(&b, v); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("an empty override folder changes the page")
	}
}

func TestLayeredOverrides(t *testing.T) {
	marked := strings.Replace(embeddedPage(t), "<body>", "<body>\n<p class=\"brand-marker\">{{.CourseTitle}}</p>", 1)
	dir := overrides(t, map[string]string{
		"page.html.tmpl":    marked,
		"player/player.css": "body { color: hotpink }\n",
		"player/scorm12.js": "window.brandMarker = 1;\n",
		".DS_Store":         "ignored",
		"player/.hidden.js": "ignored",
		".git/config":       "ignored",
	})
	s, err := Layered(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Overrides(); !slices.Equal(got, []string{"page.html.tmpl", "player/player.css", "player/scorm12.js"}) {
		t.Errorf("overrides %v", got)
	}
	c := testCourse()
	var buf bytes.Buffer
	if err := s.Render(&buf, View{Course: c, Modules: c.Modules[:1], Runtime: "scorm12", Strings: i18n.Strings{}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<p class="brand-marker">Leading &lt;well&gt; &amp; &#34;wisely&#34;</p>`) {
		t.Errorf("the page lacks the override's marker:\n%s", buf.String()[:600])
	}
	player, err := s.PlayerFiles("scorm12")
	if err != nil {
		t.Fatal(err)
	}
	embedded, _ := PlayerFiles("scorm12")
	if len(player) != len(embedded) {
		t.Fatalf("%d files, want %d", len(player), len(embedded))
	}
	// The overriding script takes the place of the embedded one within
	// the package's one script, minified as packages carry it.
	ownScorm12, _ := embeddedFile("player/scorm12.js")
	for i, f := range player {
		want := embedded[i].Data
		switch f.Path {
		case StyleFile:
			want = []byte("body{color:hotpink}")
		case ScriptFile:
			want = bytes.Replace(want, ownScorm12, []byte("window.brandMarker=1"), 1)
		}
		if f.Path != embedded[i].Path || !bytes.Equal(f.Data, want) {
			t.Errorf("%s: wrong content", f.Path)
		}
	}
	web, _ := s.PlayerFiles("web")
	if bytes.Contains(web[0].Data, []byte("brandMarker")) {
		t.Error("the web runtime's script holds the SCORM 1.2 adapter's override")
	}
	if err := s.Check(c); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// smallPage is a small page template for overrides, with line numbers known.
const smallPage = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<title>{{.Title}}</title>
<body>
{{range .Modules}}<h2>{{.Title}}</h2>{{range .Pages}}{{.HTML}}{{end}}{{end}}
</body>
`

// withLine returns smallPage with text at the end of line n.
func withLine(n int, text string) string {
	lines := strings.Split(smallPage, "\n")
	lines[n-1] += text
	return strings.Join(lines, "\n")
}

func TestLayeredProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"parse error", map[string]string{"page.html.tmpl": withLine(3, "{{.Title)}}")},
			[]string{`templates/page.html.tmpl:3: unexpected right paren`}},
		{"unknown function", map[string]string{"page.html.tmpl": withLine(3, "{{shout .Title}}")},
			[]string{`templates/page.html.tmpl:3: function "shout" not defined`}},
		{"unclosed", map[string]string{"page.html.tmpl": withLine(5, "{{if .CourseMode}}")},
			[]string{`templates/page.html.tmpl:7: unexpected EOF`}},
		{"misspelt file", map[string]string{"player/player.cs": ""},
			[]string{"templates/player/player.cs: overrides no file of the player (did you mean player/player.css?)"}},
		{"wrong folder", map[string]string{"player.css": ""},
			[]string{"templates/player.css: overrides no file of the player (did you mean player/player.css?)"}},
		{"unknown file", map[string]string{"notes.txt": "", "player/player.css": ""},
			[]string{"templates/notes.txt: overrides no file of the player; only page.html.tmpl and the files under player/ can be overridden"}},
		{"too large", map[string]string{"player/player.css": strings.Repeat("/* padding */\n", MaxOverrideSize/10)},
			[]string{"templates/player/player.css: the file is 1.4 MB, over the limit of 1 MB for a template override"}},
		{"a script that does not parse", map[string]string{"player/player.js": "var a = 1;\nfunction (\n"},
			[]string{"templates/player/player.js:2:10: the script does not parse: expected Identifier instead of ( in function declaration"}},
		{"several", map[string]string{"page.html.tmpl": withLine(2, "{{end}}"), "player/scorm.js": ""},
			[]string{"templates/page.html.tmpl:2: unexpected {{end}}", "templates/player/scorm.js: overrides no file of the player (did you mean player/scorm12.js?)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Layered(overrides(t, tt.files))
			var list course.Errors
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want course.Errors", err)
			}
			if len(list) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(list), len(tt.want), list)
			}
			for i, want := range tt.want {
				if !strings.HasPrefix(list[i].Error(), want) {
					t.Errorf("problem %d:\n got: %s\nwant: %s…", i, list[i].Error(), want)
				}
			}
		})
	}
}

func TestLayeredLinks(t *testing.T) {
	dir := overrides(t, nil)
	outside := filepath.Join(t.TempDir(), "secret.css")
	if err := os.WriteFile(outside, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "player"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "player", "player.css")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := Layered(dir)
	if err == nil || !strings.Contains(err.Error(), "templates/player/player.css: is a link to a file outside the course folder") {
		t.Errorf("got %v", err)
	}
	// A link inside the course folder is read.
	inside := filepath.Join(filepath.Dir(dir), "brand.css")
	if err := os.WriteFile(inside, []byte("brand"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(filepath.Join(dir, "player", "player.css"))
	if err := os.Symlink(inside, filepath.Join(dir, "player", "player.css")); err != nil {
		t.Fatal(err)
	}
	s, err := Layered(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := s.PlayerFiles("web")
	for _, f := range files {
		if f.Path == "player/player.css" && string(f.Data) != "brand" {
			t.Errorf("player.css = %q", f.Data)
		}
	}
}

// TestOverrideExecutionErrors: an override that parses but fails when it
// runs is reported at its line, as is one html/template cannot escape.
func TestOverrideExecutionErrors(t *testing.T) {
	c := testCourse()
	one := View{Course: c, Modules: c.Modules[:1], Runtime: "scorm12", Strings: i18n.Strings{}}
	for _, tt := range []struct {
		name, page string
		want       string
	}{
		{"unknown field", withLine(4, "{{.Nope}}"), "templates/page.html.tmpl:4:9: at <.Nope>: can't evaluate field Nope; the page's data has .CSP, .Config, "},
		{"field of a module", withLine(5, "{{range .Modules}}{{.Nope}}{{end}}"), "templates/page.html.tmpl:5:"},
		{"bad context", withLine(4, `<a href="{{if .CourseMode}}x{{else}}"{{end}}">`), "templates/page.html.tmpl:4"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Layered(overrides(t, map[string]string{"page.html.tmpl": tt.page}))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			err = s.Render(&buf, one)
			var list course.Errors
			if !errors.As(err, &list) || len(list) != 1 || !strings.HasPrefix(list[0].Error(), tt.want) {
				t.Fatalf("got %v, want %s…", err, tt.want)
			}
			if strings.Contains(err.Error(), "templates.doc") || strings.Contains(err.Error(), "executing") {
				t.Errorf("the message names the tool's insides: %v", err)
			}
			if buf.Len() != 0 {
				t.Error("a failed page was written in part")
			}
			if err := s.Check(c); err == nil {
				t.Error("Check finds no error")
			}
		})
	}
	// An error only in the whole-course layout is found by Check.
	s, err := Layered(overrides(t, map[string]string{"page.html.tmpl": withLine(4, "{{if .CourseMode}}{{.Nope}}{{end}}")}))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Render(&bytes.Buffer{}, one); err != nil {
		t.Fatalf("one module: %v", err)
	}
	if err := s.Check(c); err == nil || !strings.Contains(err.Error(), "templates/page.html.tmpl:4:") {
		t.Errorf("Check: %v", err)
	}
}

func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "player")
	written, err := Export(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != len(Names()) {
		t.Errorf("wrote %d files, want %d", len(written), len(Names()))
	}
	for _, n := range Names() {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		want, _ := files.ReadFile(n)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v", n, err)
		}
	}
	// The exported files are valid overrides.
	if s, err := Layered(dir); err != nil || len(s.Overrides()) != len(Names()) {
		t.Errorf("the export as overrides: %v", err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "player", "player.css"))
	if err := os.WriteFile(filepath.Join(dir, "player", "player.css"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(filepath.Join(dir, "player", "core.js"))
	if _, err := Export(dir, nil); err == nil || !strings.Contains(err.Error(), "never overwrites") {
		t.Errorf("a second export: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "player", "core.js")); err == nil {
		t.Error("a refused export wrote a file")
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "player", "player.css")); string(data) != "mine" || len(before) == 0 {
		t.Error("export overwrote a file")
	}
	// One file at a time.
	one := t.TempDir()
	written, err = Export(one, []string{"player/player.css"})
	if err != nil || len(written) != 1 {
		t.Fatalf("one file: %v %v", written, err)
	}
	if _, err := Export(one, []string{"player/styles.css"}); err == nil || !strings.Contains(err.Error(), `"player/styles.css" is not a file of the player`) {
		t.Errorf("an unknown file: %v", err)
	}
}
