package app

import (
	"context"
	"crypto/rsa"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/console"
	"github.com/posbridge/posbridge/internal/rsakeys"
	"github.com/posbridge/posbridge/kaigedian"
	kgdchannel "github.com/posbridge/posbridge/kaigedian/channel"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/checkout"
	"github.com/posbridge/posbridge/poller"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/push"
	"github.com/posbridge/posbridge/scanner"
	"github.com/posbridge/posbridge/store"
)

// stopBudget is how long a graceful stop may take (Windows gives a service
// little more before it kills it).
const stopBudget = 10 * time.Second

// Options let tests, the load tool and the sandbox reach into a daemon.
type Options struct {
	// Ready is called once every listener is open and every loop started:
	// in setup mode when its console listens, and again when the setup is
	// complete and the daemon runs in live mode.
	Ready func(d *Daemon)
	// Platform replaces the 开个店 client (tests point it at their own fake);
	// PushKey then verifies pushes (nil: unsigned pushes are accepted).
	Platform *kaigedian.Client
	PushKey  *rsa.PublicKey
	// Now is the wall clock (drills make it jump); default time.Now.
	Now func() time.Time
	// Lock guards the data directory against a second daemon; nil = no lock.
	Lock func(dir string) (release func(), err error)
	// Channels are sources of orders beside 开个店's (tests' own, the
	// scan-to-order channel); Reporters follow every order's lifecycle.
	Channels  []bridge.Channel
	Reporters []bridge.Reporter
	// DiscoverSerial are extra device paths printer discovery treats as
	// serial ports (tests give it a socat pty).
	DiscoverSerial []string
	// Loops are background jobs of the caller (the nightly backup) run in
	// the daemon's lifecycle once it is live: Close stops them and waits
	// for them before the database closes.
	Loops []Loop
}

// Loop is one background job of Options.Loops; Run returns when ctx ends.
type Loop struct {
	Name string
	Run  func(ctx context.Context, d *Daemon)
}

// Daemon is everything Run started.
type Daemon struct {
	Config *config.Config
	DB     *store.DB
	Bridge *bridge.Bridge
	Fleet  *LiveFleet
	// Settings applies edits of the settings layer without a restart.
	Settings    *Settings
	ConsoleAddr string
	PushAddr    string
	// OrderingAddr is the scan-to-order listener's ("" when it is off);
	// OrderingTableURL one table's page on it, for the banner.
	OrderingAddr     string
	OrderingTableURL string
	// Sandbox is the embedded fake platform in sandbox mode (nil in live mode).
	Sandbox *Sandbox
	// Setup is true in setup mode (live mode without credentials): only the
	// console runs.
	Setup bool

	instance string
}

// Run runs posbridge until ctx ends, then stops gracefully within
// stopBudget: the print write in progress finishes, the outbox state is
// persisted (it always is: rows are written before calls), the database
// closes. It is Main's Run, a wait for ctx or a failing component, and Close.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options) error {
	m := NewMain(cfg, log, opts)
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		return err
	}
	select {
	case <-ctx.Done():
	case <-m.Failed():
	}
	return m.Close()
}

