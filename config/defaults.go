package config

import (
	"time"

	"github.com/posbridge/posbridge/wechatpay"
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
		Scanner:   ScannerConfig{DoubleScanWindow: 3 * time.Second},
		Outbox:    OutboxConfig{RetryMin: time.Second, RetryMax: 5 * time.Minute, AlertAfter: 2 * time.Minute},
		Alerts:    AlertConfig{WaitingOrder: 3 * time.Minute, WaitingJob: time.Minute},
		Retention: RetentionConfig{Days: 90},
		Backup:    BackupConfig{Keep: 7},
		Service:   ServiceConfig{Name: "posbridge"},
		WeChatPay: wechatpay.Defaults(),
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
	for i := range c.Printers {
		applyPrinterDefaults(&c.Printers[i], &c.Print, nil)
	}
	return c
}

// sandboxLists are the sandbox's stores and printers before defaults: a tea
// shop with cup labels for its drinks and a restaurant.
func sandboxLists() ([]StoreConfig, []PrinterConfig) {
	stores := []StoreConfig{
		{ID: "1862", Name: "南翔一店"},
		{ID: "2051", Name: "静安餐厅"},
	}
	printers := []PrinterConfig{
		{Name: "receipt", Role: RoleReceipt, Connection: "virtual://receipt"},
		{Name: "kitchen", Role: RoleKitchen, Connection: "virtual://kitchen"},
		{
			Name: "label", Role: RoleLabel, Connection: "virtual://label",
			Stores: []string{"1862"},
			Match:  MatchConfig{Names: []string{"茶", "奶", "咖啡"}},
		},
	}
	return stores, printers
}

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
