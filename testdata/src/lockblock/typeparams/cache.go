package typeparams

import "sync"

// A generic LRU-ish cache: Put holds c.mu and calls a generic method
// that locks it again.

type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]V
	order []K
	max   int
}

func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{items: map[K]V{}, max: max}
}

func (c *Cache[K, V]) Len() int {
	c.mu.Lock() // want `^c\.mu is locked again here, by c\.Len called at line 51 of Stats, while the goroutine still holds it since line 50 and sync\.Mutex is not reentrant: it blocks forever; call c\.Len after unlocking, or give it a variant that expects the lock held$`
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *Cache[K, V]) evict() {
	c.mu.Lock() // want `^c\.mu is locked again here, by c\.evict called at line 37 of Put, while the goroutine still holds it since line 34 and sync\.Mutex is not reentrant: it blocks forever; call c\.evict after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer c.mu.Unlock()
	k := c.order[0]
	c.order = c.order[1:]
	delete(c.items, k)
}

func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.max {
		c.evict() // deadlocks: reported at evict's Lock
	}
	c.items[k] = v
	c.order = append(c.order, k)
}

var _ = leaks("Cache.Put", func() {
	c := New[string, int](1)
	c.Put("a", 1)
	go c.Put("b", 2)
})

func (c *Cache[K, V]) Stats() (n, max int) {
	c.mu.Lock()
	n = c.Len() // deadlocks: reported at Len's Lock
	max = c.max
	c.mu.Unlock()
	return n, max
}

var _ = leaks("Cache.Stats", func() { go New[int, string](4).Stats() })

// The same, done right.

func (c *Cache[K, V]) evictLocked() {
	k := c.order[0]
	c.order = c.order[1:]
	delete(c.items, k)
}

func (c *Cache[K, V]) PutOK(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.max {
		c.evictLocked() // ok: takes no lock
	}
	c.items[k] = v
	c.order = append(c.order, k)
}

var _ = noLeak("Cache.PutOK", func() {
	c := New[string, int](1)
	c.PutOK("a", 1)
	c.PutOK("b", 2)
})

func (c *Cache[K, V]) StatsOK() (n, max int) {
	n = c.Len() // ok: before the Lock
	c.mu.Lock()
	max = c.max
	c.mu.Unlock()
	return n, max
}

var _ = noLeak("Cache.StatsOK", func() { New[int, string](4).StatsOK() })

// Use instantiates the cache.
func Use() {
	c := New[string, []byte](16)
	c.PutOK("k", nil)
	c.StatsOK()
}
