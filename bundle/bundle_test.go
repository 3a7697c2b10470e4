package bundle

import (
	"bytes"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
)

func intp(n int) *int { return &n }

func TestPlansMastery(t *testing.T) {
	questions := []*course.Question{{ID: "q1"}}
	tests := []struct {
		name       string
		c          *course.Course
		wantModule *int // the first module's unit, module layout
		wantCourse *int // the course unit
	}{
		{"course mark, passed modules",
			&course.Course{Completion: course.CompletionPagesAndPassed, MasteryScore: intp(80), Modules: []*course.Module{
				{ID: "a", Completion: course.CompletionPagesAndPassed, MasteryScore: intp(70), Questions: questions}}},
			intp(70), intp(80)},
		{"only modules have a mark: the course unit has none, as the player judges it",
			&course.Course{Completion: course.CompletionPagesAndPassed, Modules: []*course.Module{
				{ID: "a", Completion: course.CompletionPassed, MasteryScore: intp(70), Questions: questions}}},
			intp(70), nil},
		{"completed by pages: no mark anywhere",
			&course.Course{Completion: course.CompletionPages, MasteryScore: intp(80), Modules: []*course.Module{
				{ID: "a", Completion: course.CompletionPages, MasteryScore: intp(80), Questions: questions}}},
			nil, nil},
		{"no questions: nothing to pass",
			&course.Course{Completion: course.CompletionPassed, MasteryScore: intp(80), Modules: []*course.Module{
				{ID: "a", Completion: course.CompletionPassed, MasteryScore: intp(80)}}},
			nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mod, _ := Plans(tt.c, format.LayoutModule)
			whole, _ := Plans(tt.c, format.LayoutCourse)
			if got := mod[0].Units[0].MasteryScore; !sameInt(got, tt.wantModule) {
				t.Errorf("module unit mastery = %v, want %v", show(got), show(tt.wantModule))
			}
			if got := whole[0].Units[0].MasteryScore; !sameInt(got, tt.wantCourse) {
				t.Errorf("course unit mastery = %v, want %v", show(got), show(tt.wantCourse))
			}
		})
	}
}

func TestPlansLayouts(t *testing.T) {
	c := &course.Course{ID: "https://example.org/c/x", Modules: []*course.Module{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}}
	for _, tt := range []struct {
		layout        format.Layout
		plans, units  int
		suffix, href0 string
	}{
		{format.LayoutModule, 1, 2, "", "a.html"},
		{"", 1, 2, "", "a.html"},
		{format.LayoutCourse, 1, 1, "", "index.html"},
		{format.LayoutSplit, 2, 1, "-a", "a.html"},
	} {
		plans, err := Plans(c, tt.layout)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) != tt.plans || len(plans[0].Units) != tt.units || plans[0].Suffix != tt.suffix || plans[0].Units[0].Href != tt.href0 {
			t.Errorf("%q: %+v", tt.layout, plans)
		}
	}
	if _, err := Plans(c, "pages"); err == nil {
		t.Error("an unknown layout gave plans")
	}
}

func TestSlug(t *testing.T) {
	for id, want := range map[string]string{
		"https://example.org/courses/leading-well":  "leading-well",
		"https://example.org/courses/Leading_Well/": "leading-well",
		"urn:example:course:42":                     "42",
		"https://example.org/":                      "example-org",
		"https://example.org/#":                     "example-org",
	} {
		if got := Slug(&course.Course{ID: id}); got != want {
			t.Errorf("Slug(%q) = %q, want %q", id, got, want)
		}
	}
}

func sameInt(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func show(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestBuildRenderAtWrite: with RenderAtWrite the pages are rendered as
// they are written, to the bytes Build renders ahead, and the other files
// are the same.
func TestBuildRenderAtWrite(t *testing.T) {
	c, err := course.Load("../examples/stepping-into-leadership")
	if err != nil {
		t.Fatal(err)
	}
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse} {
		plans, err := Plans(c, layout)
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range []string{"scorm12", "scorm2004", "xapi", "cmi5", "web"} {
			held, err := Build(c, plans[0].Units, rt)
			if err != nil {
				t.Fatal(err)
			}
			lazy, err := BuildWith(c, plans[0].Units, rt, format.Options{RenderAtWrite: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(lazy.Pages) != len(held.Pages) || len(lazy.Shared) != len(held.Shared) {
				t.Fatalf("%s %s: %d pages and %d shared files, want %d and %d", layout, rt, len(lazy.Pages), len(lazy.Shared), len(held.Pages), len(held.Shared))
			}
			for i, p := range lazy.Pages {
				h := held.Pages[i]
				if p.Data != nil || len(p.Parts) == 0 || p.Path != h.Path || len(h.Parts) != len(p.Parts) {
					t.Fatalf("%s %s: page %d is %+v", layout, rt, i, p)
				}
				// Rendered twice (a zip and a folder), the same bytes,
				// and the same parts as the page held.
				for range 2 {
					var whole bytes.Buffer
					for j, part := range p.Parts {
						var buf, hbuf bytes.Buffer
						if err := part.Render(&buf); err != nil {
							t.Fatal(err)
						}
						if err := h.Parts[j].Render(&hbuf); err != nil {
							t.Fatal(err)
						}
						if part.Same != h.Parts[j].Same || part.Follows != h.Parts[j].Follows || !bytes.Equal(buf.Bytes(), hbuf.Bytes()) {
							t.Errorf("%s %s: %s: part %d differs from the page held", layout, rt, p.Path, j)
						}
						whole.Write(buf.Bytes())
					}
					if !bytes.Equal(whole.Bytes(), h.Data) {
						t.Errorf("%s %s: %s rendered at write time differs", layout, rt, p.Path)
					}
				}
			}
			for i, f := range lazy.Shared {
				if h := held.Shared[i]; f.Path != h.Path || f.Source != h.Source || !bytes.Equal(f.Data, h.Data) {
					t.Errorf("%s %s: shared file %s differs", layout, rt, f.Path)
				}
			}
		}
	}
}
