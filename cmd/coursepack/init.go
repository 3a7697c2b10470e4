package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack/starter"
)

func newInitCommand() *cobra.Command {
	var title string
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a new course from a small working example",
		Long: `Init writes a small course into DIR (the current folder by default): a
course.yaml and one module with a page, a reflection and a knowledge check.
It builds at once. Init never overwrites a file: if any of them exists, it
writes nothing.`,
		Example: `  coursepack init my-course
  coursepack init --title "Customer care" customer-care`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := "."
			if len(a) == 1 {
				dir = a[0]
			}
			written, err := starter.Write(dir, title)
			if err != nil {
				return err
			}
			for _, p := range written {
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", p)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Next: edit %s, then run coursepack build %s\n", written[0], dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&title, "title", "", `the course title (default "My course")`)
	return cmd
}
