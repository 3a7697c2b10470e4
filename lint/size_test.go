package lint

import "testing"

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"50MB", 50_000_000},
		{"50 mb", 50_000_000},
		{"1.5GB", 1_500_000_000},
		{"500kB", 500_000},
		{"500K", 500_000},
		{"2M", 2_000_000},
		{"2000", 2000},
		{"7B", 7},
		{" 1 GB ", 1_000_000_000},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "MB", "fifty", "-5MB", "0", "0.5B", "1e6", "0x10", "Inf", "NaN", "5TB", "1_000", "99999999999GB"} {
		if n, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", bad, n)
		}
	}
	if _, err := ParseSize("lots"); err == nil || err.Error() != `"lots" is not a size; write one such as 50MB, 500kB or 1.5GB` {
		t.Errorf("error = %v", err)
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 byte"}, {999, "999 bytes"}, {1000, "1 kB"}, {1500, "1.5 kB"},
		{50_000_000, "50 MB"}, {73_440_000, "73.4 MB"}, {100_000_000, "100 MB"}, {2_260_000_000, "2.3 GB"},
	}
	for _, tt := range tests {
		if got := Size(tt.n); got != tt.want {
			t.Errorf("Size(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestSeverity(t *testing.T) {
	for s, want := range map[Severity]string{Info: "info", Warning: "warning", Error: "error"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), want)
		}
	}
	if !(Error > Warning && Warning > Info) {
		t.Error("severities are not ordered least first")
	}
}
