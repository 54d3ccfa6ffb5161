package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/dirlock"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/printer/fakeprinter"
	"github.com/posbridge/posbridge/store"

	"github.com/posbridge/posbridge/internal/ptypair"
)

// doctorStore is a live-mode installation on loopback: the fake 开个店
// (checking RSA2 signatures and credentials) behind a handler that can skew
// its Date header, a push listener, a fake ESC/POS printer answering status
// queries, a socat pty standing in for the serial scanner, a real database.
type doctorStore struct {
	dir, config         string
	platformURL         string
	platformClockOffset atomicDuration
	pushAddr            string
	pushServer          *http.Server
	consolePort         int
	printer, front      *fakeprinter.Printer
	scannerPath         string
}

// daemonInstance is what the push listener of newDoctorStore says it is, as
// a running posbridge's would.
const doctorInstance = "doctor-test-run"

type atomicDuration struct{ v atomic.Int64 }

func (a *atomicDuration) Set(d time.Duration) { a.v.Store(int64(d)) }
func (a *atomicDuration) Get() time.Duration  { return time.Duration(a.v.Load()) }

const (
	testPartnerID   = "1864"
	testAppID       = "app-1"
	testAccessToken = "token-for-tests"
)

func newDoctorStore(t *testing.T) *doctorStore {
	t.Helper()
	s := &doctorStore{dir: t.TempDir()}

	key := writeRSAKey(t, filepath.Join(s.dir, "merchant.pem"))
	platform, err := fake.New(fake.Options{MerchantKey: key, AccessToken: testAccessToken, PartnerID: testPartnerID, AppID: testAppID})
	if err != nil {
		t.Fatal(err)
	}
	ln := listenLoopback(t)
	s.platformURL = "http://" + ln.Addr().String() + "/openapi"
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(s.platformClockOffset.Get()).UTC().Format(http.TimeFormat))
		platform.Handler().ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); platform.Close() })

	push := listenLoopback(t)
	s.pushAddr = push.Addr().String()
	s.pushServer = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != pushHealthPath {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `{"ok":true,"service":"posbridge","instance":"`+doctorInstance+`"}`)
	})}
	go s.pushServer.Serve(push)
	t.Cleanup(func() { s.pushServer.Close() })

	if s.printer, err = fakeprinter.New(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.printer.Close)
	if s.front, err = fakeprinter.New(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.front.Close)
	s.consolePort = freePort(t)

	s.scannerPath = startPtyPair(t)
	s.config = filepath.Join(s.dir, "posbridge.yaml")
	s.writeConfig(t, testAccessToken)
	db, err := store.Open(context.Background(), filepath.Join(s.dir, "data", databaseFileName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	return s
}

func (s *doctorStore) writeConfig(t *testing.T, accessToken string) {
	t.Helper()
	mustWrite(t, s.config, `data_dir: ./data
console: { listen: 127.0.0.1:`+strconv.Itoa(s.consolePort)+` }
push: { listen: `+s.pushAddr+` }
platform:
  mode: live
  base_url: `+s.platformURL+`
  partner_id: "`+testPartnerID+`"
  app_id: "`+testAppID+`"
  access_token: "`+accessToken+`"
  private_key_file: ./merchant.pem
stores: [ { id: "1862", name: 南翔一店 } ]
printers:
  - { name: kitchen, role: kitchen, connection: "`+s.printer.URI()+`" }
  - { name: front, role: receipt, connection: "`+s.front.URI()+`" }
scanner: { serial: "serial://`+s.scannerPath+`?baud=9600" }
`)
}

// runAsDaemon makes the store look like one whose posbridge runs: the data
// folder is locked, and the console answers its health check with the same
// instance as the push listener (the running daemon's own).
func (s *doctorStore) runAsDaemon(t *testing.T, instance string) {
	t.Helper()
	lock, err := dirlock.Acquire(filepath.Join(s.dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Release() })
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(s.consolePort))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/health" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `{"ok":true,"instance":"`+instance+`"}`)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// startPtyPair starts socat with two linked ptys and returns one end: a
// serial port that opens like a USB scanner's.
func startPtyPair(t *testing.T) string {
	port, _ := ptypair.Start(t, "ttyScanner", "ttyPeer")
	return port
}

func writeRSAKey(t *testing.T, path string) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, path, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	return k
}

