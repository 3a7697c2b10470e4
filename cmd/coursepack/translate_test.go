package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/internal/txtar"
	"github.com/coursepack/coursepack/internal/ziptest"
	"github.com/coursepack/coursepack/xliff"
)

// translateFile fills every untranslated unit of the XLIFF file at path
// that is not interface text, except those whose source is in skip, with
// "CY: " and the source.
func translateFile(t *testing.T, path string, skip ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := xliff.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range d.Files {
		for _, u := range f.Units {
			if f.Original == xliff.InterfaceFile || u.Translated() || strings.Contains(strings.Join(skip, "\n"), u.Source.Plain()) {
				continue
			}
			u.Target = append(xliff.Content{{Kind: xliff.Text, Text: "CY: "}}, u.Source...)
			u.State = xliff.StateTranslated
		}
	}
	if err := os.WriteFile(path, d.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTranslate(t *testing.T) {
	dir := txtar.CopyDir(t, filepath.Join("..", "..", "testdata", "tiny"))
	keys, _ := i18n.Keys()
	n := 11 + len(keys) // tiny has 11 texts of its own
	code, stdout, stderr := runCLI(t, nil, "translate", "export", "--lang", "cy", dir)
	file := filepath.Join(dir, "translations", "cy.xlf")
	if code != 0 || stdout != fmt.Sprintf("wrote %s: %d texts, %d translated, 0 changed since translated, 11 new\n", file, n, len(keys)) {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	translateFile(t, file, "Some text.")

	out := filepath.Join(t.TempDir(), "tiny-cy")
	code, stdout, stderr = runCLI(t, nil, "translate", "import", "-o", out, file, dir)
	if code != 0 || stdout != fmt.Sprintf("wrote %s: %d of %d texts translated into cy; 1 left in en-GB (listed)\n", out, n-1, n) {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	if want := filepath.ToSlash(dir) + `/modules/one.md:7: untranslated: "Some text." (not translated)` + "\n"; stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	dist := filepath.Join(t.TempDir(), "dist")
	if code, _, stderr := runCLI(t, nil, "build", "--format", "scorm12", "--out", dist, out); code != 0 {
		t.Fatalf("the translated course does not build: %s", stderr)
	}
	files := ziptest.Texts(t, filepath.Join(dist, "tiny-scorm12.zip"))
	for name, want := range map[string]string{"one.html": "<p>Some text.</p>", "two.html": "CY: Pick the right one."} {
		if !strings.Contains(files[name], want) || !strings.Contains(files[name], `<html lang="cy">`) {
			t.Errorf("%s lacks %q", name, want)
		}
	}
	if code, _, stderr := runCLI(t, nil, "translate", "import", "-o", out, file, dir); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("a second import: exit %d, %s", code, stderr)
	}

	// A change to the course, exported again: the translation is kept.
	path := filepath.Join(dir, "modules", "two.md")
	data, _ := os.ReadFile(path)
	writeFile(t, path, strings.Replace(string(data), "Pick the right one.", "Pick the one that is right.", 1))
	code, stdout, _ = runCLI(t, nil, "translate", "export", "--lang", "cy", dir)
	if code != 0 || !strings.HasSuffix(stdout, fmt.Sprintf(": %d texts, %d translated, 1 changed since translated, 1 new\n", n, n-2)) {
		t.Errorf("export again: exit %d, %s", code, stdout)
	}
	code, _, stderr = runCLI(t, nil, "translate", "import", "-o", filepath.Join(t.TempDir(), "again"), file, dir)
	if code != 0 || !strings.Contains(stderr, `/modules/two.md:8: review: "Pick the one that is right." (marked needs-review-translation)`) {
		t.Errorf("import again: exit %d, %s", code, stderr)
	}
}

func TestTranslateMistakes(t *testing.T) {
	tiny := filepath.Join("..", "..", "testdata", "tiny")
	bad := filepath.Join(t.TempDir(), "bad.xlf")
	writeFile(t, bad, `<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="course.yaml" datatype="plaintext">
    <body><trans-unit id="a"><source>x</source></trans-unit></body>
  </file>
</xliff>
`)
	v2 := filepath.Join(t.TempDir(), "v2.xlf")
	writeFile(t, v2, `<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en-GB"/>`)
	for _, tt := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no language", []string{"translate", "export", tiny}, 2, "--lang is required"},
		{"bad language", []string{"translate", "export", "--lang", "Welsh!", tiny}, 2, `--lang "Welsh!" is not a language tag`},
		{"same language", []string{"translate", "export", "--lang", "en-gb", "-o", filepath.Join(t.TempDir(), "x.xlf"), tiny}, 2, "the course is in en-GB already"},
		{"broken course", []string{"translate", "export", "--lang", "cy", filepath.Join("..", "..", "testdata", "broken-course")}, 1, "3 problems in the course"},
		{"missing file", []string{"translate", "import", filepath.Join(t.TempDir(), "none.xlf"), tiny}, 1, "none.xlf"},
		{"no source language", []string{"translate", "import", bad, tiny}, 1, bad + ":3: <file> has no source-language attribute"},
		{"xliff 2", []string{"translate", "import", v2, tiny}, 1, v2 + ":1: this is XLIFF 2.0; coursepack reads XLIFF 1.2"},
		{"previous not xliff", []string{"translate", "export", "--lang", "cy", "--previous", v2, "-o", filepath.Join(t.TempDir(), "x.xlf"), tiny}, 1, "this is XLIFF 2.0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, nil, tt.args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
		})
	}
}
