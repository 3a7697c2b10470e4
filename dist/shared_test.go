package dist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coursepack/coursepack/internal/ziptest"
)

// formatPackages are zips like those of every format of one build: the
// same player files (equal bytes in separate slices), the same media and
// text assets on disk, pages that differ per format, pages rendered as they
// are written (the same in every format but xapi), and a file at the same
// path with other bytes in one of them; and a folder with the files of the
// last.
func formatPackages(t *testing.T) []*Package {
	dir := t.TempDir()
	video := filepath.Join(dir, "clip.mp4")
	writeLarge(t, video, 1<<20)
	captions := filepath.Join(dir, "clip.vtt")
	if err := os.WriteFile(captions, bytes.Repeat([]byte("WEBVTT cue text\n"), 4000), 0o644); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(dir, "photo.jpg")
	writeLarge(t, photo, 100<<10)
	var pkgs []*Package
	for i, rt := range []string{"scorm12", "scorm2004", "xapi", "web"} {
		p := &Package{Name: "course-" + rt + ".zip"}
		for _, name := range []string{"core.js", "player.js", "player.css"} {
			p.Add("player/"+name, []byte(strings.Repeat("function "+name+"() { return 1 }\n", 300)))
		}
		adapter := "shared adapter"
		if i == 1 {
			adapter = "another adapter" // the same path, other bytes
		}
		p.Add("player/adapter.js", []byte(strings.Repeat(adapter+"\n", 500)))
		for m := range 6 {
			page := fmt.Sprintf("m%d.html", m)
			p.Add("data-"+page, []byte(strings.Repeat(fmt.Sprintf("<p>Module %d for %s.</p>\n", m, rt), 400)))
			kind := "lms"
			if rt == "xapi" {
				kind = "lrs"
			}
			p.AddRendered(page, func(w io.Writer) error {
				_, err := fmt.Fprint(w, strings.Repeat(fmt.Sprintf("<p>Rendered %d for %s.</p>\n", m, kind), 400))
				return err
			})
			if m%2 == 0 {
				p.Files[len(p.Files)-1].Parts[0].Same = kind // half named, half compared
			}
		}
		p.AddFile("media/clip.mp4", video)
		p.AddFile("media/clip.vtt", captions)
		p.AddFile("media/photo.jpg", photo)
		p.Add("media/inline.png", bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 5000))
		if i == 2 {
			p.AddFile("media/other-name.vtt", captions) // the same source at another path
		}
		pkgs = append(pkgs, p)
	}
	last := pkgs[len(pkgs)-1]
	return append(pkgs, &Package{Name: "course-web", Files: last.Files, Folder: true})
}

func TestPlanShared(t *testing.T) {
	pkgs := formatPackages(t)
	sh := planShared(pkgs)
	if sh == nil {
		t.Fatal("nothing shared")
	}
	users := map[string]int32{}
	for fk, e := range sh.byFile {
		if fk.pkg.Folder && !strings.HasSuffix(fk.path, ".html") {
			t.Errorf("%s: a folder's file is shared, not rendered", fk.path)
		}
		users[fk.path] = e.users.Load()
	}
	want := map[string]int32{
		"player/core.js": 4, "player/player.js": 4, "player/player.css": 4,
		"player/adapter.js": 3, // not the one with other bytes
		"media/clip.mp4":    4, "media/clip.vtt": 4, "media/photo.jpg": 4,
	}
	for m := range 6 {
		// Rendered files share by path, the folder's too; their contents
		// are compared as they are written.
		want[fmt.Sprintf("m%d.html", m)] = 5
	}
	for path, n := range want {
		if users[path] != n {
			t.Errorf("%s: shared by %d packages, want %d", path, users[path], n)
		}
	}
	for path := range users {
		if _, ok := want[path]; !ok {
			t.Errorf("%s is shared; it should not be", path)
		}
	}
	// One zip shares nothing; a zip and a folder share their rendered
	// files only.
	if planShared(pkgs[:1]) != nil {
		t.Error("a single zip has shared entries")
	}
	web := planShared(pkgs[3:])
	if web == nil || len(web.byFile) != 12 {
		t.Errorf("a zip and its folder share %v, want their 6 rendered pages each", web)
	} else {
		for fk := range web.byFile {
			if !strings.HasSuffix(fk.path, ".html") {
				t.Errorf("a zip and its folder share %s", fk.path)
			}
		}
	}
}

