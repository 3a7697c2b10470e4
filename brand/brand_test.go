package brand

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/internal/txtar"
)

func parse(t *testing.T, text string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func encode(t *testing.T, n *yaml.Node) string {
	t.Helper()
	out, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name, base, over, want string
	}{
		{"text replaces text",
			"title: Safety\nlanguage: en-GB",
			"title: Diogelwch",
			"title: Diogelwch\nlanguage: en-GB"},
		{"a new key goes after the course's keys",
			"title: Safety\nmodules: [a.md]",
			"publisher: North",
			"title: Safety\nmodules: [a.md]\npublisher: North"},
		{"mappings merge key by key, at any depth",
			"theme:\n  logo: a.png\n  colours:\n    primary: '#111111'\n    text: '#222222'",
			"theme:\n  colours:\n    primary: '#333333'\n    link: '#444444'",
			"theme:\n  logo: a.png\n  colours:\n    primary: '#333333'\n    text: '#222222'\n    link: '#444444'"},
		{"a list replaces a list",
			"keywords: [a, b, c]",
			"keywords: [d]",
			"keywords: [d]"},
		{"a list of fonts replaces the course's fonts",
			"theme:\n  fonts:\n    - family: A\n      file: a.woff2\n    - family: B\n      file: b.woff2",
			"theme:\n  fonts:\n    - family: C\n      file: c.woff2",
			"theme:\n  fonts:\n    - family: C\n      file: c.woff2"},
		{"a mapping replaces text",
			"theme: plain",
			"theme:\n  logo: b.png",
			"theme:\n  logo: b.png"},
		{"text replaces a mapping",
			"theme:\n  logo: b.png",
			"theme: plain",
			"theme: plain"},
		{"an empty value replaces, and so removes, the course's",
			"theme:\n  logo: a.png\n  footer: Example",
			"theme:\n  logo: ~",
			"theme:\n  logo: ~\n  footer: Example"},
		{"strings merge key by key",
			"strings:\n  nav.next: Onwards\n  nav.previous: Back",
			"strings:\n  nav.next: Continue",
			"strings:\n  nav.next: Continue\n  nav.previous: Back"},
		{"an empty mapping changes nothing",
			"title: Safety",
			"{}",
			"title: Safety"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, over := parse(t, tt.base), parse(t, tt.over)
			baseBefore, overBefore := encode(t, base), encode(t, over)
			got := encode(t, Merge(base, over))
			want := encode(t, parse(t, tt.want))
			if got != want {
				t.Errorf("Merge =\n%s\nwant\n%s", got, want)
			}
			if encode(t, base) != baseBefore || encode(t, over) != overBefore {
				t.Error("Merge changed its input")
			}
		})
	}
}

func TestMergeKeepsPositions(t *testing.T) {
	base := parse(t, "title: Safety\ntheme:\n  colours:\n    text: '#222222'\n")
	over := parse(t, "# brand\ntheme:\n  colours:\n    primary: '#333333'\n")
	merged := Merge(base, over)
	var find func(n *yaml.Node, path ...string) *yaml.Node
	find = func(n *yaml.Node, path ...string) *yaml.Node {
		if len(path) == 0 {
			return n
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == path[0] {
				return find(n.Content[i+1], path[1:]...)
			}
		}
		t.Fatalf("no %s", path[0])
		return nil
	}
	primary := find(merged, "theme", "colours", "primary")
	text := find(merged, "theme", "colours", "text")
	if primary.Line != 4 || primary.Column != 14 {
		t.Errorf("primary at %d:%d, want the overlay's 4:14", primary.Line, primary.Column)
	}
	if primary != find(over, "theme", "colours", "primary") {
		t.Error("the merged document holds a copy of the overlay's node, not the node")
	}
	if text.Line != 4 || text.Column != 11 || text != find(base, "theme", "colours", "text") {
		t.Errorf("text at %d:%d, want the course's node at 4:11", text.Line, text.Column)
	}
}

func problems(t *testing.T, err error) string {
	t.Helper()
	var errs course.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error = %v (%T), want course.Errors", err, err)
	}
	return errs.Error()
}

