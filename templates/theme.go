package templates

import (
	"fmt"
	"html/template"
	"path"
	"regexp"
	"strings"

	"github.com/coursepack/coursepack/course"
)

// This file turns a course's theme into what a page carries: the style of
// its fonts and colours, and the type of its favicon.

var (
	safeFamily = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 _-]{0,62}$`)
	safeWeight = regexp.MustCompile(`^(normal|bold|[0-9]{1,4}( [0-9]{1,4})?)$`)
	fontFormat = map[string]bool{"woff2": true, "woff": true, "truetype": true}
	fontStyle  = map[string]bool{"normal": true, "italic": true}
)

// ThemeCSS is the style of a course's theme, for a <style> element of a
// page at the package root: an @font-face rule for each font file, pointing
// at the file in the package, then the colours (see themeCSS) and the text
// font (--cp-brand-font, the first font's family) as custom properties on
// :root. It is "" for a theme with neither fonts nor colours. Fonts whose
// family, weight, style or format are not plain values are left out.
func ThemeCSS(t course.Theme) template.CSS {
	var b strings.Builder
	family := ""
	for _, f := range t.Fonts {
		if f.File == nil || !safeFamily.MatchString(f.Family) || !fontFormat[f.Format] ||
			(f.Weight != "" && !safeWeight.MatchString(f.Weight)) || (f.Style != "" && !fontStyle[f.Style]) {
			continue
		}
		if family == "" {
			family = f.Family
		}
		fmt.Fprintf(&b, `@font-face{font-family:"%s";src:url("%s") format("%s");`, f.Family, cssURL(f.File.Path), f.Format)
		if f.Weight != "" {
			fmt.Fprintf(&b, "font-weight:%s;", f.Weight)
		}
		if f.Style != "" {
			fmt.Fprintf(&b, "font-style:%s;", f.Style)
		}
		b.WriteString("font-display:swap;}")
	}
	root := string(themeCSS(t.Colours))
	if family != "" {
		font := fmt.Sprintf(`--cp-brand-font:"%s";`, family)
		if root == "" {
			root = ":root{" + font + "}"
		} else {
			root = strings.TrimSuffix(root, "}") + font + "}"
		}
	}
	b.WriteString(root)
	// Safe: every part is restricted to the patterns above, and paths are
	// percent-encoded.
	return template.CSS(b.String())
}

// cssURL percent-encodes a package path for a quoted CSS url(), leaving only
// letters, digits and . _ ~ / - as they are.
func cssURL(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("._~/-", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// FaviconType is the media type of a favicon file, by its extension, or ""
// when it is not one of .png, .svg and .ico.
func FaviconType(file string) string {
	switch strings.ToLower(path.Ext(file)) {
	case ".png":
		return "image/png"
	case ".svg":
		return "image/svg+xml"
	case ".ico":
		return "image/x-icon"
	}
	return ""
}
