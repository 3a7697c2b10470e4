package dist_test

import (
	"io"
	"os"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/internal/synth"
	"github.com/coursepack/coursepack/scorm"
	"github.com/coursepack/coursepack/web"
	"github.com/coursepack/coursepack/xapi"
)

// scormPackage builds, without writing it, the SCORM 1.2 package of the
// synthetic course s.
func scormPackage(b *testing.B, s synth.Spec) *dist.Package {
	c, err := course.Load(synth.TempCourse(b, s))
	if err != nil {
		b.Fatal(err)
	}
	pkgs, err := scorm.V12{}.Build(c, format.Options{Layout: format.LayoutModule})
	if err != nil {
		b.Fatal(err)
	}
	return pkgs[0]
}

// packageBytes is the total size of p's files.
func packageBytes(b *testing.B, p *dist.Package) int64 {
	var n int64
	for _, f := range p.Files {
		if f.Data != nil {
			n += int64(len(f.Data))
			continue
		}
		info, err := os.Stat(f.Source)
		if err != nil {
			b.Fatal(err)
		}
		n += info.Size()
	}
	return n
}

// BenchmarkZipPackage measures zipping a package (pages deflated, media
// streamed and stored) to memory's void: the CPU side of writing.
func BenchmarkZipPackage(b *testing.B) {
	for _, s := range synth.BenchSizes() {
		b.Run(s.Name, func(b *testing.B) {
			p := scormPackage(b, s)
			b.SetBytes(packageBytes(b, p))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := dist.WriteZip(io.Discard, p, dist.ZipOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteAll measures writing a package to disk as WriteAll does:
// a temporary file, flushed to disk, then renamed.
func BenchmarkWriteAll(b *testing.B) {
	for _, s := range synth.BenchSizes() {
		b.Run(s.Name, func(b *testing.B) {
			p := scormPackage(b, s)
			out := b.TempDir()
			b.SetBytes(packageBytes(b, p))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := dist.WriteAll(out, []*dist.Package{p}, dist.ZipOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteAllFormats measures writing the packages of every format
// of one build at once, as `coursepack build` does: pages rendered as they
// are written, and the entries the zips share (player, media) compressed
// or checksummed once for them all.
func BenchmarkWriteAllFormats(b *testing.B) {
	for _, s := range synth.BenchSizes() {
		b.Run(s.Name, func(b *testing.B) {
			c, err := course.Load(synth.TempCourse(b, s))
			if err != nil {
				b.Fatal(err)
			}
			var pkgs []*dist.Package
			for _, f := range []format.Format{scorm.V12{}, scorm.V2004{}, xapi.TinCan{}, xapi.CMI5{}, web.Format{}} {
				built, err := f.Build(c, format.Options{Layout: format.LayoutModule, RenderAtWrite: true})
				if err != nil {
					b.Fatal(err)
				}
				pkgs = append(pkgs, built...)
			}
			out := b.TempDir()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := dist.WriteAll(out, pkgs, dist.ZipOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
