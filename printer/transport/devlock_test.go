package transport

import (
	"bytes"
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/posbridge/posbridge/config"
)

// Two posbridge processes printing on one serial port (the daemon and
// `posbridge print test`) take turns by session: a status query, the job and
// its fence reach the printer together, and no other process's bytes (or
// its reading of the printer's replies) come in between.
func TestTwoWritersOnOneSerialPortTakeTurns(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pty pair test runs on Linux")
	}
	host, side := socatPair(t)
	pp := playPrinter(t, side, StateOnline)
	newDev := func() *Device {
		d, err := NewDevice(config.PrinterConfig{Name: "serial", Connection: "serial://" + host + "?baud=115200", StatusQuery: "off"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := newDev(), newDev() // one Device each, as two processes have
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	session, err := a.Transport.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := session.Write(ctx, []byte("A1")); err != nil {
		t.Fatal(err)
	}
	printed := make(chan error, 1)
	go func() { printed <- b.Print(ctx, []byte("BB")) }()
	time.Sleep(300 * time.Millisecond) // B tries meanwhile
	if err := session.Write(ctx, []byte("A2")); err != nil {
		t.Fatal(err)
	}
	session.Close()
	if err := <-printed; err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(pp.bytes()) < 6 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := string(pp.bytes()); got != "A1A2BB" {
		t.Fatalf("printer got %q, want A's session whole, then B's: A1A2BB", got)
	}
}

// A session waits for the port while another holds it and gives up with a
// sentence at its deadline.
func TestDeviceLockWaitsThenSaysWhoHoldsIt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pty pair test runs on Linux")
	}
	host, _ := socatPair(t)
	release, err := lockDevice(context.Background(), host)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := lockDevice(ctx, host); err == nil {
		t.Fatal("a second lock on a held port succeeded")
	} else if !bytes.Contains([]byte(err.Error()), []byte("in use by another posbridge")) {
		t.Fatalf("error %q does not say who holds the port", err)
	}
	got := make(chan error, 1)
	go func() {
		r, err := lockDevice(context.Background(), host)
		if err == nil {
			r()
		}
		got <- err
	}()
	time.Sleep(100 * time.Millisecond) // the waiter waits
	release()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter did not get the port once it was released")
	}
}
