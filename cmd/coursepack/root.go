package main

import (
	"io"

	"github.com/spf13/cobra"
)

// flagError is a command-line mistake: an unknown flag, a missing or extra
// argument.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

func newRootCommand(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	root := &cobra.Command{
		Use:   "coursepack",
		Short: "Compile a course written in YAML and Markdown into e-learning packages",
		Long: `coursepack compiles a course folder (course.yaml plus one Markdown file per
module) into packages that any LMS can host and track.

Built packages are written to dist/ inside the course folder unless --out
says otherwise. The same input always gives byte-identical zip files.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// With Args set, an unknown command reaches the check below and
		// becomes a usage error instead of a plain one.
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &flagError{err} })
	root.AddCommand(newBuildCommand(getenv), newValidateCommand(), newInitCommand(), newInspectCommand(), newDiffCommand(), newPreviewCommand(), newTemplatesCommand(), newTranslateCommand(), newVersionCommand())
	return root
}

// args wraps a cobra argument check so its failures are usage errors.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return &flagError{err}
		}
		return nil
	}
}
