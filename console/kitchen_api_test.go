package console_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/order"
)

// bumpReply is the wire of a bump's answer, read by its API names (the
// console shapes it; bridge.BumpResult carries no JSON names).
type bumpReply struct {
	Code        string `json:"code"`
	StationDone bool   `json:"station_done"`
	Made        bool   `json:"made"`
	Message     string `json:"message,omitempty"`
}

func bump(t *testing.T, env *harness.Env, station, code string, item *int) (int, bumpReply) {
	t.Helper()
	var res bumpReply
	body := map[string]any{}
	if item != nil {
		body["item"] = *item
	}
	status, err := env.API("POST", "/api/kitchen/"+code+"/bump?station="+station, body, &res)
	if err != nil {
		t.Fatal(err)
	}
	return status, res
}

func acceptedOrder(t *testing.T, env *harness.Env) order.Order {
	t.Helper()
	o := teaOrder(env, order.TypePickup, "")
	if _, err := env.WaitStatus(o.Code, order.StatusAccepted, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	return o
}

// When is an order made by bumps? When every station that makes part of it
// and has a screen is done: a screen-only station always has one; a
// printer's station has one once a kitchen tablet is paired for it. A
// station nobody taps at is not waited for.
func TestBumpMakesTheOrderWhenEveryScreenIsDone(t *testing.T) {
	env := startDaemon(t, harness.Options{ExtraYAML: "stations:\n  - { name: bar, match: { names: [奶茶, 甘露] } }\n"})
	t.Cleanup(func() { _ = env.Stop() })

	t.Run("the printer's station waits for the screen-only bar", func(t *testing.T) {
		o := acceptedOrder(t, env)
		if status, res := bump(t, env, "kitchen", o.Code, nil); status != 200 || !res.StationDone || res.Made {
			t.Fatalf("kitchen bump: HTTP %d %+v, want the station done and the order not made", status, res)
		}
		if status, res := bump(t, env, "bar", o.Code, nil); status != 200 || !res.Made {
			t.Fatalf("bar bump: HTTP %d %+v, want the order made", status, res)
		}
		if _, err := env.WaitStatus(o.Code, order.StatusMade, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		waitOp(t, env, o.Code, "31")
	})

	t.Run("an unpaired printer station is not waited for", func(t *testing.T) {
		o := acceptedOrder(t, env)
		if status, res := bump(t, env, "bar", o.Code, nil); status != 200 || !res.Made {
			t.Fatalf("bar bump with no kitchen tablet paired: HTTP %d %+v, want the order made", status, res)
		}
	})

	t.Run("a paired kitchen tablet is waited for", func(t *testing.T) {
		var dev struct {
			PairCode string `json:"pair_code"`
		}
		if status, _ := env.API("POST", "/api/devices", map[string]string{"name": "热菜平板", "kind": "kitchen", "station": "kitchen"}, &dev); status != 201 {
			t.Fatalf("create device: HTTP %d", status)
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get(env.ConsoleURL + "/pair/" + dev.PairCode)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/kitchen?station=kitchen" {
			t.Fatalf("pairing: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		o := acceptedOrder(t, env)
		one := 0
		if status, res := bump(t, env, "bar", o.Code, nil); status != 200 || res.Made {
			t.Fatalf("bar bump while the paired kitchen still works: HTTP %d %+v, want not made", status, res)
		}
		// The kitchen makes every item: one tap is one item, the order waits for the rest.
		if status, res := bump(t, env, "kitchen", o.Code, &one); status != 200 || res.StationDone || res.Made {
			t.Fatalf("one kitchen item: HTTP %d %+v", status, res)
		}
		if status, res := bump(t, env, "kitchen", o.Code, nil); status != 200 || !res.Made {
			t.Fatalf("kitchen's last items: HTTP %d %+v, want the order made", status, res)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		o := acceptedOrder(t, env)
		if status, _ := bump(t, env, "grill", o.Code, nil); status != 404 {
			t.Errorf("unknown station: HTTP %d, want 404", status)
		}
		nine := 9
		if status, _ := bump(t, env, "bar", o.Code, &nine); status != 409 {
			t.Errorf("an item the bar does not make: HTTP %d, want 409", status)
		}
		if status, _ := bump(t, env, "bar", "nosuchorder", nil); status != 404 {
			t.Errorf("unknown order: HTTP %d, want 404", status)
		}
		if err := env.Fake.RequestRefund(o.Code, "不想要了"); err != nil {
			t.Fatal(err)
		}
		if _, err := env.WaitStatus(o.Code, order.StatusRefundRequested, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if status, _ := bump(t, env, "bar", o.Code, nil); status != 409 {
			t.Errorf("bump while a refund request pauses the kitchen: HTTP %d, want 409", status)
		}
		var board bridge.KitchenBoard
		if status, _ := env.API("GET", "/api/kitchen?station=bar", nil, &board); status != 200 {
			t.Fatalf("board: HTTP %d", status)
		}
		for _, tk := range board.Tickets {
			if tk.Code == o.Code && !tk.Paused {
				t.Error("the paused order is not shown as paused")
			}
		}
	})
}
