package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack/templates"
)

func newTemplatesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "templates",
		Short: "Work with the player's files, which a course's templates/ folder can override",
		Long: `A course may hold a templates/ folder whose files replace the player's files
of the same path, as a Hugo site's layouts shadow its theme:

  ` + strings.Join(templates.Names(), "\n  ") + `

See "Overriding the player" in docs/authoring.md.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newTemplatesExportCommand())
	return cmd
}

func newTemplatesExportCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "export DIR [FILE...]",
		Short: "Write the player's files into DIR as a starting point for overrides",
		Long: `Export writes the embedded player's files (or only the FILEs named, such as
player/player.css) into DIR at their paths, as a starting point for a
course's templates/ folder. It never overwrites: when any of the files
exists already, it writes nothing.

Keep only the files you change: every file in templates/ replaces the
player's own, including the fixes of later versions of coursepack.`,
		Example: `  coursepack templates export my-course/templates player/player.css
  coursepack templates export /tmp/player      # every file, to read`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			written, err := templates.Export(a[0], a[1:])
			if err != nil {
				return err
			}
			for _, p := range written {
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", p)
			}
			return nil
		},
	}
}
