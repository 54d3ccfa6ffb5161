package fake

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
)

// Call is one request the platform received.
type Call struct {
	Path          string // e.g. /order/statusOperation
	TransactionID string
	// Body is the decoded requestBody (nil when it was unreadable); RawBody
	// is the requestBody text as sent.
	Body         map[string]any
	RawBody      string
	AccessToken  bool // the access_token header matched (or none is configured)
	SignVerified bool
	HTTPStatus   int
	Code         string // result code answered; "" when a fault cut the reply
	Message      string
	Replayed     bool // a repeated x-transaction-id answered from memory
	Fault        FaultKind
	At           time.Time
}

func (p *Platform) record(c Call) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recordLocked(c)
}

func (p *Platform) recordLocked(c Call) {
	if len(p.calls) < p.opts.MaxCalls {
		p.calls = append(p.calls, c)
		return
	}
	p.calls[p.callsHead] = c
	p.callsHead = (p.callsHead + 1) % len(p.calls)
}

// Calls returns the recorded requests, oldest first.
func (p *Platform) Calls() []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Call, 0, len(p.calls))
	out = append(out, p.calls[p.callsHead:]...)
	return append(out, p.calls[:p.callsHead]...)
}

// CallsTo returns the recorded requests to one path ("statusOperation" or
// "/order/statusOperation").
func (p *Platform) CallsTo(path string) []Call {
	path = normalizePath(path)
	return slices.DeleteFunc(p.Calls(), func(c Call) bool { return c.Path != path })
}

func decodeForRecord(raw []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil && json.Unmarshal(kaigedian.RepairJSON(raw), &m) != nil {
		return nil
	}
	return m
}

// normalizePath turns "batchQuery", "order/batchQuery" or a full path
// ending in /order/batchQuery into "/order/batchQuery".
func normalizePath(path string) string {
	if path == "*" || path == "" {
		return path
	}
	if p := endpointPath(path); p != "" {
		return p
	}
	path = strings.TrimPrefix(path, "/")
	for _, family := range []string{"order/", "goods/", "store/"} {
		if strings.HasPrefix(path, family) {
			return "/" + path
		}
	}
	return "/order/" + path
}
