// Package web builds the plain-web format: a self-contained folder of web
// pages that runs from any static web server (or a file share) with no LMS.
// Its index.html lists the course's modules, each a page of the player that
// keeps the learner's progress in the browser (the "web" runtime). The same
// files are written as a folder and as a zip. (The package is not named
// html, so as not to clash with the standard library's.)
package web

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/templates"
)

//go:embed index.html.tmpl
var indexText string

var indexPage = template.Must(template.New("index.html.tmpl").Parse(indexText))

// IndexPath is the path of the listing page in the package.
const IndexPath = "index.html"

// Format is the plain-web format.
type Format struct{}

var _ format.Format = Format{}

// Name is "html".
func (Format) Name() string { return "html" }

// Runtime is the player's standalone adapter, which keeps progress in the
// browser's localStorage.
func (Format) Runtime() string { return "web" }

// Description says what the format is for.
func (Format) Description() string {
	return "plain web pages for any web server, no LMS (progress kept in the browser), as a folder and a zip"
}

// Build makes the course's pages, the folder <slug>-html and the zip
// <slug>-html.zip with the same files: index.html listing the modules, one
// page per module for the "web" runtime, and the player and assets they
// use. There is one page per module whatever the layout: the layouts say
// how an LMS launches and tracks a course, and here there is no LMS.
func (f Format) Build(c *course.Course, opts format.Options) ([]*dist.Package, error) {
	units, err := Units(c)
	if err != nil {
		return nil, err
	}
	contents, err := bundle.BuildWith(c, units, f.Runtime(), opts)
	if err != nil {
		return nil, err
	}
	index, err := Index(c, units)
	if err != nil {
		return nil, err
	}
	files := append([]dist.File{{Path: IndexPath, Data: index}}, contents.Files()...)
	base := bundle.Slug(c) + "-" + f.Name()
	return []*dist.Package{
		{Name: base + ".zip", Files: files},
		{Name: base, Files: files, Folder: true},
	}, nil
}

// Units are the pages of the format: one per module, <module id>.html, as
// in a SCORM package with a unit per module, except that a module whose id
// is "index" gets another name, since index.html is the listing.
func Units(c *course.Course) ([]bundle.Unit, error) {
	plans, err := bundle.Plans(c, format.LayoutModule)
	if err != nil {
		return nil, err
	}
	units := plans[0].Units
	taken := map[string]bool{IndexPath: true}
	for _, u := range units {
		taken[u.Href] = true
	}
	for i, u := range units {
		if u.Href != IndexPath {
			continue
		}
		base := strings.TrimSuffix(u.Href, ".html") + "-module"
		href := base + ".html"
		for n := 2; taken[href]; n++ {
			href = base + "-" + strconv.Itoa(n) + ".html"
		}
		taken[href] = true
		units[i].Href = href
	}
	return units, nil
}

// indexView is the data of index.html.tmpl.
type indexView struct {
	Lang, Title, Description string
	Logo                     string
	// The theme: its style, favicon and footer (see templates.ThemeCSS).
	ThemeCSS               template.CSS
	Favicon, FaviconType   string
	Footer, LicenceLine    string
	Duration               *duration
	ModulesHeading, Notice string
	Modules                []indexModule
	// CSP is the page's Content-Security-Policy (see
	// templates.ContentSecurityPolicy).
	CSP string
}

type indexModule struct {
	Href, Title string
	Duration    *duration
}

// duration is a length of time as a <time> element shows it.
type duration struct {
	// ISO is a valid HTML duration string, such as "90m".
	ISO string
	// Text is the same in words, such as "90 min".
	Text string
}

// Index renders index.html: the course's title, description and duration,
// and its modules, each with its duration and a link to its page, in the
// course's language. It links to the player's stylesheet, and loads no
// script: the pages keep the progress.
func Index(c *course.Course, units []bundle.Unit) ([]byte, error) {
	text, err := i18n.ForCourse(c.Language, c.Strings)
	if err != nil {
		return nil, err
	}
	get := text.Get
	minutes := func(d time.Duration) *duration {
		n := int(d.Minutes())
		if n <= 0 {
			return nil
		}
		return &duration{ISO: fmt.Sprintf("%dm", n), Text: strings.ReplaceAll(get("index.minutes"), "{n}", strconv.Itoa(n))}
	}
	v := indexView{
		Lang:           c.Language,
		Title:          c.Title,
		Description:    c.Description,
		Duration:       minutes(c.Duration),
		ModulesHeading: get("index.modules"),
		Notice:         text.Get("notice.local"),
	}
	if c.Theme.Logo != nil {
		v.Logo = c.Theme.Logo.Path
	}
	v.ThemeCSS, v.Footer, v.LicenceLine = templates.ThemeCSS(c.Theme), c.Theme.Footer, c.Theme.LicenceLine
	if c.Theme.Favicon != nil {
		v.Favicon, v.FaviconType = c.Theme.Favicon.Path, templates.FaviconType(c.Theme.Favicon.Path)
	}
	v.CSP = templates.ContentSecurityPolicy("web", append([]string{string(v.ThemeCSS)}, indexStyles...)...)
	for _, u := range units {
		var d time.Duration
		for _, m := range u.Modules {
			d += m.Duration
		}
		v.Modules = append(v.Modules, indexModule{Href: u.Href, Title: u.Title, Duration: minutes(d)})
	}
	var buf bytes.Buffer
	if err := indexPage.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", IndexPath, err)
	}
	return buf.Bytes(), nil
}
