package console

import "sync"

// Event streams are held open for hours and each holds a bus subscription:
// without a cap, a client that opens thousands fills the memory (5,000 took
// 150 MB). The caps leave room for every console page, kitchen and pickup
// screen a store runs, while one client's pile-up cannot starve the others.
const (
	maxStreamsPerClient = 64
	maxStreams          = 512
)

// streamLimiter counts open event streams per client and in all.
type streamLimiter struct {
	mu       sync.Mutex
	total    int
	byClient map[string]int
}

// take reserves a stream for client; release frees it. ok is false when a
// cap is reached.
func (l *streamLimiter) take(client string) (release func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byClient == nil {
		l.byClient = map[string]int{}
	}
	if l.total >= maxStreams || l.byClient[client] >= maxStreamsPerClient {
		return nil, false
	}
	l.total++
	l.byClient[client]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.total--
			if l.byClient[client]--; l.byClient[client] <= 0 {
				delete(l.byClient, client)
			}
		})
	}, true
}
