package course

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// footnotePrefixAttr is the Document attribute that holds the prefix of a
// page's footnote ids, so that the footnotes of the pages of a module do not
// share ids.
const footnotePrefixAttr = "data-cp-footnote-prefix"

// newMarkdown returns the goldmark set-up for pages: GitHub Flavored
// Markdown, footnotes, typographic punctuation, heading ids and the course
// blocks. Raw HTML is left out of the output (goldmark's default) unless
// the course allows it, and then sanitised (rawhtml.go). Table cells are
// aligned with align attributes: the page's Content-Security-Policy blocks
// style attributes.
func (l *loader) newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.Linkify,
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.TaskList,
			safeHTML{},
			extension.NewFootnote(extension.WithFootnoteIDPrefixFunction(footnotePrefix)),
			extension.Typographer,
			courseBlocks{l},
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// footnotePrefix returns the footnote id prefix of the page n belongs to.
func footnotePrefix(n ast.Node) []byte {
	for ; n != nil; n = n.Parent() {
		if doc, ok := n.(*ast.Document); ok {
			if v, ok := doc.AttributeString(footnotePrefixAttr); ok {
				if b, ok := v.([]byte); ok {
					return b
				}
			}
		}
	}
	return nil
}

// pageReader reads one page of a module.
type pageReader struct {
	l      *loader
	m      *moduleFile
	src    []byte // the page's Markdown
	base   int    // offset of src in the module file
	number int    // 1-based page number
	// facts gathers what the page's source holds for package lint
	// (Page.Headings, Links, Images and Files).
	facts Page
}

// at locates offset off of the page source in the module file.
func (p *pageReader) at(off int) Pos {
	line, col := p.m.lines.pos(p.base + off)
	return Pos{File: p.m.rel, Line: line, Col: col}
}

// errorAt reports a problem at offset off of the page source.
func (p *pageReader) errorAt(off int, format string, args ...any) {
	line, col := p.m.lines.pos(p.base + off)
	p.l.errs.add(p.m.rel, line, col, format, args...)
}

// lineOf returns the file line of offset off of the page source.
func (p *pageReader) lineOf(off int) int {
	line, _ := p.m.lines.pos(p.base + off)
	return line
}

// readPage parses, checks and renders one page; pageIDs counts the page ids
// of the module so far.
func (l *loader) readPage(m *moduleFile, span pageSpan, number int, pageIDs map[string]bool) {
	src := append([]byte(nil), m.data[span.start:span.end]...)
	if !bytes.HasSuffix(src, []byte("\n")) {
		src = append(src, '\n')
	}
	p := &pageReader{l: l, m: m, src: src, base: span.start, number: number}
	if !p.checkShape() {
		return
	}
	pc := parser.NewContext(parser.WithIDs(m.ids))
	doc := l.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	p.checkNodes(doc)
	p.sanitizeRawHTML(doc)

	title := ""
	var heading *ast.Heading
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			heading = h
			break
		}
	}
	if heading == nil {
		off := len(src) - len(bytes.TrimLeft(src, " \t\r\n"))
		p.errorAt(off, "page %d has no heading; start each page with a heading such as `## Title`", number)
	} else if title = strings.TrimSpace(plainText(heading, src)); title == "" {
		p.errorAt(nodePos(heading), "the heading of page %d is empty; give the page a title", number)
	}
	id := slug(title)
	if id == "" {
		id = "page"
	}
	for n, base := 2, id; pageIDs[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	pageIDs[id] = true
	doc.SetAttributeString(footnotePrefixAttr, []byte(id+"-"))

	p.extract(doc)
	if heading != nil {
		// The player shows the title itself, at the heading level its layout
		// needs, and moves focus to it when the page changes.
		doc.RemoveChild(doc, heading)
	}

	buf := getBuffer()
	defer putBuffer(buf)
	if err := l.renderTo(buf, src, doc); err != nil {
		l.fail(fmt.Errorf("course: rendering %s page %d: %w", m.rel, number, err))
		return
	}
	page := &Page{ID: id, Title: title, HTML: template.HTML(buf.String()), Bare: !shows(buf.Bytes())}
	// Raw HTML is read after the Markdown: put its links and pictures in
	// place.
	page.Headings = p.facts.Headings
	page.Links = sortedByPos(p.facts.Links, func(k Link) Pos { return k.At })
	page.Images = sortedByPos(p.facts.Images, func(i Image) Pos { return i.At })
	page.Files = sortedByPos(p.facts.Files, func(f FileRef) Pos { return f.At })
	m.module.Pages = append(m.module.Pages, page)
}

