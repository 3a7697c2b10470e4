package inspect

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/internal/bytesize"
)

// The manifest file names, in the order one is chosen when a package has
// several, and the format each names.
var manifestNames = []struct{ name, kind string }{
	{"imsmanifest.xml", "scorm"},
	{"cmi5.xml", FormatCMI5},
	{"tincan.xml", FormatTinCan},
}

func manifestKind(name string) string {
	base := strings.ToLower(path.Base(name))
	for _, m := range manifestNames {
		if base == m.name {
			return m.kind
		}
	}
	return ""
}

func isManifestName(name string) bool { return manifestKind(name) != "" }

// pkg is the state of reading one manifest: the report, the zip's files and
// the folder of the manifest, which paths in it are relative to.
type pkg struct {
	rep   *Report
	a     *archive
	root  string              // the manifest's folder in the zip, "" at the root
	lower map[string][]string // lowercased file path -> paths in the zip
	// listed are the zip files the manifest names (SCORM: in a resource).
	listed map[string]bool
	// missing are the paths the manifest names that the zip lacks, with
	// what names them; launch marks those that are launch files.
	missing map[string]string
	launch  map[string]bool
	cases   map[string]string
}

// inspectManifest finds the package's manifest among the manifest files
// read, and inspects it.
func inspectManifest(rep *Report, a *archive, manifests map[string][]byte) {
	var names []string
	for n := range manifests {
		names = append(names, n)
	}
	// Shallowest first, then by the priority of manifestNames, then by name.
	priority := func(n string) int {
		base := strings.ToLower(path.Base(n))
		for i, m := range manifestNames {
			if base == m.name {
				return i
			}
		}
		return len(manifestNames)
	}
	exact := func(n string) bool { return path.Base(n) == strings.ToLower(path.Base(n)) }
	sort.Slice(names, func(i, j int) bool {
		di, dj := strings.Count(names[i], "/"), strings.Count(names[j], "/")
		if di != dj {
			return di < dj
		}
		if exact(names[i]) != exact(names[j]) {
			return exact(names[i])
		}
		if pi, pj := priority(names[i]), priority(names[j]); pi != pj {
			return pi < pj
		}
		return names[i] < names[j]
	})
	if len(names) == 0 {
		rep.errorf("no_manifest", "", "no imsmanifest.xml, cmi5.xml or tincan.xml at the root of the zip: an LMS cannot import it")
		return
	}
	chosen := names[0]
	kind := manifestKind(chosen)
	rep.Manifest = chosen
	p := &pkg{rep: rep, a: a, root: path.Dir(chosen), lower: map[string][]string{}, listed: map[string]bool{},
		missing: map[string]string{}, launch: map[string]bool{}, cases: map[string]string{}}
	if p.root == "." {
		p.root = ""
	}
	for n := range a.files {
		l := strings.ToLower(n)
		p.lower[l] = append(p.lower[l], n)
	}
	for _, n := range names[1:] {
		if !strings.Contains(n, "/") && manifestKind(n) != kind {
			rep.warnf("multiple_manifests", n, "the zip also holds %s; it is read as %s, from %s", n, kindName(kind), chosen)
		}
	}
	canonical := strings.ToLower(path.Base(chosen))
	if p.root != "" {
		if kind == FormatTinCan && p.onlyUnder(p.root) {
			rep.warnf("manifest_not_at_root", chosen, "tincan.xml is in the folder %s/, not at the root of the zip: allowed when every folder above holds nothing else, but some LMSs look only at the root", p.root)
		} else {
			rep.errorf("manifest_not_at_root", chosen, "%s is in the folder %s/, not at the root of the zip: LMSs such as Moodle reject the package", canonical, p.root)
		}
	}
	if path.Base(chosen) != canonical {
		rep.errorf("manifest_name_case", chosen, "the manifest is named %s; it must be %s, all lowercase: a Linux LMS finds no manifest", path.Base(chosen), canonical)
	}
	data := manifests[chosen]
	if data == nil {
		rep.errorf("manifest_too_large", chosen, "%s is larger than %s and was not read", canonical, bytesize.Format(maxManifestSize))
		return
	}
	root := p.parseXML(chosen, data)
	if root == nil {
		return
	}
	switch kind {
	case FormatCMI5:
		p.cmi5(root)
	case FormatTinCan:
		p.tincan(root)
	default:
		p.scorm(root)
	}
	p.reportFiles()
}

func kindName(kind string) string {
	switch kind {
	case FormatCMI5:
		return "cmi5"
	case FormatTinCan:
		return "xAPI (tincan.xml)"
	}
	return "SCORM"
}

