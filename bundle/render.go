package bundle

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/i18n"
	"github.com/coursepack/coursepack/templates"
)

// renderPages renders the page of each unit for runtime rt with the player
// set, several units at once, and returns them in unit order, held in
// memory (see dist.Hold); on failure, the error of the first unit that
// failed.
func renderPages(set *templates.Set, c *course.Course, units []Unit, rt string, text i18n.Strings) ([]dist.File, error) {
	pages := pageRenderers(set, c, units, rt, text)
	errs := make([]error, len(units))
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(units)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(units) {
					return
				}
				pages[i], errs[i] = dist.Hold(pages[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("rendering %w", err)
		}
	}
	return pages, nil
}

// pageRenderers returns the page of each unit for runtime rt, in unit
// order, each to be rendered as it is written: what renderPages would
// render, without holding it.
func pageRenderers(set *templates.Set, c *course.Course, units []Unit, rt string, text i18n.Strings) []dist.File {
	pages := make([]dist.File, len(units))
	for i, u := range units {
		pages[i] = dist.File{Path: u.Href, Parts: set.PageParts(pageView(c, units, i, rt, text))}
	}
	return pages
}

// pageView is the view of the page of units[i].
func pageView(c *course.Course, units []Unit, i int, rt string, text i18n.Strings) templates.View {
	view := templates.View{Course: c, Modules: units[i].Modules, Runtime: rt, Strings: text}
	if i+1 < len(units) {
		view.Next = units[i+1].Title
	}
	return view
}
