package course

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"
)

// This file is the raw_html option of course.yaml. By default the HTML an
// author writes in a page is left out of the output (goldmark's safe mode).
// With raw_html: true it is kept, but only the elements and attributes of
// rawElements, each checked: every other element or attribute is an error
// at its line and column, and the HTML that reaches the page is what
// bluemonday's sanitiser, built from the same list, lets through. No script,
// style, event handler, frame, object, form or media element can get in,
// nor an id, name or class that could clash with the player's, and links and
// pictures go through the same checks and rewriting as Markdown's.

// rawAttr describes an attribute raw HTML may use: valid is nil for free
// text, or the pattern its value must match, with what to say when it does
// not.
type rawAttr struct {
	valid *regexp.Regexp
	want  string
}

var (
	rawNumber   = rawAttr{regexp.MustCompile(`^[0-9]{1,4}$`), "a whole number"}
	rawDateTime = rawAttr{regexp.MustCompile(`^[0-9A-Za-z:.+ -]{1,64}$`), "a date or time such as 2024-05-01"}
	rawFreeText = rawAttr{}
	// rawURL marks href and src, checked as Markdown links and pictures.
	rawURL = rawAttr{want: "url"}
)

// rawGlobal are the attributes any element of rawElements may have.
var rawGlobal = map[string]rawAttr{
	"title": rawFreeText,
	"lang":  {languagePattern, "a language tag such as en-GB"},
	"dir":   {regexp.MustCompile(`^(ltr|rtl|auto)$`), "ltr, rtl or auto"},
}

