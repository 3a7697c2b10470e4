package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack/inspect"
)

type diffOptions struct {
	json           bool
	failOnBreaking bool
}

// breakingChanges fails a diff run with --fail-on-breaking.
type breakingChanges struct {
	count    int
	orphaned int
}

func (e *breakingChanges) Error() string {
	msg := fmt.Sprintf("%d breaking %s (--fail-on-breaking)", e.count, plural(e.count, "change", "changes"))
	if e.orphaned > 0 {
		msg += fmt.Sprintf(": the update would orphan the learner records of %d %s", e.orphaned, plural(e.orphaned, "unit", "units"))
	}
	return msg
}

func newDiffCommand() *cobra.Command {
	var o diffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD.zip NEW.zip",
		Short: "Show what changes for an LMS when a new version of a package replaces an old one",
		Long: `Diff compares two versions of a package the way an LMS sees an update: a
change of format or version, of the package identifier, SCOs, AUs and items
added, removed or renamed (same identifier, new title), organisation and
launch changes, mastery and completion rules (masteryScore, moveOn,
completionThreshold), and files added, removed or changed.

An LMS such as Moodle keeps learners' records only for unchanged SCO and AU
identifiers, so a removed identifier or a new package identifier is a
breaking change: diff warns that the update would orphan learner records.
With --fail-on-breaking the exit status is then 1. --json writes the diff as
JSON (described in docs/json.md).`,
		Example: `  coursepack diff course-v1-scorm12.zip dist/course-scorm12.zip
  coursepack diff --fail-on-breaking --json published.zip dist/course-scorm12.zip`,
		Args: args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			d, err := inspect.DiffFiles(a[0], a[1], inspect.Options{})
			if err != nil {
				return err
			}
			if o.json {
				err = writeJSON(cmd.OutOrStdout(), d)
			} else {
				err = d.WriteText(cmd.OutOrStdout())
			}
			if err != nil {
				return err
			}
			if o.failOnBreaking && d.Breaking {
				n := 0
				for _, c := range d.Changes {
					if c.Severity == inspect.SeverityBreaking {
						n++
					}
				}
				return &breakingChanges{count: n, orphaned: len(d.OrphanedUnits)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.json, "json", false, "write the diff as JSON (see docs/json.md)")
	f.BoolVar(&o.failOnBreaking, "fail-on-breaking", false, "exit with status 1 when a change would lose learners' records")
	return cmd
}
