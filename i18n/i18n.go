// Package i18n holds the interface text of the player (button labels,
// headings, notices) in each language the tool ships, and picks the catalogue
// for a course's language. Course content is the author's; only the text the
// tool itself adds lives here.
//
// A catalogue is a JSON object mapping message keys to text, in a file named
// after its language tag (catalogues/cy.json). The Fallback catalogue, en-GB,
// is the reference: every other catalogue must have each of its keys, with
// text that is not blank and that keeps the reference's {placeholders}. A
// catalogue that falls short is an error when it is chosen, so a build never
// ships a page with a missing label. A course may override any string with
// ForCourse or Strings.With.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
)

//go:embed catalogues/*.json
var embedded embed.FS

// Fallback is the language whose catalogue is used when a course's language
// has none of its own. Its catalogue is the reference the others are checked
// against.
const Fallback = "en-GB"

// Strings maps a message key, such as "nav.next", to its text.
type Strings map[string]string

// Get returns the text of key, or the key itself when the catalogue lacks it,
// so a missing string is visible rather than blank.
func (s Strings) Get(key string) string {
	if v, ok := s[key]; ok {
		return v
	}
	return key
}

// With returns a copy of s in which each key of overrides has the override's
// text. s itself is unchanged.
func (s Strings) With(overrides map[string]string) Strings {
	out := make(Strings, len(s)+len(overrides))
	for k, v := range s {
		out[k] = v
	}
	for k, v := range overrides {
		out[k] = v
	}
	return out
}

// Catalogues is a set of catalogues: the files TAG.json at the root of a
// file system.
type Catalogues struct {
	fsys fs.FS
}

// New returns the catalogues held in fsys, one TAG.json file per language at
// its root. Tests use it to try catalogues other than the shipped ones.
func New(fsys fs.FS) *Catalogues {
	return &Catalogues{fsys: fsys}
}

var shipped = func() *Catalogues {
	sub, err := fs.Sub(embedded, "catalogues")
	if err != nil {
		panic(err)
	}
	return New(sub)
}()

// Shipped returns the catalogues built into the tool.
func Shipped() *Catalogues { return shipped }

// Languages lists the languages that have a shipped catalogue, sorted.
func Languages() []string { return shipped.Languages() }

// For returns the shipped catalogue for a BCP 47 language tag: see
// Catalogues.For.
func For(lang string) (Strings, error) { return shipped.For(lang) }

// ForCourse returns the shipped catalogue for lang with a course's
// overrides applied: see Catalogues.ForCourse.
func ForCourse(lang string, overrides map[string]string) (Strings, error) {
	return shipped.ForCourse(lang, overrides)
}

// Keys lists the message keys of the shipped reference catalogue, sorted:
// the keys a course may override.
func Keys() ([]string, error) { return shipped.Keys() }

// Check reports every problem of the shipped catalogues: see
// Catalogues.Check.
func Check() error { return shipped.Check() }

// Languages lists the languages that have a catalogue, sorted.
func (c *Catalogues) Languages() []string {
	entries, _ := fs.ReadDir(c.fsys, ".")
	var langs []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() {
			langs = append(langs, name)
		}
	}
	sort.Strings(langs)
	return langs
}

// For returns the catalogue for a BCP 47 language tag: an exact match first,
// then the primary language ("cy" for "cy-GB"), then Fallback. Tags match
// without regard to case. It is an error when the chosen catalogue lacks a
// key of the reference catalogue (`interface catalogue cy lacks "nav.next"`),
// leaves one blank, or drops or renames one of its placeholders.
func (c *Catalogues) For(lang string) (Strings, error) {
	candidates := []string{lang}
	if primary, _, found := strings.Cut(lang, "-"); found {
		candidates = append(candidates, primary)
	}
	candidates = append(candidates, Fallback)
	langs := c.Languages()
	for _, name := range candidates {
		for _, have := range langs {
			if strings.EqualFold(have, name) {
				return c.checked(have)
			}
		}
	}
	return nil, fmt.Errorf("no interface catalogue for language %q", lang)
}

// ForCourse returns For(lang) with overrides applied. Every key of
// overrides must be a key of the reference catalogue.
func (c *Catalogues) ForCourse(lang string, overrides map[string]string) (Strings, error) {
	s, err := c.For(lang)
	if err != nil {
		return nil, err
	}
	if len(overrides) == 0 {
		return s, nil
	}
	ref, err := c.load(Fallback)
	if err != nil {
		return nil, err
	}
	var unknown []string
	for k := range overrides {
		if _, ok := ref[k]; !ok {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("no interface string %s to override", strings.Join(unknown, ", "))
	}
	return s.With(overrides), nil
}

// Keys lists the keys of the reference catalogue, sorted.
func (c *Catalogues) Keys() ([]string, error) {
	ref, err := c.load(Fallback)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(ref))
	for k := range ref {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Check reports every problem of every catalogue, one per line: what For
// would refuse, and also keys the reference catalogue does not have.
func (c *Catalogues) Check() error {
	ref, err := c.load(Fallback)
	if err != nil {
		return err
	}
	var errs []error
	for _, lang := range c.Languages() {
		s, err := c.load(lang)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, compare(lang, s, ref)...)
		var extra []string
		for k := range s {
			if _, ok := ref[k]; !ok {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			errs = append(errs, fmt.Errorf("interface catalogue %s has %q, which %s lacks", lang, k, Fallback))
		}
	}
	return errors.Join(errs...)
}

// checked loads catalogue name and compares it with the reference.
func (c *Catalogues) checked(name string) (Strings, error) {
	s, err := c.load(name)
	if err != nil {
		return nil, err
	}
	ref := s
	if name != Fallback {
		if ref, err = c.load(Fallback); err != nil {
			return nil, err
		}
	}
	if errs := compare(name, s, ref); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

var placeholder = regexp.MustCompile(`\{\w+\}`)

// Placeholders returns the distinct {placeholders} of text, sorted.
func Placeholders(text string) []string {
	found := placeholder.FindAllString(text, -1)
	sort.Strings(found)
	return slices.Compact(found)
}

// compare reports, in key order, the keys of ref that s lacks, leaves blank
// or whose placeholders differ.
func compare(name string, s, ref Strings) []error {
	keys := make([]string, 0, len(ref))
	for k := range ref {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	for _, k := range keys {
		v, ok := s[k]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("interface catalogue %s lacks %q", name, k))
		case strings.TrimSpace(v) == "":
			errs = append(errs, fmt.Errorf("interface catalogue %s leaves %q blank", name, k))
		default:
			want, got := Placeholders(ref[k]), Placeholders(v)
			if !slices.Equal(want, got) {
				errs = append(errs, fmt.Errorf("interface catalogue %s has placeholders %s in %q, want %s",
					name, listOrNone(got), k, listOrNone(want)))
			}
		}
	}
	return errs
}

func listOrNone(ps []string) string {
	if len(ps) == 0 {
		return "none"
	}
	return strings.Join(ps, " ")
}

// load reads and decodes catalogue name.
func (c *Catalogues) load(name string) (Strings, error) {
	data, err := fs.ReadFile(c.fsys, name+".json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no interface catalogue %s", name)
	}
	if err != nil {
		return nil, err
	}
	var s Strings
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("interface catalogue %s: %w", name, err)
	}
	return s, nil
}
