package preview

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/txtar"
	"github.com/coursepack/coursepack/preview/lrs"
)

// syncBuffer is a bytes.Buffer safe for the server's log and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start makes a server on a copy of the course and an httptest server for
// it; both stop when the test ends.
func start(t *testing.T, opts Options) (*Server, *httptest.Server, *syncBuffer) {
	t.Helper()
	log := &syncBuffer{}
	opts.Log = log
	if opts.Poll == 0 {
		opts.Poll = 20 * time.Millisecond
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts, log
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func TestSimulatorPage(t *testing.T) {
	_, ts, _ := start(t, Options{Dir: "../testdata/tiny"})
	for _, tt := range []struct {
		path, contentType, contains string
	}{
		{"/", "text/html; charset=utf-8", `<iframe id="sco"`},
		{"/_preview/runtime.js", "text/javascript; charset=utf-8", "LMSInitialize"},
		{"/_preview/sim.js", "text/javascript; charset=utf-8", "EventSource"},
		{"/_preview/sim.css", "text/css; charset=utf-8", ".panel"},
		{"/_preview/state", "application/json", `"format":"scorm12"`},
	} {
		res, body := get(t, ts.URL+tt.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tt.path, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tt.contentType {
			t.Errorf("%s: Content-Type %q, want %q", tt.path, got, tt.contentType)
		}
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", tt.path, got)
		}
		if !strings.Contains(body, tt.contains) {
			t.Errorf("%s does not contain %q", tt.path, tt.contains)
		}
	}
	if res, _ := get(t, ts.URL+"/_preview/nothing.js"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a missing simulator file: status %d, want 404", res.StatusCode)
	}
}

func TestCourseFilesAndContentTypes(t *testing.T) {
	for _, tt := range []struct {
		format string
		files  map[string]string // path -> Content-Type
	}{
		{"scorm12", map[string]string{
			"one.html":             "text/html; charset=utf-8",
			"player/coursepack.js": "text/javascript; charset=utf-8",
			"player/player.css":    "text/css; charset=utf-8",
			"imsmanifest.xml":      "application/xml",
		}},
		{"scorm2004", map[string]string{
			"two.html":             "text/html; charset=utf-8",
			"player/coursepack.js": "text/javascript; charset=utf-8",
			"imsmanifest.xml":      "application/xml",
		}},
		{"html", map[string]string{
			"index.html":           "text/html; charset=utf-8",
			"one.html":             "text/html; charset=utf-8",
			"player/coursepack.js": "text/javascript; charset=utf-8",
		}},
	} {
		t.Run(tt.format, func(t *testing.T) {
			_, ts, _ := start(t, Options{Dir: "../testdata/tiny", Format: tt.format})
			for p, want := range tt.files {
				res, body := get(t, ts.URL+"/course/"+p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d", p, res.StatusCode)
					continue
				}
				if got := res.Header.Get("Content-Type"); got != want {
					t.Errorf("%s: Content-Type %q, want %q", p, got, want)
				}
				if res.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("%s: no X-Content-Type-Options: nosniff", p)
				}
				if len(body) == 0 {
					t.Errorf("%s is empty", p)
				}
			}
			if res, _ := get(t, ts.URL+"/course/no-such-file.html"); res.StatusCode != http.StatusNotFound {
				t.Errorf("a missing file: status %d, want 404", res.StatusCode)
			}
		})
	}
}

func TestContentTypeOfAssets(t *testing.T) {
	for name, want := range map[string]string{
		"a.png": "image/png", "b.JPG": "image/jpeg", "c.svg": "image/svg+xml", "d.mp4": "video/mp4",
		"e.vtt": "text/vtt; charset=utf-8", "f.woff2": "font/woff2", "g.pdf": "application/pdf", "h.unknown": "application/octet-stream",
	} {
		if got := contentType(name); got != want {
			t.Errorf("contentType(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestUnits(t *testing.T) {
	example := "../examples/stepping-into-leadership"
	for _, tt := range []struct {
		dir    string
		format string
		layout format.Layout
		check  func(t *testing.T, units []Unit)
	}{
		{"../testdata/tiny", "scorm12", format.LayoutModule, func(t *testing.T, units []Unit) {
			if len(units) != 2 || units[0] != (Unit{ID: "item-one", Title: "Module one", Href: "one.html"}) || units[1].Href != "two.html" {
				t.Errorf("units = %+v", units)
			}
		}},
		{"../testdata/tiny", "scorm12", format.LayoutCourse, func(t *testing.T, units []Unit) {
			if len(units) != 1 || units[0].Href != "index.html" {
				t.Errorf("units = %+v", units)
			}
		}},
		{"../testdata/tiny", "scorm2004", format.LayoutModule, func(t *testing.T, units []Unit) {
			// Module one is completed by its pages: a threshold by measure.
			if len(units) != 2 || units[0].CompletionThreshold != "1.0" {
				t.Errorf("units = %+v", units)
			}
		}},
		{"../testdata/tiny", "html", format.LayoutModule, func(t *testing.T, units []Unit) {
			if len(units) != 3 || units[0].Href != "index.html" || units[1].Href != "one.html" || units[2].Href != "two.html" {
				t.Errorf("units = %+v", units)
			}
		}},
		{"../testdata/tiny", "xapi", format.LayoutModule, func(t *testing.T, units []Unit) {
			// tincan.xml launches one activity, the course.
			if len(units) != 1 || units[0] != (Unit{ID: "https://example.org/courses/tiny", Title: "Tiny course", Href: "index.html", ActivityID: "https://example.org/courses/tiny"}) {
				t.Errorf("units = %+v", units)
			}
		}},
		{"../testdata/tiny", "cmi5", format.LayoutModule, func(t *testing.T, units []Unit) {
			if len(units) != 2 || units[0] != (Unit{ID: "https://example.org/courses/tiny/one", Title: "Module one", Href: "one.html", ActivityID: "https://example.org/courses/tiny/one", MoveOn: "Completed",
				LaunchActivityID: lrs.AUActivityID("https://example.org/courses/tiny/one")}) ||
				units[1].Href != "two.html" {
				t.Errorf("units = %+v", units)
			}
		}},
		{"../testdata/tiny", "cmi5", format.LayoutCourse, func(t *testing.T, units []Unit) {
			if len(units) != 1 || units[0].ActivityID != "https://example.org/courses/tiny/_all" || units[0].Href != "index.html" {
				t.Errorf("units = %+v", units)
			}
		}},
		{example, "cmi5", format.LayoutCourse, func(t *testing.T, units []Unit) {
			if len(units) != 1 || units[0].MasteryScore != "0.8" || units[0].MoveOn != "CompletedAndPassed" {
				t.Errorf("units = %+v, want a mastery score of 0.8", units)
			}
		}},
		{example, "scorm12", format.LayoutCourse, func(t *testing.T, units []Unit) {
			if len(units) != 1 || units[0].MasteryScore != "80" {
				t.Errorf("units = %+v, want a mastery score of 80", units)
			}
		}},
		{example, "scorm2004", format.LayoutCourse, func(t *testing.T, units []Unit) {
			if len(units) != 1 || units[0].ScaledPassingScore != "0.8" {
				t.Errorf("units = %+v, want a scaled passing score of 0.8", units)
			}
		}},
	} {
		t.Run(tt.format+"-"+string(tt.layout)+"-"+filepath.Base(tt.dir), func(t *testing.T) {
			if _, err := os.Stat(tt.dir); err != nil {
				t.Fatal(err)
			}
			s, _, _ := start(t, Options{Dir: tt.dir, Format: tt.format, Layout: tt.layout})
			st := s.Current()
			if !st.OK {
				t.Fatalf("build failed: %+v %s", st.Problems, st.Error)
			}
			tt.check(t, st.Units)
		})
	}
}

func TestManifestUnits(t *testing.T) {
	manifest := `<?xml version="1.0"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <organizations default="b">
    <organization identifier="a"><item identifier="x" identifierref="r1"><title>Other</title></item></organization>
    <organization identifier="b">
      <item identifier="parent"><title>Part</title>
        <item identifier="i1" identifierref="r1" parameters="?lang=en"><title> First </title>
          <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>
          <adlcp:dataFromLMS>hello</adlcp:dataFromLMS>
          <imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>
        </item>
        <item identifier="i2" identifierref="r2"><title>Second</title></item>
        <item identifier="i3" identifierref="asset"><title>No href</title></item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" href="a.html?x=1"/>
    <resource identifier="r2" href="b.html" xml:base="sub/"/>
    <resource identifier="asset"/>
  </resources>
</manifest>`
	units, err := manifestUnits([]byte(manifest))
	if err != nil {
		t.Fatal(err)
	}
	want := []Unit{
		{ID: "i1", Title: "First", Href: "a.html?x=1&lang=en", CompletionThreshold: "0.75", ScaledPassingScore: "0.6", LaunchData: "hello"},
		{ID: "i2", Title: "Second", Href: "sub/b.html"},
	}
	if len(units) != len(want) {
		t.Fatalf("units = %+v", units)
	}
	for i := range want {
		if units[i] != want[i] {
			t.Errorf("unit %d = %+v, want %+v", i, units[i], want[i])
		}
	}
	if _, err := manifestUnits([]byte("<manifest><organizations/></manifest>")); err == nil {
		t.Error("a manifest without an organisation: no error")
	}
	if _, err := manifestUnits([]byte("<manifest>")); err == nil {
		t.Error("broken XML: no error")
	}
}

// events reads the "build" events of a server's event stream.
type events struct {
	ch     chan State
	cancel func()
}

func subscribe(t *testing.T, url string) *events {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/_preview/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q, want text/event-stream", ct)
	}
	e := &events{ch: make(chan State, 16), cancel: cancel}
	go func() {
		defer res.Body.Close()
		defer close(e.ch)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && name == "build":
				var st State
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &st); err == nil {
					e.ch <- st
				}
			}
		}
	}()
	t.Cleanup(cancel)
	return e
}

