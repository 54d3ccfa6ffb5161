package loadtest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/store"
)

// Issue 13 item 13: the documents give every request a transaction id of
// its own. The checker reports a call sent again under an id an earlier
// call carried, and a row the platform applied twice, whichever ids it used;
// a row whose attempts each had their own id, applied once, is clean.
func TestCheckerWantsAFreshTransactionIDPerAttempt(t *testing.T) {
	ctx := context.Background()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p, err := fake.New(fake.Options{MerchantKey: key, PlainReplies: true})
	if err != nil {
		t.Fatal(err)
	}
	url, err := p.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	client, err := kaigedian.NewClient(kaigedian.Config{BaseURL: url, PartnerID: "1", AppID: "a", PrivateKey: key, RatePerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "check.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	row := func(code string) *store.OutboxRow {
		var id int64
		if err := db.Write(ctx, func(tx *store.Tx) error {
			var err error
			id, err = tx.EnqueueOutbox(store.OutboxRow{Kind: "status_operation", Op: "accept", OrderCode: code,
				Payload: []byte(`{"order_code":"` + code + `","status":3}`)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r, err := db.GetOutbox(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	accept := func(code, txID string) {
		_ = client.StatusOperation(ctx, txID, kaigedian.StatusOperationRequest{OrderCode: code, OrderStatus: kaigedian.OpAccept})
	}
	done := func(r *store.OutboxRow) {
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.MarkOutboxDone(r.ID, "") }); err != nil {
			t.Fatal(err)
		}
	}
	check := func() string {
		res, err := Check(ctx, CheckInput{Fake: p, DB: db, Config: config.Defaults()})
		if err != nil {
			t.Fatal(err)
		}
		var calls []string // the orders are not stored here: only what concerns calls
		for _, pr := range res.Problems {
			if strings.Contains(pr, "transaction") || strings.Contains(pr, "outbox row") {
				calls = append(calls, pr)
			}
		}
		return strings.Join(calls, "\n")
	}

	// Clean: the first attempt lost, the second under a fresh id, applied once.
	good := p.NewOrder(fake.OrderSpec{NoPush: true}).Code
	r := row(good)
	p.SetFault("statusOperation", fake.Fault{Kind: fake.FaultHTTP500, Times: 1})
	accept(good, r.TxID)
	var second string
	if err := db.Write(ctx, func(tx *store.Tx) error { second, err = tx.NewOutboxAttempt(r.ID); return err }); err != nil {
		t.Fatal(err)
	}
	accept(good, second)
	done(r)
	if problems := check(); strings.Contains(problems, good) {
		t.Fatalf("a row retried under a fresh id is clean; the checker said:\n%s", problems)
	}

	// A retry under the same id.
	reused := p.NewOrder(fake.OrderSpec{NoPush: true}).Code
	r2 := row(reused)
	accept(reused, r2.TxID)
	accept(reused, r2.TxID)
	done(r2)
	if problems := check(); !strings.Contains(problems, "sent twice under transaction id \""+r2.TxID+"\"") {
		t.Fatalf("a retry under the same id went unnoticed:\n%s", problems)
	}
}
