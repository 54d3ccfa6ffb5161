package discover

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// usbPrinters lists the USB printer-class devices: the usblp driver's
// entries under root/class/usbmisc (lp0, lp1, …) and the device files
// dev/usb/lp*. The kernel exposes the IEEE 1284 id on the interface, at
// class/usbmisc/lpN/device/ieee1284_id, and the USB descriptors one level up.
func usbPrinters(sysRoot, devRoot string) []Device {
	names := map[string]bool{}
	if ents, err := os.ReadDir(filepath.Join(sysRoot, "class", "usbmisc")); err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), "lp") {
				names[e.Name()] = true
			}
		}
	}
	if files, _ := filepath.Glob(filepath.Join(devRoot, "usb", "lp*")); len(files) > 0 {
		for _, f := range files {
			names[filepath.Base(f)] = true
		}
	}
	var out []Device
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range names {
			if !yield(n) {
				return
			}
		}
	}) {
		path := filepath.Join(devRoot, "usb", name)
		d := Device{Kind: KindUSB, Path: path, Connection: usbURI(filepath.ToSlash(path)), Status: Status{Reply: NotAsked}}
		if intf := classDevice(sysRoot, "usbmisc", name); intf != "" {
			d.DeviceID = ParseDeviceID(readAttr(intf, "ieee1284_id"))
			_, d.USB = usbAncestor(sysRoot, intf)
		}
		fillNames(&d)
		d.Language = d.DeviceID.Language()
		out = append(out, d)
	}
	return out
}

// fillNames picks the model and maker: 1284 id first, USB strings next.
func fillNames(d *Device) {
	if d.DeviceID != nil {
		d.Model, d.Manufacturer = d.DeviceID.Model, d.DeviceID.Manufacturer
	}
	if d.USB != nil {
		if d.Model == "" {
			d.Model = d.USB.Product
		}
		if d.Manufacturer == "" {
			d.Manufacturer = d.USB.Manufacturer
		}
	}
}

// probeUSB asks a USB printer device file for status. The usblp driver
// never times out a write to a printer that takes no data, so the file is
// asked only when it supports deadlines.
func probeUSB(d *Device, timeout time.Duration) {
	if d.DeviceID.speaksOtherLanguage() {
		d.Problem = &Problem{Code: ProblemLanguage, Detail: fmt.Sprintf("%s reports the command set %s, not ESC/POS: it is not sent DLE EOT", d.Path, strings.Join(d.DeviceID.Commands, ", "))}
		return
	}
	f, err := os.OpenFile(d.Path, os.O_RDWR, 0)
	if err != nil {
		d.Problem = openProblem(d.Path, err, "lp")
		return
	}
	defer f.Close()
	if err := f.SetDeadline(time.Now().Add(timeout)); err != nil {
		d.Problem = &Problem{Code: ProblemNoDeadline, Detail: fmt.Sprintf("%s cannot be given a time limit (%v): not asked, a printer that takes no data would hang the question", d.Path, err)}
		return
	}
	st, err := askStatus(fileLink{f}, timeout)
	d.Status = st
	if err != nil {
		d.Problem = askProblem(d.Path, err)
	}
	if st.Reply == Answered && d.Language == "" {
		d.Language = "escpos"
	}
}

// fileLink asks over a device file that supports deadlines.
type fileLink struct{ f *os.File }

func (l fileLink) writeWithin(p []byte, d time.Duration) error {
	if err := l.f.SetWriteDeadline(time.Now().Add(d)); err != nil {
		return err
	}
	_, err := l.f.Write(p)
	return err
}

func (l fileLink) readWithin(p []byte, d time.Duration) (int, error) {
	if err := l.f.SetReadDeadline(time.Now().Add(d)); err != nil {
		return 0, err
	}
	return l.f.Read(p)
}

// openProblem words a failure to open a device; group is the Unix group
// that owns such devices (lp for printers, dialout for serial ports).
func openProblem(path string, err error, group string) *Problem {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return &Problem{Code: ProblemPermission, Detail: fmt.Sprintf("%s: permission denied: add the account posbridge runs as to the %s group (usermod -aG %s posbridge) and restart the service", path, group, group)}
	case errors.Is(err, syscall.EBUSY):
		return &Problem{Code: ProblemBusy, Detail: fmt.Sprintf("%s is in use by another program: close it (a printer driver, another POS program) and try again", path)}
	}
	return &Problem{Code: ProblemOpen, Detail: fmt.Sprintf("%s: %v", path, err)}
}

func askProblem(path string, err error) *Problem {
	if errors.Is(err, errChatter) {
		return &Problem{Code: ProblemChatter, Detail: path + " sent data nobody asked for: it is probably not a printer"}
	}
	return &Problem{Code: ProblemOpen, Detail: fmt.Sprintf("%s opened but the status question could not be sent: %v", path, err)}
}
