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
	"time"

	"github.com/posbridge/posbridge/config"
)

// doctorPrinterStatus asks a printer for its status (paper, cover, errors)
// once the connection opens. The wiring that owns the printer package sets
// it; while it is nil the doctor checks that the connection opens.
var doctorPrinterStatus func(ctx context.Context, cfg *config.Config, p config.PrinterConfig) (string, error)

const deviceDialTimeout = 3 * time.Second

func checkPrinters(ctx context.Context, env *doctorEnv) []checkRow {
	if len(env.cfg.Printers) == 0 {
		return []checkRow{{Check: "printers", Status: statusWarn, Result: "no printers configured",
			Fix: "add the store's printers under printers: in " + env.cfg.File + " (see `posbridge config init`)"}}
	}
	rows := make([]checkRow, len(env.cfg.Printers))
	done := make(chan struct{})
	for i, p := range env.cfg.Printers {
		go func() {
			defer func() { done <- struct{}{} }()
			rows[i] = checkPrinter(ctx, env, p)
		}()
	}
	for range env.cfg.Printers {
		<-done
	}
	return rows
}

func checkPrinter(ctx context.Context, env *doctorEnv, p config.PrinterConfig) checkRow {
	row := checkRow{Check: "printer " + p.Name}
	conn, err := config.ParseConnection(p.Connection)
	if err != nil {
		row.Status, row.Result, row.Fix = statusFail, "connection "+err.Error(), "correct the printer's connection in "+env.cfg.File
		return row
	}
	switch conn.Scheme {
	case "tcp":
		row = tcpPrinterRow(ctx, row, conn)
	case "serial", "usb":
		row = deviceRow(row, conn.Path, env.daemonPID > 0, conn.Scheme)
	case "file":
		row = fileTargetRow(row, conn.Path)
	case "virtual":
		row.Status, row.Result = statusOK, "virtual printer: output is shown in the console"
	case "windows":
		row.Status, row.Result = statusSkip, "Windows printer \""+conn.Name+"\" is not checked here: print a test page from the console"
	}
	ready := row.Status == statusOK || conn.Scheme == "windows"
	if !ready || doctorPrinterStatus == nil || conn.Scheme == "virtual" {
		return row
	}
	status, err := doctorPrinterStatus(ctx, env.cfg, p)
	if err != nil {
		row.Status, row.Result = statusFail, err.Error()
		row.Fix = "look at the printer: paper loaded, cover closed, no red light; switch it off and on"
		if conn.Scheme == "windows" {
			row.Fix += "; the service runs as LocalSystem, which sees only printers installed for all users"
		}
		return row
	}
	row.Status, row.Result = statusOK, status
	return row
}

func tcpPrinterRow(ctx context.Context, row checkRow, conn config.Connection) checkRow {
	d := net.Dialer{Timeout: deviceDialTimeout}
	start := time.Now()
	c, err := d.DialContext(ctx, "tcp", conn.Address())
	if err != nil {
		row.Status, row.Result = statusFail, "cannot connect to "+conn.Address()+": "+err.Error()
		row.Fix = "switch the printer on and check its network cable; print its self-test page (hold FEED while switching it on) to read its IP address, which must match " + conn.Address()
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
