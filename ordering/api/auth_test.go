package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/customers"
	"github.com/posbridge/posbridge/store"
)

// loginRig is a rig whose listener verifies logins.
func loginRig(t *testing.T, mod func(*Options)) (*rig, *customers.Tokens) {
	t.Helper()
	var tokens *customers.Tokens
	r := newRig(t, "", func(o *Options) {
		var err error
		tokens, err = customers.NewTokens([]byte("0123456789abcdef0123456789abcdef"), time.Hour, o.Now)
		if err != nil {
			t.Fatal(err)
		}
		o.Tokens = tokens
		if mod != nil {
			mod(o)
		}
	})
	return r, tokens
}

// newCustomer stores a customer of the restaurant and returns its login.
func newCustomer(t *testing.T, db *store.DB, tokens *customers.Tokens, restaurantID int64, phone string) (int64, string) {
	t.Helper()
	var id int64
	if err := db.Write(context.Background(), func(tx *store.Tx) (err error) {
		id, err = tx.InsertCustomer(restaurantID, phone)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tok, _, err := tokens.Issue(id, restaurantID)
	if err != nil {
		t.Fatal(err)
	}
	return id, tok
}

func TestAuthenticate(t *testing.T) {
	r, tokens := loginRig(t, nil)
	id, tok := newCustomer(t, r.db, tokens, 1, "13812345678")
	_, otherTok := newCustomer(t, r.db, tokens, 2, "13812345678")
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c, ok := r.srv.Authenticate(w, req)
		if !ok {
			return
		}
		writeJSON(w, 200, map[string]any{"id": c.CustomerID, "res": c.RestaurantID})
	})
	call := func(path, auth string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if got := call("/x?res_id=1", "Bearer "+tok); got.Code != 200 || got.Body.String() != `{"id":`+strconv.FormatInt(id, 10)+`,"res":1}` {
		t.Fatalf("own login: %d %s", got.Code, got.Body)
	}
	if got := call("/x", "JWT "+tok); got.Code != 200 {
		t.Fatalf("DRF scheme: %d", got.Code)
	}
	for name, c := range map[string][2]string{
		"none":               {"/x?res_id=1", ""},
		"basic":              {"/x?res_id=1", "Basic " + tok},
		"forged":             {"/x?res_id=1", "Bearer " + tok[:len(tok)-2] + "xx"},
		"another restaurant": {"/x?res_id=1", "Bearer " + otherTok},
		"another's res_id":   {"/x?res_id=2", "Bearer " + tok},
	} {
		got := call(c[0], c[1])
		if got.Code != 401 || !strings.Contains(got.Body.String(), `"detail"`) || got.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d %s", name, got.Code, got.Body)
		}
	}
	// expired
	r.clock.set(wednesdayNoon.Add(2 * time.Hour))
	if got := call("/x?res_id=1", "Bearer "+tok); got.Code != 401 {
		t.Fatalf("expired login: %d", got.Code)
	}
	// a listener without login keys knows no logins
	r2 := newRig(t, "", nil)
	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	if _, ok := r2.srv.Authenticate(rec, req); ok || rec.Code != 401 {
		t.Fatalf("no tokens: %v %d", ok, rec.Code)
	}
}
