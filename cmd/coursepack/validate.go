package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/lint"
)

type validateOptions struct {
	formats []string
	sco     string
	split   bool
	strict  bool
	json    bool
	lint    lint.Options
}

// problemJSON is one problem in validate's --json output (docs/json.md).
type problemJSON struct {
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

Severity is error, warning or info. Exit status: 0 when there is no error
(warnings allowed unless --strict; infos always), 1 when there is any, 2 for
a usage mistake.`,
		Example: `  coursepack validate examples/stepping-into-leadership
  coursepack validate --strict --json my-course
  coursepack validate --offline --max-media-size 20MB my-course`,
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
			problems, err := coursepack.Validate(opts, o.lint)
			if err != nil {
				return err
			}
			count := map[lint.Severity]int{}
			for _, p := range problems {
				count[p.Severity]++
			}
			failed := count[lint.Error] > 0 || (o.strict && count[lint.Warning] > 0)
			out := cmd.OutOrStdout()
			if o.json {
				res := validateJSON{Course: filepath.ToSlash(dir), Errors: count[lint.Error], Warnings: count[lint.Warning], Infos: count[lint.Info], Problems: []problemJSON{}}
				for _, p := range problems {
					res.Problems = append(res.Problems, problemJSON{File: filepath.ToSlash(filepath.Join(dir, p.File)), Line: p.Line, Col: p.Col, Severity: p.Severity.String(), Rule: p.Rule, Message: p.Msg})
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(res); err != nil {
					return err
				}
			} else {
				for _, p := range problems {
					p.File = filepath.ToSlash(filepath.Join(dir, p.File))
					fmt.Fprintln(out, p.String())
				}
				switch {
				case len(problems) == 0:
					fmt.Fprintf(out, "%s: no problems\n", filepath.ToSlash(dir))
				case count[lint.Error]+count[lint.Warning] == 0:
					fmt.Fprintf(out, "%s: no errors or warnings\n", filepath.ToSlash(dir))
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
	f.BoolVar(&o.lint.Offline, "offline", false, "make links to other hosts errors, for a course that must work without a network")
	f.Var(&sizeFlag{&o.lint.MaxMediaSize}, "max-media-size", "warn about a file larger than this, such as 20MB (default "+lint.Size(lint.DefaultMaxMediaSize)+")")
	f.Var(&sizeFlag{&o.lint.MaxTotalMediaSize}, "max-total-media-size", "warn when the course's files together are larger than this (default "+lint.Size(lint.DefaultMaxTotalMediaSize)+")")
	return cmd
}

// sizeFlag is a flag holding a size such as 50MB (see lint.ParseSize).
type sizeFlag struct{ n *int64 }

func (f *sizeFlag) String() string {
	if f.n == nil || *f.n == 0 {
		return ""
	}
	return lint.Size(*f.n)
}

func (f *sizeFlag) Set(s string) error {
	n, err := lint.ParseSize(s)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}

func (f *sizeFlag) Type() string { return "size" }
