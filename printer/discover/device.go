package discover

import (
	"net"
	"strconv"
	"strings"
)

// Kind is how a device is reached; it is the scheme of its connection URI.
type Kind string

const (
	KindTCP     Kind = "tcp"
	KindSerial  Kind = "serial"
	KindUSB     Kind = "usb" // a USB printer-class device file
	KindWindows Kind = "windows"
)

// Device is one printer, or one port a printer may be on.
type Device struct {
	Kind Kind `json:"kind"`
	// Connection is the suggested connection URI for the printer's config.
	Connection string `json:"connection"`
	// Path is the device file, COM port, host:port or spooler name.
	Path string `json:"path"`
	// Model and Manufacturer are the best names found: the IEEE 1284 MDL and
	// MFG, else the USB product and manufacturer strings, else the Windows
	// driver name.
	Model        string       `json:"model,omitempty"`
	Manufacturer string       `json:"manufacturer,omitempty"`
	USB          *USBInfo     `json:"usb,omitempty"`
	DeviceID     *DeviceID    `json:"device_id,omitempty"` // IEEE 1284, USB printers
	Windows      *WindowsInfo `json:"windows,omitempty"`
	Status       Status       `json:"status"`
	// Language is "escpos" when the device answered DLE EOT, or what its
	// IEEE 1284 command set names ("escpos", "tspl"); "" when unknown.
	Language string `json:"language,omitempty"`
	// Problem says why the device could not be opened or asked; nil when
	// nothing went wrong.
	Problem *Problem `json:"problem,omitempty"`
}

// USBInfo is what the USB descriptors say. Ids are four lowercase hex digits.
type USBInfo struct {
	VendorID     string `json:"vendor_id"`
	ProductID    string `json:"product_id"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Product      string `json:"product,omitempty"`
	Serial       string `json:"serial,omitempty"`
}

// StatusQuery is the status_query setting the device suggests: "on" when it
// answered status, "off" when it was asked and stayed silent or cannot be
// asked (the spooler), "" when it was not asked.
func (d Device) StatusQuery() string {
	switch d.Status.Reply {
	case Answered:
		return "on"
	case Silent, OneWay:
		return "off"
	}
	return ""
}

// normaliseID writes a USB id as four lowercase hex digits ("0x0483", "483"
// and "0483" are the same vendor); "" when it is not a 16-bit hex number.
func normaliseID(s string) string {
	s = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "0x")
	n, err := strconv.ParseUint(s, 16, 16)
	if err != nil {
		return ""
	}
	const hex = "0123456789abcdef"
	return string([]byte{hex[n>>12], hex[n>>8&15], hex[n>>4&15], hex[n&15]})
}

// The suggested URIs, in the grammar of config's connection parser.

func tcpURI(host string, port int) string {
	return "tcp://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// serialURI writes serial:///dev/ttyUSB0?baud=9600 or serial://COM3?baud=9600.
func serialURI(path string, baud int) string {
	return "serial://" + path + "?baud=" + strconv.Itoa(baud)
}

func usbURI(path string) string { return "usb://" + path }

// windowsURI keeps the name as Windows shows it (spaces, hanzi) and escapes
// only what the connection parsers would change: "%" and "/" (they unescape
// the name and trim a slash at its start or end).
func windowsURI(name string) string {
	return "windows://" + strings.NewReplacer("%", "%25", "/", "%2F").Replace(name)
}
