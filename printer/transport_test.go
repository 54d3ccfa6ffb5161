package printer

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
)

func TestParseConnection(t *testing.T) {
	good := map[string]Connection{
		"tcp://192.168.1.87:9100":                      {Scheme: "tcp", Addr: "192.168.1.87:9100"},
		"tcp://printer.lan":                            {Scheme: "tcp", Addr: "printer.lan:9100"},
		"serial:///dev/ttyUSB0?baud=19200&flow=rtscts": {Scheme: "serial", Addr: "/dev/ttyUSB0", Serial: SerialParams{Baud: 19200, DataBits: 8, Parity: "none", StopBits: "1", Flow: "rtscts"}},
		"serial://COM3?baud=9600":                      {Scheme: "serial", Addr: "COM3", Serial: SerialParams{Baud: 9600, DataBits: 8, Parity: "none", StopBits: "1", Flow: "none"}},
		"usb:///dev/usb/lp0":                           {Scheme: "usb", Addr: "/dev/usb/lp0"},
		"windows://XP-80C Printer(copy 1)":             {Scheme: "windows", Addr: "XP-80C Printer(copy 1)"},
		"windows://XP%2080C":                           {Scheme: "windows", Addr: "XP 80C"},
		"file:///var/lib/posbridge/out.bin":            {Scheme: "file", Addr: "/var/lib/posbridge/out.bin"},
		"file:///C:/posbridge/out.bin":                 {Scheme: "file", Addr: "C:/posbridge/out.bin"},
		"virtual://front":                              {Scheme: "virtual", Addr: "front"},
	}
	for uri, want := range good {
		got, err := ParseConnection(uri)
		if err != nil || got != want {
			t.Errorf("%s: %+v, %v; want %+v", uri, got, err, want)
		}
	}
	bad := map[string]string{
		"192.168.1.87:9100":        "write it as",
		"tcp://:9100":              "IP address",
		"tcp://1.2.3.4:99999":      "port",
		"serial://COM3?baud=12":    "baud",
		"serial://COM3?flow=magic": "flow",
		"serial://COM3?speed=9600": "unknown setting",
		"usb://lp0":                "device file",
		"lpt://LPT1":               "unknown scheme",
		"virtual://":               "write it as",
		"serial://COM3?parity=x":   "parity",
		"windows://":               "write it as",
	}
	for uri, want := range bad {
		if _, err := ParseConnection(uri); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", uri, err, want)
		}
	}
}

func TestTwoWayLinks(t *testing.T) {
	for uri, want := range map[string]bool{
		"tcp://127.0.0.1:9100": true, "serial://COM3": true, "usb:///dev/usb/lp0": false,
		"file:///tmp/x": false, "virtual://" + t.Name(): true,
	} {
		tr, err := OpenTransport(uri, TransportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if tr.TwoWay() != want {
			t.Errorf("%s: TwoWay %v", uri, tr.TwoWay())
		}
	}
	_, err := OpenTransport("windows://XP-80C", TransportOptions{})
	if runtime.GOOS != "windows" && (err == nil || !strings.Contains(err.Error(), "only on Windows")) {
		t.Errorf("spooler off Windows: %v", err)
	}
}

func TestFileTransportAppendsJobs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.bin")
	d, err := NewDevice(config.PrinterConfig{Name: "file", Connection: "file://" + path}, TransportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"第一单", "第二单"} {
		job, _ := Render(Document{Blocks: []Block{Text(s, Style{}), Cut()}}, d.Profile)
		if err := d.Print(context.Background(), job); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	if got := Decode(LangESCPOS, b).Texts(); len(got) != 2 || got[0] != "第一单" || got[1] != "第二单" {
		t.Fatalf("file holds %q", got)
	}
	if st, err := d.Status(context.Background()); st != StateUnknown || err != nil {
		t.Fatalf("one-way status = %s, %v", st, err)
	}
}

func TestUSBDeviceMustExist(t *testing.T) {
	d, err := NewDevice(config.PrinterConfig{Name: "usb", Connection: "usb://" + filepath.Join(t.TempDir(), "lp0")}, TransportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Print(context.Background(), []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "plugged in") {
		t.Fatalf("missing device: %v", err)
	}
}

func TestVirtualPrinterKeepsPreviews(t *testing.T) {
	name := "v-" + t.Name()
	d, err := NewDevice(config.PrinterConfig{Name: "v", Connection: "virtual://" + name, Paper: "58mm"}, TransportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Confirms() {
		t.Fatal("a virtual printer confirms jobs like a TCP printer")
	}
	v := VirtualPrinterNamed(name, "")
	for i, s := range []string{"一", "二", "三"} {
		job, _ := Render(Document{Blocks: []Block{Text("第"+s+"单", Style{Align: AlignCenter}), Cut()}}, d.Profile)
		if err := d.Print(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		if v.Printed() != i+1 {
			t.Fatalf("printed %d", v.Printed())
		}
	}
	last := v.Last(2)
	if len(last) != 2 || last[0].Preview.Texts()[0] != "第二单" || last[1].Preview.Texts()[0] != "第三单" {
		t.Fatalf("last two = %+v", last)
	}
	if !strings.HasPrefix(last[1].Preview.Text(), strings.Repeat(" ", 13)+"第三单") {
		t.Fatalf("58 mm preview not centred on 32 columns:\n%s", last[1].Preview.Text())
	}
	v.SetState(StatePaperOut)
	job, _ := Render(Document{Blocks: []Block{Text("第四单", Style{})}}, d.Profile)
	if err := d.Print(context.Background(), job); err == nil {
		t.Fatal("paper out must fail")
	}
	if st, _ := d.Status(context.Background()); st != StatePaperOut {
		t.Fatalf("status %s", st)
	}
	v.SetState(StateOffline)
	if err := d.Print(context.Background(), job); err == nil || v.Printed() != 3 {
		t.Fatal("offline must fail and print nothing")
	}
}