func TestReadRefusesKeys(t *testing.T) {
	dir := t.TempDir()
	txtar.WriteFiles(t, dir, map[string]string{"brands/north.yaml": `brand:
  name: North Wales
  colour: blue
id: https://example.org/courses/other
modules: [modules/one.md]
version: "2"
mastery_score: 50
titel: Safety
theme:
  colours:
    primary: "#111111"
    primary: "#222222"
colours: {}
`})
	_, err := Read(filepath.Join(dir, "brands", "north.yaml"), dir)
	want := strings.Join([]string{
		`brands/north.yaml:2:9: brand.name: "North Wales" cannot name packages; use lower-case letters, digits and hyphens, such as north-wales`,
		`brands/north.yaml:3:3: unknown key "colour" in brand; the keys are name and organisation`,
		`brands/north.yaml:4:1: a brand overlay cannot change id: packages and learner records are tied to the course's id, so a brand with another id would orphan the records of everyone who has started the course; a brand changes how a course looks and reads, not which course it is`,
		`brands/north.yaml:5:1: a brand overlay cannot change modules: every brand has the same content, so that learner records and reports line up across brands; make a separate course for other content`,
		`brands/north.yaml:6:1: a brand overlay cannot change version: every brand of a build is the same version of the course`,
		`brands/north.yaml:7:1: a brand overlay cannot change mastery_score: every brand is completed and tracked the same way`,
		`brands/north.yaml:8:1: unknown key "titel" (did you mean "title"?)`,
		`brands/north.yaml:12:5: key "theme.colours.primary" appears twice (first at line 11); keep only one`,
		`brands/north.yaml:13:1: unknown key "colours"; a brand overlay may set title, description, publisher, authors, keywords, licence, language, theme and strings, and hold a brand block`,
	}, "\n")
	if got := problems(t, err); got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
}

func TestReadShapes(t *testing.T) {
	tests := []struct{ file, text, want string }{
		{"list.yaml", "- title: x\n", "list.yaml:1:1: expected keys and values such as `title: My course`, got a list"},
		{"bad.yaml", "title: [x\n", "bad.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		{"brand.yaml", "brand: north\n", "brand.yaml:1:8: brand: expected keys and values such as `name: north-wales`, got text"},
		{"North Wales.yaml", "title: x\n", `North Wales.yaml: the file name "North Wales.yaml" cannot name the brand in package names; add ` +
			"`brand: {name: my-brand}`" + ` with lower-case letters, digits and hyphens, or rename the file`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			dir := t.TempDir()
			txtar.WriteFiles(t, dir, map[string]string{tt.file: tt.text})
			o, err := Read(filepath.Join(dir, tt.file), dir)
			if got := problems(t, err); got != tt.want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, tt.want)
			}
			if o == nil || o.Name == "" {
				t.Error("Read returned no name to label the problems with")
			}
		})
	}
}

// TestReadBounded: an overlay over MaxFileSize, or one that is not a
// regular file (here a folder), is refused with a message at the file,
// before it is read.
func TestReadBounded(t *testing.T) {
	dir := t.TempDir()
	txtar.WriteFiles(t, dir, map[string]string{"big.yaml": "title: x\n" + strings.Repeat("# padding\n", MaxFileSize/4)})
	if err := os.Mkdir(filepath.Join(dir, "folder.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ file, want string }{
		{"big.yaml", "big.yaml: the file is 2.5 MB, over the limit of 1 MB for a brand overlay; it needs only a few kB"},
		{"folder.yaml", "folder.yaml: is not a regular file; put the file itself here"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			o, err := Read(filepath.Join(dir, tt.file), dir)
			if got := problems(t, err); got != tt.want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, tt.want)
			}
			if o == nil || o.Name == "" {
				t.Error("Read returned no name to label the problems with")
			}
		})
	}
}

func TestReadName(t *testing.T) {
	dir := t.TempDir()
	txtar.WriteFiles(t, dir, map[string]string{
		"brands/south-coast.yaml": "title: South\n",
		"brands/b2.yaml":          "brand:\n  name: west\n  organisation: '  West   Health '\n",
		"brands/empty.yaml":       "",
		"North Wales.yaml":        "brand: {name: north-wales}\n",
	})
	tests := []struct{ file, name, org string }{
		{"brands/south-coast.yaml", "south-coast", ""},
		{"brands/b2.yaml", "west", "West Health"},
		{"brands/empty.yaml", "empty", ""},
		{"North Wales.yaml", "north-wales", ""},
	}
	for _, tt := range tests {
		o, err := Read(filepath.Join(dir, filepath.FromSlash(tt.file)), dir)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if o.Name != tt.name || o.Organisation != tt.org || o.File() != tt.file {
			t.Errorf("%s: name %q, organisation %q, file %q; want %q, %q, %q", tt.file, o.Name, o.Organisation, o.File(), tt.name, tt.org, tt.file)
		}
	}
	if _, err := Read(filepath.Join(dir, "none.yaml"), dir); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("a missing file: %v", err)
	}
}

const courseYAML = `id: https://example.org/courses/safety
title: Safety
language: en-GB
theme:
  logo: assets/logo.svg
  colours:
    text: "#1a1a1a"
strings:
  nav.previous: Back
modules:
  - modules/one.md
`

const moduleMD = "---\nid: one\ntitle: One\n---\n## Page\n\nText.\n"

