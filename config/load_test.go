package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDefaultsApplied(t *testing.T) {
	c := loadYAML(t, minimalYAML+`
printers:
  - { name: front, role: receipt, connection: "tcp://10.0.0.9:9100" }
  - { name: small, role: receipt, connection: "virtual://s", paper: 58mm }
  - { name: wok, role: kitchen, connection: "virtual://k" }
  - { name: cups, role: label, connection: "virtual://l" }
  - { name: roll, role: label, connection: "virtual://r", label: { gap_mm: 0 } }
`)
	if ps := c.Validate(); len(ps) > 0 {
		t.Fatalf("minimal config has problems:%s", problemLines(ps))
	}
	dir := filepath.Dir(c.File)
	tests := []struct {
		key  string
		got  any
		want any
	}{
		{"data_dir", c.DataDir, filepath.Join(dir, "data")},
		{"console.listen", c.Console.Listen, "127.0.0.1:8686"},
		{"console.no_page_beep", c.Console.NoPageBeep, 2 * time.Minute},
		{"push.listen", c.Push.Listen, "127.0.0.1:8687"},
		{"push.silent_after", c.Push.SilentAfter, 10 * time.Minute},
		{"platform.mode", c.Platform.Mode, "sandbox"},
		{"platform.timeout", c.Platform.Timeout, 10 * time.Second},
		{"platform.rate_per_second", c.Platform.RatePerSecond, 5.0},
		{"platform.order_clients", c.Platform.OrderClients, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 24}},
		{"poll.interval", c.Poll.Interval, 60 * time.Second},
		{"poll.fast_interval", c.Poll.FastInterval, 5 * time.Second},
		{"poll.refund_interval", c.Poll.RefundEvery, 60 * time.Second},
		{"poll.reconcile_interval", c.Poll.ReconcileEvery, 2 * time.Minute},
		{"accept.mode", c.Accept.Mode, "auto"},
		{"accept.manual_timeout", c.Accept.ManualTimeout, time.Duration(0)},
		{"accept.prompt_when_printer_down", *c.Accept.PromptWhenPrinterDown, true},
		{"accept.hold_lead", c.Accept.HoldLead, 30 * time.Minute},
		{"print.on", c.Print.On, "accept"},
		{"print.show_prices", *c.Print.ShowPrices, true},
		{"print.kitchen_split", c.Print.KitchenSplit, "station"},
		{"print.stale_after", c.Print.StaleAfter, 15 * time.Minute},
		{"print.failover_after", c.Print.FailoverAfter, 30 * time.Second},
		{"print.failover_attempts", c.Print.FailoverAttempts, 3},
		{"print.retry_min", c.Print.RetryMin, time.Second},
		{"print.retry_max", c.Print.RetryMax, 30 * time.Second},
		{"print.status_interval", c.Print.StatusEvery, 10 * time.Second},
		{"scanner.double_scan_window", c.Scanner.DoubleScanWindow, 3 * time.Second},
		{"outbox.retry_min", c.Outbox.RetryMin, time.Second},
		{"outbox.retry_max", c.Outbox.RetryMax, 5 * time.Minute},
		{"outbox.alert_after", c.Outbox.AlertAfter, 2 * time.Minute},
		{"alerts.waiting_order", c.Alerts.WaitingOrder, 3 * time.Minute},
		{"alerts.waiting_job", c.Alerts.WaitingJob, time.Minute},
		{"retention.days", c.Retention.Days, 90},
		{"log.level", c.Log.Level, "info"},
		{"log.max_size_mb", c.Log.MaxSizeM, 10},
		{"log.max_files", c.Log.MaxFiles, 5},
		{"service.name", c.Service.Name, "posbridge"},

		{"printers[0].language", c.Printers[0].Language, "escpos"},
		{"printers[0].paper", c.Printers[0].Paper, "80mm"},
		{"printers[0].columns", c.Printers[0].Columns, 48},
		{"printers[0].copies", c.Printers[0].Copies, 1},
		{"printers[0].charset", c.Printers[0].Charset, "gbk"},
		{"printers[0].status_query", c.Printers[0].StatusQuery, "on"},
		{"printers[0].qr", c.Printers[0].QR, "native"},
		{"printers[0].barcode", c.Printers[0].Barcode, "native"},
		{"printers[0].cut", c.Printers[0].Cut, "partial"},
		{"printers[0].beep", *c.Printers[0].Beep, false},
		{"printers[0].font_size", c.Printers[0].FontSize, 1},
		{"printers[0].show_prices", *c.Printers[0].ShowPrices, true},
		{"printers[1].columns", c.Printers[1].Columns, 32},
		{"printers[2].beep", *c.Printers[2].Beep, true},
		{"printers[2].font_size", c.Printers[2].FontSize, 2},
		{"printers[3].language", c.Printers[3].Language, "tspl"},
		{"printers[3].label", c.Printers[3].Label, LabelConfig{WidthMM: 40, HeightMM: 30, GapMM: 2, Sensor: "gap", DPI: 203}},
		{"printers[3].cut", c.Printers[3].Cut, "none"},
		{"printers[4].label.gap_mm", c.Printers[4].Label.GapMM, 0},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.key, tt.got, tt.want)
		}
	}
}

