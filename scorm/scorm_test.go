package scorm

import (
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/golden"
)

// What the tests of every SCORM version share: a sample course, the golden
// files of its manifests in every layout, and the checks of identifiers.

// manifestFunc writes the manifest of one package: Manifest12 or
// Manifest2004.
type manifestFunc func(*course.Course, bundle.Plan, bundle.Contents) *etree.Document

// layouts are the layouts every SCORM version offers.
var layouts = []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit}

// checkGoldens compares the manifest of every package of the sample course,
// in every layout, with testdata/<prefix>-<layout><suffix>.xml, and checks
// its identifiers.
func checkGoldens(t *testing.T, prefix string, manifest manifestFunc) {
	t.Helper()
	c := sampleCourse()
	for _, layout := range layouts {
		plans, err := bundle.Plans(c, layout)
		if err != nil {
			t.Fatal(err)
		}
		for _, plan := range plans {
			name := prefix + "-" + string(layout) + plan.Suffix + ".xml"
			t.Run(name, func(t *testing.T) {
				doc := manifest(c, plan, sampleContents(plan))
				doc.Indent(2)
				got, err := doc.WriteToBytes()
				if err != nil {
					t.Fatal(err)
				}
				golden.Check(t, "testdata/"+name, got)
				checkIDRefs(t, doc.Root())
			})
		}
	}
}

// sampleCourse is a small course built by hand, so the manifest tests do not
// depend on the loader.
func sampleCourse() *course.Course {
	pass := 80
	logo := &course.Asset{Path: "assets/logo.svg"}
	photo := &course.Asset{Path: "assets/bike.jpg"}
	return &course.Course{
		ID:           "https://example.org/courses/leading-well",
		Title:        "Leading Well & Wisely",
		Description:  "A course about <leading> well.",
		Language:     "en-GB",
		Version:      "2.1.0",
		Publisher:    "Example Library Service",
		Authors:      []string{"A. Author"},
		Keywords:     []string{"leadership", "libraries"},
		Licence:      "CC BY-SA 4.0",
		Duration:     90 * time.Minute,
		Completion:   course.CompletionPagesAndPassed,
		MasteryScore: &pass,
		Theme:        course.Theme{Logo: logo},
		Modules: []*course.Module{
			{ID: "purpose", Title: "Leadership and purpose", Completion: course.CompletionPagesAndPassed, MasteryScore: &pass,
				Questions: []*course.Question{{ID: "q1"}}, Assets: []*course.Asset{photo}},
			{ID: "change", Title: "Change and transition", Completion: course.CompletionPages},
		},
		Assets: []*course.Asset{photo, logo},
	}
}

// sampleContents stands in for bundle.Build: one page per unit and a fixed
// set of shared files.
func sampleContents(plan bundle.Plan) bundle.Contents {
	var c bundle.Contents
	for _, u := range plan.Units {
		c.Pages = append(c.Pages, dist.File{Path: u.Href})
	}
	for _, p := range []string{"assets/bike.jpg", "assets/logo.svg", "player/player.css", "player/player.js"} {
		c.Shared = append(c.Shared, dist.File{Path: p})
	}
	return c
}

// checkIDRefs asserts that identifiers are unique, valid xsd:IDs and that
// every reference names one of them.
func checkIDRefs(t *testing.T, root *etree.Element) {
	t.Helper()
	ids := map[string]bool{}
	for _, el := range root.FindElements("//[@identifier]") {
		id := el.SelectAttrValue("identifier", "")
		if ids[id] {
			t.Errorf("identifier %q used twice", id)
		}
		ids[id] = true
		if !validID(id) {
			t.Errorf("identifier %q is not a valid xsd:ID", id)
		}
	}
	for _, el := range root.FindElements("//[@identifierref]") {
		if ref := el.SelectAttrValue("identifierref", ""); !ids[ref] {
			t.Errorf("identifierref %q names no element", ref)
		}
	}
	if def := root.FindElement("organizations").SelectAttrValue("default", ""); !ids[def] {
		t.Errorf("organizations default %q names no organisation", def)
	}
}

func validID(id string) bool {
	for i, r := range id {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if i == 0 && !letter {
			return false
		}
		if !letter && !(r >= '0' && r <= '9') && r != '-' && r != '.' {
			return false
		}
	}
	return id != ""
}

func TestManifestIDStable(t *testing.T) {
	a, b := sampleCourse(), sampleCourse()
	b.Version = "9.9.9"
	b.Title = "Renamed"
	if manifestID(a, "") != manifestID(b, "") {
		t.Error("a new version or title of the same course changed the manifest identifier")
	}
	b.ID = "https://example.org/courses/other"
	if manifestID(a, "") == manifestID(b, "") {
		t.Error("two courses with different ids share a manifest identifier")
	}
}

func TestTitleLimit(t *testing.T) {
	long := strings.Repeat("é", 250)
	if got := []rune(title(long)); len(got) != maxTitle {
		t.Errorf("title kept %d characters, want %d", len(got), maxTitle)
	}
	if title("short") != "short" {
		t.Error("a short title was changed")
	}
}