// TestSharedEntriesAreByteIdentical writes zips with shared entries, as
// WriteAll does, and compares each with the zip written on its own.
func TestSharedEntriesAreByteIdentical(t *testing.T) {
	pkgs := formatPackages(t)
	for _, n := range []int{1, 2, 4} {
		withParallelism(n, func() {
			dir := t.TempDir()
			written, err := WriteAll(dir, pkgs, ZipOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range written {
				if pkgs[i].Folder {
					continue
				}
				got, err := os.ReadFile(w.Path)
				if err != nil {
					t.Fatal(err)
				}
				var want []byte
				withParallelism(1, func() { want = writeBytes(t, pkgs[i], ZipOptions{}) })
				if !bytes.Equal(got, want) {
					t.Errorf("parallelism %d: %s differs from the zip written on its own", n, pkgs[i].Name)
				}
			}
			// The folder has the rendered files' bytes.
			page, err := os.ReadFile(filepath.Join(dir, "course-web", "m2.html"))
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Repeat("<p>Rendered 2 for lms.</p>\n", 400); string(page) != want {
				t.Errorf("the folder's rendered page is %q", page[:40])
			}
		})
	}
}

// TestSharedEntriesLetGo checks that the compressed bytes of a shared
// entry are dropped once every zip has written it.
func TestSharedEntriesLetGo(t *testing.T) {
	pkgs := formatPackages(t)[:3]
	sh := planShared(pkgs)
	for _, p := range pkgs {
		if err := writeZip(io.Discard, p, mustModTime(t), sh); err != nil {
			t.Fatal(err)
		}
	}
	for fk, e := range sh.byFile {
		if e.users.Load() != 0 || e.res.comp != nil {
			t.Errorf("%s: %d users left, %d bytes held", fk.path, e.users.Load(), len(e.res.comp))
		}
	}
}

func mustModTime(t *testing.T) time.Time {
	mod, err := ZipOptions{}.modTime()
	if err != nil {
		t.Fatal(err)
	}
	return mod
}

// TestSharedEntryErrors: a shared source that is missing, or that is a
// folder, fails every zip holding it with the error it gives on its own.
func TestSharedEntryErrors(t *testing.T) {
	for _, bad := range []string{filepath.Join(t.TempDir(), "missing.mp4"), t.TempDir()} {
		for _, path := range []string{"media/bad.mp4", "media/bad.vtt"} {
			var pkgs []*Package
			for _, name := range []string{"a.zip", "b.zip"} {
				p := smallPackage(name)
				p.AddFile(path, bad)
				pkgs = append(pkgs, p)
			}
			want := WriteZip(io.Discard, pkgs[0], ZipOptions{})
			if want == nil {
				t.Fatalf("%s: no error on its own", path)
			}
			_, err := WriteAll(t.TempDir(), pkgs, ZipOptions{})
			if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(want.Error(), "dist: ")) {
				t.Errorf("%s: got %v, want %v", path, err, want)
			}
		}
	}
}

// TestRenderedFiles: a file made by Render is written, to a zip and to a
// folder, as the same file given as Data; a failing Render fails the
// package.
func TestRenderedFiles(t *testing.T) {
	content := func(i int) []byte {
		return []byte(strings.Repeat(fmt.Sprintf("<p>page %d</p>\n", i), i*50))
	}
	data := &Package{Name: "p.zip"}
	rendered := &Package{Name: "p.zip"}
	for i := range 12 {
		path := fmt.Sprintf("p%02d.html", i)
		if i == 11 {
			path = "p.png" // a stored entry
		}
		data.Add(path, content(i))
		rendered.AddRendered(path, func(w io.Writer) error { _, err := w.Write(content(i)); return err })
	}
	for _, n := range []int{1, 4} {
		withParallelism(n, func() {
			if !bytes.Equal(writeBytes(t, rendered, ZipOptions{}), writeBytes(t, data, ZipOptions{})) {
				t.Errorf("parallelism %d: the zips differ", n)
			}
		})
	}
	dirData, dirRendered := t.TempDir(), t.TempDir()
	if _, err := WriteAll(dirData, []*Package{{Name: "p", Files: data.Files, Folder: true}}, ZipOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAll(dirRendered, []*Package{{Name: "p", Files: rendered.Files, Folder: true}}, ZipOptions{}); err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, filepath.Join(dirData, "p")), readTree(t, filepath.Join(dirRendered, "p"))
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("the folders differ")
	}

	failing := errors.New("template broke")
	rendered.AddRendered("zz.html", func(io.Writer) error { return failing })
	for _, n := range []int{1, 4} {
		withParallelism(n, func() {
			if err := WriteZip(io.Discard, rendered, ZipOptions{}); !errors.Is(err, failing) || !strings.Contains(err.Error(), "zz.html") {
				t.Errorf("parallelism %d: got %v", n, err)
			}
		})
	}
	if _, err := WriteAll(t.TempDir(), []*Package{{Name: "p", Files: rendered.Files, Folder: true}}, ZipOptions{}); !errors.Is(err, failing) {
		t.Errorf("folder: got %v", err)
	}
}

// madeFile is f made by e: its bytes and its parts' compressed bytes.
func madeFile(t *testing.T, e *sharedEntry, f File) (string, []madePart) {
	t.Helper()
	parts, err := e.made(f)
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := writeRaw(&raw, parts); err != nil {
		t.Fatal(err)
	}
	return raw.String(), parts
}

