package inspect

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"
	"strings"
	"unicode"

	"github.com/coursepack/coursepack/internal/bytesize"
)

// entry is one entry of the zip, checked; size and crc are known once read.
type entry struct {
	f    *zip.File
	name string
	dir  bool
	size int64
	crc  uint32
}

// archive is a zip whose entries have passed every check that can be made
// without decompressing them.
type archive struct {
	zip     string
	opts    Options
	entries []*entry // in the zip's order, folders included
	files   map[string]*entry
	budget  int64 // bytes still allowed to decompress
}

// localHeaderLen is the size of a zip local file header without its name
// and extra field: the least there is between two entries' data.
const localHeaderLen = 30

// openArchive reads the zip's central directory and checks every entry:
// its name, its mode, its declared sizes and where its data lies. It reads
// no entry's data.
func openArchive(r io.ReaderAt, size int64, name string, o Options) (*archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// (ErrInsecurePath comes with a usable reader under
		// GODEBUG=zipinsecurepath=0; the names are checked below anyway.)
		detail := "not a zip file, or truncated: its central directory (the table of contents at the end) is missing or damaged"
		if !errors.Is(err, zip.ErrFormat) {
			detail = err.Error()
		}
		return nil, &CorruptError{Zip: name, Detail: detail, Err: err}
	}
	a := &archive{zip: name, opts: o, files: map[string]*entry{}, budget: o.MaxTotalSize}
	if len(zr.File) > o.MaxEntries {
		return nil, a.hostile("", ReasonTooManyEntries, fmt.Sprintf("it has %d entries, over the limit of %d", len(zr.File), o.MaxEntries))
	}
	seen := map[string]bool{}
	var declared uint64
	for _, f := range zr.File {
		if reason, detail := checkName(f.Name); reason != "" {
			return nil, a.hostile(f.Name, reason, detail)
		}
		mode := f.Mode()
		switch {
		case mode&fs.ModeSymlink != 0:
			return nil, a.hostile(f.Name, ReasonSymlink, "is a symbolic link: unpacked, it could point anywhere on the machine and later entries be written through it")
		case mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeIrregular) != 0:
			return nil, a.hostile(f.Name, ReasonSpecialFile, fmt.Sprintf("is a special file (mode %v), not a plain file or folder", mode))
		}
		if seen[f.Name] {
			return nil, a.hostile(f.Name, ReasonDuplicate, "appears twice: unzip tools disagree on which copy wins")
		}
		seen[f.Name] = true
		e := &entry{f: f, name: f.Name, dir: strings.HasSuffix(f.Name, "/")}
		a.entries = append(a.entries, e)
		if e.dir {
			continue
		}
		a.files[e.name] = e
		if f.Flags&0x1 != 0 {
			return nil, &CorruptError{Zip: name, Entry: f.Name, Detail: "is encrypted; an LMS cannot unpack it either"}
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, &CorruptError{Zip: name, Entry: f.Name, Detail: fmt.Sprintf("uses compression method %d; packages use stored (0) or deflated (8) entries, which every LMS reads", f.Method)}
		}
		u, c := f.UncompressedSize64, f.CompressedSize64
		if u > uint64(o.MaxFileSize) {
			return nil, a.hostile(f.Name, ReasonTooLarge, fmt.Sprintf("declares %s uncompressed, over the limit of %s for one file", bytesize.Format(int64(min(u, 1<<62))), bytesize.Format(o.MaxFileSize)))
		}
		if u > uint64(o.RatioFloor) && (c == 0 || u/c > uint64(o.MaxRatio)) {
			return nil, a.hostile(f.Name, ReasonRatio, fmt.Sprintf("declares %s uncompressed from only %s compressed, a ratio over %d:1: a zip bomb", bytesize.Format(int64(u)), bytesize.Format(int64(c)), o.MaxRatio))
		}
		declared += u
		if declared > uint64(o.MaxTotalSize) {
			return nil, a.hostile("", ReasonTotalSize, fmt.Sprintf("its entries declare more than %s uncompressed in all, over the limit", bytesize.Format(o.MaxTotalSize)))
		}
	}
	if err := a.checkOverlaps(size); err != nil {
		return nil, err
	}
	return a, nil
}

