package fleet_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/fleet"
	"github.com/posbridge/posbridge/printer/transport"
	"github.com/posbridge/posbridge/store"
)

// A one-way link that cannot be asked shows 状态未知 and says what to
// watch, and never holds orders for it.
func TestOneWayPrinterSaysStatusUnknownWithAHint(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	out := filepath.ToSlash(filepath.Join(t.TempDir(), "out.bin"))
	f := startFleet(t, db, []config.PrinterConfig{{Name: "file", Role: "receipt", Connection: "file://" + out, Paper: "80mm", Charset: "gbk", StatusQuery: "on", Copies: 1}}, &events{})
	st := f.Status()[0]
	if st.State != transport.StateUnknown || st.Label != "状态未知" || st.StatusFrom != fleet.StatusFromNone || st.TwoWay ||
		!strings.Contains(st.Hint, "测试打印") {
		t.Fatalf("one-way status: %+v", st)
	}
	if ok, _ := f.Health("file"); !ok {
		t.Fatal("a one-way printer holds orders although nothing is known of it")
	}
}
