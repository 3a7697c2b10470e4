package lint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/internal/golden"
	"github.com/coursepack/coursepack/internal/txtar"
)

// The cases live in testdata/*.txtar, in the format of package
// internal/txtar: the files of a course folder that loads, and a file named
// "want" with the exact problems Check must report, one per line as
// Problem.String prints them (none for a clean course). The usual golden
// switch (COURSEPACK_UPDATE_GOLDEN=1, see internal/golden) rewrites the
// want files; review them with git diff.
var corpus = []struct {
	name string
	opts Options
	// rules are the rules the problems of the case come from.
	rules []string
}{
	{"alt-text", Options{}, []string{RuleAltText}},
	{"anchors", Options{}, []string{RuleAnchor}},
	{"clean", Options{}, nil},
	{"completion", Options{}, []string{RuleCompletion, RuleAnswer}},
	{"completion-no-mastery", Options{}, []string{RuleCompletion, RuleAnswer}},
	{"empty-page", Options{}, []string{RuleEmptyPage}},
	{"external-links", Options{}, []string{RuleExternalLink}},
	{"headings", Options{}, []string{RuleHeadings}},
	{"media-size", Options{MaxMediaSize: 100, MaxTotalMediaSize: 300}, []string{RuleMediaSize, RuleTotalMedia}},
	{"offline", Options{Offline: true}, []string{RuleExternalLink}},
	{"module-links", Options{UnitPerModule: true}, []string{RuleModuleLink}},
	{"whole-course", Options{WholeCourse: true}, []string{RuleCompletion, RuleAnswer}},
}

func TestCorpus(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tt := range corpus {
		names = append(names, tt.name)
	}
	for _, a := range archives {
		if name := strings.TrimSuffix(filepath.Base(a), ".txtar"); !slices.Contains(names, name) {
			t.Errorf("testdata/%s.txtar is not in the corpus table", name)
		}
	}
	for _, tt := range corpus {
		t.Run(tt.name, func(t *testing.T) {
			archive := filepath.Join("testdata", tt.name+".txtar")
			dir, want := txtar.Extract(t, archive)
			c, err := course.Load(dir)
			if err != nil {
				t.Fatalf("the course does not load: %v", err)
			}
			var got []string
			for _, p := range Check(c, tt.opts) {
				got = append(got, p.String())
				if !slices.Contains(tt.rules, p.Rule) {
					t.Errorf("rule %q, want one of %q: %s", p.Rule, tt.rules, p)
				}
			}
			if golden.Updating() {
				rewriteWant(t, archive, got)
				return
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// rewriteWant replaces the want file of an archive with lines.
func rewriteWant(t *testing.T, archive string, lines []string) {
	t.Helper()
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "-- want --\n")
	if start < 0 {
		t.Fatalf("%s has no want file", archive)
	}
	start += len("-- want --\n")
	// The want file ends where the next file starts, or at the end.
	end := len(s)
	if strings.HasPrefix(s[start:], "-- ") {
		end = start
	} else if i := strings.Index(s[start:], "\n-- "); i >= 0 {
		end = start + i + 1
	}
	body := ""
	if len(lines) > 0 {
		body = strings.Join(lines, "\n") + "\n"
	}
	if err := os.WriteFile(archive, []byte(s[:start]+body+s[end:]), 0o644); err != nil {
		t.Fatal(err)
	}
}
