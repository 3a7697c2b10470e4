// Package coursepack compiles a course written as YAML and Markdown into
// e-learning packages that an LMS can host and track.
//
// Build loads and validates a course folder once, lets each requested format
// make its packages, and writes them all atomically: either every package of
// the build is written, or none is.
package coursepack

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/scorm"
	"github.com/coursepack/coursepack/templates"
	"github.com/coursepack/coursepack/web"
	"github.com/coursepack/coursepack/xapi"
)

// Formats lists every package format the tool offers, in the order the
// command line shows them.
func Formats() []format.Format {
	return []format.Format{
		scorm.V12{},
		scorm.V2004{},
		xapi.TinCan{},
		xapi.CMI5{},
		web.Format{},
	}
}

// Options are the inputs of one build.
type Options struct {
	// Dir is the course folder.
	Dir string
	// Formats names the formats to build; empty means every format.
	Formats []string
	// Layout maps modules to packages and launchable units.
	Layout format.Layout
	// Out is the folder the packages are written to; empty means "dist"
	// inside the course folder.
	Out string
	// Modified is the time stamped on every zip entry (from
	// SOURCE_DATE_EPOCH); zero means dist's fixed default.
	Modified time.Time
	// Strict turns warnings into errors: nothing is written when any
	// warning is found.
	Strict bool
	// Tool names the program and version for the build report, such as
	// "coursepack v1.2.0".
	Tool string
	// Progress, when set, hears what the build is doing, a short phrase at
	// a time ("loading the course", "building scorm12").
	Progress func(step string)

	// Brands are brand overlay files (see package brand): each a path, or
	// a glob such as "brands/*.yaml", relative to the working folder. With
	// any, Build builds every format once for each brand, with the brand's
	// overlay merged over course.yaml, and names each package
	// <course>-<brand>-<format>: see Result.Brands. Result.Course is then
	// the course as the first brand, by name, has it.
	Brands []string
	// KeepGoing, with Brands, writes the packages of the brands that build
	// when others fail; without it a failing brand stops them all.
	KeepGoing bool
	// overlay is the brand overlay of one brand of a build with Brands.
	overlay course.Overlay
}

func (o Options) progress(step string) {
	if o.Progress != nil {
		o.Progress(step)
	}
}

// Result says what a build wrote.
type Result struct {
	Course  *course.Course
	Written []dist.Written
	// Warnings are problems that do not stop a build, located like course
	// errors, sorted by file and line.
	Warnings course.Errors
	// Report is what the build wrote to build-report.json.
	Report Report
	// Brands says what a build with Options.Brands did for each brand, in
	// the order of the brands' names.
	Brands []BrandResult
}

// The files a build writes beside its packages.
const (
	// ChecksumsFile lists the SHA-256 digest of every zip of the build, in
	// the format sha256sum -c reads.
	ChecksumsFile = "checksums.txt"
	// ReportFile describes the build as JSON (see Report and docs/json.md).
	ReportFile = "build-report.json"
)

// Report describes a build: the course, the packages written with their
// sizes and digests, and the warnings. It is written as build-report.json
// and printed by build --json; its field names are stable.
type Report struct {
	Tool     string          `json:"tool,omitempty"`
	Course   ReportCourse    `json:"course"`
	Layout   string          `json:"layout"`
	Packages []ReportPackage `json:"packages"`
	Warnings []ReportProblem `json:"warnings"`
	// Brands are the brands of a build with brand overlays, by name.
	Brands []ReportBrand `json:"brands,omitempty"`
}

// ReportCourse identifies the course built.
type ReportCourse struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Version  string `json:"version"`
	Language string `json:"language"`
}

