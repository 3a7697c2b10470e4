package course

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/i18n"
)

const stringsModule = `---
id: one
title: Un
---
## Tudalen

::: buddy
Siaradwch â chydweithiwr.
:::

::: tip
Cymerwch seibiant.
:::

::: question id=q1 type=text
Beth yw prifddinas Cymru?

- Caerdydd
:::

::: reflection id=r1
Beth fyddwch chi’n ei newid?
:::
`

// TestStringsOverrideContent checks that the strings of course.yaml are kept
// on the course and reach the text the loader renders (callout titles, the
// check button, the reflection label), over the catalogue of the course's
// language.
func TestStringsOverrideContent(t *testing.T) {
	dir := writeCourse(t, map[string]string{
		"course.yaml": `id: https://example.org/courses/x
title: Diogelwch
language: cy
modules: [modules/one.md]
strings:
  callout.buddy: "  Siaradwch â’ch cyfaill  "
  question.check: Gwirio
  progress.page: "{n}/{total}"
`,
		"modules/one.md": stringsModule,
	})
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"callout.buddy":  "Siaradwch â’ch cyfaill",
		"question.check": "Gwirio",
		"progress.page":  "{n}/{total}",
	}
	if !reflect.DeepEqual(c.Strings, want) {
		t.Errorf("Strings = %q, want %q", c.Strings, want)
	}
	html := string(c.Modules[0].Pages[0].HTML)
	for _, s := range []string{"Siaradwch â’ch cyfaill", ">Gwirio<", "Awgrym", "Eich myfyrdod"} {
		if !strings.Contains(html, s) {
			t.Errorf("the page lacks %q:\n%s", s, html)
		}
	}
	for _, s := range []string{"Trafodwch y peth", "Gwirio’r ateb", "Talk it through"} {
		if strings.Contains(html, s) {
			t.Errorf("the page still has %q", s)
		}
	}
}

// TestNoStrings checks a course without strings (or with an empty strings
// key) has none and keeps the catalogue's text.
func TestNoStrings(t *testing.T) {
	for _, extra := range []string{"", "strings:\n", "strings: {}\n"} {
		dir := writeCourse(t, map[string]string{
			"course.yaml":    "id: https://example.org/courses/x\ntitle: X\nlanguage: ga\nmodules: [modules/one.md]\n" + extra,
			"modules/one.md": stringsModule,
		})
		c, err := Load(dir)
		if err != nil {
			t.Fatalf("%q: %v", extra, err)
		}
		if len(c.Strings) != 0 {
			t.Errorf("%q: Strings = %q, want none", extra, c.Strings)
		}
		if html := string(c.Modules[0].Pages[0].HTML); !strings.Contains(html, "Pléigh é") {
			t.Errorf("%q: the Irish callout title is missing:\n%s", extra, html)
		}
	}
}

func TestSuggestKey(t *testing.T) {
	keys := []string{"nav.next", "nav.previous", "end.missing", "plan.missing"}
	tests := []struct{ word, want string }{
		{"nav.nxt", "nav.next"},
		{"NAV.NEXT", "nav.next"},
		{"next", "nav.next"},
		{"Previous", "nav.previous"},
		{"missing", ""}, // two keys end in .missing
		{"title", ""},
	}
	for _, tt := range tests {
		if got := suggestKey(tt.word, keys); got != tt.want {
			t.Errorf("suggestKey(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestAuthoringListsEveryString checks docs/authoring.md lists every key a
// course may override, with its English text, since the error for an
// unknown key sends authors there.
func TestAuthoringListsEveryString(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "authoring.md"))
	if err != nil {
		t.Fatal(err)
	}
	en, err := i18n.For(i18n.Fallback)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := i18n.Keys()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		row := "| `" + k + "` | " + strings.ReplaceAll(en[k], "|", `\|`) + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/authoring.md lacks the row %s", row)
		}
	}
	rows := regexp.MustCompile("(?m)^\\| `([a-z]+\\.[a-z.-]+)` \\| ")
	for _, m := range rows.FindAllStringSubmatch(string(doc), -1) {
		if _, ok := en[m[1]]; !ok {
			t.Errorf("docs/authoring.md lists %q, which is not an interface string", m[1])
		}
	}
}
