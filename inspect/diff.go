package inspect

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Change severities, besides SeverityWarning.
const (
	// SeverityBreaking marks a change that makes an LMS lose learners'
	// records: a removed SCO or AU, a new package identifier.
	SeverityBreaking = "breaking"
	SeverityInfo     = "info"
)

// Diff is what changes for an LMS when NEW replaces OLD. Its JSON form is
// documented in docs/json.md.
type Diff struct {
	Old Side `json:"old"`
	New Side `json:"new"`
	// Breaking is true when any change is of severity "breaking".
	Breaking bool `json:"breaking"`
	// OrphanedUnits are the launchable units of OLD whose learner records
	// an LMS would no longer find after the update: those removed, or all
	// of them when the package identifier or format changes.
	OrphanedUnits []string `json:"orphaned_units"`
	// Changes are package-level changes first, then unit changes.
	Changes []Change    `json:"changes"`
	Files   FileChanges `json:"files"`
}

// Side sums up one of the two packages.
type Side struct {
	Package    string `json:"package"`
	Format     string `json:"format"`
	Version    string `json:"version"`
	Identifier string `json:"identifier"`
	Title      string `json:"title"`
	// Errors counts the package's problems of severity error.
	Errors int `json:"errors"`
}

// Change is one difference that matters to an LMS.
type Change struct {
	// Kind is a stable, snake_case name of the change (see docs/json.md).
	Kind string `json:"kind"`
	// Severity is "breaking", "warning" or "info".
	Severity string `json:"severity"`
	// Identifier is the unit or organisation changed; empty for the
	// package itself.
	Identifier string `json:"identifier"`
	Old        string `json:"old"`
	New        string `json:"new"`
	Message    string `json:"message"`
}

// FileChanges are the files added, removed and changed (by size or CRC-32).
type FileChanges struct {
	Added   []File       `json:"added"`
	Removed []File       `json:"removed"`
	Changed []FileChange `json:"changed"`
}

// FileChange is a file whose content changed.
type FileChange struct {
	Path     string `json:"path"`
	OldSize  int64  `json:"old_size"`
	NewSize  int64  `json:"new_size"`
	OldCRC32 string `json:"old_crc32"`
	NewCRC32 string `json:"new_crc32"`
}

// DiffFiles reads two packages, as Read does, and compares them.
func DiffFiles(oldPath, newPath string, opts Options) (*Diff, error) {
	older, err := Read(oldPath, opts)
	if err != nil {
		return nil, err
	}
	newer, err := Read(newPath, opts)
	if err != nil {
		return nil, err
	}
	return Compare(older, newer), nil
}

func side(r *Report) Side {
	return Side{Package: r.Package, Format: r.Format, Version: r.Version, Identifier: r.Identifier, Title: r.Title, Errors: r.Errors()}
}

