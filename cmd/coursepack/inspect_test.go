package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/format"
)

// buildTiny builds testdata/tiny as SCORM 1.2 with the layout into a temp
// folder and returns the zips written.
func buildTiny(t *testing.T, layout format.Layout) []string {
	t.Helper()
	res, err := coursepack.Build(context.Background(), coursepack.Options{
		Dir: filepath.Join("..", "..", "testdata", "tiny"), Formats: []string{"scorm12"}, Layout: layout, Out: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var zips []string
	for _, w := range res.Written {
		if strings.HasSuffix(w.Path, ".zip") {
			zips = append(zips, w.Path)
		}
	}
	return zips
}

// writeZip writes a zip of name -> content into dir.
func writeZip(t *testing.T, dir, name string, entries ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

func TestInspectCommand(t *testing.T) {
	pkg := buildTiny(t, format.LayoutModule)[0]
	dir := t.TempDir()
	evil := writeZip(t, dir, "evil.zip", "imsmanifest.xml", "<manifest/>", "../evil", "x")
	truncated := filepath.Join(dir, "truncated.zip")
	data, _ := os.ReadFile(pkg)
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	broken := writeZip(t, dir, "broken.zip", "index.html", "<p>no manifest</p>")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{name: "text", args: []string{"inspect", pkg}, wantOut: []string{"format      SCORM 1.2", "item-one", "item-two", "No problems found.", "other hosts      none"}},
		{name: "problems are no failure", args: []string{"inspect", broken}, wantOut: []string{"no_manifest"}},
		{name: "hostile zip", args: []string{"inspect", evil}, wantCode: 1, wantErr: `refusing a hostile zip: entry "../evil"`},
		{name: "truncated zip", args: []string{"inspect", truncated}, wantCode: 1, wantErr: "unreadable zip: not a zip file, or truncated"},
		{name: "missing file", args: []string{"inspect", filepath.Join(dir, "none.zip")}, wantCode: 1, wantErr: "none.zip"},
		{name: "no argument", args: []string{"inspect"}, wantCode: 2, wantErr: "accepts 1 arg(s), received 0"},
		{name: "two arguments", args: []string{"inspect", pkg, pkg}, wantCode: 2, wantErr: "accepts 1 arg(s)"},
		{name: "unknown flag", args: []string{"inspect", "--yaml", pkg}, wantCode: 2, wantErr: "unknown flag: --yaml"},
		{name: "help", args: []string{"inspect", "--help"}, wantOut: []string{"coursepack inspect --json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, tt.args...)
			checkCLI(t, code, stdout, stderr, tt.wantCode, tt.wantOut, tt.wantErr)
			if tt.wantCode != 0 && stdout != "" {
				t.Errorf("a failure printed to stdout: %s", stdout)
			}
		})
	}
	// Nothing was extracted next to the hostile zip, or above it.
	if list, _ := os.ReadDir(dir); len(list) != 3 {
		t.Errorf("the folder holds %d files, want the 3 zips", len(list))
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "evil")); err == nil {
		t.Error("../evil was written")
	}
}

func TestInspectJSON(t *testing.T) {
	pkg := buildTiny(t, format.LayoutModule)[0]
	code, stdout, stderr := runCLI(t, nil, "inspect", "--json", pkg)
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	var rep struct {
		Package string `json:"package"`
		Format  string `json:"format"`
		Version string `json:"version"`
		Units   []struct {
			Identifier string `json:"identifier"`
			Kind       string `json:"kind"`
			Launch     string `json:"launch"`
		} `json:"units"`
		Problems []any `json:"problems"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is no JSON: %v\n%s", err, stdout)
	}
	if rep.Package != pkg || rep.Format != "scorm12" || rep.Version != "1.2" || len(rep.Units) != 2 || len(rep.Problems) != 0 {
		t.Errorf("report %+v", rep)
	}
	if u := rep.Units[0]; u.Identifier != "item-one" || u.Kind != "sco" || u.Launch != "one.html" {
		t.Errorf("unit %+v", u)
	}
}
