package a

import "sync"

// Types that embed their mutex: the receiver is the mutex's name.

// RateCounter counts requests per route.
type RateCounter struct {
	sync.Mutex
	hits map[string]int
}

func (c *RateCounter) Hit(route string) int {
	c.Lock() // want `^c is locked again here, by c\.Hit called at line 26 of Drain, while the goroutine still holds it since line 22 and sync\.Mutex is not reentrant: it blocks forever; call c\.Hit after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer c.Unlock()
	c.hits[route]++
	return c.hits[route]
}

// Drain reports the counts and resets them through Hit's lock.
func (c *RateCounter) Drain() map[string]int {
	c.Lock()
	defer c.Unlock()
	out := c.hits
	c.hits = map[string]int{}
	c.Hit("drain") // deadlocks: the second lock of c: reported at Hit's Lock
	return out
}

var _ = leaks("RateCounter.Drain", func() { go (&RateCounter{hits: map[string]int{}}).Drain() })

// Routes is a route table behind an embedded RWMutex; Ensure holds the
// read lock and adds through a helper that takes the write lock.
type Routes struct {
	sync.RWMutex
	m map[string]string
}

func (r *Routes) add(path, backend string) {
	r.Lock() // want `^r is locked again here, by r\.add called at line 49 of Ensure, while the goroutine still holds the read lock it took at line 46, and Lock waits for every reader, itself included: it blocks forever; call r\.add after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	r.m[path] = backend
	r.Unlock()
}

func (r *Routes) Ensure(path, backend string) {
	r.RLock()
	defer r.RUnlock()
	if _, ok := r.m[path]; !ok {
		r.add(path, backend) // deadlocks: Lock under the read lock: reported at add's Lock
	}
}

var _ = leaks("Routes.Ensure", func() { go (&Routes{m: map[string]string{}}).Ensure("/", "b1") })

func (r *Routes) EnsureOK(path, backend string) {
	r.RLock()
	_, ok := r.m[path]
	r.RUnlock()
	if !ok {
		r.add(path, backend) // ok: after the RUnlock
	}
}

var _ = noLeak("Routes.EnsureOK", func() { (&Routes{m: map[string]string{}}).EnsureOK("/", "b1") })
