// Command coursepack compiles a course written as YAML and Markdown into
// e-learning packages (SCORM 1.2 and more) that any LMS can host and track.
//
// Exit status: 0 when all went well, 1 for a course or build error, 2 for a
// usage error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/course"
)

// Exit statuses.
const (
	exitOK    = 0
	exitBuild = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit status; it is main
// without the process, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	root := newRootCommand(stdout, stderr, getenv)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	return report(stderr, err)
}

// report prints err for a person and maps it to an exit status.
func report(stderr io.Writer, err error) int {
	var silent *silentFailure
	if errors.As(err, &silent) {
		// The command has printed what went wrong already.
		return exitBuild
	}
	var usage *coursepack.UsageError
	var flagErr *flagError
	var problems *courseProblems
	switch {
	case errors.As(err, &usage), errors.As(err, &flagErr):
		fmt.Fprintf(stderr, "coursepack: %v\nRun 'coursepack --help' for usage.\n", err)
		return exitUsage
	case errors.As(err, &problems):
		printProblems(stderr, problems.dir, problems.list, "")
		fmt.Fprintf(stderr, "coursepack: %d %s in the course; nothing was written\n", len(problems.list), plural(len(problems.list), "problem", "problems"))
		return exitBuild
	}
	fmt.Fprintf(stderr, "coursepack: %v\n", err)
	return exitBuild
}

// silentFailure is a failure the command has already reported in full; only
// its exit status is left to set.
type silentFailure struct{ summary string }

func (e *silentFailure) Error() string { return e.summary }

// courseProblems are the problems of the course in dir, whose file names are
// relative to dir; printed relative to the working folder, so an editor can
// jump to them.
type courseProblems struct {
	dir  string
	list course.Errors
}

func (e *courseProblems) Error() string { return e.list.Error() }

// located wraps course problems with the folder they were found in.
func located(dir string, err error) error {
	var list course.Errors
	if errors.As(err, &list) {
		return &courseProblems{dir: dir, list: list}
	}
	return err
}

// printProblems writes each problem as file:line:col: [severity: ]message,
// the file relative to the working folder, so an editor can jump to it.
func printProblems(w io.Writer, dir string, list course.Errors, severity string) {
	for _, p := range list {
		p.File = filepath.ToSlash(filepath.Join(dir, p.File))
		if severity != "" {
			p.Msg = severity + ": " + p.Msg
		}
		fmt.Fprintln(w, p.Error())
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
