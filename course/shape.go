package course

// This file guards goldmark against pages whose parsing time grows with
// the square of their size: deeply nested block quotes and lists, deeply
// nested brackets, and paragraphs packed with links, emphasis markers or
// footnotes. Each such shape takes goldmark seconds to minutes on a page of
// a few hundred kilobytes, and no course needs it. A single pass over the
// page, before goldmark sees it, refuses them with a located message.
//
// The pass reads lines, not Markdown: it does not know which lines are
// code, so it counts in code blocks too (a code sample with 33 levels of
// nesting is refused with the rest). Where it must guess it errs on the
// side of counting more, so that what it lets through is bounded.

// The bounds of a page's shape.
const (
	// shapeMaxNesting caps the block quotes, list items and footnotes that
	// one line opens or continues: its markers (> - + * 1. [^x]:) plus,
	// for a list item, one level for each two columns it is indented.
	shapeMaxNesting = 32
	// shapeMaxBrackets caps how deeply [ brackets nest in a paragraph.
	shapeMaxBrackets = 32
	// shapeMaxLinks caps the ]( and ][ of a line: the starts of links and
	// references, each of which goldmark may read to the end of the line.
	shapeMaxLinks = 32
	// shapeMaxDefinitions caps the ]: of a paragraph: link definitions,
	// which goldmark takes off a paragraph one at a time.
	shapeMaxDefinitions = 256
	// shapeMaxDelimiters caps the runs of * _ and ~ in a paragraph.
	shapeMaxDelimiters = 1_000
	// shapeMaxCells caps the | of a line: the cells of a table row (and
	// so the cells goldmark adds to fill out each shorter row).
	shapeMaxCells = 64
	// shapeMaxPairWork caps, for a paragraph, its pairs of [ ] times its
	// lines: goldmark reads back over the lines for each pair.
	shapeMaxPairWork = 1_000_000
	// shapeMaxFootnotes caps the footnote references and notes ([^) of a
	// page.
	shapeMaxFootnotes = 500
	// maxBlockAttrs caps the key=value attributes of a course block's
	// opening line (blocks.go); checking each against the others would
	// otherwise take time growing with the square of their number.
	maxBlockAttrs = 16
)

// checkShape reports the first shape of the page that goldmark would take
// too long over and returns false, or returns true.
func (p *pageReader) checkShape() bool {
	src := p.src
	footnotes := 0
	// The paragraph being read: where it starts, its lines, and what it
	// holds so far.
	var para struct {
		start, lines                  int
		brackets, pairs, defs, delims int
	}
	// endParagraph checks the paragraph that ends: goldmark finds the line
	// of each [ ] pair by a search back from the paragraph's last line.
	endParagraph := func() bool {
		if para.pairs*para.lines > shapeMaxPairWork {
			p.errorAt(para.start, "this paragraph has %d lines and %d pairs of [ ] (links, references); split it with blank lines", para.lines, para.pairs)
			return false
		}
		para.lines, para.brackets, para.pairs, para.defs, para.delims = 0, 0, 0, 0, 0
		return true
	}
	for start := 0; start < len(src); {
		end := start
		for end < len(src) && src[end] != '\n' {
			end++
		}
		line := src[start:end]
		markers, rest, quotesOnly := lineMarkers(line)
		if markers > shapeMaxNesting {
			p.errorAt(start, "block quotes, lists and footnotes nest more than %d levels deep on this line; no page needs so many", shapeMaxNesting)
			return false
		}
		if quotesOnly && isBlankBytes(line[rest:]) {
			// A blank line (or one of block-quote markers only) ends a
			// paragraph: goldmark parses the text of each apart. (An empty
			// list item may not: it cannot interrupt a paragraph.)
			if !endParagraph() {
				return false
			}
			start = end + 1
			continue
		}
		if para.lines == 0 {
			para.start = start
		}
		para.lines++
		cells, links := 0, 0
		for i := rest; i < len(line); i++ {
			c := line[i]
			switch c {
			case '\\':
				i++ // an escaped character is text
			case '[':
				para.brackets++
				if para.brackets > shapeMaxBrackets {
					p.errorAt(start+i, "[ brackets nest more than %d deep in this paragraph; no page needs so many", shapeMaxBrackets)
					return false
				}
				if i+1 < len(line) && line[i+1] == '^' {
					footnotes++
					if footnotes > shapeMaxFootnotes {
						p.errorAt(start+i, "the page has more than %d footnote references and notes ([^...]); split it into several pages", shapeMaxFootnotes)
						return false
					}
				}
			case ']':
				if para.brackets > 0 {
					para.brackets--
					para.pairs++
				}
				switch {
				case i+1 >= len(line):
				case line[i+1] == '(' || line[i+1] == '[':
					links++
					if links > shapeMaxLinks {
						p.errorAt(start+i, "this line has more than %d links; split it into several lines", shapeMaxLinks)
						return false
					}
				case line[i+1] == ':':
					para.defs++
					if para.defs > shapeMaxDefinitions {
						p.errorAt(start+i, "more than %d link definitions ([label]: address) follow each other here; separate them with blank lines", shapeMaxDefinitions)
						return false
					}
				}
			case '*', '_', '~':
				if i == 0 || line[i-1] != c {
					para.delims++
					if para.delims > shapeMaxDelimiters {
						p.errorAt(start+i, "this paragraph has more than %d runs of *, _ and ~ (emphasis markers); split it with blank lines, or write one that is not emphasis as \\*, \\_ or \\~", shapeMaxDelimiters)
						return false
					}
				}
			case '|':
				cells++
				if cells > shapeMaxCells {
					p.errorAt(start+i, "this line has more than %d | characters; a table may have at most %d columns", shapeMaxCells, shapeMaxCells-1)
					return false
				}
			}
		}
		start = end + 1
	}
	return endParagraph()
}

// lineMarkers counts the container markers that open line, and returns the
// offset of what follows them and whether they are all block-quote markers
// (or there are none). Block quotes (>), list items (- + * and
// 1. or 1)) and footnotes ([^label]:) count one each, and a list item
// counts one more for every two columns it is indented (each level of a
// nested list is indented by at least two).
func lineMarkers(line []byte) (count, rest int, quotesOnly bool) {
	i := 0
	quotesOnly = true
	for {
		col := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				col += 4 - col%4
			} else {
				col++
			}
			i++
		}
		if i >= len(line) {
			return count, i, quotesOnly
		}
		switch c := line[i]; {
		case c == '>':
			count++
			i++
			continue
		case c == '-' || c == '+' || c == '*':
			if endsMarker(line, i+1) {
				count += 1 + col/2
				i++
				quotesOnly = false
				continue
			}
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && endsMarker(line, j+1) {
				count += 1 + col/2
				i = j + 1
				quotesOnly = false
				continue
			}
		case c == '[' && i+1 < len(line) && line[i+1] == '^':
			j := i + 2
			for j < len(line) && line[j] != ']' {
				j++
			}
			if j+1 < len(line) && line[j+1] == ':' {
				count++
				i = j + 2
				quotesOnly = false
				continue
			}
		}
		return count, i, quotesOnly
	}
}

// endsMarker reports whether offset i of line ends a list marker: a space,
// a tab or the end of the line follows it.
func endsMarker(line []byte, i int) bool {
	return i >= len(line) || line[i] == ' ' || line[i] == '\t' || line[i] == '\r'
}

func isBlankBytes(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
