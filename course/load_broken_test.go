package course

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/internal/txtar"
)

// The broken courses live in testdata/broken/*.txtar, in the format of
// package internal/txtar: the files of a course folder and a file named
// "want", the exact problems Load must report, one per line as Errors
// prints them.

// snapshot lists every file under dir with its size and modification time,
// to check that Load writes nothing.
// refused calls load, which loads the course in dir, and checks that it
// refused the course with Errors and changed nothing in dir's folder; it
// returns the Errors.
func refused(t *testing.T, dir string, load func() (*Course, error)) Errors {
	t.Helper()
	before := snapshot(t, filepath.Dir(dir))
	c, err := load()
	if after := snapshot(t, filepath.Dir(dir)); after != before {
		t.Errorf("Load changed the folder:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if c != nil {
		t.Errorf("Load returned a course as well as an error")
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load error = %v (%T), want Errors", err, err)
	}
	return errs
}

func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("%s %v %v %d", path, info.Mode(), info.ModTime(), info.Size()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestLoadBroken(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join("testdata", "broken", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) < 18 {
		t.Fatalf("found %d broken courses, want at least 18", len(archives))
	}
	for _, archive := range archives {
		name := strings.TrimSuffix(filepath.Base(archive), ".txtar")
		t.Run(name, func(t *testing.T) {
			dir, want := txtar.Extract(t, archive)
			errs := refused(t, dir, func() (*Course, error) { return Load(dir) })
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
				if strings.Contains(e.File, `\`) || filepath.IsAbs(e.File) {
					t.Errorf("File %q is not relative with forward slashes", e.File)
				}
			}
			if len(want) == 0 {
				t.Fatalf("the archive has no want file; Load reported:\n%s", strings.Join(got, "\n"))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if errs.Error() != strings.Join(got, "\n") {
				t.Errorf("Errors.Error() = %q, want the problems one per line", errs.Error())
			}
		})
	}
}
