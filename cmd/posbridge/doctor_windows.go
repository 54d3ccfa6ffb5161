//go:build windows

package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"

	"github.com/posbridge/posbridge/config"
)

func freeDiskBytes(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var free, total, totalFree uint64
	if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree); err != nil {
		return 0, err
	}
	return free, nil
}

// serviceAccountCannotWrite: LocalSystem can write wherever an administrator
// can, so the writability test run by an administrator stands for it.
func serviceAccountCannotWrite(*config.Config, string, os.FileInfo) string { return "" }

func isConnRefused(err error) bool { return errors.Is(err, windows.WSAECONNREFUSED) }

// openDevice opens a COM port (through the \\.\ namespace, which COM10 and
// above need) or a device file, and closes it again.
func openDevice(path string) error {
	if len(path) > 3 && strings.EqualFold(path[:3], "COM") {
		path = `\\.\` + path
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return f.Close()
}

// deviceBusy: Windows opens a COM port for one program; a second gets
// "access denied".
func deviceBusy(err error) bool { return errors.Is(err, windows.ERROR_ACCESS_DENIED) }

// sameDisk reports whether two folders are on one drive (C:, D: …).
func sameDisk(a, b string) bool {
	va, vb := filepath.VolumeName(existingParent(a)), filepath.VolumeName(existingParent(b))
	return va != "" && strings.EqualFold(va, vb)
}
