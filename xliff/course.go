package xliff

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/i18n"
)

// InterfaceFile is the original of the <file> holding the player's
// interface text (the catalogue's strings, or the course's own wording of
// them).
const InterfaceFile = "interface"

// text is one translatable text of a course, with where it lives.
type text struct {
	// file is the course-relative path of the file the text is in, or
	// InterfaceFile.
	file string
	// path is the text's structural path in the file.
	path   string
	note   string
	line   int
	source Content
	// seg is the text of a module's page; node the YAML scalar of a
	// course.yaml or front matter text; key the interface text's key.
	seg  *segment
	node *yaml.Node
	key  string
}

// id is the unit id of t: its file, its path and a hash of its source.
func (t *text) id() string {
	sum := sha256.Sum256([]byte(t.source.String()))
	return t.file + "#" + t.path + ":" + hex.EncodeToString(sum[:4])
}

// sourceCourse is a course's source files, read to be translated.
type sourceCourse struct {
	c *course.Course
	// yamlDoc is course.yaml's document node.
	yamlDoc *yaml.Node
	modules []*sourceModule
	// texts are the course.yaml, module and interface texts, in that order.
	texts []*text
	// ui is the interface text of the course's language, with the
	// course's own wording.
	ui i18n.Strings
}

// sourceModule is a module file.
type sourceModule struct {
	rel  string
	data []byte
	bom  bool
	// fm is the front matter's YAML and fmDoc its document node.
	fm    course.Span
	fmDoc *yaml.Node
	texts []*text
}

var bomBytes = []byte("\xEF\xBB\xBF")

// readCourse reads the texts of course c (as course.Load returned it) from
// its files.
func readCourse(c *course.Course) (*sourceCourse, error) {
	s := &sourceCourse{c: c}
	data, err := os.ReadFile(filepath.Join(c.Dir, course.CourseFile))
	if err != nil {
		return nil, err
	}
	s.yamlDoc, err = parseYAML(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", course.CourseFile, err)
	}
	top := s.yamlDoc.Content[0]
	if n := mapValue(top, "title"); n != nil {
		s.add(&text{file: course.CourseFile, path: "title", note: "course title", node: n})
	}
	if n := mapValue(top, "description"); n != nil {
		s.add(&text{file: course.CourseFile, path: "description", note: "course description", node: n})
	}
	if n := mapValue(top, "keywords"); n != nil && n.Kind == yaml.SequenceNode {
		for i, k := range n.Content {
			s.add(&text{file: course.CourseFile, path: fmt.Sprintf("keywords.%d", i+1), note: "keyword of the course, for catalogues", node: k})
		}
	}
	for _, m := range c.Modules {
		if err := s.readModule(m); err != nil {
			return nil, err
		}
	}
	s.ui, err = i18n.ForCourse(c.Language, c.Strings)
	if err != nil {
		return nil, err
	}
	keys, err := i18n.Keys()
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		note := "interface text of the player (" + k + ")"
		if _, own := c.Strings[k]; own {
			note += "; the course's own wording"
		}
		if k == "plan.file" {
			note += "; a file name: lower-case letters, digits and hyphens only"
		}
		s.add(&text{file: InterfaceFile, path: k, note: note, key: k, source: placeholders(s.ui[k])})
	}
	return s, nil
}

// add appends t, taking the source of a YAML text from its node; it
// reports false, leaving t out, for a YAML value that is not text.
func (s *sourceCourse) add(t *text) bool {
	if t.node != nil {
		if t.node.Kind != yaml.ScalarNode || strings.TrimSpace(t.node.Value) == "" {
			return false
		}
		t.source = Content{{Kind: Text, Text: t.node.Value}}
		t.line = t.node.Line
	}
	s.texts = append(s.texts, t)
	return true
}

