package scorm

import (
	"bytes"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/format"
)

func TestManifest12Golden(t *testing.T) {
	checkGoldens(t, "scorm12", Manifest12)
}

func TestManifest12Rules(t *testing.T) {
	c := sampleCourse()
	plans, _ := bundle.Plans(c, format.LayoutModule)
	doc := Manifest12(c, plans[0], sampleContents(plans[0]))
	data, _ := doc.WriteToBytes()
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("manifest does not start with the XML declaration: %.60q", data)
	}
	root := doc.Root()
	tests := []struct {
		name, path, want string
	}{
		{"schema", "metadata/schema", "ADL SCORM"},
		{"schema version", "metadata/schemaversion", "1.2"},
		{"mastery score only where passing counts", "organizations/organization/item[@identifier='item-purpose']/adlcp:masteryscore", "80"},
		{"title escaped", "organizations/organization/title", "Leading Well & Wisely"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			el := root.FindElement(tt.path)
			if el == nil {
				t.Fatalf("no element %s", tt.path)
			}
			if el.Text() != tt.want {
				t.Errorf("%s = %q, want %q", tt.path, el.Text(), tt.want)
			}
		})
	}
	if el := root.FindElement("organizations/organization/item[@identifier='item-change']/adlcp:masteryscore"); el != nil {
		t.Error("a module completed by pages alone has a mastery score")
	}
	if !strings.Contains(string(data), `adlcp:scormtype="sco"`) || strings.Contains(string(data), "scormType") {
		t.Error("SCORM 1.2 resources must use adlcp:scormtype, all lowercase")
	}
	checkIDRefs(t, root)
}

func TestISODuration(t *testing.T) {
	for _, tt := range []struct {
		minutes float64
		want    string
	}{{0, "PT0M"}, {45, "PT45M"}, {60, "PT1H"}, {90, "PT1H30M"}, {360, "PT6H"}} {
		if got := isoDuration(tt.minutes); got != tt.want {
			t.Errorf("isoDuration(%v) = %q, want %q", tt.minutes, got, tt.want)
		}
	}
}
