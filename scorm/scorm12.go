package scorm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
)

// The SCORM 1.2 namespaces.
const (
	nsIMSCP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	nsADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
	nsIMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
)

// V12 is the SCORM 1.2 format.
type V12 struct{}

var _ format.Format = V12{}

// Name is "scorm12".
func (V12) Name() string { return "scorm12" }

// Runtime is the player's SCORM 1.2 adapter.
func (V12) Runtime() string { return "scorm12" }

// Description says what the format is for.
func (V12) Description() string {
	return "SCORM 1.2 package (the widest LMS support: Moodle, Totara, Cornerstone, SCORM Cloud, ...)"
}

// Build makes one SCORM 1.2 package per plan of the layout.
func (f V12) Build(c *course.Course, opts format.Options) ([]*dist.Package, error) {
	return build(c, opts, f, Manifest12)
}

// Manifest12 writes the SCORM 1.2 imsmanifest.xml of one package: course
// metadata (IMS LOM 1.2.1), one organisation with an item per unit, a SCO
// resource per unit and one asset resource with the shared files.
func Manifest12(c *course.Course, plan bundle.Plan, contents bundle.Contents) *etree.Document {
	doc, m, meta := newManifest(c, plan, "1.2", []namespace{
		{"", nsIMSCP12, "imscp_rootv1p1p2.xsd"},
		{"adlcp", nsADLCP12, "adlcp_rootv1p2.xsd"},
		{"imsmd", nsIMSMD12, "imsmd_rootv1p2p1.xsd"},
	})
	lom12(meta, c, plan)
	_, items := addOrganization(m, c, plan)
	for i, u := range plan.Units {
		if u.MasteryScore != nil {
			items[i].CreateElement("adlcp:masteryscore").SetText(strconv.Itoa(*u.MasteryScore))
		}
	}
	addResources(m, plan, contents, "adlcp:scormtype")
	return doc
}

// lom12 adds the course's IMS LOM 1.2.1 metadata.
func lom12(parent *etree.Element, c *course.Course, plan bundle.Plan) {
	lom := parent.CreateElement("imsmd:lom")
	general := lom.CreateElement("imsmd:general")
	general.CreateElement("imsmd:identifier").SetText(c.ID)
	langString(general.CreateElement("imsmd:title"), c.Language, planTitle(c, plan))
	general.CreateElement("imsmd:language").SetText(c.Language)
	if c.Description != "" {
		langString(general.CreateElement("imsmd:description"), c.Language, c.Description)
	}
	for _, k := range c.Keywords {
		langString(general.CreateElement("imsmd:keyword"), c.Language, k)
	}

	lifecycle := lom.CreateElement("imsmd:lifecycle")
	langString(lifecycle.CreateElement("imsmd:version"), c.Language, c.Version)
	for _, who := range contributors(c) {
		contribute := lifecycle.CreateElement("imsmd:contribute")
		vocabulary(contribute.CreateElement("imsmd:role"), who.role)
		contribute.CreateElement("imsmd:centity").CreateElement("imsmd:vcard").SetText(vcard(who.name))
	}

	if c.Duration > 0 {
		edu := lom.CreateElement("imsmd:educational")
		edu.CreateElement("imsmd:typicallearningtime").CreateElement("imsmd:datetime").SetText(isoDuration(c.Duration.Minutes()))
	}

	if c.Licence != "" {
		rights := lom.CreateElement("imsmd:rights")
		vocabulary(rights.CreateElement("imsmd:copyrightandotherrestrictions"), "yes")
		langString(rights.CreateElement("imsmd:description"), c.Language, c.Licence)
	}
}

type contributor struct{ role, name string }

func contributors(c *course.Course) []contributor {
	var list []contributor
	for _, a := range c.Authors {
		list = append(list, contributor{"Author", a})
	}
	if c.Publisher != "" {
		list = append(list, contributor{"Publisher", c.Publisher})
	}
	return list
}

// vcard is the smallest vCard naming a person or organisation.
func vcard(name string) string {
	return "BEGIN:VCARD\nVERSION:2.1\nFN:" + strings.ReplaceAll(name, "\n", " ") + "\nEND:VCARD"
}

func langString(parent *etree.Element, lang, text string) {
	ls := parent.CreateElement("imsmd:langstring")
	ls.CreateAttr("xml:lang", lang)
	ls.SetText(text)
}

// vocabulary writes a LOMv1.0 source/value pair.
func vocabulary(parent *etree.Element, value string) {
	langString(parent.CreateElement("imsmd:source"), "x-none", "LOMv1.0")
	langString(parent.CreateElement("imsmd:value"), "x-none", value)
}

// isoDuration writes whole minutes as an ISO 8601 duration such as PT1H30M.
func isoDuration(minutes float64) string {
	total := int(minutes)
	h, m := total/60, total%60
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("PT%dH%dM", h, m)
	case h > 0:
		return fmt.Sprintf("PT%dH", h)
	}
	return fmt.Sprintf("PT%dM", m)
}
