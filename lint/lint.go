// Package lint has one job: to run the checks of `coursepack validate` that
// go beyond loading over a course the loader has accepted, and to return
// what they find, each problem with a severity and located at the line and
// column the author must change.
//
// The loader (package course) refuses what cannot be built. The rules here
// find what builds but fails learners: a module no learner can complete,
// pictures without alt text, headings that skip a level, pages with nothing
// on them, links to headings that do not exist, links to other hosts, and
// media too large for an LMS. They read only the model, including the facts
// the loader records for them (course.Page's Headings, Links, Images and
// Files), so they cost next to nothing.
package lint

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/coursepack/coursepack/course"
)

// Severity says how much a problem matters.
type Severity int

// The severities, least first.
const (
	// Info is worth knowing but needs no change; it never fails validate.
	Info Severity = iota
	// Warning should be fixed; validate --strict fails on it.
	Warning
	// Error must be fixed; validate fails on it.
	Error
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "info"
}

// The names of the rules, as Problem.Rule gives them.
const (
	RuleCompletion   = "completion"
	RuleAnswer       = "untypeable-answer"
	RuleAltText      = "alt-text"
	RuleHeadings     = "heading-levels"
	RuleEmptyPage    = "empty-page"
	RuleAnchor       = "broken-anchor"
	RuleModuleLink   = "module-link"
	RuleExternalLink = "external-link"
	RuleMediaSize    = "media-size"
	RuleTotalMedia   = "total-media-size"
)

// Problem is one finding: where, what, how much it matters and which rule
// found it.
type Problem struct {
	course.Error
	Severity Severity
	// Rule is one of the Rule constants (or "" for a problem that comes
	// from elsewhere, such as a load error).
	Rule string
}

// String formats the problem as file:line:col: severity: message.
func (p Problem) String() string {
	e := p.Error
	e.Msg = p.Severity.String() + ": " + e.Msg
	return e.Error()
}

// The default bounds on media, in bytes (a megabyte, MB, is 1,000,000
// bytes); docs/authoring.md gives the reasons.
const (
	// DefaultMaxMediaSize bounds one file of the course.
	DefaultMaxMediaSize = 50_000_000
	// DefaultMaxTotalMediaSize bounds the files of the course together.
	DefaultMaxTotalMediaSize = 100_000_000
)

// Options tune the rules. The zero Options are the defaults.
type Options struct {
	// Offline makes links to other hosts errors instead of infos, for a
	// course that must work without a network.
	Offline bool
	// MaxMediaSize is the size of one file above which it is reported, in
	// bytes; 0 means DefaultMaxMediaSize.
	MaxMediaSize int64
	// MaxTotalMediaSize is the size of all the course's files together
	// above which they are reported; 0 means DefaultMaxTotalMediaSize.
	MaxTotalMediaSize int64
	// WholeCourse is true for the layout with one launchable unit for the
	// whole course (build --sco course), whose completion follows the
	// course's rule and pass mark, not each module's.
	WholeCourse bool
	// UnitPerModule is true when each module is a launchable unit of its
	// own in an LMS (SCORM, xAPI or cmi5 with a unit per module), where a
	// link to another module leaves the LMS's navigation.
	UnitPerModule bool
}

// Check runs every rule over c and returns the problems, sorted by file,
// line and column (problems at one place in the order the rules found
// them).
func Check(c *course.Course, opts Options) []Problem {
	if opts.MaxMediaSize <= 0 {
		opts.MaxMediaSize = DefaultMaxMediaSize
	}
	if opts.MaxTotalMediaSize <= 0 {
		opts.MaxTotalMediaSize = DefaultMaxTotalMediaSize
	}
	var r report
	checkCompletion(&r, c, opts.WholeCourse)
	checkPages(&r, c, opts.Offline, opts.UnitPerModule)
	checkMedia(&r, c, opts.MaxMediaSize, opts.MaxTotalMediaSize)
	Sort(r.list)
	return r.list
}

// Sort sorts problems by file, line and column, keeping the order of
// problems at one place.
func Sort(list []Problem) {
	slices.SortStableFunc(list, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// report collects problems.
type report struct {
	list []Problem
}

func (r *report) add(at course.Pos, sev Severity, rule, format string, args ...any) {
	r.list = append(r.list, Problem{
		Error:    course.Error{File: at.File, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)},
		Severity: sev,
		Rule:     rule,
	})
}
