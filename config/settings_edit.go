package config

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Editor changes the settings layer safely: an edit is merged, loaded and
// validated as the daemon would load it, and written only when it brings
// no new error. One edit at a time.
type Editor struct {
	// Load loads the configuration as the daemon did, with settings standing
	// in for the layer on disk; nil means Reload of the current configuration.
	Load func(settings []byte) (*Config, error)

	mu sync.Mutex
}

// Edit is one key of the layer and its new value (nil removes the key).
type Edit struct {
	Key   string
	Value any
}

// EditError is an edit refused, with the problems it would bring.
type EditError struct{ Problems []Problem }

func (e *EditError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "设置未保存：" + strings.Join(lines, "；")
}

// Apply writes the edits into current's layer and returns the configuration
// they make. An edit whose result does not load, or has an error the
// current configuration does not have, is refused and nothing is written.
func (e *Editor) Apply(current *Config, edits ...Edit) (*Config, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ed := range edits {
		if containsFold(unlayeredKeys, strings.Split(ed.Key, ".")[0]) {
			return nil, fmt.Errorf("%s is read from the config file only", ed.Key)
		}
	}
	s, err := OpenSettings(SettingsPath(current.DataDir))
	if err != nil {
		return nil, err
	}
	for _, ed := range edits {
		if err := s.Set(ed.Key, ed.Value); err != nil {
			return nil, err
		}
	}
	data, err := s.Bytes()
	if err != nil {
		return nil, err
	}
	load := e.Load
	if load == nil {
		load = func(b []byte) (*Config, error) { return Reload(current, b) }
	}
	next, err := load(data)
	if err != nil {
		return nil, &EditError{Problems: []Problem{{Key: "settings", Message: err.Error()}}}
	}
	if added := NewErrors(current.Validate(), next.Validate()); len(added) > 0 {
		return nil, &EditError{Problems: added}
	}
	if err := WriteSettings(s.Path, data); err != nil {
		return nil, err
	}
	next.Settings = s.Path
	return next, nil
}

// NewErrors are the errors of after that before did not have (by key and
// message): an edit is judged by what it breaks, not by what was already
// wrong in the installer's file.
func NewErrors(before, after []Problem) []Problem {
	var out []Problem
	for _, p := range Errors(after) {
		if !slices.ContainsFunc(before, func(q Problem) bool { return !q.Warning && q.Key == p.Key && q.Message == p.Message }) {
			out = append(out, p)
		}
	}
	return out
}
