package xapi

import (
	"regexp"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/golden"
)

func cmi5Doc(t *testing.T, c *course.Course, plan bundle.Plan) *etree.Document {
	t.Helper()
	doc, err := CourseStructure(c, plan)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestCMI5Golden(t *testing.T) {
	c := sampleCourse()
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
		for _, plan := range plans(t, c, layout) {
			name := "cmi5-" + string(layout) + plan.Suffix + ".xml"
			t.Run(name, func(t *testing.T) {
				golden.Check(t, "testdata/"+name, serialise(t, cmi5Doc(t, c, plan)))
			})
		}
	}
}

// A decimal from 0 to 1 with at most four places.
var masteryPattern = regexp.MustCompile(`^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$`)

func TestCMI5Rules(t *testing.T) {
	c := sampleCourse()
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
		for _, plan := range plans(t, c, layout) {
			t.Run(string(layout)+plan.Suffix, func(t *testing.T) {
				doc := cmi5Doc(t, c, plan)
				checkDeclaration(t, serialise(t, doc))
				root := doc.Root()
				if root.Tag != "courseStructure" || root.SelectAttrValue("xmlns", "") != nsCMI5 {
					t.Fatalf("root is <%s xmlns=%q>, want <courseStructure xmlns=%q>", root.Tag, root.SelectAttrValue("xmlns", ""), nsCMI5)
				}
				checkOrder(t, root, "course", "objectives", "au")
				crs := root.SelectElement("course")
				if crs == nil {
					t.Fatal("no <course>")
				}
				checkOrder(t, crs, "title", "description")
				ids := map[string]bool{}
				all := append([]*etree.Element{crs}, root.SelectElements("au")...)
				for _, el := range all {
					id := el.SelectAttrValue("id", "")
					checkIRI(t, el.Tag+" id", id)
					if ids[id] {
						t.Errorf("id %q used twice in the course structure", id)
					}
					ids[id] = true
					for _, tag := range []string{"title", "description"} {
						ls := el.FindElements(tag + "/langstring")
						if len(ls) == 0 || strings.TrimSpace(ls[0].Text()) == "" || ls[0].SelectAttrValue("lang", "") == "" {
							t.Errorf("<%s id=%q> has no %s langstring with a language", el.Tag, id, tag)
						}
					}
				}
				aus := root.SelectElements("au")
				if len(aus) != len(plan.Units) {
					t.Fatalf("%d AUs, want one per unit (%d)", len(aus), len(plan.Units))
				}
				for i, au := range aus {
					u := plan.Units[i]
					checkOrder(t, au, "title", "description", "objectives", "url", "launchParameters", "entitlementKey")
					if got := au.SelectAttrValue("id", ""); got != unitIRI(c, u) {
						t.Errorf("AU %d id %q, want %q", i, got, unitIRI(c, u))
					}
					if got := au.FindElement("url").Text(); got != u.Href || strings.Contains(got, ":") || strings.HasPrefix(got, "/") || strings.Contains(got, "..") {
						t.Errorf("AU url %q, want the unit's relative page %q", got, u.Href)
					}
					if got := au.SelectAttrValue("launchMethod", ""); got != "AnyWindow" {
						t.Errorf("launchMethod %q, want AnyWindow", got)
					}
					moveOn := au.SelectAttrValue("moveOn", "")
					if moveOn != MoveOn(c, u) {
						t.Errorf("AU %s moveOn %q, want %q", u.ID, moveOn, MoveOn(c, u))
					}
					ms := au.SelectAttr("masteryScore")
					if (ms != nil) != strings.HasSuffix(moveOn, "Passed") {
						t.Errorf("AU %s: moveOn %s with masteryScore %v", u.ID, moveOn, ms)
					}
					if ms != nil && !masteryPattern.MatchString(ms.Value) {
						t.Errorf("AU %s masteryScore %q is not a decimal from 0 to 1 with at most four places", u.ID, ms.Value)
					}
				}
				if plan.Suffix != "" {
					m := plan.Units[0].Modules[0]
					if got := crs.SelectAttrValue("id", ""); got != SplitCourseIRI(c.ID, m.ID) {
						t.Errorf("split course id %q, want %q", got, SplitCourseIRI(c.ID, m.ID))
					}
				} else if got := crs.SelectAttrValue("id", ""); got != c.ID {
					t.Errorf("course id %q, want the course IRI %q", got, c.ID)
				}
			})
		}
	}
}