func TestLoadWithOverlay(t *testing.T) {
	dir := t.TempDir()
	txtar.WriteFiles(t, dir, map[string]string{
		"course.yaml":            courseYAML,
		"modules/one.md":         moduleMD,
		"assets/logo.svg":        "<svg/>",
		"brands/north/logo.svg":  "<svg/>",
		"brands/north/icon.png":  "png",
		"brands/north/font.woff": "wOFF",
		"brands/north.yaml": `brand:
  name: north
title: Safety in the North
theme:
  logo: north/logo.svg
  favicon: north/icon.png
  fonts:
    - family: North Sans
      file: north/font.woff
  colours:
    primary: "#00524c"
strings:
  nav.next: Continue
`,
	})
	o, err := Read(filepath.Join(dir, "brands", "north.yaml"), dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := course.LoadWith(dir, course.LoadOptions{Overlay: o})
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Safety in the North" || c.ID != "https://example.org/courses/safety" {
		t.Errorf("title %q, id %q", c.Title, c.ID)
	}
	if c.Theme.Logo.Path != "brands/north/logo.svg" || c.Theme.Favicon.Path != "brands/north/icon.png" || c.Theme.Fonts[0].File.Path != "brands/north/font.woff" {
		t.Errorf("theme paths: logo %s, favicon %s, font %s", c.Theme.Logo.Path, c.Theme.Favicon.Path, c.Theme.Fonts[0].File.Path)
	}
	if c.Theme.Colours["primary"] != "#00524c" || c.Theme.Colours["text"] != "#1a1a1a" {
		t.Errorf("colours = %v, want the overlay's primary and the course's text", c.Theme.Colours)
	}
	if c.Strings["nav.next"] != "Continue" || c.Strings["nav.previous"] != "Back" {
		t.Errorf("strings = %v, want both files' strings", c.Strings)
	}
	for _, a := range c.Assets {
		if a.Path == "assets/logo.svg" {
			t.Error("the course's logo, replaced by the brand's, is still an asset")
		}
	}
	// The same course loads as it was without the overlay.
	plain, err := course.Load(dir)
	if err != nil || plain.Title != "Safety" || plain.Theme.Logo.Path != "assets/logo.svg" {
		t.Errorf("without the overlay: %v, %+v", err, plain)
	}
}

func TestLoadWithOverlayPlacesProblems(t *testing.T) {
	dir := t.TempDir()
	txtar.WriteFiles(t, dir, map[string]string{
		"course.yaml":     strings.Replace(courseYAML, "title: Safety\n", "title: Safety\ndescription: [x]\n", 1),
		"modules/one.md":  moduleMD,
		"assets/logo.svg": "<svg/>",
		"brands/bad.yaml": `theme:
  logo: logo.svg
  favicon: ../../outside.png
  colours:
    primary: "#77aaff"
    accent: #f80
  fonts:
    - family: Web
      file: https://fonts.example.com/web.woff2
strings:
  nav.nxet: Continue
language: ~
`,
	})
	o, err := Read(filepath.Join(dir, "brands", "bad.yaml"), dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = course.LoadWith(dir, course.LoadOptions{Overlay: o})
	want := strings.Join([]string{
		`brands/bad.yaml:2:9: theme.logo: file "logo.svg" not found (looked for brands/logo.svg in the course folder)`,
		`brands/bad.yaml:3:12: theme.favicon: "../../outside.png" points outside the course folder; keep every file inside it`,
		`brands/bad.yaml:6:5: theme.colours.accent: no value; put the colour in quotes, such as "#1d4f91" (an unquoted # starts a comment)`,
		`brands/bad.yaml:9:13: theme.fonts[1].file: "https://fonts.example.com/web.woff2" is a remote font; a package must work offline and load nothing from other hosts, so download the font file into the course folder and give its path, such as fonts/my-font.woff2`,
		`brands/bad.yaml:11:3: unknown key "nav.nxet" in strings (did you mean "nav.next"?)`,
		`brands/bad.yaml:12:1: language: no value; write it after the colon`,
		`course.yaml:3:14: description: expected text, got a list`,
	}, "\n")
	if got := problems(t, err); got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}

	// A contrast problem of a colour the overlay sets is reported in the
	// overlay; one of a colour course.yaml sets, in course.yaml, even when
	// the overlay's colours make it fail.
	txtar.WriteFiles(t, dir, map[string]string{
		"course.yaml": courseYAML,
		"brands/bad.yaml": `theme:
  colours:
    primary: "#77aaff"
    background: "#1a1a1a"
`,
	})
	o, err = Read(filepath.Join(dir, "brands", "bad.yaml"), dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = course.LoadWith(dir, course.LoadOptions{Overlay: o})
	got := problems(t, err)
	for _, prefix := range []string{"brands/bad.yaml:3:14: theme.colours.primary", "course.yaml:7:11: theme.colours.text"} {
		if !strings.Contains(got, prefix) {
			t.Errorf("problems lack %q:\n%s", prefix, got)
		}
	}
}
