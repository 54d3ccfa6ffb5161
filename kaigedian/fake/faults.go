package fake

import "time"

// FaultKind is a failure the platform can be told to produce.
type FaultKind int

const (
	FaultNone      FaultKind = iota
	FaultHTTP500             // HTTP 500 with a plain-text body
	FaultCode500             // HTTP 200, statusCode "500" 内部服务异常
	FaultHang                // no reply until the client gives up
	FaultSlow                // reply normally after Delay
	FaultBadSign             // refuse the request as if its sign were wrong
	FaultMalformed           // HTTP 200 with a truncated, unreadable body
)

func (k FaultKind) String() string {
	return [...]string{"none", "http500", "code500", "hang", "slow", "badsign", "malformed"}[k]
}

// Fault is an injected failure of an endpoint.
type Fault struct {
	Kind  FaultKind
	Delay time.Duration // FaultSlow
	// Times limits the fault to the next n requests (0 = until cleared).
	Times int
	// AfterApply applies the request first and then loses the reply (the
	// HTTP500/Code500/Hang/Malformed reply replaces it): the case an outbox
	// must survive by retrying with the same transaction id.
	AfterApply bool

	used int // guarded by Platform.mu
}

// SetFault injects f on path ("*" = every path; "batchQuery",
// "/order/batchQuery" both work). A Kind of FaultNone clears it.
func (p *Platform) SetFault(path string, f Fault) {
	path = normalizePath(path)
	p.mu.Lock()
	defer p.mu.Unlock()
	if f.Kind == FaultNone {
		delete(p.faults, path)
		return
	}
	nf := &Fault{Kind: f.Kind, Delay: f.Delay, Times: f.Times, AfterApply: f.AfterApply}
	p.faults[path] = nf
}

// ClearFaults removes every injected fault.
func (p *Platform) ClearFaults() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.faults)
}

// takeFault returns the fault for path, consuming one use. Caller holds p.mu.
func (p *Platform) takeFault(path string) *Fault {
	for _, key := range []string{path, "*"} {
		f, ok := p.faults[key]
		if !ok {
			continue
		}
		f.used++
		if f.Times > 0 && f.used > f.Times {
			delete(p.faults, key)
			continue
		}
		return f
	}
	return nil
}
