package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/bytesize"
)

type buildOptions struct {
	formats []string
	out     string
	sco     string
	split   bool
	strict  bool
	json    bool
	// brands are the --brand overlay files or globs; keepGoing is
	// --keep-going (see brand.go).
	brands    []string
	keepGoing bool
}

func newBuildCommand(getenv func(string) string) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "build [DIR]",
		Short: "Build a course folder into packages",
		Long: `Build loads and checks the course in DIR (the current folder by default) and
writes one package per format into DIR/dist/, or into --out.

Every problem in the course is reported at once, as file:line:col, and
nothing is written unless the whole build succeeds. Beside the packages go
checksums.txt (SHA-256 of each zip, for sha256sum -c) and build-report.json.

With --brand, a brand overlay (see docs/authoring.md) is merged over
course.yaml and every format is built for the brand, as
<course>-<brand>-<format>.zip. A quoted glob builds every brand it matches
in one run, brands at once, with one summary at the end. Nothing is written
when a brand fails, unless --keep-going.

Formats: ` + strings.Join(coursepack.FormatNames(), ", ") + `.
Set SOURCE_DATE_EPOCH to stamp zip entries with that time instead of the
fixed default.`,
		Example: `  coursepack build examples/stepping-into-leadership
  coursepack build --format scorm12 --out build/ my-course
  coursepack build --sco course my-course      # one SCO for the whole course
  coursepack build --split my-course           # one package per module
  coursepack build --brand 'my-course/brands/*.yaml' my-course   # every brand`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := "."
			if len(a) == 1 {
				dir = a[0]
			}
			opts, err := o.toOptions(dir, getenv)
			if err != nil {
				return err
			}
			if isTerminal(cmd.ErrOrStderr()) {
				opts.Progress = func(step string) { fmt.Fprintf(cmd.ErrOrStderr(), "%s…\n", step) }
			}
			tuneMemory(dir, getenv)
			if len(opts.Brands) > 0 {
				return buildBrands(cmd, dir, opts, o.json)
			}
			res, err := coursepack.Build(cmd.Context(), opts)
			if err != nil {
				return located(dir, err)
			}
			if o.json {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res.Report)
			}
			printProblems(cmd.ErrOrStderr(), dir, res.Warnings, "warning")
			printWritten(cmd, res.Written)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVarP(&o.formats, "format", "f", nil, "format to build, repeatable or comma-separated ("+strings.Join(coursepack.FormatNames(), ", ")+"; default all)")
	f.StringVarP(&o.out, "out", "o", "", "folder to write packages to (default DIR/dist)")
	f.StringVar(&o.sco, "sco", "module", `launchable units: "module" (one per module) or "course" (one for the whole course)`)
	f.BoolVar(&o.split, "split", false, "write one package per module")
	f.BoolVar(&o.strict, "strict", false, "treat warnings as errors: write nothing when there is any")
	f.BoolVar(&o.json, "json", false, "print the build report as JSON instead of the list of files (see docs/json.md)")
	f.StringArrayVar(&o.brands, "brand", nil, "brand overlay to merge over course.yaml, a file or a quoted glob such as 'brands/*.yaml'; repeatable (see docs/authoring.md)")
	f.BoolVar(&o.keepGoing, "keep-going", false, "with --brand: write the brands that build even when others fail")
	return cmd
}

func (o buildOptions) toOptions(dir string, getenv func(string) string) (coursepack.Options, error) {
	opts := coursepack.Options{Dir: dir, Formats: o.formats, Out: o.out, Strict: o.strict, Tool: "coursepack " + currentVersion()}
	opts.Brands, opts.KeepGoing = o.brands, o.keepGoing
	if o.keepGoing && len(o.brands) == 0 {
		return opts, &coursepack.UsageError{Msg: "--keep-going needs --brand"}
	}
	switch {
	case o.split && o.sco == "course":
		return opts, &coursepack.UsageError{Msg: "--split and --sco course cannot be used together"}
	case o.split:
		opts.Layout = format.LayoutSplit
	case o.sco == "module":
		opts.Layout = format.LayoutModule
	case o.sco == "course":
		opts.Layout = format.LayoutCourse
	default:
		return opts, &coursepack.UsageError{Msg: fmt.Sprintf(`--sco must be "module" or "course", not %q`, o.sco)}
	}
	if epoch := getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		t, err := dist.ModTimeFromEpoch(epoch)
		if err != nil {
			return opts, &coursepack.UsageError{Msg: fmt.Sprintf("SOURCE_DATE_EPOCH: %v", err)}
		}
		opts.Modified = t
	}
	return opts, nil
}

func printWritten(cmd *cobra.Command, written []dist.Written) {
	for _, w := range written {
		path := w.Path
		if rel, err := filepath.Rel(".", path); err == nil && !strings.HasPrefix(rel, "..") {
			path = rel
		}
		fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s)\n", path, bytesize.Format(w.Size))
	}
}

// isTerminal reports whether w is a terminal, where progress is shown; in a
// pipe or a CI log it would only be noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
