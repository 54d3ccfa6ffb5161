package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer"
)

const deviceDialTimeout = 3 * time.Second

func checkPrinters(ctx context.Context, env *doctorEnv) []checkRow {
	if len(env.cfg.Printers) == 0 {
		return []checkRow{{Check: "printers", Status: statusWarn, Result: "no printers configured",
			Fix: "add the store's printers under printers: in " + env.cfg.File + " (see `posbridge config init`)"}}
	}
	rows := make([]checkRow, len(env.cfg.Printers))
	var wg sync.WaitGroup
	for i, p := range env.cfg.Printers {
		wg.Go(func() { rows[i] = checkPrinter(ctx, env, p) })
	}
	wg.Wait()
	return rows
}

// checkPrinter reports a printer as the running daemon sees it, or, when
// posbridge is not running, asks the printer itself (DLE EOT / <ESC>!?).
func checkPrinter(ctx context.Context, env *doctorEnv, p config.PrinterConfig) checkRow {
	row := checkRow{Check: "printer " + p.Name}
	conn, err := config.ParseConnection(p.Connection)
	if err != nil {
		row.Status, row.Result, row.Fix = statusFail, "connection "+err.Error(), "correct the printer's connection in "+env.cfg.File
		return row
	}
	if conn.Scheme == "virtual" {
		row.Status, row.Result = statusOK, "virtual printer: output is shown in the console"
		if env.cfg.Platform.Mode == config.ModeLive {
			row.Status, row.Result = statusWarn, "virtual printer in live mode: real orders print nothing on paper, they are only previewed in the console"
			row.Fix = "set printers: connection of " + p.Name + " in " + env.cfg.File + " to the real printer (tcp://IP:9100, serial://…, usb://…, windows://…), then `posbridge print test " + p.Name + "`"
		}
		return row
	}
	if st, ok := env.daemonPrinters[p.Name]; ok {
		return stateRow(row, conn, st.State, st.LastError, " (as the running posbridge sees it)")
	}
	dev, err := printer.NewDevice(p, printer.TransportOptions{})
	if err != nil {
		row.Status, row.Result, row.Fix = statusFail, err.Error(), connectFix(conn, err)
		return row
	}
	if !dev.Confirms() {
		// A one-way link (or status_query: off): check that it opens.
		row = reachRow(ctx, row, conn, env.daemonPID > 0)
		if row.Status == statusOK {
			row.Result += "; it does not report paper or cover status"
		}
		return row
	}
	ctx, cancel := context.WithTimeout(ctx, 2*deviceDialTimeout)
	defer cancel()
	st, err := dev.Status(ctx)
	detail := ""
	if err != nil {
		detail = err.Error()
	}
	return stateRow(row, conn, st, detail, "")
}

// stateRow turns a printer state into a row with a fix staff can do.
func stateRow(row checkRow, conn config.Connection, st printer.PrinterState, detail, suffix string) checkRow {
	result := fmt.Sprintf("%s (%s)", st, st.Label())
	if detail != "" {
		result += ": " + detail
	}
	row.Result = result + suffix
	switch st {
	case printer.StateOnline:
		row.Status = statusOK
	case printer.StatePaperNearEnd:
		row.Status, row.Fix = statusWarn, "the paper roll is nearly finished: load a new roll soon"
	case printer.StatePaperOut:
		row.Status, row.Fix = statusFail, "load a paper roll and close the cover"
	case printer.StateCoverOpen:
		row.Status, row.Fix = statusFail, "close the printer's cover (press it down until it clicks)"
	case printer.StateOffline:
		row.Status, row.Fix = statusFail, connectFix(conn, errors.New(detail))
	default:
		row.Status = statusFail
		row.Fix = "the printer connected but did not answer the status query: check that it is an ESC/POS (or TSPL label) printer; if it never answers, set status_query: off for it"
		if detail == "" {
			row.Status, row.Fix = statusWarn, "no status reported yet: print a test page (`posbridge print test`) and look at the printer"
		}
	}
	return row
}

