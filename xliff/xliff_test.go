package xliff_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/internal/golden"
	"github.com/coursepack/coursepack/internal/txtar"
	"github.com/coursepack/coursepack/xliff"
)

// The -update flag, read by golden.Updating, rewrites the golden files of this package: go test ./xliff -update
// (or, for every package, COURSEPACK_UPDATE_GOLDEN=1 go test ./...).
var _ = flag.Bool("update", false, "rewrite golden files under testdata/")

func TestExportGolden(t *testing.T) {
	d, st := export(t, tiny, "cy", nil)
	// The golden file holds the course's own texts; the interface text,
	// which changes with the catalogues, is checked below.
	own := &xliff.Document{SourceLanguage: d.SourceLanguage, TargetLanguage: d.TargetLanguage}
	var ui *xliff.File
	for _, f := range d.Files {
		if f.Original == xliff.InterfaceFile {
			ui = f
		} else {
			own.Files = append(own.Files, f)
		}
	}
	golden.Check(t, "testdata/tiny-cy.xlf", own.Marshal())
	keys, _ := i18n.Keys()
	cy, _ := i18n.For("cy")
	en, _ := i18n.For("en-GB")
	if ui == nil || len(ui.Units) != len(keys) {
		t.Fatalf("the interface file has %v units, want %d", ui, len(keys))
	}
	for i, u := range ui.Units {
		// The source is the en-GB text, the target the cy catalogue's.
		if u.ResName != keys[i] || u.Source.Plain() != en[keys[i]] || u.Target.Plain() != cy[keys[i]] || u.State != xliff.StateTranslated {
			t.Errorf("interface unit %s: %+v", keys[i], u)
		}
	}
	if st.New != 11 || st.Changed != 0 || st.Translated != len(keys) || st.Units != 11+len(keys) {
		t.Errorf("stats: %+v", st)
	}
	again, _ := export(t, tiny, "cy", nil)
	if !bytes.Equal(again.Marshal(), d.Marshal()) {
		t.Error("two exports of the same course differ")
	}
}

