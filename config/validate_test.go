package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// liveConfig loads a complete, valid live configuration whose key files lie
// in its folder.
func liveConfig(t *testing.T) *Config {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "keys", "private.pem"), string(keys().privatePKCS8))
	writeFile(t, filepath.Join(dir, "keys", "public.pem"), string(keys().public))
	path := filepath.Join(dir, FileName)
	writeFile(t, path, `
platform:
  mode: live
  base_url: https://open.example.cn/openapi
  partner_id: "1001"
  app_id: app-1
  access_token: tok-0123456789abcdef
  private_key_file: keys/private.pem
  public_key_file: keys/public.pem
stores:
  - { id: "1862", name: 南翔一店, hours: ["09:00-22:00", "22:30-02:00"] }
  - { id: "2051", name: 静安餐厅 }
accept:
  rules: [ { stores: ["2051"], types: [delivery], channels: [8], mode: manual } ]
printers:
  - { name: front, role: receipt, connection: "tcp://192.168.1.87:9100" }
  - { name: kitchen1, role: kitchen, connection: "serial://COM3?baud=9600", backup: front, match: { names: ["*面"] } }
  - { name: cups, role: label, connection: "usb:///dev/usb/lp0", stores: ["1862"] }
  - { name: cups2, role: label, connection: "windows://GP-3120TU", backup: cups }
scanner: { serial: "serial:///dev/ttyACM0?baud=9600" }
`)
	c, err := Load(LoadOptions{Path: path, Env: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLiveConfigIsValid(t *testing.T) {
	c := liveConfig(t)
	if ps := c.Validate(); len(ps) > 0 {
		t.Fatalf("problems:%s", problemLines(ps))
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateProblems(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	writeFile(t, garbage, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
	public := filepath.Join(dir, "public.pem")
	writeFile(t, public, string(keys().public))
	private := filepath.Join(dir, "private.pem")
	writeFile(t, private, string(keys().privatePKCS8))
	small := filepath.Join(dir, "small.pem")
	writeFile(t, small, string(keys().smallPrivate))
	cert, key := writeTLSPair(t, dir)
	notImage := filepath.Join(dir, "logo.png")
	writeFile(t, notImage, "GIF? no")

	type mut = func(*Config)
	tests := []struct {
		name    string
		mutate  mut
		key     string
		message string
		warning bool
	}{
		// platform
		{"mode", func(c *Config) { c.Platform.Mode = "production" }, "platform.mode", "must be sandbox or live", false},
		{"live without base_url", func(c *Config) { c.Platform.BaseURL = "" }, "platform.base_url", "required in live mode", false},
		{"live without partner_id", func(c *Config) { c.Platform.PartnerID = "" }, "platform.partner_id", "required in live mode", false},
		{"live without app_id", func(c *Config) { c.Platform.AppID = " " }, "platform.app_id", "required in live mode", false},
		{"live without access_token", func(c *Config) { c.Platform.AccessToken = "" }, "platform.access_token", "required in live mode", false},
		{"live without private key", func(c *Config) { c.Platform.PrivateKeyFile = "" }, "platform.private_key_file", "required in live mode", false},
		{"unreadable private key", func(c *Config) { c.Platform.PrivateKeyFile = filepath.Join(dir, "nope.pem") }, "platform.private_key_file", "cannot read the key file", false},
		{"malformed private key", func(c *Config) { c.Platform.PrivateKeyFile = garbage }, "platform.private_key_file", "is not an RSA private key", false},
		{"public key as private", func(c *Config) { c.Platform.PrivateKeyFile = public }, "platform.private_key_file", "this is a public key", false},
		{"private key as public", func(c *Config) { c.Platform.PublicKeyFile = private }, "platform.public_key_file", "this is a private key", false},
		{"small key", func(c *Config) { c.Platform.PrivateKeyFile = small }, "platform.private_key_file", "1024 bits", true},
		{"base_url not a URL", func(c *Config) { c.Platform.BaseURL = "open.example.cn" }, "platform.base_url", "is not a web address", false},
		{"base_url with password", func(c *Config) { c.Platform.BaseURL = "https://u:p@open.example.cn/openapi" }, "platform.base_url", "must not contain a user name", false},
		{"base_url over http", func(c *Config) { c.Platform.BaseURL = "http://open.example.cn/openapi" }, "platform.base_url", "uses http", true},
		{"timeout zero", func(c *Config) { c.Platform.Timeout = 0 }, "platform.timeout", "more than 0", false},
		{"rate zero", func(c *Config) { c.Platform.RatePerSecond = 0 }, "platform.rate_per_second", "more than 0", false},
		{"no order clients", func(c *Config) { c.Platform.OrderClients = nil }, "platform.order_clients", "must list the channels", false},
		{"order client zero", func(c *Config) { c.Platform.OrderClients = []int{1, 0} }, "platform.order_clients[1]", "not a channel", false},

		// durations
		{"negative duration", func(c *Config) { c.Poll.Interval = -5 * time.Second }, "poll.interval", "must not be negative", false},
		{"zero poll", func(c *Config) { c.Poll.FastInterval = 0 }, "poll.fast_interval", "more than 0", false},
		{"poll too fast", func(c *Config) { c.Poll.FastInterval = 100 * time.Millisecond }, "poll.fast_interval", "under 1s", true},
		{"outbox retry max below min", func(c *Config) { c.Outbox.RetryMax = 100 * time.Millisecond }, "outbox.retry_max", "not be shorter than outbox.retry_min", false},
		{"alerts zero", func(c *Config) { c.Alerts.WaitingOrder = 0 }, "alerts.waiting_order", "more than 0", false},

		// stores
		{"no stores", func(c *Config) { c.Stores = nil }, "stores", "no stores", false},
		{"duplicate store", func(c *Config) { c.Stores[1].ID = "1862" }, "stores[1].id", "listed twice", false},
		{"store without id", func(c *Config) { c.Stores[1].ID = "" }, "stores[1].id", "is missing", false},
		{"store without name", func(c *Config) { c.Stores[1].Name = "" }, "stores[1].name", "no store name", true},
		{"bad hours", func(c *Config) { c.Stores[0].Hours = []string{"9-22"} }, "stores[0].hours[0]", "like 09:00-22:00", false},
		{"empty hours", func(c *Config) { c.Stores[0].Hours = []string{"09:00-09:00"} }, "stores[0].hours[0]", "same time", false},

		// console and push
		{"console on the LAN without pin", func(c *Config) { c.Console.Listen = "0.0.0.0:8686" }, "console.pin", "reachable from other machines", false},
		{"console on all interfaces without pin", func(c *Config) { c.Console.Listen = ":8686" }, "console.pin", "reachable from other machines", false},
		{"console listen not host:port", func(c *Config) { c.Console.Listen = "8686" }, "console.listen", "not host:port", false},
		{"console port out of range", func(c *Config) { c.Console.Listen = "127.0.0.1:70000" }, "console.listen", "1 to 65535", false},
		{"console listen empty", func(c *Config) { c.Console.Listen = "" }, "console.listen", "must be set", false},
		{"pin too short", func(c *Config) { c.Console.Pin = "12" }, "console.pin", "too short", false},
		{"damaged bcrypt pin", func(c *Config) { c.Console.Pin = "$2b$10$short" }, "console.pin", "bcrypt hash but is damaged", false},
		{"short api token", func(c *Config) { c.Console.APIToken = "abc" }, "console.api_token", "at least 16", true},
		{"push listen bad", func(c *Config) { c.Push.Listen = "localhost" }, "push.listen", "not host:port", false},
		{"push on the console port", func(c *Config) { c.Push.Listen = "0.0.0.0:8686"; c.Push.Token = "x" }, "push.listen", "overlaps console.listen", false},
		// push open without auth: an error the daemon starts with (TestOpenPushListenerIsAnError)
		{"tls cert without key", func(c *Config) { c.Push.TLSCertFile = cert }, "push.tls_key_file", "must be set", false},
		{"tls key without cert", func(c *Config) { c.Push.TLSKeyFile = key }, "push.tls_cert_file", "must be set", false},
		{"tls pair broken", func(c *Config) { c.Push.TLSCertFile, c.Push.TLSKeyFile = cert, private }, "push.tls_cert_file", "cannot load", false},

		// accept
		{"accept mode", func(c *Config) { c.Accept.Mode = "always" }, "accept.mode", "must be auto or manual", false},
		{"outside hours", func(c *Config) { c.Accept.OutsideHours = "closed" }, "accept.outside_hours", "must be auto or manual", false},
		{"hold without lead", func(c *Config) { c.Accept.HoldReserved, c.Accept.HoldLead = true, 0 }, "accept.hold_lead", "more than 0", false},
		{"rule type", func(c *Config) { c.Accept.Rules[0].Types = []string{"takeaway"} }, "accept.rules[0].types[0]", "dine_in, pickup, delivery or reserved", false},
		{"rule without mode", func(c *Config) { c.Accept.Rules[0].Mode = "" }, "accept.rules[0].mode", "is missing", false},
		{"rule store", func(c *Config) { c.Accept.Rules[0].Stores = []string{"9999"} }, "accept.rules[0].stores[0]", "not in stores", false},
		{"rule channel", func(c *Config) { c.Accept.Rules[0].Channels = []int{-1} }, "accept.rules[0].channels[0]", "not a channel", false},

		// print
		{"print on", func(c *Config) { c.Print.On = "pay" }, "print.on", "must be accept or arrival", false},
		{"kitchen split", func(c *Config) { c.Print.KitchenSplit = "dish" }, "print.kitchen_split", "station or item", false},
		{"failover attempts", func(c *Config) { c.Print.FailoverAttempts = 0 }, "print.failover_attempts", "at least 1", false},
		{"print retry max", func(c *Config) { c.Print.RetryMax = time.Millisecond }, "print.retry_max", "not be shorter", false},
		{"logo missing", func(c *Config) { c.Print.Logo = filepath.Join(dir, "none.png") }, "print.logo", "cannot read the image", false},
		{"logo not an image", func(c *Config) { c.Print.Logo = notImage }, "print.logo", "not a PNG", false},

		// printers
		{"no printers", func(c *Config) { c.Printers = nil }, "printers", "no printers", true},
		{"duplicate printer", func(c *Config) { c.Printers[1].Name = "front" }, "printers[1].name", "used twice", false},
		{"printer without name", func(c *Config) { c.Printers[0].Name = "" }, "printers[0].name", "is missing", false},
		{"role", func(c *Config) { c.Printers[0].Role = "bar" }, "printers[0].role", "receipt, kitchen or label", false},
		{"language", func(c *Config) { c.Printers[0].Language = "zpl" }, "printers[0].language", "escpos or tspl", false},
		{"tspl on a receipt printer", func(c *Config) { c.Printers[0].Language = "tspl" }, "printers[0].language", "label printers only", false},
		{"connection", func(c *Config) { c.Printers[0].Connection = "tcp://192.168.1.87" }, "printers[0].connection", "needs a port", false},
		{"connection serial", func(c *Config) { c.Printers[1].Connection = "serial://COM3?baud=fast" }, "printers[1].connection", "baud", false},
		{"paper", func(c *Config) { c.Printers[0].Paper = "76mm" }, "printers[0].paper", "58mm or 80mm", false},
		{"columns", func(c *Config) { c.Printers[0].Columns = 20 }, "printers[0].columns", "24 to 64", false},
		{"copies zero", func(c *Config) { c.Printers[0].Copies = 0 }, "printers[0].copies", "1 to 5", false},
		{"copies six", func(c *Config) { c.Printers[0].Copies = 6 }, "printers[0].copies", "1 to 5", false},
		{"charset", func(c *Config) { c.Printers[0].Charset = "big5" }, "printers[0].charset", "gbk, gb2312 or gb18030", false},
		{"status query", func(c *Config) { c.Printers[0].StatusQuery = "yes" }, "printers[0].status_query", "on or off", false},
		{"qr", func(c *Config) { c.Printers[0].QR = "image" }, "printers[0].qr", "native or raster", false},
		{"barcode", func(c *Config) { c.Printers[0].Barcode = "code39" }, "printers[0].barcode", "native, raster or off", false},
		{"cut", func(c *Config) { c.Printers[0].Cut = "half" }, "printers[0].cut", "partial, full or none", false},
		{"font size", func(c *Config) { c.Printers[1].FontSize = 3 }, "printers[1].font_size", "1 (normal) or 2", false},
		{"printer store", func(c *Config) { c.Printers[2].Stores = []string{"77"} }, "printers[2].stores[0]", "not in stores", false},
		{"backup unknown", func(c *Config) { c.Printers[1].Backup = "front2" }, "printers[1].backup", "not a printer in this file", false},
		{"backup itself", func(c *Config) { c.Printers[0].Backup = "front" }, "printers[0].backup", "its own backup", false},
		{"backup cycle", func(c *Config) { c.Printers[0].Backup = "kitchen1" }, "printers[0].backup", "circle (front → kitchen1 → front)", false},
		{"backup of another kind", func(c *Config) { c.Printers[2].Backup = "front" }, "printers[2].backup", "cannot stand in", false},
		{"bad pattern", func(c *Config) { c.Printers[1].Match.Names = []string{"[奶茶"} }, "printers[1].match.names[0]", "not a valid pattern", false},
		{"empty product id", func(c *Config) { c.Printers[1].Match.ProductIDs = []string{""} }, "printers[1].match.product_ids[0]", "is empty", false},
		{"match on a receipt printer", func(c *Config) { c.Printers[0].Match.Names = []string{"茶"} }, "printers[0].match", "ignored on a receipt printer", true},
		{"label too narrow", func(c *Config) { c.Printers[2].Label.WidthMM = 10 }, "printers[2].label.width_mm", "20 to 110", false},
		{"label too tall", func(c *Config) { c.Printers[2].Label.HeightMM = 200 }, "printers[2].label.height_mm", "10 to 100", false},
		{"label gap", func(c *Config) { c.Printers[2].Label.GapMM = -1 }, "printers[2].label.gap_mm", "0 to 10", false},
		{"label sensor", func(c *Config) { c.Printers[2].Label.Sensor = "hole" }, "printers[2].label.sensor", "gap or bline", false},
		{"label dpi", func(c *Config) { c.Printers[2].Label.DPI = 150 }, "printers[2].label.dpi", "203 or 300", false},
		{"label offset", func(c *Config) { c.Printers[2].Label.OffsetX = 500 }, "printers[2].label.offset_x", "-200 to 200", false},

		// scanner, retention, log, service
		{"scanner uri", func(c *Config) { c.Scanner.Serial = "COM5" }, "scanner.serial", "must be a serial port, like serial://COM5", false},
		{"scanner baud", func(c *Config) { c.Scanner.Serial = "serial://COM5" }, "scanner.serial", "needs a speed", false},
		{"scanner not serial", func(c *Config) { c.Scanner.Serial = "tcp://1.2.3.4:5" }, "scanner.serial", "must be a serial port", false},
		{"retention", func(c *Config) { c.Retention.Days = 0 }, "retention.days", "at least 1", false},
		{"log level", func(c *Config) { c.Log.Level = "verbose" }, "log.level", "debug, info, warn or error", false},
		{"log files", func(c *Config) { c.Log.MaxFiles = 0 }, "log.max_files", "at least 1", false},
		{"service name", func(c *Config) { c.Service.Name = "pos bridge" }, "service.name", "letters, digits", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := liveConfig(t)
			tt.mutate(c)
			ps := c.Validate()
			p, ok := findProblem(ps, tt.key, tt.message)
			if !ok {
				t.Fatalf("want %s: …%s…, got:%s", tt.key, tt.message, problemLines(ps))
			}
			if p.Warning != tt.warning {
				t.Errorf("%s: warning = %v, want %v", p, p.Warning, tt.warning)
			}
			if strings.Contains(p.Message, "\n") || !strings.HasPrefix(p.String(), tt.key+": ") {
				t.Errorf("not one line starting with the key: %q", p.String())
			}
			if err := c.Check(); (err != nil) == tt.warning {
				t.Errorf("Check() = %v for warning=%v", err, tt.warning)
			}
		})
	}
}

func TestAcceptedValues(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("8686"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*Config)
	}{
		{"LAN console with a PIN", func(c *Config) { c.Console.Listen, c.Console.Pin = "0.0.0.0:8686", "8686" }},
		{"LAN console with a bcrypt PIN", func(c *Config) { c.Console.Listen, c.Console.Pin = "192.168.1.10:8686", string(hash) }},
		{"localhost console", func(c *Config) { c.Console.Listen = "localhost:8686" }},
		{"IPv6 loopback console", func(c *Config) { c.Console.Listen = "[::1]:8686" }},
		{"push disabled", func(c *Config) { c.Push.Listen = "" }},
		{"push with TLS", func(c *Config) {
			dir := t.TempDir()
			c.Push.TLSCertFile, c.Push.TLSKeyFile = writeTLSPair(t, dir)
		}},
		{"PKCS#1 private key", func(c *Config) {
			p := filepath.Join(t.TempDir(), "k.pem")
			writeFile(t, p, string(keys().privatePKCS1))
			c.Platform.PrivateKeyFile = p
		}},
		{"logo", func(c *Config) {
			p := filepath.Join(t.TempDir(), "logo.png")
			writePNG(t, p)
			c.Print.Logo = p
		}},
		{"continuous labels", func(c *Config) { c.Printers[2].Label.GapMM = 0 }},
		{"64 mm print area", func(c *Config) { c.Printers[0].Columns = 42 }},
		{"escpos label printer", func(c *Config) { c.Printers[2].Language = "escpos"; c.Printers[2].Paper = "58mm" }},
		{"kitchen backed up by the receipt printer", func(c *Config) { c.Printers[1].Backup = "front" }},
		{"manual with timeout", func(c *Config) { c.Accept.Mode, c.Accept.ManualTimeout = "manual", 90*time.Second }},
		{"print on arrival", func(c *Config) { c.Print.On = "arrival"; c.Print.KitchenSplit = "item" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := liveConfig(t)
			tt.mutate(c)
			if ps := c.Validate(); len(ps) > 0 {
				t.Errorf("problems:%s", problemLines(ps))
			}
		})
	}
}

// A malformed list entry is reported once, not once per key it lacks.
func TestMalformedEntryReportedOnce(t *testing.T) {
	c := loadYAML(t, minimalYAML+"printers:\n  - front\n  - { name: b, role: receipt, connection: \"virtual://b\" }\n")
	ps := c.Validate()
	if len(ps) != 1 || ps[0].Key != "printers[0]" {
		t.Errorf("want one problem for printers[0], got:%s", problemLines(ps))
	}
}
