package scorm_test

import (
	"testing"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/synth"
	"github.com/coursepack/coursepack/scorm"
)

// BenchmarkManifest12 measures making and serialising the SCORM 1.2
// imsmanifest.xml of a package with a SCO per module.
func BenchmarkManifest12(b *testing.B) {
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
			contents, err := bundle.Build(c, plans[0].Units, "scorm12")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				doc := scorm.Manifest12(c, plans[0], contents)
				doc.Indent(2)
				if _, err := doc.WriteToBytes(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
