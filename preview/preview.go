// Package preview runs a course in a built-in LMS simulator: a local web
// server on 127.0.0.1 that builds the course in memory, serves the package's
// files and a simulator page around them, and rebuilds whenever a source
// file changes.
//
// The simulator page (sim/, embedded) shows the course in an iframe beside
// the data the LMS holds. Its SCORM 1.2 and SCORM 2004 run-times are the
// page's own JavaScript (sim/runtime.js), with a strict mode modelled on
// Moodle; the learner's data is kept per SCO in the page's localStorage.
// For xAPI and cmi5 the server itself is the LRS (package preview/lrs,
// in memory): the page launches the unit with the Tin Can or cmi5 launch
// parameters and shows every statement and document the LRS receives.
//
// Routes:
//
//	/                   the simulator page
//	/_preview/*.js|css  its scripts and stylesheet
//	/_preview/state     the build being served and the last build's outcome, as JSON
//	/_preview/events    the same, as Server-Sent Events ("build"), on each
//	                    rebuild; and "lrs" ({"seq": n}) when the LRS changes
//	/_preview/lrs/...   the LRS and its launches (see package preview/lrs)
//	/course/<path>      the files of the package built
package preview

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/preview/lrs"
)

//go:embed sim
var simFiles embed.FS

// Formats lists the formats the simulator runs, in the order the command
// line shows them; the first is the default.
func Formats() []string { return []string{"scorm12", "scorm2004", "xapi", "cmi5", "html"} }

// DefaultPoll is how often the course folder is checked for changes. A
// scan of a course folder takes tens of microseconds, and with the settle
// time and a rebuild of some 30 ms an edit of the example course is
// served within 200 ms of its save.
const DefaultPoll = 100 * time.Millisecond

// Options configure a preview server.
type Options struct {
	// Dir is the course folder.
	Dir string
	// Format is the format built and run: one of Formats.
	Format string
	// Brand is a brand overlay file (see package brand) merged over
	// course.yaml, as build --brand merges one; "" for none.
	Brand string
	// Layout is format.LayoutModule (a SCO per module, the default) or
	// format.LayoutCourse (one SCO for the course).
	Layout format.Layout
	// Poll is how often the course folder is checked for changes; zero
	// means DefaultPoll.
	Poll time.Duration
	// Log hears one line per rebuild; nil means nowhere.
	Log io.Writer
	// Now gives the time of log lines; nil means time.Now.
	Now func() time.Time
}

// Server builds a course and serves it with the simulator. Make one with
// New, then call Serve.
type Server struct {
	opts   Options
	format format.Format
	// display is how problem file names are shown: the course folder as
	// given, joined with the file's name, as the build command prints them.
	display string

	mu sync.RWMutex
	// good is the last build that succeeded; nil until one does.
	good *snapshot
	// state is what /_preview/state says.
	state State
	// watched is the course folder's files as last seen, and hashes the
	// content of those small enough (see sameContent).
	watched map[string]fileStamp
	hashes  map[string][32]byte

	events *hub
	// lrs is the LRS of the xapi and cmi5 formats; lrsEvents hears its
	// changes.
	lrs       *lrs.LRS
	lrsEvents *hub
	// brandKey is the brand overlay's name in watched when it lies
	// outside the course folder; "" otherwise.
	brandKey string
}

