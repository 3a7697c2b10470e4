package main

import (
	"encoding/json"
	"io"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack/inspect"
)

type inspectOptions struct {
	json bool
}

func newInspectCommand() *cobra.Command {
	var o inspectOptions
	cmd := &cobra.Command{
		Use:   "inspect PACKAGE.zip",
		Short: "Report what an LMS will see in a package, and what is wrong with it",
		Long: `Inspect reads a SCORM 1.2, SCORM 2004, xAPI (tincan.xml) or cmi5 (cmi5.xml)
package, built by coursepack or by any other tool, and reports its format and
version, title, identifiers, organisations and launchable units with their
mastery and completion rules, files the manifest lists that the zip lacks (and
files it holds that no resource lists), structural problems of the manifest,
and an audit of the content: other hosts it requests, popups, unload handlers
and sizes.

The package is never extracted: hostile zips (names escaping the folder,
symlinks, zip bombs) are refused with exit status 1, as are zips that cannot
be read. Problems of the package itself are reported, and the exit status is
0. --json writes the report as JSON (described in docs/json.md).`,
		Example: `  coursepack inspect dist/my-course-scorm12.zip
  coursepack inspect --json vendor-course.zip | jq '.problems[] | select(.severity == "error")'`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rep, err := inspect.Read(a[0], inspect.Options{})
			if err != nil {
				return err
			}
			if o.json {
				return writeJSON(cmd.OutOrStdout(), rep)
			}
			return rep.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "write the report as JSON (see docs/json.md)")
	return cmd
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
