package course

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

const themeModule = "---\nid: one\ntitle: One\n---\n## Page\n\nText.\n"

func TestThemeFontsFaviconFooter(t *testing.T) {
	dir := writeCourse(t, map[string]string{
		"course.yaml": `id: https://example.org/courses/x
title: Safety
language: en-GB
theme:
  logo: assets/logo.svg
  favicon: assets/icon.png
  footer: "  Example   Training  "
  licence_line: Shared under CC BY 4.0
  colours:
    primary: "#1D4F91"
    link: "#0b5394"
    focus: "#b35900"
    surface: "#eeeeee"
  fonts:
    - family: Brand Sans
      file: fonts/brand.woff2
      weight: "100 900"
    - family: Brand Sans
      file: fonts/brand-italic.woff
      style: italic
      weight: 400
    - family: Brand Serif
      file: fonts/serif.ttf
      weight: bold
modules:
  - modules/one.md
`,
		"modules/one.md":          themeModule,
		"assets/logo.svg":         "<svg/>",
		"assets/icon.png":         "\x89PNG",
		"fonts/brand.woff2":       "wOF2....",
		"fonts/brand-italic.woff": "wOFF....",
		"fonts/serif.ttf":         "\x00\x01\x00\x00....",
	})
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	th := c.Theme
	if th.Favicon == nil || th.Favicon.Path != "assets/icon.png" {
		t.Errorf("Favicon = %+v", th.Favicon)
	}
	if th.Footer != "Example Training" || th.LicenceLine != "Shared under CC BY 4.0" {
		t.Errorf("Footer = %q, LicenceLine = %q", th.Footer, th.LicenceLine)
	}
	wantColours := map[string]string{"primary": "#1d4f91", "link": "#0b5394", "focus": "#b35900", "surface": "#eeeeee"}
	if !reflect.DeepEqual(th.Colours, wantColours) {
		t.Errorf("Colours = %v, want %v", th.Colours, wantColours)
	}
	type font struct{ family, file, format, weight, style string }
	var got []font
	for _, f := range th.Fonts {
		got = append(got, font{f.Family, f.File.Path, f.Format, f.Weight, f.Style})
	}
	want := []font{
		{"Brand Sans", "fonts/brand.woff2", "woff2", "100 900", "normal"},
		{"Brand Sans", "fonts/brand-italic.woff", "woff", "400", "italic"},
		{"Brand Serif", "fonts/serif.ttf", "truetype", "bold", "normal"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fonts = %+v, want %+v", got, want)
	}
	// Every theme file is an asset of the course, so every package
	// carries it.
	var paths []string
	for _, a := range c.Assets {
		paths = append(paths, a.Path)
	}
	wantPaths := []string{"assets/icon.png", "assets/logo.svg", "fonts/brand-italic.woff", "fonts/brand.woff2", "fonts/serif.ttf"}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Errorf("Assets = %v, want %v", paths, wantPaths)
	}
	var themePaths []string
	for _, a := range th.Assets() {
		themePaths = append(themePaths, a.Path)
	}
	if !reflect.DeepEqual(themePaths, wantPaths) {
		t.Errorf("Theme.Assets() = %v, want %v", themePaths, wantPaths)
	}
}

func TestContrast(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000", "#fff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#777777", "#ffffff", 4.48},
		{"#767676", "#ffffff", 4.54},
		{"#1d4f91", "#ffffff", 8.14},
	}
	for _, tt := range tests {
		if got := Contrast(tt.a, tt.b); got < tt.want-0.01 || got > tt.want+0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
		if got, rev := Contrast(tt.a, tt.b), Contrast(tt.b, tt.a); got != rev {
			t.Errorf("Contrast is not symmetric for %s and %s", tt.a, tt.b)
		}
	}
	for bg, want := range map[string]string{"#1d4f91": "#ffffff", "#ff0": "#1a1a1a", "#808080": "#1a1a1a", "#000000": "#ffffff"} {
		if got := TextOn(bg); got != want {
			t.Errorf("TextOn(%s) = %s, want %s", bg, got, want)
		}
	}
	if got := ratioText(4.4999); got != "4.4" {
		t.Errorf("ratioText(4.4999) = %s; a ratio short of 4.5 must not read as 4.5", got)
	}
}

