package dist

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func smallPackage(name string) *Package {
	p := &Package{Name: name}
	p.Add("imsmanifest.xml", []byte("<manifest/>"))
	p.Add("index.html", []byte("<p>"+name+"</p>"))
	return p
}

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "nested")
	pkgs := []*Package{smallPackage("a-scorm12.zip"), smallPackage("b-scorm12.zip")}
	written, err := WriteAll(dir, pkgs, ZipOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, dir), []string{"a-scorm12.zip", "b-scorm12.zip"}; !slices.Equal(got, want) {
		t.Fatalf("dir holds %v, want %v", got, want)
	}
	if len(written) != 2 {
		t.Fatalf("%d written, want 2", len(written))
	}
	for i, w := range written {
		if w.Path != filepath.Join(dir, pkgs[i].Name) {
			t.Errorf("written[%d].Path = %s", i, w.Path)
		}
		b, err := os.ReadFile(w.Path)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(b)) != w.Size {
			t.Errorf("%s: Size %d, file has %d bytes", w.Path, w.Size, len(b))
		}
		var want bytes.Buffer
		if err := WriteZip(&want, pkgs[i], ZipOptions{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want.Bytes()) {
			t.Errorf("%s differs from WriteZip's bytes", w.Path)
		}
		info, _ := os.Stat(w.Path)
		if info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", w.Path, info.Mode().Perm())
		}
	}

	// Writing again replaces the zips.
	pkgs[0].Add("extra.txt", []byte("new"))
	if _, err := WriteAll(dir, pkgs, ZipOptions{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "a-scorm12.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 3 {
		t.Errorf("the rewritten zip has %d entries, want 3", len(zr.File))
	}
	if got, want := dirNames(t, dir), []string{"a-scorm12.zip", "b-scorm12.zip"}; !slices.Equal(got, want) {
		t.Fatalf("dir holds %v, want %v", got, want)
	}
}

func TestWriteAllFailure(t *testing.T) {
	missing := &Package{Name: "c-scorm12.zip"}
	missing.Add("imsmanifest.xml", []byte("<manifest/>"))
	missing.AddFile("assets/gone.png", "/nonexistent/gone.png")
	badPath := smallPackage("d-scorm12.zip")
	badPath.Add("../escape.html", []byte("x"))

	tests := []struct {
		name string
		pkgs []*Package
		want string
	}{
		{"missing source after good ones", []*Package{smallPackage("a-scorm12.zip"), smallPackage("b-scorm12.zip"), missing}, "gone.png"},
		{"missing source first", []*Package{missing, smallPackage("a-scorm12.zip")}, "gone.png"},
		{"bad path", []*Package{smallPackage("a-scorm12.zip"), badPath}, ".."},
		{"duplicate names", []*Package{smallPackage("a-scorm12.zip"), smallPackage("a-scorm12.zip")}, "two packages"},
		{"name with a folder", []*Package{smallPackage("sub/a.zip")}, "no folder"},
		{"dot name", []*Package{smallPackage(".a.zip")}, "starts with a dot"},
		{"empty name", []*Package{smallPackage("")}, "not a file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			// Files already there, one with the name of a package being
			// written: all must be left as they were.
			old := map[string]string{"a-scorm12.zip": "old zip", "notes.txt": "keep me", ".hidden": "me too"}
			for name, content := range old {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			written, err := WriteAll(dir, tt.pkgs, ZipOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if written != nil {
				t.Errorf("written = %v, want nil", written)
			}
			if got, want := dirNames(t, dir), []string{".hidden", "a-scorm12.zip", "notes.txt"}; !slices.Equal(got, want) {
				t.Errorf("dir holds %v, want %v", got, want)
			}
			for name, content := range old {
				if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != content {
					t.Errorf("%s changed to %q", name, b)
				}
			}
		})
	}
}

func TestWriteAllNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	written, err := WriteAll(dir, nil, ZipOptions{})
	if err != nil || len(written) != 0 {
		t.Fatalf("WriteAll(nil) = %v, %v", written, err)
	}
	if len(dirNames(t, dir)) != 0 {
		t.Error("files written for no package")
	}
}
