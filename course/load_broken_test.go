package course

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The broken courses live in testdata/broken/*.txtar. Each archive holds
// the files of a course folder and a file named "want": the exact problems
// Load must report, one per line as Errors prints them. Two more names are
// special: files whose names start with "../" are written beside the course
// folder (outside it), and a file named "symlinks" lists symbolic links to
// create, one "LINK -> TARGET" per line, LINK relative to the course folder.
// Symbolic links are made at run time because git does not keep them well
// on every system.

// archiveFile is one file of a test archive.
type archiveFile struct {
	name string
	data []byte
}

// parseArchive reads the txtar format: a comment, then files each
// introduced by a line "-- NAME --".
func parseArchive(data []byte) []archiveFile {
	var files []archiveFile
	var cur *archiveFile
	for len(data) > 0 {
		line := data
		next := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, next = data[:i+1], data[i+1:]
		}
		data = next
		trimmed := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(trimmed, []byte("-- ")) && bytes.HasSuffix(trimmed, []byte(" --")) && len(trimmed) > 6 {
			files = append(files, archiveFile{name: string(trimmed[3 : len(trimmed)-3])})
			cur = &files[len(files)-1]
			continue
		}
		if cur != nil {
			cur.data = append(cur.data, line...)
		}
	}
	return files
}

// extractArchive writes the archive under a temporary folder and returns
// the course folder and the wanted problems.
func extractArchive(t *testing.T, archive string) (dir string, want []string) {
	t.Helper()
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	top := t.TempDir()
	dir = filepath.Join(top, "course")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, f := range parseArchive(data) {
		switch f.name {
		case "want":
			for _, l := range strings.Split(strings.TrimSpace(string(f.data)), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					want = append(want, l)
				}
			}
			continue
		case "symlinks":
			links = strings.Split(strings.TrimSpace(string(f.data)), "\n")
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
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
			t.Skipf("cannot create symbolic links here: %v", err)
		}
	}
	return dir, want
}

// snapshot lists every file under dir with its size and modification time,
// to check that Load writes nothing.
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
			dir, want := extractArchive(t, archive)
			before := snapshot(t, filepath.Dir(dir))
			c, err := Load(dir)
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
			if err.Error() != strings.Join(got, "\n") {
				t.Errorf("Errors.Error() = %q, want the problems one per line", err.Error())
			}
		})
	}
}
