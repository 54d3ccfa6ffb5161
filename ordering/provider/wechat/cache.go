package wechat

import (
	"context"
	"sync"
	"time"
)

// cached holds one expiring value (the basic access_token, the jsapi_ticket)
// with at most one fetch in flight: WeChat's quotas for both are small, and
// a burst of page loads must cost one call, not one each.
type cached struct {
	mu      sync.Mutex
	val     string
	until   time.Time // use val before this instant
	flight  *flight
	fetches int // how many fetches ran (tests and the console's diagnostics)
}

type flight struct {
	done  chan struct{}
	val   string
	until time.Time
	err   error
}

// get returns the cached value or waits for one fetch. The fetch runs detached
// from the first caller's cancellation so that others waiting on it are not
// failed by one customer closing the page; each caller still stops waiting
// when its own ctx ends.
func (c *cached) get(ctx context.Context, now time.Time, fetch func(ctx context.Context) (string, time.Time, error)) (string, error) {
	c.mu.Lock()
	if c.val != "" && now.Before(c.until) {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	f := c.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		c.flight = f
		c.fetches++
		go func() {
			f.val, f.until, f.err = fetch(context.WithoutCancel(ctx))
			c.mu.Lock()
			if f.err == nil {
				c.val, c.until = f.val, f.until
			}
			c.flight = nil
			c.mu.Unlock()
			close(f.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// invalidate drops val if it is still the cached one (another caller may
// have replaced it already).
func (c *cached) invalidate(val string) {
	c.mu.Lock()
	if c.val == val {
		c.val, c.until = "", time.Time{}
	}
	c.mu.Unlock()
}

func (c *cached) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetches
}

// useUntil is when to stop using a value WeChat says lives expiresIn seconds:
// 5 minutes early (stable_token renews then; tickets likewise), or halfway
// for a short-lived one.
func useUntil(now time.Time, expiresIn int64) time.Time {
	life := time.Duration(expiresIn) * time.Second
	margin := 5 * time.Minute
	if life <= 2*margin {
		margin = life / 2
	}
	return now.Add(life - margin)
}
