package xapi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
)

// nsCMI5 is the namespace of the cmi5 (Quartz) course structure. The older
// Sandstone namespace (http://www.adlnet.gov/cmi5/CourseStructure.xsd)
// fails schema validation in LMSs.
const nsCMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

// The moveOn values of an AU: what the learner must do for the LMS to count
// the AU as satisfied.
const (
	MoveOnCompleted          = "Completed"
	MoveOnPassed             = "Passed"
	MoveOnCompletedAndPassed = "CompletedAndPassed"
)

// CMI5 is the cmi5 format: a package with a cmi5.xml course structure. cmi5
// LMSs launch and sequence several AUs, so each layout maps as for SCORM:
// one AU per module (module layout), one AU for the whole course (course
// layout, AU id C/_all) or one package per module (split layout, course id
// C/_split/<module>, so that each package is a course of its own).
type CMI5 struct{}

var _ format.Format = CMI5{}

// Name is "cmi5".
func (CMI5) Name() string { return "cmi5" }

// Runtime is the player's cmi5 adapter.
func (CMI5) Runtime() string { return "cmi5" }

// Description says what the format is for.
func (CMI5) Description() string {
	return "cmi5 package with cmi5.xml, for LMSs with cmi5 support and an LRS"
}

// Build makes one cmi5 package per plan of the layout.
func (f CMI5) Build(c *course.Course, opts format.Options) ([]*dist.Package, error) {
	plans, err := bundle.Plans(c, opts.Layout)
	if err != nil {
		return nil, err
	}
	return bundle.Packages(c, plans, f, opts, func(plan bundle.Plan, _ bundle.Contents) (string, *etree.Document, error) {
		doc, err := CourseStructure(c, plan)
		return "cmi5.xml", doc, err
	})
}

// CourseStructure writes the cmi5.xml of one package: the course (its IRI,
// title and description) and one AU per unit, with children in the order
// of the schema (title, description, url). An AU has a masteryScore only
// when its moveOn needs a pass.
func CourseStructure(c *course.Course, plan bundle.Plan) (*etree.Document, error) {
	if len(plan.Units) == 0 {
		return nil, errors.New("xapi: a cmi5 course structure needs at least one AU")
	}
	doc := newDocument()
	root := doc.CreateElement("courseStructure")
	root.CreateAttr("xmlns", nsCMI5)
	l := lang(c)

	id, title, description := c.ID, c.Title, courseDescription(c)
	if plan.Suffix != "" {
		if len(plan.Units) != 1 || len(plan.Units[0].Modules) != 1 {
			return nil, fmt.Errorf("xapi: the package %q of a split build holds one module", plan.Suffix)
		}
		m := plan.Units[0].Modules[0]
		id, title = SplitCourseIRI(c.ID, m.ID), splitTitle(c, m)
		if strings.TrimSpace(c.Description) == "" {
			description = title
		}
	}
	crs := root.CreateElement("course")
	crs.CreateAttr("id", id)
	langStrings(crs.CreateElement("title"), l, title)
	langStrings(crs.CreateElement("description"), l, description)

	for _, u := range plan.Units {
		au := root.CreateElement("au")
		au.CreateAttr("id", unitIRI(c, u))
		moveOn := MoveOn(c, u)
		au.CreateAttr("moveOn", moveOn)
		if moveOn != MoveOnCompleted {
			au.CreateAttr("masteryScore", MasteryScore(*u.MasteryScore))
		}
		au.CreateAttr("launchMethod", "AnyWindow")
		desc := courseDescription(c)
		if u.ID != bundle.CourseUnitID && len(u.Modules) == 1 {
			desc = moduleDescription(c, u.Modules[0])
		}
		langStrings(au.CreateElement("title"), l, u.Title)
		langStrings(au.CreateElement("description"), l, desc)
		au.CreateElement("url").SetText(u.Href)
	}
	return doc, nil
}

// langStrings fills a cmi5 text element with one langstring.
func langStrings(parent *etree.Element, lang, text string) {
	ls := parent.CreateElement("langstring")
	ls.CreateAttr("lang", lang)
	ls.SetText(text)
}

// MoveOn maps a unit's completion rule to the AU's moveOn: pages →
// Completed, passed → Passed, pages-and-passed → CompletedAndPassed. A rule
// that needs a pass gives Completed when no pass mark applies to the unit
// (no questions, or no mastery score), since the player then reports the
// unit completed, never passed. A whole-course unit follows the course's
// rule and is passed only against the course's own mastery score (the
// player judges the whole course by it, not by a module's), a module unit
// follows its module's rule and mastery score.
func MoveOn(c *course.Course, u bundle.Unit) string {
	rule := c.Completion
	if u.ID != bundle.CourseUnitID && len(u.Modules) == 1 && u.Modules[0].Completion != "" {
		rule = u.Modules[0].Completion
	}
	if u.MasteryScore == nil || (u.ID == bundle.CourseUnitID && c.MasteryScore == nil) {
		return MoveOnCompleted
	}
	switch rule {
	case course.CompletionPassed:
		return MoveOnPassed
	case course.CompletionPagesAndPassed:
		return MoveOnCompletedAndPassed
	}
	return MoveOnCompleted
}

// MasteryScore writes a pass mark in percent as the decimal fraction cmi5
// wants (0 to 1, at most four places): 80 gives "0.8", 5 gives "0.05".
func MasteryScore(percent int) string {
	switch {
	case percent <= 0:
		return "0"
	case percent >= 100:
		return "1"
	}
	return strings.TrimRight(fmt.Sprintf("0.%02d", percent), "0")
}