// The default data_dir of the installed config file is the OS state folder,
// not a data folder under /etc.
func TestDataDirOfTheSystemConfigFile(t *testing.T) {
	c, err := loadBytes([]byte(minimalYAML), DefaultConfigPath(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != DefaultDataDir() {
		t.Errorf("data_dir = %s, want %s", c.DataDir, DefaultDataDir())
	}
	c, err = loadBytes([]byte(minimalYAML+"data_dir: ./mine\n"), DefaultConfigPath(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(filepath.Dir(DefaultConfigPath()), "mine"); c.DataDir != want {
		t.Errorf("explicit data_dir = %s, want %s", c.DataDir, want)
	}
}

func TestEnvironmentOverridesScalarKeys(t *testing.T) {
	file := minimalYAML + "console: { listen: 127.0.0.1:9000 }\nplatform: { access_token: from-file }\n"
	tests := []struct {
		env  string
		got  func(*Config) any
		want any
	}{
		{"POSBRIDGE_PLATFORM_ACCESS_TOKEN=from-env", func(c *Config) any { return c.Platform.AccessToken }, "from-env"},
		{"POSBRIDGE_CONSOLE_LISTEN=0.0.0.0:8686", func(c *Config) any { return c.Console.Listen }, "0.0.0.0:8686"},
		{"POSBRIDGE_ACCEPT_MANUAL_TIMEOUT=90s", func(c *Config) any { return c.Accept.ManualTimeout }, 90 * time.Second},
		{"POSBRIDGE_ACCEPT_PROMPT_WHEN_PRINTER_DOWN=false", func(c *Config) any { return *c.Accept.PromptWhenPrinterDown }, false},
		{"POSBRIDGE_PLATFORM_RATE_PER_SECOND=2.5", func(c *Config) any { return c.Platform.RatePerSecond }, 2.5},
		{"POSBRIDGE_RETENTION_DAYS=30", func(c *Config) any { return c.Retention.Days }, 30},
		{"POSBRIDGE_CONSOLE_PIN=0123", func(c *Config) any { return c.Console.Pin }, "0123"},
		{"POSBRIDGE_PUSH_LISTEN=", func(c *Config) any { return c.Push.Listen }, "127.0.0.1:8687"}, // empty is ignored
		{"POSBRIDGE_STORES=9999", func(c *Config) any { return len(c.Stores) }, 1},                 // lists: file only
		{"POSBRIDGE_PLATFORM_ORDER_CLIENTS=1", func(c *Config) any { return len(c.Platform.OrderClients) }, 17},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			c := loadYAML(t, file, tt.env)
			if got := tt.got(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}

	t.Run("relative data dir from the environment", func(t *testing.T) {
		c := loadYAML(t, file, "POSBRIDGE_DATA_DIR=elsewhere")
		if want := filepath.Join(filepath.Dir(c.File), "elsewhere"); c.DataDir != want {
			t.Errorf("data_dir = %s, want %s", c.DataDir, want)
		}
	})
	t.Run("bad value names key and variable", func(t *testing.T) {
		c := loadYAML(t, file, "POSBRIDGE_POLL_INTERVAL=soon", "POSBRIDGE_LOG_MAX_FILES=many")
		ps := c.Validate()
		p, ok := findProblem(ps, "poll.interval", `"soon" is not a duration`)
		if !ok || p.Source != "POSBRIDGE_POLL_INTERVAL" {
			t.Errorf("no poll.interval problem from POSBRIDGE_POLL_INTERVAL:%s", problemLines(ps))
		}
		if _, ok := findProblem(ps, "log.max_files", "whole number"); !ok {
			t.Errorf("no log.max_files problem:%s", problemLines(ps))
		}
		if c.Poll.Interval != time.Minute {
			t.Errorf("a bad override must leave the default, got %s", c.Poll.Interval)
		}
	})
	t.Run("problem names the variable that set a bad value", func(t *testing.T) {
		c := loadYAML(t, file, "POSBRIDGE_ACCEPT_MODE=sometimes")
		p, ok := findProblem(c.Validate(), "accept.mode", "auto or manual")
		if !ok || p.String() != `accept.mode: must be auto or manual, not "sometimes" (POSBRIDGE_ACCEPT_MODE)` {
			t.Errorf("got %q", p.String())
		}
	})
}

func TestFileProblemsNameTheKey(t *testing.T) {
	tests := []struct {
		name, yaml, key, message string
	}{
		{"unknown top-level key", "colsole: {}\n", "colsole", `did you mean "console"?`},
		{"typo in a section", "console:\n  lisen: 127.0.0.1:1\n", "console.lisen", `did you mean "listen"?`},
		{"camelCase key", "platform: { accessToken: x }\n", "platform.accessToken", `did you mean "access_token"?`},
		{"typo in a printer", "printers:\n  - { name: a, role: receipt, conection: virtual://a }\n", "printers[0].conection", `did you mean "connection"?`},
		{"typo in a rule", "accept: { rules: [ { type: [pickup], mode: auto } ] }\n", "accept.rules[0].type", `did you mean "types"?`},
		{"key in the wrong section", "listen: 0.0.0.0:1\n", "listen", "console.listen or push.listen"},
		{"unrelated key", "zzzqqq: 1\n", "zzzqqq", "remove it or fix its spelling"},
		{"dotted key", "console.listen: 0.0.0.0:1\n", "console.listen", "write it nested, as console: { listen: … }"},
		{"duration without unit", "platform: { timeout: 10 }\n", "platform.timeout", `"10" has no unit: write 10s`},
		{"bad duration", "poll: { interval: 1 minute }\n", "poll.interval", `"1 minute" is not a duration`},
		{"not a number", "retention: { days: ninety }\n", "retention.days", "whole number"},
		{"not a bool", "print: { show_prices: maybe }\n", "print.show_prices", "true or false"},
		{"scalar for a section", "console: 127.0.0.1:8686\n", "console", "must be a section"},
		{"list for a scalar", "data_dir: [a, b]\n", "data_dir", "single value"},
		{"section for a list", "printers: { name: a }\n", "printers", "must be a list"},
		{"entry not a section", "printers:\n  - front\n", "printers[0]", "must be a section"},
		{"key twice", "log: { level: info, level: debug }\n", "log.level", "written twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadYAML(t, minimalYAML+tt.yaml)
			ps := c.Validate()
			p, ok := findProblem(ps, tt.key, tt.message)
			if !ok {
				t.Fatalf("want %s: …%s…, got:%s", tt.key, tt.message, problemLines(ps))
			}
			if !strings.HasPrefix(p.Source, "line ") {
				t.Errorf("problem %q does not give its line", p)
			}
		})
	}
}

func TestValuesReadAsWritten(t *testing.T) {
	c := loadYAML(t, `
stores: [ { id: 01862, name: 一店 }, { id: 2051 } ]
console: { pin: 0123 }
printers:
  - { name: a, role: kitchen, connection: "virtual://a", status_query: off, beep: no, match: { names: 奶茶 } }
`)
	if c.Stores[0].ID != "01862" || c.Stores[1].ID != "2051" {
		t.Errorf("store ids = %q, %q", c.Stores[0].ID, c.Stores[1].ID)
	}
	if c.Console.Pin != "0123" {
		t.Errorf("pin = %q, want 0123 (not octal)", c.Console.Pin)
	}
	p := c.Printers[0]
	if p.StatusQuery != "off" || *p.Beep || !slices.Equal(p.Match.Names, []string{"奶茶"}) {
		t.Errorf("printer = status_query %q, beep %v, names %q", p.StatusQuery, *p.Beep, p.Match.Names)
	}
}

func TestBrokenFilesAreErrors(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"tab indentation", "console:\n\tlisten: x\n", "spaces, never tabs"},
		{"not a mapping", "- a\n- b\n", `"key: value" lines`},
		{"unclosed quote", "data_dir: \"x\n", "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			writeFile(t, path, tt.content)
			_, err := Load(LoadOptions{Path: path, Env: []string{}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want …%s…", err, tt.want)
			}
		})
	}
}

func TestByteOrderMarkIsIgnored(t *testing.T) {
	c := loadYAML(t, "\ufeff"+minimalYAML)
	if ps := Errors(c.Validate()); len(ps) > 0 || len(c.Stores) != 1 {
		t.Errorf("stores %v, problems:%s", c.Stores, problemLines(ps))
	}
}

func TestRelativePathsResolveFromTheFileFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "etc")
	writeFile(t, filepath.Join(dir, "keys", "private.pem"), string(keys().privatePKCS8))
	writeFile(t, filepath.Join(dir, "keys", "platform.pem"), string(keys().public))
	writeTLSPair(t, filepath.Join(dir, "tls"))
	writePNG(t, filepath.Join(dir, "logo.png"))
	path := filepath.Join(dir, FileName)
	writeFile(t, path, minimalYAML+`
data_dir: ./state
log: { file: logs/posbridge.log }
platform: { private_key_file: keys/private.pem, public_key_file: ./keys/platform.pem }
push: { tls_cert_file: tls/push.crt, tls_key_file: tls/push.key, token: t0ken-for-push }
print: { logo: logo.png }
printers:
  - { name: a, role: receipt, connection: "file://out/receipt.bin" }
  - { name: b, role: receipt, connection: "file:///abs/receipt.bin" }
`)
	t.Chdir(root) // the working directory must not matter
	c, err := Load(LoadOptions{Path: "etc/" + FileName, Env: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.Validate(); len(ps) > 0 {
		t.Errorf("files next to the config are not found:%s", problemLines(ps))
	}
	tests := []struct{ got, want string }{
		{c.File, path},
		{c.DataDir, filepath.Join(dir, "state")},
		{c.Log.File, filepath.Join(dir, "logs", "posbridge.log")},
		{c.Platform.PrivateKeyFile, filepath.Join(dir, "keys", "private.pem")},
		{c.Platform.PublicKeyFile, filepath.Join(dir, "keys", "platform.pem")},
		{c.Push.TLSCertFile, filepath.Join(dir, "tls", "push.crt")},
		{c.Push.TLSKeyFile, filepath.Join(dir, "tls", "push.key")},
		{c.Print.Logo, filepath.Join(dir, "logo.png")},
		{c.Printers[0].Connection, "file://" + filepath.ToSlash(filepath.Join(dir, "out", "receipt.bin"))},
		{c.Printers[1].Connection, "file:///abs/receipt.bin"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

func TestDiscoveryAndSandboxFallback(t *testing.T) {
	tests := []struct {
		name         string
		inCwd        bool // ./posbridge.yaml exists
		inSystem     bool // the second search path exists
		path         string
		service      bool
		allowSandbox bool
		want         string // "cwd", "system", "sandbox", "notfound", "explicit-missing"
	}{
		{"cwd file first", true, true, "", false, true, "cwd"},
		{"then the system path", false, true, "", false, true, "system"},
		{"interactive without a file runs the sandbox", false, false, "", false, true, "sandbox"},
		{"service never runs the sandbox", false, false, "", true, true, "notfound"},
		{"without permission no sandbox", false, false, "", false, false, "notfound"},
		{"service finds the system file", false, true, "", true, false, "system"},
		{"a missing --config file is an error", false, false, "missing.yaml", false, true, "explicit-missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cwd, system := t.TempDir(), t.TempDir()
			t.Chdir(cwd)
			systemFile := filepath.Join(system, FileName)
			if tt.inCwd {
				writeFile(t, filepath.Join(cwd, FileName), minimalYAML+"service: { name: cwd }\n")
			}
			if tt.inSystem {
				writeFile(t, systemFile, minimalYAML+"service: { name: system }\n")
			}
			search := []string{FileName, systemFile}
			if tt.service {
				search = []string{systemFile} // the service does not look in its working directory
			}
			c, err := Load(LoadOptions{
				Path: tt.path, Service: tt.service, AllowSandbox: tt.allowSandbox,
				Env: []string{"POSBRIDGE_CONSOLE_LISTEN=127.0.0.1:9999"}, Search: search,
			})
			switch tt.want {
			case "cwd", "system":
				if err != nil {
					t.Fatal(err)
				}
				if c.Service.Name != tt.want || c.Sandbox {
					t.Errorf("loaded %q (sandbox %v), want the %s file", c.Service.Name, c.Sandbox, tt.want)
				}
			case "sandbox":
				if err != nil {
					t.Fatal(err)
				}
				checkSandbox(t, c, cwd)
			case "notfound", "explicit-missing":
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				if !strings.Contains(err.Error(), "posbridge config init") {
					t.Errorf("error does not say how to create a config: %v", err)
				}
				if tt.want == "notfound" && !strings.Contains(err.Error(), systemFile) {
					t.Errorf("error does not say where it looked: %v", err)
				}
				if c != nil {
					t.Errorf("got a config with the error")
				}
			}
		})
	}
}

func checkSandbox(t *testing.T, c *Config, cwd string) {
	t.Helper()
	if !c.Sandbox || c.File != "" || c.Platform.Mode != ModeSandbox {
		t.Errorf("sandbox = %v, file %q, mode %s", c.Sandbox, c.File, c.Platform.Mode)
	}
	if want := filepath.Join(cwd, "posbridge-sandbox"); c.DataDir != want {
		t.Errorf("sandbox data_dir = %s, want %s", c.DataDir, want)
	}
	if c.Console.Listen != "127.0.0.1:9999" {
		t.Errorf("environment not applied to the sandbox: console.listen = %s", c.Console.Listen)
	}
	var roles []string
	for _, p := range c.Printers {
		roles = append(roles, p.Role)
		if !strings.HasPrefix(p.Connection, "virtual://") {
			t.Errorf("sandbox printer %s is not virtual: %s", p.Name, p.Connection)
		}
	}
	if !slices.Equal(roles, []string{RoleReceipt, RoleKitchen, RoleLabel}) || len(c.Stores) != 2 {
		t.Errorf("sandbox printers %v, stores %v", roles, c.Stores)
	}
	if c.Printers[2].Language != LanguageTSPL || c.Printers[0].Columns != 48 {
		t.Errorf("sandbox printer defaults not applied: %+v", c.Printers)
	}
	if ps := c.Validate(); len(ps) > 0 {
		t.Errorf("sandbox config has problems:%s", problemLines(ps))
	}
}

func TestSandboxIgnoresLiveModeFromTheEnvironment(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := Load(LoadOptions{AllowSandbox: true, Search: []string{FileName}, Env: []string{"POSBRIDGE_PLATFORM_MODE=live"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := findProblem(c.Validate(), "platform.mode", "needs a config file"); !ok {
		t.Errorf("sandbox with mode live is not reported:%s", problemLines(c.Validate()))
	}
}

// A config file that exists but cannot be read must stop the run, not be
// replaced by the sandbox. A symlink loop fails to open even for root, unlike
// permission bits.
func TestUnreadableConfigDoesNotFallBackToTheSandbox(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Symlink(FileName, filepath.Join(dir, FileName)); err != nil {
		t.Fatal(err)
	}
	c, err := Load(LoadOptions{AllowSandbox: true, Search: []string{FileName}, Env: []string{}})
	if err == nil || errors.Is(err, ErrNotFound) || c != nil {
		t.Errorf("err = %v, want an error that is not ErrNotFound", err)
	}
}

func TestDefaultPathsPerOS(t *testing.T) {
	env := func(k string) string {
		if k == "ProgramData" {
			return `D:\ProgramData`
		}
		return ""
	}
	noEnv := func(string) string { return "" }
	tests := []struct{ name, got, want string }{
		{"windows config", defaultConfigPathFor("windows", env), `D:\ProgramData\posbridge\posbridge.yaml`},
		{"windows config without ProgramData", defaultConfigPathFor("windows", noEnv), `C:\ProgramData\posbridge\posbridge.yaml`},
		{"windows data", defaultDataDirFor("windows", env), `D:\ProgramData\posbridge\data`},
		{"linux config", defaultConfigPathFor("linux", env), "/etc/posbridge/posbridge.yaml"},
		{"linux data", defaultDataDirFor("linux", env), "/var/lib/posbridge"},
		{"macOS config", defaultConfigPathFor("darwin", env), "/Library/Application Support/posbridge/posbridge.yaml"},
		{"windows service base", serviceBaseDirFor("windows", env, `C:\Program Files\posbridge`), `D:\ProgramData\posbridge`},
		{"windows service base without ProgramData", serviceBaseDirFor("windows", noEnv, `C:\Program Files\posbridge`), `C:\Program Files\posbridge`},
		{"linux service base", serviceBaseDirFor("linux", env, "/usr/bin"), "/usr/bin"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if d := ServiceBaseDir(); !filepath.IsAbs(d) {
		t.Errorf("ServiceBaseDir() = %s, not absolute", d)
	}
}

// A service resolves a relative --config from ServiceBaseDir, never from its
// working directory.
func TestServiceResolvesRelativeConfigFromItsBaseDir(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFile(t, FileName, minimalYAML) // in the working directory only
	_, err := Load(LoadOptions{Path: FileName, Service: true, Env: []string{}})
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Searched[0] != filepath.Join(ServiceBaseDir(), FileName) {
		t.Errorf("err = %v, want not found in %s", err, ServiceBaseDir())
	}
}
