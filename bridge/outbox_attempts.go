package bridge

import "sync"

// attemptSet is the rows this process sent whose outcome is not written
// yet (outbox.go).
type attemptSet struct {
	mu  sync.Mutex
	ids map[int64]bool
}

func (s *attemptSet) add(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[int64]bool{}
	}
	s.ids[id] = true
}

func (s *attemptSet) del(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}

func (s *attemptSet) has(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id]
}
