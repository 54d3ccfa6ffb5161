package discover

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	procOpenPrinterW  = winspool.NewProc("OpenPrinterW")
	procClosePrinter  = winspool.NewProc("ClosePrinter")
	procGetPrinterW   = winspool.NewProc("GetPrinterW")
	procEnumJobsW     = winspool.NewProc("EnumJobsW")
	maxQueueJobsAsked = uint32(64)
)

// Queue asks the spooler about one printer: GetPrinter level 2 and the
// first jobs of its queue (EnumJobs level 1).
func Queue(name string) (SpoolerQueue, error) {
	if err := winspool.Load(); err != nil {
		return SpoolerQueue{}, fmt.Errorf("load winspool.drv: %w", err)
	}
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return SpoolerQueue{}, err
	}
	var h windows.Handle
	if r, _, e := procOpenPrinterW.Call(uintptr(unsafe.Pointer(n)), uintptr(unsafe.Pointer(&h)), 0); r == 0 {
		return SpoolerQueue{}, fmt.Errorf("open Windows printer %q: %w (check the name in Settings → Printers)", name, e)
	}
	defer procClosePrinter.Call(uintptr(h))
	ptrSize := int(unsafe.Sizeof(uintptr(0)))
	buf, err := askSized(func(b *byte, size uint32, needed, _ *uint32) (uintptr, error) {
		r, _, e := procGetPrinterW.Call(uintptr(h), 2, uintptr(unsafe.Pointer(b)), uintptr(size), uintptr(unsafe.Pointer(needed)))
		return r, e
	})
	if err != nil {
		return SpoolerQueue{}, fmt.Errorf("GetPrinter %q: %w", name, err)
	}
	ds, err := parsePrinterInfo2(buf, uint64(uintptr(unsafe.Pointer(&buf[0]))), 1, ptrSize)
	if err != nil || len(ds) == 0 {
		return SpoolerQueue{}, fmt.Errorf("GetPrinter %q: %v", name, err)
	}
	q := SpoolerQueue{Printer: *ds[0].Windows}
	var count uint32
	jobs, err := askSized(func(b *byte, size uint32, needed, _ *uint32) (uintptr, error) {
		r, _, e := procEnumJobsW.Call(uintptr(h), 0, uintptr(maxQueueJobsAsked), 1, uintptr(unsafe.Pointer(b)), uintptr(size),
			uintptr(unsafe.Pointer(needed)), uintptr(unsafe.Pointer(&count)))
		return r, e
	})
	if err != nil {
		return q, fmt.Errorf("EnumJobs %q: %w", name, err)
	}
	if len(jobs) > 0 && count > 0 {
		q.Jobs, err = parseJobInfo1(jobs, uint64(uintptr(unsafe.Pointer(&jobs[0]))), int(count), ptrSize)
	}
	return q, err
}

// askSized calls a winspool function that fills a buffer: once for the
// size, then with a buffer of it (again if it grew meanwhile). An empty
// result is a nil buffer.
func askSized(call func(b *byte, size uint32, needed, count *uint32) (uintptr, error)) ([]byte, error) {
	var needed uint32
	var one byte
	if r, _ := call(&one, 0, &needed, nil); r != 0 || needed == 0 {
		return nil, nil
	}
	for range 3 {
		buf := make([]byte, needed)
		r, err := call(&buf[0], needed, &needed, nil)
		if r != 0 {
			return buf, nil
		}
		if err != windows.ERROR_INSUFFICIENT_BUFFER {
			return nil, err
		}
	}
	return nil, fmt.Errorf("the answer kept growing")
}
