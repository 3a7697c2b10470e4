package xliff

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	gtext "github.com/yuin/goldmark/text"

	"github.com/coursepack/coursepack/course"
)

// This file segments the Markdown of a page into texts to translate. Each
// text is a block's inline content (a paragraph, a heading, a list item's
// text, a table cell) and is exactly bytes [start, end) of the module file,
// so that Import can put the translation in their place and leave every
// other byte (block syntax, course block lines, list markers, check boxes,
// quote markers) as it was. Within the text, the Markdown of inline
// formatting becomes inline codes whose syntax is kept aside (native), to
// be put back around the translated text.

// native is the Markdown behind one inline code of a text.
type native struct {
	// open is the syntax of a Standalone code, or the opening syntax of a
	// paired code.
	open string
	// close is the closing syntax of a paired code.
	close  string
	paired bool
}

// segment is one text to translate of a module file.
type segment struct {
	// start and end are byte offsets in the module file.
	start, end int
	content    Content
	natives    map[string]native
	// lineStart is true when the text starts a block, so that a
	// translation starting with, say, "# " or "1. " needs escaping.
	lineStart bool
}

// inlineBuilder turns a block's inline nodes into Content.
type inlineBuilder struct {
	src     []byte
	out     Content
	natives map[string]native
	ids     int
}

func (b *inlineBuilder) id() string {
	b.ids++
	return itoa(b.ids)
}

func (b *inlineBuilder) text(s string) {
	if s == "" {
		return
	}
	if n := len(b.out); n > 0 && b.out[n-1].Kind == Text {
		b.out[n-1].Text += s
		return
	}
	b.out = append(b.out, Piece{Kind: Text, Text: s})
}

func (b *inlineBuilder) standalone(ctype, syntax, equiv string) {
	id := b.id()
	b.natives[id] = native{open: syntax}
	b.out = append(b.out, Piece{Kind: Standalone, ID: id, CType: ctype, Equiv: equiv})
}

// leafSegment segments the inline content of a leaf block n (a paragraph,
// a text block, a heading or a table cell) of the page source src. It
// returns false when the block holds nothing to translate.
func leafSegment(src []byte, n ast.Node) (segment, bool) {
	lines := n.Lines()
	if lines.Len() == 0 {
		return segment{}, false
	}
	start, end := lines.At(0).Start, lines.At(lines.Len()-1).Stop
	if _, ok := n.FirstChild().(*east.TaskCheckBox); ok {
		// Keep "[x] " out of the text.
		if m := checkBox.FindIndex(src[start:end]); m != nil {
			start += m[1]
		}
	}
	for start < end && isSpace(src[start]) {
		start++
	}
	for end > start && isSpace(src[end-1]) {
		end--
	}
	if start >= end {
		return segment{}, false
	}
	b := &inlineBuilder{src: src, natives: map[string]native{}}
	b.children(n, start, end)
	c := normalise(b.out)
	if !hasLetter(c) {
		return segment{}, false
	}
	// The text of an ATX heading follows its #s, so starts no block.
	i := start
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	atx := n.Kind() == ast.KindHeading && i > 0 && src[i-1] == '#'
	return segment{start: start, end: end, content: c, natives: b.natives, lineStart: !atx}, true
}

var checkBox = regexp.MustCompile(`^[ \t]*\[[ xX]\][ \t]*`)

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// children adds the inline children of parent, which with the syntax
// between them cover bytes [from, to) of the source. Bytes no child covers
// become text (a soft line break becomes a space) or a Standalone code, so
// that every byte of the range is accounted for.
func (b *inlineBuilder) children(parent ast.Node, from, to int) {
	cur := from
	var prev ast.Node
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		if _, ok := c.(*east.TaskCheckBox); ok {
			continue
		}
		s, e, ok := b.span(c)
		if !ok || s < cur || e > to || s > e {
			continue
		}
		b.gap(cur, s, prev)
		b.node(c, s, e)
		cur, prev = e, c
	}
	b.gap(cur, to, prev)
}

// softBreak matches what lies between two lines of a paragraph: the line
// end and the next line's indentation or quote markers.
var softBreak = regexp.MustCompile(`^[ \t]*\r?\n[ \t>]*$`)

