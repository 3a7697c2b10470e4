package dist

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coursepack/coursepack/internal/ziptest"
)

// entry is what a folder holds at one path.
type entry struct {
	Data    string
	Mode    fs.FileMode
	ModTime time.Time
}

// readTree lists the folders and files under root by slash path ("." for
// root itself).
func readTree(t *testing.T, root string) map[string]entry {
	t.Helper()
	tree := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		e := entry{Mode: info.Mode(), ModTime: info.ModTime().UTC()}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.Data = string(b)
		}
		tree[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// folderPackages returns a zip and a folder package with the same files:
// made in memory, streamed from disk, nested, and already compressed.
func folderPackages(t *testing.T) (*Package, *Package) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(src, []byte("\xff\xd8 not really a jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	z := &Package{Name: "c-html.zip"}
	z.Add("index.html", []byte("<p>index</p>"))
	z.Add("player/player.js", []byte("console.log(1)"))
	z.AddFile("assets/img/photo.jpg", src)
	z.Add("one.html", []byte("<p>one</p>"))
	f := &Package{Name: "c-html", Files: z.Files, Folder: true}
	return z, f
}

func TestWriteAllFolder(t *testing.T) {
	dir := t.TempDir()
	zipPkg, folderPkg := folderPackages(t)
	when := time.Date(2024, 5, 6, 7, 8, 10, 0, time.UTC)
	written, err := WriteAll(dir, []*Package{zipPkg, folderPkg}, ZipOptions{Modified: when})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, dir), []string{"c-html", "c-html.zip"}; !slices.Equal(got, want) {
		t.Fatalf("dir holds %v, want %v", got, want)
	}
	if len(written) != 2 || written[1].Path != filepath.Join(dir, "c-html") {
		t.Fatalf("written = %+v", written)
	}

	// The folder holds what the zip holds, at the same paths.
	tree := readTree(t, written[1].Path)
	var total int64
	zipped := ziptest.Files(t, written[0].Path)
	for name, data := range zipped {
		got, ok := tree[name]
		if !ok {
			t.Errorf("the folder lacks %s", name)
			continue
		}
		if got.Data != string(data) {
			t.Errorf("%s: folder has %q, zip %q", name, got.Data, data)
		}
		total += int64(len(data))
	}
	if written[1].Size != total {
		t.Errorf("folder Size = %d, want %d (the sum of its files)", written[1].Size, total)
	}

	// Every file 0644, every folder 0755, all stamped with the time given.
	wantDirs := []string{".", "assets", "assets/img", "player"}
	var dirs []string
	for p, e := range tree {
		if e.Mode.IsDir() {
			dirs = append(dirs, p)
			if e.Mode.Perm() != 0o755 {
				t.Errorf("%s/: mode %v, want 0755", p, e.Mode.Perm())
			}
		} else if e.Mode.Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", p, e.Mode.Perm())
		}
		if !e.ModTime.Equal(when) {
			t.Errorf("%s: modified %s, want %s", p, e.ModTime, when)
		}
	}
	slices.Sort(dirs)
	if !slices.Equal(dirs, wantDirs) {
		t.Errorf("folders %v, want %v", dirs, wantDirs)
	}
	if len(tree) != len(wantDirs)+len(zipped) {
		t.Errorf("the folder holds %d entries, want %d", len(tree), len(wantDirs)+len(zipped))
	}
}

func TestWriteAllFolderDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		_, folder := folderPackages(t)
		if _, err := WriteAll(dir, []*Package{folder}, ZipOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb := readTree(t, filepath.Join(a, "c-html")), readTree(t, filepath.Join(b, "c-html"))
	if !reflect.DeepEqual(ta, tb) {
		t.Errorf("two writes of the same package differ:\n%v\n%v", ta, tb)
	}
	if e := ta["index.html"]; !e.ModTime.Equal(time.Unix(DefaultEpoch, 0)) {
		t.Errorf("index.html modified %s, want the default epoch", e.ModTime)
	}
}

