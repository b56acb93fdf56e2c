package interproc

import "sync"

// A metrics registry behind an RWMutex whose readers call readers.

type Metrics struct {
	mu     sync.RWMutex
	gauges map[string]float64
}

func (m *Metrics) Gauge(name string) float64 {
	m.mu.RLock() // want `^m\.mu is read-locked again here, by m\.Gauge called at line 27 of Ratio, while the goroutine still holds the read lock it took at line 22, and a writer's Lock in between makes both wait forever \(sync\.RWMutex forbids recursive read locking\); call m\.Gauge after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer m.mu.RUnlock()
	return m.gauges[name]
}

// Ratio read-locks and then reads through Gauge, which read-locks again:
// stuck as soon as a writer queues between the two (not registered as a
// shape: it needs that writer).
func (m *Metrics) Ratio(a, b string) float64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.gauges[b] == 0 {
		return 0
	}
	return m.Gauge(a) / m.gauges[b] // deadlocks: a second read lock: reported at Gauge's RLock
}

func (m *Metrics) Set(name string, v float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gauges[name] = v
}

// RatioOK reads both gauges under one read lock.
func (m *Metrics) RatioOK(a, b string) float64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.gauges[b] == 0 {
		return 0
	}
	return m.gauges[a] / m.gauges[b] // ok: no second RLock
}

var _ = noLeak("Metrics.RatioOK", func() {
	m := &Metrics{gauges: map[string]float64{}}
	m.Set("b", 2)
	m.RatioOK("a", "b")
})
