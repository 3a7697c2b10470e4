package xliff

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/i18n"
)

// ImportOptions change what Import writes.
type ImportOptions struct {
	// Out is the folder the translated course is written to. It must not
	// exist.
	Out string
	// ID, when not "", is the translated course's id (an IRI); by default
	// it keeps the source course's.
	ID string
}

// Issue is a text of the course that Import left in the source language,
// or whose translation needs a look.
type Issue struct {
	// File is the course-relative file of the text, or InterfaceFile.
	File string
	// Line is the text's line in File, or 0.
	Line int
	// ID is the text's unit id.
	ID string
	// Source is the source text, on one line.
	Source string
	// Reason says what is wrong.
	Reason string
}

// Report says what Import did.
type Report struct {
	// Out is the folder written.
	Out string
	// Language is the language of the translated course.
	Language string
	// Units is the number of texts of the course; Translated how many
	// of them were translated.
	Units, Translated int
	// Untranslated are the texts left in the source language.
	Untranslated []Issue
	// Review are texts translated with a translation to check: one marked
	// for review, or one that leaves out some of the source's codes.
	Review []Issue
	// Unknown are the ids of units of the XLIFF file that match no text of
	// the course (texts since changed or removed).
	Unknown []string
}

// ProblemsError is returned when the translated course would not load:
// nothing is written. The problems' files are relative to the course
// folder.
type ProblemsError struct {
	Errors course.Errors
}

func (e *ProblemsError) Error() string {
	return "the translated course has problems, so nothing was written:\n" + e.Errors.Error()
}

func (e *ProblemsError) Unwrap() error { return e.Errors }

// Import writes a copy of course c (as course.Load returned it) translated
// with d into opts.Out: course.yaml with the language set to d's target
// language and its texts and the modules' texts replaced, the interface
// text the translation changes as course.yaml strings, and every other file
// of the course folder copied as it is (leaving out dist/, translations/
// and hidden files). A text with no translation keeps its source text and is
// reported. The translated course is loaded before it is put in place: when
// it has problems, nothing is written and a *ProblemsError says why.
func Import(c *course.Course, d *Document, opts ImportOptions) (*Report, error) {
	lang := d.TargetLanguage
	switch {
	case lang == "":
		return nil, errors.New("the XLIFF file has no target-language; a translation needs one")
	case !ValidLanguage(lang):
		return nil, fmt.Errorf("the XLIFF file's target-language %q is not a language tag", lang)
	case !strings.EqualFold(d.SourceLanguage, c.Language):
		return nil, fmt.Errorf("the XLIFF file translates from %s, but the course is in %s", d.SourceLanguage, c.Language)
	case opts.Out == "":
		return nil, errors.New("no folder to write the translated course to")
	}
	if _, err := os.Lstat(opts.Out); err == nil {
		return nil, fmt.Errorf("%s already exists; import never overwrites, so name a new folder", opts.Out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	s, err := readCourse(c)
	if err != nil {
		return nil, err
	}

	type unitKey struct{ file, id string }
	units := map[unitKey]*Unit{}
	for _, f := range d.Files {
		for _, u := range f.Units {
			units[unitKey{f.Original, u.ID}] = u
		}
	}
	rep := &Report{Out: opts.Out, Language: lang}
	matched := map[*Unit]bool{}
	edits := map[string][]edit{}
	ui := map[string]string{}
	for _, t := range s.texts {
		rep.Units++
		id := t.id()
		issue := Issue{File: t.file, Line: t.line, ID: id, Source: oneLine(t.source.Plain())}
		u := units[unitKey{t.file, id}]
		if u == nil {
			issue.Reason = "not in the XLIFF file: the text is new or has changed since the export (export again with the old file as --previous)"
			rep.Untranslated = append(rep.Untranslated, issue)
			continue
		}
		matched[u] = true
		if !u.Translated() {
			issue.Reason = "not translated"
			rep.Untranslated = append(rep.Untranslated, issue)
			continue
		}
		value, warning, err := t.translate(u.Target)
		if err != nil {
			issue.Reason = "the translation was not used: " + err.Error()
			rep.Untranslated = append(rep.Untranslated, issue)
			continue
		}
		rep.Translated++
		switch {
		case t.seg != nil:
			edits[t.file] = append(edits[t.file], edit{t.seg.start, t.seg.end, value})
		case t.node != nil:
			setScalar(t.node, value)
		default:
			ui[t.key] = value
		}
		switch {
		case strings.HasPrefix(u.State, "needs-"):
			issue.Reason = "marked " + u.State
			rep.Review = append(rep.Review, issue)
		case warning != "":
			issue.Reason = warning
			rep.Review = append(rep.Review, issue)
		}
	}
	for _, f := range d.Files {
		for _, u := range f.Units {
			if !matched[u] {
				rep.Unknown = append(rep.Unknown, u.ID)
			}
		}
	}

	files, err := s.rewrite(lang, opts.ID, ui, edits)
	if err != nil {
		return nil, err
	}
	if err := writeCourse(c.Dir, opts.Out, files); err != nil {
		return nil, err
	}
	return rep, nil
}

// edit replaces bytes [start, end) of a file with text.
type edit struct {
	start, end int
	text       string
}

// translate returns what replaces t's source in its file for target, and a
// warning about the translation, or why the translation cannot be used.
func (t *text) translate(target Content) (value, warning string, err error) {
	switch {
	case t.seg != nil:
		md, missing, err := t.seg.rebuild(target)
		if err != nil {
			return "", "", err
		}
		if len(missing) > 0 {
			var what []string
			for _, id := range missing {
				for _, p := range t.source {
					if p.ID == id && p.Kind != Close {
						what = append(what, describeCode(p, t.seg.natives[id]))
						break
					}
				}
			}
			warning = "the translation leaves out " + strings.Join(what, ", ")
		}
		return md, warning, nil
	case t.node != nil:
		for _, p := range target {
			if p.Kind != Text {
				return "", "", fmt.Errorf("the target has an inline code <%s id=%q>, but this text has none", map[bool]string{true: "x", false: "g"}[p.Kind == Standalone], p.ID)
			}
		}
		return strings.TrimSpace(target.Plain()), "", nil
	default:
		var b strings.Builder
		for _, p := range target {
			switch {
			case p.Kind == Text:
				b.WriteString(p.Text)
			case p.Kind == Standalone && hasCode(t.source, p.ID):
				b.WriteString("{" + p.ID + "}")
			default:
				return "", "", fmt.Errorf("the target has a code with id %q, which is not a placeholder of the source", p.ID)
			}
		}
		v := strings.TrimSpace(b.String())
		if v == "" {
			return "", "", errors.New("the translation is blank")
		}
		return v, "", nil
	}
}

// hasCode reports whether c has a Standalone code with id.
func hasCode(c Content, id string) bool {
	for _, p := range c {
		if p.Kind == Standalone && p.ID == id {
			return true
		}
	}
	return false
}

// describeCode names a code for a message: `<x id="2"/> (`code`)`.
func describeCode(p Piece, n native) string {
	if p.Kind == Open {
		return fmt.Sprintf("<g id=%q> (%s…%s)", p.ID, oneLine(n.open), oneLine(n.close))
	}
	return fmt.Sprintf("<x id=%q/> (%s)", p.ID, oneLine(n.open))
}

// setScalar gives a YAML text scalar a new value.
func setScalar(n *yaml.Node, value string) {
	n.Value = value
	n.Tag = "!!str"
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && !strings.Contains(value, "\n") {
		n.Style = 0
	}
}

// rewrite returns the new content of course.yaml and of the module files,
// by course-relative path.
func (s *sourceCourse) rewrite(lang, id string, ui map[string]string, edits map[string][]edit) (map[string][]byte, error) {
	top := s.yamlDoc.Content[0]
	setKey(top, "language", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: lang})
	if id != "" {
		setKey(top, "id", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: id})
	}
	// The interface text: what the translation says where it differs from
	// the catalogue the translated course gets.
	shown, err := i18n.For(lang)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(ui))
	for k, v := range ui {
		if v != shown[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		deleteKey(top, "strings")
	} else {
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range keys {
			m.Content = append(m.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k},
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ui[k]})
		}
		setKey(top, "strings", m)
	}
	out := map[string][]byte{}
	data, err := encodeYAML(s.yamlDoc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", course.CourseFile, err)
	}
	out[course.CourseFile] = data

	for _, m := range s.modules {
		body := append([]byte(nil), m.data[m.fm.End:]...)
		list := edits[m.rel]
		sort.Slice(list, func(i, j int) bool { return list[i].start > list[j].start })
		for _, e := range list {
			start, end := e.start-m.fm.End, e.end-m.fm.End
			body = append(body[:start], append([]byte(e.text), body[end:]...)...)
		}
		fm, err := encodeYAML(m.fmDoc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.rel, err)
		}
		var b bytes.Buffer
		if m.bom {
			b.Write(bomBytes)
		}
		b.Write(m.data[:m.fm.Start])
		b.Write(fm)
		b.Write(body)
		out[m.rel] = b.Bytes()
	}
	return out, nil
}

