package course

import (
	"bytes"
	"fmt"
	"html"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file is the goldmark extension for the course's own blocks:
//
//	::: NAME key=value key="quoted value"
//	ordinary Markdown
//	:::
//
// The block parser builds a blockNode whose children are the Markdown
// between the lines; page.go checks the nodes and extracts the model from
// them; the node renderer below writes their HTML.

// The AST node kinds of course blocks.
var (
	kindQuestion   = ast.NewNodeKind("CourseQuestion")
	kindReflection = ast.NewNodeKind("CourseReflection")
	kindActionPlan = ast.NewNodeKind("CourseActionPlan")
	kindCallout    = ast.NewNodeKind("CourseCallout")
	kindMedia      = ast.NewNodeKind("CourseMedia")
	// kindInvalid is a block with an unknown name, or a stray `:::`.
	kindInvalid = ast.NewNodeKind("CourseInvalidBlock")
)

// blockSpec describes one block name.
type blockSpec struct {
	kind  ast.NodeKind
	attrs []string
}

// blockNames lists the block names in the order messages give them.
var blockNames = []string{"question", "reflection", "action-plan", "note", "tip", "important", "buddy", "video", "audio"}

var blockSpecs = map[string]blockSpec{
	"question":    {kindQuestion, []string{"id", "type", "attempts"}},
	"reflection":  {kindReflection, []string{"id", "max"}},
	"action-plan": {kindActionPlan, nil},
	"note":        {kindCallout, nil},
	"tip":         {kindCallout, nil},
	"important":   {kindCallout, nil},
	"buddy":       {kindCallout, nil},
	"video":       {kindMedia, []string{"src", "captions", "poster"}},
	"audio":       {kindMedia, []string{"src"}},
}

// blockAttr is one key=value of a block's opening line. The offsets are
// byte offsets in the page source.
type blockAttr struct {
	key, value     string
	keyOff, valOff int
}

// offMsg is a problem at a byte offset of the page source.
type offMsg struct {
	off int
	msg string
}

// blockNode is a course block in the Markdown AST.
type blockNode struct {
	ast.BaseBlock
	kind ast.NodeKind
	name string
	// start is the offset of the opening `:::`.
	start    int
	attrs    []blockAttr
	problems []offMsg
	// closed is true once the closing `:::` has been read.
	closed bool
	// stray marks a `:::` line that closes nothing.
	stray bool
	// outer is the course block this one is (wrongly) nested in.
	outer *blockNode

	// Set by the page reader for the renderer.
	form       string      // a question's whole form
	reflection *Reflection // a reflection's model
	mediaSrc   string      // media URLs, course-relative and escaped
	captions   string
	poster     string
}

// Kind implements ast.Node.
func (n *blockNode) Kind() ast.NodeKind { return n.kind }

// Dump implements ast.Node.
func (n *blockNode) Dump(source []byte, level int) {
	kv := map[string]string{"Name": n.name}
	for _, a := range n.attrs {
		kv[a.key] = a.value
	}
	ast.DumpHelper(n, source, level, kv, nil)
}

// attr returns the attribute named key.
func (n *blockNode) attr(key string) (blockAttr, bool) {
	for _, a := range n.attrs {
		if a.key == key {
			return a, true
		}
	}
	return blockAttr{}, false
}

// blockParser parses course blocks.
type blockParser struct{}

// Trigger implements parser.BlockParser.
func (blockParser) Trigger() []byte { return []byte{':'} }

// Open implements parser.BlockParser.
func (blockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	rest := line[pos:]
	if !bytes.HasPrefix(rest, []byte(":::")) || bytes.HasPrefix(rest, []byte("::::")) {
		return nil, parser.NoChildren
	}
	start := seg.Start - seg.Padding + pos
	n := &blockNode{kind: kindInvalid, start: start}
	header := bytes.TrimRight(rest[3:], "\r\n")
	if len(bytes.TrimSpace(header)) == 0 {
		n.stray, n.closed = true, true
		reader.Advance(len(line) - eolLen(line))
		return n, parser.NoChildren
	}
	for p := parent; p != nil; p = p.Parent() {
		if outer, ok := p.(*blockNode); ok && !outer.stray {
			n.outer = outer
			break
		}
	}
	if n.outer != nil && n.outer.outer != nil {
		// A block in a block is already an error; one more level in
		// is left as text, so that nesting costs nothing (see shape.go).
		return nil, parser.NoChildren
	}
	n.parseHeader(header, start+3)
	reader.Advance(len(line) - eolLen(line))
	return n, parser.HasChildren
}

// Continue implements parser.BlockParser.
func (blockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*blockNode)
	if n.stray {
		return parser.Close
	}
	line, _ := reader.PeekLine()
	if isCloser(line) && !innerOpen(n, pc) {
		reader.Advance(len(line) - eolLen(line))
		n.closed = true
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

// Close implements parser.BlockParser.
func (blockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

// CanInterruptParagraph implements parser.BlockParser.
func (blockParser) CanInterruptParagraph() bool { return true }

// CanAcceptIndentedLine implements parser.BlockParser.
func (blockParser) CanAcceptIndentedLine() bool { return false }

// isCloser reports whether line is a closing `:::` line.
func isCloser(line []byte) bool {
	s := strings.TrimRight(string(line), " \t\r\n")
	trimmed := strings.TrimLeft(s, " ")
	return trimmed == ":::" && len(s)-len(trimmed) <= 3
}

// innerOpen reports whether a fenced code block or a nested course block
// is open inside n: a `:::` line then belongs to it, not to n.
func innerOpen(n *blockNode, pc parser.Context) bool {
	blocks := pc.OpenedBlocks()
	for i, b := range blocks {
		if b.Node != n {
			continue
		}
		for _, inner := range blocks[i+1:] {
			switch inner.Node.(type) {
			case *ast.FencedCodeBlock, *blockNode:
				return true
			}
		}
	}
	return false
}

func eolLen(line []byte) int {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return 2
	case bytes.HasSuffix(line, []byte("\n")):
		return 1
	}
	return 0
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// parseHeader reads NAME key=value ... from the opening line; base is the
// offset of h in the page source.
func (n *blockNode) parseHeader(h []byte, base int) {
	i := 0
	for i < len(h) && isBlank(h[i]) {
		i++
	}
	j := i
	for j < len(h) && !isBlank(h[j]) {
		j++
	}
	n.name = string(h[i:j])
	spec, known := blockSpecs[n.name]
	if known {
		n.kind = spec.kind
	} else {
		msg := fmt.Sprintf("unknown block %q; use one of %s", n.name, strings.Join(blockNames, ", "))
		if s := suggest(n.name, blockNames); s != "" {
			msg = fmt.Sprintf("unknown block %q (did you mean %q?)", n.name, s)
		}
		n.problem(base+i, msg)
	}
	i = j
	for count := 0; ; count++ {
		for i < len(h) && isBlank(h[i]) {
			i++
		}
		if i >= len(h) {
			return
		}
		if count == maxBlockAttrs {
			n.problem(base+i, fmt.Sprintf("::: %s has more than %d attributes; no block takes so many", n.name, maxBlockAttrs))
			return
		}
		keyStart := i
		for i < len(h) && h[i] != '=' && !isBlank(h[i]) {
			i++
		}
		key := string(h[keyStart:i])
		if i >= len(h) || h[i] != '=' {
			n.problem(base+keyStart, fmt.Sprintf("attribute %q has no value; write it as %s=value", key, key))
			continue
		}
		i++
		valStart := i
		var value string
		if i < len(h) && h[i] == '"' {
			end := bytes.IndexByte(h[i+1:], '"')
			if end < 0 {
				n.problem(base+valStart, fmt.Sprintf("the quoted value of %q is not closed; end it with \"", key))
				value, i = string(h[i+1:]), len(h)
			} else {
				value, i = string(h[i+1:i+1+end]), i+2+end
			}
		} else {
			for i < len(h) && !isBlank(h[i]) {
				i++
			}
			value = string(h[valStart:i])
		}
		if known {
			switch {
			case !slices.Contains(spec.attrs, key):
				n.problem(base+keyStart, unknownAttr(n.name, key, spec.attrs))
				continue
			case n.hasAttr(key):
				n.problem(base+keyStart, fmt.Sprintf("attribute %q appears twice; keep only one", key))
				continue
			}
		}
		n.attrs = append(n.attrs, blockAttr{key: key, value: value, keyOff: base + keyStart, valOff: base + valStart})
	}
}

func (n *blockNode) hasAttr(key string) bool {
	_, ok := n.attr(key)
	return ok
}

func (n *blockNode) problem(off int, msg string) {
	n.problems = append(n.problems, offMsg{off, msg})
}

func unknownAttr(block, key string, attrs []string) string {
	if len(attrs) == 0 {
		return fmt.Sprintf("unknown attribute %q: ::: %s takes no attributes", key, block)
	}
	if s := suggest(key, attrs); s != "" {
		return fmt.Sprintf("unknown attribute %q on ::: %s (did you mean %q?)", key, block, s)
	}
	return fmt.Sprintf("unknown attribute %q on ::: %s; it takes %s", key, block, strings.Join(attrs, ", "))
}

// courseBlocks is the goldmark extension: the block parser and the node
// renderer, whose labels come from the loader's interface text.
type courseBlocks struct {
	l *loader
}

// Extend implements goldmark.Extender.
func (e courseBlocks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(blockParser{}, 50)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(blockRenderer(e), 50)))
}

// blockRenderer renders course blocks.
type blockRenderer struct {
	l *loader
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindQuestion, r.question)
	reg.Register(kindReflection, r.reflection)
	reg.Register(kindActionPlan, r.actionPlan)
	reg.Register(kindCallout, r.callout)
	reg.Register(kindMedia, r.media)
	reg.Register(kindInvalid, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkSkipChildren, nil
	})
}

