package a

import (
	"sync"
	"time"
)

// A failover router and its primary backend: Disable locks the router,
// then the backend; a failing backend locks itself, then its router.
// Each waits for the in-flight requests to settle under its first lock.

type Router struct {
	mu      sync.Mutex
	primary *Backend
	standby *Backend
	settle  time.Duration
}

type Backend struct {
	mu      sync.Mutex
	router  *Router
	healthy bool
	settle  time.Duration
}

func (r *Router) Disable() {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.primary
	time.Sleep(r.settle)
	b.mu.Lock() // want `^lock order inversion: b\.mu is locked here while r\.mu is held \(line 27\), and Fail locks b\.router\.mu \(line 41\) while it holds b\.mu \(line 37\): two goroutines running both each hold one and wait forever for the other; take the two mutexes in one order everywhere$`
	b.healthy = false
	b.mu.Unlock()
}

func (b *Backend) Fail() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.healthy = false
	time.Sleep(b.settle)
	b.router.mu.Lock() // the other order: reported at line 31
	if b.router.primary == b {
		b.router.primary, b.router.standby = b.router.standby, b
	}
	b.router.mu.Unlock()
}

func newRouter(settle time.Duration) (*Router, *Backend) {
	r := &Router{settle: settle}
	b := &Backend{router: r, healthy: true, settle: settle}
	r.primary, r.standby = b, &Backend{router: r, healthy: true}
	return r, b
}

var _ = leaks("Router.Disable+Backend.Fail", func() {
	r, b := newRouter(50 * time.Millisecond)
	go r.Disable()
	go b.Fail()
})

// The same, with the backend locking the router first, as Disable does.

type RouterOK struct {
	mu     sync.Mutex
	routes map[string]*BackendOK
}

type BackendOK struct {
	mu      sync.Mutex
	router  *RouterOK
	healthy bool
}

func (r *RouterOK) Disable(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.routes[name]
	if b == nil {
		return // Fail removed it
	}
	b.mu.Lock() // ok: router then backend, as in Fail
	b.healthy = false
	b.mu.Unlock()
}

func (b *BackendOK) Fail() {
	b.router.mu.Lock() // the other order: reported at line 31
	defer b.router.mu.Unlock()
	b.mu.Lock() // ok: router then backend, as in Disable
	b.healthy = false
	b.mu.Unlock()
	for name, x := range b.router.routes {
		if x == b {
			delete(b.router.routes, name)
		}
	}
}

var _ = noLeak("RouterOK.Disable+BackendOK.Fail", func() {
	r := &RouterOK{routes: map[string]*BackendOK{}}
	b := &BackendOK{router: r, healthy: true}
	r.routes["api"] = b
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r.Disable("api") }()
	go func() { defer wg.Done(); b.Fail() }()
	wg.Wait()
})
