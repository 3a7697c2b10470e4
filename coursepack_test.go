package coursepack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
)

func TestBuildIsByteIdentical(t *testing.T) {
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
		t.Run(string(layout), func(t *testing.T) {
			first, second := t.TempDir(), t.TempDir()
			for _, out := range []string{first, second} {
				if _, err := Build(context.Background(), Options{Dir: "examples/stepping-into-leadership", Layout: layout, Out: out}); err != nil {
					t.Fatal(err)
				}
			}
			// Every file, zip or in a folder, has the same bytes in both
			// builds.
			count := 0
			err := filepath.WalkDir(first, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				count++
				rel, _ := filepath.Rel(first, p)
				a, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				b, err := os.ReadFile(filepath.Join(second, rel))
				if err != nil {
					t.Errorf("second build lacks %s: %v", rel, err)
					return nil
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs between two builds of the same input", rel)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if count == 0 {
				t.Fatal("the build wrote nothing")
			}
		})
	}
}

func TestBuildModifiedTimeChangesBytes(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := Build(context.Background(), Options{Dir: "testdata/tiny", Out: a}); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	res, err := Build(context.Background(), Options{Dir: "testdata/tiny", Out: b, Modified: when})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, filepath.Base(res.Written[0].Path)))
	y, _ := os.ReadFile(res.Written[0].Path)
	if bytes.Equal(x, y) {
		t.Error("a different SOURCE_DATE_EPOCH time gave the same bytes")
	}
}

func TestBuildDefaultsToDistInsideCourse(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/tiny")); err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Dir: dir, Formats: []string{"scorm12"}})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "dist", "tiny-scorm12.zip")
	if len(res.Written) != 1 || res.Written[0].Path != want {
		t.Fatalf("wrote %+v, want one package at %s", res.Written, want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
}

func TestBuildErrorsWriteNothing(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		isUsage bool
	}{
		{"broken course", Options{Dir: "testdata/broken-course"}, false},
		{"unknown format", Options{Dir: "testdata/tiny", Formats: []string{"scorm13"}}, true},
		{"missing folder", Options{Dir: "testdata/no-such-course"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			tt.opts.Out = out
			_, err := Build(context.Background(), tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			var usage *UsageError
			if errors.As(err, &usage) != tt.isUsage {
				t.Errorf("usage error = %v, want %v (%v)", !tt.isUsage, tt.isUsage, err)
			}
			if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
				t.Errorf("a failed build created %s", out)
			}
		})
	}
}

func TestBuildReportsEveryCourseProblem(t *testing.T) {
	_, err := Build(context.Background(), Options{Dir: "testdata/broken-course", Out: t.TempDir()})
	var problems course.Errors
	if !errors.As(err, &problems) {
		t.Fatalf("error %v is not course.Errors", err)
	}
	want := []string{
		`course.yaml:1:1: missing required key "title"`,
		`course.yaml:2:1: unknown key "titel" (did you mean "title"?)`,
		`modules/one.md:7:1: file "../assets/missing.png" not found (looked for assets/missing.png in the course folder)`,
	}
	if len(problems) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(problems), len(want), err)
	}
	for i, p := range problems {
		if p.Error() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, p.Error(), want[i])
		}
	}
}

func TestSelectFormats(t *testing.T) {
	all, err := selectFormats(nil)
	if err != nil || len(all) != len(Formats()) {
		t.Fatalf("no names should select every format, got %d, %v", len(all), err)
	}
	one, err := selectFormats([]string{"scorm12", "scorm12"})
	if err != nil || len(one) != 1 {
		t.Errorf("a repeated name should select one format, got %d, %v", len(one), err)
	}
}

