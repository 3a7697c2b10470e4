package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/internal/txtar"
	"github.com/coursepack/coursepack/internal/ziptest"
	"github.com/coursepack/coursepack/templates"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTemplateOverrides(t *testing.T) {
	dir := txtar.CopyDir(t, filepath.Join("..", "..", "testdata", "tiny"))
	exported := filepath.Join(t.TempDir(), "player")
	if code, _, stderr := runCLI(t, nil, "templates", "export", exported); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	page, err := os.ReadFile(filepath.Join(exported, "page.html.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "templates", "page.html.tmpl"),
		strings.Replace(string(page), "<body>", `<body><p class="brand-banner">North Wales Health</p>`, 1))
	writeFile(t, filepath.Join(dir, "templates", "player", "player.css"), "/* brand */ body { color: #123456 }\n")

	out := filepath.Join(t.TempDir(), "dist")
	code, stdout, stderr := runCLI(t, nil, "build", "--format", "scorm12,cmi5", "--out", out, dir)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, pkg := range []string{"tiny-scorm12.zip", "tiny-cmi5.zip"} {
		files := ziptest.Texts(t, filepath.Join(out, pkg))
		if files["player/player.css"] != "body{color:#123456}" { // minified, as packages carry it
			t.Errorf("%s: player.css is not the override", pkg)
		}
		embedded, _ := templates.PlayerFiles(strings.TrimSuffix(strings.TrimPrefix(pkg, "tiny-"), ".zip"))
		if files[templates.ScriptFile] != string(embedded[0].Data) {
			t.Errorf("%s: %s is not the embedded player's", pkg, templates.ScriptFile)
		}
		found := false
		for name, data := range files {
			if strings.HasSuffix(name, ".html") {
				found = true
				if !strings.Contains(data, `<p class="brand-banner">North Wales Health</p>`) {
					t.Errorf("%s: %s lacks the override's marker", pkg, name)
				}
			}
		}
		if !found {
			t.Errorf("%s has no page", pkg)
		}
	}
}

func TestTemplateOverrideProblems(t *testing.T) {
	for _, tt := range []struct {
		name, file, text string
		want             string
	}{
		{"parse error", "page.html.tmpl", "<!DOCTYPE html>\n<title>{{.Title}}</title>\n{{if .Lang}}\n", "/templates/page.html.tmpl:4: unexpected EOF"},
		{"execution error", "page.html.tmpl", "<!DOCTYPE html>\n<title>{{.Title}}</title>\n<p>{{.Brand}}</p>\n", "/templates/page.html.tmpl:3:6: at <.Brand>: can't evaluate field Brand"},
		{"unknown file", "player/Player.css", "", "/templates/player/Player.css: overrides no file of the player (did you mean player/player.css?)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := txtar.CopyDir(t, filepath.Join("..", "..", "testdata", "tiny"))
			writeFile(t, filepath.Join(dir, "templates", filepath.FromSlash(tt.file)), tt.text)
			out := filepath.Join(t.TempDir(), "dist")
			code, _, stderr := runCLI(t, nil, "build", "--out", out, dir)
			if code != 1 || !strings.Contains(stderr, filepath.ToSlash(dir)+tt.want) || !strings.Contains(stderr, "1 problem in the course; nothing was written") {
				t.Errorf("build: exit %d, stderr:\n%s\nwant %s", code, stderr, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("the build wrote something")
			}
			code, stdout, _ := runCLI(t, nil, "validate", dir)
			if code != 1 || !strings.Contains(stdout, "error: ") || !strings.Contains(stdout, strings.SplitN(tt.want, ": ", 2)[0]) {
				t.Errorf("validate: exit %d\n%s", code, stdout)
			}
		})
	}
}

func TestTemplatesExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "templates")
	code, stdout, stderr := runCLI(t, nil, "templates", "export", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, n := range templates.Names() {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s not written", n)
		}
		if !strings.Contains(stdout, "wrote "+p+"\n") {
			t.Errorf("stdout does not list %s", p)
		}
	}
	code, _, stderr = runCLI(t, nil, "templates", "export", dir)
	if code != 1 || !strings.Contains(stderr, "export never overwrites, so nothing was written") {
		t.Errorf("a second export: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCLI(t, nil, "templates", "export", t.TempDir(), "player/player.cs")
	if code != 1 || !strings.Contains(stderr, `(did you mean player/player.css?)`) {
		t.Errorf("an unknown file: exit %d, %s", code, stderr)
	}
	if code, _, _ := runCLI(t, nil, "templates", "export"); code != 2 {
		t.Errorf("no folder: exit %d, want 2", code)
	}
	if code, stdout, _ := runCLI(t, nil, "templates"); code != 0 || !strings.Contains(stdout, "player/player.css") {
		t.Errorf("templates: exit %d\n%s", code, stdout)
	}
}
