package main

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/preview"
)

// defaultPreviewPort is where preview listens unless told otherwise. A fixed
// port keeps the simulator's origin, and with it the learner data kept in
// the browser, from one run to the next; when it is taken, a free port is
// used instead.
const defaultPreviewPort = 8265

type previewOptions struct {
	format string
	port   int
	sco    string
	brand  string
}

func newPreviewCommand() *cobra.Command {
	var o previewOptions
	cmd := &cobra.Command{
		Use:   "preview [DIR]",
		Short: "Run a course in a built-in LMS simulator, rebuilding as you edit",
		Long: `Preview builds the course in DIR (the current folder by default) in memory
and serves it on 127.0.0.1 inside an LMS simulator: the course on one side,
and beside it every value the LMS holds and every API call the course makes,
with their error codes. Nothing is written to the course folder.

The simulator implements the SCORM 1.2 and SCORM 2004 run-times and keeps
each SCO's learner data in the browser. Its buttons close the SCO as an LMS
does when the learner leaves, relaunch it with entry=resume, and reset the
learner; its strict switch (on by default) behaves as Moodle does: its
formats and limits (4,096 characters of suspend_data in SCORM 1.2, two
fractional digits in SCORM 2004 times, identifiers without spaces) and, on
LMSFinish, its SCORM 1.2 status rules.

For xapi and cmi5 the server is also the LRS, in memory: the simulator
launches the unit with the Tin Can or cmi5 launch parameters (credentials,
the cmi5 fetch URL and LMS.LaunchData) and shows every statement and State
API document as it arrives. Its strict switch refuses what a conformant LRS
or cmi5 LMS refuses (missing or malformed properties and ids, the version
header, a second terminated, statements after a cmi5 terminated), with the
reason; Reset learner starts a new registration.

With --brand, a brand overlay (one file) is merged over course.yaml as
build --brand merges it.

Saving a file of the course rebuilds it and reloads the page; a course that
does not build shows its problems instead, while the last good build stays
served. Ctrl-C stops the server.

Formats: ` + strings.Join(preview.Formats(), ", ") + `.`,
		Example: `  coursepack preview examples/stepping-into-leadership
  coursepack preview --format scorm2004 --sco course my-course
  coursepack preview --format cmi5 my-course
  coursepack preview --brand my-course/brands/acme.yaml my-course
  coursepack preview --port 0 .      # any free port`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := "."
			if len(a) == 1 {
				dir = a[0]
			}
			var layout format.Layout
			switch o.sco {
			case "module":
				layout = format.LayoutModule
			case "course":
				layout = format.LayoutCourse
			default:
				return &coursepack.UsageError{Msg: fmt.Sprintf(`--sco must be "module" or "course", not %q`, o.sco)}
			}
			if o.port < 0 || o.port > 65535 {
				return &coursepack.UsageError{Msg: fmt.Sprintf("--port must be between 0 and 65535, not %d", o.port)}
			}
			srv, err := preview.New(preview.Options{Dir: dir, Format: o.format, Layout: layout, Brand: o.brand, Log: cmd.ErrOrStderr()})
			if err != nil {
				return err
			}
			defer srv.Close()
			ln, err := preview.Listen(o.port)
			if err != nil && errors.Is(err, syscall.EADDRINUSE) && !cmd.Flags().Changed("port") {
				fmt.Fprintf(cmd.ErrOrStderr(), "port %d is taken; using a free one (learner data kept by the browser is per port)\n", o.port)
				ln, err = preview.Listen(0)
			}
			if err != nil {
				return fmt.Errorf("cannot listen on 127.0.0.1: %w", err)
			}
			st := srv.Current()
			title := st.Course.Title
			if title == "" {
				title = dir
			}
			what := st.Format
			if st.Brand != "" {
				what += ", brand " + st.Brand
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Previewing %s (%s) at %s\nPress Ctrl-C to stop.\n", title, what, preview.URL(ln))
			return srv.Serve(cmd.Context(), ln)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", preview.Formats()[0], "format to run ("+strings.Join(preview.Formats(), ", ")+")")
	f.IntVarP(&o.port, "port", "p", defaultPreviewPort, "port on 127.0.0.1 (0 picks a free one)")
	f.StringVar(&o.sco, "sco", "module", `launchable units: "module" (one per module) or "course" (one for the whole course)`)
	f.StringVar(&o.brand, "brand", "", "brand overlay to merge over course.yaml, one file (see docs/authoring.md)")
	return cmd
}
