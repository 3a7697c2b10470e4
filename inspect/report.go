package inspect

import (
	"fmt"
	"sort"
	"strings"
)

// The formats a Report names.
const (
	FormatSCORM12   = "scorm12"
	FormatSCORM2004 = "scorm2004"
	FormatTinCan    = "tincan"
	FormatCMI5      = "cmi5"
	FormatUnknown   = "unknown"
)

// The kinds of Unit.
const (
	KindSCO         = "sco"         // SCORM item launching a resource with scormtype sco
	KindAsset       = "asset"       // SCORM item launching a resource with scormtype asset
	KindAggregation = "aggregation" // SCORM item grouping other items, launching nothing
	KindUnresolved  = "unresolved"  // SCORM item whose identifierref names no resource
	KindAU          = "au"          // cmi5 assignable unit
	KindBlock       = "block"       // cmi5 block
	KindActivity    = "activity"    // tincan.xml activity
)

// Problem severities.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Report is what Read finds in a package. Its JSON form is documented in
// docs/json.md; field names are stable.
type Report struct {
	// Package is the zip as named to Read.
	Package string `json:"package"`
	// Format is one of the Format constants.
	Format string `json:"format"`
	// Version is SCORM's schemaversion ("1.2", "2004 4th Edition", ...);
	// empty for tincan and cmi5.
	Version string `json:"version"`
	// Manifest is the path of the manifest in the zip, empty if none.
	Manifest string `json:"manifest"`
	// Identifier is what an LMS keys the package by: the SCORM manifest
	// identifier, the cmi5 course id or the tincan launch activity id.
	Identifier string `json:"identifier"`
	// Title is the default organisation's title (SCORM), the course title
	// (cmi5) or the launch activity's name (tincan).
	Title string `json:"title"`
	// Organizations are SCORM's organisations, in manifest order.
	Organizations []Organization `json:"organizations"`
	// Units are the items (SCORM), blocks and AUs (cmi5) or activities
	// (tincan), depth first in manifest order.
	Units []Unit `json:"units"`
	// MissingFiles are listed by the manifest but not in the zip, sorted.
	MissingFiles []string `json:"missing_files"`
	// UnlistedFiles are in the zip but listed by no resource (SCORM only;
	// schema files and the manifest itself excepted), sorted.
	UnlistedFiles []string `json:"unlisted_files"`
	// CaseMismatches are files the manifest names with other letter case
	// than the zip: found on Windows and macOS, missing on a Linux LMS.
	CaseMismatches []CaseMismatch `json:"case_mismatches"`
	// Problems are every problem found, errors first.
	Problems []Problem `json:"problems"`
	// Audit is what the content does and weighs.
	Audit Audit `json:"audit"`
	// Files are every file in the zip, in zip order.
	Files []File `json:"files"`
}

// Organization is a SCORM organisation.
type Organization struct {
	Identifier string `json:"identifier"`
	Title      string `json:"title"`
	Default    bool   `json:"default"`
}

