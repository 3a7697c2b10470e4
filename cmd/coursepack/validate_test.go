package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/internal/txtar"
)

// lintCourse extracts a course of the lint corpus (lint/testdata).
func lintCourse(t *testing.T, name string) string {
	t.Helper()
	dir, _ := txtar.Extract(t, filepath.Join("..", "..", "lint", "testdata", name+".txtar"))
	return dir
}

func TestValidateLint(t *testing.T) {
	tests := []struct {
		name     string
		course   string
		flags    []string
		wantCode int
		wantOut  []string
		notOut   []string
		wantErr  string
	}{
		{name: "infos pass", course: "external-links", wantCode: 0,
			wantOut: []string{"/modules/one.md:7:3: info: link to another host (example.org): learners need the network to follow it", ": no errors or warnings"}},
		{name: "strict passes infos", course: "external-links", flags: []string{"--strict"}, wantCode: 0, wantOut: []string{"info: link to another host"}},
		{name: "offline", course: "external-links", flags: []string{"--offline"}, wantCode: 1,
			wantOut: []string{"/modules/one.md:7:3: error: link to another host (example.org); an offline course (--offline)"}, notOut: []string{"info:", "no errors"}},
		{name: "warnings pass", course: "headings", wantCode: 0, wantOut: []string{"/modules/one.md:7:1: warning: heading level 4 (####) follows level 2"}, notOut: []string{"no errors"}},
		{name: "strict fails warnings", course: "headings", flags: []string{"--strict"}, wantCode: 1, wantOut: []string{"warning: heading level"}},
		{name: "broken anchor", course: "anchors", wantCode: 1, wantOut: []string{`/modules/one.md:7:67: error: link "#nope": no heading or page of this module has the id "nope"`}},
		{name: "impossible completion", course: "completion", wantCode: 1, wantOut: []string{`/modules/unlimited.md:7:1: error: module "unlimited" can never be passed`}},
		{name: "module layout", course: "whole-course", wantCode: 0, wantOut: []string{"warning: no learner can type answer 1"}, notOut: []string{"error:"}},
		{name: "course layout", course: "whole-course", flags: []string{"--sco", "course"}, wantCode: 1, wantOut: []string{"/modules/one.md:15:1: error: the course (one unit with the course's rule, as with --sco course) can never be passed"}},
		{name: "media defaults", course: "media-size", wantCode: 0, wantOut: []string{"no problems"}},
		{name: "max media size", course: "media-size", flags: []string{"--max-media-size", "100B", "--max-total-media-size", "0.3kB"}, wantCode: 0,
			wantOut: []string{`/course.yaml:5:9: warning: "assets/logo.png" is 106 bytes, over the 100 bytes a file should take`, "/course.yaml: warning: the course's 5 files take 426 bytes together, over the 300 bytes"}},
		{name: "bad size", course: "media-size", flags: []string{"--max-media-size", "big"}, wantCode: 2, wantErr: `invalid argument "big" for "--max-media-size" flag: "big" is not a size`},
		{name: "bad total size", course: "media-size", flags: []string{"--max-total-media-size", "-1MB"}, wantCode: 2, wantErr: `"-1MB" is not a size`},
		{name: "module links, a unit per module", course: "module-links", wantCode: 0, wantOut: []string{`/modules/one.md:7:5: warning: link "two.md" to module "two"`}},
		{name: "module links, the web build", course: "module-links", flags: []string{"--format", "html"}, wantCode: 0, wantOut: []string{"no problems"}},
		{name: "module links, one unit", course: "module-links", flags: []string{"--sco", "course"}, wantCode: 0, notOut: []string{"module-link", "to module"}},
		{name: "clean", course: "clean", flags: []string{"--strict", "--offline"}, wantCode: 0, wantOut: []string{"no problems"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := lintCourse(t, tt.course)
			args := append(append([]string{"validate"}, tt.flags...), dir)
			code, stdout, stderr := runCLI(t, nil, args...)
			checkCLI(t, code, stdout, stderr, tt.wantCode, tt.wantOut, tt.wantErr)
			for _, w := range tt.notOut {
				if strings.Contains(stdout, w) {
					t.Errorf("stdout contains %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestValidateLintJSON(t *testing.T) {
	dir := lintCourse(t, "external-links")
	tests := []struct {
		name                    string
		flags                   []string
		code                    int
		errors, warnings, infos int
		severity                string
	}{
		{"infos", []string{"--strict"}, 0, 0, 0, 6, "info"},
		{"offline", []string{"--offline"}, 1, 6, 0, 0, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"validate", "--json"}, tt.flags...), dir)
			code, stdout, _ := runCLI(t, nil, args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d", code, tt.code)
			}
			var got validateJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, stdout)
			}
			if got.Errors != tt.errors || got.Warnings != tt.warnings || got.Infos != tt.infos || len(got.Problems) != 6 {
				t.Fatalf("got %+v", got)
			}
			p := got.Problems[0]
			want := problemJSON{File: filepath.ToSlash(dir) + "/modules/one.md", Line: 7, Col: 3, Severity: tt.severity, Rule: "external-link", Message: p.Message}
			if p != want || !strings.HasPrefix(p.Message, "link to another host (example.org)") {
				t.Errorf("problem = %+v, want %+v", p, want)
			}
		})
	}
}

