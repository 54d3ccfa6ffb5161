// Package loadtest drives a posbridge daemon with the fake 开个店 and fake
// TCP printers: named scenarios (steady, rush, mixed), the measurements the
// load tool reports (push-ack and order-to-print latency, throughput, peak
// RSS, database size) and the checker every drill ends with. The daemon runs
// as a child process of the real binary (so its RSS is its own), in-process
// (drills that reach into it), or is one the user started on the prepared
// configuration (attach).
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/posbridge/posbridge/internal/harness"
	"github.com/posbridge/posbridge/store"
)

// Mode is how the rig runs the daemon.
type Mode string

const (
	ModeChild     Mode = "child"     // the real binary as a child process (default)
	ModeInProcess Mode = "inprocess" // app.Run in this process (drills that inject faults inside)
	ModeAttach    Mode = "attach"    // a daemon the user starts on the prepared config
)

// RigOptions shape the environment and how the daemon runs.
type RigOptions struct {
	Dir     string // working directory: config, keys, data, daemon log
	Mode    Mode
	Bin     string // posbridge binary (ModeChild)
	Harness harness.Options
	// AttachWait is how long ModeAttach waits for the user's daemon.
	AttachWait time.Duration
	// Announce receives the command to run in ModeAttach.
	Announce io.Writer
}

// Rig is a prepared environment with a daemon running on it.
type Rig struct {
	Env  *harness.Env
	opts RigOptions

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	exitErr error
	peakRSS int64 // bytes: the highest VmHWM of every daemon process so far
	logFile *os.File
}

// NewRig prepares the configuration, keys, fake platform and fake printers in
// opts.Dir and starts the daemon.
func NewRig(ctx context.Context, opts RigOptions) (*Rig, error) {
	if opts.Mode == "" {
		opts.Mode = ModeChild
	}
	if opts.Mode == ModeChild && opts.Bin == "" {
		return nil, errors.New("loadtest: ModeChild needs the posbridge binary (RigOptions.Bin)")
	}
	if opts.Mode == ModeInProcess && opts.Harness.Log == nil && os.Getenv("POSBRIDGE_TEST_LOG") != "1" {
		f, err := os.Create(filepath.Join(opts.Dir, "daemon.log"))
		if err != nil {
			return nil, err
		}
		opts.Harness.Log = f
	}
	env, err := harness.Prepare(opts.Dir, opts.Harness)
	if err != nil {
		return nil, fmt.Errorf("prepare the environment: %w", err)
	}
	r := &Rig{Env: env, opts: opts}
	if err := r.Start(ctx); err != nil {
		env.Close()
		return nil, err
	}
	return r, nil
}

// DBPath is the daemon's database file.
func (r *Rig) DBPath() string { return filepath.Join(r.Env.Config.DataDir, "posbridge.db") }

// LogPath is where the daemon's log goes (child and in-process modes).
func (r *Rig) LogPath() string { return filepath.Join(r.opts.Dir, "daemon.log") }

// Mode is how the daemon runs.
func (r *Rig) Mode() Mode { return r.opts.Mode }

// Start starts the daemon (again, after Kill or Stop) and waits until its
// console answers.
func (r *Rig) Start(ctx context.Context) error {
	switch r.opts.Mode {
	case ModeInProcess:
		if err := r.Env.Run(ctx, r.opts.Harness); err != nil {
			return err
		}
	case ModeChild:
		if err := r.startChild(); err != nil {
			return err
		}
	case ModeAttach:
		if r.opts.Announce != nil {
			fmt.Fprintf(r.opts.Announce, "start the daemon to measure on the prepared config:\n  posbridge run --config %s\nwaiting %s for it…\n",
				r.Env.ConfigFile, r.opts.AttachWait)
		}
	default:
		return fmt.Errorf("loadtest: unknown mode %q (child, inprocess or attach)", r.opts.Mode)
	}
	wait := 30 * time.Second
	if r.opts.Mode == ModeAttach && r.opts.AttachWait > 0 {
		wait = r.opts.AttachWait
	}
	return r.waitHealthy(ctx, wait)
}

func (r *Rig) startChild() error {
	if r.logFile == nil {
		f, err := os.OpenFile(r.LogPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		r.logFile = f
	}
	cmd := exec.Command(r.opts.Bin, "run", "--config", r.Env.ConfigFile)
	cmd.Dir = r.opts.Dir
	cmd.Stdout, cmd.Stderr = r.logFile, r.logFile
	// Its own process group: a kill of the load tool's group does not race ours.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", r.opts.Bin, err)
	}
	exited := make(chan struct{})
	r.mu.Lock()
	r.cmd, r.exited, r.exitErr = cmd, exited, nil
	r.mu.Unlock()
	go func() {
		err := cmd.Wait()
		r.mu.Lock()
		r.exitErr = err
		r.mu.Unlock()
		close(exited)
	}()
	return nil
}

