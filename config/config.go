// Package config loads, defaults and validates posbridge.yaml. Keys are a
// contract with installers and other tools: snake_case, every scalar key
// overridable by POSBRIDGE_<SECTION>_<KEY>.
package config

import (
	"github.com/posbridge/posbridge/wechatpay/wxconfig"

	"path/filepath"
	"time"
)

// Config is the whole effective configuration.
type Config struct {
	// File is the config file this was loaded from ("" when none: the sandbox).
	File string `mapstructure:"-" yaml:"-"`
	// Sandbox is true when no config file was found and `posbridge run` fell back
	// to the embedded sandbox.
	Sandbox bool `mapstructure:"-" yaml:"-"`
	// Settings is the settings layer merged over the file
	// (data_dir/settings.yaml, written by the console); "" when there is none.
	Settings string `mapstructure:"-" yaml:"-"`

	DataDir   string          `mapstructure:"data_dir" yaml:"data_dir"`
	Log       LogConfig       `mapstructure:"log" yaml:"log"`
	Console   ConsoleConfig   `mapstructure:"console" yaml:"console"`
	Push      PushConfig      `mapstructure:"push" yaml:"push"`
	Platform  PlatformConfig  `mapstructure:"platform" yaml:"platform"`
	Poll      PollConfig      `mapstructure:"poll" yaml:"poll"`
	Stores    []StoreConfig   `mapstructure:"stores" yaml:"stores"`
	Accept    AcceptConfig    `mapstructure:"accept" yaml:"accept"`
	Print     PrintConfig     `mapstructure:"print" yaml:"print"`
	Printers  []PrinterConfig `mapstructure:"printers" yaml:"printers"`
	Layouts   LayoutsConfig   `mapstructure:"layouts" yaml:"layouts"`
	Stations  []StationConfig `mapstructure:"stations" yaml:"stations"` // kitchen screens without a printer
	Scanner   ScannerConfig   `mapstructure:"scanner" yaml:"scanner"`
	Ordering  OrderingConfig  `mapstructure:"ordering" yaml:"ordering"`
	Outbox    OutboxConfig    `mapstructure:"outbox" yaml:"outbox"`
	Alerts    AlertConfig     `mapstructure:"alerts" yaml:"alerts"`
	Retention RetentionConfig `mapstructure:"retention" yaml:"retention"`
	Backup    BackupConfig    `mapstructure:"backup" yaml:"backup"`
	Service   ServiceConfig   `mapstructure:"service" yaml:"service"`
	// WeChatPay is the catering order sync of scan-to-order orders (seed 003),
	// signed with the key of the service provider (服务商 or 渠道商) that
	// serves the store. Off unless enabled.
	WeChatPay wxconfig.Config `mapstructure:"wechatpay" yaml:"wechatpay"`
	Webhooks  []WebhookConfig `mapstructure:"webhooks" yaml:"webhooks"`

	loadProblems []Problem         // found while reading the file; Validate returns them
	sources      map[string]string // key → where it was set: "line 12" or "POSBRIDGE_…"
	broken       map[string]bool   // list entries reported as malformed while loading
	env          map[string]string // the environment it was loaded with, for Reload
	base         string            // the sandbox's working folder, for Reload
}

// LogConfig controls the daemon's log output.
type LogConfig struct {
	Level    string `mapstructure:"level" yaml:"level"`             // debug | info | warn | error
	File     string `mapstructure:"file" yaml:"file"`               // "" = stderr only (journal / console)
	MaxSizeM int    `mapstructure:"max_size_mb" yaml:"max_size_mb"` // rotate at this size
	MaxFiles int    `mapstructure:"max_files" yaml:"max_files"`     // rotated files kept
}

// ConsoleConfig is the staff console listener.
type ConsoleConfig struct {
	Listen   string `mapstructure:"listen" yaml:"listen"`       // default 127.0.0.1:8686
	Pin      string `mapstructure:"pin" yaml:"pin"`             // plaintext or bcrypt hash; required off loopback
	APIToken string `mapstructure:"api_token" yaml:"api_token"` // Bearer token for store tools on the LAN
	// ManagerPin guards what moves a member's money by hand (会员 view:
	// adjust a balance); plaintext or bcrypt hash, asked even on this PC.
	ManagerPin string `mapstructure:"manager_pin" yaml:"manager_pin"`
	// NoPageBeep is how long no console page may be connected while an order
	// waits before the printers beep (ESC B).
	NoPageBeep time.Duration `mapstructure:"no_page_beep" yaml:"no_page_beep"`
	// TrustLoopback lets a browser on this PC in without the PIN. Turn it off
	// behind a tunnel or reverse proxy that adds no forwarding header: its
	// requests come from 127.0.0.1 too. Default true.
	TrustLoopback *bool `mapstructure:"trust_loopback" yaml:"trust_loopback"`
}

