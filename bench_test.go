package coursepack

import (
	"context"
	"testing"

	"github.com/coursepack/coursepack/internal/synth"
)

// BenchmarkBuild measures whole builds, as the command runs them: load,
// render, manifests and zips written to disk, for SCORM 1.2 alone and for
// every format.
func BenchmarkBuild(b *testing.B) {
	for _, s := range synth.BenchSizes() {
		for _, formats := range [][]string{{"scorm12"}, nil} {
			name := s.Name + "/scorm12"
			if formats == nil {
				name = s.Name + "/all"
			}
			b.Run(name, func(b *testing.B) {
				dir := synth.TempCourse(b, s)
				out := b.TempDir()
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if _, err := Build(context.Background(), Options{Dir: dir, Formats: formats, Out: out}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
