package a

import (
	"sync"
	"time"
)

// Was a false negative: the lock-order inversion of order.go with the
// backend looked up in a map (r.pools[name]). A map's element is now a
// root of its own (like a call's result), so its Lock has a key and its
// class takes part in the order edges.

type Balancer struct {
	mu    sync.Mutex
	pools map[string]*Pool2
	wait  time.Duration
}

type Pool2 struct {
	mu   sync.Mutex
	lb   *Balancer
	name string
	wait time.Duration
	live bool
}

func (lb *Balancer) Drain(name string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	p := lb.pools[name]
	time.Sleep(lb.wait)
	p.mu.Lock() // want `^lock order inversion: p\.mu is locked here while lb\.mu is held \(line 28\), and Close locks p\.lb\.mu`
	p.live = false
	p.mu.Unlock()
}

func (p *Pool2) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.live = false
	time.Sleep(p.wait)
	p.lb.mu.Lock()
	delete(p.lb.pools, p.name)
	p.lb.mu.Unlock()
}

var _ = leaks("Balancer.Drain+Pool2.Close", func() {
	lb := &Balancer{pools: map[string]*Pool2{}, wait: 50 * time.Millisecond}
	p := &Pool2{lb: lb, name: "api", wait: 50 * time.Millisecond, live: true}
	lb.pools["api"] = p
	go lb.Drain("api")
	go p.Close()
})
