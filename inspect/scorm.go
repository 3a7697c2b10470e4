package inspect

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// SCORM namespaces.
const (
	nsCP12      = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	nsADLCP12   = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
	nsCP2004    = "http://www.imsglobal.org/xsd/imscp_v1p1"
	nsADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
)

// schemaVersions are the schemaversion values SCORM defines, and the format
// each one means.
var schemaVersions = map[string]string{
	"1.2":              FormatSCORM12,
	"CAM 1.3":          FormatSCORM2004, // 2004 2nd Edition
	"2004 3rd Edition": FormatSCORM2004,
	"2004 4th Edition": FormatSCORM2004,
}

// The ADL item elements of each version, spelt right.
var (
	adlItem12   = []string{"masteryscore", "datafromlms", "maxtimeallowed", "timelimitaction", "prerequisites"}
	adlItem2004 = []string{"timeLimitAction", "dataFromLMS", "completionThreshold"}
)

// resource is a SCORM resource as far as items need it.
type resource struct {
	id        string
	scormType string
	href      string // as written, with xml:base applied
	launch    string // the launch file's path in the zip, "" if none or external
}

// scorm inspects an imsmanifest.xml.
func (p *pkg) scorm(root *etree.Element) {
	rep, m := p.rep, p.rep.Manifest
	if root.Tag != "manifest" {
		rep.errorf("wrong_root", m, "the root element is <%s>, not <manifest>", root.FullTag())
		return
	}
	p.scormVersion(root)
	v12 := rep.Format != FormatSCORM2004
	idents := p.newIDs(true)
	rep.Identifier = attrValue(root, "identifier")
	idents.add(rep.Identifier, "the manifest")

	// Child order: metadata?, organizations, resources, manifest*.
	order := map[string]int{"metadata": 0, "organizations": 1, "resources": 2, "manifest": 3}
	last := -1
	for _, c := range root.ChildElements() {
		if i, ok := order[c.Tag]; ok {
			if i < last {
				rep.errorf("element_order", m, "<%s> comes after an element the schema puts after it: the order is metadata, organizations, resources", c.Tag)
				break
			}
			last = i
		}
	}
	if len(children(root, "manifest")) > 0 {
		rep.warnf("submanifest", m, "the manifest holds sub-manifests, which few LMSs support and inspect does not read")
	}

	// Metadata files named by adlcp:location, anywhere in the manifest.
	for _, e := range root.FindElements("//location") {
		if ns := e.NamespaceURI(); ns == nsADLCP12 || ns == nsADLCP2004 {
			if zp, raw, _ := p.resolve("", text(e), "adlcp:location"); zp != "" {
				p.need(zp, raw, "adlcp:location", false)
			}
		}
	}

	resources := p.scormResources(root, idents, v12)
	p.scormOrganizations(root, idents, resources, v12)
	p.scormUnlisted()
}

// scormVersion sets the format and version from schemaversion and the
// manifest's namespace, reporting where they are missing or disagree.
func (p *pkg) scormVersion(root *etree.Element) {
	rep, m := p.rep, p.rep.Manifest
	ns := root.NamespaceURI()
	byNS := ""
	switch ns {
	case nsCP12:
		byNS = FormatSCORM12
	case nsCP2004:
		byNS = FormatSCORM2004
	default:
		rep.warnf("namespace_unknown", m, "the manifest's namespace is %q, neither SCORM 1.2's (%s) nor SCORM 2004's (%s)", ns, nsCP12, nsCP2004)
	}
	meta := child(root, "metadata")
	sv := text(child(meta, "schemaversion"))
	if schema := text(child(meta, "schema")); meta != nil && schema != "ADL SCORM" {
		rep.warnf("schema_name", m, "<schema> is %q, not \"ADL SCORM\"", schema)
	}
	rep.Version = sv
	bySV, known := schemaVersions[sv]
	switch {
	case sv == "":
		rep.errorf("schemaversion_missing", m, "the manifest has no <metadata><schemaversion>: LMSs pick the runtime API (API for 1.2, API_1484_11 for 2004) from it")
	case !known:
		rep.errorf("schemaversion_unknown", m, "schemaversion %q is none of \"1.2\", \"2004 4th Edition\", \"2004 3rd Edition\", \"CAM 1.3\": an LMS may give the content the wrong API", sv)
		if strings.HasPrefix(sv, "2004") {
			bySV = FormatSCORM2004
		} else if strings.HasPrefix(sv, "1.") {
			bySV = FormatSCORM12
		}
	}
	switch {
	case bySV != "":
		rep.Format = bySV
		if byNS != "" && byNS != bySV {
			rep.errorf("namespace_mismatch", m, "schemaversion %q is %s's but the manifest's namespace %s is %s's", sv, versionLabel(bySV), ns, versionLabel(byNS))
		}
	case byNS != "":
		rep.Format = byNS
	default:
		rep.Format = FormatSCORM12
	}
}

