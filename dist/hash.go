package dist

import (
	"hash"
	"sync"
)

// backgroundHash computes a hash of what is written to it on a goroutine of
// its own, so that hashing a zip (SHA-256 costs about as much CPU as
// writing the zip itself) overlaps with writing it.
type backgroundHash struct {
	h    hash.Hash
	work chan []byte
	free chan []byte
	done chan struct{}
	once sync.Once
}

func newBackgroundHash(h hash.Hash) *backgroundHash {
	b := &backgroundHash{h: h, work: make(chan []byte, 8), free: make(chan []byte, 10), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for p := range b.work {
			b.h.Write(p)
			select {
			case b.free <- p:
			default:
			}
		}
	}()
	return b
}

// Write hands a copy of p to the hashing goroutine.
func (b *backgroundHash) Write(p []byte) (int, error) {
	var buf []byte
	select {
	case buf = <-b.free:
	default:
	}
	b.work <- append(buf[:0], p...)
	return len(p), nil
}

// Sum waits for everything written to be hashed, then appends the hash to
// in. Nothing may be written after it.
func (b *backgroundHash) Sum(in []byte) []byte {
	b.stop()
	return b.h.Sum(in)
}

// stop ends the hashing goroutine once it has hashed what was written; it
// may be called more than once.
func (b *backgroundHash) stop() {
	b.once.Do(func() { close(b.work) })
	<-b.done
}