// TestWellFormed checks the structure of an export with a plain XML
// reader, as a translation tool would read it: the XLIFF 1.2 namespace and
// version, the required attributes of <file> and <trans-unit>, ids unique
// in their file, and inline codes that are <g> and <x/> with ids.
func TestWellFormed(t *testing.T) {
	d, _ := export(t, rich, "cy", nil)
	dec := xml.NewDecoder(bytes.NewReader(d.Marshal()))
	var stack []string
	ids := map[string]bool{}
	units, codes := 0, 0
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != xliff.Namespace {
				t.Errorf("<%s> is in namespace %q", e.Name.Local, e.Name.Space)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			switch e.Name.Local {
			case "xliff":
				if attr(e, "version") != "1.2" || parent != "" {
					t.Errorf("root: %+v", e)
				}
			case "file":
				for _, a := range []string{"original", "source-language", "target-language", "datatype"} {
					if attr(e, a) == "" {
						t.Errorf("<file> lacks %s", a)
					}
				}
				ids = map[string]bool{}
			case "trans-unit":
				id := attr(e, "id")
				if id == "" || ids[id] || parent != "body" {
					t.Errorf("trans-unit id %q (parent %s, seen %v)", id, parent, ids[id])
				}
				ids[id] = true
				units++
			case "source", "target", "note":
				if parent != "trans-unit" {
					t.Errorf("<%s> in <%s>", e.Name.Local, parent)
				}
			case "g", "x":
				codes++
				if attr(e, "id") == "" || (parent != "source" && parent != "target" && parent != "g") {
					t.Errorf("<%s> without id, or in <%s>", e.Name.Local, parent)
				}
			case "header", "tool", "body":
			default:
				t.Errorf("unexpected element <%s>", e.Name.Local)
			}
			stack = append(stack, e.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if units < 40 || codes < 20 {
		t.Errorf("%d units, %d inline codes: the rich course has more", units, codes)
	}
}

func TestInlineCodes(t *testing.T) {
	d, _ := export(t, rich, "cy", nil)
	source := map[string]string{}
	for _, f := range d.Files {
		for _, u := range f.Units {
			source[f.Original+" "+u.ResName] = u.Source.String()
		}
	}
	for key, want := range map[string]string{
		"modules/one.md welcome-to-the-course/2": `Some <g id="1" ctype="bold">bold <g id="2" ctype="italic">nested</g></g> text with ` +
			`<x id="3" ctype="x-code" equiv-text="` + "`code`" + `"/> and <g id="4" ctype="link">a link</g> and a second line` +
			`<x id="5" ctype="lb" equiv-text="&#xA;"/>after a hard break and a<x id="6" ctype="lb" equiv-text="&#xA;"/>` +
			`two-space break, <g id="7" ctype="image">a <g id="8" ctype="italic">small</g> picture</g> ` +
			`<x id="9" ctype="x-markdown" equiv-text="&lt;http://auto.example.org&gt;"/> and *stars* &amp; ©.`,
		"modules/one.md welcome-to-the-course/3/1":                          `A quoted paragraph on two lines, with a <g id="1" ctype="link">reference link</g> and <g id="2" ctype="link">a shortcut</g>.`,
		"modules/one.md welcome-to-the-course/6/head/2":                     `Meaning <g id="1" ctype="italic">here</g>`,
		"modules/one.md welcome-to-the-course/7":                            `Footnote reference<x id="1" ctype="x-markdown" equiv-text="[^n]"/> in text.`,
		"modules/one.md welcome-to-the-course/footnote.n/1":                 `The footnote's text.`,
		"modules/one.md knowledge-check/question.q-one/option.a":            `The <g id="1" ctype="italic">right</g> one`,
		"modules/one.md knowledge-check/question.q-one/option.b/feedback.1": `No: see <g id="1" ctype="link">the welcome</g>.`,
		"modules/one.md knowledge-check/question.q-text/answer.2/1":         `Caerdydd`,
		"modules/two.md page.1/title":                                       "", // the page ids come from the model
		"course.yaml description":                                           "A course with every kind of text: formatting, lists, tables, questions and more.",
		"interface progress.page":                                           `Step <x id="n" ctype="x-placeholder" equiv-text="{n}"/> of <x id="total" ctype="x-placeholder" equiv-text="{total}"/>`,
	} {
		if want == "" {
			continue
		}
		if got, ok := source[key]; !ok || got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", key, got, want)
		}
	}
	for key := range source {
		for _, never := range []string{"code block", "raw html", "12345", "Two"} {
			if strings.Contains(source[key], never) {
				t.Errorf("%s holds %q, which is not to translate", key, never)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	unit := `<trans-unit id="a"><source>x</source></trans-unit>`
	file := func(attrs, body string) string {
		return `<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file ` + attrs + `><body>` + body + `</body></file></xliff>`
	}
	ok := `original="a" source-language="en-GB" target-language="cy" datatype="plaintext"`
	for name, tt := range map[string]struct{ doc, want string }{
		"not XML":       {`<xliff`, "not well-formed XML"},
		"unclosed":      {file(ok, `<trans-unit id="a"><source>x</target></trans-unit>`), "line 1: not well-formed XML"},
		"2.0":           {`<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>`, "this is XLIFF 2.0; coursepack reads XLIFF 1.2"},
		"no version":    {`<xliff/>`, "no version attribute"},
		"not xliff":     {`<html/>`, "not <xliff>"},
		"no original":   {file(`source-language="en" datatype="plaintext"`, unit), "<file> has no original attribute"},
		"no datatype":   {file(`original="a" source-language="en"`, unit), "<file> has no datatype attribute"},
		"no source":     {file(ok, `<trans-unit id="a"/>`), `<trans-unit id="a"> needs one <source>, has 0`},
		"no id":         {file(ok, `<trans-unit><source>x</source></trans-unit>`), "<trans-unit> has no id attribute"},
		"duplicate id":  {file(ok, unit+unit), `id "a" is used twice`},
		"bad inline":    {file(ok, `<trans-unit id="a"><source>x <b>y</b></source></trans-unit>`), "<b> is not an XLIFF 1.2 inline element"},
		"code sans id":  {file(ok, `<trans-unit id="a"><source>x <x/></source></trans-unit>`), "<x> has no id attribute"},
		"two languages": {`<xliff version="1.2"><file original="a" source-language="en" target-language="cy" datatype="x"><body/></file><file original="b" source-language="en" target-language="ga" datatype="x"><body/></file></xliff>`, "use one target language"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := xliff.Parse([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	// What translation tools add is read through: groups, segments
	// (<mrk>), and <bx/>/<ex/> for a pair.
	d, err := xliff.Parse([]byte(file(ok, `<group id="g"><trans-unit id="a"><source>x <g id="1">y</g></source>`+
		`<target state="translated"><mrk mtype="seg" mid="0">X <bx id="1"/>Y<ex id="1"/></mrk></target></trans-unit></group>`)))
	if err != nil {
		t.Fatal(err)
	}
	if u := d.Files[0].Units[0]; u.Target.String() != `X <g id="1">Y</g>` || u.State != "translated" {
		t.Errorf("target %s, state %q", u.Target.String(), u.State)
	}
}

// TestReExport edits a paragraph after a translation and exports again
// with the translated file as the previous one.
func TestReExport(t *testing.T) {
	dir := txtar.CopyDir(t, tiny)
	first, _ := export(t, dir, "cy", nil)
	fill(first, content, func(s string) string { return "CY: " + s })

	path := filepath.Join(dir, "modules", "one.md")
	data, _ := os.ReadFile(path)
	data = bytes.Replace(data, []byte("Some text."), []byte("Some new text.\n\nA paragraph more."), 1)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	second, st := export(t, dir, "cy", first)
	if st.Changed != 1 || st.New != 1 {
		t.Errorf("stats %+v, want 1 changed and 1 new", st)
	}
	units := map[string]*xliff.Unit{}
	for _, f := range second.Files {
		for _, u := range f.Units {
			units[f.Original+" "+u.ResName] = u
		}
	}
	changed := units["modules/one.md first-page/2"]
	if changed == nil || changed.State != xliff.StateNeedsReview || changed.Target.Plain() != "CY: Some text." ||
		!strings.Contains(strings.Join(changed.Notes, " "), "it was: Some text.") {
		t.Errorf("changed unit: %+v", changed)
	}
	if u := units["modules/one.md first-page/3"]; u == nil || u.State != xliff.StateNew || u.Translated() {
		t.Errorf("new unit: %+v", u)
	}
	for key, u := range units {
		if key == "modules/one.md first-page/2" || key == "modules/one.md first-page/3" {
			continue
		}
		if u.State != xliff.StateTranslated || !u.Translated() {
			t.Errorf("%s lost its translation: %+v", key, u)
		}
	}
	// The marked unit imports, and is listed for review; the new one is
	// listed as untranslated.
	_, rep := importTo(t, dir, second)
	if len(rep.Review) != 1 || rep.Review[0].Reason != "marked needs-review-translation" ||
		len(rep.Untranslated) != 1 || rep.Untranslated[0].Source != "A paragraph more." || rep.Untranslated[0].Line != 9 {
		t.Errorf("report: %+v", rep)
	}
	// A paragraph moved keeps its translation.
	data = bytes.Replace(data, []byte("## First page\n\n"), []byte("## First page\n\nAn opening line.\n\n"), 1)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	third, st := export(t, dir, "cy", second)
	if st.New != 2 || st.Changed != 1 {
		t.Errorf("after a move: %+v", st)
	}
	for _, u := range third.Files[1].Units {
		if u.ResName == "first-page/3" && u.Target.Plain() != "CY: Some text." {
			t.Errorf("the moved paragraph: %+v", u)
		}
	}
}

func TestUntranslated(t *testing.T) {
	d, _ := export(t, tiny, "cy", nil)
	fill(d, func(file string, u *xliff.Unit) bool { return file == "modules/one.md" && u.ResName != "first-page/2" },
		func(s string) string { return "CY: " + s })
	out, rep := importTo(t, tiny, d)
	var got []string
	for _, is := range rep.Untranslated {
		got = append(got, is.File+":"+strconv.Itoa(is.Line)+" "+is.Source+" ("+is.Reason+")")
	}
	want := []string{
		"course.yaml:2 Tiny course (not translated)",
		"modules/one.md:7 Some text. (not translated)",
		"modules/two.md:3 Module two (not translated)",
		"modules/two.md:5 Only page (not translated)",
		"modules/two.md:8 Pick the right one. (not translated)",
		"modules/two.md:10 Right (not translated)",
		"modules/two.md:11 Wrong (not translated)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || rep.Translated != rep.Units-len(want) {
		t.Errorf("untranslated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	data, _ := os.ReadFile(filepath.Join(out, "modules", "one.md"))
	if !strings.Contains(string(data), "\nSome text.\n") || !strings.Contains(string(data), "## CY: Second page") {
		t.Errorf("modules/one.md:\n%s", data)
	}
	c := load(t, out)
	if c.Title != "Tiny course" || c.Language != "cy" {
		t.Errorf("course %q in %q", c.Title, c.Language)
	}
}

// TestEscaping puts Markdown's special characters in translations: they
// must read as text, and the block syntax around them must hold.
func TestEscaping(t *testing.T) {
	d, _ := export(t, tiny, "cy", nil)
	tricky := "# 1. *not* _em_ [x] <b>tag</b> `tick` ~~s~~ | &amp; + - ::: \\ end"
	fill(d, content, func(string) string { return tricky })
	out, rep := importTo(t, tiny, d)
	if len(rep.Untranslated) > 0 {
		t.Fatalf("untranslated: %+v", rep.Untranslated)
	}
	c := load(t, out)
	if c.Title != tricky || c.Modules[0].Title != tricky || c.Modules[0].Pages[0].Title != tricky || c.Modules[0].Pages[1].Title != tricky {
		t.Errorf("titles: %q %q %q", c.Title, c.Modules[0].Title, c.Modules[0].Pages[0].Title)
	}
	escaped := "# 1. *not* _em_ [x] &lt;b&gt;tag&lt;/b&gt; `tick` ~~s~~ | &amp;amp; + - ::: \\ end"
	if got := strings.TrimSpace(string(c.Modules[0].Pages[0].HTML)); got != "<p>"+escaped+"</p>" {
		t.Errorf("paragraph: %q", got)
	}
	q := c.Modules[1].Questions[0]
	if len(q.Options) != 2 || !q.Options[0].Correct || string(q.Options[0].Text) != escaped || string(q.Prompt) != "<p>"+escaped+"</p>" {
		t.Errorf("question: %+v", q)
	}
	if r := c.Modules[0].Reflections; len(r) != 1 || string(r[0].Prompt) != "<p>"+escaped+"</p>" {
		t.Errorf("reflection: %+v", r)
	}
}

// TestBadCodes gives translations codes the source does not have: they are
// not used, and the texts keep their source.
func TestBadCodes(t *testing.T) {
	d, _ := export(t, rich, "cy", nil)
	var unit *xliff.Unit
	for _, u := range d.Files[1].Units {
		if u.ResName == "knowledge-check/question.q-one/option.a" {
			unit = u
		}
	}
	for target, reason := range map[string]string{
		`Y <x id="9"/>`:                  `the target has a code with id "9", which the source does not have`,
		`Y <x id="1"/>`:                  `code "1" is a <g> pair in the source, but stands alone in the target`,
		`<g id="1">a</g><g id="1">b</g>`: `the target uses code "1" twice`,
	} {
		doc, err := xliff.Parse(bytes.Replace(d.Marshal(), []byte(`<source>The <g id="1" ctype="italic">right</g> one</source>
        <target state="new"/>`), []byte(`<source>The <g id="1" ctype="italic">right</g> one</source>
        <target>`+target+`</target>`), 1))
		if err != nil {
			t.Fatal(err)
		}
		_, rep := importTo(t, rich, doc)
		found := false
		for _, is := range rep.Untranslated {
			if is.ID == unit.ID {
				found = is.Reason == "the translation was not used: "+reason
				if !found {
					t.Errorf("reason %q, want %q", is.Reason, reason)
				}
			}
		}
		if !found && !t.Failed() {
			t.Errorf("%s: not reported", target)
		}
	}
	// A translation that leaves a code out is used, and listed.
	doc, _ := xliff.Parse(bytes.Replace(d.Marshal(), []byte(`<source>The <g id="1" ctype="italic">right</g> one</source>
        <target state="new"/>`), []byte(`<source>The <g id="1" ctype="italic">right</g> one</source>
        <target>The right one</target>`), 1))
	_, rep := importTo(t, rich, doc)
	if len(rep.Review) != 1 || rep.Review[0].Reason != `the translation leaves out <g id="1"> (*…*)` {
		t.Errorf("review: %+v", rep.Review)
	}
}

func TestImportRefusals(t *testing.T) {
	d, _ := export(t, tiny, "cy", nil)
	c := load(t, tiny)
	out := t.TempDir()
	if _, err := xliff.Import(c, d, xliff.ImportOptions{Out: out}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("into an existing folder: %v", err)
	}
	d.SourceLanguage = "fr"
	if _, err := xliff.Import(c, d, xliff.ImportOptions{Out: filepath.Join(out, "x")}); err == nil || !strings.Contains(err.Error(), "translates from fr, but the course is in en-GB") {
		t.Errorf("another source language: %v", err)
	}
	// A translation that breaks the course writes nothing.
	d, _ = export(t, tiny, "cy", nil)
	for _, f := range d.Files {
		for _, u := range f.Units {
			if u.ResName == "plan.file" {
				u.Target = xliff.Content{{Kind: xliff.Text, Text: "Fy nghynllun"}}
			}
		}
	}
	_, err := xliff.Import(c, d, xliff.ImportOptions{Out: filepath.Join(out, "y")})
	var pe *xliff.ProblemsError
	if !errors.As(err, &pe) || !strings.Contains(pe.Error(), `strings.plan.file: "Fy nghynllun" is not a file name`) {
		t.Errorf("a broken course: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	if _, _, err := xliff.Export(c, "en-GB", nil); err == nil {
		t.Error("export into the course's own language")
	}
	if _, _, err := xliff.Export(c, "not a tag", nil); err == nil {
		t.Error("export into a bad language tag")
	}
}

// TestLineEndings translates a course saved with CRLF line ends.
func TestLineEndings(t *testing.T) {
	dir := txtar.CopyDir(t, rich)
	for _, m := range []string{"one.md", "two.md"} {
		p := filepath.Join(dir, "modules", m)
		data, _ := os.ReadFile(p)
		if err := os.WriteFile(p, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lf, _ := export(t, rich, "cy", nil)
	crlf, _ := export(t, dir, "cy", nil)
	if !bytes.Equal(lf.Marshal(), crlf.Marshal()) {
		t.Error("line endings change the export")
	}
	fill(crlf, content, func(s string) string { return "CY: " + s })
	out, rep := importTo(t, dir, crlf)
	for _, is := range rep.Untranslated {
		if is.File != xliff.InterfaceFile {
			t.Errorf("untranslated: %+v", is)
		}
	}
	c := load(t, out)
	if got := string(c.Modules[0].Pages[0].HTML); !strings.Contains(got, "<p>CY: A quoted paragraph on two lines") {
		t.Errorf("page: %s", got)
	}
}
