package transport

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/preview"
	"github.com/posbridge/posbridge/printer/render"
)

func TestTwoWayLinks(t *testing.T) {
	for uri, want := range map[string]bool{
		"tcp://127.0.0.1:9100": true, "serial://COM3?baud=9600": true, "usb:///dev/usb/lp0": false,
		"file:///tmp/x": false, "virtual://" + t.Name(): true,
	} {
		tr, err := Open(uri, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tr.TwoWay() != want {
			t.Errorf("%s: TwoWay %v", uri, tr.TwoWay())
		}
	}
	_, err := Open("windows://XP-80C", Options{})
	if runtime.GOOS != "windows" && (err == nil || !strings.Contains(err.Error(), "only on Windows")) {
		t.Errorf("spooler off Windows: %v", err)
	}
}

func TestFileTransportAppendsJobs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.bin")
	d, err := NewDevice(config.PrinterConfig{Name: "file", Connection: "file://" + path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"第一单", "第二单"} {
		job, _ := render.Render(document.Document{Blocks: []document.Block{document.Text(s, document.Style{}), document.Cut()}}, d.Profile)
		if err := d.Print(context.Background(), job); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	if got := preview.Decode(document.LangESCPOS, b).Texts(); len(got) != 2 || got[0] != "第一单" || got[1] != "第二单" {
		t.Fatalf("file holds %q", got)
	}
	if st, err := d.Status(context.Background()); st != StateUnknown || err != nil {
		t.Fatalf("one-way status = %s, %v", st, err)
	}
}

func TestUSBDeviceMustExist(t *testing.T) {
	d, err := NewDevice(config.PrinterConfig{Name: "usb", Connection: "usb://" + filepath.Join(t.TempDir(), "lp0")}, Options{})
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
	d, err := NewDevice(config.PrinterConfig{Name: "v", Connection: "virtual://" + name, Paper: "58mm"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Confirms() {
		t.Fatal("a virtual printer confirms jobs like a TCP printer")
	}
	v := VirtualPrinterNamed(name, "")
	for i, s := range []string{"一", "二", "三"} {
		job, _ := render.Render(document.Document{Blocks: []document.Block{document.Text("第"+s+"单", document.Style{Align: document.AlignCenter}), document.Cut()}}, d.Profile)
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
	job, _ := render.Render(document.Document{Blocks: []document.Block{document.Text("第四单", document.Style{})}}, d.Profile)
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
