package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/payment"
	"github.com/posbridge/posbridge/ordering/payment/sandbox"
	"github.com/posbridge/posbridge/store"
)

// memberRig is the listener with the member endpoints on, the sandbox
// provider for top-ups, and a way to log customers in.
type memberRig struct {
	*rig
	ledger  *members.Ledger
	tokens  *customers.Tokens
	sandbox *sandbox.Provider
	mo      *MemberOptions
}

// memberMenu is the example menu with card payment offered.
func memberMenu(t *testing.T) *menu.Menu {
	t.Helper()
	y := bytes.Replace(menu.Example(), []byte("    - {value: 1, label: 线下支付}\n"),
		[]byte("    - {value: 1, label: 线下支付}\n    - {value: 3, label: 会员卡}\n"), 1)
	y = bytes.Replace(y, []byte("is_member_card_enable: false"), []byte("is_member_card_enable: true"), 1)
	m, err := menu.Parse(y)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func newMemberRig(t *testing.T, cfg members.Config) *memberRig {
	t.Helper()
	mr := &memberRig{}
	m := memberMenu(t)
	var tokErr error
	r := newRig(t, "", func(o *Options) {
		o.Restaurants[0].Menu = func() *menu.Menu { return m }
		mr.ledger = members.New(o.DB, cfg)
		mr.tokens, tokErr = customers.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, o.Now)
		mr.mo = &MemberOptions{Ledger: mr.ledger, ShopName: "南翔一店"}
		o.Tokens = mr.tokens
		o.Members = mr.mo
	})
	if tokErr != nil {
		t.Fatal(tokErr)
	}
	r.menu = m
	mr.rig = r
	mr.mo.PublicURL = r.http.URL
	mux := http.NewServeMux()
	ps := httptest.NewServer(mux)
	t.Cleanup(ps.Close)
	sb, err := sandbox.New(sandbox.Options{BaseURL: ps.URL + "/sandbox-pay", NotifyDelay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Shutdown)
	mux.Handle("/sandbox-pay/", http.StripPrefix("/sandbox-pay", sb.Handler()))
	mr.sandbox = sb
	mr.mo.TopUpProvider = func(_ int64, mch string) payment.Provider {
		if mch != sandbox.Name {
			return nil
		}
		return sb
	}
	return mr
}

// bearer is the Authorization header of customer id at restaurant 1,
// stored first (customers are numbered 1, 2, … as they are inserted).
func (m *memberRig) bearer(id int64) []string {
	m.t.Helper()
	if err := m.db.Write(context.Background(), func(tx *store.Tx) error {
		for {
			if _, err := tx.CustomerByID(id); err == nil {
				return nil
			}
			if _, err := tx.InsertCustomer(1, ""); err != nil {
				return err
			}
		}
	}); err != nil {
		m.t.Fatal(err)
	}
	tok, _, err := m.tokens.Issue(id, 1)
	if err != nil {
		m.t.Fatal(err)
	}
	return []string{"Authorization", "Bearer " + tok}
}

// issue is a staff card with a password and an opening balance.
func (m *memberRig) issue(no, pwd string, fen order.Fen) {
	m.t.Helper()
	if _, err := m.ledger.Issue(context.Background(), 1, no, pwd, fen, members.StaffActor("店长")); err != nil {
		m.t.Fatal(err)
	}
}

func cid(id int64) string { return strconv.FormatInt(id, 10) }
