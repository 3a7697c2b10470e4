// Package bytesize writes and reads byte counts the way people do, in
// decimal units (1 kB = 1,000 bytes): "980 bytes", "12.4 kB", "50 MB".
package bytesize

import (
	"fmt"
	"strconv"
	"strings"
)

// Format writes n with one decimal in the largest unit it reaches (kB, MB,
// GB, TB), without a trailing ".0": 1 byte, 999 bytes, 1 kB, 1.5 kB, 73.4 MB.
func Format(n int64) string {
	const units = "kMGT"
	if n < 1000 {
		if n == 1 {
			return "1 byte"
		}
		return strconv.FormatInt(n, 10) + " bytes"
	}
	f, exp := float64(n)/1000, 0
	for f >= 999.95 && exp < len(units)-1 {
		f /= 1000
		exp++
	}
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0") + " " + units[exp:exp+1] + "B"
}

// Parse reads a size such as "50MB", "1.5 GB", "500kB" or "2000" (bytes).
// Units are decimal and may be written in any case, with or without a
// space and a final B; the size must be at least one byte.
func Parse(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	unit := int64(1)
	for _, u := range []struct {
		suffix string
		scale  int64
	}{{"GB", 1e9}, {"G", 1e9}, {"MB", 1e6}, {"M", 1e6}, {"KB", 1e3}, {"K", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, unit = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.scale
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	n := f * float64(unit)
	if err != nil || strings.ContainsAny(t, "EXPN_") || n < 1 || n >= 1<<62 {
		return 0, fmt.Errorf("%q is not a size; write one such as 50MB, 500kB or 1.5GB", s)
	}
	return int64(n), nil
}
