// Package service runs the scan-to-order channel as the daemon does: each
// restaurant's menu file watched (a broken edit keeps the previous menu and
// raises an alert), the phones' API server, and the sweep that hands over
// orders a crash kept from the flow and rejects those nobody accepted in
// time. The daemon serves Handler on ordering.listen.
package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/storeday"
	"github.com/posbridge/posbridge/ordering/api"
	"github.com/posbridge/posbridge/ordering/hours"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/sticker"
	"github.com/posbridge/posbridge/store"
)

// Options are what the channel needs from the daemon.
type Options struct {
	Config *config.Config
	DB     *store.DB
	Placer api.Placer
	// Schedule is a store's time zone and business-day start; nil reads
	// them from the config (stores[].timezone, stores[].day_start).
	Schedule func(storeID string) hours.Schedule
	// Expire rejects an order past ordering.accept_deadline through the
	// flow; nil sets the status in the channel only.
	Expire func(ctx context.Context, id int64, note string) error
	// MenuProblem is told when a menu edit cannot be used (the console's
	// alert) and, with nil, when the menu is good again.
	MenuProblem func(restaurantID int64, path string, err error)
	// PrintImage prints a picture on the receipt printer (the fleet's);
	// it returns the printer's name.
	PrintImage func(ctx context.Context, title string, render func(width int) (image.Image, error)) (string, error)
	// Extend adds to the API's options what the daemon wires beside the
	// menus (customers, logins, online payment); may be nil.
	Extend func(*api.Options)
	Now    func() time.Time
	Log    *slog.Logger
	// Members switches on the member endpoints (seed 002 §11–§14).
	Members *api.MemberOptions
}

// Channel is the running scan-to-order channel.
type Channel struct {
	API      *api.Server
	opt      Options
	mu       sync.Mutex
	edit     sync.Mutex
	watchers map[int64]*menu.Watcher
	paths    map[int64]string
	pauseMu  sync.Mutex
	pauses   map[string]string // store id → why scan-to-order is paused (linked.go)
}

// Open loads every restaurant's menu (a menu that does not load is an
// error: there is no previous one to keep) and builds the API server.
func Open(ctx context.Context, opt Options) (*Channel, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Schedule == nil {
		opt.Schedule = func(storeID string) hours.Schedule { return hours.ScheduleOf(opt.Config.StoreDay(storeID)) }
	}
	cfg := opt.Config
	c := &Channel{opt: opt, watchers: map[int64]*menu.Watcher{}, paths: map[int64]string{}}
	if err := c.loadPauses(ctx); err != nil {
		return nil, err
	}
	var rests []api.Restaurant
	for _, r := range cfg.Ordering.Restaurants {
		path, err := menuPath(cfg, r)
		if err != nil {
			c.Close()
			return nil, err
		}
		rid := r.ID
		w, err := menu.Watch(ctx, path, menu.WatchOptions{
			OnChange: func(*menu.Menu) {
				opt.Log.Info("ordering: menu reloaded", "restaurant", rid, "file", path)
				if opt.MenuProblem != nil {
					opt.MenuProblem(rid, path, nil)
				}
			},
			OnError: func(err error) {
				opt.Log.Warn("ordering: the edited menu has problems; the previous menu stays", "restaurant", rid, "file", path, "err", err)
				if opt.MenuProblem != nil {
					opt.MenuProblem(rid, path, err)
				}
			},
		})
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("ordering.restaurants %d: menu %s: %w (check it with `posbridge menu check %s`)", r.ID, path, err, path)
		}
		c.watchers[r.ID], c.paths[r.ID] = w, path
		storeID := r.StoreID
		rests = append(rests, api.Restaurant{ID: r.ID, StoreID: storeID, Schedule: opt.Schedule(storeID), Menu: w.Menu,
			Paused: func() string { return c.Paused(storeID) }})
	}
	var proxies []*api.Proxy
	for _, p := range cfg.Ordering.TrustedProxies {
		n, err := config.ParseProxy(p)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("ordering.trusted_proxies: %w", err)
		}
		proxies = append(proxies, n)
	}
	ao := api.Options{DB: opt.DB, Restaurants: rests, Placer: opt.Placer, TakeCodeStart: cfg.Ordering.TakeCodeStart,
		OpenOrdersPerTable: cfg.Ordering.OpenOrdersPerTable, CreatesPerMinute: cfg.Ordering.CreatesPerMinute,
		CalcsPerMinute: cfg.Ordering.CalcsPerMinute, TrustedProxies: proxies, Now: opt.Now, Log: opt.Log, Members: opt.Members}
	if opt.Extend != nil {
		opt.Extend(&ao)
	}
	c.API = api.New(ao)
	return c, nil
}

// Run sweeps until ctx ends.
func (c *Channel) Run(ctx context.Context) error {
	c.API.Run(ctx, api.Sweeper{AcceptDeadline: c.opt.Config.Ordering.AcceptDeadline, Expire: c.opt.Expire})
	return nil
}

// Menu is restaurant rid's current menu and its file.
func (c *Channel) Menu(rid int64) (*menu.Menu, string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.watchers[rid]
	if !ok {
		return nil, "", false
	}
	return w.Menu(), c.paths[rid], true
}

