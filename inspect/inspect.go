// Package inspect reads an e-learning package (SCORM 1.2, SCORM 2004, xAPI
// with tincan.xml, or cmi5 with cmi5.xml), ours or another tool's, and
// reports what an LMS will see in it: format and version, identifiers,
// organisations and launchable units with their mastery and completion
// rules, files the manifest lists but the zip lacks (and the reverse),
// structural problems of the manifest, and an audit of the content.
//
// Reading is safe on hostile input: nothing is ever extracted to disk, entry
// names that would escape a folder (zip slip), symlinks and special files
// are refused, and decompression is bounded (see Options) so that a zip bomb
// fails fast. Such input comes back as a *HostileError; a zip that cannot be
// read at all (truncated, damaged, encrypted) as a *CorruptError. Problems of
// the package itself are not errors: they are listed in the Report.
//
// Diff compares two reports the way an LMS does when a new version of a
// package replaces an old one.
package inspect

import (
	"fmt"
	"io"
	"os"
)

// Default limits of Options.
const (
	DefaultMaxTotalSize = 2 << 30 // 2 GiB
	DefaultMaxFileSize  = 1 << 30 // 1 GiB
	DefaultMaxRatio     = 200
	DefaultRatioFloor   = 1 << 20 // 1 MiB
	DefaultMaxEntries   = 100_000
)

// maxManifestSize is the largest manifest (imsmanifest.xml, tincan.xml,
// cmi5.xml) that is parsed; real ones are a few kB to a few MB.
const maxManifestSize = 32 << 20

// maxAuditSize is the largest HTML, JavaScript or CSS file whose text is
// audited; larger ones are listed in Audit.NotAudited.
const maxAuditSize = 16 << 20

// Options bound the work of reading one package. A zero field takes its
// default.
type Options struct {
	// MaxTotalSize caps the bytes all entries may decompress to together,
	// counted as they are read (default DefaultMaxTotalSize).
	MaxTotalSize int64
	// MaxFileSize caps the bytes one entry may decompress to (default
	// DefaultMaxFileSize).
	MaxFileSize int64
	// MaxRatio caps how many times larger than its compressed data an
	// entry may grow (default DefaultMaxRatio) once it is larger than
	// RatioFloor.
	MaxRatio int64
	// RatioFloor is the size under which an entry's ratio is not checked
	// (default DefaultRatioFloor): small text files compress very well.
	RatioFloor int64
	// MaxEntries caps the number of entries (default DefaultMaxEntries).
	MaxEntries int
}

func (o Options) withDefaults() Options {
	if o.MaxTotalSize <= 0 {
		o.MaxTotalSize = DefaultMaxTotalSize
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
	if o.RatioFloor <= 0 {
		o.RatioFloor = DefaultRatioFloor
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	return o
}

// Read inspects the package zip at path. It returns a *HostileError for a
// zip built to harm whoever unpacks it, a *CorruptError for one that cannot
// be read, and other errors (such as a missing file) as they come.
func Read(path string, opts Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder; inspect reads a package zip", path)
	}
	return ReadFrom(f, fi.Size(), path, opts)
}

// ReadFrom inspects the package zip held by r, size bytes long; name is
// how reports and errors call it.
func ReadFrom(r io.ReaderAt, size int64, name string, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	a, err := openArchive(r, size, name, opts)
	if err != nil {
		return nil, err
	}
	rep := newReport(name)
	au := newAuditor()
	manifests := map[string][]byte{}
	err = a.readAll(func(e *entry, data []byte) {
		switch {
		case isManifestName(e.name):
			if data == nil {
				manifests[e.name] = nil // too large to parse
			} else {
				manifests[e.name] = data
			}
		case auditable(e.name):
			if data == nil {
				rep.Audit.NotAudited = append(rep.Audit.NotAudited, e.name)
			} else {
				au.scan(e.name, data)
			}
		}
	}, func(e *entry) int64 {
		switch {
		case isManifestName(e.name):
			return maxManifestSize
		case auditable(e.name):
			return maxAuditSize
		}
		return 0
	})
	if err != nil {
		return nil, err
	}
	rep.setFiles(a.entries)
	rep.checkCaseCollisions()
	au.finish(&rep.Audit)
	inspectManifest(rep, a, manifests)
	rep.sortProblems()
	return rep, nil
}
