package course

import (
	"errors"
	"html/template"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// loadGood loads testdata/good, failing the test on any error.
func loadGood(t *testing.T) *Course {
	t.Helper()
	dir := filepath.Join("testdata", "good")
	before := snapshot(t, dir)
	c, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("Load changed the course folder")
	}
	return c
}

func TestLoadGoodCourse(t *testing.T) {
	c := loadGood(t)
	abs, _ := filepath.Abs(filepath.Join("testdata", "good"))
	score80 := 80
	checks := []struct {
		name      string
		got, want any
	}{
		{"Dir", c.Dir, abs},
		{"ID", c.ID, "https://example.org/courses/safe-lifting"},
		{"Title", c.Title, "Safe lifting"},
		{"Description", c.Description, "A short course on lifting loads safely at work."},
		{"Language", c.Language, "en-GB"},
		{"Version", c.Version, "2.1"},
		{"Publisher", c.Publisher, "Example Training"},
		{"Authors", c.Authors, []string{"Ann Author", "Bob Writer"}},
		{"Keywords", c.Keywords, []string{"lifting", "safety"}},
		{"Licence", c.Licence, "CC-BY-4.0"},
		{"Duration", c.Duration, 90 * time.Minute},
		{"Completion", c.Completion, CompletionPages},
		{"MasteryScore", c.MasteryScore, &score80},
		{"Theme.Logo", c.Theme.Logo.Path, "assets/logo.png"},
		{"Theme.Colours", c.Theme.Colours, map[string]string{"primary": "#1d4f91", "accent": "#d67200", "background": "#ffffff", "text": "#222"}},
		{"module count", len(c.Modules), 3},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
	if t.Failed() {
		return
	}

	type moduleWant struct {
		id, source, title string
		duration          time.Duration
		objectives        []string
		completion        Completion
		mastery           int
		pages             []string // ID: Title
		questions         []string
		reflections       []string
		actionPlan        bool
		assets            []string
	}
	modules := []moduleWant{
		{
			id: "welcome", source: "modules/01-welcome.md", title: "Welcome to safe lifting",
			duration:   20 * time.Minute,
			objectives: []string{"Explain why safe lifting matters", "Recognise a risky lift"},
			completion: CompletionPages, mastery: 80,
			pages:  []string{"welcome: Welcome", "watch-first: Watch first", "watch-first-2: Watch first"},
			assets: []string{"assets/diagram.png", "assets/lifting guide.pdf", "media/intro.mp4", "media/intro.vtt", "media/poster.jpg", "media/talk.mp3"},
		},
		{
			id: "practice", source: "modules/02-practice.md", title: "Practice",
			completion: CompletionPagesAndPassed, mastery: 75,
			pages:       []string{"check-your-knowledge: Check your knowledge", "true-or-false: True or false"},
			questions:   []string{"q-bend", "q-checks", "q-twist", "q-word"},
			reflections: []string{"r-habits"},
			assets:      []string{"assets/diagram.png"},
		},
		{
			id: "plan", source: "modules/03-plan.md", title: "Your action plan",
			completion: CompletionPages, mastery: 80,
			pages:       []string{"plan-your-next-steps: Plan your next steps"},
			reflections: []string{"r-plan"},
			actionPlan:  true,
		},
	}
	for i, w := range modules {
		m := c.Modules[i]
		var pages, questions, reflections, assets []string
		for _, p := range m.Pages {
			pages = append(pages, p.ID+": "+p.Title)
		}
		for _, q := range m.Questions {
			questions = append(questions, q.ID)
		}
		for _, r := range m.Reflections {
			reflections = append(reflections, r.ID)
		}
		for _, a := range m.Assets {
			assets = append(assets, a.Path)
		}
		mastery := -1
		if m.MasteryScore != nil {
			mastery = *m.MasteryScore
		}
		got := moduleWant{m.ID, m.Source, m.Title, m.Duration, m.Objectives, m.Completion, mastery, pages, questions, reflections, m.ActionPlan, assets}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("module %d:\n got %+v\nwant %+v", i+1, got, w)
		}
	}

	// Every referenced file once, sorted, with its size; the unreferenced
	// assets/unused.png is left out.
	var assets []string
	for _, a := range c.Assets {
		assets = append(assets, a.Path)
		if a.Abs != filepath.Join(abs, filepath.FromSlash(a.Path)) {
			t.Errorf("asset %s: Abs = %s", a.Path, a.Abs)
		}
	}
	wantAssets := []string{"assets/diagram.png", "assets/lifting guide.pdf", "assets/logo.png", "media/intro.mp4", "media/intro.vtt", "media/poster.jpg", "media/talk.mp3"}
	if !reflect.DeepEqual(assets, wantAssets) {
		t.Errorf("assets = %q, want %q", assets, wantAssets)
	}
	if len(c.Assets) == len(wantAssets) {
		if c.Assets[0].Size != int64(len("PNGDIAGRAM!")) {
			t.Errorf("diagram size = %d", c.Assets[0].Size)
		}
		if c.Theme.Logo != c.Assets[2] {
			t.Errorf("Theme.Logo is not the Asset of Course.Assets")
		}
		if c.Modules[1].Assets[0] != c.Assets[0] {
			t.Errorf("module assets are not the course's Asset values")
		}
	}
}

