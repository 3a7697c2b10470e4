package inspect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

func testReport(format, id string, units ...Unit) *Report {
	r := newReport("p.zip")
	r.Format, r.Identifier, r.Title = format, id, "Course"
	if format == FormatSCORM12 {
		r.Version = "1.2"
	}
	if format == FormatSCORM2004 {
		r.Version = "2004 4th Edition"
	}
	r.Organizations = []Organization{{Identifier: "org", Title: "Course", Default: true}}
	r.Units = units
	return r
}

func sco(id, title string) Unit {
	return Unit{Identifier: id, Title: title, Kind: KindSCO, Launchable: true, Organization: "org", Resource: "res-" + id, Launch: id + ".html"}
}

func with(u Unit, f func(*Unit)) Unit {
	f(&u)
	return u
}

func TestCompare(t *testing.T) {
	a, b := sco("item-a", "A"), sco("item-b", "B")
	v1 := testReport(FormatSCORM12, "m1", a, b)
	tests := []struct {
		name     string
		old, new *Report
		// changes are "kind severity identifier", sorted.
		changes  []string
		breaking bool
		orphaned string
	}{
		{name: "no change", old: v1, new: testReport(FormatSCORM12, "m1", a, b)},
		{name: "renamed", old: v1, new: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.Title = "A, revised" }), b),
			changes: []string{"unit_renamed info item-a"}},
		{name: "removed", old: v1, new: testReport(FormatSCORM12, "m1", a),
			changes: []string{"unit_removed breaking item-b"}, breaking: true, orphaned: "[item-b]"},
		{name: "added", old: v1, new: testReport(FormatSCORM12, "m1", a, b, sco("item-c", "C")),
			changes: []string{"unit_added info item-c"}},
		{name: "identifier changed", old: v1, new: testReport(FormatSCORM12, "m2", a, b),
			changes: []string{"identifier_changed breaking "}, breaking: true, orphaned: "[item-a item-b]"},
		{name: "mastery", old: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.MasteryScore = "80" })),
			new:     testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.MasteryScore = "90" })),
			changes: []string{"mastery_changed warning item-a"}},
		{name: "mastery written otherwise", old: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.MasteryScore = "80" })),
			new: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.MasteryScore = "80.0" }))},
		{name: "mastery added", old: v1, new: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.MasteryScore = "75" }), b),
			changes: []string{"mastery_changed warning item-a"}},
		{name: "launch and parameters", old: v1, new: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.Launch, u.Parameters = "new.html", "?x=1" }), b),
			changes: []string{"launch_changed info item-a", "parameters_changed info item-a"}},
		{name: "to SCORM 2004, same pass mark", old: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.MasteryScore = "80" })),
			new:     testReport(FormatSCORM2004, "m1", with(a, func(u *Unit) { u.MasteryScore = "0.8" })),
			changes: []string{"format_changed breaking "}, breaking: true, orphaned: "[item-a]"},
		{name: "2004 edition", old: testReport(FormatSCORM2004, "m1", a), new: func() *Report {
			r := testReport(FormatSCORM2004, "m1", a)
			r.Version = "2004 3rd Edition"
			return r
		}(), changes: []string{"version_changed warning "}},
		{name: "completion threshold", old: testReport(FormatSCORM2004, "m1", with(a, func(u *Unit) { u.CompletionThreshold = "1.0" })),
			new: testReport(FormatSCORM2004, "m1", with(a, func(u *Unit) { u.CompletionThreshold = "1" }))},
		{name: "completion threshold dropped", old: testReport(FormatSCORM2004, "m1", with(a, func(u *Unit) { u.CompletionThreshold = "1.0" })),
			new: testReport(FormatSCORM2004, "m1", a), changes: []string{"completion_changed warning item-a"}},
		{name: "sco to asset", old: v1, new: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.Kind = KindAsset }), b),
			changes: []string{"kind_changed warning item-a"}},
		{name: "sco to aggregation", old: v1, new: testReport(FormatSCORM12, "m1", with(a, func(u *Unit) { u.Kind, u.Launchable, u.Launch = KindAggregation, false, "" }), b),
			changes: []string{"kind_changed breaking item-a", "launch_changed info item-a"}, breaking: true, orphaned: "[item-a]"},
		{name: "aggregation removed", old: testReport(FormatSCORM12, "m1", Unit{Identifier: "part", Kind: KindAggregation, Organization: "org"}, with(a, func(u *Unit) { u.Parent, u.Depth = "part", 1 })),
			new:     testReport(FormatSCORM12, "m1", a),
			changes: []string{"unit_moved info item-a", "unit_removed warning part"}},
		{name: "cmi5 moveOn and mastery",
			old:     testReport(FormatCMI5, "https://e.org/c", Unit{Identifier: "https://e.org/c/a", Kind: KindAU, Launchable: true, MoveOn: "Completed", LaunchMethod: "AnyWindow"}),
			new:     testReport(FormatCMI5, "https://e.org/c", Unit{Identifier: "https://e.org/c/a", Kind: KindAU, Launchable: true, MoveOn: "CompletedAndPassed", MasteryScore: "0.8", LaunchMethod: "OwnWindow"}),
			changes: []string{"launch_method_changed info https://e.org/c/a", "mastery_changed warning https://e.org/c/a", "move_on_changed warning https://e.org/c/a"}},
		{name: "default organisation", old: v1, new: func() *Report {
			r := testReport(FormatSCORM12, "m1", a, b)
			r.Organizations = []Organization{{Identifier: "org2", Title: "Course", Default: true}}
			return r
		}(), changes: []string{"default_organization_changed warning ", "organization_added info org2", "organization_removed warning org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Compare(tt.old, tt.new)
			var got []string
			for _, c := range d.Changes {
				got = append(got, c.Kind+" "+c.Severity+" "+c.Identifier)
				if c.Message == "" {
					t.Errorf("change %s has no message", c.Kind)
				}
			}
			sort.Strings(got)
			eq(t, "changes", strings.Join(got, "\n"), strings.Join(tt.changes, "\n"))
			if d.Breaking != tt.breaking {
				t.Errorf("breaking = %v, want %v", d.Breaking, tt.breaking)
			}
			if tt.orphaned == "" {
				tt.orphaned = "[]"
			}
			eq(t, "orphaned", fmt.Sprint(d.OrphanedUnits), tt.orphaned)
		})
	}
}