func TestContrastProblems(t *testing.T) {
	tests := []struct {
		name    string
		colours map[string]string
		want    []string // "colour: message"
	}{
		{"defaults pass", nil, nil},
		{"a good theme", map[string]string{"primary": "#00524c", "accent": "#8a4b00", "text": "#222222", "background": "#ffffff"}, nil},
		{"a good dark theme", map[string]string{"background": "#1a1a1a", "surface": "#2a2a2a", "text": "#f0f0f0", "primary": "#8ab4f8", "accent": "#81c995"}, nil},
		{"accent fails 3:1", map[string]string{"accent": "#f80"}, []string{
			`accent: theme.colours.accent "#f80" on the background "#ffffff" (the default) gives the ticks of viewed pages a contrast of 2.3:1; WCAG 2.2 AA needs 3:1 (try a darker shade such as "#d67200")`,
		}},
		{"the background is blamed when only it is set", map[string]string{"background": "#000000"}, []string{
			`background: theme.colours.background "#000000" under the text colour "#1a1a1a" (the default) gives text a contrast of 1.2:1; WCAG 2.2 AA needs 4.5:1 (try a lighter shade such as "#c2c2c2")`,
		}},
		{"the foreground is blamed when both are set", map[string]string{"background": "#ffffff", "text": "#aaaaaa"}, []string{
			`text: theme.colours.text "#aaaaaa" on the background "#ffffff" gives text a contrast of 2.3:1; WCAG 2.2 AA needs 4.5:1 (try a darker shade such as "#707070")`,
		}},
		{"focus follows text", map[string]string{"text": "#1a1a1a", "focus": "#cccccc"}, []string{
			`focus: theme.colours.focus "#cccccc" on the background "#ffffff" (the default) gives the focus outline a contrast of 1.6:1; WCAG 2.2 AA needs 3:1 (try a darker shade such as "#8d8d8d")`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range contrastProblems(tt.colours) {
				got = append(got, p.colour+": "+p.msg)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestSuggestedShadesPass checks that every suggested shade passes when
// put in place of the colour it replaces.
func TestSuggestedShadesPass(t *testing.T) {
	shade := regexp.MustCompile(`shade such as "(#[0-9a-f]{6})"`)
	for _, colours := range []map[string]string{
		{"primary": "#77aaff"}, {"primary": "#808080"}, {"text": "#999"}, {"background": "#333"},
		{"accent": "#ffcc00"}, {"link": "#66aa66", "primary": "#1d4f91"}, {"focus": "#eeeeee"},
		{"background": "#202020", "text": "#f0f0f0", "surface": "#303030", "focus": "#333333", "primary": "#8ab4f8"},
	} {
		for _, p := range contrastProblems(colours) {
			m := shade.FindStringSubmatch(p.msg)
			if m == nil {
				t.Errorf("%v: no suggestion in %q", colours, p.msg)
				continue
			}
			fixed := map[string]string{}
			for k, v := range colours {
				fixed[k] = v
			}
			fixed[p.colour] = m[1]
			for _, q := range contrastProblems(fixed) {
				if q.colour == p.colour {
					t.Errorf("%v: the suggested %s %s still fails: %s", colours, p.colour, m[1], q.msg)
				}
			}
		}
	}
}

// TestDefaultColoursMatchPlayer keeps the defaults the contrast check
// assumes in step with the player's stylesheet.
func TestDefaultColoursMatchPlayer(t *testing.T) {
	css, err := os.ReadFile(filepath.Join("..", "templates", "player", "player.css"))
	if err != nil {
		t.Fatal(err)
	}
	root := regexp.MustCompile(`(?s):root \{(.*?)\}`).FindSubmatch(css)
	if root == nil {
		t.Fatal("player.css has no :root block")
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--cp-([a-z-]+):\s*([^;]+);`).FindAllSubmatch(root[1], -1) {
		vars[string(m[1])] = strings.TrimSpace(string(m[2]))
	}
	expand := func(hex string) string {
		if len(hex) == 4 {
			return "#" + strings.Repeat(hex[1:2], 2) + strings.Repeat(hex[2:3], 2) + strings.Repeat(hex[3:4], 2)
		}
		return hex
	}
	for name, want := range defaultColours {
		if got := expand(vars[name]); got != want {
			t.Errorf("player.css --cp-%s = %q, the contrast check assumes %q", name, vars[name], want)
		}
	}
	for name, follows := range colourFallback {
		if got, want := vars[name], "var(--cp-"+follows+")"; got != want {
			t.Errorf("player.css --cp-%s = %q, the contrast check assumes %q", name, got, want)
		}
	}
	for _, name := range colourNames {
		if _, ok := vars[name]; !ok {
			t.Errorf("player.css does not define --cp-%s, a theme colour", name)
		}
	}
}

func TestDerivedColours(t *testing.T) {
	dark := map[string]string{"background": "#202020", "text": "#f0f0f0", "surface": "#2c2c2c", "primary": "#8ab4f8", "accent": "#81c995", "focus": "#f0f0f0"}
	tests := []struct {
		name    string
		colours map[string]string
		want    []string // the names derived
	}{
		{"no theme", nil, nil},
		{"a light brand", map[string]string{"primary": "#00524c", "accent": "#8a4b00"}, nil},
		{"a dark theme", dark, []string{"buddy-bg", "important-bg", "muted", "right", "wrong"}},
		{"a mid-grey panel", map[string]string{"surface": "#8a8a8a", "text": "#000000"}, []string{"muted", "right", "wrong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DerivedColours(tt.colours)
			var names []string
			for n := range got {
				names = append(names, n)
			}
			sort.Strings(names)
			if strings.Join(names, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("derived %v, want %v", got, tt.want)
			}
			_, bg, _ := effective("background", tt.colours)
			_, surface, _ := effective("surface", tt.colours)
			_, text, _ := effective("text", tt.colours)
			for n, v := range got {
				switch n {
				case "muted":
					if Contrast(v, bg) < 4.5 || Contrast(v, surface) < 4.5 {
						t.Errorf("muted %s: %.1f:1 on the background, %.1f:1 on the panels", v, Contrast(v, bg), Contrast(v, surface))
					}
					if v == text && n == "muted" && tt.name == "a dark theme" {
						t.Errorf("muted is the text colour itself; a mix reads on %s", bg)
					}
				case "right", "wrong":
					if Contrast(v, bg) < 3 || Contrast(v, surface) < 3 {
						t.Errorf("%s %s: %.1f:1 on the background, %.1f:1 on the panels", n, v, Contrast(v, bg), Contrast(v, surface))
					}
				default:
					if v != surface || Contrast(text, v) < 4.5 {
						t.Errorf("%s = %s, want the panel colour %s", n, v, surface)
					}
				}
			}
		})
	}
}
