package scorm

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
	"github.com/coursepack/coursepack/templates"
)

func TestManifest2004Golden(t *testing.T) {
	checkGoldens(t, "scorm2004", Manifest2004)
}

// manifest2004 builds the manifest of the first package of c in layout.
func manifest2004(t *testing.T, c *course.Course, layout format.Layout) *etree.Element {
	t.Helper()
	plans, err := bundle.Plans(c, layout)
	if err != nil {
		t.Fatal(err)
	}
	return Manifest2004(c, plans[0], sampleContents(plans[0])).Root()
}

func TestManifest2004Header(t *testing.T) {
	c := sampleCourse()
	plans, _ := bundle.Plans(c, format.LayoutModule)
	doc := Manifest2004(c, plans[0], sampleContents(plans[0]))
	data, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("manifest does not start with the XML declaration: %.60q", data)
	}
	root := doc.Root()
	for _, tt := range []struct{ path, want string }{
		{"metadata/schema", "ADL SCORM"},
		{"metadata/schemaversion", "2004 4th Edition"},
		{"organizations/organization/title", "Leading Well & Wisely"},
	} {
		if el := root.FindElement(tt.path); el == nil || el.Text() != tt.want {
			t.Errorf("%s = %v, want %q", tt.path, el, tt.want)
		}
	}
	for _, tt := range []struct{ attr, want string }{
		{"xmlns", nsIMSCP2004},
		{"xmlns:adlcp", nsADLCP2004},
		{"xmlns:adlseq", nsADLSeq2004},
		{"xmlns:adlnav", nsADLNav2004},
		{"xmlns:imsss", nsIMSSS},
		{"version", "2.1.0"},
	} {
		if got := root.SelectAttrValue(tt.attr, ""); got != tt.want {
			t.Errorf("manifest %s = %q, want %q", tt.attr, got, tt.want)
		}
	}
	// Every declared namespace but xsi is located, with its schema file.
	loc := strings.Fields(root.SelectAttrValue("xsi:schemaLocation", ""))
	wantLoc := []string{
		nsIMSCP2004, "imscp_v1p1.xsd", nsADLCP2004, "adlcp_v1p3.xsd", nsADLSeq2004, "adlseq_v1p3.xsd",
		nsADLNav2004, "adlnav_v1p3.xsd", nsIMSSS, "imsss_v1p0.xsd",
	}
	if !slices.Equal(loc, wantLoc) {
		t.Errorf("xsi:schemaLocation = %q, want %q", loc, wantLoc)
	}
	// The resource type attribute has a capital T in 2004 (pitfall 8), and
	// nothing of SCORM 1.2 is left.
	for _, banned := range []string{"scormtype", "masteryscore", "imsmd", "imsproject.org"} {
		if bytes.Contains(data, []byte(banned)) {
			t.Errorf("a SCORM 2004 manifest contains %q", banned)
		}
	}
	for _, res := range root.FindElements("resources/resource") {
		want := "sco"
		if res.SelectAttrValue("identifier", "") == sharedID {
			want = "asset"
		}
		if got := res.SelectAttrValue("adlcp:scormType", ""); got != want {
			t.Errorf("resource %s: adlcp:scormType = %q, want %q", res.SelectAttrValue("identifier", ""), got, want)
		}
	}
}

// itemWant is what the manifest must say of one SCO item.
type itemWant struct {
	threshold bool     // completionThreshold by measure
	mastery   string   // minNormalizedMeasure, "" for no primary objective
	hidden    []string // hideLMSUI values
}

