package i18n

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// TestShippedLanguages pins the languages the tool ships.
func TestShippedLanguages(t *testing.T) {
	want := []string{"cy", "en-GB", "ga", "gd"}
	if got := Languages(); !reflect.DeepEqual(got, want) {
		t.Errorf("Languages() = %q, want %q", got, want)
	}
}

// TestShippedCataloguesMatchReference checks every shipped catalogue
// against en-GB: exactly the same keys, no blank text, the same
// placeholders.
func TestShippedCataloguesMatchReference(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatalf("the shipped catalogues have problems:\n%v", err)
	}
	ref := raw(t, Fallback)
	refKeys := sortedKeys(ref)
	if len(refKeys) == 0 {
		t.Fatal("the reference catalogue is empty")
	}
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			s := raw(t, lang)
			if got := sortedKeys(s); !slices.Equal(got, refKeys) {
				t.Errorf("keys differ from %s:\nmissing: %q\nextra: %q", Fallback, minus(refKeys, got), minus(got, refKeys))
			}
			for k, v := range s {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%q is blank", k)
				}
				if v != strings.TrimSpace(v) {
					t.Errorf("%q has space at its ends: %q", k, v)
				}
				if want, got := Placeholders(ref[k]), Placeholders(v); !slices.Equal(want, got) {
					t.Errorf("%q has placeholders %q, want %q", k, got, want)
				}
			}
			if lang != Fallback {
				// A translation that equals the English text is most likely
				// a string left untranslated.
				for k, v := range s {
					if v == ref[k] && Placeholders(v) == nil && !untranslatable[k] {
						t.Errorf("%q is the same as in %s: %q", k, Fallback, v)
					}
				}
			}
			// The action plan's file name must be safe on every system.
			for _, r := range s["plan.file"] {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
					t.Errorf("plan.file %q has %q; use a-z, 0-9 and -", s["plan.file"], r)
				}
			}
			got, err := For(lang)
			if err != nil {
				t.Fatalf("For(%q): %v", lang, err)
			}
			if !reflect.DeepEqual(got, s) {
				t.Errorf("For(%q) is not the %s catalogue", lang, lang)
			}
		})
	}
}

// untranslatable lists keys whose text may equal the English in another
// language (none so far).
var untranslatable = map[string]bool{}

// TestCatalogueFilesAreValidJSON checks each file is an object of text with
// no key twice (encoding/json would silently keep the last).
func TestCatalogueFilesAreValidJSON(t *testing.T) {
	for _, lang := range Languages() {
		data, err := embedded.ReadFile("catalogues/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		seen := map[string]bool{}
		depth := 0
		expectKey := false
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch v := tok.(type) {
			case json.Delim:
				if v == '{' {
					depth++
					expectKey = true
				} else if v == '}' {
					depth--
				}
				continue
			case string:
				if depth == 1 && expectKey {
					if seen[v] {
						t.Errorf("%s.json: key %q appears twice", lang, v)
					}
					seen[v] = true
					expectKey = false
					continue
				}
				expectKey = true
			}
		}
	}
}

func TestForMatchesTags(t *testing.T) {
	cases := map[string]string{
		"cy":    "cy",
		"cy-GB": "cy",
		"CY":    "cy",
		"ga-IE": "ga",
		"gd":    "gd",
		"en-GB": "en-GB",
		"en":    "en-GB",
		"en-US": "en-GB",
		"fr":    "en-GB", // no French catalogue: the fallback
	}
	for tag, want := range cases {
		got, err := For(tag)
		if err != nil {
			t.Errorf("For(%q): %v", tag, err)
			continue
		}
		if !reflect.DeepEqual(got, raw(t, want)) {
			t.Errorf("For(%q) did not give the %s catalogue", tag, want)
		}
	}
	cy, _ := For("cy")
	if cy.Get("nav.next") != "Nesaf" {
		t.Errorf(`cy nav.next = %q, want "Nesaf"`, cy.Get("nav.next"))
	}
	if cy.Get("no.such-key") != "no.such-key" {
		t.Errorf("Get of an unknown key should return the key")
	}
}

// brokenFS is a catalogue set whose cy catalogue lacks two keys, leaves one
// blank and drops a placeholder, and whose ga catalogue is complete but has
// a key en-GB lacks.
func brokenFS() fstest.MapFS {
	return fstest.MapFS{
		"en-GB.json": {Data: []byte(`{"nav.next": "Next", "nav.previous": "Previous", "end.exit": "Exit", "plan.goal": "Goal {n}", "progress.page": "Page {n} of {total}"}`)},
		"cy.json":    {Data: []byte(`{"nav.previous": " ", "plan.goal": "Nod", "progress.page": "Tudalen {n} o {total}"}`)},
		"ga.json":    {Data: []byte(`{"nav.next": "Ar aghaidh", "nav.previous": "Roimhe", "end.exit": "Scoir", "plan.goal": "Sprioc {n}", "progress.page": "Leathanach {n} as {total}", "nav.extra": "x"}`)},
		"gd.json":    {Data: []byte(`{"nav.next": `)},
		"notes.txt":  {Data: []byte("not a catalogue")},
	}
}

