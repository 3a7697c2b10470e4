package inspect

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zent is one entry of a zip made by a test.
type zent struct {
	name string
	data string
	mode fs.FileMode // 0: a plain file
	// declared, when set, is written as the entry's uncompressed size in
	// place of the real one: a header that lies.
	declared uint64
}

// makeZip writes the entries as a zip file into dir and returns its path.
func makeZip(t *testing.T, dir, name string, entries ...zent) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, zipBytes(t, entries...), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func zipBytes(t *testing.T, entries ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.declared != 0 {
			var comp bytes.Buffer
			fw, _ := flate.NewWriter(&comp, flate.BestCompression)
			fw.Write([]byte(e.data))
			fw.Close()
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(e.data)),
				CompressedSize64: uint64(comp.Len()), UncompressedSize64: e.declared,
			})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(comp.Bytes())
			continue
		}
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			fh.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// overlapping returns a zip of two entries whose central directory records
// both point at the first entry's data, as non-recursive zip bombs do.
func overlapping(t *testing.T) []byte {
	t.Helper()
	data := zipBytes(t, zent{name: "a.txt", data: strings.Repeat("x", 1000)}, zent{name: "b.txt", data: strings.Repeat("x", 1000)})
	sig := []byte{0x50, 0x4b, 0x01, 0x02}
	first := bytes.Index(data, sig)
	second := first + 1 + bytes.Index(data[first+1:], sig)
	if first < 0 || second <= first {
		t.Fatal("no central directory records")
	}
	binary.LittleEndian.PutUint32(data[second+42:], 0) // local header offset
	return data
}

// onlyInput fails unless dir holds exactly the file input: reading a zip
// writes nothing, whatever its entries say.
func onlyInput(t *testing.T, dir, input string) {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name() != filepath.Base(input) {
		var names []string
		for _, e := range list {
			names = append(names, e.Name())
		}
		t.Errorf("the folder holds %v, want only %s", names, filepath.Base(input))
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "evil")); err == nil {
		t.Errorf("a file was written outside the folder")
	}
}

func TestHostileZips(t *testing.T) {
	manifest := zent{name: "imsmanifest.xml", data: "<manifest/>"}
	zeros := strings.Repeat("\x00", 4<<20)
	tests := []struct {
		name    string
		entries []zent
		raw     func(t *testing.T) []byte
		opts    Options
		reason  string
		entry   string
		message string
	}{
		{name: "zip slip", entries: []zent{manifest, {name: "../evil", data: "x"}}, reason: ReasonZipSlip, entry: "../evil", message: "zip slip"},
		{name: "zip slip deep", entries: []zent{{name: "a/../../evil", data: "x"}}, reason: ReasonZipSlip, entry: "a/../../evil"},
		{name: "zip slip with backslashes", entries: []zent{{name: `..\evil`, data: "x"}}, reason: ReasonZipSlip},
		{name: "absolute", entries: []zent{{name: "/etc/x", data: "x"}}, reason: ReasonAbsolutePath, entry: "/etc/x", message: "absolute path"},
		{name: "drive letter", entries: []zent{{name: "C:/Windows/x", data: "x"}}, reason: ReasonAbsolutePath, message: "drive letter"},
		{name: "backslash", entries: []zent{{name: `player\core.js`, data: "x"}}, reason: ReasonBackslash, message: "backslash"},
		{name: "control character", entries: []zent{{name: "a\x00b", data: "x"}}, reason: ReasonBadName},
		{name: "symlink", entries: []zent{manifest, {name: "link", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777}}, reason: ReasonSymlink, entry: "link", message: "symbolic link"},
		{name: "named pipe", entries: []zent{{name: "fifo", mode: fs.ModeNamedPipe | 0o644}}, reason: ReasonSpecialFile},
		{name: "duplicate", entries: []zent{manifest, manifest}, reason: ReasonDuplicate, entry: "imsmanifest.xml"},
		{name: "too many entries", entries: []zent{manifest, {name: "a", data: "a"}, {name: "b", data: "b"}}, opts: Options{MaxEntries: 2}, reason: ReasonTooManyEntries},
		// A bomb by ratio: 4 MiB of zeros deflate to about 4 kB.
		{name: "bomb by ratio", entries: []zent{manifest, {name: "zeros.bin", data: zeros}}, reason: ReasonRatio, entry: "zeros.bin", message: "zip bomb"},
		// Real data over the limits passed in (the ratio check off).
		{name: "bomb over one file's limit", entries: []zent{{name: "zeros.bin", data: zeros}}, opts: Options{MaxFileSize: 1 << 20, MaxRatio: 1 << 30}, reason: ReasonTooLarge, entry: "zeros.bin"},
		{name: "bomb over the total", entries: []zent{{name: "a.bin", data: zeros}, {name: "b.bin", data: zeros}}, opts: Options{MaxTotalSize: 6 << 20, MaxRatio: 1 << 30}, reason: ReasonTotalSize},
		// A header that says 100 bytes over 4 MiB of data: caught while
		// reading, after at most one buffer.
		{name: "header lies about its size", entries: []zent{manifest, {name: "liar.bin", data: zeros, declared: 100}}, reason: ReasonSizeMismatch, entry: "liar.bin", message: "header declares"},
		{name: "overlapping entries", raw: overlapping, reason: ReasonOverlap, entry: "b.txt", message: "shares its compressed data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var p string
			if tt.raw != nil {
				p = filepath.Join(dir, "hostile.zip")
				if err := os.WriteFile(p, tt.raw(t), 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				p = makeZip(t, dir, "hostile.zip", tt.entries...)
			}
			rep, err := Read(p, tt.opts)
			var hostile *HostileError
			if !errors.As(err, &hostile) {
				t.Fatalf("Read = %v, %v; want a *HostileError", rep, err)
			}
			if !errors.Is(err, ErrHostile) || errors.Is(err, ErrCorrupt) {
				t.Errorf("errors.Is(err, ErrHostile) is false, or ErrCorrupt true")
			}
			if hostile.Reason != tt.reason {
				t.Errorf("reason %q, want %q (%v)", hostile.Reason, tt.reason, err)
			}
			if tt.entry != "" && hostile.Entry != tt.entry {
				t.Errorf("entry %q, want %q", hostile.Entry, tt.entry)
			}
			msg := err.Error()
			for _, want := range []string{p, "refusing a hostile zip", "nothing was extracted", tt.message} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			onlyInput(t, dir, p)
		})
	}
}

