package dist

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coursepack/coursepack/internal/golden"
)

// The -update flag, read by golden.Updating, rewrites the golden files of this package: go test ./dist -update
// (or, for every package, COURSEPACK_UPDATE_GOLDEN=1 go test ./...).
var _ = flag.Bool("update", false, "rewrite golden files under testdata/")

// samplePackage is a package with files of every kind, given in no order.
func samplePackage(t testing.TB) *Package {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(src, bytes.Repeat([]byte{0xff, 0xd8, 0x01, 0x02}, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	css := filepath.Join(dir, "player.css")
	if err := os.WriteFile(css, []byte(strings.Repeat("body { margin: 0 }\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &Package{Name: "sample-scorm12.zip"}
	p.Add("module-1/index.html", []byte(strings.Repeat("<p>Hello</p>\n", 100)))
	p.AddFile("assets/photo.jpg", src)
	p.Add("imsmanifest.xml", []byte(`<?xml version="1.0"?><manifest/>`))
	p.AddFile("player/player.css", css)
	p.Add("assets/Clip.MP4", []byte("not really a video"))
	p.Add("assets/font.woff2", []byte("wOF2"))
	p.Add("assets/empty.txt", nil)
	p.Add("adlcp_rootv1p2.xsd", []byte("<xs:schema/>"))
	p.Add("module-10/index.html", []byte("<p>Ten</p>"))
	p.Add("module-2/index.html", []byte("<p>Two</p>"))
	p.Add("Assets/upper.js", []byte("let x = 1"))
	return p
}

func writeBytes(t testing.TB, p *Package, opts ZipOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteZip(&buf, p, opts); err != nil {
		t.Fatalf("WriteZip: %v", err)
	}
	return buf.Bytes()
}

func openZip(t testing.TB, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("reading the zip: %v", err)
	}
	return zr
}

func TestWriteZipDeterministic(t *testing.T) {
	p := samplePackage(t)
	first := writeBytes(t, p, ZipOptions{})
	if second := writeBytes(t, p, ZipOptions{}); !bytes.Equal(first, second) {
		t.Fatal("two writes of the same package differ")
	}
	// The order in which files were added does not matter.
	shuffled := &Package{Name: p.Name, Files: append([]File(nil), p.Files...)}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5; i++ {
		rng.Shuffle(len(shuffled.Files), func(i, j int) {
			shuffled.Files[i], shuffled.Files[j] = shuffled.Files[j], shuffled.Files[i]
		})
		if got := writeBytes(t, shuffled, ZipOptions{}); !bytes.Equal(first, got) {
			t.Fatalf("shuffle %d: a different file order gives different bytes", i)
		}
	}
	// Nor does the time zone in which the time is given.
	at := time.Date(2024, 3, 9, 12, 30, 44, 0, time.UTC)
	utc := writeBytes(t, p, ZipOptions{Modified: at})
	local := writeBytes(t, p, ZipOptions{Modified: at.In(time.FixedZone("X", -7*3600))})
	if !bytes.Equal(utc, local) {
		t.Fatal("the same instant in another time zone gives different bytes")
	}
	if bytes.Equal(first, utc) {
		t.Fatal("a different modification time gives the same bytes")
	}
}

func TestWriteZipEntries(t *testing.T) {
	p := samplePackage(t)
	b := writeBytes(t, p, ZipOptions{})
	zr := openZip(t, b)

	want := map[string]uint16{
		"Assets/upper.js":      zip.Deflate,
		"adlcp_rootv1p2.xsd":   zip.Deflate,
		"assets/Clip.MP4":      zip.Store,
		"assets/empty.txt":     zip.Deflate,
		"assets/font.woff2":    zip.Store,
		"assets/photo.jpg":     zip.Store,
		"imsmanifest.xml":      zip.Deflate,
		"module-1/index.html":  zip.Deflate,
		"module-10/index.html": zip.Deflate,
		"module-2/index.html":  zip.Deflate,
		"player/player.css":    zip.Deflate,
	}
	order := []string{
		"Assets/upper.js", "adlcp_rootv1p2.xsd", "assets/Clip.MP4", "assets/empty.txt",
		"assets/font.woff2", "assets/photo.jpg", "imsmanifest.xml", "module-1/index.html",
		"module-10/index.html", "module-2/index.html", "player/player.css",
	}
	if len(zr.File) != len(order) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(order))
	}
	contents := map[string][]byte{}
	for _, f := range p.Files {
		if f.Data != nil || f.Source == "" {
			contents[f.Path] = f.Data
		} else {
			b, err := os.ReadFile(f.Source)
			if err != nil {
				t.Fatal(err)
			}
			contents[f.Path] = b
		}
	}
	wantTime := time.Unix(DefaultEpoch, 0).UTC()
	for i, f := range zr.File {
		if f.Name != order[i] {
			t.Errorf("entry %d is %q, want %q", i, f.Name, order[i])
		}
		if f.Method != want[f.Name] {
			t.Errorf("%s: method %d, want %d", f.Name, f.Method, want[f.Name])
		}
		if !f.Modified.Equal(wantTime) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, wantTime)
		}
		if f.Mode() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", f.Name, f.Mode())
		}
		if f.Method == zip.Store && f.Flags&0x8 != 0 {
			t.Errorf("%s: a stored entry has a data descriptor", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		got, err := io.ReadAll(rc) // checks the CRC too
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !bytes.Equal(got, contents[f.Name]) {
			t.Errorf("%s: content differs from what was added", f.Name)
		}
	}
}

// TestWriteZipStoredHeaders checks that stored entries, whose headers are
// filled in by rawHeader, get the same header fields as the deflated ones,
// which archive/zip fills in.
func TestWriteZipStoredHeaders(t *testing.T) {
	p := &Package{Name: "x.zip"}
	for _, name := range []string{"plain", "tilde~name", "päge", "ページ"} {
		p.Add(name+".png", []byte("stored"))
		p.Add(name+".txt", []byte("deflated"))
	}
	at := time.Date(2033, 5, 17, 21, 42, 13, 0, time.UTC)
	zr := openZip(t, writeBytes(t, p, ZipOptions{Modified: at}))
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		byName[f.Name] = f
	}
	for _, f := range zr.File {
		if f.Method != zip.Store {
			continue
		}
		d := byName[strings.TrimSuffix(f.Name, ".png")+".txt"]
		if f.Flags != d.Flags&^0x8 {
			t.Errorf("%s: flags %#x, deflated entry has %#x", f.Name, f.Flags, d.Flags)
		}
		if f.CreatorVersion != d.CreatorVersion || f.ReaderVersion != d.ReaderVersion {
			t.Errorf("%s: versions %d/%d, deflated entry has %d/%d", f.Name,
				f.CreatorVersion, f.ReaderVersion, d.CreatorVersion, d.ReaderVersion)
		}
		if f.ModifiedDate != d.ModifiedDate || f.ModifiedTime != d.ModifiedTime {
			t.Errorf("%s: MS-DOS time %d %d, deflated entry has %d %d", f.Name,
				f.ModifiedDate, f.ModifiedTime, d.ModifiedDate, d.ModifiedTime)
		}
		if !bytes.Equal(f.Extra, d.Extra) {
			t.Errorf("%s: extra % x, deflated entry has % x", f.Name, f.Extra, d.Extra)
		}
		if !f.Modified.Equal(at) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, at)
		}
	}
}

