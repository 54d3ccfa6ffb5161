package config

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/internal/rsakeys"
)

// Problem is one thing wrong with the configuration, in words an installer
// can act on.
type Problem struct {
	Key     string // "printers[1].connection"
	Message string // one line: what is wrong and what to do
	Warning bool   // worth fixing, but the daemon can run
	Source  string // where the value came from: "line 12", "POSBRIDGE_CONSOLE_PIN", "" for a default
}

// String is "key: message (line 12)", with "warning: " before the message for warnings.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Key)
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	if p.Source != "" {
		b.WriteString(" (" + p.Source + ")")
	}
	return b.String()
}

// Errors returns the problems that must be fixed before the daemon runs.
func Errors(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// ValidationError carries the problems that stop the daemon from starting.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "config has problems:\n  " + strings.Join(lines, "\n  ")
}

// Check returns a *ValidationError listing the errors of Validate, or nil
// when only warnings (or nothing) remain.
func (c *Config) Check() error {
	if errs := Errors(c.Validate()); len(errs) > 0 {
		return &ValidationError{Problems: errs}
	}
	return nil
}

// Validate checks every key and returns every problem, errors and warnings,
// including those found while loading the file. It reads the key and
// certificate files it names but never reaches the network.
func (c *Config) Validate() []Problem {
	v := &validator{c: c, problems: slices.Clone(c.loadProblems), stores: map[string]bool{}}
	for _, s := range c.Stores {
		v.stores[strings.TrimSpace(s.ID)] = true
	}
	v.durations()
	v.general()
	v.console()
	v.push()
	v.platform()
	v.poll()
	v.storeList()
	v.accept()
	v.print()
	v.printers()
	v.scanner()
	v.timings()
	return v.problems
}

type validator struct {
	c        *Config
	problems []Problem
	stores   map[string]bool // configured store ids
}

func (v *validator) add(warning bool, key, format string, args ...any) {
	v.addFrom(warning, key, key, format, args...)
}

// addFrom reports a problem of key caused by the value of sourceKey, and
// points at where that value was set.
func (v *validator) addFrom(warning bool, key, sourceKey, format string, args ...any) {
	v.problems = append(v.problems, Problem{
		Key: key, Message: fmt.Sprintf(format, args...), Warning: warning, Source: v.c.sources[sourceKey],
	})
}

func (v *validator) err(key, format string, args ...any)  { v.add(false, key, format, args...) }
func (v *validator) warn(key, format string, args ...any) { v.add(true, key, format, args...) }

// enum checks that val is one of allowed.
func (v *validator) enum(key, val string, allowed ...string) {
	if val == "" {
		v.err(key, "is missing: write %s", orList(allowed))
	} else if !slices.Contains(allowed, val) {
		v.err(key, "must be %s, not %q", orList(allowed), val)
	}
}

func orList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// positive checks a duration that must be more than zero (negative ones are
// reported by durations).
func (v *validator) positive(key string, d time.Duration) {
	if d == 0 {
		v.err(key, "must be more than 0, like 10s or 5m")
	}
}

// durations rejects negative values of every duration key at once.
func (v *validator) durations() {
	cv := reflect.ValueOf(v.c).Elem()
	for _, l := range scalarLeaves() {
		if l.typ != durationType {
			continue
		}
		if d := time.Duration(cv.FieldByIndex(l.index).Int()); d < 0 {
			v.err(l.key, "must not be negative (%s)", d)
		}
	}
}

func (v *validator) general() {
	c := v.c
	if strings.TrimSpace(c.DataDir) == "" {
		v.err("data_dir", "must be set: the folder for the database, like ./data")
	}
	v.enum("log.level", c.Log.Level, "debug", "info", "warn", "error")
	if c.Log.MaxSizeM < 1 {
		v.err("log.max_size_mb", "must be at least 1 (megabytes before the log file is rotated)")
	}
	if c.Log.MaxFiles < 1 {
		v.err("log.max_files", "must be at least 1 (rotated log files kept)")
	}
	if c.Retention.Days < 1 {
		v.err("retention.days", "must be at least 1 (days of orders kept in the database)")
	}
	if !serviceNameRE.MatchString(c.Service.Name) {
		v.err("service.name", "%q must be letters, digits, '-', '_' or '.', like posbridge", c.Service.Name)
	}
}

var serviceNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$`)

func (v *validator) console() {
	c := v.c.Console
	host, ok := v.listen("console.listen", c.Listen, false)
	if ok && !isLoopback(host) && c.Pin == "" {
		v.addFrom(false, "console.pin", "console.listen", "required because console.listen %s is reachable from other machines: set a staff PIN (4 or more characters, or a bcrypt hash), or listen on 127.0.0.1", c.Listen)
	}
	if c.Pin != "" {
		switch {
		case isBcrypt(c.Pin):
			if _, err := bcrypt.Cost([]byte(c.Pin)); err != nil {
				v.err("console.pin", "looks like a bcrypt hash but is damaged (%v): paste the whole hash, in quotes", err)
			}
		case len([]rune(c.Pin)) < 4:
			v.err("console.pin", "is too short: use at least 4 characters")
		case strings.TrimSpace(c.Pin) != c.Pin:
			v.warn("console.pin", "starts or ends with a space, which staff will not type")
		}
	}
	if c.APIToken != "" && len(c.APIToken) < 16 {
		v.warn("console.api_token", "is short enough to guess: use at least 16 random characters (for example from `openssl rand -hex 16`)")
	}
}

func isBcrypt(s string) bool {
	return strings.HasPrefix(s, "$2a$") || strings.HasPrefix(s, "$2b$") || strings.HasPrefix(s, "$2y$")
}

func (v *validator) push() {
	c := v.c.Push
	if c.Listen != "" {
		host, ok := v.listen("push.listen", c.Listen, true)
		if ok && !isLoopback(host) && c.Token == "" && v.c.Platform.PublicKeyFile == "" {
			v.warn("push.listen", "%s is reachable from other machines but pushes are not authenticated: set push.token or platform.public_key_file", c.Listen)
		}
		if ok && sameListener(c.Listen, v.c.Console.Listen) {
			v.err("push.listen", "%s overlaps console.listen %s: the push receiver needs its own port, like 8687", c.Listen, v.c.Console.Listen)
		}
	}
	switch {
	case c.TLSCertFile != "" && c.TLSKeyFile == "":
		v.err("push.tls_key_file", "must be set when push.tls_cert_file is: the private key of that certificate")
	case c.TLSCertFile == "" && c.TLSKeyFile != "":
		v.err("push.tls_cert_file", "must be set when push.tls_key_file is: the certificate (chain) for that key")
	case c.TLSCertFile != "":
		if _, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile); err != nil {
			v.err("push.tls_cert_file", "cannot load the certificate and key: %v", err)
		}
	}
}

// listen checks a host:port listen address and returns its host.
func (v *validator) listen(key, addr string, mayBeEmpty bool) (string, bool) {
	if addr == "" {
		if !mayBeEmpty {
			v.err(key, "must be set, like 127.0.0.1:8686")
		}
		return "", false
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		v.err(key, "%q is not host:port: write it like 127.0.0.1:8686 (or 0.0.0.0:8686 for the whole LAN)", addr)
		return "", false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		v.err(key, "port %q must be a number from 1 to 65535", port)
		return "", false
	}
	if host != "" && net.ParseIP(host) == nil && !hostnameRE.MatchString(host) {
		v.err(key, "host %q is neither an IP address nor a host name", host)
		return "", false
	}
	return host, true
}

var hostnameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$`)

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameListener reports whether two listen addresses would collide.
func sameListener(a, b string) bool {
	ha, pa, err1 := net.SplitHostPort(a)
	hb, pb, err2 := net.SplitHostPort(b)
	if err1 != nil || err2 != nil || pa != pb {
		return false
	}
	wild := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || wild(ha) || wild(hb)
}

func (v *validator) platform() {
	p := v.c.Platform
	v.enum("platform.mode", p.Mode, ModeSandbox, ModeLive)
	if v.c.Sandbox && p.Mode != ModeSandbox {
		v.err("platform.mode", "live needs a config file with your stores and printers: create one with `posbridge config init`")
	}
	if p.Mode == ModeLive {
		required := []struct{ key, val, what string }{
			{"platform.base_url", p.BaseURL, "the API address 开个店 gave you, like https://…/openapi"},
			{"platform.partner_id", p.PartnerID, "the partnerId 开个店 gave you"},
			{"platform.app_id", p.AppID, "the appId 开个店 gave you"},
			{"platform.access_token", p.AccessToken, "the access token 开个店 gave you"},
			{"platform.private_key_file", p.PrivateKeyFile, "the file with your merchant RSA private key"},
		}
		for _, r := range required {
			if strings.TrimSpace(r.val) == "" {
				v.err(r.key, "required in live mode: %s", r.what)
			}
		}
	}
	if p.BaseURL != "" {
		v.baseURL(p.BaseURL, p.Mode)
	}
	if p.PrivateKeyFile != "" {
		v.keyFile("platform.private_key_file", p.PrivateKeyFile, true)
	}
	if p.PublicKeyFile != "" {
		v.keyFile("platform.public_key_file", p.PublicKeyFile, false)
	}
	v.positive("platform.timeout", p.Timeout)
	if p.RatePerSecond <= 0 {
		v.err("platform.rate_per_second", "must be more than 0 (calls per second to 开个店; 5 is safe)")
	}
	if len(p.OrderClients) == 0 {
		v.err("platform.order_clients", "must list the channels to fetch, like [1, 2, 3]; leave the key out for every channel")
	}
	for i, n := range p.OrderClients {
		if n < 1 {
			v.err(fmt.Sprintf("platform.order_clients[%d]", i), "%d is not a channel: channels are numbers from 1 (see the orderClient list)", n)
		}
	}
}

