//go:build !race

package course

// raceEnabled is true when the tests run under the race detector.
const raceEnabled = false
