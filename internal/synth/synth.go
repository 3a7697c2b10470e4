// Package synth writes synthetic courses for benchmarks: a course folder in
// coursepack's format (docs/authoring.md) with as many modules and pages as
// asked, knowledge checks and reflections in every module, pictures and
// videos referenced from the Markdown, and pseudo-random media bytes. The
// same Spec (seed included) always gives the same files, byte for byte.
//
// The courses are for measuring, not for reading: the text is made of words
// drawn from a fixed list, and the media files have a short header of the
// kind their extension names followed by incompressible bytes that nothing
// decodes.
package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Spec describes a synthetic course.
type Spec struct {
	// Name is the course's name, used in its id and title.
	Name string
	// Modules and Pages are the number of modules and of pages per module.
	Modules, Pages int
	// Words is the approximate number of words of prose per page.
	Words int
	// ImageBytes is the size of each module's two pictures (a .jpg and a
	// .png); 0 means no pictures.
	ImageBytes int
	// VideoEvery puts a video (.mp4, with its .vtt captions) in every
	// VideoEvery-th module, starting with the first; 0 means no videos.
	VideoEvery int
	// VideoBytes is the size of each video.
	VideoBytes int
	// Seed makes the text and the media bytes.
	Seed uint64
}

// The presets: Small is the size of the example course, Medium a long
// course, Large a very long one with about 200 MB of media.
var (
	Small  = Spec{Name: "small", Modules: 6, Pages: 8, Words: 450, ImageBytes: 16 << 10, VideoEvery: 6, VideoBytes: 256 << 10, Seed: 1}
	Medium = Spec{Name: "medium", Modules: 60, Pages: 20, Words: 450, ImageBytes: 16 << 10, VideoEvery: 10, VideoBytes: 256 << 10, Seed: 2}
	Large  = Spec{Name: "large", Modules: 600, Pages: 20, Words: 450, ImageBytes: 48 << 10, VideoEvery: 5, VideoBytes: 1200 << 10, Seed: 3}
)

// Presets lists the presets by name.
func Presets() map[string]Spec {
	return map[string]Spec{"small": Small, "medium": Medium, "large": Large}
}

// Stats says what Generate wrote.
type Stats struct {
	Files      int
	TextBytes  int64 // course.yaml and the module files
	MediaBytes int64 // pictures, videos and captions
}

// reflectionMax caps every reflection, so that a module's learner state
// fits SCORM 1.2's 4,096 characters (only the module holding the action
// plan goes over).
const reflectionMax = 300

// Generate writes the course s describes into dir, which must not exist or
// be empty.
func Generate(dir string, s Spec) (Stats, error) {
	if s.Modules < 1 || s.Pages < 3 {
		return Stats{}, errors.New("synth: a course needs at least 1 module of 3 pages")
	}
	if s.Name == "" {
		s.Name = "synthetic"
	}
	if err := checkEmpty(dir); err != nil {
		return Stats{}, err
	}
	g := &gen{dir: dir, s: s}
	for _, sub := range []string{"modules", "media"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return Stats{}, fmt.Errorf("synth: %w", err)
		}
	}
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "id: https://synth.example/courses/%s\n", slugName(s.Name))
	fmt.Fprintf(&yaml, "title: Synthetic course (%s)\n", s.Name)
	fmt.Fprintf(&yaml, "description: A generated course of %d modules of %d pages, for benchmarks.\n", s.Modules, s.Pages)
	yaml.WriteString("language: en-GB\nversion: \"1.0.0\"\npublisher: coursepack benchmarks\n")
	yaml.WriteString("completion: pages-and-passed\nmastery_score: 80\n")
	yaml.WriteString("theme:\n  colours:\n    primary: \"#1d4f91\"\nmodules:\n")
	for m := 0; m < s.Modules; m++ {
		fmt.Fprintf(&yaml, "  - modules/%s.md\n", moduleFile(m))
	}
	if err := g.writeText("course.yaml", yaml.String()); err != nil {
		return Stats{}, err
	}
	for m := 0; m < s.Modules; m++ {
		if err := g.module(m); err != nil {
			return Stats{}, err
		}
	}
	return g.stats, nil
}

// checkEmpty reports an error unless dir is missing or an empty folder.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("synth: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("synth: %s is not empty", dir)
	}
	return nil
}

type gen struct {
	dir   string
	s     Spec
	stats Stats
}

func moduleID(m int) string   { return fmt.Sprintf("m%03d", m+1) }
func moduleFile(m int) string { return fmt.Sprintf("%03d-module", m+1) }

func slugName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func (g *gen) writeText(rel, text string) error {
	if err := os.WriteFile(filepath.Join(g.dir, filepath.FromSlash(rel)), []byte(text), 0o644); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	g.stats.Files++
	g.stats.TextBytes += int64(len(text))
	return nil
}

