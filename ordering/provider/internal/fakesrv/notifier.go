package fakesrv

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Delivery is one attempt to deliver a notification.
type Delivery struct {
	URL     string
	Body    []byte
	Header  http.Header
	Attempt int  // 1 for the first
	Status  int  // 0: no answer
	Acked   bool // answered 200 with the expected body
}

// Notifier posts notifications and re-sends them on a provider's schedule
// until the receiver answers HTTP 200 with Ack.
type Notifier struct {
	Ack      string
	Schedule []time.Duration // pauses before each retry
	Scale    float64         // divides the schedule (tests run hours in milliseconds)
	Done     <-chan struct{} // stops every sender

	wg         sync.WaitGroup
	mu         sync.Mutex
	deliveries []Delivery
}

// Send delivers body to url with header in the background.
func (n *Notifier) Send(url string, body []byte, header http.Header) {
	if url == "" {
		return
	}
	scale := n.Scale
	if scale <= 0 {
		scale = 1
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		for attempt := 0; attempt <= len(n.Schedule); attempt++ {
			if attempt > 0 {
				select {
				case <-n.Done:
					return
				case <-time.After(time.Duration(float64(n.Schedule[attempt-1]) / scale)):
				}
			}
			if n.deliver(url, body, header, attempt+1) {
				return
			}
		}
	}()
}

func (n *Notifier) deliver(url string, body []byte, header http.Header, attempt int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		select {
		case <-n.Done:
			cancel()
		case <-ctx.Done():
		}
	}()
	d := Delivery{URL: url, Body: body, Header: header, Attempt: attempt}
	if req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body)); err == nil {
		req.Header = header.Clone()
		if resp, err := http.DefaultClient.Do(req); err == nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
			resp.Body.Close()
			d.Status = resp.StatusCode
			d.Acked = resp.StatusCode == http.StatusOK && strings.TrimSpace(string(b)) == n.Ack
		}
	}
	n.mu.Lock()
	n.deliveries = append(n.deliveries, d)
	n.mu.Unlock()
	return d.Acked
}

// Deliveries lists the attempts so far, oldest first.
func (n *Notifier) Deliveries() []Delivery {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Delivery(nil), n.deliveries...)
}

// Wait returns when every sender has stopped (after Done closed or all acked).
func (n *Notifier) Wait() { n.wg.Wait() }
