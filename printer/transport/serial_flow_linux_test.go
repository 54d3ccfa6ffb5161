package transport

import (
	"context"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSerialFlowControlIsSet(t *testing.T) {
	host, _ := socatPair(t)
	for _, flow := range []string{"rtscts", "xonxoff", "none"} {
		tr, err := Open("serial://"+host+"?baud=9600&flow="+flow, Options{})
		if err != nil {
			t.Fatal(err)
		}
		l, err := tr.Open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got, err := serialFlow(host)
		l.Close()
		if err != nil || got != flow {
			t.Errorf("flow=%s: tty reports %s, %v", flow, got, err)
		}
	}
}

// serialFlow reports the flow control now set on a tty (tests).
func serialFlow(name string) (string, error) {
	f, err := os.OpenFile(name, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return "", err
	}
	switch {
	case tio.Cflag&unix.CRTSCTS != 0:
		return "rtscts", nil
	case tio.Iflag&unix.IXON != 0:
		return "xonxoff", nil
	}
	return "none", nil
}