// module writes module m's Markdown file and media. Each module has its own
// random source, derived from the seed and m.
func (g *gen) module(m int) error {
	s := g.s
	r := rand.New(rand.NewPCG(s.Seed, uint64(m)+1))
	id := moduleID(m)
	w := &writer{r: r}

	var media []mediaFile
	image, photo, video := "", "", ""
	if s.ImageBytes > 0 {
		photo, image = id+"-photo.jpg", id+"-diagram.png"
		media = append(media, mediaFile{photo, jpegHeader, s.ImageBytes}, mediaFile{image, pngHeader, s.ImageBytes / 2})
	}
	if s.VideoEvery > 0 && s.VideoBytes > 0 && m%s.VideoEvery == 0 {
		video = id + "-talk.mp4"
		media = append(media, mediaFile{video, mp4Header, s.VideoBytes})
	}

	// Front matter.
	title := w.title(3)
	fmt.Fprintf(&w.b, "---\nid: %s\ntitle: %s %d\nduration: %dm\nobjectives:\n", id, title, m+1, 30+r.IntN(60))
	for range 3 {
		fmt.Fprintf(&w.b, "  - %s\n", w.sentence())
	}
	w.b.WriteString("---\n")

	// Which pages hold what: the questions on the last page but one, the
	// reflections on the second page and the last, the media spread out.
	last := s.Pages - 1
	check := s.Pages - 2
	for p := 0; p < s.Pages; p++ {
		if p > 0 {
			w.b.WriteString("\n+++\n\n")
		}
		switch p {
		case 0:
			fmt.Fprintf(&w.b, "## Welcome to module %d\n\n", m+1)
		case check:
			w.b.WriteString("## Check your knowledge\n\n")
		case last:
			w.b.WriteString("## Looking back\n\n")
		default:
			fmt.Fprintf(&w.b, "## %s\n\n", w.title(2+r.IntN(4)))
		}
		switch p {
		case check:
			w.questions(id)
			continue
		case last:
			w.prose(s.Words / 3)
			w.reflection(id+"-r2", "What will you do differently after this module?")
			if m == s.Modules-1 {
				w.b.WriteString("::: action-plan\nGather your reflections into a plan of what you will do next.\n:::\n")
			}
			if m+1 < s.Modules {
				fmt.Fprintf(&w.b, "\nWhen you are ready, go on to [the next module](%s.md).\n", moduleFile(m+1))
			}
			continue
		}
		w.page(s.Words, p)
		switch {
		case p == 1:
			w.reflection(id+"-r1", "Think of a time this mattered in your own work. What happened?")
		case p == 2 && photo != "":
			fmt.Fprintf(&w.b, "![A photograph: %s](../media/%s)\n\n", w.title(3), photo)
		case p == 3 && image != "":
			fmt.Fprintf(&w.b, "![A diagram of %s](../media/%s \"%s\")\n\n", w.title(2), image, w.title(2))
		case p == 4 && video != "":
			fmt.Fprintf(&w.b, "::: video src=../media/%s captions=../media/%s\n%s\n:::\n\n", video, strings.TrimSuffix(video, ".mp4")+".vtt", w.sentence())
		}
	}
	if err := g.writeText("modules/"+moduleFile(m)+".md", w.b.String()); err != nil {
		return err
	}
	for _, f := range media {
		if err := g.writeMedia(f, s.Seed, m); err != nil {
			return err
		}
		if strings.HasSuffix(f.name, ".mp4") {
			vtt := "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n" + w.sentence() + "\n\n00:00:04.000 --> 00:00:09.000\n" + w.sentence() + "\n"
			if err := g.writeText("media/"+strings.TrimSuffix(f.name, ".mp4")+".vtt", vtt); err != nil {
				return err
			}
			g.stats.TextBytes -= int64(len(vtt))
			g.stats.MediaBytes += int64(len(vtt))
		}
	}
	return nil
}

// mediaFile is a media file to write: header then random bytes, size bytes
// in all.
type mediaFile struct {
	name   string
	header []byte
	size   int
}

// Headers that make the files look like what their names say to tools that
// sniff the first bytes; nothing decodes them.
var (
	jpegHeader = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}
	pngHeader  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D', 'R', 0x00, 0x00, 0x02, 0x80, 0x00, 0x00, 0x01, 0xE0, 0x08, 0x02, 0x00, 0x00, 0x00}
	mp4Header  = []byte{0x00, 0x00, 0x00, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0x00, 0x00, 0x02, 0x00, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'}
)

// writeMedia writes f with bytes from a ChaCha8 stream keyed by the seed,
// the module and the file's name.
func (g *gen) writeMedia(f mediaFile, seed uint64, m int) error {
	var key [32]byte
	copy(key[:], fmt.Sprintf("%016x%08x%s", seed, m, f.name))
	src := rand.NewChaCha8(key)
	out, err := os.Create(filepath.Join(g.dir, "media", f.name))
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	n := max(f.size, len(f.header))
	_, err = bw.Write(f.header)
	if err == nil {
		_, err = io.CopyN(bw, src, int64(n-len(f.header)))
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	g.stats.Files++
	g.stats.MediaBytes += int64(n)
	return nil
}