// gap adds bytes [from, to), which no node covers, after node prev.
func (b *inlineBuilder) gap(from, to int, prev ast.Node) {
	if from >= to {
		return
	}
	g := string(b.src[from:to])
	if t, ok := prev.(*ast.Text); ok && t.HardLineBreak() && strings.Contains(g, "\n") {
		b.standalone("lb", g, "\n")
		return
	}
	if softBreak.MatchString(g) || strings.TrimSpace(g) == "" {
		b.text(" ")
		return
	}
	core := strings.TrimSpace(g)
	lead := g[:strings.Index(g, core)]
	trail := g[len(lead)+len(core):]
	if lead != "" {
		b.text(" ")
	}
	b.standalone("x-markdown", core, core)
	if trail != "" {
		b.text(" ")
	}
}

// node adds node n, which covers bytes [s, e).
func (b *inlineBuilder) node(n ast.Node, s, e int) {
	switch t := n.(type) {
	case *ast.Text:
		b.text(decode(b.src[s:e]))
	case *ast.Emphasis, *east.Strikethrough, *ast.Link, *ast.Image:
		cs, ce, _ := b.childSpan(n)
		ctype := map[ast.NodeKind]string{ast.KindLink: "link", ast.KindImage: "image", east.KindStrikethrough: "x-strikethrough"}[n.Kind()]
		if em, ok := t.(*ast.Emphasis); ok {
			ctype = map[bool]string{true: "bold", false: "italic"}[em.Level >= 2]
		}
		id := b.id()
		b.natives[id] = native{open: string(b.src[s:cs]), close: string(b.src[ce:e]), paired: true}
		b.out = append(b.out, Piece{Kind: Open, ID: id, CType: ctype})
		b.children(n, cs, ce)
		b.out = append(b.out, Piece{Kind: Close, ID: id})
	case *ast.CodeSpan:
		syntax := string(b.src[s:e])
		b.standalone("x-code", syntax, oneLine(syntax))
	case *ast.RawHTML:
		syntax := string(b.src[s:e])
		b.standalone("x-html", syntax, oneLine(syntax))
	}
}

// span returns the bytes [s, e) node n covers in the source, syntax
// included, or false when they cannot be known from the tree.
func (b *inlineBuilder) span(n ast.Node) (s, e int, ok bool) {
	src := b.src
	switch t := n.(type) {
	case *ast.Text:
		return t.Segment.Start, t.Segment.Stop, true
	case *ast.RawHTML:
		if t.Segments.Len() == 0 {
			return 0, 0, false
		}
		return t.Segments.At(0).Start, t.Segments.At(t.Segments.Len() - 1).Stop, true
	case *ast.Emphasis:
		cs, ce, ok := b.childSpan(n)
		s, e = cs-t.Level, ce+t.Level
		if !ok || s < 0 || e > len(src) || !delimiters(src[s:cs], "*_") || !delimiters(src[ce:e], "*_") {
			return 0, 0, false
		}
		return s, e, true
	case *east.Strikethrough:
		cs, ce, ok := b.childSpan(n)
		if !ok {
			return 0, 0, false
		}
		s = cs
		for s > 0 && cs-s < 2 && src[s-1] == '~' {
			s--
		}
		e = ce + (cs - s)
		if s == cs || e > len(src) || !delimiters(src[ce:e], "~") {
			return 0, 0, false
		}
		return s, e, true
	case *ast.Link, *ast.Image:
		cs, ce, ok := b.childSpan(n)
		opener := "["
		if n.Kind() == ast.KindImage {
			opener = "!["
		}
		if !ok || cs < len(opener) || string(src[cs-len(opener):cs]) != opener {
			return 0, 0, false
		}
		e = linkEnd(src, ce)
		if e < 0 {
			return 0, 0, false
		}
		return cs - len(opener), e, true
	case *ast.CodeSpan:
		cs, ce, ok := b.childSpan(n)
		if !ok {
			return 0, 0, false
		}
		j := cs
		for j > 0 && src[j-1] == ' ' {
			j--
		}
		k := j
		for k > 0 && src[k-1] == '`' {
			k--
		}
		ticks := j - k
		e = ce
		for e < len(src) && src[e] == ' ' {
			e++
		}
		run := 0
		for e+run < len(src) && src[e+run] == '`' {
			run++
		}
		if ticks == 0 || run != ticks {
			return 0, 0, false
		}
		return k, e + run, true
	}
	return 0, 0, false
}

