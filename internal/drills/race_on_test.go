//go:build race

package drills

// raceEnabled: the child daemon is built with the race detector too.
const raceEnabled = true
