// Package xapi builds xAPI (Tin Can) and cmi5 packages: the tincan.xml or
// cmi5.xml of each package, written with etree to their schemas, and the
// activity IRIs that the player's xAPI and cmi5 runtimes report against.
//
// # Activity IRIs
//
// Every IRI is derived from the course IRI (course.yaml's id), so that a new
// version of a course keeps the records of the old one. Child IRIs join the
// course IRI, less any trailing slash (written C below), and a path:
//
//	C                 the course (the course activity; the cmi5 course id of a
//	                  whole-course package)
//	C/<module>        a module (its Tin Can activity and its cmi5 AU id)
//	C/<module>/<id>   a question or reflection of that module (a
//	                  cmi.interaction activity; ids are unique in a course
//	                  across both)
//	C/_all            the unit that holds every module (the cmi5 AU id of the
//	                  course layout)
//	C/_split/<module> the cmi5 course id of the package of one module in a
//	                  split build
//
// Module, question and reflection ids start with a lowercase letter, so the
// segments that start with an underscore never clash with them. Like a
// SCORM identifier, changing a module, question or reflection id starts its
// records afresh. The scheme
// lives in package iri, which the player's configuration uses too.
package xapi

import (
	"html"
	"html/template"
	"regexp"
	"strings"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/iri"
)

// The activity types of the xAPI SCORM profile that the packages use.
const (
	TypeCourse      = "http://adlnet.gov/expapi/activities/course"
	TypeModule      = "http://adlnet.gov/expapi/activities/module"
	TypeInteraction = "http://adlnet.gov/expapi/activities/cmi.interaction"
)

// ModuleIRI is the activity IRI of a module: C/<module>.
func ModuleIRI(courseIRI, moduleID string) string {
	return iri.Module(courseIRI, moduleID)
}

// QuestionIRI is the activity IRI of a question: C/<module>/<question>.
func QuestionIRI(courseIRI, moduleID, questionID string) string {
	return iri.Question(courseIRI, moduleID, questionID)
}

// AllModulesIRI is the IRI of the unit that holds the whole course: C/_all.
func AllModulesIRI(courseIRI string) string {
	return iri.AllModules(courseIRI)
}

// SplitCourseIRI is the cmi5 course id of the package that holds one module
// in a split build: C/_split/<module>.
func SplitCourseIRI(courseIRI, moduleID string) string {
	return iri.SplitCourse(courseIRI, moduleID)
}

// unitIRI is the IRI of a launchable unit: its module's, or C/_all for a
// whole-course unit.
func unitIRI(c *course.Course, u bundle.Unit) string {
	if u.ID == bundle.CourseUnitID {
		return AllModulesIRI(c.ID)
	}
	return ModuleIRI(c.ID, u.ID)
}

// lang is the language tag of every language map and langstring: the
// course's, or "und" (undetermined) when it has none, since an empty lang
// is not an xs:language.
func lang(c *course.Course) string {
	if strings.TrimSpace(c.Language) == "" {
		return "und"
	}
	return c.Language
}

// courseDescription is the course's description, or its title when it has
// none: both formats require a description.
func courseDescription(c *course.Course) string {
	if d := strings.TrimSpace(c.Description); d != "" {
		return d
	}
	return c.Title
}

// moduleDescription describes a module by its objectives, or as
// "<course>: <module>" when it has none.
func moduleDescription(c *course.Course, m *course.Module) string {
	var objectives []string
	for _, o := range m.Objectives {
		if o = strings.TrimSpace(o); o != "" {
			objectives = append(objectives, o)
		}
	}
	if len(objectives) > 0 {
		return strings.Join(objectives, "; ")
	}
	return c.Title + ": " + m.Title
}

// splitTitle is the title of one package of a split build.
func splitTitle(c *course.Course, m *course.Module) string {
	return c.Title + ": " + m.Title
}

var (
	tags       = regexp.MustCompile(`<[^>]*>`)
	blockClose = regexp.MustCompile(`(?i)</(p|li|div|h[1-6])>|<br\s*/?>`)
)

// plainText turns rendered HTML into one line of text: tags dropped
// (block ends become spaces), entities decoded, white space collapsed.
func plainText(h template.HTML) string {
	s := blockClose.ReplaceAllString(string(h), " ")
	s = html.UnescapeString(tags.ReplaceAllString(s, ""))
	return strings.Join(strings.Fields(s), " ")
}

// shorten cuts s to at most n characters, ending in an ellipsis when cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// newDocument starts an XML file with its declaration.
func newDocument() *etree.Document {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	return doc
}