// connectFix says how to make a printer reachable, by connection kind.
func connectFix(conn config.Connection, err error) string {
	switch conn.Scheme {
	case "tcp":
		return "switch the printer on and check its network cable; print its self-test page (hold FEED while switching it on) to read its IP address, which must match " + conn.Address()
	case "serial", "usb":
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "plug the printer in and switch it on; " + listPortsHint()
		case errors.Is(err, fs.ErrPermission):
			return permissionHint(conn.Scheme)
		}
		return "switch the printer on, check the cable, close other programs that use the port; " + listPortsHint()
	case "windows":
		return "check the printer in Windows Settings › Printers: it must be installed for all users (the service runs as LocalSystem) and print a Windows test page"
	case "file":
		return "create the folder of " + conn.Path + " or change the file:// path"
	}
	return "check the printer's connection in the config"
}

// reachRow checks that a one-way link opens.
func reachRow(ctx context.Context, row checkRow, conn config.Connection, daemonRunning bool) checkRow {
	switch conn.Scheme {
	case "tcp":
		return tcpPrinterRow(ctx, row, conn)
	case "serial", "usb":
		return deviceRow(row, conn.Path, daemonRunning, conn.Scheme)
	case "file":
		return fileTargetRow(row, conn.Path)
	}
	row.Status, row.Result = statusOK, "configured as "+conn.Scheme+"://"
	return row
}

func tcpPrinterRow(ctx context.Context, row checkRow, conn config.Connection) checkRow {
	d := net.Dialer{Timeout: deviceDialTimeout}
	start := time.Now()
	c, err := d.DialContext(ctx, "tcp", conn.Address())
	if err != nil {
		row.Status, row.Result, row.Fix = statusFail, "cannot connect to "+conn.Address()+": "+err.Error(), connectFix(conn, err)
		return row
	}
	c.Close()
	row.Status, row.Result = statusOK, fmt.Sprintf("%s accepts connections (%d ms)", conn.Address(), time.Since(start).Milliseconds())
	return row
}

// deviceRow opens a serial port or USB device file the way the daemon will.
// A port the running daemon holds cannot be opened twice: that is fine.
func deviceRow(row checkRow, path string, daemonRunning bool, scheme string) checkRow {
	err := openDevice(path)
	switch {
	case err == nil:
		row.Status, row.Result = statusOK, path+" opens"
	case daemonRunning && deviceBusy(err):
		row.Status, row.Result = statusOK, path+" is in use by the running posbridge"
	case errors.Is(err, fs.ErrNotExist):
		row.Status, row.Result = statusFail, path+" does not exist"
		row.Fix = "plug the device in (and switch it on); " + listPortsHint()
	case errors.Is(err, fs.ErrPermission):
		row.Status, row.Result = statusFail, "no permission to open "+path
		row.Fix = permissionHint(scheme)
	default:
		row.Status, row.Result = statusFail, "cannot open "+path+": "+err.Error()
		row.Fix = "close other programs that use the port (printer or scanner tools), then unplug and replug the device; " + listPortsHint()
	}
	return row
}

func listPortsHint() string {
	if runtime.GOOS == "windows" {
		return "Device Manager › Ports (COM & LPT) shows its COM number"
	}
	return "`ls /dev/ttyUSB* /dev/ttyACM* /dev/usb/lp*` lists the ports"
}

func permissionHint(scheme string) string {
	if runtime.GOOS == "windows" {
		return "run posbridge doctor as administrator; the service (LocalSystem) may open it"
	}
	group := "dialout"
	if scheme == "usb" {
		group = "lp"
	}
	return "the service user must be in group " + group + ": sudo usermod -aG dialout,lp posbridge, then sudo systemctl restart posbridge"
}

// fileTargetRow checks that a file:// printer's folder is writable.
func fileTargetRow(row checkRow, path string) checkRow {
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		row.Status, row.Result = statusFail, "folder "+dir+" does not exist"
		row.Fix = "create " + dir + " or change the file:// path"
		return row
	}
	row.Status, row.Result = statusOK, "writes to "+path
	return row
}

func checkScanner(_ context.Context, env *doctorEnv) []checkRow {
	row := checkRow{Check: "scanner"}
	s := env.cfg.Scanner.Serial
	if s == "" {
		row.Status, row.Result = statusSkip, "no serial scanner (keyboard scanners type into the console's scan box)"
		return []checkRow{row}
	}
	conn, err := config.ParseConnection(s)
	if err != nil {
		row.Status, row.Result, row.Fix = statusFail, "scanner.serial "+err.Error(), "correct scanner.serial in "+env.cfg.File
		return []checkRow{row}
	}
	return []checkRow{deviceRow(row, conn.Path, env.daemonPID > 0, "serial")}
}
