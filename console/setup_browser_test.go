package console_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg, err := config.Load(config.LoadOptions{Path: file, Env: []string{"POSBRIDGE_DATA_DIR=" + filepath.Join(dir, "data"),
		"POSBRIDGE_CONSOLE_LISTEN=127.0.0.1:" + strconv.Itoa(port)}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *app.Daemon, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{Ready: func(d *app.Daemon) { ready <- d }})
	}()
	t.Cleanup(func() { cancel(); <-done })
	var d *app.Daemon
	select {
	case d = <-ready:
	case err := <-done:
		t.Fatalf("setup-mode daemon did not start: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("setup-mode daemon did not start within 20 s")
	}
	b.do(chromedp.Navigate("http://" + d.ConsoleAddr + "/"))
	b.wait("setup banner", `(() => { const el = document.getElementById('setup-banner');
		return el && !el.hidden && el.textContent.includes('设置模式') && el.textContent.includes('platform.access_token') &&
			el.textContent.includes('`+file+`'); })()`, 10*time.Second)
	b.shot("20-setup-mode")
	b.noJSErrors()
}
