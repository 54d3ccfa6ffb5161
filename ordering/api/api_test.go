package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/internal/seedjson"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/orders"
)

func TestRestaurantInfoAndProducts(t *testing.T) {
	r := newRig(t, "", nil)
	info := r.want(r.do("GET", prefix+"restaurants/1?table_id=1", ""), 200).body
	if info["name"] != "茶语时光" || num(info["tz_offset"]) != "480" || info["today"] != "2026-12-02" || num(info["weekday"]) != "3" {
		t.Fatalf("info: %v %v %v %v", info["name"], info["tz_offset"], info["today"], info["weekday"])
	}
	if enable := info["takeout"].(map[string]any)["eat_types_enable"].([]any); enable[1] != false {
		t.Fatalf("delivery must not be offered before addresses exist: %v", enable)
	}
	// trailing slash and none: the same handler
	r.want(r.do("GET", prefix+"restaurants/1/?table_id=1", ""), 200)
	r.want(r.do("GET", prefix+"restaurants/1?table_id=77", ""), 404)
	r.want(r.do("GET", prefix+"restaurants/9", ""), 404)
	page := r.want(r.do("GET", prefix+"products/simple?res_id=1&table_id=1&page_size=2", ""), 200).body
	if num(page["count"]) != "6" || num(page["code"]) != "0" || len(page["results"].([]any)) != 2 || page["previous"] != nil {
		t.Fatalf("page: %v", page)
	}
	if next, _ := page["next"].(string); !strings.HasPrefix(next, prefix+"products/simple?") || !strings.Contains(next, "page=2") {
		t.Fatalf("next: %v", page["next"])
	}
	r.want(r.do("GET", prefix+"products/simple?res_id=1&table_id=1&page=9", ""), 404)
	if got := r.want(r.do("GET", prefix+"products/simple?res_id=1", ""), 400).body; got["table_id"] == nil {
		t.Fatalf("missing table_id: %v", got)
	}
	p := r.want(r.do("GET", prefix+"products/301?res_id=1", ""), 200).body
	if p["item_type"] != json.Number("3") || len(p["courses"].([]any)) != 2 {
		t.Fatalf("set meal: %v", p)
	}
	r.want(r.do("GET", prefix+"products/999?res_id=1", ""), 404)
	r.want(r.do("GET", prefix+"products/abc?res_id=1", ""), 404)
}

func TestErrorShapes(t *testing.T) {
	r := newRig(t, "", nil)
	got := r.want(r.do("DELETE", prefix+"orders?res_id=1", ""), 405)
	if got.body["detail"] == nil || !strings.Contains(got.header.Get("Allow"), "POST") {
		t.Fatalf("405: %v %v", got.body, got.header)
	}
	got = r.want(r.do("POST", prefix+"orders/calc-fee?res_id=1", "a=b", "Content-Type", "text/plain"), 415)
	if got.body["detail"] == nil {
		t.Fatal("415 needs a detail")
	}
	got = r.want(r.do("POST", prefix+"orders?res_id=1", `{"restaurant": 1,`), 400)
	if got.body["non_field_errors"] == nil {
		t.Fatalf("malformed JSON: %v", got.body)
	}
	r.want(r.do("POST", prefix+"orders?res_id=1", `{"pad": "`+strings.Repeat("x", maxBody)+`"}`), 413)
	r.want(r.do("GET", prefix+"users/me", ""), 401)
	// forms are read as DRF reads them (fields as strings); a create cannot
	// carry its items in a form, and the 400 names what is missing rather
	// than the numbers given as text
	multipartBody := "--x\r\nContent-Disposition: form-data; name=\"restaurant\"\r\n\r\n1\r\n" +
		"--x\r\nContent-Disposition: form-data; name=\"table_id\"\r\n\r\n1\r\n--x--\r\n"
	for _, c := range []struct{ body, ct string }{
		{"restaurant=1&table_id=1", "application/x-www-form-urlencoded"},
		{multipartBody, "multipart/form-data; boundary=x"},
	} {
		got = r.want(r.do("POST", prefix+"orders?res_id=1", c.body, "Content-Type", c.ct), 400)
		if got.body["detail"] != nil || got.body["restaurant"] != nil || got.body["table_id"] != nil || len(got.body) == 0 {
			t.Fatalf("form %s: %v", c.ct, got.body)
		}
	}
	r.want(r.do("POST", prefix+"orders?res_id=1", "pad="+strings.Repeat("x", maxBody), "Content-Type", "application/x-www-form-urlencoded"), 413)
	got = r.want(r.do("POST", prefix+"orders/calc-fee?res_id=1", "restaurant=1&table_id=1", "Content-Type", ""), 415)
	if d, _ := got.body["detail"].(string); !strings.Contains(d, "JSON") {
		t.Fatalf("untyped form 415: %v", got.body)
	}
	got = r.want(r.do("GET", prefix+"orders?res_id=1&table_id=-1", ""), 401)
	if got.header.Get("WWW-Authenticate") == "" {
		t.Fatal("401 without WWW-Authenticate")
	}
	r.want(r.do("POST", prefix+"image-upload-base64", `{"base64": "x"}`), 401)
	// the listener serves nothing of the console or the push receiver
	for _, p := range []string{"/api/orders", "/api/events", "/kaigedian/push/order", "/api/scan"} {
		if got := r.do("GET", p, ""); got.status != 404 {
			t.Errorf("%s: %d", p, got.status)
		}
	}
}