func versionLabel(format string) string {
	if format == FormatSCORM2004 {
		return "SCORM 2004"
	}
	return "SCORM 1.2"
}

// scormResources reads the resources, checking their attributes and files,
// and returns them by identifier.
func (p *pkg) scormResources(root *etree.Element, idents *ids, v12 bool) map[string]*resource {
	rep, m := p.rep, p.rep.Manifest
	out := map[string]*resource{}
	resources := child(root, "resources")
	if resources == nil {
		rep.errorf("resources_missing", m, "the manifest has no <resources>")
		return out
	}
	wantAttr, wantNS, version := "scormtype", nsADLCP12, "1.2"
	if !v12 {
		wantAttr, wantNS, version = "scormType", nsADLCP2004, "2004"
	}
	type dep struct{ from, to string }
	var deps []dep
	for _, r := range children(resources, "resource") {
		res := &resource{id: attrValue(r, "identifier")}
		what := fmt.Sprintf("resource %q", res.id)
		idents.add(res.id, what)
		if _, ok := attr(r, "type"); !ok {
			rep.errorf("resource_type_missing", m, "%s has no type attribute (it is required; use \"webcontent\")", what)
		}
		var st *etree.Attr
		for i := range r.Attr {
			if strings.EqualFold(r.Attr[i].Key, "scormtype") {
				st = &r.Attr[i]
			}
		}
		switch {
		case st == nil:
			rep.errorf("scormtype_missing", m, "%s has no adlcp:%s attribute: an LMS treats it as an asset and never gives it the API", what, wantAttr)
		case st.Key != wantAttr:
			rep.errorf("scormtype_spelling", m, "%s has adlcp:%s, but SCORM %s spells it adlcp:%s: an LMS may treat it as an asset, with no API", what, st.Key, version, wantAttr)
		case st.NamespaceURI() != wantNS:
			rep.errorf("scormtype_namespace", m, "%s has %s in namespace %q, not adlcp's %s", what, st.FullKey(), st.NamespaceURI(), wantNS)
		}
		if st != nil {
			res.scormType = strings.TrimSpace(st.Value)
			switch {
			case res.scormType == "sco" || res.scormType == "asset":
			case strings.EqualFold(res.scormType, "sco") || strings.EqualFold(res.scormType, "asset"):
				rep.errorf("scormtype_invalid", m, "%s has scormtype %q; it must be lowercase %q", what, res.scormType, strings.ToLower(res.scormType))
				res.scormType = strings.ToLower(res.scormType)
			default:
				rep.errorf("scormtype_invalid", m, "%s has scormtype %q; it must be \"sco\" or \"asset\"", what, res.scormType)
				res.scormType = ""
			}
		}
		base := xmlBase(resources) + xmlBase(r)
		if href := attrValue(r, "href"); href != "" {
			res.href = href
			if base != "" {
				res.href = strings.TrimSuffix(base, "/") + "/" + href
			}
			zp, raw, external := p.resolve(base, href, what+" href")
			if external {
				rep.warnf("launch_external", m, "%s launches %s on another host: SCORM content must be served by the LMS itself to find its API", what, href)
			}
			if zp != "" {
				res.launch = zp
				p.need(zp, raw, what, true)
			}
		}
		for _, f := range children(r, "file") {
			href := attrValue(f, "href")
			if href == "" {
				rep.errorf("file_href_missing", m, "%s has a <file> without href", what)
				continue
			}
			if zp, raw, _ := p.resolve(base, href, what+" file"); zp != "" {
				p.need(zp, raw, what, false)
			}
		}
		for _, d := range children(r, "dependency") {
			deps = append(deps, dep{res.id, attrValue(d, "identifierref")})
		}
		if res.id != "" {
			if _, dup := out[res.id]; !dup {
				out[res.id] = res
			}
		}
	}
	for _, d := range deps {
		if _, ok := out[d.to]; !ok {
			rep.errorf("idref_unresolved", m, "resource %q has a dependency on %q, which names no resource", d.from, d.to)
		}
	}
	return out
}

