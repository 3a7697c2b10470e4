package dist

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Written is a package that WriteAll wrote.
type Written struct {
	// Path is the package's path: dir joined with the package's Name.
	Path string
	// Size is the zip's size in bytes or, for a folder, the total size of
	// its files.
	Size int64
	// SHA256 is the zip's SHA-256 digest in hexadecimal; "" for a folder.
	SHA256 string
}

// checkName reports whether name may be a zip's (or a folder's) name in a
// folder.
func checkName(name string) error {
	switch {
	case name == "", name == ".", name == "..":
		return fmt.Errorf("dist: package name %q is not a file name", name)
	case strings.ContainsAny(name, `/\`), strings.ContainsRune(name, 0):
		return fmt.Errorf("dist: package name %q must be a file name, with no folder", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("dist: package name %q starts with a dot", name)
	}
	return nil
}

// WriteAll writes each package into dir, creating dir if need be: as the
// zip dir/<Name> or, for a package with Folder set, as the folder
// dir/<Name> holding the same files at the same paths. It is all or
// nothing: every zip and folder is first written under a temporary name in
// dir (starting with a dot) and flushed to disk, and only when all of them
// have been written are they renamed into place, replacing any zip or
// folder of the same name. On a failure every temporary file and folder is
// removed and nothing in dir is new or changed; files already in dir are
// left alone.
//
// The renames at the end are not one atomic step: should one of them fail
// (which in a single folder takes a failing disk), the packages renamed
// before it stay in place and the error says so. A folder replacing an
// older one is never a mix of the two: the old folder is moved aside, the
// new one renamed into place, then the old one removed (or, if the rename
// failed, moved back).
func WriteAll(dir string, pkgs []*Package, opts ZipOptions) ([]Written, error) {
	names := make(map[string]bool, len(pkgs))
	for _, p := range pkgs {
		if err := checkName(p.Name); err != nil {
			return nil, err
		}
		if names[p.Name] {
			return nil, fmt.Errorf("dist: two packages are named %q", p.Name)
		}
		names[p.Name] = true
	}
	mod, err := opts.modTime()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dist: %w", err)
	}

	temps := make([]string, 0, len(pkgs))
	removeTemps := func() {
		for _, t := range temps {
			os.RemoveAll(t)
		}
	}
	// The packages are written at once, each to its temporary file or
	// folder: one's disk waits overlap another's compression. On failure,
	// the error is that of the first package that failed, as if they had
	// been written in turn.
	type result struct {
		tmp, sum string
		size     int64
		err      error
	}
	results := make([]result, len(pkgs))
	// What the zips have in common is compressed once (see shared.go).
	sh := planShared(pkgs)
	var wg sync.WaitGroup
	for i, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			if p.Folder {
				r.tmp, r.size, r.err = writeTempFolder(dir, p, mod, sh)
			} else {
				r.tmp, r.size, r.sum, r.err = writeTemp(dir, p, mod, sh)
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.tmp != "" {
			temps = append(temps, r.tmp)
		}
	}
	written := make([]Written, 0, len(pkgs))
	for i, r := range results {
		if r.err != nil {
			removeTemps()
			return nil, r.err
		}
		written = append(written, Written{Path: filepath.Join(dir, pkgs[i].Name), Size: r.size, SHA256: r.sum})
	}
	for i, tmp := range temps {
		place := rename
		if pkgs[i].Folder {
			place = replaceFolder
		}
		if err := place(tmp, written[i].Path); err != nil {
			removeTemps()
			var done []string
			for _, w := range written[:i] {
				done = append(done, w.Path)
			}
			if len(done) > 0 {
				return nil, fmt.Errorf("dist: %w (already in place: %s)", err, strings.Join(done, ", "))
			}
			return nil, fmt.Errorf("dist: %w", err)
		}
	}
	syncDir(dir)
	return written, nil
}

// writeTemp writes p to a new temporary file in dir, flushed to disk, and
// returns its path (set whenever the file was created, so that the caller
// can remove it), size and SHA-256 digest.
func writeTemp(dir string, p *Package, mod time.Time, sh *shared) (string, int64, string, error) {
	f, err := os.CreateTemp(dir, "."+p.Name+".*.tmp")
	if err != nil {
		return "", 0, "", fmt.Errorf("dist: %s: %w", p.Name, err)
	}
	tmp := f.Name()
	fail := func(err error) (string, int64, string, error) {
		f.Close()
		return tmp, 0, "", fmt.Errorf("dist: %s: %w", p.Name, err)
	}
	digest := newBackgroundHash(sha256.New())
	defer digest.stop()
	bw := bufio.NewWriterSize(io.MultiWriter(f, digest), 256<<10)
	if err := writeZip(bw, p, mod, sh); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	info, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return tmp, 0, "", fmt.Errorf("dist: %s: %w", p.Name, err)
	}
	return tmp, info.Size(), hex.EncodeToString(digest.Sum(nil)), nil
}

// Checksums formats the digests of the zips in written as sha256sum does,
// "<digest>  <file name>" a line, sorted by name, so that
// `sha256sum -c checksums.txt` checks them. Folders are left out.
func Checksums(written []Written) []byte {
	var lines []string
	for _, w := range written {
		if w.SHA256 != "" {
			lines = append(lines, w.SHA256+"  "+filepath.Base(w.Path)+"\n")
		}
	}
	sort.Strings(lines)
	return []byte(strings.Join(lines, ""))
}

// WriteFile writes data to path atomically: to a temporary file in the same
// folder, flushed to disk, then renamed over path.
func WriteFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("dist: %w", err)
	}
	return nil
}

// syncDir flushes dir's entries (the renames) to disk where the system
// allows it; a failure is not reported, since the zips are written either
// way and some systems cannot sync a folder at all.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
