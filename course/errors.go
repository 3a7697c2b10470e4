package course

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is one problem in a course folder that its author must fix.
type Error struct {
	// File is the file at fault, relative to the course folder, with
	// forward slashes.
	File string
	// Line and Col locate the problem, counting from 1; Col counts
	// characters, not bytes. Col is 0 when only the line is known, and both
	// are 0 when the problem concerns the whole file.
	Line, Col int
	// Msg says what is wrong and what to do about it.
	Msg string
}

// Error formats the problem as file:line:col: message, leaving out the
// column or the line and column when they are unknown.
func (e Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
}

// Errors is every problem Load found in a course folder, sorted by file,
// line and column.
type Errors []Error

// Error lists the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects Errors while a course loads.
type problems struct {
	list Errors
}

func (p *problems) add(file string, line, col int, format string, args ...any) {
	p.list = append(p.list, Error{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the problems in file, line, column order; problems at the
// same place keep the order they were found in.
func (p *problems) sorted() Errors {
	out := append(Errors(nil), p.list...)
	slices.SortStableFunc(out, func(a, b Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return out
}

// lineIndex maps byte offsets of a file to lines and columns.
type lineIndex struct {
	data   []byte
	starts []int // byte offset of the start of each line
}

func newLineIndex(data []byte) *lineIndex {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{data: data, starts: starts}
}

// pos returns the 1-based line and character column of byte offset off.
func (x *lineIndex) pos(off int) (line, col int) {
	off = max(0, min(off, len(x.data)))
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	return i + 1, utf8.RuneCount(x.data[x.starts[i]:off]) + 1
}

// lineStart returns the byte offset at which 1-based line n starts.
func (x *lineIndex) lineStart(n int) int {
	if n-1 < len(x.starts) {
		return x.starts[n-1]
	}
	return len(x.data)
}

// quote puts text the author wrote in double quotes, escaping it only when
// it holds quotes or control characters (so a Windows path keeps single
// backslashes).
func quote(s string) string {
	if strings.ContainsRune(s, '"') || strings.ContainsFunc(s, unicode.IsControl) {
		return strconv.Quote(s)
	}
	return `"` + s + `"`
}
