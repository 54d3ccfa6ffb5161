//go:build !linux

package transport

import "fmt"

// setSerialFlow: go.bug.st/serial cannot set flow control here; only the
// Linux build sets it through the terminal settings.
func setSerialFlow(name, flow string) error {
	if flow == "" || flow == "none" {
		return nil
	}
	return fmt.Errorf("flow=%s is not supported on this system: set the printer's DIP switches to no flow control (flow=none) and a baud rate it keeps up with", flow)
}
