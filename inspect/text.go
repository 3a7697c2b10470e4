package inspect

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/coursepack/coursepack/internal/bytesize"
)

// errWriter remembers the first write error, so printing code needs no
// check on every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteText writes the report for a person: a summary, the units grouped by
// organisation, the problems, and the content audit.
func (r *Report) WriteText(out io.Writer) error {
	w := &errWriter{w: out}
	fmt.Fprintln(w, r.Package)
	t := table(w)
	fmt.Fprintf(t, "  format\t%s\n", r.FormatName())
	fmt.Fprintf(t, "  identifier\t%s\n", dash(r.Identifier))
	fmt.Fprintf(t, "  title\t%s\n", dash(r.Title))
	fmt.Fprintf(t, "  manifest\t%s\n", dash(r.Manifest))
	fmt.Fprintf(t, "  size\t%s in %d %s (%s zipped)\n", bytesize.Format(r.Audit.TotalSize), r.Audit.FileCount, plural(r.Audit.FileCount, "file", "files"), bytesize.Format(r.Audit.CompressedSize))
	t.Flush()

	switch r.Format {
	case FormatSCORM12, FormatSCORM2004:
		for _, o := range r.Organizations {
			def := ""
			if o.Default {
				def = " (default)"
			}
			fmt.Fprintf(w, "\nOrganization %q%s: %s\n", o.Identifier, def, dash(o.Title))
			var units []Unit
			for _, u := range r.Units {
				if u.Organization == o.Identifier {
					units = append(units, u)
				}
			}
			r.writeUnits(w, units)
		}
	case FormatCMI5:
		fmt.Fprintf(w, "\nBlocks and AUs\n")
		r.writeUnits(w, r.Units)
	case FormatTinCan:
		// Interactions are many and launch nothing: counted, not listed.
		var units []Unit
		interactions := 0
		for _, u := range r.Units {
			if strings.HasSuffix(u.ActivityType, "/cmi.interaction") && !u.Launchable {
				interactions++
				continue
			}
			units = append(units, u)
		}
		fmt.Fprintf(w, "\nActivities\n")
		r.writeUnits(w, units)
		if interactions > 0 {
			fmt.Fprintf(w, "  and %d cmi.interaction %s (listed by --json)\n", interactions, plural(interactions, "activity", "activities"))
		}
	}

	errs := r.Errors()
	if len(r.Problems) == 0 {
		fmt.Fprintln(w, "\nNo problems found.")
	} else {
		warns := len(r.Problems) - errs
		fmt.Fprintf(w, "\nProblems: %d %s, %d %s\n", errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"))
		t := table(w)
		for _, p := range r.Problems {
			fmt.Fprintf(t, "  %s\t%s\t%s\n", p.Severity, p.Code, p.Message)
		}
		t.Flush()
	}
	r.writeAudit(w)
	return w.err
}

// writeUnits writes a table of units, with the columns that the format has.
func (r *Report) writeUnits(w io.Writer, units []Unit) {
	if len(units) == 0 {
		fmt.Fprintln(w, "  (none)")
		return
	}
	var head []string
	var row func(u Unit) []string
	indent := func(u Unit) string { return strings.Repeat("  ", u.Depth) + dash(shorten(u.Title, 60)) }
	switch r.Format {
	case FormatSCORM12:
		head = []string{"IDENTIFIER", "KIND", "TITLE", "LAUNCH", "MASTERY"}
		row = func(u Unit) []string {
			return []string{u.Identifier, u.Kind, indent(u), dash(launchWithParams(u)), dash(u.MasteryScore)}
		}
	case FormatSCORM2004:
		head = []string{"IDENTIFIER", "KIND", "TITLE", "LAUNCH", "MASTERY", "COMPLETION"}
		row = func(u Unit) []string {
			return []string{u.Identifier, u.Kind, indent(u), dash(launchWithParams(u)), dash(u.MasteryScore), dash(u.CompletionThreshold)}
		}
	case FormatCMI5:
		head = []string{"ID", "KIND", "TITLE", "URL", "MOVE ON", "MASTERY"}
		row = func(u Unit) []string {
			return []string{u.Identifier, u.Kind, indent(u), dash(u.Launch), dash(u.MoveOn), dash(u.MasteryScore)}
		}
	default:
		head = []string{"ID", "TYPE", "TITLE", "LAUNCH"}
		row = func(u Unit) []string {
			typ := u.ActivityType
			if i := strings.LastIndex(typ, "/"); i >= 0 {
				typ = typ[i+1:]
			}
			return []string{u.Identifier, dash(typ), dash(shorten(u.Title, 60)), dash(u.Launch)}
		}
	}
	t := table(w)
	fmt.Fprintf(t, "  %s\n", strings.Join(head, "\t"))
	for _, u := range units {
		fmt.Fprintf(t, "  %s\n", strings.Join(row(u), "\t"))
	}
	t.Flush()
}

// shorten cuts s to n characters, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func launchWithParams(u Unit) string {
	if u.Parameters == "" || u.Launch == "" {
		return u.Launch
	}
	return u.Launch + u.Parameters
}

