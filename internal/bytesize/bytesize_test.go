package bytesize

import "testing"

func TestParse(t *testing.T) {
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
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "MB", "fifty", "-5MB", "0", "0.5B", "1e6", "0x10", "Inf", "NaN", "5TB", "1_000", "99999999999GB"} {
		if n, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", bad, n)
		}
	}
	if _, err := Parse("lots"); err == nil || err.Error() != `"lots" is not a size; write one such as 50MB, 500kB or 1.5GB` {
		t.Errorf("error = %v", err)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 byte"}, {999, "999 bytes"}, {1000, "1 kB"}, {1500, "1.5 kB"}, {92_400, "92.4 kB"},
		{999_949, "999.9 kB"}, {999_950, "1 MB"}, {3_100_000, "3.1 MB"},
		{50_000_000, "50 MB"}, {73_440_000, "73.4 MB"}, {100_000_000, "100 MB"}, {2_260_000_000, "2.3 GB"},
		{5_000_000_000_000, "5 TB"}, {7_000_000_000_000_000, "7000 TB"},
	}
	for _, tt := range tests {
		if got := Format(tt.n); got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