func (r blockRenderer) question(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(node.(*blockNode).form)
	}
	return ast.WalkSkipChildren, nil
}

func (r blockRenderer) reflection(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	ref := node.(*blockNode).reflection
	if ref == nil {
		return ast.WalkSkipChildren, nil
	}
	id := html.EscapeString(ref.ID)
	if entering {
		fmt.Fprintf(w, `<div class="cp-reflection" data-reflection="%s" data-max="%d"><div class="cp-reflection-prompt" id="r-%s-prompt">`+"\n", id, ref.MaxLength, id)
		return ast.WalkContinue, nil
	}
	maxlength := ""
	if ref.MaxLength > 0 {
		maxlength = fmt.Sprintf(` maxlength="%d"`, ref.MaxLength)
	}
	fmt.Fprintf(w, `</div><label for="r-%s" class="cp-visually-hidden">%s</label><textarea id="r-%s" name="%s" rows="6"%s aria-describedby="r-%s-prompt"></textarea></div>`+"\n",
		id, r.label("reflection.label"), id, id, maxlength, id)
	return ast.WalkContinue, nil
}

func (r blockRenderer) actionPlan(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<section class=\"cp-action-plan\" data-action-plan>\n")
	} else {
		_, _ = w.WriteString("</section>\n")
	}
	return ast.WalkContinue, nil
}

