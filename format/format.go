// Package format names what a package format is. It is a leaf package, so
// that the format implementations (scorm, xapi, ...) import nothing of each
// other.
package format

import (
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
)

// Layout says how a course's modules map to packages and launchable units.
type Layout string

// The layouts a format may offer.
const (
	// LayoutModule: one package, one launchable unit (SCO, AU) per module.
	LayoutModule Layout = "module"
	// LayoutCourse: one package, one launchable unit for the whole course,
	// with the player's own navigation between modules.
	LayoutCourse Layout = "course"
	// LayoutSplit: one package per module.
	LayoutSplit Layout = "split"
)

// Options are the choices a build passes to every format.
type Options struct {
	Layout Layout
	// RenderAtWrite has the units' pages rendered as the packages are
	// written (dist.File.Render) instead of held in memory, rendered, until
	// then: for a build that writes its packages with dist.WriteAll. The
	// files are the same; only their Data is nil.
	RenderAtWrite bool
}

// Format builds packages of one kind from a loaded course.
type Format interface {
	// Name is the format's name on the command line, such as "scorm12".
	Name() string
	// Description is a one-line summary for help text.
	Description() string
	// Runtime names the player's tracking adapter the format's pages use:
	// "scorm12", "scorm2004", "xapi", "cmi5" or "web".
	Runtime() string
	// Build makes the format's packages. It does not write them.
	Build(c *course.Course, opts Options) ([]*dist.Package, error)
}
