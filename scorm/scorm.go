// Package scorm builds SCORM packages: the imsmanifest.xml of each package
// (written with etree to the official schemas) and the layout of
// organisations, items and SCOs that an LMS shows and tracks.
package scorm

import (
	"strings"

	"github.com/beevik/etree"
	"github.com/google/uuid"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
)

// maxTitle is the longest title SCORM allows in an organisation or item
// (200 characters, in 1.2 and in 2004).
const maxTitle = 200

// manifestID derives a package identifier from the course IRI (and, for one
// package of a split build, the module id), so every version of a course
// gets the same identifiers and an LMS keeps learners' records on re-upload.
func manifestID(c *course.Course, suffix string) string {
	return "coursepack-" + uuid.NewSHA1(uuid.NameSpaceURL, []byte(c.ID)).String() + suffix
}

// itemID and resourceID name a unit's item and SCO resource; module ids are
// already restricted to characters that are valid in an xsd:ID.
func itemID(u bundle.Unit) string     { return "item-" + u.ID }
func resourceID(u bundle.Unit) string { return "sco-" + u.ID }

// sharedID names the asset resource holding the player and course assets,
// organizationID the one organisation of every manifest.
const (
	sharedID       = "shared"
	organizationID = "organization"
)

// title shortens s to the schema's limit without splitting a character.
func title(s string) string {
	r := []rune(s)
	if len(r) <= maxTitle {
		return s
	}
	return string(r[:maxTitle-1]) + "…"
}

// nsXSI is the XML Schema instance namespace, for xsi:schemaLocation.
const nsXSI = "http://www.w3.org/2001/XMLSchema-instance"

// namespace is one namespace of a manifest: its prefix ("" for the default
// namespace), its URI and the file name of its schema.
type namespace struct{ prefix, uri, schema string }

// newManifest starts the manifest of one package: the XML declaration, the
// root <manifest> with the identifier derived from the course, the course
// version, the namespaces declared (and located, in order, in
// xsi:schemaLocation), and a <metadata> naming the SCORM schema version.
// It returns the document, its root and the metadata element, to which a
// version may add LOM.
func newManifest(c *course.Course, plan bundle.Plan, schemaVersion string, nss []namespace) (*etree.Document, *etree.Element, *etree.Element) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	m := doc.CreateElement("manifest")
	m.CreateAttr("identifier", manifestID(c, plan.Suffix))
	m.CreateAttr("version", c.Version)
	var locations []string
	for _, ns := range nss {
		attr := "xmlns"
		if ns.prefix != "" {
			attr += ":" + ns.prefix
		}
		m.CreateAttr(attr, ns.uri)
		locations = append(locations, ns.uri, ns.schema)
	}
	m.CreateAttr("xmlns:xsi", nsXSI)
	m.CreateAttr("xsi:schemaLocation", strings.Join(locations, " "))

	meta := m.CreateElement("metadata")
	meta.CreateElement("schema").SetText("ADL SCORM")
	meta.CreateElement("schemaversion").SetText(schemaVersion)
	return doc, m, meta
}

// addOrganization adds <organizations> holding the plan's one organisation,
// titled by planTitle, with an item per unit that launches the unit's SCO.
// It returns the organisation and its items, in unit order, for a version
// to add its own elements to.
func addOrganization(root *etree.Element, c *course.Course, plan bundle.Plan) (*etree.Element, []*etree.Element) {
	orgs := root.CreateElement("organizations")
	orgs.CreateAttr("default", organizationID)
	org := orgs.CreateElement("organization")
	org.CreateAttr("identifier", organizationID)
	org.CreateElement("title").SetText(title(planTitle(c, plan)))
	items := make([]*etree.Element, len(plan.Units))
	for i, u := range plan.Units {
		item := org.CreateElement("item")
		item.CreateAttr("identifier", itemID(u))
		item.CreateAttr("identifierref", resourceID(u))
		item.CreateElement("title").SetText(title(u.Title))
		items[i] = item
	}
	return org, items
}

// addResources adds <resources>: one SCO per unit, holding the unit's page
// and depending on the shared files, then one asset resource with the
// shared files. scormType is the qualified name of ADL's resource type
// attribute, which differs between versions in case only:
// "adlcp:scormtype" in SCORM 1.2, "adlcp:scormType" in SCORM 2004.
func addResources(root *etree.Element, plan bundle.Plan, contents bundle.Contents, scormType string) {
	resources := root.CreateElement("resources")
	for i, u := range plan.Units {
		res := resources.CreateElement("resource")
		res.CreateAttr("identifier", resourceID(u))
		res.CreateAttr("type", "webcontent")
		res.CreateAttr(scormType, "sco")
		res.CreateAttr("href", u.Href)
		addFiles(res, contents.Pages[i:i+1])
		res.CreateElement("dependency").CreateAttr("identifierref", sharedID)
	}
	shared := resources.CreateElement("resource")
	shared.CreateAttr("identifier", sharedID)
	shared.CreateAttr("type", "webcontent")
	shared.CreateAttr(scormType, "asset")
	addFiles(shared, contents.Shared)
}

// planTitle is the organisation title: the course's, or for one package
// of a split build, the course's and the module's.
func planTitle(c *course.Course, plan bundle.Plan) string {
	if plan.Suffix != "" && len(plan.Units) == 1 {
		return c.Title + ": " + plan.Units[0].Title
	}
	return c.Title
}

// build makes one package of format f per plan of the layout, named
// <slug>-<f's name><suffix>.zip: the plan's pages rendered for f's
// runtime, the shared files and the manifest that manifest writes.
func build(c *course.Course, opts format.Options, f format.Format, manifest func(*course.Course, bundle.Plan, bundle.Contents) *etree.Document) ([]*dist.Package, error) {
	plans, err := bundle.Plans(c, opts.Layout)
	if err != nil {
		return nil, err
	}
	return bundle.Packages(c, plans, f, opts, func(plan bundle.Plan, contents bundle.Contents) (string, *etree.Document, error) {
		return "imsmanifest.xml", manifest(c, plan, contents), nil
	})
}

// addFiles lists files in a resource, one <file> per path.
func addFiles(res *etree.Element, files []dist.File) {
	for _, f := range files {
		res.CreateElement("file").CreateAttr("href", f.Path)
	}
}
