// Package dirlock keeps two posbridge daemons off one data directory: the
// first holds an OS lock on a file in the directory (flock on Unix,
// LockFileEx on Windows) that the OS releases when the process dies, so a
// crash never leaves a stale lock behind.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// FileName is the lock file created in the locked directory.
const FileName = "posbridge.lock"

// ErrHeld is matched (errors.Is) by the error Acquire returns when another
// process holds the lock.
var ErrHeld = errors.New("data directory is in use by another posbridge")

// HeldError says which directory is taken and, when the holder wrote it, by
// which process.
type HeldError struct {
	Dir string
	PID int // 0 when unknown
}

func (e *HeldError) Error() string {
	who := "another posbridge"
	if e.PID > 0 {
		who = fmt.Sprintf("another posbridge (process %d)", e.PID)
	}
	return fmt.Sprintf("%s is already running with data directory %s: stop it first (posbridge service stop, or close the other window), or give this one its own data_dir", who, e.Dir)
}

func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// Lock is a held directory lock.
type Lock struct {
	f *os.File
}

// Acquire takes the lock on dir, creating dir and the lock file if needed.
// It never waits: when another process holds the lock it returns a *HeldError.
func Acquire(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w (check that this account may write to the data directory)", path, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if held {
		pid := readPID(f)
		f.Close()
		abs, absErr := filepath.Abs(dir)
		if absErr != nil {
			abs = dir
		}
		return nil, &HeldError{Dir: abs, PID: pid}
	}
	// The PID is only for the message a second daemon prints.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Probe reports whether a process holds the lock on dir, and which one,
// without creating anything: doctor runs as root or an administrator, and a
// lock file it created would be one the service account cannot open.
func Probe(dir string) (held bool, pid int, err error) {
	f, err := os.Open(filepath.Join(dir, FileName))
	if errors.Is(err, os.ErrNotExist) {
		return false, 0, nil // no daemon has ever run here
	}
	if err != nil {
		return false, 0, err
	}
	defer f.Close()
	held, err = tryLock(f)
	if err != nil || held {
		return held, readPID(f), err
	}
	return false, 0, unlock(f)
}

// Release gives the lock up. The file stays: deleting it would let a third
// process lock a new file while a second one still waits on the old.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := errors.Join(unlock(l.f), l.f.Close())
	l.f = nil
	return err
}

func readPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		return 0
	}
	return pid
}
