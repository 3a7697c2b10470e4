// Package xliff reads and writes XLIFF 1.2 files, and uses them to
// translate a course: Export gathers every translatable text of a course
// into a Document, keeping the translations of an earlier export; Import
// writes a translated copy of the course from a translated Document.
//
// The format is XLIFF 1.2 (urn:oasis:names:tc:xliff:document:1.2), the
// version every common translation tool reads: OmegaT (through its Okapi
// filter), memoQ, Trados and Weblate. Inline Markdown is protected with
// 1.2's inline codes: <g> around text that keeps a formatting (emphasis,
// strong, strike-through, the text of a link, the alternative text of a
// picture), <x/> for what stands alone and is not translated (code spans,
// raw HTML, automatic links, footnote references, hard line breaks,
// {placeholders} of interface text). The Markdown syntax behind each code
// (the URL of a link, say) is not in the file: Import takes it from the
// course's source, so it cannot be mistranslated.
//
// Each text is one trans-unit whose id is derived from the file, the
// text's structural path in it and a hash of its source text, so ids are
// stable from one export to the next while the text does not change; the
// resname attribute holds the path alone, which lets a later export
// recognise a changed text.
package xliff

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Namespace is the XML namespace of XLIFF 1.2.
const Namespace = "urn:oasis:names:tc:xliff:document:1.2"

// The target states this package writes and reads (XLIFF 1.2 state
// attribute values).
const (
	// StateNew marks a unit that has no translation yet.
	StateNew = "new"
	// StateTranslated marks a unit with a translation.
	StateTranslated = "translated"
	// StateNeedsReview marks a unit whose source changed since it was
	// translated: the target is the translation of the old source.
	StateNeedsReview = "needs-review-translation"
)

// Document is an XLIFF 1.2 file: the texts of one or more original files,
// in one source and one target language.
type Document struct {
	SourceLanguage string
	TargetLanguage string
	Files          []*File
}

// File is one <file> element: the texts of one original file.
type File struct {
	// Original names the file the texts come from, such as
	// "modules/one.md".
	Original string
	// Datatype is the kind of file: "plaintext", "x-markdown", ...
	Datatype string
	Units    []*Unit
}

// Unit is one <trans-unit>: a text and its translation.
type Unit struct {
	// ID identifies the unit within its file (see the package comment).
	ID string
	// ResName is the text's structural path, stable while the text
	// changes.
	ResName string
	Source  Content
	// Target is the translation; nil or empty when there is none.
	Target Content
	// State is the target's state attribute ("new", "translated",
	// "needs-review-translation", ...), or "".
	State string
	// Notes describe the text for the translator.
	Notes []string
	// Line is the unit's line in the file it was read from, or 0.
	Line int
}

// Translated reports whether u has a target holding any text or code.
func (u *Unit) Translated() bool {
	for _, p := range u.Target {
		if p.Kind != Text || strings.TrimSpace(p.Text) != "" {
			return true
		}
	}
	return false
}

// Kind is the kind of one piece of inline content.
type Kind int

// The kinds of inline content.
const (
	// Text is translatable text.
	Text Kind = iota
	// Open starts a paired code (<g>): the text up to the matching Close
	// keeps a formatting.
	Open
	// Close ends the paired code of the same ID.
	Close
	// Standalone is a code that stands alone (<x/>) and is not translated.
	Standalone
)

// Piece is one piece of inline content: text or an inline code.
type Piece struct {
	Kind Kind
	// Text is the text of a Text piece.
	Text string
	// ID identifies a code within its unit's source; an Open and its
	// Close share it.
	ID string
	// CType is the code's ctype attribute ("bold", "link", "x-code"...).
	CType string
	// Equiv is what a Standalone code stands for, shown to translators
	// (equiv-text).
	Equiv string
}

// Content is the inline content of a source or target: text and codes.
type Content []Piece

// String returns c as XLIFF inline markup.
func (c Content) String() string {
	var b strings.Builder
	writeContent(&b, c)
	return b.String()
}

