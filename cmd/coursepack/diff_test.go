package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/format"
)

func TestDiffCommand(t *testing.T) {
	module := buildTiny(t, format.LayoutModule)[0]
	rebuilt := buildTiny(t, format.LayoutModule)[0]
	split := buildTiny(t, format.LayoutSplit)[0] // tiny-scorm12-one.zip
	evil := writeZip(t, t.TempDir(), "evil.zip", "/etc/x", "x")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{name: "same course rebuilt", args: []string{"diff", module, rebuilt}, wantOut: []string{"No changes to the package's structure.", "Files: 0 added, 0 removed, 0 changed", "Learner records are kept"}},
		{name: "same, failing on breaking", args: []string{"diff", "--fail-on-breaking", module, rebuilt}, wantOut: []string{"Learner records are kept"}},
		{name: "breaking, reported only", args: []string{"diff", module, split}, wantOut: []string{"BREAKING  identifier_changed", "BREAKING  unit_removed", "WARNING: this update would orphan the learner records of 2 units: item-one, item-two."}},
		{name: "breaking, failing", args: []string{"diff", "--fail-on-breaking", module, split}, wantCode: 1, wantOut: []string{"WARNING: this update would orphan"},
			wantErr: "coursepack: 2 breaking changes (--fail-on-breaking): the update would orphan the learner records of 2 units"},
		{name: "hostile new package", args: []string{"diff", module, evil}, wantCode: 1, wantErr: `refusing a hostile zip: entry "/etc/x"`},
		{name: "one argument", args: []string{"diff", module}, wantCode: 2, wantErr: "accepts 2 arg(s), received 1"},
		{name: "unknown flag", args: []string{"diff", "--strict", module, split}, wantCode: 2, wantErr: "unknown flag: --strict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, tt.args...)
			checkCLI(t, code, stdout, stderr, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
}

func TestDiffJSON(t *testing.T) {
	module := buildTiny(t, format.LayoutModule)[0]
	split := buildTiny(t, format.LayoutSplit)[0]
	code, stdout, stderr := runCLI(t, nil, "diff", "--json", "--fail-on-breaking", module, split)
	if code != 1 || !strings.Contains(stderr, "breaking") {
		t.Errorf("exit status %d, stderr %q; want 1 and the breaking changes", code, stderr)
	}
	var d struct {
		Old      struct{ Identifier string } `json:"old"`
		Breaking bool                        `json:"breaking"`
		Orphaned []string                    `json:"orphaned_units"`
		Changes  []struct {
			Kind     string `json:"kind"`
			Severity string `json:"severity"`
		} `json:"changes"`
		Files struct {
			Removed []struct {
				Path string `json:"path"`
			} `json:"removed"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("stdout is no JSON: %v\n%s", err, stdout)
	}
	if !d.Breaking || len(d.Orphaned) != 2 || len(d.Changes) == 0 || d.Changes[0].Kind != "identifier_changed" || d.Changes[0].Severity != "breaking" {
		t.Errorf("diff %+v", d)
	}
	if len(d.Files.Removed) != 1 || d.Files.Removed[0].Path != "two.html" {
		t.Errorf("files removed %+v", d.Files.Removed)
	}
}
