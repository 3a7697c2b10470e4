package course

import (
	"bufio"
	"bytes"
	"runtime"
	"sync"

	"github.com/yuin/goldmark/ast"
)

// interactionUse is a question or reflection id used by a block.
type interactionUse struct {
	id, file  string
	line, col int
	// desc names the block for a message about a later use of the id.
	desc string
	// at is how many problems the module's reader had found before this
	// use, to place a problem about it among them.
	at int
}

// readAllPages reads the pages of every module whose front matter was
// read, several modules at once (the pages of a module in turn, since its
// heading ids are unique across its pages). Each module is read by a copy
// of the loader with its own problems, I/O failure and id uses; the copies
// are then merged in module order, so that Load returns exactly what
// reading the modules one after the other gives: the same problems in the
// same order, and the first I/O failure.
func (l *loader) readAllPages() {
	var pending []*moduleFile
	for _, m := range l.modules {
		if m.ok {
			pending = append(pending, m)
		}
	}
	subs := make([]*loader, len(pending))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pending)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(pending) {
					return
				}
				sub := *l
				sub.errs, sub.fatal, sub.uses = problems{}, nil, nil
				sub.readPages(pending[k])
				// The module's source is no longer needed.
				pending[k].data, pending[k].lines = nil, nil
				subs[k] = &sub
			}
		}()
	}
	wg.Wait()
	for _, sub := range subs {
		l.merge(sub)
	}
}

// merge adds what sub found reading a module: its problems, with one for
// each id an earlier block already used, placed where reading the modules
// in turn would have found it, and its I/O failure unless there was one.
func (l *loader) merge(sub *loader) {
	found := sub.errs.list
	k := 0
	for _, u := range sub.uses {
		l.errs.list = append(l.errs.list, found[k:u.at]...)
		k = u.at
		if first, dup := l.interactions[u.id]; dup {
			l.errs.add(u.file, u.line, u.col, "duplicate id %q: %s already uses it; give each question and reflection its own id", u.id, first)
			continue
		}
		l.interactions[u.id] = u.desc
	}
	l.errs.list = append(l.errs.list, found[k:]...)
	if sub.fatal != nil {
		l.fail(sub.fatal)
	}
}

// Buffers reused across pages: goldmark allocates a 4 KB buffered writer
// for every Render call not given one, and a page makes a dozen calls (one
// per question option, feedback, prompt, ...).
var (
	bufWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}
	buffers    = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// renderTo renders n, a node of the page source src, onto buf.
func (l *loader) renderTo(buf *bytes.Buffer, src []byte, n ast.Node) error {
	w := bufWriters.Get().(*bufio.Writer)
	w.Reset(buf)
	err := l.md.Renderer().Render(w, src, n) // Render flushes w
	w.Reset(nil)
	bufWriters.Put(w)
	return err
}

func getBuffer() *bytes.Buffer {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuffer keeps b for reuse unless it grew large.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		buffers.Put(b)
	}
}