func (r *Report) writeAudit(w io.Writer) {
	a := r.Audit
	fmt.Fprintln(w, "\nContent")
	t := table(w)
	var largest []string
	for i, f := range a.LargestFiles {
		if i == 5 {
			break
		}
		largest = append(largest, fmt.Sprintf("%s (%s)", f.Path, bytesize.Format(f.Size)))
	}
	fmt.Fprintf(t, "  largest files\t%s\n", dash(strings.Join(largest, ", ")))
	if len(a.ExternalHosts) == 0 {
		fmt.Fprintf(t, "  other hosts\tnone\n")
	} else {
		fmt.Fprintf(t, "  other hosts\t%d\n", len(a.ExternalHosts))
		for _, h := range a.ExternalHosts {
			fmt.Fprintf(t, "    %s\t%s in %s\n", h.Host, strings.Join(h.Uses, ", "), strings.Join(h.Files, ", "))
		}
	}
	findings := func(label string, list []Finding) {
		if len(list) == 0 {
			fmt.Fprintf(t, "  %s\tnone\n", label)
			return
		}
		fmt.Fprintf(t, "  %s\t%d\n", label, len(list))
		for _, f := range list {
			fmt.Fprintf(t, "    %s:%d\t%s\n", f.Path, f.Line, f.Text)
		}
	}
	findings("popups", a.Popups)
	findings("unload handlers", a.UnloadHandlers)
	if len(a.NotAudited) > 0 {
		fmt.Fprintf(t, "  not audited\t%s (over %s)\n", strings.Join(a.NotAudited, ", "), bytesize.Format(maxAuditSize))
	}
	t.Flush()
}

// WriteText writes the diff for a person: the two packages, the changes by
// severity, the files, and a warning when learners' records are orphaned.
func (d *Diff) WriteText(out io.Writer) error {
	w := &errWriter{w: out}
	t := table(w)
	for _, s := range []struct {
		label string
		side  Side
	}{{"old", d.Old}, {"new", d.New}} {
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%q\n", s.label, s.side.Package, formatName(s.side.Format, s.side.Version), dash(s.side.Identifier), s.side.Title)
	}
	t.Flush()
	count := map[string]int{}
	for _, c := range d.Changes {
		count[c.Severity]++
	}
	if len(d.Changes) == 0 {
		fmt.Fprintln(w, "\nNo changes to the package's structure.")
	} else {
		fmt.Fprintf(w, "\nChanges: %d breaking, %d %s, %d info\n", count[SeverityBreaking], count[SeverityWarning], plural(count[SeverityWarning], "warning", "warnings"), count[SeverityInfo])
		t := table(w)
		for _, sev := range []string{SeverityBreaking, SeverityWarning, SeverityInfo} {
			for _, c := range d.Changes {
				if c.Severity == sev {
					label := c.Severity
					if sev == SeverityBreaking {
						label = "BREAKING"
					}
					fmt.Fprintf(t, "  %s\t%s\t%s\n", label, c.Kind, c.Message)
				}
			}
		}
		t.Flush()
	}
	f := d.Files
	fmt.Fprintf(w, "\nFiles: %d added, %d removed, %d changed\n", len(f.Added), len(f.Removed), len(f.Changed))
	t = table(w)
	for _, x := range f.Added {
		fmt.Fprintf(t, "  added\t%s\t%s\n", x.Path, bytesize.Format(x.Size))
	}
	for _, x := range f.Removed {
		fmt.Fprintf(t, "  removed\t%s\t%s\n", x.Path, bytesize.Format(x.Size))
	}
	for _, x := range f.Changed {
		fmt.Fprintf(t, "  changed\t%s\t%s -> %s\n", x.Path, bytesize.Format(x.OldSize), bytesize.Format(x.NewSize))
	}
	t.Flush()
	if n := len(d.OrphanedUnits); n > 0 {
		fmt.Fprintf(w, "\nWARNING: this update would orphan the learner records of %d %s: %s.\n"+
			"An LMS such as Moodle keeps learners' records only for unchanged SCO and AU identifiers\n"+
			"(and an unchanged package identifier). Keep identifiers stable, or publish this as a new course.\n",
			n, plural(n, "unit", "units"), strings.Join(d.OrphanedUnits, ", "))
	} else if d.Breaking {
		fmt.Fprintln(w, "\nWARNING: this update has breaking changes for an LMS.")
	} else {
		fmt.Fprintln(w, "\nLearner records are kept: no SCO or AU identifier is removed and the package identifier is unchanged.")
	}
	return w.err
}
