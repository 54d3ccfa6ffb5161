package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/kaigedian/fake"
	"github.com/posbridge/posbridge/order"
)

// The event stream opens with a ping carrying the server's time (the page's
// dead-link watchdog counts on pings), then carries a new order as a named
// event within a second of its push.
func TestEventStreamPingsThenCarriesOrders(t *testing.T) {
	env := startEnv(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", env.ConsoleURL+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	events := make(chan [2]string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				events <- [2]string{name, strings.TrimPrefix(line, "data: ")}
			}
		}
		close(events)
	}()
	first := <-events
	var ping struct {
		Type string    `json:"type"`
		Time time.Time `json:"time"`
	}
	if first[0] != "ping" || json.Unmarshal([]byte(first[1]), &ping) != nil || time.Since(ping.Time).Abs() > time.Minute {
		t.Fatalf("first event %q %s, want a ping with the server time", first[0], first[1])
	}
	o := env.Fake.NewOrder(fake.OrderSpec{Type: order.TypePickup})
	for ev := range events {
		if ev[0] == "order" && strings.Contains(ev[1], o.Code) {
			return
		}
	}
	t.Fatalf("the stream ended without the new order %s", o.Code)
}