// The order of Done-when: calc-fee, then a wrong total, an old QR version
// and a closed hour each 400, then the create.
func TestCreateRecomputesAndRefuses(t *testing.T) {
	r := newRig(t, "", nil)
	calc := r.want(r.do("POST", prefix+"orders/calc-fee?res_id=1", `{"restaurant": 1, "table_id": 1, "eat_type": 0, "customer_count": 2, "ignore_extra_price": true, `+cart+`}`), 200).body
	if num(calc["total_fee"]) != "40.00" || calc["tax_fee"] != "0.00" {
		t.Fatalf("calc-fee: %v", calc)
	}
	wrong := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "39")), 400).body
	if wrong["total_fee"] == nil || len(wrong) != 1 {
		t.Fatalf("wrong total: %v", wrong)
	}
	old := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 0, "40")), 400).body
	if msgs, _ := old["non_field_errors"].([]any); len(msgs) == 0 || !strings.Contains(msgs[0].(string), "二维码已失效") {
		t.Fatalf("old ver: %v", old)
	}
	noVer := strings.Replace(createBody(1, 1, "40"), `"ver": 1,`, "", 1)
	r.want(r.do("POST", prefix+"orders?res_id=1", noVer), 400)
	r.want(r.do("POST", prefix+"orders?res_id=1&ver=2", createBody(1, 1, "40")), 400) // ?ver= and body differ
	r.clock.set(time.Date(2026, 12, 2, 23, 0, 0, 0, cst))
	closed := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40")), 400).body
	if closed["non_field_errors"] == nil {
		t.Fatalf("closed: %v", closed)
	}
	r.clock.set(wednesdayNoon)
	badLine := strings.Replace(createBody(1, 1, "40"), `"product": 201, "price": 2`, `"product": 201, "price": 1`, 1)
	nested := r.want(r.do("POST", prefix+"orders?res_id=1", badLine), 400).body
	if lines, _ := nested["products"].([]any); len(lines) != 2 {
		t.Fatalf("nested field: %v", nested)
	}
	unknown := strings.Replace(createBody(1, 1, "40"), `"product": 105`, `"product": 999`, 1)
	r.want(r.do("POST", prefix+"orders?res_id=1", unknown), 400)

	got := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40")), 200).body
	token, _ := got["view_token"].(string)
	if token == "" || got["take_code"] != "5001" || num(got["status"]) != "1" || num(got["total_fee"]) != "40.00" {
		t.Fatalf("create: %v", got)
	}
	if uri, _ := got["take_code_datauri"].(string); !strings.HasPrefix(uri, "data:image/png;base64,") {
		t.Fatal("no take code barcode")
	}
	if got["customer_phone"] != "13812345678" {
		t.Fatalf("+86 is dropped (seed §1.3): %v", got["customer_phone"])
	}
	r.placed.waitPlaced(t, 1)
	id := num(got["id"])
	// the seed's order object: every key of §6.1's example is there
	raw, err := seedjson.Load("6.1-orders")
	if err != nil {
		t.Fatal(err)
	}
	var seed struct{ Results []map[string]any }
	json.Unmarshal(raw, &seed)
	for k := range seed.Results[0] {
		if _, ok := got[k]; !ok {
			t.Errorf("order object lacks the seed's %q", k)
		}
	}
	// reading it needs its token
	r.want(r.do("GET", prefix+"orders/"+id+"?res_id=1", ""), 404)
	r.want(r.do("GET", prefix+"orders/"+id+"?res_id=1&token=nottheone", ""), 404)
	detail := r.want(r.do("GET", prefix+"orders/"+id+"?res_id=1&token="+token, ""), 200).body
	if detail["trade_no"] != got["trade_no"] || detail["customer_name"] != "王先生" {
		t.Fatalf("detail: %v", detail)
	}
	// the table's list shows items and statuses, not the customer
	list := r.want(r.do("GET", prefix+"orders?res_id=1&table_id=1", ""), 200).body
	results := list["results"].([]any)
	if len(results) != 1 || num(list["code"]) != "0" {
		t.Fatalf("table list: %v", list)
	}
	first := results[0].(map[string]any)
	if first["customer_name"] != "" || first["customer_phone"] != "" || first["take_code_datauri"] != "" || len(first["products"].([]any)) != 2 {
		t.Fatalf("table list shows the customer: %v", first)
	}
	if got := r.want(r.do("GET", prefix+"orders?res_id=1&table_id=1&status=9", ""), 200).body; num(got["count"]) != "0" {
		t.Fatalf("finished: %v", got)
	}
	r.clock.set(wednesdayNoon.Add(5 * time.Hour))
	if got := r.want(r.do("GET", prefix+"orders?res_id=1&table_id=1", ""), 200).body; num(got["count"]) != "0" {
		t.Fatalf("four hours later the table's list is empty: %v", got)
	}
}

