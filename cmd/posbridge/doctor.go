package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/dirlock"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/printer"
)

func init() {
	register(command{
		name:    "doctor",
		summary: "check config, data, platform, printers and scanner; print a fix for every problem",
		run:     func(args []string) int { return doctorCmd(context.Background(), args, os.Stdout, os.Stderr) },
	})
}

type checkStatus int

const (
	statusOK checkStatus = iota
	statusWarn
	statusFail
	statusSkip
)

func (s checkStatus) String() string {
	return [...]string{"OK", "WARN", "FAIL", "SKIP"}[s]
}

// checkRow is one line of the doctor's table. Every FAIL and WARN has a Fix
// in words an installer can act on.
type checkRow struct {
	Check  string
	Status checkStatus
	Result string
	Fix    string
}

// doctorEnv is what every check may look at.
type doctorEnv struct {
	cfg    *config.Config // nil when the config could not be loaded
	cfgErr error
	// daemonPID is the process that holds the data directory (0 = posbridge
	// is not running).
	daemonPID int
	http      *http.Client
	now       func() time.Time

	// daemonPrinters is the running daemon's view of its printers (nil when
	// posbridge is not running): a printer on a serial port cannot be opened
	// twice, and the daemon knows the last error.
	daemonPrinters map[string]printer.PrinterStatus

	// The clock and credentials checks share one platform probe.
	probeOnce sync.Once
	probe     kaigedian.ProbeResult
	probeErr  error
}

// doctorCheck produces one or more rows (one per printer, per config problem).
type doctorCheck struct {
	name string
	run  func(ctx context.Context, env *doctorEnv) []checkRow
}

// doctorChecks run concurrently; rows are printed in this order.
var doctorChecks = []doctorCheck{
	{"config", checkConfig},
	{"data directory", checkDataDir},
	{"database", checkDatabase},
	{"push landing", checkLanding},
	{"backups", checkBackups},
	{"free disk", checkFreeDisk},
	{"platform clock", checkPlatformClock},
	{"credentials", checkCredentials},
	{"push listener", checkPushListener},
	{"printer", checkPrinters},
	{"scanner", checkScanner},
	{"wechatpay", checkWeChatPay},
}

// doctorTimeout bounds the whole run: an installer waits for it.
const doctorTimeout = 20 * time.Second

func doctorCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset, cfgPath := newFlagSet("doctor")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "usage: posbridge doctor [--config FILE]\n\nChecks everything posbridge needs and prints a fix for every problem.\nExits 1 when a check fails.\n")
		fset.PrintDefaults()
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) > 0 {
		return usageError(fset, stderr, "unexpected argument %q", positional[0])
	}
	env := newDoctorEnv(*cfgPath)
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	rows := runDoctorChecks(ctx, env, doctorChecks)
	return printDoctorTable(stdout, env, rows)
}

func newDoctorEnv(cfgPath string) *doctorEnv {
	env := &doctorEnv{now: time.Now, http: &http.Client{Timeout: 5 * time.Second}}
	// No sandbox: the doctor checks a real installation.
	env.cfg, env.cfgErr = loadConfig(cfgPath, config.LoadOptions{})
	if env.cfg != nil {
		if held, pid, err := dirlock.Probe(env.cfg.DataDir); err == nil && held {
			env.daemonPID = max(pid, 1)
			env.daemonPrinters = daemonPrinterStatus(env.cfg)
		}
	}
	return env
}

// daemonPrinterStatus asks the running daemon's console API for its printers.
func daemonPrinterStatus(cfg *config.Config) map[string]printer.PrinterStatus {
	var res struct {
		Printers []printer.PrinterStatus `json:"printers"`
	}
	if status, err := newDaemonClient(cfg).call("GET", "/api/printers", nil, &res); err != nil || status != http.StatusOK {
		return nil
	}
	m := make(map[string]printer.PrinterStatus, len(res.Printers))
	for _, p := range res.Printers {
		m[p.Name] = p
	}
	return m
}

func runDoctorChecks(ctx context.Context, env *doctorEnv, checks []doctorCheck) []checkRow {
	results := make([][]checkRow, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			if env.cfg == nil && c.name != "config" {
				results[i] = []checkRow{{Check: c.name, Status: statusSkip, Result: "config not loaded"}}
				return
			}
			results[i] = c.run(ctx, env)
		})
	}
	wg.Wait()
	var rows []checkRow
	for _, r := range results {
		rows = append(rows, r...)
	}
	return rows
}

// printDoctorTable prints the table and a summary and returns the exit code.
func printDoctorTable(w io.Writer, env *doctorEnv, rows []checkRow) int {
	if env.cfg != nil {
		state := "not running"
		if env.daemonPID > 0 {
			state = fmt.Sprintf("running (process %d)", env.daemonPID)
		}
		fmt.Fprintf(w, "posbridge %s, config %s, posbridge is %s\n\n", version, env.cfg.File, state)
	}
	// The fix goes on its own line under its row: fixes are sentences, and a
	// third column would push them off an 80-column console.
	var tab textTable
	tab.add("CHECK", "RESULT")
	var fails, warns int
	for _, r := range rows {
		switch r.Status {
		case statusFail:
			fails++
		case statusWarn:
			warns++
		}
		tab.add(r.Check, fmt.Sprintf("%-4s  %s", r.Status, cell(r.Result)))
		if r.Fix != "" {
			tab.add("", "  FIX: "+cell(r.Fix))
		}
	}
	tab.write(w)
	fmt.Fprintln(w)
	switch {
	case fails > 0:
		fmt.Fprintf(w, "%d check(s) failed, %d warning(s): do what each FIX line says, then run `posbridge doctor` again.\n", fails, warns)
		return 1
	case warns > 0:
		fmt.Fprintf(w, "no failures, %d warning(s).\n", warns)
	default:
		fmt.Fprintln(w, "all checks passed.")
	}
	return 0
}

// cellLimit cuts results such as a long quick_check report.
const cellLimit = 300

// cell keeps a table cell on one line and within cellLimit.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > cellLimit {
		s = string(r[:cellLimit]) + " …"
	}
	return s
}
