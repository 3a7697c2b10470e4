package bundle_test

import (
	"testing"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/synth"
)

// BenchmarkBuild measures rendering every unit's HTML page (one per module)
// with the player's files and the asset list, for SCORM 1.2.
func BenchmarkBuild(b *testing.B) {
	for _, s := range synth.BenchSizes() {
		b.Run(s.Name, func(b *testing.B) {
			c, err := course.Load(synth.TempCourse(b, s))
			if err != nil {
				b.Fatal(err)
			}
			plans, err := bundle.Plans(c, format.LayoutModule)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				contents, err := bundle.Build(c, plans[0].Units, "scorm12")
				if err != nil {
					b.Fatal(err)
				}
				size := 0
				for _, p := range contents.Pages {
					size += len(p.Data)
				}
				b.SetBytes(int64(size))
			}
		})
	}
}
