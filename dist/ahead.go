package dist

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
)

// Deflating is most of the CPU time of writing a zip, so the entries to be
// deflated are compressed ahead, several at once, while the zip is written
// in path order: an entry deflated ahead is written with
// zip.Writer.CreateRaw with the very bytes zip.Writer.CreateHeader would
// have written (the same flate level, header fields and data descriptor),
// so the zip does not depend on how many entries were compressed at once.

// parallelism is how many entries are deflated at once; 1 writes every
// entry in turn, as the zip is written. Tests change it.
var parallelism = runtime.GOMAXPROCS(0)

// flateLevel is the deflate level of every entry: in klauspost/compress,
// level 5 compresses text within a few per cent of compress/flate's and
// in well under half its time.
const flateLevel = 5

// newFlateWriter is the Deflate compressor of every zip written, for the
// entries written in turn, so that they have the same bytes as those
// deflated ahead.
func newFlateWriter(w io.Writer) (io.WriteCloser, error) {
	return flate.NewWriter(w, flateLevel)
}

// maxAhead caps the size of a file streamed from disk that is read whole
// and deflated ahead; larger ones are streamed in turn. Tests change it.
var maxAhead int64 = 8 << 20

// deflated is an entry compressed ahead.
type deflated struct {
	done chan struct{}
	comp []byte        // the compressed bytes
	buf  *bytes.Buffer // the pooled buffer holding comp, if any
	crc  uint32
	size int64 // uncompressed
	// inTurn is set when the entry turned out not to suit deflating ahead
	// (a source file too large): it is written in turn instead.
	inTurn bool
	// stored is set for a stored file on disk whose CRC-32 and size
	// (crc, size) were computed ahead: the writer then copies it once.
	stored bool
	err    error
}

// ahead deflates the entries of a zip in the background.
type ahead struct {
	slots []*deflated // by file index; nil for entries written in turn
	quit  chan struct{}
	// window holds a token for each entry dispatched and not yet written,
	// bounding the memory held by compressed entries.
	window chan struct{}
	wg     sync.WaitGroup
}

var (
	bufPool   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	flatePool sync.Pool // *flate.Writer at flateLevel
)

