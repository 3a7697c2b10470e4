package inspect

import (
	"fmt"

	"github.com/beevik/etree"
)

// xAPI namespaces.
const (
	nsTinCan        = "http://projecttincan.com/tincan.xsd"
	nsCMI5          = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
	nsCMI5Sandstone = "http://www.adlnet.gov/cmi5/CourseStructure.xsd"
)

var (
	moveOnValues       = []string{"NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed"}
	launchMethodValues = []string{"AnyWindow", "OwnWindow"}
)

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// langString is the first langstring of e (cmi5's title and description).
func langString(e *etree.Element) string {
	if ls := child(e, "langstring"); ls != nil {
		return text(ls)
	}
	return text(e)
}

// cmi5 inspects a cmi5.xml course structure.
func (p *pkg) cmi5(root *etree.Element) {
	rep, m := p.rep, p.rep.Manifest
	rep.Format = FormatCMI5
	if root.Tag != "courseStructure" {
		rep.errorf("wrong_root", m, "the root element is <%s>, not <courseStructure>", root.FullTag())
		return
	}
	switch ns := root.NamespaceURI(); ns {
	case nsCMI5:
	case nsCMI5Sandstone:
		rep.errorf("cmi5_namespace", m, "cmi5.xml uses the old Sandstone namespace %s; cmi5 needs %s (SCORM Cloud rejects the package)", ns, nsCMI5)
	default:
		rep.errorf("cmi5_namespace", m, "cmi5.xml's namespace is %q, not %s", ns, nsCMI5)
	}
	idents := p.newIDs(false)
	course := child(root, "course")
	if course == nil {
		rep.errorf("course_missing", m, "cmi5.xml has no <course>")
	} else {
		rep.Identifier = attrValue(course, "id")
		idents.add(rep.Identifier, "the course")
		rep.Title = langString(child(course, "title"))
		if rep.Title == "" {
			rep.warnf("title_missing", m, "the course has no title")
		}
	}
	objectives := map[string]bool{}
	for _, o := range children(child(root, "objectives"), "objective") {
		id := attrValue(o, "id")
		idents.add(id, fmt.Sprintf("objective %q", id))
		objectives[id] = true
	}
	p.cmi5Children(root, "", 0, idents, objectives)
	for _, u := range rep.Units {
		if u.Kind == KindAU {
			return
		}
	}
	rep.errorf("no_launchable", m, "cmi5.xml has no <au>: an LMS has nothing to launch")
}

// cmi5Children reads the blocks and AUs of a course structure or block.
func (p *pkg) cmi5Children(parent *etree.Element, parentID string, depth int, idents *ids, objectives map[string]bool) {
	rep, m := p.rep, p.rep.Manifest
	for _, c := range parent.ChildElements() {
		if c.Tag != "au" && c.Tag != "block" {
			continue
		}
		u := Unit{
			Identifier: attrValue(c, "id"),
			Title:      langString(child(c, "title")),
			Parent:     parentID,
			Depth:      depth,
		}
		what := fmt.Sprintf("%s %q", c.Tag, u.Identifier)
		idents.add(u.Identifier, what)
		if u.Title == "" {
			rep.warnf("title_missing", m, "%s has no title", what)
		}
		for _, o := range children(child(c, "objectives"), "objective") {
			if ref := attrValue(o, "idref"); !objectives[ref] {
				rep.errorf("idref_unresolved", m, "%s has objective idref %q, which names no objective of the course", what, ref)
			}
		}
		if c.Tag == "block" {
			u.Kind = KindBlock
			rep.Units = append(rep.Units, u)
			p.cmi5Children(c, u.Identifier, depth+1, idents, objectives)
			continue
		}
		u.Kind = KindAU
		u.Launchable = true
		u.MoveOn = "NotApplicable"
		if v, ok := attr(c, "moveOn"); ok {
			u.MoveOn = v
			if !oneOf(v, moveOnValues) {
				rep.errorf("move_on_invalid", m, "%s has moveOn %q; it must be one of NotApplicable, Passed, Completed, CompletedAndPassed, CompletedOrPassed (case matters)", what, v)
			}
		}
		if v, ok := attr(c, "masteryScore"); ok {
			u.MasteryScore = v
			if _, ok := number(v, 0, 1); !ok {
				rep.errorf("mastery_invalid", m, "%s has masteryScore %q; it must be a decimal from 0 to 1", what, v)
			}
		}
		u.LaunchMethod = "AnyWindow"
		if v, ok := attr(c, "launchMethod"); ok {
			u.LaunchMethod = v
			if !oneOf(v, launchMethodValues) {
				rep.errorf("launch_method_invalid", m, "%s has launchMethod %q; it must be AnyWindow or OwnWindow", what, v)
			}
		}
		u.ActivityType = attrValue(c, "activityType")
		u.Launch = text(child(c, "url"))
		if u.Launch == "" {
			rep.errorf("launch_missing", m, "%s has no <url>", what)
		} else if zp, raw, _ := p.resolve("", u.Launch, what+" url"); zp != "" {
			p.need(zp, raw, what, true)
		}
		rep.Units = append(rep.Units, u)
	}
}

// tincan inspects a tincan.xml.
func (p *pkg) tincan(root *etree.Element) {
	rep, m := p.rep, p.rep.Manifest
	rep.Format = FormatTinCan
	if root.Tag != "tincan" {
		rep.errorf("wrong_root", m, "the root element is <%s>, not <tincan>", root.FullTag())
		return
	}
	if ns := root.NamespaceURI(); ns != nsTinCan {
		rep.warnf("tincan_namespace", m, "tincan.xml's namespace is %q, not %s", ns, nsTinCan)
	}
	idents := p.newIDs(false)
	launches := 0
	for _, act := range children(child(root, "activities"), "activity") {
		u := Unit{
			Identifier:   attrValue(act, "id"),
			Kind:         KindActivity,
			ActivityType: attrValue(act, "type"),
		}
		what := fmt.Sprintf("activity %q", u.Identifier)
		idents.add(u.Identifier, what)
		name, desc := child(act, "name"), child(act, "description")
		u.Title = text(name)
		if name == nil || desc == nil {
			rep.warnf("name_missing", m, "%s lacks <name> or <description>, which the tincan schema requires", what)
		}
		launch := child(act, "launch")
		for _, e := range []*etree.Element{name, desc, launch} {
			if e == nil {
				continue
			}
			if lang, ok := attr(e, "lang"); ok && lang == "" {
				rep.warnf("lang_empty", m, "%s has <%s lang=\"\">: use a language tag, or \"und\" when unknown", what, e.Tag)
			}
		}
		u.Launch = text(launch)
		if u.Launch != "" {
			u.Launchable = true
			launches++
			if launches == 1 {
				rep.Identifier, rep.Title = u.Identifier, u.Title
			}
			if zp, raw, _ := p.resolve("", u.Launch, what+" launch"); zp != "" {
				p.need(zp, raw, what, true)
			}
		}
		rep.Units = append(rep.Units, u)
	}
	switch {
	case launches == 0:
		rep.errorf("no_launchable", m, "no activity in tincan.xml has a <launch>: an LMS has nothing to launch")
	case launches > 1:
		rep.warnf("multiple_launch", m, "%d activities have a <launch>; only one may, and LMSs take the first, %q", launches, rep.Identifier)
	}
}
