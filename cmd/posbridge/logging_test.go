package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
)

func TestSetupLoggingWritesRotatedFileWithoutSecrets(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Defaults()
	cfg.Log.File = filepath.Join(dir, "logs", "posbridge.log")
	cfg.Log.MaxSizeM, cfg.Log.MaxFiles = 1, 2
	cfg.Log.Level = "warn"
	var stderr bytes.Buffer
	log, closer, err := setupLoggingTo(cfg, false, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("not at this level")
	log.Warn("platform call failed", "access_token", "tok-123456", "pin", "8888", "store", "1862",
		"key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")
	big := strings.Repeat("x", 200<<10)
	for i := range 16 { // 3.2 MB of 200 kB records, five to a 1 MB file
		// Distinct messages: one warning repeated within 10 minutes is written once.
		log.Warn("filler "+strconv.Itoa(i), "data", big)
	}
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}

	entries, _ := os.ReadDir(filepath.Join(dir, "logs"))
	if len(entries) != 3 {
		t.Fatalf("%d log files, want the current one and 2 rotated", len(entries))
	}
	var all string
	for _, e := range entries {
		info, _ := e.Info()
		if info.Size() > 1<<20 {
			t.Errorf("%s is %d bytes, over max_size_mb", e.Name(), info.Size())
		}
		data, _ := os.ReadFile(filepath.Join(dir, "logs", e.Name()))
		all += string(data)
	}
	if strings.Contains(all, "not at this level") {
		t.Error("info record written at level warn")
	}
	for _, secret := range []string{"tok-123456", "8888", "MIIE"} {
		if strings.Contains(all, secret) {
			t.Errorf("secret %q reached the log file", secret)
		}
	}
	if strings.Contains(all, "platform call failed") {
		t.Error("the oldest record should have rotated out (max_files 2)")
	}
	if !strings.Contains(stderr.String(), `msg="platform call failed" access_token=*** pin=***`) {
		t.Errorf("stderr lacks the masked record: %.300s", stderr.String())
	}
}

func TestSetupLoggingRejectsBadLevelAndUnwritableFile(t *testing.T) {
	cfg := config.Defaults()
	cfg.Log.Level = "loud"
	if _, _, err := setupLoggingTo(cfg, false, io.Discard); err == nil || !strings.Contains(err.Error(), "debug, info, warn or error") {
		t.Errorf("bad level: %v", err)
	}
	cfg = config.Defaults()
	blocker := filepath.Join(t.TempDir(), "file")
	mustWrite(t, blocker, "")
	cfg.Log.File = filepath.Join(blocker, "posbridge.log") // a folder that is a file
	if _, _, err := setupLoggingTo(cfg, false, io.Discard); err == nil || !strings.Contains(err.Error(), "log.file") {
		t.Errorf("unwritable log file: %v", err)
	}
}

func TestJournalHandlerPrefixesPriorityAndDropsTime(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(newJournalHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: redactSecrets}))
	log.Error("printer offline", "printer", "kitchen")
	log.With("token", "secret-token").Warn("push refused")
	log.Info("order accepted")
	log.Debug("poll")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{
		`<3>level=ERROR msg="printer offline" printer=kitchen`,
		`<4>level=WARN msg="push refused" token=***`,
		`<6>level=INFO msg="order accepted"`,
		`<7>level=DEBUG msg=poll`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