// doctorRows runs every check against the config file.
func doctorRows(t *testing.T, configPath string) map[string]checkRow {
	t.Helper()
	env := newDoctorEnv(configPath)
	ctx, cancel := context.WithTimeout(context.Background(), doctorTimeout)
	defer cancel()
	rows := map[string]checkRow{}
	for _, r := range runDoctorChecks(ctx, env, doctorChecks) {
		if prev, dup := rows[r.Check]; dup && prev.Status >= r.Status {
			continue // keep the worst row of a name (several config problems)
		}
		rows[r.Check] = r
	}
	return rows
}

func expectRow(t *testing.T, rows map[string]checkRow, check string, status checkStatus, resultPart, fixPart string) {
	t.Helper()
	r, ok := rows[check]
	if !ok {
		t.Errorf("no %q row in %v", check, rows)
		return
	}
	if r.Status != status || !strings.Contains(r.Result, resultPart) || !strings.Contains(r.Fix, fixPart) {
		t.Errorf("%s = %s %q (fix %q); want %s containing %q, fix containing %q", check, r.Status, r.Result, r.Fix, status, resultPart, fixPart)
	}
	if (r.Status == statusFail || r.Status == statusWarn) && r.Fix == "" {
		t.Errorf("%s is %s without a fix", check, r.Status)
	}
}

func TestDoctorHealthyStore(t *testing.T) {
	s := newDoctorStore(t)
	s.runAsDaemon(t, doctorInstance)
	rows := doctorRows(t, s.config)
	expectRow(t, rows, "config", statusOK, "mode live, 1 store(s), 2 printer(s)", "")
	expectRow(t, rows, "data directory", statusOK, "is writable", "")
	expectRow(t, rows, "database", statusOK, "passes PRAGMA quick_check", "")
	expectRow(t, rows, "free disk", statusOK, "MB free", "")
	expectRow(t, rows, "platform clock", statusOK, "clocks agree", "")
	expectRow(t, rows, "credentials", statusOK, "signed test query for store 1862 accepted", "")
	expectRow(t, rows, "push listener", statusOK, "answers in", "")
	expectRow(t, rows, "printer kitchen", statusOK, "online (正常)", "")
	expectRow(t, rows, "printer front", statusOK, "online (正常)", "")
	expectRow(t, rows, "scanner", statusOK, s.scannerPath+" opens", "")

	var out, errOut bytes.Buffer
	if code := doctorCmd(context.Background(), []string{"--config", s.config}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[2], "CHECK") || !strings.Contains(lines[2], "RESULT") {
		t.Errorf("no table header:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "all checks passed") {
		t.Errorf("summary:\n%s", out.String())
	}
	if strings.Contains(out.String(), testAccessToken) {
		t.Error("doctor printed the access token")
	}
}

func TestDoctorBrokenStore(t *testing.T) {
	s := newDoctorStore(t)
	// Push listener down, printer switched off, scanner unplugged, clock wrong.
	s.pushServer.Close()
	s.printer.Down()
	s.platformClockOffset.Set(-10 * time.Minute)
	mustWrite(t, s.config, strings.Replace(readFile(t, s.config), s.scannerPath, filepath.Join(s.dir, "ttyUnplugged"), 1))
	corruptDatabase(t, filepath.Join(s.dir, "data", databaseFileName))

	rows := doctorRows(t, s.config)
	expectRow(t, rows, "config", statusOK, "mode live", "")
	expectRow(t, rows, "database", statusFail, databaseFileName, "newest backup")
	expectRow(t, rows, "platform clock", statusFail, "clock is 10m", "Set time automatically")
	expectRow(t, rows, "push listener", statusFail, "posbridge is not running", "start")
	expectRow(t, rows, "printer kitchen", statusFail, "offline", "self-test page")
	expectRow(t, rows, "scanner", statusFail, "ttyUnplugged does not exist", "plug the device in")

	var out bytes.Buffer
	if code := doctorCmd(context.Background(), []string{"--config", s.config}, &out, &out); code != 1 {
		t.Fatalf("exit %d with failures:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "5 check(s) failed") {
		t.Errorf("summary:\n%s", out.String())
	}
	// Each failing row is followed by its fix.
	lines := strings.Split(out.String(), "\n")
	for i, l := range lines {
		if strings.Contains(l, " FAIL ") && (i+1 >= len(lines) || !strings.Contains(lines[i+1], "FIX: ")) {
			t.Errorf("no FIX line under %q", l)
		}
	}
}

func TestDoctorPushDownWhileDaemonRuns(t *testing.T) {
	s := newDoctorStore(t)
	s.pushServer.Close()
	lock, err := dirlock.Acquire(filepath.Join(s.dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	rows := doctorRows(t, s.config)
	expectRow(t, rows, "push listener", statusFail, "posbridge runs but nothing listens", "another program may hold the port")
}

func TestDoctorBrokenConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "posbridge.yaml")
	mustWrite(t, cfg, "data_dir: ./data\nconsole:\n\tlisten: x\n")
	rows := doctorRows(t, cfg)
	expectRow(t, rows, "config", statusFail, "not valid YAML", "line")
	expectRow(t, rows, "database", statusSkip, "config not loaded", "")

	mustWrite(t, cfg, daemonConfig(t, "./data")+"accept: { mode: sometimes }\n")
	rows = doctorRows(t, cfg)
	expectRow(t, rows, "config", statusFail, "accept.mode", "posbridge config check")

	rows = doctorRows(t, filepath.Join(dir, "missing.yaml"))
	expectRow(t, rows, "config", statusFail, "does not exist", "posbridge config init")

	var out bytes.Buffer
	if code := doctorCmd(context.Background(), []string{"--config", cfg}, &out, &out); code != 1 {
		t.Errorf("exit %d for an invalid config", code)
	}
}

func TestDoctorUnwritableDataDir(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	// As root the write test passes, so what fails is the service account's
	// access; as another user the write test itself fails.
	cfg := filepath.Join(dir, "posbridge.yaml")
	mustWrite(t, cfg, daemonConfig(t, data)+"service: { account: nobody }\n")
	if err := os.Chmod(data, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(data, 0o755) })
	rows := doctorRows(t, cfg)
	fix := "chown -R nobody:nobody " + data
	if os.Geteuid() == 0 {
		expectRow(t, rows, "data directory", statusFail, "not writable by the service user nobody", fix)
	} else {
		expectRow(t, rows, "data directory", statusFail, "cannot write to "+data, fix)
	}
}

func TestDoctorNewerDatabase(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "posbridge.yaml")
	mustWrite(t, cfg, daemonConfig(t, "./data"))
	dbPath := filepath.Join(dir, "data", databaseFileName)
	db, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	setUserVersion(t, dbPath, store.SchemaVersion()+1)
	rows := doctorRows(t, cfg)
	expectRow(t, rows, "database", statusFail, "written by a newer posbridge", "install the newer posbridge again")
}

