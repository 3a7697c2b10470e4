// Package dist writes packages: deterministic zip files (or folders) built
// from an explicit list of files, streamed, and written atomically so that a
// failed build leaves nothing half-written.
package dist

// File is one file of a package.
type File struct {
	// Path is the file's path inside the package, with forward slashes.
	Path string
	// Data is the file's content when it is made in memory.
	Data []byte
	// Source is the absolute path of a file on disk whose content is
	// streamed into the package; used when Data is nil.
	Source string
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

// AddFile appends a file streamed from disk.
func (p *Package) AddFile(path, source string) {
	p.Files = append(p.Files, File{Path: path, Source: source})
}
