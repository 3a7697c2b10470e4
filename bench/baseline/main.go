// Command baseline does, plainly, the work a coursepack build does, so that
// bench/perf.sh can compare the two: it renders every Markdown file of a
// course with goldmark alone (GitHub Flavored Markdown) to an HTML file in a
// temporary tree, copies every other file of the course folder (the assets)
// into the tree, then zips the tree with archive/zip, storing media and
// deflating text, as dist does. No validation, no player, no manifest.
//
//	go run ./bench/baseline COURSE-DIR OUT.zip
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// stored are the extensions of files zipped without compression.
var stored = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".mp4": true, ".webm": true, ".mp3": true, ".pdf": true}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: baseline COURSE-DIR OUT.zip")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	// The tree sits beside the zip, on the same disk.
	tree, err := os.MkdirTemp(filepath.Dir(out), ".baseline-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tree)
	if err := render(src, tree); err != nil {
		return err
	}
	return zipTree(tree, out)
}

// render writes each .md file of src as .html in tree and copies the other
// files, course.yaml aside.
func render(src, tree string) error {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	var buf bytes.Buffer
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "course.yaml" || strings.HasPrefix(rel, "dist"+string(filepath.Separator)) {
			return nil
		}
		dst := filepath.Join(tree, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if filepath.Ext(p) != ".md" {
			return copyFile(dst, p)
		}
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		buf.Reset()
		if err := md.Convert(text, &buf); err != nil {
			return err
		}
		return os.WriteFile(strings.TrimSuffix(dst, ".md")+".html", buf.Bytes(), 0o644)
	})
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// zipTree zips every file of tree into out, in path order.
func zipTree(tree, out string) error {
	var files []string
	err := filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(tree, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	zw := zip.NewWriter(bw)
	for _, name := range files {
		method := zip.Deflate
		if stored[strings.ToLower(path.Ext(name))] {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			f.Close()
			return err
		}
		in, err := os.Open(filepath.Join(tree, filepath.FromSlash(name)))
		if err != nil {
			f.Close()
			return err
		}
		_, err = io.Copy(w, in)
		in.Close()
		if err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