// Compare says what changes for an LMS when the package newer replaces
// older.
func Compare(older, newer *Report) *Diff {
	d := &Diff{
		Old: side(older), New: side(newer),
		OrphanedUnits: []string{},
		Changes:       []Change{},
		Files:         FileChanges{Added: []File{}, Removed: []File{}, Changed: []FileChange{}},
	}
	add := func(kind, severity, id, o, n, format string, args ...any) {
		d.Changes = append(d.Changes, Change{Kind: kind, Severity: severity, Identifier: id, Old: o, New: n, Message: fmt.Sprintf(format, args...)})
	}
	packageGone := false
	if older.Format != newer.Format {
		packageGone = true
		add("format_changed", SeverityBreaking, "", older.Format, newer.Format,
			"the package changes from %s to %s: an LMS takes it for another package, and learners' records stay with the old one", older.FormatName(), newer.FormatName())
	} else if older.Version != newer.Version {
		add("version_changed", SeverityWarning, "", older.Version, newer.Version,
			"schemaversion changes from %q to %q: the LMS gives the content another runtime", older.Version, newer.Version)
	}
	if older.Identifier != newer.Identifier {
		packageGone = true
		what := map[string]string{
			FormatCMI5:   "the course id",
			FormatTinCan: "the launch activity id",
		}[older.Format]
		if what == "" {
			what = "the manifest identifier"
		}
		add("identifier_changed", SeverityBreaking, "", older.Identifier, newer.Identifier,
			"%s changes from %q to %q: an LMS takes the package for a new one, and learners' records of the old one are orphaned", what, older.Identifier, newer.Identifier)
	}
	if older.Title != newer.Title {
		add("title_changed", SeverityInfo, "", older.Title, newer.Title, "the title changes from %q to %q", older.Title, newer.Title)
	}
	compareOrganizations(older, newer, add)

	oldUnits, newUnits := unitIndex(older.Units), unitIndex(newer.Units)
	removed := map[string]bool{}
	for _, u := range older.Units {
		if _, ok := newUnits[u.Identifier]; ok || removed[u.Identifier] {
			continue
		}
		removed[u.Identifier] = true
		if u.Launchable {
			add("unit_removed", SeverityBreaking, u.Identifier, u.Title, "",
				"%s %q (%q) is removed: an LMS keeps learners' records only for unchanged identifiers, so its records are orphaned", unitLabel(u.Kind), u.Identifier, u.Title)
			if !packageGone {
				d.OrphanedUnits = append(d.OrphanedUnits, u.Identifier)
			}
		} else {
			add("unit_removed", SeverityWarning, u.Identifier, u.Title, "", "%s %q (%q) is removed", unitLabel(u.Kind), u.Identifier, u.Title)
		}
	}
	seen := map[string]bool{}
	for _, n := range newer.Units {
		if seen[n.Identifier] {
			continue
		}
		seen[n.Identifier] = true
		o, ok := oldUnits[n.Identifier]
		if !ok {
			add("unit_added", SeverityInfo, n.Identifier, "", n.Title, "%s %q (%q) is added", unitLabel(n.Kind), n.Identifier, n.Title)
			continue
		}
		compareUnit(older.Format, newer.Format, o, &n, add, func(id string) {
			if !packageGone {
				d.OrphanedUnits = append(d.OrphanedUnits, id)
			}
		})
	}
	if packageGone {
		for _, u := range older.Units {
			if u.Launchable {
				d.OrphanedUnits = append(d.OrphanedUnits, u.Identifier)
			}
		}
	}
	for _, c := range d.Changes {
		d.Breaking = d.Breaking || c.Severity == SeverityBreaking
	}
	d.Files = compareFiles(older.Files, newer.Files)
	return d
}

type addFunc func(kind, severity, id, o, n, format string, args ...any)

// unitIndex maps identifiers to their first unit.
func unitIndex(units []Unit) map[string]*Unit {
	m := map[string]*Unit{}
	for i := range units {
		if _, dup := m[units[i].Identifier]; !dup {
			m[units[i].Identifier] = &units[i]
		}
	}
	return m
}

func unitLabel(kind string) string {
	switch kind {
	case KindSCO:
		return "SCO"
	case KindAsset:
		return "asset"
	case KindAU:
		return "AU"
	case KindBlock:
		return "block"
	case KindActivity:
		return "activity"
	}
	return "item"
}

func compareOrganizations(older, newer *Report, add addFunc) {
	def := func(r *Report) string {
		for _, o := range r.Organizations {
			if o.Default {
				return o.Identifier
			}
		}
		if len(r.Organizations) > 0 {
			return r.Organizations[0].Identifier
		}
		return ""
	}
	if o, n := def(older), def(newer); o != n && o != "" && n != "" {
		add("default_organization_changed", SeverityWarning, "", o, n,
			"the default organization changes from %q to %q: some LMSs rebuild the activity tree and lose progress", o, n)
	}
	oldOrgs := map[string]Organization{}
	for _, o := range older.Organizations {
		oldOrgs[o.Identifier] = o
	}
	newOrgs := map[string]bool{}
	for _, n := range newer.Organizations {
		newOrgs[n.Identifier] = true
		o, ok := oldOrgs[n.Identifier]
		switch {
		case !ok:
			add("organization_added", SeverityInfo, n.Identifier, "", n.Title, "organization %q (%q) is added", n.Identifier, n.Title)
		case o.Title != n.Title:
			add("organization_renamed", SeverityInfo, n.Identifier, o.Title, n.Title, "organization %q is renamed from %q to %q", n.Identifier, o.Title, n.Title)
		}
	}
	for _, o := range older.Organizations {
		if !newOrgs[o.Identifier] {
			add("organization_removed", SeverityWarning, o.Identifier, o.Title, "", "organization %q (%q) is removed", o.Identifier, o.Title)
		}
	}
}

