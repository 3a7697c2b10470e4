package dist

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"hash/maphash"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// The zips of one WriteAll (every format of a build, say) have many
// entries in common: the player's scripts and style sheet and the course's
// media are the same bytes at the same path in each. Such an entry is
// compressed once, or for a stored entry checksummed once, and the result
// is written into every zip that holds it. Since an entry's bytes in a zip
// depend only on its path, its content and the modification time (the
// same for the whole WriteAll), each zip is byte for byte what it would
// have been on its own.
//
// A rendered file (File.Parts) is made as its zip writes it,
// so its content is not known ahead. Rendered files at the same path in
// several packages (the page of a module in the packages of several
// formats, or in the web build's zip and folder) share an entry that keeps
// each distinct part made at that path, rendered and deflated (see
// parts.go), until every package holding the path has written it: a
// package renders a part, and a zip deflates it, only when no other
// package has made the same bytes at that place. A part whose Part.Same
// names a content already made is not rendered.

// shared lists the entries that several packages of one WriteAll hold.
type shared struct {
	byFile map[fileKey]*sharedEntry
}

// fileKey names a file of one package.
type fileKey struct {
	pkg  *Package
	path string
}

// sharedKey identifies the content of an entry: a file on disk by its
// name, a file in memory by its size and hash (and, on a match, by
// comparing the bytes).
type sharedKey struct {
	path, source string
	method       uint16
	size         int
	sum          uint64
	// rendered groups the rendered files at path (see sharedEntry.made).
	rendered bool
}

// sharedEntry is one entry that several zips hold.
type sharedEntry struct {
	once sync.Once
	// users counts the packages that have yet to write the entry; the last
	// one lets go of the compressed bytes.
	users atomic.Int32
	// res is the entry compressed (comp is then owned by the entry, not
	// pooled) or, for a stored one, its checksum and size.
	res deflated
	// mu guards parts: for rendered files, by position in the file, each
	// distinct part made so far.
	mu    sync.Mutex
	parts [][]madePart
}

// planShared finds the entries that more than one package of pkgs holds,
// or returns nil when there are none. Of a folder, only the rendered files
// count: the folder takes their bytes from the entry (see
// sharedEntry.made), and copies its other files as they are.
func planShared(pkgs []*Package) *shared {
	if len(pkgs) < 2 {
		return nil
	}
	seed := maphash.MakeSeed()
	type candidate struct {
		e    *sharedEntry
		data []byte
	}
	byKey := map[sharedKey]*candidate{}
	sh := &shared{byFile: map[fileKey]*sharedEntry{}}
	for _, p := range pkgs {
		for _, f := range p.Files {
			if p.Folder && !f.rendered() {
				continue
			}
			k, ok := contentKey(f, seed)
			if !ok {
				continue
			}
			fk := fileKey{p, f.Path}
			if _, dup := sh.byFile[fk]; dup {
				// A path twice in one package: an error, reported when
				// the zip is written.
				continue
			}
			var data []byte // compared, for a file made in memory
			if !f.rendered() {
				data = f.Data
			}
			c := byKey[k]
			if c == nil {
				c = &candidate{e: &sharedEntry{}, data: data}
				byKey[k] = c
			} else if data != nil && !bytes.Equal(c.data, data) {
				continue // the same hash, not the same bytes
			}
			c.e.users.Add(1)
			sh.byFile[fk] = c.e
		}
	}
	for fk, e := range sh.byFile {
		if e.users.Load() < 2 {
			delete(sh.byFile, fk)
		}
	}
	if len(sh.byFile) == 0 {
		return nil
	}
	return sh
}

// contentKey is the key of f's content, and whether f's entry is one to
// share: a deflated entry that can be deflated ahead (so that it is
// written with writeDeflated's bytes), or a stored one streamed from
// disk. The key of a rendered file is its path: the entry it shares keeps
// the parts made at that path (see sharedEntry.made).
func contentKey(f File, seed maphash.Seed) (sharedKey, bool) {
	method := methodFor(f.Path)
	k := sharedKey{path: f.Path, method: method}
	switch {
	case f.rendered():
		if method != zip.Deflate || !canDeflateAhead(f) {
			return k, false
		}
		k.rendered = true
	case f.Data != nil:
		if method != zip.Deflate || !canDeflateAhead(f) {
			return k, false
		}
		k.size, k.sum = len(f.Data), maphash.Bytes(seed, f.Data)
	case f.Source == "":
		return k, false
	case method == zip.Deflate && !canDeflateAhead(f):
		return k, false
	default:
		k.source = f.Source
	}
	return k, true
}

// entries returns the shared entry of each of files (p's, sorted), nil
// for those that are p's alone.
func (sh *shared) entries(p *Package, files []File) []*sharedEntry {
	out := make([]*sharedEntry, len(files))
	if sh == nil {
		return out
	}
	for i, f := range files {
		out[i] = sh.byFile[fileKey{p, f.Path}]
	}
	return out
}

