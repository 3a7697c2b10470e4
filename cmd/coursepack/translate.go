package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/coursepack/coursepack"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/xliff"
)

func newTranslateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "translate",
		Short: "Translate a course through an XLIFF file",
		Long: `Translate exports every text of a course into an XLIFF 1.2 file for a
translator or a translation tool (OmegaT, memoQ, Trados, Weblate), and
imports the translated file as a new course folder in the target language.

See docs/translation.md.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newTranslateExportCommand(), newTranslateImportCommand())
	return cmd
}

func newTranslateExportCommand() *cobra.Command {
	var lang, out, previous string
	cmd := &cobra.Command{
		Use:   "export --lang LANG [DIR]",
		Short: "Write the course's texts into an XLIFF file to translate",
		Long: `Export writes every translatable text of the course in DIR (the current
folder by default) into an XLIFF 1.2 file, by default
DIR/translations/LANG.xlf: the course's title, description and keywords, the
modules' titles and objectives, the text of every page with its Markdown
formatting as inline codes, and the player's interface text.

Translations are never lost: when the file exists already (or with
--previous), its translations are kept. A text whose source changed keeps
its old translation marked needs-review-translation; a text new to the
course is marked new.`,
		Example: `  coursepack translate export --lang cy my-course
  coursepack translate export --lang ga -o irish.xlf --previous old-irish.xlf my-course`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := "."
			if len(a) == 1 {
				dir = a[0]
			}
			if lang == "" {
				return &coursepack.UsageError{Msg: "--lang is required: name the language to translate into, such as --lang cy"}
			}
			if !xliff.ValidLanguage(lang) {
				return &coursepack.UsageError{Msg: fmt.Sprintf("--lang %q is not a language tag; use one such as cy, ga or gd", lang)}
			}
			c, err := course.Load(dir)
			if err != nil {
				return located(dir, err)
			}
			if strings.EqualFold(lang, c.Language) {
				return &coursepack.UsageError{Msg: fmt.Sprintf("the course is in %s already; name another language with --lang", c.Language)}
			}
			if out == "" {
				out = filepath.Join(dir, "translations", lang+".xlf")
			}
			var prev *xliff.Document
			switch {
			case previous != "":
				if prev, err = readXLIFF(previous); err != nil {
					return err
				}
			default:
				if _, err := os.Stat(out); err == nil {
					if prev, err = readXLIFF(out); err != nil {
						return fmt.Errorf("%w\n%s exists but cannot be read, so its translations would be lost; move it away, or pass another file as --previous", err, out)
					}
					previous = out
				} else if !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
			if prev != nil && !strings.EqualFold(prev.TargetLanguage, lang) {
				return &coursepack.UsageError{Msg: fmt.Sprintf("%s translates into %q, not %q", previous, prev.TargetLanguage, lang)}
			}
			doc, stats, err := xliff.Export(c, lang, prev)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			if err := dist.WriteFile(out, doc.Marshal()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d %s, %d translated, %d changed since translated, %d new\n",
				out, stats.Units, plural(stats.Units, "text", "texts"), stats.Translated, stats.Changed, stats.New)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&lang, "lang", "", "the language to translate into, a language tag such as cy")
	f.StringVarP(&out, "out", "o", "", "the XLIFF file to write (default DIR/translations/LANG.xlf)")
	f.StringVar(&previous, "previous", "", "an earlier export whose translations to keep (default the file written, when it exists)")
	return cmd
}

func newTranslateImportCommand() *cobra.Command {
	var out, id string
	cmd := &cobra.Command{
		Use:   "import FILE [DIR]",
		Short: "Write a translated copy of the course from a translated XLIFF file",
		Long: `Import reads FILE, an XLIFF file exported from the course in DIR (the current
folder by default) and translated, and writes the translated course into a
new folder (by default DIR-LANG beside DIR) that builds like any other:
course.yaml in the target language, the modules with their texts
translated, and every other file of the course copied.

A text with no translation keeps its source text and is listed, as
file:line: untranslated: ..., and so is a translation marked for review.
Import never overwrites, and writes nothing when the translated course would
not load.`,
		Example: `  coursepack translate import my-course/translations/cy.xlf my-course
  coursepack build my-course-cy`,
		Args: args(cobra.RangeArgs(1, 2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			dir := "."
			if len(a) == 2 {
				dir = a[1]
			}
			doc, err := readXLIFF(a[0])
			if err != nil {
				return err
			}
			c, err := course.Load(dir)
			if err != nil {
				return located(dir, err)
			}
			if out == "" {
				abs, err := filepath.Abs(dir)
				if err != nil {
					return err
				}
				out = filepath.Join(filepath.Dir(abs), filepath.Base(abs)+"-"+doc.TargetLanguage)
				if rel, err := filepath.Rel(".", out); err == nil {
					out = rel
				}
			}
			rep, err := xliff.Import(c, doc, xliff.ImportOptions{Out: out, ID: id})
			var problems *xliff.ProblemsError
			if errors.As(err, &problems) {
				printProblems(cmd.ErrOrStderr(), out, problems.Errors, "error")
				return &silentFailure{"the translated course has problems"}
			}
			if err != nil {
				return err
			}
			printIssues(cmd.ErrOrStderr(), dir, rep.Untranslated, "untranslated")
			printIssues(cmd.ErrOrStderr(), dir, rep.Review, "review")
			if len(rep.Unknown) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d %s match no text of the course (texts changed or removed since the export) and %s ignored\n",
					a[0], len(rep.Unknown), plural(len(rep.Unknown), "unit", "units"), plural(len(rep.Unknown), "was", "were"))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d of %d %s translated into %s", rep.Out, rep.Translated, rep.Units, plural(rep.Units, "text", "texts"), rep.Language)
			if n := len(rep.Untranslated); n > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "; %d left in %s (listed)", n, c.Language)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "the folder to write the translated course to (default DIR-LANG)")
	f.StringVar(&id, "id", "", "a new id (IRI) for the translated course (default the course's own)")
	return cmd
}

// readXLIFF reads and checks an XLIFF file; its problems come back one per
// line as FILE:LINE: message.
func readXLIFF(path string) (*xliff.Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := xliff.Parse(data)
	if err == nil {
		return doc, nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	lines := make([]string, 0, len(errs))
	for _, e := range errs {
		var xe *xliff.Error
		if errors.As(e, &xe) && xe.Line > 0 {
			lines = append(lines, fmt.Sprintf("%s:%d: %s", path, xe.Line, xe.Msg))
		} else {
			lines = append(lines, fmt.Sprintf("%s: %v", path, e))
		}
	}
	return nil, errors.New(strings.Join(lines, "\n"))
}

// printIssues lists texts of the course in dir as file:line: kind: "text" (reason).
func printIssues(w io.Writer, dir string, list []xliff.Issue, kind string) {
	for _, is := range list {
		where := filepath.ToSlash(filepath.Join(dir, is.File))
		switch {
		case is.File == xliff.InterfaceFile:
			where = "interface text " + strings.TrimPrefix(strings.SplitN(is.ID, ":", 2)[0], xliff.InterfaceFile+"#")
		case is.Line > 0:
			where = fmt.Sprintf("%s:%d", where, is.Line)
		}
		fmt.Fprintf(w, "%s: %s: %q (%s)\n", where, kind, shorten(is.Source, 60), is.Reason)
	}
}

// shorten cuts s to about n characters.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
