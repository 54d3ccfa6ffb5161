package api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/posbridge/posbridge/ordering/members"
)

// memberOrder creates a card-paid order of 40.00 (or totalFee) at table 1
// and answers its id and view token.
func (m *memberRig) memberOrder(totalFee string, auth ...string) (string, string) {
	m.t.Helper()
	body := strings.Replace(createBody(1, 1, totalFee), `"paid_type": 1`, `"paid_type": 3`, 1)
	if totalFee != "40" {
		body = strings.Replace(body, `"discounts": []`, `"discount_fee": 4, "discounts": [{"name": "会员九折", "value": 4, "is_member": true}]`, 1)
	}
	o := m.want(m.do("POST", prefix+"orders?res_id=1", body, auth...), 200)
	return num(o.body["id"]), o.body["view_token"].(string)
}

func (m *memberRig) payURL(id, token string, auth []string) string {
	m.t.Helper()
	u := m.want(m.do("GET", prefix+"orders/"+id+"/pay-url?res_id=1&method=member&token="+token, "", auth...), 200)
	return u.body["url"].(string)
}

var ticketRE = regexp.MustCompile(`name="t" value="([^"]+)"`)

func getPage(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func postPay(t *testing.T, base, ticket, pwd string) (int, string) {
	t.Helper()
	res, err := http.PostForm(base+memberPayPath, url.Values{"t": {ticket}, "card_pwd": {pwd}})
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestCardPaymentDebitsOnPostOnlyAndNeverOverdraws(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("C100", "1234", 10000)
	me := m.bearer(21)
	m.want(m.do("POST", prefix+"user-member-card/bind", `{"card_id": "C100", "card_pwd": "1234"}`, me...), 200)
	ctx := context.Background()

	// Refusals of pay-url: another method, an order not paid by card, no login.
	id0, tok0 := m.memberOrder("40")
	m.want(m.do("GET", prefix+"orders/"+id0+"/pay-url?res_id=1&method=wechat&token="+tok0, "", me...), 403)
	m.want(m.do("GET", prefix+"orders/"+id0+"/pay-url?res_id=1&method=member&token="+tok0, ""), 401)
	m.want(m.do("GET", prefix+"orders/"+id0+"/pay-url?res_id=1&method=member&token=wrong", "", me...), 404)
	off := m.want(m.do("POST", prefix+"orders?res_id=1", createBody(1, 1, "40")), 200)
	m.want(m.do("GET", prefix+"orders/"+num(off.body["id"])+"/pay-url?res_id=1&method=member&token="+off.body["view_token"].(string), "", me...), 403)
	m.want(m.do("GET", prefix+"orders/"+id0+"/pay-url?res_id=1&method=member&token="+tok0, "", m.bearer(22)...), 403) // no card

	// The page shows the amount; a GET, however often, debits nothing.
	u := m.payURL(id0, tok0, me)
	for range 3 {
		code, page := getPage(t, u)
		if code != 200 || !strings.Contains(page, "￥40.00") || !strings.Contains(page, "￥100.00") || !strings.Contains(page, `id="card_pwd"`) {
			t.Fatalf("page %d %s", code, page)
		}
	}
	if c, _ := m.ledger.CardOf(ctx, 1, "21"); c.BalanceFen != 10000 {
		t.Fatalf("a GET debited the card: %d", c.BalanceFen)
	}
	_, page := getPage(t, u)
	ticket := ticketRE.FindStringSubmatch(page)[1]
	if code, body := postPay(t, m.http.URL, ticket+"x", "1234"); code != 403 {
		t.Fatalf("forged ticket: %d %s", code, body)
	}

	// Five orders of 40.00 at once against 100.00: two are paid, never a
	// third, and the balance never goes below zero.
	var tickets []string
	tickets = append(tickets, ticket)
	for range 4 {
		id, tok := m.memberOrder("40")
		_, p := getPage(t, m.payURL(id, tok, me))
		tickets = append(tickets, ticketRE.FindStringSubmatch(p)[1])
	}
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for _, tk := range tickets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := postPay(t, m.http.URL, tk, "1234")
			if code == 400 && !strings.Contains(body, "余额不足") {
				t.Errorf("refusal %s", body)
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[200] != 2 || codes[400] != 3 {
		t.Fatalf("answers %v, want 2×200 and 3×400", codes)
	}
	c, _ := m.ledger.CardOf(ctx, 1, "21")
	if c.BalanceFen != 2000 || c.Points != 80 { // 2 × floor(40.00) × 1 point
		t.Fatalf("balance %d points %d", c.BalanceFen, c.Points)
	}
	if _, bad, err := m.db.CheckMemberLedger(ctx); err != nil || len(bad) > 0 {
		t.Fatalf("ledger check: %v %v", bad, err)
	}
	// A wrong password is refused (its try counted); a right one does not
	// use up the hour's five tries.
	id6, tok6 := m.memberOrder("40")
	_, p6 := getPage(t, m.payURL(id6, tok6, me))
	if code, body := postPay(t, m.http.URL, ticketRE.FindStringSubmatch(p6)[1], "9999"); code != 400 || !strings.Contains(body, "卡号或密码不正确") {
		t.Fatalf("wrong password: %d %s", code, body)
	}
	// A paid order's ticket pays nothing again; pay-url refuses it.
	if p, err := m.db.MemberOrderPayment(ctx, orderNo(id0)); err == nil {
		if code, _ := postPay(t, m.http.URL, ticket, "1234"); code != 409 {
			t.Fatalf("second payment of a paid order: %d", code)
		}
		m.want(m.do("GET", prefix+"orders/"+id0+"/pay-url?res_id=1&method=member&token="+tok0, "", me...), 403)
		if p.AmountFen != 4000 || p.Points != 40 {
			t.Fatalf("payment %+v", p)
		}
	}
	if c2, _ := m.ledger.CardOf(ctx, 1, "21"); c2.BalanceFen != 2000 {
		t.Fatalf("balance moved: %d", c2.BalanceFen)
	}
}

func orderNo(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}

func TestCalcFeeShowsTheMemberDiscount(t *testing.T) {
	cfg := levels()
	cfg.Levels[1].MinSpent = 0
	cfg.Levels[0].MinSpent = 0
	cfg.Levels = cfg.Levels[1:] // everyone is 金卡 (九折)
	m := newMemberRig(t, cfg)
	me := m.bearer(31)
	calc := `{"restaurant": 1, "table_id": 1, "eat_type": 0, ` + cart + `}`
	anon := m.want(m.do("POST", prefix+"orders/calc-fee?res_id=1", calc), 200)
	if strings.Contains(anon.raw, "is_member") || num(anon.body["discount_fee"]) != "0.00" {
		t.Fatalf("anonymous calc-fee %s", anon.raw)
	}
	noCard := m.want(m.do("POST", prefix+"orders/calc-fee?res_id=1", calc, me...), 200)
	if strings.Contains(noCard.raw, "is_member") {
		t.Fatalf("no card yet %s", noCard.raw)
	}
	m.want(m.do("POST", prefix+"user-member-card/open", "", me...), 200)
	r := m.want(m.do("POST", prefix+"orders/calc-fee?res_id=1", calc, me...), 200)
	if !strings.Contains(r.raw, `{"name":"会员九折","value":4.00,"is_member":true}`) || num(r.body["discount_fee"]) != "4.00" ||
		num(r.body["total_fee"]) != "36.00" {
		t.Fatalf("member calc-fee %s", r.raw)
	}
	// A bad token is no login on a public endpoint.
	m.want(m.do("POST", prefix+"orders/calc-fee?res_id=1", calc, "Authorization", "Bearer nope"), 200)
	// The create checks the echoed member line like any discount.
	id, tok := m.memberOrder("36", me...)
	if id == "" || tok == "" {
		t.Fatal("no order")
	}
	_ = members.OrderRef
}