func TestLoadGoodQuestions(t *testing.T) {
	c := loadGood(t)
	byID := map[string]*Question{}
	for _, m := range c.Modules {
		for _, q := range m.Questions {
			byID[q.ID] = q
		}
	}
	opts := func(opts ...*Option) []*Option { return opts }
	tests := []struct {
		id   string
		want *Question
	}{
		{"q-bend", &Question{
			ID: "q-bend", Type: SingleChoice, Attempts: 2,
			Prompt: "<p>When lifting from the floor, what should you bend?</p>",
			Options: opts(
				&Option{ID: "a", Text: "Your back", Feedback: "<p>Bending your back strains the discs.</p>"},
				&Option{ID: "b", Text: "Your <strong>knees</strong>", Correct: true, Feedback: "<p>Right: your legs take the load.</p>"},
				&Option{ID: "c", Text: "Nothing"},
			),
			Explanation: "<p>Your legs are stronger than your back.</p>",
		}},
		{"q-checks", &Question{
			ID: "q-checks", Type: MultipleChoice,
			Prompt: "<p>Which checks come before a lift? Choose all that apply.</p>",
			Options: opts(
				&Option{ID: "a", Text: "The weight of the load", Correct: true},
				&Option{ID: "b", Text: "The route", Correct: true},
				&Option{ID: "c", Text: "The colour of the box"},
			),
		}},
		{"q-twist", &Question{
			ID: "q-twist", Type: TrueFalse,
			Prompt: "<p>Twisting while lifting is safe.</p>",
			Options: opts(
				&Option{ID: "t", Text: "True"},
				&Option{ID: "f", Text: "False", Correct: true, Feedback: "<p>Twisting while holding a load strains your spine.</p>"},
			),
		}},
		{"q-word", &Question{
			ID: "q-word", Type: TextMatch,
			Prompt: "<p>Read the label on the box.</p>\n" +
				`<p><img src="assets/diagram.png" alt="Box label"></p>` + "\n" +
				"<p>Which word on a label warns that a load is heavy?</p>",
			// Answers are taken as written: no curly apostrophe.
			Answers: []string{"Heavy", "Don't lift"},
		}},
	}
	for _, tt := range tests {
		got := byID[tt.id]
		if got != nil {
			// Positions are checked by TestLoadFacts.
			g := *got
			g.At, g.AnswersAt = Pos{}, nil
			got = &g
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("question %s:\n got %s\nwant %s", tt.id, dumpQuestion(got), dumpQuestion(tt.want))
		}
	}

	wantReflections := []Reflection{
		{ID: "r-habits", Prompt: "<p>Think about a lift you did last week. What would you change?</p>", MaxLength: 500},
		{ID: "r-plan", Prompt: "<p>What is your first step?</p>"},
	}
	var got []Reflection
	for _, m := range c.Modules {
		for _, r := range m.Reflections {
			got = append(got, *r)
		}
	}
	if !reflect.DeepEqual(got, wantReflections) {
		t.Errorf("reflections = %+v, want %+v", got, wantReflections)
	}
}

