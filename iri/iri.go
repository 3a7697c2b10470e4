// Package iri derives the xAPI activity IRIs of a course from its IRI
// (course.yaml's id). It imports nothing of the project, so that both the
// package formats (xapi: tincan.xml, cmi5.xml) and the player's
// configuration (templates) use the same scheme.
//
// Child IRIs join the course IRI, less any trailing slash (written C), and
// a path:
//
//	C                     the course
//	C/<module>            a module
//	C/<module>/<id>       a question or reflection of that module (ids are
//	                      unique in a course across both)
//	C/<module>/_page/<p>  page <p> of that module (the object of the
//	                      player's "experienced" statements)
//	C/_all                the unit that holds every module
//	C/_split/<module>     the cmi5 course id of one module's package in a
//	                      split build
//
// Module, page, question and reflection ids start with a lowercase letter,
// so segments that start with an underscore never clash with them.
package iri

import "strings"

// Base is the course IRI without a trailing slash, the stem of every child
// IRI.
func Base(course string) string {
	return strings.TrimRight(course, "/")
}

// Module is the IRI of a module: C/<module>.
func Module(course, module string) string {
	return Base(course) + "/" + module
}

// Question is the IRI of a question (or a reflection) of a module:
// C/<module>/<id>.
func Question(course, module, id string) string {
	return Module(course, module) + "/" + id
}

// Page is the IRI of a page of a module: C/<module>/_page/<page>.
func Page(course, module, page string) string {
	return Module(course, module) + "/_page/" + page
}

// AllModules is the IRI of the unit that holds the whole course: C/_all.
func AllModules(course string) string {
	return Base(course) + "/_all"
}

// SplitCourse is the cmi5 course id of the package that holds one module in
// a split build: C/_split/<module>.
func SplitCourse(course, module string) string {
	return Base(course) + "/_split/" + module
}