// startLive opens the listeners, builds the bridge and the printers and
// starts every loop of live (or sandbox) mode inside m's lifecycle.
func (m *Main) startLive(cfg *config.Config) error {
	d, log, opts, runCtx := m.daemon, m.log, m.opts, m.ctx
	db, instance, start := d.DB, d.instance, m.start

	// The listeners open first: the sandbox platform needs the push address.
	pushLn, consoleLn, err := m.listen(cfg)
	if err != nil {
		return err
	}

	client, pub, err := d.platformClient(runCtx, log, opts)
	if err != nil {
		return err
	}

	bus := bridge.NewBus(opts.Now)
	ig := newIntegrations(cfg, db, log, opts.Now)
	log = ig.countLogs(log)
	buildFleet := func(c *config.Config) (*printer.Fleet, error) {
		return printer.NewFleet(c.Printers, c.Print, db, printer.FleetOptions{Logger: log, Layouts: &c.Layouts,
			Sandbox: c.Sandbox || c.Platform.Mode != config.ModeLive, OnEvent: func(e printer.Event) {
				publishPrinterEvent(bus, e, c.Alerts.WaitingJob)
				ig.printerEvent(e)
			}})
	}
	first, err := buildFleet(cfg)
	if err != nil {
		return err
	}
	fleet := newLiveFleet(first)
	d.Fleet = fleet
	d.Settings = &Settings{cur: cfg, log: log, bus: bus, install: fleetInstaller(runCtx, fleet, buildFleet), restartNotice: true}
	scan := newScanToOrder(cfg, db, log, opts.Now)
	wx, err := newWeChatSync(runCtx, cfg, db, log, opts.Now)
	if err != nil {
		return err
	}
	m.onClose(wx.close)
	b := bridge.New(bridge.Deps{Config: cfg, Store: db, Channels: append(append([]bridge.Channel{kgdchannel.New(client, opts.Now)}, scan.channels()...), opts.Channels...),
		Reporters: append(append(ig.hooks.Reporters(), wx.reporters()...), opts.Reporters...),
		Printers:  fleet, Bus: bus, Logger: log, Now: opts.Now})
	d.Bridge = b

	start("storage check", func(ctx context.Context) error { b.CheckDeferredStorage(ctx); return nil })
	if err := first.Start(runCtx); err != nil {
		return err
	}
	// Closed after the loops stopped: a print write in progress finishes
	// before the database closes.
	m.onClose(fleet.Close)
	start("bridge", b.Run)
	start("settings watch", d.Settings.watch)
	start("webhooks", ig.hooks.Run)
	start("poller", func(ctx context.Context) error { poller.New(client, b, cfg, log, opts.Now).Run(ctx); return nil })
	start("retention", func(ctx context.Context) error { m.retention(db, cfg, log).run(ctx); return nil })
	if pushLn != nil {
		if err := m.servePush(cfg, pushLn, client, pub, b, ig, log); err != nil {
			return err
		}
	}
	if d.OrderingAddr, err = scan.open(runCtx, b, fleet, start); err != nil {
		return err
	}
	d.OrderingTableURL = scan.tableURL()
	scan.linkMenus(b)
	srv := &console.Server{Bridge: b, Fleet: fleet, Settings: d.Settings, Config: cfg, Log: log, Now: opts.Now, Instance: instance,
		DiscoverSerial: opts.DiscoverSerial, Metrics: ig.metrics, Menus: scan.menus(), Members: scan.ledger,
		WeChatSync: wx.attach(b, scan), Refunds: checkout.Book{DB: db}}
	start("console", func(ctx context.Context) error { return console.Serve(ctx, consoleLn, srv.Handler(), nil, log) })
	if err := m.startScanner(cfg, b, log); err != nil {
		return err
	}
	if d.Sandbox != nil {
		start("sandbox platform", d.Sandbox.run)
	}
	for _, l := range opts.Loops {
		start(l.Name, func(ctx context.Context) error { l.Run(ctx, d); return nil })
	}
	log.Info("posbridge running", "console", "http://"+d.ConsoleAddr, "push", d.PushAddr, "ordering", d.OrderingAddr, "mode", cfg.Platform.Mode,
		"stores", len(cfg.Stores), "printers", len(cfg.Printers))
	if opts.Ready != nil {
		opts.Ready(d)
	}
	return nil
}

// listen opens the push listener (when push.listen is set) and the
// console's; Close closes them if Serve never did.
func (m *Main) listen(cfg *config.Config) (pushLn, consoleLn net.Listener, err error) {
	d := m.daemon
	if cfg.Push.Listen != "" {
		if pushLn, err = console.Listen(cfg.Push.Listen); err != nil {
			return nil, nil, err
		}
		m.onClose(func() { pushLn.Close() })
		d.PushAddr = pushLn.Addr().String()
	}
	if consoleLn, err = console.Listen(cfg.Console.Listen); err != nil {
		return nil, nil, err
	}
	m.onClose(func() { consoleLn.Close() })
	d.ConsoleAddr = consoleLn.Addr().String()
	return pushLn, consoleLn, nil
}

