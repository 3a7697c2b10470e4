package iri

import "testing"

func TestScheme(t *testing.T) {
	for _, c := range []string{"https://example.org/courses/leading-well", "https://example.org/courses/leading-well/"} {
		for _, tt := range []struct{ got, want string }{
			{Base(c), "https://example.org/courses/leading-well"},
			{Module(c, "purpose"), "https://example.org/courses/leading-well/purpose"},
			{Question(c, "purpose", "q1"), "https://example.org/courses/leading-well/purpose/q1"},
			{Page(c, "purpose", "welcome"), "https://example.org/courses/leading-well/purpose/_page/welcome"},
			{AllModules(c), "https://example.org/courses/leading-well/_all"},
			{SplitCourse(c, "purpose"), "https://example.org/courses/leading-well/_split/purpose"},
		} {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		}
	}
	if got := Base("urn:x:course"); got != "urn:x:course" {
		t.Errorf("Base(urn) = %q", got)
	}
}
