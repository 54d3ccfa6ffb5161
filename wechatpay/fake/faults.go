package fake

import (
	"net/http"
)

// FaultKind is a failure the fake injects.
type FaultKind int

// Faults. The first group answers before the request is processed; the
// second processes it (a sync is accepted) and spoils the reply.
const (
	FaultNone        FaultKind = iota
	FaultSystemError           // 500 SYSTEM_ERROR
	FaultUnavailable           // 503 SERVICE_UNAVAILABLE
	FaultRateLimit             // 429 RATELIMIT_EXCEEDED, Retry-After: 1
	FaultHang                  // no answer until the client gives up or Close
	FaultSignError             // 401 SIGN_ERROR although the signature is right
	FaultNoAuth                // 403 NO_AUTH
	FaultParamError            // 400 PARAM_ERROR

	FaultTamperedReply    // 204 whose signature does not match
	FaultStaleReply       // 204 signed with a timestamp 10 minutes old
	FaultUnknownSerial    // 204 naming a key nobody configured
	FaultDropAfterProcess // processed, then the connection closes without a reply
)

var faultNames = map[FaultKind]string{
	FaultNone: "none", FaultSystemError: "system_error", FaultUnavailable: "unavailable",
	FaultRateLimit: "rate_limit", FaultHang: "hang", FaultSignError: "sign_error", FaultNoAuth: "no_auth",
	FaultParamError: "param_error", FaultTamperedReply: "tampered_reply", FaultStaleReply: "stale_reply",
	FaultUnknownSerial: "unknown_serial", FaultDropAfterProcess: "drop_after_process",
}

func (k FaultKind) String() string {
	if n, ok := faultNames[k]; ok {
		return n
	}
	return "fault?"
}

// Fault is one injected failure.
type Fault struct {
	Kind  FaultKind
	Path  string // only requests to this path; "" = every path
	Times int    // how many requests it hits; 0 = until ClearFaults
}

// SetFault adds a fault; faults are used in the order they were added.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Path != "" && f.Path != path {
			continue
		}
		hit := *f
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		return &hit
	}
	if s.opts.FailureRate > 0 && path == SyncPath && s.rng.Float64() < s.opts.FailureRate {
		if s.rng.IntN(4) == 0 {
			return &Fault{Kind: FaultRateLimit}
		}
		return &Fault{Kind: FaultSystemError}
	}
	return nil
}

// preFault carries out a fault that comes before processing. done is false
// for reply faults, which the normal path applies.
func (s *Server) preFault(w http.ResponseWriter, r *http.Request, rec *Request, f *Fault) (*apiError, bool) {
	switch f.Kind {
	case FaultSystemError:
		return &apiError{status: 500, code: "SYSTEM_ERROR", message: "系统错误"}, true
	case FaultUnavailable:
		return &apiError{status: 503, code: "SERVICE_UNAVAILABLE", message: "服务不可用，请稍后重试"}, true
	case FaultRateLimit:
		w.Header().Set("Retry-After", "1")
		return &apiError{status: 429, code: "RATELIMIT_EXCEEDED", message: "达到调用速率限制"}, true
	case FaultSignError:
		return &apiError{status: 401, code: "SIGN_ERROR", message: "签名错误"}, true
	case FaultNoAuth:
		return &apiError{status: 403, code: "NO_AUTH", message: "商户无权限"}, true
	case FaultParamError:
		return &apiError{status: 400, code: "PARAM_ERROR", message: "参数错误"}, true
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		s.record(*rec)
		return nil, true
	}
	return nil, false
}
