package templates

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/internal/spelling"
)

// This file is template overrides: a course's templates/ folder whose files
// shadow the embedded player's files of the same path, as a Hugo site's
// layouts shadow its theme. The package-level Render and PlayerFiles are
// the embedded player; a Set adds a course's overrides on top.

// PageTemplate is the path of the page template in the player's files.
const PageTemplate = "page.html.tmpl"

// OverrideFolder is the name of a course's folder of overrides.
const OverrideFolder = "templates"

// MaxOverrideSize caps one file of a course's template overrides, in
// bytes: ten times the largest embedded file.
const MaxOverrideSize = 1_000_000

// Set is a player: the embedded files, with a course's overrides in place
// of those they shadow. Its methods are safe for concurrent use.
type Set struct {
	// folder is the overrides' folder as the course names it
	// ("templates"), for messages.
	folder string
	// page is the overriding page template, or nil for the embedded one,
	// and pageText its source.
	page     *template.Template
	pageText string
	// files are the overriding static files, by embedded path.
	files map[string][]byte
}

var embeddedSet = &Set{}

// Embedded returns the embedded player, without overrides.
func Embedded() *Set { return embeddedSet }

// ForCourse returns the player of course c: Layered(c.Templates).
func ForCourse(c *course.Course) (*Set, error) {
	return Layered(c.Templates)
}

// Names lists the paths of the embedded player's files, sorted: the page
// template and the files under player/. These are the files a course's
// templates/ folder may override.
func Names() []string { return slices.Clone(embeddedNames()) }

var embeddedNames = sync.OnceValue(func() []string {
	var names []string
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	sort.Strings(names)
	return names
})

// Layered returns the player with the overrides in dir, a course's
// templates/ folder: each file of dir replaces the embedded file of the same
// path (see Names). dir "" gives the embedded player. Files and folders whose
// names start with "." are ignored.
//
// Problems the author must fix come back as course.Errors, with paths
// relative to the course folder (dir's parent): a file that overrides
// nothing (with the nearest embedded path as a suggestion), a link to a
// file outside the course folder, and a page template that does not parse
// (at its line).
func Layered(dir string) (*Set, error) {
	if dir == "" {
		return embeddedSet, nil
	}
	s := &Set{folder: filepath.Base(dir), files: map[string][]byte{}}
	root, err := filepath.EvalSymlinks(filepath.Dir(dir))
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	known := map[string]bool{}
	for _, n := range Names() {
		known[n] = true
	}
	var errs course.Errors
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		file := s.folder + "/" + rel
		if d.IsDir() {
			return nil
		}
		if !known[rel] {
			errs = append(errs, course.Error{File: file, Msg: unknownOverride(rel)})
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			real, err := filepath.EvalSymlinks(p)
			if err != nil {
				errs = append(errs, course.Error{File: file, Msg: "is a link to a file that does not exist; put the file itself here"})
				return nil
			}
			inside, err := filepath.Rel(root, real)
			if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) || filepath.IsAbs(inside) {
				errs = append(errs, course.Error{File: file, Msg: "is a link to a file outside the course folder; copy the file into the course folder instead"})
				return nil
			}
		}
		data, problem, err := course.ReadFileWithin(p, MaxOverrideSize, "a template override")
		if err != nil {
			return err
		}
		if problem != "" {
			errs = append(errs, course.Error{File: file, Msg: problem})
			return nil
		}
		if rel != PageTemplate {
			// Packages carry it minified; a script that does not parse is
			// reported at its place.
			min, err := minifyFile(rel, data)
			var syntax *parse.Error
			switch {
			case errors.As(err, &syntax):
				errs = append(errs, course.Error{File: file, Line: syntax.Line, Col: syntax.Column, Msg: "the script does not parse: " + syntax.Message})
			case err != nil:
				return err
			default:
				s.files[rel] = min
			}
			return nil
		}
		page, err := template.New(PageTemplate).Parse(string(data))
		if err != nil {
			errs = append(errs, s.locate(err))
			return nil
		}
		s.page, s.pageText = page, string(data)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("templates: reading the overrides: %w", err)
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].File < errs[j].File })
		return nil, errs
	}
	return s, nil
}

// unknownOverride says why rel, a file of the overrides' folder, is refused.
func unknownOverride(rel string) string {
	msg := "overrides no file of the player"
	if s := suggestName(rel); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg + "; only " + PageTemplate + " and the files under player/ can be overridden (coursepack templates export lists them)"
}