// New checks the options and builds the course once. A course that does
// not build is not an error here: the simulator page shows its problems
// until an edit fixes them. Options that cannot work come back as a
// *coursepack.UsageError, a course folder that is not there as an error.
func New(opts Options) (*Server, error) {
	if opts.Layout == "" {
		opts.Layout = format.LayoutModule
	}
	if opts.Layout != format.LayoutModule && opts.Layout != format.LayoutCourse {
		return nil, &coursepack.UsageError{Msg: fmt.Sprintf("preview runs the %q and %q layouts, not %q", format.LayoutModule, format.LayoutCourse, opts.Layout)}
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	f, err := selectFormat(opts.Format)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(opts.Dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", opts.Dir)
	}
	s := &Server{opts: opts, format: f, display: opts.Dir, events: newHub(), lrsEvents: newHub()}
	if err := s.checkBrand(); err != nil {
		return nil, err
	}
	s.lrs = lrs.New(s.lrsChanged)
	s.state = State{Format: f.Name(), Runtime: f.Runtime(), Layout: string(opts.Layout), Brand: opts.Brand, Units: []Unit{}, Problems: []Problem{}, Warnings: []Problem{}}
	s.watched, _ = s.scan()
	s.hashes = map[string][32]byte{}
	s.hashFiles(s.watched, sortedKeys(s.watched))
	s.rebuild(nil)
	return s, nil
}

func selectFormat(name string) (format.Format, error) {
	if name == "" {
		name = Formats()[0]
	}
	for _, f := range coursepack.Formats() {
		if f.Name() == name && supported(name) {
			return f, nil
		}
	}
	return nil, &coursepack.UsageError{Msg: fmt.Sprintf("preview runs %s, not %q", strings.Join(Formats(), ", "), name)}
}

func supported(name string) bool {
	for _, n := range Formats() {
		if n == name {
			return true
		}
	}
	return false
}

// Listen opens a TCP listener on 127.0.0.1 (never on other interfaces) at
// port, or at a free port when port is 0.
func Listen(port int) (net.Listener, error) {
	if port < 0 || port > 65535 {
		return nil, &coursepack.UsageError{Msg: fmt.Sprintf("--port must be between 0 and 65535, not %d", port)}
	}
	return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}

// URL is the simulator page's address on a listener.
func URL(ln net.Listener) string {
	return "http://" + ln.Addr().String() + "/"
}

// Serve answers requests on ln and rebuilds the course when its files
// change, until ctx is done; then it stops the watcher, ends the open
// event streams and closes ln. It returns nil after a clean stop.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// Requests, event streams among them, end with ctx.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		s.Watch(ctx)
	}()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		shutdown, cancelShutdown := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancelShutdown()
		if srv.Shutdown(shutdown) != nil {
			srv.Close()
		}
	}()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	// Serve may also have failed on its own: stop the rest either way.
	cancel()
	<-watchDone
	<-stopped
	return err
}

// Handler answers the simulator's routes. It refuses requests whose Host
// header names another machine, so that a web page cannot reach the
// server through a DNS name pointed at 127.0.0.1.
func (s *Server) Handler() http.Handler {
	sim, err := fs.Sub(simFiles, "sim")
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !localHost(r.Host) {
			http.Error(w, "coursepack preview answers only requests to 127.0.0.1 or localhost", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		p := r.URL.Path
		switch {
		case p == "/" || p == "/index.html":
			s.serveEmbedded(w, r, sim, "index.html")
		case p == "/_preview/state":
			s.serveState(w, r)
		case p == "/_preview/events":
			s.serveEvents(w, r)
		case strings.HasPrefix(p, "/_preview/lrs/"):
			http.StripPrefix("/_preview/lrs", s.lrs).ServeHTTP(w, r)
		case strings.HasPrefix(p, "/_preview/"):
			s.serveEmbedded(w, r, sim, strings.TrimPrefix(p, "/_preview/"))
		case strings.HasPrefix(p, "/course/"):
			s.serveCourse(w, r, strings.TrimPrefix(p, "/course/"))
		default:
			http.NotFound(w, r)
		}
	})
}

// localHost reports whether a Host header names this machine.
func localHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	switch strings.ToLower(host) {
	case "127.0.0.1", "localhost", "::1":
		return true
	}
	return false
}

func (s *Server) serveEmbedded(w http.ResponseWriter, r *http.Request, sim fs.FS, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !safePath(name) {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	data, err := fs.ReadFile(sim, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType(name))
	http.ServeContent(w, r, name, time.Time{}, strings.NewReader(string(data)))
}

// safePath reports whether p, a slash-separated path inside a package, stays
// inside it: not empty, not absolute, no "." or ".." segment, no
// backslash, no NUL.
func safePath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// Close ends the open event streams (Serve ends them too, with its
// context).
func (s *Server) Close() {
	s.events.close()
	s.lrsEvents.close()
}

// LRS is the server's LRS, which the xapi and cmi5 formats report to.
func (s *Server) LRS() *lrs.LRS { return s.lrs }

// lrsChanged announces a change of the LRS to the event streams.
func (s *Server) lrsChanged() {
	s.lrsEvents.publish([]byte("{}"))
}

// relName is a course file's name as problems show it.
func (s *Server) relName(file string) string {
	return filepath.ToSlash(filepath.Join(s.display, file))
}