func TestWriteZipModified(t *testing.T) {
	p := &Package{Name: "x.zip"}
	p.Add("a.txt", []byte("a"))
	p.Add("b.png", []byte("b"))
	tests := []struct {
		name    string
		in      time.Time
		want    time.Time
		wantErr bool
	}{
		{"zero means the default", time.Time{}, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"odd second kept", time.Date(2021, 6, 1, 8, 9, 11, 0, time.UTC), time.Date(2021, 6, 1, 8, 9, 11, 0, time.UTC), false},
		{"nanoseconds dropped", time.Date(2021, 6, 1, 8, 9, 10, 999, time.UTC), time.Date(2021, 6, 1, 8, 9, 10, 0, time.UTC), false},
		{"other zone becomes UTC", time.Date(2021, 6, 1, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600)), time.Date(2021, 6, 1, 8, 0, 0, 0, time.UTC), false},
		{"before 1980", time.Date(1979, 12, 31, 23, 59, 59, 0, time.UTC), time.Time{}, true},
		{"after 2107", time.Date(2108, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteZip(&buf, p, ZipOptions{Modified: tt.in})
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				if buf.Len() != 0 {
					t.Error("bytes were written before the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range openZip(t, buf.Bytes()).File {
				if !f.Modified.Equal(tt.want) {
					t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, tt.want)
				}
			}
		})
	}
}