// servePush receives 开个店's pushes on pushLn (TLS when push.tls_cert_file is set).
func (m *Main) servePush(cfg *config.Config, pushLn net.Listener, client *kaigedian.Client, pub *rsa.PublicKey,
	b *bridge.Bridge, ig *integrations, log *slog.Logger) error {
	var tlsCfg *tls.Config
	if cfg.Push.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.Push.TLSCertFile, cfg.Push.TLSKeyFile)
		if err != nil {
			return fmt.Errorf("push TLS certificate: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	partnerID, appID := client.Merchant()
	recv := &push.Receiver{DB: m.daemon.DB, Sink: b, PublicKey: pub, Token: cfg.Push.Token, PartnerID: partnerID, AppID: appID,
		Log: log, Now: m.opts.Now, Instance: m.daemon.instance, Tables: tableOrders{b}, Signer: client}
	if cfg.PushOpenWithoutAuth() {
		refusePushes(recv, b, cfg, log)
	}
	m.start("push listener", func(ctx context.Context) error {
		return console.Serve(ctx, pushLn, ig.push(recv.Handler()), tlsCfg, log)
	})
	return nil
}

// startScanner reads the serial barcode scanner, when scanner.serial is set.
func (m *Main) startScanner(cfg *config.Config, b *bridge.Bridge, log *slog.Logger) error {
	if cfg.Scanner.Serial == "" {
		return nil
	}
	port, err := scanner.ParseURI(cfg.Scanner.Serial)
	if err != nil {
		return err
	}
	r := &scanner.Reader{Port: port, Log: log, OnCode: func(code string) {
		res := b.Scan(m.ctx, code, "serial")
		log.Info("scan", "code", code, "action", res.Action, "status", res.Status, "error", res.Error)
	}}
	m.start("scanner", func(ctx context.Context) error { r.Run(ctx); return nil })
	return nil
}

// stopReason says why a run ends: a stop asked for (signal, service
// manager) or a component that failed.
func stopReason(ctx context.Context) string {
	if ctx.Err() != nil {
		return "asked to stop"
	}
	return "a component failed"
}

// platformClient is the 开个店 client: the embedded fake in sandbox mode,
// the real platform in live mode. pub verifies pushes when configured.
func (d *Daemon) platformClient(ctx context.Context, log *slog.Logger, opts Options) (*kaigedian.Client, *rsa.PublicKey, error) {
	cfg := d.Config
	if opts.Platform != nil {
		return opts.Platform, opts.PushKey, nil
	}
	if cfg.Platform.Mode != config.ModeLive {
		sb, err := startSandbox(ctx, cfg, d.DB, d.PushAddr, log)
		if err != nil {
			return nil, nil, err
		}
		d.Sandbox = sb
		return sb.Client, sb.PushKey, nil
	}
	keyPEM, err := os.ReadFile(cfg.Platform.PrivateKeyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("platform.private_key_file: %w", err)
	}
	key, err := rsakeys.ParsePrivate(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("platform.private_key_file %s: %w", cfg.Platform.PrivateKeyFile, err)
	}
	var pub *rsa.PublicKey
	if cfg.Platform.PublicKeyFile != "" {
		pubPEM, err := os.ReadFile(cfg.Platform.PublicKeyFile)
		if err != nil {
			return nil, nil, fmt.Errorf("platform.public_key_file: %w", err)
		}
		if pub, err = rsakeys.ParsePublic(pubPEM); err != nil {
			return nil, nil, fmt.Errorf("platform.public_key_file %s: %w", cfg.Platform.PublicKeyFile, err)
		}
	}
	client, err := kaigedian.NewClient(kaigedian.Config{BaseURL: cfg.Platform.BaseURL, PartnerID: cfg.Platform.PartnerID,
		AppID: cfg.Platform.AppID, AccessToken: cfg.Platform.AccessToken, PrivateKey: key, Timeout: cfg.Platform.Timeout,
		RatePerSecond: cfg.Platform.RatePerSecond, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return client, pub, nil
}

// publishPrinterEvent turns a printer event into a console event with a
// sentence staff understand. A job that has waited longer than waitingJob
// (alerts.waiting_job) becomes a critical alert.
func publishPrinterEvent(bus *bridge.Bus, e printer.Event, waitingJob time.Duration) {
	level, msg := bridge.LevelInfo, ""
	switch e.Kind {
	case printer.EventStatus:
		msg = "打印机 " + e.Printer + "：" + e.State.Label()
		if !e.State.CanPrint() {
			level = bridge.LevelWarn
		}
	case printer.EventJobRetry:
		level, msg = bridge.LevelWarn, "打印机 "+e.Printer+" 打印失败，正在重试。"+printer.Explain(e.Err)
		if waitingJob > 0 && e.Waiting >= waitingJob {
			level = bridge.LevelCritical
			msg = fmt.Sprintf("打印机 %s 已有单据等待 %d 分钟未打印。%s", e.Printer, int(e.Waiting.Minutes())+1, printer.Explain(e.Err))
		}
	case printer.EventJobFailed:
		level, msg = bridge.LevelCritical, "打印机 "+e.Printer+" 无法打印该单据（单据数据有误，请在订单详情中重新打印，仍失败请联系安装人员）"
	case printer.EventJobMoved:
		level, msg = bridge.LevelWarn, "打印机 "+e.Printer+" 故障，单据已转到备用打印机 "+e.To
	case printer.EventJobsHeld:
		level, msg = bridge.LevelWarn, fmt.Sprintf("打印机 %s 恢复后有 %d 张过期单据，请选择打印或放弃", e.Printer, e.Count)
	case printer.EventJobDone:
		msg = "打印完成"
	}
	e.At = bridge.APITime(e.At)
	bus.Publish(bridge.Event{Type: bridge.EvPrinter, Code: e.OrderCode, Kind: string(e.Kind), Level: level, Message: msg, Data: e})
}

// tableOrders serves the push listener's 围餐 detail from the bridge.
type tableOrders struct{ b *bridge.Bridge }

func (t tableOrders) TableOrder(ctx context.Context, code, third, storeID, table string) ([]order.Item, int, error) {
	items, people, found, err := t.b.TableOrder(ctx, code, third, storeID, table)
	if err == nil && !found {
		err = push.ErrNoTableOrder
	}
	return items, people, err
}