// ReportPackage is one zip or folder written.
type ReportPackage struct {
	// File is the package's name in the output folder.
	File   string `json:"file"`
	Format string `json:"format"`
	// Folder is true for a folder (the web build), which has no digest.
	Folder bool   `json:"folder,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	// Brand names the package's brand in a build with brand overlays.
	Brand string `json:"brand,omitempty"`
}

// ReportProblem is a warning, located in the course folder.
type ReportProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	// Brand names the brand whose build found the problem, in a build
	// with brand overlays.
	Brand string `json:"brand,omitempty"`
}

// UsageError reports options that cannot be used together or name something
// that does not exist; the command line maps it to exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Build loads the course in opts.Dir, builds every requested format and
// writes the packages. Course problems come back as course.Errors. With
// opts.Brands, a brand that fails gives a *BrandsError together with the
// Result, whose Brands say what each brand did.
func Build(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Brands) > 0 {
		return buildBrands(ctx, opts)
	}
	opts.progress("loading the course")
	c, formats, warnings, err := check(opts)
	if err != nil {
		return nil, err
	}
	if opts.Strict && len(warnings) > 0 {
		return nil, warnings
	}
	pkgs, formatOf, err := buildFormats(ctx, opts, c, formats)
	if err != nil {
		return nil, err
	}
	out := opts.outDir()
	opts.progress(fmt.Sprintf("writing %d %s", len(pkgs), plural(len(pkgs), "package", "packages")))
	written, err := dist.WriteAll(out, pkgs, dist.ZipOptions{Modified: opts.Modified})
	if err != nil {
		return nil, err
	}
	res := &Result{Course: c, Written: written, Warnings: warnings}
	res.Report = newReport(opts, c, pkgs, formatOf, written, warnings)
	if err := writeSidecars(out, written, res.Report); err != nil {
		return nil, err
	}
	return res, nil
}

// renderAtWrite has the pages rendered as the packages are written, so that
// a build never holds every rendered page at once; tests turn it off to
// compare.
var renderAtWrite = true

// buildFormats builds the packages of every format for course c, and names
// the format of each.
func buildFormats(ctx context.Context, opts Options, c *course.Course, formats []format.Format) ([]*dist.Package, []string, error) {
	var pkgs []*dist.Package
	var formatOf []string
	for _, f := range formats {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		opts.progress("building " + f.Name())
		built, err := f.Build(c, format.Options{Layout: opts.Layout, RenderAtWrite: renderAtWrite})
		if err != nil {
			return nil, nil, fmt.Errorf("building %s: %w", f.Name(), err)
		}
		pkgs = append(pkgs, built...)
		for range built {
			formatOf = append(formatOf, f.Name())
		}
	}
	return pkgs, formatOf, nil
}

// outDir is the folder the packages are written to.
func (o Options) outDir() string {
	if o.Out == "" {
		return filepath.Join(o.Dir, "dist")
	}
	return o.Out
}

// writeSidecars writes checksums.txt and build-report.json beside the
// packages written.
func writeSidecars(out string, written []dist.Written, r Report) error {
	report, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := dist.WriteFile(filepath.Join(out, ChecksumsFile), dist.Checksums(written)); err != nil {
		return fmt.Errorf("the packages are written, but not %s: %w", ChecksumsFile, err)
	}
	if err := dist.WriteFile(filepath.Join(out, ReportFile), append(report, '\n')); err != nil {
		return fmt.Errorf("the packages are written, but not %s: %w", ReportFile, err)
	}
	return nil
}

func newReport(opts Options, c *course.Course, pkgs []*dist.Package, formatOf []string, written []dist.Written, warnings course.Errors) Report {
	layout := opts.Layout
	if layout == "" {
		layout = format.LayoutModule
	}
	r := Report{
		Tool:     opts.Tool,
		Course:   ReportCourse{ID: c.ID, Title: c.Title, Version: c.Version, Language: c.Language},
		Layout:   string(layout),
		Packages: []ReportPackage{},
		Warnings: []ReportProblem{},
	}
	for i, w := range written {
		r.Packages = append(r.Packages, ReportPackage{File: filepath.Base(w.Path), Format: formatOf[i], Folder: pkgs[i].Folder, Size: w.Size, SHA256: w.SHA256})
	}
	for _, w := range warnings {
		r.Warnings = append(r.Warnings, ReportProblem{File: w.File, Line: w.Line, Col: w.Col, Message: w.Msg})
	}
	return r
}

// stateWarnings flags every launchable unit whose learner state can, in the
// worst case, outgrow what a format's runtime stores (SCORM 1.2 keeps 4,096
// characters of suspend_data). A learner who writes that much keeps the
// full text in the browser and is told; the LMS gets a shortened copy.
func stateWarnings(c *course.Course, formats []format.Format, layout format.Layout) (course.Errors, error) {
	var warnings course.Errors
	seen := map[string]bool{}
	for _, f := range formats {
		plans, err := bundle.Plans(c, layout)
		if err != nil {
			return nil, err
		}
		for _, plan := range plans {
			for _, u := range plan.Units {
				worst, limit := templates.StateBudget(u.Modules, f.Runtime())
				if limit == 0 || worst <= limit {
					continue
				}
				file := course.CourseFile
				if len(u.Modules) == 1 {
					file = u.Modules[0].Source
				}
				msg := fmt.Sprintf("%s: the learner state of %s can reach %d characters, over the %d the format stores "+
					"(longer answers reach the LMS shortened; the learner keeps the full text); cap reflections with max= to fit",
					f.Name(), unitName(u), worst, limit)
				if !seen[file+msg] {
					seen[file+msg] = true
					warnings = append(warnings, course.Error{File: file, Line: 1, Msg: msg})
				}
			}
		}
	}
	return warnings, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func unitName(u bundle.Unit) string {
	if u.ID == bundle.CourseUnitID {
		return "the course"
	}
	return fmt.Sprintf("module %q", u.ID)
}

// Check loads and checks the course in opts.Dir as Build would, without
// building anything: course problems come back as course.Errors, and the
// warnings a build of opts.Formats would print come back with the course.
func Check(opts Options) (*course.Course, course.Errors, error) {
	c, _, warnings, err := check(opts)
	return c, warnings, err
}

func check(opts Options) (*course.Course, []format.Format, course.Errors, error) {
	formats, err := selectFormats(opts.Formats)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := course.LoadWith(opts.Dir, course.LoadOptions{Overlay: opts.overlay})
	if err != nil {
		return nil, nil, nil, err
	}
	// The course's template overrides, if any, must read and render.
	player, err := templates.ForCourse(c)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := player.Check(c); err != nil {
		return nil, nil, nil, err
	}
	warnings, err := stateWarnings(c, formats, opts.Layout)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, formats, warnings, nil
}

// selectFormats resolves format names, keeping the order of Formats and
// dropping repeats.
func selectFormats(names []string) ([]format.Format, error) {
	all := Formats()
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var chosen []format.Format
	for _, f := range all {
		if want[f.Name()] {
			chosen = append(chosen, f)
			delete(want, f.Name())
		}
	}
	for _, n := range names {
		if want[n] {
			return nil, &UsageError{Msg: fmt.Sprintf("unknown format %q (choose from %s)", n, strings.Join(FormatNames(), ", "))}
		}
	}
	return chosen, nil
}

// FormatNames lists the names of Formats.
func FormatNames() []string {
	var names []string
	for _, f := range Formats() {
		names = append(names, f.Name())
	}
	return names
}
