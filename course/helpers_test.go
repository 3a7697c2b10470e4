package course

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/internal/txtar"
)

func TestErrorsFormatAndOrder(t *testing.T) {
	var p problems
	p.add("modules/b.md", 3, 2, "third")
	p.add("course.yaml", 0, 0, "whole file")
	p.add("modules/b.md", 3, 1, "second")
	p.add("course.yaml", 4, 0, "line only")
	p.add("modules/a.md", 10, 5, "first of a")
	p.add("modules/b.md", 3, 1, "second, found later")
	var err error = p.sorted()
	want := strings.Join([]string{
		"course.yaml: whole file",
		"course.yaml:4: line only",
		"modules/a.md:10:5: first of a",
		"modules/b.md:3:1: second",
		"modules/b.md:3:1: second, found later",
		"modules/b.md:3:2: third",
	}, "\n")
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err, want)
	}
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 6 || errs[2] != (Error{File: "modules/a.md", Line: 10, Col: 5, Msg: "first of a"}) {
		t.Errorf("errors.As gave %#v", errs)
	}
}

func TestLineIndex(t *testing.T) {
	x := newLineIndex([]byte("ab\ncafé x\n\nz"))
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {8, 2, 5}, {9, 2, 6}, {11, 3, 1}, {12, 4, 1}, {99, 4, 2},
	}
	for _, tt := range tests {
		if line, col := x.pos(tt.off); line != tt.line || col != tt.col {
			t.Errorf("pos(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"id", "title", "description", "language", "mastery_score", "colours"}
	tests := []struct{ word, want string }{
		{"titel", "title"},
		{"Title", "title"},
		{"langauge", "language"},
		{"colors", "colours"},
		{"masteryscore", "mastery_score"},
		{"ib", "id"},
		{"summary", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.word, keys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Watch first", "watch-first"},
		{"What’s new?", "whats-new"},
		{"Learner's guide", "learners-guide"},
		{"  Step 2: lift -- carefully  ", "step-2-lift-carefully"},
		{"Croeso i’r cwrs: ŵyn a môr", "croeso-ir-cwrs-wyn-a-mor"},
		{"Fáilte", "failte"},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := slug(tt.title); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestCheckIRI(t *testing.T) {
	tests := []struct {
		iri  string
		good bool
	}{
		{"https://example.org/courses/x", true},
		{"http://example.org", true},
		{"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", true},
		{"https://例え.jp/コース", true},
		{"tag:example.org,2024:course", true},
		{"example.org/courses/x", false},
		{"/courses/x", false},
		{"https://example.org/my course", false},
		{"https://", false},
		{"https:", false},
		{"C:/courses/x", false},
		{"", false},
	}
	for _, tt := range tests {
		if msg := checkIRI(tt.iri); (msg == "") != tt.good {
			t.Errorf("checkIRI(%q) = %q, want good=%v", tt.iri, msg, tt.good)
		}
	}
}

func TestLanguagePattern(t *testing.T) {
	for _, tag := range []string{"en-GB", "cy", "ga", "gd", "en", "cy-GB", "zh-Hant-TW", "es-419", "sl-rozaj", "de-CH-1996"} {
		if !languagePattern.MatchString(tag) {
			t.Errorf("%q should be a language tag", tag)
		}
	}
	for _, tag := range []string{"english", "en_GB", "e", "en-", "-GB", "en GB", ""} {
		if languagePattern.MatchString(tag) {
			t.Errorf("%q should not be a language tag", tag)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		text string
		want time.Duration
		ok   bool
	}{
		{"6h", 6 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"1h30m", 90 * time.Minute, true},
		{"0h", 0, true},
		{"1.5h", 0, false},
		{"30s", 0, false},
		{"h", 0, false},
		{"-1h", 0, false},
		{"1m30h", 0, false},
	}
	for _, tt := range tests {
		var p problems
		d := &yamlDoc{file: "f", errs: &p}
		got := d.duration(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: tt.text, Line: 1, Column: 1}, "duration")
		if got != tt.want || (len(p.list) == 0) != tt.ok {
			t.Errorf("duration(%q) = %v with problems %v, want %v ok=%v", tt.text, got, p.list, tt.want, tt.ok)
		}
	}
}

func TestEscapePath(t *testing.T) {
	tests := []struct{ path, want string }{
		{"assets/a.png", "assets/a.png"},
		{"assets/lifting guide.pdf", "assets/lifting%20guide.pdf"},
		{"assets/50%.png", "assets/50%25.png"},
		{"a:b.png", "./a:b.png"},
		{"assets/#1?.png", "assets/%231%3F.png"},
		{"café/ŵ.png", "caf%C3%A9/%C5%B5.png"},
	}
	for _, tt := range tests {
		if got := escapePath(tt.path); got != tt.want {
			t.Errorf("escapePath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestLoadNeverPanics loads modules of odd Markdown; each must give a
// course or Errors, never a panic.
func TestLoadNeverPanics(t *testing.T) {
	bodies := []string{
		"",
		"+++",
		"+++\n+++\n",
		":::",
		"::: \n:::",
		"::: question\n",
		"::: question id=q\n- [x]\n:::",
		"## T\n::: question id=q\n- [x] a\n  - [ ] nested\n:::",
		"## T\n::: question id=q type=text\nP\n\n- \n:::",
		"## T\n::: question id=q type=true-false\nP\n\n- [x]\n- [ ]\n:::",
		"## T\n::: question id=\"unterminated\n:::",
		"## T\n::: video src=\n:::",
		"## T\n- ::: note\n  in a list\n  :::\n",
		"> ::: tip\n> quoted\n> :::\n",
		"## T\n::: reflection id=r max=99999999999999999999\nP\n:::",
		"## T\n[a](%zz) [b](<>) [c](#) [d](?x=1) ![e]()",
		"## T\n[x]: javascript:alert(1)\n\n[x]",
		"## T\n```\n:::\n+++\n",
		"## T\n~~~~\n```\n~~~\n::: tip\n~~~~\n:::\n",
		"# \n\ntext",
		"## T\n[^1]\n\n[^1]: ::: note",
		"Setext\n===\n\n::: action-plan\n:::\n::: action-plan\n:::",
		"## T\r\n\r\n::: note\r\nWindows\r\n:::\r\n+++\r\n## U\r\n",
		"## T\n\t::: note\n:::",
		"## T\n::: question id=q\nP?\n\n" + strings.Repeat("- [ ] x\n", 30) + ":::",
	}
	for i, body := range bodies {
		dir := t.TempDir()
		write := func(name, text string) {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("course.yaml", "id: https://example.org/c\ntitle: T\nlanguage: en-GB\nmodules: [m.md]\n")
		write("m.md", "---\nid: m\ntitle: M\n---\n"+body)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("body %d %q: panic %v", i, body, r)
				}
			}()
			c, err := Load(dir)
			var errs Errors
			if err != nil && !errors.As(err, &errs) {
				t.Errorf("body %d %q: error %v is not Errors", i, body, err)
			}
			if (c == nil) == (err == nil) {
				t.Errorf("body %d %q: got course %v and error %v", i, body, c != nil, err)
			}
		}()
	}
}

// writeCourse writes a course folder of files (slash-separated path →
// text) under a new temporary folder and returns the course folder.
func writeCourse(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "course")
	txtar.WriteFiles(t, dir, files)
	return dir
}
