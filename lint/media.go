package lint

import (
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/internal/bytesize"
)

// checkMedia reports files of the course larger than maxFile, each where
// the course first names it (the theme in course.yaml, then the modules in
// order), and the files together when they are larger than maxTotal.
func checkMedia(r *report, c *course.Course, maxFile, maxTotal int64) {
	first := map[string]course.Pos{}
	note := func(f course.FileRef) {
		if _, seen := first[f.Path]; !seen {
			first[f.Path] = f.At
		}
	}
	for _, f := range c.ThemeFiles {
		note(f)
	}
	for _, m := range c.Modules {
		for _, p := range m.Pages {
			for _, f := range p.Files {
				note(f)
			}
		}
	}
	var total int64
	for _, a := range c.Assets {
		total += a.Size
		if a.Size <= maxFile {
			continue
		}
		at, ok := first[a.Path]
		if !ok {
			at = course.Pos{File: course.CourseFile}
		}
		r.add(at, Warning, RuleMediaSize, "%s is %s, over the %s a file should take (--max-media-size); compress it, or split it into smaller files", quote(a.Path), bytesize.Format(a.Size), bytesize.Format(maxFile))
	}
	if total > maxTotal {
		r.add(course.Pos{File: course.CourseFile}, Warning, RuleTotalMedia, "the course's %d files take %s together, over the %s a package should carry (--max-total-media-size): an LMS may refuse to upload it; compress the largest files", len(c.Assets), bytesize.Format(total), bytesize.Format(maxTotal))
	}
}
