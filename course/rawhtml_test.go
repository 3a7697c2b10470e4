package course

import (
	"strings"
	"testing"
)

const rawHTMLPage = `## Page

<details open>
<summary>More about <abbr title="World Health Organization">WHO</abbr></summary>

Markdown *inside*.

</details>

<figure><img src="../assets/pic.png" alt="A picture" width="20"><figcaption>Caption</figcaption></figure>

Press <kbd>Ctrl</kbd>, see <a href="other.md#x">the next module</a> or <a href="https://example.org/?a=1&amp;b=2">the web</a>.

<table><caption>Sizes</caption><tr><th scope="col">Size</th></tr><tr><td colspan="2">1</td></tr></table>

| left | right |
|:-----|------:|
| 1    | 2     |
`

// TestRawHTMLAllowed keeps the HTML a course may use, with its links and
// pictures rewritten as Markdown's are, and table alignment without style
// attributes.
func TestRawHTMLAllowed(t *testing.T) {
	mod, errs, fatal := newPageHarness(t, true).read(t, []byte(rawHTMLPage))
	if fatal != nil || len(errs) > 0 {
		t.Fatalf("problems: %v %v", fatal, errs)
	}
	got := string(mod.Pages[0].HTML)
	for _, want := range []string{
		"<details open=\"\">\n<summary>More about <abbr title=\"World Health Organization\">WHO</abbr></summary>",
		"<p>Markdown <em>inside</em>.</p>",
		`<figure><img src="assets/pic.png" alt="A picture" width="20"><figcaption>Caption</figcaption></figure>`,
		`<kbd>Ctrl</kbd>`,
		`<a href="other.html#x">the next module</a>`,
		`<a href="https://example.org/?a=1&amp;b=2">the web</a>`,
		`<td colspan="2">1</td>`,
		`<th align="left">left</th>`,
		`<td align="right">2</td>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the page lacks %s:\n%s", want, got)
		}
	}
	checkSafeHTML(t, got, true)
	if len(mod.Assets) != 1 || mod.Assets[0].Path != "assets/pic.png" {
		t.Errorf("assets = %v, want the picture", mod.Assets)
	}
}

// TestRawHTMLOffByDefault leaves raw HTML out of a course that does not
// allow it, whatever it holds.
func TestRawHTMLOffByDefault(t *testing.T) {
	page := rawHTMLPage + "\n<script>alert(1)</script>\n<div onclick=\"alert(1)\">x</div> <b onmouseover=\"x\">y</b>\n"
	mod, errs, fatal := newPageHarness(t, false).read(t, []byte(page))
	if fatal != nil || len(errs) > 0 {
		t.Fatalf("problems: %v %v", fatal, errs)
	}
	got := string(mod.Pages[0].HTML)
	for _, unwanted := range []string{"<details", "<abbr", "<script", "onclick", "onmouseover", "<figure"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("the page holds %s:\n%s", unwanted, got)
		}
	}
	checkSafeHTML(t, got, true)
}

// TestRawHTMLSanitised checks the sanitiser itself on what the checks
// report: whatever an author writes, nothing that runs script reaches the
// page.
func TestRawHTMLSanitised(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="jav&#x09;ascript:alert(1)">x</a>`,
		`<a href=" javascript:alert(1)">x</a>`,
		`<div style="background:url(javascript:alert(1))">x</div>`,
		`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
		`<svg><script>alert(1)</script></svg>`,
		`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
		`<object data="javascript:alert(1)"></object>`,
		`<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>`,
		`<a href="data:text/html,<script>alert(1)</script>">x</a>`,
		`<img src="data:image/svg+xml,<svg onload=alert(1)>">`,
		`<details open ontoggle=alert(1)>`,
		`<p id="cp-config" name="getElementById" class="cp-next">x</p>`,
		`<base href="https://example.org/">`,
		`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
		`<title><script>alert(1)</script></title>`,
		`<div title="a"onclick="alert(1)">x</div>`,
		`<a href="https://example.org" target="_blank" rel="opener">x</a>`,
	}
	for _, h := range hostile {
		got := sanitizer().Sanitize(h)
		checkSafeHTML(t, got, false)
		for _, bad := range []string{" id=", " class=", " name=", "target=", "<base", "<meta"} {
			if strings.Contains(got, bad) {
				t.Errorf("Sanitize(%q) = %q, which holds %q", h, got, bad)
			}
		}
	}
}
