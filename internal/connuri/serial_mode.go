package connuri

import "go.bug.st/serial"

// SerialMode is the line setting of a serial:// connection as go.bug.st/serial
// opens it. Flow control is not part of it: that library cannot set it, the
// printer transport sets it through the terminal settings.
func (c Connection) SerialMode() *serial.Mode {
	m := &serial.Mode{BaudRate: c.Baud, DataBits: c.DataBits, StopBits: serial.OneStopBit}
	switch c.StopBits {
	case "1.5":
		m.StopBits = serial.OnePointFiveStopBits
	case "2":
		m.StopBits = serial.TwoStopBits
	}
	switch c.Parity {
	case "odd":
		m.Parity = serial.OddParity
	case "even":
		m.Parity = serial.EvenParity
	case "mark":
		m.Parity = serial.MarkParity
	case "space":
		m.Parity = serial.SpaceParity
	}
	return m
}
