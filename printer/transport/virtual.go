package transport

import (
	"context"
	"sync"
	"time"

	"github.com/posbridge/posbridge/printer/preview"
)

// VirtualPrinter is a `virtual://name` printer: the sandbox prints to it and
// the console shows what it printed. It answers status queries and fences
// through the Emulator, so jobs go through the same two-way path as a real
// TCP printer, and its state can be set to show an outage.
type VirtualPrinter struct {
	name string

	mu    sync.Mutex
	lang  string
	cols  int
	state PrinterState
	jobs  []VirtualJob
	seq   int
}

// VirtualJob is one job a virtual printer printed.
type VirtualJob struct {
	Seq     int             `json:"seq"`
	At      time.Time       `json:"at"`
	Bytes   int             `json:"bytes"`
	Preview preview.Preview `json:"preview"`
	data    []byte
}

// Data is the raw bytes of the job.
func (j VirtualJob) Data() []byte { return j.data }

// virtualKeep is how many jobs a virtual printer remembers.
const virtualKeep = 200

var (
	virtualMu       sync.Mutex
	virtualPrinters = map[string]*VirtualPrinter{}
)

// VirtualPrinterNamed returns the virtual printer of that name, creating it
// (online) on first use. language decides how its jobs are previewed.
func VirtualPrinterNamed(name, language string) *VirtualPrinter {
	virtualMu.Lock()
	defer virtualMu.Unlock()
	v, ok := virtualPrinters[name]
	if !ok {
		v = &VirtualPrinter{name: name, state: StateOnline}
		virtualPrinters[name] = v
	}
	if language != "" {
		v.mu.Lock()
		v.lang = language
		v.mu.Unlock()
	}
	return v
}

func (v *VirtualPrinter) TwoWay() bool   { return true }
func (v *VirtualPrinter) String() string { return "virtual://" + v.name }

func (v *VirtualPrinter) setColumns(n int) {
	v.mu.Lock()
	v.cols = n
	v.mu.Unlock()
}

// SetState changes what the printer reports (sandbox "paper out" drills).
func (v *VirtualPrinter) SetState(st PrinterState) {
	v.mu.Lock()
	v.state = st
	v.mu.Unlock()
}

// State is the printer's current state.
func (v *VirtualPrinter) State() PrinterState {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.state
}

// Last returns up to n of the latest jobs, oldest first.
func (v *VirtualPrinter) Last(n int) []VirtualJob {
	v.mu.Lock()
	defer v.mu.Unlock()
	if n > len(v.jobs) || n <= 0 {
		n = len(v.jobs)
	}
	return append([]VirtualJob(nil), v.jobs[len(v.jobs)-n:]...)
}

// Printed is the number of jobs printed since the start.
func (v *VirtualPrinter) Printed() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.seq
}

// Open starts a session; a session that carried job bytes becomes a printed
// job when it closes while the printer can print (like paper out, a stopped
// printer's buffer is lost here).
func (v *VirtualPrinter) Open(ctx context.Context) (Link, error) {
	v.mu.Lock()
	st := v.state
	v.mu.Unlock()
	if st == StateOffline {
		return nil, &virtualOfflineError{name: v.name}
	}
	return &virtualLink{v: v, replies: make(chan byte, 4096)}, nil
}

type virtualOfflineError struct{ name string }

func (e *virtualOfflineError) Error() string {
	return "virtual printer " + e.name + " is offline (set by the sandbox)"
}

type virtualLink struct {
	v       *VirtualPrinter
	emu     Emulator
	data    []byte
	content int
	replies chan byte
	closed  bool
}

func (l *virtualLink) Write(ctx context.Context, p []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := l.v.State()
	r := l.emu.Respond(p, st)
	l.data = append(l.data, p...)
	l.content += r.Data
	for _, b := range r.Reply {
		select {
		case l.replies <- b:
		default: // a flood of queries: drop like a full UART
		}
	}
	return nil
}

func (l *virtualLink) Read(ctx context.Context, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	select {
	case b := <-l.replies:
		p[0] = b
		n := 1
		for n < len(p) {
			select {
			case b := <-l.replies:
				p[n] = b
				n++
			default:
				return n, nil
			}
		}
		return n, nil
	case <-ctx.Done():
		return 0, ErrNoReply
	}
}

func (l *virtualLink) Close() error {
	if l.closed {
		return nil
	}
	l.closed = true
	if l.content == 0 {
		return nil
	}
	v := l.v
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.state.CanPrint() {
		return nil
	}
	v.seq++
	pv := preview.Decode(v.lang, l.data)
	if v.cols > 0 {
		pv.Columns = v.cols
	}
	v.jobs = append(v.jobs, VirtualJob{Seq: v.seq, At: time.Now(), Bytes: len(l.data), Preview: pv, data: l.data})
	if len(v.jobs) > virtualKeep {
		v.jobs = append([]VirtualJob(nil), v.jobs[len(v.jobs)-virtualKeep:]...)
	}
	return nil
}
