package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/internal/txtar"
)

// brandsCourse is the course with two brand overlays.
var brandsCourse = filepath.Join("..", "..", "testdata", "brands-course")

// copyBrands copies the brands course into a temporary folder, with extra
// files (path: content) added, and returns the copy.
func copyBrands(t *testing.T, extra map[string]string) string {
	t.Helper()
	dst := txtar.CopyDir(t, brandsCourse)
	txtar.WriteFiles(t, dst, extra)
	return dst
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestBuildBrandsCLI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	glob := filepath.Join(brandsCourse, "brands", "*.yaml")
	code, stdout, stderr := runCLI(t, nil, "build", "--out", out, "--format", "scorm12,html", "--brand", glob, brandsCourse)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want := []string{
		"build-report.json", "checksums.txt",
		"safe-handling-north-wales-html", "safe-handling-north-wales-html.zip", "safe-handling-north-wales-scorm12.zip",
		"safe-handling-south-coast-html", "safe-handling-south-coast-html.zip", "safe-handling-south-coast-scorm12.zip",
	}
	if got := names(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("output = %v, want %v", got, want)
	}
	// One summary, brand by brand.
	for _, s := range []string{
		"brand north-wales: 3 packages\nwrote ",
		"safe-handling-north-wales-scorm12.zip (",
		"brand south-coast: 3 packages\nwrote ",
	} {
		if !strings.Contains(stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout)
		}
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
	// The web index carries the brand too.
	index, err := os.ReadFile(filepath.Join(out, "safe-handling-north-wales-html", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`src="brands/north-wales/logo.svg"`, `--cp-primary:#00524c;`, `<p>North Wales Care Partnership</p>`, `href="brands/north-wales/favicon.svg"`} {
		if !strings.Contains(string(index), s) {
			t.Errorf("index.html lacks %q", s)
		}
	}
}

func TestBuildOneBrandCLI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, nil, "build", "--json", "--out", out, "--format", "cmi5",
		"--brand", filepath.Join(brandsCourse, "brands", "south-coast.yaml"), brandsCourse)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	var report coursepack.Report
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if len(report.Packages) != 1 || report.Packages[0].File != "safe-handling-south-coast-cmi5.zip" || report.Packages[0].Brand != "south-coast" ||
		len(report.Brands) != 1 || report.Brands[0].Organisation != "South Coast Health" {
		t.Errorf("report = %+v", report)
	}
}

func TestBuildBrandProblemsCLI(t *testing.T) {
	west := `brand:
  name: west
id: https://example.org/courses/other
theme:
  colours:
    primary: "#77aaff"
  fonts:
    - family: Web
      file: https://fonts.example.com/web.woff2
`
	dir := copyBrands(t, map[string]string{"brands/west.yaml": west})
	glob := filepath.Join(dir, "brands", "*.yaml")
	wantProblem := filepath.ToSlash(dir) + `/brands/west.yaml:3:1: a brand overlay cannot change id: packages and learner records are tied to the course's id`

	t.Run("all or nothing", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := runCLI(t, nil, "build", "--out", out, "--format", "scorm12", "--brand", glob, dir)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		for _, s := range []string{"brand west (" + glob[:len(glob)-len("*.yaml")] + "west.yaml): 1 problem\n", wantProblem,
			"coursepack: 1 of 3 brands failed; nothing was written"} {
			if !strings.Contains(stderr, s) {
				t.Errorf("stderr lacks %q:\n%s", s, stderr)
			}
		}
		for _, s := range []string{"brand north-wales: built, not written", "brand west: failed, 1 problem"} {
			if !strings.Contains(stdout, s) {
				t.Errorf("stdout lacks %q:\n%s", s, stdout)
			}
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Error("packages were written")
		}
	})

	// Once the overlay's keys are right, the course's own checks find the
	// rest, located in the overlay.
	fixed := strings.Replace(west, "id: https://example.org/courses/other\n", "", 1)
	if err := os.WriteFile(filepath.Join(dir, "brands", "west.yaml"), []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("keep going", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := runCLI(t, nil, "build", "--keep-going", "--out", out, "--format", "scorm12", "--brand", glob, dir)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		for _, s := range []string{
			filepath.ToSlash(dir) + `/brands/west.yaml:5:14: theme.colours.primary "#77aaff" on the background "#ffffff" (the default) gives button text a contrast of 2.3:1; WCAG 2.2 AA needs 4.5:1 (try a darker shade such as "#4f70a8")`,
			filepath.ToSlash(dir) + `/brands/west.yaml:8:13: theme.fonts[1].file: "https://fonts.example.com/web.woff2" is a remote font`,
			"coursepack: 1 of 3 brands failed; the packages of the others were written",
		} {
			if !strings.Contains(stderr, s) {
				t.Errorf("stderr lacks %q:\n%s", s, stderr)
			}
		}
		if !strings.Contains(stdout, "brand north-wales: 1 package\nwrote ") || !strings.Contains(stdout, "brand west: failed, 2 problems") {
			t.Errorf("stdout:\n%s", stdout)
		}
		want := []string{"build-report.json", "checksums.txt", "safe-handling-north-wales-scorm12.zip", "safe-handling-south-coast-scorm12.zip"}
		if got := names(t, out); !reflect.DeepEqual(got, want) {
			t.Errorf("output = %v, want %v", got, want)
		}
	})
}

func TestBuildBrandUsageCLI(t *testing.T) {
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"no match", []string{"--brand", filepath.Join(brandsCourse, "brands", "*.json")}, "matches no file"},
		{"no file", []string{"--brand", filepath.Join(brandsCourse, "brands", "east.yaml")}, "no such file"},
		{"keep going alone", []string{"--keep-going"}, "--keep-going needs --brand"},
		{"unknown format", []string{"--format", "scorm13", "--brand", filepath.Join(brandsCourse, "brands", "*.yaml")}, `unknown format "scorm13"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append(append([]string{"build", "--out", out}, tt.args...), brandsCourse)
			code, _, stderr := runCLI(t, nil, args...)
			if code != 2 || !strings.Contains(stderr, tt.err) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.err)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("a usage error wrote output")
			}
		})
	}
}