// setKey sets key of mapping m to v, adding the key at the end when m
// lacks it.
func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			v.LineComment, v.HeadComment, v.FootComment = old.LineComment, old.HeadComment, old.FootComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

// deleteKey removes key from mapping m.
func deleteKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func encodeYAML(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeCourse writes the translated course into out: a copy of the course
// folder src with files in place of its own. It writes into a new folder
// beside out, loads the course there and renames the folder to out only
// when the course loads.
func writeCourse(src, out string, files map[string][]byte) error {
	outAbs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(outAbs), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(outAbs), "."+filepath.Base(outAbs)+".tmp-")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := copyTree(src, tmp, map[string]bool{outAbs: true, tmp: true}); err != nil {
		return err
	}
	for rel, data := range files {
		dst := filepath.Join(tmp, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	if _, err := course.Load(tmp); err != nil {
		var list course.Errors
		if errors.As(err, &list) {
			return &ProblemsError{Errors: list}
		}
		return err
	}
	if err := os.Rename(tmp, outAbs); err != nil {
		return err
	}
	done = true
	return nil
}

// copyTree copies the files of the course folder src into dst, leaving out
// hidden files and folders, the dist/ and translations/ folders at the top,
// the folders of skip, and links to anything outside src.
func copyTree(src, dst string, skip map[string]bool) error {
	root, err := filepath.EvalSymlinks(src)
	if err != nil {
		return err
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		top := !strings.ContainsRune(rel, filepath.Separator)
		if skip[p] || strings.HasPrefix(d.Name(), ".") || (top && d.IsDir() && (rel == "dist" || rel == "translations")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			real, err := filepath.EvalSymlinks(p)
			if err != nil {
				return nil
			}
			inside, err := filepath.Rel(root, real)
			if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
				return nil
			}
			if info, err := os.Stat(real); err != nil || !info.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, target)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
