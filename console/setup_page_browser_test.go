package console_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/printer/fakeprinter"
)

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// The first-run setup page of an installed service (live mode, no
// credentials): stores, a printer found by discovery, a PIN and the 开个店
// credentials, each written to the settings layer (the packaged config
// stays as installed); with the credentials the service leaves setup mode
// by itself, takes an order from the platform and prints it.
func TestSetupPageTakesAnInstallationLive(t *testing.T) {
	b := newBrowser(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	platform, err := fake.New(fake.Options{MerchantKey: key, AccessToken: "tok-setup", PartnerID: "2282", AppID: "wxaa246",
		Stores: []fake.Store{{ID: "1862", Name: "南翔一店"}}, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	baseURL, err := platform.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { platform.Close() })
	front, err := fakeprinter.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(front.Close)

	dir := t.TempDir()
	file := filepath.Join(dir, "posbridge.yaml")
	installed := config.InstalledYAML("linux")
	if err := os.WriteFile(file, []byte(installed), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	d, ready := runInstalled(t, file, dataDir, "POSBRIDGE_POLL_INTERVAL=1s", "POSBRIDGE_POLL_FAST_INTERVAL=300ms")
	base := "http://" + d.ConsoleAddr
	b.do(chromedp.Navigate(base + "/"))
	b.wait("setup banner link", `!!document.getElementById('setup-link')`, 10*time.Second)
	b.click("#start-btn")
	b.click("#setup-link")
	b.wait("setup page", `!!document.querySelector('#store-rows .store-id') && !!document.getElementById('discover-btn')`, 10*time.Second)

	// 1. the store
	// (The installed example names store 1862 in its accept rules: a list
	// without it is refused with that reason.)
	b.do(clearInput("#store-rows .store-id"), chromedp.SendKeys("#store-rows .store-id", "2051"))
	b.click("#stores-save")
	b.wait("store list refused", `document.getElementById('stores-error').textContent.includes('accept.rules')`, 10*time.Second)
	b.do(clearInput("#store-rows .store-id"), chromedp.SendKeys("#store-rows .store-id", "1862"),
		clearInput("#store-rows .store-name"), chromedp.SendKeys("#store-rows .store-name", "南翔一店"))
	b.click("#stores-save")
	b.wait("store saved", `document.getElementById('step-stores').classList.contains('saved')`, 10*time.Second)

	// 2. a printer, found on the network
	b.click("#discover-btn")
	b.do(chromedp.SendKeys("#discover-hosts", front.Addr()))
	b.click("#discover-probe") // list the machine's own ports, never open them
	b.click("#discover-run")
	sel := `.discover-row[data-device="tcp://` + front.Addr() + `"] button[data-add]`
	b.wait("found printer", `!!document.querySelector('`+sel+`')`, 20*time.Second)
	b.click(sel)
	b.wait("printer form", `document.querySelector('#printer-form [data-field="connection"]')?.value === 'tcp://`+front.Addr()+`'`, 5*time.Second)
	b.do(chromedp.SendKeys(`#printer-form [data-field="name"]`, "counter"))
	b.click("#confirm-ok")
	b.wait("printer saved", `!!document.querySelector('#settings-table tr[data-setting="counter"]')`, 10*time.Second)

	// 3. the PIN, too short first
	b.do(chromedp.SendKeys("#pin-input", "12"))
	b.click("#pin-save")
	b.wait("PIN refused", `document.getElementById('pin-error').textContent.includes('4')`, 5*time.Second)
	b.do(clearInput("#pin-input"), chromedp.SendKeys("#pin-input", "8642"))
	b.click("#pin-save")
	b.wait("PIN saved", `document.getElementById('step-pin').classList.contains('saved')`, 10*time.Second)

	// 4. the credentials: a bad key first, then the right one
	b.do(chromedp.SendKeys("#pf-base_url", baseURL), chromedp.SendKeys("#pf-partner_id", "2282"),
		chromedp.SendKeys("#pf-app_id", "wxaa246"), chromedp.SendKeys("#pf-access_token", "tok-setup"),
		chromedp.SendKeys("#pf-private_key", "not a key"))
	b.click("#platform-save")
	b.wait("bad key refused", `document.getElementById('platform-error').textContent.includes('私钥')`, 5*time.Second)
	b.shot("37-setup-page")
	b.do(chromedp.SetValue(chromedp.CSS("#pf-private_key"), keyPEM))
	b.click("#platform-save")
	b.wait("live", `document.getElementById('step-done').dataset.live === '1'`, 30*time.Second)
	b.shot("38-setup-done")

	select {
	case d = <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("the daemon never came up in live mode")
	}
	if d.Setup || d.Config.SetupMode() {
		t.Fatal("the daemon is still in setup mode")
	}
	if now, _ := os.ReadFile(file); string(now) != installed {
		t.Fatal("the setup page wrote the packaged config file")
	}
	layer, err := os.ReadFile(config.SettingsPath(dataDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"id: \"1862\"", "name: counter", "pin: $2a$", "partner_id: \"2282\"", "access_token: tok-setup", "private_key_file: "} {
		if !strings.Contains(string(layer), want) {
			t.Errorf("settings layer lacks %q:\n%s", want, layer)
		}
	}
	if strings.Contains(string(layer), "8642") || strings.Contains(string(layer), "BEGIN PRIVATE KEY") {
		t.Fatalf("the layer holds the PIN or the key itself:\n%s", layer)
	}
	if info, err := os.Stat(filepath.Join(dataDir, "keys", "kaigedian-private.pem")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", info, err)
	}

	// Live: an order on the platform is polled, accepted and printed.
	o := platform.NewOrder(fake.OrderSpec{StoreID: "1862", NoPush: true})
	if !harness.WaitFor(30*time.Second, func() bool {
		for _, j := range front.Jobs() {
			if strings.Contains(decodeText(j), o.Code) {
				return true
			}
		}
		return false
	}) {
		t.Fatalf("order %s was never printed after setup", o.Code)
	}
	b.noJSErrors()
}

// clearInput empties an input (chromedp's SetValue refuses the empty string).
func clearInput(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.querySelector(` + jsString(sel) + `).value = ''`)
}
