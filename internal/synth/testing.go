package synth

import "testing"

// TempCourse writes the course s describes into a new temporary folder of
// tb, removed when tb ends, and returns the folder; for benchmark set-ups.
func TempCourse(tb testing.TB, s Spec) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := Generate(dir, s); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// BenchSizes are the presets benchmarks run on: small and medium (large
// is for bench/perf.sh, which times whole builds).
func BenchSizes() []Spec { return []Spec{Small, Medium} }
