package a

import (
	"errors"
	"sync"
	"time"
)

// A connection pool and a stats aggregator whose loops leave their lock
// held on some path.

type conn struct {
	id     int
	broken bool
}

type Pool struct {
	mu     sync.Mutex
	idle   []*conn
	closed bool
	dials  int
}

// Prune drops broken idle connections, one lock per connection; the
// skip of a healthy one forgets the Unlock.
func (p *Pool) Prune(cs []*conn) int {
	n := 0
	for _, c := range cs {
		p.mu.Lock() // want `^p\.mu is locked here again by the next turn of the loop: a path from this Lock back to it has no Unlock, and the goroutine still holds it since line 29 and sync\.Mutex is not reentrant: it blocks forever; unlock it on every path that goes round the loop$`
		if !c.broken {
			continue
		}
		n++
		p.mu.Unlock()
	}
	return n
}

var _ = leaks("Pool.Prune", func() { go new(Pool).Prune([]*conn{{id: 1}, {id: 2}}) })

// Get takes an idle connection, or dials one; the closed check returns
// early with the lock held.
func (p *Pool) Get() (*conn, error) {
	p.mu.Lock() // want `^p\.mu is locked here and still held when the function returns \(line 46\): that path has no Unlock \(another path releases it at line \d+\), so the next Lock of p\.mu blocks forever; unlock before that return, or defer the Unlock$`
	if p.closed {
		return nil, errors.New("pool closed")
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.dials++
	p.mu.Unlock()
	return &conn{id: p.dials}, nil
}

func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

var _ = leaks("Pool.Get", func() {
	p := new(Pool)
	p.Close()
	p.Get()
	go p.Close()
})

// Acquire waits for an idle connection, polling; a closed pool breaks out
// of the loop with the lock held.
func (p *Pool) Acquire() *conn {
	for {
		p.mu.Lock() // want `^p\.mu is locked here and still held when the function returns \(line 89\): that path has no Unlock \(another path releases it at line \d+\), so the next Lock of p\.mu blocks forever; unlock before that return, or defer the Unlock$`
		if p.closed {
			break
		}
		if n := len(p.idle); n > 0 {
			c := p.idle[n-1]
			p.idle = p.idle[:n-1]
			p.mu.Unlock()
			return c
		}
		p.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	return &conn{broken: true}
}

var _ = leaks("Pool.Acquire", func() {
	p := new(Pool)
	p.Close()
	p.Acquire()
	go p.Close()
})

// The same loops done right.

func (p *Pool) PruneOK(cs []*conn) int {
	n := 0
	for _, c := range cs {
		p.mu.Lock() // ok: every path round the loop unlocks
		if !c.broken {
			p.mu.Unlock()
			continue
		}
		n++
		p.mu.Unlock()
	}
	return n
}

var _ = noLeak("Pool.PruneOK", func() { new(Pool).PruneOK([]*conn{{id: 1}, {id: 2, broken: true}}) })

func (p *Pool) GetOK() (*conn, error) {
	p.mu.Lock() // ok: the early return unlocks too
	if p.closed {
		p.mu.Unlock()
		return nil, errors.New("pool closed")
	}
	p.dials++
	p.mu.Unlock()
	return &conn{id: p.dials}, nil
}

var _ = noLeak("Pool.GetOK", func() {
	p := new(Pool)
	p.Close()
	p.GetOK()
	p.Close()
})

func (p *Pool) AcquireOK() *conn {
	for {
		p.mu.Lock() // ok: the break unlocks first
		if p.closed {
			p.mu.Unlock()
			break
		}
		if n := len(p.idle); n > 0 {
			c := p.idle[n-1]
			p.idle = p.idle[:n-1]
			p.mu.Unlock()
			return c
		}
		p.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	return &conn{broken: true}
}

var _ = noLeak("Pool.AcquireOK", func() {
	p := new(Pool)
	p.Close()
	p.AcquireOK()
	p.Close()
})