func TestManifest2004Sequencing(t *testing.T) {
	pagesOnly := func(c *course.Course) { c.Completion = course.CompletionPages }
	passedRule := func(c *course.Course) { c.Modules[0].Completion = course.CompletionPassed }
	tests := []struct {
		name   string
		layout format.Layout
		change func(*course.Course)
		items  map[string]itemWant
	}{
		{name: "a unit per module", layout: format.LayoutModule, items: map[string]itemWant{
			"item-purpose": {mastery: "0.8"},  // pages-and-passed: progress is not completion
			"item-change":  {threshold: true}, // pages
		}},
		{name: "passed rule has no threshold", layout: format.LayoutModule, change: passedRule, items: map[string]itemWant{
			"item-purpose": {mastery: "0.8"},
			"item-change":  {threshold: true},
		}},
		{name: "pages rule drops the pass mark", layout: format.LayoutModule, change: func(c *course.Course) {
			c.Modules[0].Completion = course.CompletionPages
		}, items: map[string]itemWant{
			"item-purpose": {threshold: true},
			"item-change":  {threshold: true},
		}},
		{name: "whole course, course rule pages-and-passed", layout: format.LayoutCourse, items: map[string]itemWant{
			"item-course": {mastery: "0.8", hidden: []string{"previous", "continue"}},
		}},
		{name: "whole course, course rule pages", layout: format.LayoutCourse, change: pagesOnly, items: map[string]itemWant{
			"item-course": {threshold: true, hidden: []string{"previous", "continue"}},
		}},
		{name: "split, module with a pass mark", layout: format.LayoutSplit, items: map[string]itemWant{
			"item-purpose": {mastery: "0.8", hidden: []string{"previous", "continue"}},
		}},
		{name: "course pass mark of 75", layout: format.LayoutCourse, change: func(c *course.Course) {
			pass := 75
			c.MasteryScore = &pass
		}, items: map[string]itemWant{
			"item-course": {mastery: "0.75", hidden: []string{"previous", "continue"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sampleCourse()
			if tt.change != nil {
				tt.change(c)
			}
			root := manifest2004(t, c, tt.layout)
			org := root.FindElement("organizations/organization")
			checkOrganization(t, org)
			items := org.SelectElements("item")
			if len(items) != len(tt.items) {
				t.Fatalf("%d items, want %d", len(items), len(tt.items))
			}
			for _, item := range items {
				id := item.SelectAttrValue("identifier", "")
				want, ok := tt.items[id]
				if !ok {
					t.Errorf("unexpected item %s", id)
					continue
				}
				checkItem(t, item, want)
			}
			checkIDRefs(t, root)
		})
	}
}

// checkOrganization checks the organisation's sequencing: choice and flow,
// after every item.
func checkOrganization(t *testing.T, org *etree.Element) {
	t.Helper()
	kids := org.ChildElements()
	last := kids[len(kids)-1]
	if last.FullTag() != "imsss:sequencing" {
		t.Errorf("the organisation's last child is %s, want imsss:sequencing", last.FullTag())
		return
	}
	cm := last.SelectElement("imsss:controlMode")
	if cm == nil || cm.SelectAttrValue("choice", "") != "true" || cm.SelectAttrValue("flow", "") != "true" {
		t.Errorf("organisation controlMode = %v, want choice and flow true", cm)
	}
	if len(org.FindElements("imsss:sequencing")) != 1 {
		t.Error("the organisation has more than one imsss:sequencing")
	}
}

// The order of an item's children and of imsss:sequencing's, from the
// SCORM 2004 CAM and imsss_v1p0.xsd.
var (
	itemOrder = []string{"title", "adlcp:completionThreshold", "imsss:sequencing", "adlnav:presentation"}
	seqOrder  = []string{"imsss:controlMode", "imsss:sequencingRules", "imsss:limitConditions", "imsss:auxiliaryResources",
		"imsss:rollupRules", "imsss:objectives", "imsss:randomizationControls", "imsss:deliveryControls"}
)

// checkOrder fails when el's children are not in order, or include one
// that order does not name.
func checkOrder(t *testing.T, el *etree.Element, order []string) {
	t.Helper()
	prev := -1
	for _, kid := range el.ChildElements() {
		i := slices.Index(order, kid.FullTag())
		if i < 0 {
			t.Errorf("%s: unexpected child %s", el.FullTag(), kid.FullTag())
			continue
		}
		if i <= prev {
			t.Errorf("%s: %s is out of order (want %v)", el.FullTag(), kid.FullTag(), order)
		}
		prev = i
	}
}

func checkItem(t *testing.T, item *etree.Element, want itemWant) {
	t.Helper()
	id := item.SelectAttrValue("identifier", "")
	checkOrder(t, item, itemOrder)

	ct := item.SelectElement("adlcp:completionThreshold")
	switch {
	case want.threshold && ct == nil:
		t.Errorf("%s: no completionThreshold", id)
	case !want.threshold && ct != nil:
		t.Errorf("%s: a completionThreshold, though progress is not completion", id)
	case ct != nil:
		if ct.SelectAttrValue("completedByMeasure", "") != "true" || ct.SelectAttrValue("minProgressMeasure", "") != "1.0" {
			t.Errorf("%s: completionThreshold %v, want by measure at 1.0", id, ct.Attr)
		}
	}

	seq := item.SelectElement("imsss:sequencing")
	if seq == nil {
		t.Fatalf("%s: no imsss:sequencing", id)
	}
	checkOrder(t, seq, seqOrder)
	dc := seq.SelectElement("imsss:deliveryControls")
	for _, attr := range []string{"tracked", "completionSetByContent", "objectiveSetByContent"} {
		if dc == nil || dc.SelectAttrValue(attr, "") != "true" {
			t.Errorf("%s: deliveryControls %s is not true", id, attr)
		}
	}
	primary := seq.FindElement("imsss:objectives/imsss:primaryObjective")
	rollup := seq.SelectElement("imsss:rollupRules")
	if want.mastery == "" {
		if primary != nil {
			t.Errorf("%s: a primary objective, though the unit has no pass mark", id)
		}
		if rollup == nil || rollup.SelectAttrValue("rollupObjectiveSatisfied", "") != "false" {
			t.Errorf("%s: a unit with no pass mark counts in the rollup of satisfaction", id)
		}
	} else {
		if primary == nil {
			t.Fatalf("%s: no primary objective", id)
		}
		if rollup != nil {
			t.Errorf("%s: a unit with a pass mark is left out of the rollup", id)
		}
		if primary.SelectAttrValue("satisfiedByMeasure", "") != "true" || primary.SelectAttrValue("objectiveID", "") == "" {
			t.Errorf("%s: primary objective %v, want an objectiveID and satisfiedByMeasure", id, primary.Attr)
		}
		if m := primary.SelectElement("imsss:minNormalizedMeasure"); m == nil || m.Text() != want.mastery {
			t.Errorf("%s: minNormalizedMeasure %v, want %s", id, m, want.mastery)
		}
	}

	var hidden []string
	for _, h := range item.FindElements("adlnav:presentation/adlnav:navigationInterface/adlnav:hideLMSUI") {
		hidden = append(hidden, h.Text())
	}
	if !slices.Equal(hidden, want.hidden) {
		t.Errorf("%s: hides %v of the LMS's navigation, want %v", id, hidden, want.hidden)
	}
}

// TestManifest2004SameIdentifiers checks that a course's SCORM 2004
// manifest uses the identifiers of its SCORM 1.2 one, so that the two
// versions of a package name the same things.
func TestManifest2004SameIdentifiers(t *testing.T) {
	c := sampleCourse()
	for _, layout := range layouts {
		plans, _ := bundle.Plans(c, layout)
		for _, plan := range plans {
			a := identifiers(Manifest12(c, plan, sampleContents(plan)).Root())
			b := identifiers(Manifest2004(c, plan, sampleContents(plan)).Root())
			if !slices.Equal(a, b) {
				t.Errorf("%s%s: SCORM 1.2 identifiers %v, SCORM 2004 %v", layout, plan.Suffix, a, b)
			}
		}
	}
}

func identifiers(root *etree.Element) []string {
	var ids []string
	for _, el := range root.FindElements("//[@identifier]") {
		ids = append(ids, el.SelectAttrValue("identifier", ""))
	}
	return ids
}

func TestScaled(t *testing.T) {
	for _, tt := range []struct {
		percent int
		want    string
	}{{0, "0"}, {1, "0.01"}, {5, "0.05"}, {10, "0.1"}, {75, "0.75"}, {80, "0.8"}, {99, "0.99"}, {100, "1"}} {
		if got := scaled(tt.percent); got != tt.want {
			t.Errorf("scaled(%d) = %q, want %q", tt.percent, got, tt.want)
		}
	}
}

func TestV2004Build(t *testing.T) {
	f := V2004{}
	if f.Name() != "scorm2004" {
		t.Errorf("Name() = %q", f.Name())
	}
	c, err := course.Load("../examples/stepping-into-leadership")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(templates.Runtimes(), "scorm2004") {
		t.Fatal("the player has no scorm2004 runtime")
	}
	for _, layout := range layouts {
		t.Run(string(layout), func(t *testing.T) {
			pkgs, err := f.Build(c, format.Options{Layout: layout})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pkgs {
				if !strings.HasPrefix(p.Name, "stepping-into-leadership-scorm2004") || !strings.HasSuffix(p.Name, ".zip") {
					t.Errorf("package name %q", p.Name)
				}
				i := slices.IndexFunc(p.Files, func(f dist.File) bool { return f.Path == "imsmanifest.xml" })
				if i < 0 {
					t.Fatalf("%s has no imsmanifest.xml", p.Name)
				}
				doc := etree.NewDocument()
				if err := doc.ReadFromBytes(p.Files[i].Data); err != nil {
					t.Fatal(err)
				}
				checkIDRefs(t, doc.Root())
			}
		})
	}
}
