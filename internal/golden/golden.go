// Package golden compares a test's output with a file kept under testdata/
// and, when asked, rewrites that file.
//
// To rewrite every golden file of the module:
//
//	COURSEPACK_UPDATE_GOLDEN=1 go test ./...
//
// To rewrite those of one package whose tests define an -update flag
// (var update = flag.Bool("update", false, "rewrite golden files")):
//
//	go test ./dist -update
//
// (`go test ./... -update` fails in every package that does not define the
// flag, hence the environment variable.) Review the rewritten files with
// git diff before they are committed.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EnvUpdate is the environment variable that, set to 1 (or "true"), makes
// Check rewrite golden files in every package.
const EnvUpdate = "COURSEPACK_UPDATE_GOLDEN"

// Updating reports whether golden files are to be rewritten: the test
// binary's -update flag is set, or COURSEPACK_UPDATE_GOLDEN is 1 or true.
func Updating() bool {
	switch strings.ToLower(os.Getenv(EnvUpdate)) {
	case "1", "true", "yes":
		return true
	}
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	if g, ok := f.Value.(flag.Getter); ok {
		if b, ok := g.Get().(bool); ok {
			return b
		}
	}
	return f.Value.String() == "true"
}

// Check compares got with the file at path (relative to the test's package
// folder, such as "testdata/listing.golden") and fails t, with a line diff,
// when they differ. When Updating, it writes got to path instead (creating
// its folder) and logs that it did.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		old, err := os.ReadFile(path)
		if err == nil && bytes.Equal(old, got) {
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		t.Logf("golden: wrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Fatalf("golden: %s does not exist; create it with %s=1 go test (then review it)", path, EnvUpdate)
	}
	if err != nil {
		t.Fatalf("golden: %v", err)
	}
	if bytes.Equal(want, got) {
		return
	}
	hint := ""
	if bytes.Equal(bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n")), got) {
		hint = " (only line endings differ: check git's autocrlf setting)"
	}
	t.Errorf("golden: output differs from %s%s; if the change is intended, rerun with %s=1 and review the diff\n--- %s (want)\n+++ got\n%s",
		path, hint, EnvUpdate, path, Diff(string(want), string(got)))
}

// Diff returns a line diff of a and b: lines only in a start with "-",
// lines only in b with "+", and up to three lines of context around each
// change with " ". Long inputs are compared by their common prefix and
// suffix, then line by line in the middle.
func Diff(a, b string) string {
	al := splitLines(a)
	bl := splitLines(b)
	// Trim the common prefix and suffix, keeping the lines for context.
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	am := al[pre : len(al)-suf]
	bm := bl[pre : len(bl)-suf]

	type op struct {
		kind byte
		line string
	}
	var ops []op
	if len(am)*len(bm) > 4_000_000 {
		// Too large for the table below: show the middle as removed, then
		// added.
		for _, l := range am {
			ops = append(ops, op{'-', l})
		}
		for _, l := range bm {
			ops = append(ops, op{'+', l})
		}
	} else {
		// Longest common subsequence, by dynamic programming.
		n, m := len(am), len(bm)
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if am[i] == bm[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && am[i] == bm[j]:
				ops = append(ops, op{' ', am[i]})
				i++
				j++
			case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, op{'-', am[i]})
				i++
			default:
				ops = append(ops, op{'+', bm[j]})
				j++
			}
		}
	}
	const context = 3
	var sb strings.Builder
	first := max(0, pre-context)
	if first > 0 {
		fmt.Fprintf(&sb, "@@ line %d @@\n", first+1)
	}
	for _, l := range al[first:pre] {
		sb.WriteString(" " + l + "\n")
	}
	// Print the changes, eliding long runs of unchanged lines.
	lastChange := -1
	for k, o := range ops {
		if o.kind != ' ' {
			lastChange = k
		}
	}
	for k := 0; k < len(ops); k++ {
		o := ops[k]
		if o.kind == ' ' {
			// Find the run of unchanged lines starting here.
			end := k
			for end < len(ops) && ops[end].kind == ' ' {
				end++
			}
			if end-k > 2*context && end <= lastChange {
				for _, c := range ops[k : k+context] {
					sb.WriteString(" " + c.line + "\n")
				}
				sb.WriteString("@@ ... @@\n")
				for _, c := range ops[end-context : end] {
					sb.WriteString(" " + c.line + "\n")
				}
				k = end - 1
				continue
			}
		}
		sb.WriteString(string(o.kind) + o.line + "\n")
	}
	tail := al[len(al)-suf:]
	if len(tail) > context {
		tail = tail[:context]
	}
	for _, l := range tail {
		sb.WriteString(" " + l + "\n")
	}
	return sb.String()
}

// splitLines splits s into lines, marking a missing final newline.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	} else {
		lines[len(lines)-1] += " (no newline at end)"
	}
	return lines
}
