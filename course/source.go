package course

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// This file lets tools that work on a course's source text (package xliff)
// read module files exactly as Load splits and parses them, without
// rendering anything.

// SourceParser returns a goldmark parser that reads a page's Markdown as
// Load does (GitHub Flavored Markdown, footnotes and the course's ::: blocks)
// but without typographic replacement, so that every text node of the tree
// points at the source bytes it came from.
func SourceParser() parser.Parser {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			sourceBlocks{},
		),
	)
	return md.Parser()
}

// sourceBlocks adds the course block parser, and no renderer, to a goldmark
// set-up.
type sourceBlocks struct{}

// Extend implements goldmark.Extender.
func (sourceBlocks) Extend(m goldmark.Markdown) {
	courseBlocks{}.Extend(m)
}

// BlockInfo describes a course block (::: NAME key=value ...) of a tree
// read by SourceParser.
type BlockInfo struct {
	// Name is the block's name, such as "question" or "note".
	Name string
	// Attrs are the key=value pairs of its opening line.
	Attrs map[string]string
	// Start is the offset of the opening ::: in the parsed source.
	Start int
}

// Block reports whether n is a course block and, if so, describes it.
func Block(n ast.Node) (BlockInfo, bool) {
	b, ok := n.(*blockNode)
	if !ok || b.stray {
		return BlockInfo{}, false
	}
	info := BlockInfo{Name: b.name, Start: b.start, Attrs: map[string]string{}}
	for _, a := range b.attrs {
		info.Attrs[a.key] = a.value
	}
	return info, true
}

// Span is a range [Start, End) of byte offsets.
type Span struct{ Start, End int }

// SplitModule finds the parts of a module file's text (with any UTF-8 byte
// order mark removed, as Load removes it): the front matter's YAML (between
// its --- lines) and the pages, as Load splits them at +++ lines. ok is false
// when the file has no closed front matter. Pages holding only white space,
// which Load does not read, are left out.
func SplitModule(data []byte) (frontMatter Span, pages []Span, ok bool) {
	m := &moduleFile{data: data, lines: newLineIndex(data)}
	if strings.TrimRight(m.lineText(1), " \t") != "---" {
		return Span{}, nil, false
	}
	closing := 0
	for n := 2; n <= len(m.lines.starts); n++ {
		if strings.TrimRight(m.lineText(n), " \t") == "---" {
			closing = n
			break
		}
	}
	if closing == 0 {
		return Span{}, nil, false
	}
	m.body = m.lines.lineStart(closing + 1)
	frontMatter = Span{m.lines.lineStart(2), m.lines.lineStart(closing)}
	l := &loader{}
	for _, p := range l.splitPages(m) {
		if len(bytes.TrimSpace(data[p.start:p.end])) > 0 {
			pages = append(pages, Span{p.start, p.end})
		}
	}
	return frontMatter, pages, true
}
