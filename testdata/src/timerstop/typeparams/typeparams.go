//go:build go1.22

// Package typeparams holds generic functions and types that create, keep or
// stop tickers and timers, at go1.22. Each is instantiated; a finding in a
// generic body is reported once, at its source position, whatever the
// instantiations.
package typeparams

import (
	"context"
	"sync"
	"time"
)

// Poller fetches a value on every tick and publishes it.
type Poller[T any] struct {
	every time.Duration
	fetch func(context.Context) (T, error)
	out   chan<- T
}

func (p *Poller[T]) Run(ctx context.Context) error {
	t := time.NewTicker(p.every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 32; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	for {
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
			v, err := p.fetch(ctx)
			if err != nil {
				return err
			}
			p.out <- v
		}
	}
}

func (p *Poller[T]) RunStopped(ctx context.Context) error {
	t := time.NewTicker(p.every) // ok: deferred
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			v, err := p.fetch(ctx)
			if err != nil {
				return err
			}
			p.out <- v
		}
	}
}

// firstWithin returns the first value from ch or gives up after d.
func firstWithin[T any](ch <-chan T, d time.Duration) (T, bool) {
	t := time.NewTimer(d) // want `the timer t from time\.NewTimer is not stopped on the path that returns at line 62; before go1\.23 it stays in the timer heap until it fires: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	var zero T
	select {
	case v := <-ch:
		return v, true
	case <-t.C:
		return zero, false
	}
}

func firstWithinStopped[T any](ch <-chan T, d time.Duration) (T, bool) {
	t := time.NewTimer(d) // ok: deferred
	defer t.Stop()
	var zero T
	select {
	case v := <-ch:
		return v, true
	case <-t.C:
		return zero, false
	}
}

// forwardAll copies values with a per-value send timeout.
func forwardAll[T any](in <-chan T, out chan<- T, timeout time.Duration) int {
	dropped := 0
	for v := range in {
		select {
		case out <- v:
		case <-time.After(timeout): // want `time\.After in a loop starts a timer per iteration that lives until it fires before go1\.23; create one timer outside the loop and Reset it`
			dropped++
		}
	}
	return dropped
}

// TTLCache evicts expired entries from a janitor goroutine.
type TTLCache[K comparable, V any] struct {
	mu      sync.Mutex
	items   map[K]V
	expires map[K]time.Time
	ttl     time.Duration
	quit    chan struct{}
}

func NewTTLCache[K comparable, V any](ttl time.Duration) *TTLCache[K, V] {
	c := &TTLCache[K, V]{items: map[K]V{}, expires: map[K]time.Time{}, ttl: ttl, quit: make(chan struct{})}
	t := time.NewTicker(ttl)
	go func() {
		for range t.C { // want `this goroutine receives from t\.C forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
			c.evict()
		}
	}()
	return c
}

func (c *TTLCache[K, V]) evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, at := range c.expires {
		if now.After(at) {
			delete(c.items, k)
			delete(c.expires, k)
		}
	}
}

// SetWithCallback runs onExpire when k's entry expires.
func (c *TTLCache[K, V]) SetWithCallback(k K, v V, onExpire func(K)) {
	c.mu.Lock()
	c.items[k] = v
	c.expires[k] = time.Now().Add(c.ttl)
	c.mu.Unlock()
	time.AfterFunc(c.ttl, func() { onExpire(k) }) // want `the timer from time\.AfterFunc is discarded, so TTLCache\.Close cannot stop it: the callback still runs after TTLCache is closed; keep it in a field and stop it in Close`
}

func (c *TTLCache[K, V]) Close() error {
	close(c.quit)
	return nil
}

func NewTTLCacheQuit[K comparable, V any](ttl time.Duration) *TTLCache[K, V] {
	c := &TTLCache[K, V]{items: map[K]V{}, expires: map[K]time.Time{}, ttl: ttl, quit: make(chan struct{})}
	go func() {
		t := time.NewTicker(ttl) // ok: deferred
		defer t.Stop()
		for {
			select {
			case <-t.C: // ok: quit returns
				c.evict()
			case <-c.quit:
				return
			}
		}
	}()
	return c
}

// A generic stopper: anything with Stop.
type stoppable interface{ Stop() bool }

func stopAll[S stoppable](ss ...S) {
	for _, s := range ss {
		s.Stop()
	}
}

func twoDeadlines(a, b time.Duration, done <-chan struct{}) bool {
	ta := time.NewTimer(a) // ok: stopAll stops it, instantiated with *time.Timer
	tb := time.NewTimer(b) // ok: stopAll stops it, instantiated with *time.Timer
	defer stopAll(ta, tb)
	select {
	case <-done:
		return true
	case <-ta.C:
	case <-tb.C:
	}
	return false
}

var (
	_ = (&Poller[int]{}).Run
	_ = (&Poller[string]{}).RunStopped
	_ = firstWithin[int]
	_ = firstWithin[[]byte]
	_ = firstWithinStopped[string]
	_ = forwardAll[string]
	_ = NewTTLCache[string, int]
	_ = NewTTLCache[int, []byte]
	_ = NewTTLCacheQuit[string, string]
	_ = twoDeadlines
)
