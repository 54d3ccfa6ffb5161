package discover

import (
	"testing"

	"github.com/posbridge/posbridge/config"
)

// Every suggested URI is one a config file accepts, naming the same device.
func TestSuggestedConnectionsParseInTheConfigGrammar(t *testing.T) {
	cases := []struct {
		uri  string
		want config.Connection
	}{
		{tcpURI("192.168.1.87", 9100), config.Connection{Scheme: "tcp", Host: "192.168.1.87", Port: 9100}},
		{tcpURI("fe80::1", 9101), config.Connection{Scheme: "tcp", Host: "fe80::1", Port: 9101}},
		{serialURI("/dev/ttyUSB0", 19200), config.Connection{Scheme: "serial", Path: "/dev/ttyUSB0", Baud: 19200}},
		{serialURI("COM3", 9600), config.Connection{Scheme: "serial", Path: "COM3", Baud: 9600}},
		{usbURI("/dev/usb/lp0"), config.Connection{Scheme: "usb", Path: "/dev/usb/lp0"}},
		{windowsURI("XP-80C"), config.Connection{Scheme: "windows", Name: "XP-80C"}},
		{windowsURI("佳博 GP-L80160 厨房"), config.Connection{Scheme: "windows", Name: "佳博 GP-L80160 厨房"}},
		{windowsURI("50% off / bar/"), config.Connection{Scheme: "windows", Name: "50% off / bar/"}},
		{windowsURI(`\\FRONT-PC\XP-58`), config.Connection{Scheme: "windows", Name: `\\FRONT-PC\XP-58`}},
	}
	for _, c := range cases {
		got, err := config.ParseConnection(c.uri)
		if err != nil {
			t.Errorf("%s: %v", c.uri, err)
			continue
		}
		if got.Scheme != c.want.Scheme || got.Host != c.want.Host || got.Port != c.want.Port || got.Path != c.want.Path ||
			got.Name != c.want.Name || got.Baud != c.want.Baud {
			t.Errorf("%s parses as %+v, want %+v", c.uri, got, c.want)
		}
	}
	if windowsURI("XP-80C") != "windows://XP-80C" || windowsURI("佳博 厨房") != "windows://佳博 厨房" {
		t.Error("plain names must stay readable in the URI")
	}
}

func TestNormaliseUSBIDs(t *testing.T) {
	for in, want := range map[string]string{"0483": "0483", "0x0483": "0483", "483": "0483", "1A86": "1a86", " 7523\n": "7523", "": "", "12345": "", "zz": ""} {
		if got := normaliseID(in); got != want {
			t.Errorf("normaliseID(%q) = %q, want %q", in, got, want)
		}
	}
}
