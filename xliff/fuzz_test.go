package xliff

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// FuzzParse reads the input as an XLIFF file, as `coursepack translate
// import` reads one back from a translator: Parse must not panic or hang,
// its problems must be *Error values, and a document it accepts must
// survive Marshal and Parse again unchanged. Seeds are in
// testdata/fuzz/FuzzParse/.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		start := time.Now()
		d, err := Parse(data)
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("Parse took %v", took)
		}
		if err != nil {
			if d != nil {
				t.Error("Parse returned a document and an error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("Parse error %v (%T) holds no *Error", err, err)
			}
			return
		}
		out := d.Marshal()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse of Marshal's output: %v\n%s", err, out)
		}
		if !bytes.Equal(again.Marshal(), out) {
			t.Errorf("Marshal, Parse, Marshal changes the document:\n%s\n---\n%s", out, again.Marshal())
		}
	})
}
