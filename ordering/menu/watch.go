package menu

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchOptions configures a Watcher.
type WatchOptions struct {
	// OnChange is called with each new menu after a successful reload.
	OnChange func(*Menu)
	// OnError is called when the file changed but cannot be used: the
	// previous menu stays. err is Problems for a broken edit. The console
	// turns it into an alert.
	OnError func(err error)
	// Poll is how often the file is also compared by size and time, for
	// file systems where change events do not arrive (network shares);
	// default 5s.
	Poll time.Duration
	// Settle waits for a burst of events (an editor's save is several) to
	// end before reading; default 200ms.
	Settle time.Duration
}

// Watcher holds the current menu of one file and reloads it when the file
// changes; a broken edit keeps the previous menu.
type Watcher struct {
	path    string
	opts    WatchOptions
	current atomic.Pointer[Menu]
	data    []byte // the bytes of the current menu, to skip no-op saves
	stat    fileStamp
	cancel  context.CancelFunc
	mute    chan struct{} // closed by tests: ignore change events
	done    chan struct{}
	mu      sync.Mutex // serialises reloads
}

type fileStamp struct {
	size int64
	mod  time.Time
}

// Watch loads path and watches it until ctx ends or Close. A file that does
// not load at the start is an error: there is no previous menu to keep.
func Watch(ctx context.Context, path string, opts WatchOptions) (*Watcher, error) {
	if opts.Poll <= 0 {
		opts.Poll = 5 * time.Second
	}
	if opts.Settle <= 0 {
		opts.Settle = 200 * time.Millisecond
	}
	w := &Watcher{path: path, opts: opts, done: make(chan struct{}), mute: make(chan struct{})}
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	m, err := Parse(data)
	if err != nil {
		return nil, err
	}
	w.current.Store(m)
	w.data = data
	w.stat = stampOf(path)

	fw, err := fsnotify.NewWatcher()
	if err != nil {
		fw = nil // polling alone still works
	} else if err := fw.Add(filepath.Dir(path)); err != nil {
		// Watch the folder, not the file: editors save by writing a new
		// file and renaming it over the old one.
		fw.Close()
		fw = nil
	}
	ctx, w.cancel = context.WithCancel(ctx)
	go w.loop(ctx, fw)
	return w, nil
}

// Menu is the current menu (never nil).
func (w *Watcher) Menu() *Menu { return w.current.Load() }

// Path is the watched file.
func (w *Watcher) Path() string { return w.path }

// Reload reads the file now (after an edit through Edit, so the new menu is
// served at once rather than after the change event).
func (w *Watcher) Reload() error { return w.reload(true) }

// Close stops watching and waits for the watcher to end.
func (w *Watcher) Close() {
	w.cancel()
	<-w.done
}

func (w *Watcher) loop(ctx context.Context, fw *fsnotify.Watcher) {
	defer close(w.done)
	var events <-chan fsnotify.Event
	var errs <-chan error
	if fw != nil {
		defer fw.Close()
		events, errs = fw.Events, fw.Errors
	}
	poll := time.NewTicker(w.opts.Poll)
	defer poll.Stop()
	var settle *time.Timer
	var settleC <-chan time.Time
	base := filepath.Base(w.path)
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if filepath.Base(ev.Name) != base || w.muted() {
				continue
			}
			if settle == nil {
				settle = time.NewTimer(w.opts.Settle)
			} else {
				settle.Reset(w.opts.Settle)
			}
			settleC = settle.C
		case <-errs:
			// An overflowed queue: the poll below catches up.
		case <-settleC:
			settleC = nil
			w.reload(false)
		case <-poll.C:
			if stampOf(w.path) != w.stamp() {
				w.reload(false)
			}
		}
	}
}

func (w *Watcher) stamp() fileStamp {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stat
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{size: -1}
	}
	return fileStamp{size: fi.Size(), mod: fi.ModTime()}
}

// reload reads and parses the file; a file that is missing for a moment
// (an editor between delete and write) is tried again by the next event or
// poll, and reported only when asked explicitly.
func (w *Watcher) reload(explicit bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := stampOf(w.path)
	data, err := readFile(w.path)
	if err != nil {
		if explicit || !errors.Is(err, os.ErrNotExist) {
			w.stat = st
			w.report(err)
		}
		return err
	}
	w.stat = st
	if bytes.Equal(data, w.data) {
		return nil
	}
	m, err := Parse(data)
	if err != nil {
		w.data = data // report a broken save once, not on every poll
		w.report(err)
		return err
	}
	w.data = data
	w.current.Store(m)
	if w.opts.OnChange != nil {
		w.opts.OnChange(m)
	}
	return nil
}

func (w *Watcher) report(err error) {
	if w.opts.OnError != nil {
		w.opts.OnError(err)
	}
}

// noEvents makes the watcher rely on polling alone (tests of the fallback).
func (w *Watcher) noEvents() { close(w.mute) }

func (w *Watcher) muted() bool {
	select {
	case <-w.mute:
		return true
	default:
		return false
	}
}
