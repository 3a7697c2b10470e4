package dist

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultEpoch is the modification time, in seconds since the Unix epoch,
// given to every entry when ZipOptions.Modified is zero:
// 2000-01-01T00:00:00Z.
const DefaultEpoch int64 = 946684800

// The range of times a zip entry can hold: MS-DOS dates run from 1980 to
// 2107, with a resolution of two seconds.
var (
	minZipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	maxZipTime = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
)

// ZipOptions are the choices of WriteZip and WriteAll.
type ZipOptions struct {
	// Modified is the modification time of every entry. The zero time
	// means DefaultEpoch. It is written in UTC, to the second; it must lie
	// between 1980 and 2107, the range of a zip's MS-DOS dates.
	Modified time.Time
}

// modTime is the time every entry gets under o.
func (o ZipOptions) modTime() (time.Time, error) {
	if o.Modified.IsZero() {
		return time.Unix(DefaultEpoch, 0).UTC(), nil
	}
	t := o.Modified.UTC().Truncate(time.Second)
	if t.Before(minZipTime) || t.After(maxZipTime) {
		return time.Time{}, fmt.Errorf("dist: modification time %s is outside the range a zip can hold (1980 to 2107)", t.Format(time.RFC3339))
	}
	return t, nil
}

// ModTimeFromEpoch parses a SOURCE_DATE_EPOCH value (a decimal count of
// seconds since 1970-01-01T00:00:00Z) into a time for ZipOptions.Modified.
// Surrounding spaces are ignored. A time before 1980, which a zip cannot
// hold, becomes 1980-01-01T00:00:00Z, as other reproducible-build tools do;
// one past 2107 is an error. The caller reads the environment: dist never
// does.
func ModTimeFromEpoch(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s[0] == '+' {
		return time.Time{}, fmt.Errorf("dist: SOURCE_DATE_EPOCH %q is not a whole number of seconds", s)
	}
	if n < 0 {
		return time.Time{}, fmt.Errorf("dist: SOURCE_DATE_EPOCH %q is negative", s)
	}
	if n > maxZipTime.Unix() {
		return time.Time{}, fmt.Errorf("dist: SOURCE_DATE_EPOCH %q is past 2107, the last year a zip can hold", s)
	}
	t := time.Unix(n, 0).UTC()
	if t.Before(minZipTime) {
		t = minZipTime
	}
	return t, nil
}

// storedExt lists the extensions of files that are already compressed:
// they are stored as they are, since deflating them again costs time and
// saves nothing.
var storedExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true,
	".mp4": true, ".m4v": true, ".webm": true, ".mov": true,
	".mp3": true, ".m4a": true, ".ogg": true, ".oga": true, ".opus": true,
	".zip": true, ".gz": true,
	".woff": true, ".woff2": true,
	".pdf": true,
}

// methodFor is the compression method of an entry, chosen by the extension
// of its path (case-insensitively).
func methodFor(p string) uint16 {
	if storedExt[strings.ToLower(path.Ext(p))] {
		return zip.Store
	}
	return zip.Deflate
}

// CheckPath reports whether p may name a file inside a package: relative,
// with forward slashes, and with no empty, "." or ".." segment.
func CheckPath(p string) error {
	if err := checkPath(p); err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	return nil
}

func checkPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty file path")
	case strings.ContainsRune(p, '\\'):
		return fmt.Errorf("file path %q has a backslash; use forward slashes", p)
	case !utf8.ValidString(p):
		return fmt.Errorf("file path %q is not valid UTF-8", p)
	case strings.ContainsRune(p, 0):
		return fmt.Errorf("file path %q has a NUL byte", p)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("file path %q is absolute", p)
	case strings.HasSuffix(p, "/"):
		return fmt.Errorf("file path %q names a folder; folders are not written", p)
	}
	for i, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return fmt.Errorf("file path %q has an empty segment", p)
		case ".":
			return fmt.Errorf("file path %q has a \".\" segment", p)
		case "..":
			return fmt.Errorf("file path %q has a \"..\" segment", p)
		}
		if i == 0 && len(seg) == 2 && seg[1] == ':' {
			return fmt.Errorf("file path %q starts with a drive letter", p)
		}
	}
	return nil
}

