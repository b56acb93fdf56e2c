package escape

import (
	"sync"
	"time"
)

// Conds that are signalled, or may be signalled by other packages.

// Barrier exports its Cond: other packages may broadcast on it.
type Barrier struct {
	Mu      sync.Mutex
	Arrived *sync.Cond
	n, want int
}

func NewBarrier(n int) *Barrier {
	b := &Barrier{want: n}
	b.Arrived = sync.NewCond(&b.Mu)
	return b
}

func (b *Barrier) Await() {
	b.Mu.Lock()
	b.n++
	for b.n < b.want {
		b.Arrived.Wait() // ok: an exported field; other code may signal it
	}
	b.Mu.Unlock()
}

var _ = noLeak("Barrier.Await", func() {
	b := NewBarrier(2)
	go b.Await()
	time.Sleep(20 * time.Millisecond)
	b.Mu.Lock()
	b.n++
	b.Mu.Unlock()
	b.Arrived.Broadcast()
})

// A bounded buffer whose Close broadcasts.

type ring struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	items    []int
	closed   bool
}

func NewRing() *ring {
	r := &ring{}
	r.notEmpty = sync.NewCond(&r.mu)
	return r
}

func (r *ring) Take() (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.items) == 0 && !r.closed {
		r.notEmpty.Wait() // ok: Close broadcasts
	}
	if len(r.items) == 0 {
		return 0, false
	}
	x := r.items[0]
	r.items = r.items[1:]
	return x, true
}

func (r *ring) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.notEmpty.Broadcast()
}

var _ = noLeak("ring.Take", func() {
	r := NewRing()
	go r.Take()
	time.Sleep(20 * time.Millisecond)
	r.Close()
})
