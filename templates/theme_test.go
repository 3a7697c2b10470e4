package templates

import (
	"html/template"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/i18n"
)

func TestThemeCSSFonts(t *testing.T) {
	font := func(family, path, format, weight, style string) course.Font {
		return course.Font{Family: family, File: &course.Asset{Path: path}, Format: format, Weight: weight, Style: style}
	}
	tests := []struct {
		name  string
		theme course.Theme
		want  template.CSS
	}{
		{"nothing", course.Theme{}, ""},
		{"colours only", course.Theme{Colours: map[string]string{"primary": "#1d4f91"}},
			":root{--cp-primary:#1d4f91;--cp-on-primary:#ffffff;}"},
		{"fonts and colours", course.Theme{
			Colours: map[string]string{"link": "#0b5394"},
			Fonts: []course.Font{
				font("Brand Sans", "fonts/brand.woff2", "woff2", "100 900", "normal"),
				font("Brand Sans", "fonts/brand italic.woff", "woff", "400", "italic"),
				font("Serif", "fonts/serif.ttf", "truetype", "", ""),
			},
		}, `@font-face{font-family:"Brand Sans";src:url("fonts/brand.woff2") format("woff2");font-weight:100 900;font-style:normal;font-display:swap;}` +
			`@font-face{font-family:"Brand Sans";src:url("fonts/brand%20italic.woff") format("woff");font-weight:400;font-style:italic;font-display:swap;}` +
			`@font-face{font-family:"Serif";src:url("fonts/serif.ttf") format("truetype");font-display:swap;}` +
			`:root{--cp-link:#0b5394;--cp-brand-font:"Brand Sans";}`},
		{"fonts only", course.Theme{Fonts: []course.Font{font("A", "a.woff2", "woff2", "", "normal")}},
			`@font-face{font-family:"A";src:url("a.woff2") format("woff2");font-style:normal;font-display:swap;}:root{--cp-brand-font:"A";}`},
		{"unsafe values are left out", course.Theme{Fonts: []course.Font{
			font(`X";}</style><script>`, "a.woff2", "woff2", "", ""),
			font("Y", "a.woff2", "opentype", "", ""),
			font("Z", "a.woff2", "woff2", "400;color:red", ""),
			font("W", `a")</style>.woff2`, "woff2", "", "oblique"),
			font("V", `x")</style><b>.woff2`, "woff2", "", ""),
		}}, `@font-face{font-family:"V";src:url("x%22%29%3C/style%3E%3Cb%3E.woff2") format("woff2");font-display:swap;}:root{--cp-brand-font:"V";}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ThemeCSS(tt.theme); got != tt.want {
				t.Errorf("ThemeCSS =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestFaviconType(t *testing.T) {
	for file, want := range map[string]string{"a/icon.png": "image/png", "icon.SVG": "image/svg+xml", "favicon.ico": "image/x-icon", "icon.gif": ""} {
		if got := FaviconType(file); got != want {
			t.Errorf("FaviconType(%s) = %q, want %q", file, got, want)
		}
	}
}

func TestRenderThemeFooterFavicon(t *testing.T) {
	c := testCourse()
	c.Theme = course.Theme{
		Favicon:     &course.Asset{Path: "brand/icon.svg"},
		Footer:      "North <Wales> & partners",
		LicenceLine: "CC BY 4.0",
		Fonts:       []course.Font{{Family: "Brand", File: &course.Asset{Path: "brand/f.woff2"}, Format: "woff2"}},
	}
	text, err := i18n.For("en-GB")
	if err != nil {
		t.Fatal(err)
	}
	html := render(t, View{Course: c, Modules: c.Modules[:1], Runtime: "web", Strings: text})
	for _, want := range []string{
		`<link rel="icon" href="brand/icon.svg" type="image/svg&#43;xml">`,
		`<style>@font-face{font-family:"Brand";src:url("brand/f.woff2") format("woff2");font-display:swap;}:root{--cp-brand-font:"Brand";}</style>`,
		"<footer class=\"cp-footer\">\n<p>North &lt;Wales&gt; &amp; partners</p>\n<p class=\"cp-licence\">CC BY 4.0</p>\n</footer>\n<script",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(html, `href="data:,"`) {
		t.Error("the page keeps the empty favicon as well as the theme's")
	}

	c.Theme = course.Theme{}
	html = render(t, View{Course: c, Modules: c.Modules[:1], Runtime: "web", Strings: text})
	if !strings.Contains(html, `<link rel="icon" href="data:,">`) || strings.Contains(html, "<footer") {
		t.Error("a page without a theme has a favicon or a footer")
	}
}
