package course

import (
	"path"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// An Overlay changes course.yaml as LoadWith reads it: package brand's
// brand overlays implement it. The overlay's keys are merged over the
// document of course.yaml before it is decoded, so every check of Load
// applies to the merged course; a problem with a value the overlay wrote is
// reported in the overlay's file, at the value's line and column, and a
// path the overlay wrote is resolved relative to the overlay's folder (and
// must still name a file inside the course folder).
type Overlay interface {
	// File is the overlay's path relative to the course folder, with
	// forward slashes (such as "brands/north-wales.yaml"). Problems in the
	// overlay are reported under this name.
	File() string
	// Apply returns root, the top mapping of course.yaml, with the overlay
	// merged over it. It must not change root.
	Apply(root *yaml.Node) *yaml.Node
	// Owns reports whether node n of the merged document was written in the
	// overlay.
	Owns(n *yaml.Node) bool
}

// LoadOptions change how LoadWith reads a course.
type LoadOptions struct {
	// Overlay, when not nil, is merged over course.yaml.
	Overlay Overlay
	// Limits bound the files and structure of the course; zero fields
	// take the defaults (see DefaultLimits).
	Limits Limits
}

// ParseYAML parses data, the text of file (a path relative to the course
// folder, with forward slashes), as Load parses course.yaml: text that is
// not UTF-8 or not YAML is reported at its line and column. It returns the
// top node of the document, or nil when the document is empty (which is no
// problem) or malformed (which is).
func ParseYAML(file string, data []byte) (*yaml.Node, Errors) {
	var errs problems
	if bad := firstInvalidUTF8(data); bad >= 0 {
		line, col := newLineIndex(data).pos(bad)
		errs.add(file, line, col, "the file is not valid UTF-8 text; save it with the UTF-8 encoding")
		return nil, errs.sorted()
	}
	d := &yamlDoc{file: file, errs: &errs}
	root := d.parse(data)
	if len(errs.list) > 0 {
		return nil, errs.sorted()
	}
	return root, nil
}

// DescribeNode names the kind of a YAML value as an author would ("a list",
// "keys and values", "a number", "text"...), for messages about values of
// the wrong kind.
func DescribeNode(n *yaml.Node) string {
	return describe(n)
}

// Suggest returns the candidate nearest to word when word looks like a
// typing slip for it, or "".
func Suggest(word string, candidates []string) string {
	return suggest(word, candidates)
}

// RelativeFile returns the path of file, on disk, relative to the course
// folder dir with forward slashes, as Error.File names files.
func RelativeFile(dir, file string) string {
	absDir, err1 := filepath.Abs(dir)
	absFile, err2 := filepath.Abs(file)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absFile); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(file)
}

// applyOverlay merges l's overlay, if any, over root, the top node of
// course.yaml, and has d place problems and resolve paths by the file each
// node came from.
func (l *loader) applyOverlay(d *yamlDoc, root *yaml.Node) *yaml.Node {
	o := l.overlay
	if o == nil {
		return root
	}
	file := o.File()
	d.origin = func(n *yaml.Node) string {
		if o.Owns(n) {
			return file
		}
		return d.file
	}
	if root == nil {
		// course.yaml is empty or malformed: that is reported; the
		// overlay has nothing to go over.
		return nil
	}
	return o.Apply(root)
}

// fileOf is the file node n was written in.
func (d *yamlDoc) fileOf(n *yaml.Node) string {
	if d.origin != nil {
		return d.origin(n)
	}
	return d.file
}

// dirOf is the folder, relative to the course folder, that a path written
// at node n is relative to.
func (d *yamlDoc) dirOf(n *yaml.Node) string {
	return path.Dir(d.fileOf(n))
}
