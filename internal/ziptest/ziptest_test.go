package ziptest

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

func TestFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, text := range map[string]string{"a.txt": "one", "b/c.html": "<p>two</p>"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(text))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got := Texts(t, path)
	if len(got) != 2 || got["a.txt"] != "one" || got["b/c.html"] != "<p>two</p>" {
		t.Errorf("Texts = %v", got)
	}
}
