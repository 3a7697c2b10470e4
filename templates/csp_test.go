package templates

import (
	"bytes"
	"strings"
	"testing"

	"github.com/coursepack/coursepack/i18n"
)

func TestContentSecurityPolicy(t *testing.T) {
	base := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
	if got := ContentSecurityPolicy("scorm12"); got != base {
		t.Errorf("scorm12:\n%s\nwant\n%s", got, base)
	}
	for _, rt := range []string{"xapi", "cmi5"} {
		if got := ContentSecurityPolicy(rt); !strings.Contains(got, "connect-src 'self' https: http:;") {
			t.Errorf("%s: %s; want connect-src for the LRS", rt, got)
		}
	}
	// The SHA-256 of ":root{--cp-primary:#1d4f91;}", as browsers compute it.
	got := ContentSecurityPolicy("web", "", ":root{--cp-primary:#1d4f91;}")
	if want := "style-src 'self' 'sha256-"; !strings.Contains(got, want) || strings.Count(got, "'sha256-") != 1 {
		t.Errorf("policy %s: want one style hash", got)
	}
}

// TestRenderedPolicy renders a page with a theme and checks that its
// policy, at the top of the head, allows exactly its <style> element and
// its inline script.
func TestRenderedPolicy(t *testing.T) {
	c := testCourse()
	text, err := i18n.ForCourse(c.Language, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Render(&buf, View{Course: c, Modules: c.Modules[:1], Runtime: "cmi5", Strings: text}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if !strings.Contains(page, "<script>"+MarkScript+"</script>") {
		t.Errorf("the page does not run MarkScript")
	}
	css := string(ThemeCSS(c.Theme))
	if css == "" || !strings.Contains(page, "<style>"+css+"</style>") {
		t.Fatalf("the page has no theme style %q", css)
	}
	meta := `<meta charset="utf-8">` + "\n" + `<meta http-equiv="Content-Security-Policy" content="`
	if !strings.Contains(page, meta) {
		t.Fatalf("no policy right after the charset:\n%s", page[:min(600, len(page))])
	}
	want := strings.NewReplacer("'", "&#39;", "+", "&#43;").Replace(PlayerPolicy("cmi5", css))
	if !strings.Contains(page, `content="`+want+`"`) {
		t.Errorf("the page's policy is not %s", want)
	}
}
