package web

import (
	"regexp"
	"strings"
)

// styleElement matches a <style> element of index.html.tmpl and its text.
var styleElement = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// indexStyles are the texts of the <style> elements of index.html.tmpl
// written out in full (those without template actions), whose hashes the
// page's Content-Security-Policy allows beside the theme's.
var indexStyles = staticStyles(indexText)

func staticStyles(tmpl string) []string {
	var out []string
	for _, m := range styleElement.FindAllStringSubmatch(tmpl, -1) {
		if !strings.Contains(m[1], "{{") {
			out = append(out, m[1])
		}
	}
	return out
}
