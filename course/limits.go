package course

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/coursepack/coursepack/internal/bytesize"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"go.yaml.in/yaml/v3"
)

// This file bounds what Load reads, so that a course folder that is hostile
// or simply broken (a 100 MB module, a million-line file, a YAML "billion
// laughs") fails fast with a located message instead of exhausting memory
// or time. Sizes are checked before a file is read, and a file is never
// read past its limit; see docs/security.md.

// Limits bound the files and the structure of a course. A zero field takes
// its default (see DefaultLimits).
type Limits struct {
	// CourseFileSize caps course.yaml, in bytes (default 1 MB).
	CourseFileSize int64
	// ModuleFileSize caps one module file, in bytes (default 10 MB).
	ModuleFileSize int64
	// MarkdownSize caps the module files of the course together, in bytes
	// (default 100 MB).
	MarkdownSize int64
	// FrontMatterSize caps the front matter of a module, in bytes (default
	// 100 kB).
	FrontMatterSize int
	// ModuleLines caps the lines of one module file (default 100,000).
	ModuleLines int
	// Modules caps the modules of the course (default 1,000).
	Modules int
	// Pages caps the pages of one module (default 1,000).
	Pages int
	// Questions caps the question blocks of one module (default 1,000).
	Questions int
}

// DefaultLimits returns the limits Load applies. (A megabyte, MB, is
// 1,000,000 bytes.)
func DefaultLimits() Limits {
	return Limits{
		CourseFileSize:  1_000_000,
		ModuleFileSize:  10_000_000,
		MarkdownSize:    100_000_000,
		FrontMatterSize: 100_000,
		ModuleLines:     100_000,
		Modules:         1_000,
		Pages:           1_000,
		Questions:       1_000,
	}
}

func (lim Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&lim.CourseFileSize, d.CourseFileSize)
	orDefault(&lim.ModuleFileSize, d.ModuleFileSize)
	orDefault(&lim.MarkdownSize, d.MarkdownSize)
	orDefault(&lim.FrontMatterSize, d.FrontMatterSize)
	orDefault(&lim.ModuleLines, d.ModuleLines)
	orDefault(&lim.Modules, d.Modules)
	orDefault(&lim.Pages, d.Pages)
	orDefault(&lim.Questions, d.Questions)
	return lim
}

// orDefault sets *v to d when it is zero or less.
func orDefault[T int | int64](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// The YAML of course.yaml and of front matter is decoded into a tree of
// nodes whose aliases are never copied, so a "billion laughs" costs no
// memory by itself; these bounds refuse such documents anyway, and very
// deep ones, before anything walks them.
const (
	// yamlMaxDepth caps how deeply YAML values nest. course.yaml needs
	// four levels (theme: colours: primary: "#...").
	yamlMaxDepth = 32
	// yamlMaxAliased caps the values that the aliases (*name) of a
	// document stand for, counted as if each alias were written out.
	yamlMaxAliased = 10_000
)

// errReported is returned by readSource when the problem with the file has
// been reported to the author.
var errReported = errors.New("course: reported")

// readSource reads the file at course-relative path rel, at most limit
// bytes of it. A file that is not a regular file inside the course folder,
// or is larger than limit, is reported (whole file) and errReported
// returned; a file that does not exist comes back as an fs.ErrNotExist
// error, and I/O failures as they come.
func (l *loader) readSource(rel string, limit int64, what string) ([]byte, error) {
	full := filepath.Join(l.dir, filepath.FromSlash(rel))
	if _, err := os.Stat(full); err != nil {
		return nil, err
	}
	// course.yaml has not been through resolveFile yet; a module has, but
	// checking again costs little.
	_, size, msg, err := l.resolveFile(".", rel)
	switch {
	case err != nil:
		return nil, err
	case msg != "":
		l.errs.add(rel, 0, 0, "%s", msg)
		return nil, errReported
	case size > limit:
		l.errs.add(rel, 0, 0, "the file is %s, over the limit of %s for %s", bytesize.Format(size), bytesize.Format(limit), what)
		return nil, errReported
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		// The file grew after it was measured.
		l.errs.add(rel, 0, 0, "the file is over the limit of %s for %s", bytesize.Format(limit), what)
		return nil, errReported
	}
	// YAML and Markdown take a carriage return alone for a line break,
	// where the loader counts lines by line feeds: positions would be
	// wrong, and page breaks missed.
	for i, c := range data {
		if c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			line, col := newLineIndex(data).pos(i)
			l.errs.add(rel, line, col, "a carriage return without a line feed (an old Mac line ending); save the file with LF or CRLF line endings")
			return nil, errReported
		}
	}
	return data, nil
}

