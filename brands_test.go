package coursepack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/internal/txtar"
	"github.com/coursepack/coursepack/internal/ziptest"
)

const brandsCourse = "testdata/brands-course"

// listDir lists the names in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestBuildBrandMatrix(t *testing.T) {
	out := t.TempDir()
	res, err := Build(context.Background(), Options{
		Dir: brandsCourse, Out: out, Formats: []string{"scorm12", "cmi5"},
		Brands: []string{filepath.Join(brandsCourse, "brands", "*.yaml")},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"build-report.json", "checksums.txt",
		"safe-handling-north-wales-cmi5.zip", "safe-handling-north-wales-scorm12.zip",
		"safe-handling-south-coast-cmi5.zip", "safe-handling-south-coast-scorm12.zip",
	}
	if got := listDir(t, out); !reflect.DeepEqual(got, want) {
		t.Fatalf("output = %v, want %v", got, want)
	}

	type brandWant struct {
		has, lacks []string // in one.html
		files      []string // in the zip
		notFiles   []string
	}
	brands := map[string]brandWant{
		"north-wales": {
			has: []string{
				`<img class="cp-logo" src="brands/north-wales/logo.svg" alt="Safe handling in North Wales">`,
				`--cp-primary:#00524c;`, `--cp-on-primary:#ffffff;`, `--cp-accent:#8a4b00;`, `--cp-text:#1a1a1a;`,
				`@font-face{font-family:"Brand Sans";src:url("brands/north-wales/brand-sans.woff2") format("woff2");font-weight:100 900;font-style:normal;font-display:swap;}`,
				`--cp-brand-font:"Brand Sans";`,
				`<link rel="icon" href="brands/north-wales/favicon.svg" type="image/svg&#43;xml">`,
				"<footer class=\"cp-footer\">\n<p>North Wales Care Partnership</p>\n<p class=\"cp-licence\">Shared under CC BY 4.0</p>\n</footer>",
				`>Next</button>`,
			},
			lacks:    []string{"assets/logo.svg", "#7a1f5c", "Example Training"},
			files:    []string{"brands/north-wales/logo.svg", "brands/north-wales/favicon.svg", "brands/north-wales/brand-sans.woff2"},
			notFiles: []string{"assets/logo.svg", "brands/south-coast/logo.svg"},
		},
		"south-coast": {
			has: []string{
				`<img class="cp-logo" src="brands/south-coast/logo.svg" alt="Safe handling">`,
				`--cp-link:#5c1745;`, `--cp-primary:#7a1f5c;`, `--cp-on-primary:#ffffff;`, `--cp-text:#1a1a1a;`,
				`<link rel="icon" href="data:,">`,
				"<footer class=\"cp-footer\">\n<p>Example Training</p>\n</footer>",
				`>Continue</button>`,
			},
			lacks:    []string{"@font-face", "--cp-brand-font", "#00524c", "North Wales"},
			files:    []string{"brands/south-coast/logo.svg"},
			notFiles: []string{"assets/logo.svg", "brands/north-wales/logo.svg", "brands/north-wales/brand-sans.woff2"},
		},
	}
	for name, bw := range brands {
		for _, f := range []string{"scorm12", "cmi5"} {
			zipName := "safe-handling-" + name + "-" + f + ".zip"
			files := ziptest.Files(t, filepath.Join(out, zipName))
			page := string(files["one.html"])
			if page == "" {
				t.Errorf("%s has no one.html", zipName)
			}
			for _, s := range bw.has {
				if !strings.Contains(page, s) {
					t.Errorf("%s one.html lacks %q", zipName, s)
				}
			}
			for _, s := range bw.lacks {
				if strings.Contains(page, s) {
					t.Errorf("%s one.html has %q, of another brand or replaced", zipName, s)
				}
			}
			for _, p := range bw.files {
				if _, ok := files[p]; !ok {
					t.Errorf("%s lacks %s", zipName, p)
				}
			}
			for _, p := range bw.notFiles {
				if _, ok := files[p]; ok {
					t.Errorf("%s has %s", zipName, p)
				}
			}
		}
	}

	// One checksums.txt and one report cover every brand.
	sums, err := os.ReadFile(filepath.Join(out, ChecksumsFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sums), "\n"); n != 4 {
		t.Errorf("%s has %d lines, want 4:\n%s", ChecksumsFile, n, sums)
	}
	var report Report
	data, err := os.ReadFile(filepath.Join(out, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range report.Packages {
		files = append(files, p.Brand+" "+p.File)
	}
	wantFiles := []string{
		"north-wales safe-handling-north-wales-scorm12.zip", "north-wales safe-handling-north-wales-cmi5.zip",
		"south-coast safe-handling-south-coast-scorm12.zip", "south-coast safe-handling-south-coast-cmi5.zip",
	}
	if !reflect.DeepEqual(files, wantFiles) {
		t.Errorf("report packages = %q, want %q", files, wantFiles)
	}
	wantBrands := []ReportBrand{
		{Name: "north-wales", Organisation: "North Wales Care Partnership", File: "brands/north-wales.yaml", Title: "Safe handling in North Wales", Packages: 2, Errors: []ReportProblem{}},
		{Name: "south-coast", Organisation: "South Coast Health", File: "brands/south-coast.yaml", Title: "Safe handling", Packages: 2, Errors: []ReportProblem{}},
	}
	if !reflect.DeepEqual(report.Brands, wantBrands) {
		t.Errorf("report brands = %+v, want %+v", report.Brands, wantBrands)
	}
	if report.Course.ID != "https://example.org/courses/safe-handling" {
		t.Errorf("report course = %+v", report.Course)
	}
	if len(res.Brands) != 2 || len(res.Written) != 4 || len(res.Brands[0].Written) != 2 || res.Brands[1].Err != nil {
		t.Errorf("result = %+v", res)
	}

	// The brands build at once, yet the output is the same whatever the
	// order they finish in: the same bytes with one brand at a time.
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	again := t.TempDir()
	if _, err := Build(context.Background(), Options{
		Dir: brandsCourse, Out: again, Formats: []string{"cmi5", "scorm12"},
		Brands: []string{filepath.Join(brandsCourse, "brands", "south-coast.yaml"), filepath.Join(brandsCourse, "brands", "*.yaml")},
	}); err != nil {
		t.Fatal(err)
	}
	for _, name := range want {
		a, _ := os.ReadFile(filepath.Join(out, name))
		b, err := os.ReadFile(filepath.Join(again, name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs (%v)", name, err)
		}
	}
}

// brokenBrands copies the brands course and adds a brand whose overlay
// has problems.
func brokenBrands(t *testing.T) string {
	t.Helper()
	dir := txtar.CopyDir(t, brandsCourse)
	err := os.WriteFile(filepath.Join(dir, "brands", "west.yaml"), []byte(`brand:
  name: west
theme:
  colours:
    primary: "#77aaff"
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBuildBrandFailureWritesNothing(t *testing.T) {
	dir := brokenBrands(t)
	out := filepath.Join(t.TempDir(), "out")
	res, err := Build(context.Background(), Options{Dir: dir, Out: out, Formats: []string{"scorm12"},
		Brands: []string{filepath.Join(dir, "brands", "*.yaml")}})
	var brandsErr *BrandsError
	if !errors.As(err, &brandsErr) || brandsErr.Failed != 1 || brandsErr.Total != 3 || brandsErr.Wrote {
		t.Fatalf("error = %v, want 1 of 3 brands failed, nothing written", err)
	}
	if err.Error() != "1 of 3 brands failed; nothing was written" {
		t.Errorf("error = %q", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failing brand let the others be written")
	}
	var problems course.Errors
	if len(res.Brands) != 3 || res.Brands[2].Name != "west" || !errors.As(res.Brands[2].Err, &problems) {
		t.Fatalf("brands = %+v", res.Brands)
	}
	want := `brands/west.yaml:5:14: theme.colours.primary "#77aaff" on the background "#ffffff" (the default) gives button text a contrast of 2.3:1; WCAG 2.2 AA needs 4.5:1 (try a darker shade such as "#4f70a8")`
	if problems.Error() != want {
		t.Errorf("west's problems:\n%s\nwant:\n%s", problems, want)
	}
	for _, b := range res.Brands[:2] {
		if b.Err != nil || b.Course == nil || b.Written != nil {
			t.Errorf("brand %s: err %v, written %v; want built and not written", b.Name, b.Err, b.Written)
		}
	}
	if len(res.Report.Brands) != 3 || len(res.Report.Brands[2].Errors) != 1 || res.Report.Brands[2].Errors[0].Line != 5 {
		t.Errorf("report brands = %+v", res.Report.Brands)
	}
}

func TestBuildBrandKeepGoing(t *testing.T) {
	dir := brokenBrands(t)
	out := filepath.Join(t.TempDir(), "out")
	res, err := Build(context.Background(), Options{Dir: dir, Out: out, Formats: []string{"scorm12"}, KeepGoing: true,
		Brands: []string{filepath.Join(dir, "brands", "*.yaml")}})
	var brandsErr *BrandsError
	if !errors.As(err, &brandsErr) || !brandsErr.Wrote {
		t.Fatalf("error = %v, want the failure, with the others written", err)
	}
	want := []string{"build-report.json", "checksums.txt", "safe-handling-north-wales-scorm12.zip", "safe-handling-south-coast-scorm12.zip"}
	if got := listDir(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("output = %v, want %v", got, want)
	}
	if len(res.Written) != 2 || res.Brands[2].Written != nil {
		t.Errorf("written = %v", res.Written)
	}
	data, err := os.ReadFile(filepath.Join(out, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	var report Report
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	if len(report.Packages) != 2 || len(report.Brands) != 3 || report.Brands[2].Packages != 0 || len(report.Brands[2].Errors) != 1 {
		t.Errorf("report = %+v", report)
	}
}

func TestBrandFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.yaml", "a.yaml", "c.yml"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := BrandFiles([]string{filepath.Join(dir, "*.yaml"), filepath.Join(dir, "a.yaml"), filepath.Join(dir, "c.yml")})
	want := []string{filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml"), filepath.Join(dir, "c.yml")}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("BrandFiles = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []struct{ pattern, msg string }{
		{filepath.Join(dir, "*.json"), "matches no file"},
		{filepath.Join(dir, "none.yaml"), "no such file"},
		{filepath.Join(dir, "sub.yaml"), "is a folder"},
	} {
		_, err := BrandFiles([]string{bad.pattern})
		var usage *UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("BrandFiles(%s) = %v, want a usage error saying %q", bad.pattern, err, bad.msg)
		}
	}
}

func TestBrandNamesMustDiffer(t *testing.T) {
	dir := txtar.CopyDir(t, brandsCourse)
	data, _ := os.ReadFile(filepath.Join(dir, "brands", "south-coast.yaml"))
	copyData := strings.Replace(string(data), "name: south-coast", "name: north-wales", 1)
	if err := os.WriteFile(filepath.Join(dir, "brands", "copy.yaml"), []byte(copyData), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), Options{Dir: dir, Out: t.TempDir(), Brands: []string{filepath.Join(dir, "brands", "*.yaml")}})
	var usage *UsageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), `are both named "north-wales"`) {
		t.Errorf("error = %v, want a usage error about the names", err)
	}
}

func TestCheckBrand(t *testing.T) {
	opts := Options{Dir: brandsCourse, Formats: []string{"scorm12"}}
	c, _, err := CheckBrand(opts, filepath.Join(brandsCourse, "brands", "north-wales.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Safe handling in North Wales" || c.Theme.Colours["primary"] != "#00524c" {
		t.Errorf("the course without the overlay: title %q, primary %q", c.Title, c.Theme.Colours["primary"])
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("brand: {name: bad}\ntheme:\n  colours:\n    primary: \"#ffff66\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = CheckBrand(opts, bad)
	var problems course.Errors
	if !errors.As(err, &problems) || len(problems) != 1 || !strings.HasSuffix(problems[0].File, "bad.yaml") || problems[0].Line != 4 {
		t.Errorf("a brand whose colour fails contrast: %v", err)
	}
}
