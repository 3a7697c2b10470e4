// Package starter writes a small working course to begin from: one module
// with a page, a reflection and a knowledge check, which builds at once.
package starter

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

//go:embed files
var files embed.FS

// ErrExists is returned, wrapped, when a file of the starter course already
// exists: Write never overwrites anything.
var ErrExists = errors.New("already exists")

// Write creates the starter course in dir (which may exist, but must not
// hold any of the starter's files) and returns the paths it wrote. The
// title goes into course.yaml; the course id is made from the folder name.
// Nothing is written when any file would be overwritten.
func Write(dir, title string) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	slug := slugify(filepath.Base(abs))
	if title == "" {
		title = "My course"
	}
	var names []string
	err = fs.WalkDir(files, "files", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			names = append(names, strings.TrimPrefix(p, "files/"))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if _, err := os.Lstat(target); err == nil {
			return nil, fmt.Errorf("%s: %w (coursepack init never overwrites files)", target, ErrExists)
		}
	}
	var written []string
	for _, name := range names {
		data, err := files.ReadFile(path.Join("files", name))
		if err != nil {
			return written, err
		}
		text := strings.NewReplacer("{{slug}}", slug, "{{title}}", yamlText(title)).Replace(string(data))
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return written, err
		}
		// O_EXCL: a file that appeared since the check is not overwritten.
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, err
		}
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, err
		}
		written = append(written, target)
	}
	return written, nil
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

func slugify(s string) string {
	s = strings.Trim(notSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" || s == "." {
		return "my-course"
	}
	return s
}

// yamlText quotes a title for YAML when it needs it.
func yamlText(s string) string {
	if strings.ContainsAny(s, ":#'\"{}[],&*!|>%@`") || strings.TrimSpace(s) != s {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return s
}
