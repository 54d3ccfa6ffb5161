package transport

import (
	"context"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/posbridge/posbridge/printer/discover"
)

// The Windows spooler in RAW mode: Windows binds USB printers to usbprint.sys,
// so the spooler is the way in. It is one-way, and OpenPrinter succeeds even
// when the printer is unplugged (jobs then wait in the Windows queue).
var (
	winspool         = windows.NewLazySystemDLL("winspool.drv")
	procOpenPrinter  = winspool.NewProc("OpenPrinterW")
	procClosePrinter = winspool.NewProc("ClosePrinter")
	procStartDoc     = winspool.NewProc("StartDocPrinterW")
	procEndDoc       = winspool.NewProc("EndDocPrinter")
	procStartPage    = winspool.NewProc("StartPagePrinter")
	procEndPage      = winspool.NewProc("EndPagePrinter")
	procWritePrinter = winspool.NewProc("WritePrinter")
)

type docInfo1 struct {
	docName    *uint16
	outputFile *uint16
	datatype   *uint16
}

type spoolerTransport struct {
	name string
	opt  Options
}

func newSpoolerTransport(name string, opt Options) (Transport, error) {
	return &spoolerTransport{name: name, opt: opt}, nil
}

func (t *spoolerTransport) TwoWay() bool   { return false }
func (t *spoolerTransport) String() string { return "windows://" + t.name }

func (t *spoolerTransport) Open(ctx context.Context) (Link, error) {
	if err := winspool.Load(); err != nil {
		return nil, fmt.Errorf("load winspool.drv: %w", err)
	}
	name, err := windows.UTF16PtrFromString(t.name)
	if err != nil {
		return nil, fmt.Errorf("printer name %q: %w", t.name, err)
	}
	var h windows.Handle
	if r, _, e := procOpenPrinter.Call(uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&h)), 0); r == 0 {
		return nil, fmt.Errorf("open Windows printer %q: %w (check the name in Settings → Printers)", t.name, e)
	}
	return &spoolerLink{h: h, name: t.name}, nil
}

// spoolerLink is one RAW document: StartDocPrinter on the first write,
// EndDocPrinter on Close, so one job is one spooler document.
type spoolerLink struct {
	h       windows.Handle
	name    string
	started bool
}

func (l *spoolerLink) Write(ctx context.Context, p []byte) error {
	if !l.started {
		doc, _ := windows.UTF16PtrFromString("posbridge")
		raw, _ := windows.UTF16PtrFromString("RAW")
		di := docInfo1{docName: doc, datatype: raw}
		if r, _, e := procStartDoc.Call(uintptr(l.h), 1, uintptr(unsafe.Pointer(&di))); r == 0 {
			return fmt.Errorf("start RAW document on %q: %w", l.name, e)
		}
		if r, _, e := procStartPage.Call(uintptr(l.h)); r == 0 {
			return fmt.Errorf("start page on %q: %w", l.name, e)
		}
		l.started = true
	}
	for len(p) > 0 {
		var written uint32
		r, _, e := procWritePrinter.Call(uintptr(l.h), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)), uintptr(unsafe.Pointer(&written)))
		if r == 0 {
			return fmt.Errorf("write to Windows printer %q: %w", l.name, e)
		}
		if written == 0 {
			return fmt.Errorf("write to Windows printer %q: the spooler took no data", l.name)
		}
		p = p[written:]
	}
	return nil
}

func (l *spoolerLink) Read(context.Context, []byte) (int, error) { return 0, ErrOneWay }

func (l *spoolerLink) Close() error {
	var err error
	if l.started {
		procEndPage.Call(uintptr(l.h))
		if r, _, e := procEndDoc.Call(uintptr(l.h)); r == 0 {
			err = fmt.Errorf("finish document on %q: %w", l.name, e)
		}
	}
	procClosePrinter.Call(uintptr(l.h))
	return err
}

// Queue is what the spooler knows of the printer: its status flags and the
// errors of queued jobs. The link stays one-way; this is the next best thing.
func (t *spoolerTransport) Queue(ctx context.Context) (discover.SpoolerQueue, error) {
	return discover.Queue(t.name)
}
