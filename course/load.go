package course

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/i18n"
)

// CourseFile is the name of the course description in a course folder.
const CourseFile = "course.yaml"

// DefaultVersion is the version of a course whose course.yaml names none.
const DefaultVersion = "1.0.0"

var (
	idPattern       = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	languagePattern = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$`)
	schemePattern   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)
	durationPattern = regexp.MustCompile(`^(?:([0-9]+)h)?(?:([0-9]+)m)?$`)
)

// completions are the completion rules in the order messages list them.
var completions = []string{string(CompletionPages), string(CompletionPassed), string(CompletionPagesAndPassed)}

// loader holds the state of one Load.
type loader struct {
	dir  string // the course folder, absolute
	root string // the course folder with symlinks resolved
	errs problems
	// fatal is the first I/O failure that is not the author's fault.
	fatal  error
	course *Course
	assets map[string]*Asset
	// modules are the module files in course.yaml order.
	modules []*moduleFile
	// byPath finds a module by its course-relative path.
	byPath map[string]*moduleFile
	// interactions finds a question or reflection id's first use.
	interactions map[string]string
	strings      i18n.Strings
	md           goldmark.Markdown
	// uses are the question and reflection ids a module's pages use, in
	// order, checked against interactions once the pages are read (see
	// readAllPages).
	uses []interactionUse
	// assetsMu guards assets while modules are read at once.
	assetsMu *sync.Mutex
	// overlay is merged over course.yaml (see LoadWith), or nil.
	overlay Overlay
	// limits bound what is read (see limits.go); markdownRead counts the
	// bytes of the module files read so far.
	limits       Limits
	markdownRead int64
}

// Load reads the course in folder dir: course.yaml, the module Markdown files
// it lists and the assets they reference, and renders every page. Problems
// the author must fix come back together as an Errors value; other failures
// (an unreadable folder, say) as an ordinary error. Load never writes.
func Load(dir string) (*Course, error) {
	return LoadWith(dir, LoadOptions{})
}

// LoadWith is Load with options: a brand overlay merged over course.yaml.
func LoadWith(dir string, opts LoadOptions) (*Course, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("course: %w", err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("course: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("course: %s is not a folder", dir)
	}
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("course: %w", err)
	}
	l := &loader{
		dir:          abs,
		root:         root,
		course:       &Course{Dir: abs, Version: DefaultVersion, Completion: CompletionPages},
		assets:       map[string]*Asset{},
		byPath:       map[string]*moduleFile{},
		interactions: map[string]string{},
		assetsMu:     new(sync.Mutex),
		overlay:      opts.Overlay,
		limits:       opts.Limits.withDefaults(),
	}
	l.load()
	if l.fatal != nil {
		return nil, l.fatal
	}
	if len(l.errs.list) > 0 {
		return nil, l.errs.sorted()
	}
	return l.course, nil
}

// fail records an I/O failure; Load returns the first.
func (l *loader) fail(err error) {
	if l.fatal == nil {
		l.fatal = err
	}
}

func (l *loader) load() {
	data, err := l.readSource(CourseFile, l.limits.CourseFileSize, CourseFile+"; it needs only a few kB, with the text in the module files")
	if errors.Is(err, fs.ErrNotExist) {
		l.errs.add(CourseFile, 0, 0, "not found; a course folder needs a %s file (see docs/authoring.md)", CourseFile)
		return
	}
	if errors.Is(err, errReported) {
		return
	}
	if err != nil {
		l.fail(fmt.Errorf("course: %w", err))
		return
	}
	if bad := firstInvalidUTF8(data); bad >= 0 {
		line, col := newLineIndex(data).pos(bad)
		l.errs.add(CourseFile, line, col, "the file is not valid UTF-8 text; save it with the UTF-8 encoding")
		return
	}
	l.readCourseFile(data)
	if info, err := os.Stat(filepath.Join(l.dir, "templates")); err == nil && info.IsDir() {
		l.course.Templates = filepath.Join(l.dir, "templates")
	}

	lang := l.course.Language
	if !languagePattern.MatchString(lang) {
		lang = i18n.Fallback
	}
	l.strings, err = i18n.ForCourse(lang, l.course.Strings)
	if err != nil {
		l.fail(fmt.Errorf("course: %w", err))
		return
	}
	l.md = l.newMarkdown()

	for _, m := range l.modules {
		l.readModule(m)
	}
	l.checkModuleIDs()
	l.readAllPages()
	for _, m := range l.modules {
		if m.ok {
			l.course.Modules = append(l.course.Modules, m.module)
		}
	}
	for _, a := range l.assets {
		l.course.Assets = append(l.course.Assets, a)
	}
	sort.Slice(l.course.Assets, func(i, j int) bool { return l.course.Assets[i].Path < l.course.Assets[j].Path })
}

// readCourseFile decodes course.yaml into l.course and l.modules.
func (l *loader) readCourseFile(data []byte) {
	d := &yamlDoc{file: CourseFile, errs: &l.errs}
	root := l.applyOverlay(d, d.parse(data))
	if root == nil {
		if len(l.errs.list) == 0 {
			l.errs.add(CourseFile, 1, 1, "the file is empty; it needs at least id, title, language and modules")
		}
		return
	}
	c := l.course
	var modulesNode *yaml.Node
	d.mapping(root, "", []yamlField{
		{key: "id", required: true, set: func(v *yaml.Node) {
			if s, ok := d.text(v, "id"); ok {
				if msg := checkIRI(s); msg != "" {
					d.errorf(v, "id: %s", msg)
				}
				c.ID = s
			}
		}},
		{key: "title", required: true, set: func(v *yaml.Node) { c.Title = d.requiredText(v, "title") }},
		{key: "description", set: func(v *yaml.Node) { c.Description, _ = d.text(v, "description") }},
		{key: "language", required: true, set: func(v *yaml.Node) {
			if s, ok := d.text(v, "language"); ok {
				if !languagePattern.MatchString(s) {
					d.errorf(v, "language: %q is not a language tag; use one such as en-GB, cy, ga or gd", s)
				}
				c.Language = s
			}
		}},
		{key: "version", set: func(v *yaml.Node) {
			if s := d.requiredText(v, "version"); s != "" {
				c.Version = s
			}
		}},
		{key: "publisher", set: func(v *yaml.Node) { c.Publisher, _ = d.text(v, "publisher") }},
		{key: "authors", set: func(v *yaml.Node) {
			items, _ := d.textList(v, "authors")
			c.Authors = values(items)
		}},
		{key: "keywords", set: func(v *yaml.Node) {
			items, _ := d.textList(v, "keywords")
			c.Keywords = values(items)
		}},
		{key: "licence", set: func(v *yaml.Node) { c.Licence, _ = d.text(v, "licence") }},
		{key: "duration", set: func(v *yaml.Node) { c.Duration = d.duration(v, "duration") }},
		{key: "completion", set: func(v *yaml.Node) {
			if r := d.completion(v, "completion"); r != "" {
				c.Completion = r
				c.CompletionAt = d.pos(v)
			}
		}},
		{key: "mastery_score", set: func(v *yaml.Node) {
			if c.MasteryScore = d.masteryScore(v, "mastery_score"); c.MasteryScore != nil {
				c.MasteryAt = d.pos(v)
			}
		}},
		{key: "theme", set: func(v *yaml.Node) { l.readTheme(d, v) }},
		{key: "strings", set: func(v *yaml.Node) { l.readStrings(d, v) }},
		{key: "raw_html", set: func(v *yaml.Node) { c.RawHTML = d.boolean(v, "raw_html") }},
		{key: "modules", required: true, set: func(v *yaml.Node) { modulesNode = v }},
	})
	if modulesNode != nil {
		l.readModuleList(d, modulesNode)
	}
}

// pos locates node v.
func (d *yamlDoc) pos(v *yaml.Node) Pos {
	return Pos{File: d.fileOf(v), Line: v.Line + d.lineOffset, Col: v.Column}
}

// requiredText returns a text value, reporting blank text.
func (d *yamlDoc) requiredText(v *yaml.Node, name string) string {
	s, ok := d.text(v, name)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(v, "%s: is blank; write some text", name)
	}
	return strings.TrimSpace(s)
}

// checkIRI returns why s is not an absolute IRI, or "".
func checkIRI(s string) string {
	const how = "use an absolute address such as https://example.org/courses/safety"
	if strings.TrimSpace(s) == "" {
		return "is blank; " + how
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Sprintf("%q contains spaces; %s", s, how)
	}
	scheme, rest, found := strings.Cut(s, ":")
	if !found || !schemePattern.MatchString(scheme) || windowsAbs.MatchString(s) {
		return fmt.Sprintf("%q is not an absolute IRI (it has no scheme such as https:); %s", s, how)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Sprintf("%q is not a valid IRI; %s", s, how)
	}
	if strings.HasPrefix(rest, "//") && u.Host == "" {
		return fmt.Sprintf("%q has no host name after //; %s", s, how)
	}
	if u.Host == "" && u.Opaque == "" && u.Path == "" {
		return fmt.Sprintf("%q has nothing after the scheme; %s", s, how)
	}
	return ""
}

// duration decodes a duration such as 6h, 90m or 1h30m.
func (d *yamlDoc) duration(v *yaml.Node, name string) time.Duration {
	s, ok := d.text(v, name)
	if !ok {
		return 0
	}
	m := durationPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[1] == "" && m[2] == "") {
		d.errorf(v, "%s: %q is not a duration; write hours and minutes such as 6h, 90m or 1h30m", name, s)
		return 0
	}
	h, _ := strconv.Atoi(m[1]) // an empty group parses as 0 with an error
	mins, _ := strconv.Atoi(m[2])
	return time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute
}

// completion decodes a completion rule.
func (d *yamlDoc) completion(v *yaml.Node, name string) Completion {
	s, ok := d.text(v, name)
	if !ok {
		return ""
	}
	for _, c := range completions {
		if s == c {
			return Completion(s)
		}
	}
	hint := ""
	if sug := suggest(s, completions); sug != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", sug)
	}
	d.errorf(v, "%s: unknown rule %q%s; use pages, passed or pages-and-passed", name, s, hint)
	return ""
}

// masteryScore decodes a pass mark in percent.
func (d *yamlDoc) masteryScore(v *yaml.Node, name string) *int {
	n, ok := d.wholeNumber(v, name)
	if !ok {
		return nil
	}
	if n < 0 || n > 100 {
		d.errorf(v, "%s: %d is out of range; give a percentage from 0 to 100", name, n)
		return nil
	}
	return &n
}

// readModuleList decodes the modules list and checks each file exists.
func (l *loader) readModuleList(d *yamlDoc, v *yaml.Node) {
	items, _ := d.textList(v, "modules")
	if !l.moduleCountFits(d, items) {
		return
	}
	if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
		d.errorf(v, "modules: the list is empty; list at least one module file such as modules/01-welcome.md")
		return
	}
	firstLine := map[string]int{}
	for _, item := range items {
		ref := item.Value
		rel, _, msg, err := l.resolveFile(".", ref)
		switch {
		case err != nil:
			l.fail(err)
			continue
		case msg != "":
			d.errorf(item, "modules: %s", msg)
			continue
		}
		if !strings.EqualFold(filepath.Ext(rel), ".md") {
			d.errorf(item, "modules: %q is not a Markdown file; module files end in .md", ref)
			continue
		}
		if line, dup := firstLine[rel]; dup {
			d.errorf(item, "modules: %q is listed twice (first at line %d); list each module once", ref, line)
			continue
		}
		firstLine[rel] = item.Line
		m := &moduleFile{rel: rel}
		l.modules = append(l.modules, m)
		l.byPath[rel] = m
	}
}

// firstInvalidUTF8 returns the offset of the first byte of data that is not
// part of valid UTF-8, or -1.
func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}
