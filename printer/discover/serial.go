package discover

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"
)

// DefaultBaud is suggested for a serial port that was not asked at another
// speed: the usual factory setting of receipt printers' RS-232 ports. USB
// virtual COM ports ignore the speed.
const DefaultBaud = 9600

// listSerial is the system's serial port list; tests replace it.
var listSerial = enumerator.GetDetailedPortsList

// serialPorts lists the system's serial ports with their USB ids, then the
// extra paths (ports the enumerator does not list: ptys, a port a test
// makes). A USB id of an extra path is read from sysRoot when it is there.
func serialPorts(sysRoot string, extra []string, baud int) ([]Device, *Failure) {
	var out []Device
	var fail *Failure
	seen := map[string]bool{}
	ports, err := listSerial()
	if err != nil {
		fail = &Failure{Source: "serial", Target: "serial ports", Reason: err.Error()}
	}
	for _, p := range ports {
		if p == nil || p.Name == "" || seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		out = append(out, serialFromEnumerator(p, baud))
	}
	for _, path := range extra {
		if path = strings.TrimSpace(path); path == "" || seen[path] {
			continue
		}
		seen[path] = true
		d := Device{Kind: KindSerial, Path: path, Connection: serialURI(path, baud), Status: Status{Reply: NotAsked}}
		// /dev/ttyUSB0 → class/tty/ttyUSB0; a link such as
		// /dev/serial/by-id/… is looked up by what it points to as well.
		names := []string{filepath.Base(path)}
		if real, err := filepath.EvalSymlinks(path); err == nil {
			names = append(names, filepath.Base(real))
		}
		for _, name := range names {
			if dev := classDevice(sysRoot, "tty", name); dev != "" {
				if _, d.USB = usbAncestor(sysRoot, dev); d.USB != nil {
					break
				}
			}
		}
		fillNames(&d)
		out = append(out, d)
	}
	return out, fail
}

func serialFromEnumerator(p *enumerator.PortDetails, baud int) Device {
	d := Device{Kind: KindSerial, Path: p.Name, Connection: serialURI(p.Name, baud), Status: Status{Reply: NotAsked}}
	if p.IsUSB {
		d.USB = &USBInfo{
			VendorID:     normaliseID(p.VID),
			ProductID:    normaliseID(p.PID),
			Manufacturer: p.Manufacturer,
			Product:      p.Product,
			Serial:       p.SerialNumber,
		}
	}
	fillNames(&d)
	return d
}

// probeSerial asks a serial port for status at one speed, 8N1, no flow
// control. It is asked once: a printer set to another speed would take
// bytes sent at the wrong one as garbage, and some print it.
func probeSerial(d *Device, baud int, timeout time.Duration) {
	port, err := serial.Open(d.Path, &serial.Mode{BaudRate: baud, DataBits: 8, StopBits: serial.OneStopBit})
	if err != nil {
		d.Problem = serialOpenProblem(d.Path, err)
		return
	}
	defer port.Close()
	st, err := askStatus(&serialLink{port: port}, timeout)
	d.Status = st
	if err != nil {
		d.Problem = askProblem(d.Path, err)
	}
	if st.Reply == Answered {
		d.Language = "escpos"
		d.Connection = serialURI(d.Path, baud)
	}
}

func serialOpenProblem(path string, err error) *Problem {
	var pe *serial.PortError
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PortBusy:
			return &Problem{Code: ProblemBusy, Detail: fmt.Sprintf("%s is in use by another program (a scanner reader, another POS program): close it and try again", path)}
		case serial.PermissionDenied:
			if runtime.GOOS == "windows" {
				return &Problem{Code: ProblemPermission, Detail: fmt.Sprintf("%s: access denied: another program may hold it, or the service account may not open it", path)}
			}
			return &Problem{Code: ProblemPermission, Detail: fmt.Sprintf("%s: permission denied: add the account posbridge runs as to the dialout group (usermod -aG dialout posbridge) and restart the service", path)}
		}
	}
	return &Problem{Code: ProblemOpen, Detail: fmt.Sprintf("%s: %v", path, err)}
}

// serialLink asks over a serial port. A write is given up at the time limit
// (with flow control wired a printer out of paper holds the line and the
// write would block): the port is closed, which unblocks it.
type serialLink struct {
	port serial.Port
}

func (l *serialLink) writeWithin(p []byte, d time.Duration) error {
	done := make(chan error, 1)
	go func() {
		_, err := l.port.Write(p)
		done <- err
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		l.port.Close() // unblocks the write; its goroutine then ends
		return errors.New("the port took no data in time")
	}
}

func (l *serialLink) readWithin(p []byte, d time.Duration) (int, error) {
	if err := l.port.SetReadTimeout(d); err != nil {
		return 0, err
	}
	return l.port.Read(p)
}
