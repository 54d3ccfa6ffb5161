package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/posbridge/posbridge/bridge"
)

// pingEvery is how often an idle stream carries a ping event. The page
// treats three missed pings as a dead connection (a tablet whose Wi-Fi
// dropped sees no error, only silence) and reconnects.
const pingEvery = 15 * time.Second

// events streams bridge events as server-sent events. A named ping event at
// the start and every pingEvery keeps proxies from closing an idle stream and
// lets the page tell silence from a dead link; the page reconnects by itself
// (EventSource) after a daemon restart.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	release, ok := s.streams.take(pinClientKey(clientIP(r)))
	if !ok {
		w.Header().Set("Retry-After", "30")
		writeError(w, http.StatusTooManyRequests, "实时连接过多：请关闭这台设备上多余的控制台页面")
		return
	}
	defer release()
	screen := authOf(r).kind == authDevice
	ch, stop := s.Bridge.Bus().Subscribe()
	defer stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: 2000\n: connected\n\n")
	s.ping(w)
	flusher.Flush()
	tick := time.NewTicker(pingEvery)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if screen && !s.deviceStillPaired(r) {
				return // revoked: the screen's next reconnect is refused
			}
			s.ping(w)
			flusher.Flush()
		case e, ok := <-ch:
			if !ok {
				return
			}
			if screen {
				if e, ok = screenEvent(e); !ok {
					continue
				}
			}
			b, err := json.Marshal(viewOfEvent(e))
			if err != nil {
				continue
			}
			fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.ID, e.Type, b)
			flusher.Flush()
		}
	}
}

// ping writes a ping event carrying the server's time (the page also uses it
// to show how far its own clock is off).
func (s *Server) ping(w http.ResponseWriter) {
	fmt.Fprintf(w, "event: ping\ndata: {\"type\":\"ping\",\"time\":%q}\n\n", bridge.APITime(s.now()).Format(time.RFC3339Nano))
}
