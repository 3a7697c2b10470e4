package course

import (
	"reflect"
	"strings"
	"testing"
)

// TestLoadFacts checks what the loader records for package lint: each
// heading, link, picture, file and question answer where it is written, the
// places of completion and mastery_score, and pages that show nothing.
func TestLoadFacts(t *testing.T) {
	dir := writeCourse(t, map[string]string{
		"course.yaml": `id: https://example.org/courses/x
title: Facts
language: en-GB
completion: passed
mastery_score: 80
raw_html: true
theme:
  logo: assets/logo.png
modules:
  - modules/one.md
  - modules/two.md
`,
		"assets/logo.png": "png",
		"media/talk.mp3":  "mp3",
		"modules/one.md": `---
id: one
title: One
completion: pages-and-passed
mastery_score: 50
---
## Start

![](../assets/logo.png "decorative") ![Logo](../assets/logo.png "Our logo")
See [two](two.md#detail), [here](#sub), https://example.org/x and
<a href="https://example.com:8080/y">raw</a> <img src="../assets/logo.png">.

### Sub

::: audio src=../media/talk.mp3
Talk.
:::

::: question id=q1 type=text
Say it.

- First
-   Second one
:::

+++

Empty
=====
`,
		"modules/two.md": `---
id: two
title: Two
completion: pages
---
## Detail

[mail](mailto:a@example.org)
`,
	})
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	at := func(file string, line, col int) Pos { return Pos{File: file, Line: line, Col: col} }
	one, two := c.Modules[0], c.Modules[1]
	checks := []struct {
		name      string
		got, want any
	}{
		{"course completion", c.CompletionAt, at("course.yaml", 4, 13)},
		{"course mastery", c.MasteryAt, at("course.yaml", 5, 16)},
		{"theme files", c.ThemeFiles, []FileRef{{at("course.yaml", 8, 9), "assets/logo.png"}}},
		{"module completion", one.CompletionAt, at("modules/one.md", 4, 13)},
		{"module mastery", one.MasteryAt, at("modules/one.md", 5, 16)},
		{"no mastery of its own", two.MasteryAt, Pos{}},
		{"headings", one.Pages[0].Headings, []Heading{
			{at("modules/one.md", 7, 1), 2, "start"},
			{at("modules/one.md", 13, 1), 3, "sub"},
		}},
		{"setext heading", one.Pages[1].Headings, []Heading{{at("modules/one.md", 28, 1), 1, "empty"}}},
		{"links", one.Pages[0].Links, []Link{
			{At: at("modules/one.md", 10, 5), URL: "two.md#detail", Module: "two", Fragment: "detail"},
			{At: at("modules/one.md", 10, 27), URL: "#sub", Module: "one", Fragment: "sub"},
			{At: at("modules/one.md", 10, 40), URL: "https://example.org/x", Host: "example.org"},
			{At: at("modules/one.md", 11, 1), URL: "https://example.com:8080/y", Host: "example.com:8080"},
		}},
		{"mailto is no host", two.Pages[0].Links, []Link(nil)},
		{"images", one.Pages[0].Images, []Image{
			{At: at("modules/one.md", 9, 1), Src: "../assets/logo.png", Decorative: true},
			{At: at("modules/one.md", 9, 38), Src: "../assets/logo.png", Alt: "Logo"},
			{At: at("modules/one.md", 11, 46), Src: "../assets/logo.png", Raw: true},
		}},
		{"files", one.Pages[0].Files, []FileRef{
			{at("modules/one.md", 9, 1), "assets/logo.png"},
			{at("modules/one.md", 9, 38), "assets/logo.png"},
			{at("modules/one.md", 11, 46), "assets/logo.png"},
			{at("modules/one.md", 15, 15), "media/talk.mp3"},
		}},
		{"question", one.Questions[0].At, at("modules/one.md", 19, 1)},
		{"answers", one.Questions[0].AnswersAt, []Pos{at("modules/one.md", 22, 3), at("modules/one.md", 23, 5)}},
		{"bare", []bool{one.Pages[0].Bare, one.Pages[1].Bare, two.Pages[0].Bare}, []bool{false, true, false}},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %+v, want %+v", ch.name, ch.got, ch.want)
		}
	}
	// A decorative picture loses the title that marks it.
	html := string(one.Pages[0].HTML)
	if !strings.Contains(html, `<img src="assets/logo.png" alt="">`) || strings.Contains(html, `title="decorative"`) {
		t.Errorf("a decorative picture renders as\n%s", html)
	}
	if !strings.Contains(html, `title="Our logo"`) {
		t.Errorf("another picture's title is lost:\n%s", html)
	}
}
