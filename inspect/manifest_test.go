package inspect

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// scorm12 writes a SCORM 1.2 manifest around organisations and resources.
func scorm12(orgs, resources string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m1" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  ` + orgs + `
  <resources>` + resources + `</resources>
</manifest>
`
}

// scorm2004 writes a SCORM 2004 manifest with the given schemaversion.
func scorm2004(version, orgs, resources string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m1" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>` + version + `</schemaversion></metadata>
  ` + orgs + `
  <resources>` + resources + `</resources>
</manifest>
`
}

// org is an organisation "org" holding the items.
func org(items string) string {
	return `<organizations default="org"><organization identifier="org"><title>Course</title>` + items + `</organization></organizations>`
}

const (
	itemA12 = `<item identifier="item-a" identifierref="res-a"><title>A</title><adlcp:masteryscore>80</adlcp:masteryscore></item>`
	itemA   = `<item identifier="item-a" identifierref="res-a"><title>A</title></item>`
	resA12  = `<resource identifier="res-a" type="webcontent" adlcp:scormtype="sco" href="a.html"><file href="a.html"/></resource>`
	resA04  = `<resource identifier="res-a" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource>`
	html    = "<!DOCTYPE html><title>x</title>"
)

func cmi5XML(ns, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="` + ns + `">
  <course id="https://example.org/c"><title><langstring lang="en">Course</langstring></title><description><langstring lang="en">d</langstring></description></course>
  ` + body + `
</courseStructure>`
}

func tincanXML(activities string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>` + activities + `</activities></tincan>`
}

const auA = `<au id="https://example.org/c/a" moveOn="CompletedAndPassed" masteryScore="0.8"><title><langstring lang="en">A</langstring></title><description><langstring lang="en">d</langstring></description><url>a.html</url></au>`

func files(kv ...string) []zent {
	var out []zent
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, zent{name: kv[i], data: kv[i+1]})
	}
	return out
}

func codes(rep *Report) map[string]int {
	m := map[string]int{}
	for _, p := range rep.Problems {
		m[p.Code]++
	}
	return m
}

