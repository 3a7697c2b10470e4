package dist

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/maphash"
	"io"

	"github.com/klauspost/compress/flate"
)

// A rendered file may be made of parts (File.Parts): the pages of a course
// are the same for every runtime but for two short values, so a page is
// given as the parts around and between them. Each part is deflated on its
// own, as the start of a deflate stream: a part that is not the last ends
// in a sync flush (an empty stored block, which leaves the stream at a byte
// boundary) rather than a final block, so the parts' compressed bytes, one
// after the other, are one valid deflate stream of the whole file. A part
// refers back into the bytes before it only when it Follows them; the
// others cost a few hundred bytes of a page, and in return the parts that
// several packages hold at the same path are rendered and deflated once
// for them all (see shared.go).
//
// A file of one part is deflated on its own and closed: the same bytes as
// a plain deflate of the file.

// Part is a piece of a file made of parts.
type Part struct {
	// Same names the part's content: the parts at the same position in
	// the files at one path in the packages of one WriteAll that have the
	// same Same make the same bytes, so only the first of them is
	// rendered. Empty, each is rendered and their bytes compared.
	Same string
	// Render writes the part. It must write the same bytes each time it
	// is called: a package written as a zip and as a folder calls it once
	// for each.
	Render func(w io.Writer) error
	// Follows lets the part's deflated bytes refer back to the bytes
	// before it in the file (up to followWindow of them), as a plain
	// deflate of the file would: for a part that repeats text of the
	// parts before it. Its deflated bytes then depend on those bytes too,
	// and it is shared only with parts that follow the same bytes.
	Follows bool
}

// followWindow is how far back a part that Follows may refer: a quarter
// of deflate's window, most of the gain for a fraction of the time (the
// compressor reads the bytes before the part as if it compressed them).
const followWindow = 16 << 10

// Hold renders f, a rendered file, into memory. The file it returns has
// f's content as Data, for those who read it, and f's parts as parts that
// write slices of it: it is written as f would be, byte for byte.
func Hold(f File) (File, error) {
	var buf bytes.Buffer
	ps := f.Parts
	ends := make([]int, len(ps))
	for i, p := range ps {
		if err := p.Render(&buf); err != nil {
			return File{}, fmt.Errorf("%s: %w", f.Path, err)
		}
		ends[i] = buf.Len()
	}
	held := File{Path: f.Path, Data: buf.Bytes(), Parts: make([]Part, len(ps))}
	start := 0
	for i, p := range ps {
		piece := held.Data[start:ends[i]:ends[i]]
		held.Parts[i] = Part{Same: p.Same, Follows: p.Follows, Render: func(w io.Writer) error {
			_, err := w.Write(piece)
			return err
		}}
		start = ends[i]
	}
	return held, nil
}

// madePart is a part rendered and deflated.
type madePart struct {
	same string
	last bool
	// before identifies the bytes a part that Follows refers back to (a
	// hash of them), 0 for a part that does not.
	before uint64
	raw    []byte // the part's bytes
	comp   []byte // deflated on its own (see above)
}

// beforeSeed seeds the hashes of madePart.before.
var beforeSeed = maphash.MakeSeed()

// makePart renders p, the last part of its file or not, and deflates it,
// after the bytes dict when p Follows.
func makePart(p Part, last bool, dict []byte) (madePart, error) {
	raw := bufPool.Get().(*bytes.Buffer)
	raw.Reset()
	defer putBuf(raw)
	if err := p.Render(raw); err != nil {
		return madePart{}, err
	}
	comp := bufPool.Get().(*bytes.Buffer)
	comp.Reset()
	defer putBuf(comp)
	if err := deflatePart(comp, raw.Bytes(), last, dict); err != nil {
		return madePart{}, err
	}
	m := madePart{same: p.Same, last: last, raw: bytes.Clone(raw.Bytes()), comp: bytes.Clone(comp.Bytes())}
	if p.Follows {
		m.before = maphash.Bytes(beforeSeed, dict)
	}
	return m, nil
}

// window returns the bytes a part that Follows refers back to: the last
// followWindow bytes of the parts made before it.
func window(before []madePart) []byte {
	var dict []byte
	for i := len(before) - 1; i >= 0 && len(dict) < followWindow; i-- {
		raw := before[i].raw
		raw = raw[max(0, len(raw)-(followWindow-len(dict))):]
		dict = append(raw[:len(raw):len(raw)], dict...)
	}
	return dict
}

