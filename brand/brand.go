// Package brand reads brand overlays: YAML files that restyle and reword a
// course for one organisation without copying it. An overlay holds some of
// the keys of course.yaml (the title and the other descriptive keys, the
// language, the theme and the interface text) and a brand block naming the
// brand; coursepack build --brand merges it over course.yaml before the
// course is loaded, so every check of the loader applies to the merged
// course, and problems are reported in the file, line and column they come
// from.
//
// The merge is deep for mappings and shallow for everything else: a key of
// the overlay whose value is a mapping in both files is merged key by key
// (theme, theme.colours, strings); any other value of the overlay (text, a
// list, a mapping over text) replaces the course's; an empty value (or ~)
// removes the course's value. Keys that would change which course this is,
// or what it teaches and tracks (id, version, modules, duration, completion,
// mastery_score), are refused, since learner records are tied to them.
//
// Paths in an overlay (theme.logo, theme.favicon, theme.fonts) are relative
// to the overlay's folder, and must still name files inside the course
// folder.
package brand

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/course"
)

// Allowed are the top-level keys of course.yaml an overlay may set, in the
// order messages list them; an overlay may also hold the brand block.
var Allowed = []string{"title", "description", "publisher", "authors", "keywords", "licence", "language", "theme", "strings"}

// refused says why each key of course.yaml that an overlay may not set is
// refused.
var refused = map[string]string{
	"id": "a brand overlay cannot change id: packages and learner records are tied to the course's id, " +
		"so a brand with another id would orphan the records of everyone who has started the course; " +
		"a brand changes how a course looks and reads, not which course it is",
	"version": "a brand overlay cannot change version: every brand of a build is the same version of the course",
	"modules": "a brand overlay cannot change modules: every brand has the same content, so that learner records " +
		"and reports line up across brands; make a separate course for other content",
	"duration":      "a brand overlay cannot change duration: it describes the content, which every brand shares",
	"completion":    "a brand overlay cannot change completion: every brand is completed and tracked the same way",
	"mastery_score": "a brand overlay cannot change mastery_score: every brand is completed and tracked the same way",
}

// namePattern is what a brand's name may be: it goes into file names.
// MaxFileSize caps a brand overlay file, in bytes: as course.yaml, it needs
// only a few kB.
const MaxFileSize = 1_000_000

var namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Overlay is a brand overlay read from its file. It implements
// course.Overlay.
type Overlay struct {
	// Name names the brand in package names (<course>-<name>-<format>.zip):
	// brand.name, or else the file's name without its extension.
	Name string
	// Organisation is brand.organisation, or "".
	Organisation string
	// Path is the overlay file as it was given.
	Path string
	// file is Path relative to the course folder, with forward slashes.
	file string
	// root is the overlay's top mapping without the brand block, or nil.
	root *yaml.Node
	// nodes are every node of the overlay's document.
	nodes map[*yaml.Node]bool
}

var _ course.Overlay = (*Overlay)(nil)