func (v *validator) baseURL(raw, mode string) {
	const key = "platform.base_url"
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.err(key, "%q is not a web address: write it like https://open.example.cn/openapi", raw)
		return
	}
	if u.User != nil {
		v.err(key, "must not contain a user name or password: put the token in platform.access_token")
	}
	if u.Scheme == "http" && mode == ModeLive && !isLoopback(u.Hostname()) {
		v.warn(key, "uses http: orders and the access token travel unencrypted; use the https address")
	}
	if mode == ModeSandbox {
		v.warn(key, "is ignored in sandbox mode (the built-in simulator answers); set platform.mode: live to use it")
	}
}

// keyFile reads and parses an RSA key file.
func (v *validator) keyFile(key, path string, private bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		v.err(key, "cannot read the key file: %v (relative paths start at the config file's folder)", unwrapPath(err))
		return
	}
	var bits int
	if private {
		k, err := rsakeys.ParsePrivate(data)
		if err != nil {
			hint := "use the merchant private key you generated for 开个店 (PKCS#8 or PKCS#1, PEM or base64)"
			if _, perr := rsakeys.ParsePublic(data); perr == nil {
				hint = "this is a public key: put your private key here, and the platform's public key in platform.public_key_file"
			}
			v.err(key, "%s is not an RSA private key (%v): %s", path, err, hint)
			return
		}
		bits = k.N.BitLen()
	} else {
		k, err := rsakeys.ParsePublic(data)
		if err != nil {
			hint := "use the platform public key 开个店 gave you (X.509 or PKCS#1, PEM or base64)"
			if _, perr := rsakeys.ParsePrivate(data); perr == nil {
				hint = "this is a private key: never share it; put the platform's public key here"
			}
			v.err(key, "%s is not an RSA public key (%v): %s", path, err, hint)
			return
		}
		bits = k.N.BitLen()
	}
	if bits < rsakeys.MinBits {
		v.warn(key, "the key has %d bits; 开个店 requires %d: generate a new key pair of %d bits", bits, rsakeys.MinBits, rsakeys.MinBits)
	}
}

// unwrapPath drops the operation from a *PathError ("open x: no such file").
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

func (v *validator) poll() {
	p := v.c.Poll
	for _, d := range []struct {
		key string
		val time.Duration
	}{
		{"poll.interval", p.Interval},
		{"poll.fast_interval", p.FastInterval},
		{"poll.refund_interval", p.RefundEvery},
		{"poll.reconcile_interval", p.ReconcileEvery},
	} {
		if d.val == 0 {
			v.err(d.key, "must be more than 0, like 60s")
		} else if d.val > 0 && d.val < time.Second {
			v.warn(d.key, "is under 1s: 开个店 limits the rate of calls; use 5s or more")
		}
	}
	if p.FastInterval > p.Interval {
		v.warn("poll.fast_interval", "is longer than poll.interval (%s): the fast interval should be the shorter one", p.Interval)
	}
}

func (v *validator) storeList() {
	if len(v.c.Stores) == 0 {
		v.err("stores", "no stores: add the store this PC serves, like `stores: [ { id: \"1862\", name: 南翔一店 } ]` with the id from 开个店")
		return
	}
	seen := map[string]int{}
	for i, s := range v.c.Stores {
		key := fmt.Sprintf("stores[%d]", i)
		if v.c.broken[key] {
			continue
		}
		id := strings.TrimSpace(s.ID)
		switch {
		case id == "":
			v.err(key+".id", "is missing: the store id from 开个店, in quotes, like \"1862\"")
		case seen[id] > 0:
			v.err(key+".id", "%q is listed twice (also stores[%d]): keep one", id, seen[id]-1)
		default:
			seen[id] = i + 1
		}
		if strings.TrimSpace(s.Name) == "" {
			v.warn(key+".name", "is empty: receipts will have no store name")
		}
		for j, h := range s.Hours {
			if err := checkHours(h); err != nil {
				v.err(fmt.Sprintf("%s.hours[%d]", key, j), "%v", err)
			}
		}
	}
}