// sortedFiles checks every path of p and returns its files sorted by path,
// in byte order. Two paths that are equal, or equal but for case (they
// would overwrite each other when the zip is unpacked on Windows or macOS),
// are an error.
func sortedFiles(p *Package) ([]File, error) {
	files := make([]File, len(p.Files))
	copy(files, p.Files)
	var errs []error
	for _, f := range files {
		if err := checkPath(f.Path); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	seen := make(map[string]string, len(files))
	for _, f := range files {
		key := strings.ToLower(f.Path)
		if prev, ok := seen[key]; ok {
			if prev == f.Path {
				errs = append(errs, fmt.Errorf("file path %q appears more than once", f.Path))
			} else {
				errs = append(errs, fmt.Errorf("file paths %q and %q differ only in case", prev, f.Path))
			}
			continue
		}
		seen[key] = f.Path
	}
	// A path that is also a folder of others ("a" and "a/b") cannot be
	// unpacked.
	paths := make(map[string]bool, len(files))
	for _, f := range files {
		paths[f.Path] = true
	}
	for _, f := range files {
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			if paths[d] {
				errs = append(errs, fmt.Errorf("file path %q is also the folder of %q", d, f.Path))
				break
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return files, nil
}

// WriteZip writes p to w as a zip whose bytes depend only on p's paths and
// contents and on opts: entries sorted by path in byte order, no folder
// entries, every entry with the same modification time and mode 0644, files
// that are already compressed (by extension) stored and the rest deflated.
// A file's Data is written as it is; when Data is nil and Source is set,
// Source is streamed from disk, never read whole into memory. Bad paths
// (see CheckPath) and duplicates are reported before anything is written.
func WriteZip(w io.Writer, p *Package, opts ZipOptions) error {
	mod, err := opts.modTime()
	if err != nil {
		return err
	}
	if err := writeZip(w, p, mod, nil); err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	return nil
}

// writeZip writes p as a zip to w. The entries p shares with other zips of
// the same WriteAll are in sh (nil when there are none): each is
// compressed, or checksummed, once for them all.
func writeZip(w io.Writer, p *Package, mod time.Time, sh *shared) error {
	files, err := sortedFiles(p)
	if err != nil {
		return err
	}
	entries := sh.entries(p, files)
	// Each zip lets go of its shares, written or not, when it is done.
	defer func() {
		for _, e := range entries {
			e.done()
		}
	}()
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, newFlateWriter)
	// Text entries are deflated ahead, in parallel (see ahead.go), and
	// written in path order like the rest.
	a := startAhead(files, entries, parallelism)
	defer a.stop()
	for i, f := range files {
		if d := a.result(i); d != nil && !d.inTurn {
			err = d.err
			switch {
			case err != nil:
			case d.stored:
				// Its checksum computed ahead: copied in one pass.
				err = writeStored(zw, f, d.crc, d.size, mod)
			default:
				err = writeDeflated(zw, f.Path, d, mod)
			}
			a.release(d)
		} else {
			if d != nil {
				a.release(d)
			}
			if e := entries[i]; e != nil {
				err = e.write(zw, f, mod)
			} else {
				err = writeEntry(zw, f, mod)
			}
		}
		entries[i].done()
		entries[i] = nil
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// header is the header of an entry at path p.
func header(p string, method uint16, mod time.Time) *zip.FileHeader {
	h := &zip.FileHeader{Name: p, Method: method, Modified: mod}
	h.SetMode(0o644)
	return h
}

// rawHeader fills in what zip.Writer.CreateHeader would for h, since
// CreateRaw writes h as it is: the versions, the UTF-8 flag and the
// modification time, both as an MS-DOS date and as an "extended timestamp"
// extra field. The sizes and CRC-32 are the caller's to set.
func rawHeader(h *zip.FileHeader) {
	const zipVersion20 = 20
	h.CreatorVersion = h.CreatorVersion&0xff00 | zipVersion20
	h.ReaderVersion = zipVersion20
	for i := 0; i < len(h.Name); i++ {
		// As archive/zip does: a name with a byte outside ASCII, or with
		// '~' or '\\' (changed by some legacy code pages), is marked as
		// UTF-8 (checkPath has made sure it is valid UTF-8).
		if c := h.Name[i]; c >= 0x80 || c == '~' || c == '\\' {
			h.Flags |= 0x800
			break
		}
	}
	t := h.Modified
	//lint:ignore SA1019 the MS-DOS fields are set here from Modified, without archive/zip's time-zone handling
	h.ModifiedDate = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	//lint:ignore SA1019 as above
	h.ModifiedTime = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	var extra [9]byte
	binary.LittleEndian.PutUint16(extra[0:], 0x5455) // extended timestamp
	binary.LittleEndian.PutUint16(extra[2:], 5)      // size of what follows
	extra[4] = 1                                     // flags: modification time
	binary.LittleEndian.PutUint32(extra[5:], uint32(t.Unix()))
	h.Extra = append(h.Extra, extra[:]...)
}

func writeEntry(zw *zip.Writer, f File, mod time.Time) error {
	method := methodFor(f.Path)
	if f.rendered() && canDeflateAhead(f) {
		// Its parts deflated one by one, as ahead.
		var d deflated
		if deflateParts(f, &d); d.err != nil {
			return d.err
		}
		defer putBuf(d.buf)
		return writeDeflated(zw, f.Path, &d, mod)
	}
	if f.rendered() {
		buf, err := f.render()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		defer putBuf(buf)
		return writeData(zw, f.Path, buf.Bytes(), method, mod)
	}
	if f.Data != nil || f.Source == "" {
		return writeData(zw, f.Path, f.Data, method, mod)
	}
	return writeSource(zw, f, method, mod)
}

// writeData writes an entry made in memory.
func writeData(zw *zip.Writer, p string, data []byte, method uint16, mod time.Time) error {
	h := header(p, method, mod)
	var dst io.Writer
	var err error
	if method == zip.Store {
		// Sizes and checksum go in the local header, with no data
		// descriptor after the data: some unzippers (Java's
		// ZipInputStream among them) refuse a stored entry that has one.
		h.CRC32 = crc32.ChecksumIEEE(data)
		h.CompressedSize64 = uint64(len(data))
		h.UncompressedSize64 = uint64(len(data))
		rawHeader(h)
		dst, err = zw.CreateRaw(h)
	} else {
		dst, err = zw.CreateHeader(h)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if _, err := dst.Write(data); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// writeSource streams an entry from the file f.Source.
func writeSource(zw *zip.Writer, f File, method uint16, mod time.Time) error {
	src, err := os.Open(f.Source)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	defer src.Close()
	if info, err := src.Stat(); err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	} else if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: source %s is not a regular file", f.Path, f.Source)
	}
	h := header(f.Path, method, mod)
	if method == zip.Deflate {
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		if _, err := copyBuffered(dst, src); err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		return nil
	}
	// A stored entry: one pass over the file for its checksum and size, so
	// they can go in the local header (see writeData), then a second pass
	// to copy it, checked against the first in case the file changed.
	sum := crc32.NewIEEE()
	n, err := copyBuffered(sum, src)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	return copyStored(zw, f, src, sum.Sum32(), n, mod)
}

// copyStored writes the stored entry of f, whose checksum and size are
// crc and n, copying it from src.
func copyStored(zw *zip.Writer, f File, src io.Reader, crc uint32, n int64, mod time.Time) error {
	h := header(f.Path, zip.Store, mod)
	h.CRC32 = crc
	h.CompressedSize64 = uint64(n)
	h.UncompressedSize64 = uint64(n)
	rawHeader(h)
	dst, err := zw.CreateRaw(h)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	check := crc32.NewIEEE()
	m, err := copyBuffered(io.MultiWriter(dst, check), io.LimitReader(src, n+1))
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if m != n || check.Sum32() != h.CRC32 {
		return fmt.Errorf("%s: source %s changed while it was being written", f.Path, f.Source)
	}
	return nil
}
