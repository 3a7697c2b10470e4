package coursepack

import (
	"cmp"
	"errors"
	"slices"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/lint"
)

// Validate checks the course in opts.Dir as Check does and, when it loads,
// runs the rules of package lint over it (with lo; the layout of opts
// decides lo.WholeCourse). It returns every problem with its severity:
// course problems that stop the course loading as errors, the warnings of
// Check as warnings, and lint's as lint rates them. The list holds errors
// first, then warnings, then infos, each sorted by file, line and column.
// Failures other than course problems (an unreadable folder, an unknown
// format) come back as err.
func Validate(opts Options, lo lint.Options) ([]lint.Problem, error) {
	c, warnings, err := Check(opts)
	var errs course.Errors
	if err != nil && !errors.As(err, &errs) {
		return nil, err
	}
	var list []lint.Problem
	for _, e := range errs {
		list = append(list, lint.Problem{Error: e, Severity: lint.Error})
	}
	for _, w := range warnings {
		list = append(list, lint.Problem{Error: w, Severity: lint.Warning})
	}
	if c != nil {
		lo.WholeCourse = opts.Layout == format.LayoutCourse
		list = append(list, lint.Check(c, lo)...)
	}
	lint.Sort(list)
	slices.SortStableFunc(list, func(a, b lint.Problem) int { return cmp.Compare(b.Severity, a.Severity) })
	return list, nil
}
