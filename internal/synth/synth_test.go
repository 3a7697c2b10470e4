package synth

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/course"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := Generate(dir, Small); err != nil {
			t.Fatal(err)
		}
	}
	count := 0
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		count++
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count == 0 {
		t.Fatal("nothing was written")
	}
	other := Small
	other.Seed++
	c := t.TempDir()
	if _, err := Generate(c, other); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "modules", moduleFile(0)+".md"))
	y, _ := os.ReadFile(filepath.Join(c, "modules", moduleFile(0)+".md"))
	if bytes.Equal(x, y) {
		t.Error("another seed gave the same text")
	}
}

func TestGeneratedCourseLoadsAndBuilds(t *testing.T) {
	spec := Small
	spec.Modules, spec.VideoEvery = 3, 2
	dir := t.TempDir()
	st, err := Generate(dir, spec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := course.Load(dir)
	if err != nil {
		t.Fatalf("the generated course does not load: %v", err)
	}
	if len(c.Modules) != spec.Modules {
		t.Fatalf("%d modules, want %d", len(c.Modules), spec.Modules)
	}
	var media int64
	kinds := map[string]bool{}
	for _, a := range c.Assets {
		media += a.Size
		kinds[filepath.Ext(a.Path)] = true
	}
	if media != st.MediaBytes {
		t.Errorf("the course's assets hold %d bytes, Generate wrote %d of media", media, st.MediaBytes)
	}
	for _, ext := range []string{".jpg", ".png", ".mp4", ".vtt"} {
		if !kinds[ext] {
			t.Errorf("no %s asset", ext)
		}
	}
	for _, m := range c.Modules {
		if len(m.Pages) != spec.Pages || len(m.Questions) != 4 || len(m.Reflections) != 2 {
			t.Errorf("module %s: %d pages, %d questions, %d reflections; want %d, 4, 2",
				m.ID, len(m.Pages), len(m.Questions), len(m.Reflections), spec.Pages)
		}
	}
	res, err := coursepack.Build(context.Background(), coursepack.Options{Dir: dir, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	// Only the module holding the action plan outgrows SCORM 1.2's
	// suspend_data.
	if len(res.Warnings) > 1 {
		t.Errorf("%d warnings, want at most 1:\n%v", len(res.Warnings), res.Warnings)
	}
}

func TestGenerateRefusesAFolderInUse(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(dir, Small); err == nil {
		t.Fatal("Generate wrote into a folder that is not empty")
	}
}
