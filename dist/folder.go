package dist

import (
	"bufio"
	"bytes"
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
	//
	// A file the folder being replaced holds unchanged (the same bytes,
	// mode and time) is linked into the new folder rather than written
	// again: a rebuild creates no file it need not, which on some
	// filesystems costs more than writing it (see reuse).
	sizes := make([]int64, len(files))
	errs := make([]error, len(files))
	var creating sync.Mutex
	prev := previousFolder(filepath.Join(dir, p.Name))
	forEach(len(files), folderWorkers, func(i int) {
		f := files[i]
		full := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			errs[i] = fmt.Errorf("%s: %w", f.Path, err)
			return
		}
		n, err := writeFile(full, prev.file(f.Path), f, entries[i], mod, &creating)
		if err != nil {
			errs[i] = fmt.Errorf("%s: %w", f.Path, err)
			return
		}
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

// previous is the folder a folder package replaces: root as named, and
// real, the folder it names with every symbolic link resolved; both ""
// when there is none, or when root is not a folder of its own (a
// symbolic link to one, say), whose files must not be linked elsewhere.
type previous struct{ root, real string }

// previousFolder returns the folder at root, which a folder package is
// about to replace.
func previousFolder(root string) previous {
	info, err := os.Lstat(root)
	if err != nil || !info.IsDir() {
		return previous{}
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return previous{}
	}
	return previous{root, real}
}

// prevFile is a file of the folder being replaced: its path, and that
// path with every symbolic link resolved if the file is in real folders
// below the folder's root.
type prevFile struct{ path, real string }

// file returns the file at path p (a package path) in the folder.
func (pf previous) file(p string) prevFile {
	if pf.root == "" {
		return prevFile{}
	}
	return prevFile{filepath.Join(pf.root, filepath.FromSlash(p)), filepath.Join(pf.real, filepath.FromSlash(p))}
}

// writeFile writes f, from memory or streamed from f.Source, to the new
// file full with mode 0644 and modification time mod, flushed to disk, and
// returns its size; or links prev to full, when prev (the file at the
// same path in the folder being replaced) is f already. A rendered file
// that other packages share (e, or nil) takes its parts from e. The file
// is created while holding creating.
func writeFile(full string, prev prevFile, f File, e *sharedEntry, mod time.Time, creating *sync.Mutex) (int64, error) {
	var src *os.File
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
		var err error
		if src, err = os.Open(f.Source); err != nil {
			return 0, err
		}
		defer src.Close()
		if info, err := src.Stat(); err != nil {
			return 0, err
		} else if !info.Mode().IsRegular() {
			return 0, fmt.Errorf("source %s is not a regular file", f.Source)
		}
	}
	size := int64(len(data))
	switch {
	case src != nil:
		info, err := src.Stat()
		if err != nil {
			return 0, err
		}
		size = info.Size()
	case parts != nil:
		size = 0
		for _, p := range parts {
			size += int64(len(p.raw))
		}
	}
	if n, ok := reuse(prev, full, mod, size, func(old io.Reader) bool {
		switch {
		case src != nil:
			same := sameReaders(old, src)
			_, err := src.Seek(0, io.SeekStart)
			return same && err == nil
		case parts != nil:
			for _, p := range parts {
				if !sameReaders(io.LimitReader(old, int64(len(p.raw))), bytes.NewReader(p.raw)) {
					return false
				}
			}
			return sameReaders(old, bytes.NewReader(nil))
		}
		return sameReaders(old, bytes.NewReader(data))
	}); ok {
		return n, nil
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
	if err == nil {
		err = os.Chtimes(full, mod, mod)
	}
	return n, err
}

// link makes a hard link; tests change it.
var link = os.Link

// reuse links prev to full and returns its size when prev is a regular
// file of size bytes with mode 0644 and modification time mod, in real
// folders (no symbolic link on its way from the folder's root), whose bytes same
// accepts (it reads them from the start), flushed to disk. Anything else,
// a link that fails included, returns false: the file is then written.
//
// A rebuild into the same folder then creates only the files that
// changed. On ext4 without a journal, creating a file within a minute of
// deleting many (the folder a rebuild replaces) costs far more than
// writing its bytes: the filesystem passes over every inode freed in that
// time.
func reuse(prev prevFile, full string, mod time.Time, size int64, same func(old io.Reader) bool) (int64, bool) {
	if prev.path == "" {
		return 0, false
	}
	info, err := os.Lstat(prev.path)
	if err != nil || !info.Mode().IsRegular() || info.Size() != size || info.Mode().Perm() != 0o644 || !info.ModTime().Equal(mod) {
		return 0, false
	}
	if real, err := filepath.EvalSymlinks(prev.path); err != nil || real != prev.real {
		return 0, false
	}
	old, err := os.Open(prev.path)
	if err != nil {
		return 0, false
	}
	defer old.Close()
	if !same(bufio.NewReaderSize(old, 64<<10)) || old.Sync() != nil {
		return 0, false
	}
	if link(prev.path, full) != nil {
		return 0, false
	}
	return info.Size(), true
}

// sameReaders reports whether a and b hold the same bytes, reading both
// to the end or to the first difference.
func sameReaders(a, b io.Reader) bool {
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	half := len(*buf) / 2
	ba, bb := (*buf)[:half], (*buf)[half:]
	for {
		na, ea := io.ReadFull(a, ba)
		nb, eb := io.ReadFull(b, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false
		}
		aDone := ea == io.EOF || ea == io.ErrUnexpectedEOF
		bDone := eb == io.EOF || eb == io.ErrUnexpectedEOF
		if aDone || bDone || ea != nil || eb != nil {
			return aDone && bDone
		}
	}
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
