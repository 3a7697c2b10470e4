package xapi

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/golden"
)

// activityOrder is the order of an activity's children in tincan.xsd.
var activityOrder = []string{"name", "description", "launch", "resource", "interactionType",
	"correctResponsePatterns", "choices", "scale", "source", "target", "steps", "extensions"}

func tinCanDoc(t *testing.T, c *course.Course, plan bundle.Plan) *etree.Document {
	t.Helper()
	doc, err := TinCanXML(c, plan)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestTinCanGolden(t *testing.T) {
	c := sampleCourse()
	for _, layout := range []format.Layout{format.LayoutCourse, format.LayoutSplit} {
		ps, err := TinCanPlans(c, layout)
		if err != nil {
			t.Fatal(err)
		}
		for _, plan := range ps {
			name := "xapi-" + string(layout) + plan.Suffix + ".xml"
			t.Run(name, func(t *testing.T) {
				golden.Check(t, "testdata/"+name, serialise(t, tinCanDoc(t, c, plan)))
			})
		}
	}
}

// TestTinCanModuleLayout: the default layout gives the same single package
// as the course layout, since a Tin Can package launches one activity.
func TestTinCanModuleLayout(t *testing.T) {
	c := sampleCourse()
	for _, layout := range []format.Layout{format.LayoutModule, ""} {
		ps, err := TinCanPlans(c, layout)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := TinCanPlans(c, format.LayoutCourse)
		if len(ps) != 1 || len(ps[0].Units) != 1 || ps[0].Units[0].Href != "index.html" {
			t.Fatalf("layout %q: plans %+v, want one package launching index.html", layout, ps)
		}
		if !bytes.Equal(serialise(t, tinCanDoc(t, c, ps[0])), serialise(t, tinCanDoc(t, c, want[0]))) {
			t.Errorf("layout %q: tincan.xml differs from the course layout's", layout)
		}
	}
	if _, err := TinCanPlans(c, "sideways"); err == nil {
		t.Error("an unknown layout was accepted")
	}
	// A plan with several units cannot be one Tin Can package.
	if _, err := TinCanXML(c, plans(t, c, format.LayoutModule)[0]); err == nil {
		t.Error("TinCanXML accepted a plan with two units")
	}
}

// tinCanPlansAll lists every package of every layout.
func tinCanPlansAll(t *testing.T, c *course.Course) []bundle.Plan {
	var all []bundle.Plan
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
		ps, err := TinCanPlans(c, layout)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ps...)
	}
	return all
}

