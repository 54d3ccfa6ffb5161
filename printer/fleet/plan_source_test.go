package fleet_test

import (
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
)

// The fleet routes by the order's own source: product 7 of the
// scan-to-order menu is not 开个店's product 7.
func TestFleetRoutesIDsOfTheOrdersSource(t *testing.T) {
	db := openStore(t, &clock{})
	f := startFleet(t, db, []config.PrinterConfig{
		{Name: "bar", Role: "kitchen", Connection: "file://" + t.TempDir() + "/bar.bin", Match: config.MatchConfig{ProductIDs: []string{"ordering:7"}}},
		{Name: "wok", Role: "kitchen", Connection: "file://" + t.TempDir() + "/wok.bin", Match: config.MatchConfig{ProductIDs: []string{"7"}}},
	}, &events{})
	items := []order.Item{{Seq: 1, ProductID: "7", Name: "小笼包", Quantity: 1}}
	for _, c := range []struct {
		src  order.Source
		want string
	}{{order.SourceOrdering, "bar"}, {order.SourceKaigedian, "wok"}, {"", "wok"}} {
		jobs := f.OrderJobs(&order.Order{Source: c.src, Code: "X" + string(c.src), Items: items})
		if len(jobs) != 1 || jobs[0].Printer != c.want {
			t.Errorf("source %q: jobs %+v, want one ticket on %s", c.src, jobs, c.want)
		}
	}
}
