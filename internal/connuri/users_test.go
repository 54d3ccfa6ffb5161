package connuri_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/connuri"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/scanner"
)

// uriForms are the connection URIs the README, `posbridge config init`, the
// discovery suggestions and the old parsers' tests show, and the ones any of
// the three old parsers refused.
var uriForms = []string{
	// README
	"tcp://192.168.1.87:9100", "serial:///dev/ttyUSB0?baud=19200", "serial://COM3?baud=9600",
	"usb:///dev/usb/lp0", "windows://PrinterName", "file:///path", "virtual://name",
	// the forms config check and the printers accepted
	"TCP://printer.local:9100/", "tcp://[fe80::1]:9100", "tcp://[fe80::1]:9101",
	"serial://COM3?baud=9600&flow=rtscts", "serial:///dev/ttyUSB0?baud=19200&flow=rtscts",
	"serial://COM3?baud=9600&data_bits=7&parity=even&stop_bits=2&flow=xonxoff",
	"serial://COM5?baud=115200", "serial:///dev/ttyACM0?baud=9600&stop_bits=1.5&parity=odd",
	"windows://XP-80C", "windows://Gprinter GP-3120TU", "windows://POS%2080", "windows://XP-80C Printer(copy 1)",
	"windows://佳博 GP-L80160 厨房", "windows://50%25 off %2F bar%2F", `windows://\\FRONT-PC\XP-58`, "windows:///XP-80C/",
	"file:///tmp/out.bin", "file:///C:/pos/out.bin", "file:///var/lib/posbridge/out%20two.bin",
	"virtual://kitchen", "virtual://front/",
	// refused by one parser or all
	"", "192.168.1.87:9100", "COM3", "lpt://1", "lpt://LPT1", "http://192.168.1.87", "https://printer",
	"tcp://192.168.1.87", "tcp://printer.lan", "tcp://:9100", "tcp://192.168.1.87:99999", "tcp://192.168.1.87:http",
	"tcp://192.168.1.87:9100/x", "tcp://front printer:9100",
	"serial://", "serial://?baud=9600", "serial://COM3", "serial:///dev/x?baud=fast", "serial://COM3?baud=12",
	"serial://COM3?baud=9600&flow=hardware", "serial://COM3?baud=9600&flow=magic", "serial://COM3?baud=9600&parity=x",
	"serial://COM3?baud=9600&data_bits=9", "serial://COM3?baud=9600&stop_bits=3", "serial://COM3?baud=9600&databits=8",
	"serial://COM3?speed=9600", "serial://COM3?baud=9600&%zz",
	"usb://", "usb://lp0", "usb:///dev/usb/lp0?x=1", "windows://", "windows:///", "windows://%zz",
	"file://", "file:///tmp/%zz", "virtual://", "virtual:///",
}

// Every form parses the same for config check, the printers and the
// scanner: what one refuses the others refuse, and what they accept names
// the same device with the same line settings.
func TestOneGrammarForConfigCheckPrintersAndScanner(t *testing.T) {
	for _, uri := range uriForms {
		want, parseErr := connuri.Parse(uri)
		accepted := parseErr == nil

		// config check, on a printer and on the scanner
		c := config.Sandbox()
		c.Printers[0].Connection = uri
		c.Scanner.Serial = uri
		var printerProblem, scannerProblem bool
		for _, p := range config.Errors(c.Validate()) {
			printerProblem = printerProblem || p.Key == "printers[0].connection"
			scannerProblem = scannerProblem || p.Key == "scanner.serial"
		}
		if uri == "" {
			scannerProblem = true // an empty scanner.serial means no scanner
		}
		if printerProblem == accepted {
			t.Errorf("%q: config check refuses the printer connection %v, the grammar accepts it %v (%v)", uri, printerProblem, accepted, parseErr)
		}

		// the printers
		tr, err := printer.OpenTransport(uri, printer.TransportOptions{})
		runs := err == nil
		if want.Scheme == "windows" && runtime.GOOS != "windows" && err != nil && strings.Contains(err.Error(), "only on Windows") {
			runs = true // parsed; the spooler is not there
		}
		if runs != accepted {
			t.Errorf("%q: the printer opens it %v (%v), config check accepts it %v", uri, runs, err, accepted)
		}
		if err == nil {
			if got, wantName := tr.String(), device(want); got != wantName {
				t.Errorf("%q: the printer opens %s, config check read %s", uri, got, wantName)
			}
		}

		// the scanner
		port, err := scanner.ParseURI(uri)
		scans := err == nil
		if scans != (accepted && want.Scheme == "serial") {
			t.Errorf("%q: the scanner opens it %v (%v); the grammar reads %+v, %v", uri, scans, err, want, parseErr)
		}
		if scans == scannerProblem {
			t.Errorf("%q: the scanner opens it %v, config check refuses scanner.serial %v", uri, scans, scannerProblem)
		}
		if scans && (port.Path != want.Path || port.Mode != *want.SerialMode() || port.Mode.BaudRate != want.Baud) {
			t.Errorf("%q: the scanner opens %+v, config check read %+v", uri, port, want)
		}
	}
}

// device is how a transport names the device a connection reaches.
func device(c connuri.Connection) string {
	switch c.Scheme {
	case "tcp":
		return "tcp://" + c.Address()
	case "windows", "virtual":
		return c.Scheme + "://" + c.Name
	}
	return c.Scheme + "://" + c.Path
}