// scormOrganizations reads the organisations and their items into units.
func (p *pkg) scormOrganizations(root *etree.Element, idents *ids, resources map[string]*resource, v12 bool) {
	rep, m := p.rep, p.rep.Manifest
	orgs := child(root, "organizations")
	if orgs == nil {
		rep.errorf("organizations_missing", m, "the manifest has no <organizations>")
		return
	}
	def, hasDefault := attr(orgs, "default")
	def = strings.TrimSpace(def)
	list := children(orgs, "organization")
	if len(list) == 0 {
		rep.errorf("no_organization", m, "the manifest has no <organization>: an LMS has nothing to show")
	}
	found := false
	for _, o := range list {
		id := attrValue(o, "identifier")
		idents.add(id, fmt.Sprintf("organization %q", id))
		org := Organization{Identifier: id, Title: text(child(o, "title")), Default: id == def && def != ""}
		found = found || org.Default
		rep.Organizations = append(rep.Organizations, org)
		if org.Title == "" {
			rep.warnf("title_missing", m, "organization %q has no title", id)
		}
		for _, it := range children(o, "item") {
			p.scormItem(it, id, "", 0, idents, resources, v12)
		}
	}
	switch {
	case def != "" && !found:
		rep.errorf("idref_unresolved", m, "<organizations default=%q> names no organization", def)
	case (!hasDefault || def == "") && len(list) > 0:
		rep.warnf("default_organization_missing", m, "<organizations> has no default attribute: LMSs take the first organization, %q", rep.Organizations[0].Identifier)
	}
	for _, o := range rep.Organizations {
		if o.Default {
			rep.Title = o.Title
		}
	}
	if rep.Title == "" && len(rep.Organizations) > 0 {
		rep.Title = rep.Organizations[0].Title
	}
	launchable := false
	for _, u := range rep.Units {
		launchable = launchable || u.Launchable
	}
	if len(list) > 0 && !launchable {
		rep.errorf("no_launchable", m, "no item launches a SCO or an asset: an LMS has nothing to run")
	}
}

// scormItem reads one item and its children into units.
func (p *pkg) scormItem(it *etree.Element, org, parent string, depth int, idents *ids, resources map[string]*resource, v12 bool) {
	rep, m := p.rep, p.rep.Manifest
	u := Unit{
		Identifier:   attrValue(it, "identifier"),
		Title:        text(child(it, "title")),
		Organization: org,
		Parent:       parent,
		Depth:        depth,
		Resource:     attrValue(it, "identifierref"),
		Parameters:   attrValue(it, "parameters"),
	}
	what := fmt.Sprintf("item %q", u.Identifier)
	idents.add(u.Identifier, what)
	if u.Title == "" {
		rep.warnf("title_missing", m, "%s has no title", what)
	}
	kids := children(it, "item")
	switch res, ok := resources[u.Resource]; {
	case u.Resource == "":
		u.Kind = KindAggregation
		if len(kids) == 0 {
			rep.warnf("item_empty", m, "%s has neither an identifierref nor child items", what)
		}
	case !ok:
		u.Kind = KindUnresolved
		rep.errorf("idref_unresolved", m, "%s has identifierref %q, which names no resource", what, u.Resource)
	default:
		u.Kind = KindAsset
		if res.scormType == KindSCO {
			u.Kind = KindSCO
		}
		u.Launch = res.href
		u.Launchable = res.href != ""
		if res.href == "" {
			rep.errorf("resource_no_href", m, "%s launches resource %q, which has no href", what, u.Resource)
		}
		if len(kids) > 0 {
			rep.warnf("identifierref_on_parent", m, "%s has child items and an identifierref: put identifierref only on leaf items", what)
		}
	}
	for _, c := range it.ChildElements() {
		p.scormItemElement(c, &u, what, v12)
	}
	rep.Units = append(rep.Units, u)
	for _, k := range kids {
		p.scormItem(k, org, u.Identifier, depth+1, idents, resources, v12)
	}
}

