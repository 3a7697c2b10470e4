// Package txtar reads the test archives of the course corpora
// (course/testdata/broken, lint/testdata): a comment, then files each
// introduced by a line "-- NAME --", and writes them out as a course folder.
//
// Besides the course's own files an archive may hold a file named "want":
// the exact lines a test expects, one per line. Files whose names start
// with "../" are written beside the course folder (outside it), and a file
// named "symlinks" lists symbolic links to create, one "LINK -> TARGET" per
// line, LINK relative to the course folder. Symbolic links are made at run
// time because git does not keep them well on every system.
package txtar

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// File is one file of an archive.
type File struct {
	Name string
	Data []byte
}

// Parse reads an archive.
func Parse(data []byte) []File {
	var files []File
	var cur *File
	for len(data) > 0 {
		line := data
		next := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, next = data[:i+1], data[i+1:]
		}
		data = next
		trimmed := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(trimmed, []byte("-- ")) && bytes.HasSuffix(trimmed, []byte(" --")) && len(trimmed) > 6 {
			files = append(files, File{Name: string(trimmed[3 : len(trimmed)-3])})
			cur = &files[len(files)-1]
			continue
		}
		if cur != nil {
			cur.Data = append(cur.Data, line...)
		}
	}
	return files
}

// Extract writes the archive at path under a temporary folder of t and
// returns the course folder and the lines of its "want" file, without
// blank lines or surrounding space.
func Extract(t testing.TB, path string) (dir string, want []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	top := t.TempDir()
	dir = filepath.Join(top, "course")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, f := range Parse(data) {
		switch f.Name {
		case "want":
			for _, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					want = append(want, l)
				}
			}
			continue
		case "symlinks":
			links = strings.Split(strings.TrimSpace(string(f.Data)), "\n")
			continue
		}
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data)
	}
	for _, l := range links {
		link, target, ok := strings.Cut(l, " -> ")
		if !ok {
			t.Fatalf("bad symlinks line %q", l)
		}
		path := filepath.Join(dir, filepath.FromSlash(strings.TrimSpace(link)))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(strings.TrimSpace(target)), path); err != nil {
			t.Fatalf("making the symbolic link %s: %v", link, err)
		}
	}
	return dir, want
}

// WriteFiles writes files (a slash-separated path under dir → its text)
// into dir, making the folders they need.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), []byte(text))
	}
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// CopyDir copies the course folder src, without its dist/ folder of built
// packages, into a new temporary folder of tb, under src's own name, and
// returns the copy: a course a test may change.
func CopyDir(tb testing.TB, src string) string {
	tb.Helper()
	dst := filepath.Join(tb.TempDir(), filepath.Base(filepath.Clean(src)))
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel == "dist" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return dst
}
