//go:build !windows

package discover

// windowsPrinters: there is no Windows spooler here.
func windowsPrinters() ([]Device, error) { return nil, nil }
