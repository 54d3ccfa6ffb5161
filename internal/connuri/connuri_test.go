package connuri

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Connection
	}{
		{"tcp://192.168.1.87:9100", Connection{Scheme: "tcp", Host: "192.168.1.87", Port: 9100}},
		{"TCP://printer.local:9100/", Connection{Scheme: "tcp", Host: "printer.local", Port: 9100}},
		{"tcp://[fe80::1]:9100", Connection{Scheme: "tcp", Host: "fe80::1", Port: 9100}},
		{"serial:///dev/ttyUSB0?baud=19200", Connection{Scheme: "serial", Path: "/dev/ttyUSB0", Baud: 19200, DataBits: 8, Parity: "none", StopBits: "1", Flow: "none"}},
		{"serial://COM3?baud=9600&flow=rtscts", Connection{Scheme: "serial", Path: "COM3", Baud: 9600, DataBits: 8, Parity: "none", StopBits: "1", Flow: "rtscts"}},
		{"serial://COM3?baud=9600&data_bits=7&parity=even&stop_bits=2&flow=xonxoff", Connection{Scheme: "serial", Path: "COM3", Baud: 9600, DataBits: 7, Parity: "even", StopBits: "2", Flow: "xonxoff"}},
		{"usb:///dev/usb/lp0", Connection{Scheme: "usb", Path: "/dev/usb/lp0"}},
		{"windows://XP-80C", Connection{Scheme: "windows", Name: "XP-80C"}},
		{"windows://Gprinter GP-3120TU", Connection{Scheme: "windows", Name: "Gprinter GP-3120TU"}},
		{"windows://POS%2080", Connection{Scheme: "windows", Name: "POS 80"}},
		{"file:///tmp/out.bin", Connection{Scheme: "file", Path: "/tmp/out.bin"}},
		{"file:///C:/pos/out.bin", Connection{Scheme: "file", Path: "C:/pos/out.bin"}},
		{"file://out/receipt.bin", Connection{Scheme: "file", Path: "out/receipt.bin"}},
		{"virtual://kitchen", Connection{Scheme: "virtual", Name: "kitchen"}},
		// where config check and the printers used to differ, the meaning that ran wins
		{"windows:///XP-80C/", Connection{Scheme: "windows", Name: "XP-80C"}},
		{"windows://50%25 off %2F bar%2F", Connection{Scheme: "windows", Name: "50% off / bar/"}},
		{"file:///tmp/out%20two.bin", Connection{Scheme: "file", Path: "/tmp/out two.bin"}},
		{"virtual://front/", Connection{Scheme: "virtual", Name: "front"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "is empty"},
		{"192.168.1.87:9100", "no scheme"},
		{"COM3", "no scheme"},
		{"lpt://1", "unknown scheme"},
		{"http://192.168.1.87", "raw bytes on a TCP port"},
		{"tcp://192.168.1.87", "needs a port: write tcp://192.168.1.87:9100"},
		{"tcp://:9100", "has no host"},
		{"tcp://192.168.1.87:99999", "1 to 65535"},
		{"tcp://192.168.1.87:http", "1 to 65535"},
		{"tcp://192.168.1.87:9100/x", "only the address and port"},
		{"serial://?baud=9600", "has no port"},
		{"serial://COM3", "needs a speed"},
		{"serial://COM3?baud=fast", `baud "fast" must be a number`},
		{"serial://COM3?baud=9600&flow=hardware", "flow \"hardware\" must be none, rtscts or xonxoff"},
		{"serial://COM3?baud=9600&parity=x", "parity"},
		{"serial://COM3?baud=9600&data_bits=9", "data_bits"},
		{"serial://COM3?baud=9600&stop_bits=3", "stop_bits"},
		{"serial://COM3?baud=9600&databits=8", "did you mean data_bits?"},
		{"serial://COM3?speed=9600", `unknown setting "speed"`},
		{"usb://", "device file"},
		{"usb://lp0", "device file"},
		{"tcp://front printer:9100", "has a space in it"},
		{"file:///tmp/%zz", "file path"},
		{"virtual:///", "give the virtual printer a name"},
		{"windows://", "printer's name"},
		{"file://", "file path"},
		{"virtual://", "give the virtual printer a name"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want …%s…", tt.in, err, tt.want)
		}
	}
}
