package txtar

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	got := Parse([]byte("comment\n-- a.txt --\none\r\ntwo\n-- b/c.md --\n-- not a header\n-- want --\nx\n"))
	want := []File{
		{Name: "a.txt", Data: []byte("one\r\ntwo\n")},
		{Name: "b/c.md", Data: []byte("-- not a header\n")},
		{Name: "want", Data: []byte("x\n")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %q, want %q", got, want)
	}
}

func TestExtract(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "a.txtar")
	text := "-- course.yaml --\nid: x\n-- ../outside.md --\nout\n-- want --\n  first  \n\nsecond\n-- symlinks --\nlink.md -> ../outside.md\n"
	if err := os.WriteFile(archive, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, want := Extract(t, archive)
	if strings.Join(want, "|") != "first|second" {
		t.Errorf("want = %q", want)
	}
	for name, content := range map[string]string{"course.yaml": "id: x\n", "../outside.md": "out\n", "link.md": "out\n"} {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || string(data) != content {
			t.Errorf("%s = %q, %v; want %q", name, data, err, content)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "want")); err == nil {
		t.Error("the want file was written into the course folder")
	}
}

func TestCopyDir(t *testing.T) {
	src := filepath.Join(t.TempDir(), "course")
	WriteFiles(t, src, map[string]string{"course.yaml": "id: x\n", "modules/one.md": "# One\n", "dist/x.zip": "zip"})
	dst := CopyDir(t, src)
	if filepath.Base(dst) != "course" || dst == src {
		t.Errorf("copy at %s", dst)
	}
	for name, want := range map[string]string{"course.yaml": "id: x\n", "modules/one.md": "# One\n"} {
		if got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(name))); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v", name, got, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "dist")); err == nil {
		t.Error("dist/ was copied")
	}
}
