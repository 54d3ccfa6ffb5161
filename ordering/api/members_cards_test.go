package api

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/store"
)

func levels() members.Config {
	c := members.DefaultConfig()
	c.Levels = append(c.Levels, members.Level{Name: "金卡", MinSpent: 100000, DiscountPercent: 90})
	c.TopUps = []members.TopUp{{MoneyPrice: "100.00", Price: "90.00", BonusPoints: 20}, {MoneyPrice: "10", Price: "10", BonusPoints: 0}}
	return c
}

func TestCardOpenQueryUnbindInTheSeedsCodes(t *testing.T) {
	m := newMemberRig(t, levels())
	me := m.bearer(7)
	m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", ""), 401)
	m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", "", me...), 403)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/unbind", "", me...), 403)
	m.want(m.do("GET", "/api/v1/frontend/user-member-card/consume-logs", "", me...), 403)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/open", "", me...), 200)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/open", "", me...), 403)
	q := m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", "", me...), 200)
	if q.body["balance"] != "0.00" || num(q.body["discount"]) != "1" || q.body["card_level"] != "普通会员" || num(q.body["cur_score"]) != "0" ||
		q.body["card_id"] == "" || num(q.body["status"]) != "1" {
		t.Fatalf("query %s", q.raw)
	}
	// res_id, when given, is the token's restaurant.
	m.want(m.do("GET", "/api/v1/frontend/user-member-card/query?res_id=2", "", me...), 401)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/unbind", "", me...), 200)
	m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", "", me...), 403)
	// A forged token is 401, never a card.
	m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", "", "Authorization", "Bearer x.y.z"), 401)
}

func TestBindChecksThePasswordAndTakenCards(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("8001", "2468", 5000)
	a, b := m.bearer(1), m.bearer(2)
	r := m.want(m.do("POST", "/api/v1/frontend/user-member-card/bind", `{"card_id": "8001", "card_pwd": "1111"}`, a...), 400)
	if !strings.Contains(r.raw, "non_field_errors") {
		t.Fatalf("wrong password: %s", r.raw)
	}
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/bind", `{"card_id": "9999", "card_pwd": "2468"}`, a...), 400)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/bind", `{"card_id": 8001, "card_pwd": "2468"}`, a...), 200)
	q := m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", "", a...), 200)
	if q.body["balance"] != "50.00" || q.body["card_id"] != "8001" {
		t.Fatalf("query %s", q.raw)
	}
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/bind", `{"card_id": "8001", "card_pwd": "2468"}`, b...), 400) // taken
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/bind", `{"card_id": "8001", "card_pwd": "2468"}`, a...), 403) // has one
	// A card with a balance cannot be issued without a password.
	if _, err := m.ledger.Issue(context.Background(), 1, "8002", "", 100, "staff:x"); err == nil {
		t.Fatal("a card with a balance and no password was issued")
	}
}

// Five tries per card an hour, however many arrive at once: of 20
// parallel wrong guesses five are compared, the rest refused; the right
// password is refused too until the hour has passed.
func TestBindTriesHoldUnderConcurrency(t *testing.T) {
	m := newMemberRig(t, levels())
	m.issue("8003", "135790", 1000)
	var mu sync.Mutex
	codes := map[int]int{}
	var auths []string
	for i := range 20 {
		auths = append(auths, m.bearer(int64(100 + i))[1])
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", m.http.URL+"/api/v1/frontend/user-member-card/bind",
				strings.NewReader(`{"card_id": "8003", "card_pwd": "00000`+cid(int64(i%10))+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", auths[i])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			mu.Lock()
			codes[res.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[400] != 5 || codes[429] != 15 {
		t.Fatalf("answers %v, want 5×400 and 15×429", codes)
	}
	me := m.bearer(200)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/bind", `{"card_id": "8003", "card_pwd": "135790"}`, me...), 429)
	m.clock.set(wednesdayNoon.Add(61 * time.Minute))
	me = m.bearer(200)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/bind", `{"card_id": "8003", "card_pwd": "135790"}`, me...), 200)
}

func TestConsumeAndScoreLogsInThePageShape(t *testing.T) {
	m := newMemberRig(t, levels())
	me := m.bearer(3)
	m.want(m.do("POST", "/api/v1/frontend/user-member-card/open", "", me...), 200)
	ctx := context.Background()
	card, err := m.ledger.CardOf(ctx, 1, "3")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.db.Write(ctx, func(tx *store.Tx) error {
		_, err := members.CreditTopUpInTx(tx, card.ID, "D1", members.PriceEntry{CreditFen: 10000, PayFen: 9000, BonusPoints: 20}, "system")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.ledger.PayOrder(ctx, 1, "3", "", 42, 1360); err != nil {
		t.Fatal(err)
	}
	if err := m.db.Write(ctx, func(tx *store.Tx) error {
		_, err := m.ledger.RedeemInTx(tx, card.ID, "O43", 5, "customer:3")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c := m.want(m.do("GET", "/api/v1/frontend/user-member-card/consume-logs?page_size=1", "", me...), 200)
	rows := c.body["results"].([]any)
	first := rows[0].(map[string]any)
	if num(c.body["count"]) != "2" || num(first["type"]) != "2" || num(first["act_money"]) != "13.60" || num(first["amount"]) != "86.40" ||
		first["org_name"] == "" || !strings.HasPrefix(first["time"].(string), "2026-12-02T12:00:00.000000+08:00") {
		t.Fatalf("consume-logs %s", c.raw)
	}
	if next, _ := c.body["next"].(string); next != "/api/v1/frontend/user-member-card/consume-logs?page=2&page_size=1" || c.body["previous"] != nil {
		t.Fatalf("links %s", c.raw)
	}
	c2 := m.want(m.do("GET", "/api/v1/frontend/user-member-card/consume-logs?page=2&page_size=1", "", me...), 200)
	if r := c2.body["results"].([]any)[0].(map[string]any); num(r["type"]) != "1" || num(r["amount"]) != "100.00" {
		t.Fatalf("page 2 %s", c2.raw)
	}
	m.want(m.do("GET", "/api/v1/frontend/user-member-card/consume-logs?page=3&page_size=1", "", me...), 404)
	s := m.want(m.do("GET", "/api/v1/frontend/user-member-card/score-logs", "", me...), 200)
	var types []string
	for _, r := range s.body["results"].([]any) {
		row := r.(map[string]any)
		types = append(types, num(row["type"])+":"+num(row["save_score"]))
	}
	// newest first: redeemed 5, earned floor(13.60) × 1 = 13, top-up bonus 20
	if strings.Join(types, ",") != "71:-5,7:13,9:20" {
		t.Fatalf("score-logs %v: %s", types, s.raw)
	}
	q := m.want(m.do("GET", "/api/v1/frontend/user-member-card/query", "", me...), 200)
	if num(q.body["cur_score"]) != "28" || q.body["balance"] != "86.40" {
		t.Fatalf("query %s", q.raw)
	}
}