func TestWriteAllFolderReplaces(t *testing.T) {
	for _, old := range []string{"folder", "file"} {
		t.Run("an old "+old, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "c-html")
			if old == "folder" {
				for _, p := range []string{"stale.html", "gone/deep.txt", "index.html"} {
					full := filepath.Join(target, filepath.FromSlash(p))
					os.MkdirAll(filepath.Dir(full), 0o755)
					if err := os.WriteFile(full, []byte("old "+p), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			} else if err := os.WriteFile(target, []byte("a file in the way"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, folder := folderPackages(t)
			if _, err := WriteAll(dir, []*Package{folder}, ZipOptions{}); err != nil {
				t.Fatal(err)
			}
			tree := readTree(t, target)
			for _, p := range []string{"stale.html", "gone", "gone/deep.txt"} {
				if _, ok := tree[p]; ok {
					t.Errorf("%s of the old folder is still there", p)
				}
			}
			if tree["index.html"].Data != "<p>index</p>" {
				t.Errorf("index.html = %q, want the new content", tree["index.html"].Data)
			}
			if got := dirNames(t, dir); !slices.Equal(got, []string{"c-html"}) {
				t.Errorf("dir holds %v, want only c-html (no temporary or old folder left)", got)
			}
		})
	}
}

func TestWriteAllFolderFailure(t *testing.T) {
	missing := &Package{Name: "m-html", Folder: true}
	missing.Add("index.html", []byte("x"))
	missing.AddFile("assets/gone.png", "/nonexistent/gone.png")
	// A zip may hold both "a" and "a/b"; a folder cannot.
	clash := &Package{Name: "k-html", Folder: true}
	clash.Add("a", []byte("file"))
	clash.Add("a/b", []byte("file in a folder of the same name"))
	notRegular := &Package{Name: "n-html", Folder: true}
	notRegular.AddFile("assets/dir", t.TempDir())
	badPath := &Package{Name: "b-html", Folder: true}
	badPath.Add("../escape.html", []byte("x"))
	goodZip := smallPackage("a-scorm12.zip")
	missingZip := &Package{Name: "z.zip"}
	missingZip.AddFile("gone.png", "/nonexistent/gone.png")

	tests := []struct {
		name string
		pkgs func() []*Package
		want string
	}{
		{"missing source", func() []*Package { return []*Package{goodZip, missing} }, "gone.png"},
		{"file and folder of one name", func() []*Package { return []*Package{clash} }, `"a" is also the folder of "a/b"`},
		{"source not a regular file", func() []*Package { return []*Package{notRegular} }, "not a regular file"},
		{"bad path", func() []*Package { return []*Package{badPath} }, ".."},
		{"a zip fails after the folder", func() []*Package {
			_, f := folderPackages(t)
			return []*Package{f, missingZip}
		}, "gone.png"},
		{"a zip and a folder of one name", func() []*Package {
			_, f := folderPackages(t)
			z := smallPackage(f.Name)
			return []*Package{f, z}
		}, "two packages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			// An older folder of the same name as the one that fails, which
			// must be left as it was.
			oldDir := filepath.Join(dir, "c-html")
			os.MkdirAll(oldDir, 0o755)
			if err := os.WriteFile(filepath.Join(oldDir, "index.html"), []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := readTree(t, oldDir)
			written, err := WriteAll(dir, tt.pkgs(), ZipOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if written != nil {
				t.Errorf("written = %v, want nil", written)
			}
			if got := dirNames(t, dir); !slices.Equal(got, []string{"c-html"}) {
				t.Errorf("dir holds %v, want only the old c-html", got)
			}
			if after := readTree(t, oldDir); !reflect.DeepEqual(before, after) {
				t.Errorf("the old folder changed:\n%v\n%v", before, after)
			}
		})
	}
}

func TestReplaceFolderRenameFails(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "c-html")
	os.MkdirAll(target, 0o755)
	if err := os.WriteFile(filepath.Join(target, "index.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Moving the old folder aside works; renaming the new one into place
	// does not.
	boom := errors.New("disk on fire")
	rename = func(from, to string) error {
		if info, err := os.Stat(from); err == nil && info.IsDir() && strings.HasSuffix(from, ".tmp") {
			return boom
		}
		return os.Rename(from, to)
	}
	t.Cleanup(func() { rename = os.Rename })
	_, folder := folderPackages(t)
	_, err := WriteAll(dir, []*Package{smallPackage("first.zip"), folder}, ZipOptions{})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if !strings.Contains(err.Error(), "already in place: "+filepath.Join(dir, "first.zip")) {
		t.Errorf("error %q does not say which package is already in place", err)
	}
	if b, _ := os.ReadFile(filepath.Join(target, "index.html")); string(b) != "old" {
		t.Errorf("the old folder was not moved back: index.html = %q", b)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"c-html", "first.zip"}) {
		t.Errorf("dir holds %v, want the old folder and the zip renamed before the failure", got)
	}
}

// rebuildPackages are a folder of the files a rebuild may find unchanged
// (made in memory, made in parts, and streamed from disk; text is the
// content of changing.txt, page the words of pages/one.html) and a zip of
// the same files, with which the folder shares its rendered page.
func rebuildPackages(src, text, page string) []*Package {
	p := &Package{Name: "site", Folder: true}
	p.Add("index.html", []byte("<p>index</p>"))
	p.Add("changing.txt", []byte(text))
	p.Files = append(p.Files, File{Path: "pages/one.html", Parts: []Part{
		{Same: "head", Render: func(w io.Writer) error { _, err := io.WriteString(w, "<head>"); return err }},
		{Same: "body", Render: func(w io.Writer) error {
			_, err := io.WriteString(w, strings.Repeat("<p>"+page+"</p>", 5000))
			return err
		}},
	}})
	p.AddFile("media/clip.mp4", src)
	return []*Package{p, {Name: "site.zip", Files: p.Files}}
}

// inodes records the files under root, by slash path.
func inodes(t *testing.T, root string) map[string]os.FileInfo {
	t.Helper()
	out := map[string]os.FileInfo{}
	for _, p := range []string{"index.html", "changing.txt", "pages/one.html", "media/clip.mp4"} {
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		out[p] = info
	}
	return out
}

// TestWriteAllFolderLinksUnchanged checks that a rebuild into the same
// folder links the files it finds unchanged (the same bytes, mode and
// time) instead of writing them, and writes every other: a change of
// content, of time, a file changed in place, a folder of the old one that
// is a symbolic link, an old folder that is one, and a link that fails.
func TestWriteAllFolderLinksUnchanged(t *testing.T) {
	srcDir := t.TempDir()
	src := filepath.Join(srcDir, "clip.mp4")
	writeLarge(t, src, 300<<10)
	later := ZipOptions{Modified: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		name    string
		opts    ZipOptions
		text    string
		page    string
		prepare func(t *testing.T, dir, target string)
		linked  []string // the files the rebuild links
	}{
		{"unchanged but one file", ZipOptions{}, "second", "one", nil, []string{"index.html", "pages/one.html", "media/clip.mp4"}},
		{"a page changed", ZipOptions{}, "first!", "two", nil, []string{"index.html", "changing.txt", "media/clip.mp4"}},
		{"another time", later, "first!", "one", nil, nil},
		{"changed in place", ZipOptions{}, "first!", "one", func(t *testing.T, dir, target string) {
			p := filepath.Join(target, "index.html")
			info, _ := os.Stat(p)
			if err := os.WriteFile(p, []byte("<p>INDEX</p>"), 0o644); err != nil {
				t.Fatal(err)
			}
			os.Chtimes(p, info.ModTime(), info.ModTime())
		}, []string{"changing.txt", "pages/one.html", "media/clip.mp4"}},
		{"a folder that is a link", ZipOptions{}, "first!", "one", func(t *testing.T, dir, target string) {
			elsewhere := filepath.Join(dir, "elsewhere")
			if err := os.Rename(filepath.Join(target, "media"), elsewhere); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(elsewhere, filepath.Join(target, "media")); err != nil {
				t.Fatal(err)
			}
		}, []string{"index.html", "changing.txt", "pages/one.html"}},
		{"an old folder that is a link", ZipOptions{}, "first!", "one", func(t *testing.T, dir, target string) {
			elsewhere := filepath.Join(dir, "elsewhere")
			if err := os.Rename(target, elsewhere); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(elsewhere, target); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"links failing", ZipOptions{}, "first!", "one", func(t *testing.T, dir, target string) {
			link = func(string, string) error { return errors.New("no links here") }
			t.Cleanup(func() { link = os.Link })
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "site")
			if _, err := WriteAll(dir, rebuildPackages(src, "first!", "one"), ZipOptions{}); err != nil {
				t.Fatal(err)
			}
			if tt.prepare != nil {
				tt.prepare(t, dir, target)
			}
			before := inodes(t, target)
			want := t.TempDir()
			if _, err := WriteAll(want, rebuildPackages(src, tt.text, tt.page), tt.opts); err != nil {
				t.Fatal(err)
			}
			if _, err := WriteAll(dir, rebuildPackages(src, tt.text, tt.page), tt.opts); err != nil {
				t.Fatal(err)
			}
			if got, want := readTree(t, target), readTree(t, filepath.Join(want, "site")); !reflect.DeepEqual(got, want) {
				t.Errorf("the rebuilt folder differs from one built afresh:\n%v\n%v", got, want)
			}
			after := inodes(t, target)
			var linked []string
			for p, info := range after {
				if os.SameFile(info, before[p]) {
					linked = append(linked, p)
				}
			}
			slices.Sort(linked)
			slices.Sort(tt.linked)
			if !slices.Equal(linked, tt.linked) {
				t.Errorf("linked %v, want %v", linked, tt.linked)
			}
			if info, err := os.Lstat(filepath.Join(dir, "elsewhere")); err == nil && info.IsDir() {
				// What the old folder's links pointed to is left as it was.
				if tree := readTree(t, filepath.Join(dir, "elsewhere")); len(tree) == 0 {
					t.Error("the folder a link pointed to is empty")
				}
			}
		})
	}
}