func dumpQuestion(q *Question) string {
	if q == nil {
		return "<nil>"
	}
	s := strings.Builder{}
	s.WriteString(strings.Join([]string{q.ID, string(q.Type), string(q.Prompt), string(q.Explanation)}, " | "))
	for _, o := range q.Options {
		s.WriteString("\n  option " + o.ID + " " + string(o.Text) + " correct=" + map[bool]string{true: "yes", false: "no"}[o.Correct] + " feedback=" + string(o.Feedback))
	}
	s.WriteString("\n  answers " + strings.Join(q.Answers, " / "))
	return s.String()
}

func TestLoadGoodHTML(t *testing.T) {
	c := loadGood(t)
	page := func(module, id string) template.HTML {
		for _, m := range c.Modules {
			for _, p := range m.Pages {
				if m.ID == module && p.ID == id {
					return p.HTML
				}
			}
		}
		t.Fatalf("no page %s/%s", module, id)
		return ""
	}
	tests := []struct {
		module, page string
		want         []string
		not          []string
	}{
		{"welcome", "welcome", []string{
			`It&rsquo;s short.`, // typographer
			`<img src="assets/diagram.png" alt="A diagram of a safe lift" title="Safe lift">`,
			"<th>Step</th>",
			`<a href="assets/lifting%20guide.pdf#page=2">handout</a>`,
			`<a href="https://example.org/guide">https://example.org/guide</a>`, // linkify
			`<sup id="welcome-fnref:1"><a href="#welcome-fn:1"`,
			`<li id="welcome-fn:1">`,
			"<p>Health and Safety Executive guidance.",
			`<aside class="cp-callout cp-callout-note"><p class="cp-callout-title">Note</p>` + "\n<p>Take breaks between pages.</p>\n</aside>",
		}, []string{"Recorded in 2024", `<h1 id="welcome">Welcome</h1>`}},
		{"welcome", "watch-first", []string{
			`<figure class="cp-media"><video controls preload="metadata" src="media/intro.mp4" poster="media/poster.jpg">` +
				`<track kind="captions" src="media/intro.vtt" srclang="en-GB" label="Captions" default></video>` +
				"<figcaption>\n<p>A trainer shows a safe lift from start to finish.</p>\n</figcaption></figure>",
			`<figure class="cp-media"><audio controls preload="metadata" src="media/talk.mp3"></audio><figcaption>`,
			`<sup id="watch-first-fnref:1">`,
			"Recorded in 2024.",
			// +++ and ::: inside fenced code are text.
			"<pre><code class=\"language-text\">+++\n::: not a block\n</code></pre>",
		}, []string{"Health and Safety"}},
		{"welcome", "watch-first-2", []string{
			`<aside class="cp-callout cp-callout-tip"><p class="cp-callout-title">Tip</p>`,
		}, nil},
		{"practice", "check-your-knowledge", []string{
			`<form class="cp-question" id="q-q-bend" data-question="q-bend" data-type="single" data-attempts="2">` + "\n" +
				`<fieldset><legend class="cp-question-prompt">When lifting from the floor, what should you bend?</legend>` + "\n" +
				`<div class="cp-option"><input type="radio" name="q-bend" id="q-bend-a" value="a"><label for="q-bend-a">Your back</label></div>` + "\n" +
				`<div class="cp-option"><input type="radio" name="q-bend" id="q-bend-b" value="b"><label for="q-bend-b">Your <strong>knees</strong></label></div>` + "\n" +
				`<div class="cp-option"><input type="radio" name="q-bend" id="q-bend-c" value="c"><label for="q-bend-c">Nothing</label></div>` + "\n" +
				`</fieldset><button type="submit" class="cp-check">Check answer</button><div class="cp-feedback" role="status" aria-live="polite"></div>` + "\n" +
				`<template class="cp-option-feedback" data-option="a"><p>Bending your back strains the discs.</p></template>` + "\n" +
				`<template class="cp-option-feedback" data-option="b"><p>Right: your legs take the load.</p></template>` + "\n" +
				`<template class="cp-explanation"><p>Your legs are stronger than your back.</p></template>` + "\n" +
				`</form>`,
			`data-type="multiple" data-attempts="0">`,
			`<input type="checkbox" name="q-checks" id="q-checks-c" value="c">`,
		}, []string{"checked", "[x]", "[ ]", "correct"}},
		{"practice", "true-or-false", []string{
			`<input type="radio" name="q-twist" id="q-twist-t" value="t"><label for="q-twist-t">True</label>`,
			`<input type="radio" name="q-twist" id="q-twist-f" value="f"><label for="q-twist-f">False</label>`,
			`<template class="cp-option-feedback" data-option="f">`,
			// The prompt's extra blocks go before the fieldset; its first
			// paragraph is the legend.
			`<form class="cp-question" id="q-q-word" data-question="q-word" data-type="text" data-attempts="0">` + "\n" +
				`<div class="cp-question-body"><p><img src="assets/diagram.png" alt="Box label"></p>` + "\n" +
				`<p>Which word on a label warns that a load is heavy?</p></div>` + "\n" +
				`<fieldset><legend class="cp-question-prompt">Read the label on the box.</legend>` + "\n" +
				`<label for="q-word-answer">Your answer</label><input type="text" id="q-word-answer" name="q-word" autocomplete="off">` + "\n" +
				`</fieldset>`,
			`<div class="cp-reflection" data-reflection="r-habits" data-max="500"><div class="cp-reflection-prompt" id="r-r-habits-prompt">` + "\n" +
				"<p>Think about a lift you did last week. What would you change?</p>\n" +
				`</div><label for="r-r-habits" class="cp-visually-hidden">Your reflection</label>` +
				`<textarea id="r-r-habits" name="r-habits" rows="6" maxlength="500" aria-describedby="r-r-habits-prompt"></textarea></div>`,
			`<aside class="cp-callout cp-callout-important"><p class="cp-callout-title">Important</p>`,
			`<aside class="cp-callout cp-callout-buddy"><p class="cp-callout-title">Talk it through</p>`,
		}, []string{"Heavy", "Don't lift", "Don&rsquo;t lift"}},
		{"plan", "plan-your-next-steps", []string{
			`<a href="welcome.html#welcome">the welcome</a>`,
			"<section class=\"cp-action-plan\" data-action-plan>\n<p>Write down three things you will do differently.</p>\n</section>",
			`<textarea id="r-r-plan" name="r-plan" rows="6" aria-describedby="r-r-plan-prompt"></textarea>`,
		}, []string{"maxlength"}},
	}
	for _, tt := range tests {
		html := string(page(tt.module, tt.page))
		for _, w := range tt.want {
			if !strings.Contains(html, w) {
				t.Errorf("page %s/%s lacks\n%s\nin\n%s", tt.module, tt.page, w, html)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(html, n) {
				t.Errorf("page %s/%s contains %q", tt.module, tt.page, n)
			}
		}
	}
}

func TestLoadNotAFolder(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing"))
	var errs Errors
	if err == nil || errors.As(err, &errs) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing folder) = %v, want a wrapped fs.ErrNotExist that is not Errors", err)
	}
}
