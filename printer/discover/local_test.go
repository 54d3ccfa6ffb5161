package discover

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.bug.st/serial/enumerator"
)

// fakeSys builds a folder shaped like /sys with what the kernel shows for a
// USB receipt printer on usblp (lp0), a TSPL label printer (lp1) and a
// CH340 USB-serial adapter (ttyUSB7), each linked from class/ as sysfs does.
func fakeSys(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(rel, target string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	bus := "devices/pci0000:00/0000:00:14.0/usb1"
	// lp0: a receipt printer. usblp puts ieee1284_id on the interface
	// (1-2:1.0); the descriptors are on the device (1-2).
	for k, v := range map[string]string{"idVendor": "0483\n", "idProduct": "5743\n", "manufacturer": "Xprinter\n", "product": "USB Printer P\n", "serial": "XP0123\n"} {
		write(bus+"/1-2/"+k, v)
	}
	write(bus+"/1-2/1-2:1.0/ieee1284_id", "MFG:Xprinter;CMD:ESC/POS;MDL:XP-80C;CLS:PRINTER;DES:80mm thermal;")
	write(bus+"/1-2/1-2:1.0/usbmisc/lp0/dev", "180:0\n")
	link("class/usbmisc/lp0/device", "../../../"+bus+"/1-2/1-2:1.0")
	// lp1: a label printer that names its command set.
	for k, v := range map[string]string{"idVendor": "0471\n", "idProduct": "0055\n", "product": "Label Printer\n"} {
		write(bus+"/1-3/"+k, v)
	}
	write(bus+"/1-3/1-3:1.0/ieee1284_id", "MFG:Gprinter;MDL:GP-3120TU;CMD:TSPL,ZPL;CLS:PRINTER;")
	link("class/usbmisc/lp1/device", "../../../"+bus+"/1-3/1-3:1.0")
	// ttyUSB7: a CH340 adapter; the tty sits below the usb-serial port below the interface.
	for k, v := range map[string]string{"idVendor": "1a86\n", "idProduct": "7523\n", "product": "USB Serial\n"} {
		write(bus+"/1-4/"+k, v)
	}
	write(bus+"/1-4/1-4:1.0/ttyUSB7/tty/ttyUSB7/dev", "188:7\n")
	link("class/tty/ttyUSB7/device", "../../../"+bus+"/1-4/1-4:1.0/ttyUSB7")
	return root
}

// fakeDev is a folder shaped like /dev whose entries are links to ptys.
func fakeDev(t *testing.T, links map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, target := range links {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// noSystemPorts keeps the machine's own serial ports out of a test.
func noSystemPorts(t *testing.T, ports ...*enumerator.PortDetails) {
	t.Helper()
	old := listSerial
	listSerial = func(...func(vid, pid string) bool) ([]*enumerator.PortDetails, error) { return ports, nil }
	t.Cleanup(func() { listSerial = old })
}

func byPath(t *testing.T, rep Report, path string) Device {
	t.Helper()
	for _, d := range rep.Devices {
		if d.Path == path {
			return d
		}
	}
	t.Fatalf("%s not found in %+v", path, rep.Devices)
	return Device{}
}

func TestLocalFindsUSBPrintersAndSerialPortsAndAsksThem(t *testing.T) {
	lp0Host, lp0Printer := socatPair(t)
	lp1Host, lp1Printer := socatPair(t)
	ttyHost, ttyPrinter := socatPair(t)
	silentHost, silentPrinter := socatPair(t)
	lp0 := playPty(t, lp0Printer, []byte{0x12})
	lp1 := playPty(t, lp1Printer, []byte{0x12})
	tty := playPty(t, ttyPrinter, []byte{0x16})
	silent := playPty(t, silentPrinter, nil)

	sys := fakeSys(t)
	dev := fakeDev(t, map[string]string{"usb/lp0": lp0Host, "usb/lp1": lp1Host, "ttyUSB7": ttyHost})
	noSystemPorts(t)
	opt := Options{Probe: true, SysRoot: sys, DevRoot: dev, SerialBaud: 19200, Timeout: 500 * time.Millisecond,
		ExtraSerial: []string{filepath.Join(dev, "ttyUSB7"), silentHost}}
	rep := Local(context.Background(), opt)
	if len(rep.Failures) != 0 {
		t.Errorf("failures: %+v", rep.Failures)
	}

	p := byPath(t, rep, filepath.Join(dev, "usb/lp0"))
	wantNoProblem(t, p)
	if p.Kind != KindUSB || p.Connection != "usb://"+filepath.Join(dev, "usb/lp0") || p.Model != "XP-80C" || p.Manufacturer != "Xprinter" ||
		p.USB == nil || p.USB.VendorID != "0483" || p.USB.ProductID != "5743" || p.USB.Serial != "XP0123" ||
		p.DeviceID == nil || p.DeviceID.Description != "80mm thermal" || p.Language != "escpos" || p.Status.Reply != Answered {
		t.Errorf("lp0: %+v usb %+v id %+v", p, p.USB, p.DeviceID)
	}
	if got := string(lp0.received()); got != "<DLE EOT 1>" {
		t.Errorf("lp0 was sent %q", got)
	}

	l := byPath(t, rep, filepath.Join(dev, "usb/lp1"))
	if l.Language != "tspl" || l.Model != "GP-3120TU" || l.Status.Reply != NotAsked || l.Problem == nil || l.Problem.Code != ProblemLanguage {
		t.Errorf("lp1 (TSPL): %+v", l)
	}

	s := byPath(t, rep, filepath.Join(dev, "ttyUSB7"))
	wantNoProblem(t, s)
	if s.Kind != KindSerial || s.Connection != "serial://"+filepath.Join(dev, "ttyUSB7")+"?baud=19200" || s.USB == nil ||
		s.USB.VendorID != "1a86" || s.USB.ProductID != "7523" || s.Model != "USB Serial" || s.Status.Reply != Answered || s.Status.Byte != 0x16 {
		t.Errorf("ttyUSB7: %+v usb %+v", s, s.USB)
	}
	if got := string(tty.received()); got != "<DLE EOT 1>" {
		t.Errorf("ttyUSB7 was sent %q", got)
	}

	q := byPath(t, rep, silentHost)
	wantNoProblem(t, q)
	if q.Status.Reply != Silent || q.USB != nil || q.Language != "" || q.StatusQuery() != "off" {
		t.Errorf("silent pty: %+v", q)
	}
	if got := string(silent.received()); got != "<DLE EOT 1>" {
		t.Errorf("the silent port was sent %q", got)
	}
	// The label printer was never written to.
	time.Sleep(50 * time.Millisecond)
	if got := lp1.received(); len(got) > 0 {
		t.Errorf("the TSPL printer was sent %q", got)
	}
}

// Without Probe nothing is opened; with Skip the scanner's port is listed
// but never opened, by path, by a link to it, or by its connection URI.
func TestLocalOpensNothingUnaskedAndNeverASkippedPort(t *testing.T) {
	lpHost, lpPrinter := socatPair(t)
	scanHost, scanSide := socatPair(t)
	lp := playPty(t, lpPrinter, []byte{0x12})
	scanner := playPty(t, scanSide, []byte{0x12})
	sys := fakeSys(t)
	dev := fakeDev(t, map[string]string{"usb/lp0": lpHost})
	noSystemPorts(t)

	rep := Local(context.Background(), Options{SysRoot: sys, DevRoot: dev, ExtraSerial: []string{scanHost}})
	for _, d := range rep.Devices {
		if d.Status.Reply != NotAsked || d.Problem != nil {
			t.Errorf("%s without Probe: %+v", d.Path, d)
		}
	}
	if d := byPath(t, rep, filepath.Join(dev, "usb/lp0")); d.Model != "XP-80C" || d.USB == nil {
		t.Errorf("listing without opening still reads sysfs: %+v", d)
	}

	for _, skip := range []string{scanHost, "serial://" + scanHost + "?baud=9600"} {
		rep = Local(context.Background(), Options{Probe: true, SysRoot: sys, DevRoot: dev, ExtraSerial: []string{scanHost},
			Skip: []string{skip, "usb://" + filepath.Join(dev, "usb/lp0")}, Timeout: 300 * time.Millisecond})
		for _, path := range []string{scanHost, filepath.Join(dev, "usb/lp0")} {
			if d := byPath(t, rep, path); d.Problem == nil || d.Problem.Code != ProblemSkipped || d.Status.Reply != NotAsked {
				t.Errorf("skip %q: %s: %+v", skip, path, d)
			}
		}
	}
	time.Sleep(50 * time.Millisecond)
	if got := scanner.received(); len(got) > 0 {
		t.Errorf("the skipped scanner port was sent %q", got)
	}
	if got := lp.received(); len(got) > 0 {
		t.Errorf("the skipped printer was sent %q", got)
	}
}

func TestLocalReportsDevicesItCannotOpen(t *testing.T) {
	noSystemPorts(t, &enumerator.PortDetails{Name: "/nonexistent/ttyACM3", IsUSB: true, VID: "0FE6", PID: "811E", Product: "USB Printer", Manufacturer: "ICS"})
	rep := Local(context.Background(), Options{Probe: true, SysRoot: t.TempDir(), DevRoot: t.TempDir()})
	d := byPath(t, rep, "/nonexistent/ttyACM3")
	if d.USB == nil || d.USB.VendorID != "0fe6" || d.USB.ProductID != "811e" || d.Model != "USB Printer" ||
		d.Connection != "serial:///nonexistent/ttyACM3?baud=9600" {
		t.Errorf("enumerated port: %+v usb %+v", d, d.USB)
	}
	if d.Problem == nil || d.Problem.Code != ProblemOpen || d.Status.Reply != NotAsked || !strings.Contains(d.Problem.Detail, "ttyACM3") {
		t.Errorf("a port that cannot be opened: %+v", d.Problem)
	}
}