// shows reports whether rendered HTML shows anything: whether it holds
// more than space and comments (such as goldmark's "raw HTML omitted").
func shows(html []byte) bool {
	for {
		html = bytes.TrimSpace(html)
		if !bytes.HasPrefix(html, []byte("<!--")) {
			return len(html) > 0
		}
		end := bytes.Index(html[4:], []byte("-->"))
		if end < 0 {
			return true
		}
		html = html[4+end+3:]
	}
}

// sortedByPos sorts list by the line and column of each item, keeping the
// order of items at one place.
func sortedByPos[T any](list []T, at func(T) Pos) []T {
	slices.SortStableFunc(list, func(a, b T) int {
		pa, pb := at(a), at(b)
		if pa.Line != pb.Line {
			return pa.Line - pb.Line
		}
		return pa.Col - pb.Col
	})
	return list
}

// nodePos returns the source offset of n, or of its nearest ancestor with
// a known position.
func nodePos(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Pos() >= 0 {
			return n.Pos()
		}
	}
	return 0
}

// checkNodes reports problems of course blocks' syntax and rewrites the
// URLs of links and images.
func (p *pageReader) checkNodes(doc ast.Node) {
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := node.(type) {
		case *ast.Heading:
			h := Heading{At: p.at(nodePos(n)), Level: n.Level}
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					h.ID = string(b)
				}
			}
			p.facts.Headings = append(p.facts.Headings, h)
		case *ast.Link:
			n.Destination = p.rewriteURL(nodePos(n), n.Destination, "link")
		case *ast.Image:
			p.image(n)
			n.Destination = p.rewriteURL(nodePos(n), n.Destination, "image")
		case *ast.AutoLink:
			addr := string(n.URL(p.src))
			if s := dangerousScheme(addr); s != "" {
				p.errorAt(nodePos(n), "links to %s: addresses are not allowed; link to a web page or a file in the course folder", s)
			} else if u, err := url.Parse(addr); err == nil && n.AutoLinkType == ast.AutoLinkURL && u.Host != "" {
				p.facts.Links = append(p.facts.Links, Link{At: p.at(nodePos(n)), URL: addr, Host: u.Host})
			}
		case *blockNode:
			p.checkBlock(n)
		}
		return ast.WalkContinue, nil
	})
}

// decorative is the title that marks a picture without alt text as
// decorative: ![](x.png "decorative").
const decorative = "decorative"

// image records a Markdown picture for lint. A picture marked decorative
// loses the title that marks it, so that it renders as <img alt="">.
func (p *pageReader) image(n *ast.Image) {
	img := Image{At: p.at(nodePos(n)), Src: string(n.Destination), Alt: strings.TrimSpace(plainText(n, p.src))}
	if img.Alt == "" && string(n.Title) == decorative {
		img.Decorative = true
		n.Title = nil
	}
	p.facts.Images = append(p.facts.Images, img)
}

// checkBlock reports the problems of a course block's opening line and
// structure.
func (p *pageReader) checkBlock(n *blockNode) {
	for _, pr := range n.problems {
		p.errorAt(pr.off, "%s", pr.msg)
	}
	switch {
	case n.stray:
		p.errorAt(n.start, "this `:::` closes no block; remove it, or open a block above it with a line such as `::: note`")
		return
	case !n.closed:
		p.errorAt(n.start, "unclosed ::: %s block (opened at line %d); close it with a line `:::`", n.name, p.lineOf(n.start))
	}
	if n.outer != nil {
		p.errorAt(n.start, "::: %s is inside the ::: %s block opened at line %d; course blocks cannot be nested, so close that block first", n.name, n.outer.name, p.lineOf(n.outer.start))
	}
	if n.kind == kindQuestion {
		p.m.questionBlocks++
		p.countQuestion(n)
	}
}

