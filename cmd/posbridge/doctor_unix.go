//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/posbridge/posbridge/config"
)

func freeDiskBytes(dir string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// serviceAccountCannotWrite explains why the service account could not
// write dir although we can: root can write anywhere, the service cannot.
// It applies to the installed service's config (/etc/posbridge) and to any
// config that names service.account.
func serviceAccountCannotWrite(cfg *config.Config, dir string, info os.FileInfo) string {
	if os.Geteuid() != 0 {
		return ""
	}
	if cfg.Service.Account == "" && filepath.Clean(cfg.File) != filepath.Clean(config.DefaultConfigPath()) {
		return ""
	}
	account := linuxServiceAccount(cfg)
	u, err := user.Lookup(account)
	if err != nil {
		return "" // not installed as a service on this machine
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	mode := info.Mode().Perm()
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	switch {
	case int(st.Uid) == uid && mode&0o300 == 0o300:
		return ""
	case int(st.Gid) == gid && mode&0o030 == 0o030:
		return ""
	case mode&0o003 == 0o003:
		return ""
	}
	return fmt.Sprintf("%s (mode %v, owner uid %d) is not writable by the service user %s", dir, mode, st.Uid, account)
}

func isConnRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// openDevice opens a serial port or device file and closes it again.
// O_NONBLOCK: a serial port without carrier must not hang the check.
func openDevice(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	return f.Close()
}

func deviceBusy(err error) bool { return errors.Is(err, unix.EBUSY) }

// sameDisk reports whether two folders are on one file system.
func sameDisk(a, b string) bool {
	var sa, sb unix.Stat_t
	if unix.Stat(existingParent(a), &sa) != nil || unix.Stat(existingParent(b), &sb) != nil {
		return false
	}
	return sa.Dev == sb.Dev
}
