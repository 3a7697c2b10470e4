package dist

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestWrittenDigestsAndChecksums(t *testing.T) {
	dir := t.TempDir()
	pkgs := []*Package{
		{Name: "b.zip", Files: []File{{Path: "index.html", Data: []byte("<p>b</p>")}}},
		{Name: "a.zip", Files: []File{{Path: "index.html", Data: []byte("<p>a</p>")}}},
		{Name: "site", Folder: true, Files: []File{{Path: "index.html", Data: []byte("<p>site</p>")}}},
	}
	written, err := WriteAll(dir, pkgs, ZipOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range written[:2] {
		data, err := os.ReadFile(w.Path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if w.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: SHA256 %s does not match the file", w.Path, w.SHA256)
		}
	}
	if written[2].SHA256 != "" {
		t.Errorf("a folder got a digest: %s", written[2].SHA256)
	}
	want := written[1].SHA256 + "  a.zip\n" + written[0].SHA256 + "  b.zip\n"
	if got := string(Checksums(written)); got != want {
		t.Errorf("Checksums =\n%s\nwant\n%s", got, want)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "checksums.txt")
	for _, content := range []string{"first\n", "second\n"} {
		if err := WriteFile(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("file holds %q, want %q", got, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only the file (no temporary left)", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x.txt"), []byte("x")); err == nil {
		t.Error("writing into a missing folder did not fail")
	}
}
