// Package bundle assembles what every package format carries: the player's
// static files, one HTML page per launchable unit (a SCO or an AU) and the
// course assets those pages use. Formats add their own manifest on top; this
// package knows nothing of manifests or runtimes beyond the runtime's name.
package bundle

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/templates"
)

// Unit is one launchable unit: an HTML page holding one module, or the whole
// course when a package has a single unit for it.
type Unit struct {
	// ID is the module's id, or CourseUnitID for a whole-course unit.
	ID    string
	Title string
	// Href is the unit's HTML file inside the package.
	Href    string
	Modules []*course.Module
	// MasteryScore is the unit's pass mark in percent, or nil when passing
	// plays no part in completing it.
	MasteryScore *int
}

// CourseUnitID is the ID of the unit that holds a whole course.
const CourseUnitID = "course"

// Plan is one package to build: its name suffix and the units it holds.
type Plan struct {
	// Suffix is added to the package's base name: "" for a whole-course
	// package, "-<module id>" for one package of a split build.
	Suffix string
	Units  []Unit
}

// Plans maps a course to packages and units by layout.
func Plans(c *course.Course, layout format.Layout) ([]Plan, error) {
	switch layout {
	case format.LayoutModule, "":
		units := make([]Unit, len(c.Modules))
		for i, m := range c.Modules {
			units[i] = moduleUnit(m)
		}
		return []Plan{{Units: units}}, nil
	case format.LayoutCourse:
		return []Plan{{Units: []Unit{{
			ID:           CourseUnitID,
			Title:        c.Title,
			Href:         "index.html",
			Modules:      c.Modules,
			MasteryScore: courseMastery(c),
		}}}}, nil
	case format.LayoutSplit:
		plans := make([]Plan, len(c.Modules))
		for i, m := range c.Modules {
			plans[i] = Plan{Suffix: "-" + m.ID, Units: []Unit{moduleUnit(m)}}
		}
		return plans, nil
	}
	return nil, fmt.Errorf("unknown layout %q", layout)
}

func moduleUnit(m *course.Module) Unit {
	return Unit{ID: m.ID, Title: m.Title, Href: m.ID + ".html", Modules: []*course.Module{m}, MasteryScore: moduleMastery(m)}
}

// moduleMastery is the module's pass mark when its completion depends on
// passing and it has questions to pass.
func moduleMastery(m *course.Module) *int {
	if m.MasteryScore == nil || len(m.Questions) == 0 || m.Completion == course.CompletionPages {
		return nil
	}
	return m.MasteryScore
}

// courseMastery is the pass mark of a whole-course unit: the course's own,
// which the player judges the course's mean score against, when the course
// is completed by passing and has questions to pass.
func courseMastery(c *course.Course) *int {
	if c.MasteryScore == nil || c.Completion == course.CompletionPages {
		return nil
	}
	for _, m := range c.Modules {
		if len(m.Questions) > 0 {
			return c.MasteryScore
		}
	}
	return nil
}

// Contents are the files of one package apart from its manifest.
type Contents struct {
	// Pages are the units' HTML files, in unit order.
	Pages []dist.File
	// Shared are the files every unit uses: the player and the assets,
	// sorted by path.
	Shared []dist.File
}

// Files returns every file of Contents, pages first.
func (c Contents) Files() []dist.File {
	return append(append([]dist.File(nil), c.Pages...), c.Shared...)
}

// Build renders the units' pages for a runtime ("scorm12", "scorm2004",
// "xapi", "cmi5", "web") and gathers the player files and the assets the
// units use.
func Build(c *course.Course, units []Unit, runtime string) (Contents, error) {
	return BuildWith(c, units, runtime, format.Options{})
}

// BuildWith is Build with a build's options: with opts.RenderAtWrite the
// pages are not rendered yet but get a Render function (see dist.File)
// that renders each as it is written, the same bytes as Build's.
func BuildWith(c *course.Course, units []Unit, runtime string, opts format.Options) (Contents, error) {
	text, err := i18n.ForCourse(c.Language, c.Strings)
	if err != nil {
		return Contents{}, err
	}
	// The player: the embedded one, or the course's templates/ overrides.
	set, err := templates.ForCourse(c)
	if err != nil {
		return Contents{}, err
	}
	var out Contents
	if opts.RenderAtWrite {
		out.Pages = pageRenderers(set, c, units, runtime, text)
	} else {
		out.Pages, err = renderPages(set, c, units, runtime, text)
	}
	if err != nil {
		return Contents{}, err
	}
	player, err := set.PlayerFiles(runtime)
	if err != nil {
		return Contents{}, err
	}
	out.Shared = append(out.Shared, player...)
	for _, a := range assets(c, units) {
		out.Shared = append(out.Shared, dist.File{Path: a.Path, Source: a.Abs})
	}
	sort.Slice(out.Shared, func(i, j int) bool { return out.Shared[i].Path < out.Shared[j].Path })
	return out, nil
}

// assets lists the course assets the units use: the theme's (logo,
// favicon, fonts) and every asset of their modules, each once.
func assets(c *course.Course, units []Unit) []*course.Asset {
	seen := map[string]*course.Asset{}
	for _, a := range c.Theme.Assets() {
		seen[a.Path] = a
	}
	for _, u := range units {
		for _, m := range u.Modules {
			for _, a := range m.Assets {
				seen[a.Path] = a
			}
		}
	}
	list := make([]*course.Asset, 0, len(seen))
	for _, a := range seen {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	return list
}

var unsafeSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slug is the base name of a course's packages, taken from the last segment
// of its id ("https://example.org/courses/leading-well" gives "leading-well").
func Slug(c *course.Course) string {
	id := strings.TrimRight(c.ID, "/#")
	if i := strings.LastIndexAny(id, "/:#"); i >= 0 {
		id = id[i+1:]
	}
	slug := strings.Trim(unsafeSlug.ReplaceAllString(strings.ToLower(id), "-"), "-")
	if slug == "" {
		return "course"
	}
	return slug
}