// suggestName returns the embedded path nearest to rel: one with the same
// file name in another folder, or one a few edits away.
func suggestName(rel string) string {
	names := Names()
	for _, n := range names {
		if path.Base(n) == path.Base(rel) {
			return n
		}
	}
	best, bestDist, bestPrefix := "", -1, 0
	for _, n := range names {
		d, p := spelling.Distance(strings.ToLower(rel), n), commonPrefix(rel, n)
		if bestDist < 0 || d < bestDist || (d == bestDist && p > bestPrefix) {
			best, bestDist, bestPrefix = n, d, p
		}
	}
	if bestDist < 0 || bestDist > max(1, min(4, len(rel)/3)) {
		return ""
	}
	return best
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// Overrides lists the embedded paths s overrides, sorted.
func (s *Set) Overrides() []string {
	var out []string
	if s.page != nil {
		out = append(out, PageTemplate)
	}
	for p := range s.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Render writes the HTML page of v as the package-level Render does, with
// the overriding page template when s has one. An error executing an
// override comes back as course.Errors, at its line in the overrides'
// folder.
func (s *Set) Render(w io.Writer, v View) error {
	if s.page == nil {
		return Render(w, v)
	}
	d, err := newDoc(v)
	if err != nil {
		return err
	}
	// Nothing is written when the page fails half way.
	var buf bytes.Buffer
	if err := s.page.Execute(&buf, d); err != nil {
		return course.Errors{s.locate(err)}
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// PlayerFiles returns the static files of a page of runtime, as the
// package-level PlayerFiles does, each overridden file with its override's
// content (an overridden script within ScriptFile).
func (s *Set) PlayerFiles(runtime string) ([]dist.File, error) {
	if len(s.files) == 0 {
		return PlayerFiles(runtime)
	}
	return playerFiles(runtime, func(p string) ([]byte, error) {
		if data, ok := s.files[p]; ok {
			return data, nil
		}
		return embeddedFile(p)
	})
}

// Check renders the pages of c with s's page template, once as one unit per
// module and once as a single unit for the whole course, to find the errors
// of an overriding page before anything is built. It does nothing for the
// embedded page.
func (s *Set) Check(c *course.Course) error {
	if s.page == nil || len(c.Modules) == 0 {
		return nil
	}
	text, err := i18n.ForCourse(c.Language, c.Strings)
	if err != nil {
		return err
	}
	views := []View{
		{Course: c, Modules: c.Modules[:1], Runtime: "scorm2004", Strings: text, Next: c.Title},
		{Course: c, Modules: c.Modules, Runtime: "cmi5", Strings: text},
	}
	for _, v := range views {
		if err := s.Render(io.Discard, v); err != nil {
			return err
		}
	}
	return nil
}

// templateError matches the errors of text/template and html/template:
// "template: NAME:LINE[:COL]: MESSAGE" and "html/template:NAME:LINE[:COL]: MESSAGE".
var templateError = regexp.MustCompile(`^(?:html/)?template: ?([^\s:]+):(\d+)(?::(\d+))?: (?s:(.*))$`)

// escaperContexts matches html/template's description of the contexts a
// template ends in: ": {stateURL delimDoubleQuote ...}, {stateTag ...}".
var escaperContexts = regexp.MustCompile(`:? ?\{state[^{}]*\}(, \{state[^{}]*\})*`)

// locate turns an error of the overriding page template into a course
// problem at its line.
func (s *Set) locate(err error) course.Error {
	file := s.folder + "/" + PageTemplate
	m := templateError.FindStringSubmatch(err.Error())
	if m == nil {
		return course.Error{File: file, Msg: err.Error()}
	}
	line, _ := strconv.Atoi(m[2])
	col := 0
	if m[3] != "" {
		// The template package counts bytes from 0; a course error counts
		// characters from 1.
		offset, _ := strconv.Atoi(m[3])
		col = offset + 1
		if lines := strings.Split(s.pageText, "\n"); line >= 1 && line <= len(lines) && offset <= len(lines[line-1]) {
			col = utf8.RuneCountInString(lines[line-1][:offset]) + 1
		}
	}
	msg := strings.Replace(m[4], fmt.Sprintf("executing %q ", PageTemplate), "", 1)
	// html/template's dump of its escaping contexts helps nobody.
	msg = escaperContexts.ReplaceAllString(msg, "")
	if strings.Contains(msg, "can't evaluate field") {
		msg = strings.Replace(msg, fmt.Sprintf(" in type %T", doc{}), "", 1)
		msg += "; the page's data has " + strings.Join(docFields(), ", ") + " (see docs/authoring.md)"
	}
	var te *template.Error
	if errors.As(err, &te) && col == 0 && te.Line > 0 {
		line = te.Line
	}
	return course.Error{File: file, Line: line, Col: col, Msg: msg}
}

// docFields lists what a page template can use of its data: the exported
// fields and methods of doc.
func docFields() []string {
	t := reflect.TypeOf(doc{})
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() {
			out = append(out, "."+f.Name)
		}
	}
	for i := 0; i < t.NumMethod(); i++ {
		out = append(out, "."+t.Method(i).Name)
	}
	sort.Strings(out)
	return out
}

// Export writes the embedded files named by names (every file when names is
// empty) into dir, at their paths, as a starting point for overrides; it
// returns the paths written. It never overwrites: when any of the files
// exists already, or a name is not an embedded file, it writes nothing.
func Export(dir string, names []string) ([]string, error) {
	if len(names) == 0 {
		names = Names()
	}
	known := map[string]bool{}
	for _, n := range Names() {
		known[n] = true
	}
	var unknown, exist []string
	for _, n := range names {
		n = path.Clean(filepath.ToSlash(n))
		if !known[n] {
			msg := fmt.Sprintf("%q is not a file of the player", n)
			if s := suggestName(n); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			unknown = append(unknown, msg)
			continue
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(n))); err == nil {
			exist = append(exist, filepath.Join(dir, filepath.FromSlash(n)))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s; the files are: %s", strings.Join(unknown, "; "), strings.Join(Names(), ", "))
	}
	if len(exist) > 0 {
		return nil, fmt.Errorf("%s already %s; export never overwrites, so nothing was written (move %s away or export into another folder)",
			strings.Join(exist, ", "), map[bool]string{true: "exists", false: "exist"}[len(exist) == 1], map[bool]string{true: "it", false: "them"}[len(exist) == 1])
	}
	var written []string
	for _, n := range names {
		n = path.Clean(filepath.ToSlash(n))
		data, err := files.ReadFile(n)
		if err != nil {
			return written, err
		}
		dst := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return written, err
		}
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, err
		}
		written = append(written, dst)
	}
	return written, nil
}
