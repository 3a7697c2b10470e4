package xapi

import (
	"slices"
	"testing"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/templates"
)

// TestBuild builds the tiny course in every layout and checks that each
// package holds its manifest once, at the root, and the pages it launches.
// It needs the player's xapi and cmi5 runtimes and is skipped until they
// exist.
func TestBuild(t *testing.T) {
	c, err := course.Load("../testdata/tiny")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f        format.Format
		manifest string
		// launches lists the launched pages of a manifest.
		launches func(*etree.Document) []string
	}{
		{TinCan{}, "tincan.xml", func(d *etree.Document) []string { return texts(d.FindElements("//launch")) }},
		{CMI5{}, "cmi5.xml", func(d *etree.Document) []string { return texts(d.FindElements("//au/url")) }},
	} {
		t.Run(tt.f.Name(), func(t *testing.T) {
			if !slices.Contains(templates.Runtimes(), tt.f.Name()) {
				t.Fatalf("the player has no %s runtime", tt.f.Name())
			}
			for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
				pkgs, err := tt.f.Build(c, format.Options{Layout: layout})
				if err != nil {
					t.Fatalf("layout %s: %v", layout, err)
				}
				for _, pkg := range pkgs {
					files := map[string]dist.File{}
					for _, f := range pkg.Files {
						if _, dup := files[f.Path]; dup {
							t.Errorf("%s: %s twice", pkg.Name, f.Path)
						}
						files[f.Path] = f
					}
					m, ok := files[tt.manifest]
					if !ok {
						t.Fatalf("%s has no %s at its root", pkg.Name, tt.manifest)
					}
					doc := etree.NewDocument()
					if err := doc.ReadFromBytes(m.Data); err != nil {
						t.Fatalf("%s: %v", pkg.Name, err)
					}
					for _, href := range tt.launches(doc) {
						if _, ok := files[href]; !ok {
							t.Errorf("%s launches %s, which it does not hold", pkg.Name, href)
						}
					}
				}
			}
		})
	}
}

func texts(els []*etree.Element) []string {
	var out []string
	for _, el := range els {
		out = append(out, el.Text())
	}
	return out
}
