package leaky

import "sync"

// Cache memoizes lookups. Get holds mu while it calls load, and load
// locks mu again: sync.Mutex is not reentrant, so Get never returns.
type Cache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load(k)
}

func (c *Cache) load(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}
