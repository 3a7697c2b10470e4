package inspect

import (
	"bytes"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
)

// The content files whose text is audited.
var auditExts = map[string]bool{
	".html": true, ".htm": true, ".xhtml": true, ".js": true, ".mjs": true,
	".cjs": true, ".css": true, ".svg": true,
}

func auditable(name string) bool { return auditExts[strings.ToLower(path.Ext(name))] }

// maxFindings caps each list of findings; past it, the rest are counted
// in no list (a package with thousands is one to read by hand anyway).
const maxFindings = 200

// A URL on another host: http(s), ws(s) or protocol-relative.
const urlPattern = `((?:(?:https?|wss?):)?//[^\s"'<>()\x60\\]+)`

// requestPatterns find references to other hosts; the first group names
// the use, the second holds the URL (or the use is fixed by the pattern).
var requestPatterns = []struct {
	use string
	re  *regexp.Regexp
}{
	// HTML attributes, and the same names assigned in JavaScript
	// (img.src = "https://...").
	{"", regexp.MustCompile(`(?i)\b(src|href|action|formaction|poster|data|srcset|background)\s*=\s*["']?\s*` + urlPattern)},
	{"url", regexp.MustCompile(`(?i)\burl\(\s*["']?\s*` + urlPattern)},
	{"import", regexp.MustCompile(`(?i)@import\s+["']` + urlPattern)},
	{"import", regexp.MustCompile(`\bimport\s*(?:\(\s*|[\w*{}\s,$]*\bfrom\s*)["'\x60]` + urlPattern)},
	{"import", regexp.MustCompile(`\bimportScripts\(\s*["'\x60]` + urlPattern)},
	{"fetch", regexp.MustCompile(`\bfetch\(\s*["'\x60]` + urlPattern)},
	{"xhr", regexp.MustCompile(`\.open\(\s*["'\x60][A-Za-z]+["'\x60]\s*,\s*["'\x60]` + urlPattern)},
	{"beacon", regexp.MustCompile(`\bsendBeacon\(\s*["'\x60]` + urlPattern)},
	{"websocket", regexp.MustCompile(`\b(?:WebSocket|EventSource)\(\s*["'\x60]` + urlPattern)},
}

var (
	popupPattern  = regexp.MustCompile(`\bwindow\.open\s*\(`)
	unloadPattern = regexp.MustCompile(`(?i)\bon(?:before)?unload\s*=|addEventListener\(\s*["'\x60](?:before)?unload["'\x60]|\.(?:on|bind)\(\s*["'](?:before)?unload["']|\$\(\s*window\s*\)\.unload\(`)
)

// auditor gathers what the content files do.
type auditor struct {
	hosts  map[string]*ExternalHost
	uses   map[string]map[string]bool
	files  map[string]map[string]bool
	popups []Finding
	unload []Finding
}

func newAuditor() *auditor {
	return &auditor{hosts: map[string]*ExternalHost{}, uses: map[string]map[string]bool{}, files: map[string]map[string]bool{}}
}

// scan audits one content file.
func (au *auditor) scan(name string, data []byte) {
	for _, p := range requestPatterns {
		for _, m := range p.re.FindAllSubmatchIndex(data, -1) {
			use := p.use
			if use == "" {
				use = strings.ToLower(string(data[m[2]:m[3]]))
				if use == "srcset" || use == "poster" || use == "background" || use == "data" {
					use = "src"
				}
				if use == "formaction" {
					use = "action"
				}
			}
			raw := string(data[m[len(m)-2]:m[len(m)-1]])
			au.host(name, use, raw)
		}
	}
	au.popups = findings(au.popups, name, data, popupPattern)
	au.unload = findings(au.unload, name, data, unloadPattern)
}

// host records a reference to the host of raw.
func (au *auditor) host(file, use, raw string) {
	if strings.HasPrefix(raw, "//") {
		raw = "https:" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	h := strings.ToLower(u.Hostname())
	if h == "" || strings.ContainsAny(h, "${}+") {
		return
	}
	eh := au.hosts[h]
	if eh == nil {
		eh = &ExternalHost{Host: h}
		au.hosts[h] = eh
		au.uses[h] = map[string]bool{}
		au.files[h] = map[string]bool{}
	}
	eh.Count++
	au.uses[h][use] = true
	au.files[h][file] = true
}

// findings appends the places re matches in data.
func findings(list []Finding, name string, data []byte, re *regexp.Regexp) []Finding {
	for _, m := range re.FindAllIndex(data, -1) {
		if len(list) >= maxFindings {
			break
		}
		line := bytes.Count(data[:m[0]], []byte("\n")) + 1
		list = append(list, Finding{Path: name, Line: line, Text: snippet(data, m[0], m[1])})
	}
	return list
}

// snippet is the text of the line around data[start:end], at most about
// 100 characters, on one line.
func snippet(data []byte, start, end int) string {
	from := bytes.LastIndexByte(data[:start], '\n') + 1
	to := len(data)
	if i := bytes.IndexByte(data[end:], '\n'); i >= 0 {
		to = end + i
	}
	const around = 40
	prefix, suffix := "", ""
	if start-from > around {
		from, prefix = start-around, "…"
	}
	if to-end > around+20 {
		to, suffix = end+around+20, "…"
	}
	s := strings.ToValidUTF8(string(data[from:to]), "")
	return prefix + strings.TrimSpace(strings.Join(strings.Fields(s), " ")) + suffix
}

// finish writes what was found into the audit, sorted.
func (au *auditor) finish(a *Audit) {
	var hosts []string
	for h := range au.hosts {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		eh := au.hosts[h]
		eh.Uses, eh.Files = keys(au.uses[h]), keys(au.files[h])
		a.ExternalHosts = append(a.ExternalHosts, *eh)
	}
	a.Popups = append(a.Popups, au.popups...)
	a.UnloadHandlers = append(a.UnloadHandlers, au.unload...)
	sort.Strings(a.NotAudited)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
