package main

import (
	"io/fs"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// The garbage collector's settings for a build, unless the environment
// sets GOGC or GOMEMLIMIT (which the Go runtime has applied already).
//
// Most of what a build allocates is garbage of loading the course (the
// Markdown parser's trees), while what stays live is the course model,
// about twice the size of its Markdown, plus what is being written. Go's
// default target (GOGC=100) collects each time the heap doubles: many
// collections for a small course, and for a large one a heap of twice the
// model (a peak near 190 MB for the large synthetic course of
// docs/performance.md). A build collects instead when the heap has grown
// five-fold (gcPercent), under a soft memory limit (memoryLimit): fewer
// collections for small and medium courses, about a tenth less CPU for
// the medium synthetic course, and a peak near 140 MB for the large one.
const (
	gcPercent = 400
	// minMemoryLimit is the least soft memory limit of a build.
	minMemoryLimit = 128 << 20
	// memoryHeadroom is what the limit leaves above twice the Markdown.
	memoryHeadroom = 48 << 20
)

// memoryLimit is the soft memory limit of a build of a course with
// markdown bytes of Markdown: minMemoryLimit, or for a course whose model
// would come near it, twice its Markdown and memoryHeadroom, so that the
// collector never runs flat out to keep a live heap under the limit.
func memoryLimit(markdown int64) int64 {
	return max(minMemoryLimit, 2*markdown+memoryHeadroom)
}

// tuneMemory sets the collector's target and soft memory limit for a
// build of the course in dir, unless getenv has GOGC or GOMEMLIMIT, and
// returns the limit set (0 when it left them alone).
func tuneMemory(dir string, getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" || getenv("GOGC") != "" {
		return 0
	}
	limit := memoryLimit(markdownSize(dir))
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(gcPercent)
	return limit
}

// markdownSize is the total size of the Markdown files in dir, leaving
// out hidden folders and dist (where packages go); errors count nothing.
func markdownSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "dist") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(p), ".md") {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
