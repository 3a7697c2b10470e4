package main

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestMemoryLimit(t *testing.T) {
	if got := memoryLimit(0); got != minMemoryLimit {
		t.Errorf("memoryLimit(0) = %d", got)
	}
	if got := memoryLimit(40 << 20); got != minMemoryLimit {
		t.Errorf("memoryLimit(40 MiB) = %d", got)
	}
	if got, want := memoryLimit(100<<20), int64(200<<20+memoryHeadroom); got != want {
		t.Errorf("memoryLimit(100 MiB) = %d, want %d", got, want)
	}
}

func TestMarkdownSize(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", n)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("course.yaml", 1000)
	write("modules/01.md", 300)
	write("modules/02.MD", 200)
	write("media/photo.jpg", 5000)
	write("dist/old.md", 7000)
	write(".git/notes.md", 9000)
	if got := markdownSize(dir); got != 500 {
		t.Errorf("markdownSize = %d, want 500", got)
	}
	if got := markdownSize(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("markdownSize of a missing folder = %d", got)
	}
}

func TestTuneMemory(t *testing.T) {
	oldLimit := debug.SetMemoryLimit(-1)
	oldPercent := debug.SetGCPercent(100)
	defer func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPercent)
	}()
	for _, tt := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, true},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, false},
		{map[string]string{"GOGC": "200"}, false},
	} {
		debug.SetMemoryLimit(math.MaxInt64)
		debug.SetGCPercent(100)
		got := tuneMemory(t.TempDir(), func(k string) string { return tt.env[k] })
		limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
		if tt.want && (got != minMemoryLimit || limit != minMemoryLimit || percent != gcPercent) {
			t.Errorf("env %v: returned %d, limit %d, GOGC %d", tt.env, got, limit, percent)
		}
		if !tt.want && (got != 0 || limit != math.MaxInt64 || percent != 100) {
			t.Errorf("env %v: changed the settings (returned %d, limit %d, GOGC %d)", tt.env, got, limit, percent)
		}
	}
}
