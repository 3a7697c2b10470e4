package dist

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withParallelism runs f with parallelism set to n.
func withParallelism(n int, f func()) {
	old := parallelism
	parallelism = n
	defer func() { parallelism = old }()
	f()
}

// mixedPackage has entries of every kind: deflated and stored, in memory
// and on disk, empty, large, with names that need the UTF-8 flag and one
// with a control character, and a text source too large to be read whole.
func mixedPackage(t *testing.T) *Package {
	old := maxAhead
	maxAhead = 64 << 10
	t.Cleanup(func() { maxAhead = old })
	dir := t.TempDir()
	p := &Package{Name: "mixed.zip"}
	for i := range 40 {
		p.Add(fmt.Sprintf("pages/p%02d.html", i), []byte(strings.Repeat(fmt.Sprintf("<p>Page %d, line of text.</p>\n", i), i*i)))
	}
	p.Add("empty.html", []byte{})
	p.Files = append(p.Files, File{Path: "nil.txt"})
	p.Add("caf\u00e9/men\u00fc.html", []byte("<p>caf\u00e9</p>"))
	p.Add("tilde~name.css", []byte("body{}"))
	p.Add("tab\tname.txt", []byte("tab"))
	p.Add("media/inline.png", bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 5000))
	for i, n := range []int{0, 100, 50 << 10, 70 << 10} {
		path := filepath.Join(dir, fmt.Sprintf("text%d.vtt", i))
		if err := os.WriteFile(path, bytes.Repeat([]byte("WEBVTT cue text\n"), n/16+1), 0o644); err != nil {
			t.Fatal(err)
		}
		p.AddFile(fmt.Sprintf("media/text%d.vtt", i), path)
	}
	video := filepath.Join(dir, "clip.mp4")
	writeLarge(t, video, 1<<20)
	p.AddFile("media/clip.mp4", video)
	return p
}

func TestDeflateAheadIsByteIdentical(t *testing.T) {
	p := mixedPackage(t)
	var want []byte
	withParallelism(1, func() { want = writeBytes(t, p, ZipOptions{}) })
	for _, n := range []int{2, 3, 8} {
		var got []byte
		withParallelism(n, func() { got = writeBytes(t, p, ZipOptions{}) })
		if !bytes.Equal(got, want) {
			t.Errorf("parallelism %d: the zip differs from the one written entry by entry", n)
		}
	}
	// And it unzips to the same files.
	zr := openZip(t, want)
	if len(zr.File) != len(p.Files) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(p.Files))
	}
}

func TestDeflateAheadErrors(t *testing.T) {
	p := mixedPackage(t)
	p.AddFile("a-missing.vtt", filepath.Join(t.TempDir(), "missing.vtt"))
	p.AddFile("z-folder.txt", t.TempDir())
	var want error
	withParallelism(1, func() { want = WriteZip(&bytes.Buffer{}, p, ZipOptions{}) })
	if want == nil {
		t.Fatal("no error for a missing source")
	}
	withParallelism(4, func() {
		if err := WriteZip(&bytes.Buffer{}, p, ZipOptions{}); err == nil || err.Error() != want.Error() {
			t.Errorf("got error %v, want %v", err, want)
		}
	})
	// The error stops the writer early; nothing is left running.
	p.Files = p.Files[:len(p.Files)-2]
	p.AddFile("z-folder.txt", t.TempDir())
	withParallelism(4, func() {
		if err := WriteZip(&bytes.Buffer{}, p, ZipOptions{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("got error %v, want a folder's", err)
		}
	})
}

func TestBackgroundHash(t *testing.T) {
	want := sha256.New()
	got := newBackgroundHash(sha256.New())
	for i := range 100 {
		chunk := bytes.Repeat([]byte{byte(i)}, i*i*37)
		want.Write(chunk)
		got.Write(chunk)
	}
	if !bytes.Equal(got.Sum([]byte("x")), want.Sum([]byte("x"))) {
		t.Error("the digests differ")
	}
	got.stop()
}

// TestChecksumAheadErrors: a stored file on disk whose checksum is
// computed ahead fails, missing or a folder, with the error it gives when
// written in turn.
func TestChecksumAheadErrors(t *testing.T) {
	for _, bad := range []string{filepath.Join(t.TempDir(), "missing.mp4"), t.TempDir()} {
		p := mixedPackage(t)
		p.AddFile("media/bad.mp4", bad)
		var want error
		withParallelism(1, func() { want = WriteZip(&bytes.Buffer{}, p, ZipOptions{}) })
		if want == nil {
			t.Fatalf("%s: no error in turn", bad)
		}
		withParallelism(4, func() {
			if err := WriteZip(&bytes.Buffer{}, p, ZipOptions{}); err == nil || err.Error() != want.Error() {
				t.Errorf("got error %v, want %v", err, want)
			}
		})
	}
}
