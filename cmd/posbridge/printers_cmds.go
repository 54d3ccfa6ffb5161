package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer"
)

func init() {
	register(command{name: "printers list", summary: "list printers with their status and queue (exit 1 when one cannot print)", run: cmdPrintersList})
	register(command{name: "print test", summary: "print the test page (Chinese, QR, barcode, cut) on one or every printer and wait for it", run: cmdPrintTest})
}

// daemonPrinters is GET /api/printers.
type daemonPrinters struct {
	Printers []struct {
		printer.PrinterStatus
		Queued int `json:"queued"`
		Held   int `json:"held"`
		Failed int `json:"failed"`
	} `json:"printers"`
}

// cannotPrint is the one rule of both ways of listing printers (through the
// daemon, or asking them directly): a printer that reports it cannot print
// fails the command; one that cannot report (one-way links) does not.
func cannotPrint(st printer.PrinterState) bool {
	return !st.CanPrint() && st != printer.StateUnknown
}

func cmdPrintersList(args []string) int {
	fs, path := newFlagSet("printers list")
	if _, err := parseFlags(fs, args); err != nil {
		return flagExit(err)
	}
	cfg, err := loadConfig(*path, config.LoadOptions{AllowSandbox: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge printers list:", err)
		return 1
	}
	var res daemonPrinters
	var tab textTable
	bad := 0
	_, err = newDaemonClient(cfg).call("GET", "/api/printers", nil, &res)
	switch {
	case err == nil:
		tab.add("NAME", "ROLE", "CONNECTION", "STATUS", "QUEUED", "HELD", "FAILED", "LAST ERROR")
		for _, p := range res.Printers {
			if cannotPrint(p.State) {
				bad++
			}
			tab.add(p.Name, p.Role, p.Connection, p.Label, strconv.Itoa(p.Queued), strconv.Itoa(p.Held), strconv.Itoa(p.Failed), p.LastError)
		}
	case errors.Is(err, errNotRunning):
		// No daemon: ask each printer directly (the integrator setting up a store).
		fmt.Println("(posbridge is not running: asking each printer directly)")
		tab.add("NAME", "ROLE", "CONNECTION", "STATUS", "DETAIL")
		for _, pc := range cfg.Printers {
			state, detail := directStatus(pc)
			if cannotPrint(state) {
				bad++
			}
			tab.add(pc.Name, pc.Role, pc.Connection, state.Label(), detail)
		}
	default:
		fmt.Fprintln(os.Stderr, "posbridge printers list:", err)
		return 1
	}
	tab.write(os.Stdout)
	if bad > 0 {
		fmt.Fprintf(os.Stderr, "%d printer(s) cannot print now: see STATUS; `posbridge doctor` says what to do\n", bad)
		return 1
	}
	return 0
}

// directStatus opens a printer's link and asks its status once.
func directStatus(pc config.PrinterConfig) (printer.PrinterState, string) {
	dev, err := printer.NewDevice(pc, printer.TransportOptions{})
	if err != nil {
		return printer.StateOffline, err.Error()
	}
	if !dev.Confirms() {
		return printer.StateUnknown, "one-way link or status_query: off (cannot report status)"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := dev.Status(ctx)
	if err != nil {
		return st, err.Error()
	}
	return st, ""
}

func cmdPrintTest(args []string) int {
	fs, path := newFlagSet("print test")
	names, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	cfg, err := loadConfig(*path, config.LoadOptions{AllowSandbox: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "posbridge print test:", err)
		return 1
	}
	for _, n := range names {
		if !hasPrinter(cfg, n) {
			fmt.Fprintf(os.Stderr, "posbridge print test: no printer named %q in %s\n", n, cfg.File)
			return 2
		}
	}
	if len(names) == 0 {
		for _, pc := range cfg.Printers {
			names = append(names, pc.Name)
		}
	}
	c := newDaemonClient(cfg)
	var res daemonPrinters
	_, err = c.call("GET", "/api/printers", nil, &res)
	var results []testResult
	switch {
	case err == nil:
		results = printTestThroughDaemon(c, names)
	case errors.Is(err, errNotRunning):
		fmt.Println("(posbridge is not running: printing on each printer directly)")
		results = printTestDirect(cfg, names)
	default:
		fmt.Fprintln(os.Stderr, "posbridge print test:", err)
		return 1
	}
	return reportTestResults(results)
}

func hasPrinter(cfg *config.Config, name string) bool {
	for _, pc := range cfg.Printers {
		if pc.Name == name {
			return true
		}
	}
	return false
}

// testResult is the outcome of one test page.
type testResult struct {
	printer string
	ok      bool
	outcome string // what happened, in words
}

func reportTestResults(results []testResult) int {
	var tab textTable
	tab.add("PRINTER", "RESULT", "")
	failed := 0
	for _, r := range results {
		verdict := "printed"
		if !r.ok {
			verdict, failed = "FAILED", failed+1
		}
		tab.add(r.printer, verdict, r.outcome)
	}
	tab.write(os.Stdout)
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "%d test page(s) did not print: fix what RESULT says, then run `posbridge print test` again\n", failed)
		return 1
	}
	return 0
}

