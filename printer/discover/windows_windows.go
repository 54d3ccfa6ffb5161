package discover

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	winspool               = windows.NewLazySystemDLL("winspool.drv")
	procEnumPrintersW      = winspool.NewProc("EnumPrintersW")
	procGetDefaultPrinterW = winspool.NewProc("GetDefaultPrinterW")
)

const (
	printerEnumLocal       = 0x00000002
	printerEnumConnections = 0x00000004
)

// windowsPrinters lists the local printers and the connections to shared
// ones (PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS, level 2).
func windowsPrinters() ([]Device, error) {
	if err := winspool.Load(); err != nil {
		return nil, fmt.Errorf("load winspool.drv: %w", err)
	}
	flags := uintptr(printerEnumLocal | printerEnumConnections)
	var needed, count uint32
	// The first call asks for the size; the list may grow between the calls
	// (a printer added meanwhile), so ask again a few times.
	procEnumPrintersW.Call(flags, 0, 2, 0, 0, uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&count)))
	for range 3 {
		if needed == 0 {
			return nil, nil
		}
		buf := make([]byte, needed)
		r, _, err := procEnumPrintersW.Call(flags, 0, 2, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed),
			uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&count)))
		if r != 0 {
			ds, err := parsePrinterInfo2(buf, uint64(uintptr(unsafe.Pointer(&buf[0]))), int(count), int(unsafe.Sizeof(uintptr(0))))
			markDefault(ds, defaultPrinter())
			return ds, err
		}
		if err != windows.ERROR_INSUFFICIENT_BUFFER {
			return nil, fmt.Errorf("EnumPrinters: %w", err)
		}
	}
	return nil, fmt.Errorf("EnumPrinters: the printer list kept changing")
}

// defaultPrinter is the name of the user's default printer, "" when none.
// The DEFAULT attribute of PRINTER_INFO_2 is not set by every spooler.
func defaultPrinter() string {
	var n uint32
	procGetDefaultPrinterW.Call(0, uintptr(unsafe.Pointer(&n)))
	if n == 0 || n > 4096 {
		return ""
	}
	buf := make([]uint16, n)
	if r, _, _ := procGetDefaultPrinterW.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n))); r == 0 {
		return ""
	}
	return windows.UTF16ToString(buf)
}