func TestCompareFiles(t *testing.T) {
	older := testReport(FormatSCORM12, "m1")
	older.Files = []File{{Path: "a.html", Size: 10, CRC32: "00000001"}, {Path: "b.html", Size: 10, CRC32: "00000002"}, {Path: "c.html", Size: 5, CRC32: "00000003"}}
	newer := testReport(FormatSCORM12, "m1")
	newer.Files = []File{{Path: "a.html", Size: 10, CRC32: "00000001"}, {Path: "b.html", Size: 10, CRC32: "000000ff"}, {Path: "d.html", Size: 7, CRC32: "00000004"}}
	d := Compare(older, newer)
	eq(t, "files", line(d.Files.Added[0].Path, d.Files.Removed[0].Path, d.Files.Changed[0].Path, d.Files.Changed[0].OldCRC32, d.Files.Changed[0].NewCRC32),
		"d.html c.html b.html 00000002 000000ff")
	if len(d.Files.Added)+len(d.Files.Removed)+len(d.Files.Changed) != 3 || d.Breaking {
		t.Errorf("files %+v, breaking %v", d.Files, d.Breaking)
	}
}

// The JSON forms keep their documented field names, and lists are [] and
// never null.
func TestJSONFieldNames(t *testing.T) {
	rep := newReport("p.zip")
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "null") {
		t.Errorf("an empty report has null fields: %s", buf.String())
	}
	var top map[string]any
	json.Unmarshal(buf.Bytes(), &top)
	for _, k := range []string{"package", "format", "version", "manifest", "identifier", "title", "organizations", "units", "missing_files",
		"unlisted_files", "case_mismatches", "problems", "audit", "files"} {
		if _, ok := top[k]; !ok {
			t.Errorf("report JSON lacks %q", k)
		}
	}
	audit := top["audit"].(map[string]any)
	for _, k := range []string{"total_size", "compressed_size", "file_count", "largest_files", "external_hosts", "popups", "unload_handlers", "not_audited"} {
		if _, ok := audit[k]; !ok {
			t.Errorf("audit JSON lacks %q", k)
		}
	}
	unit, _ := json.Marshal(Unit{})
	eq(t, "unit", string(unit), `{"identifier":"","title":"","kind":"","launchable":false,"organization":"","parent":"","depth":0,"resource":"","launch":"","parameters":"","mastery_score":"","completion_threshold":"","move_on":"","launch_method":"","activity_type":""}`)

	buf.Reset()
	d := Compare(testReport(FormatSCORM12, "m1"), testReport(FormatSCORM12, "m1"))
	if err := json.NewEncoder(&buf).Encode(d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "null") {
		t.Errorf("an empty diff has null fields: %s", buf.String())
	}
	eq(t, "diff", strings.TrimSpace(buf.String()), `{"old":{"package":"p.zip","format":"scorm12","version":"1.2","identifier":"m1","title":"Course","errors":0},`+
		`"new":{"package":"p.zip","format":"scorm12","version":"1.2","identifier":"m1","title":"Course","errors":0},`+
		`"breaking":false,"orphaned_units":[],"changes":[],"files":{"added":[],"removed":[],"changed":[]}}`)
}

func TestWriteText(t *testing.T) {
	rep, err := Read(makeZip(t, t.TempDir(), "p.zip", files("imsmanifest.xml", scorm12(org(itemA12), resA12), "a.html", `<script>window.open("x")</script>`, "extra.txt", "x")...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"  format      SCORM 1.2\n",
		"  identifier  m1\n",
		`Organization "org" (default): Course`,
		"  IDENTIFIER  KIND  TITLE  LAUNCH  MASTERY\n  item-a      sco   A      a.html  80\n",
		"Problems: 0 errors, 1 warning\n  warning  files_unlisted  1 file is in the zip",
		"  popups           1\n    a.html:1",
		"  other hosts      none\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}

	older := testReport(FormatSCORM12, "m1", sco("item-a", "A"), sco("item-b", "B"))
	buf.Reset()
	if err := Compare(older, testReport(FormatSCORM12, "m1", sco("item-a", "A"))).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Changes: 1 breaking, 0 warnings, 0 info", "  BREAKING  unit_removed  SCO \"item-b\"", "WARNING: this update would orphan the learner records of 1 unit: item-b."} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("diff text lacks %q:\n%s", want, buf.String())
		}
	}
}
