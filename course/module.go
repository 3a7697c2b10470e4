package course

import (
	"bytes"
	"path"
	"sort"
	"strings"

	"github.com/yuin/goldmark/parser"
	"go.yaml.in/yaml/v3"
)

// moduleFile is a module's Markdown file while it loads.
type moduleFile struct {
	rel    string // course-relative path, forward slashes
	module *Module
	// ok is true when the front matter could be found, so the pages can
	// be read.
	ok    bool
	data  []byte
	lines *lineIndex
	// body is the offset of the first byte after the front matter.
	body int
	// idLine and idCol locate the id value in the front matter.
	idLine, idCol int
	// completionLine and completionCol locate the completion value, or
	// are 0 when the module uses the course's rule.
	completionLine, completionCol int
	// ids keeps heading ids unique across the module's pages.
	ids parser.IDs
	// questionBlocks counts the ::: question blocks, valid or not.
	questionBlocks int
	// actionPlanLine is the line of the module's action plan, or 0.
	actionPlanLine int
	// assets are the files the module's pages reference, by path.
	assets map[string]*Asset
}

// dir returns the course-relative folder of the module file.
func (m *moduleFile) dir() string { return path.Dir(m.rel) }

// lineText returns line n of the file without its line ending.
func (m *moduleFile) lineText(n int) string {
	start := m.lines.lineStart(n)
	end := len(m.data)
	if n < len(m.lines.starts) {
		end = m.lines.starts[n]
	}
	return strings.TrimRight(string(m.data[start:end]), "\r\n")
}

