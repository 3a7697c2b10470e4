// Package i18n holds the interface text of the player (button labels,
// headings, notices) in each language the tool ships, and picks the catalogue
// for a course's language. Course content is the author's; only the text the
// tool itself adds lives here.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed catalogues/*.json
var catalogues embed.FS

// Fallback is the language whose catalogue is used when a course's language
// has none of its own.
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

// Languages lists the languages that have a catalogue, sorted.
func Languages() []string {
	entries, _ := catalogues.ReadDir("catalogues")
	var langs []string
	for _, e := range entries {
		langs = append(langs, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(langs)
	return langs
}

// For returns the catalogue for a BCP 47 language tag: an exact match first,
// then the primary language ("cy" for "cy-GB"), then Fallback.
func For(lang string) (Strings, error) {
	candidates := []string{lang}
	if primary, _, found := strings.Cut(lang, "-"); found {
		candidates = append(candidates, primary)
	}
	if strings.EqualFold(candidates[len(candidates)-1], "en") {
		candidates = append(candidates, Fallback)
	}
	candidates = append(candidates, Fallback)
	for _, name := range candidates {
		for _, have := range Languages() {
			if strings.EqualFold(have, name) {
				return load(have)
			}
		}
	}
	return nil, fmt.Errorf("no interface catalogue for language %q", lang)
}

func load(name string) (Strings, error) {
	data, err := catalogues.ReadFile("catalogues/" + name + ".json")
	if err != nil {
		return nil, err
	}
	var s Strings
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("catalogue %s: %w", name, err)
	}
	return s, nil
}
