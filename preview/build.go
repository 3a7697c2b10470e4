package preview

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/preview/lrs"
	"github.com/coursepack/coursepack/web"
)

// State is what the simulator page learns of the server, from
// /_preview/state and with each "build" event.
type State struct {
	// Version counts the builds and reloads announced; the page reloads
	// the course when Served changes.
	Version int `json:"version"`
	// Served is the Version of the build being served, 0 while no build
	// has succeeded.
	Served int `json:"served"`
	// OK is whether the last build succeeded. When it did not, Problems
	// (course problems) or Error (anything else) say why, and the last
	// good build, if any, is still served.
	OK       bool      `json:"ok"`
	Problems []Problem `json:"problems"`
	Error    string    `json:"error,omitempty"`
	// Warnings are the served build's warnings.
	Warnings []Problem `json:"warnings"`
	// Time is when the last build finished, and Took how long it took.
	Time time.Time `json:"time"`
	Took string    `json:"took"`
	// Changed lists the files whose change caused the last build.
	Changed []string `json:"changed,omitempty"`

	Format  string `json:"format"`
	Runtime string `json:"runtime"`
	Layout  string `json:"layout"`
	// Brand is the brand overlay file previewed, or "".
	Brand string `json:"brand,omitempty"`
	// Course identifies the served build's course.
	Course struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"course"`
	// Units are the served build's launchable pages, in order.
	Units []Unit `json:"units"`
}

// Problem is a course problem, its file named as the command line shows it.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	// Text is the whole file:line:col: message.
	Text string `json:"text"`
}

// Unit is a page the simulator launches: a SCO, or a page of the html
// format, with what the LMS takes from the manifest for it.
type Unit struct {
	// ID is the manifest item's identifier (SCORM), or the page's path.
	ID    string `json:"id"`
	Title string `json:"title"`
	// Href is the page's path in the package, with any query string from
	// the manifest.
	Href string `json:"href"`
	// MasteryScore is SCORM 1.2's adlcp:masteryscore, or a cmi5 AU's
	// masteryScore (0 to 1).
	MasteryScore string `json:"masteryScore,omitempty"`
	// ActivityID is the activity an xAPI unit launches, or a cmi5 AU's id
	// (its publisher id).
	ActivityID string `json:"activityId,omitempty"`
	// MoveOn is a cmi5 AU's moveOn.
	MoveOn string `json:"moveOn,omitempty"`
	// LaunchActivityID is the activity id the preview's LRS gives a cmi5
	// AU when it launches it (see lrs.AUActivityID).
	LaunchActivityID string `json:"launchActivityId,omitempty"`
	// ScaledPassingScore is SCORM 2004's minNormalizedMeasure of a primary
	// objective satisfied by measure.
	ScaledPassingScore string `json:"scaledPassingScore,omitempty"`
	// CompletionThreshold is SCORM 2004's minProgressMeasure of a
	// completion threshold by measure.
	CompletionThreshold string `json:"completionThreshold,omitempty"`
	LaunchData          string `json:"launchData,omitempty"`
	MaxTimeAllowed      string `json:"maxTimeAllowed,omitempty"`
	TimeLimitAction     string `json:"timeLimitAction,omitempty"`
}

// snapshot is one good build: the package's files by path and where the
// files streamed from disk come from.
type snapshot struct {
	version int
	built   time.Time
	files   map[string]dist.File
	// sources maps the course-relative path of each file streamed from
	// disk (an asset) to true: a change to one needs no rebuild.
	sources map[string]bool
}

// build loads the course and builds the format's package in memory.
func (s *Server) build() (*snapshot, *course.Course, course.Errors, []Unit, error) {
	c, warnings, err := s.load()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	pkgs, err := s.format.Build(c, format.Options{Layout: s.opts.Layout})
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("building %s: %w", s.format.Name(), err)
	}
	pkg := pickPackage(pkgs)
	if pkg == nil {
		return nil, nil, nil, nil, fmt.Errorf("building %s: no package", s.format.Name())
	}
	snap := &snapshot{files: map[string]dist.File{}, sources: map[string]bool{}}
	root, _ := filepath.Abs(s.opts.Dir)
	for _, f := range pkg.Files {
		snap.files[f.Path] = f
		if f.Data == nil && f.Source != "" {
			if rel, err := filepath.Rel(root, f.Source); err == nil && !strings.HasPrefix(rel, "..") {
				snap.sources[filepath.ToSlash(rel)] = true
			}
		}
	}
	var units []Unit
	if s.format.Name() == "html" {
		units, err = webUnits(c)
	} else {
		name, read := "imsmanifest.xml", manifestUnits
		switch s.format.Name() {
		case "xapi":
			name, read = "tincan.xml", tinCanUnits
		case "cmi5":
			name, read = "cmi5.xml", cmi5Units
		}
		m, ok := snap.files[name]
		if !ok {
			return nil, nil, nil, nil, errors.New("the package has no " + name)
		}
		units, err = read(m.Data)
		if s.format.Name() == "cmi5" {
			for i := range units {
				units[i].LaunchActivityID = lrs.AUActivityID(units[i].ActivityID)
			}
		}
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return snap, c, warnings, units, nil
}

// pickPackage is the package to serve: the folder when a format writes the
// same files as a folder and a zip, else the first.
func pickPackage(pkgs []*dist.Package) *dist.Package {
	for _, p := range pkgs {
		if p.Folder {
			return p
		}
	}
	if len(pkgs) > 0 {
		return pkgs[0]
	}
	return nil
}

// webUnits are the pages of the html format: the listing, then a page per
// module.
func webUnits(c *course.Course) ([]Unit, error) {
	pages, err := web.Units(c)
	if err != nil {
		return nil, err
	}
	units := []Unit{{ID: web.IndexPath, Title: c.Title + " (index)", Href: web.IndexPath}}
	for _, u := range pages {
		units = append(units, Unit{ID: u.Href, Title: u.Title, Href: u.Href})
	}
	return units, nil
}

// rebuild builds the course again after the files in changed changed (nil
// for the first build), unless they are all assets of the served build,
// which are read from disk on each request: then the page only reloads.
// It logs one line and announces the outcome.
func (s *Server) rebuild(changed []string) {
	start := time.Now()
	s.mu.RLock()
	good := s.good
	lastOK := s.state.OK
	s.mu.RUnlock()
	if changed != nil && good != nil && lastOK && allSources(good, changed, s.opts.Dir) {
		s.mu.Lock()
		s.state.Version++
		s.state.Served = s.state.Version
		good.version = s.state.Version
		s.state.Changed = changed
		s.state.Time = s.opts.Now()
		s.state.Took = "0s"
		st := s.stateLocked()
		s.mu.Unlock()
		s.logf("%s changed: reloaded (no rebuild needed)", describe(changed))
		s.events.publish(st)
		return
	}

	snap, c, warnings, units, err := s.build()
	took := time.Since(start).Round(time.Millisecond)
	s.mu.Lock()
	s.state.Version++
	s.state.Changed = changed
	s.state.Time = s.opts.Now()
	s.state.Took = took.String()
	s.state.Problems = []Problem{}
	s.state.Error = ""
	var list course.Errors
	switch {
	case err == nil:
		snap.version = s.state.Version
		snap.built = s.state.Time
		s.good = snap
		s.state.OK = true
		s.state.Served = s.state.Version
		s.state.Course.ID, s.state.Course.Title = c.ID, c.Title
		s.state.Units = units
		s.state.Warnings = s.problems(warnings)
	case errors.As(err, &list):
		s.state.OK = false
		s.state.Problems = s.problems(list)
	default:
		s.state.OK = false
		s.state.Error = err.Error()
	}
	st := s.stateLocked()
	s.mu.Unlock()

	what, failed := "built", "build failed"
	if changed != nil {
		what, failed = describe(changed)+" changed: rebuilt", describe(changed)+" changed: build failed"
	}
	switch {
	case err == nil:
		s.logf("%s %s in %s%s", what, s.format.Name(), took, plural(len(warnings), " (%d warning)", " (%d warnings)"))
	case len(list) > 0:
		s.logf("%s: %d %s, first %s%s", failed, len(list), pluralWord(len(list), "problem", "problems"), s.problems(list[:1])[0].Text, keeping(good))
	default:
		s.logf("%s: %v%s", failed, err, keeping(good))
	}
	s.events.publish(st)
}

func keeping(good *snapshot) string {
	if good == nil {
		return ""
	}
	return " (still serving the last good build)"
}

func plural(n int, one, many string) string {
	switch n {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf(one, n)
	}
	return fmt.Sprintf(many, n)
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// describe names changed files for a log line.
func describe(changed []string) string {
	if len(changed) <= 3 {
		return strings.Join(changed, ", ")
	}
	return fmt.Sprintf("%s and %d more files", strings.Join(changed[:2], ", "), len(changed)-2)
}

// allSources reports whether every changed file is an asset of the build,
// still there (a removed or new file needs a rebuild to be checked).
func allSources(good *snapshot, changed []string, dir string) bool {
	for _, c := range changed {
		if !good.sources[c] {
			return false
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(c))); err != nil {
			return false
		}
	}
	return true
}

func (s *Server) problems(list course.Errors) []Problem {
	out := make([]Problem, 0, len(list))
	for _, p := range list {
		p.File = s.relName(p.File)
		out = append(out, Problem{File: p.File, Line: p.Line, Col: p.Col, Message: p.Msg, Text: p.Error()})
	}
	return out
}

func (s *Server) logf(f string, args ...any) {
	fmt.Fprintf(s.opts.Log, "%s %s\n", s.opts.Now().Format("15:04:05"), fmt.Sprintf(f, args...))
}

// stateLocked encodes the state; s.mu must be held.
func (s *Server) stateLocked() []byte {
	data, err := json.Marshal(s.state)
	if err != nil {
		panic(err) // State has only plain fields
	}
	return data
}

// Current returns the state, as /_preview/state gives it.
func (s *Server) Current() State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.state
	st.Units = append([]Unit(nil), st.Units...)
	return st
}

func (s *Server) serveState(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	data := s.stateLocked()
	s.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

// serveCourse serves a file of the last good build: from memory, or for an
// asset from the course folder.
func (s *Server) serveCourse(w http.ResponseWriter, r *http.Request, p string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if p == "" {
		p = "index.html"
	}
	if !safePath(p) {
		http.Error(w, "bad path: the course's files only", http.StatusBadRequest)
		return
	}
	s.mu.RLock()
	good := s.good
	s.mu.RUnlock()
	if good == nil {
		http.Error(w, "the course has not built yet", http.StatusServiceUnavailable)
		return
	}
	f, ok := good.files[p]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType(p))
	if f.Data != nil {
		http.ServeContent(w, r, path.Base(p), good.built, bytes.NewReader(f.Data))
		return
	}
	file, err := os.Open(f.Source)
	if err != nil {
		http.Error(w, fmt.Sprintf("%s: %v", p, err), http.StatusNotFound)
		return
	}
	defer file.Close()
	mod := good.built
	if info, err := file.Stat(); err == nil {
		mod = info.ModTime()
	}
	http.ServeContent(w, r, path.Base(p), mod, file)
}

// contentTypes are the media types of the files a course holds, fixed
// here rather than taken from the system's tables, which differ.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".htm":   "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".xml":   "application/xml",
	".xsd":   "application/xml",
	".dtd":   "application/xml-dtd",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/markdown; charset=utf-8",
	".csv":   "text/csv; charset=utf-8",
	".vtt":   "text/vtt; charset=utf-8",
	".srt":   "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".mp4":   "video/mp4",
	".m4v":   "video/mp4",
	".webm":  "video/webm",
	".ogv":   "video/ogg",
	".mp3":   "audio/mpeg",
	".m4a":   "audio/mp4",
	".ogg":   "audio/ogg",
	".oga":   "audio/ogg",
	".wav":   "audio/wav",
	".pdf":   "application/pdf",
	".zip":   "application/zip",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".otf":   "font/otf",
}

func contentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