// readModule reads a module file and its front matter.
func (l *loader) readModule(m *moduleFile) {
	data, ok := l.readModuleSource(m)
	if !ok {
		return
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	m.data, m.lines = data, newLineIndex(data)
	c := l.course
	mod := &Module{Source: m.rel, Completion: c.Completion}
	if c.MasteryScore != nil {
		score := *c.MasteryScore
		mod.MasteryScore = &score
	}
	m.module = mod
	if bad := firstInvalidUTF8(data); bad >= 0 {
		line, col := m.lines.pos(bad)
		l.errs.add(m.rel, line, col, "the file is not valid UTF-8 text; save it with the UTF-8 encoding")
		return
	}
	const shape = "a line `---`, the module's id and title (such as `id: welcome`), and another line `---`"
	if strings.TrimRight(m.lineText(1), " \t") != "---" {
		l.errs.add(m.rel, 1, 1, "the file must start with front matter: %s", shape)
		return
	}
	closing := 0
	for n := 2; n <= len(m.lines.starts); n++ {
		if strings.TrimRight(m.lineText(n), " \t") == "---" {
			closing = n
			break
		}
	}
	if closing == 0 {
		l.errs.add(m.rel, 1, 1, "the front matter is not closed; end it with a line `---`")
		return
	}
	if !l.frontMatterFits(m, closing) {
		return
	}
	m.ok = true
	m.body = m.lines.lineStart(closing + 1)
	m.ids = parser.NewContext().IDs()

	d := &yamlDoc{file: m.rel, lineOffset: 1, errs: &l.errs}
	before := len(l.errs.list)
	root := d.parse(data[m.lines.lineStart(2):m.lines.lineStart(closing)])
	if root == nil {
		if len(l.errs.list) == before {
			l.errs.add(m.rel, 1, 1, "the front matter is empty; it needs at least id and title")
		}
		return
	}
	d.mapping(root, "", []yamlField{
		{key: "id", required: true, set: func(v *yaml.Node) {
			s, ok := d.text(v, "id")
			if !ok {
				return
			}
			if !idPattern.MatchString(s) {
				d.errorf(v, "id: %q is not a valid module id; use a lowercase letter then lowercase letters, digits and hyphens, such as welcome or unit-2", s)
				return
			}
			mod.ID = s
			m.idLine, m.idCol = v.Line+d.lineOffset, v.Column
		}},
		{key: "title", required: true, set: func(v *yaml.Node) { mod.Title = d.requiredText(v, "title") }},
		{key: "duration", set: func(v *yaml.Node) { mod.Duration = d.duration(v, "duration") }},
		{key: "objectives", set: func(v *yaml.Node) {
			items, _ := d.textList(v, "objectives")
			mod.Objectives = values(items)
		}},
		{key: "completion", set: func(v *yaml.Node) {
			if r := d.completion(v, "completion"); r != "" {
				mod.Completion = r
				m.completionLine, m.completionCol = v.Line+d.lineOffset, v.Column
				mod.CompletionAt = d.pos(v)
			}
		}},
		{key: "mastery_score", set: func(v *yaml.Node) {
			if mod.MasteryScore = d.masteryScore(v, "mastery_score"); mod.MasteryScore != nil {
				mod.MasteryAt = d.pos(v)
			}
		}},
	})
}

// checkModuleIDs reports module ids used by more than one module.
func (l *loader) checkModuleIDs() {
	first := map[string]*moduleFile{}
	for _, m := range l.modules {
		if m.module == nil || m.module.ID == "" {
			continue
		}
		if other, dup := first[m.module.ID]; dup {
			l.errs.add(m.rel, m.idLine, m.idCol, "duplicate module id %q: %s already uses it; give each module its own id", m.module.ID, other.rel)
			continue
		}
		first[m.module.ID] = m
	}
}

// pageSpan is the text of one page: bytes [start, end) of the module file.
type pageSpan struct {
	start, end int
	// opener is the line of the +++ that starts the page, or 0 for the
	// first page.
	opener int
}

// splitPages splits the module body at lines that are exactly +++ outside
// fenced code and ::: blocks.
func (l *loader) splitPages(m *moduleFile) []pageSpan {
	var pages []pageSpan
	cur := pageSpan{start: m.body}
	var fenceChar byte
	fenceLen := 0
	type opened struct {
		name string
		line int
	}
	var blocks []opened
	firstLine, _ := m.lines.pos(m.body)
	if m.body >= len(m.data) {
		firstLine = len(m.lines.starts) + 1
	}
	for n := firstLine; n <= len(m.lines.starts); n++ {
		line := m.lineText(n)
		if m.lines.lineStart(n) >= len(m.data) {
			break
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if indent > 3 {
			continue
		}
		rest := line[indent:]
		if fenceLen > 0 {
			run := len(rest) - len(strings.TrimLeft(rest, string(fenceChar)))
			if run >= fenceLen && strings.TrimSpace(rest[run:]) == "" {
				fenceLen = 0
			}
			continue
		}
		if strings.HasPrefix(rest, "```") || strings.HasPrefix(rest, "~~~") {
			c := rest[0]
			run := len(rest) - len(strings.TrimLeft(rest, string(c)))
			if c != '`' || !strings.Contains(rest[run:], "`") {
				fenceChar, fenceLen = c, run
				continue
			}
		}
		if strings.HasPrefix(rest, ":::") && !strings.HasPrefix(rest, "::::") {
			if name := strings.TrimSpace(rest[3:]); name != "" {
				first, _, _ := strings.Cut(name, " ")
				blocks = append(blocks, opened{first, n})
			} else if len(blocks) > 0 {
				blocks = blocks[:len(blocks)-1]
			}
			continue
		}
		if strings.TrimRight(line, " \t") != "+++" || indent > 0 {
			continue
		}
		if len(blocks) > 0 {
			b := blocks[len(blocks)-1]
			l.errs.add(m.rel, n, 1, "page break `+++` inside the ::: %s block opened at line %d; close the block with a line `:::` first", b.name, b.line)
			continue
		}
		cur.end = m.lines.lineStart(n)
		pages = append(pages, cur)
		cur = pageSpan{start: m.lines.lineStart(n + 1), opener: n}
	}
	cur.end = len(m.data)
	return append(pages, cur)
}

// readPages splits a module into pages and reads each.
func (l *loader) readPages(m *moduleFile) {
	pages := l.splitPages(m)
	if !l.pageCountFits(m, pages) {
		return
	}
	var content []pageSpan
	empty := 0
	for i, p := range pages {
		if len(bytes.TrimSpace(m.data[p.start:p.end])) > 0 {
			content = append(content, p)
			continue
		}
		empty++
		if len(pages) == 1 {
			break
		}
		// Report an empty page at the +++ that makes it.
		line := p.opener
		if line == 0 {
			line = pages[i+1].opener
		}
		l.errs.add(m.rel, line, 1, "page %d is empty; remove the extra `+++` line or add content after it", i+1)
	}
	if len(content) == 0 {
		line, _ := m.lines.pos(m.body)
		if empty > 1 {
			return // each empty page is already reported
		}
		l.errs.add(m.rel, line, 1, "the module has no content; after the front matter add at least one page starting with a heading such as `## Welcome`")
		return
	}
	ids := map[string]bool{}
	for i, p := range pages {
		if len(bytes.TrimSpace(m.data[p.start:p.end])) == 0 {
			continue
		}
		l.readPage(m, p, i+1, ids)
	}
	mod := m.module
	for _, a := range m.assets {
		mod.Assets = append(mod.Assets, a)
	}
	sort.Slice(mod.Assets, func(i, j int) bool { return mod.Assets[i].Path < mod.Assets[j].Path })
	if (mod.Completion == CompletionPassed || mod.Completion == CompletionPagesAndPassed) && m.questionBlocks == 0 {
		line, col, from := m.completionLine, m.completionCol, ""
		if line == 0 {
			line, col, from = 1, 1, " (the course's rule in course.yaml)"
		}
		l.errs.add(m.rel, line, col, "completion %q%s needs questions to pass, but the module has none; add a ::: question block or set completion: pages", mod.Completion, from)
	}
}
