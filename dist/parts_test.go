package dist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/flate"

	"github.com/coursepack/coursepack/internal/ziptest"
)

// partsPage is a page made of parts as the builds make them: a short head
// and a tail that differ by kind around a body that does not, counting the
// renders of each part in renders (by part name and kind).
func partsPage(path, kind string, renders map[string]int, mu *sync.Mutex) File {
	part := func(name, same, text string) Part {
		return Part{Same: same, Render: func(w io.Writer) error {
			mu.Lock()
			renders[path+" "+name+" "+same]++
			mu.Unlock()
			_, err := io.WriteString(w, text)
			return err
		}}
	}
	body := strings.Repeat(fmt.Sprintf("<p>%s: the same text in every package.</p>\n", path), 400)
	return File{Path: path, Parts: []Part{
		part("head", kind, "<!DOCTYPE html><meta content=\""+kind+"\">"),
		part("body", "body", body),
		part("tail", kind, `<script type="application/json">{"kind":"`+kind+`"}</script>`),
		part("end", "end", "</html>\n"),
	}}
}

// partsText is what partsPage(path, kind) holds.
func partsText(path, kind string) string {
	var sb strings.Builder
	f := partsPage(path, kind, map[string]int{}, &sync.Mutex{})
	for _, p := range f.Parts {
		p.Render(&sb)
	}
	return sb.String()
}

// TestPartsShared writes packages whose pages are made of parts, as every
// format of a build does, and checks that each zip holds each page whole,
// that it is byte for byte the zip written alone (in turn or deflated
// ahead), and that the parts shared are rendered once for them all.
func TestPartsShared(t *testing.T) {
	var mu sync.Mutex
	renders := map[string]int{}
	pkg := func(name, kind string, folder bool) *Package {
		p := &Package{Name: name, Folder: folder}
		for _, path := range []string{"a.html", "b.html"} {
			p.Files = append(p.Files, partsPage(path, kind, renders, &mu))
		}
		p.Add("player.js", []byte(strings.Repeat("var x = 1;\n", 200)))
		return p
	}
	kinds := map[string]string{"lms.zip": "lms", "lms-2.zip": "lms", "lrs.zip": "lrs", "web": "lms"}
	for _, n := range []int{1, 4} {
		withParallelism(n, func() {
			clear(renders)
			dir := t.TempDir()
			pkgs := []*Package{pkg("lms.zip", "lms", false), pkg("lms-2.zip", "lms", false), pkg("lrs.zip", "lrs", false), pkg("web", "lms", true)}
			if _, err := WriteAll(dir, pkgs, ZipOptions{}); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"a.html", "b.html"} {
				for _, part := range []string{"head lms", "head lrs", "body body", "tail lms", "tail lrs", "end end"} {
					if got := renders[path+" "+part]; got != 1 {
						t.Errorf("parallelism %d: %s %s rendered %d times, want once", n, path, part, got)
					}
				}
			}
			for name, kind := range kinds {
				if name == "web" {
					got, err := os.ReadFile(filepath.Join(dir, "web", "a.html"))
					if err != nil || string(got) != partsText("a.html", kind) {
						t.Errorf("parallelism %d: the folder's a.html is %.40q (%v)", n, got, err)
					}
					continue
				}
				zipped, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				texts := ziptest.Texts(t, filepath.Join(dir, name))
				for _, path := range []string{"a.html", "b.html"} {
					if texts[path] != partsText(path, kind) {
						t.Errorf("parallelism %d: %s: %s is %.40q", n, name, path, texts[path])
					}
				}
				alone := writeBytes(t, pkg(name, kind, false), ZipOptions{})
				if !bytes.Equal(zipped, alone) {
					t.Errorf("parallelism %d: %s differs from the zip written alone", n, name)
				}
			}
		})
	}
}