// onlyUnder says whether every entry of the zip is inside folder.
func (p *pkg) onlyUnder(folder string) bool {
	for _, e := range p.a.entries {
		if !strings.HasPrefix(e.name, folder+"/") && !strings.HasPrefix(folder+"/", e.name) {
			return false
		}
	}
	return true
}

var (
	utf8BOM    = []byte{0xef, 0xbb, 0xbf}
	xmlDeclEnc = regexp.MustCompile(`^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']`)
)

// parseXML parses a manifest, reporting what stops it or may stop an LMS.
func (p *pkg) parseXML(name string, data []byte) *etree.Element {
	if bytes.HasPrefix(data, utf8BOM) {
		p.rep.warnf("bom", name, "starts with a UTF-8 byte order mark: some importers fail with \"Content is not allowed in prolog\"")
		data = data[len(utf8BOM):]
	}
	if !utf8.Valid(data) {
		p.rep.errorf("not_utf8", name, "is not valid UTF-8")
	} else if m := xmlDeclEnc.FindSubmatch(data); m != nil && !strings.EqualFold(string(m[1]), "utf-8") {
		p.rep.warnf("encoding", name, "declares encoding %q; UTF-8 is what every LMS reads", m[1])
	}
	if err := wellFormed(data); err != nil {
		p.rep.errorf("xml_malformed", name, "is not well-formed XML: %v", err)
		return nil
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		p.rep.errorf("xml_malformed", name, "is not well-formed XML: %v", err)
		return nil
	}
	root := doc.Root()
	if root == nil {
		p.rep.errorf("xml_malformed", name, "has no root element")
	}
	return root
}

// wellFormed checks data with encoding/xml's strict decoder, which etree's
// own reading is more lenient than.
func wellFormed(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	roots := 0
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		return fmt.Errorf("%d root elements, not one", roots)
	}
	return nil
}

// child returns e's first child element with the local name, or nil.
func child(e *etree.Element, local string) *etree.Element {
	if e == nil {
		return nil
	}
	for _, c := range e.ChildElements() {
		if c.Tag == local {
			return c
		}
	}
	return nil
}

// children returns e's child elements with the local name.
func children(e *etree.Element, local string) []*etree.Element {
	if e == nil {
		return nil
	}
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == local {
			out = append(out, c)
		}
	}
	return out
}

// text is e's text, trimmed; "" for nil.
func text(e *etree.Element) string {
	if e == nil {
		return ""
	}
	return strings.TrimSpace(e.Text())
}