// Read reads the overlay file at path (relative to the working folder) for
// the course in folder dir. Problems its author must fix (YAML that does not
// parse, a key an overlay may not set, a brand name that is not one) come
// back together as course.Errors, located in the overlay file by its path
// relative to dir; other failures as an ordinary error. With course.Errors
// it still returns the overlay, so that its Name can label the problems.
func Read(path, dir string) (*Overlay, error) {
	o := &Overlay{Path: path, file: course.RelativeFile(dir, path), nodes: map[*yaml.Node]bool{}}
	data, problem, err := course.ReadFileWithin(path, MaxFileSize, "a brand overlay; it needs only a few kB")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("brand overlay %s not found", path)
	}
	if err != nil {
		return nil, fmt.Errorf("brand overlay: %w", err)
	}
	if problem != "" {
		o.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		return o, course.Errors{{File: o.file, Msg: problem}}
	}
	root, errs := course.ParseYAML(o.file, data)
	if len(errs) > 0 {
		o.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		return o, errs
	}
	p := &checker{file: o.file}
	if root != nil {
		mark(root, o.nodes)
		o.root = p.top(root, o)
	}
	if o.Name == "" {
		base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if !namePattern.MatchString(base) && !p.named {
			p.errs = append(p.errs, course.Error{File: o.file, Msg: fmt.Sprintf(
				"the file name %q cannot name the brand in package names; add `brand: {name: my-brand}` "+
					"with lower-case letters, digits and hyphens, or rename the file", filepath.Base(path))})
		}
		o.Name = base
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool {
			a, b := p.errs[i], p.errs[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return o, p.errs
	}
	return o, nil
}

// File is the overlay's path relative to the course folder.
func (o *Overlay) File() string { return o.file }

// Apply returns root, the top mapping of course.yaml, with the overlay
// merged over it (see Merge).
func (o *Overlay) Apply(root *yaml.Node) *yaml.Node {
	if o.root == nil || !isMapping(root) {
		// A course.yaml that is not keys and values is reported as such.
		return root
	}
	return Merge(root, o.root)
}

// Owns reports whether n is a node of the overlay's document.
func (o *Overlay) Owns(n *yaml.Node) bool { return o.nodes[n] }

// Merge returns base with over merged over it, changing neither: where
// both are mappings, each key of over replaces base's value of that key,
// or is merged into it when both values are mappings; a key base lacks is
// added after base's keys. Anything else (text, a list, a mapping over
// text or text over a mapping) returns over. The nodes of over are used as
// they are, so that their lines and columns still point into over's file.
func Merge(base, over *yaml.Node) *yaml.Node {
	b, o := resolve(base), resolve(over)
	if b == nil || o == nil || b.Kind != yaml.MappingNode || o.Kind != yaml.MappingNode {
		return over
	}
	out := *b
	out.Content = append([]*yaml.Node(nil), b.Content...)
	at := map[string]int{}
	for i := 0; i+1 < len(out.Content); i += 2 {
		k := resolve(out.Content[i])
		if _, seen := at[k.Value]; k.Kind == yaml.ScalarNode && !seen {
			at[k.Value] = i
		}
	}
	for j := 0; j+1 < len(o.Content); j += 2 {
		k, v := o.Content[j], o.Content[j+1]
		rk := resolve(k)
		i, found := at[rk.Value]
		switch {
		case rk.Kind != yaml.ScalarNode || !found:
			at[rk.Value] = len(out.Content)
			out.Content = append(out.Content, k, v)
		case isMapping(out.Content[i+1]) && isMapping(v):
			out.Content[i+1] = Merge(out.Content[i+1], v)
		default:
			out.Content[i], out.Content[i+1] = k, v
		}
	}
	return &out
}

func isMapping(n *yaml.Node) bool {
	n = resolve(n)
	return n != nil && n.Kind == yaml.MappingNode
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// mark adds n and every node under it to set.
func mark(n *yaml.Node, set map[*yaml.Node]bool) {
	if n == nil || set[n] {
		return
	}
	set[n] = true
	for _, c := range n.Content {
		mark(c, set)
	}
	mark(n.Alias, set)
}

// checker collects the problems of one overlay file.
type checker struct {
	file string
	errs course.Errors
	// named is true when the brand block gives a name, valid or not.
	named bool
}

func (p *checker) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, course.Error{File: p.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// top checks the overlay's top mapping, reads its brand block into o, and
// returns the mapping without the brand block.
func (p *checker) top(root *yaml.Node, o *Overlay) *yaml.Node {
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "expected keys and values such as `title: My course`, got %s", course.DescribeNode(root))
		return nil
	}
	p.duplicates(root, "")
	out := *root
	out.Content = nil
	known := append(append([]string(nil), Allowed...), "brand")
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := resolve(root.Content[i]), root.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			p.errorf(k, "a key must be a plain word, got %s", course.DescribeNode(k))
		case k.Value == "brand":
			p.brand(v, o)
		case refused[k.Value] != "":
			p.errorf(k, "%s", refused[k.Value])
		case !contains(Allowed, k.Value):
			if s := course.Suggest(k.Value, known); s != "" {
				p.errorf(k, "unknown key %q (did you mean %q?)", k.Value, s)
			} else {
				p.errorf(k, "unknown key %q; a brand overlay may set %s and %s, and hold a brand block", k.Value, strings.Join(Allowed[:len(Allowed)-1], ", "), Allowed[len(Allowed)-1])
			}
		default:
			out.Content = append(out.Content, root.Content[i], v)
		}
	}
	return &out
}

// brand reads the brand block: name and organisation.
func (p *checker) brand(v *yaml.Node, o *Overlay) {
	v = resolve(v)
	if isNull(v) {
		return
	}
	if v.Kind != yaml.MappingNode {
		p.errorf(v, "brand: expected keys and values such as `name: north-wales`, got %s", course.DescribeNode(v))
		return
	}
	keys := []string{"name", "organisation"}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), resolve(v.Content[i+1])
		if k.Kind != yaml.ScalarNode || !contains(keys, k.Value) {
			if s := course.Suggest(k.Value, keys); s != "" && k.Kind == yaml.ScalarNode {
				p.errorf(k, "unknown key %q in brand (did you mean %q?)", k.Value, s)
			} else {
				p.errorf(k, "unknown key %q in brand; the keys are name and organisation", k.Value)
			}
			continue
		}
		if isNull(val) {
			continue
		}
		if val.Kind != yaml.ScalarNode {
			p.errorf(val, "brand.%s: expected text, got %s", k.Value, course.DescribeNode(val))
			continue
		}
		s := strings.TrimSpace(val.Value)
		switch k.Value {
		case "name":
			p.named = true
			if !namePattern.MatchString(s) {
				p.errorf(val, "brand.name: %q cannot name packages; use lower-case letters, digits and hyphens, such as north-wales", val.Value)
				continue
			}
			o.Name = s
		case "organisation":
			o.Organisation = strings.Join(strings.Fields(s), " ")
		}
	}
}

// duplicates reports a key that appears twice in a mapping of the overlay,
// at any depth: the YAML parser keeps both, and the merge would use only
// one.
func (p *checker) duplicates(n *yaml.Node, name string) {
	switch n.Kind {
	case yaml.MappingNode:
		first := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			if k.Kind != yaml.ScalarNode {
				continue
			}
			full := k.Value
			if name != "" {
				full = name + "." + k.Value
			}
			if line, dup := first[k.Value]; dup {
				p.errorf(k, "key %q appears twice (first at line %d); keep only one", full, line)
				continue
			}
			first[k.Value] = k.Line
			p.duplicates(n.Content[i+1], full)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p.duplicates(c, fmt.Sprintf("%s[%d]", name, i+1))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
