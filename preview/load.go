package preview

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/course"
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
	opts := coursepack.Options{Dir: s.opts.Dir, Formats: []string{s.format.Name()}, Layout: s.opts.Layout}
	if s.opts.Brand == "" {
		return coursepack.Check(opts)
	}
	return coursepack.CheckBrand(opts, s.opts.Brand)
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
