// Package scorm builds SCORM packages: the imsmanifest.xml of each package
// (written with etree to the official schemas) and the layout of
// organisations, items and SCOs that an LMS shows and tracks.
package scorm

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
	"github.com/google/uuid"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
)

// maxTitle is the longest title SCORM 1.2 allows in an organisation or item.
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

// sharedID names the asset resource holding the player and course assets.
const sharedID = "shared"

// title shortens s to the schema's limit without splitting a character.
func title(s string) string {
	r := []rune(s)
	if len(r) <= maxTitle {
		return s
	}
	return string(r[:maxTitle-1]) + "…"
}

// newDocument starts a manifest with its XML declaration.
func newDocument() *etree.Document {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	return doc
}

// writeManifest serialises doc, indented, into the package.
func writeManifest(pkg *dist.Package, doc *etree.Document) error {
	doc.Indent(2)
	data, err := doc.WriteToBytes()
	if err != nil {
		return fmt.Errorf("writing imsmanifest.xml: %w", err)
	}
	pkg.Add("imsmanifest.xml", data)
	return nil
}

// addFiles lists files in a resource, one <file> per path.
func addFiles(res *etree.Element, files []dist.File) {
	for _, f := range files {
		res.CreateElement("file").CreateAttr("href", f.Path)
	}
}

// schemaLocation joins namespace and file pairs for xsi:schemaLocation.
func schemaLocation(pairs ...string) string {
	return strings.Join(pairs, " ")
}