// chunkSize bounds what one goroutine deflates of a part: a longer part
// (the page of a whole course) is cut into chunks of chunkSize bytes,
// deflated at once, each as a stream of its own after the 32 KB before it
// (deflate's whole window, so it loses no match), and joined: the part
// deflated but for where its blocks end, in a fraction of the time. The
// chunks are cut at the same places however many are deflated at once.
const chunkSize = 1 << 20

// deflateWindow is how far back deflate refers.
const deflateWindow = 32 << 10

// deflatePart appends to dst data deflated as a new stream, after the
// bytes dict (nil for none), closed with a final block when last, else
// left open with a sync flush; in chunks, at once, when it is longer than
// chunkSize.
func deflatePart(dst *bytes.Buffer, data []byte, last bool, dict []byte) error {
	if len(data) <= chunkSize {
		return deflateChunk(dst, data, last, dict)
	}
	n := (len(data) + chunkSize - 1) / chunkSize
	outs := make([]*bytes.Buffer, n)
	errs := make([]error, n)
	forEach(n, parallelism, func(k int) {
		lo, hi := k*chunkSize, min(len(data), (k+1)*chunkSize)
		before := dict
		if k > 0 {
			before = data[max(0, lo-deflateWindow):lo]
		}
		outs[k] = bufPool.Get().(*bytes.Buffer)
		outs[k].Reset()
		errs[k] = deflateChunk(outs[k], data[lo:hi], last && k == n-1, before)
	})
	for k, out := range outs {
		if errs[k] == nil {
			dst.Write(out.Bytes())
		}
		putBuf(out)
	}
	return errors.Join(errs...)
}

// deflateChunk appends to dst data deflated as a new stream, after the
// bytes dict (nil for none), closed with a final block when last, else
// left open with a sync flush.
func deflateChunk(dst *bytes.Buffer, data []byte, last bool, dict []byte) error {
	fw, _ := flatePool.Get().(*flate.Writer)
	if fw == nil {
		fw, _ = flate.NewWriter(dst, flateLevel)
	}
	// ResetDict, with or without a dictionary: a pooled writer keeps the
	// last one it was given for its next Reset.
	fw.ResetDict(dst, dict)
	defer flatePool.Put(fw)
	if _, err := fw.Write(data); err != nil {
		return err
	}
	if last {
		return fw.Close()
	}
	return fw.Flush()
}

// joinParts gives d the file made of parts: their compressed bytes one
// after the other (in a pooled buffer, d.buf), the CRC-32 and size of the
// whole.
func joinParts(parts []madePart, d *deflated) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	var crc uint32
	var size int64
	for _, p := range parts {
		buf.Write(p.comp)
		crc = crc32.Update(crc, crc32.IEEETable, p.raw)
		size += int64(len(p.raw))
	}
	d.buf, d.comp, d.crc, d.size = buf, buf.Bytes(), crc, size
}

// deflateParts renders and deflates the parts of f, a rendered file, into
// d, as joinParts would give them from the parts made by makePart. It
// keeps no part: the file's bytes are rendered into one buffer and
// deflated into another, where makePart would copy each part to keep it,
// which for the page of a whole course is tens of megabytes more.
func deflateParts(f File, d *deflated) {
	ps := f.Parts
	raw := bufPool.Get().(*bytes.Buffer)
	raw.Reset()
	defer putBuf(raw)
	out := bufPool.Get().(*bytes.Buffer)
	out.Reset()
	for i, p := range ps {
		start := raw.Len()
		err := p.Render(raw)
		if err == nil {
			var dict []byte
			if p.Follows {
				dict = raw.Bytes()[max(0, start-followWindow):start]
			}
			err = deflatePart(out, raw.Bytes()[start:], i == len(ps)-1, dict)
		}
		if err != nil {
			putBuf(out)
			d.err = fmt.Errorf("%s: %w", f.Path, err)
			return
		}
	}
	d.buf, d.comp, d.crc, d.size = out, out.Bytes(), crc32.ChecksumIEEE(raw.Bytes()), int64(raw.Len())
}

// writeRaw writes the bytes of parts, one after the other, to w.
func writeRaw(w io.Writer, parts []madePart) (int64, error) {
	var n int64
	for _, p := range parts {
		m, err := w.Write(p.raw)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
