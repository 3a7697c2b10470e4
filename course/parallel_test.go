package course

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/internal/synth"
)

// loadWith loads dir with GOMAXPROCS set to procs, so that readAllPages
// reads that many modules at once.
func loadWith(t *testing.T, dir string, procs int) (*Course, error) {
	t.Helper()
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	return Load(dir)
}

func TestLoadInParallelIsLoadInTurn(t *testing.T) {
	spec := synth.Small
	spec.Modules = 9
	dir := t.TempDir()
	if _, err := synth.Generate(dir, spec); err != nil {
		t.Fatal(err)
	}
	one, err := loadWith(t, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, procs := range []int{2, 5} {
		many, err := loadWith(t, dir, procs)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(one, many) {
			t.Errorf("GOMAXPROCS %d: the course differs from the one read a module at a time", procs)
		}
	}

	// Break the modules in ways whose problems could be found in another
	// order: ids used again within and across modules, missing files,
	// unclosed blocks.
	for i, name := range []string{"001-module.md", "004-module.md", "007-module.md", "009-module.md"} {
		file := filepath.Join(dir, "modules", name)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(data), "## Check your knowledge\n", "## Check your knowledge\n\n![gone](../media/missing.png)\n\n::: reflection id=m001-r1 max=10\nAgain?\n:::\n\n::: reflection id=m001-r1\nAnd again?\n:::\n", 1)
		if i%2 == 1 {
			text = strings.Replace(text, "## Looking back\n", "## Looking back\n\n::: note\nnever closed\n", 1)
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, want := loadWith(t, dir, 1)
	if want == nil || !strings.Contains(want.Error(), "duplicate id") {
		t.Fatalf("got %v, want duplicate ids", want)
	}
	for _, procs := range []int{2, 5} {
		if _, got := loadWith(t, dir, procs); got == nil || got.Error() != want.Error() {
			t.Errorf("GOMAXPROCS %d: problems\n%v\nwant\n%v", procs, got, want)
		}
	}
}
