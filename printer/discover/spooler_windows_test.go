package discover

import (
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// TestSpoolerInsideWindows adds printers to the spooler and lists them. It
// changes the machine's printers, so it runs only when the Wine test on
// Linux starts it in a throwaway prefix (TestSpoolerUnderWine).
func TestSpoolerInsideWindows(t *testing.T) {
	if os.Getenv("POSBRIDGE_SPOOLER_TEST") != "1" {
		t.Skip("adds printers to the spooler: run by TestSpoolerUnderWine in a throwaway Wine prefix")
	}
	addPrinters(t)
	rep := Local(t.Context(), Options{})
	var ds []Device
	for _, d := range rep.Devices {
		if d.Kind == KindWindows {
			ds = append(ds, d)
		}
	}
	for _, f := range rep.Failures {
		if f.Source == "windows" {
			t.Errorf("spooler: %+v", f)
		}
	}
	checkWinePrinters(t, ds, "XP-80C")

	// What a windows:// printer reports: the spooler's view of one printer.
	q, err := Queue("佳博 GP-L80160 厨房")
	if err != nil {
		t.Fatalf("Queue: %v", err)
	}
	if !q.Printer.WorkOffline || q.Printer.Port != "LPT2:" || q.Label() != "已设为脱机使用" {
		t.Errorf("queue of the offline printer: %+v label %q", q, q.Label())
	}
	if q, err := Queue("XP-80C"); err != nil || q.Label() != "就绪" || len(q.Jobs) != 0 {
		t.Errorf("queue of XP-80C: %+v %q %v", q, q.Label(), err)
	}
	if _, err := Queue("没有这台"); err == nil {
		t.Error("a printer the spooler does not have answered")
	}
}

// addPrinters adds the recording's four printers with Wine's PostScript driver.
func addPrinters(t *testing.T) {
	t.Helper()
	u := func(s string) *uint16 { p, _ := windows.UTF16PtrFromString(s); return p }
	type driverInfo3 struct {
		version                                                       uint32
		name, env, driverPath, dataFile, configFile, helpFile, depend *uint16
		monitor, defaultDataType                                      *uint16
	}
	type printerInfo2 struct {
		server, printer, share, port, driver, comment, location *uint16
		devMode                                                 uintptr
		sepFile, processor, datatype, parameters                *uint16
		security                                                uintptr
		attributes, priority, defPriority, start, until         uint32
		status, jobs, ppm                                       uint32
	}
	drv := driverInfo3{version: 3, name: u("Wine PostScript Driver"), env: u("Windows x64"), driverPath: u("wineps.drv"),
		dataFile: u("generic.ppd"), configFile: u("wineps.drv"), defaultDataType: u("RAW")}
	winspool.NewProc("AddPrinterDriverW").Call(0, 3, uintptr(unsafe.Pointer(&drv))) // may say it exists
	for _, p := range []struct {
		name, port, comment, location string
		attributes                    uint32
	}{
		{"XP-80C", "LPT1:", "收银台", "前台", 0x40},
		{"佳博 GP-L80160 厨房", "LPT2:", "", "后厨", 0x40 | attrWorkOffline},
		{"POS-58 (copy 1)", "COM1:", "50% 打印 / test", "", 0x40},
		{"Microsoft Print to PDF", "FILE:", "", "", 0x40},
	} {
		info := printerInfo2{printer: u(p.name), port: u(p.port), driver: u("Wine PostScript Driver"), processor: u("WinPrint"),
			datatype: u("RAW"), comment: u(p.comment), location: u(p.location), attributes: p.attributes}
		h, _, err := winspool.NewProc("AddPrinterW").Call(0, 2, uintptr(unsafe.Pointer(&info)))
		if h == 0 {
			t.Fatalf("AddPrinter %s: %v", p.name, err)
		}
		winspool.NewProc("ClosePrinter").Call(h)
	}
	if r, _, err := winspool.NewProc("SetDefaultPrinterW").Call(uintptr(unsafe.Pointer(u("XP-80C")))); r == 0 {
		t.Fatalf("SetDefaultPrinter: %v", err)
	}
}
