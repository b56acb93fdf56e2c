package budget

import "sync"

// Registry takes its mutex again on the path where the key is missing:
// the lock searches find it within their budget, and not past it.
type Registry struct {
	mu sync.Mutex
	m  map[string]int
}

func (r *Registry) Get(k string) int {
	r.mu.Lock()
	v, ok := r.m[k]
	if !ok {
		r.mu.Lock()
		r.m[k] = 0
	}
	r.mu.Unlock()
	return v
}
