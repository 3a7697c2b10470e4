package web

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/golden"
	"github.com/coursepack/coursepack/templates"
)

// sampleCourse is a small course built by hand, so the listing's tests do
// not depend on the loader.
func sampleCourse() *course.Course {
	return &course.Course{
		ID:          "https://example.org/courses/leading-well",
		Title:       "Leading Well & Wisely",
		Description: "A course about <leading> well.",
		Language:    "en-GB",
		Duration:    90 * time.Minute,
		Completion:  course.CompletionPages,
		Theme:       course.Theme{Logo: &course.Asset{Path: "assets/logo.svg"}},
		Modules: []*course.Module{
			{ID: "purpose", Title: "Leadership and purpose", Duration: 45 * time.Minute, Completion: course.CompletionPages},
			{ID: "change", Title: `Change "and" <transition>`, Completion: course.CompletionPages},
		},
	}
}

func TestIndexGolden(t *testing.T) {
	c := sampleCourse()
	units, err := Units(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Index(c, units)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/index.html", got)
}

func TestIndex(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*course.Course)
		want    []string
		notWant []string
	}{
		{
			name: "everything",
			want: []string{
				`<html lang="en-GB">`,
				`<title>Leading Well &amp; Wisely</title>`,
				`<p>A course about &lt;leading&gt; well.</p>`,
				`<p class="cp-index-duration"><time datetime="90m">90 min</time></p>`,
				`<h2>Modules</h2>`,
				`<li><a href="purpose.html">Leadership and purpose</a> <time datetime="45m">45 min</time></li>`,
				`<li><a href="change.html">Change &#34;and&#34; &lt;transition&gt;</a></li>`,
				`<img class="cp-logo" src="assets/logo.svg" alt="">`,
				`Progress is saved in this browser only.`,
			},
			notWant: []string{"<script", "<leading>", "<transition>"},
		},
		{
			name: "no description, duration or logo",
			change: func(c *course.Course) {
				c.Description, c.Duration, c.Theme.Logo = "", 0, nil
			},
			want:    []string{`<h1>Leading Well &amp; Wisely</h1>`},
			notWant: []string{`<p class="cp-index-duration">`, "<img", "<p></p>"},
		},
		{
			name:   "a module named index",
			change: func(c *course.Course) { c.Modules[0].ID = "index" },
			want:   []string{`<a href="index-module.html">Leadership and purpose</a>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sampleCourse()
			if tt.change != nil {
				tt.change(c)
			}
			units, err := Units(c)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Index(c, units)
			if err != nil {
				t.Fatal(err)
			}
			got := string(b)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("index.html lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("index.html contains %q", w)
				}
			}
		})
	}
}

func TestUnits(t *testing.T) {
	tests := []struct {
		ids  []string
		want []string
	}{
		{[]string{"purpose", "change"}, []string{"purpose.html", "change.html"}},
		{[]string{"index", "other"}, []string{"index-module.html", "other.html"}},
		{[]string{"index", "index-module", "index-module-2"}, []string{"index-module-3.html", "index-module.html", "index-module-2.html"}},
	}
	for _, tt := range tests {
		c := sampleCourse()
		c.Modules = nil
		for _, id := range tt.ids {
			c.Modules = append(c.Modules, &course.Module{ID: id, Title: id})
		}
		units, err := Units(c)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range units {
			got = append(got, u.Href)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Units(%v) hrefs = %v, want %v", tt.ids, got, tt.want)
		}
	}
}

var hrefOrSrc = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

func TestBuildExample(t *testing.T) {
	c, err := course.Load("../examples/stepping-into-leadership")
	if err != nil {
		t.Fatal(err)
	}
	// The layout makes no difference.
	var first []*dist.Package
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
		pkgs, err := Format{}.Build(c, format.Options{Layout: layout})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = pkgs
			continue
		}
		if len(pkgs) != len(first) || !sameFiles(pkgs[0].Files, first[0].Files) {
			t.Errorf("layout %s changed the package", layout)
		}
	}
	pkgs := first
	if len(pkgs) != 2 {
		t.Fatalf("%d packages, want a zip and a folder", len(pkgs))
	}
	zip, folder := pkgs[0], pkgs[1]
	if zip.Name != "stepping-into-leadership-html.zip" || zip.Folder {
		t.Errorf("first package %q (folder %v), want the zip", zip.Name, zip.Folder)
	}
	if folder.Name != "stepping-into-leadership-html" || !folder.Folder {
		t.Errorf("second package %q (folder %v), want the folder", folder.Name, folder.Folder)
	}
	if !sameFiles(zip.Files, folder.Files) {
		t.Error("the zip and the folder hold different files")
	}

	files := map[string]dist.File{}
	for _, f := range zip.Files {
		files[f.Path] = f
	}
	index, ok := files[IndexPath]
	if !ok {
		t.Fatal("no index.html")
	}
	// The player starts the web runtime.
	if rt := files[templates.ScriptFile]; !bytes.Contains(rt.Data, []byte(`CP.runtime="web"`)) {
		t.Errorf("%s does not name the web runtime: %.80q", templates.ScriptFile, rt.Data)
	}
	// Every module has its page, and the listing links to it; every link
	// of the listing is to a file of the package.
	for _, m := range c.Modules {
		if _, ok := files[m.ID+".html"]; !ok {
			t.Errorf("no page for module %s", m.ID)
			continue
		}
		if !bytes.Contains(index.Data, []byte(`href="`+m.ID+`.html"`)) {
			t.Errorf("index.html does not link to %s.html", m.ID)
		}
	}
	links := hrefOrSrc.FindAllSubmatch(index.Data, -1)
	if len(links) < len(c.Modules)+1 {
		t.Errorf("index.html has %d links", len(links))
	}
	for _, l := range links {
		target := string(l[1])
		if strings.HasPrefix(target, "data:") {
			continue
		}
		if _, ok := files[target]; !ok {
			t.Errorf("index.html links to %q, which is not in the package", target)
		}
	}
}

// sameFiles reports whether a and b list the same paths with the same
// contents.
func sameFiles(a, b []dist.File) bool {
	return slices.EqualFunc(a, b, func(x, y dist.File) bool {
		return x.Path == y.Path && bytes.Equal(x.Data, y.Data) && x.Source == y.Source
	})
}

// The units are those of a SCORM package with a unit per module, so that a
// course's page names are the same in every format.
func TestUnitsMatchModuleLayout(t *testing.T) {
	c := sampleCourse()
	units, _ := Units(c)
	plans, _ := bundle.Plans(c, format.LayoutModule)
	if len(units) != len(plans[0].Units) {
		t.Fatalf("%d units, want %d", len(units), len(plans[0].Units))
	}
	for i, u := range units {
		if u.Href != plans[0].Units[i].Href || u.ID != plans[0].Units[i].ID {
			t.Errorf("unit %d = %s %s, want %s %s", i, u.ID, u.Href, plans[0].Units[i].ID, plans[0].Units[i].Href)
		}
	}
}
