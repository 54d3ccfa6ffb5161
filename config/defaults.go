package config

import (
	"time"

	"github.com/posbridge/posbridge/wechatpay/wxconfig"
)

// Defaults is the configuration every absent key falls back to. It has no
// stores and no printers: those are the store's own and come from the file.
func Defaults() *Config {
	return &Config{
		DataDir: "./data",
		Log:     LogConfig{Level: "info", MaxSizeM: 10, MaxFiles: 5},
		Console: ConsoleConfig{Listen: "127.0.0.1:8686", NoPageBeep: 2 * time.Minute, TrustLoopback: boolPtr(true)},
		Push:    PushConfig{Listen: "127.0.0.1:8687", SilentAfter: 10 * time.Minute},
		Platform: PlatformConfig{
			Mode:          ModeSandbox,
			Timeout:       10 * time.Second,
			RatePerSecond: 5,
			// Every channel of the documented orderClient enum (spec §5.1).
			OrderClients:    []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 24},
			SellOutChannels: []string{},
		},
		Poll: PollConfig{
			Interval:       60 * time.Second,
			FastInterval:   5 * time.Second,
			RefundEvery:    60 * time.Second,
			ReconcileEvery: 2 * time.Minute,
		},
		Accept: AcceptConfig{
			Mode:                  "auto",
			PromptWhenPrinterDown: boolPtr(true),
			HoldLead:              30 * time.Minute,
		},
		Print: PrintConfig{
			On:               "accept",
			ShowPrices:       boolPtr(true),
			KitchenSplit:     "station",
			StaleAfter:       15 * time.Minute,
			FailoverAfter:    30 * time.Second,
			FailoverAttempts: 3,
			RetryMin:         time.Second,
			RetryMax:         30 * time.Second,
			StatusEvery:      10 * time.Second,
		},
		Layouts:   DefaultLayouts(),
		Scanner:   ScannerConfig{DoubleScanWindow: 3 * time.Second},
		Ordering:  orderingDefaults(),
		Outbox:    OutboxConfig{RetryMin: time.Second, RetryMax: 5 * time.Minute, AlertAfter: 2 * time.Minute},
		Alerts:    AlertConfig{WaitingOrder: 3 * time.Minute, WaitingJob: time.Minute},
		Retention: RetentionConfig{Days: 90},
		Backup:    BackupConfig{Keep: 7},
		Service:   ServiceConfig{Name: "posbridge"},
		WeChatPay: wxconfig.Defaults(),
	}
}

// Sandbox is the configuration of `posbridge run` without a config file: the
// embedded simulated 开个店, two demo stores and three virtual printers whose
// output the console previews. Paths are relative; Load resolves them.
func Sandbox() *Config {
	c := Defaults()
	c.Sandbox = true
	c.DataDir = "./posbridge-sandbox"
	c.Stores, c.Printers = sandboxLists()
	c.Ordering = sandboxOrdering(c.Ordering)
	for i := range c.Printers {
		applyPrinterDefaults(&c.Printers[i], &c.Print, nil)
	}
	return c
}

// sandboxLists are the sandbox's stores and printers before defaults: a tea
// shop (南翔一店, menu "tea") with cup labels for every one of its drinks,
// and a restaurant (静安餐厅, menu "restaurant") whose kitchen makes its
// dishes. Routes name the sandbox menus' ids, so that no drink goes
// without a label whatever its name; scan-to-order items route by category.
func sandboxLists() ([]StoreConfig, []PrinterConfig) {
	stores := []StoreConfig{
		{ID: "1862", Name: "南翔一店"},
		{ID: "2051", Name: "静安餐厅"},
	}
	printers := []PrinterConfig{
		{Name: "receipt", Role: RoleReceipt, Connection: "virtual://receipt"},
		{Name: "kitchen", Role: RoleKitchen, Connection: "virtual://kitchen", Stores: []string{"2051"}},
		{
			Name: "label", Role: RoleLabel, Connection: "virtual://label",
			Stores: []string{"1862"},
			Match: MatchConfig{
				ProductIDs: []string{"T1001", "T1002", "T1003", "T1004", "T1005", "T1006", "T1007"},
				Categories: []string{"奶茶", "果茶"},
			},
		},
	}
	return stores, printers
}

// SandboxMenus binds each sandbox store to the simulated platform's menu it
// sells from: a tea shop never sells 酸菜鱼.
var SandboxMenus = map[string]string{"1862": "tea", "2051": "restaurant"}

// Printer roles and languages.
const (
	RoleReceipt = "receipt"
	RoleKitchen = "kitchen"
	RoleLabel   = "label"

	LanguageESCPOS = "escpos"
	LanguageTSPL   = "tspl"

	ModeSandbox = "sandbox"
	ModeLive    = "live"
)

// applyPrinterDefaults fills what the file left out. present reports whether
// a key (relative to the printer, like "label.gap_mm") was written, so that an
// explicit 0 (a continuous label roll) is kept; nil means nothing was written.
func applyPrinterDefaults(p *PrinterConfig, print *PrintConfig, present func(key string) bool) {
	if present == nil {
		present = func(string) bool { return false }
	}
	if p.Language == "" {
		p.Language = LanguageESCPOS
		if p.Role == RoleLabel {
			p.Language = LanguageTSPL
		}
	}
	if p.Language == LanguageESCPOS {
		if p.Paper == "" {
			p.Paper = "80mm"
		}
		if p.Columns == 0 {
			p.Columns = map[string]int{"58mm": 32, "80mm": 48}[p.Paper]
		}
	}
	if p.Role == RoleLabel {
		l := &p.Label
		if !present("label.width_mm") {
			l.WidthMM = 40
		}
		if !present("label.height_mm") {
			l.HeightMM = 30
		}
		if !present("label.gap_mm") {
			l.GapMM = 2
		}
		if l.Sensor == "" {
			l.Sensor = "gap"
		}
		if !present("label.dpi") {
			l.DPI = 203
		}
	}
	if !present("copies") {
		p.Copies = 1
	}
	if p.Charset == "" {
		p.Charset = "gbk"
	}
	if p.StatusQuery == "" {
		p.StatusQuery = "on"
	}
	if p.QR == "" {
		p.QR = "native"
	}
	if p.Barcode == "" {
		p.Barcode = "native"
	}
	if p.Cut == "" {
		p.Cut = "partial"
		if p.Language == LanguageTSPL {
			p.Cut = "none" // most label printers have no cutter
		}
	}
	if p.Beep == nil {
		p.Beep = boolPtr(p.Role == RoleKitchen)
	}
	if !present("font_size") {
		p.FontSize = 1
		if p.Role == RoleKitchen {
			p.FontSize = 2
		}
	}
	if p.ShowPrices == nil && print.ShowPrices != nil {
		p.ShowPrices = boolPtr(*print.ShowPrices)
	}
	if p.Footer == "" {
		p.Footer = print.Footer
	}
}

func boolPtr(b bool) *bool { return &b }