// LoopbackTrusted reports whether a client on this PC needs no login.
func (c ConsoleConfig) LoopbackTrusted() bool { return c.TrustLoopback == nil || *c.TrustLoopback }

// PushConfig is the listener the platform pushes to.
type PushConfig struct {
	Listen      string `mapstructure:"listen" yaml:"listen"` // "" disables the push receiver
	Token       string `mapstructure:"token" yaml:"token"`   // optional X-Push-Token / ?token=
	TLSCertFile string `mapstructure:"tls_cert_file" yaml:"tls_cert_file"`
	TLSKeyFile  string `mapstructure:"tls_key_file" yaml:"tls_key_file"`
	// SilentAfter: no push for this long while orders arrive through the poll
	// switches the poller to its fast interval.
	SilentAfter time.Duration `mapstructure:"silent_after" yaml:"silent_after"`
}

// PlatformConfig is the 开个店 link.
type PlatformConfig struct {
	Mode           string        `mapstructure:"mode" yaml:"mode"` // sandbox | live
	BaseURL        string        `mapstructure:"base_url" yaml:"base_url"`
	PartnerID      string        `mapstructure:"partner_id" yaml:"partner_id"`
	AppID          string        `mapstructure:"app_id" yaml:"app_id"`
	AccessToken    string        `mapstructure:"access_token" yaml:"access_token"`
	PrivateKeyFile string        `mapstructure:"private_key_file" yaml:"private_key_file"`
	PublicKeyFile  string        `mapstructure:"public_key_file" yaml:"public_key_file"`
	Timeout        time.Duration `mapstructure:"timeout" yaml:"timeout"`
	// RatePerSecond limits our calls to the platform (the documents warn of limits).
	RatePerSecond float64 `mapstructure:"rate_per_second" yaml:"rate_per_second"`
	// OrderClients are the channels requested in batchQuery (orderClients is required).
	OrderClients []int `mapstructure:"order_clients" yaml:"order_clients"`
	// SellOutChannels are the channelId values 沽清 is sent for (saas,
	// saasdelivery, saasmall, wc); empty = one call without channelId, which
	// the platform applies to its default.
	SellOutChannels []string `mapstructure:"sell_out_channels" yaml:"sell_out_channels"`
}

// PollConfig controls the safety-net and NAT polling.
type PollConfig struct {
	Interval       time.Duration `mapstructure:"interval" yaml:"interval"`           // while pushes flow
	FastInterval   time.Duration `mapstructure:"fast_interval" yaml:"fast_interval"` // push disabled or silent
	RefundEvery    time.Duration `mapstructure:"refund_interval" yaml:"refund_interval"`
	ReconcileEvery time.Duration `mapstructure:"reconcile_interval" yaml:"reconcile_interval"`
}

// StoreConfig is one store this PC serves.
type StoreConfig struct {
	ID   string `mapstructure:"id" yaml:"id" json:"id,omitempty"`
	Name string `mapstructure:"name" yaml:"name" json:"name,omitempty"`
	// Hours are business hours like "09:00-22:00" on the store's clock
	// (Timezone); empty = always open.
	Hours []string `mapstructure:"hours" yaml:"hours" json:"hours,omitempty"`
	// Timezone is the store's IANA zone ("" = Asia/Shanghai) and DayStart
	// when its business day begins ("" = 04:00, seed 002's start_time):
	// the day of its reports (日结), of scan-to-order's take codes and open
	// check. Read them through Config.StoreDay.
	Timezone string `mapstructure:"timezone" yaml:"timezone" json:"timezone,omitempty"`
	DayStart string `mapstructure:"day_start" yaml:"day_start" json:"day_start,omitempty"`
}

