package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coursepack/coursepack"
)

// runCLI runs the command line in-process with the given environment.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// checkCLI checks what runCLI returned: the exit status, each of wantOut
// in stdout, wantErr in stderr, and no crash.
func checkCLI(t *testing.T, code int, stdout, stderr string, wantCode int, wantOut []string, wantErr string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, wantCode, stdout, stderr)
	}
	for _, w := range wantOut {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout does not contain %q:\n%s", w, stdout)
		}
	}
	if !strings.Contains(stderr, wantErr) {
		t.Errorf("stderr %q does not contain %q", stderr, wantErr)
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Errorf("stderr shows a crash: %s", stderr)
	}
}

func TestExitStatusAndMessages(t *testing.T) {
	tiny := filepath.Join("..", "..", "testdata", "tiny")
	broken := filepath.Join("..", "..", "testdata", "broken-course")
	long := filepath.Join("..", "..", "testdata", "long-reflections")
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantCode   int
		wantOut    string
		wantErr    string
		wantOutput bool // whether the --out folder must exist afterwards
	}{
		{name: "build", args: []string{"build", tiny}, wantCode: 0, wantOut: "tiny-scorm12.zip (", wantOutput: true},
		{name: "build one format", args: []string{"build", "--format", "scorm12", tiny}, wantCode: 0, wantOut: "wrote ", wantOutput: true},
		{name: "course layout", args: []string{"build", "--sco", "course", tiny}, wantCode: 0, wantOut: "tiny-scorm12.zip", wantOutput: true},
		{name: "split", args: []string{"build", "--split", tiny}, wantCode: 0, wantOut: "tiny-scorm12-two.zip", wantOutput: true},
		{name: "epoch", env: map[string]string{"SOURCE_DATE_EPOCH": "1767225600"}, args: []string{"build", tiny}, wantCode: 0, wantOutput: true},
		{name: "broken course", args: []string{"build", broken}, wantCode: 1,
			wantErr: filepath.ToSlash(broken) + `/course.yaml:2:1: unknown key "titel" (did you mean "title"?)`},
		{name: "problem count", args: []string{"build", broken}, wantCode: 1, wantErr: "3 problems in the course; nothing was written"},
		{name: "warning", args: []string{"build", long}, wantCode: 0, wantOutput: true,
			wantErr: filepath.ToSlash(long) + `/modules/one.md:1: warning: scorm12: the learner state of module "one" can reach`},
		{name: "strict", args: []string{"build", "--strict", long}, wantCode: 1, wantErr: "1 problem in the course; nothing was written"},
		{name: "missing folder", args: []string{"build", "no-such-folder"}, wantCode: 1, wantErr: "no-such-folder"},
		{name: "unknown format", args: []string{"build", "--format", "scorm13", tiny}, wantCode: 2, wantErr: `unknown format "scorm13" (choose from ` + strings.Join(coursepack.FormatNames(), ", ") + ")"},
		{name: "unknown flag", args: []string{"build", "--bogus", tiny}, wantCode: 2, wantErr: "unknown flag: --bogus"},
		{name: "too many args", args: []string{"build", tiny, tiny}, wantCode: 2, wantErr: "accepts at most 1 arg"},
		{name: "split with course sco", args: []string{"build", "--split", "--sco", "course", tiny}, wantCode: 2, wantErr: "cannot be used together"},
		{name: "bad sco", args: []string{"build", "--sco", "page", tiny}, wantCode: 2, wantErr: `--sco must be "module" or "course"`},
		{name: "bad epoch", env: map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}, args: []string{"build", tiny}, wantCode: 2, wantErr: "SOURCE_DATE_EPOCH"},
		{name: "unknown command", args: []string{"publish"}, wantCode: 2, wantErr: "unknown command"},
		{name: "validate", args: []string{"validate", tiny}, wantCode: 0, wantOut: "no problems"},
		{name: "validate broken", args: []string{"validate", broken}, wantCode: 1,
			wantOut: filepath.ToSlash(broken) + `/course.yaml:2:1: error: unknown key "titel" (did you mean "title"?)`},
		{name: "validate warning", args: []string{"validate", long}, wantCode: 0, wantOut: "/modules/one.md:1: warning: scorm12:"},
		{name: "validate strict", args: []string{"validate", "--strict", long}, wantCode: 1, wantOut: "warning: scorm12:"},
		{name: "validate unknown format", args: []string{"validate", "--format", "nope", tiny}, wantCode: 2, wantErr: `unknown format "nope"`},
		{name: "version", args: []string{"version"}, wantCode: 0, wantOut: "coursepack "},
		{name: "help shows examples", args: []string{"build", "--help"}, wantCode: 0, wantOut: "coursepack build --split my-course"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := tt.args
			if len(args) > 0 && args[0] == "build" {
				args = append([]string{"build", "--out", out}, args[1:]...)
			}
			code, stdout, stderr := runCLI(t, tt.env, args...)
			checkCLI(t, code, stdout, stderr, tt.wantCode, []string{tt.wantOut}, tt.wantErr)
			_, err := os.Stat(out)
			if exists := err == nil; exists != tt.wantOutput {
				t.Errorf("output folder exists = %v, want %v", exists, tt.wantOutput)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	broken := filepath.Join("..", "..", "testdata", "broken-course")
	code, stdout, _ := runCLI(t, nil, "validate", "--json", broken)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	var got validateJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if got.Errors != 3 || got.Warnings != 0 || len(got.Problems) != 3 {
		t.Fatalf("got %+v, want 3 errors", got)
	}
	p := got.Problems[1]
	want := problemJSON{File: filepath.ToSlash(broken) + "/course.yaml", Line: 2, Col: 1, Severity: "error", Message: `unknown key "titel" (did you mean "title"?)`}
	if p != want {
		t.Errorf("problem = %+v, want %+v", p, want)
	}
}

func TestBuildJSON(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, nil, "build", "--json", "--format", "scorm12", "--out", out, filepath.Join("..", "..", "testdata", "tiny"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var report coursepack.Report
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if len(report.Packages) != 1 || report.Packages[0].File != "tiny-scorm12.zip" || report.Packages[0].Format != "scorm12" ||
		len(report.Packages[0].SHA256) != 64 || report.Course.ID != "https://example.org/courses/tiny" {
		t.Errorf("report = %+v", report)
	}
	if !strings.HasPrefix(report.Tool, "coursepack ") {
		t.Errorf("tool = %q", report.Tool)
	}
	if strings.Contains(stdout, "wrote ") {
		t.Error("--json output mixes in the list of files")
	}
	if strings.Contains(stderr, "loading the course") {
		t.Error("progress was printed to a stderr that is not a terminal")
	}
}

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "customer-care")
	code, stdout, stderr := runCLI(t, nil, "init", "--title", "Customer care", dir)
	if code != 0 || !strings.Contains(stdout, "course.yaml") {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, nil, "build", "--out", filepath.Join(dir, "out"), dir); code != 0 {
		t.Fatalf("the new course does not build: %s", stderr)
	}
	code, _, stderr = runCLI(t, nil, "init", dir)
	if code != 1 || !strings.Contains(stderr, "never overwrites") {
		t.Errorf("a second init: exit %d, stderr %q; want 1 and a refusal", code, stderr)
	}
}
