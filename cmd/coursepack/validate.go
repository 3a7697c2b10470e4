package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/course"
)

type validateOptions struct {
	formats []string
	sco     string
	split   bool
	strict  bool
	json    bool
}

// problemJSON is one problem in validate's --json output (docs/json.md).
type problemJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// validateJSON is validate's --json output (docs/json.md).
type validateJSON struct {
	Course   string        `json:"course"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Problems []problemJSON `json:"problems"`
}

func newValidateCommand() *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check a course and report every problem, without building",
		Long: `Validate loads the course in DIR (the current folder by default) as build
would and reports every problem at once, one per line:

  file:line:col: severity: message

Exit status: 0 when there is no error (warnings allowed unless --strict),
1 when there is any, 2 for a usage mistake.`,
		Example: `  coursepack validate examples/stepping-into-leadership
  coursepack validate --strict --json my-course`,
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
			_, warnings, err := coursepack.Check(opts)
			var errs course.Errors
			if err != nil && !errors.As(err, &errs) {
				return err
			}
			failed := len(errs) > 0 || (o.strict && len(warnings) > 0)
			if o.json {
				out := validateJSON{Course: filepath.ToSlash(dir), Errors: len(errs), Warnings: len(warnings), Problems: []problemJSON{}}
				out.Problems = appendJSON(out.Problems, dir, errs, "error")
				out.Problems = appendJSON(out.Problems, dir, warnings, "warning")
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(out); err != nil {
					return err
				}
			} else {
				printProblems(cmd.OutOrStdout(), dir, errs, "error")
				printProblems(cmd.OutOrStdout(), dir, warnings, "warning")
				if !failed && len(warnings) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: no problems\n", filepath.ToSlash(dir))
				}
			}
			if failed {
				return &silentFailure{fmt.Sprintf("%d %s, %d %s", len(errs), plural(len(errs), "error", "errors"), len(warnings), plural(len(warnings), "warning", "warnings"))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVarP(&o.formats, "format", "f", nil, "check the limits of these formats (default all)")
	f.StringVar(&o.sco, "sco", "module", `check the "module" or "course" layout`)
	f.BoolVar(&o.split, "split", false, "check the one-package-per-module layout")
	f.BoolVar(&o.strict, "strict", false, "fail on warnings too")
	f.BoolVar(&o.json, "json", false, "print the problems as JSON (see docs/json.md)")
	return cmd
}

func appendJSON(out []problemJSON, dir string, list course.Errors, severity string) []problemJSON {
	for _, p := range list {
		out = append(out, problemJSON{File: filepath.ToSlash(filepath.Join(dir, p.File)), Line: p.Line, Col: p.Col, Severity: severity, Message: p.Msg})
	}
	return out
}
