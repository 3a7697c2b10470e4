package coursepack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/coursepack/coursepack/brand"
	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
)

// This file is the build with brand overlays (Options.Brands): one course,
// built once per brand with the brand's overlay merged over course.yaml,
// every brand's packages written together.

// BrandResult is what a build with brand overlays did for one brand.
type BrandResult struct {
	// Name is the brand's name, as package names carry it.
	Name         string
	Organisation string
	// File is the overlay file as Options.Brands gave it (or as its glob
	// found it).
	File string
	// Course is the course with the overlay merged in; nil when the
	// brand's course or overlay has problems.
	Course *course.Course
	// Written are the brand's packages, once written.
	Written  []dist.Written
	Warnings course.Errors
	// Err is why the brand was not built: course.Errors for problems in the
	// course or its overlay (file names relative to the course folder), or
	// another error. It is nil for a brand that built.
	Err error
}

// BrandsError says that brands of a build failed; the Result's Brands say
// why.
type BrandsError struct {
	Failed, Total int
	// Wrote is true when the packages of the other brands were written
	// (Options.KeepGoing).
	Wrote bool
}

func (e *BrandsError) Error() string {
	what := fmt.Sprintf("%d of %d brands failed", e.Failed, e.Total)
	if e.Total == 1 {
		what = "the brand failed"
	}
	if e.Wrote {
		return what + "; the packages of the others were written"
	}
	return what + "; nothing was written"
}

// BrandFiles expands brand overlay arguments: each is a file, or a glob
// such as "brands/*.yaml" (with *, ? or [ ]) naming every file it matches.
// The files come back sorted, each once. A file that does not exist, or a
// glob that matches no file, is a UsageError.
func BrandFiles(patterns []string) ([]string, error) {
	seen := map[string]bool{}
	var files []string
	for _, p := range patterns {
		if !strings.ContainsAny(p, "*?[") {
			info, err := os.Stat(p)
			if err != nil {
				return nil, &UsageError{Msg: fmt.Sprintf("--brand %s: no such file", p)}
			}
			if info.IsDir() {
				return nil, &UsageError{Msg: fmt.Sprintf("--brand %s is a folder; name its overlay files, such as %q", p, filepath.Join(p, "*.yaml"))}
			}
			if !seen[filepath.Clean(p)] {
				seen[filepath.Clean(p)] = true
				files = append(files, p)
			}
			continue
		}
		matches, err := filepath.Glob(p)
		if err != nil {
			return nil, &UsageError{Msg: fmt.Sprintf("--brand %q: %v", p, err)}
		}
		n := 0
		for _, m := range matches {
			if info, err := os.Stat(m); err != nil || info.IsDir() {
				continue
			}
			n++
			if !seen[filepath.Clean(m)] {
				seen[filepath.Clean(m)] = true
				files = append(files, m)
			}
		}
		if n == 0 {
			return nil, &UsageError{Msg: fmt.Sprintf("--brand %q matches no file", p)}
		}
	}
	sort.Strings(files)
	return files, nil
}

// brandBuild is the work of one brand.
type brandBuild struct {
	res      BrandResult
	overlay  *brand.Overlay
	pkgs     []*dist.Package
	formatOf []string
}

