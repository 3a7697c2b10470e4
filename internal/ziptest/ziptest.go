// Package ziptest reads a package's zip whole, for tests that check what a
// build wrote.
package ziptest

import (
	"archive/zip"
	"io"
	"testing"
)

// Files returns the files of the zip at path, by name; a zip that cannot
// be read fails tb.
func Files(tb testing.TB, path string) map[string][]byte {
	tb.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	out := make(map[string][]byte, len(r.File))
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		out[f.Name] = data
	}
	return out
}

// Texts is Files with each file as a string.
func Texts(tb testing.TB, path string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for name, data := range Files(tb, path) {
		out[name] = string(data)
	}
	return out
}
