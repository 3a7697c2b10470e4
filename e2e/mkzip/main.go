// Command mkzip zips a folder with the dist package, as coursepack build
// does. The e2e harness uses it to package its own fixture SCO, so that its
// unzip, server and LMS can be tested before (and apart from) the CLI.
//
//	go run ./e2e/mkzip -out DIR/NAME.zip FOLDER
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/coursepack/coursepack/dist"
)

func main() {
	out := flag.String("out", "", "the zip to write")
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mkzip -out NAME.zip FOLDER")
		os.Exit(2)
	}
	if err := run(*out, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "mkzip:", err)
		os.Exit(1)
	}
}

func run(out, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	p := &dist.Package{Name: filepath.Base(out)}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		p.AddFile(filepath.ToSlash(rel), path)
		return nil
	})
	if err != nil {
		return err
	}
	written, err := dist.WriteAll(filepath.Dir(out), []*dist.Package{p}, dist.ZipOptions{})
	if err != nil {
		return err
	}
	for _, w := range written {
		fmt.Printf("%s\t%d\n", w.Path, w.Size)
	}
	return nil
}
