//go:build !windows

package transport

import "fmt"

func newSpoolerTransport(name string, _ Options) (Transport, error) {
	return nil, fmt.Errorf("printer connection windows://%s works only on Windows: on this system use tcp://, serial:// or usb:///dev/usb/lp0", name)
}
