package inspect_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/inspect"
)

// reportFormat is the format inspect names for a build format's runtime;
// "" for formats that are no LMS package.
var reportFormat = map[string]string{
	"scorm12":   inspect.FormatSCORM12,
	"scorm2004": inspect.FormatSCORM2004,
	"xapi":      inspect.FormatTinCan,
	"cmi5":      inspect.FormatCMI5,
	"web":       "",
}

// Every package our build makes, in every format and layout, reads as the
// format it is, with no problem and no file missing or unlisted.
func TestReadOwnPackages(t *testing.T) {
	for _, f := range coursepack.Formats() {
		want, known := reportFormat[f.Runtime()]
		if !known {
			t.Errorf("format %s (runtime %s) is new: add it to reportFormat", f.Name(), f.Runtime())
			continue
		}
		for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
			t.Run(f.Name()+"/"+string(layout), func(t *testing.T) {
				out := t.TempDir()
				res, err := coursepack.Build(context.Background(), coursepack.Options{
					Dir: filepath.Join("..", "testdata", "tiny"), Formats: []string{f.Name()}, Layout: layout, Out: out,
				})
				if err != nil {
					t.Fatal(err)
				}
				zips := 0
				launchable := 0
				for _, w := range res.Written {
					if !strings.HasSuffix(w.Path, ".zip") {
						continue
					}
					zips++
					rep, err := inspect.Read(w.Path, inspect.Options{})
					if err != nil {
						t.Fatalf("%s: %v", w.Path, err)
					}
					if want == "" {
						if rep.Format != inspect.FormatUnknown || !hasProblem(rep, "no_manifest") {
							t.Errorf("%s: format %q, problems %v; want unknown with no_manifest", w.Path, rep.Format, rep.Problems)
						}
						continue
					}
					checkOwnPackage(t, rep, want)
					for _, u := range rep.Units {
						if u.Launchable {
							launchable++
						}
					}
				}
				if zips == 0 {
					t.Fatal("the build wrote no zip")
				}
				if want == "" {
					return
				}
				// Two modules: a unit each, one for the course, or one per
				// package; tincan.xml always launches one activity.
				wantUnits := map[format.Layout]int{format.LayoutModule: 2, format.LayoutCourse: 1, format.LayoutSplit: 2}[layout]
				if want == inspect.FormatTinCan {
					wantUnits = zips
				}
				if launchable != wantUnits {
					t.Errorf("%d launchable units in all, want %d", launchable, wantUnits)
				}
			})
		}
	}
}

func checkOwnPackage(t *testing.T, rep *inspect.Report, want string) {
	t.Helper()
	if rep.Format != want {
		t.Errorf("%s: format %q, want %q", rep.Package, rep.Format, want)
	}
	for _, p := range rep.Problems {
		t.Errorf("%s: problem %s %s: %s", rep.Package, p.Severity, p.Code, p.Message)
	}
	switch want {
	case inspect.FormatSCORM12:
		if rep.Version != "1.2" {
			t.Errorf("version %q", rep.Version)
		}
	case inspect.FormatSCORM2004:
		if rep.Version != "2004 4th Edition" {
			t.Errorf("version %q", rep.Version)
		}
	}
	if rep.Identifier == "" || rep.Title == "" || rep.Manifest == "" {
		t.Errorf("identifier %q, title %q, manifest %q: want all three", rep.Identifier, rep.Title, rep.Manifest)
	}
	if len(rep.MissingFiles)+len(rep.UnlistedFiles)+len(rep.CaseMismatches) > 0 {
		t.Errorf("missing %v, unlisted %v, case %v", rep.MissingFiles, rep.UnlistedFiles, rep.CaseMismatches)
	}
	a := rep.Audit
	if len(a.ExternalHosts)+len(a.Popups)+len(a.UnloadHandlers) > 0 {
		t.Errorf("our player uses other hosts %v, popups %v or unload handlers %v", a.ExternalHosts, a.Popups, a.UnloadHandlers)
	}
	if a.FileCount == 0 || a.TotalSize == 0 || len(a.LargestFiles) == 0 || len(rep.Files) != a.FileCount {
		t.Errorf("audit sizes: %+v", a)
	}
	for _, u := range rep.Units {
		if u.Launchable && u.Launch == "" {
			t.Errorf("unit %s is launchable with no launch file", u.Identifier)
		}
	}
}

func hasProblem(rep *inspect.Report, code string) bool {
	for _, p := range rep.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// Diffing our own builds: a rebuild changes nothing; splitting the course
// into one package per module orphans the records of the whole-course
// package.
func TestDiffOwnBuilds(t *testing.T) {
	build := func(layout format.Layout) []string {
		out := t.TempDir()
		res, err := coursepack.Build(context.Background(), coursepack.Options{
			Dir: filepath.Join("..", "testdata", "tiny"), Formats: []string{"scorm12"}, Layout: layout, Out: out,
		})
		if err != nil {
			t.Fatal(err)
		}
		var zips []string
		for _, w := range res.Written {
			if strings.HasSuffix(w.Path, ".zip") {
				zips = append(zips, w.Path)
			}
		}
		return zips
	}
	first, again, split := build(format.LayoutModule), build(format.LayoutModule), build(format.LayoutSplit)

	d, err := inspect.DiffFiles(first[0], again[0], inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Breaking || len(d.Changes) > 0 || len(d.Files.Added)+len(d.Files.Removed)+len(d.Files.Changed) > 0 {
		t.Errorf("a rebuild differs: %+v", d)
	}

	d, err = inspect.DiffFiles(first[0], split[0], inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Breaking || len(d.OrphanedUnits) != 2 {
		t.Errorf("module -> split: breaking %v, orphaned %v; want breaking, both units", d.Breaking, d.OrphanedUnits)
	}
	kinds := map[string]string{}
	for _, c := range d.Changes {
		kinds[c.Kind] = c.Severity
	}
	if kinds["identifier_changed"] != inspect.SeverityBreaking || kinds["unit_removed"] != inspect.SeverityBreaking {
		t.Errorf("changes %v", d.Changes)
	}
}
