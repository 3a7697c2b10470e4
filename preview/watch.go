package preview

import (
	"context"
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// fileStamp is what the watcher compares: a file's modification time and
// size.
type fileStamp struct {
	mod  time.Time
	size int64
}

// Watch checks the course folder every Options.Poll and rebuilds when a
// file was added, removed or changed (by modification time or size),
// until ctx is done. Polling needs nothing from the operating system, sees
// every editor's way of saving, and a course folder is small; see scan
// for what it skips.
func (s *Server) Watch(ctx context.Context) {
	t := time.NewTicker(s.opts.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.Check()
	}
}

// settle is how long the folder must stay the same before a change is
// built, so that a file caught half-saved is not.
const settle = 40 * time.Millisecond

// Check scans the course folder once and, if anything changed, waits for
// the folder to settle and rebuilds, as a tick of Watch does; it reports
// whether it rebuilt.
func (s *Server) Check() bool {
	now, err := s.scan()
	if err != nil && now == nil {
		return false
	}
	s.mu.RLock()
	changed := diff(s.watched, now)
	s.mu.RUnlock()
	if len(changed) == 0 {
		return false
	}
	for i := 0; i < 25; i++ {
		time.Sleep(settle)
		again, err := s.scan()
		if err != nil && again == nil {
			break
		}
		stable := len(diff(now, again)) == 0
		now = again
		if stable {
			break
		}
	}
	s.mu.Lock()
	changed = diff(s.watched, now)
	s.watched = now
	s.mu.Unlock()
	if len(changed) == 0 {
		return false
	}
	if s.sameContent(changed) {
		s.logf("%s saved without a change: nothing to rebuild", describe(changed))
		return false
	}
	s.rebuild(changed)
	return true
}

// maxHashed is the largest file whose content the watcher remembers, to
// tell a save that changed nothing (an editor's save of an unchanged
// file, a touch) from an edit. The sources of a course are text files of
// a few kB; a larger file is taken as changed whenever its stamp is.
const maxHashed = 1 << 20

// hashFiles remembers the content of the files in stamps that are small
// enough, by path; a file gone or too large is forgotten.
func (s *Server) hashFiles(stamps map[string]fileStamp, paths []string) {
	for _, p := range paths {
		st, ok := stamps[p]
		if !ok || st.size > maxHashed {
			delete(s.hashes, p)
			continue
		}
		data, err := os.ReadFile(s.path(p))
		if err != nil {
			delete(s.hashes, p)
			continue
		}
		s.hashes[p] = sha256.Sum256(data)
	}
}

// sameContent reports whether every changed file is still there with the
// content it had, and remembers the content of those that changed.
func (s *Server) sameContent(changed []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	same := true
	for _, p := range changed {
		old, known := s.hashes[p]
		s.hashFiles(s.watched, []string{p})
		if now, ok := s.hashes[p]; !known || !ok || now != old {
			same = false
		}
	}
	return same
}

// path is the file a watched path names: a file of the course folder, or
// the brand overlay outside it.
func (s *Server) path(p string) string {
	if p == s.brandKey && p != "" {
		return s.opts.Brand
	}
	return filepath.Join(s.opts.Dir, filepath.FromSlash(p))
}

// scan stamps every file of the course folder, by slash-separated path
// relative to it. It skips what is not the course's source: the dist
// folder that builds write into, hidden files and folders (.git, editor
// state), node_modules, and editors' backup and swap files.
func scan(dir string) (map[string]fileStamp, error) {
	out := map[string]fileStamp{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // vanished while we looked
		}
		rel, rerr := filepath.Rel(dir, p)
		if rerr != nil || rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, ".") || name == "node_modules" || rel == "dist" {
				return filepath.SkipDir
			}
			return nil
		}
		if ignored(name) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		out[rel] = fileStamp{mod: info.ModTime(), size: info.Size()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ignored reports whether a file name is an editor's or the system's, not
// the author's.
func ignored(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), // .DS_Store, .foo.swp, .#foo
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".tmp"), name == "4913", // vim's probe file
		name == "Thumbs.db":
		return true
	}
	return false
}

// diff lists the paths added, removed or changed between two scans, sorted.
func diff(before, after map[string]fileStamp) []string {
	seen := map[string]bool{}
	for p, a := range after {
		if b, ok := before[p]; !ok || !b.mod.Equal(a.mod) || b.size != a.size {
			seen[p] = true
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			seen[p] = true
		}
	}
	return sortedKeys(seen)
}
