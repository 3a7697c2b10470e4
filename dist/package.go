// Package dist writes packages: deterministic zip files (or folders) built
// from an explicit list of files, streamed, and written atomically so that a
// failed build leaves nothing half-written.
package dist

import (
	"bytes"
	"io"
)

// File is one file of a package.
type File struct {
	// Path is the file's path inside the package, with forward slashes.
	Path string
	// Data is the file's content when it is made in memory.
	Data []byte
	// Source is the absolute path of a file on disk whose content is
	// streamed into the package; used when Data and Parts are nil.
	Source string
	// Parts, when set, make the file's content as the file is written,
	// each part's bytes one after the other, so that a package need not
	// hold every file it makes in memory at once (rendered pages, say). A
	// file rendered whole is one part. Each part is deflated on its own,
	// so that the parts several packages share are made once (see
	// parts.go). An error of a part stops the writing of the package. Data
	// may hold the same bytes whole (see Hold); the file is written from
	// its parts.
	Parts []Part
}

// rendered reports whether f's content is made by its parts.
func (f File) rendered() bool { return len(f.Parts) > 0 }

// render makes f's content with its parts into a pooled buffer, which the
// caller gives back with putBuf.
func (f File) render() (*bytes.Buffer, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	for _, p := range f.Parts {
		if err := p.Render(buf); err != nil {
			putBuf(buf)
			return nil, err
		}
	}
	return buf, nil
}

// Package is a named set of files that becomes one zip or one folder.
type Package struct {
	// Name is the zip's file name, such as "leadership-scorm12.zip", or
	// the folder's.
	Name  string
	Files []File
	// Folder makes WriteAll write the package as the folder <Name>, with
	// the files at their paths inside it, instead of as a zip. To have
	// both, pass two packages with the same Files and different names.
	Folder bool
}

// Add appends a file made in memory.
func (p *Package) Add(path string, data []byte) {
	p.Files = append(p.Files, File{Path: path, Data: data})
}

// AddRendered appends a file made by render when it is written: one part.
func (p *Package) AddRendered(path string, render func(w io.Writer) error) {
	p.Files = append(p.Files, File{Path: path, Parts: []Part{{Render: render}}})
}

// AddFile appends a file streamed from disk.
func (p *Package) AddFile(path, source string) {
	p.Files = append(p.Files, File{Path: path, Source: source})
}
