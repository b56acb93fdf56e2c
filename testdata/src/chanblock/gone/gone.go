package gone

import (
	"context"
	"sync"
	"time"
)

// A counterpart that dies first: a goroutine serves a channel in a loop
// and returns when another case fires (a stop channel, a context, a
// timer); an operation elsewhere that still needs it then blocks forever.

type item struct{ key string }

// batcher collects items in a goroutine until Close.
type batcher struct {
	in   chan item
	quit chan struct{}
	got  []item
}

func newBatcher() *batcher {
	b := &batcher{in: make(chan item), quit: make(chan struct{})}
	go b.loop()
	return b
}

func (b *batcher) loop() {
	for {
		select {
		case it := <-b.in:
			b.got = append(b.got, it)
		case <-b.quit:
			return
		}
	}
}

func (b *batcher) Close() { close(b.quit) }

// Add blocks forever once Close has made loop return.
func (b *batcher) Add(it item) {
	b.in <- it // want `send on b\.in blocks forever once the loop in batcher\.loop that receives from it has returned on <-b\.quit \(line 33\); select on b\.quit in the sender too`
}

// TryAdd is Add that gives up on Close.
func (b *batcher) TryAdd(it item) {
	select {
	case b.in <- it: // ok: the select gives up when quit is closed
	case <-b.quit:
	}
}

var _ = leaks("batcher.Add after Close", func() {
	b := newBatcher()
	b.Close()
	time.Sleep(10 * time.Millisecond) // let loop see quit first
	go b.Add(item{"k"})
})

var _ = noLeak("batcher.TryAdd after Close", func() {
	b := newBatcher()
	b.Close()
	time.Sleep(10 * time.Millisecond)
	go b.TryAdd(item{"k"})
})

// dispatcher runs jobs until its context is done.
type dispatcher struct {
	jobs chan func()
}

func startDispatcher(ctx context.Context) *dispatcher {
	d := &dispatcher{jobs: make(chan func())}
	go d.run(ctx)
	return d
}

func (d *dispatcher) run(ctx context.Context) {
	for {
		select {
		case job := <-d.jobs:
			job()
		case <-ctx.Done():
			return
		}
	}
}

func (d *dispatcher) Submit(job func()) {
	d.jobs <- job // want `send on d\.jobs blocks forever once the loop in dispatcher\.run that receives from it has returned on <-ctx\.Done\(\) \(line 84\); select on ctx\.Done\(\) in the sender too`
}

var _ = leaks("dispatcher.Submit after cancel", func() {
	ctx, cancel := context.WithCancel(context.Background())
	d := startDispatcher(ctx)
	cancel()
	time.Sleep(10 * time.Millisecond)
	go d.Submit(func() {})
})

// guarded is the dispatcher whose Submit checks, under the lock Stop
// takes, that it still runs.
type guarded struct {
	mu      sync.Mutex
	stopped bool
	jobs    chan func()
	quit    chan struct{}
}

func startGuarded() *guarded {
	g := &guarded{jobs: make(chan func()), quit: make(chan struct{})}
	go g.run()
	return g
}

func (g *guarded) run() {
	for {
		select {
		case job := <-g.jobs:
			job()
		case <-g.quit:
			return
		}
	}
}

func (g *guarded) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stopped = true
	close(g.quit)
}

func (g *guarded) Submit(job func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	g.jobs <- job // ok: Stop cannot close quit while Submit holds the lock, and Submit returns once stopped
}

var _ = noLeak("guarded.Submit after Stop", func() {
	g := startGuarded()
	g.Stop()
	go g.Submit(func() {})
})

// publishAll closes done only after its last send: the loop is still
// there for every one of them.
func publishAll(events []string, sink func(string)) {
	in := make(chan string)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case e := <-in:
				sink(e)
			case <-done:
				return
			}
		}
	}()
	for _, e := range events {
		in <- e // ok: done is closed after the last send, never before one
	}
	close(done)
}

var _ = noLeak("publishAll", func() { publishAll([]string{"a", "b"}, func(string) {}) })

// publishAllEarly closes done before the sends when there is nothing to
// flush first: the loop can be gone before the first send.
func publishAllEarly(events []string, flushFirst bool, sink func(string)) {
	in := make(chan string)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case e := <-in:
				sink(e)
			case <-done:
				return
			}
		}
	}()
	if !flushFirst {
		close(done)
	}
	for _, e := range events {
		in <- e // want `send on in blocks forever once the loop in the function literal that receives from it has returned on <-done`
	}
	if flushFirst {
		close(done)
	}
}

// The loop's select picks at random between a ready in and a closed
// done: with 64 events it takes done before the last one all but surely.
var _ = leaks("publishAllEarly", func() {
	go publishAllEarly(make([]string, 64), false, func(string) {})
})

// session reads a connection's messages until it has been idle too long.
type session struct {
	incoming chan []byte
	idle     time.Duration
	n        int
}

func openSession(idle time.Duration) *session {
	s := &session{incoming: make(chan []byte), idle: idle}
	go s.readLoop()
	return s
}

func (s *session) readLoop() {
	timer := time.NewTimer(s.idle)
	defer timer.Stop()
	for {
		select {
		case <-s.incoming:
			s.n++
		case <-timer.C:
			return
		}
	}
}

func (s *session) deliver(msg []byte) {
	s.incoming <- msg // want `send on s\.incoming blocks forever once the loop in session\.readLoop that receives from it has returned on <-timer\.C \(line 225\); select on a done channel that session\.readLoop closes when it returns in the sender too`
}

var _ = leaks("session.deliver after idle timeout", func() {
	s := openSession(time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	go s.deliver([]byte("late"))
})