func TestMoveOn(t *testing.T) {
	pass := 70
	tests := []struct {
		name      string
		rule      course.Completion
		questions int
		mastery   *int
		want      string
	}{
		{"pages", course.CompletionPages, 1, &pass, MoveOnCompleted},
		{"passed", course.CompletionPassed, 1, &pass, MoveOnPassed},
		{"pages and passed", course.CompletionPagesAndPassed, 1, &pass, MoveOnCompletedAndPassed},
		{"passed without questions", course.CompletionPassed, 0, &pass, MoveOnCompleted},
		{"passed without a pass mark", course.CompletionPassed, 1, nil, MoveOnCompleted},
		{"pages and passed without a pass mark", course.CompletionPagesAndPassed, 2, nil, MoveOnCompleted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &course.Module{ID: "m", Title: "M", Completion: tt.rule, MasteryScore: tt.mastery}
			for i := 0; i < tt.questions; i++ {
				m.Questions = append(m.Questions, &course.Question{ID: "q" + string(rune('a'+i)), Type: course.SingleChoice})
			}
			c := &course.Course{ID: "https://example.org/c", Title: "C", Language: "cy", Modules: []*course.Module{m}}
			ps := plans(t, c, format.LayoutModule)
			if got := MoveOn(c, ps[0].Units[0]); got != tt.want {
				t.Errorf("moveOn = %q, want %q", got, tt.want)
			}
			au := cmi5Doc(t, c, ps[0]).FindElement("//au")
			if ms := au.SelectAttrValue("masteryScore", ""); (ms != "") != (tt.want != MoveOnCompleted) {
				t.Errorf("masteryScore %q with moveOn %s", ms, tt.want)
			}
		})
	}
}

// TestMoveOnWholeCourse: the whole-course AU follows the course's rule.
func TestMoveOnWholeCourse(t *testing.T) {
	c := sampleCourse()
	u := plans(t, c, format.LayoutCourse)[0].Units[0]
	if got := MoveOn(c, u); got != MoveOnCompletedAndPassed {
		t.Errorf("moveOn = %q, want %q", got, MoveOnCompletedAndPassed)
	}
	c.Completion = course.CompletionPages
	if got := MoveOn(c, u); got != MoveOnCompleted {
		t.Errorf("with the course completed by pages: moveOn = %q, want Completed", got)
	}
	// Only modules have pass marks: the player judges the whole course
	// without one, so it completes the course but never passes it.
	c = sampleCourse()
	c.MasteryScore = nil
	u = plans(t, c, format.LayoutCourse)[0].Units[0]
	if got := MoveOn(c, u); got != MoveOnCompleted {
		t.Errorf("without a course pass mark: moveOn = %q, want Completed", got)
	}
	if au := cmi5Doc(t, c, plans(t, c, format.LayoutCourse)[0]).FindElement("//au"); au.SelectAttr("masteryScore") != nil {
		t.Error("a whole-course AU passed by no pass mark has a masteryScore")
	}
}

func TestMasteryScore(t *testing.T) {
	for _, tt := range []struct {
		percent int
		want    string
	}{{0, "0"}, {1, "0.01"}, {5, "0.05"}, {10, "0.1"}, {33, "0.33"}, {75, "0.75"}, {80, "0.8"}, {99, "0.99"}, {100, "1"}, {120, "1"}, {-3, "0"}} {
		got := MasteryScore(tt.percent)
		if got != tt.want {
			t.Errorf("MasteryScore(%d) = %q, want %q", tt.percent, got, tt.want)
		}
		if !masteryPattern.MatchString(got) {
			t.Errorf("MasteryScore(%d) = %q is not a decimal from 0 to 1 with at most four places", tt.percent, got)
		}
	}
}

func TestCMI5Texts(t *testing.T) {
	c := sampleCourse()
	c.Description = ""
	c.Language = ""
	doc := cmi5Doc(t, c, plans(t, c, format.LayoutModule)[0])
	if got := doc.FindElement("//course/description/langstring").Text(); got != c.Title {
		t.Errorf("description of a course without one = %q, want its title", got)
	}
	for _, el := range doc.FindElements("//langstring") {
		if el.SelectAttrValue("lang", "") != "und" {
			t.Errorf("langstring lang %q, want und for a course without a language", el.SelectAttrValue("lang", ""))
		}
	}
	split := plans(t, c, format.LayoutSplit)[1]
	doc = cmi5Doc(t, c, split)
	if got := doc.FindElement("//course/title/langstring").Text(); got != "Leading Well & Wisely: Change and transition" {
		t.Errorf("split course title = %q", got)
	}
	if _, err := CourseStructure(c, bundle.Plan{}); err == nil {
		t.Error("a course structure without AUs was written")
	}
}