func TestTinCanRules(t *testing.T) {
	c := sampleCourse()
	for _, plan := range tinCanPlansAll(t, c) {
		t.Run("plan"+plan.Suffix, func(t *testing.T) {
			doc := tinCanDoc(t, c, plan)
			checkDeclaration(t, serialise(t, doc))
			root := doc.Root()
			if root.Tag != "tincan" || root.SelectAttrValue("xmlns", "") != nsTinCan {
				t.Fatalf("root is <%s xmlns=%q>, want <tincan xmlns=%q>", root.Tag, root.SelectAttrValue("xmlns", ""), nsTinCan)
			}
			checkOrder(t, root, "activities")
			acts := root.FindElements("activities/activity")
			if len(acts) == 0 {
				t.Fatal("no activity")
			}
			ids := map[string]bool{}
			var launches []*etree.Element
			for _, a := range acts {
				id := a.SelectAttrValue("id", "")
				checkIRI(t, "activity id", id)
				if ids[id] {
					t.Errorf("activity id %q used twice", id)
				}
				ids[id] = true
				checkIRI(t, "activity type", a.SelectAttrValue("type", ""))
				checkOrder(t, a, activityOrder...)
				for _, tag := range []string{"name", "description"} {
					els := a.SelectElements(tag)
					if len(els) == 0 || strings.TrimSpace(els[0].Text()) == "" {
						t.Errorf("activity %s has no %s", id, tag)
					}
				}
				for _, el := range a.FindElements(".//[@lang]") {
					if el.SelectAttrValue("lang", "") == "" {
						t.Errorf("activity %s: <%s> has an empty lang", id, el.Tag)
					}
				}
				launches = append(launches, a.SelectElements("launch")...)
				launches = append(launches, a.SelectElements("resource")...)
			}
			if len(launches) != 1 {
				t.Fatalf("%d activities launch, want exactly one", len(launches))
			}
			if launches[0].Parent() != acts[0] {
				t.Error("the launch activity is not listed first")
			}
			href := launches[0].Text()
			if href != plan.Units[0].Href || strings.Contains(href, "://") || strings.HasPrefix(href, "/") || strings.Contains(href, "..") {
				t.Errorf("launch %q, want the unit's relative page %q", href, plan.Units[0].Href)
			}
			if !ids[c.ID] {
				t.Errorf("the course activity %q is not listed", c.ID)
			}
			for _, m := range plan.Units[0].Modules {
				if !ids[ModuleIRI(c.ID, m.ID)] {
					t.Errorf("module %s is not listed", m.ID)
				}
				for _, q := range m.Questions {
					if !ids[QuestionIRI(c.ID, m.ID, q.ID)] {
						t.Errorf("question %s is not listed", q.ID)
					}
				}
				for _, r := range m.Reflections {
					if !ids[QuestionIRI(c.ID, m.ID, r.ID)] {
						t.Errorf("reflection %s is not listed", r.ID)
					}
				}
			}
		})
	}
}

func TestTinCanLaunchActivity(t *testing.T) {
	c := sampleCourse()
	whole, _ := TinCanPlans(c, format.LayoutCourse)
	first := tinCanDoc(t, c, whole[0]).FindElement("//activity")
	if first.SelectAttrValue("id", "") != c.ID || first.SelectAttrValue("type", "") != TypeCourse {
		t.Errorf("whole-course package launches %s (%s), want the course %s", first.SelectAttrValue("id", ""), first.SelectAttrValue("type", ""), c.ID)
	}
	split, _ := TinCanPlans(c, format.LayoutSplit)
	for _, plan := range split {
		m := plan.Units[0].Modules[0]
		first := tinCanDoc(t, c, plan).FindElement("//activity")
		if first.SelectAttrValue("id", "") != ModuleIRI(c.ID, m.ID) || first.FindElement("launch").Text() != m.ID+".html" {
			t.Errorf("split package %s launches %s, want module %s", plan.Suffix, first.SelectAttrValue("id", ""), m.ID)
		}
	}
}

