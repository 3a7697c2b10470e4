package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/course"
)

// buildBrands runs a build with brand overlays (build --brand) and prints,
// brand by brand, the problems and warnings on stderr, then one summary:
// the packages each brand wrote, or why it did not, on stdout.
func buildBrands(cmd *cobra.Command, dir string, opts coursepack.Options, asJSON bool) error {
	res, err := coursepack.Build(cmd.Context(), opts)
	var brandsErr *coursepack.BrandsError
	if err != nil && !errors.As(err, &brandsErr) {
		return err
	}
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	for _, b := range res.Brands {
		var problems course.Errors
		switch {
		case errors.As(b.Err, &problems):
			fmt.Fprintf(stderr, "brand %s (%s): %d %s\n", b.Name, b.File, len(problems), plural(len(problems), "problem", "problems"))
			printProblems(stderr, dir, problems, "")
		case b.Err != nil:
			fmt.Fprintf(stderr, "brand %s (%s): %v\n", b.Name, b.File, b.Err)
		}
		if len(b.Warnings) > 0 && !errors.As(b.Err, &problems) {
			fmt.Fprintf(stderr, "brand %s (%s): %d %s\n", b.Name, b.File, len(b.Warnings), plural(len(b.Warnings), "warning", "warnings"))
			printProblems(stderr, dir, b.Warnings, "warning")
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res.Report); err != nil {
			return err
		}
	} else {
		for _, b := range res.Brands {
			switch {
			case b.Err != nil:
				var problems course.Errors
				if errors.As(b.Err, &problems) {
					fmt.Fprintf(stdout, "brand %s: failed, %d %s\n", b.Name, len(problems), plural(len(problems), "problem", "problems"))
				} else {
					fmt.Fprintf(stdout, "brand %s: failed\n", b.Name)
				}
			case b.Written == nil:
				fmt.Fprintf(stdout, "brand %s: built, not written (another brand failed; --keep-going writes the brands that build)\n", b.Name)
			default:
				fmt.Fprintf(stdout, "brand %s: %d %s\n", b.Name, len(b.Written), plural(len(b.Written), "package", "packages"))
				printWritten(cmd, b.Written)
			}
		}
	}
	if brandsErr != nil {
		fmt.Fprintf(stderr, "coursepack: %v\n", brandsErr)
		return &silentFailure{summary: brandsErr.Error()}
	}
	return nil
}
