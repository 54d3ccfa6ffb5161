package fakesrv

import (
	"net/http"
	"sync"
)

// Fault is one injected misbehaviour of a fake endpoint.
type Fault struct {
	Status int                         // answer this HTTP status with an HTML error page
	Hang   bool                        // wait until the client gives up or the fake closes
	Lose   bool                        // carry the request out, then lose the reply
	Reply  func(w http.ResponseWriter) // answer this provider-shaped refusal
}

// Faults queues faults per path and counts calls; safe for concurrent use.
type Faults struct {
	mu    sync.Mutex
	queue map[string][]Fault
	calls map[string]int
}

// Add queues f for the next call of path.
func (f *Faults) Add(path string, ft Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queue == nil {
		f.queue = map[string][]Fault{}
	}
	f.queue[path] = append(f.queue[path], ft)
}

// Calls is how many requests reached path.
func (f *Faults) Calls(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[path]
}

// Wrap counts each call of path and applies its next fault around h; done
// releases hanging requests when the fake closes.
func (f *Faults) Wrap(path string, done <-chan struct{}, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if f.calls == nil {
			f.calls = map[string]int{}
		}
		f.calls[path]++
		var ft *Fault
		if q := f.queue[path]; len(q) > 0 {
			ft, f.queue[path] = &q[0], q[1:]
		}
		f.mu.Unlock()
		wait := func() {
			select {
			case <-r.Context().Done():
			case <-done:
			}
		}
		switch {
		case ft == nil:
			h(w, r)
		case ft.Hang:
			wait()
		case ft.Lose:
			h(discard{}, r)
			wait()
		case ft.Status != 0:
			http.Error(w, "<html><body>"+http.StatusText(ft.Status)+"</body></html>", ft.Status)
		case ft.Reply != nil:
			ft.Reply(w)
		default:
			h(w, r)
		}
	}
}

// discard is a ResponseWriter whose output is lost.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