func TestTinCanTexts(t *testing.T) {
	c := sampleCourse()
	c.Description = ""
	c.Language = ""
	ps, _ := TinCanPlans(c, format.LayoutCourse)
	doc := tinCanDoc(t, c, ps[0])
	course := doc.FindElement("//activity[@id='" + c.ID + "']")
	if got := course.FindElement("description").Text(); got != c.Title {
		t.Errorf("description of a course without one = %q, want its title", got)
	}
	for _, el := range doc.FindElements("//[@lang]") {
		if el.SelectAttrValue("lang", "") != "und" {
			t.Errorf("<%s lang=%q>, want und for a course without a language", el.Tag, el.SelectAttrValue("lang", ""))
		}
	}
	change := doc.FindElement("//activity[@id='" + ModuleIRI(c.ID, "change") + "']")
	if got := change.FindElement("description").Text(); got != "Leading Well & Wisely: Change and transition" {
		t.Errorf("description of a module without objectives = %q", got)
	}
	purpose := doc.FindElement("//activity[@id='" + ModuleIRI(c.ID, "purpose") + "']")
	if got := purpose.FindElement("description").Text(); got != "Say what a purpose is for; Write your team's purpose" {
		t.Errorf("description of a module with objectives = %q", got)
	}
	q := doc.FindElement("//activity[@id='" + QuestionIRI(c.ID, "purpose", "q-single") + "']")
	if got := q.FindElement("name").Text(); got != "Which of these is a purpose?" {
		t.Errorf("question name = %q, want the prompt as text", got)
	}
	if got := q.FindElement("choices/component/description").Text(); got != "To sell & grow" {
		t.Errorf("choice text = %q, want the option as text", got)
	}
	r := doc.FindElement("//activity[@id='" + QuestionIRI(c.ID, "purpose", "r-purpose") + "']")
	if r == nil {
		t.Fatal("the reflection is not listed")
	}
	if got := r.FindElement("name").Text(); got != "What is your purpose?" {
		t.Errorf("reflection name = %q, want the prompt as text", got)
	}
	if got := r.FindElement("interactionType").Text(); got != "long-fill-in" || r.FindElement("correctResponsePatterns") != nil {
		t.Errorf("a reflection is a %q interaction with patterns %v, want long-fill-in without", got, r.FindElement("correctResponsePatterns"))
	}
	c.Modules[0].Questions[0].Prompt = ""
	doc = tinCanDoc(t, c, ps[0])
	q = doc.FindElement("//activity[@id='" + QuestionIRI(c.ID, "purpose", "q-single") + "']")
	if got := q.FindElement("name").Text(); got != "Leadership and purpose: q-single" {
		t.Errorf("name of a question without a prompt = %q, want <module>: <id>", got)
	}
	data := serialise(t, doc)
	if !bytes.Contains(data, []byte("Leading Well &amp; Wisely")) {
		t.Error("an ampersand in a title is not escaped")
	}
}

func TestInteraction(t *testing.T) {
	c := sampleCourse()
	want := map[string]InteractionDef{
		"q-single":   {"choice", []string{"b"}},
		"q-multiple": {"choice", []string{"a[,]c"}},
		"q-tf":       {"true-false", []string{"false"}},
		"q-text":     {"fill-in", []string{"{case_matters=false}Listen", "{case_matters=false}ask"}},
	}
	for _, q := range c.Modules[0].Questions {
		got := Interaction(q)
		if got.Type != want[q.ID].Type || !slices.Equal(got.Correct, want[q.ID].Correct) {
			t.Errorf("Interaction(%s) = %+v, want %+v", q.ID, got, want[q.ID])
		}
	}
	trueStatement := &course.Question{Type: course.TrueFalse, Options: []*course.Option{{ID: "t", Correct: true}, {ID: "f"}}}
	if got := Interaction(trueStatement).Correct; !slices.Equal(got, []string{"true"}) {
		t.Errorf("a true statement's pattern = %v, want [true]", got)
	}
	// Options without a right answer (a poll): any answer is right, so no
	// pattern at all (an empty list would mean no answer is right).
	poll := &course.Question{Type: course.SingleChoice, Options: []*course.Option{{ID: "a"}, {ID: "b"}}}
	if got := Interaction(poll).Correct; got != nil {
		t.Errorf("a question with no right option has the pattern %v, want none", got)
	}
	ps, _ := TinCanPlans(c, format.LayoutCourse)
	doc := tinCanDoc(t, c, ps[0])
	tf := doc.FindElement("//activity[@id='" + QuestionIRI(c.ID, "purpose", "q-tf") + "']")
	if tf.FindElement("choices") != nil {
		t.Error("a true-false question lists choices")
	}
	if got := tf.FindElement("correctResponsePatterns/correctResponsePattern").Text(); got != "false" {
		t.Errorf("true-false pattern in tincan.xml = %q", got)
	}
	multi := doc.FindElement("//activity[@id='" + QuestionIRI(c.ID, "purpose", "q-multiple") + "']")
	var comps []string
	for _, id := range multi.FindElements("choices/component/id") {
		comps = append(comps, id.Text())
	}
	if !slices.Equal(comps, []string{"a", "b", "c"}) {
		t.Errorf("choice components %v, want a b c", comps)
	}
}
