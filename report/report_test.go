package report_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/report"
)

var sh = time.FixedZone("Asia/Shanghai", 8*3600)

func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBusinessDayBoundaries(t *testing.T) {
	rule := report.DayRule{Start: 4 * time.Hour, Zone: sh}
	for in, want := range map[string]string{"2026-12-01 03:59": "2026-11-30", "2026-12-01 04:00": "2026-12-01",
		"2026-12-01 23:59": "2026-12-01", "2026-12-02 00:30": "2026-12-01", "2027-01-01 02:00": "2026-12-31"} {
		if got := rule.DayOf(at(sh, in)); got != want {
			t.Errorf("DayOf(%s) = %s, want %s", in, got, want)
		}
	}
	if _, _, err := rule.Bounds("12/01"); err == nil {
		t.Fatal("a malformed date was accepted")
	}
}

// A product name from the platform cannot become a spreadsheet formula.
func TestCSVCellsAreNotFormulas(t *testing.T) {
	r := report.Report{Kind: report.KindDay, Day: "2026-12-01", Items: []report.ItemRank{{Name: `=HYPERLINK("http://x","奶茶")`, Spec: "+1", Quantity: 1, Amount: 100}},
		ByStore: []report.Group{{Label: "@门店"}}}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	cr.FieldsPerRecord = -1
	rows, _ := cr.ReadAll()
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
				t.Fatalf("cell %q would be a formula", cell)
			}
		}
	}
	if !strings.Contains(buf.String(), `'=HYPERLINK`) {
		t.Fatalf("the name was dropped instead of kept:\n%s", buf.String())
	}
}