func TestDoctorWrongCredentials(t *testing.T) {
	s := newDoctorStore(t)
	s.writeConfig(t, "an-old-token")
	rows := doctorRows(t, s.config)
	expectRow(t, rows, "credentials", statusFail, "platform answered code", "access_token")
	// The platform answered: its clock is still compared.
	expectRow(t, rows, "platform clock", statusOK, "clocks agree", "")
}

func TestDoctorPlatformUnreachable(t *testing.T) {
	s := newDoctorStore(t)
	s.platformURL = "http://127.0.0.1:" + strconv.Itoa(freePort(t)) + "/openapi"
	s.writeConfig(t, testAccessToken)
	rows := doctorRows(t, s.config)
	expectRow(t, rows, "platform clock", statusFail, "no answer from the platform", "internet connection")
	expectRow(t, rows, "credentials", statusFail, "connection refused", "internet connection")
}

func TestDoctorPrinterOutOfPaper(t *testing.T) {
	s := newDoctorStore(t)
	s.printer.SetState(printer.StatePaperOut)
	rows := doctorRows(t, s.config)
	expectRow(t, rows, "printer kitchen", statusFail, "paper_out (缺纸)", "load a paper roll")
	s.printer.SetState(printer.StatePaperNearEnd)
	rows = doctorRows(t, s.config)
	expectRow(t, rows, "printer kitchen", statusWarn, "paper_near_end", "new roll soon")
}

func TestDiskVerdict(t *testing.T) {
	for _, tc := range []struct {
		freeMB uint64
		want   checkStatus
	}{{50, statusFail}, {300, statusWarn}, {5000, statusOK}} {
		if got := diskVerdict("/data", tc.freeMB<<20); got.Status != tc.want || (got.Status != statusOK && got.Fix == "") {
			t.Errorf("%d MB: %s (fix %q), want %s", tc.freeMB, got.Status, got.Fix, tc.want)
		}
	}
}

