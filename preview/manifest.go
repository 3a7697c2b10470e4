package preview

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is an XML element, by local name (namespaces play no part in
// what the simulator reads).
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     strings.Builder
}

func parseXML(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && root != nil && len(stack) == 0 {
				return root, nil
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
}

// child is n's first child called name (case-insensitive, since SCORM 1.2
// and 2004 spell the ADL elements differently), or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

func (n *node) all(name string) []*node {
	var out []*node
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if strings.EqualFold(c.name, name) {
			out = append(out, c)
		}
	}
	return out
}

func (n *node) value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.text.String())
}

// manifestUnits reads the SCOs of a SCORM manifest, in the order of its
// default organisation, with what an LMS takes from each item.
func manifestUnits(data []byte) ([]Unit, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, fmt.Errorf("imsmanifest.xml: %w", err)
	}
	resources := map[string]*node{}
	for _, r := range root.child("resources").all("resource") {
		resources[r.attrs["identifier"]] = r
	}
	orgs := root.child("organizations")
	org := orgs.child("organization")
	for _, o := range orgs.all("organization") {
		if o.attrs["identifier"] == orgs.attrs["default"] {
			org = o
		}
	}
	if org == nil {
		return nil, errors.New("imsmanifest.xml: no organization")
	}
	var units []Unit
	var walk func(items []*node)
	walk = func(items []*node) {
		for _, it := range items {
			if ref := it.attrs["identifierref"]; ref != "" {
				if res := resources[ref]; res != nil && res.attrs["href"] != "" {
					units = append(units, itemUnit(it, res))
				}
			}
			walk(it.all("item"))
		}
	}
	walk(org.all("item"))
	if len(units) == 0 {
		return nil, errors.New("imsmanifest.xml: no launchable item")
	}
	return units, nil
}

func itemUnit(it, res *node) Unit {
	u := Unit{
		ID:              it.attrs["identifier"],
		Title:           it.child("title").value(),
		Href:            res.attrs["base"] + res.attrs["href"],
		MasteryScore:    it.child("masteryscore").value(),
		LaunchData:      it.child("datafromlms").value(),
		MaxTimeAllowed:  it.child("maxtimeallowed").value(),
		TimeLimitAction: it.child("timelimitaction").value(),
	}
	if p := it.attrs["parameters"]; p != "" {
		switch {
		case strings.HasPrefix(p, "?") && strings.Contains(u.Href, "?"):
			u.Href += "&" + p[1:]
		case strings.HasPrefix(p, "?") || strings.HasPrefix(p, "#"):
			u.Href += p
		default:
			u.Href += "?" + p
		}
	}
	if ct := it.child("completionThreshold"); ct != nil {
		switch {
		case ct.attrs["completedByMeasure"] == "true":
			u.CompletionThreshold = ct.attrs["minProgressMeasure"]
			if u.CompletionThreshold == "" {
				u.CompletionThreshold = "1.0"
			}
		case ct.value() != "":
			u.CompletionThreshold = ct.value() // 3rd Edition form
		}
	}
	seq := it.child("sequencing")
	if p := seq.child("objectives").child("primaryObjective"); p != nil && p.attrs["satisfiedByMeasure"] == "true" {
		u.ScaledPassingScore = p.child("minNormalizedMeasure").value()
		if u.ScaledPassingScore == "" {
			u.ScaledPassingScore = "1.0"
		}
	}
	if lc := seq.child("limitConditions"); lc != nil && u.MaxTimeAllowed == "" {
		u.MaxTimeAllowed = lc.attrs["attemptAbsoluteDurationLimit"]
	}
	return u
}

// tinCanUnits reads the activities a tincan.xml launches (those with a
// launch element), in order.
func tinCanUnits(data []byte) ([]Unit, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, fmt.Errorf("tincan.xml: %w", err)
	}
	var units []Unit
	for _, a := range root.child("activities").all("activity") {
		launch := a.child("launch").value()
		if launch == "" {
			continue
		}
		units = append(units, Unit{ID: a.attrs["id"], Title: a.child("name").value(), Href: launch, ActivityID: a.attrs["id"]})
	}
	if len(units) == 0 {
		return nil, errors.New("tincan.xml: no activity with a launch")
	}
	return units, nil
}

// cmi5Units reads the AUs of a cmi5.xml, in order, blocks and all.
func cmi5Units(data []byte) ([]Unit, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, fmt.Errorf("cmi5.xml: %w", err)
	}
	var units []Unit
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			switch {
			case strings.EqualFold(c.name, "au"):
				units = append(units, Unit{
					ID: c.attrs["id"], Title: c.child("title").child("langstring").value(), Href: c.child("url").value(),
					ActivityID: c.attrs["id"], MoveOn: c.attrs["moveOn"], MasteryScore: c.attrs["masteryScore"],
				})
			case strings.EqualFold(c.name, "block"):
				walk(c)
			}
		}
	}
	walk(root)
	if len(units) == 0 {
		return nil, errors.New("cmi5.xml: no AU")
	}
	return units, nil
}
