package lint

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/coursepack/coursepack/course"
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
		r.add(at, Warning, RuleMediaSize, "%s is %s, over the %s a file should take (--max-media-size); compress it, or split it into smaller files", quote(a.Path), Size(a.Size), Size(maxFile))
	}
	if total > maxTotal {
		r.add(course.Pos{File: course.CourseFile}, Warning, RuleTotalMedia, "the course's %d files take %s together, over the %s a package should carry (--max-total-media-size): an LMS may refuse to upload it; compress the largest files", len(c.Assets), Size(total), Size(maxTotal))
	}
}

// Size formats a number of bytes for a person: "73.4 MB", "512 kB",
// "999 bytes" (1 kB is 1,000 bytes, 1 MB 1,000,000).
func Size(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return trimZero(float64(n)/1e9) + " GB"
	case n >= 1_000_000:
		return trimZero(float64(n)/1e6) + " MB"
	case n >= 1_000:
		return trimZero(float64(n)/1e3) + " kB"
	case n == 1:
		return "1 byte"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// trimZero formats f with one decimal, without a trailing ".0".
func trimZero(f float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}

// ParseSize reads a size such as "50MB", "1.5 GB", "500kB" or "2000000"
// (bytes). Units are decimal (kB = 1,000 bytes, MB = 1,000,000, GB =
// 1,000,000,000) and may be written in any case, with or without a space
// and a final B; the size must be above 0.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	unit := int64(1)
	for _, u := range []struct {
		suffix string
		scale  int64
	}{{"GB", 1e9}, {"G", 1e9}, {"MB", 1e6}, {"M", 1e6}, {"KB", 1e3}, {"K", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, unit = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.scale
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	n := f * float64(unit)
	if err != nil || strings.ContainsAny(t, "EXPN_") || n < 1 || n >= 1<<62 {
		return 0, fmt.Errorf("%q is not a size; write one such as 50MB, 500kB or 1.5GB", s)
	}
	return int64(n), nil
}
