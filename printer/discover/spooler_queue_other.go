//go:build !windows

package discover

import (
	"errors"
	"fmt"
)

// Queue asks the spooler about one printer; there is none but on Windows.
func Queue(name string) (SpoolerQueue, error) {
	return SpoolerQueue{}, fmt.Errorf("windows://%s: %w", name, errors.ErrUnsupported)
}