// readModule reads the texts of module m: its title and objectives, and
// the text of its pages.
func (s *sourceCourse) readModule(m *course.Module) error {
	data, err := os.ReadFile(filepath.Join(s.c.Dir, filepath.FromSlash(m.Source)))
	if err != nil {
		return err
	}
	sm := &sourceModule{rel: m.Source}
	sm.data, sm.bom = bytes.CutPrefix(data, bomBytes)
	fm, pages, ok := course.SplitModule(sm.data)
	if !ok {
		return fmt.Errorf("%s: no front matter", m.Source)
	}
	sm.fm = fm
	sm.fmDoc, err = parseYAML(sm.data[fm.Start:fm.End])
	if err != nil {
		return fmt.Errorf("%s: %w", m.Source, err)
	}
	s.modules = append(s.modules, sm)
	add := func(t *text) {
		t.file = m.Source
		if !s.add(t) {
			return
		}
		if t.node != nil {
			t.line++ // the front matter starts on line 2
		}
		sm.texts = append(sm.texts, t)
	}
	top := sm.fmDoc.Content[0]
	if n := mapValue(top, "title"); n != nil {
		add(&text{path: "title", note: "module title", node: n})
	}
	if n := mapValue(top, "objectives"); n != nil && n.Kind == yaml.SequenceNode {
		for i, o := range n.Content {
			add(&text{path: fmt.Sprintf("objectives.%d", i+1), note: fmt.Sprintf("module %q: learning objective", m.Title), node: o})
		}
	}
	lines := newLines(sm.data)
	for i, span := range pages {
		id, title := fmt.Sprintf("page.%d", i+1), ""
		if len(m.Pages) == len(pages) {
			id, title = m.Pages[i].ID, m.Pages[i].Title
		}
		where := fmt.Sprintf("module %q, page %q", m.Title, title)
		for _, pt := range readPage(sm.data, span, id, where) {
			seg := pt.segment
			add(&text{path: pt.path, note: pt.note, seg: &seg, source: seg.content, line: lines.line(seg.start)})
		}
	}
	return nil
}

// parseYAML parses a YAML document that course.Load has accepted.
func parseYAML(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("expected keys and values")
	}
	return &doc, nil
}

// mapValue returns the value of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			for v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

var placeholderPattern = regexp.MustCompile(`\{\w+\}`)

// placeholders turns interface text into Content, each {placeholder} a
// Standalone code whose id is its name.
func placeholders(s string) Content {
	var c Content
	last := 0
	for _, m := range placeholderPattern.FindAllStringIndex(s, -1) {
		if m[0] > last {
			c = append(c, Piece{Kind: Text, Text: s[last:m[0]]})
		}
		ph := s[m[0]:m[1]]
		c = append(c, Piece{Kind: Standalone, ID: ph[1 : len(ph)-1], CType: "x-placeholder", Equiv: ph})
		last = m[1]
	}
	if last < len(s) {
		c = append(c, Piece{Kind: Text, Text: s[last:]})
	}
	return c
}

// lines maps byte offsets to line numbers.
type lines []int

