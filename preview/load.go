package preview

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/brand"
	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/templates"
)

// checkBrand checks Options.Brand: one file (a glob may name one, not
// several), and notes where the watcher finds it.
func (s *Server) checkBrand() error {
	if s.opts.Brand == "" {
		return nil
	}
	files, err := coursepack.BrandFiles([]string{s.opts.Brand})
	if err != nil {
		return err
	}
	if len(files) > 1 {
		return &coursepack.UsageError{Msg: fmt.Sprintf("preview runs one brand at a time: --brand %s names %d overlays (%s); name one of them",
			s.opts.Brand, len(files), strings.Join(files, ", "))}
	}
	s.opts.Brand = files[0]
	rel := course.RelativeFile(s.opts.Dir, s.opts.Brand)
	if strings.HasPrefix(rel, "../") || filepath.IsAbs(filepath.FromSlash(rel)) {
		s.brandKey = filepath.ToSlash(s.opts.Brand)
	}
	return nil
}

// load loads and checks the course as coursepack.Check does, with the
// brand overlay merged over course.yaml when there is one, as build
// --brand merges it.
func (s *Server) load() (*course.Course, course.Errors, error) {
	if s.opts.Brand == "" {
		return coursepack.Check(coursepack.Options{Dir: s.opts.Dir, Formats: []string{s.format.Name()}, Layout: s.opts.Layout})
	}
	overlay, err := brand.Read(s.opts.Brand, s.opts.Dir)
	if err != nil {
		return nil, nil, err
	}
	c, err := course.LoadWith(s.opts.Dir, course.LoadOptions{Overlay: overlay})
	if err != nil {
		return nil, nil, err
	}
	player, err := templates.ForCourse(c)
	if err != nil {
		return nil, nil, err
	}
	if err := player.Check(c); err != nil {
		return nil, nil, err
	}
	warnings, err := stateWarnings(c, s.format, s.opts.Layout)
	if err != nil {
		return nil, nil, err
	}
	return c, warnings, nil
}

// stateWarnings are the warnings coursepack.Check gives a build of one
// format: units whose learner state can outgrow what the format stores.
// coursepack does not offer its check with a brand overlay, so the
// preview of a brand makes the same check here.
func stateWarnings(c *course.Course, f format.Format, layout format.Layout) (course.Errors, error) {
	var warnings course.Errors
	plans, err := bundle.Plans(c, layout)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, plan := range plans {
		for _, u := range plan.Units {
			worst, limit := templates.StateBudget(u.Modules, f.Runtime())
			if limit == 0 || worst <= limit {
				continue
			}
			file := course.CourseFile
			if len(u.Modules) == 1 {
				file = u.Modules[0].Source
			}
			name := fmt.Sprintf("module %q", u.ID)
			if u.ID == bundle.CourseUnitID {
				name = "the course"
			}
			msg := fmt.Sprintf("%s: the learner state of %s can reach %d characters, over the %d the format stores "+
				"(longer answers reach the LMS shortened; the learner keeps the full text); cap reflections with max= to fit",
				f.Name(), name, worst, limit)
			if !seen[file+msg] {
				seen[file+msg] = true
				warnings = append(warnings, course.Error{File: file, Line: 1, Msg: msg})
			}
		}
	}
	return warnings, nil
}

// scan stamps the course folder's files, and the brand overlay when it
// lies outside the folder.
func (s *Server) scan() (map[string]fileStamp, error) {
	m, err := scan(s.opts.Dir)
	if m != nil && s.brandKey != "" {
		if info, err := os.Stat(s.opts.Brand); err == nil {
			m[s.brandKey] = fileStamp{mod: info.ModTime(), size: info.Size()}
		}
	}
	return m, err
}