func BenchmarkBuildExample(b *testing.B) {
	out := b.TempDir()
	for b.Loop() {
		if _, err := Build(context.Background(), Options{Dir: "examples/stepping-into-leadership", Out: out}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStateWarnings(t *testing.T) {
	res, err := Build(context.Background(), Options{Dir: "testdata/tiny", Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("a small course got warnings: %v", res.Warnings)
	}

	res, err = Build(context.Background(), Options{Dir: "testdata/long-reflections", Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].File != "modules/one.md" ||
		!strings.Contains(res.Warnings[0].Msg, `scorm12: the learner state of module "one" can reach`) {
		t.Errorf("want one warning on modules/one.md, got %v", res.Warnings)
	}

	out := filepath.Join(t.TempDir(), "out")
	_, err = Build(context.Background(), Options{Dir: "testdata/long-reflections", Out: out, Strict: true})
	var problems course.Errors
	if !errors.As(err, &problems) || len(problems) != 1 {
		t.Fatalf("strict build: want the warning as an error, got %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a strict build with warnings wrote output")
	}
}

func TestBuildWritesChecksumsAndReport(t *testing.T) {
	out := t.TempDir()
	res, err := Build(context.Background(), Options{Dir: "testdata/tiny", Out: out, Tool: "coursepack test"})
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(out, ChecksumsFile))
	if err != nil {
		t.Fatal(err)
	}
	zips := 0
	for _, w := range res.Written {
		if w.SHA256 == "" {
			continue
		}
		zips++
		data, _ := os.ReadFile(w.Path)
		sum := sha256.Sum256(data)
		line := hex.EncodeToString(sum[:]) + "  " + filepath.Base(w.Path) + "\n"
		if !strings.Contains(string(sums), line) {
			t.Errorf("%s lacks %q", ChecksumsFile, line)
		}
	}
	if zips == 0 || strings.Count(string(sums), "\n") != zips {
		t.Errorf("%s has %d lines for %d zips:\n%s", ChecksumsFile, strings.Count(string(sums), "\n"), zips, sums)
	}
	data, err := os.ReadFile(filepath.Join(out, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	var report Report
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	if report.Tool != "coursepack test" || report.Course.Title != "Tiny course" || report.Layout != "module" ||
		len(report.Packages) != len(res.Written) {
		t.Errorf("report = %+v", report)
	}
	for i, p := range report.Packages {
		if p.File != filepath.Base(res.Written[i].Path) || p.Size != res.Written[i].Size || p.SHA256 != res.Written[i].SHA256 {
			t.Errorf("package %d = %+v, written %+v", i, p, res.Written[i])
		}
	}
}

func TestBuildProgress(t *testing.T) {
	var steps []string
	_, err := Build(context.Background(), Options{Dir: "testdata/tiny", Out: t.TempDir(), Formats: []string{"scorm12", "html"},
		Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"loading the course", "building scorm12", "building html", "writing 3 packages"}
	if strings.Join(steps, "|") != strings.Join(want, "|") {
		t.Errorf("progress = %q, want %q", steps, want)
	}
}

// TestBuildPathsAreByteIdentical builds the example's every format three
// ways: as the command does (pages rendered as they are written, and the
// entries the zips share compressed once), with every page rendered before
// anything is written, and one format at a time (nothing shared between
// zips). Every file of every package is the same.
func TestBuildPathsAreByteIdentical(t *testing.T) {
	for _, layout := range []format.Layout{format.LayoutModule, format.LayoutCourse, format.LayoutSplit} {
		t.Run(string(layout), func(t *testing.T) {
			dir := "examples/stepping-into-leadership"
			lazy, held, alone := t.TempDir(), t.TempDir(), t.TempDir()
			if _, err := Build(context.Background(), Options{Dir: dir, Layout: layout, Out: lazy}); err != nil {
				t.Fatal(err)
			}
			renderAtWrite = false
			_, err := Build(context.Background(), Options{Dir: dir, Layout: layout, Out: held})
			renderAtWrite = true
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range FormatNames() {
				if _, err := Build(context.Background(), Options{Dir: dir, Layout: layout, Formats: []string{f}, Out: alone}); err != nil {
					t.Fatal(err)
				}
			}
			count := 0
			err = filepath.WalkDir(lazy, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				count++
				rel, _ := filepath.Rel(lazy, p)
				a, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				others := []string{held}
				if rel != ChecksumsFile && rel != ReportFile {
					others = append(others, alone)
				}
				for _, other := range others {
					b, err := os.ReadFile(filepath.Join(other, rel))
					if err != nil {
						t.Errorf("%s lacks %s: %v", other, rel, err)
					} else if !bytes.Equal(a, b) {
						t.Errorf("%s differs from %s in %s", rel, p, other)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if count < 10 {
				t.Fatalf("the build wrote %d files", count)
			}
		})
	}
}
