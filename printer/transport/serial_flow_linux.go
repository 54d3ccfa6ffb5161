package transport

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// setSerialFlow sets hardware or software flow control, which go.bug.st/serial
// does not expose: terminal settings belong to the device, so a second file
// descriptor on the same tty changes them for the open port too.
func setSerialFlow(name, flow string) error {
	if flow == "" || flow == "none" {
		return nil
	}
	f, err := os.OpenFile(name, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("set flow control: %w", err)
	}
	defer f.Close()
	fd := int(f.Fd())
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("read terminal settings to set flow=%s: %w", flow, err)
	}
	switch flow {
	case "rtscts":
		tio.Cflag |= unix.CRTSCTS
		tio.Iflag &^= unix.IXON | unix.IXOFF
	case "xonxoff":
		tio.Cflag &^= unix.CRTSCTS
		tio.Iflag |= unix.IXON | unix.IXOFF
		tio.Cc[unix.VSTART], tio.Cc[unix.VSTOP] = 0x11, 0x13
	}
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, tio); err != nil {
		return fmt.Errorf("set flow=%s: %w", flow, err)
	}
	return nil
}
