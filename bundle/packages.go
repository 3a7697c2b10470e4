package bundle

import (
	"fmt"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
)

// Manifest makes a format's manifest for one package from its plan and
// contents: the manifest's file name in the package and its document.
type Manifest func(plan Plan, contents Contents) (name string, doc *etree.Document, err error)

// Packages builds one package of format f per plan: the units' pages for
// the format's runtime, the shared files, and the manifest, indented, at
// the root. Each is named <slug>-<format><suffix>.zip. Of opts only
// RenderAtWrite is used (see BuildWith): the plans carry the layout.
func Packages(c *course.Course, plans []Plan, f format.Format, opts format.Options, manifest Manifest) ([]*dist.Package, error) {
	pkgs := make([]*dist.Package, 0, len(plans))
	for _, plan := range plans {
		contents, err := BuildWith(c, plan.Units, f.Runtime(), opts)
		if err != nil {
			return nil, err
		}
		name, doc, err := manifest(plan, contents)
		if err != nil {
			return nil, err
		}
		doc.Indent(2)
		data, err := doc.WriteToBytes()
		if err != nil {
			return nil, fmt.Errorf("writing %s: %w", name, err)
		}
		pkg := &dist.Package{Name: Slug(c) + "-" + f.Name() + plan.Suffix + ".zip", Files: contents.Files()}
		pkg.Add(name, data)
		pkgs = append(pkgs, pkg)
	}
	return pkgs, nil
}
