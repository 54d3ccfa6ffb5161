package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/report"
)

func init() {
	register(command{name: "report day", summary: "the 日结 of a business day (--csv to export it, --print for the 日结单)", run: cmdReportDay})
	register(command{name: "report shift", summary: "the running shift since the last 交班", run: cmdReportShift})
}

func cmdReportDay(args []string) int {
	fs, path := newFlagSet("report day")
	store := fs.String("store", "", "one store's `ID` (default all)")
	asCSV := fs.Bool("csv", false, "write the report as CSV (UTF-8 with BOM) to stdout")
	toPrinter := fs.Bool("print", false, "print the 日结单 on the receipt printer")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) > 1 {
		return usageError(fs, os.Stderr, "give at most one date, YYYY-MM-DD (default today)")
	}
	cfg, err := loadConfig(*path, config.LoadOptions{AllowSandbox: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge report day:", err)
		return 1
	}
	q := url.Values{}
	if len(rest) == 1 {
		q.Set("date", rest[0])
	}
	if *store != "" {
		q.Set("store", *store)
	}
	c := newDaemonClient(cfg)
	switch {
	case *toPrinter:
		var res struct {
			JobID   int64  `json:"job_id"`
			Printer string `json:"printer"`
			Error   string `json:"error"`
		}
		status, err := c.call("POST", "/api/reports/day/print?"+q.Encode(), nil, &res)
		if code := reportFailed("report day", status, err, res.Error); code != 0 {
			return code
		}
		fmt.Printf("日结单 queued on %s (job %d)\n", res.Printer, res.JobID)
		return 0
	case *asCSV:
		var raw []byte
		status, err := c.call("GET", "/api/reports/day.csv?"+q.Encode(), nil, &raw)
		if status != 200 && err == nil {
			_, err = decodeReport(status, raw, nil)
		}
		if code := reportFailed("report day", status, err, ""); code != 0 {
			return code
		}
		_, _ = os.Stdout.Write(raw)
		return 0
	}
	var raw []byte
	status, err := c.call("GET", "/api/reports/day?"+q.Encode(), nil, &raw)
	r, err := decodeReport(status, raw, err)
	if code := reportFailed("report day", status, err, ""); code != 0 {
		return code
	}
	writeReportText(os.Stdout, r)
	return 0
}

// decodeReport reads a report answer, or the error the daemon gave.
func decodeReport(status int, raw []byte, err error) (report.Report, error) {
	var r report.Report
	if err != nil {
		return r, err
	}
	if status != 200 {
		var e struct{ Error string }
		_ = json.Unmarshal(raw, &e)
		return r, fmt.Errorf("%d %s", status, e.Error)
	}
	return r, json.Unmarshal(raw, &r)
}

func cmdReportShift(args []string) int {
	c, rest, code := clientFor("report shift", args)
	if c == nil {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintln(os.Stderr, "usage: posbridge report shift [--config FILE]")
		return 2
	}
	var raw []byte
	status, err := c.call("GET", "/api/reports/shift", nil, &raw)
	r, err := decodeReport(status, raw, err)
	if code := reportFailed("report shift", status, err, ""); code != 0 {
		return code
	}
	writeReportText(os.Stdout, r)
	return 0
}

func reportFailed(name string, status int, err error, msg string) int {
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "posbridge %s: %v\n", name, err)
		return 1
	case status >= 300:
		fmt.Fprintf(os.Stderr, "posbridge %s: %d %s\n", name, status, msg)
		return 1
	}
	return 0
}

// writeReportText is the report as the slip shows it, for a terminal.
func writeReportText(w io.Writer, r report.Report) {
	fmt.Fprintf(w, "%s  %s – %s\n\n", report.Title(r), r.From.Format("2006-01-02 15:04"), r.To.Format("2006-01-02 15:04"))
	var tab textTable
	for _, l := range report.SummaryLines(r.Totals) {
		right := ""
		if l.HasCount {
			right = strconv.Itoa(l.Count) + "单 "
		}
		if l.HasMoney {
			right += l.Amount.String()
		}
		tab.add(l.Label, right)
	}
	for _, sec := range []struct {
		title string
		list  []report.Group
	}{{"按来源", r.BySource}, {"按渠道", r.ByChannel}, {"按门店", r.ByStore}} {
		for i, g := range sec.list {
			head := ""
			if i == 0 {
				head = sec.title
			}
			tab.add(head, fmt.Sprintf("%s %d单 %s", g.Label, g.Orders, g.Revenue))
		}
	}
	for i, it := range r.Items {
		if i == 10 {
			break
		}
		name := it.Name
		if it.Spec != "" {
			name += "（" + it.Spec + "）"
		}
		tab.add(strconv.Itoa(i+1)+".", fmt.Sprintf("%s ×%d %s", name, it.Quantity, it.Amount))
	}
	tab.write(w)
	if r.Totals.Unpriced > 0 {
		fmt.Fprintf(w, "\n%d order(s) have no detail yet: their amounts are not counted.\n", r.Totals.Unpriced)
	}
}
