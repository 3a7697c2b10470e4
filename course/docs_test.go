package course

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestAuthoringExample loads the complete example of docs/authoring.md, so
// the guide cannot drift from what Load accepts.
func TestAuthoringExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "authoring.md"))
	if err != nil {
		t.Fatal(err)
	}
	// Each example file is introduced by a line "`NAME`:", a blank line
	// and a fenced block.
	block := regexp.MustCompile("(?ms)^`([^`\n]+)`:\n\n(`{3,4})[a-z]*\n(.*?)\n(`{3,4})$")
	dir := t.TempDir()
	write := func(name, text string) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	found := 0
	for _, m := range block.FindAllSubmatch(doc, -1) {
		if string(m[2]) != string(m[4]) {
			continue
		}
		write(string(m[1]), string(m[3])+"\n")
		found++
	}
	if found != 3 {
		t.Fatalf("found %d example files, want course.yaml and two modules", found)
	}
	for _, asset := range []string{"assets/logo.png", "assets/diagram.png", "media/intro.mp4", "media/intro.vtt", "media/poster.jpg"} {
		write(asset, "x")
	}
	c, err := Load(dir)
	if err != nil {
		t.Fatalf("the example does not load:\n%v", err)
	}
	if len(c.Modules) != 2 || len(c.Modules[1].Questions) != 3 || len(c.Modules[1].Reflections) != 1 || !c.Modules[1].ActionPlan {
		t.Errorf("the example loaded as %d modules with unexpected content", len(c.Modules))
	}
}
