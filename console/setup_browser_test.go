package console_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/app"
)

// The console of a daemon in setup mode (the installed config, no
// credentials yet) opens with a banner that says what to set.
func TestSetupModeBannerSaysWhatToSet(t *testing.T) {
	b := newBrowser(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "posbridge.yaml")
	if err := os.WriteFile(file, []byte(config.InstalledYAML("linux")), 0o600); err != nil {
		t.Fatal(err)
	}
	d, _ := runInstalled(t, file, filepath.Join(dir, "data"))
	b.do(chromedp.Navigate("http://" + d.ConsoleAddr + "/"))
	b.wait("setup banner", `(() => { const el = document.getElementById('setup-banner');
		return el && !el.hidden && el.textContent.includes('设置模式') && el.textContent.includes('platform.access_token') &&
			el.textContent.includes('`+file+`'); })()`, 10*time.Second)
	b.shot("20-setup-mode")
	b.noJSErrors()
}

// runInstalled runs the daemon of an installed config (setup mode) in
// dataDir with free ports, and extra environment; it returns the daemon in
// setup mode and the channel Ready sends to again when it goes live.
func runInstalled(t *testing.T, file, dataDir string, env ...string) (*app.Daemon, <-chan *app.Daemon) {
	t.Helper()
	env = append([]string{"POSBRIDGE_DATA_DIR=" + dataDir, "POSBRIDGE_CONSOLE_LISTEN=" + freePort(t), "POSBRIDGE_PUSH_LISTEN=" + freePort(t)}, env...)
	cfg, err := config.Load(config.LoadOptions{Path: file, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.SetupMode() {
		t.Fatal("the installed config is not in setup mode")
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *app.Daemon, 2)
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{Ready: func(d *app.Daemon) { ready <- d }})
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case d := <-ready:
		return d, ready
	case err := <-done:
		t.Fatalf("setup-mode daemon did not start: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("setup-mode daemon did not start within 20 s")
	}
	return nil, nil
}
