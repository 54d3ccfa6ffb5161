// Package harness starts a real posbridge daemon in-process against the fake
// 开个店 and fake TCP printers, for end-to-end tests, browser tests, drills
// and the load tool. The daemon is configured through a real posbridge.yaml
// loaded by package config, with real key files, so every test exercises
// the same path a store PC does.
package harness

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/app"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/printer/fakeprinter"
)

// Options shape the environment. Zero values give one store (1862), auto
// accept, a receipt, a kitchen and a label printer (fake TCP printers),
// signed pushes, and short retry delays so outages take seconds.
type Options struct {
	// YAML is appended to the generated posbridge.yaml sections (top-level
	// keys only for sections the template does not write).
	Accept       string // YAML body of accept: e.g. "mode: manual"
	Print        string // extra keys of print:, e.g. "on: arrival"
	Stores       []config.StoreConfig
	Console      string // extra keys of console:, e.g. "no_page_beep: 1s"
	PushDisabled bool
	// PushOnLAN listens for pushes on 0.0.0.0 (every interface) instead of
	// 127.0.0.1; the fake still pushes to 127.0.0.1.
	PushOnLAN     bool
	PushToken     string // push.token (the fake sends it too)
	UnsignedPush  bool   // pushes as bare JSON, no public key configured
	ExtraYAML     string // more top-level YAML (scanner:, alerts: …)
	NoPrinters    bool
	LabelLanguage string // tspl (default) or escpos
	// LabelMatch is the flow-style match: of the label printer; default
	// { names: ["茶", "奶", "咖啡"] }. The load tool sends every drink there.
	LabelMatch string
	// Fake tweaks the fake platform's options before it starts.
	Fake func(o *fake.Options)
	// Now is the daemon's wall clock (drills make it jump).
	Now func() time.Time
	// Log receives the daemon's log; default: discarded unless
	// POSBRIDGE_TEST_LOG=1.
	Log io.Writer
	// Poll is the YAML body of poll:, replacing the tests' short intervals
	// (benchmarks use the product's defaults: "interval: 60s" …).
	Poll string
	// RatePerSecond is platform.rate_per_second; default 500.
	RatePerSecond int
	// Channels and Reporters are given to the daemon beside 开个店's
	// channel (app.Options).
	Channels  []bridge.Channel
	Reporters []bridge.Reporter
}

// Env is a running daemon with its fake platform and printers.
type Env struct {
	Dir        string
	ConfigFile string
	Config     *config.Config
	Fake       *fake.Platform
	FakeURL    string
	Daemon     *app.Daemon
	Printers   map[string]*fakeprinter.Printer
	ConsoleURL string
	PushURL    string

	cancel context.CancelFunc
	done   chan error
}

// Start writes a config in dir, starts the fake platform, the fake printers
// and the daemon, and returns once the daemon listens.
func Start(ctx context.Context, dir string, opts Options) (*Env, error) {
	e, err := Prepare(dir, opts)
	if err != nil {
		return nil, err
	}
	if err := e.Run(ctx, opts); err != nil {
		e.closeFakes()
		return nil, err
	}
	return e, nil
}

// Prepare writes the config and key files in dir and starts the fake
// platform and printers, without a daemon: a test may then run the real
// binary on ConfigFile (crash tests) or call Run. The fake pushes to the
// push listener the config names (PushURL).
func Prepare(dir string, opts Options) (*Env, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	e := &Env{Dir: dir, Printers: map[string]*fakeprinter.Printer{}}
	fo := fake.Options{MerchantKey: key, AccessToken: "test-token", PartnerID: "2282", AppID: "wxaa246",
		PushSigned: !opts.UnsignedPush, PushRetryDelay: 50 * time.Millisecond, Seed: 42}
	for _, s := range opts.stores() {
		fo.Stores = append(fo.Stores, fake.Store{ID: s.ID, Name: s.Name})
	}
	fo.PushToken = opts.PushToken
	if opts.Fake != nil {
		opts.Fake(&fo)
	}
	e.Fake, err = fake.New(fo)
	if err != nil {
		return nil, err
	}
	if e.FakeURL, err = e.Fake.Start("127.0.0.1:0"); err != nil {
		return nil, err
	}
	fail := func(err error) (*Env, error) {
		e.closeFakes()
		return nil, err
	}
	if !opts.NoPrinters {
		for _, name := range []string{"front", "kitchen", "label"} {
			p, err := fakeprinter.New()
			if err != nil {
				return fail(err)
			}
			e.Printers[name] = p
		}
	}
	if err := e.writeFiles(key, opts); err != nil {
		return fail(err)
	}
	cfg, err := config.Load(config.LoadOptions{Path: e.ConfigFile, Env: []string{}})
	if err != nil {
		return fail(err)
	}
	if err := cfg.Check(); err != nil {
		return fail(err)
	}
	e.Config = cfg
	if cfg.Push.Listen != "" {
		e.PushURL = "http://" + strings.Replace(cfg.Push.Listen, "0.0.0.0:", "127.0.0.1:", 1)
		e.Fake.SetPushURL(e.PushURL)
	}
	e.ConsoleURL = "http://" + cfg.Console.Listen
	return e, nil
}

// Run starts the daemon in-process on the prepared config and returns once
// it listens.
func (e *Env) Run(ctx context.Context, opts Options) error {
	cfg := e.Config
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
		if os.Getenv("POSBRIDGE_TEST_LOG") == "1" {
			logw = os.Stderr
		}
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug}))

	runCtx, cancel := context.WithCancel(ctx)
	e.cancel, e.done = cancel, make(chan error, 1)
	ready := make(chan *app.Daemon, 1)
	go func() {
		e.done <- app.Run(runCtx, cfg, log, app.Options{Now: opts.Now, Channels: opts.Channels,
			Reporters: opts.Reporters, Ready: func(d *app.Daemon) { ready <- d }})
	}()
	select {
	case d := <-ready:
		e.Daemon = d
		return nil
	case err := <-e.done:
		cancel()
		e.cancel, e.done = nil, nil
		return fmt.Errorf("daemon did not start: %w", err)
	case <-time.After(20 * time.Second):
		cancel()
		return errors.New("daemon did not start within 20s")
	}
}