// AcceptConfig is the accept policy.
type AcceptConfig struct {
	Mode          string        `mapstructure:"mode" yaml:"mode"` // auto | manual
	ManualTimeout time.Duration `mapstructure:"manual_timeout" yaml:"manual_timeout"`
	// PromptWhenPrinterDown turns auto-accept into a staff prompt while a printer
	// that would receive the order is offline or out of paper. Default true.
	PromptWhenPrinterDown *bool `mapstructure:"prompt_when_printer_down" yaml:"prompt_when_printer_down"`
	// HoldReserved keeps reserved orders (types 2, 4, 6) waiting until HoldLead
	// before their expected time.
	HoldReserved bool          `mapstructure:"hold_reserved" yaml:"hold_reserved"`
	HoldLead     time.Duration `mapstructure:"hold_lead" yaml:"hold_lead"`
	// OutsideHours is the mode used outside the store's business hours.
	OutsideHours string `mapstructure:"outside_hours" yaml:"outside_hours"` // "" | auto | manual
	// Rules are evaluated in order; the first that matches decides the mode.
	Rules []AcceptRule `mapstructure:"rules" yaml:"rules"`
}

// AcceptRule picks auto or manual for the orders it matches. Empty lists match all.
type AcceptRule struct {
	Stores   []string `mapstructure:"stores" yaml:"stores"`
	Types    []string `mapstructure:"types" yaml:"types"` // dine_in | pickup | delivery | reserved
	Channels []int    `mapstructure:"channels" yaml:"channels"`
	Sources  []string `mapstructure:"sources" yaml:"sources"` // kaigedian | ordering (扫码点餐)
	Mode     string   `mapstructure:"mode" yaml:"mode"`       // auto | manual
}

// PrintConfig holds options shared by all documents.
type PrintConfig struct {
	On         string `mapstructure:"on" yaml:"on"` // accept | arrival
	ShowPrices *bool  `mapstructure:"show_prices" yaml:"show_prices"`
	Footer     string `mapstructure:"footer" yaml:"footer"`
	Logo       string `mapstructure:"logo" yaml:"logo"` // image file for the receipt header
	// KitchenSplit: "station" prints one kitchen ticket per station, "item" one per item.
	KitchenSplit string `mapstructure:"kitchen_split" yaml:"kitchen_split"`
	// StaleAfter: after an outage, jobs older than this wait for a staff decision.
	StaleAfter time.Duration `mapstructure:"stale_after" yaml:"stale_after"`
	// FailoverAfter and FailoverAttempts: when a job moves to the backup printer.
	FailoverAfter    time.Duration `mapstructure:"failover_after" yaml:"failover_after"`
	FailoverAttempts int           `mapstructure:"failover_attempts" yaml:"failover_attempts"`
	RetryMin         time.Duration `mapstructure:"retry_min" yaml:"retry_min"`
	RetryMax         time.Duration `mapstructure:"retry_max" yaml:"retry_max"`
	StatusEvery      time.Duration `mapstructure:"status_interval" yaml:"status_interval"`
}

// PrinterConfig is one printer.
type PrinterConfig struct {
	Name        string      `mapstructure:"name" yaml:"name" json:"name,omitempty"`
	Role        string      `mapstructure:"role" yaml:"role" json:"role,omitempty"`             // receipt | kitchen | label
	Language    string      `mapstructure:"language" yaml:"language" json:"language,omitempty"` // escpos | tspl
	Connection  string      `mapstructure:"connection" yaml:"connection" json:"connection,omitempty"`
	Paper       string      `mapstructure:"paper" yaml:"paper" json:"paper,omitempty"` // 58mm | 80mm
	Columns     int         `mapstructure:"columns" yaml:"columns" json:"columns,omitempty"`
	Label       LabelConfig `mapstructure:"label" yaml:"label" json:"label,omitempty"`
	Copies      int         `mapstructure:"copies" yaml:"copies" json:"copies,omitempty"`
	Charset     string      `mapstructure:"charset" yaml:"charset" json:"charset,omitempty"`                // gbk | gb2312 | gb18030
	StatusQuery string      `mapstructure:"status_query" yaml:"status_query" json:"status_query,omitempty"` // on | off
	Stores      []string    `mapstructure:"stores" yaml:"stores" json:"stores,omitempty"`
	Backup      string      `mapstructure:"backup" yaml:"backup" json:"backup,omitempty"`
	Match       MatchConfig `mapstructure:"match" yaml:"match" json:"match,omitempty"`
	QR          string      `mapstructure:"qr" yaml:"qr" json:"qr,omitempty"`                      // native | raster
	Barcode     string      `mapstructure:"barcode" yaml:"barcode" json:"barcode,omitempty"`       // native | raster | off
	Beep        *bool       `mapstructure:"beep" yaml:"beep" json:"beep,omitempty"`                // ESC B when a ticket arrives (kitchen default on)
	Cut         string      `mapstructure:"cut" yaml:"cut" json:"cut,omitempty"`                   // partial | full | none
	FontSize    int         `mapstructure:"font_size" yaml:"font_size" json:"font_size,omitempty"` // 1 normal, 2 large (kitchen default 2)
	ShowPrices  *bool       `mapstructure:"show_prices" yaml:"show_prices" json:"show_prices,omitempty"`
	Footer      string      `mapstructure:"footer" yaml:"footer" json:"footer,omitempty"`
}