func (r blockRenderer) callout(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	kind := node.(*blockNode).name
	if entering {
		fmt.Fprintf(w, `<aside class="cp-callout cp-callout-%s"><p class="cp-callout-title">%s</p>`+"\n", kind, r.label("callout."+kind))
	} else {
		_, _ = w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}

func (r blockRenderer) media(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*blockNode)
	if n.mediaSrc == "" {
		return ast.WalkSkipChildren, nil
	}
	if !entering {
		if n.HasChildren() {
			_, _ = w.WriteString("</figcaption>")
		}
		_, _ = w.WriteString("</figure>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<figure class="cp-media">`)
	src := html.EscapeString(n.mediaSrc)
	if n.name == "video" {
		fmt.Fprintf(w, `<video controls preload="metadata" src="%s"`, src)
		if n.poster != "" {
			fmt.Fprintf(w, ` poster="%s"`, html.EscapeString(n.poster))
		}
		fmt.Fprintf(w, `><track kind="captions" src="%s" srclang="%s" label="%s" default></video>`,
			html.EscapeString(n.captions), html.EscapeString(r.l.course.Language), r.label("media.captions"))
	} else {
		fmt.Fprintf(w, `<audio controls preload="metadata" src="%s"></audio>`, src)
	}
	if n.HasChildren() {
		_, _ = w.WriteString("<figcaption>\n")
	}
	return ast.WalkContinue, nil
}

// label returns interface text, escaped for HTML.
func (r blockRenderer) label(key string) string {
	return html.EscapeString(r.l.strings.Get(key))
}
