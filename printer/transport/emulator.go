package transport

// Emulator answers status queries the way a printer in a given state does.
// The fake TCP printer of the tests and the virtual printers of the sandbox
// share it, so both behave like the printers the spec describes.
type Emulator struct {
	carry []byte // the start of a query split across two writes
}

// EmulatorReply is what one chunk of written bytes provokes.
type EmulatorReply struct {
	Reply []byte // bytes the printer sends back now
	Held  int    // GS r fences not answered because the printer is stopped
	Data  int    // bytes that were not status queries (job content)
}

// Respond scans bytes written to the printer for DLE EOT n, GS r n and
// <ESC>!? and returns the replies of a printer in state st. Like a real
// printer it also answers such byte runs inside image data.
func (e *Emulator) Respond(p []byte, st PrinterState) EmulatorReply {
	var r EmulatorReply
	buf := p
	if len(e.carry) > 0 {
		buf = append(e.carry, p...)
		e.carry = nil
	}
	i := 0
	for i < len(buf) {
		c := buf[i]
		if c != 0x10 && c != 0x1D && c != 0x1B {
			r.Data++
			i++
			continue
		}
		if i+3 > len(buf) {
			e.carry = append([]byte(nil), buf[i:]...)
			break
		}
		switch {
		case c == 0x10 && buf[i+1] == 0x04:
			r.Reply = append(r.Reply, DLEEOTReplyFor(buf[i+2], st))
		case c == 0x1D && buf[i+1] == 0x72:
			if st.CanPrint() {
				r.Reply = append(r.Reply, FenceReplyFor(st))
			} else {
				r.Held++
			}
		case c == 0x1B && buf[i+1] == 0x21 && buf[i+2] == 0x3F:
			r.Reply = append(r.Reply, TSPLStatusFor(st))
		default:
			r.Data++
			i++
			continue
		}
		i += 3
	}
	return r
}

// DLEEOTReplyFor is the reply to DLE EOT n of a printer in state st.
func DLEEOTReplyFor(n byte, st PrinterState) byte {
	switch n {
	case 1:
		if !st.CanPrint() {
			return 0x1A // offline
		}
	case 2:
		switch st {
		case StateCoverOpen:
			return 0x16
		case StatePaperOut:
			return 0x32
		}
	case 4:
		switch st {
		case StatePaperNearEnd:
			return 0x1E
		case StatePaperOut:
			return 0x72
		}
	}
	return 0x12
}

// FenceReplyFor is the GS r 1 reply (paper sensor) of a printing printer.
func FenceReplyFor(st PrinterState) byte {
	if st == StatePaperNearEnd {
		return 0x03
	}
	return 0x00
}

// TSPLStatusFor is the <ESC>!? reply of a label printer in state st.
func TSPLStatusFor(st PrinterState) byte {
	switch st {
	case StateCoverOpen:
		return 0x01
	case StatePaperOut:
		return 0x04
	case StateOffline:
		return 0x10
	}
	return 0x00
}