// checkName returns why an entry name is hostile, or "" when it is not.
func checkName(name string) (reason, detail string) {
	if name == "" {
		return ReasonBadName, "has an empty name"
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == unicode.ReplacementChar {
			return ReasonBadName, "has control characters or invalid UTF-8 in its name"
		}
	}
	for _, seg := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if seg == ".." {
			return ReasonZipSlip, `has a ".." segment: unpacked, it lands outside the package folder (zip slip)`
		}
	}
	switch {
	case strings.HasPrefix(name, "/"):
		return ReasonAbsolutePath, "is an absolute path: unpacked, it lands outside the package folder"
	case len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z'):
		return ReasonAbsolutePath, "starts with a drive letter: unpacked on Windows, it lands outside the package folder"
	case strings.Contains(name, `\`):
		return ReasonBackslash, `has a backslash: Windows tools take it as a folder separator, others as part of the name (use "/")`
	}
	return "", ""
}

// checkOverlaps makes sure that the compressed data of the entries lie
// apart, each after a local header of its own, and inside the file.
func (a *archive) checkOverlaps(size int64) error {
	type span struct {
		start, end int64
		name       string
	}
	spans := make([]span, 0, len(a.entries))
	for _, e := range a.entries {
		off, err := e.f.DataOffset()
		if err != nil {
			return &CorruptError{Zip: a.zip, Entry: e.name, Detail: "has a missing or damaged local header: the zip is truncated or damaged", Err: err}
		}
		end := off + int64(e.f.CompressedSize64)
		if end > size || end < off {
			return &CorruptError{Zip: a.zip, Entry: e.name, Detail: "has data running past the end of the file: the zip is truncated"}
		}
		spans = append(spans, span{off, end, e.name})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end+localHeaderLen {
			return a.hostile(spans[i].name, ReasonOverlap, fmt.Sprintf("shares its compressed data with entry %q: the trick of zip bombs that reuse one block many times", spans[i-1].name))
		}
	}
	return nil
}

func (a *archive) hostile(entry, reason, detail string) *HostileError {
	return &HostileError{Zip: a.zip, Entry: entry, Reason: reason, Detail: detail}
}

// readAll decompresses every file entry in the zip's order, within the
// limits, and hands each to visit. keep says, per entry, how many bytes of
// its content visit wants in memory (0: none); an entry larger than that
// comes with nil data.
func (a *archive) readAll(visit func(e *entry, data []byte), keep func(e *entry) int64) error {
	for _, e := range a.entries {
		if e.dir {
			continue
		}
		data, err := a.read(e, keep(e))
		if err != nil {
			return err
		}
		visit(e, data)
	}
	return nil
}

// errRatio stops reading an entry that grows too much.
var errRatio = errors.New("compression ratio over the limit")

// guard counts what an entry decompresses to and stops it once it grows
// more than the ratio allows.
type guard struct {
	r          io.Reader
	n          int64
	compressed int64
	ratio      int64
	floor      int64
}

func (g *guard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.n > g.floor && g.n/max(g.compressed, 1) > g.ratio {
		return n, errRatio
	}
	return n, err
}

// capWriter keeps up to limit bytes and drops the rest, remembering that it
// did.
type capWriter struct {
	buf      bytes.Buffer
	limit    int64
	overflow bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	if room := w.limit - int64(w.buf.Len()); int64(len(p)) > room {
		w.overflow = true
		if room > 0 {
			w.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return w.buf.Write(p)
}

// read decompresses one entry, never past the budget: it reads through an
// io.LimitReader of what is left of it (and of MaxFileSize), whatever the
// header says, and checks the ratio and the CRC-32 on the way.
func (a *archive) read(e *entry, keep int64) ([]byte, error) {
	rc, err := e.f.Open()
	if err != nil {
		return nil, &CorruptError{Zip: a.zip, Entry: e.name, Detail: "cannot be opened: " + err.Error(), Err: err}
	}
	defer rc.Close()
	limit := min(a.opts.MaxFileSize, a.budget)
	g := &guard{r: io.LimitReader(rc, limit+1), compressed: int64(e.f.CompressedSize64), ratio: a.opts.MaxRatio, floor: a.opts.RatioFloor}
	sum := crc32.NewIEEE()
	var kept *capWriter
	var sink io.Writer = sum
	if keep > 0 && e.f.UncompressedSize64 <= uint64(keep) {
		kept = &capWriter{limit: keep}
		kept.buf.Grow(int(e.f.UncompressedSize64))
		sink = io.MultiWriter(sum, kept)
	}
	n, err := io.Copy(sink, g)
	switch {
	case errors.Is(err, errRatio):
		return nil, a.hostile(e.name, ReasonRatio, fmt.Sprintf("decompresses to over %d times its compressed size of %s: a zip bomb", a.opts.MaxRatio, bytesize.Format(g.compressed)))
	case errors.Is(err, zip.ErrFormat):
		return nil, a.hostile(e.name, ReasonSizeMismatch, fmt.Sprintf("decompresses to more than the %s its header declares: a zip bomb or a forged header", bytesize.Format(int64(e.f.UncompressedSize64))))
	case errors.Is(err, zip.ErrChecksum):
		return nil, &CorruptError{Zip: a.zip, Entry: e.name, Detail: "fails its CRC-32 check: the data is damaged", Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, &CorruptError{Zip: a.zip, Entry: e.name, Detail: "ends before its declared size: the zip is truncated or damaged", Err: err}
	case err != nil:
		return nil, &CorruptError{Zip: a.zip, Entry: e.name, Detail: "cannot be decompressed: " + err.Error(), Err: err}
	case n > limit && limit == a.opts.MaxFileSize:
		return nil, a.hostile(e.name, ReasonTooLarge, fmt.Sprintf("decompresses to more than %s, the limit for one file", bytesize.Format(limit)))
	case n > limit:
		return nil, a.hostile(e.name, ReasonTotalSize, fmt.Sprintf("takes the entries past %s decompressed in all, the limit", bytesize.Format(a.opts.MaxTotalSize)))
	}
	a.budget -= n
	e.size = n
	e.crc = sum.Sum32()
	if kept == nil || kept.overflow {
		return nil, nil
	}
	data := kept.buf.Bytes()
	if data == nil {
		data = []byte{}
	}
	return data, nil
}