// StopDaemon stops the in-process daemon gracefully and keeps the fakes, so
// that Run can start it again on the same data (restart drills).
func (e *Env) StopDaemon() error {
	if e.cancel == nil {
		return nil
	}
	e.cancel()
	var err error
	select {
	case err = <-e.done:
	case <-time.After(15 * time.Second):
		err = errors.New("daemon did not stop within 15s")
	}
	e.cancel, e.done = nil, nil
	return err
}

// DaemonRunning reports whether an in-process daemon started by Run is running.
func (e *Env) DaemonRunning() bool { return e.cancel != nil }

// Close stops the fakes of a prepared environment whose daemon ran elsewhere.
func (e *Env) Close() { e.closeFakes() }

// Stop stops the daemon gracefully, then the fakes.
func (e *Env) Stop() error {
	err := e.StopDaemon()
	e.closeFakes()
	return err
}

func (e *Env) closeFakes() {
	if e.Fake != nil {
		_ = e.Fake.Close()
	}
	for _, p := range e.Printers {
		p.Close()
	}
}

func (o Options) stores() []config.StoreConfig {
	if len(o.Stores) > 0 {
		return o.Stores
	}
	return []config.StoreConfig{{ID: "1862", Name: "南翔一店"}}
}

// writeFiles writes the merchant key, the platform's public key and posbridge.yaml.
func (e *Env) writeFiles(key *rsa.PrivateKey, opts Options) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(e.Dir, "merchant.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(e.Fake.PlatformPublicKey())
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(e.Dir, "platform.pub"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o600); err != nil {
		return err
	}
	label := opts.LabelLanguage
	if label == "" {
		label = "tspl"
	}
	addrs, err := freeAddrs(2)
	if err != nil {
		return err
	}
	consoleAddr, pushAddr := addrs[0], addrs[1]
	if opts.PushOnLAN {
		pushAddr = strings.Replace(pushAddr, "127.0.0.1:", "0.0.0.0:", 1)
	}
	labelMatch := opts.LabelMatch
	if labelMatch == "" {
		labelMatch = `{ names: ["茶", "奶", "咖啡"] }`
	}
	data := map[string]any{"BaseURL": e.FakeURL, "Opts": opts, "Stores": opts.stores(), "Label": label, "LabelMatch": labelMatch,
		"Printers": map[string]string{}, "ConsoleAddr": consoleAddr, "PushAddr": pushAddr}
	for name, p := range e.Printers {
		data["Printers"].(map[string]string)[name] = p.URI()
	}
	var b strings.Builder
	if err := configTemplate.Execute(&b, data); err != nil {
		return err
	}
	e.ConfigFile = filepath.Join(e.Dir, "posbridge.yaml")
	return os.WriteFile(e.ConfigFile, []byte(b.String()), 0o600)
}

var configTemplate = template.Must(template.New("cfg").Funcs(template.FuncMap{"indent": indent}).Parse(`data_dir: ./data
console:
  listen: {{.ConsoleAddr}}
{{- if .Opts.Console}}
{{indent .Opts.Console}}
{{- end}}
push:
  listen: {{if .Opts.PushDisabled}}""{{else}}{{.PushAddr}}{{end}}
{{- if .Opts.PushToken}}
  token: {{.Opts.PushToken}}
{{- end}}
platform:
  mode: live
  base_url: {{.BaseURL}}
  partner_id: "2282"
  app_id: wxaa246
  access_token: test-token
  private_key_file: merchant.pem
{{- if not .Opts.UnsignedPush}}
  public_key_file: platform.pub
{{- end}}
  timeout: 3s
  rate_per_second: {{if .Opts.RatePerSecond}}{{.Opts.RatePerSecond}}{{else}}500{{end}}
poll:
{{- if .Opts.Poll}}
{{indent .Opts.Poll}}
{{- else}}
  interval: 2s
  fast_interval: 300ms
  refund_interval: 1s
  reconcile_interval: 2s
{{- end}}
stores:
{{- range .Stores}}
  - { id: "{{.ID}}", name: "{{.Name}}" }
{{- end}}
accept:
{{- if .Opts.Accept}}
{{indent .Opts.Accept}}
{{- else}}
  mode: auto
{{- end}}
print:
  retry_min: 50ms
  retry_max: 500ms
  status_interval: 200ms
  failover_after: 2s
{{- if .Opts.Print}}
{{indent .Opts.Print}}
{{- end}}
outbox:
  retry_min: 50ms
  retry_max: 500ms
  alert_after: 2s
{{- if .Opts.NoPrinters}}
printers: []
{{- else}}
printers:
  - name: front
    role: receipt
    connection: {{index .Printers "front"}}
  - name: kitchen
    role: kitchen
    connection: {{index .Printers "kitchen"}}
  - name: label
    role: label
    language: {{.Label}}
    connection: {{index .Printers "label"}}
    match: {{.LabelMatch}}
{{- end}}
{{.Opts.ExtraYAML}}
`))

// freeAddrs finds n distinct free loopback ports. The config needs fixed
// ports (as a store's would), so they are chosen here and released for the
// daemon; all n are held until all are chosen, so no two are the same.
func freeAddrs(n int) ([]string, error) {
	var addrs []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		addrs = append(addrs, ln.Addr().String())
	}
	return addrs, nil
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}
