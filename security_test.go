package coursepack

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/coursepack/coursepack/internal/ziptest"
)

// securityCourse is a course that uses what could weaken a page's policy:
// theme colours (an inline <style>), raw HTML, a table with aligned
// columns, a video, links to the web and to the course's files.
var securityCourse = map[string]string{
	"course.yaml": `id: https://example.org/courses/secure
title: Secure
language: en-GB
raw_html: true
theme:
  colours:
    primary: "#1d4f91"
modules:
  - modules/one.md
  - modules/two.md
`,
	"modules/one.md": `---
id: one
title: One
---
## Page

<details open><summary>More <abbr title="Hypertext">HTML</abbr></summary>

Text with [a link](https://example.org) and [a file](../assets/guide.pdf).

</details>

<figure><img src="../assets/pic.png" alt="A picture"><figcaption>Caption</figcaption></figure>

| left | right |
|:-----|------:|
| 1    | 2     |

::: video src=../media/intro.mp4 captions=../media/intro.vtt
:::

::: question id=q1
Right?

- [x] Yes
- [ ] No
:::
`,
	"modules/two.md":   "---\nid: two\ntitle: Two\n---\n## Page\n\n::: reflection id=r1\nThink.\n:::\n\n::: action-plan\nPlan.\n:::\n",
	"assets/pic.png":   "png",
	"assets/guide.pdf": "pdf",
	"media/intro.mp4":  "mp4",
	"media/intro.vtt":  "WEBVTT\n",
}

// TestEveryPageHasAPolicy builds courses in every format and checks that
// no file of any package holds a path of the build machine, and that every
// HTML page has a Content-Security-Policy first in its head
// that allows no inline script or style but the page's own (by hash),
// no style attribute,
// no event handler, and no script, style sheet or picture from another
// host.
func TestEveryPageHasAPolicy(t *testing.T) {
	dir := t.TempDir()
	for name, text := range securityCourse {
		path := filepath.Join(dir, "secure", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	machine := []string{dir, wd}
	if home, err := os.UserHomeDir(); err == nil && len(home) > 1 {
		machine = append(machine, home+string(filepath.Separator))
	}
	for _, course := range []string{filepath.Join(dir, "secure"), "examples/stepping-into-leadership"} {
		res, err := Build(context.Background(), Options{Dir: course, Out: filepath.Join(dir, "out", filepath.Base(course))})
		if err != nil {
			t.Fatalf("%s: %v", course, err)
		}
		pages := 0
		for _, w := range res.Written {
			if !strings.HasSuffix(w.Path, ".zip") {
				continue
			}
			files := ziptest.Files(t, w.Path)
			names := make([]string, 0, len(files))
			for name := range files {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				data := files[name]
				// Nothing of the build machine gets into a package.
				for _, leak := range machine {
					if strings.Contains(string(data), leak) {
						t.Errorf("%s/%s holds %q, of the build machine", filepath.Base(w.Path), name, leak)
					}
				}
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				checkPagePolicy(t, filepath.Base(w.Path)+"/"+name, string(data))
				pages++
			}
		}
		if pages == 0 {
			t.Errorf("%s: no page found in %d packages", course, len(res.Written))
		}
		t.Logf("%s: %d pages in %d packages", course, pages, len(res.Written))
	}
}

// checkPagePolicy checks one page, named name in messages.
func checkPagePolicy(t *testing.T, name, page string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	var policy map[string][]string
	var styles, scripts []string
	inHead, seenOther := false, false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		attr := map[string]string{}
		for _, a := range tok.Attr {
			attr[a.Key] = a.Val
			if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
				t.Errorf("%s: <%s> has a %s attribute", name, tok.Data, a.Key)
			}
		}
		switch tok.Data {
		case "head":
			inHead = true
		case "meta":
			if strings.EqualFold(attr["http-equiv"], "Content-Security-Policy") {
				if policy != nil {
					t.Errorf("%s: two policies", name)
				}
				if !inHead || seenOther {
					t.Errorf("%s: the policy is not at the top of the head", name)
				}
				policy = parsePolicy(attr["content"])
			}
		case "link", "script", "style", "img", "base":
			seenOther = true
		}
		switch tok.Data {
		case "script":
			if attr["src"] == "" && attr["type"] != "application/json" {
				if z.Next() == html.TextToken {
					scripts = append(scripts, string(z.Text()))
				} else {
					scripts = append(scripts, "")
				}
			}
			if strings.Contains(attr["src"], ":") || strings.HasPrefix(attr["src"], "//") {
				t.Errorf("%s: a script from %s", name, attr["src"])
			}
		case "style":
			if z.Next() == html.TextToken {
				styles = append(styles, string(z.Text()))
			} else {
				styles = append(styles, "")
			}
		case "link", "img", "video", "audio", "track", "source":
			for _, k := range []string{"href", "src", "poster"} {
				if v := attr[k]; strings.HasPrefix(v, "//") || strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") {
					t.Errorf("%s: <%s %s=%q> loads from another host", name, tok.Data, k, v)
				}
			}
		}
	}
	if policy == nil {
		t.Errorf("%s: no Content-Security-Policy", name)
		return
	}
	want := map[string]string{
		"default-src": "'self'", "img-src": "'self' data:",
		"media-src": "'self'", "font-src": "'self'", "object-src": "'none'",
		"base-uri": "'none'", "form-action": "'none'",
	}
	for d, v := range want {
		if got := strings.Join(policy[d], " "); got != v {
			t.Errorf("%s: %s is %q, want %q", name, d, got, v)
		}
	}
	connect := strings.Join(policy["connect-src"], " ")
	xapi := strings.Contains(name, "-xapi") || strings.Contains(name, "-cmi5")
	switch {
	case xapi && connect != "'self' https: http:":
		t.Errorf("%s: connect-src is %q; an xAPI or cmi5 page needs its LRS", name, connect)
	case !xapi && connect != "'self'":
		t.Errorf("%s: connect-src is %q, want 'self'", name, connect)
	}
	checkHashes(t, name, "style-src", policy["style-src"], "style", styles)
	checkHashes(t, name, "script-src", policy["script-src"], "script", scripts)
}

// checkHashes checks the sources of a page's directive: 'self', and the
// SHA-256 hash of each of the page's inline elements of tag holding
// inline, and nothing else.
func checkHashes(t *testing.T, name, directive string, sources []string, tag string, inline []string) {
	t.Helper()
	allowed := map[string]bool{}
	for _, s := range sources {
		allowed[s] = true
		if s == "'unsafe-inline'" || s == "'unsafe-eval'" {
			t.Errorf("%s: %s allows %s", name, directive, s)
		}
	}
	if !allowed["'self'"] || len(allowed) != len(inline)+1 {
		t.Errorf("%s: %s %v for %d inline <%s> elements", name, directive, sources, len(inline), tag)
	}
	for _, s := range inline {
		sum := sha256.Sum256([]byte(s))
		if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !allowed[h] {
			t.Errorf("%s: %s lacks %s, the hash of <%s>%s</%s>", name, directive, h, tag, s, tag)
		}
	}
}

// parsePolicy splits a policy into its directives and their values.
func parsePolicy(p string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(p, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[f[0]] = f[1:]
		}
	}
	return out
}
