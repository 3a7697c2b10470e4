package starter

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/coursepack/coursepack/course"
)

func TestWriteBuildsACourse(t *testing.T) {
	for _, title := range []string{"", "Safety: the basics", `Quotes "and" # hashes`} {
		t.Run(title, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "Road Safety 101")
			written, err := Write(dir, title)
			if err != nil {
				t.Fatal(err)
			}
			if len(written) != 2 {
				t.Errorf("wrote %v, want course.yaml and one module", written)
			}
			c, err := course.Load(dir)
			if err != nil {
				t.Fatalf("the starter course does not load: %v", err)
			}
			want := title
			if want == "" {
				want = "My course"
			}
			if c.Title != want {
				t.Errorf("title %q, want %q", c.Title, want)
			}
			if c.ID != "https://example.org/courses/road-safety-101" {
				t.Errorf("id %q", c.ID)
			}
			m := c.Modules[0]
			if len(m.Pages) != 3 || len(m.Questions) != 1 || len(m.Reflections) != 1 {
				t.Errorf("module has %d pages, %d questions, %d reflections", len(m.Pages), len(m.Questions), len(m.Reflections))
			}
		})
	}
}

func TestWriteNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(dir, "modules", "01-getting-started.md")
	if err := os.WriteFile(mine, []byte("my own work"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(dir, "")
	if !errors.Is(err, ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if data, _ := os.ReadFile(mine); string(data) != "my own work" {
		t.Error("an existing file was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "course.yaml")); !os.IsNotExist(err) {
		t.Error("course.yaml was written although the init failed")
	}
}