func TestUnreadableZips(t *testing.T) {
	good := zipBytes(t, zent{name: "imsmanifest.xml", data: "<manifest/>"}, zent{name: "a.html", data: strings.Repeat("<p>hello</p>\n", 500)})
	damaged := bytes.Clone(good)
	// Flip bytes in the middle of a.html's compressed data.
	off := bytes.Index(damaged, []byte("a.html")) + len("a.html") + 20
	for i := range 8 {
		damaged[off+i] ^= 0xff
	}
	tests := []struct {
		name    string
		data    []byte
		message string
	}{
		{name: "truncated", data: good[:len(good)/2], message: "truncated"},
		{name: "cut by one byte", data: good[:len(good)-1], message: "unreadable zip"},
		{name: "not a zip", data: []byte("<html>not a zip</html>"), message: "not a zip file"},
		{name: "empty file", data: nil, message: "not a zip file"},
		{name: "damaged data", data: damaged, message: `entry "a.html"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "broken.zip")
			if err := os.WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(p, Options{})
			var corrupt *CorruptError
			if !errors.As(err, &corrupt) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Read error = %v, want a *CorruptError", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.message) || !strings.Contains(msg, p) {
				t.Errorf("message %q lacks %q or the zip's name", msg, tt.message)
			}
			onlyInput(t, dir, p)
		})
	}
}

func TestReadRejectsFolderAndMissingFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Read(dir, Options{}); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("Read(folder) = %v", err)
	}
	if _, err := Read(filepath.Join(dir, "none.zip"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestLargeButHonestEntriesPass(t *testing.T) {
	// Entries under the ratio floor compress as well as they like; a
	// stored entry over it has a ratio of 1.
	dir := t.TempDir()
	p := makeZip(t, dir, "ok.zip",
		zent{name: "imsmanifest.xml", data: "<manifest/>"},
		zent{name: "small-zeros.bin", data: strings.Repeat("\x00", 512<<10)},
	)
	rep, err := Read(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Audit.TotalSize != 512<<10+int64(len("<manifest/>")) {
		t.Errorf("total size %d", rep.Audit.TotalSize)
	}
	if want := fmt.Sprintf("%08x", crc32.ChecksumIEEE(make([]byte, 512<<10))); rep.Files[1].CRC32 != want {
		t.Errorf("CRC-32 %s, want %s", rep.Files[1].CRC32, want)
	}
}

func TestCheckName(t *testing.T) {
	for name, want := range map[string]string{
		"index.html":          "",
		"player/core.js":      "",
		"a/b/":                "",
		"..":                  ReasonZipSlip,
		"a/..":                ReasonZipSlip,
		"..a/b":               "",
		"/x":                  ReasonAbsolutePath,
		"//server/share/x":    ReasonAbsolutePath,
		"d:x":                 ReasonAbsolutePath,
		`dir\file`:            ReasonBackslash,
		"":                    ReasonBadName,
		"tab\tname":           ReasonBadName,
		"caf\xe9.html":        ReasonBadName,
		"café.html":           "",
		"assets/logo (1).png": "",
	} {
		got, _ := checkName(name)
		if got != want {
			t.Errorf("checkName(%q) = %q, want %q", name, got, want)
		}
	}
}