// next waits for the next build event.
func (e *events) next(t *testing.T) State {
	t.Helper()
	select {
	case st, ok := <-e.ch:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return st
	case <-time.After(10 * time.Second):
		t.Fatal("no build event within 10s")
	}
	return State{}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRebuildAnnouncedAndBrokenEditKeepsServing(t *testing.T) {
	dir := txtar.CopyDir(t, "../testdata/tiny")
	s, ts, log := start(t, Options{Dir: dir})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(ctx)
	ev := subscribe(t, ts.URL)

	first := ev.next(t)
	if !first.OK || first.Version != 1 || first.Served != 1 {
		t.Fatalf("first event = %+v", first)
	}

	// An edit: rebuilt, announced, served.
	one := filepath.Join(dir, "modules", "one.md")
	orig, _ := os.ReadFile(one)
	write(t, one, strings.Replace(string(orig), "Some text.", "Some edited text.", 1))
	st := ev.next(t)
	if !st.OK || st.Version != 2 || st.Served != 2 || len(st.Changed) != 1 || st.Changed[0] != "modules/one.md" {
		t.Fatalf("after an edit: %+v", st)
	}
	if _, body := get(t, ts.URL+"/course/one.html"); !strings.Contains(body, "Some edited text.") {
		t.Error("one.html is not the new build")
	}

	// A broken edit: the problems, located; the last good build still
	// served.
	course := filepath.Join(dir, "course.yaml")
	yaml, _ := os.ReadFile(course)
	write(t, course, strings.Replace(string(yaml), "title:", "titel:", 1))
	st = ev.next(t)
	if st.OK || st.Served != 2 || st.Version != 3 {
		t.Fatalf("after a broken edit: %+v", st)
	}
	wantProblem := filepath.ToSlash(dir) + `/course.yaml:2:1: unknown key "titel" (did you mean "title"?)`
	found := false
	for _, p := range st.Problems {
		found = found || p.Text == wantProblem
	}
	if !found {
		t.Errorf("problems %+v lack %q", st.Problems, wantProblem)
	}
	if res, body := get(t, ts.URL+"/course/one.html"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Some edited text.") {
		t.Errorf("the last good build is not served: status %d", res.StatusCode)
	}
	if _, body := get(t, ts.URL+"/_preview/state"); !strings.Contains(body, `"ok":false`) || !strings.Contains(body, "unknown key") {
		t.Errorf("state = %s", body)
	}

	// Fixed: served again.
	write(t, course, string(yaml))
	st = ev.next(t)
	if !st.OK || st.Served != 4 || len(st.Problems) != 0 {
		t.Fatalf("after the fix: %+v", st)
	}

	out := log.String()
	for _, want := range []string{"built scorm12 in", "modules/one.md changed: rebuilt scorm12", "course.yaml changed: build failed: 2 problems, first " + filepath.ToSlash(dir) + "/course.yaml:", "(still serving the last good build)"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Count(out, "\n"); lines != 4 {
		t.Errorf("%d log lines, want one per build (4):\n%s", lines, out)
	}
}

func TestAssetChangeReloadsWithoutRebuild(t *testing.T) {
	dir := txtar.CopyDir(t, "../testdata/tiny")
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	pic := filepath.Join(dir, "assets", "pic.png")
	write(t, pic, "\x89PNG\r\n\x1a\nfirst")
	one := filepath.Join(dir, "modules", "one.md")
	orig, _ := os.ReadFile(one)
	write(t, one, strings.Replace(string(orig), "Some text.", "Some text.\n\n![A picture](../assets/pic.png)", 1))
	s, ts, log := start(t, Options{Dir: dir})
	if st := s.Current(); !st.OK {
		t.Fatalf("build failed: %+v", st.Problems)
	}
	res, body := get(t, ts.URL+"/course/assets/pic.png")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || !strings.HasSuffix(body, "first") {
		t.Fatalf("asset: status %d, type %q, body %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	write(t, pic, "\x89PNG\r\n\x1a\nsecond!")
	if !s.Check() {
		t.Fatal("the change was not seen")
	}
	st := s.Current()
	if !st.OK || st.Version != 2 || st.Served != 2 {
		t.Errorf("after an asset change: %+v", st)
	}
	if !strings.Contains(log.String(), "assets/pic.png changed: reloaded (no rebuild needed)") {
		t.Errorf("log: %s", log.String())
	}
	if _, body := get(t, ts.URL+"/course/assets/pic.png"); !strings.HasSuffix(body, "second!") {
		t.Errorf("asset after the change: %q", body)
	}
	// Files that are not the course's do not count.
	write(t, filepath.Join(dir, ".one.md.swp"), "x")
	write(t, filepath.Join(dir, "modules", "one.md~"), "x")
	if err := os.MkdirAll(filepath.Join(dir, "dist"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "dist", "x.zip"), "x")
	if s.Check() {
		t.Error("editor files or dist/ caused a rebuild")
	}
}

func TestPathTraversalRefused(t *testing.T) {
	dir := txtar.CopyDir(t, "../testdata/tiny")
	s, _, _ := start(t, Options{Dir: dir})
	h := s.Handler()
	secret, _ := os.ReadFile(filepath.Join(dir, "course.yaml"))
	for _, p := range []string{
		"/course/../course.yaml",
		"/course/player/../../course.yaml",
		"/course/..",
		"/course//etc/passwd",
		"/course/./one.html",
		"/course/..\\course.yaml",
		"/course/modules/one.md",
		"/course/" + filepath.ToSlash(filepath.Join(dir, "course.yaml")),
		"/_preview/../preview.go",
		"/_preview/../../course.yaml",
	} {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		req.URL.Path = p
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == http.StatusOK {
			t.Errorf("%s: status 200", p)
		}
		if len(secret) > 0 && bytes.Contains(rec.Body.Bytes(), secret) {
			t.Errorf("%s: served course.yaml", p)
		}
	}
	// The same through a real connection, with the path escaped.
	_, ts, _ := start(t, Options{Dir: dir})
	for _, p := range []string{"/course/%2e%2e/course.yaml", "/course/%2E%2E%2Fcourse.yaml", "/course/..%5Ccourse.yaml"} {
		res, body := get(t, ts.URL+p)
		if res.StatusCode == http.StatusOK || strings.Contains(body, string(secret)) {
			t.Errorf("%s: status %d", p, res.StatusCode)
		}
	}
}

func TestOnlyLoopback(t *testing.T) {
	ln, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) || addr.Port == 0 {
		t.Errorf("listening on %v, want 127.0.0.1 and a port", addr)
	}
	if !strings.HasPrefix(URL(ln), "http://127.0.0.1:") {
		t.Errorf("URL = %s", URL(ln))
	}
	if _, err := Listen(70000); err == nil {
		t.Error("port 70000: no error")
	}

	s, _, _ := start(t, Options{Dir: "../testdata/tiny"})
	for host, want := range map[string]int{
		"127.0.0.1:8265": http.StatusOK, "localhost:1": http.StatusOK, "[::1]:8265": http.StatusOK,
		"evil.example": http.StatusForbidden, "evil.example:8265": http.StatusForbidden, "127.0.0.1.evil.example": http.StatusForbidden,
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: status %d, want %d", host, rec.Code, want)
		}
	}
}

func TestServeStopsWithContext(t *testing.T) {
	s, err := New(Options{Dir: "../testdata/tiny", Poll: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	url := strings.TrimSuffix(URL(ln), "/")
	ev := subscribe(t, url) // an open stream must not hold the server up
	ev.next(t)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the context was cancelled")
	}
	if _, err := http.Get(url + "/"); err == nil {
		t.Error("still answering after Serve returned")
	}
}

func TestOptions(t *testing.T) {
	var usage *coursepack.UsageError
	if _, err := New(Options{Dir: "../testdata/tiny", Format: "scorm13"}); !errors.As(err, &usage) {
		t.Errorf("an unknown format: %v, want a usage error", err)
	}
	if _, err := New(Options{Dir: "../testdata/tiny", Layout: format.LayoutSplit}); !errors.As(err, &usage) {
		t.Errorf("the split layout: %v, want a usage error", err)
	}
	if _, err := New(Options{Dir: "no-such-folder"}); err == nil || errors.As(err, &usage) {
		t.Errorf("a missing folder: %v, want a plain error", err)
	}
	// A course that does not build still makes a server, which shows why.
	s, err := New(Options{Dir: "../testdata/broken-course"})
	if err != nil {
		t.Fatal(err)
	}
	st := s.Current()
	if st.OK || st.Served != 0 || len(st.Problems) != 3 {
		t.Errorf("broken course: %+v", st)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/course/one.html", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("course file with no good build: status %d, want 503", rec.Code)
	}
}

// TestLRSRoutes launches a unit of the cmi5 build against the server's
// LRS, as the simulator page does, and hears the "lrs" event.
func TestLRSRoutes(t *testing.T) {
	s, ts, _ := start(t, Options{Dir: "../testdata/tiny", Format: "cmi5"})
	st := s.Current()
	if !st.OK || st.Runtime != "cmi5" {
		t.Fatalf("state %+v", st)
	}
	ev := subscribeRaw(t, ts.URL)
	u := st.Units[0]
	res, err := http.Post(ts.URL+"/_preview/lrs/launch", "application/json",
		strings.NewReader(`{"kind":"cmi5","publisherId":"`+u.ActivityID+`","moveOn":"`+u.MoveOn+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var ln struct{ ID, Query, Fetch, Endpoint string }
	json.NewDecoder(res.Body).Decode(&ln)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(ln.Endpoint, ts.URL+"/_preview/lrs/xapi/") || ln.Fetch == "" {
		t.Fatalf("launch: %d %+v", res.StatusCode, ln)
	}
	if !ev.waitFor(t, "lrs") {
		t.Error("no lrs event after a launch")
	}
	res, err = http.Post(ln.Fetch, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("fetch: %d", res.StatusCode)
	}
	if docs := s.LRS().Docs(); len(docs) != 1 || docs[0].ID != "LMS.LaunchData" {
		t.Errorf("documents %+v", docs)
	}
	// The LRS answers only on this machine, as the rest does.
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://example.org/_preview/lrs/log", nil))
	if rec.Code != http.StatusForbidden {
		t.Errorf("the LRS from another host: %d", rec.Code)
	}
}

// rawEvents are the names of the events of a stream.
type rawEvents struct{ names chan string }

func subscribeRaw(t *testing.T, url string) *rawEvents {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/_preview/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	e := &rawEvents{names: make(chan string, 64)}
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				select {
				case e.names <- name:
				default:
				}
			}
		}
	}()
	return e
}

func (e *rawEvents) waitFor(t *testing.T, name string) bool {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case n := <-e.names:
			if n == name {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

func TestBrand(t *testing.T) {
	dir := txtar.CopyDir(t, "../testdata/brands-course")
	brandFile := filepath.Join(dir, "brands", "north-wales.yaml")
	s, ts, _ := start(t, Options{Dir: dir, Format: "scorm12", Brand: brandFile})
	st := s.Current()
	if !st.OK || st.Course.Title != "Safe handling in North Wales" || st.Brand != brandFile {
		t.Fatalf("state %+v", st)
	}
	_, page := get(t, ts.URL+"/course/"+st.Units[0].Href)
	if !strings.Contains(page, "North Wales Care Partnership") {
		t.Error("the page does not carry the brand's footer")
	}
	// An edit of the overlay rebuilds; a problem in it is located in it.
	orig, _ := os.ReadFile(brandFile)
	write(t, brandFile, strings.Replace(string(orig), "title: Safe handling in North Wales", "title: Safe handling in Gwynedd", 1))
	if !s.Check() || s.Current().Course.Title != "Safe handling in Gwynedd" {
		t.Errorf("after an edit of the overlay: %+v", s.Current())
	}
	write(t, brandFile, string(orig)+"modules: []\n")
	s.Check()
	if st := s.Current(); st.OK || len(st.Problems) == 0 || !strings.Contains(st.Problems[0].Text, "north-wales.yaml") {
		t.Errorf("a problem in the overlay: %+v", st)
	}

	// The brand's build is build --brand's, file for file.
	ref, err := New(Options{Dir: "../testdata/brands-course", Format: "cmi5", Brand: "../testdata/brands-course/brands/south-coast.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := coursepack.Build(context.Background(), coursepack.Options{Dir: "../testdata/brands-course", Formats: []string{"cmi5"}, Out: out,
		Brands: []string{"../testdata/brands-course/brands/south-coast.yaml"}}); err != nil {
		t.Fatal(err)
	}
	ref.mu.RLock()
	files := ref.good.files
	ref.mu.RUnlock()
	for _, name := range []string{"cmi5.xml", "one.html"} {
		want, err := readZipFile(filepath.Join(out, "safe-handling-south-coast-cmi5.zip"), name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(files[name].Data, want) {
			t.Errorf("%s differs from build --brand's", name)
		}
	}
}

func TestBrandOptions(t *testing.T) {
	var usage *coursepack.UsageError
	_, err := New(Options{Dir: "../testdata/brands-course", Brand: "../testdata/brands-course/brands/*.yaml"})
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "preview runs one brand at a time") || !strings.Contains(err.Error(), "south-coast.yaml") {
		t.Errorf("a glob of two brands: %v", err)
	}
	if _, err := New(Options{Dir: "../testdata/brands-course", Brand: "../testdata/brands-course/brands/nope.yaml"}); !errors.As(err, &usage) {
		t.Errorf("a missing overlay: %v", err)
	}
	s, err := New(Options{Dir: "../testdata/brands-course", Brand: "../testdata/brands-course/brands/north-*.yaml"})
	if err != nil || !s.Current().OK || s.Current().Course.Title != "Safe handling in North Wales" {
		t.Errorf("a glob of one brand: %v", err)
	}
}

func readZipFile(zipPath, name string) ([]byte, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, fmt.Errorf("%s: no %s", zipPath, name)
}
