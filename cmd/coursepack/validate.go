package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/internal/bytesize"
	"github.com/coursepack/coursepack/lint"
)

type validateOptions struct {
	formats []string
	sco     string
	split   bool
	strict  bool
	json    bool
	brands  []string
	lint    lint.Options
}

// problemJSON is one problem in validate's --json output (docs/json.md).
type problemJSON struct {
	// Brand names the brand whose course has the problem, with --brand.
	Brand    string `json:"brand,omitempty"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Rule     string `json:"rule,omitempty"`
	Message  string `json:"message"`
}

// validateJSON is validate's --json output (docs/json.md).
type validateJSON struct {
	Course   string        `json:"course"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Infos    int           `json:"infos"`
	Problems []problemJSON `json:"problems"`
}

func newValidateCommand() *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check a course and report every problem, without building",
		Long: `Validate loads the course in DIR (the current folder by default) as build
would, then checks what build lets through (see "Checks of validate" in
docs/authoring.md): modules no learner can complete, pictures without alt
text, headings that skip a level, empty pages, links to headings that do not
exist, links to other hosts and large media. It reports every problem at
once, one per line:

  file:line:col: severity: message

With --brand, the course is validated once for each brand overlay, as
build --brand would load it, and each brand's problems are listed under
its name.

Severity is error, warning or info. Exit status: 0 when there is no error
(warnings allowed unless --strict; infos always), 1 when there is any, 2 for
a usage mistake.`,
		Example: `  coursepack validate examples/stepping-into-leadership
  coursepack validate --strict --json my-course
  coursepack validate --offline --max-media-size 20MB my-course
  coursepack validate --brand 'my-course/brands/*.yaml' my-course`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := "."
			if len(a) == 1 {
				dir = a[0]
			}
			b := buildOptions{formats: o.formats, sco: o.sco, split: o.split}
			opts, err := b.toOptions(dir, func(string) string { return "" })
			if err != nil {
				return err
			}
			groups, err := validateGroups(opts, o.brands, o.lint)
			if err != nil {
				return err
			}
			count := map[lint.Severity]int{}
			for _, g := range groups {
				for _, p := range g.Problems {
					count[p.Severity]++
				}
			}
			failed := count[lint.Error] > 0 || (o.strict && count[lint.Warning] > 0)
			out := cmd.OutOrStdout()
			if o.json {
				res := validateJSON{Course: filepath.ToSlash(dir), Errors: count[lint.Error], Warnings: count[lint.Warning], Infos: count[lint.Info], Problems: []problemJSON{}}
				for _, g := range groups {
					for _, p := range g.Problems {
						res.Problems = append(res.Problems, problemJSON{Brand: g.Name, File: filepath.ToSlash(filepath.Join(dir, p.File)), Line: p.Line, Col: p.Col, Severity: p.Severity.String(), Rule: p.Rule, Message: p.Msg})
					}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(res); err != nil {
					return err
				}
			} else {
				for _, g := range groups {
					name := filepath.ToSlash(dir)
					if g.File != "" {
						name = fmt.Sprintf("brand %s (%s)", g.Name, filepath.ToSlash(g.File))
					}
					printLint(out, dir, name, g.File != "", g.Problems)
				}
			}
			if failed {
				return &silentFailure{fmt.Sprintf("%d %s, %d %s", count[lint.Error], plural(count[lint.Error], "error", "errors"), count[lint.Warning], plural(count[lint.Warning], "warning", "warnings"))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVarP(&o.formats, "format", "f", nil, "check the limits of these formats (default all)")
	f.StringVar(&o.sco, "sco", "module", `check the "module" or "course" layout`)
	f.BoolVar(&o.split, "split", false, "check the one-package-per-module layout")
	f.BoolVar(&o.strict, "strict", false, "fail on warnings too (never on infos)")
	f.BoolVar(&o.json, "json", false, "print the problems as JSON (see docs/json.md)")
	f.StringArrayVar(&o.brands, "brand", nil, "validate the course as each brand overlay has it: a file or a quoted glob such as 'brands/*.yaml'; repeatable")
	f.BoolVar(&o.lint.Offline, "offline", false, "make links to other hosts errors, for a course that must work without a network")
	f.Var(&sizeFlag{&o.lint.MaxMediaSize}, "max-media-size", "warn about a file larger than this, such as 20MB (default "+bytesize.Format(lint.DefaultMaxMediaSize)+")")
	f.Var(&sizeFlag{&o.lint.MaxTotalMediaSize}, "max-total-media-size", "warn when the course's files together are larger than this (default "+bytesize.Format(lint.DefaultMaxTotalMediaSize)+")")
	return cmd
}

// validateGroups validates the course of opts, once for each brand of
// brands when there are any, and returns the problems of each (one group,
// without a name or file, when there are no brands).
func validateGroups(opts coursepack.Options, brands []string, lo lint.Options) ([]coursepack.BrandProblems, error) {
	if len(brands) == 0 {
		problems, err := coursepack.Validate(opts, lo)
		return []coursepack.BrandProblems{{Problems: problems}}, err
	}
	opts.Brands = brands
	return coursepack.ValidateBrands(opts, lo)
}

// printLint prints problems, their files relative to the course folder
// dir, one a line, under a heading line for name when heading is true; or
// a line for name when there is none, or none is an error or a warning.
func printLint(w io.Writer, dir, name string, heading bool, problems []lint.Problem) {
	if len(problems) == 0 {
		fmt.Fprintf(w, "%s: no problems\n", name)
		return
	}
	if heading {
		fmt.Fprintf(w, "%s:\n", name)
	}
	serious := 0
	for _, p := range problems {
		p.File = filepath.ToSlash(filepath.Join(dir, p.File))
		fmt.Fprintln(w, p.String())
		if p.Severity != lint.Info {
			serious++
		}
	}
	if serious == 0 {
		fmt.Fprintf(w, "%s: no errors or warnings\n", name)
	}
}

// sizeFlag is a flag holding a size such as 50MB (see bytesize.Parse).
type sizeFlag struct{ n *int64 }

func (f *sizeFlag) String() string {
	if f.n == nil || *f.n == 0 {
		return ""
	}
	return bytesize.Format(*f.n)
}

func (f *sizeFlag) Set(s string) error {
	n, err := bytesize.Parse(s)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}

func (f *sizeFlag) Type() string { return "size" }
