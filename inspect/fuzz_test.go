package inspect

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// The fuzz targets of the package reader behind inspect and diff. Their
// seeds are in testdata/fuzz/<target>/ (go's corpus format); `make fuzz`
// runs each for a while, `make fuzz-short` briefly, and `go test` runs the
// seeds alone. Every input is read with small limits, so that none can
// take long or use much memory.

// fuzzOptions are the limits of the fuzz targets: small, so that the fuzzer
// reaches them and no input decompresses to much.
var fuzzOptions = Options{
	MaxTotalSize: 1 << 20,
	MaxFileSize:  256 << 10,
	MaxRatio:     50,
	RatioFloor:   16 << 10,
	MaxEntries:   200,
}

// fuzzTimeout is the longest one input may take: a loose bound, to catch
// a read that hangs or grows with the square of its input.
const fuzzTimeout = 10 * time.Second

// checkRead reads data as a package and checks what comes back: a report
// (which must print, and compare with itself as unchanged) or a
// *HostileError or *CorruptError, never a panic or another error.
func checkRead(t *testing.T, data []byte) {
	t.Helper()
	start := time.Now()
	rep, err := ReadFrom(bytes.NewReader(data), int64(len(data)), "fuzz.zip", fuzzOptions)
	if d := time.Since(start); d > fuzzTimeout {
		t.Errorf("ReadFrom took %v", d)
	}
	if err != nil {
		if rep != nil {
			t.Error("ReadFrom returned a report and an error")
		}
		var h *HostileError
		var c *CorruptError
		if !errors.As(err, &h) && !errors.As(err, &c) {
			t.Fatalf("ReadFrom error %v (%T) is neither a HostileError nor a CorruptError", err, err)
		}
		if !errors.Is(err, ErrHostile) && !errors.Is(err, ErrCorrupt) {
			t.Errorf("error %v matches neither ErrHostile nor ErrCorrupt", err)
		}
		if err.Error() == "" {
			t.Error("the error has no message")
		}
		return
	}
	if rep == nil {
		t.Fatal("ReadFrom returned neither a report nor an error")
	}
	if err := rep.WriteText(io.Discard); err != nil {
		t.Errorf("WriteText: %v", err)
	}
	d := Compare(rep, rep)
	if d.Breaking || len(d.OrphanedUnits) > 0 || len(d.Files.Added)+len(d.Files.Removed)+len(d.Files.Changed) > 0 {
		t.Errorf("a package compared with itself changes: %+v", d)
	}
	if err := d.WriteText(io.Discard); err != nil {
		t.Errorf("Diff.WriteText: %v", err)
	}
}

// FuzzInspectZip reads arbitrary bytes as a package zip.
func FuzzInspectZip(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4<<20 {
			return
		}
		checkRead(t, data)
	})
}

// fuzzManifestNames are where the manifests FuzzInspectManifest writes go.
var fuzzManifestNames = []string{"imsmanifest.xml", "tincan.xml", "cmi5.xml", "sub/imsmanifest.xml"}

// FuzzInspectManifest reads a package whose manifest is the input (which
// manifest by kind), beside a few files the manifest may name: it reaches
// the XML parsing and the checks of SCORM, xAPI and cmi5 manifests that
// random zips rarely do.
func FuzzInspectManifest(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind byte, manifest []byte) {
		if len(manifest) > 256<<10 {
			return
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		add := func(name string, data []byte) {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(data); err != nil {
				t.Fatal(err)
			}
		}
		add(fuzzManifestNames[int(kind)%len(fuzzManifestNames)], manifest)
		add("index.html", []byte(`<!DOCTYPE html><html><head><script src="player/core.js"></script></head><body><a href="https://example.org/x">x</a></body></html>`))
		add("player/core.js", []byte(`fetch("https://example.org/lrs");`))
		add("welcome.html", []byte("<p>Welcome</p>"))
		add("assets/"+strings.Repeat("a", int(kind)%7)+".png", []byte("png"))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		checkRead(t, buf.Bytes())
	})
}
