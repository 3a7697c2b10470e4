package dist

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// rename is os.Rename, replaced in tests to make a rename fail.
var rename = os.Rename

// writeTempFolder writes p's files into a new hidden temporary folder in
// dir, each file flushed to disk, and returns the folder's path (set
// whenever the folder was created, so that the caller can remove it) and
// the total size of its files. The tree depends only on p and mod: files
// and folders get the modes 0644 and 0755 and mod as their modification
// time. Bad paths (see CheckPath) and duplicates are reported before
// anything is written. The rendered files p shares with other packages of
// the same WriteAll are in sh (nil when there are none): their bytes are
// made once for them all.
func writeTempFolder(dir string, p *Package, mod time.Time, sh *shared) (string, int64, error) {
	files, err := sortedFiles(p)
	if err != nil {
		return "", 0, fmt.Errorf("dist: %s: %w", p.Name, err)
	}
	entries := sh.entries(p, files)
	// The folder lets go of its shares, written or not, when it is done.
	defer func() {
		for _, e := range entries {
			e.done()
		}
	}()
	tmp, err := os.MkdirTemp(dir, "."+p.Name+".*.tmp")
	if err != nil {
		return "", 0, fmt.Errorf("dist: %s: %w", p.Name, err)
	}
	fail := func(err error) (string, int64, error) {
		return tmp, 0, fmt.Errorf("dist: %s: %w", p.Name, err)
	}
	folders := []string{tmp}
	for _, f := range files {
		full := filepath.Join(tmp, filepath.FromSlash(f.Path))
		for d := filepath.Dir(full); d != tmp && !slices.Contains(folders, d); d = filepath.Dir(d) {
			folders = append(folders, d)
		}
	}
	// The files are written several at once, so that the waits for each
	// to be flushed to disk overlap; a failure is that of the first file
	// in path order that failed. They are created one at a time: a
	// filesystem locks a folder to add a file to it, and threads waiting
	// for that lock can spin on it (on Linux), burning the CPU the other
	// files need.
	sizes := make([]int64, len(files))
	errs := make([]error, len(files))
	var creating sync.Mutex
	forEach(len(files), folderWorkers, func(i int) {
		f := files[i]
		full := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			errs[i] = fmt.Errorf("%s: %w", f.Path, err)
			return
		}
		n, err := writeFile(full, f, entries[i], &creating)
		if err != nil {
			errs[i] = fmt.Errorf("%s: %w", f.Path, err)
			return
		}
		errs[i] = os.Chtimes(full, mod, mod)
		sizes[i] = n
	})
	var size int64
	for i := range files {
		if errs[i] != nil {
			return fail(errs[i])
		}
		size += sizes[i]
	}
	// The folders last, deepest first, since writing into a folder changes
	// its modification time; then flush their entries.
	slices.SortFunc(folders, func(a, b string) int { return len(b) - len(a) })
	for _, d := range folders {
		if err := os.Chmod(d, 0o755); err != nil {
			return fail(err)
		}
		if err := os.Chtimes(d, mod, mod); err != nil {
			return fail(err)
		}
		syncDir(d)
	}
	return tmp, size, nil
}

// writeFile writes f, from memory or streamed from f.Source, to the new
// file full with mode 0644, flushed to disk, and returns its size. A
// rendered file that other packages share (e, or nil) takes its parts
// from e. The file is created while holding creating.
func writeFile(full string, f File, e *sharedEntry, creating *sync.Mutex) (int64, error) {
	var src io.Reader
	var parts []madePart
	data := f.Data
	if f.rendered() && e != nil {
		var err error
		if parts, err = e.made(f); err != nil {
			return 0, err
		}
	} else if f.rendered() {
		buf, err := f.render()
		if err != nil {
			return 0, err
		}
		defer putBuf(buf)
		data = buf.Bytes()
	} else if f.Data == nil && f.Source != "" {
		s, err := os.Open(f.Source)
		if err != nil {
			return 0, err
		}
		defer s.Close()
		if info, err := s.Stat(); err != nil {
			return 0, err
		} else if !info.Mode().IsRegular() {
			return 0, fmt.Errorf("source %s is not a regular file", f.Source)
		}
		src = s
	}
	creating.Lock()
	out, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	creating.Unlock()
	if err != nil {
		return 0, err
	}
	var n int64
	if src != nil {
		n, err = io.Copy(out, src)
	} else if parts != nil {
		n, err = writeRaw(out, parts)
	} else {
		var m int
		m, err = out.Write(data)
		n = int64(m)
	}
	if err == nil {
		// The mode is set explicitly, whatever the umask.
		err = out.Chmod(0o644)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// replaceFolder renames the temporary folder tmp to target. Whatever is at
// target (a folder written before, or anything else) is first moved aside
// into a hidden folder beside it, removed once tmp is in place, or moved
// back should tmp's rename fail. Between the two renames target does not
// exist; it never holds a mix of old and new files.
func replaceFolder(tmp, target string) error {
	if _, err := os.Lstat(target); os.IsNotExist(err) {
		return rename(tmp, target)
	}
	aside, err := os.MkdirTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.old")
	if err != nil {
		return err
	}
	old := filepath.Join(aside, filepath.Base(target))
	if err := rename(target, old); err != nil {
		os.Remove(aside)
		return err
	}
	if err := rename(tmp, target); err != nil {
		if rerr := rename(old, target); rerr != nil {
			return fmt.Errorf("%w (and the old %s could not be moved back from %s: %v)", err, target, old, rerr)
		}
		os.RemoveAll(aside)
		return err
	}
	os.RemoveAll(aside)
	return nil
}
