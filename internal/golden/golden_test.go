package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"same", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\n", "a\nx\nc\n", " a\n-b\n+x\n c\n"},
		{"added line", "a\nc\n", "a\nb\nc\n", " a\n+b\n c\n"},
		{"removed line", "a\nb\nc\n", "a\nc\n", " a\n-b\n c\n"},
		{"no final newline", "a\n", "a", "-a\n+a (no newline at end)\n"},
		{"long context elided", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\nx\n",
			"@@ line 5 @@\n 5\n 6\n 7\n-8\n+x\n"},
		{"gap between changes elided", "a\n1\n2\n3\n4\n5\n6\n7\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\nB\n",
			"-a\n+A\n 1\n 2\n 3\n@@ ... @@\n 5\n 6\n 7\n-b\n+B\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.a == tt.b {
				return
			}
			if got := Diff(tt.a, tt.b); got != tt.want {
				t.Errorf("Diff:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestUpdatingFromEnv(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want bool
	}{{"", false}, {"0", false}, {"1", true}, {"true", true}} {
		t.Setenv(EnvUpdate, tt.env)
		if got := Updating(); got != tt.want {
			t.Errorf("%s=%q: Updating() = %v, want %v", EnvUpdate, tt.env, got, tt.want)
		}
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	if !r.failed {
		r.failed = true
		r.msg = format
	}
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Logf(string, ...any)               {}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "x.golden")

	t.Setenv(EnvUpdate, "")
	r := &recorder{TB: t}
	Check(r, path, []byte("one\n"))
	if !r.failed || !strings.Contains(r.msg, "does not exist") {
		t.Fatalf("missing file: failed=%v msg=%q", r.failed, r.msg)
	}

	t.Setenv(EnvUpdate, "1")
	r = &recorder{TB: t}
	Check(r, path, []byte("one\n"))
	if r.failed {
		t.Fatalf("update failed: %s", r.msg)
	}
	if b, _ := os.ReadFile(path); string(b) != "one\n" {
		t.Fatalf("update wrote %q", b)
	}

	t.Setenv(EnvUpdate, "")
	r = &recorder{TB: t}
	Check(r, path, []byte("one\n"))
	if r.failed {
		t.Fatalf("same content failed: %s", r.msg)
	}
	r = &recorder{TB: t}
	Check(r, path, []byte("two\n"))
	if !r.failed {
		t.Fatal("different content passed")
	}
}
