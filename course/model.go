// Package course is the model of a course and its loader.
//
// A course is a folder holding course.yaml, one Markdown file per module and
// the assets those files reference. Load reads and validates the whole folder
// into a Course: strict YAML (unknown keys and wrong types are errors), Markdown
// with YAML front matter, the course's own blocks (questions, reflections, the
// action plan, callouts) parsed by goldmark extensions, and assets resolved
// only inside the course folder. Every problem is reported at once, each with
// the file, line and column the author must fix. The package renders each page
// to an HTML fragment; it knows nothing of players or package formats.
package course

import (
	"html/template"
	"sort"
	"time"
)

// Course is a validated course, ready to be packaged.
type Course struct {
	// Dir is the course folder on disk.
	Dir string
	// ID is the course's IRI. Every package identifier is derived from it, so
	// a new version of the course keeps the identifiers of the old one.
	ID          string
	Title       string
	Description string
	// Language is a BCP 47 tag such as "en-GB" or "cy".
	Language  string
	Version   string
	Publisher string
	Authors   []string
	Keywords  []string
	Licence   string
	// Duration is the typical learning time of the whole course.
	Duration time.Duration
	// Completion is the default completion rule of the modules.
	Completion Completion
	// MasteryScore is the default pass mark in percent (0 to 100); nil when
	// no pass mark applies.
	MasteryScore *int
	Theme        Theme
	// Strings overrides the player's interface text for this course: each
	// key of the en-GB catalogue it names (such as "nav.next") maps to the
	// text to show instead of the catalogue's. nil when it overrides none.
	Strings map[string]string
	// RawHTML is true when the course's pages may hold HTML of their own
	// (raw_html: true), checked and sanitised; otherwise it is left out.
	RawHTML bool
	// Templates is the course's templates/ folder on disk, whose files
	// override the player's (package templates), or "" when it has none.
	Templates string
	Modules   []*Module
	// Assets are the files the course references, sorted by Path, each once.
	Assets []*Asset
	// CompletionAt and MasteryAt locate the completion and mastery_score
	// values in course.yaml; zero when course.yaml sets none.
	CompletionAt, MasteryAt Pos
	// ThemeFiles are the files the theme names (logo, favicon, fonts), in
	// the order course.yaml names them, each where it is named.
	ThemeFiles []FileRef
}

// Pos locates something in a file of the course folder, for tools that
// report on a loaded course (package lint). File is relative to the course
// folder, with forward slashes; Line and Col count from 1, Col in
// characters. The zero Pos locates nothing.
type Pos struct {
	File      string
	Line, Col int
}

// IsZero reports whether p locates nothing.
func (p Pos) IsZero() bool { return p == Pos{} }

// Completion names what a learner must do to complete a module.
type Completion string

// The completion rules an author can choose.
const (
	// CompletionPages: every page of the module has been viewed.
	CompletionPages Completion = "pages"
	// CompletionPassed: the module's knowledge check has been passed.
	CompletionPassed Completion = "passed"
	// CompletionPagesAndPassed: both of the above.
	CompletionPagesAndPassed Completion = "pages-and-passed"
)

// Theme is the look of the player.
type Theme struct {
	// Logo is the path of the logo asset inside the course folder, or "".
	Logo *Asset
	// Colours maps a colour name (primary, accent, background, text, link,
	// focus, surface) to a CSS hex colour such as "#1d4f91", in lower case.
	// Load has checked that the colours, with the player's defaults for
	// those not set, meet the WCAG 2.2 AA contrast minimums (see
	// ContrastProblems).
	Colours map[string]string
	// Fonts are font files shipped with the course, each an @font-face
	// rule of the player; the first family is the player's text font.
	Fonts []Font
	// Favicon is the page icon (a .png, .svg or .ico asset), or nil.
	Favicon *Asset
	// Footer is a line of text shown at the foot of every page, or "".
	Footer string
	// LicenceLine is a licence notice shown in the footer, or "".
	LicenceLine string
}

// Font is one font file of the theme.
type Font struct {
	// Family is the font's family name, as CSS font-family names it.
	Family string
	// File is the font file, an asset of the course.
	File *Asset
	// Format is the file's CSS format: "woff2", "woff" or "truetype".
	Format string
	// Weight is the CSS font-weight the file covers: "400", "bold", or a
	// range such as "100 900" for a variable font; "" when not given.
	Weight string
	// Style is "normal" or "italic".
	Style string
}