// attr is the value of e's attribute with the local name (any prefix).
func attr(e *etree.Element, local string) (string, bool) {
	if e == nil {
		return "", false
	}
	for _, a := range e.Attr {
		if a.Key == local && a.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}

func attrValue(e *etree.Element, local string) string {
	v, _ := attr(e, local)
	return strings.TrimSpace(v)
}

// xmlBase is e's xml:base attribute.
func xmlBase(e *etree.Element) string {
	for _, a := range e.Attr {
		if a.Space == "xml" && a.Key == "base" {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// resolve turns a reference in the manifest (href, written relative to the
// base) into the path of a file in the zip. It returns "" for a URL on
// another host (external true) and for a reference that is not a path
// inside the package (reporting it as what).
func (p *pkg) resolve(base, href, what string) (zipPath, raw string, external bool) {
	h := strings.TrimSpace(href)
	if h == "" {
		return "", "", false
	}
	if strings.Contains(h, `\`) {
		p.rep.errorf("href_backslash", p.rep.Manifest, "%s %q has a backslash: paths in a package use \"/\" (a Linux LMS finds no such file)", what, h)
		return "", "", false
	}
	u, err := url.Parse(h)
	if err != nil {
		p.rep.errorf("href_invalid", p.rep.Manifest, "%s %q is not a valid URL: %v", what, h, err)
		return "", "", false
	}
	if u.Scheme == "http" || u.Scheme == "https" || (u.Scheme == "" && u.Host != "") {
		return "", "", true
	}
	if u.Scheme != "" {
		p.rep.errorf("href_absolute", p.rep.Manifest, "%s %q is not a path inside the package", what, h)
		return "", "", false
	}
	if strings.HasPrefix(u.Path, "/") {
		p.rep.errorf("href_absolute", p.rep.Manifest, "%s %q is an absolute path: it must be relative to the package root", what, h)
		return "", "", false
	}
	if u.Path == "" {
		return "", "", false
	}
	dir := ""
	if base != "" {
		if bu, err := url.Parse(base); err == nil && (bu.Scheme != "" || bu.Host != "") {
			return "", "", true
		}
		if strings.HasSuffix(base, "/") {
			dir = base
		} else if d := path.Dir(base); d != "." {
			dir = d + "/"
		}
	}
	rel := path.Clean(dir + u.Path)
	rawRel := path.Clean(dir + strings.SplitN(strings.SplitN(h, "#", 2)[0], "?", 2)[0])
	if rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
		p.rep.errorf("href_escapes", p.rep.Manifest, "%s %q climbs out of the package", what, h)
		return "", "", false
	}
	if p.root != "" {
		rel, rawRel = p.root+"/"+rel, p.root+"/"+rawRel
	}
	return rel, rawRel, false
}

// need records that the manifest needs the file at zipPath (raw: the same
// path not URL-decoded), named by who; launch marks a launch file. It
// reports whether the zip has it with that exact name.
func (p *pkg) need(zipPath, raw, who string, launch bool) bool {
	if zipPath == "" {
		return false
	}
	for _, n := range []string{zipPath, raw} {
		if _, ok := p.a.files[n]; ok {
			p.listed[n] = true
			return true
		}
	}
	if found := p.lower[strings.ToLower(zipPath)]; len(found) > 0 {
		p.listed[found[0]] = true
		if _, done := p.cases[zipPath]; !done {
			p.cases[zipPath] = found[0]
			p.rep.CaseMismatches = append(p.rep.CaseMismatches, CaseMismatch{Listed: zipPath, InZip: found[0]})
			p.rep.errorf("file_case_mismatch", zipPath, "%s names %s but the zip holds %s: found on Windows and macOS, missing on a Linux LMS", who, zipPath, found[0])
		}
		return false
	}
	if _, done := p.missing[zipPath]; !done {
		p.missing[zipPath] = who
	}
	if launch {
		p.launch[zipPath] = true
	}
	return false
}

// reportFiles reports the missing files, errors all, the launch files first.
func (p *pkg) reportFiles() {
	var paths []string
	for m := range p.missing {
		paths = append(paths, m)
	}
	sort.Strings(paths)
	p.rep.MissingFiles = append(p.rep.MissingFiles, paths...)
	for _, launch := range []bool{true, false} {
		for _, m := range paths {
			if p.launch[m] != launch {
				continue
			}
			if launch {
				p.rep.errorf("launch_file_missing", m, "the launch file %s of %s is not in the zip", m, p.missing[m])
			} else {
				p.rep.errorf("file_missing", m, "%s lists %s but the zip does not hold it", p.missing[m], m)
			}
		}
	}
}

// isNCName says whether s is a valid xsd:ID (an XML NCName): a letter or
// "_", then letters, digits, ".", "-", "_" and combining marks; no spaces,
// no colons.
func isNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || r == '_':
		case i > 0 && (unicode.IsDigit(r) || r == '.' || r == '-' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == '·'):
		default:
			return false
		}
	}
	return true
}

// isAbsoluteIRI says whether s is an absolute IRI: a scheme, then
// something, and no spaces.
func isAbsoluteIRI(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}

// number parses a decimal and checks that it lies in [lo, hi].
func number(s string, lo, hi float64) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < lo || f > hi || f != f {
		return 0, false
	}
	return f, true
}

// ids checks identifiers: syntax (when ncname), presence and uniqueness.
type ids struct {
	p      *pkg
	seen   map[string]string
	ncname bool
}

func (p *pkg) newIDs(ncname bool) *ids { return &ids{p: p, seen: map[string]string{}, ncname: ncname} }

func (d *ids) add(id, what string) {
	m := d.p.rep.Manifest
	switch {
	case id == "":
		d.p.rep.errorf("identifier_missing", m, "%s has no identifier", what)
		return
	case d.ncname && !isNCName(id):
		d.p.rep.errorf("identifier_syntax", m, "%s has identifier %q, not a valid XML ID: start with a letter or \"_\", then letters, digits, \".\", \"-\" or \"_\" (no spaces or colons)", what, id)
	case !d.ncname && !isAbsoluteIRI(id):
		d.p.rep.errorf("identifier_syntax", m, "%s has id %q, not an absolute IRI (such as https://example.org/course/unit)", what, id)
	}
	if prev, dup := d.seen[id]; dup {
		d.p.rep.errorf("duplicate_identifier", m, "identifier %q is used by %s and by %s; identifiers must be unique", id, prev, what)
		return
	}
	d.seen[id] = what
}
