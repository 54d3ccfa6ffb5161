package discover

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options say where to look and whether to ask.
type Options struct {
	// Probe opens local serial ports and USB printer files and asks each
	// DLE EOT 1. Off, they are only listed. Network hosts are always asked.
	Probe bool
	// Skip lists devices never opened, by path or connection URI: the
	// scanner's port and the printers already configured (a port opened
	// by discovery as well would lose a scan or a ticket).
	Skip []string
	// SerialBaud is the speed serial ports are asked at and suggested
	// with; default 9600.
	SerialBaud int
	// ExtraSerial are device paths treated as serial ports besides those
	// the system lists (a pty, a port behind an unusual driver).
	ExtraSerial []string
	// SysRoot and DevRoot replace /sys and /dev (tests use folders shaped
	// like them). They apply to USB printer files and extra serial paths;
	// the system's serial port list comes from the OS.
	SysRoot, DevRoot string
	// Timeout is how long a local device may take to answer; default 1 s.
	Timeout time.Duration

	// Hosts to scan on the network (see Network for the forms); none by
	// default: a scan is asked for, never done on its own.
	Hosts   []string
	Network NetworkOptions
}

func (o Options) withDefaults() Options {
	if o.SerialBaud <= 0 {
		o.SerialBaud = DefaultBaud
	}
	if o.SysRoot == "" {
		o.SysRoot = "/sys"
	}
	if o.DevRoot == "" {
		o.DevRoot = "/dev"
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	return o
}

// Run looks everywhere asked: local devices, then the hosts. The error is
// for hosts that cannot be read or are too many; what was found locally is
// returned with it.
func Run(ctx context.Context, opt Options) (Report, error) {
	rep := Local(ctx, opt)
	if len(opt.Hosts) == 0 {
		return rep, nil
	}
	net, err := Network(ctx, opt.Hosts, opt.Network)
	rep.Devices = append(rep.Devices, net.Devices...)
	rep.Failures = append(rep.Failures, net.Failures...)
	return rep, err
}

// Local lists the serial ports, USB printer files (Linux) and the Windows
// spooler's printers, and with Probe asks the local devices for status,
// one at a time per kind (a bus of cheap USB adapters does not like being
// hammered) but serial and USB side by side.
func Local(ctx context.Context, opt Options) Report {
	opt = opt.withDefaults()
	var rep Report
	serialDevs, fail := serialPorts(opt.SysRoot, opt.ExtraSerial, opt.SerialBaud)
	if fail != nil {
		rep.Failures = append(rep.Failures, *fail)
	}
	var usbDevs []Device
	if runtime.GOOS != "windows" {
		usbDevs = usbPrinters(opt.SysRoot, opt.DevRoot)
	}
	skip := skipSet(opt.Skip)
	mark := func(ds []Device) {
		for i := range ds {
			if skip.has(ds[i]) {
				ds[i].Problem = &Problem{Code: ProblemSkipped, Detail: ds[i].Path + " is already used by posbridge (the scanner or a configured printer): not opened"}
			}
		}
	}
	mark(serialDevs)
	mark(usbDevs)
	if opt.Probe {
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := range serialDevs {
				if ctx.Err() == nil && serialDevs[i].Problem == nil {
					probeSerial(&serialDevs[i], opt.SerialBaud, opt.Timeout)
				}
			}
		})
		wg.Go(func() {
			for i := range usbDevs {
				if ctx.Err() == nil && usbDevs[i].Problem == nil {
					probeUSB(&usbDevs[i], opt.Timeout)
				}
			}
		})
		wg.Wait()
	}
	rep.Devices = append(rep.Devices, serialDevs...)
	rep.Devices = append(rep.Devices, usbDevs...)
	win, err := windowsPrinters()
	if err != nil {
		rep.Failures = append(rep.Failures, Failure{Source: "windows", Target: "spooler", Reason: err.Error()})
	}
	slices.SortStableFunc(win, func(a, b Device) int { return strings.Compare(a.Path, b.Path) })
	rep.Devices = append(rep.Devices, win...)
	return rep
}

// skips matches devices by path, resolved path or connection URI.
type skips map[string]bool

func skipSet(list []string) skips {
	s := skips{}
	for _, v := range list {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if scheme, rest, ok := strings.Cut(v, "://"); ok {
			switch strings.ToLower(scheme) {
			case "serial", "usb":
				v, _, _ = strings.Cut(rest, "?")
			default:
				continue // tcp, windows: nothing local to keep closed
			}
		}
		s[samePath(v)] = true
	}
	return s
}

func (s skips) has(d Device) bool { return s[samePath(d.Path)] }

// samePath resolves links (/dev/serial/by-id/…) and, on Windows, case (COM3, com3).
func samePath(p string) string {
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	if runtime.GOOS == "windows" {
		p = strings.ToUpper(strings.TrimPrefix(p, `\\.\`))
	}
	return filepath.Clean(p)
}
