package course

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/internal/spelling"
)

// This file is a small strict decoder over yaml.Node. Each mapping is
// described by a list of yamlField; unknown keys, duplicate keys, missing
// required keys and values of the wrong kind are reported in the author's
// words, at the node's line and column, and decoding goes on so that every
// problem is found.

// yamlField describes one key of a mapping.
type yamlField struct {
	key      string
	required bool
	// set receives the key's value node. It is not called for a null value
	// (an empty value, or ~), which counts as absent.
	set func(v *yaml.Node)
}

// yamlDoc decodes the YAML of one file.
type yamlDoc struct {
	file string
	// lineOffset is added to node lines: the YAML may start below the
	// first line of the file (front matter).
	lineOffset int
	errs       *problems
	// origin, when set, names the file a node was written in, for a
	// document merged from several files (see Overlay); file otherwise.
	origin func(n *yaml.Node) string
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the messages of yaml's parser, as opposed to its
// scanner.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
}

// parse parses data and returns the root node, or nil when the document is
// empty or malformed (a malformed one is reported).
func (d *yamlDoc) parse(data []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		// yaml reports parser errors (not scanner errors) with the line
		// counted from 0.
		if parserProblems[msg] {
			line++
		}
		if line == 0 {
			line = 1
		}
		// At the end of the text, yaml may name the line after the last.
		line = min(line, bytes.Count(data, []byte("\n"))+1)
		d.errs.add(d.file, line+d.lineOffset, 0, "invalid YAML: %s", msg)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	if !d.checkYAMLShape(&doc) {
		return nil
	}
	root := resolve(doc.Content[0])
	if isNull(root) {
		return nil
	}
	return root
}

// errorf reports a problem at node n.
func (d *yamlDoc) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.add(d.fileOf(n), n.Line+d.lineOffset, n.Column, format, args...)
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// describe names the kind of a value as an author would.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "keys and values"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "true or false"
		}
		return "text"
	}
	return "something else"
}

// mapping decodes mapping n with fields. name is how messages refer to the
// mapping ("theme"); it is "" for the top level, where keys are named alone.
func (d *yamlDoc) mapping(n *yaml.Node, name string, fields []yamlField) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		if name == "" {
			d.errorf(n, "expected keys and values such as `title: My course`, got %s", describe(n))
		} else {
			d.errorf(n, "%s: expected keys and values, got %s", name, describe(n))
		}
		return
	}
	known := make([]string, len(fields))
	byKey := map[string]*yamlField{}
	for i := range fields {
		known[i] = fields[i].key
		byKey[fields[i].key] = &fields[i]
	}
	seen := map[string]*yaml.Node{}
	present := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		key := k.Value
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a key must be a plain word, got %s", describe(k))
			continue
		}
		f := byKey[key]
		if f == nil {
			where := ""
			if name != "" {
				where = " in " + name
			}
			if s := suggest(key, known); s != "" {
				d.errorf(k, "unknown key %q%s (did you mean %q?)", key, where, s)
			} else {
				d.errorf(k, "unknown key %q%s; the keys are %s", key, where, strings.Join(known, ", "))
			}
			continue
		}
		if first, dup := seen[key]; dup {
			d.errorf(k, "key %q appears twice (first at line %d); keep only one", qualify(name, key), first.Line+d.lineOffset)
			continue
		}
		seen[key] = k
		if isNull(resolve(v)) {
			continue
		}
		present[key] = true
		f.set(resolve(v))
	}
	var missing []string
	for _, f := range fields {
		if f.required && !present[f.key] {
			if k := seen[f.key]; k != nil {
				d.errorf(k, "%s: no value; write it after the colon", qualify(name, f.key))
				continue
			}
			missing = append(missing, fmt.Sprintf("%q", qualify(name, f.key)))
		}
	}
	if len(missing) == 1 {
		d.errorf(n, "missing required key %s", missing[0])
	} else if len(missing) > 1 {
		d.errorf(n, "missing required keys %s", strings.Join(missing, ", "))
	}
}

func qualify(name, key string) string {
	if name == "" {
		return key
	}
	return name + "." + key
}

// text returns a scalar value as text. Numbers and booleans are accepted
// as written (version: 1.0 is the text "1.0").
func (d *yamlDoc) text(n *yaml.Node, name string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s: expected text, got %s", name, describe(n))
		return "", false
	}
	return n.Value, true
}

// textList returns a list of text values; a single text value is an error.
func (d *yamlDoc) textList(n *yaml.Node, name string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: expected a list of text, got %s", name, describe(n))
		return nil, false
	}
	var out []*yaml.Node
	ok := true
	for i, item := range n.Content {
		item = resolve(item)
		if item.Kind != yaml.ScalarNode || isNull(item) {
			d.errorf(item, "%s item %d: expected text, got %s", name, i+1, describe(item))
			ok = false
			continue
		}
		out = append(out, item)
	}
	return out, ok
}

// values returns the Value of each node.
func values(nodes []*yaml.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Value
	}
	return out
}

// wholeNumber returns an integer value.
func (d *yamlDoc) wholeNumber(n *yaml.Node, name string) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		got := describe(n)
		if n.Kind == yaml.ScalarNode && n.Tag != "!!bool" {
			got = fmt.Sprintf("%q", n.Value)
		}
		d.errorf(n, "%s: expected a whole number, got %s", name, got)
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 0, 32)
	if err != nil {
		d.errorf(n, "%s: %q is not a whole number this tool can use", name, n.Value)
		return 0, false
	}
	return int(v), true
}

// suggest returns the candidate nearest to word by edit distance, or ""
// when none is near enough to be a likely typo.
func suggest(word string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		dist := spelling.Distance(strings.ToLower(word), c)
		if bestDist < 0 || dist < bestDist {
			best, bestDist = c, dist
		}
	}
	limit := max(1, min(3, len([]rune(word))/2))
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}
