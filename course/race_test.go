//go:build race

package course

// raceEnabled is true when the tests run under the race detector, which
// makes code several times slower: time budgets are scaled, not skipped.
const raceEnabled = true