// printTestWait is how long a test page may take through the daemon: the
// worker retries a printer that does not answer, and the person at the
// terminal is told rather than left with "queued".
var printTestWait = 45 * time.Second

func printTestThroughDaemon(c *daemonClient, names []string) []testResult {
	out := make([]testResult, 0, len(names))
	for _, n := range names {
		var res struct {
			JobID int64  `json:"job_id"`
			Error string `json:"error"`
		}
		status, err := c.call("POST", "/api/printers/"+url.PathEscape(n)+"/test", nil, &res)
		switch {
		case err != nil:
			out = append(out, testResult{n, false, err.Error()})
			continue
		case status != 202:
			out = append(out, testResult{n, false, res.Error})
			continue
		}
		fmt.Printf("%s: test page queued as job %d, waiting for the printer…\n", n, res.JobID)
		out = append(out, waitTestJob(c, n, res.JobID))
	}
	return out
}

// waitTestJob follows a test job until it printed, failed or printTestWait
// passed; a page that did not print by then is dropped, so that it does not
// come out of the printer hours later.
func waitTestJob(c *daemonClient, name string, id int64) testResult {
	type job struct {
		State     string `json:"state"`
		Attempts  int    `json:"attempts"`
		LastError string `json:"last_error"`
		Hint      string `json:"hint"`
	}
	path := "/api/jobs/" + strconv.FormatInt(id, 10)
	deadline := time.Now().Add(printTestWait)
	var j job
	for {
		status, err := c.call("GET", path, nil, &j)
		if err != nil {
			return testResult{name, false, err.Error()}
		}
		if status != 200 {
			return testResult{name, false, fmt.Sprintf("job %d: HTTP %d", id, status)}
		}
		switch j.State {
		case "done":
			return testResult{name, true, fmt.Sprintf("job %d printed", id)}
		case "failed", "dropped", "held":
			return testResult{name, false, fmt.Sprintf("job %d %s: %s", id, j.State, errorText(j.Hint, j.LastError))}
		}
		if time.Now().After(deadline) {
			_, _ = c.call("POST", path+"/drop", nil, nil)
			return testResult{name, false, fmt.Sprintf("not printed within %s (%d attempts), the test page was dropped: %s",
				printTestWait, j.Attempts, errorText(j.Hint, j.LastError))}
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func errorText(hint, raw string) string {
	switch {
	case hint != "" && raw != "":
		return hint + " (" + raw + ")"
	case raw != "":
		return raw
	case hint != "":
		return hint
	}
	return "the printer did not confirm it"
}

// directTimeout bounds one direct test page: connect, status, write, fence.
const directTimeout = 30 * time.Second

// printTestDirect prints the test page on each printer from this process
// (before the service is installed). Serial ports and USB devices are locked
// for the session, so a daemon started meanwhile waits rather than writing
// into the same port.
func printTestDirect(cfg *config.Config, names []string) []testResult {
	sandbox := cfg.Sandbox || cfg.Platform.Mode != config.ModeLive
	out := make([]testResult, 0, len(names))
	for _, pc := range cfg.Printers {
		if !contains(names, pc.Name) {
			continue
		}
		out = append(out, printOneDirect(pc, sandbox))
	}
	return out
}

func printOneDirect(pc config.PrinterConfig, sandbox bool) testResult {
	if conn, err := config.ParseConnection(pc.Connection); err == nil && conn.Scheme == "virtual" {
		return testResult{pc.Name, true, "virtual printer: nothing printed on paper (the console previews it while posbridge runs)"}
	}
	dev, err := printer.NewDevice(pc, printer.TransportOptions{})
	if err != nil {
		return testResult{pc.Name, false, err.Error()}
	}
	data, err := printer.Render(printer.TestPage(dev.Profile, time.Now(), sandbox), dev.Profile)
	if err != nil {
		return testResult{pc.Name, false, err.Error()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), directTimeout)
	defer cancel()
	if err := dev.Print(ctx, data); err != nil {
		return testResult{pc.Name, false, errorText(printer.Explain(err.Error()), err.Error())}
	}
	if !dev.Confirms() {
		return testResult{pc.Name, true, "sent (a one-way link cannot confirm it: look at the printer)"}
	}
	return testResult{pc.Name, true, "printed and confirmed by the printer"}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
