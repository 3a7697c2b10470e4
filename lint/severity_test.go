package lint

import "testing"

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
