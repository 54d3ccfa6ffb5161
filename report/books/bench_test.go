package books_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/report/books"
	"github.com/posbridge/posbridge/store"
)

// BenchmarkDayReport computes a busy day's 日结 (1,500 orders, five items
// each) from a database holding a week of such days.
//
//	go test -run x -bench DayReport -benchtime 20x ./report
func BenchmarkDayReport(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := at(sh, "2026-11-25 04:00")
	const perDay, days = 1500, 7
	for d := 0; d < days; d++ {
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < perDay; i++ {
				t := start.AddDate(0, 0, d).Add(time.Duration(i) * 20 * time.Hour / perDay)
				items := []order.Item{item("珍珠奶茶", "大杯", 1500, 2), item("杨枝甘露", "中杯", 1800, 1), item("鸡米花", "", 1200, 1),
					item("多肉葡萄", "", 1900, 1), item(fmt.Sprintf("季节限定%d", i%20), "", 2100, 1)}
				det := detail(9900, 500, 200, 0, items...)
				code := fmt.Sprintf("B%d-%05d", d, i)
				det.Code, det.StoreID = code, "1862"
				st := order.StatusCompleted
				if i%50 == 0 {
					st = order.StatusRefunded
				}
				if err := tx.SaveOrder(&store.OrderRecord{Code: code, StoreID: "1862", Status: st, Channel: 11,
					Day: t.In(sh).Format("2006-01-02"), CreatedAt: t, FirstSeenAt: t, ClosedAt: t.Add(time.Hour), Detail: det}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	bk := books.Books{DB: db, Config: &config.Config{Stores: []config.StoreConfig{{ID: "1862", Name: "南翔一店"}}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := bk.Day(ctx, "2026-11-28", "")
		if err != nil {
			b.Fatal(err)
		}
		if r.Totals.Orders != perDay {
			b.Fatalf("%d orders, want %d", r.Totals.Orders, perDay)
		}
	}
}