// readModuleSource reads a module file within the limits: its own size,
// the size of all module files together, and its number of lines. It
// returns false when it reported a problem or failed.
func (l *loader) readModuleSource(m *moduleFile) ([]byte, bool) {
	lim := l.limits
	info, err := os.Stat(filepath.Join(l.dir, filepath.FromSlash(m.rel)))
	if err != nil {
		l.fail(fmt.Errorf("course: %w", err))
		return nil, false
	}
	if size := info.Size(); size <= lim.ModuleFileSize && l.markdownRead+size > lim.MarkdownSize {
		l.errs.add(m.rel, 0, 0, "with this file the module files come to over %s, the most a course may hold; split the course into several courses", bytesize.Format(lim.MarkdownSize))
		return nil, false
	}
	data, err := l.readSource(m.rel, lim.ModuleFileSize, "a module file; split it into several modules")
	switch {
	case errors.Is(err, errReported):
		return nil, false
	case err != nil:
		l.fail(fmt.Errorf("course: %w", err))
		return nil, false
	}
	l.markdownRead += int64(len(data))
	lines := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		lines++
	}
	if lines > lim.ModuleLines {
		l.errs.add(m.rel, lim.ModuleLines+1, 0, "the file has %d lines, over the limit of %d for a module file; split it into several modules", lines, lim.ModuleLines)
		return nil, false
	}
	return data, true
}

// frontMatterFits reports whether the front matter of m, which ends at line
// closing, is within the limit, reporting it when it is not.
func (l *loader) frontMatterFits(m *moduleFile, closing int) bool {
	size := m.lines.lineStart(closing) - m.lines.lineStart(2)
	if size <= l.limits.FrontMatterSize {
		return true
	}
	l.errs.add(m.rel, 1, 1, "the front matter is %s, over the limit of %s; it needs only the module's id, title and a few more keys", bytesize.Format(int64(size)), bytesize.Format(int64(l.limits.FrontMatterSize)))
	return false
}

// moduleCountFits reports whether the modules list, of items, is within the
// limit, reporting the first module over it when it is not.
func (l *loader) moduleCountFits(d *yamlDoc, items []*yaml.Node) bool {
	if len(items) <= l.limits.Modules {
		return true
	}
	d.errorf(items[l.limits.Modules], "modules: the course lists %d modules, over the limit of %d; split it into several courses", len(items), l.limits.Modules)
	return false
}

// pageCountFits reports whether m, split into pages, is within the limit,
// reporting the page break that starts the first page over it when it is
// not.
func (l *loader) pageCountFits(m *moduleFile, pages []pageSpan) bool {
	if len(pages) <= l.limits.Pages {
		return true
	}
	l.errs.add(m.rel, pages[l.limits.Pages].opener, 1, "the module has %d pages, over the limit of %d; split it into several modules", len(pages), l.limits.Pages)
	return false
}

// countQuestion reports the question block n when it is the first over the
// module's limit. (It is called as each block is counted.)
func (p *pageReader) countQuestion(n *blockNode) {
	if p.m.questionBlocks == p.l.limits.Questions+1 {
		p.errorAt(n.start, "this is question %d of the module, over the limit of %d; split the module into several modules", p.m.questionBlocks, p.l.limits.Questions)
	}
}

