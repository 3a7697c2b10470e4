package preview

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// keepAlive is how often an idle event stream gets a comment, so that
// proxies and the browser keep it open.
const keepAlive = 15 * time.Second

// hub hands each published state to every open event stream. A slow
// stream only ever misses states that a newer one replaces.
type hub struct {
	mu     sync.Mutex
	subs   map[chan []byte]struct{}
	closed bool
}

func newHub() *hub { return &hub{subs: map[chan []byte]struct{}{}} }

// subscribe returns a channel of states, closed when the hub closes.
func (h *hub) subscribe() chan []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan []byte, 1)
	if h.closed {
		close(ch)
		return ch
	}
	h.subs[ch] = struct{}{}
	return ch
}

func (h *hub) unsubscribe(ch chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

// publish replaces whatever state a stream has not sent yet with data.
func (h *hub) publish(data []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case <-ch: // drop the older state
		default:
		}
		ch <- data
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}

// serveEvents streams a "build" event with the state now, then one after
// every rebuild, until the client goes or the server stops.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := s.events.subscribe()
	defer s.events.unsubscribe(ch)
	lrsCh := s.lrsEvents.subscribe()
	defer s.lrsEvents.unsubscribe(lrsCh)
	s.mu.RLock()
	first := s.stateLocked()
	s.mu.RUnlock()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 1000\n\n")
	send := func(data []byte) {
		fmt.Fprintf(w, "event: build\ndata: %s\n\n", data)
		flusher.Flush()
	}
	send(first)
	ping := time.NewTicker(keepAlive)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case data, ok := <-ch:
			if !ok {
				return
			}
			send(data)
		case _, ok := <-lrsCh:
			if !ok {
				return
			}
			// The page asks the LRS what is new: a slow stream misses
			// nothing.
			fmt.Fprint(w, "event: lrs\ndata: {}\n\n")
			flusher.Flush()
		case <-ping.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			flusher.Flush()
		}
	}
}
