package course

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// This file reads the theme of course.yaml (logo, favicon, colours, fonts,
// footer) and checks its colours against the WCAG 2.2 AA contrast minimums.

var colourPattern = regexp.MustCompile(`^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`)

// colourNames are the theme colours an author can set.
var colourNames = []string{"primary", "accent", "background", "text", "link", "focus", "surface"}

// defaultColours are the player's colours (templates/player/player.css)
// that a theme does not set. The link colour follows primary and the focus
// colour follows text.
var defaultColours = map[string]string{
	"primary":    "#1d4f91",
	"accent":     "#0b6e4f",
	"background": "#ffffff",
	"text":       "#1a1a1a",
	"surface":    "#f3f5f8",
}

// colourFallback names the colour a theme colour follows when not set.
var colourFallback = map[string]string{"link": "primary", "focus": "text"}

var (
	// fontFamily is what a font's family may be: plain words, so that it
	// goes into CSS without escaping.
	fontFamily = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 _-]{0,62}$`)
	// fontWeightRange is a variable font's weight range, such as "100 900".
	fontWeightRange = regexp.MustCompile(`^([0-9]{1,4}) +([0-9]{1,4})$`)
)

// fontFormats maps a font file's extension to its CSS format and the first
// bytes of such a file.
var fontFormats = map[string]struct {
	format string
	magic  [][]byte
}{
	".woff2": {"woff2", [][]byte{[]byte("wOF2")}},
	".woff":  {"woff", [][]byte{[]byte("wOFF")}},
	".ttf":   {"truetype", [][]byte{{0, 1, 0, 0}, []byte("true"), []byte("OTTO")}},
}

// faviconTypes are the extensions a favicon may have.
var faviconTypes = []string{".png", ".svg", ".ico"}

// readTheme decodes the theme mapping.
func (l *loader) readTheme(d *yamlDoc, v *yaml.Node) {
	t := &l.course.Theme
	nodes := map[string]*yaml.Node{}
	coloursOK := true
	d.mapping(v, "theme", []yamlField{
		{key: "logo", set: func(v *yaml.Node) { t.Logo = l.themeAsset(d, v, "theme.logo") }},
		{key: "favicon", set: func(v *yaml.Node) {
			a := l.themeAsset(d, v, "theme.favicon")
			if a == nil {
				return
			}
			if !slices.Contains(faviconTypes, strings.ToLower(filepath.Ext(a.Path))) {
				d.errorf(v, "theme.favicon: %s is not an icon the player can use; use a .png, .svg or .ico file", quote(v.Value))
				return
			}
			t.Favicon = a
		}},
		{key: "colours", set: func(v *yaml.Node) { coloursOK = l.readColours(d, v, nodes) }},
		{key: "fonts", set: func(v *yaml.Node) { l.readFonts(d, v) }},
		{key: "footer", set: func(v *yaml.Node) { t.Footer = d.themeText(v, "theme.footer") }},
		{key: "licence_line", set: func(v *yaml.Node) { t.LicenceLine = d.themeText(v, "theme.licence_line") }},
	})
	if !coloursOK {
		// A colour that is not one leaves nothing to measure.
		return
	}
	for _, p := range contrastProblems(t.Colours) {
		d.errorf(nodes[p.colour], "%s", p.msg)
	}
}

// themeText decodes a line of text of the theme.
func (d *yamlDoc) themeText(v *yaml.Node, name string) string {
	s, ok := d.text(v, name)
	if !ok {
		return ""
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		d.errorf(v, "%s: is blank; write some text or leave the key out", name)
	}
	return s
}

// themeAsset resolves a path of the theme, written relative to the file it
// is in, to an asset of the course.
func (l *loader) themeAsset(d *yamlDoc, v *yaml.Node, name string) *Asset {
	s, ok := d.text(v, name)
	if !ok {
		return nil
	}
	rel, size, msg, err := l.resolveFile(d.dirOf(v), s)
	switch {
	case err != nil:
		l.fail(err)
	case msg != "":
		d.errorf(v, "%s: %s", name, msg)
	default:
		l.course.ThemeFiles = append(l.course.ThemeFiles, FileRef{At: d.pos(v), Path: rel})
		return l.addAsset(rel, size)
	}
	return nil
}

// readColours decodes theme.colours, recording the node of each colour in
// nodes. It returns false when a colour is missing its value or is not a
// colour.
func (l *loader) readColours(d *yamlDoc, v *yaml.Node, nodes map[string]*yaml.Node) bool {
	t := &l.course.Theme
	ok := true
	fields := make([]yamlField, len(colourNames))
	for i, name := range colourNames {
		full := "theme.colours." + name
		fields[i] = yamlField{key: name, set: func(v *yaml.Node) {
			s, isText := d.text(v, full)
			if !isText {
				ok = false
				return
			}
			if !colourPattern.MatchString(s) {
				d.errorf(v, "%s: %q is not a colour; write a hex colour in quotes, such as \"#1d4f91\" or \"#fff\"", full, s)
				ok = false
				return
			}
			if t.Colours == nil {
				t.Colours = map[string]string{}
			}
			t.Colours[name] = strings.ToLower(s)
			nodes[name] = v
		}}
	}
	before := len(d.errs.list)
	d.mapping(v, "theme.colours", fields)
	// An unquoted # starts a YAML comment, leaving the value empty.
	if v.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(v.Content); i += 2 {
			k := v.Content[i]
			if isNull(resolve(v.Content[i+1])) && slices.Contains(colourNames, k.Value) {
				d.errorf(k, "theme.colours.%s: no value; put the colour in quotes, such as \"#1d4f91\" (an unquoted # starts a comment)", k.Value)
			}
		}
	}
	return ok && len(d.errs.list) == before
}

// readFonts decodes theme.fonts: a list of font files, each with its family
// and, optionally, the weight and style it covers.
func (l *loader) readFonts(d *yamlDoc, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "theme.fonts: expected a list of fonts, each with a family and a file, got %s", describe(v))
		return
	}
	seen := map[string]int{}
	for i, item := range v.Content {
		item = resolve(item)
		name := fmt.Sprintf("theme.fonts[%d]", i+1)
		var f Font
		ok := true
		d.mapping(item, name, []yamlField{
			{key: "family", required: true, set: func(v *yaml.Node) {
				s, isText := d.text(v, name+".family")
				switch {
				case !isText:
					ok = false
				case !fontFamily.MatchString(strings.TrimSpace(s)):
					d.errorf(v, "%s.family: %q is not a family name coursepack can use; use letters, digits, spaces and hyphens, such as Open Sans", name, s)
					ok = false
				default:
					f.Family = strings.Join(strings.Fields(s), " ")
				}
			}},
			{key: "file", required: true, set: func(v *yaml.Node) {
				if f.File, f.Format = l.fontFile(d, v, name+".file"); f.File == nil {
					ok = false
				}
			}},
			{key: "weight", set: func(v *yaml.Node) {
				if f.Weight = d.fontWeight(v, name+".weight"); f.Weight == "" {
					ok = false
				}
			}},
			{key: "style", set: func(v *yaml.Node) {
				s, isText := d.text(v, name+".style")
				switch {
				case !isText:
					ok = false
				case s != "normal" && s != "italic":
					d.errorf(v, "%s.style: %q is not a font style; use normal or italic", name, s)
					ok = false
				default:
					f.Style = s
				}
			}},
		})
		if item.Kind != yaml.MappingNode || !ok || f.Family == "" || f.File == nil {
			continue
		}
		if f.Style == "" {
			f.Style = "normal"
		}
		weight := f.Weight
		if weight == "" {
			weight = "400"
		}
		key := strings.ToLower(f.Family) + "\x00" + weight + "\x00" + f.Style
		if first, dup := seen[key]; dup {
			d.errorf(item, "%s: the %s %s %s font is already theme.fonts[%d]; give each weight and style one file", name, f.Family, weight, f.Style, first)
			continue
		}
		seen[key] = i + 1
		l.course.Theme.Fonts = append(l.course.Theme.Fonts, f)
	}
}

// fontFile resolves a font file of the theme and returns it with its CSS
// format. A remote font is refused: a package loads nothing from other
// hosts, so that it works offline and tells no one who is learning.
func (l *loader) fontFile(d *yamlDoc, v *yaml.Node, name string) (*Asset, string) {
	s, ok := d.text(v, name)
	if !ok {
		return nil, ""
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "data:") {
		d.errorf(v, "%s: %s is a font written into a data: URL; give the font as a file in the course folder instead, such as fonts/my-font.woff2", name, quote(s))
		return nil, ""
	}
	if isRemote(s) {
		d.errorf(v, "%s: %s is a remote font; a package must work offline and load nothing from other hosts, so download the font file into the course folder and give its path, such as fonts/my-font.woff2", name, quote(s))
		return nil, ""
	}
	ext := strings.ToLower(filepath.Ext(s))
	kind, known := fontFormats[ext]
	if !known {
		d.errorf(v, "%s: %s is not a font file the player can use; use a .woff2 file (best), .woff or .ttf", name, quote(s))
		return nil, ""
	}
	a := l.themeAsset(d, v, name)
	if a == nil {
		return nil, ""
	}
	head, err := readHead(a.Abs, 4)
	if err != nil {
		l.fail(fmt.Errorf("course: %w", err))
		return nil, ""
	}
	for _, m := range kind.magic {
		if bytes.HasPrefix(head, m) {
			return a, kind.format
		}
	}
	d.errorf(v, "%s: %s is not a %s font (the file does not start like one); export the font again, or use the right extension", name, quote(s), strings.ToUpper(strings.TrimPrefix(ext, ".")))
	return nil, ""
}

// isRemote reports whether a path is a URL (https://..., //host/...,
// data:...) rather than a file of the course.
func isRemote(s string) bool {
	if strings.HasPrefix(s, "//") {
		return true
	}
	scheme, _, found := strings.Cut(s, ":")
	return found && schemePattern.MatchString(scheme) && !windowsAbs.MatchString(s)
}

// readHead returns up to n bytes from the start of file.
func readHead(file string, n int) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:k], err
}

// fontWeight decodes a font weight: a number from 1 to 1000, normal, bold,
// or a range such as "100 900" for a variable font. It returns "" when the
// value is none of these.
func (d *yamlDoc) fontWeight(v *yaml.Node, name string) string {
	const how = "give a number from 1 to 1000 such as 400 or 700, normal, bold, or a range such as \"100 900\" for a variable font"
	if v.Kind != yaml.ScalarNode {
		d.errorf(v, "%s: expected a weight, got %s; %s", name, describe(v), how)
		return ""
	}
	s := strings.TrimSpace(v.Value)
	inRange := func(s string) bool {
		n, err := strconv.Atoi(s)
		return err == nil && n >= 1 && n <= 1000
	}
	switch {
	case s == "normal" || s == "bold":
		return s
	case v.Tag == "!!int" && inRange(s):
		return s
	}
	if m := fontWeightRange.FindStringSubmatch(s); m != nil && inRange(m[1]) && inRange(m[2]) {
		lo, _ := strconv.Atoi(m[1])
		hi, _ := strconv.Atoi(m[2])
		if lo <= hi {
			return fmt.Sprintf("%d %d", lo, hi)
		}
	}
	d.errorf(v, "%s: %q is not a font weight; %s", name, v.Value, how)
	return ""
}

// Contrast.

// contrastRule is a pair of theme colours the player draws one on the
// other, and the contrast WCAG 2.2 AA asks of it: 4.5:1 for text
// (success criterion 1.4.3), 3:1 for the parts of controls and the focus
// indicator (1.4.11).
type contrastRule struct {
	// fg and bg are colour names; fg "on-primary" is the text the player
	// writes on the primary colour (see TextOn).
	fg, bg string
	min    float64
	// what names what the pair draws, for messages.
	what string
}

var contrastRules = []contrastRule{
	{"text", "background", 4.5, "text"},
	{"text", "surface", 4.5, "text"},
	{"on-primary", "primary", 4.5, "button text"},
	{"primary", "background", 4.5, "button text"},
	{"link", "background", 4.5, "link text"},
	{"link", "surface", 4.5, "link text"},
	{"accent", "background", 3, "the ticks of viewed pages"},
	{"accent", "surface", 3, "the progress bar"},
	{"focus", "background", 3, "the focus outline"},
	{"focus", "surface", 3, "the focus outline"},
}

// contrastProblem is a colour that fails a contrast rule.
type contrastProblem struct {
	// colour is the name of the colour to change.
	colour string
	msg    string
}

// contrastProblems checks a theme's colours, with the player's defaults for
// those not set, against contrastRules. Each failing pair is blamed on the
// colour the author set (the foreground when both are set) and each colour
// is reported once, for the first rule it fails, with a lighter or darker
// shade that passes every rule it is part of.
func contrastProblems(colours map[string]string) []contrastProblem {
	if len(colours) == 0 {
		return nil
	}
	var out []contrastProblem
	reported := map[string]bool{}
	for _, r := range contrastRules {
		ratio := contrastOf(r, colours)
		if ratio >= r.min {
			continue
		}
		blamed, onFg := blame(r, colours)
		if blamed == "" || reported[blamed] {
			continue
		}
		reported[blamed] = true
		out = append(out, contrastProblem{colour: blamed, msg: contrastMessage(r, colours, blamed, onFg, ratio)})
	}
	return out
}

// effective returns the colour name and value the player uses for a theme
// colour, following fallbacks and defaults; set is false for a default.
func effective(name string, colours map[string]string) (source, value string, set bool) {
	for {
		if v, ok := colours[name]; ok {
			return name, v, true
		}
		next, ok := colourFallback[name]
		if !ok {
			return name, defaultColours[name], false
		}
		name = next
	}
}

// colourOf returns the value of a colour name of a rule.
func colourOf(name string, colours map[string]string) string {
	if name == "on-primary" {
		_, p, _ := effective("primary", colours)
		return TextOn(p)
	}
	_, v, _ := effective(name, colours)
	return v
}

func contrastOf(r contrastRule, colours map[string]string) float64 {
	return Contrast(colourOf(r.fg, colours), colourOf(r.bg, colours))
}

// blame returns the colour an author set that a failing rule is blamed on,
// and whether it is the rule's foreground; "" when both are defaults.
func blame(r contrastRule, colours map[string]string) (string, bool) {
	fg := r.fg
	if fg == "on-primary" {
		fg = "primary"
	}
	if src, _, set := effective(fg, colours); set {
		return src, true
	}
	if src, _, set := effective(r.bg, colours); set {
		return src, false
	}
	return "", false
}

// contrastMessage says what fails and suggests a shade of the blamed
// colour that passes.
func contrastMessage(r contrastRule, colours map[string]string, blamed string, onFg bool, ratio float64) string {
	value := colours[blamed]
	var what string
	switch {
	case r.fg == "on-primary":
		what = fmt.Sprintf("gives %s a contrast of %s:1 on it (the player writes white or near-black on it, whichever is better)", r.what, ratioText(ratio))
	case onFg:
		what = fmt.Sprintf("on %s gives %s a contrast of %s:1", colourLabel(r.bg, colours), r.what, ratioText(ratio))
	default:
		what = fmt.Sprintf("under %s gives %s a contrast of %s:1", colourLabel(r.fg, colours), r.what, ratioText(ratio))
	}
	msg := fmt.Sprintf("theme.colours.%s %q %s; WCAG 2.2 AA needs %s:1", blamed, value, what, strconv.FormatFloat(r.min, 'f', -1, 64))
	if dir, shade := suggestShade(colours, blamed); shade != "" {
		return msg + fmt.Sprintf(" (try a %s shade such as %q)", dir, shade)
	}
	other := r.bg
	if !onFg {
		other = r.fg
	}
	if src, _, set := effective(other, colours); !set && other != "on-primary" {
		return msg + fmt.Sprintf("; no shade of it passes with the other theme colours: set theme.colours.%s to match", src)
	}
	return msg + "; no shade of it passes with the other theme colours: change them too"
}

// colourLabel names the other colour of a pair in a message.
func colourLabel(name string, colours map[string]string) string {
	src, value, set := effective(name, colours)
	label := "the " + src + " colour"
	switch src {
	case "background":
		label = "the background"
	case "surface":
		label = "the panel colour (surface)"
	}
	label += fmt.Sprintf(" %q", value)
	if !set {
		label += " (the default)"
	}
	return label
}

// ratioText writes a contrast ratio with one decimal, rounded down so that
// a ratio just short of a minimum never reads as meeting it.
func ratioText(ratio float64) string {
	return strconv.FormatFloat(math.Floor(ratio*10)/10, 'f', 1, 64)
}

// suggestShade returns the nearest shade of the named colour, mixed with
// black ("darker") or white ("lighter"), for which every rule that involves
// the colour passes, apart from rules that fail because of another colour.
func suggestShade(colours map[string]string, name string) (direction, shade string) {
	var rules []contrastRule
	for _, r := range contrastRules {
		if !involves(r, name, colours) {
			continue
		}
		if contrastOf(r, colours) < r.min {
			if b, _ := blame(r, colours); b != name {
				continue
			}
		}
		rules = append(rules, r)
	}
	rgb := parseHex(colours[name])
	try := make(map[string]string, len(colours))
	for k, v := range colours {
		try[k] = v
	}
	passes := func(hex string) bool {
		try[name] = hex
		for _, r := range rules {
			if contrastOf(r, try) < r.min {
				return false
			}
		}
		return true
	}
	for step := 1; step <= 100; step++ {
		t := float64(step) / 100
		var dark, light [3]float64
		for i, c := range rgb {
			dark[i] = c * (1 - t)
			light[i] = c + (255-c)*t
		}
		if h := hexOf(dark); passes(h) {
			return "darker", h
		}
		if h := hexOf(light); passes(h) {
			return "lighter", h
		}
	}
	return "", ""
}

// involves reports whether rule r measures the colour name (directly, or
// through a colour that follows it).
func involves(r contrastRule, name string, colours map[string]string) bool {
	for _, c := range []string{r.fg, r.bg} {
		if c == "on-primary" {
			c = "primary"
		}
		if src, _, _ := effective(c, colours); src == name {
			return true
		}
	}
	return false
}

// Contrast is the WCAG contrast ratio of two #rgb or #rrggbb colours, from
// 1 (none) to 21 (black on white).
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TextOn returns the text colour the player writes on the #rgb or #rrggbb
// colour bg (its --cp-on-primary on the primary colour): white or
// near-black, whichever contrasts more.
func TextOn(bg string) string {
	const white, dark = "#ffffff", "#1a1a1a"
	if Contrast(white, bg) >= Contrast(dark, bg) {
		return white
	}
	return dark
}

// luminance is the WCAG 2.2 relative luminance of a #rgb or #rrggbb colour.
func luminance(hex string) float64 {
	rgb := parseHex(hex)
	var lin [3]float64
	for i, c := range rgb {
		c /= 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lin[i] = c
	}
	return 0.2126*lin[0] + 0.7152*lin[1] + 0.0722*lin[2]
}

// parseHex returns the red, green and blue of a #rgb or #rrggbb colour,
// each from 0 to 255.
func parseHex(hex string) [3]float64 {
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	var rgb [3]float64
	for i := range rgb {
		if 2*i+2 > len(h) {
			break
		}
		n, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		rgb[i] = float64(n)
	}
	return rgb
}

// hexOf writes a colour as #rrggbb.
func hexOf(rgb [3]float64) string {
	return fmt.Sprintf("#%02x%02x%02x", int(math.Round(rgb[0])), int(math.Round(rgb[1])), int(math.Round(rgb[2])))
}

// The player's colours that a theme does not name, and what each must
// contrast with: muted text (4.5:1 on the background and the panels), the
// marks of right and wrong answers (3:1, as graphics), and the light
// panels of important and buddy callouts, under the theme's text.
const (
	playerMuted       = "#595959"
	playerRight       = "#0b6e4f"
	playerWrong       = "#b3261e"
	playerImportantBg = "#fdf0ee"
	playerBuddyBg     = "#f4effa"
)

// DerivedColours returns the player colours a theme's own colours call
// for, by their custom property names without --cp- ("muted", "right",
// "wrong", "important-bg", "buddy-bg"): only those whose fixed value would
// fail its contrast with the theme's background, panels or text, as with a
// dark theme. Muted text becomes a mix of the text and background colours
// that still reads (or the text colour itself); the marks of right and
// wrong answers, shades that stand out; callout panels, the theme's panel
// colour. It is nil for a theme the fixed colours suit.
func DerivedColours(colours map[string]string) map[string]string {
	_, bg, _ := effective("background", colours)
	_, surface, _ := effective("surface", colours)
	_, text, _ := effective("text", colours)
	readsOn := func(fg string, min float64) bool {
		return Contrast(fg, bg) >= min && Contrast(fg, surface) >= min
	}
	out := map[string]string{}
	if !readsOn(playerMuted, 4.5) {
		out["muted"] = text
		t, b := parseHex(text), parseHex(bg)
		for w := 0.6; w < 1; w += 0.05 {
			var m [3]float64
			for i := range m {
				m[i] = t[i]*w + b[i]*(1-w)
			}
			if h := hexOf(m); readsOn(h, 4.5) {
				out["muted"] = h
				break
			}
		}
	}
	for name, fixed := range map[string]string{"right": playerRight, "wrong": playerWrong} {
		if readsOn(fixed, 3) {
			continue
		}
		out[name] = text
		rgb := parseHex(fixed)
		for step := 1; step <= 100; step++ {
			t := float64(step) / 100
			var light [3]float64
			for i, c := range rgb {
				light[i] = c + (255-c)*t
			}
			if h := hexOf(light); readsOn(h, 3) {
				out[name] = h
				break
			}
		}
	}
	for name, fixed := range map[string]string{"important-bg": playerImportantBg, "buddy-bg": playerBuddyBg} {
		if Contrast(text, fixed) < 4.5 {
			out[name] = surface
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