// canDeflateAhead reports whether f's entry can be deflated ahead with the
// same bytes as in turn: a deflated entry whose name rawHeader marks as
// archive/zip does (it does not mirror archive/zip for control
// characters) and that needs no zip64 fields.
func canDeflateAhead(f File) bool {
	if methodFor(f.Path) != zip.Deflate || len(f.Data) > 1<<30 {
		return false
	}
	for i := 0; i < len(f.Path); i++ {
		if c := f.Path[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// canChecksumAhead reports whether f is a stored file on disk, whose
// CRC-32 (which goes in the entry's local header, before its bytes) can be
// computed ahead, so that the zip's writer reads it only once.
func canChecksumAhead(f File) bool {
	return !f.rendered() && f.Data == nil && f.Source != "" && methodFor(f.Path) == zip.Store
}

// startAhead starts deflating the entries of files (sorted) that suit it,
// with workers goroutines, or returns nil when there is nothing to gain.
// An entry that other zips of the same WriteAll share (its entry in
// shared, one per file, nil for the others) is deflated once for them all.
func startAhead(files []File, shared []*sharedEntry, workers int) *ahead {
	if workers < 2 {
		return nil
	}
	a := &ahead{slots: make([]*deflated, len(files)), quit: make(chan struct{}), window: make(chan struct{}, 4*workers)}
	var jobs []int
	for i, f := range files {
		if canDeflateAhead(f) || canChecksumAhead(f) {
			a.slots[i] = &deflated{done: make(chan struct{}), stored: methodFor(f.Path) == zip.Store}
			jobs = append(jobs, i)
		}
	}
	if len(jobs) < 2 {
		return nil
	}
	queue := make(chan int)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer close(queue)
		for _, i := range jobs {
			select {
			case a.window <- struct{}{}:
			case <-a.quit:
				return
			}
			select {
			case queue <- i:
			case <-a.quit:
				return
			}
		}
	}()
	for range min(workers, len(jobs)) {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			for i := range queue {
				d := a.slots[i]
				switch e := shared[i]; {
				case e != nil:
					e.deflated(files[i], d)
				case d.stored:
					d.crc, d.size, d.err = sourceCRC(files[i])
				default:
					deflateEntry(files[i], d)
				}
				close(d.done)
			}
		}()
	}
	return a
}

// stop ends the background work; it waits for the goroutines to return.
func (a *ahead) stop() {
	if a == nil {
		return
	}
	close(a.quit)
	a.wg.Wait()
}

// result returns the entry of file i deflated ahead, waiting for it, or
// nil when file i is written in turn.
func (a *ahead) result(i int) *deflated {
	if a == nil || a.slots[i] == nil {
		return nil
	}
	d := a.slots[i]
	<-d.done
	return d
}

// release frees what d holds and lets another entry be dispatched.
func (a *ahead) release(d *deflated) {
	putBuf(d.buf)
	d.buf, d.comp = nil, nil
	<-a.window
}

// maxPooled caps the buffers kept for reuse, so that one very large entry
// does not keep its memory for the rest of the build.
const maxPooled = 4 << 20

func putBuf(b *bytes.Buffer) {
	if b != nil && b.Cap() <= maxPooled {
		bufPool.Put(b)
	}
}

// deflateEntry compresses f into d.
func deflateEntry(f File, d *deflated) {
	if f.rendered() {
		deflateParts(f, d)
		return
	}
	data := f.Data
	if data == nil && f.Source != "" {
		src, err := os.Open(f.Source)
		if err != nil {
			d.err = fmt.Errorf("%s: %w", f.Path, err)
			return
		}
		defer src.Close()
		info, err := src.Stat()
		switch {
		case err != nil:
			d.err = fmt.Errorf("%s: %w", f.Path, err)
			return
		case !info.Mode().IsRegular():
			d.err = fmt.Errorf("%s: source %s is not a regular file", f.Path, f.Source)
			return
		case info.Size() > maxAhead:
			d.inTurn = true
			return
		}
		raw := bufPool.Get().(*bytes.Buffer)
		defer putBuf(raw)
		raw.Reset()
		if _, err := raw.ReadFrom(src); err != nil {
			d.err = fmt.Errorf("%s: %w", f.Path, err)
			return
		}
		data = raw.Bytes()
	}
	deflateData(f.Path, data, d)
}

// deflateData compresses data, the content of the entry at path p, into d.
func deflateData(p string, data []byte, d *deflated) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	fw, _ := flatePool.Get().(*flate.Writer)
	if fw == nil {
		fw, _ = flate.NewWriter(buf, flateLevel)
	}
	fw.ResetDict(buf, nil) // see deflatePart
	_, err := fw.Write(data)
	if err == nil {
		err = fw.Close()
	}
	flatePool.Put(fw)
	if err != nil {
		putBuf(buf)
		d.err = fmt.Errorf("%s: %w", p, err)
		return
	}
	d.buf, d.comp, d.crc, d.size = buf, buf.Bytes(), crc32.ChecksumIEEE(data), int64(len(data))
}

// writeDeflated writes an entry deflated ahead, as CreateHeader would: a
// local header without sizes, the data, then a data descriptor.
func writeDeflated(zw *zip.Writer, p string, d *deflated, mod time.Time) error {
	h := header(p, zip.Deflate, mod)
	h.Flags |= 0x8 // a data descriptor follows the data
	h.CRC32 = d.crc
	h.CompressedSize64 = uint64(len(d.comp))
	h.UncompressedSize64 = uint64(d.size)
	rawHeader(h)
	dst, err := zw.CreateRaw(h)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if _, err := dst.Write(d.comp); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// copyBufs are the buffers files are streamed through: io.Copy would
// allocate one per copy.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// copyBuffered copies src to dst through a pooled buffer.
func copyBuffered(dst io.Writer, src io.Reader) (int64, error) {
	b := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(b)
	// Hide src's WriterTo (an *os.File has one, which would allocate its
	// own buffer) so the pooled buffer is used.
	return io.CopyBuffer(dst, struct{ io.Reader }{src}, *b)
}

// folderWorkers is how many files of a folder are written at once: the
// work is mostly waiting for the disk.
const folderWorkers = 8

// forEach calls do(i) for each i below n, from up to workers goroutines at
// once, and returns when every call has.
func forEach(n, workers int, do func(i int)) {
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				do(i)
			}
		}()
	}
	wg.Wait()
}
