// Command cmd writes a synthetic course for benchmarks (see package synth):
//
//	go run ./internal/synth/cmd -size medium -out build/perf/medium
//
// The folder must not exist or be empty. Sizes: small (6 modules of 8
// pages, like the example), medium (60 of 20) and large (600 of 20 with
// about 200 MB of media).
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/coursepack/coursepack/internal/synth"
)

func main() {
	size := flag.String("size", "small", "preset: small, medium or large")
	out := flag.String("out", "", "folder to write the course into (required)")
	seed := flag.Uint64("seed", 0, "seed of the text and media (0: the preset's)")
	modules := flag.Int("modules", 0, "number of modules (0: the preset's)")
	pages := flag.Int("pages", 0, "pages per module (0: the preset's)")
	flag.Parse()
	presets := synth.Presets()
	spec, ok := presets[*size]
	if !ok || *out == "" || flag.NArg() > 0 {
		var names []string
		for n := range presets {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: cmd -size %s -out DIR [-seed N] [-modules N] [-pages N]\n", strings.Join(names, "|"))
		os.Exit(2)
	}
	if *seed != 0 {
		spec.Seed = *seed
	}
	if *modules > 0 {
		spec.Modules = *modules
	}
	if *pages > 0 {
		spec.Pages = *pages
	}
	st, err := synth.Generate(*out, spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d modules x %d pages, %d files, %.1f MB text, %.1f MB media\n",
		*out, spec.Modules, spec.Pages, st.Files, float64(st.TextBytes)/1e6, float64(st.MediaBytes)/1e6)
}
