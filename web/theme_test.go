package web

import (
	"strings"
	"testing"

	"github.com/coursepack/coursepack/course"
)

func TestIndexTheme(t *testing.T) {
	c := sampleCourse()
	c.Theme = course.Theme{
		Logo:        &course.Asset{Path: "brand/logo.svg"},
		Favicon:     &course.Asset{Path: "brand/icon.png"},
		Colours:     map[string]string{"primary": "#00524c"},
		Footer:      "North Wales Care Partnership",
		LicenceLine: "Shared under CC BY 4.0",
	}
	units, err := Units(c)
	if err != nil {
		t.Fatal(err)
	}
	page, err := Index(c, units)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<link rel="icon" href="brand/icon.png" type="image/png">`,
		`<style>:root{--cp-primary:#00524c;--cp-on-primary:#ffffff;}</style>`,
		`<img class="cp-logo" src="brand/logo.svg" alt="">`,
		"</main>\n<footer class=\"cp-footer\">\n<p>North Wales Care Partnership</p>\n<p class=\"cp-licence\">Shared under CC BY 4.0</p>\n</footer>\n</body>",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q:\n%s", want, page)
		}
	}
}