// Edit changes restaurant rid's menu file (comments kept), loads it at
// once and writes what changed, by whom, to the audit log. A change that
// makes the menu invalid is refused and nothing is written.
func (c *Channel) Edit(ctx context.Context, rid int64, actor, what string, changes ...menu.Change) (*menu.Menu, []string, error) {
	c.mu.Lock()
	w, ok := c.watchers[rid]
	c.mu.Unlock()
	if !ok {
		return nil, nil, fmt.Errorf("餐厅 %d 没有配置", rid)
	}
	c.edit.Lock() // one edit of a file at a time: each reads what the last wrote
	defer c.edit.Unlock()
	m, notes, err := menu.Edit(w.Path(), changes...)
	if err != nil {
		return nil, notes, err
	}
	if err := w.Reload(); err != nil {
		return nil, notes, err
	}
	err = c.opt.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "menu_edit", Detail: fmt.Sprintf("restaurant %d: %s", rid, what)})
	})
	if err != nil {
		c.opt.Log.Warn("ordering: menu edited but not audited", "restaurant", rid, "what", what, "err", err)
	}
	return m, notes, nil
}

// PrintSticker prints a table's QR sticker on the receipt printer and
// audits it; it returns the printer's name.
func (c *Channel) PrintSticker(ctx context.Context, rid, tableID int64, actor string) (string, error) {
	m, _, ok := c.Menu(rid)
	if !ok {
		return "", fmt.Errorf("餐厅 %d 没有配置", rid)
	}
	if c.opt.PrintImage == nil {
		return "", errors.New("没有可用的打印机")
	}
	if c.opt.Config.Ordering.PublicURL == "" {
		return "", errors.New("请先在 posbridge.yaml 设置 ordering.public_url（顾客手机打开的网址）")
	}
	st, err := sticker.ForTable(m, rid, c.opt.Config.Ordering.PublicURL, tableID)
	if err != nil {
		return "", err
	}
	name, err := c.opt.PrintImage(ctx, "桌台贴纸 "+st.Title, func(w int) (image.Image, error) { return sticker.Image(st, w) })
	if err != nil {
		return "", err
	}
	err = c.opt.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "sticker_print",
			Detail: fmt.Sprintf("restaurant %d table %d on %s: %s", rid, tableID, name, st.URL)})
	})
	return name, err
}

// Restaurants are the configured restaurants.
func (c *Channel) Restaurants() []config.RestaurantConfig { return c.opt.Config.Ordering.Restaurants }

// ClearTable ends a real table's meal (the guests left): the next order
// there opens a new one and pays 开台消费 again.
func (c *Channel) ClearTable(ctx context.Context, rid, tableID int64, actor string) error {
	if err := c.opt.DB.ClearTable(ctx, rid, tableID); err != nil {
		return err
	}
	return c.opt.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.AppendAudit(store.Audit{Actor: actor, Action: "table_clear", Detail: fmt.Sprintf("restaurant %d table %d", rid, tableID)})
	})
}

// Close waits for the hand-overs under way and stops watching the menus.
func (c *Channel) Close() {
	if c.API != nil {
		c.API.WaitHandOvers()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range c.watchers {
		w.Close()
	}
	c.watchers = map[int64]*menu.Watcher{}
}

// DefaultSchedule is a store's unless its config says otherwise: the
// platform's zone (Asia/Shanghai, from the embedded zone database) and the
// seed's 04:00 day start.
func DefaultSchedule() hours.Schedule { return hours.ScheduleOf(storeday.Default()) }

// menuPath is where restaurant r's menu is read and edited. When it lies
// under data_dir/menus (the config folder is read-only to the service) and
// is not there yet, the file beside the config is copied in: console edits
// need a file the service may write.
func menuPath(cfg *config.Config, r config.RestaurantConfig) (string, error) {
	path := cfg.MenuPath(r)
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return path, nil
	}
	if cfg.File != "" && !filepath.IsAbs(r.MenuFile) {
		beside := filepath.Join(filepath.Dir(cfg.File), r.MenuFile)
		if data, err := os.ReadFile(beside); err == nil {
			if err := writeMenu(path, data); err != nil {
				return "", err
			}
			return path, nil
		}
	}
	if cfg.Sandbox {
		return path, writeMenu(path, SandboxMenu())
	}
	return path, nil // Watch reports the missing file
}

func writeMenu(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("menu folder: %w", err)
	}
	return os.WriteFile(path, data, 0o640)
}

var periodRE = regexp.MustCompile(`\{start_time: "[0-9:]+", end_time: "[0-9:]+"\}`)

// SandboxMenu is the example menu open all day, every day: whoever starts
// the sandbox sees scan-to-order orders at any hour.
func SandboxMenu() []byte {
	out := periodRE.ReplaceAll(menu.Example(), []byte(`{start_time: "00:00", end_time: "23:59"}`))
	// delivery and WeChat payment too: the sandbox's pay page stands in for
	// 钱方 / 收钱吧, its SMS codes are in the log
	out = bytes.Replace(out, []byte("eat_types_enable: [true, false, true, true]"), []byte("eat_types_enable: [true, true, true, true]"), 1)
	out = bytes.Replace(out, []byte("    - {value: 1, label: 线下支付}\n"), []byte("    - {value: 1, label: 线下支付}\n    - {value: 2, label: 微信支付}\n"), 1)
	return append([]byte("# 沙盒演示菜单：全天营业。\n"), out...)
}
