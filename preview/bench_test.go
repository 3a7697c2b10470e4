package preview

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coursepack/coursepack/internal/txtar"
)

// exampleModule is the module of the example course the benchmarks and
// the incremental-rebuild test edit.
const exampleModule = "modules/03-power-and-influence.md"

// BenchmarkRebuildOneFile measures the preview's rebuild of the example
// course after an edit of one module file:
//
//	one-file  the rebuild itself (load, check, build the package in memory)
//	full      a full rebuild of the same course, nothing changed, in the
//	          same run: the reference for the ratio
//	watched   what the watcher does from the moment it sees the edit: scan,
//	          wait for the folder to settle (settle), rescan, rebuild
//
// Report: go test ./preview -run XXX -bench RebuildOneFile -benchtime 50x
func BenchmarkRebuildOneFile(b *testing.B) {
	dir := txtar.CopyDir(b, "../examples/stepping-into-leadership")
	s, err := New(Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	if !s.Current().OK {
		b.Fatalf("the example does not build: %+v", s.Current())
	}
	file := filepath.Join(dir, filepath.FromSlash(exampleModule))
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	edit := func() {
		n++
		// Same size, other text: the rebuild cannot tell it from the
		// size alone.
		text := strings.Replace(string(orig), "## ", fmt.Sprintf("## %03d ", n%1000), 1)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("one-file", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			edit()
			b.StartTimer()
			s.rebuild([]string{exampleModule})
		}
		if !s.Current().OK {
			b.Fatalf("%+v", s.Current())
		}
	})
	b.Run("full", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.rebuild(nil)
		}
	})
	b.Run("watched", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			edit()
			b.StartTimer()
			if !s.Check() {
				b.Fatal("the edit was not seen")
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.scan(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRebuildOneFileMatchesFullBuild edits one module of the example
// course: the rebuild serves what a full build of the edited course
// serves, file for file, units and warnings alike.
func TestRebuildOneFileMatchesFullBuild(t *testing.T) {
	dir := txtar.CopyDir(t, "../examples/stepping-into-leadership")
	s, _, _ := start(t, Options{Dir: dir, Format: "cmi5"})
	file := filepath.Join(dir, filepath.FromSlash(exampleModule))
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	write(t, file, strings.Replace(string(orig), "## ", "## Edited: ", 1))
	if !s.Check() {
		t.Fatal("the edit was not seen")
	}
	full, err := New(Options{Dir: dir, Format: "cmi5"})
	if err != nil {
		t.Fatal(err)
	}
	got, want := s.Current(), full.Current()
	if !got.OK || !want.OK {
		t.Fatalf("builds: %+v / %+v", got, want)
	}
	if fmt.Sprint(got.Units, got.Warnings) != fmt.Sprint(want.Units, want.Warnings) {
		t.Errorf("units or warnings differ:\n%+v\n%+v", got, want)
	}
	a, b := s.good.files, full.good.files
	if len(a) != len(b) {
		t.Errorf("%d files, a full build has %d", len(a), len(b))
	}
	edited := false
	for name, fb := range b {
		fa, ok := a[name]
		if !ok {
			t.Errorf("%s: missing", name)
			continue
		}
		if !bytes.Equal(fa.Data, fb.Data) || fa.Source != fb.Source {
			t.Errorf("%s differs from a full build's", name)
		}
		edited = edited || bytes.Contains(fa.Data, []byte("Edited: "))
	}
	if !edited {
		t.Error("no file carries the edit")
	}
}

// TestSaveWithoutChange: a save that leaves a file's content as it was
// (an editor's save, a touch) rebuilds nothing; the next real edit does.
func TestSaveWithoutChange(t *testing.T) {
	dir := txtar.CopyDir(t, "../testdata/tiny")
	s, _, log := start(t, Options{Dir: dir})
	file := filepath.Join(dir, "modules", "one.md")
	orig, _ := os.ReadFile(file)
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(file, later, later); err != nil {
		t.Fatal(err)
	}
	before := s.Current().Version
	if s.Check() || s.Current().Version != before {
		t.Error("a touch rebuilt the course")
	}
	if !strings.Contains(log.String(), "modules/one.md saved without a change: nothing to rebuild") {
		t.Errorf("log: %s", log)
	}
	write(t, file, strings.Replace(string(orig), "Some text.", "Some other text.", 1))
	if !s.Check() || s.Current().Version != before+1 {
		t.Error("an edit after the touch did not rebuild")
	}
}
