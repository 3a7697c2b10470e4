package xapi

import (
	"bytes"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
)

// sampleCourse is a small course built by hand, so the manifest tests do not
// depend on the loader: one module passed by score with a question of each
// type, one completed by its pages.
func sampleCourse() *course.Course {
	pass := 80
	photo := &course.Asset{Path: "assets/bike.jpg"}
	return &course.Course{
		ID:          "https://example.org/courses/leading-well",
		Title:       "Leading Well & Wisely",
		Description: "A course about <leading> well.",
		Language:    "en-GB",
		Version:     "2.1.0",
		Duration:    90 * time.Minute,
		Completion:  course.CompletionPagesAndPassed,
		// The modules set their own pass marks, as the loader would copy
		// the course's.
		MasteryScore: &pass,
		Modules: []*course.Module{
			{
				ID: "purpose", Title: "Leadership and purpose", Completion: course.CompletionPagesAndPassed, MasteryScore: &pass,
				Objectives: []string{"Say what a purpose is for", "Write your team's purpose"},
				Questions: []*course.Question{
					{ID: "q-single", Type: course.SingleChoice, Prompt: "<p>Which of these is a <em>purpose</em>?</p>", Options: []*course.Option{
						{ID: "a", Text: "To sell &amp; grow"}, {ID: "b", Text: "To help people read", Correct: true}, {ID: "c", Text: "A logo"},
					}},
					{ID: "q-multiple", Type: course.MultipleChoice, Prompt: "<p>Pick the two habits.</p>", Options: []*course.Option{
						{ID: "a", Text: "Listening", Correct: true}, {ID: "b", Text: "Shouting"}, {ID: "c", Text: "Asking", Correct: true},
					}},
					{ID: "q-tf", Type: course.TrueFalse, Prompt: "<p>A purpose never changes.</p>", Options: []*course.Option{
						{ID: "t", Text: "True"}, {ID: "f", Text: "False", Correct: true},
					}},
					{ID: "q-text", Type: course.TextMatch, Prompt: "<p>Name the first step.</p>", Answers: []string{"Listen", " ask "}},
				},
				Reflections: []*course.Reflection{{ID: "r-purpose", Prompt: "<p>What is <strong>your</strong> purpose?</p>"}},
				Assets:      []*course.Asset{photo},
			},
			{ID: "change", Title: "Change and transition", Completion: course.CompletionPages},
		},
		Assets: []*course.Asset{photo},
	}
}

func plans(t *testing.T, c *course.Course, layout format.Layout) []bundle.Plan {
	t.Helper()
	p, err := bundle.Plans(c, layout)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func serialise(t *testing.T, doc *etree.Document) []byte {
	t.Helper()
	doc.Indent(2)
	data, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkDeclaration asserts the file starts with the XML declaration, with
// no byte order mark.
func checkDeclaration(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n")) {
		t.Errorf("file does not start with the XML declaration: %.60q", data)
	}
}

// checkIRI asserts s is an absolute IRI with no white space.
func checkIRI(t *testing.T, what, s string) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "") || strings.ContainsAny(s, " \t\n") {
		t.Errorf("%s %q is not an absolute IRI", what, s)
	}
}

// checkOrder asserts that the children of el appear in the order given
// (each zero or more times, none other).
func checkOrder(t *testing.T, el *etree.Element, order ...string) {
	t.Helper()
	last := -1
	for _, ch := range el.ChildElements() {
		i := slices.Index(order, ch.Tag)
		if i < 0 {
			t.Errorf("<%s> holds <%s>, which the schema does not allow there", el.Tag, ch.Tag)
			continue
		}
		if i < last {
			t.Errorf("<%s>: <%s> comes after <%s>; the schema order is %v", el.Tag, ch.Tag, order[last], order)
		}
		last = i
	}
}

func TestIRIScheme(t *testing.T) {
	for _, id := range []string{"https://example.org/courses/leading-well", "https://example.org/courses/leading-well/"} {
		if got, want := ModuleIRI(id, "purpose"), "https://example.org/courses/leading-well/purpose"; got != want {
			t.Errorf("ModuleIRI(%q) = %q, want %q", id, got, want)
		}
		if got, want := QuestionIRI(id, "purpose", "q1"), "https://example.org/courses/leading-well/purpose/q1"; got != want {
			t.Errorf("QuestionIRI(%q) = %q, want %q", id, got, want)
		}
		if got, want := AllModulesIRI(id), "https://example.org/courses/leading-well/_all"; got != want {
			t.Errorf("AllModulesIRI(%q) = %q, want %q", id, got, want)
		}
		if got, want := SplitCourseIRI(id, "purpose"), "https://example.org/courses/leading-well/_split/purpose"; got != want {
			t.Errorf("SplitCourseIRI(%q) = %q, want %q", id, got, want)
		}
	}
	// Module ids that look like the reserved segments still get IRIs of
	// their own, since ids start with a letter.
	c := "urn:example:course"
	seen := map[string]string{c: "course"}
	add := func(what, iri string) {
		checkIRI(t, what, iri)
		if prev, dup := seen[iri]; dup {
			t.Errorf("%s and %s share the IRI %q", prev, what, iri)
		}
		seen[iri] = what
	}
	add("all modules", AllModulesIRI(c))
	for _, m := range []string{"all", "split", "course", "a"} {
		add("module "+m, ModuleIRI(c, m))
		add("split course "+m, SplitCourseIRI(c, m))
		for _, q := range []string{"all", "q1", "split"} {
			add("question "+m+"/"+q, QuestionIRI(c, m, q))
		}
	}
}

func TestLang(t *testing.T) {
	c := sampleCourse()
	if lang(c) != "en-GB" {
		t.Errorf("lang = %q, want en-GB", lang(c))
	}
	c.Language = ""
	if lang(c) != "und" {
		t.Errorf("lang of a course without a language = %q, want und", lang(c))
	}
}

func TestPlainText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"<p>Which of these is a <em>purpose</em>?</p>", "Which of these is a purpose?"},
		{"To sell &amp; grow", "To sell & grow"},
		{"<p>One</p>\n<p>Two</p>", "One Two"},
		{"<ul><li>a</li><li>b</li></ul>", "a b"},
		{"Line<br>break", "Line break"},
		{"", ""},
	} {
		if got := plainText(template.HTML(tt.in)); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := shorten(strings.Repeat("é", 200), 120); len([]rune(got)) != 120 || !strings.HasSuffix(got, "…") {
		t.Errorf("shorten kept %d characters: %q", len([]rune(got)), got)
	}
}

func TestFormatNames(t *testing.T) {
	if (TinCan{}).Name() != "xapi" || (CMI5{}).Name() != "cmi5" {
		t.Errorf("names are %q and %q, want xapi and cmi5", TinCan{}.Name(), CMI5{}.Name())
	}
	for _, f := range []format.Format{TinCan{}, CMI5{}} {
		if f.Description() == "" {
			t.Errorf("%s has no description", f.Name())
		}
	}
}
