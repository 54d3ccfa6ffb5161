package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/lograte"
	"github.com/posbridge/posbridge/internal/logrotate"
)

// setupLogging builds the logger shared by `run` and the service: text lines
// on stderr (the journal under systemd, with priorities), a size-rotated file
// when log.file is set (the default for the Windows service, whose stderr goes
// nowhere), and errors in the Windows event log for the service. The closer
// flushes and closes the file and the event log.
func setupLogging(cfg *config.Config, service bool) (*slog.Logger, io.Closer, error) {
	return setupLoggingTo(cfg, service, os.Stderr)
}

// setupLoggingTo is setupLogging with stderr given (tests capture it).
func setupLoggingTo(cfg *config.Config, service bool, stderr io.Writer) (*slog.Logger, io.Closer, error) {
	level, err := parseLogLevel(cfg.Log.Level)
	if err != nil {
		return nil, nil, err
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: redactSecrets}
	var handlers []slog.Handler
	var closers closeAll

	if !(service && runtime.GOOS == "windows") {
		if journal := os.Getenv("JOURNAL_STREAM") != ""; journal {
			handlers = append(handlers, newJournalHandler(stderr, opts))
		} else {
			handlers = append(handlers, slog.NewTextHandler(stderr, opts))
		}
	}

	file := cfg.Log.File
	if file == "" && service {
		file = defaultServiceLogFile(cfg.File)
	}
	if file != "" {
		f, err := logrotate.Open(file, int64(max(cfg.Log.MaxSizeM, 1))<<20, cfg.Log.MaxFiles)
		if err != nil {
			return nil, nil, fmt.Errorf("log.file %s: %w", file, err)
		}
		closers = append(closers, f)
		handlers = append(handlers, slog.NewTextHandler(f, opts))
	}

	// A missing event log source must not stop the daemon: it still logs to
	// the file, and says what to do.
	var systemLogErr error
	if service {
		h, c, err := systemLogHandler(cfg.Service.Name, opts)
		systemLogErr = err
		if h != nil {
			handlers = append(handlers, h)
			closers = append(closers, c)
		}
	}
	log := slog.New(lograte.New(slog.NewMultiHandler(handlers...), repeatWindow, nil))
	if systemLogErr != nil {
		log.Warn("errors are not copied to the system log", "err", systemLogErr)
	}
	return log, closers, nil
}

// defaultServiceLogFile is where the service logs when log.file is empty
// and no journal collects stderr (Windows): the logs folder beside the config
// file, C:\ProgramData\posbridge\logs on a standard install, whatever the
// service's environment says ProgramData is.
func defaultServiceLogFile(configFile string) string {
	if config.DefaultLogFile() == "" {
		return ""
	}
	if configFile == "" {
		return config.DefaultLogFile()
	}
	return filepath.Join(filepath.Dir(configFile), "logs", "posbridge.log")
}

func parseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log.level %q: write debug, info, warn or error", s)
	}
	return l, nil
}

// secretKeys are attribute names whose values never reach a log, whatever
// the caller passed: a last line of defence behind masking at the source.
var secretKeys = map[string]bool{
	"access_token": true, "accesstoken": true, "token": true, "api_token": true,
	"pin": true, "password": true, "private_key": true, "privatekey": true,
	"secret": true, "authorization": true, "sign": true, "signature": true,
}

// repeatWindow is how often one warning message may be written; the
// repeats in between are counted on the next line written.
const repeatWindow = 10 * time.Minute

// logZone is the store's zone: log lines carry the same times (+08:00) as the
// console, the receipts and the platform.
var logZone = bridge.Shanghai

// redactSecrets is the ReplaceAttr of every handler: it also writes the
// record's time in the store's zone.
func redactSecrets(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime {
		return slog.Time(a.Key, a.Value.Time().In(logZone))
	}
	if secretKeys[strings.ToLower(a.Key)] && !a.Value.Equal(slog.StringValue("")) {
		return slog.String(a.Key, "***")
	}
	if a.Value.Kind() == slog.KindString && strings.Contains(a.Value.String(), "PRIVATE KEY-----") {
		return slog.String(a.Key, "*** (private key removed)")
	}
	return a
}

type closeAll []io.Closer

func (cs closeAll) Close() error {
	var errs []error
	for i := len(cs) - 1; i >= 0; i-- {
		errs = append(errs, cs[i].Close())
	}
	return errors.Join(errs...)
}

// lineHandler formats each record as one text line and hands it, with the
// record's level, to emit: the journal wants a priority prefix, the event log
// a call per severity.
type lineHandler struct {
	inner slog.Handler
	sink  *lineSink
}

type lineSink struct {
	mu    sync.Mutex
	level slog.Level
	emit  func(level slog.Level, line []byte) error
}

// Write is called by the inner text handler once per record, under sink.mu.
func (s *lineSink) Write(p []byte) (int, error) {
	if err := s.emit(s.level, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func newLineHandler(opts *slog.HandlerOptions, emit func(slog.Level, []byte) error) *lineHandler {
	sink := &lineSink{emit: emit}
	return &lineHandler{inner: slog.NewTextHandler(sink, opts), sink: sink}
}

func (h *lineHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *lineHandler) Handle(ctx context.Context, r slog.Record) error {
	h.sink.mu.Lock()
	defer h.sink.mu.Unlock()
	h.sink.level = r.Level
	return h.inner.Handle(ctx, r)
}

func (h *lineHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &lineHandler{inner: h.inner.WithAttrs(as), sink: h.sink}
}

func (h *lineHandler) WithGroup(name string) slog.Handler {
	return &lineHandler{inner: h.inner.WithGroup(name), sink: h.sink}
}

// newJournalHandler writes lines with the syslog priority prefix ("<3>")
// that journald reads, so `journalctl -u posbridge -p err` finds errors; the
// journal stamps the time itself.
func newJournalHandler(w io.Writer, opts *slog.HandlerOptions) slog.Handler {
	jopts := *opts
	jopts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return opts.ReplaceAttr(groups, a)
	}
	return newLineHandler(&jopts, func(l slog.Level, line []byte) error {
		_, err := fmt.Fprintf(w, "<%d>%s", journalPriority(l), line)
		return err
	})
}

func journalPriority(l slog.Level) int {
	switch {
	case l >= slog.LevelError:
		return 3
	case l >= slog.LevelWarn:
		return 4
	case l >= slog.LevelInfo:
		return 6
	default:
		return 7
	}
}