// Assets returns the theme's files (logo, favicon, fonts), each once,
// sorted by path.
func (t Theme) Assets() []*Asset {
	seen := map[string]*Asset{}
	if t.Logo != nil {
		seen[t.Logo.Path] = t.Logo
	}
	if t.Favicon != nil {
		seen[t.Favicon.Path] = t.Favicon
	}
	for _, f := range t.Fonts {
		if f.File != nil {
			seen[f.File.Path] = f.File
		}
	}
	out := make([]*Asset, 0, len(seen))
	for _, a := range seen {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Module is one module of a course: one SCO or AU in a package.
type Module struct {
	// ID is unique within the course: a lowercase letter, then lowercase
	// letters, digits and hyphens.
	ID string
	// Source is the module's Markdown file, relative to the course folder,
	// with forward slashes.
	Source     string
	Title      string
	Duration   time.Duration
	Objectives []string
	// Completion is the module's rule (the course default when the front
	// matter names none).
	Completion Completion
	// MasteryScore is the module's pass mark in percent, or nil.
	MasteryScore *int
	// CompletionAt and MasteryAt locate the completion and mastery_score
	// values in the front matter; zero when the module takes the course's.
	CompletionAt, MasteryAt Pos
	Pages                   []*Page
	// Questions lists the module's knowledge-check questions in page order.
	Questions []*Question
	// Reflections lists the module's reflection prompts in page order.
	Reflections []*Reflection
	// ActionPlan is true when a page of the module holds the action plan.
	ActionPlan bool
	// Assets are the files this module's pages reference (a subset of
	// Course.Assets), sorted by Path, each once.
	Assets []*Asset
}

// Page is one page of a module: the content between two page breaks.
type Page struct {
	// ID is unique within the module, derived from the page's title.
	ID    string
	Title string
	// HTML is the rendered content of the page, without the heading that
	// gave the page its title: the player shows the title itself.
	HTML template.HTML

	// What the loader saw in the page's source, each where it is written,
	// for the checks of package lint.

	// Headings are the page's headings in order, its title's first.
	Headings []Heading
	// Links are the page's links in order: Markdown links, bare web
	// addresses and raw HTML's <a href>, but not links to files of the
	// course other than module files.
	Links []Link
	// Images are the page's pictures in order, Markdown's and raw HTML's.
	Images []Image
	// Files are the files of the course the page names (pictures, linked
	// files, media), in order, each where it is named.
	Files []FileRef
	// Bare is true when the page shows nothing but its title.
	Bare bool
}

// Heading is a heading of a page.
type Heading struct {
	At Pos
	// Level is 1 for #, 2 for ## and so on.
	Level int
	// ID is the heading's id attribute, unique across the module.
	ID string
}

// Link is a link of a page, to another host or to a place in a module.
type Link struct {
	At Pos
	// URL is the address as written.
	URL string
	// Host is the host of a link to another host (with a port when one is
	// written), or "".
	Host string
	// Module is the id of the module a link to a module file (or a link to
	// #fragment alone, in its own module) leads to, or "".
	Module string
	// Fragment is the part after # of a link to a module, unescaped; ""
	// when it has none.
	Fragment string
}

// Image is a picture of a page.
type Image struct {
	At Pos
	// Src is the address as written.
	Src string
	// Alt is the picture's text alternative, without surrounding space.
	Alt string
	// Decorative is true when the author marked the picture as decorative:
	// ![](x.png "decorative") in Markdown, alt="" in raw HTML.
	Decorative bool
	// Raw is true for a raw HTML <img>.
	Raw bool
}

// FileRef is a file of the course named at a place.
type FileRef struct {
	At Pos
	// Path is the file's course-relative path, as Asset.Path.
	Path string
}

// QuestionType is the kind of a knowledge-check question.
type QuestionType string

// The question types.
const (
	SingleChoice   QuestionType = "single"
	MultipleChoice QuestionType = "multiple"
	TrueFalse      QuestionType = "true-false"
	TextMatch      QuestionType = "text"
)

// Question is one knowledge-check question.
type Question struct {
	// ID is unique within the course, built from safe characters only.
	ID   string
	Type QuestionType
	// Prompt is the rendered question text.
	Prompt template.HTML
	// Options are the choices (single, multiple and true-false questions).
	Options []*Option
	// Answers are the accepted answers of a text question, compared without
	// regard to case or surrounding space.
	Answers []string
	// Explanation is shown after the learner answers; may be empty.
	Explanation template.HTML
	// Attempts is how many tries the learner has; 0 means unlimited.
	Attempts int
	// At locates the question's opening ::: line, and AnswersAt each of
	// Answers.
	At        Pos
	AnswersAt []Pos
}

// Option is one choice of a question.
type Option struct {
	// ID is the option's one-character identifier: a, b, c, ...
	ID      string
	Text    template.HTML
	Correct bool
	// Feedback is shown when the learner picks this option; may be empty.
	Feedback template.HTML
}

// Reflection is a free-text prompt whose answer is kept with the learner's
// progress.
type Reflection struct {
	// ID is unique within the course.
	ID     string
	Prompt template.HTML
	// MaxLength caps the answer in characters; 0 means the default cap.
	MaxLength int
}

// Asset is a file of the course folder that the course references.
type Asset struct {
	// Path is relative to the course folder, with forward slashes; it is
	// also the file's path inside every package.
	Path string
	// Abs is the file's absolute path on disk.
	Abs  string
	Size int64
}