// Plain returns the text of c, each Standalone code as what it stands for.
func (c Content) Plain() string {
	var b strings.Builder
	for _, p := range c {
		switch p.Kind {
		case Text:
			b.WriteString(p.Text)
		case Standalone:
			b.WriteString(p.Equiv)
		}
	}
	return b.String()
}

// Marshal writes d as an XLIFF 1.2 document.
func (d *Document) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<xliff version="1.2" xmlns="` + Namespace + `">` + "\n")
	for _, f := range d.Files {
		fmt.Fprintf(&b, `  <file original="%s" datatype="%s" source-language="%s"`, attr(f.Original), attr(f.Datatype), attr(d.SourceLanguage))
		if d.TargetLanguage != "" {
			fmt.Fprintf(&b, ` target-language="%s"`, attr(d.TargetLanguage))
		}
		b.WriteString(">\n")
		b.WriteString("    <header>\n      <tool tool-id=\"coursepack\" tool-name=\"coursepack\"/>\n    </header>\n")
		b.WriteString("    <body>\n")
		for _, u := range f.Units {
			fmt.Fprintf(&b, `      <trans-unit id="%s"`, attr(u.ID))
			if u.ResName != "" {
				fmt.Fprintf(&b, ` resname="%s"`, attr(u.ResName))
			}
			b.WriteString(` xml:space="preserve">` + "\n")
			b.WriteString("        <source>")
			writeContent(&b, u.Source)
			b.WriteString("</source>\n")
			state := ""
			if u.State != "" {
				state = fmt.Sprintf(` state="%s"`, attr(u.State))
			}
			if len(u.Target) == 0 {
				fmt.Fprintf(&b, "        <target%s/>\n", state)
			} else {
				fmt.Fprintf(&b, "        <target%s>", state)
				writeContent(&b, u.Target)
				b.WriteString("</target>\n")
			}
			for _, n := range u.Notes {
				fmt.Fprintf(&b, "        <note>%s</note>\n", escText(n))
			}
			b.WriteString("      </trans-unit>\n")
		}
		b.WriteString("    </body>\n  </file>\n")
	}
	b.WriteString("</xliff>\n")
	return b.Bytes()
}

func writeContent(b io.Writer, c Content) {
	for _, p := range c {
		switch p.Kind {
		case Text:
			io.WriteString(b, escText(p.Text))
		case Open:
			fmt.Fprintf(b, `<g id="%s"`, attr(p.ID))
			if p.CType != "" {
				fmt.Fprintf(b, ` ctype="%s"`, attr(p.CType))
			}
			io.WriteString(b, ">")
		case Close:
			io.WriteString(b, "</g>")
		case Standalone:
			fmt.Fprintf(b, `<x id="%s"`, attr(p.ID))
			if p.CType != "" {
				fmt.Fprintf(b, ` ctype="%s"`, attr(p.CType))
			}
			if p.Equiv != "" {
				fmt.Fprintf(b, ` equiv-text="%s"`, attr(p.Equiv))
			}
			io.WriteString(b, "/>")
		}
	}
}

// escText escapes s as XML character data.
func escText(s string) string { return xmlEscape(s, false) }

// attr escapes s as an XML attribute value.
func attr(s string) string { return xmlEscape(s, true) }

// xmlEscape escapes s for XML: the markup characters (and, in an attribute,
// quotes and white space other than spaces) as references, and the
// characters XML 1.0 cannot hold as U+FFFD.
func xmlEscape(s string, inAttr bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && inAttr:
			b.WriteString("&quot;")
		case r == '\r' || (inAttr && (r == '\n' || r == '\t')):
			fmt.Fprintf(&b, "&#x%X;", r)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Error is a problem of an XLIFF file, at a line of it.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Parse reads an XLIFF 1.2 document and checks its structure: a well-formed
// document whose root is <xliff version="1.2">, each <file> with the
// original, source-language and datatype attributes and a <body>, every
// <trans-unit> (directly in the body or in <group>s) with an id unique in its
// file and a <source>, and inline codes that are XLIFF 1.2's. All files must
// share one source and one target language. The problems come back as
// *Error values joined with errors.Join.
func Parse(data []byte) (*Document, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	var errs []error
	bad := func(n *element, format string, args ...any) {
		errs = append(errs, &Error{Line: n.line, Msg: fmt.Sprintf(format, args...)})
	}
	if root.name.Local != "xliff" {
		return nil, &Error{Line: root.line, Msg: fmt.Sprintf("the root element is <%s>, not <xliff>", root.name.Local)}
	}
	switch v := root.attr("version"); {
	case v == "":
		return nil, &Error{Line: root.line, Msg: "<xliff> has no version attribute"}
	case strings.HasPrefix(v, "2"):
		return nil, &Error{Line: root.line, Msg: fmt.Sprintf("this is XLIFF %s; coursepack reads XLIFF 1.2 (save or export the file as XLIFF 1.2)", v)}
	case v != "1.2":
		return nil, &Error{Line: root.line, Msg: fmt.Sprintf("XLIFF version %q is not 1.2", v)}
	}
	if root.name.Space != "" && root.name.Space != Namespace {
		bad(root, "the namespace is %q, not XLIFF 1.2's %q", root.name.Space, Namespace)
	}
	d := &Document{}
	files := root.children("file")
	if len(files) == 0 {
		bad(root, "the document has no <file>")
	}
	for _, fe := range files {
		f := &File{Original: fe.attr("original"), Datatype: fe.attr("datatype")}
		for _, a := range []string{"original", "source-language", "datatype"} {
			if fe.attr(a) == "" {
				bad(fe, "<file> has no %s attribute", a)
			}
		}
		src, tgt := fe.attr("source-language"), fe.attr("target-language")
		if d.SourceLanguage == "" {
			d.SourceLanguage = src
		} else if src != "" && !strings.EqualFold(src, d.SourceLanguage) {
			bad(fe, "<file> has source-language %q, but an earlier file has %q; use one source language", src, d.SourceLanguage)
		}
		if d.TargetLanguage == "" {
			d.TargetLanguage = tgt
		} else if tgt != "" && !strings.EqualFold(tgt, d.TargetLanguage) {
			bad(fe, "<file> has target-language %q, but an earlier file has %q; use one target language", tgt, d.TargetLanguage)
		}
		bodies := fe.children("body")
		if len(bodies) != 1 {
			bad(fe, "<file original=%q> needs one <body>, has %d", f.Original, len(bodies))
			continue
		}
		ids := map[string]int{}
		var walk func(*element)
		walk = func(parent *element) {
			for _, ue := range parent.elems() {
				switch ue.name.Local {
				case "group":
					walk(ue)
				case "trans-unit":
					u := &Unit{ID: ue.attr("id"), ResName: ue.attr("resname"), Line: ue.line}
					if u.ID == "" {
						bad(ue, "<trans-unit> has no id attribute")
					} else if first, dup := ids[u.ID]; dup {
						bad(ue, "<trans-unit> id %q is used twice in file %q (first at line %d)", u.ID, f.Original, first)
					} else {
						ids[u.ID] = ue.line
					}
					sources := ue.children("source")
					if len(sources) != 1 {
						bad(ue, "<trans-unit id=%q> needs one <source>, has %d", u.ID, len(sources))
						continue
					}
					var err error
					if u.Source, err = inline(sources[0]); err != nil {
						errs = append(errs, err)
					}
					if targets := ue.children("target"); len(targets) > 1 {
						bad(ue, "<trans-unit id=%q> has %d <target>s; keep one", u.ID, len(targets))
					} else if len(targets) == 1 {
						u.State = targets[0].attr("state")
						if u.Target, err = inline(targets[0]); err != nil {
							errs = append(errs, err)
						}
					}
					for _, n := range ue.children("note") {
						u.Notes = append(u.Notes, n.textContent())
					}
					f.Units = append(f.Units, u)
				}
			}
		}
		walk(bodies[0])
		d.Files = append(d.Files, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

// inline reads the inline content of a <source> or <target>: text, <g>,
// <x/>, <bx/> and <ex/>; <mrk> (as segmentation tools add) is read through,
// and <ph>, <bpt>, <ept> and <it> stand for the code of their id.
func inline(e *element) (Content, error) {
	var out Content
	var walk func(*element) error
	walk = func(e *element) error {
		for _, c := range e.content {
			if s, ok := c.(string); ok {
				if len(out) > 0 && out[len(out)-1].Kind == Text {
					out[len(out)-1].Text += s
				} else {
					out = append(out, Piece{Kind: Text, Text: s})
				}
				continue
			}
			ce := c.(*element)
			id := ce.attr("id")
			switch ce.name.Local {
			case "g":
				out = append(out, Piece{Kind: Open, ID: id, CType: ce.attr("ctype")})
				if err := walk(ce); err != nil {
					return err
				}
				out = append(out, Piece{Kind: Close, ID: id})
			case "x", "ph", "it":
				out = append(out, Piece{Kind: Standalone, ID: id, CType: ce.attr("ctype"), Equiv: ce.attr("equiv-text")})
			case "bx", "bpt":
				if r := ce.attr("rid"); r != "" {
					id = r
				}
				out = append(out, Piece{Kind: Open, ID: id, CType: ce.attr("ctype")})
			case "ex", "ept":
				if r := ce.attr("rid"); r != "" {
					id = r
				}
				out = append(out, Piece{Kind: Close, ID: id})
			case "mrk":
				if err := walk(ce); err != nil {
					return err
				}
				continue
			default:
				return &Error{Line: ce.line, Msg: fmt.Sprintf("<%s> is not an XLIFF 1.2 inline element", ce.name.Local)}
			}
			if id == "" {
				return &Error{Line: ce.line, Msg: fmt.Sprintf("<%s> has no id attribute", ce.name.Local)}
			}
		}
		return nil
	}
	if err := walk(e); err != nil {
		return nil, err
	}
	return out, nil
}

// element is a node of a parsed XML document.
type element struct {
	name  xml.Name
	attrs []xml.Attr
	// content holds strings and *element values in document order.
	content []any
	line    int
}

func (e *element) attr(name string) string {
	for _, a := range e.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// elems returns the child elements.
func (e *element) elems() []*element {
	var out []*element
	for _, c := range e.content {
		if ce, ok := c.(*element); ok {
			out = append(out, ce)
		}
	}
	return out
}

// children returns the child elements named local.
func (e *element) children(local string) []*element {
	var out []*element
	for _, c := range e.elems() {
		if c.name.Local == local {
			out = append(out, c)
		}
	}
	return out
}

// textContent returns the text of e and its descendants.
func (e *element) textContent() string {
	var b strings.Builder
	for _, c := range e.content {
		switch c := c.(type) {
		case string:
			b.WriteString(c)
		case *element:
			b.WriteString(c.textContent())
		}
	}
	return b.String()
}

// parseTree reads a well-formed XML document into elements.
func parseTree(data []byte) (*element, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []*element
	var root *element
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &Error{Line: se.Line, Msg: "not well-formed XML: " + se.Msg}
			}
			return nil, &Error{Msg: "not well-formed XML: " + err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &element{name: t.Name, attrs: t.Attr, line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, &Error{Line: line, Msg: "not well-formed XML: more than one root element"}
				}
				root = e
			} else {
				p := stack[len(stack)-1]
				p.content = append(p.content, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.content = append(p.content, string(t))
			}
		}
	}
	if root == nil {
		return nil, &Error{Msg: "not well-formed XML: the document is empty"}
	}
	return root, nil
}

// itoa is strconv.Itoa, short.
func itoa(n int) string { return strconv.Itoa(n) }
