package xapi

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
)

// nsTinCan is the namespace of tincan.xml.
const nsTinCan = "http://projecttincan.com/tincan.xsd"

// maxName is the longest activity name taken from a question's prompt.
const maxName = 120

// TinCan is the xAPI format: a package with a tincan.xml that an LMS
// launches with the Tin Can launch convention (endpoint, auth, actor,
// registration, activity_id).
//
// A Tin Can package has exactly one launchable activity: tincan.xml may
// carry launch on one activity only, and LMSs (SCORM Cloud and Rustici
// Engine, Cornerstone, Opigno) import a package as one course whose xAPI
// activity id is that activity's id, reading completion only from
// statements about it. There is no LMS navigation between activities as in
// SCORM. So the module layout (the default) and the course layout both make
// one package whose course activity (the course IRI) launches index.html, the
// whole course with the player's own navigation between modules; the modules
// and their questions are listed after it, without launch, so that the LRS
// knows their definitions. The split layout makes one package per module
// whose module activity launches the module's page, listed first, followed by
// the course activity (without launch) and the module's questions.
type TinCan struct{}

var _ format.Format = TinCan{}

// Name is "xapi".
func (TinCan) Name() string { return "xapi" }

// Runtime is the player's xAPI (Tin Can launch) adapter.
func (TinCan) Runtime() string { return "xapi" }

// Description says what the format is for.
func (TinCan) Description() string {
	return "xAPI (Tin Can) package with tincan.xml, tracked in an LRS (SCORM Cloud, Cornerstone, Opigno, ...)"
}

// Build makes one xAPI package for the whole course, or one per module for
// the split layout.
func (f TinCan) Build(c *course.Course, opts format.Options) ([]*dist.Package, error) {
	plans, err := TinCanPlans(c, opts.Layout)
	if err != nil {
		return nil, err
	}
	return bundle.Packages(c, plans, f, opts, func(plan bundle.Plan, _ bundle.Contents) (string, *etree.Document, error) {
		doc, err := TinCanXML(c, plan)
		return "tincan.xml", doc, err
	})
}

// TinCanPlans maps a layout to the packages of the xAPI format: the module
// and course layouts give one package with one whole-course unit, the split
// layout one package per module.
func TinCanPlans(c *course.Course, layout format.Layout) ([]bundle.Plan, error) {
	switch layout {
	case format.LayoutModule, "", format.LayoutCourse:
		return bundle.Plans(c, format.LayoutCourse)
	}
	return bundle.Plans(c, layout)
}

// TinCanXML writes the tincan.xml of one package, whose plan must hold one
// unit: the launch activity first (the course for a whole-course unit, the
// module for a one-module unit), then the course activity when it does not
// launch, then each module and its questions.
func TinCanXML(c *course.Course, plan bundle.Plan) (*etree.Document, error) {
	if len(plan.Units) != 1 {
		return nil, fmt.Errorf("xapi: a Tin Can package launches one unit, not %d (use the course or split layout)", len(plan.Units))
	}
	u := plan.Units[0]
	if len(u.Modules) == 0 {
		return nil, fmt.Errorf("xapi: unit %q has no module", u.ID)
	}
	doc := newDocument()
	root := doc.CreateElement("tincan")
	root.CreateAttr("xmlns", nsTinCan)
	acts := root.CreateElement("activities")
	l := lang(c)

	courseActivity := func(launch string) {
		a := activity(acts, c.ID, TypeCourse)
		langText(a, "name", l, c.Title)
		langText(a, "description", l, courseDescription(c))
		if launch != "" {
			langText(a, "launch", l, launch)
		}
	}
	moduleActivity := func(m *course.Module, launch string) {
		a := activity(acts, ModuleIRI(c.ID, m.ID), TypeModule)
		langText(a, "name", l, m.Title)
		langText(a, "description", l, moduleDescription(c, m))
		if launch != "" {
			langText(a, "launch", l, launch)
		}
	}

	if u.ID == bundle.CourseUnitID {
		courseActivity(u.Href)
		for _, m := range u.Modules {
			moduleActivity(m, "")
			questionActivities(acts, c, m, l)
		}
		return doc, nil
	}
	if len(u.Modules) != 1 {
		return nil, fmt.Errorf("xapi: unit %q holds %d modules; a module unit holds one", u.ID, len(u.Modules))
	}
	m := u.Modules[0]
	moduleActivity(m, u.Href)
	courseActivity("")
	questionActivities(acts, c, m, l)
	return doc, nil
}

