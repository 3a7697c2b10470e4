package templates

import (
	"encoding/json"
	"html/template"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/internal/golden"
)

// budgetCourse has every part the state holds: questions of each type,
// with and without an attempts limit, reflections with and without a cap,
// an action plan, and more pages than one hex digit of the seen bitmap.
func budgetCourse() *course.Course {
	opts := func(ids string, correct string) []*course.Option {
		var out []*course.Option
		for _, id := range strings.Split(ids, "") {
			out = append(out, &course.Option{ID: id, Correct: strings.Contains(correct, id)})
		}
		return out
	}
	pages := func(ids ...string) []*course.Page {
		var out []*course.Page
		for _, id := range ids {
			out = append(out, &course.Page{ID: id, Title: id, HTML: "<p>x</p>"})
		}
		return out
	}
	c := &course.Course{ID: "https://example.org/budget", Title: "Budget", Language: "en-GB", Completion: course.CompletionPagesAndPassed, MasteryScore: intp(75)}
	c.Modules = []*course.Module{
		{
			ID: "checks", Title: "Checks", Completion: course.CompletionPassed,
			Pages: pages("one", "two", "a-rather-longer-page-id"),
			Questions: []*course.Question{
				{ID: "checks-q1", Type: course.SingleChoice, Attempts: 2, Options: opts("abcd", "b")},
				{ID: "checks-q2", Type: course.MultipleChoice, Options: opts("abcdefghijkl", "acf")},
				{ID: "checks-q3", Type: course.TrueFalse, Attempts: 1, Options: []*course.Option{{ID: "t", Correct: true}, {ID: "f"}}},
				{ID: "checks-q4", Type: course.TextMatch, Attempts: 12, Answers: []string{"Paris", "paris, France"}},
			},
			Reflections: []*course.Reflection{
				{ID: "checks-r1", Prompt: "<p>Think <em>hard</em> &amp; write.</p>\n<p>Then more.</p>"},
				{ID: "checks-r2", Prompt: "<p>Short.</p>", MaxLength: 300},
			},
		},
		{
			ID: "plan", Title: "Plan", Completion: course.CompletionPages,
			Pages:       pages("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"),
			Reflections: []*course.Reflection{{ID: "plan-r1", Prompt: "<p>Last one</p>", MaxLength: 50}},
			ActionPlan:  true,
		},
	}
	return c
}

type budgetUnit struct {
	Name   string `json:"name"`
	Config config `json:"config"`
	Worst  int    `json:"worst"`
	Limit  int    `json:"limit"`
}

// TestStateBudgetFixture writes testdata/budget.json: the player config and
// the Go estimate of each unit of budgetCourse. testdata/budget.test.js
// builds the worst-case state from each config with the player's own code
// and checks that its encoding is exactly as long as the estimate.
func TestStateBudgetFixture(t *testing.T) {
	strs, err := i18n.For("en-GB")
	if err != nil {
		t.Fatal(err)
	}
	c := budgetCourse()
	units := []struct {
		name    string
		modules []*course.Module
	}{
		{"checks", c.Modules[:1]},
		{"plan", c.Modules[1:]},
		{"course", c.Modules},
	}
	var out []budgetUnit
	for _, u := range units {
		d, err := newDoc(View{Course: c, Modules: u.modules, Runtime: "scorm12", Strings: strs})
		if err != nil {
			t.Fatal(err)
		}
		d.cfg.T = nil // not needed by the test
		worst, limit := StateBudget(u.modules, "scorm12")
		if limit != 4096 || worst <= 0 {
			t.Errorf("%s: StateBudget = %d, %d", u.name, worst, limit)
		}
		out = append(out, budgetUnit{Name: u.name, Config: d.cfg, Worst: worst, Limit: limit})
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/budget.json", append(data, '\n'))
}

func TestStateBudget(t *testing.T) {
	c := budgetCourse()
	one := []*course.Module{{ID: "m", Pages: []*course.Page{{ID: "a"}}}}
	// {"v":2,"l":"a","m":{"m":{"n":1,"s":"1"}}}
	if w, l := StateBudget(one, "scorm12"); w != len(`{"v":2,"l":"a","m":{"m":{"n":1,"s":"1"}}}`) || l != 4096 {
		t.Errorf("one page: %d, %d", w, l)
	}
	if w, l := StateBudget(nil, "scorm12"); w != 0 || l != 4096 {
		t.Errorf("no modules: %d, %d", w, l)
	}
	if _, l := StateBudget(c.Modules, "web"); l != 0 {
		t.Errorf("web limit = %d, want none", l)
	}
	// Each reflection counts twice its cap (JSON escapes), and the default
	// cap applies when the author set none.
	base, _ := StateBudget(c.Modules[1:], "scorm12")
	c.Modules[1].Reflections[0].MaxLength = 60
	more, _ := StateBudget(c.Modules[1:], "scorm12")
	if more-base != 20 {
		t.Errorf("10 more characters of reflection cost %d, want 20", more-base)
	}
	c.Modules[1].Reflections[0].MaxLength = 0
	def, _ := StateBudget(c.Modules[1:], "scorm12")
	if def-base != 2*(DefaultReflectionMax-50) {
		t.Errorf("default cap costs %d over a cap of 50", def-base)
	}
	whole, _ := StateBudget(c.Modules, "scorm12")
	a, _ := StateBudget(c.Modules[:1], "scorm12")
	b, _ := StateBudget(c.Modules[1:], "scorm12")
	if whole <= a || whole <= b || whole > a+b+40 {
		t.Errorf("course %d, modules %d + %d", whole, a, b)
	}
}

// TestStateBudgetExample reports the budget of the example course, whose
// long reflections cannot all fit SCORM 1.2 at their caps.
func TestStateBudgetExample(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	c, err := course.Load(filepath.Join(filepath.Dir(file), "..", "examples", "stepping-into-leadership"))
	if err != nil {
		t.Fatalf("example course: %v", err)
	}
	for _, m := range c.Modules {
		w, l := StateBudget([]*course.Module{m}, "scorm12")
		t.Logf("%-32s worst %6d of %d", m.ID, w, l)
		if w <= 0 {
			t.Errorf("%s: no estimate", m.ID)
		}
	}
	w, l := StateBudget(c.Modules, "scorm12")
	t.Logf("%-32s worst %6d of %d", "(whole course)", w, l)
}

func TestPlainText(t *testing.T) {
	got := plainText(template.HTML("<p>Think <em>hard</em> &amp; write.</p>\n<p>Then   more.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"))
	want := "Think hard & write.\nThen more.\none\ntwo"
	if got != want {
		t.Errorf("plainText = %q, want %q", got, want)
	}
}
