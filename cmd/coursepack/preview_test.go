package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPreviewUsage(t *testing.T) {
	tiny := filepath.Join("..", "..", "testdata", "tiny")
	for _, tt := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown format", []string{"preview", "--format", "scorm13", tiny}, 2, `preview runs scorm12, scorm2004, xapi, cmi5, html, not "scorm13"`},
		{"several brands", []string{"preview", "--brand", filepath.Join("..", "..", "testdata", "brands-course", "brands", "*.yaml"), filepath.Join("..", "..", "testdata", "brands-course")}, 2,
			"preview runs one brand at a time"},
		{"missing brand", []string{"preview", "--brand", "no-such-brand.yaml", tiny}, 2, "--brand no-such-brand.yaml: no such file"},
		{"bad sco", []string{"preview", "--sco", "split", tiny}, 2, `--sco must be "module" or "course"`},
		{"bad port", []string{"preview", "--port", "70000", tiny}, 2, "--port must be between 0 and 65535"},
		{"negative port", []string{"preview", "--port", "-1", tiny}, 2, "--port must be between 0 and 65535"},
		{"port not a number", []string{"preview", "--port", "http", tiny}, 2, "invalid argument"},
		{"unknown flag", []string{"preview", "--open", tiny}, 2, "unknown flag: --open"},
		{"too many args", []string{"preview", tiny, tiny}, 2, "accepts at most 1 arg"},
		{"missing folder", []string{"preview", "--port", "0", "no-such-folder"}, 1, "no-such-folder"},
		{"help", []string{"preview", "--help"}, 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, tt.args...)
			checkCLI(t, code, stdout, stderr, tt.wantCode, nil, tt.wantErr)
			if strings.Contains(stdout, "http://") {
				t.Errorf("a server started: %s", stdout)
			}
		})
	}
}

// previewState returns the preview's state (GET _preview/state).
func previewState(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url + "_preview/state")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// urlWriter is the command's stdout: it hands the first URL printed to
// found.
type urlWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	found chan string
	sent  bool
}

var urlRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)

func (w *urlWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if u := urlRE.FindString(w.buf.String()); u != "" && !w.sent {
		w.sent = true
		w.found <- u
	}
	return len(p), nil
}

func (w *urlWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startPreview runs the command until the URL is printed and returns it
// with a stop function that cancels the context and returns the exit
// status and output.
func startPreview(t *testing.T, args ...string) (url string, stop func() (int, string, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &urlWriter{found: make(chan string, 1)}
	errOut := &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, out, errOut, func(string) string { return "" }) }()
	select {
	case url = <-out.found:
	case code := <-done:
		cancel()
		t.Fatalf("preview exited with %d before printing a URL\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("no URL printed within 20s")
	}
	stop = func() (int, string, string) {
		cancel()
		select {
		case code := <-done:
			return code, out.String(), errOut.String()
		case <-time.After(10 * time.Second):
			t.Fatal("preview did not stop within 10s of the context's end")
		}
		return -1, "", ""
	}
	return url, stop
}

func TestPreviewStartsAndStops(t *testing.T) {
	tiny := filepath.Join("..", "..", "testdata", "tiny")
	url, stop := startPreview(t, "preview", "--port", "0", "--format", "scorm2004", "--sco", "course", tiny)
	body := previewState(t, url)
	if !strings.Contains(body, `"format":"scorm2004"`) || !strings.Contains(body, `"layout":"course"`) {
		t.Errorf("state = %s", body)
	}
	code, stdout, stderr := stop()
	if code != 0 {
		t.Errorf("exit status %d after the context ended, want 0\nstderr: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Previewing Tiny course (scorm2004) at "+url) {
		t.Errorf("stdout = %q", stdout)
	}
	if !strings.Contains(stderr, "built scorm2004 in ") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr = %q, want one line for the build", stderr)
	}
	if _, err := http.Get(url); err == nil {
		t.Error("the server still answers after the command returned")
	}
}

func TestPreviewCMI5WithBrand(t *testing.T) {
	course := filepath.Join("..", "..", "testdata", "brands-course")
	url, stop := startPreview(t, "preview", "--port", "0", "--format", "cmi5", "--brand", filepath.Join(course, "brands", "north-wales.yaml"), course)
	body := previewState(t, url)
	if !strings.Contains(body, `"runtime":"cmi5"`) || !strings.Contains(body, `"title":"Safe handling in North Wales"`) {
		t.Errorf("state = %s", body)
	}
	code, stdout, stderr := stop()
	if code != 0 {
		t.Errorf("exit status %d, stderr: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Previewing Safe handling in North Wales (cmi5, brand ") {
		t.Errorf("stdout = %q", stdout)
	}
}

func TestPreviewBrokenCourseStillServes(t *testing.T) {
	broken := filepath.Join("..", "..", "testdata", "broken-course")
	url, stop := startPreview(t, "preview", "--port", "0", broken)
	body := previewState(t, url)
	if !strings.Contains(body, `"ok":false`) || !strings.Contains(body, filepath.ToSlash(broken)+`/course.yaml:2:1: unknown key \"titel\"`) {
		t.Errorf("state = %s", body)
	}
	code, _, stderr := stop()
	if code != 0 || !strings.Contains(stderr, "build failed: 3 problems") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestPreviewPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	tiny := filepath.Join("..", "..", "testdata", "tiny")
	code, stdout, stderr := runCLI(t, nil, "preview", "--port", port, tiny)
	if code != 1 || !strings.Contains(stderr, "cannot listen on 127.0.0.1") {
		t.Errorf("a taken --port: exit %d, stderr %q; want 1", code, stderr)
	}
	if strings.Contains(stdout, "http://") {
		t.Errorf("stdout = %q", stdout)
	}
}
