package app

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/console"
	"github.com/posbridge/posbridge/internal/rsakeys"
	"github.com/posbridge/posbridge/kaigedian"
	kgdchannel "github.com/posbridge/posbridge/kaigedian/channel"
	"github.com/posbridge/posbridge/order"
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
// persisted (it always is: rows are written before calls), the database closes.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options) error {
	// The last line of a run, after the database closed: a log that ends
	// without it ended in a crash or a kill.
	var stopping time.Time
	defer func() {
		if !stopping.IsZero() {
			log.Info("posbridge stopped", "took", time.Since(stopping).Round(time.Millisecond))
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory %s cannot be created: %w", cfg.DataDir, err)
	}
	if opts.Lock != nil {
		release, err := opts.Lock(cfg.DataDir)
		if err != nil {
			return err
		}
		defer release()
	}

	// A schema upgrade of a large database takes a while (17 s for a million
	// orders): the log says why the console is not up yet.
	log.Info("opening the database", "path", filepath.Join(cfg.DataDir, "posbridge.db"), "schema", store.SchemaVersion())
	opened := time.Now()
	db, err := store.Open(ctx, filepath.Join(cfg.DataDir, "posbridge.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if took := time.Since(opened); took > 2*time.Second {
		log.Info("database opened", "took", took.Round(time.Millisecond))
	}

	instance := rand.Text() // names this run on the console's and the push listener's health checks
	d := &Daemon{Config: cfg, DB: db, instance: instance}
	if cfg.SetupMode() {
		next, err := d.runSetupMode(ctx, log, opts, func() { stopping = time.Now() })
		if err != nil || next == nil {
			return err
		}
		cfg, d.Config = next, next
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The listeners open first: the sandbox platform needs the push address.
	var pushLn net.Listener
	if cfg.Push.Listen != "" {
		if pushLn, err = console.Listen(cfg.Push.Listen); err != nil {
			return err
		}
		d.PushAddr = pushLn.Addr().String()
	}
	consoleLn, err := console.Listen(cfg.Console.Listen)
	if err != nil {
		if pushLn != nil {
			pushLn.Close()
		}
		return err
	}
	d.ConsoleAddr = consoleLn.Addr().String()

	client, pub, err := d.platformClient(runCtx, log, opts)
	if err != nil {
		consoleLn.Close()
		if pushLn != nil {
			pushLn.Close()
		}
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
		consoleLn.Close()
		if pushLn != nil {
			pushLn.Close()
		}
		return err
	}
	fleet := newLiveFleet(first)
	d.Fleet = fleet
	d.Settings = &Settings{cur: cfg, log: log, bus: bus, install: fleetInstaller(runCtx, fleet, buildFleet), restartNotice: true}
	scan := newScanToOrder(cfg, db, log, opts.Now)
	wx, err := newWeChatSync(runCtx, cfg, db, log, opts.Now)
	if err != nil {
		consoleLn.Close()
		if pushLn != nil {
			pushLn.Close()
		}
		return err
	}
	defer wx.close()
	b := bridge.New(bridge.Deps{Config: cfg, Store: db, Channels: append(append([]bridge.Channel{kgdchannel.New(client, opts.Now)}, scan.channels()...), opts.Channels...),
		Reporters: append(append(ig.hooks.Reporters(), wx.reporters()...), opts.Reporters...),
		Platform:  client, Printers: fleet, Bus: bus, Logger: log, Now: opts.Now})
	d.Bridge = b

	var wg sync.WaitGroup
	start := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(runCtx); err != nil && runCtx.Err() == nil {
				log.Error("component stopped", "component", name, "err", err)
				cancel()
			}
		}()
	}
	start("storage check", func(ctx context.Context) error { b.CheckDeferredStorage(ctx); return nil })
	if err := first.Start(runCtx); err != nil {
		cancel()
		return err
	}
	// Closed last: a print write in progress finishes before the database closes.
	defer fleet.Close()
	start("bridge", b.Run)
	start("settings watch", d.Settings.watch)
	start("webhooks", ig.hooks.Run)
	start("poller", func(ctx context.Context) error { poller.New(client, b, cfg, log, opts.Now).Run(ctx); return nil })
	if pushLn != nil {
		var tlsCfg *tls.Config
		if cfg.Push.TLSCertFile != "" {
			cert, err := tls.LoadX509KeyPair(cfg.Push.TLSCertFile, cfg.Push.TLSKeyFile)
			if err != nil {
				cancel()
				return fmt.Errorf("push TLS certificate: %w", err)
			}
			tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		}
		partnerID, appID := client.Merchant()
		recv := &push.Receiver{DB: db, Sink: b, PublicKey: pub, Token: cfg.Push.Token, PartnerID: partnerID, AppID: appID,
			Log: log, Now: opts.Now, Instance: instance, Tables: tableOrders{b}, Signer: client}
		if cfg.PushOpenWithoutAuth() {
			refusePushes(recv, b, cfg, log)
		}
		start("push listener", func(ctx context.Context) error {
			return console.Serve(ctx, pushLn, ig.push(recv.Handler()), tlsCfg, log)
		})
	}
	if d.OrderingAddr, err = scan.open(runCtx, b, fleet, start); err != nil {
		cancel()
		return err
	}
	d.OrderingTableURL = scan.tableURL()
	srv := &console.Server{Bridge: b, Fleet: fleet, Settings: d.Settings, Config: cfg, Log: log, Now: opts.Now, Instance: instance,
		DiscoverSerial: opts.DiscoverSerial, Metrics: ig.metrics, Menus: scan.menus(), WeChatSync: wx.attach(b, scan)}
	start("console", func(ctx context.Context) error { return console.Serve(ctx, consoleLn, srv.Handler(), nil, log) })
	if cfg.Scanner.Serial != "" {
		port, err := scanner.ParseURI(cfg.Scanner.Serial)
		if err != nil {
			cancel()
			return err
		}
		r := &scanner.Reader{Port: port, Log: log, OnCode: func(code string) {
			res := b.Scan(runCtx, code, "serial")
			log.Info("scan", "code", code, "action", res.Action, "status", res.Status, "error", res.Error)
		}}
		start("scanner", func(ctx context.Context) error { r.Run(ctx); return nil })
	}
	if d.Sandbox != nil {
		start("sandbox platform", d.Sandbox.run)
	}
	log.Info("posbridge running", "console", "http://"+d.ConsoleAddr, "push", d.PushAddr, "ordering", d.OrderingAddr, "mode", cfg.Platform.Mode,
		"stores", len(cfg.Stores), "printers", len(cfg.Printers))
	if opts.Ready != nil {
		opts.Ready(d)
	}

	<-runCtx.Done()
	stopping = time.Now()
	log.Info("stopping posbridge", "reason", stopReason(ctx))
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(stopBudget):
		log.Warn("components did not stop within the budget; closing the database anyway", "budget", stopBudget)
	}
	if ctx.Err() == nil {
		return errors.New("a component failed; see the log above")
	}
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