// Unit is one SCORM item, cmi5 block or AU, or tincan activity.
type Unit struct {
	// Identifier is the item identifier, the AU or block id, or the
	// activity id.
	Identifier string `json:"identifier"`
	Title      string `json:"title"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Launchable is true for what an LMS launches and tracks: SCOs and
	// assets with a launch file, AUs, and tincan activities with a launch.
	Launchable bool `json:"launchable"`
	// Organization is the SCORM organisation holding the item.
	Organization string `json:"organization"`
	// Parent is the enclosing item or block, empty at the top.
	Parent string `json:"parent"`
	// Depth is 0 for a top-level unit.
	Depth int `json:"depth"`
	// Resource is the SCORM item's identifierref.
	Resource string `json:"resource"`
	// Launch is the launch file or URL, as the manifest writes it (SCORM:
	// with xml:base applied).
	Launch string `json:"launch"`
	// Parameters is the SCORM item's parameters attribute.
	Parameters string `json:"parameters"`
	// MasteryScore is written as in the manifest: adlcp:masteryscore
	// (0-100, SCORM 1.2), imsss:minNormalizedMeasure of a primary objective
	// satisfied by measure (0-1, SCORM 2004), masteryScore (0-1, cmi5).
	MasteryScore string `json:"mastery_score"`
	// CompletionThreshold is SCORM 2004's adlcp:completionThreshold: its
	// minProgressMeasure when completedByMeasure is true (4th Edition), or
	// its text (3rd Edition).
	CompletionThreshold string `json:"completion_threshold"`
	// MoveOn is the cmi5 AU's moveOn, "NotApplicable" when absent.
	MoveOn string `json:"move_on"`
	// LaunchMethod is the cmi5 AU's launchMethod, "AnyWindow" when absent.
	LaunchMethod string `json:"launch_method"`
	// ActivityType is the tincan activity's type or the cmi5 AU's
	// activityType.
	ActivityType string `json:"activity_type"`
}

// CaseMismatch is a file named with other letter case in the manifest than
// in the zip.
type CaseMismatch struct {
	Listed string `json:"listed"`
	InZip  string `json:"in_zip"`
}

// Problem is one thing wrong with the package.
type Problem struct {
	// Severity is "error" (an LMS may reject the package or fail to run
	// it) or "warning".
	Severity string `json:"severity"`
	// Code is a stable, snake_case name of the problem (see docs/json.md).
	Code string `json:"code"`
	// Path is the file in the zip the problem is about, if any.
	Path string `json:"path"`
	// Message says what is wrong, for a person.
	Message string `json:"message"`
}

// File is one file in the zip.
type File struct {
	Path           string `json:"path"`
	Size           int64  `json:"size"`
	CompressedSize int64  `json:"compressed_size"`
	// CRC32 is the CRC-32 of the content, as 8 lowercase hex digits.
	CRC32 string `json:"crc32"`
}

// Audit is what the content (HTML, JavaScript, CSS, SVG) does and what the
// package weighs.
type Audit struct {
	// TotalSize is the uncompressed size of every file; CompressedSize
	// their size in the zip.
	TotalSize      int64 `json:"total_size"`
	CompressedSize int64 `json:"compressed_size"`
	FileCount      int   `json:"file_count"`
	// LargestFiles are the ten largest files, largest first.
	LargestFiles []FileSize `json:"largest_files"`
	// ExternalHosts are the other hosts the content requests or links to,
	// sorted by host name.
	ExternalHosts []ExternalHost `json:"external_hosts"`
	// Popups are calls of window.open.
	Popups []Finding `json:"popups"`
	// UnloadHandlers are unload and beforeunload handlers, which browsers
	// and LMSs do not reliably run.
	UnloadHandlers []Finding `json:"unload_handlers"`
	// NotAudited are content files too large to audit.
	NotAudited []string `json:"not_audited"`
}

// FileSize is a file and its uncompressed size.
type FileSize struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
}

// ExternalHost is a host other than the LMS that the content uses.
type ExternalHost struct {
	Host string `json:"host"`
	// Uses says how: "src", "href", "url" (CSS), "import", "fetch", "xhr",
	// "beacon", "websocket", "action", sorted.
	Uses []string `json:"uses"`
	// Files are the files that use it, sorted.
	Files []string `json:"files"`
	// Count is the number of references.
	Count int `json:"count"`
}

// Finding is one place in a content file.
type Finding struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	// Text is the code around the finding, shortened.
	Text string `json:"text"`
}

// FormatName is the format and version of the report for a person, such as
// "SCORM 2004 4th Edition".
func (r *Report) FormatName() string {
	return formatName(r.Format, r.Version)
}

func formatName(format, version string) string {
	switch format {
	case FormatSCORM12, FormatSCORM2004:
		name := "SCORM 1.2"
		if format == FormatSCORM2004 {
			name = "SCORM 2004"
		}
		switch {
		case version == "":
			return name + " (no schemaversion)"
		case version == "1.2":
			return name
		case format == FormatSCORM2004 && strings.HasPrefix(version, "2004 ") && schemaVersions[version] != "":
			return "SCORM " + version
		case version == "CAM 1.3":
			return "SCORM 2004 2nd Edition (CAM 1.3)"
		}
		return fmt.Sprintf("%s (schemaversion %q)", name, version)
	case FormatTinCan:
		return "xAPI (tincan.xml)"
	case FormatCMI5:
		return "cmi5"
	}
	return "unknown"
}

// Errors counts the problems of severity error.
func (r *Report) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			n++
		}
	}
	return n
}

func newReport(name string) *Report {
	return &Report{
		Package:        name,
		Format:         FormatUnknown,
		Organizations:  []Organization{},
		Units:          []Unit{},
		MissingFiles:   []string{},
		UnlistedFiles:  []string{},
		CaseMismatches: []CaseMismatch{},
		Problems:       []Problem{},
		Files:          []File{},
		Audit: Audit{
			LargestFiles:   []FileSize{},
			ExternalHosts:  []ExternalHost{},
			Popups:         []Finding{},
			UnloadHandlers: []Finding{},
			NotAudited:     []string{},
		},
	}
}

func (r *Report) problem(severity, code, path, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Severity: severity, Code: code, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (r *Report) errorf(code, path, format string, args ...any) {
	r.problem(SeverityError, code, path, format, args...)
}

func (r *Report) warnf(code, path, format string, args ...any) {
	r.problem(SeverityWarning, code, path, format, args...)
}

// sortProblems puts errors first, keeping the order they were found in.
func (r *Report) sortProblems() {
	sort.SliceStable(r.Problems, func(i, j int) bool {
		return r.Problems[i].Severity == SeverityError && r.Problems[j].Severity != SeverityError
	})
}

// setFiles records the zip's files and their sizes.
func (r *Report) setFiles(entries []*entry) {
	var sizes []FileSize
	for _, e := range entries {
		if e.dir {
			continue
		}
		r.Files = append(r.Files, File{
			Path:           e.name,
			Size:           e.size,
			CompressedSize: int64(e.f.CompressedSize64),
			CRC32:          fmt.Sprintf("%08x", e.crc),
		})
		r.Audit.TotalSize += e.size
		r.Audit.CompressedSize += int64(e.f.CompressedSize64)
		r.Audit.FileCount++
		sizes = append(sizes, FileSize{Path: e.name, Size: e.size})
	}
	sort.SliceStable(sizes, func(i, j int) bool { return sizes[i].Size > sizes[j].Size })
	if len(sizes) > 10 {
		sizes = sizes[:10]
	}
	r.Audit.LargestFiles = append(r.Audit.LargestFiles, sizes...)
}

// checkCaseCollisions warns of files whose names differ only in letter
// case: unpacked on Windows or macOS, one overwrites the other.
func (r *Report) checkCaseCollisions() {
	seen := map[string]string{}
	for _, f := range r.Files {
		l := strings.ToLower(f.Path)
		if other, ok := seen[l]; ok {
			r.warnf("case_collision", f.Path, "%s and %s differ only in letter case: unpacked on Windows or macOS, one overwrites the other", other, f.Path)
			continue
		}
		seen[l] = f.Path
	}
}
