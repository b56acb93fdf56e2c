package typeparams

import "sync"

// WithLock is a generic helper that runs f under mu.
func WithLock[T any](mu *sync.Mutex, f func() T) T {
	mu.Lock() // want `^mu is locked again here, by WithLock called at line 22 of Add, while the goroutine still holds it since line 19 and sync\.Mutex is not reentrant: it blocks forever; call WithLock after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer mu.Unlock()
	return f()
}

type Counters struct {
	mu sync.Mutex
	n  map[string]int
}

// Add holds c.mu and reads through WithLock, which locks it again.
func (c *Counters) Add(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[k]++
	return WithLock(&c.mu, func() int { return c.n[k] }) // deadlocks: reported at WithLock's Lock
}

var _ = leaks("Counters.Add", func() { go (&Counters{n: map[string]int{}}).Add("k") })

// AddOK increments under WithLock alone.
func (c *Counters) AddOK(k string) int {
	return WithLock(&c.mu, func() int { c.n[k]++; return c.n[k] }) // ok: the only Lock
}

var _ = noLeak("Counters.AddOK", func() { (&Counters{n: map[string]int{}}).AddOK("k") })
