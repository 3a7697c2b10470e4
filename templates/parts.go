package templates

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/coursepack/coursepack/dist"
)

// A page depends on its runtime in two values only: its security policy
// (connect-src differs between the runtimes that report to an LMS and
// those that send statements) and the player's configuration (the xAPI
// runtimes' carries activity IRIs and names). PageParts gives a page as
// five parts: the policy and the configuration, each a part, and the rest
// of the page, which is the same for every runtime, as the three parts
// around them. A build of several formats renders and deflates the three
// once for all the packages that hold the page (see dist.Part).

// PageParts returns the parts of the page Render writes for v, for
// dist.File.Parts. Nothing is rendered until a part's Render is called.
// The page is one part with a course's own page template, whose use of
// the two values is the course's; and for a page of several modules (the
// whole course as one unit, as the xAPI package always is): such a page
// can be tens of megabytes, which in parts would be held twice while it
// is deflated, and it is rarely in more than one package.
func (s *Set) PageParts(v View) []dist.Part {
	own := PageKey(v)
	if s.page != nil || len(v.Modules) > 1 {
		return []dist.Part{{Same: own, Render: func(w io.Writer) error { return s.Render(w, v) }}}
	}
	split := &pageSplit{view: v}
	shared := sharedKey(v)
	return []dist.Part{
		{Same: shared, Render: split.piece(0)},
		{Same: own, Render: func(w io.Writer) error { return writePolicy(w, v) }},
		{Same: shared, Render: split.piece(1)},
		// The configuration repeats names and ids of the page: it may
		// refer back to them.
		{Same: own, Render: split.writeConfig, Follows: true},
		{Same: shared, Render: split.piece(2)},
	}
}

// sharedKey names the parts of the page of v that do not depend on its
// runtime (PageKey adds the kind of runtime to it): the course, the
// modules and the next unit's title.
func sharedKey(v View) string {
	ids := make([]string, len(v.Modules))
	for i, m := range v.Modules {
		ids[i] = m.ID
	}
	return fmt.Sprintf("%p %q %q", v.Course, ids, v.Next)
}

// policyElement is the page's policy element, as page.html.tmpl has it:
// html/template escapes the value there as here.
var policyElement = template.Must(template.New("policy").Parse(`<meta http-equiv="Content-Security-Policy" content="{{.}}">`))

// policyValue is the page's policy as the page holds it, escaped.
func policyValue(csp string) (string, error) {
	var b strings.Builder
	if err := policyElement.Execute(&b, csp); err != nil {
		return "", err
	}
	const start, end = `<meta http-equiv="Content-Security-Policy" content="`, `">`
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), start), end), nil
}

// writePolicy writes the page's policy, as the page holds it.
func writePolicy(w io.Writer, v View) error {
	if err := checkView(v); err != nil {
		return err
	}
	value, err := policyValue(PlayerPolicy(v.Runtime, string(ThemeCSS(v.Course.Theme))))
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, value)
	return err
}

// splitPage renders the page of v with tmpl and cuts it into the three
// parts around its policy and its configuration: the policy is the first
// occurrence of its value (nothing before it but the page's first lines),
// and the configuration the last occurrence of its JSON (nothing after it
// but the ends of its element, the body and the page). It returns the
// three, slices of buf, and the configuration.
func splitPage(buf *bytes.Buffer, tmpl *template.Template, v View) ([3][]byte, template.JS, error) {
	var pieces [3][]byte
	d, err := newDoc(v)
	if err != nil {
		return pieces, "", err
	}
	buf.Grow(pageSize(d))
	if err := tmpl.Execute(buf, d); err != nil {
		return pieces, "", err
	}
	value, err := policyValue(d.CSP)
	if err != nil {
		return pieces, "", err
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte(value))
	j := bytes.LastIndex(b, []byte(d.Config))
	if i < 0 || j < i+len(value) {
		return pieces, "", fmt.Errorf("templates: the page's policy or configuration is not where the page template puts them")
	}
	pieces[0] = b[:i]
	pieces[1] = b[i+len(value) : j]
	pieces[2] = b[j+len(d.Config):]
	return pieces, d.Config, nil
}

// pageSize is about the size of the page of d, for its buffer: its
// content, its configuration and the markup around them.
func pageSize(d doc) int {
	n := len(d.Config) + 8<<10
	for _, m := range d.Modules {
		for _, p := range m.Pages {
			n += len(p.HTML) + 4*len(p.Anchor) + len(p.Title) + 256
		}
	}
	return n
}

// pageSplit holds the three runtime-independent parts of a page, and its
// configuration, from the rendering of the page until each has been
// written once: a file's parts are made one after the other, so one
// rendering serves them all, and the page is not kept once they are made.
type pageSplit struct {
	view   View
	mu     sync.Mutex
	buf    *bytes.Buffer // the page rendered, from pageBufs, while held
	pieces [3][]byte
	held   [3]bool
	// config is the page's configuration while held.
	config template.JS
}

// pageBufs are the buffers pages are rendered into.
var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// piece returns the Render of part i of the three.
func (p *pageSplit) piece(i int) func(io.Writer) error {
	return func(w io.Writer) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.held[i] {
			p.release()
			p.buf = pageBufs.Get().(*bytes.Buffer)
			p.buf.Reset()
			pieces, config, err := splitPage(p.buf, page, p.view)
			if err != nil {
				p.release()
				return err
			}
			p.pieces, p.held, p.config = pieces, [3]bool{true, true, true}, config
		}
		_, err := w.Write(p.pieces[i])
		p.pieces[i], p.held[i] = nil, false
		if p.held == [3]bool{} {
			p.release()
		}
		return err
	}
}

// release lets go of the page rendered, its buffer back to pageBufs
// unless it grew larger than a module's page (the page of a whole
// course) would keep.
func (p *pageSplit) release() {
	if p.buf != nil {
		p.pieces, p.held = [3][]byte{}, [3]bool{}
		if p.buf.Cap() <= maxPooledPage {
			pageBufs.Put(p.buf)
		}
		p.buf = nil
	}
}

// maxPooledPage caps the buffers kept in pageBufs.
const maxPooledPage = 4 << 20

// writeConfig writes the player's configuration, as the page holds it:
// the one held from the page's rendering, or else made for it.
func (p *pageSplit) writeConfig(w io.Writer) error {
	p.mu.Lock()
	config := p.config
	p.config = ""
	p.mu.Unlock()
	if config == "" {
		d, err := newDoc(p.view)
		if err != nil {
			return err
		}
		config = d.Config
	}
	_, err := io.WriteString(w, string(config))
	return err
}