// buildBrands builds every format for every brand of opts.Brands, the
// brands at once (as many as GOMAXPROCS), and writes all their packages
// together: all or nothing, unless opts.KeepGoing, when the packages of the
// brands that built are written. The output does not depend on the order
// in which the brands finish.
func buildBrands(ctx context.Context, opts Options) (*Result, error) {
	// An unknown format is a usage error before any brand is read.
	if _, err := selectFormats(opts.Formats); err != nil {
		return nil, err
	}
	files, err := BrandFiles(opts.Brands)
	if err != nil {
		return nil, err
	}
	// A course folder that is not one fails every brand alike: say it once.
	if info, err := os.Stat(opts.Dir); err != nil {
		return nil, fmt.Errorf("course: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("course: %s is not a folder", opts.Dir)
	}
	opts.progress(fmt.Sprintf("reading %d brand %s", len(files), plural(len(files), "overlay", "overlays")))
	builds := make([]*brandBuild, len(files))
	for i, file := range files {
		b := &brandBuild{res: BrandResult{File: file}}
		b.overlay, err = brand.Read(file, opts.Dir)
		var problems course.Errors
		switch {
		case errors.As(err, &problems):
			b.res.Err = problems
		case err != nil:
			return nil, err
		}
		if b.overlay != nil {
			b.res.Name, b.res.Organisation = b.overlay.Name, b.overlay.Organisation
		}
		builds[i] = b
	}
	sort.SliceStable(builds, func(i, j int) bool { return builds[i].res.Name < builds[j].res.Name })
	for i := 1; i < len(builds); i++ {
		if a, b := builds[i-1], builds[i]; a.res.Name == b.res.Name {
			return nil, &UsageError{Msg: fmt.Sprintf("the brands of %s and %s are both named %q, and their packages would have the same names; give each its own brand.name",
				a.res.File, b.res.File, a.res.Name)}
		}
	}

	// Progress is called from every brand's goroutine.
	var progressMu sync.Mutex
	brandOpts := opts
	brandOpts.Progress = nil
	var wg sync.WaitGroup
	work := make(chan *brandBuild)
	for range min(runtime.GOMAXPROCS(0), len(builds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				if opts.Progress != nil {
					progressMu.Lock()
					opts.Progress("building brand " + b.res.Name)
					progressMu.Unlock()
				}
				o := brandOpts
				o.overlay = b.overlay
				b.build(ctx, o)
			}
		}()
	}
	for _, b := range builds {
		if b.res.Err == nil {
			work <- b
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res := &Result{}
	failed := 0
	var pkgs []*dist.Package
	var ok []*brandBuild
	for _, b := range builds {
		if b.res.Err != nil {
			failed++
			continue
		}
		ok = append(ok, b)
		pkgs = append(pkgs, b.pkgs...)
		if res.Course == nil {
			res.Course = b.res.Course
		}
	}
	var brandsErr *BrandsError
	if failed > 0 {
		brandsErr = &BrandsError{Failed: failed, Total: len(builds)}
	}
	if failed == 0 || (opts.KeepGoing && len(pkgs) > 0) {
		out := opts.outDir()
		opts.progress(fmt.Sprintf("writing %d %s", len(pkgs), plural(len(pkgs), "package", "packages")))
		written, err := dist.WriteAll(out, pkgs, dist.ZipOptions{Modified: opts.Modified})
		if err != nil {
			return nil, err
		}
		res.Written = written
		for _, b := range ok {
			b.res.Written, written = written[:len(b.pkgs)], written[len(b.pkgs):]
		}
		if brandsErr != nil {
			brandsErr.Wrote = true
		}
	}
	for _, b := range builds {
		res.Brands = append(res.Brands, b.res)
		for _, w := range b.res.Warnings {
			w.Msg = b.res.Name + ": " + w.Msg
			res.Warnings = append(res.Warnings, w)
		}
	}
	res.Report = brandsReport(opts, builds)
	if res.Written != nil {
		if err := writeSidecars(opts.outDir(), res.Written, res.Report); err != nil {
			return nil, err
		}
	}
	if brandsErr != nil {
		return res, brandsErr
	}
	return res, nil
}

// build loads and builds one brand, recording in b what went wrong.
func (b *brandBuild) build(ctx context.Context, opts Options) {
	c, formats, warnings, err := check(opts)
	b.res.Warnings = warnings
	switch {
	case err != nil:
		b.res.Err = err
		return
	case opts.Strict && len(warnings) > 0:
		b.res.Err = warnings
		return
	}
	b.res.Course = c
	b.pkgs, b.formatOf, err = buildFormats(ctx, opts, c, formats)
	if err != nil {
		b.res.Err = err
		return
	}
	// Every format names its packages <slug>-<format>...: the brand goes
	// after the slug.
	prefix := bundle.Slug(c) + "-"
	for _, p := range b.pkgs {
		if !strings.HasPrefix(p.Name, prefix) {
			b.res.Err = fmt.Errorf("package %q does not start with the course's name %q, so the brand cannot be added to it", p.Name, strings.TrimSuffix(prefix, "-"))
			return
		}
		p.Name = prefix + b.res.Name + "-" + p.Name[len(prefix):]
	}
}

// brandsReport describes a build with brand overlays: the course (as the
// first brand that built has it), every brand with its problems, and every
// package written with its brand.
func brandsReport(opts Options, builds []*brandBuild) Report {
	layout := opts.Layout
	if layout == "" {
		layout = format.LayoutModule
	}
	r := Report{Tool: opts.Tool, Layout: string(layout), Packages: []ReportPackage{}, Warnings: []ReportProblem{}}
	for _, b := range builds {
		if c := b.res.Course; c != nil {
			r.Course = ReportCourse{ID: c.ID, Title: c.Title, Version: c.Version, Language: c.Language}
			break
		}
	}
	for _, b := range builds {
		rb := ReportBrand{Name: b.res.Name, Organisation: b.res.Organisation, File: course.RelativeFile(opts.Dir, b.res.File), Errors: []ReportProblem{}}
		if b.res.Course != nil {
			rb.Title = b.res.Course.Title
		}
		for i, w := range b.res.Written {
			r.Packages = append(r.Packages, ReportPackage{
				File: filepath.Base(w.Path), Format: b.formatOf[i], Folder: b.pkgs[i].Folder,
				Size: w.Size, SHA256: w.SHA256, Brand: b.res.Name,
			})
		}
		rb.Packages = len(b.res.Written)
		for _, w := range b.res.Warnings {
			r.Warnings = append(r.Warnings, ReportProblem{File: w.File, Line: w.Line, Col: w.Col, Message: w.Msg, Brand: b.res.Name})
		}
		var problems course.Errors
		switch {
		case errors.As(b.res.Err, &problems):
			for _, p := range problems {
				rb.Errors = append(rb.Errors, ReportProblem{File: p.File, Line: p.Line, Col: p.Col, Message: p.Msg})
			}
		case b.res.Err != nil:
			rb.Errors = append(rb.Errors, ReportProblem{Message: b.res.Err.Error()})
		}
		r.Brands = append(r.Brands, rb)
	}
	return r
}

// ReportBrand is one brand of a build with brand overlays.
type ReportBrand struct {
	// Name is the brand's name, as package names carry it.
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	// File is the brand's overlay file, relative to the course folder with
	// forward slashes, as problems name it.
	File string `json:"file"`
	// Title is the course's title for the brand; "" when it did not load.
	Title string `json:"title"`
	// Packages counts the brand's packages written.
	Packages int `json:"packages"`
	// Errors are why the brand was not built; empty when it was.
	Errors []ReportProblem `json:"errors"`
}

// CheckBrand is Check with the brand overlay in file merged over
// course.yaml, as a build with that one brand loads the course. Problems
// in the overlay itself come back as course.Errors, like the course's.
func CheckBrand(opts Options, file string) (*course.Course, course.Errors, error) {
	overlay, err := brand.Read(file, opts.Dir)
	if err != nil {
		return nil, nil, err
	}
	opts.Brands, opts.overlay = nil, overlay
	return Check(opts)
}