func TestWriteZipBadPaths(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"empty", []string{""}, "empty file path"},
		{"backslash", []string{`module-1\index.html`}, "backslash"},
		{"absolute", []string{"/etc/passwd"}, "absolute"},
		{"dot-dot", []string{"../x.html"}, `".."`},
		{"dot-dot inside", []string{"a/../../x.html"}, `".."`},
		{"dot-dot last", []string{"a/.."}, `".."`},
		{"dot", []string{"./x.html"}, `"."`},
		{"empty segment", []string{"a//b.html"}, "empty segment"},
		{"folder", []string{"assets/"}, "folder"},
		{"drive letter", []string{"C:/x.html"}, "drive letter"},
		{"NUL", []string{"a\x00.html"}, "NUL"},
		{"not UTF-8", []string{"caf\xe9.html"}, "UTF-8"},
		{"duplicate", []string{"a.html", "b.html", "a.html"}, "more than once"},
		{"duplicate but for case", []string{"Assets/a.png", "assets/a.png"}, "differ only in case"},
		{"file and folder", []string{"a", "a-b", "a/b/c.html"}, `file path "a" is also the folder of "a/b/c.html"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Package{Name: "x.zip"}
			for _, path := range tt.paths {
				p.Add(path, []byte("x"))
			}
			var buf bytes.Buffer
			err := WriteZip(&buf, p, ZipOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written before the error", buf.Len())
			}
		})
	}
	// Good paths pass CheckPath.
	for _, p := range []string{"imsmanifest.xml", "a/b/c.html", "a..b/c", ".well-known/x", "módulo/página.html"} {
		if err := CheckPath(p); err != nil {
			t.Errorf("CheckPath(%q): %v", p, err)
		}
	}
}

func TestWriteZipMissingSource(t *testing.T) {
	p := &Package{Name: "x.zip"}
	p.AddFile("a.png", filepath.Join(t.TempDir(), "missing.png"))
	if err := WriteZip(io.Discard, p, ZipOptions{}); err == nil || !strings.Contains(err.Error(), "a.png") {
		t.Fatalf("err = %v, want an error naming a.png", err)
	}
	p = &Package{Name: "x.zip"}
	p.AddFile("a.txt", t.TempDir())
	if err := WriteZip(io.Discard, p, ZipOptions{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v, want a not-a-regular-file error", err)
	}
}

// writeLarge writes a file of n bytes, half random, half repetitive, and
// returns its SHA-256.
func writeLarge(t testing.TB, path string, n int) [32]byte {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	w := io.MultiWriter(f, h)
	rng := rand.NewChaCha8([32]byte{3, 4})
	chunk := make([]byte, 64<<10)
	for written := 0; written < n; written += len(chunk) {
		if (written/len(chunk))%2 == 0 {
			rng.Read(chunk)
		} else {
			for i := range chunk {
				chunk[i] = byte('a' + i%26)
			}
		}
		if _, err := w.Write(chunk[:min(len(chunk), n-written)]); err != nil {
			t.Fatal(err)
		}
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func TestWriteZipLargeSource(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 40 MB")
	}
	const size = 20 << 20
	dir := t.TempDir()
	src := filepath.Join(dir, "big.bin")
	sum := writeLarge(t, src, size)

	p := &Package{Name: "big.zip"}
	p.AddFile("media/big.mp4", src) // stored
	p.AddFile("data/big.bin", src)  // deflated
	out := filepath.Join(dir, "big.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}

	// Streaming: writing 40 MB of entries must not allocate anything like
	// the files' size.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err = WriteZip(f, p, ZipOptions{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("WriteZip allocated %d KB", alloc>>10)
	if alloc > 4<<20 {
		t.Errorf("WriteZip allocated %d MB for a 20 MB source; it should stream", alloc>>20)
	}

	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	methods := map[string]uint16{"data/big.bin": zip.Deflate, "media/big.mp4": zip.Store}
	for _, zf := range zr.File {
		if zf.Method != methods[zf.Name] {
			t.Errorf("%s: method %d, want %d", zf.Name, zf.Method, methods[zf.Name])
		}
		if zf.UncompressedSize64 != size {
			t.Errorf("%s: size %d, want %d", zf.Name, zf.UncompressedSize64, size)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if _, err := io.Copy(h, rc); err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		rc.Close()
		if !bytes.Equal(h.Sum(nil), sum[:]) {
			t.Errorf("%s: content differs from the source", zf.Name)
		}
	}
}

// TestWriteZipUnzip checks the zip with Info-ZIP's unzip, the tool many
// servers use, when it is installed.
func TestWriteZipUnzip(t *testing.T) {
	unzip, err := exec.LookPath("unzip")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("unzip is not installed")
		}
		t.Skip("unzip is not installed")
	}
	out := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(out, writeBytes(t, samplePackage(t), ZipOptions{}), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(unzip, "-tq", out).CombinedOutput(); err != nil {
		t.Fatalf("unzip -t: %v\n%s", err, b)
	}
}

// listing describes every entry of a zip, one a line.
func listing(t testing.TB, b []byte) []byte {
	var sb strings.Builder
	for _, f := range openZip(t, b).File {
		method := map[uint16]string{zip.Store: "store", zip.Deflate: "deflate"}[f.Method]
		fmt.Fprintf(&sb, "%-22s %-7s %6d %08x %s %v\n", f.Name, method, f.UncompressedSize64,
			f.CRC32, f.Modified.UTC().Format(time.RFC3339), f.Mode())
	}
	return []byte(sb.String())
}

func TestWriteZipGolden(t *testing.T) {
	b := writeBytes(t, samplePackage(t), ZipOptions{})
	golden.Check(t, "testdata/listing.golden", listing(t, b))
	// The listing's checksums are those of the content.
	for _, f := range openZip(t, b).File {
		rc, _ := f.Open()
		got, _ := io.ReadAll(rc)
		rc.Close()
		if crc32.ChecksumIEEE(got) != f.CRC32 {
			t.Errorf("%s: crc32 does not match the content", f.Name)
		}
	}
}

func TestModTimeFromEpoch(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"946684800", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{" 1700000000\n", time.Unix(1700000000, 0).UTC(), false},
		{"0", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"315532800", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"", time.Time{}, true},
		{"-1", time.Time{}, true},
		{"+5", time.Time{}, true},
		{"1.5", time.Time{}, true},
		{"1e9", time.Time{}, true},
		{"yesterday", time.Time{}, true},
		{"99999999999", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ModTimeFromEpoch(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			// Every accepted time can be written.
			if _, err := (ZipOptions{Modified: got}).modTime(); err != nil {
				t.Errorf("ZipOptions rejects it: %v", err)
			}
		})
	}
}

func BenchmarkWriteZip(b *testing.B) {
	dir := b.TempDir()
	p := &Package{Name: "bench.zip"}
	html := []byte(strings.Repeat("<p>Some text of a course page, with <em>emphasis</em>.</p>\n", 400))
	for i := 0; i < 50; i++ {
		p.Add(fmt.Sprintf("module-%d/index.html", i), html)
	}
	media := filepath.Join(dir, "clip.mp4")
	writeLarge(b, media, 4<<20)
	p.AddFile("assets/clip.mp4", media)
	js := filepath.Join(dir, "player.js")
	if err := os.WriteFile(js, bytes.Repeat([]byte("function f(x) { return x + 1 }\n"), 8000), 0o644); err != nil {
		b.Fatal(err)
	}
	p.AddFile("player/player.js", js)
	var total int64
	for _, f := range p.Files {
		if f.Data != nil {
			total += int64(len(f.Data))
		} else {
			info, _ := os.Stat(f.Source)
			total += info.Size()
		}
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteZip(io.Discard, p, ZipOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
