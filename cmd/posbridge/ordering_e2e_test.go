package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/service"
)

// ticketPrinter is a TCP printer that keeps every byte it is sent.
type ticketPrinter struct {
	ln  net.Listener
	mu  sync.Mutex
	buf bytes.Buffer
}

func newTicketPrinter(t *testing.T) *ticketPrinter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &ticketPrinter{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				b := make([]byte, 4096)
				for {
					n, err := c.Read(b)
					p.mu.Lock()
					p.buf.Write(b[:n])
					p.mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}

func (p *ticketPrinter) has(b []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Contains(p.buf.Bytes(), b)
}

// e2e is a running daemon with the scan-to-order channel on.
type e2e struct {
	t                 *testing.T
	exe, dir, cfgFile string
	console, ordering string
	cmd               *exec.Cmd
	kitchen           *ticketPrinter
}

func startOrderingDaemon(t *testing.T, orderingYAML ...string) *e2e {
	t.Helper()
	kitchen := newTicketPrinter(t)
	orderingAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	extra := "accept: { mode: manual, manual_timeout: 0s }\n" +
		"scanner: { double_scan_window: 200ms }\n" +
		"printers:\n" +
		"  - { name: receipt, role: receipt, connection: \"virtual://receipt\" }\n" +
		"  - { name: kitchen, role: kitchen, connection: \"tcp://" + kitchen.ln.Addr().String() + "\", status_query: \"off\" }\n" +
		"ordering:\n" +
		"  listen: " + orderingAddr + "\n" +
		"  public_url: http://" + orderingAddr + "\n" +
		"  restaurants:\n" +
		"    - { id: 1, store_id: \"1862\", menu_file: menu-1.yaml }\n" +
		"    - { id: 2, store_id: \"1862\", menu_file: menu-closed.yaml }\n" + strings.Join(orderingYAML, "")
	exe, dir, cfgFile := daemonDir(t, extra)
	if err := os.WriteFile(filepath.Join(dir, "menu-1.yaml"), service.SandboxMenu(), 0o600); err != nil {
		t.Fatal(err)
	}
	closed := strings.Replace(string(menu.Example()), "open: [true, true, true, true, true, true, true]", "open: [false, false, false, false, false, false, false]", 1)
	if err := os.WriteFile(filepath.Join(dir, "menu-closed.yaml"), []byte(closed), 0o600); err != nil {
		t.Fatal(err)
	}
	e := &e2e{t: t, exe: exe, dir: dir, cfgFile: cfgFile, ordering: "http://" + orderingAddr, kitchen: kitchen}
	e.start()
	t.Cleanup(func() {
		if e.cmd != nil {
			interrupt(e.cmd, 15*time.Second)
		}
	})
	return e
}

func (e *e2e) start() {
	e.t.Helper()
	cmd := posbridgeCommand(e.exe, e.dir, "run", "--config", e.cfgFile)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.cmd = cmd
	cfg, _ := os.ReadFile(e.cfgFile)
	for _, line := range strings.Split(string(cfg), "\n") {
		if strings.HasPrefix(line, "console: { listen: ") {
			e.console = "http://" + strings.TrimSuffix(strings.TrimPrefix(line, "console: { listen: "), " }")
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if res, err := http.Get(e.ordering + "/api/v1/frontend/restaurants/1?table_id=1"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				if r2, err := http.Get(e.console + "/api/health"); err == nil && r2.StatusCode == 200 {
					r2.Body.Close()
					return
				}
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("the daemon did not come up:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (e *e2e) kill() {
	_ = e.cmd.Process.Kill()
	_ = e.cmd.Wait()
	e.cmd = nil
}

func (e *e2e) call(method, url, body string, headers ...string) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	var v map[string]any
	d := json.NewDecoder(res.Body)
	d.UseNumber()
	_ = d.Decode(&v)
	return res.StatusCode, v
}

func (e *e2e) api(method, path, body string, headers ...string) (int, map[string]any) {
	return e.call(method, e.ordering+"/api/v1/frontend/"+path, body, headers...)
}

func (e *e2e) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *e2e) phoneStatus(id, token string) string {
	_, v := e.api("GET", "orders/"+id+"?res_id=1&token="+token, "")
	return fmt.Sprint(v["status"])
}

func (e *e2e) consoleStatus(code string) string {
	_, v := e.call("GET", e.console+"/api/orders/"+code, "")
	return fmt.Sprint(v["status"])
}

// A milk tea with pearls at table A1 for two, as the page builds it.
const e2eCart = `"products": [{"product": 101, "item_id": 101, "pu": 1, "unit": "大杯", "qty": 1, "price": 17, "total_price": 17,
 "condiments": [{"product": 201, "price": 2, "item_name": "加珍珠"}]}]`

func e2eBody(table, ver int, total string) string {
	return fmt.Sprintf(`{"restaurant": 1, "table_id": %d, "eat_type": 0, "paid_type": 1, "customer_count": 2, "ver": %d,
 "ignore_extra_price": true, %s, "total_price": 17, "total_box_fee": 0, "total_fee": %s, "discounts": [], "services": [], "remark": "少冰"}`,
		table, ver, e2eCart, total)
}

// Done-when of issue 15, against the real binary: info → products →
// calc-fee → create (a wrong total, an old QR version and a closed hour
// each 400) → the console's prompt → accept → the kitchen ticket with the
// take code, table and people → scan → 3 → scan → 9; a rejected order
// shows -2; a crash between create and its reply loses nothing and never
// creates the order twice.
func TestOrderingEndToEndAgainstTheBinary(t *testing.T) {
	e := startOrderingDaemon(t)
	if code, v := e.api("GET", "restaurants/1?table_id=1", ""); code != 200 || v["name"] != "茶语时光" {
		t.Fatalf("info: %d %v", code, v)
	}
	if code, v := e.api("GET", "products/simple?res_id=1&table_id=1", ""); code != 200 || fmt.Sprint(v["count"]) != "6" {
		t.Fatalf("products: %d %v", code, v)
	}
	code, calc := e.api("POST", "orders/calc-fee?res_id=1", `{"restaurant": 1, "table_id": 1, "eat_type": 0, "customer_count": 2, `+e2eCart+`}`)
	if code != 200 || fmt.Sprint(calc["total_fee"]) != "17.00" {
		t.Fatalf("calc-fee: %d %v", code, calc)
	}
	if code, v := e.api("POST", "orders?res_id=1", e2eBody(1, 1, "16")); code != 400 || v["total_fee"] == nil {
		t.Fatalf("a wrong total: %d %v", code, v)
	}
	if code, v := e.api("POST", "orders?res_id=1", e2eBody(1, 0, "17")); code != 400 || !strings.Contains(fmt.Sprint(v["non_field_errors"]), "二维码已失效") {
		t.Fatalf("an old QR version: %d %v", code, v)
	}
	closed := strings.Replace(e2eBody(1, 1, "17"), `"restaurant": 1`, `"restaurant": 2`, 1)
	if code, v := e.api("POST", "orders?res_id=2", closed); code != 400 || v["non_field_errors"] == nil {
		t.Fatalf("a closed restaurant: %d %v", code, v)
	}
	code, o := e.api("POST", "orders?res_id=1", e2eBody(1, 1, "17"), "Idempotency-Key", "e2e-order-0001")
	if code != 200 {
		t.Fatalf("create: %d %v", code, o)
	}
	id, token, tradeNo, take := fmt.Sprint(o["id"]), o["view_token"].(string), o["trade_no"].(string), o["take_code"].(string)
	e.waitFor("the console's prompt", func() bool { return e.consoleStatus(tradeNo) == "new" })
	_, view := e.call("GET", e.console+"/api/orders/ordering:"+tradeNo, "")
	if view["source"] != "ordering" || view["table"] != "A1" || view["pickup_no"] != take {
		t.Fatalf("console view: %v", view)
	}
	if code, _ := e.call("GET", e.console+"/api/orders/kaigedian:"+tradeNo, ""); code != 404 {
		t.Fatalf("the code under 开个店's prefix: %d", code)
	}
	if code, v := e.call("POST", e.console+"/api/orders/"+tradeNo+"/accept", "{}"); code >= 300 {
		t.Fatalf("accept: %d %v", code, v)
	}
	gb := func(s string) []byte { b, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s)); return b }
	e.waitFor("the kitchen ticket with the take code, table and people", func() bool {
		return e.kitchen.has([]byte(take)) && e.kitchen.has(gb("桌号 A1 · 2人"))
	})
	e.waitFor("the phone sees 2", func() bool { return e.phoneStatus(id, token) == "2" })
	if code, v := e.call("POST", e.console+"/api/scan", `{"code": "`+tradeNo+`"}`); code != 202 {
		t.Fatalf("first scan: %d %v", code, v)
	}
	e.waitFor("the phone sees 3", func() bool { return e.phoneStatus(id, token) == "3" })
	time.Sleep(250 * time.Millisecond) // past the double-scan window
	if code, v := e.call("POST", e.console+"/api/scan", `{"code": "`+tradeNo+`"}`); code != 202 {
		t.Fatalf("second scan: %d %v", code, v)
	}
	e.waitFor("the phone sees 9", func() bool { return e.phoneStatus(id, token) == "9" })

	// the console prints table A1's sticker on the receipt printer
	if code, v := e.call("POST", e.console+"/api/menus/1/tables/1/print-sticker", "{}"); code != 200 || v["printer"] != "receipt" {
		t.Fatalf("print sticker: %d %v", code, v)
	}
	e.waitFor("the sticker printed", func() bool {
		req, _ := http.NewRequest("GET", e.console+"/api/jobs?printer=receipt&state=done", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer res.Body.Close()
		var jobs struct {
			Jobs []struct {
				Doc string `json:"doc"`
			} `json:"jobs"`
		}
		json.NewDecoder(res.Body).Decode(&jobs)
		for _, j := range jobs.Jobs {
			if j.Doc == "sticker" {
				return true
			}
		}
		return false
	})

	// typed take code in the scan box
	_, o2 := e.api("POST", "orders?res_id=1", strings.Replace(e2eBody(2, 1, "17"), "少冰", "去冰", 1))
	trade2, take2 := o2["trade_no"].(string), o2["take_code"].(string)
	e.waitFor("second order prompted", func() bool { return e.consoleStatus(trade2) == "new" })
	e.call("POST", e.console+"/api/orders/"+trade2+"/accept", "{}")
	e.waitFor("second accepted", func() bool { return e.consoleStatus(trade2) == "accepted" })
	if code, v := e.call("POST", e.console+"/api/scan", `{"code": "`+take2+`"}`); code != 202 || v["action"] != "made" {
		t.Fatalf("scan of the take code %s: %d %v", take2, code, v)
	}

	// rejected
	_, o3 := e.api("POST", "orders?res_id=1", strings.Replace(e2eBody(3, 1, "17"), "少冰", "常温", 1))
	trade3 := o3["trade_no"].(string)
	e.waitFor("third prompted", func() bool { return e.consoleStatus(trade3) == "new" })
	if code, v := e.call("POST", e.console+"/api/orders/"+trade3+"/reject", `{"reason": "珍珠卖完了"}`); code >= 300 {
		t.Fatalf("reject: %d %v", code, v)
	}
	e.waitFor("the phone sees -2", func() bool { return e.phoneStatus(fmt.Sprint(o3["id"]), o3["view_token"].(string)) == "-2" })

	// a crash between the create and its reply: the page sends the same
	// key again after the restart and gets the one order
	for i, delay := range []time.Duration{0, 2 * time.Millisecond, 10 * time.Millisecond, 40 * time.Millisecond} {
		key := fmt.Sprintf("e2e-crash-%04d", i)
		body := strings.Replace(e2eBody(4, 1, "17"), "少冰", fmt.Sprintf("第%d次", i), 1)
		go func() {
			req, _ := http.NewRequest("POST", e.ordering+"/api/v1/frontend/orders?res_id=1", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", key)
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		}()
		time.Sleep(delay)
		e.kill()
		e.start()
		code, again := e.api("POST", "orders?res_id=1", body, "Idempotency-Key", key)
		if code != 200 {
			t.Fatalf("crash %d: the repeat got %d %v", i, code, again)
		}
		trade := again["trade_no"].(string)
		e.waitFor("the order in the flow after the crash", func() bool { return e.consoleStatus(trade) == "new" })
		_, list := e.api("GET", "orders?res_id=1&table_id=4", "")
		n := 0
		for _, r := range list["results"].([]any) {
			if strings.Contains(fmt.Sprint(r.(map[string]any)["remark"]), fmt.Sprintf("第%d次", i)) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("crash %d (after %v): %d orders of one create", i, delay, n)
		}
		e.call("POST", e.console+"/api/orders/"+trade+"/reject", `{"reason": "测试"}`)
	}
}

// Nobody at the counter in manual mode: past ordering.accept_deadline the
// order is rejected through the flow (the console and the slips as for a
// staff reject) and the phone reads -2 with the sentence why.
func TestOrderingAcceptDeadlineAgainstTheBinary(t *testing.T) {
	e := startOrderingDaemon(t, "  accept_deadline: 1s\n")
	code, o := e.api("POST", "orders?res_id=1", e2eBody(1, 1, "17"))
	if code != 200 {
		t.Fatalf("create: %d %v", code, o)
	}
	id, token, tradeNo := fmt.Sprint(o["id"]), o["view_token"].(string), o["trade_no"].(string)
	e.waitFor("the phone sees -2", func() bool { return e.phoneStatus(id, token) == "-2" })
	_, v := e.api("GET", "orders/"+id+"?res_id=1&token="+token, "")
	if !strings.Contains(fmt.Sprint(v["status_note"]), "自动取消") {
		t.Fatalf("the phone's sentence: %v", v["status_note"])
	}
	e.waitFor("the console shows it rejected", func() bool { return e.consoleStatus(tradeNo) == "rejected" })
}