// done tells e that one of its zips no longer needs it.
func (e *sharedEntry) done() {
	if e != nil && e.users.Add(-1) == 0 {
		e.res.comp = nil
		e.mu.Lock()
		e.parts = nil
		e.mu.Unlock()
	}
}

// made returns the parts of f, a rendered file, made: for each, the part
// at its position that e holds with the same Same (for a part with no
// Same, the same bytes), or else the part rendered and deflated, which e
// keeps for the other packages while any is left. It holds e.mu
// throughout, so that the packages that come to the same parts at the
// same time wait for the one making them. The parts' bytes are the
// caller's to read, never to change.
func (e *sharedEntry) made(f File) ([]madePart, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ps := f.Parts
	for len(e.parts) < len(ps) {
		e.parts = append(e.parts, nil)
	}
	out := make([]madePart, len(ps))
	for i, p := range ps {
		var dict []byte
		if p.Follows {
			dict = window(out[:i])
		}
		m, err := e.part(i, p, i == len(ps)-1, dict)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		out[i] = m
	}
	return out, nil
}

// part returns part p, at position i of its file, made after the bytes
// dict (for a part that Follows); e.mu is held.
func (e *sharedEntry) part(i int, p Part, last bool, dict []byte) (madePart, error) {
	var before uint64
	if p.Follows {
		before = maphash.Bytes(beforeSeed, dict)
	}
	if p.Same != "" {
		for _, m := range e.parts[i] {
			if m.same == p.Same && m.last == last && m.before == before {
				return m, nil
			}
		}
	}
	m, err := makePart(p, last, dict)
	if err != nil {
		return madePart{}, err
	}
	for _, k := range e.parts[i] {
		if k.last == last && k.before == before && bytes.Equal(k.raw, m.raw) {
			return k, nil
		}
	}
	if e.users.Load() > 1 {
		e.parts[i] = append(e.parts[i], m)
	}
	return m, nil
}

// compute deflates f, or for a stored entry checksums it, the first time
// it is called.
func (e *sharedEntry) compute(f File) {
	e.once.Do(func() {
		if methodFor(f.Path) == zip.Deflate {
			deflateEntry(f, &e.res)
			if e.res.buf != nil {
				// The bytes are kept until every zip has written them:
				// copied out of the pooled buffer at their size.
				e.res.comp = bytes.Clone(e.res.comp)
				putBuf(e.res.buf)
				e.res.buf = nil
			}
			return
		}
		e.res.crc, e.res.size, e.res.err = sourceCRC(f)
	})
}

// deflated gives d the entry deflated, for a zip's deflating ahead.
func (e *sharedEntry) deflated(f File, d *deflated) {
	if f.rendered() {
		parts, err := e.made(f)
		if err != nil {
			d.err = err
			return
		}
		joinParts(parts, d)
		return
	}
	e.compute(f)
	res := &e.res
	d.comp, d.buf, d.crc, d.size, d.inTurn, d.err = res.comp, nil, res.crc, res.size, res.inTurn, res.err
}

// writeStored writes the stored entry of f.Source, whose CRC-32 and size
// are crc and n, reading the file once more.
func writeStored(zw *zip.Writer, f File, crc uint32, n int64, mod time.Time) error {
	src, err := openSource(f)
	if err != nil {
		return err
	}
	defer src.Close()
	return copyStored(zw, f, src, crc, n, mod)
}

// write writes the entry of f, which e shares, to zw.
func (e *sharedEntry) write(zw *zip.Writer, f File, mod time.Time) error {
	if f.rendered() {
		parts, err := e.made(f)
		if err != nil {
			return err
		}
		var d deflated
		joinParts(parts, &d)
		defer putBuf(d.buf)
		return writeDeflated(zw, f.Path, &d, mod)
	}
	e.compute(f)
	switch {
	case e.res.err != nil:
		return e.res.err
	case e.res.inTurn:
		return writeEntry(zw, f, mod)
	case methodFor(f.Path) == zip.Deflate:
		return writeDeflated(zw, f.Path, &e.res, mod)
	}
	return writeStored(zw, f, e.res.crc, e.res.size, mod)
}

// openSource opens f.Source, which must be a regular file.
func openSource(f File) (*os.File, error) {
	src, err := os.Open(f.Source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	if info, err := src.Stat(); err != nil {
		src.Close()
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	} else if !info.Mode().IsRegular() {
		src.Close()
		return nil, fmt.Errorf("%s: source %s is not a regular file", f.Path, f.Source)
	}
	return src, nil
}

// sourceCRC is the CRC-32 and size of f.Source, read once.
func sourceCRC(f File) (uint32, int64, error) {
	src, err := openSource(f)
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	sum := crc32.NewIEEE()
	n, err := copyBuffered(sum, src)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", f.Path, err)
	}
	return sum.Sum32(), n, nil
}