func TestForRefusesIncompleteCatalogue(t *testing.T) {
	c := New(brokenFS())
	if got, want := c.Languages(), []string{"cy", "en-GB", "ga", "gd"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Languages() = %q, want %q", got, want)
	}
	for _, tag := range []string{"cy", "cy-GB"} {
		s, err := c.For(tag)
		if s != nil || err == nil {
			t.Fatalf("For(%q) = %v, %v; want an error", tag, s, err)
		}
		want := strings.Join([]string{
			`interface catalogue cy lacks "end.exit"`,
			`interface catalogue cy lacks "nav.next"`,
			`interface catalogue cy leaves "nav.previous" blank`,
			`interface catalogue cy has placeholders none in "plan.goal", want {n}`,
		}, "\n")
		if err.Error() != want {
			t.Errorf("For(%q) error:\n%v\nwant:\n%s", tag, err, want)
		}
	}
	// A key the reference lacks does not stop a build.
	if _, err := c.For("ga"); err != nil {
		t.Errorf("For(ga): %v", err)
	}
	if _, err := c.For("gd"); err == nil || !strings.HasPrefix(err.Error(), "interface catalogue gd: ") {
		t.Errorf("For(gd) = %v, want a JSON error naming the catalogue", err)
	}
	if _, err := c.For("fr"); err != nil {
		t.Errorf("For(fr) should fall back to en-GB: %v", err)
	}
}

func TestCheckReportsEveryProblem(t *testing.T) {
	err := New(brokenFS()).Check()
	if err == nil {
		t.Fatal("Check() = nil, want the problems")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		`interface catalogue cy lacks "end.exit"`,
		`interface catalogue cy lacks "nav.next"`,
		`interface catalogue cy leaves "nav.previous" blank`,
		`interface catalogue cy has placeholders none in "plan.goal", want {n}`,
		`interface catalogue ga has "nav.extra", which en-GB lacks`,
	}
	if len(lines) != len(want)+1 || !reflect.DeepEqual(lines[:len(want)], want) || !strings.HasPrefix(lines[len(want)], "interface catalogue gd: ") {
		t.Errorf("Check():\n%v\nwant:\n%s\n(and gd's JSON error)", err, strings.Join(want, "\n"))
	}
}

func TestNoReferenceCatalogue(t *testing.T) {
	c := New(fstest.MapFS{"cy.json": {Data: []byte(`{"nav.next": "Nesaf"}`)}})
	if _, err := c.For("cy"); err == nil || err.Error() != "no interface catalogue en-GB" {
		t.Errorf("For(cy) without en-GB = %v", err)
	}
	if _, err := c.For("fr"); err == nil || err.Error() != `no interface catalogue for language "fr"` {
		t.Errorf("For(fr) without en-GB = %v", err)
	}
}

func TestOverrides(t *testing.T) {
	base, err := For("cy")
	if err != nil {
		t.Fatal(err)
	}
	over := map[string]string{"nav.next": "Ymlaen", "callout.buddy": "Siaradwch â’ch cyfaill"}
	s, err := ForCourse("cy", over)
	if err != nil {
		t.Fatal(err)
	}
	if s.Get("nav.next") != "Ymlaen" || s.Get("callout.buddy") != "Siaradwch â’ch cyfaill" || s.Get("nav.previous") != "Blaenorol" {
		t.Errorf("ForCourse did not apply the overrides: %v", s)
	}
	if base.Get("nav.next") != "Nesaf" {
		t.Errorf("With changed the catalogue it was called on")
	}
	if again, _ := For("cy"); again.Get("nav.next") != "Nesaf" {
		t.Errorf("an override leaked into a later For")
	}
	if s, err := ForCourse("en-GB", nil); err != nil || s.Get("nav.next") != "Next" {
		t.Errorf("ForCourse without overrides = %v, %v", s, err)
	}
	_, err = ForCourse("cy", map[string]string{"nav.nxet": "x", "nav.next": "y", "a": "b"})
	if err == nil || err.Error() != `no interface string "a", "nav.nxet" to override` {
		t.Errorf("ForCourse with unknown keys = %v", err)
	}
}

func TestKeys(t *testing.T) {
	keys, err := Keys()
	if err != nil {
		t.Fatal(err)
	}
	if !sort.StringsAreSorted(keys) || !slices.Contains(keys, "nav.next") || len(keys) != len(raw(t, Fallback)) {
		t.Errorf("Keys() = %q", keys)
	}
}

func TestPlaceholders(t *testing.T) {
	if got := Placeholders("{n} of {max}, {n} {}"); !reflect.DeepEqual(got, []string{"{max}", "{n}"}) {
		t.Errorf("Placeholders = %q", got)
	}
	if got := Placeholders("none"); got != nil {
		t.Errorf("Placeholders(none) = %q", got)
	}
}

// raw decodes a shipped catalogue file without any check.
func raw(t *testing.T, lang string) Strings {
	t.Helper()
	s, err := Shipped().load(lang)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sortedKeys(s Strings) []string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// minus returns the items of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