// waitHealthy polls the console's health endpoint.
func (r *Rig) waitHealthy(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for {
		if ch := r.exitedChan(); ch != nil {
			select {
			case <-ch:
				return fmt.Errorf("the daemon exited at start (%v); see %s", r.ExitErr(), r.LogPath())
			default:
			}
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.Env.ConsoleURL+"/api/health", nil)
		if tok := r.Env.Config.Console.APIToken; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok) // a console that trusts no loopback client
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the daemon's console %s did not answer within %s; see %s", r.Env.ConsoleURL, timeout, r.LogPath())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (r *Rig) exitedChan() chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cmd == nil {
		return nil
	}
	return r.exited
}

// ExitErr is how the last child process ended (nil while it runs).
func (r *Rig) ExitErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.exitErr
}

// PID is the daemon's process: the child, this process, or (attach) the one
// holding the data-directory lock. 0 when unknown.
func (r *Rig) PID() int {
	switch r.opts.Mode {
	case ModeChild:
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.cmd == nil || r.cmd.Process == nil {
			return 0
		}
		return r.cmd.Process.Pid
	case ModeInProcess:
		return os.Getpid()
	}
	b, err := os.ReadFile(filepath.Join(r.Env.Config.DataDir, "posbridge.lock"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// SampleRSS reads the daemon's peak resident set (VmHWM) and keeps the
// highest seen across restarts. It returns the peak so far in bytes.
func (r *Rig) SampleRSS() int64 {
	if pid := r.PID(); pid > 0 {
		if hwm, err := ProcStatusBytes(pid, "VmHWM"); err == nil {
			r.mu.Lock()
			r.peakRSS = max(r.peakRSS, hwm)
			r.mu.Unlock()
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.peakRSS
}

// Kill ends the child daemon with SIGKILL, as a power cut or the task
// manager would, and waits until it is gone.
func (r *Rig) Kill() error {
	if r.opts.Mode != ModeChild {
		return fmt.Errorf("loadtest: kill -9 needs the daemon as a child process (mode %s)", r.opts.Mode)
	}
	r.SampleRSS()
	r.mu.Lock()
	cmd, exited := r.cmd, r.exited
	r.mu.Unlock()
	if cmd == nil {
		return errors.New("loadtest: no daemon to kill")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-exited
	r.mu.Lock()
	r.cmd = nil
	r.mu.Unlock()
	return nil
}

// Stop stops the daemon gracefully (SIGTERM, or cancelling the in-process one).
func (r *Rig) Stop() error {
	r.SampleRSS()
	switch r.opts.Mode {
	case ModeInProcess:
		return r.Env.StopDaemon()
	case ModeChild:
		r.mu.Lock()
		cmd, exited := r.cmd, r.exited
		r.mu.Unlock()
		if cmd == nil {
			return nil
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			return errors.New("the daemon did not stop within 20s of SIGTERM; killed")
		}
		r.mu.Lock()
		r.cmd = nil
		err := r.exitErr
		r.mu.Unlock()
		return err
	}
	return nil
}

// Close stops the daemon and the fakes.
func (r *Rig) Close() error {
	err := r.Stop()
	r.Env.Close()
	if r.logFile != nil {
		r.logFile.Close()
	}
	if c, ok := r.opts.Harness.Log.(io.Closer); ok && r.opts.Mode == ModeInProcess {
		c.Close()
	}
	return err
}

// DBSize is the size of the database with its WAL, in bytes.
func (r *Rig) DBSize() int64 {
	var total int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(r.DBPath() + suffix); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// DB gives the daemon's database: the in-process daemon's own handle while
// it runs, else the file opened read-only (a child daemon may be running).
// Call release when done.
func (r *Rig) DB(ctx context.Context) (db *store.DB, release func(), err error) {
	if r.opts.Mode == ModeInProcess && r.Env.DaemonRunning() {
		return r.Env.Daemon.DB, func() {}, nil
	}
	db, err = store.Open(ctx, r.DBPath(), store.Options{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	return db, func() { db.Close() }, nil
}

// ProcStatusBytes reads a kB field of /proc/PID/status (VmHWM, VmRSS) in bytes.
func ProcStatusBytes(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%d/status %s: %w", pid, field, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}