// activity adds an <activity> with its id and type.
func activity(parent *etree.Element, id, typ string) *etree.Element {
	a := parent.CreateElement("activity")
	a.CreateAttr("id", id)
	a.CreateAttr("type", typ)
	return a
}

// langText adds an element holding text in a language.
func langText(parent *etree.Element, tag, lang, text string) *etree.Element {
	el := parent.CreateElement(tag)
	el.CreateAttr("lang", lang)
	el.SetText(text)
	return el
}

// questionActivities lists a module's questions, then its reflections, as
// cmi.interaction activities named and described by their prompts, as the
// player's statements define them. A question has its interaction type,
// its correct responses in the SCORM 2004 formats (choice "a[,]b",
// true-false "true" or "false", fill-in "{case_matters=false}answer") and
// the choices of a choice question; a reflection is a long-fill-in with no
// correct response (any answer is right).
func questionActivities(parent *etree.Element, c *course.Course, m *course.Module, l string) {
	for _, q := range m.Questions {
		a := activity(parent, QuestionIRI(c.ID, m.ID, q.ID), TypeInteraction)
		prompt := promptText(m, q.Prompt, q.ID)
		langText(a, "name", l, shorten(prompt, maxName))
		langText(a, "description", l, prompt)
		it := Interaction(q)
		a.CreateElement("interactionType").SetText(it.Type)
		if it.Correct != nil {
			list := a.CreateElement("correctResponsePatterns")
			for _, p := range it.Correct {
				list.CreateElement("correctResponsePattern").SetText(p)
			}
		}
		if it.Type == "choice" {
			choices := a.CreateElement("choices")
			for _, o := range q.Options {
				comp := choices.CreateElement("component")
				comp.CreateElement("id").SetText(o.ID)
				text := plainText(o.Text)
				if text == "" {
					text = o.ID
				}
				langText(comp, "description", l, text)
			}
		}
	}
	for _, r := range m.Reflections {
		a := activity(parent, QuestionIRI(c.ID, m.ID, r.ID), TypeInteraction)
		prompt := promptText(m, r.Prompt, r.ID)
		langText(a, "name", l, shorten(prompt, maxName))
		langText(a, "description", l, prompt)
		a.CreateElement("interactionType").SetText("long-fill-in")
	}
}

// promptText is a prompt as one line of text, or "<module>: <id>" when it
// has no text.
func promptText(m *course.Module, prompt template.HTML, id string) string {
	if text := plainText(prompt); text != "" {
		return text
	}
	return m.Title + ": " + id
}

// InteractionDef is a question's xAPI interaction: its interactionType and
// its correctResponsesPattern, nil when any answer is right.
type InteractionDef struct {
	Type    string
	Correct []string
}

// Interaction maps a question to its xAPI interaction definition.
func Interaction(q *course.Question) InteractionDef {
	switch q.Type {
	case course.TextMatch:
		d := InteractionDef{Type: "fill-in"}
		for _, a := range q.Answers {
			d.Correct = append(d.Correct, "{case_matters=false}"+strings.TrimSpace(a))
		}
		return d
	case course.TrueFalse:
		d := InteractionDef{Type: "true-false"}
		// The first option ("t") states that the prompt is true; the one
		// marked right gives the answer.
		for _, o := range q.Options {
			if o.Correct {
				d.Correct = []string{strconv.FormatBool(o.ID == "t")}
			}
		}
		return d
	}
	d := InteractionDef{Type: "choice"}
	var right []string
	for _, o := range q.Options {
		if o.Correct {
			right = append(right, o.ID)
		}
	}
	if len(right) > 0 {
		d.Correct = []string{strings.Join(right, "[,]")}
	}
	return d
}
