package course

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

// windowsAbs matches a Windows drive path such as C:\x or c:/x.
var windowsAbs = regexp.MustCompile(`^[A-Za-z]:([\\/]|$)`)

// problem is an author-facing message about a path; resolveFile returns
// one instead of an error so callers place it at the right line.
type problem string

// resolveFile resolves ref, a path written in a file of folder fromDir
// (course-relative, forward slashes, "." for the course folder), to a file
// inside the course folder. It returns the course-relative path and the
// file's size. Only I/O failures that are not the author's fault come back
// as err.
func (l *loader) resolveFile(fromDir, ref string) (rel string, size int64, msg problem, err error) {
	switch {
	case ref == "":
		return "", 0, "empty path; name a file in the course folder", nil
	case windowsAbs.MatchString(ref) || strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, `\`):
		return "", 0, problem(fmt.Sprintf("%s is an absolute path; write the path relative to this file instead", quote(ref))), nil
	case strings.Contains(ref, `\`):
		return "", 0, problem(fmt.Sprintf("%s uses backslashes; separate folders with / instead", quote(ref))), nil
	}
	rel = path.Clean(path.Join(fromDir, ref))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", 0, problem(fmt.Sprintf("%s points outside the course folder; keep every file inside it", quote(ref))), nil
	}
	if rel == "." {
		return "", 0, problem(fmt.Sprintf("%s is the course folder, not a file", quote(ref))), nil
	}
	full := filepath.Join(l.dir, filepath.FromSlash(rel))
	info, err := os.Stat(full)
	if err != nil {
		// ENOTDIR: a folder in the path is a file ("x.png/y.png").
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || errors.Is(err, syscall.ENOTDIR) {
			if rel != ref {
				return "", 0, problem(fmt.Sprintf("file %s not found (looked for %s in the course folder)", quote(ref), rel)), nil
			}
			return "", 0, problem(fmt.Sprintf("file %s not found", quote(ref))), nil
		}
		if msg := pathProblem(ref, err); msg != "" {
			return "", 0, msg, nil
		}
		return "", 0, "", fmt.Errorf("course: %w", err)
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return "", 0, "", fmt.Errorf("course: %w", err)
	}
	if inside, err := filepath.Rel(l.root, real); err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) || filepath.IsAbs(inside) {
		return "", 0, problem(fmt.Sprintf("%s is a link to a file outside the course folder; copy the file into the course folder instead", quote(ref))), nil
	}
	if !info.Mode().IsRegular() {
		if !info.IsDir() {
			return "", 0, problem(fmt.Sprintf("%s is not a regular file (a device, pipe or socket); name a file", quote(ref))), nil
		}
		return "", 0, problem(fmt.Sprintf("%s is a folder, not a file", quote(ref))), nil
	}
	return rel, info.Size(), "", nil
}

// addAsset records the file at course-relative path rel and returns it.
func (l *loader) addAsset(rel string, size int64) *Asset {
	l.assetsMu.Lock()
	defer l.assetsMu.Unlock()
	if a, ok := l.assets[rel]; ok {
		return a
	}
	a := &Asset{Path: rel, Abs: filepath.Join(l.dir, filepath.FromSlash(rel)), Size: size}
	l.assets[rel] = a
	return a
}

// escapePath percent-encodes a course-relative path for use as a relative
// URL.
func escapePath(rel string) string {
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	out := strings.Join(segs, "/")
	// A colon in the first segment would read as a URL scheme.
	if first, _, _ := strings.Cut(out, "/"); strings.Contains(first, ":") {
		out = "./" + out
	}
	return out
}

// dangerousScheme returns the scheme of a URL that runs code or embeds
// content when followed ("javascript", "vbscript", "data"), or "".
func dangerousScheme(u string) string {
	var b strings.Builder
	for _, r := range u {
		// Browsers ignore tabs, newlines and leading spaces in schemes.
		if r <= ' ' {
			continue
		}
		b.WriteRune(r)
	}
	s := strings.ToLower(b.String())
	for _, scheme := range []string{"javascript", "vbscript", "data"} {
		if strings.HasPrefix(s, scheme+":") {
			return scheme
		}
	}
	return ""
}