// checkYAMLShape reports, at the node at fault, a document that nests more
// than yamlMaxDepth levels or whose aliases stand for more than
// yamlMaxAliased values, and returns false; it walks each node once
// whatever the aliases.
func (d *yamlDoc) checkYAMLShape(doc *yaml.Node) bool {
	// height is the depth below each node (1 for a scalar) and size the
	// values it stands for, aliases written out (saturating); both are
	// computed once per node.
	type measure struct{ height, size int }
	memo := map[*yaml.Node]measure{}
	onStack := map[*yaml.Node]bool{}
	const huge = 1 << 40
	var measureOf func(n *yaml.Node) measure
	measureOf = func(n *yaml.Node) measure {
		if m, ok := memo[n]; ok {
			return m
		}
		if onStack[n] {
			// An alias to a node that contains it: endless when written out.
			return measure{huge, huge}
		}
		onStack[n] = true
		m := measure{height: 1, size: 1}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			t := measureOf(n.Alias)
			m = measure{t.height, t.size}
		}
		for _, c := range n.Content {
			cm := measureOf(c)
			m.height = min(huge, max(m.height, cm.height+1))
			m.size = min(huge, m.size+cm.size)
		}
		delete(onStack, n)
		memo[n] = m
		return m
	}
	aliased := 0
	var walk func(n *yaml.Node, depth int) bool
	walk = func(n *yaml.Node, depth int) bool {
		if depth > yamlMaxDepth {
			d.errorf(n, "the YAML nests more than %d levels deep here; %s needs only a few levels", yamlMaxDepth, d.file)
			return false
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			m := measureOf(n)
			aliased = min(huge, aliased+m.size)
			switch {
			case m.size >= huge:
				d.errorf(n, "the alias *%s refers to a value that contains it; write the value out instead", n.Value)
				return false
			case aliased > yamlMaxAliased:
				d.errorf(n, "with this alias, the aliases (*name) of the file stand for over %d values (a \"billion laughs\" document); write the values out instead", yamlMaxAliased)
				return false
			case depth+m.height-1 > yamlMaxDepth:
				d.errorf(n, "the YAML nests more than %d levels deep through the alias *%s; %s needs only a few levels", yamlMaxDepth, n.Value, d.file)
				return false
			}
			return true
		}
		for _, c := range n.Content {
			if !walk(c, depth+1) {
				return false
			}
		}
		return true
	}
	for _, c := range doc.Content {
		if !walk(c, 1) {
			return false
		}
	}
	return true
}

// pathProblem turns the failure to look up the file a course names into a
// problem when the name is at fault (too long, not a valid name, or a loop
// of symbolic links), or returns "".
func pathProblem(ref string, err error) problem {
	switch {
	case errors.Is(err, syscall.ENAMETOOLONG):
		return problem(fmt.Sprintf("%s is too long a path for this system; use shorter names", quote(ref)))
	case errors.Is(err, syscall.ELOOP):
		return problem(fmt.Sprintf("%s is a symbolic link that leads round in a loop", quote(ref)))
	case errors.Is(err, syscall.EINVAL):
		// Such as a NUL character, which no file name can hold.
		return problem(fmt.Sprintf("%s is not a valid file name", quote(ref)))
	}
	return ""
}

// ReadFileWithin reads the file at path, which belongs with a course but
// is not read by Load (a brand overlay, a template override), at most
// limit bytes of it. When the file is not a regular file or is larger than
// limit, the data is nil and problem is the message for its author, which
// names it as what ("a brand overlay"); a file that does not exist comes
// back as an fs.ErrNotExist error, and I/O failures as they come. The file
// is never read past its limit, and a FIFO or device never opened.
func ReadFileWithin(path string, limit int64, what string) (data []byte, problem string, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, "", err
	}
	if !info.Mode().IsRegular() {
		return nil, "is not a regular file; put the file itself here", nil
	}
	if info.Size() > limit {
		return nil, fmt.Sprintf("the file is %s, over the limit of %s for %s", bytesize.Format(info.Size()), bytesize.Format(limit), what), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Sprintf("the file is over the limit of %s for %s", bytesize.Format(limit), what), nil
	}
	return data, "", nil
}