func newLines(data []byte) lines {
	starts := lines{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line returns the 1-based line of offset off.
func (l lines) line(off int) int {
	lo, hi := 0, len(l)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if l[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

// languageTag matches a BCP 47 language tag as course.yaml accepts it.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$`)

// ValidLanguage reports whether tag is a language tag a course may use.
func ValidLanguage(tag string) bool { return languageTag.MatchString(tag) }

// catalogue returns the shipped interface catalogue of lang (or of its
// primary language), or false when the tool ships none.
func catalogue(lang string) (i18n.Strings, bool) {
	primary, _, _ := strings.Cut(lang, "-")
	for _, have := range i18n.Languages() {
		if strings.EqualFold(have, lang) || strings.EqualFold(have, primary) {
			s, err := i18n.For(have)
			return s, err == nil
		}
	}
	return nil, false
}

// Stats counts the units of an export by state.
type Stats struct {
	// Units is the number of units.
	Units int
	// Translated units have a translation that needs nothing.
	Translated int
	// New units have no translation.
	New int
	// Changed units have a translation of an older source, to review.
	Changed int
}

// Export gathers every translatable text of course c (as course.Load
// returned it) into a Document for translation into lang: the course's
// title, description and keywords, each module's title and objectives, the
// text of every page (headings, paragraphs, list items, table cells, the
// prompts, options, feedback and explanations of questions, reflection
// prompts, callouts, the action plan's introduction, captions) and the
// player's interface text, with the shipped catalogue's text for lang as
// the translation where the tool has one.
//
// When previous, an earlier export, is not nil, its translations are kept:
// a unit whose source is unchanged keeps its target and state; one whose
// source changed keeps the old target, marked "needs-review-translation",
// with the old source in a note; the others are "new".
func Export(c *course.Course, lang string, previous *Document) (*Document, Stats, error) {
	if !ValidLanguage(lang) {
		return nil, Stats{}, fmt.Errorf("%q is not a language tag; use one such as cy, ga or gd", lang)
	}
	if strings.EqualFold(lang, c.Language) {
		return nil, Stats{}, fmt.Errorf("the course is in %s already; name another language to translate into", c.Language)
	}
	s, err := readCourse(c)
	if err != nil {
		return nil, Stats{}, err
	}
	d := &Document{SourceLanguage: c.Language, TargetLanguage: lang}
	files := map[string]*File{}
	for _, t := range s.texts {
		f := files[t.file]
		if f == nil {
			f = &File{Original: t.file, Datatype: "plaintext"}
			if strings.HasSuffix(strings.ToLower(t.file), ".md") {
				f.Datatype = "x-markdown"
			}
			files[t.file] = f
			d.Files = append(d.Files, f)
		}
		f.Units = append(f.Units, &Unit{ID: t.id(), ResName: t.path, Source: t.source, State: StateNew, Notes: []string{t.note}})
	}
	if previous != nil {
		merge(d, previous)
	}
	if cat, ok := catalogue(lang); ok {
		f := files[InterfaceFile]
		for _, u := range f.Units {
			if u.Translated() || c.Strings[u.ResName] != "" {
				continue
			}
			if v, ok := cat[u.ResName]; ok {
				u.Target, u.State = placeholders(v), StateTranslated
				u.Notes = append(u.Notes, "The translation is coursepack's "+lang+" catalogue text.")
			}
		}
	}
	st := Stats{}
	for _, f := range d.Files {
		for _, u := range f.Units {
			st.Units++
			switch {
			case !u.Translated():
				st.New++
			case u.State == StateNeedsReview:
				st.Changed++
			default:
				st.Translated++
			}
		}
	}
	return d, st, nil
}

// merge carries the translations of previous over to the units of d.
func merge(d, previous *Document) {
	type key struct{ file, s string }
	byID := map[key]*Unit{}
	bySource := map[key][]*Unit{}
	byRes := map[key]*Unit{}
	for _, f := range previous.Files {
		for _, u := range f.Units {
			if !u.Translated() {
				continue
			}
			byID[key{f.Original, u.ID}] = u
			src := u.Source.String()
			bySource[key{f.Original, src}] = append(bySource[key{f.Original, src}], u)
			if u.ResName != "" {
				byRes[key{f.Original, u.ResName}] = u
			}
		}
	}
	used := map[*Unit]bool{}
	keep := func(u, old *Unit, state string) {
		used[old] = true
		u.Target = old.Target
		u.State = state
		if u.State == "" || u.State == StateNew {
			u.State = StateTranslated
		}
	}
	// Same text at the same place first, then the same text moved, then
	// a changed text at the same place.
	for _, f := range d.Files {
		for _, u := range f.Units {
			if old := byID[key{f.Original, u.ID}]; old != nil && !used[old] {
				keep(u, old, old.State)
			}
		}
	}
	for _, f := range d.Files {
		for _, u := range f.Units {
			if u.Translated() {
				continue
			}
			for _, old := range bySource[key{f.Original, u.Source.String()}] {
				if !used[old] {
					keep(u, old, old.State)
					break
				}
			}
		}
	}
	for _, f := range d.Files {
		for _, u := range f.Units {
			if u.Translated() {
				continue
			}
			if old := byRes[key{f.Original, u.ResName}]; old != nil && !used[old] {
				keep(u, old, StateNeedsReview)
				u.Notes = append(u.Notes, "The source text changed since this was translated; it was: "+oneLine(old.Source.Plain()))
			}
		}
	}
}
