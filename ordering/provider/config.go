package provider

import (
	"strings"
)

// FieldError is one problem with one configuration key. Key is relative to
// the provider's section ("app_id"); the config loader prefixes it with
// where the section sits ("ordering.wechat.", "ordering.restaurants[0].payment.qf.").
type FieldError struct {
	Key     string
	Problem string
}

func (f FieldError) Error() string { return f.Key + ": " + f.Problem }

// ConfigError lists every problem of one section, so an installer fixes them
// in one round.
type ConfigError struct {
	Section  string // "wechat", "qf", …
	Problems []FieldError
}

func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = e.Section + "." + p.Error()
	}
	return strings.Join(parts, "; ")
}

// Problems collects FieldErrors while a Validate method runs.
type Problems struct {
	Section string
	list    []FieldError
}

// Add records a problem with key.
func (p *Problems) Add(key, problem string) {
	p.list = append(p.list, FieldError{Key: key, Problem: problem})
}

// Required records key as missing when value is blank.
func (p *Problems) Required(key, value, what string) {
	if strings.TrimSpace(value) == "" {
		p.Add(key, "is empty: "+what)
	}
}

// Err is nil without problems, else a *ConfigError.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ConfigError{Section: p.Section, Problems: append([]FieldError(nil), p.list...)}
}
