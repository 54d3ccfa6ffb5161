package transport

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/internal/ptypair"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/preview"
	"github.com/posbridge/posbridge/printer/render"
)

// socatPair starts `socat` with two linked ptys: the host side for the
// transport, the printer side for the test to play the printer.
func socatPair(t *testing.T) (host, printerSide string) { return ptypair.Start(t, "host", "printer") }

// playPrinter answers queries on the printer side and records what came in.
type playedPrinter struct {
	mu   sync.Mutex
	got  []byte
	done chan struct{}
}

func playPrinter(t *testing.T, path string, st PrinterState) *playedPrinter {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &playedPrinter{done: make(chan struct{})}
	t.Cleanup(func() { f.Close(); <-p.done })
	go func() {
		defer close(p.done)
		var emu Emulator
		buf := make([]byte, 1024)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.got = append(p.got, buf[:n]...)
				p.mu.Unlock()
				if r := emu.Respond(buf[:n], st); len(r.Reply) > 0 {
					f.Write(r.Reply)
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

func (p *playedPrinter) bytes() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]byte(nil), p.got...)
}

func TestSerialTransportThroughSocat(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pty pair test runs on Linux")
	}
	host, side := socatPair(t)
	pp := playPrinter(t, side, StateOnline)
	d, err := NewDevice(config.PrinterConfig{Name: "serial", Connection: "serial://" + host + "?baud=19200&flow=rtscts"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Transport.TwoWay() {
		t.Fatal("serial must be two-way")
	}
	job, err := render.Render(document.Document{Blocks: []document.Block{document.Text("串口打印 取餐号 A023", document.Style{}), document.Cut()}}, d.Profile)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if st, err := d.Status(ctx); err != nil || st != StateOnline {
		t.Fatalf("status over serial: %s, %v", st, err)
	}
	if err := d.Print(ctx, job); err != nil {
		t.Fatal(err)
	}
	got := pp.bytes()
	if !bytes.Contains(got, job) || !bytes.HasSuffix(got, cmdFence) {
		t.Fatalf("printer side got % X", got)
	}
	if pv := preview.Decode(document.LangESCPOS, got); pv.Texts()[0] != "串口打印 取餐号 A023" {
		t.Fatalf("preview %q", pv.Texts())
	}
}
