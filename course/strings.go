package course

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/coursepack/coursepack/i18n"
)

// fileStem is what plan.file, the name the action plan is downloaded
// under, may be.
var fileStem = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// readStrings decodes the strings mapping of course.yaml: interface text
// that replaces the catalogue's for this course. Each key must be a key of
// the reference catalogue, each value text that is not blank, and the text
// may use only the placeholders of the string it replaces.
func (l *loader) readStrings(d *yamlDoc, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		d.errorf(v, "strings: expected keys and values such as `nav.next: Continue`, got %s", describe(v))
		return
	}
	keys, err := i18n.Keys()
	if err != nil {
		l.fail(fmt.Errorf("course: %w", err))
		return
	}
	ref, err := i18n.For(i18n.Fallback)
	if err != nil {
		l.fail(fmt.Errorf("course: %w", err))
		return
	}
	firstLine := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), resolve(v.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a key must be a plain word, got %s", describe(k))
			continue
		}
		key := k.Value
		if !slices.Contains(keys, key) {
			if s := suggestKey(key, keys); s != "" {
				d.errorf(k, "unknown key %q in strings (did you mean %q?)", key, s)
			} else {
				d.errorf(k, "unknown key %q in strings; use a key of the player's interface text, such as nav.next (docs/authoring.md lists them)", key)
			}
			continue
		}
		name := "strings." + key
		if line, dup := firstLine[key]; dup {
			d.errorf(k, "key %q appears twice (first at line %d); keep only one", name, line)
			continue
		}
		firstLine[key] = k.Line + d.lineOffset
		if isNull(val) {
			d.errorf(k, "%s: no value; write the text after the colon", name)
			continue
		}
		s, ok := d.text(val, name)
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		if s == "" {
			d.errorf(val, "%s: is blank; write some text", name)
			continue
		}
		allowed := i18n.Placeholders(ref[key])
		var unknown []string
		for _, p := range i18n.Placeholders(s) {
			if !slices.Contains(allowed, p) {
				unknown = append(unknown, p)
			}
		}
		if len(unknown) > 0 {
			verb := "is not a placeholder"
			if len(unknown) > 1 {
				verb = "are not placeholders"
			}
			has := "it has none"
			if len(allowed) > 0 {
				has = "it has " + andList(allowed)
			}
			d.errorf(val, "%s: %s %s of this string; %s", name, andList(unknown), verb, has)
			continue
		}
		if key == "plan.file" && !fileStem.MatchString(s) {
			d.errorf(val, "%s: %q is not a file name; use lower-case letters, digits and hyphens, such as my-action-plan", name, s)
			continue
		}
		if l.course.Strings == nil {
			l.course.Strings = map[string]string{}
		}
		l.course.Strings[key] = s
	}
}

// suggestKey returns the interface key nearest to word, by edit distance or,
// failing that, the one key whose last part is word ("next" for nav.next).
func suggestKey(word string, keys []string) string {
	if s := suggest(word, keys); s != "" {
		return s
	}
	var found []string
	for _, k := range keys {
		if _, last, ok := strings.Cut(k, "."); ok && last == strings.ToLower(word) {
			found = append(found, k)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// andList joins items as "a", "a and b" or "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
