// Package explore is the explorer's budget and determinism test: two
// goroutines take two mutexes of one Pair in opposite orders, a deadlock
// only some schedules reach.
package explore

import "sync"

type Pair struct {
	a, b sync.Mutex
	n    int
}

func (p *Pair) ab() {
	p.a.Lock()
	p.b.Lock()
	p.n++
	p.b.Unlock()
	p.a.Unlock()
}

func (p *Pair) ba() {
	p.b.Lock()
	p.a.Lock()
	p.n--
	p.a.Unlock()
	p.b.Unlock()
}

func Run() {
	p := &Pair{}
	done := make(chan bool)
	go func() {
		p.ab()
		done <- true
	}()
	go func() {
		p.ba()
		done <- true
	}()
	<-done
	<-done
}
