package course_test

import (
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/internal/synth"
)

// BenchmarkLoad measures the loader: course.yaml, every module file (front
// matter, pages rendered by goldmark, course blocks) and the assets'
// metadata.
func BenchmarkLoad(b *testing.B) {
	for _, s := range synth.BenchSizes() {
		b.Run(s.Name, func(b *testing.B) {
			dir := synth.TempCourse(b, s)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := course.Load(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