func TestManifests(t *testing.T) {
	tests := []struct {
		name    string
		entries []zent
		// want lists problem codes that must be reported; "code*2" wants
		// it exactly twice. Without want, no problem may be reported.
		want  []string
		check func(t *testing.T, r *Report)
	}{
		{
			name:    "valid SCORM 1.2",
			entries: files("imsmanifest.xml", scorm12(org(itemA12), resA12), "a.html", html),
			check: func(t *testing.T, r *Report) {
				u := r.Units[0]
				eq(t, "format", r.Format, FormatSCORM12)
				eq(t, "version", r.Version, "1.2")
				eq(t, "identifier", r.Identifier, "m1")
				eq(t, "title", r.Title, "Course")
				eq(t, "unit", line(u.Identifier, u.Kind, u.Launch, u.MasteryScore, u.Launchable, u.Organization), "item-a sco a.html 80 true org")
				eq(t, "default org", fmt.Sprint(r.Organizations), "[{org Course true}]")
			},
		},
		{
			name:    "SCORM 1.2 spelt scormType",
			entries: files("imsmanifest.xml", scorm12(org(itemA), resA04), "a.html", html),
			want:    []string{"scormtype_spelling"},
		},
		{
			name:    "SCORM 2004 spelt scormtype",
			entries: files("imsmanifest.xml", scorm2004("2004 4th Edition", org(itemA), resA12), "a.html", html),
			want:    []string{"scormtype_spelling"},
		},
		{
			name:    "no scormtype",
			entries: files("imsmanifest.xml", scorm12(org(itemA), `<resource identifier="res-a" type="webcontent" href="a.html"><file href="a.html"/></resource>`), "a.html", html),
			want:    []string{"scormtype_missing"},
			check:   func(t *testing.T, r *Report) { eq(t, "kind", r.Units[0].Kind, KindAsset) },
		},
		{
			name:    "scormtype in capitals",
			entries: files("imsmanifest.xml", scorm12(org(itemA), strings.Replace(resA12, `"sco"`, `"SCO"`, 1)), "a.html", html),
			want:    []string{"scormtype_invalid"},
		},
		{
			name: "IDREFs naming nothing",
			entries: files("imsmanifest.xml", scorm12(
				`<organizations default="nowhere"><organization identifier="org"><title>C</title>`+itemA+`<item identifier="item-b" identifierref="res-x"><title>B</title></item></organization></organizations>`,
				strings.Replace(resA12, "</resource>", `<dependency identifierref="shared"/></resource>`, 1)), "a.html", html),
			want: []string{"idref_unresolved*3"},
			check: func(t *testing.T, r *Report) {
				eq(t, "kind", r.Units[1].Kind, KindUnresolved)
			},
		},
		{
			name:    "duplicate identifiers",
			entries: files("imsmanifest.xml", scorm12(org(`<item identifier="res-a" identifierref="res-a"><title>A</title></item>`), resA12), "a.html", html),
			want:    []string{"duplicate_identifier"},
		},
		{
			name:    "identifier syntax",
			entries: files("imsmanifest.xml", scorm12(org(`<item identifier="1st item" identifierref="a:b"><title>A</title></item>`), strings.Replace(resA12, `"res-a"`, `"a:b"`, 1)), "a.html", html),
			want:    []string{"identifier_syntax*2"},
		},
		{
			name: "missing, unlisted and mis-cased files",
			entries: files(
				"imsmanifest.xml", scorm12(org(itemA),
					`<resource identifier="res-a" type="webcontent" adlcp:scormtype="sco" href="b.html"><file href="a.html"/><file href="Missing.js"/><file href="Player/core.js"/><file href="my%20page.html"/></resource>`),
				"a.html", html, "player/core.js", "x", "my page.html", html, "extra.txt", "x", "imscp_rootv1p1p2.xsd", "x"),
			want: []string{"launch_file_missing", "file_missing", "file_case_mismatch", "files_unlisted"},
			check: func(t *testing.T, r *Report) {
				eq(t, "missing", fmt.Sprint(r.MissingFiles), "[Missing.js b.html]")
				eq(t, "unlisted", fmt.Sprint(r.UnlistedFiles), "[extra.txt]")
				eq(t, "case", fmt.Sprint(r.CaseMismatches), "[{Player/core.js player/core.js}]")
				eq(t, "first problem", r.Problems[0].Code, "file_case_mismatch")
			},
		},
		{
			name:    "manifest in a folder",
			entries: files("course/imsmanifest.xml", scorm12(org(itemA12), resA12), "course/a.html", html),
			want:    []string{"manifest_not_at_root"},
			check: func(t *testing.T, r *Report) {
				eq(t, "manifest", r.Manifest, "course/imsmanifest.xml")
				eq(t, "severity", r.Problems[0].Severity, SeverityError)
			},
		},
		{
			name:    "manifest name in capitals",
			entries: files("IMSManifest.xml", scorm12(org(itemA12), resA12), "a.html", html),
			want:    []string{"manifest_name_case"},
		},
		{
			name:    "names differing only in case",
			entries: files("imsmanifest.xml", scorm12(org(itemA12), strings.Replace(resA12, "</resource>", `<file href="A.html"/></resource>`, 1)), "a.html", html, "A.html", html),
			want:    []string{"case_collision"},
		},
		{
			name:    "no manifest",
			entries: files("index.html", html),
			want:    []string{"no_manifest"},
			check:   func(t *testing.T, r *Report) { eq(t, "format", r.Format, FormatUnknown) },
		},
		{
			name:    "no schemaversion",
			entries: files("imsmanifest.xml", strings.Replace(scorm12(org(itemA), resA12), "<schemaversion>1.2</schemaversion>", "", 1), "a.html", html),
			want:    []string{"schemaversion_missing"},
			check:   func(t *testing.T, r *Report) { eq(t, "format", r.Format, FormatSCORM12) },
		},
		{
			name:    "unknown schemaversion",
			entries: files("imsmanifest.xml", scorm2004("2004", org(itemA), resA04), "a.html", html),
			want:    []string{"schemaversion_unknown"},
			check:   func(t *testing.T, r *Report) { eq(t, "format", r.Format, FormatSCORM2004) },
		},
		{
			name:    "schemaversion against the namespace",
			entries: files("imsmanifest.xml", scorm2004("1.2", org(itemA), resA12), "a.html", html),
			want:    []string{"namespace_mismatch", "scormtype_namespace"},
		},
		{
			name: "SCORM 2004 3rd Edition threshold",
			entries: files("imsmanifest.xml", scorm2004("2004 3rd Edition",
				org(`<item identifier="item-a" identifierref="res-a"><title>A</title><adlcp:completionThreshold>0.75</adlcp:completionThreshold></item>`), resA04), "a.html", html),
			check: func(t *testing.T, r *Report) {
				eq(t, "format", r.FormatName(), "SCORM 2004 3rd Edition")
				eq(t, "threshold", r.Units[0].CompletionThreshold, "0.75")
			},
		},
		{
			name: "SCORM 2004 mastery and completion",
			entries: files("imsmanifest.xml", scorm2004("2004 4th Edition", org(`<item identifier="item-a" identifierref="res-a"><title>A</title>
				<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.9"/>
				<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="P" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>`), resA04), "a.html", html),
			check: func(t *testing.T, r *Report) {
				eq(t, "mastery", r.Units[0].MasteryScore, "0.8")
				eq(t, "threshold", r.Units[0].CompletionThreshold, "0.9")
			},
		},
		{
			name:    "masteryscore in SCORM 2004",
			entries: files("imsmanifest.xml", scorm2004("2004 4th Edition", org(itemA12), resA04), "a.html", html),
			want:    []string{"masteryscore_ignored"},
			check:   func(t *testing.T, r *Report) { eq(t, "mastery", r.Units[0].MasteryScore, "") },
		},
		{
			name:    "masteryScore in camel case in 1.2",
			entries: files("imsmanifest.xml", scorm12(org(strings.ReplaceAll(itemA12, "masteryscore", "masteryScore")), resA12), "a.html", html),
			want:    []string{"adlcp_element_case"},
			check:   func(t *testing.T, r *Report) { eq(t, "mastery", r.Units[0].MasteryScore, "") },
		},
		{
			name:    "mastery out of range",
			entries: files("imsmanifest.xml", scorm12(org(strings.Replace(itemA12, ">80<", ">120<", 1)), resA12), "a.html", html),
			want:    []string{"mastery_invalid"},
		},
		{
			name:    "malformed XML",
			entries: files("imsmanifest.xml", "<manifest><organizations></manifest>", "a.html", html),
			want:    []string{"xml_malformed"},
		},
		{
			name:    "byte order mark",
			entries: files("imsmanifest.xml", "\ufeff"+scorm12(org(itemA12), resA12), "a.html", html),
			want:    []string{"bom"},
			check:   func(t *testing.T, r *Report) { eq(t, "units", fmt.Sprint(len(r.Units)), "1") },
		},
		{
			name:    "wrong root element",
			entries: files("imsmanifest.xml", "<package/>"),
			want:    []string{"wrong_root"},
		},
		{
			name: "hrefs leaving the package",
			entries: files("imsmanifest.xml", scorm12(org(itemA),
				`<resource identifier="res-a" type="webcontent" adlcp:scormtype="sco" href="../a.html"><file href="/etc/x"/><file href="a\b.html"/><file href="file:///c/x"/></resource>`)),
			want: []string{"href_escapes", "href_absolute*2", "href_backslash"},
		},
		{
			name: "launch on another host",
			entries: files("imsmanifest.xml", scorm12(org(itemA),
				`<resource identifier="res-a" type="webcontent" adlcp:scormtype="sco" href="https://cdn.example.com/a.html"/>`)),
			want: []string{"launch_external"},
		},
		{
			name: "xml:base",
			entries: files("imsmanifest.xml", scorm12(org(itemA),
				`<resource identifier="res-a" type="webcontent" adlcp:scormtype="sco" xml:base="content/" href="a.html"><file href="a.html"/></resource>`),
				"content/a.html", html),
			check: func(t *testing.T, r *Report) { eq(t, "launch", r.Units[0].Launch, "content/a.html") },
		},
		{
			name: "nested items",
			entries: files("imsmanifest.xml", scorm12(org(`<item identifier="part"><title>Part</title>`+itemA12+`</item>`), resA12),
				"a.html", html),
			check: func(t *testing.T, r *Report) {
				eq(t, "tree", line(r.Units[0].Kind, r.Units[0].Launchable, r.Units[1].Parent, r.Units[1].Depth), "aggregation false part 1")
			},
		},
		{
			name:    "default organisation missing",
			entries: files("imsmanifest.xml", scorm12(strings.Replace(org(itemA), ` default="org"`, "", 1), resA12), "a.html", html),
			want:    []string{"default_organization_missing"},
			check:   func(t *testing.T, r *Report) { eq(t, "title", r.Title, "Course") },
		},
		{
			name:    "two manifests",
			entries: files("imsmanifest.xml", scorm12(org(itemA), resA12), "tincan.xml", tincanXML(""), "a.html", html),
			want:    []string{"multiple_manifests", "files_unlisted"},
			check:   func(t *testing.T, r *Report) { eq(t, "format", r.Format, FormatSCORM12) },
		},
		{
			name:    "valid cmi5",
			entries: files("cmi5.xml", cmi5XML(nsCMI5, auA+`<au id="https://example.org/c/b"><title><langstring lang="en">B</langstring></title><description><langstring lang="en">d</langstring></description><url>https://content.example.org/b</url></au>`), "a.html", html),
			check: func(t *testing.T, r *Report) {
				eq(t, "format", r.FormatName(), "cmi5")
				eq(t, "identifier", r.Identifier, "https://example.org/c")
				eq(t, "title", r.Title, "Course")
				a, b := r.Units[0], r.Units[1]
				eq(t, "a", line(a.Kind, a.MoveOn, a.MasteryScore, a.LaunchMethod, a.Launch), "au CompletedAndPassed 0.8 AnyWindow a.html")
				eq(t, "b", line(b.MoveOn, b.MasteryScore, b.Launch), "NotApplicable  https://content.example.org/b")
			},
		},
		{
			name: "broken cmi5",
			entries: files("cmi5.xml", cmi5XML(nsCMI5Sandstone,
				`<au id="au1" moveOn="passed" masteryScore="80" launchMethod="NewWindow"><title><langstring lang="en">A</langstring></title><url>missing.html</url></au>`)),
			want: []string{"cmi5_namespace", "move_on_invalid", "mastery_invalid", "identifier_syntax", "launch_method_invalid", "launch_file_missing"},
		},
		{
			name: "cmi5 blocks and objectives",
			entries: files("cmi5.xml", cmi5XML(nsCMI5,
				`<objectives><objective id="https://example.org/o1"><title><langstring lang="en">O</langstring></title><description><langstring lang="en">d</langstring></description></objective></objectives>
				<block id="https://example.org/c/b1"><title><langstring lang="en">Block</langstring></title><description><langstring lang="en">d</langstring></description>
				<objectives><objective idref="https://example.org/o2"/></objectives>`+auA+`</block>`), "a.html", html),
			want: []string{"idref_unresolved"},
			check: func(t *testing.T, r *Report) {
				eq(t, "tree", line(r.Units[0].Kind, r.Units[1].Parent, r.Units[1].Depth), "block https://example.org/c/b1 1")
			},
		},
		{
			name:    "cmi5 without AU",
			entries: files("cmi5.xml", cmi5XML(nsCMI5, "")),
			want:    []string{"no_launchable"},
		},
		{
			name: "valid tincan",
			entries: files("tincan.xml", tincanXML(`<activity id="https://example.org/c" type="http://adlnet.gov/expapi/activities/course"><name lang="en">Course</name><description lang="en">d</description><launch lang="en">index.html</launch></activity>
				<activity id="https://example.org/c/m" type="http://adlnet.gov/expapi/activities/module"><name lang="en">M</name><description lang="en">d</description></activity>`), "index.html", html),
			check: func(t *testing.T, r *Report) {
				eq(t, "format", r.FormatName(), "xAPI (tincan.xml)")
				eq(t, "identifier", r.Identifier, "https://example.org/c")
				eq(t, "launchable", line(r.Units[0].Launchable, r.Units[1].Launchable), "true false")
			},
		},
		{
			name:    "tincan without launch, with empty lang",
			entries: files("tincan.xml", tincanXML(`<activity id="https://example.org/c"><name lang="">Course</name></activity>`)),
			want:    []string{"no_launchable", "lang_empty", "name_missing"},
		},
		{
			name: "tincan with two launches",
			entries: files("tincan.xml", tincanXML(`<activity id="https://example.org/a"><name>A</name><description>d</description><launch>a.html</launch></activity><activity id="https://example.org/b"><name>B</name><description>d</description><launch>b.html</launch></activity>`),
				"a.html", html, "b.html", html),
			want: []string{"multiple_launch"},
		},
		{
			name: "tincan in the only folder",
			entries: files("pkg/tincan.xml", tincanXML(`<activity id="https://example.org/a"><name>A</name><description>d</description><launch>a.html</launch></activity>`),
				"pkg/a.html", html),
			want:  []string{"manifest_not_at_root"},
			check: func(t *testing.T, r *Report) { eq(t, "severity", r.Problems[0].Severity, SeverityWarning) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Read(makeZip(t, t.TempDir(), "p.zip", tt.entries...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := codes(rep)
			want := map[string]int{}
			for _, w := range tt.want {
				code, n := w, 0
				if i := strings.Index(w, "*"); i >= 0 {
					code = w[:i]
					fmt.Sscan(w[i+1:], &n)
				}
				want[code] = n
				if got[code] == 0 || (n > 0 && got[code] != n) {
					t.Errorf("problem %s reported %d times, want %s", code, got[code], map[bool]string{true: fmt.Sprint(n), false: "some"}[n > 0])
				}
			}
			var extra []string
			for code := range got {
				if _, ok := want[code]; !ok {
					extra = append(extra, code)
				}
			}
			sort.Strings(extra)
			if len(extra) > 0 {
				for _, p := range rep.Problems {
					t.Logf("%s %s: %s", p.Severity, p.Code, p.Message)
				}
				t.Errorf("unexpected problems %v", extra)
			}
			if tt.check != nil && !t.Failed() {
				tt.check(t, rep)
			}
		})
	}
}

// line writes values separated by spaces.
func line(v ...any) string { return strings.TrimSuffix(fmt.Sprintln(v...), "\n") }

func eq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func TestAudit(t *testing.T) {
	page := `<!DOCTYPE html>
<html><head>
<link rel="stylesheet" href="https://fonts.example.com/css?family=x">
<script src="//cdn.example.net/lib.js"></script>
<script src="player/local.js"></script>
</head>
<body onbeforeunload="save()">
<a href="https://www.example.org/about">About</a>
<img src="data:image/png;base64,AAAA">
<script>
fetch("https://api.example.com/track", {method: "POST"});
var x = new XMLHttpRequest(); x.open("GET", "https://api.example.com/data");
window.open("popup.html");
window.addEventListener("unload", finish);
var ns = "http://www.w3.org/2000/svg";
</script>
</body></html>
`
	css := `body { background: url("https://img.example.com/bg.png"); }
@import "https://fonts.example.com/more.css";
.a { background: url(img/local.png); }`
	js := "const s = new WebSocket(`wss://live.example.com/socket`);\n$(window).on(\"beforeunload\", f);\nconst v = `${base}/x`;"
	rep, err := Read(makeZip(t, t.TempDir(), "p.zip", files("imsmanifest.xml", "<x/>", "page.html", page, "style.css", css, "app.js", js,
		"big.bin", strings.Repeat("ab", 1000))...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, h := range rep.Audit.ExternalHosts {
		hosts = append(hosts, fmt.Sprintf("%s %v %v %d", h.Host, h.Uses, h.Files, h.Count))
	}
	eq(t, "hosts", strings.Join(hosts, "\n"), strings.Join([]string{
		"api.example.com [fetch xhr] [page.html] 2",
		"cdn.example.net [src] [page.html] 1",
		"fonts.example.com [href import] [page.html style.css] 2",
		"img.example.com [url] [style.css] 1",
		"live.example.com [websocket] [app.js] 1",
		"www.example.org [href] [page.html] 1",
	}, "\n"))
	if len(rep.Audit.Popups) != 1 || rep.Audit.Popups[0].Line != 13 || !strings.Contains(rep.Audit.Popups[0].Text, `window.open("popup.html")`) {
		t.Errorf("popups %+v", rep.Audit.Popups)
	}
	var unload []string
	for _, f := range rep.Audit.UnloadHandlers {
		unload = append(unload, fmt.Sprintf("%s:%d", f.Path, f.Line))
	}
	sort.Strings(unload)
	eq(t, "unload handlers", fmt.Sprint(unload), "[app.js:2 page.html:14 page.html:7]")
	eq(t, "largest", rep.Audit.LargestFiles[0].Path, "big.bin")
	if rep.Audit.FileCount != 5 || rep.Audit.TotalSize == 0 {
		t.Errorf("audit counts %+v", rep.Audit)
	}
}
