package coursepack

import (
	"cmp"
	"errors"
	"slices"

	"github.com/coursepack/coursepack/brand"
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
		lo.UnitPerModule = !lo.WholeCourse && checksLMSFormat(opts.Formats)
		list = append(list, lint.Check(c, lo)...)
	}
	lint.Sort(list)
	slices.SortStableFunc(list, func(a, b lint.Problem) int { return cmp.Compare(b.Severity, a.Severity) })
	return list, nil
}

// BrandProblems are the problems Validate found in the course as one brand
// has it.
type BrandProblems struct {
	// Name is the brand's name; File its overlay file, as opts.Brands
	// named it or its glob found it.
	Name, File string
	Problems   []lint.Problem
}

// ValidateBrands validates the course in opts.Dir once for each brand of
// opts.Brands (files or globs, see BrandFiles), with the brand's overlay
// merged over course.yaml, as a build with those brands would load it. The
// brands come back sorted by name; problems in an overlay itself come back
// as errors of its brand. Brands whose files cannot be found are a
// UsageError.
func ValidateBrands(opts Options, lo lint.Options) ([]BrandProblems, error) {
	files, err := BrandFiles(opts.Brands)
	if err != nil {
		return nil, err
	}
	out := make([]BrandProblems, 0, len(files))
	for _, file := range files {
		overlay, err := brand.Read(file, opts.Dir)
		var errs course.Errors
		if err != nil && !errors.As(err, &errs) {
			return nil, err
		}
		b := BrandProblems{Name: overlay.Name, File: file}
		if len(errs) > 0 {
			for _, e := range errs {
				b.Problems = append(b.Problems, lint.Problem{Error: e, Severity: lint.Error})
			}
		} else {
			o := opts
			o.Brands, o.overlay = nil, overlay
			if b.Problems, err = Validate(o, lo); err != nil {
				return nil, err
			}
		}
		out = append(out, b)
	}
	slices.SortStableFunc(out, func(a, b BrandProblems) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

// checksLMSFormat reports whether names (none: every format) include a
// format an LMS launches, rather than only the plain web build.
func checksLMSFormat(names []string) bool {
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if n != "html" {
			return true
		}
	}
	return false
}