// childSpan returns the bytes from the start of n's first child to the end
// of its last.
func (b *inlineBuilder) childSpan(n ast.Node) (s, e int, ok bool) {
	first, last := n.FirstChild(), n.LastChild()
	if first == nil {
		return 0, 0, false
	}
	s, _, ok1 := b.span(first)
	_, e, ok2 := b.span(last)
	return s, e, ok1 && ok2 && s <= e
}

// delimiters reports whether d is one or more of the same character of set.
func delimiters(d []byte, set string) bool {
	if len(d) == 0 || !strings.ContainsRune(set, rune(d[0])) {
		return false
	}
	return len(bytes.Trim(d, string(d[:1]))) == 0
}

// linkEnd returns the offset after the end of a link whose text ends at
// offset i of src: after "](destination "title")", "][label]", or "]".
func linkEnd(src []byte, i int) int {
	if i >= len(src) || src[i] != ']' {
		return -1
	}
	i++
	if i >= len(src) {
		return i
	}
	switch src[i] {
	case '(':
		depth := 0
		for j := i; j < len(src); j++ {
			switch c := src[j]; c {
			case '\\':
				j++
			case '<':
				if k := bytes.IndexByte(src[j:], '>'); k > 0 && !bytes.ContainsRune(src[j:j+k], '\n') {
					j += k
				}
			case '"', '\'':
				if depth == 1 && j > i+1 {
					for j++; j < len(src) && src[j] != c; j++ {
						if src[j] == '\\' {
							j++
						}
					}
				}
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	case '[':
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				j++
			case ']':
				return j + 1
			case '[':
				return -1
			}
		}
		return -1
	}
	return i
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// normalise joins adjacent text, turns runs of white space into one space
// (Markdown treats them alike) and trims the ends.
func normalise(c Content) Content {
	var out Content
	for _, p := range c {
		if p.Kind == Text {
			if n := len(out); n > 0 && out[n-1].Kind == Text {
				out[n-1].Text += p.Text
				continue
			}
		}
		out = append(out, p)
	}
	for i := range out {
		if out[i].Kind == Text {
			out[i].Text = spaces.ReplaceAllString(out[i].Text, " ")
		}
	}
	if len(out) > 0 && out[0].Kind == Text {
		out[0].Text = strings.TrimLeft(out[0].Text, " ")
	}
	if n := len(out); n > 0 && out[n-1].Kind == Text {
		out[n-1].Text = strings.TrimRight(out[n-1].Text, " ")
	}
	kept := out[:0]
	for _, p := range out {
		if p.Kind != Text || p.Text != "" {
			kept = append(kept, p)
		}
	}
	return kept
}

var spaces = regexp.MustCompile(`[ \t\r\n]+`)

// hasLetter reports whether the text of c has a letter: a text without one
// (a code span, a number, a picture without words) needs no translation.
func hasLetter(c Content) bool {
	for _, p := range c {
		if p.Kind == Text && strings.IndexFunc(p.Text, unicode.IsLetter) >= 0 {
			return true
		}
	}
	return false
}

var reference = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// decode turns Markdown text into what a reader sees: backslash escapes
// and entity references resolved.
func decode(s []byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i++
		case c == '&':
			if m := reference.Find(s[i:]); m != nil {
				if r := html.UnescapeString(string(m)); r != string(m) {
					b.WriteString(r)
					i += len(m) - 1
					continue
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && unicode.IsPunct(rune(c)) || c < 0x80 && unicode.IsSymbol(rune(c))
}

// escape turns translated text into Markdown that reads as the text: the
// characters that could start inline formatting are escaped, and so are
// those that could start a block when the text starts a line.
func escape(s string, lineStart bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '~', '|':
			b.WriteByte('\\')
		case '&':
			if reference.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	out := b.String()
	if lineStart {
		switch {
		case out != "" && strings.IndexByte("#>+-=:", out[0]) >= 0:
			out = `\` + out
		case orderedMarker.MatchString(out):
			m := orderedMarker.FindStringSubmatchIndex(out)
			out = out[:m[3]] + `\` + out[m[3]:]
		}
	}
	return out
}

var orderedMarker = regexp.MustCompile(`^[0-9]{1,9}()[.)]`)

// rebuild returns the Markdown of a translation of seg: the target's text
// escaped, and each code's syntax from the source. It fails when the
// target uses a code the source does not have, or uses a code as the wrong
// kind; missing lists the codes of the source the target leaves out.
func (seg *segment) rebuild(target Content) (md string, missing []string, err error) {
	var b strings.Builder
	used := map[string]bool{}
	open := []string{}
	for i, p := range target {
		switch p.Kind {
		case Text:
			t := spaces.ReplaceAllString(p.Text, " ")
			if i == 0 {
				t = strings.TrimLeft(t, " ")
			}
			if i == len(target)-1 {
				t = strings.TrimRight(t, " ")
			}
			b.WriteString(escape(t, seg.lineStart && b.Len() == 0))
			continue
		}
		nat, ok := seg.natives[p.ID]
		switch {
		case !ok:
			return "", nil, fmt.Errorf("the target has a code with id %q, which the source does not have", p.ID)
		case p.Kind == Standalone && nat.paired:
			return "", nil, fmt.Errorf("code %q is a <g> pair in the source, but stands alone in the target", p.ID)
		case p.Kind != Standalone && !nat.paired:
			return "", nil, fmt.Errorf("code %q is an <x/> in the source, but a pair in the target", p.ID)
		}
		switch p.Kind {
		case Standalone:
			b.WriteString(nat.open)
		case Open:
			if used[p.ID] {
				return "", nil, fmt.Errorf("the target uses code %q twice", p.ID)
			}
			b.WriteString(nat.open)
			open = append(open, p.ID)
		case Close:
			if len(open) == 0 || open[len(open)-1] != p.ID {
				return "", nil, fmt.Errorf("code %q is closed where it is not open", p.ID)
			}
			open = open[:len(open)-1]
			b.WriteString(nat.close)
		}
		used[p.ID] = true
	}
	if len(open) > 0 {
		return "", nil, fmt.Errorf("code %q is not closed", open[len(open)-1])
	}
	for _, p := range seg.content {
		if p.Kind != Close && !used[p.ID] && p.Kind != Text {
			missing = append(missing, p.ID)
		}
	}
	return b.String(), missing, nil
}

// pageText is a text to translate of a page, with where it is.
type pageText struct {
	segment
	path string
	note string
}

// pageWalker finds the texts of one page.
type pageWalker struct {
	src  []byte // the page's source, as parsed
	base int    // offset of src in the module file
	// where names the page for notes: `Module "X", page "Y"`.
	where string
	texts []pageText
}

// readPage finds the texts of the page at bytes span of a module file.
func readPage(data []byte, span course.Span, pageID, where string) []pageText {
	src := append([]byte(nil), data[span.Start:span.End]...)
	if !bytes.HasSuffix(src, []byte("\n")) {
		src = append(src, '\n')
	}
	doc := course.SourceParser().Parse(gtext.NewReader(src))
	w := &pageWalker{src: src, base: span.Start, where: where}
	w.blocks(doc, pageID, "")
	// The text of a page that did not end with a line end stops at the
	// page's end.
	for i := range w.texts {
		w.texts[i].end = min(w.texts[i].end, span.End)
	}
	return w.texts
}

func (w *pageWalker) leaf(n ast.Node, path, note string) {
	seg, ok := leafSegment(w.src, n)
	if !ok {
		return
	}
	seg.start += w.base
	seg.end += w.base
	w.texts = append(w.texts, pageText{segment: seg, path: path, note: w.where + ": " + note})
}

// blocks finds the texts of the children of parent, whose path is path;
// note, when set, describes them.
func (w *pageWalker) blocks(parent ast.Node, path, note string) {
	i := 0
	named := map[string]int{}
	titled := false
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		i++
		label := itoa(i)
		describe := note
		if b, ok := course.Block(c); ok {
			named[b.Name]++
			label = b.Name + "." + itoa(named[b.Name])
			if id := b.Attrs["id"]; id != "" {
				label = b.Name + "." + id
			}
			w.courseBlock(c, b, path+"/"+label)
			continue
		}
		switch c.Kind() {
		case ast.KindHeading:
			if parent.Kind() == ast.KindDocument && !titled {
				titled = true
				w.leaf(c, path+"/title", "page title")
				continue
			}
			if describe == "" {
				describe = "heading"
			}
			w.leaf(c, path+"/"+label, describe)
		case ast.KindParagraph, ast.KindTextBlock:
			if describe == "" {
				describe = "paragraph"
			}
			w.leaf(c, path+"/"+label, describe)
		case ast.KindBlockquote:
			if describe == "" {
				describe = "quotation"
			}
			w.blocks(c, path+"/"+label, describe)
		case ast.KindList, ast.KindListItem:
			if describe == "" || describe == "paragraph" {
				describe = "list item"
			}
			w.blocks(c, path+"/"+label, describe)
		case east.KindTable:
			w.table(c, path+"/"+label)
		case east.KindFootnoteList:
			for f := c.FirstChild(); f != nil; f = f.NextSibling() {
				if fn, ok := f.(*east.Footnote); ok {
					w.blocks(fn, path+"/footnote."+string(fn.Ref), "footnote")
				}
			}
		}
	}
}

// table finds the texts of the cells of a table.
func (w *pageWalker) table(t ast.Node, path string) {
	row := 0
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		label, note := "head", "table heading"
		if r.Kind() == east.KindTableRow {
			row++
			label, note = "row."+itoa(row), "table cell"
		}
		col := 0
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			col++
			w.leaf(c, fmt.Sprintf("%s/%s/%d", path, label, col), note)
		}
	}
}

// courseBlock finds the texts of a course block.
func (w *pageWalker) courseBlock(n ast.Node, b course.BlockInfo, path string) {
	switch b.Name {
	case "question":
		w.question(n, b, path)
	case "reflection":
		w.blocks(n, path, fmt.Sprintf("reflection %s: prompt", b.Attrs["id"]))
	case "action-plan":
		w.blocks(n, path, "action plan: introduction")
	case "note", "tip", "important", "buddy":
		w.blocks(n, path, fmt.Sprintf("%s callout", b.Name))
	case "video", "audio":
		w.blocks(n, path, fmt.Sprintf("caption of the %s", b.Name))
	}
}

// question finds the texts of a ::: question block: its prompt, its
// options with their feedback (or its accepted answers) and its
// explanation.
func (w *pageWalker) question(n ast.Node, b course.BlockInfo, path string) {
	name := "question " + b.Attrs["id"]
	var list ast.Node
	prompt, explanation := 0, 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch {
		case list == nil && c.Kind() == ast.KindList:
			list = c
			w.options(list, b, path)
		case list == nil:
			prompt++
			w.part(c, fmt.Sprintf("%s/prompt.%d", path, prompt), name+": prompt")
		default:
			explanation++
			w.part(c, fmt.Sprintf("%s/explanation.%d", path, explanation), name+": explanation, shown once answered")
		}
	}
}

// options finds the texts of the options of a question (or its accepted
// answers) and of their feedback.
func (w *pageWalker) options(list ast.Node, b course.BlockInfo, path string) {
	name := "question " + b.Attrs["id"]
	i := 0
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		letter := string(rune('a' + i%26))
		if b.Attrs["type"] == "true-false" {
			letter = map[bool]string{true: "t", false: "f"}[i == 0]
		}
		i++
		if b.Attrs["type"] == "text" {
			w.blocks(item, fmt.Sprintf("%s/answer.%d", path, i),
				name+": an accepted answer, compared with what the learner types (without regard to case)")
			continue
		}
		first := true
		feedback := 0
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			switch {
			case first && (c.Kind() == ast.KindParagraph || c.Kind() == ast.KindTextBlock):
				first = false
				state := "wrong"
				if box, ok := c.FirstChild().(*east.TaskCheckBox); ok && box.IsChecked {
					state = "right"
				}
				w.leaf(c, path+"/option."+letter, fmt.Sprintf("%s: option %s (a %s answer)", name, letter, state))
			case c.Kind() == ast.KindBlockquote:
				for f := c.FirstChild(); f != nil; f = f.NextSibling() {
					feedback++
					w.part(f, fmt.Sprintf("%s/option.%s/feedback.%d", path, letter, feedback), fmt.Sprintf("%s: feedback on option %s", name, letter))
				}
			}
		}
	}
}

// part finds the texts of one block of a course block: a leaf, or a block
// holding leaves.
func (w *pageWalker) part(n ast.Node, path, note string) {
	switch n.Kind() {
	case ast.KindParagraph, ast.KindTextBlock, ast.KindHeading:
		w.leaf(n, path, note)
	case east.KindTable:
		w.table(n, path)
	default:
		w.blocks(n, path, note)
	}
}