// compareUnit reports what changed in a unit kept under its identifier.
func compareUnit(oldFormat, newFormat string, o, n *Unit, add addFunc, orphan func(string)) {
	id := n.Identifier
	label := unitLabel(n.Kind)
	if o.Title != n.Title {
		add("unit_renamed", SeverityInfo, id, o.Title, n.Title, "%s %q is renamed from %q to %q (learners' records are kept)", label, id, o.Title, n.Title)
	}
	if o.Kind != n.Kind || o.Launchable != n.Launchable {
		if o.Launchable && !n.Launchable {
			add("kind_changed", SeverityBreaking, id, o.Kind, n.Kind, "%s %q is no longer launched (was %s, now %s): its learners' records are orphaned", label, id, o.Kind, n.Kind)
			orphan(id)
		} else {
			add("kind_changed", SeverityWarning, id, o.Kind, n.Kind, "%s %q changes from %s to %s", label, id, o.Kind, n.Kind)
		}
	}
	if o.Organization != n.Organization || o.Parent != n.Parent {
		add("unit_moved", SeverityInfo, id, o.Organization+"/"+o.Parent, n.Organization+"/"+n.Parent, "%s %q moves to another place in the tree", label, id)
	}
	if o.Launch != n.Launch {
		add("launch_changed", SeverityInfo, id, o.Launch, n.Launch, "%s %q launches %s instead of %s", label, id, orNone(n.Launch), orNone(o.Launch))
	}
	if o.Parameters != n.Parameters {
		add("parameters_changed", SeverityInfo, id, o.Parameters, n.Parameters, "%s %q launch parameters change from %s to %s", label, id, orNone(o.Parameters), orNone(n.Parameters))
	}
	if !sameMastery(oldFormat, o.MasteryScore, newFormat, n.MasteryScore) {
		add("mastery_changed", SeverityWarning, id, o.MasteryScore, n.MasteryScore,
			"%s %q mastery score changes from %s to %s: learners already judged keep their status, new attempts are judged by the new score", label, id, orNone(o.MasteryScore), orNone(n.MasteryScore))
	}
	if !sameNumber(o.CompletionThreshold, n.CompletionThreshold) {
		add("completion_changed", SeverityWarning, id, o.CompletionThreshold, n.CompletionThreshold,
			"%s %q completion threshold changes from %s to %s", label, id, orNone(o.CompletionThreshold), orNone(n.CompletionThreshold))
	}
	if o.MoveOn != n.MoveOn {
		add("move_on_changed", SeverityWarning, id, o.MoveOn, n.MoveOn,
			"%s %q moveOn changes from %s to %s: what satisfies it in the LMS changes", label, id, orNone(o.MoveOn), orNone(n.MoveOn))
	}
	if o.LaunchMethod != n.LaunchMethod {
		add("launch_method_changed", SeverityInfo, id, o.LaunchMethod, n.LaunchMethod, "%s %q launchMethod changes from %s to %s", label, id, orNone(o.LaunchMethod), orNone(n.LaunchMethod))
	}
	if o.ActivityType != n.ActivityType {
		add("activity_type_changed", SeverityInfo, id, o.ActivityType, n.ActivityType, "%s %q type changes from %s to %s", label, id, orNone(o.ActivityType), orNone(n.ActivityType))
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// sameMastery compares mastery scores on one scale: SCORM 1.2's 0-100 is
// divided by 100 to match the 0-1 of SCORM 2004 and cmi5.
func sameMastery(oldFormat, o, newFormat, n string) bool {
	scale := func(format, s string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return 0, false
		}
		if format == FormatSCORM12 {
			f /= 100
		}
		return f, true
	}
	a, okA := scale(oldFormat, o)
	b, okB := scale(newFormat, n)
	if okA && okB {
		return math.Abs(a-b) < 1e-9
	}
	return strings.TrimSpace(o) == strings.TrimSpace(n)
}

// sameNumber compares two decimals as numbers ("1" equals "1.0"), or as
// text when either is not one.
func sameNumber(o, n string) bool { return sameMastery("", o, "", n) }

func compareFiles(older, newer []File) FileChanges {
	fc := FileChanges{Added: []File{}, Removed: []File{}, Changed: []FileChange{}}
	old := map[string]File{}
	for _, f := range older {
		old[f.Path] = f
	}
	kept := map[string]bool{}
	for _, n := range newer {
		o, ok := old[n.Path]
		switch {
		case !ok:
			fc.Added = append(fc.Added, n)
		case o.CRC32 != n.CRC32 || o.Size != n.Size:
			fc.Changed = append(fc.Changed, FileChange{Path: n.Path, OldSize: o.Size, NewSize: n.Size, OldCRC32: o.CRC32, NewCRC32: n.CRC32})
		}
		kept[n.Path] = true
	}
	for _, o := range older {
		if !kept[o.Path] {
			fc.Removed = append(fc.Removed, o)
		}
	}
	return fc
}
