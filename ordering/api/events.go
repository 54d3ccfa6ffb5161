package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/store"
)

// hub wakes the phones following an order when its status changes.
type hub struct {
	mu      sync.Mutex
	watch   map[int64]map[chan struct{}]bool
	perAddr map[string]int
	total   int
}

// Bounds of the open event streams: per client address and overall.
const (
	maxStreamsPerAddr = 8
	maxStreams        = 5000
	streamHeartbeat   = 15 * time.Second
)

func newHub() *hub {
	return &hub{watch: map[int64]map[chan struct{}]bool{}, perAddr: map[string]int{}}
}

func (h *hub) subscribe(id int64, addr string) (chan struct{}, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perAddr[addr] >= maxStreamsPerAddr || h.total >= maxStreams {
		return nil, false
	}
	ch := make(chan struct{}, 1)
	if h.watch[id] == nil {
		h.watch[id] = map[chan struct{}]bool{}
	}
	h.watch[id][ch] = true
	h.perAddr[addr]++
	h.total++
	return ch, true
}

func (h *hub) unsubscribe(id int64, addr string, ch chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.watch[id], ch)
	if len(h.watch[id]) == 0 {
		delete(h.watch, id)
	}
	if h.perAddr[addr]--; h.perAddr[addr] <= 0 {
		delete(h.perAddr, addr)
	}
	h.total--
}

func (h *hub) publish(id int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.watch[id] {
		select {
		case ch <- struct{}{}:
		default: // already woken
		}
	}
}

// Changed tells the phones following order id that it changed.
func (s *Server) Changed(id int64) { s.events.publish(id) }

// SetStatus moves an order to status (from one of from, when given) with
// the sentence the phone shows, and tells the phones.
func (s *Server) SetStatus(ctx context.Context, id int64, status orders.Status, note string, from ...orders.Status) (bool, error) {
	fs := make([]int, len(from))
	for i, f := range from {
		fs[i] = int(f)
	}
	changed, err := s.opt.DB.SetOrderingStatus(ctx, id, int(status), note, fs...)
	if changed {
		s.events.publish(id)
	}
	return changed, err
}

// orderEvents streams the order (the §6.2 object) as server-sent events:
// once at once, then after every change. The page falls back to polling
// §6.2 when a proxy buffers the stream.
func (s *Server) orderEvents(w http.ResponseWriter, r *http.Request) {
	rest, o, ok := s.ownOrder(w, r)
	if !ok {
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeDetail(w, http.StatusNotImplemented, "不支持事件流，请刷新页面。")
		return
	}
	addr := s.clientAddr(r)
	wake, ok := s.events.subscribe(o.ID, addr)
	if !ok {
		tooMany(w, 30)
		return
	}
	defer s.events.unsubscribe(o.ID, addr, wake)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	send := func(o *store.OrderingOrder) bool {
		rec, err := orders.Decode(o.OrderJSON)
		if err != nil {
			return false
		}
		b, _ := json.Marshal(orders.NewView(o, rec, rest.Schedule.Zone(), orders.Owner))
		if _, err := fmt.Fprintf(w, "event: order\ndata: %s\n\n", b); err != nil {
			return false
		}
		flusher.Flush()
		return true
	}
	if !send(o) {
		return
	}
	last := o.UpdatedAt
	beat := time.NewTicker(streamHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-wake:
			now, err := s.opt.DB.OrderingOrder(r.Context(), o.ID)
			if err != nil {
				return
			}
			if !now.UpdatedAt.Equal(last) || now.Status != o.Status {
				o, last = now, now.UpdatedAt
				if !send(now) {
					return
				}
			}
		}
	}
}