func TestClockVerdict(t *testing.T) {
	for _, tc := range []struct {
		skew time.Duration
		want checkStatus
		text string
	}{
		{0, statusOK, "clocks agree"},
		{45 * time.Second, statusWarn, "45s behind"},
		{-3 * time.Minute, statusFail, "3m0s ahead of"},
	} {
		got := clockVerdict(tc.skew, 80*time.Millisecond)
		if got.Status != tc.want || !strings.Contains(got.Result, tc.text) {
			t.Errorf("skew %s: %s %q", tc.skew, got.Status, got.Result)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func setUserVersion(t *testing.T, path string, v int) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
}

// corruptDatabase fills the database with rows, then overwrites pages after
// the first with garbage, as a failing disk would: the header still opens,
// quick_check finds the damage.
func corruptDatabase(t *testing.T, path string) {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(strings.Repeat(`{"orderCode":"1"}`, 100))
	for range 200 {
		if _, err := db.AppendInbox(context.Background(), store.InboxItem{Kind: "order", OrderCode: "1", Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	garbage := bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 1024)
	for off := int64(4096 * 2); off < info.Size(); off += 4096 * 3 {
		if _, err := f.WriteAt(garbage, off); err != nil {
			t.Fatal(err)
		}
	}
}

// The push port answering is not enough: it must be this posbridge. With
// posbridge stopped, anything answering there holds the port it needs; with
// posbridge running, another run (another data folder) may hold it.
func TestDoctorPushPortHeldByAnother(t *testing.T) {
	s := newDoctorStore(t)
	rows := doctorRows(t, s.config)
	expectRow(t, rows, "push listener", statusFail, "another posbridge answers on "+s.pushAddr+" while this one", "push.listen")

	s.pushServer.Close()
	other, err := net.Listen("tcp", s.pushAddr)
	if err != nil {
		t.Fatal(err)
	}
	nginx := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>welcome</html>") })}
	go nginx.Serve(other)
	defer nginx.Close()
	rows = doctorRows(t, s.config)
	expectRow(t, rows, "push listener", statusFail, "another program answers on "+s.pushAddr, "another program holds port")

	s.runAsDaemon(t, "a-different-run")
	nginx.Close()
	other, err = net.Listen("tcp", s.pushAddr)
	if err != nil {
		t.Fatal(err)
	}
	impostor := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"service":"posbridge","instance":"`+doctorInstance+`"}`)
	})}
	go impostor.Serve(other)
	defer impostor.Close()
	rows = doctorRows(t, s.config)
	expectRow(t, rows, "push listener", statusFail, "another posbridge answers on "+s.pushAddr+", not the one running", "push.listen")
}

// A live store with a virtual printer prints nothing on paper: a warning,
// with the fix, in doctor and in config check.
func TestDoctorWarnsOfVirtualPrintersInLiveMode(t *testing.T) {
	s := newDoctorStore(t)
	mustWrite(t, s.config, strings.Replace(readFile(t, s.config), s.front.URI(), "virtual://front", 1))
	rows := doctorRows(t, s.config)
	expectRow(t, rows, "printer front", statusWarn, "virtual printer in live mode", "real printer")
	var out, errOut bytes.Buffer
	configCheck([]string{"--config", s.config}, &out, &errOut)
	if !strings.Contains(out.String()+errOut.String(), "printers[1].connection: warning: virtual://front prints nothing on paper") {
		t.Errorf("config check does not warn of the virtual printer:\n%s%s", out.String(), errOut.String())
	}
}

// The fix for a platform that cannot be reached names the scheme base_url
// uses: an http address is not reached over HTTPS.
func TestReachFixNamesTheScheme(t *testing.T) {
	for url, want := range map[string]string{
		"http://10.0.0.5:8080/openapi":   "allow HTTP to 10.0.0.5:8080",
		"http://open.example.cn/openapi": "allow HTTP to open.example.cn (port 80)",
		"https://open.example.cn/api":    "allow HTTPS to open.example.cn (port 443)",
	} {
		cfg := &config.Config{Platform: config.PlatformConfig{BaseURL: url}}
		if got := reachFix(cfg); !strings.Contains(got, want) {
			t.Errorf("reachFix(%s) = %q, want %q", url, got, want)
		}
	}
}