// TestValidateOrder checks that errors come first, then warnings, then
// infos, each sorted by place.
func TestValidateOrder(t *testing.T) {
	dir := lintCourse(t, "completion")
	_, stdout, _ := runCLI(t, nil, "validate", "--format", "html", dir)
	var sev []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		rest := strings.TrimPrefix(line, filepath.ToSlash(dir)+"/")
		parts := strings.SplitN(rest, ": ", 3)
		if len(parts) < 3 {
			t.Fatalf("line %q is not file:line:col: severity: message", line)
		}
		sev = append(sev, parts[1])
	}
	want := "error error error warning warning warning warning warning warning warning"
	if strings.Join(sev, " ") != want {
		t.Errorf("severities %q, want %q\n%s", strings.Join(sev, " "), want, stdout)
	}
}

func TestValidateBrands(t *testing.T) {
	glob := func(dir string) string { return filepath.Join(dir, "brands", "*.yaml") }
	tests := []struct {
		name     string
		extra    map[string]string
		flags    []string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{name: "clean", wantCode: 0, wantOut: []string{
			"brand north-wales (", "/brands/north-wales.yaml): no problems\nbrand south-coast (", "/brands/south-coast.yaml): no problems\n"}},
		{name: "a key a brand may not set", extra: map[string]string{"brands/west.yaml": "brand: {name: west}\nid: https://example.org/other\n"}, wantCode: 1,
			wantOut: []string{"/brands/west.yaml):\n", "/brands/west.yaml:2:1: error: a brand overlay cannot change id"}},
		{name: "a problem of the merged course", extra: map[string]string{"brands/pale.yaml": "brand: {name: pale}\ntheme:\n  colours:\n    primary: \"#ffff66\"\n"}, wantCode: 1,
			wantOut: []string{"brand pale (", "/brands/pale.yaml:4:14: error: theme.colours.primary \"#ffff66\""}},
		{name: "lint findings per brand", flags: []string{"--max-media-size", "10B"}, wantCode: 0,
			wantOut: []string{"/brands/north-wales.yaml:8:9: warning: \"brands/north-wales/logo.svg\" is", "/brands/south-coast.yaml:5:9: warning: \"brands/south-coast/logo.svg\" is"}},
		{name: "no such brand", flags: []string{"--brand", "nowhere.yaml"}, wantCode: 2, wantErr: "--brand nowhere.yaml: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyBrands(t, tt.extra)
			args := append([]string{"validate", "--format", "html", "--brand", glob(dir)}, tt.flags...)
			code, stdout, stderr := runCLI(t, nil, append(args, dir)...)
			checkCLI(t, code, stdout, stderr, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
}

func TestValidateBrandsJSON(t *testing.T) {
	dir := copyBrands(t, map[string]string{"brands/west.yaml": "brand: {name: west}\nid: https://example.org/other\n"})
	code, stdout, _ := runCLI(t, nil, "validate", "--json", "--format", "html", "--brand", filepath.Join(dir, "brands", "*.yaml"), dir)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	var got validateJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if got.Errors != 1 || len(got.Problems) != 1 {
		t.Fatalf("got %+v", got)
	}
	if p := got.Problems[0]; p.Brand != "west" || p.File != filepath.ToSlash(dir)+"/brands/west.yaml" || p.Line != 2 || p.Severity != "error" {
		t.Errorf("problem = %+v", p)
	}
}
