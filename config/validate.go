package config

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Problem is one thing wrong with the configuration, in words an installer
// can act on.
type Problem struct {
	Key     string // "printers[1].connection"
	Message string // one line: what is wrong and what to do
	Warning bool   // worth fixing, but the daemon can run
	Source  string // where the value came from: "line 12", "POSBRIDGE_CONSOLE_PIN", "" for a default
	// StillStarts marks an error that `config check` and doctor report as
	// one, while the daemon starts anyway with the feature that is wrong
	// turned off (an upgraded store keeps taking orders).
	StillStarts bool
}

// String is "key: message (line 12)", with "warning: " before the message for warnings.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Key)
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	if p.Source != "" {
		b.WriteString(" (" + p.Source + ")")
	}
	return b.String()
}

// Errors returns the problems that must be fixed before the daemon runs.
func Errors(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// ValidationError carries the problems that stop the daemon from starting.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "config has problems:\n  " + strings.Join(lines, "\n  ")
}

// Check returns a *ValidationError listing the errors of Validate that keep
// the daemon from starting, or nil when only warnings and errors the daemon
// starts with (StillStarts) remain.
func (c *Config) Check() error {
	var errs []Problem
	for _, p := range Errors(c.Validate()) {
		if !p.StillStarts {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return &ValidationError{Problems: errs}
	}
	return nil
}

// Validate checks every key and returns every problem, errors and warnings,
// including those found while loading the file. It reads the key and
// certificate files it names but never reaches the network.
func (c *Config) Validate() []Problem {
	v := &validator{c: c, problems: slices.Clone(c.loadProblems), stores: map[string]bool{}}
	for _, s := range c.Stores {
		v.stores[strings.TrimSpace(s.ID)] = true
	}
	v.durations()
	v.general()
	v.console()
	v.push()
	v.platform()
	v.poll()
	v.storeList()
	v.accept()
	v.print()
	v.printers()
	v.layouts()
	v.stations()
	v.scanner()
	v.ordering()
	v.members()
	v.customers()
	v.timings()
	v.secretFiles()
	v.wechatPay()
	v.webhooks()
	return v.problems
}

type validator struct {
	c        *Config
	problems []Problem
	stores   map[string]bool // configured store ids
}

func (v *validator) add(warning bool, key, format string, args ...any) {
	v.addFrom(warning, key, key, format, args...)
}

// addFrom reports a problem of key caused by the value of sourceKey, and
// points at where that value was set, or else at the section or list entry
// that lacks it.
func (v *validator) addFrom(warning bool, key, sourceKey, format string, args ...any) {
	v.problems = append(v.problems, Problem{
		Key: key, Message: fmt.Sprintf(format, args...), Warning: warning, Source: v.source(sourceKey),
	})
}

func (v *validator) source(key string) string {
	for key != "" {
		if s, ok := v.c.sources[key]; ok {
			return s
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return ""
}

func (v *validator) err(key, format string, args ...any)  { v.add(false, key, format, args...) }
func (v *validator) warn(key, format string, args ...any) { v.add(true, key, format, args...) }

// enum checks that val is one of allowed.
func (v *validator) enum(key, val string, allowed ...string) {
	if val == "" {
		v.err(key, "is missing: write %s", orList(allowed))
	} else if !slices.Contains(allowed, val) {
		v.err(key, "must be %s, not %q", orList(allowed), val)
	}
}

func orList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// positive checks a duration that must be more than zero (negative ones are
// reported by durations).
func (v *validator) positive(key string, d time.Duration) {
	if d == 0 {
		v.err(key, "must be more than 0, like 10s or 5m")
	}
}

// durations rejects negative values of every duration key at once.
func (v *validator) durations() {
	cv := reflect.ValueOf(v.c).Elem()
	for _, l := range scalarLeaves() {
		if l.typ != durationType {
			continue
		}
		if d := time.Duration(cv.FieldByIndex(l.index).Int()); d < 0 {
			v.err(l.key, "must not be negative (%s)", d)
		}
	}
}

func (v *validator) general() {
	c := v.c
	if strings.TrimSpace(c.DataDir) == "" {
		v.err("data_dir", "must be set: the folder for the database, like ./data")
	}
	v.enum("log.level", c.Log.Level, "debug", "info", "warn", "error")
	if c.Log.MaxSizeM < 1 {
		v.err("log.max_size_mb", "must be at least 1 (megabytes before the log file is rotated)")
	}
	if c.Log.MaxFiles < 1 {
		v.err("log.max_files", "must be at least 1 (rotated log files kept)")
	}
	if c.Retention.Days < 1 {
		v.err("retention.days", "must be at least 1 (days of orders kept in the database)")
	}
	if c.Backup.Keep < 1 {
		v.err("backup.keep", "must be at least 1 (nightly copies of the database kept)")
	}
	if !serviceNameRE.MatchString(c.Service.Name) {
		v.err("service.name", "%q must be letters, digits, '-', '_' or '.', like posbridge", c.Service.Name)
	}
}

var serviceNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$`)

// timings checks the retry and alert durations of the outbox, alerts and push.
func (v *validator) timings() {
	o := v.c.Outbox
	v.positive("outbox.retry_min", o.RetryMin)
	v.positive("outbox.alert_after", o.AlertAfter)
	if o.RetryMax < o.RetryMin {
		v.err("outbox.retry_max", "must not be shorter than outbox.retry_min (%s)", o.RetryMin)
	}
	v.positive("alerts.waiting_order", v.c.Alerts.WaitingOrder)
	v.positive("alerts.waiting_job", v.c.Alerts.WaitingJob)
	v.positive("push.silent_after", v.c.Push.SilentAfter)
}