// checkHours reads "09:00-22:00"; a range past midnight ("22:00-02:00") is fine.
func checkHours(h string) error {
	from, to, ok := strings.Cut(strings.ReplaceAll(h, " ", ""), "-")
	if !ok {
		return fmt.Errorf("%q: write business hours like 09:00-22:00", h)
	}
	f, err1 := time.Parse("15:04", from)
	t, err2 := time.Parse("15:04", to)
	if to == "24:00" {
		t, err2 = time.Time{}, nil
	}
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%q: write business hours like 09:00-22:00 (24-hour clock)", h)
	}
	if f.Equal(t) {
		return fmt.Errorf("%q opens and closes at the same time: leave hours out for a store that never closes", h)
	}
	return nil
}

func (v *validator) accept() {
	a := v.c.Accept
	v.enum("accept.mode", a.Mode, "auto", "manual")
	if a.HoldReserved && a.HoldLead == 0 {
		v.err("accept.hold_lead", "must be more than 0 when accept.hold_reserved is on, like 30m")
	}
	if a.OutsideHours != "" {
		v.enum("accept.outside_hours", a.OutsideHours, "auto", "manual")
	}
	for i, r := range a.Rules {
		key := fmt.Sprintf("accept.rules[%d]", i)
		if v.c.broken[key] {
			continue
		}
		v.enum(key+".mode", r.Mode, "auto", "manual")
		for j, t := range r.Types {
			v.enum(fmt.Sprintf("%s.types[%d]", key, j), t, "dine_in", "pickup", "delivery", "reserved")
		}
		for j, ch := range r.Channels {
			if ch < 1 {
				v.err(fmt.Sprintf("%s.channels[%d]", key, j), "%d is not a channel: channels are orderClient numbers from 1", ch)
			}
		}
		v.storeRefs(key+".stores", r.Stores)
	}
}

// storeRefs checks that each id names a configured store.
func (v *validator) storeRefs(key string, ids []string) {
	for j, id := range ids {
		if !v.stores[strings.TrimSpace(id)] {
			v.err(fmt.Sprintf("%s[%d]", key, j), "store %q is not in stores: add it there or fix the id", id)
		}
	}
}

func (v *validator) print() {
	p := v.c.Print
	v.enum("print.on", p.On, "accept", "arrival")
	v.enum("print.kitchen_split", p.KitchenSplit, "station", "item")
	if p.FailoverAttempts < 1 {
		v.err("print.failover_attempts", "must be at least 1 (failed tries before a job moves to the backup printer)")
	}
	v.positive("print.stale_after", p.StaleAfter)
	v.positive("print.failover_after", p.FailoverAfter)
	v.positive("print.retry_min", p.RetryMin)
	v.positive("print.status_interval", p.StatusEvery)
	if p.RetryMax < p.RetryMin {
		v.err("print.retry_max", "must not be shorter than print.retry_min (%s)", p.RetryMin)
	}
	if p.Logo != "" {
		v.imageFile("print.logo", p.Logo)
	}
}

func (v *validator) scanner() {
	s := v.c.Scanner
	if s.Serial == "" {
		return
	}
	conn, err := ParseConnection(s.Serial)
	switch {
	case err != nil:
		v.err("scanner.serial", "%v", err)
	case conn.Scheme != "serial":
		v.err("scanner.serial", "must be a serial port, like serial://COM5?baud=9600 or serial:///dev/ttyACM0?baud=9600 (keyboard-wedge scanners need no setting: use the console's scan box)")
	}
}

// timings checks the retry and alert durations of the outbox, alerts and push.
func (v *validator) timings() {
	o := v.c.Outbox
	v.positive("outbox.retry_min", o.RetryMin)
	v.positive("outbox.alert_after", o.AlertAfter)
	if o.RetryMax < o.RetryMin {
		v.err("outbox.retry_max", "must not be shorter than outbox.retry_min (%s)", o.RetryMin)
	}
	v.positive("alerts.waiting_order", v.c.Alerts.WaitingOrder)
	v.positive("alerts.waiting_job", v.c.Alerts.WaitingJob)
	v.positive("push.silent_after", v.c.Push.SilentAfter)
}