// LabelConfig describes the label stock of a label printer.
type LabelConfig struct {
	WidthMM  int    `mapstructure:"width_mm" yaml:"width_mm" json:"width_mm,omitempty"`
	HeightMM int    `mapstructure:"height_mm" yaml:"height_mm" json:"height_mm,omitempty"`
	GapMM    int    `mapstructure:"gap_mm" yaml:"gap_mm" json:"gap_mm,omitempty"`
	Sensor   string `mapstructure:"sensor" yaml:"sensor" json:"sensor,omitempty"`       // gap | bline (black mark)
	OffsetX  int    `mapstructure:"offset_x" yaml:"offset_x" json:"offset_x,omitempty"` // dots, corrects misaligned stock
	OffsetY  int    `mapstructure:"offset_y" yaml:"offset_y" json:"offset_y,omitempty"`
	DPI      int    `mapstructure:"dpi" yaml:"dpi" json:"dpi,omitempty"`
}

// MatchConfig routes items to a kitchen station or label printer; an item
// taken by any of the three lists goes there. Empty = everything.
type MatchConfig struct {
	// ProductIDs match productId or thirdProductId, qualified by the order's
	// source ("ordering:12" is the scan-to-order menu's product 12); an id
	// without a source is 开个店's, as written before sources existed.
	ProductIDs []string `mapstructure:"product_ids" yaml:"product_ids" json:"product_ids,omitempty"`
	// Names are patterns (path.Match syntax, or a plain substring).
	Names []string `mapstructure:"names" yaml:"names" json:"names,omitempty"`
	// Categories are scan-to-order menu category names (开个店 items carry
	// no category: route them by id or name).
	Categories []string `mapstructure:"categories" yaml:"categories" json:"categories,omitempty"`
}

// ScannerConfig is the barcode scanner input.
type ScannerConfig struct {
	Serial           string        `mapstructure:"serial" yaml:"serial"` // serial:///dev/ttyACM0?baud=9600
	DoubleScanWindow time.Duration `mapstructure:"double_scan_window" yaml:"double_scan_window"`
}

// OutboxConfig tunes retries of platform calls.
type OutboxConfig struct {
	RetryMin time.Duration `mapstructure:"retry_min" yaml:"retry_min"`
	RetryMax time.Duration `mapstructure:"retry_max" yaml:"retry_max"`
	// AlertAfter: a call still failing after this is shown to the staff.
	AlertAfter time.Duration `mapstructure:"alert_after" yaml:"alert_after"`
}

// AlertConfig tunes staff alerts.
type AlertConfig struct {
	WaitingOrder time.Duration `mapstructure:"waiting_order" yaml:"waiting_order"` // escalate an undecided order
	WaitingJob   time.Duration `mapstructure:"waiting_job" yaml:"waiting_job"`     // a print job that waits
}

// RetentionConfig prunes old data.
type RetentionConfig struct {
	Days int `mapstructure:"days" yaml:"days"` // default 90
}

// BackupConfig is the nightly copy of the database.
type BackupConfig struct {
	// Dir is where the copies go; "" = data_dir/backups. A folder on another
	// disk (or a USB stick) survives the disk that holds the database.
	Dir  string `mapstructure:"dir" yaml:"dir"`
	Keep int    `mapstructure:"keep" yaml:"keep"` // copies kept, newest first (default 7)
}

// BackupDir is the folder of the automatic backups.
func (c *Config) BackupDir() string {
	if c.Backup.Dir != "" {
		return c.Backup.Dir
	}
	return filepath.Join(c.DataDir, "backups")
}

// ServiceConfig controls the OS service.
type ServiceConfig struct {
	Name    string `mapstructure:"name" yaml:"name"`       // default posbridge
	Account string `mapstructure:"account" yaml:"account"` // Windows: "" = LocalSystem
}