// rewriteURL checks the destination of a link or image and returns the URL
// to render: web addresses pass through, files of the course become
// course-relative paths and links to module files become MODULE-ID.html.
func (p *pageReader) rewriteURL(off int, dest []byte, what string) []byte {
	raw := string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest))))
	ref := strings.TrimSpace(raw)
	if ref == "" {
		return dest
	}
	if strings.HasPrefix(ref, "#") {
		if what == "link" && len(ref) > 1 {
			frag := ref[1:]
			if u, err := url.Parse(ref); err == nil {
				frag = u.Fragment
			}
			p.facts.Links = append(p.facts.Links, Link{At: p.at(off), URL: ref, Module: p.m.module.ID, Fragment: frag})
		}
		return dest
	}
	if s := dangerousScheme(ref); s != "" {
		if what == "image" {
			p.errorAt(off, "images from %s: addresses are not allowed; use a picture file in the course folder", s)
		} else {
			p.errorAt(off, "links to %s: addresses are not allowed; link to a web page or a file in the course folder", s)
		}
		return dest
	}
	local := ref
	var u *url.URL
	if !windowsAbs.MatchString(ref) && !strings.Contains(ref, `\`) {
		var err error
		u, err = url.Parse(ref)
		if err != nil {
			p.errorAt(off, "%s address %s is not valid; check its spelling", what, quote(ref))
			return dest
		}
		if strings.EqualFold(u.Scheme, "file") {
			p.errorAt(off, "%s %s uses file:, which points at your own computer; put the file in the course folder and use a relative path", what, quote(ref))
			return dest
		}
		if u.Scheme != "" || u.Host != "" {
			if what == "image" {
				p.errorAt(off, "image %s is on another host; a package requests nothing from other hosts, so put the picture in the course folder", quote(ref))
			} else if u.Host != "" {
				p.facts.Links = append(p.facts.Links, Link{At: p.at(off), URL: ref, Host: u.Host})
			}
			return dest
		}
		if u.Path == "" {
			return dest
		}
		local = u.Path
	}
	rel, size, msg, err := p.l.resolveFile(p.m.dir(), local)
	switch {
	case err != nil:
		p.l.fail(err)
		return dest
	case msg != "":
		p.errorAt(off, "%s", msg)
		return dest
	}
	suffix := ""
	if u != nil && u.RawQuery != "" {
		suffix += "?" + u.RawQuery
	}
	if u != nil && u.Fragment != "" {
		suffix += "#" + u.EscapedFragment()
	}
	if strings.EqualFold(path.Ext(rel), ".md") {
		target := p.l.byPath[rel]
		switch {
		case what == "image":
			p.errorAt(off, "image %s is a Markdown file; use a picture such as a .png, .jpg or .svg file", quote(ref))
		case target == nil:
			p.errorAt(off, "%s is not a module of this course; only module files listed in course.yaml can be linked", quote(ref))
		case target.module != nil && target.module.ID != "":
			link := Link{At: p.at(off), URL: ref, Module: target.module.ID}
			if u != nil {
				link.Fragment = u.Fragment
			}
			p.facts.Links = append(p.facts.Links, link)
			return []byte(escapePath(target.module.ID+".html") + suffix)
		}
		return dest
	}
	p.addAsset(off, rel, size)
	return []byte(escapePath(rel) + suffix)
}

// addAsset records a file the page references at offset off, for the
// course and the module.
func (p *pageReader) addAsset(off int, rel string, size int64) {
	p.facts.Files = append(p.facts.Files, FileRef{At: p.at(off), Path: rel})
	a := p.l.addAsset(rel, size)
	if p.m.assets == nil {
		p.m.assets = map[string]*Asset{}
	}
	p.m.assets[rel] = a
}

// extract builds the model of each course block of the page, in document
// order.
func (p *pageReader) extract(doc ast.Node) {
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		n, ok := node.(*blockNode)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		switch n.kind {
		case kindQuestion:
			p.question(n)
		case kindReflection:
			p.reflection(n)
		case kindActionPlan:
			p.actionPlan(n)
		case kindMedia:
			p.media(n)
		}
		return ast.WalkContinue, nil
	})
}

// render renders nodes and returns their HTML without surrounding space.
func (p *pageReader) render(nodes ...ast.Node) template.HTML {
	buf := getBuffer()
	defer putBuffer(buf)
	for _, n := range nodes {
		if err := p.l.renderTo(buf, p.src, n); err != nil {
			p.l.fail(fmt.Errorf("course: rendering %s page %d: %w", p.m.rel, p.number, err))
		}
	}
	return template.HTML(strings.TrimSpace(buf.String()))
}

// renderInline renders the inline content of block n, leaving out skip.
func (p *pageReader) renderInline(n ast.Node, skip ast.Node) template.HTML {
	var nodes []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c != skip {
			nodes = append(nodes, c)
		}
	}
	return p.render(nodes...)
}

// interactionID checks the id of a question or reflection, unique across
// the course.
func (p *pageReader) interactionID(n *blockNode) string {
	a, ok := n.attr("id")
	if !ok {
		p.errorAt(n.start, "::: %s needs an id, such as `::: %s id=%s`", n.name, n.name, exampleID(n.name))
		return ""
	}
	if !idPattern.MatchString(a.value) {
		p.errorAt(a.valOff, "%s id %q is not valid; use a lowercase letter then lowercase letters, digits and hyphens, such as %s", n.name, a.value, exampleID(n.name))
		return ""
	}
	// Whether another block uses the id is checked once every module is
	// read (see readAllPages).
	line, col := p.m.lines.pos(p.base + a.valOff)
	p.l.uses = append(p.l.uses, interactionUse{
		id: a.value, file: p.m.rel, line: line, col: col,
		desc: fmt.Sprintf("the %s at %s:%d", n.name, p.m.rel, p.lineOf(n.start)),
		at:   len(p.l.errs.list),
	})
	return a.value
}

func exampleID(block string) string {
	if block == "reflection" {
		return "r1"
	}
	return "q1"
}

// count reads a whole-number attribute of at least 0.
func (p *pageReader) count(n *blockNode, key, meaning string) int {
	a, ok := n.attr(key)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(a.value)
	if err != nil || v < 0 {
		p.errorAt(a.valOff, "%s must be a whole number (%s), got %q", key, meaning, a.value)
		return 0
	}
	return v
}

// choice is one item of a question's list while it is read.
type choice struct {
	item     *ast.ListItem
	first    ast.Node // the item's first paragraph or text block
	box      *east.TaskCheckBox
	feedback []ast.Node
}

// question extracts a ::: question block.
func (p *pageReader) question(n *blockNode) {
	id := p.interactionID(n)
	q := &Question{ID: id, At: p.at(n.start)}
	name := "this question"
	if id != "" {
		name = fmt.Sprintf("question %q", id)
	}
	ok := id != "" && len(n.problems) == 0

	if a, has := n.attr("type"); has {
		types := []string{string(SingleChoice), string(MultipleChoice), string(TrueFalse), string(TextMatch)}
		if !slices.Contains(types, a.value) {
			hint := ""
			if s := suggest(a.value, types); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			p.errorAt(a.valOff, "unknown question type %q%s; use single, multiple, true-false or text", a.value, hint)
			ok = false
		}
		q.Type = QuestionType(a.value)
	}
	q.Attempts = p.count(n, "attempts", "0 for unlimited tries, or how many tries the learner has")

	var prompt, explanation []ast.Node
	var list *ast.List
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch {
		case list != nil:
			explanation = append(explanation, c)
		case c.Kind() == ast.KindList:
			list = c.(*ast.List)
		default:
			prompt = append(prompt, c)
		}
	}

	var para ast.Node
	for _, c := range prompt {
		if c.Kind() == ast.KindParagraph {
			para = c
			break
		}
	}
	if para == nil {
		p.errorAt(n.start, "%s has no prompt; write the question as a paragraph before the options", name)
		ok = false
	}
	if list == nil {
		if q.Type == TextMatch {
			p.errorAt(n.start, "%s has no answers; list the accepted answers as `- answer`", name)
		} else {
			p.errorAt(n.start, "%s has no options; list them as `- [x] right answer` and `- [ ] wrong answer`", name)
		}
		return
	}

	var choices []choice
	boxes, correct := 0, 0
	for c := list.FirstChild(); c != nil; c = c.NextSibling() {
		item := c.(*ast.ListItem)
		ch := choice{item: item}
		for b := item.FirstChild(); b != nil; b = b.NextSibling() {
			switch {
			case ch.first == nil && (b.Kind() == ast.KindParagraph || b.Kind() == ast.KindTextBlock):
				ch.first = b
				if box, isBox := b.FirstChild().(*east.TaskCheckBox); isBox {
					ch.box = box
					boxes++
					if box.IsChecked {
						correct++
					}
				}
			case b.Kind() == ast.KindBlockquote:
				for f := b.FirstChild(); f != nil; f = f.NextSibling() {
					ch.feedback = append(ch.feedback, f)
				}
			default:
				p.errorAt(nodePos(b), "option %d of %s has more than its text; an option is one paragraph, optionally followed by feedback in a quote starting with `>`", len(choices)+1, name)
				ok = false
			}
		}
		if ch.first == nil {
			p.errorAt(nodePos(item), "option %d of %s is empty", len(choices)+1, name)
			ok = false
		}
		choices = append(choices, ch)
	}

	if q.Type == "" {
		switch {
		case boxes == 0:
			p.errorAt(nodePos(list), "the options of %s have no checkboxes; write `- [x]` for right and `- [ ]` for wrong options, or add type=text for a typed answer", name)
			return
		case correct > 1:
			q.Type = MultipleChoice
		default:
			q.Type = SingleChoice
		}
	}

	if q.Type == TextMatch {
		for i, ch := range choices {
			if ch.box != nil {
				p.errorAt(nodePos(ch.item), "answer %d of text %s has a checkbox; list accepted answers as plain items such as `- Paris`", i+1, name)
				ok = false
				continue
			}
			if len(ch.feedback) > 0 {
				p.errorAt(nodePos(ch.item), "answer %d of text %s has feedback; text answers have none, so put it in the explanation after the list", i+1, name)
				ok = false
			}
			if ch.first == nil {
				continue
			}
			answer := strings.TrimSpace(rawText(ch.first, p.src))
			if answer == "" {
				p.errorAt(nodePos(ch.item), "answer %d of text %s is empty", i+1, name)
				ok = false
				continue
			}
			q.Answers = append(q.Answers, answer)
			q.AnswersAt = append(q.AnswersAt, p.at(ch.first.Lines().At(0).Start))
		}
	} else {
		for i, ch := range choices {
			if ch.box == nil && ch.first != nil {
				p.errorAt(nodePos(ch.item), "option %d of %s has no checkbox; start it with `[ ]`, or `[x]` when it is right", i+1, name)
				ok = false
			}
		}
		switch {
		case q.Type == TrueFalse && len(choices) != 2:
			p.errorAt(n.start, "true-false %s needs exactly two options, true then false; it has %d", name, len(choices))
			ok = false
		case q.Type == TrueFalse && correct != 1 && boxes == 2:
			p.errorAt(n.start, "true-false %s needs exactly one option marked [x]; it has %d", name, correct)
			ok = false
		case q.Type != TrueFalse && len(choices) < 2:
			p.errorAt(n.start, "%s has only one option; give at least two", name)
			ok = false
		case len(choices) > 26:
			p.errorAt(n.start, "%s has %d options; the most is 26", name, len(choices))
			ok = false
		case correct == 0 && boxes > 0:
			p.errorAt(n.start, "%s has no correct option; mark the right answer with `- [x]`", name)
			ok = false
		case q.Type == SingleChoice && correct > 1:
			p.errorAt(n.start, "%s has %d correct options but type single allows one; mark only one with [x], or use type=multiple", name, correct)
			ok = false
		}
		for i, ch := range choices {
			opt := &Option{ID: string(rune('a' + i%26))}
			if q.Type == TrueFalse {
				opt.ID = map[bool]string{true: "t", false: "f"}[i == 0]
			}
			if ch.first != nil {
				opt.Text = p.renderInline(ch.first, ch.box)
			}
			if ch.box != nil {
				opt.Correct = ch.box.IsChecked
			}
			if opt.Text == "" && q.Type == TrueFalse {
				key := map[bool]string{true: "question.true", false: "question.false"}[i == 0]
				opt.Text = template.HTML(html.EscapeString(p.l.strings.Get(key)))
			}
			opt.Feedback = p.render(ch.feedback...)
			q.Options = append(q.Options, opt)
		}
	}

	if para != nil {
		q.Prompt = p.render(prompt...)
	}
	q.Explanation = p.render(explanation...)
	if !ok {
		return
	}

	var body []ast.Node
	for _, c := range prompt {
		if c != para {
			body = append(body, c)
		}
	}
	n.form = p.questionForm(q, p.renderInline(para, nil), p.render(body...))
	p.m.module.Questions = append(p.m.module.Questions, q)
}

// questionForm writes the HTML of a question. Correct answers stay out of
// it: the player gets them from the model.
func (p *pageReader) questionForm(q *Question, legend, body template.HTML) string {
	var b strings.Builder
	id := html.EscapeString(q.ID)
	fmt.Fprintf(&b, `<form class="cp-question" id="q-%s" data-question="%s" data-type="%s" data-attempts="%d">`+"\n", id, id, q.Type, q.Attempts)
	if body != "" {
		fmt.Fprintf(&b, `<div class="cp-question-body">%s</div>`+"\n", body)
	}
	fmt.Fprintf(&b, `<fieldset><legend class="cp-question-prompt">%s</legend>`+"\n", legend)
	if q.Type == TextMatch {
		fmt.Fprintf(&b, `<label for="%s-answer">%s</label><input type="text" id="%s-answer" name="%s" autocomplete="off">`+"\n",
			id, html.EscapeString(p.l.strings.Get("question.answer-label")), id, id)
	} else {
		input := "radio"
		if q.Type == MultipleChoice {
			input = "checkbox"
		}
		for _, o := range q.Options {
			fmt.Fprintf(&b, `<div class="cp-option"><input type="%s" name="%s" id="%s-%s" value="%s"><label for="%s-%s">%s</label></div>`+"\n",
				input, id, id, o.ID, o.ID, id, o.ID, o.Text)
		}
	}
	fmt.Fprintf(&b, `</fieldset><button type="submit" class="cp-check">%s</button><div class="cp-feedback" role="status" aria-live="polite"></div>`+"\n",
		html.EscapeString(p.l.strings.Get("question.check")))
	for _, o := range q.Options {
		if o.Feedback != "" {
			fmt.Fprintf(&b, `<template class="cp-option-feedback" data-option="%s">%s</template>`+"\n", o.ID, o.Feedback)
		}
	}
	if q.Explanation != "" {
		fmt.Fprintf(&b, `<template class="cp-explanation">%s</template>`+"\n", q.Explanation)
	}
	b.WriteString("</form>\n")
	return b.String()
}

// reflection extracts a ::: reflection block.
func (p *pageReader) reflection(n *blockNode) {
	r := &Reflection{ID: p.interactionID(n)}
	r.MaxLength = p.count(n, "max", "the longest answer in characters, or 0 for the default")
	var children []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		children = append(children, c)
	}
	r.Prompt = p.render(children...)
	if r.Prompt == "" {
		name := "this reflection"
		if r.ID != "" {
			name = fmt.Sprintf("reflection %q", r.ID)
		}
		p.errorAt(n.start, "%s has no prompt; write it between the ::: lines", name)
		return
	}
	if r.ID == "" {
		return
	}
	n.reflection = r
	p.m.module.Reflections = append(p.m.module.Reflections, r)
}

// actionPlan records a ::: action-plan block.
func (p *pageReader) actionPlan(n *blockNode) {
	if p.m.actionPlanLine != 0 {
		p.errorAt(n.start, "the module already has an action plan (at line %d); keep one ::: action-plan per module", p.m.actionPlanLine)
		return
	}
	p.m.actionPlanLine = p.lineOf(n.start)
	p.m.module.ActionPlan = true
}

// media resolves the files of a ::: video or ::: audio block.
func (p *pageReader) media(n *blockNode) {
	src, okSrc := p.mediaFile(n, "src", true)
	captions, okCaptions := "", true
	poster, okPoster := "", true
	if n.name == "video" {
		captions, okCaptions = p.mediaFile(n, "captions", true)
		poster, okPoster = p.mediaFile(n, "poster", false)
	}
	if okSrc && okCaptions && okPoster {
		n.mediaSrc, n.captions, n.poster = src, captions, poster
	}
}

// mediaFile resolves a file attribute of a media block and returns its
// escaped course-relative URL.
func (p *pageReader) mediaFile(n *blockNode, key string, required bool) (string, bool) {
	a, ok := n.attr(key)
	if !ok {
		if required {
			switch key {
			case "src":
				example := "::: video src=media/intro.mp4 captions=media/intro.vtt"
				if n.name == "audio" {
					example = "::: audio src=media/talk.mp3"
				}
				p.errorAt(n.start, "::: %s needs src, the %s file, such as `%s`", n.name, n.name, example)
			case "captions":
				p.errorAt(n.start, "::: video needs captions, a WebVTT file such as captions=media/intro.vtt, for learners who cannot hear it")
			}
			return "", false
		}
		return "", true
	}
	if u, err := url.Parse(a.value); dangerousScheme(a.value) != "" || (err == nil && (u.Scheme != "" || u.Host != "") && !windowsAbs.MatchString(a.value)) {
		p.errorAt(a.valOff, "%s must be a file in the course folder, not the address %s", key, quote(a.value))
		return "", false
	}
	rel, size, msg, err := p.l.resolveFile(p.m.dir(), a.value)
	switch {
	case err != nil:
		p.l.fail(err)
		return "", false
	case msg != "":
		p.errorAt(a.valOff, "%s", msg)
		return "", false
	case key == "captions" && !strings.EqualFold(path.Ext(rel), ".vtt"):
		p.errorAt(a.valOff, "captions must be a WebVTT file ending in .vtt, got %s", quote(a.value))
		return "", false
	}
	p.addAsset(a.valOff, rel, size)
	return escapePath(rel), true
}

// plainText returns the text of an inline tree, as a reader sees it.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			if t.IsRaw() {
				b.Write(t.Segment.Value(src))
			} else {
				b.WriteString(readerText(t.Segment.Value(src)))
			}
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// The typographer's quotes and dashes are HTML entities.
			b.WriteString(html.UnescapeString(string(t.Value)))
		case *ast.AutoLink:
			b.Write(t.Label(src))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// readerText returns Markdown text as a reader sees it: \* is *, &amp; is
// &. It resolves escapes and references in one pass, as the HTML renderer
// does, and undoes the renderer's HTML escaping.
func readerText(v []byte) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	gmhtml.DefaultWriter.Write(w, v)
	_ = w.Flush()
	return html.UnescapeString(buf.String())
}

// rawText returns the Markdown source of a block's lines, joined by spaces:
// accepted answers are compared with what the learner types, so they are
// taken as written.
func rawText(n ast.Node, src []byte) string {
	lines := n.Lines()
	parts := make([]string, 0, lines.Len())
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		parts = append(parts, strings.TrimSpace(string(seg.Value(src))))
	}
	return strings.Join(parts, " ")
}
