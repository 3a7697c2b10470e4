package lint

import (
	"fmt"
	"strings"

	"github.com/coursepack/coursepack/course"
)

// checkPages runs the rules about what pages hold: alt text, heading
// levels, empty pages, links to headings, to other modules and to other
// hosts.
func checkPages(r *report, c *course.Course, offline, unitPerModule bool) {
	anchors := map[string]map[string]bool{}
	files := map[string]string{}
	for _, m := range c.Modules {
		ids := map[string]bool{}
		for _, p := range m.Pages {
			ids[p.ID] = true
			for _, h := range p.Headings {
				if h.ID != "" {
					ids[h.ID] = true
				}
			}
		}
		anchors[m.ID] = ids
		files[m.ID] = m.Source
	}
	for _, m := range c.Modules {
		for _, p := range m.Pages {
			checkImages(r, p)
			checkHeadings(r, p)
			if p.Bare && len(p.Headings) > 0 {
				r.add(p.Headings[0].At, Warning, RuleEmptyPage, "page %q has nothing but its heading; add its content, or remove the page", p.Title)
			}
			for _, l := range p.Links {
				if unitPerModule && l.Module != "" && l.Module != m.ID {
					r.add(l.At, Warning, RuleModuleLink, "link %s to module %q: where each module is a unit of its own in the LMS, the link opens that module outside the LMS's navigation, which may not record it as the learner's attempt; point learners to the LMS's list of modules instead, or build with --sco course", quote(l.URL), l.Module)
				}
				switch {
				case l.Host != "" && offline:
					r.add(l.At, Error, RuleExternalLink, "link to another host (%s); an offline course (--offline) must not need the network, so put what it links to in the course folder or remove the link", l.Host)
				case l.Host != "":
					r.add(l.At, Info, RuleExternalLink, "link to another host (%s): learners need the network to follow it", l.Host)
				case l.Module != "" && l.Fragment != "" && !anchors[l.Module][l.Fragment]:
					where := "this module"
					if l.Module != m.ID {
						where = fmt.Sprintf("module %q (%s)", l.Module, files[l.Module])
					}
					hint := ""
					if low := strings.ToLower(l.Fragment); low != l.Fragment && anchors[l.Module][low] {
						hint = fmt.Sprintf(" (did you mean %q? ids are in lower case)", low)
					}
					r.add(l.At, Error, RuleAnchor, "link %s: no heading or page of %s has the id %q%s; link to the id of a heading (its text in lower case, with hyphens for spaces) or of a page", quote(l.URL), where, l.Fragment, hint)
				}
			}
		}
	}
}

// checkImages reports pictures without alt text that are not marked
// decorative.
func checkImages(r *report, p *course.Page) {
	for _, img := range p.Images {
		if img.Alt != "" || img.Decorative {
			continue
		}
		if img.Raw {
			r.add(img.At, Warning, RuleAltText, "picture %s has no alt text; describe it in alt=\"...\" for learners who cannot see it, or write alt=\"\" if it is decorative", quote(img.Src))
			continue
		}
		r.add(img.At, Warning, RuleAltText, "picture %s has no alt text; describe it between the brackets for learners who cannot see it, or mark it decorative with ![](%s \"decorative\")", quote(img.Src), img.Src)
	}
}

// checkHeadings reports a heading more than one level below the heading
// before it on the page.
func checkHeadings(r *report, p *course.Page) {
	for i := 1; i < len(p.Headings); i++ {
		prev, h := p.Headings[i-1], p.Headings[i]
		if h.Level > prev.Level+1 {
			r.add(h.At, Warning, RuleHeadings, "heading level %d (%s) follows level %d (%s, line %d), skipping a level; make it %s, so that the page's outline reads right to screen reader users",
				h.Level, strings.Repeat("#", h.Level), prev.Level, strings.Repeat("#", prev.Level), prev.At.Line, strings.Repeat("#", prev.Level+1))
		}
	}
}

// quote puts an address in double quotes.
func quote(s string) string {
	if strings.ContainsAny(s, "\"\\") {
		return fmt.Sprintf("%q", s)
	}
	return `"` + s + `"`
}