// TestSharedRenderedVariants checks that the zips sharing a rendered path
// deflate each distinct content once, get the bytes of their own content,
// and let go of them all once the last zip is done.
func TestSharedRenderedVariants(t *testing.T) {
	renders := []string{"<p>lms</p>", "<p>lrs</p>", "<p>lms</p>", "<p>lrs</p>", "<p>lms</p>"}
	e := &sharedEntry{}
	e.users.Store(int32(len(renders)))
	var got [][]madePart
	for _, text := range renders {
		f := File{Path: "m1.html", Parts: []Part{{Render: func(w io.Writer) error {
			_, err := io.WriteString(w, strings.Repeat(text, 100))
			return err
		}}}}
		raw, parts := madeFile(t, e, f)
		if raw != strings.Repeat(text, 100) {
			t.Errorf("%s: bytes %.20q", text, raw)
		}
		got = append(got, parts)
	}
	if len(e.parts) != 1 || len(e.parts[0]) != 2 {
		t.Errorf("%d contents kept, want 2", len(e.parts[0]))
	}
	for i, parts := range got {
		first := got[slices.Index(renders, renders[i])]
		if &parts[0].comp[0] != &first[0].comp[0] {
			t.Errorf("render %d (%s) was deflated again", i, renders[i])
		}
	}
	if &got[0][0].comp[0] == &got[1][0].comp[0] {
		t.Error("two contents got the same entry")
	}
	broken := File{Path: "m1.html", Parts: []Part{{Render: func(io.Writer) error { return errors.New("no template") }}}}
	if _, err := e.made(broken); err == nil || !strings.Contains(err.Error(), "m1.html: no template") {
		t.Errorf("a failed render gave %v", err)
	}
	for range renders {
		e.done()
	}
	if e.parts != nil {
		t.Error("the contents are kept after the last zip is done")
	}
}

// TestSharedRenderedSame checks that a rendered file whose part Same names a
// content already made is not rendered again, and that files with other
// names, or none, are rendered and matched by their bytes.
func TestSharedRenderedSame(t *testing.T) {
	renders := 0
	page := func(same, text string) File {
		return File{Path: "m1.html", Parts: []Part{{Same: same, Render: func(w io.Writer) error {
			renders++
			_, err := io.WriteString(w, strings.Repeat(text, 100))
			return err
		}}}}
	}
	files := []File{
		page("lms", "<p>lms</p>"),
		page("lms", "<p>lms</p>"),
		page("lrs", "<p>lrs</p>"),
		page("lrs", "<p>lrs</p>"),
		page("", "<p>lms</p>"),      // no name: rendered, then matched
		page("lms-2", "<p>lms</p>"), // another name, the same bytes
	}
	e := &sharedEntry{}
	e.users.Store(int32(len(files)))
	var got [][]madePart
	for _, f := range files {
		_, parts := madeFile(t, e, f)
		got = append(got, parts)
	}
	if renders != 4 {
		t.Errorf("%d renders, want 4 (lms, lrs, the unnamed one, lms-2)", renders)
	}
	for _, i := range []int{1, 4, 5} {
		if &got[i][0].comp[0] != &got[0][0].comp[0] {
			t.Errorf("file %d did not get the lms entry", i)
		}
	}
	if &got[3][0].comp[0] != &got[2][0].comp[0] || &got[2][0].comp[0] == &got[0][0].comp[0] {
		t.Error("the lrs files do not share their own entry")
	}
}

// TestZipAndFolderRenderOnce writes a zip and a folder of the same files,
// as the web build does (its pages named by Part.Same), and checks that
// each page is rendered once for both, and that both hold its bytes.
func TestZipAndFolderRenderOnce(t *testing.T) {
	var mu sync.Mutex
	renders := map[string]int{}
	files := []File{}
	for i := range 6 {
		path := fmt.Sprintf("p%d.html", i)
		text := strings.Repeat(fmt.Sprintf("<p>page %d</p>\n", i), 300)
		files = append(files, File{Path: path, Parts: []Part{{Same: "page", Render: func(w io.Writer) error {
			mu.Lock()
			renders[path]++
			mu.Unlock()
			_, err := io.WriteString(w, text)
			return err
		}}}})
	}
	for _, n := range []int{1, 4} {
		withParallelism(n, func() {
			clear(renders)
			dir := t.TempDir()
			pkgs := []*Package{{Name: "site.zip", Files: files}, {Name: "site", Files: files, Folder: true}}
			if _, err := WriteAll(dir, pkgs, ZipOptions{}); err != nil {
				t.Fatal(err)
			}
			zipped := ziptest.Texts(t, filepath.Join(dir, "site.zip"))
			for i, f := range files {
				if renders[f.Path] != 1 {
					t.Errorf("parallelism %d: %s rendered %d times", n, f.Path, renders[f.Path])
				}
				want := strings.Repeat(fmt.Sprintf("<p>page %d</p>\n", i), 300)
				got, err := os.ReadFile(filepath.Join(dir, "site", f.Path))
				if err != nil || string(got) != want || zipped[f.Path] != want {
					t.Errorf("parallelism %d: %s in the folder %.20q (%v), in the zip %.20q", n, f.Path, got, err, zipped[f.Path])
				}
			}
		})
	}
}
