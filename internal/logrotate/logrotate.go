// Package logrotate is a log file that rotates by size and keeps a bounded
// number of old files: posbridge.log, posbridge.1.log (newest) …
// posbridge.N.log (oldest). Old files keep their extension so that a double
// click opens them in Notepad on a store PC.
package logrotate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// File is an io.WriteCloser safe for concurrent use.
type File struct {
	path     string
	maxBytes int64
	keep     int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// Open appends to path (creating it and its folder), rotating once the file
// would grow past maxBytes and keeping at most keep rotated files.
func Open(path string, maxBytes int64, keep int) (*File, error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("log file %s: size limit must be positive, not %d", path, maxBytes)
	}
	if keep < 0 {
		keep = 0
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create log folder: %w", err)
	}
	l := &File{path: path, maxBytes: maxBytes, keep: keep}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *File) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("open log file: %w (check that this account may write to %s)", err, filepath.Dir(l.path))
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open log file: %w", err)
	}
	l.f, l.size = f, info.Size()
	return nil
}

// Write appends p, rotating first when p would push the file past the limit.
// A single record larger than the limit is still written whole.
func (l *File) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, os.ErrClosed
	}
	if l.size > 0 && l.size+int64(len(p)) > l.maxBytes {
		if err := l.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

// rotate closes the current file before renaming it: Windows cannot rename
// an open file.
func (l *File) rotate() error {
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("rotate log file: %w", err)
	}
	l.f = nil
	var errs []error
	if l.keep == 0 {
		errs = append(errs, removeIfExists(l.path))
	} else {
		errs = append(errs, removeIfExists(l.Rotated(l.keep)))
		for i := l.keep - 1; i >= 1; i-- {
			errs = append(errs, renameIfExists(l.Rotated(i), l.Rotated(i+1)))
		}
		errs = append(errs, renameIfExists(l.path, l.Rotated(1)))
	}
	// Reopen even after a failed rename so that logging goes on.
	if err := l.open(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("rotate log file: %w", err)
	}
	return nil
}

// Rotated is the name of the n-th rotated file (1 = newest).
func (l *File) Rotated(n int) string {
	ext := filepath.Ext(l.path)
	return strings.TrimSuffix(l.path, ext) + "." + strconv.Itoa(n) + ext
}

// Close closes the current file.
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

func removeIfExists(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func renameIfExists(from, to string) error {
	if err := os.Rename(from, to); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
