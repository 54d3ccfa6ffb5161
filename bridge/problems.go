package bridge

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Problem is something wrong with the installation that lasts until it is
// fixed (unlike an alert, which is an event): a push listener left open
// without authentication, a damaged database, orders of a store this PC
// does not serve. The console shows every open problem in its status bar.
type Problem struct {
	Key     string
	Level   string // warn | critical
	Title   string // a few words for the status bar
	Message string // what is wrong and what to do
	Since   time.Time
}

type problemSet struct {
	mu sync.Mutex
	m  map[string]Problem
}

// RaiseProblem records (or rewords) an open problem; the first time it is
// raised it is also announced as an alert.
func (b *Bridge) RaiseProblem(key, level, title, message string) {
	b.problems.mu.Lock()
	if b.problems.m == nil {
		b.problems.m = map[string]Problem{}
	}
	old, had := b.problems.m[key]
	p := Problem{Key: key, Level: level, Title: title, Message: message, Since: b.now()}
	if had {
		p.Since = old.Since
	}
	b.problems.m[key] = p
	b.problems.mu.Unlock()
	if !had || old.Message != message {
		b.bus.Publish(Event{Type: EvAlert, Kind: "problem", Level: level, Message: message, Data: map[string]string{"key": key}})
	}
}

// ClearProblem closes a problem (fixed, or no longer true).
func (b *Bridge) ClearProblem(key string) {
	b.problems.mu.Lock()
	defer b.problems.mu.Unlock()
	delete(b.problems.m, key)
}

// Problems lists the open problems, critical first, oldest first.
func (b *Bridge) Problems() []Problem {
	b.problems.mu.Lock()
	defer b.problems.mu.Unlock()
	out := make([]Problem, 0, len(b.problems.m))
	for _, p := range b.problems.m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, c Problem) int {
		if a.Level != c.Level {
			return strings.Compare(levelOrder(a.Level), levelOrder(c.Level))
		}
		return a.Since.Compare(c.Since)
	})
	return out
}

func levelOrder(l string) string {
	if l == LevelCritical {
		return "0"
	}
	return "1"
}