// Seed §6.5's example, repaired as the digest says (a dine-in table with
// its sticker's ver, total_fee 28), creates through the API.
func TestSeedCreateExampleThroughTheAPI(t *testing.T) {
	r := newRig(t, "pricing/seed-6.5.yaml", nil)
	raw, err := seedjson.Load("6.5-request")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.NewReplacer(`"table_id": 5,`, `"table_id": 5, "ver": 1,`, `"eat_type": 1,`, `"eat_type": 0,`,
		`"total_fee": 34,`, `"total_fee": 28,`, `"user_address": 18,`, ``, `"plan_time": "2019-04-28T15:22+0800",`, ``).Replace(string(raw))
	r.clock.set(time.Date(2019, 4, 28, 12, 0, 0, 0, cst))
	got := r.do("POST", prefix+"orders?res_id=1", body)
	if got.status != 200 {
		t.Fatalf("%d %s", got.status, got.raw)
	}
	if num(got.body["total_fee"]) != "28.00" || len(got.body["products"].([]any)) != 2 {
		t.Fatalf("%v", got.body)
	}
	// as the seed wrote it (user_address 18: a login) it is refused
	r.want(r.do("POST", prefix+"orders?res_id=1", string(raw)), 400)
}

func TestIdempotencyKey(t *testing.T) {
	r := newRig(t, "", nil)
	key := "0f8e3c1a-8a8f-4c53-9c1c-3d2f1a0b9e77"
	a := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40"), "Idempotency-Key", key), 200).body
	b := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40"), "Idempotency-Key", key), 200).body
	if num(a["id"]) != num(b["id"]) || a["take_code"] != b["take_code"] {
		t.Fatalf("same key, same body: %v vs %v", a["id"], b["id"])
	}
	// the repeat's token reads the order too (the page lost the first reply)
	r.want(r.do("GET", prefix+"orders/"+num(b["id"])+"?res_id=1&token="+b["view_token"].(string), ""), 200)
	r.want(r.do("GET", prefix+"orders/"+num(a["id"])+"?res_id=1&token="+a["view_token"].(string), ""), 200)
	r.want(r.do("POST", prefix+"orders?res_id=1", strings.Replace(createBody(1, 1, "40"), "少冰", "去冰", 1), "Idempotency-Key", key), 409)
	// answered again after closing time: the order exists
	r.clock.set(time.Date(2026, 12, 2, 23, 30, 0, 0, cst))
	r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40"), "Idempotency-Key", key), 200)
	r.clock.set(wednesdayNoon)
	r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40"), "Idempotency-Key", "short"), 400)

	// a burst of the same create from a page retrying: one order
	key2 := "7d1c2b3a-1111-4c53-9c1c-3d2f1a0b9e77"
	var wg sync.WaitGroup
	ids := make([]string, 6)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := r.do("POST", prefix+"orders?res_id=1", strings.Replace(createBody(-2, 1, "40"), `"eat_type": 0`, `"eat_type": 3`, 1), "Idempotency-Key", key2)
			ids[i] = fmt.Sprint(got.status, " ", num(got.body["id"]))
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent repeats answered differently: %v", ids)
		}
	}
}