// scormItemElement reads an ADL or IMS SS child of an item: mastery,
// completion, and the spelling of ADL element names for the version.
func (p *pkg) scormItemElement(c *etree.Element, u *Unit, what string, v12 bool) {
	rep, m := p.rep, p.rep.Manifest
	right, wrong := adlItem12, adlItem2004
	version := "1.2"
	if !v12 {
		right, wrong, version = adlItem2004, adlItem12, "2004"
	}
	for _, name := range right {
		if strings.EqualFold(c.Tag, name) && c.Tag != name {
			rep.errorf("adlcp_element_case", m, "%s has <%s>, but SCORM %s spells it <adlcp:%s>: an LMS ignores it", what, c.FullTag(), version, name)
		}
	}
	for _, name := range wrong {
		if c.Tag == name && !containsFold(right, name) && name != "masteryscore" {
			rep.warnf("element_version", m, "%s has <%s>, which belongs to the other SCORM version and is ignored here", what, c.FullTag())
		}
	}
	if v12 && c.Tag == "sequencing" {
		rep.warnf("element_version", m, "%s has <%s>, which belongs to SCORM 2004 and is ignored here", what, c.FullTag())
	}
	// Misspelt elements, reported above, are ignored like an LMS does.
	switch {
	case v12 && c.Tag == "masteryscore", !v12 && strings.EqualFold(c.Tag, "masteryscore"):
		if !v12 {
			rep.warnf("masteryscore_ignored", m, "%s has <%s>, which SCORM 2004 does not have: use a primary objective with minNormalizedMeasure", what, c.FullTag())
			return
		}
		u.MasteryScore = text(c)
		if _, ok := number(u.MasteryScore, 0, 100); !ok {
			rep.errorf("mastery_invalid", m, "%s has masteryscore %q; it must be a number from 0 to 100", what, u.MasteryScore)
		}
	case c.Tag == "completionThreshold" && !v12:
		if by := attrValue(c, "completedByMeasure"); by == "true" || by == "1" {
			u.CompletionThreshold = attrValue(c, "minProgressMeasure")
			if u.CompletionThreshold == "" {
				u.CompletionThreshold = "1.0"
			}
		} else if t := text(c); t != "" {
			u.CompletionThreshold = t
		}
		if u.CompletionThreshold != "" {
			if _, ok := number(u.CompletionThreshold, 0, 1); !ok {
				rep.errorf("completion_threshold_invalid", m, "%s has completion threshold %q; it must be a number from 0 to 1", what, u.CompletionThreshold)
			}
		}
	case c.Tag == "sequencing" && !v12:
		for _, obj := range children(child(c, "objectives"), "primaryObjective") {
			if by := attrValue(obj, "satisfiedByMeasure"); by != "true" && by != "1" {
				continue
			}
			u.MasteryScore = text(child(obj, "minNormalizedMeasure"))
			if u.MasteryScore == "" {
				u.MasteryScore = "1.0"
			}
			if _, ok := number(u.MasteryScore, -1, 1); !ok {
				rep.errorf("mastery_invalid", m, "%s has minNormalizedMeasure %q; it must be a number from -1 to 1", what, u.MasteryScore)
			}
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// scormUnlisted lists the files in the zip that no resource names, less
// the manifest, schema files and metadata named by adlcp:location.
func (p *pkg) scormUnlisted() {
	var out []string
	for name := range p.a.files {
		ext := strings.ToLower(path.Ext(name))
		if p.listed[name] || name == p.rep.Manifest || ext == ".xsd" || ext == ".dtd" {
			continue
		}
		out = append(out, name)
	}
	sort.Strings(out)
	p.rep.UnlistedFiles = append(p.rep.UnlistedFiles, out...)
	if len(out) == 0 {
		return
	}
	shown := out
	more := ""
	if len(shown) > 5 {
		shown, more = shown[:5], fmt.Sprintf(" and %d more", len(out)-5)
	}
	p.rep.warnf("files_unlisted", "", "%d %s in the zip but listed by no resource (an LMS that copies only listed files will lack them): %s%s",
		len(out), plural(len(out), "file is", "files are"), strings.Join(shown, ", "), more)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