// rawElements are the elements raw HTML may use, each with the attributes
// it may have besides rawGlobal: text, lists, tables, figures, details and
// pictures inside the course.
var rawElements = map[string]map[string]rawAttr{
	"a":    {"href": rawURL, "hreflang": {languagePattern, "a language tag such as en-GB"}},
	"abbr": nil, "b": nil, "bdi": nil, "bdo": nil, "blockquote": nil, "br": nil,
	"caption": nil, "cite": nil, "code": nil,
	"col": {"span": rawNumber}, "colgroup": {"span": rawNumber},
	"dd": nil, "del": {"datetime": rawDateTime}, "details": {"open": {regexp.MustCompile(`^(|open)$`), "empty"}},
	"dfn": nil, "div": nil, "dl": nil, "dt": nil, "em": nil,
	"figcaption": nil, "figure": nil,
	"h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil, "hr": nil, "i": nil,
	"img": {"src": rawURL, "alt": rawFreeText, "width": rawNumber, "height": rawNumber},
	"ins": {"datetime": rawDateTime}, "kbd": nil, "li": {"value": rawNumber}, "mark": nil,
	"ol": {"start": rawNumber, "reversed": {regexp.MustCompile(`^(|reversed)$`), "empty"}, "type": {regexp.MustCompile(`^[1aAiI]$`), "1, a, A, i or I"}},
	"p":  nil, "pre": nil, "q": nil, "rp": nil, "rt": nil, "ruby": nil,
	"s": nil, "samp": nil, "small": nil, "span": nil, "strong": nil, "sub": nil, "summary": nil, "sup": nil,
	"table": nil, "tbody": nil, "td": {"colspan": rawNumber, "rowspan": rawNumber}, "tfoot": nil,
	"th":    {"colspan": rawNumber, "rowspan": rawNumber, "scope": {regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`), "row, col, rowgroup or colgroup"}, "abbr": rawFreeText},
	"thead": nil, "time": {"datetime": rawDateTime}, "tr": nil, "u": nil, "ul": nil, "var": nil, "wbr": nil,
}

// rawWhy says why an element raw HTML may not use is refused.
var rawWhy = map[string]string{
	"script":   "raw HTML cannot run scripts",
	"noscript": "raw HTML cannot run scripts",
	"style":    "style the course with its theme in course.yaml",
	"link":     "a page loads only the player's own files",
	"meta":     "a page's head is the player's",
	"base":     "a page's head is the player's",
	"iframe":   "a package embeds no other pages and requests nothing from other hosts",
	"frame":    "a package embeds no other pages and requests nothing from other hosts",
	"object":   "a package embeds no plug-ins and requests nothing from other hosts",
	"embed":    "a package embeds no plug-ins and requests nothing from other hosts",
	"form":     "use a ::: question or ::: reflection block for what the learner answers",
	"input":    "use a ::: question or ::: reflection block for what the learner answers",
	"button":   "use a ::: question or ::: reflection block for what the learner answers",
	"select":   "use a ::: question or ::: reflection block for what the learner answers",
	"textarea": "use a ::: question or ::: reflection block for what the learner answers",
	"video":    "use a ::: video block",
	"audio":    "use a ::: audio block",
	"source":   "use a ::: video or ::: audio block",
	"track":    "use a ::: video block with captions=",
	"picture":  "use an <img> of a file in the course folder",
	"svg":      "use an <img> of an .svg file in the course folder",
	"math":     "write the formula as text or a picture",
}

var (
	rawPolicyOnce sync.Once
	rawPolicy     *bluemonday.Policy
)

// sanitizer returns the bluemonday policy built from rawElements: it is
// what decides what reaches the page, whatever the checks before it found.
func sanitizer() *bluemonday.Policy {
	rawPolicyOnce.Do(func() {
		p := bluemonday.NewPolicy()
		p.AllowURLSchemes("http", "https", "mailto", "tel")
		p.AllowRelativeURLs(true)
		p.RequireParseableURLs(true)
		addAttrs := func(attrs map[string]rawAttr, onElements ...string) {
			for name, a := range attrs {
				b := p.AllowAttrs(name)
				if a.valid != nil {
					b = b.Matching(a.valid)
				}
				if len(onElements) == 0 {
					b.Globally()
				} else {
					b.OnElements(onElements...)
				}
			}
		}
		addAttrs(rawGlobal)
		for el, attrs := range rawElements {
			p.AllowElements(el)
			addAttrs(attrs, el)
		}
		rawPolicy = p
	})
	return rawPolicy
}

// boolean decodes true or false.
func (d *yamlDoc) boolean(v *yaml.Node, name string) bool {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		got := describe(v)
		if v.Kind == yaml.ScalarNode {
			got = fmt.Sprintf("%q", v.Value)
		}
		d.errorf(v, "%s: expected true or false, got %s", name, got)
		return false
	}
	return strings.EqualFold(v.Value, "true")
}

// rawSource is the text of a raw HTML node, put together from the lines it
// spans, with the page offset of each piece.
type rawSource struct {
	text   []byte
	starts []int // offset in text of each piece
	offs   []int // offset in the page of each piece
}

func (r *rawSource) add(seg []byte, off int) {
	r.starts = append(r.starts, len(r.text))
	r.offs = append(r.offs, off)
	r.text = append(r.text, seg...)
}

// pageOffset maps an offset of r.text to the page.
func (r *rawSource) pageOffset(i int) int {
	k := 0
	for k+1 < len(r.starts) && r.starts[k+1] <= i {
		k++
	}
	if len(r.offs) == 0 {
		return 0
	}
	return r.offs[k] + i - r.starts[k]
}

// sanitizeRawHTML replaces each raw HTML node of the page with its checked
// and sanitised HTML when the course allows raw HTML; otherwise goldmark
// leaves the nodes out of the output.
func (p *pageReader) sanitizeRawHTML(doc ast.Node) {
	if !p.l.course.RawHTML {
		return
	}
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindRawHTML || n.Kind() == ast.KindHTMLBlock) {
			nodes = append(nodes, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range nodes {
		var src rawSource
		var repl ast.Node
		switch t := n.(type) {
		case *ast.RawHTML:
			for i := 0; i < t.Segments.Len(); i++ {
				seg := t.Segments.At(i)
				src.add(seg.Value(p.src), seg.Start)
			}
			repl = &safeHTMLInline{html: p.cleanHTML(&src)}
		case *ast.HTMLBlock:
			lines := t.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				src.add(seg.Value(p.src), seg.Start)
			}
			if t.HasClosure() {
				src.add(t.ClosureLine.Value(p.src), t.ClosureLine.Start)
			}
			repl = &safeHTMLBlock{html: p.cleanHTML(&src)}
		}
		n.Parent().ReplaceChild(n.Parent(), n, repl)
	}
}

// cleanHTML reports each element and attribute of src that raw HTML may not
// use, rewrites the addresses of links and pictures as Markdown's are, and
// returns the result as bluemonday sanitises it.
func (p *pageReader) cleanHTML(src *rawSource) string {
	var out strings.Builder
	z := html.NewTokenizer(bytes.NewReader(src.text))
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		at := src.pageOffset(off)
		off += len(z.Raw())
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			p.checkRawTag(at, &tok)
		case html.CommentToken, html.DoctypeToken:
			continue
		}
		out.WriteString(tok.String())
	}
	return sanitizer().Sanitize(out.String())
}

// checkRawTag reports what tok, a start tag at page offset at, may not
// have, and rewrites the address it links to.
func (p *pageReader) checkRawTag(at int, tok *html.Token) {
	name := tok.Data
	allowed, ok := rawElements[name]
	if !ok {
		why := rawWhy[name]
		if why == "" {
			why = "see docs/authoring.md for the elements raw HTML may use"
		}
		p.errorAt(at, "raw HTML: <%s> is not allowed; %s", name, why)
		return
	}
	if name == "img" {
		p.rawImage(at, tok)
	}
	for i := range tok.Attr {
		a := &tok.Attr[i]
		key := a.Key
		if a.Namespace != "" {
			key = a.Namespace + ":" + a.Key
		}
		spec, ok := allowed[key]
		if !ok {
			spec, ok = rawGlobal[key]
		}
		switch {
		case !ok && strings.HasPrefix(key, "on"):
			p.errorAt(at, "raw HTML: the %s attribute of <%s> is not allowed; raw HTML cannot run scripts", key, name)
		case !ok && key == "style":
			p.errorAt(at, "raw HTML: style attributes are not allowed (the page's Content-Security-Policy blocks them); style the course with its theme in course.yaml")
		case !ok && (key == "id" || key == "name" || key == "class"):
			p.errorAt(at, "raw HTML: the %s attribute of <%s> is not allowed; it could clash with the player's own", key, name)
		case !ok:
			p.errorAt(at, "raw HTML: <%s> may not have a %s attribute", name, key)
		case spec.want == "url":
			what := "link"
			if name == "img" {
				what = "image"
			}
			a.Val = string(p.rewriteURL(at, []byte(a.Val), what))
		case spec.valid != nil && !spec.valid.MatchString(a.Val):
			if spec.want == "empty" {
				p.errorAt(at, "raw HTML: the %s attribute of <%s> takes no value, got %q", key, name, a.Val)
			} else {
				p.errorAt(at, "raw HTML: the %s attribute of <%s> must be %s, got %q", key, name, spec.want, a.Val)
			}
		}
	}
}

// rawImage records a raw HTML <img> at page offset at for lint; alt=""
// marks it decorative.
func (p *pageReader) rawImage(at int, tok *html.Token) {
	img := Image{At: p.at(at), Raw: true}
	hasAlt := false
	for _, a := range tok.Attr {
		switch {
		case a.Namespace != "":
		case a.Key == "src":
			img.Src = a.Val
		case a.Key == "alt":
			hasAlt, img.Alt = true, strings.TrimSpace(a.Val)
		}
	}
	img.Decorative = hasAlt && img.Alt == ""
	p.facts.Images = append(p.facts.Images, img)
}

// The nodes that stand for raw HTML once it is sanitised.
var kindSafeHTML = ast.NewNodeKind("CourseSafeHTML")

type safeHTMLBlock struct {
	ast.BaseBlock
	html string
}

func (n *safeHTMLBlock) Kind() ast.NodeKind { return kindSafeHTML }

func (n *safeHTMLBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"HTML": n.html}, nil)
}

type safeHTMLInline struct {
	ast.BaseInline
	html string
}

func (n *safeHTMLInline) Kind() ast.NodeKind { return kindSafeHTML }

func (n *safeHTMLInline) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"HTML": n.html}, nil)
}

// safeHTML is the goldmark extension that renders sanitised raw HTML.
type safeHTML struct{}

// Extend implements goldmark.Extender.
func (safeHTML) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(safeHTML{}, 50)))
}

// RegisterFuncs implements renderer.NodeRenderer.
func (safeHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindSafeHTML, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *safeHTMLBlock:
			_, _ = w.WriteString(t.html)
			if !strings.HasSuffix(t.html, "\n") {
				_ = w.WriteByte('\n')
			}
		case *safeHTMLInline:
			_, _ = w.WriteString(t.html)
		}
		return ast.WalkSkipChildren, nil
	})
}
