package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer"
)

func init() {
	register(command{name: "printers list", summary: "list printers with their status and queue", run: cmdPrintersList})
	register(command{name: "print test", summary: "print the test page (Chinese, QR, barcode, cut) on one or every printer", run: cmdPrintTest})
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
	var res struct {
		Printers []struct {
			printer.PrinterStatus
			Queued int `json:"queued"`
			Held   int `json:"held"`
			Failed int `json:"failed"`
		} `json:"printers"`
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	_, err = newDaemonClient(cfg).call("GET", "/api/printers", nil, &res)
	if err == nil {
		fmt.Fprintln(tw, "NAME\tROLE\tCONNECTION\tSTATUS\tQUEUED\tHELD\tFAILED\tLAST ERROR")
		for _, p := range res.Printers {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", p.Name, p.Role, p.Connection, p.Label, p.Queued, p.Held, p.Failed, p.LastError)
		}
		tw.Flush()
		return 0
	}
	if !errors.Is(err, errNotRunning) {
		fmt.Fprintln(os.Stderr, "posbridge printers list:", err)
		return 1
	}
	// No daemon: ask each printer directly (the integrator setting up a store).
	fmt.Println("(posbridge is not running: asking each printer directly)")
	fmt.Fprintln(tw, "NAME\tROLE\tCONNECTION\tSTATUS\tDETAIL")
	bad := 0
	for _, pc := range cfg.Printers {
		state, detail := directStatus(pc)
		if !state.CanPrint() && state != printer.StateUnknown {
			bad++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", pc.Name, pc.Role, pc.Connection, state.Label(), detail)
	}
	tw.Flush()
	if bad > 0 {
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
	c, rest, code := clientFor("print test", args)
	if c == nil {
		return code
	}
	names := rest
	if len(names) == 0 {
		var res struct {
			Printers []struct {
				Name string `json:"name"`
			} `json:"printers"`
		}
		if _, err := c.call("GET", "/api/printers", nil, &res); err != nil {
			fmt.Fprintln(os.Stderr, "posbridge print test:", err)
			return 1
		}
		for _, p := range res.Printers {
			names = append(names, p.Name)
		}
	}
	failed := 0
	for _, n := range names {
		var res struct {
			JobID int64  `json:"job_id"`
			Error string `json:"error"`
		}
		status, err := c.call("POST", "/api/printers/"+n+"/test", nil, &res)
		switch {
		case err != nil:
			fmt.Fprintln(os.Stderr, "posbridge print test:", err)
			return 1
		case status != 202:
			fmt.Fprintf(os.Stderr, "%s: %s\n", n, res.Error)
			failed++
		default:
			fmt.Printf("%s: test page queued (job %d)\n", n, res.JobID)
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}