func TestRateLimitsPerAddressAndTrustedProxies(t *testing.T) {
	proxies, _ := parseCIDRs("127.0.0.9")
	r := newRig(t, "", func(o *Options) { o.CreatesPerMinute = 3; o.TrustedProxies = proxies; o.OpenOrdersPerTable = 100 })
	body := createBody(-2, 1, "43.00") // wait-pickup: takeout prices and box fees
	body = strings.Replace(body, `"eat_type": 0`, `"eat_type": 3`, 1)
	calc := r.want(r.do("POST", prefix+"orders/calc-fee?res_id=1", `{"restaurant": 1, "table_id": -2, "eat_type": 3, `+cart+`}`), 200).body
	body = strings.NewReplacer(`"total_fee": 43.00`, `"total_fee": `+num(calc["total_fee"]), `"total_box_fee": 0`, `"total_box_fee": `+num(calc["total_box_fee"]),
		`"price": 17, "total_price": 34`, `"price": 18, "total_price": 36`, `"total_price": 40`, `"total_price": `+num(calc["total_price"])).Replace(body)
	post := func(c *http.Client, xff string) *http.Response {
		req, _ := http.NewRequest("POST", r.http.URL+prefix+"orders?res_id=1", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	a := fromAddr(t, "127.0.0.2")
	for i := range 3 {
		if res := post(a, ""); res.StatusCode != 200 {
			t.Fatalf("create %d: %d", i, res.StatusCode)
		}
	}
	res := post(a, "203.0.113.5") // an untrusted client cannot pick its address
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth from one phone: %d %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res := post(fromAddr(t, "127.0.0.3"), ""); res.StatusCode != 200 {
		t.Fatalf("another phone: %d", res.StatusCode)
	}
	proxy := fromAddr(t, "127.0.0.9")
	for i := range 3 {
		if res := post(proxy, fmt.Sprintf("198.51.100.%d", i+1)); res.StatusCode != 200 {
			t.Fatalf("phones behind the proxy are told apart: %d", res.StatusCode)
		}
	}
	for range 3 {
		post(proxy, "198.51.100.50, 127.0.0.9")
	}
	if res := post(proxy, "198.51.100.50"); res.StatusCode != 429 {
		t.Fatalf("one phone behind the proxy: %d", res.StatusCode)
	}
}

func TestOpenOrdersCapPerRealTable(t *testing.T) {
	r := newRig(t, "", func(o *Options) { o.OpenOrdersPerTable = 2; o.CreatesPerMinute = 100 })
	for range 2 {
		r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40")), 200)
	}
	full := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40")), 429)
	if !strings.Contains(full.body["detail"].(string), "没有完成") {
		t.Fatalf("%v", full.body)
	}
	r.want(r.do("POST", prefix+"orders?res_id=1", createBody(2, 1, "40")), 200) // another table
}

func TestStatusReachesThePhoneWithinTwoSeconds(t *testing.T) {
	r := newRig(t, "", nil)
	got := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40")), 200).body
	id, token := num(got["id"]), got["view_token"].(string)
	res, err := http.Get(r.http.URL + prefix + "orders/" + id + "/events?res_id=1&token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := make(chan map[string]any, 4)
	go func() {
		buf := make([]byte, 64<<10)
		var pending string
		for {
			n, err := res.Body.Read(buf)
			pending += string(buf[:n])
			for {
				i := strings.Index(pending, "\n\n")
				if i < 0 {
					break
				}
				block := pending[:i]
				pending = pending[i+2:]
				if _, data, ok := strings.Cut(block, "data: "); ok {
					var v map[string]any
					json.Unmarshal([]byte(data), &v)
					events <- v
				}
			}
			if err != nil {
				close(events)
				return
			}
		}
	}()
	if first := <-events; first["status"] != float64(1) {
		t.Fatalf("first event: %v", first)
	}
	var idn int64
	fmt.Sscan(id, &idn)
	start := time.Now()
	if _, err := r.srv.SetStatus(t.Context(), idn, orders.Preparing, "", orders.Awaiting); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if ev["status"] != float64(2) {
			t.Fatalf("event: %v", ev["status"])
		}
		t.Logf("status reached the phone in %v", time.Since(start))
	case <-time.After(2 * time.Second):
		t.Fatal("the phone did not see the change within 2 s")
	}
	r.want(r.do("GET", prefix+"orders/"+id+"/events?res_id=1", ""), 404) // no token
}

func TestAcceptDeadlineAndHandOverAfterCrash(t *testing.T) {
	r := newRig(t, "", nil)
	r.placed.setFail(true)
	got := r.want(r.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40")), 200).body
	r.srv.WaitHandOvers() // the hand-over beside the reply fails: the flow refuses
	if r.placed.count() != 0 {
		t.Fatal("placed while the flow refuses")
	}
	r.placed.setFail(false)
	sw := Sweeper{AcceptDeadline: 10 * time.Minute}
	r.srv.Sweep(t.Context(), sw)
	if r.placed.count() != 1 {
		t.Fatalf("the sweep hands the order over: %d", r.placed.count())
	}
	r.srv.Sweep(t.Context(), sw)
	if r.placed.count() != 1 {
		t.Fatal("handed over twice")
	}
	r.clock.set(wednesdayNoon.Add(11 * time.Minute))
	r.srv.Sweep(t.Context(), sw)
	detail := r.want(r.do("GET", prefix+"orders/"+num(got["id"])+"?res_id=1&token="+got["view_token"].(string), ""), 200).body
	if num(detail["status"]) != "-2" || detail["status_note"] != ExpiredNote {
		t.Fatalf("past the deadline: %v %v", detail["status"], detail["status_note"])
	}
}

func TestPhonePageIsServedWithoutOutsideResources(t *testing.T) {
	r := newRig(t, "", nil)
	page := r.want(r.do("GET", "/?rid=1&tid=1&ver=1", ""), 200)
	if !strings.Contains(page.raw, `lang="zh-CN"`) || !strings.Contains(page.raw, "width=device-width") {
		t.Fatal("not the phone page")
	}
	for _, p := range []string{"/", "/static/app.js", "/static/app.css"} {
		got := r.want(r.do("GET", p, ""), 200)
		if strings.Contains(got.raw, "http://") || strings.Contains(got.raw, "https://") || strings.Contains(got.raw, "//cdn") {
			t.Errorf("%s loads something from outside", p)
		}
		if got.header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: no CSP", p)
		}
	}
	r.want(r.do("GET", "/static/secret", ""), 404)
}

// The products page is rendered once per menu: an edit (a new menu) is
// seen at once.
func TestProductsPageFollowsTheCurrentMenu(t *testing.T) {
	var current atomic.Pointer[menu.Menu]
	r := newRig(t, "", func(o *Options) { o.Restaurants[0].Menu = current.Load })
	current.Store(r.menu)
	soldOut := func() bool {
		page := r.want(r.do("GET", prefix+"products/simple?res_id=1&table_id=1", ""), 200).body
		for _, p := range page["results"].([]any) {
			if p.(map[string]any)["id"] == json.Number("104") {
				return p.(map[string]any)["sold_out"] == true
			}
		}
		t.Fatal("no product 104")
		return false
	}
	if soldOut() || soldOut() {
		t.Fatal("104 sold out in the example")
	}
	data := strings.Replace(string(menu.Example()), "    sold_out: false", "    sold_out: true", 1)
	edited, err := menu.Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	current.Store(edited)
	if !soldOut() {
		t.Fatal("the edited menu is not served")
	}
}