// TestPartsStream checks the deflate stream of a file made of parts: it
// inflates to the parts one after the other, empty parts included, and a
// file of one part is deflated as a whole file is.
func TestPartsStream(t *testing.T) {
	text := func(s string) Part {
		return Part{Render: func(w io.Writer) error { _, err := io.WriteString(w, s); return err }}
	}
	for _, tt := range []struct {
		name  string
		parts []string
	}{
		{"one part", []string{"<p>whole</p>"}},
		{"three parts", []string{"<head>", strings.Repeat("<p>body</p>", 500), "</html>"}},
		{"empty first and last", []string{"", "<p>middle</p>", ""}},
		{"all empty", []string{"", ""}},
		{"following", []string{"<p>" + strings.Repeat("the same words ", 200) + "</p>", "f:" + strings.Repeat("the same words ", 200)}},
		{"following a short part", []string{"<p>", "f:<p><p>", "</html>"}},
		{"following the first", []string{"f:<p>first</p>", "<p>second</p>"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := File{Path: "p.html"}
			for _, s := range tt.parts {
				p := text(s)
				p.Follows = strings.HasPrefix(s, "f:")
				f.Parts = append(f.Parts, p)
			}
			var d deflated
			if deflateParts(f, &d); d.err != nil {
				t.Fatal(d.err)
			}
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(d.comp)))
			want := strings.Join(tt.parts, "")
			if err != nil || string(got) != want || d.size != int64(len(want)) {
				t.Errorf("inflated %q (%v), size %d; want %q", got, err, d.size, want)
			}
			if len(tt.parts) == 1 {
				var whole deflated
				deflateData(f.Path, []byte(want), &whole)
				if !bytes.Equal(whole.comp, d.comp) || whole.crc != d.crc {
					t.Error("one part is not deflated as the whole file")
				}
			}
		})
	}
}

