package fake

// HoldPushes keeps the pushes queued from now on (and those waiting) from
// being sent until it is called with false: a platform whose pushes arrive
// late, after the poll told posbridge the same, and after staff acted on it.
func (p *Platform) HoldPushes(on bool) {
	ps := p.pusher
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.held = on
	ps.cond.Broadcast()
}
