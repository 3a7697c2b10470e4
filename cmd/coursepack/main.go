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
	var usage *coursepack.UsageError
	var flagErr *flagError
	var problems course.Errors
	switch {
	case errors.As(err, &usage), errors.As(err, &flagErr):
		fmt.Fprintf(stderr, "coursepack: %v\nRun 'coursepack --help' for usage.\n", err)
		return exitUsage
	case errors.As(err, &problems):
		fmt.Fprint(stderr, problems.Error())
		if s := problems.Error(); len(s) > 0 && s[len(s)-1] != '\n' {
			fmt.Fprintln(stderr)
		}
		fmt.Fprintf(stderr, "coursepack: %d problem(s) in the course; nothing was written\n", len(problems))
		return exitBuild
	}
	fmt.Fprintf(stderr, "coursepack: %v\n", err)
	return exitBuild
}