// TestPartsUnzip checks a zip of pages made of parts with Info-ZIP's unzip.
func TestPartsUnzip(t *testing.T) {
	unzip, err := exec.LookPath("unzip")
	if err != nil {
		t.Fatal("unzip is not installed (Debian's package unzip)")
	}
	var mu sync.Mutex
	p := &Package{Name: "x.zip", Files: []File{partsPage("a.html", "lms", map[string]int{}, &mu)}}
	out := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(out, writeBytes(t, p, ZipOptions{}), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(unzip, "-tq", out).CombinedOutput(); err != nil {
		t.Fatalf("unzip -t: %v\n%s", err, b)
	}
}

// TestPartsRenderError checks that a part that fails to render fails its
// package, naming the file, and leaves nothing behind.
func TestPartsRenderError(t *testing.T) {
	var mu sync.Mutex
	for _, n := range []int{1, 4} {
		withParallelism(n, func() {
			dir := t.TempDir()
			broken := partsPage("b.html", "lms", map[string]int{}, &mu)
			broken.Parts[2].Render = func(io.Writer) error { return errors.New("no config") }
			pkgs := []*Package{
				{Name: "lms.zip", Files: []File{partsPage("a.html", "lms", map[string]int{}, &mu), broken}},
				{Name: "web", Folder: true, Files: []File{broken}},
			}
			_, err := WriteAll(dir, pkgs, ZipOptions{})
			if err == nil || !strings.Contains(err.Error(), "b.html: no config") {
				t.Errorf("parallelism %d: got %v", n, err)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("parallelism %d: left %v", n, left)
			}
		})
	}
}

// TestPartsFollow checks a part that refers back to the bytes before it:
// it compresses what it repeats of them, its stream inflates whole from
// the shared entry as when made alone, and it is shared only between
// files whose bytes before it are the same.
func TestPartsFollow(t *testing.T) {
	// Words that do not repeat within the body (longer than followWindow),
	// so that only referring back to the body compresses the part that
	// repeats them.
	var sb strings.Builder
	for i := range 4000 {
		fmt.Fprintf(&sb, "w%d ", i*7919%10007)
	}
	words := sb.String()
	if len(words) <= followWindow {
		t.Fatalf("a body of %d bytes", len(words))
	}
	renders := 0
	part := func(same, text string, follows bool) Part {
		return Part{Same: same, Follows: follows, Render: func(w io.Writer) error {
			renders++
			_, err := io.WriteString(w, text)
			return err
		}}
	}
	page := func(head string, follows bool) File {
		return File{Path: "p.html", Parts: []Part{
			part(head, head, false),
			part("body", words, false),
			part("conf", words[len(words)-4000:], follows),
		}}
	}
	var plain, following deflated
	deflateParts(page("head one", false), &plain)
	deflateParts(page("head one", true), &following)
	if len(following.comp) >= len(plain.comp)-1000 {
		t.Errorf("deflated %d bytes following, %d not: the repeated words were not referred back to", len(following.comp), len(plain.comp))
	}
	e := &sharedEntry{}
	e.users.Store(3)
	files := []File{page("head one", true), page("head two", true), page("head one", true)}
	renders = 0
	made := make([][]madePart, len(files))
	for i, f := range files {
		parts, err := e.made(f)
		if err != nil {
			t.Fatal(err)
		}
		made[i] = parts
	}
	// Two heads, one body, and one configuration: it follows the body,
	// the same in all three files.
	if renders != 4 {
		t.Errorf("%d renders, want 4", renders)
	}
	for i, f := range files {
		var d, alone deflated
		joinParts(made[i], &d)
		deflateParts(f, &alone)
		got, err := io.ReadAll(flate.NewReader(bytes.NewReader(d.comp)))
		want := string(made[i][0].raw) + words + words[len(words)-4000:]
		if err != nil || string(got) != want || !bytes.Equal(d.comp, alone.comp) || d.crc != alone.crc {
			t.Errorf("file %d: the shared entry differs from the file made alone (%v)", i, err)
		}
	}
	// A configuration that follows other bytes is made anew.
	short := File{Path: "p.html", Parts: []Part{part("head one", "head one", false), part("conf", words[len(words)-4000:], true)}}
	e.users.Store(2)
	renders = 0
	if _, err := e.made(short); err != nil {
		t.Fatal(err)
	}
	if renders != 1 {
		t.Errorf("a part following other bytes: %d renders, want 1", renders)
	}
}

// TestHold checks that a file held in memory has its content as Data and
// is written as the file itself, and that a part failing to render fails
// Hold, naming the file.
func TestHold(t *testing.T) {
	var mu sync.Mutex
	f := partsPage("a.html", "lrs", map[string]int{}, &mu)
	f.Parts[2].Follows = true
	held, err := Hold(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(held.Data) != partsText("a.html", "lrs") || len(held.Parts) != len(f.Parts) || !held.Parts[2].Follows {
		t.Errorf("held %.40q with %d parts", held.Data, len(held.Parts))
	}
	a := writeBytes(t, &Package{Name: "a.zip", Files: []File{f}}, ZipOptions{})
	b := writeBytes(t, &Package{Name: "a.zip", Files: []File{held}}, ZipOptions{})
	if !bytes.Equal(a, b) {
		t.Error("the file held is written otherwise than the file")
	}
	f.Parts[1].Render = func(io.Writer) error { return errors.New("no page") }
	if _, err := Hold(f); err == nil || err.Error() != "a.html: no page" {
		t.Errorf("got %v", err)
	}
}

// TestPartsChunks checks a part longer than chunkSize, deflated in chunks:
// the stream inflates to the part, its bytes do not depend on how many
// chunks are deflated at once, and it is within a hundred bytes of the
// part deflated at once (each chunk refers back into the one before it).
func TestPartsChunks(t *testing.T) {
	var sb strings.Builder
	for i := 0; sb.Len() < 5*chunkSize/2; i++ {
		fmt.Fprintf(&sb, "<p>Paragraph %d of the course: w%d w%d.</p>\n", i, i*7919%10007, i*104729%1009)
	}
	text := sb.String()
	f := File{Path: "index.html", Parts: []Part{
		{Render: func(w io.Writer) error { _, err := io.WriteString(w, "<head>"); return err }},
		{Render: func(w io.Writer) error { _, err := io.WriteString(w, text); return err }},
	}}
	var comps [][]byte
	for _, n := range []int{1, 3} {
		withParallelism(n, func() {
			var d deflated
			if deflateParts(f, &d); d.err != nil {
				t.Fatal(d.err)
			}
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(d.comp)))
			if err != nil || string(got) != "<head>"+text {
				t.Errorf("parallelism %d: inflated %d bytes (%v), want %d", n, len(got), err, len(text)+6)
			}
			comps = append(comps, d.comp)
		})
	}
	if !bytes.Equal(comps[0], comps[1]) {
		t.Error("the chunks depend on how many are deflated at once")
	}
	var whole deflated
	deflateData("index.html", []byte(text), &whole)
	if extra := len(comps[0]) - len(whole.comp); extra > 100 {
		t.Errorf("in chunks %d bytes, at once %d", len(comps[0]), len(whole.comp))
	}
}
