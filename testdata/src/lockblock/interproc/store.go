package interproc

import (
	"sync"
	"time"
)

// A cache in front of a slow loader. Get holds c.mu and calls helpers
// that take it again.

type Cache struct {
	mu      sync.Mutex
	entries map[string]entry
	load    func(string) string
	hits    int
}

type entry struct {
	val     string
	expires time.Time
}

func NewCache(load func(string) string) *Cache {
	return &Cache{entries: map[string]entry{}, load: load}
}

// lookup is a helper that locks for itself.
func (c *Cache) lookup(k string) (string, bool) {
	c.mu.Lock() // want `^c\.mu is locked again here, by c\.lookup called at line 55 of Get, while the goroutine still holds it since line 52 and sync\.Mutex is not reentrant: it blocks forever; call c\.lookup after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || time.Now().After(e.expires) {
		return "", false
	}
	return e.val, true
}

func (c *Cache) store(k, v string) {
	c.mu.Lock() // want `^c\.mu is locked again here, by c\.fill called at line 70 of GetOrLoad, while the goroutine still holds it since line 64 and sync\.Mutex is not reentrant: it blocks forever; call c\.fill after unlocking, or give it a variant that expects the lock held$`
	c.entries[k] = entry{v, time.Now().Add(time.Minute)}
	c.mu.Unlock()
}

// fill is two calls away from the Lock: fill -> store -> Lock.
func (c *Cache) fill(k string) string {
	v := c.load(k)
	c.store(k, v)
	return v
}

func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits++
	if v, ok := c.lookup(k); ok { // deadlocks: reported at lookup's Lock
		return v
	}
	return ""
}

var _ = leaks("Cache.Get", func() { go NewCache(func(k string) string { return k }).Get("k") })

func (c *Cache) GetOrLoad(k string) string {
	c.mu.Lock()
	e, ok := c.entries[k]
	if ok {
		c.mu.Unlock()
		return e.val
	}
	v := c.fill(k) // deadlocks: fill -> store: reported at store's Lock
	c.mu.Unlock()
	return v
}

var _ = leaks("Cache.GetOrLoad", func() { go NewCache(func(k string) string { return k }).GetOrLoad("k") })

// Purge counts through a closure that locks for itself.
func (c *Cache) Purge(now time.Time) int {
	count := func() int {
		c.mu.Lock() // want `^c\.mu is locked again here, by count called at line 90 of Purge, while the goroutine still holds it since line 84 and sync\.Mutex is not reentrant: it blocks forever; call count after unlocking, or give it a variant that expects the lock held$`
		defer c.mu.Unlock()
		return len(c.entries)
	}
	c.mu.Lock()
	for k, e := range c.entries {
		if now.After(e.expires) {
			delete(c.entries, k)
		}
	}
	n := count() // deadlocks: reported at the closure's Lock
	c.mu.Unlock()
	return n
}

var _ = leaks("Cache.Purge", func() { go NewCache(nil).Purge(time.Now()) })

// The same, done right.

func (c *Cache) lookupLocked(k string) (string, bool) {
	e, ok := c.entries[k]
	if !ok || time.Now().After(e.expires) {
		return "", false
	}
	return e.val, true
}

func (c *Cache) GetOK(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits++
	if v, ok := c.lookupLocked(k); ok { // ok: the Locked variant takes no lock
		return v
	}
	return ""
}

var _ = noLeak("Cache.GetOK", func() { NewCache(nil).GetOK("k") })

func (c *Cache) GetOrLoadOK(k string) string {
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if ok {
		return e.val
	}
	return c.fill(k) // ok: called after the Unlock
}

var _ = noLeak("Cache.GetOrLoadOK", func() { NewCache(func(k string) string { return k }).GetOrLoadOK("k") })
