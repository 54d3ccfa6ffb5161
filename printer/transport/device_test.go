package transport_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/fakeprinter"
	"github.com/posbridge/posbridge/printer/preview"
	"github.com/posbridge/posbridge/printer/render"
	"github.com/posbridge/posbridge/printer/transport"
)

func startFake(t *testing.T) *fakeprinter.Printer {
	t.Helper()
	fp, err := fakeprinter.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fp.Close)
	return fp
}

func device(t *testing.T, pc config.PrinterConfig) *transport.Device {
	t.Helper()
	if pc.Name == "" {
		pc.Name = "front"
	}
	d, err := transport.NewDevice(pc, transport.Options{ConnectTimeout: time.Second, WriteTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func receiptBytes(t *testing.T, d *transport.Device) []byte {
	t.Helper()
	o := &order.Order{Code: "202405011230001234", PickupNo: "A023", Type: order.TypePickup, ActualPay: 1250,
		Items: []order.Item{{Name: "珍珠奶茶", Price: 1250, Quantity: 1}}}
	b, err := render.Render(document.Receipt(o, document.Options{ShowPrices: true}), d.Profile)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPrintOverTCPIsFenced(t *testing.T) {
	fp := startFake(t)
	d := device(t, config.PrinterConfig{Connection: fp.URI()})
	job := receiptBytes(t, d)
	if err := d.Print(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	jobs := fp.Jobs()
	if len(jobs) != 1 {
		t.Fatalf("%d jobs, want 1", len(jobs))
	}
	got := jobs[0]
	// status check first, then the job, then the GS r 1 fence
	if !bytes.HasPrefix(got, []byte{0x10, 0x04, 0x01}) || !bytes.HasSuffix(got, []byte{0x1D, 0x72, 0x01}) || !bytes.Contains(got, job) {
		t.Fatalf("printer received % X", got)
	}
	pv := preview.Decode("escpos", got)
	if !strings.Contains(pv.Text(), "珍珠奶茶") || !strings.Contains(pv.Text(), "A023") {
		t.Fatalf("preview of what the printer got:\n%s", pv.Text())
	}
}

func TestStatusReplies(t *testing.T) {
	fp := startFake(t)
	for _, lang := range []string{"escpos", "tspl"} {
		if lang == "escpos" {
			fp.SetNoise([]byte{0x14, 0x00, 0x00, 0x0F}) // an ASB block: must be skipped
		} else {
			fp.SetNoise(nil) // TSPL replies have no pattern to tell noise apart
		}
		pc := config.PrinterConfig{Connection: fp.URI(), Language: lang}
		if lang == "tspl" {
			pc.Role = "label"
		}
		d := device(t, pc)
		for _, st := range []transport.PrinterState{transport.StateOnline, transport.StatePaperNearEnd, transport.StatePaperOut, transport.StateCoverOpen, transport.StateOffline} {
			fp.SetState(st)
			got, err := d.Status(context.Background())
			want := st
			if lang == "tspl" && st == transport.StatePaperNearEnd {
				want = transport.StateOnline // TSPL has no near-end bit
			}
			if err != nil || got != want {
				t.Errorf("%s %s: got %s, %v", lang, st, got, err)
			}
		}
	}
}

func TestPaperOutSendsNothing(t *testing.T) {
	fp := startFake(t)
	fp.SetState(transport.StatePaperOut)
	d := device(t, config.PrinterConfig{Connection: fp.URI()})
	err := d.Print(context.Background(), receiptBytes(t, d))
	var pe *transport.PrintError
	if !errors.As(err, &pe) || pe.Sent || pe.State != transport.StatePaperOut || !errors.Is(err, transport.ErrCannotPrint) {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "缺纸") {
		t.Errorf("message %q does not say 缺纸", err)
	}
	if len(fp.Jobs()) != 0 {
		t.Fatal("job bytes reached a printer out of paper")
	}
}

func TestDisconnectMidJobMayHavePrinted(t *testing.T) {
	fp := startFake(t)
	fp.DropAfter(200)
	d := device(t, config.PrinterConfig{Connection: fp.URI()})
	job := bytes.Repeat(receiptBytes(t, d), 20)
	err := d.Print(context.Background(), job)
	var pe *transport.PrintError
	if !errors.As(err, &pe) || !pe.Sent {
		t.Fatalf("a dropped job must report Sent (it may have printed): %v", err)
	}
	if c := fp.Conns(); len(c) == 0 || !c[len(c)-1].Dropped() {
		t.Fatal("the fake did not drop the connection")
	}
}

func TestUnconfirmedJobIsNotPrinted(t *testing.T) {
	fp := startFake(t)
	fp.HoldFences(true)
	d := device(t, config.PrinterConfig{Connection: fp.URI()})
	d.FenceTimeout = 300 * time.Millisecond
	err := d.Print(context.Background(), receiptBytes(t, d))
	var pe *transport.PrintError
	if !errors.As(err, &pe) || pe.Stage != "fence" || !pe.Sent || !errors.Is(err, transport.ErrNoReply) {
		t.Fatalf("err = %v", err)
	}
}

func TestStalledPrinterTimesOut(t *testing.T) {
	fp := startFake(t)
	fp.Stall(true)
	d := device(t, config.PrinterConfig{Connection: fp.URI()})
	start := time.Now()
	st, err := d.Status(context.Background())
	if st != transport.StateUnknown || !errors.Is(err, transport.ErrNoReply) {
		t.Fatalf("stalled status = %s, %v", st, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err = d.Print(ctx, receiptBytes(t, d))
	var pe *transport.PrintError
	if !errors.As(err, &pe) || pe.Sent {
		t.Fatalf("a stalled printer must fail before the job is sent: %v", err)
	}
	if time.Since(start) > 6*time.Second {
		t.Fatalf("took %s", time.Since(start))
	}
}

func TestPrinterDownIsConnectError(t *testing.T) {
	fp := startFake(t)
	fp.Down()
	d := device(t, config.PrinterConfig{Connection: fp.URI()})
	err := d.Print(context.Background(), receiptBytes(t, d))
	var pe *transport.PrintError
	if !errors.As(err, &pe) || pe.Stage != "connect" || pe.Sent {
		t.Fatalf("err = %v", err)
	}
	if err := fp.Up(); err != nil {
		t.Fatal(err)
	}
	if err := d.Print(context.Background(), receiptBytes(t, d)); err != nil {
		t.Fatalf("after the printer is back: %v", err)
	}
}

func TestSilentPrinterWithStatusOff(t *testing.T) {
	fp := startFake(t)
	fp.SetSilent(true)
	d := device(t, config.PrinterConfig{Connection: fp.URI(), StatusQuery: "off"})
	if err := d.Print(context.Background(), receiptBytes(t, d)); err != nil {
		t.Fatal(err)
	}
	if !fp.WaitJobs(1, 2*time.Second) {
		t.Fatal("no job arrived")
	}
	if got := fp.Jobs(); len(got) != 1 || bytes.Contains(got[0], []byte{0x1D, 0x72, 0x01}) {
		t.Fatalf("status_query off must send the job without queries: %d jobs", len(got))
	}
}

func TestHeldFenceAnsweredWhenPaperIsBack(t *testing.T) {
	fp := startFake(t)
	d := device(t, config.PrinterConfig{Connection: fp.URI()})
	d.FenceTimeout = 5 * time.Second
	fp.HoldFences(true)
	done := make(chan error, 1)
	go func() { done <- d.Print(context.Background(), receiptBytes(t, d)) }()
	time.Sleep(200 * time.Millisecond)
	fp.HoldFences(false)
	if err := <-done; err != nil {
		t.Fatalf("fence released late must still confirm: %v", err)
	}
}
