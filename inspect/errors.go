package inspect

import (
	"errors"
	"fmt"
)

// ErrHostile and ErrCorrupt match, with errors.Is, every *HostileError and
// every *CorruptError.
var (
	ErrHostile = errors.New("hostile zip")
	ErrCorrupt = errors.New("unreadable zip")
)

// The reasons of a HostileError. They are stable: tools may match them.
const (
	// An entry name with a ".." segment: unpacked, it lands outside the
	// target folder (zip slip).
	ReasonZipSlip = "zip_slip"
	// An entry name starting with "/" or a drive letter such as "C:".
	ReasonAbsolutePath = "absolute_path"
	// An entry name with a backslash, which Windows tools take as a folder
	// separator (so `..\x` climbs out) and others as part of a name.
	ReasonBackslash = "backslash"
	// An empty entry name, or one with control characters.
	ReasonBadName = "bad_name"
	// An entry whose mode is a symbolic link: unpacked, later entries can
	// be written through it anywhere.
	ReasonSymlink = "symlink"
	// An entry whose mode is a device, pipe or socket.
	ReasonSpecialFile = "special_file"
	// Two entries with the same name: unzip tools disagree on which wins.
	ReasonDuplicate = "duplicate_entry"
	// More entries than Options.MaxEntries.
	ReasonTooManyEntries = "too_many_entries"
	// An entry larger than Options.MaxFileSize.
	ReasonTooLarge = "entry_too_large"
	// An entry that grows more than Options.MaxRatio times its compressed
	// size.
	ReasonRatio = "compression_ratio"
	// Entries that together exceed Options.MaxTotalSize.
	ReasonTotalSize = "total_size"
	// An entry that decompresses to more bytes than its header declares.
	ReasonSizeMismatch = "size_mismatch"
	// Entries whose compressed data overlap, the trick of zip bombs that
	// reuse one compressed block many times.
	ReasonOverlap = "overlapping_entries"
)

// HostileError reports a zip built (or broken) so that unpacking it would
// harm the machine: files written outside their folder, through symlinks,
// or decompression without end. Nothing of such a zip is extracted.
type HostileError struct {
	// Zip is the package as named to Read.
	Zip string
	// Entry is the offending entry's name; empty when the archive as a
	// whole is at fault.
	Entry string
	// Reason is one of the Reason constants.
	Reason string
	// Detail says what is wrong, for a person.
	Detail string
}

func (e *HostileError) Error() string {
	where := ""
	if e.Entry != "" {
		where = fmt.Sprintf(" entry %q", e.Entry)
	}
	return fmt.Sprintf("%s: refusing a hostile zip:%s %s; nothing was extracted", e.Zip, where, e.Detail)
}

// Is makes errors.Is(err, ErrHostile) true.
func (e *HostileError) Is(target error) bool { return target == ErrHostile }

// CorruptError reports a zip that cannot be read: not a zip at all,
// truncated, damaged data, encrypted entries or an unknown compression
// method.
type CorruptError struct {
	// Zip is the package as named to Read.
	Zip string
	// Entry is the entry that could not be read; empty when the archive as
	// a whole is at fault.
	Entry string
	// Detail says what is wrong, for a person.
	Detail string
	// Err is the underlying error, if any.
	Err error
}

func (e *CorruptError) Error() string {
	where := ""
	if e.Entry != "" {
		where = fmt.Sprintf(" entry %q", e.Entry)
	}
	return fmt.Sprintf("%s: unreadable zip:%s %s", e.Zip, where, e.Detail)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }
