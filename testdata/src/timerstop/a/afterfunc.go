//go:build go1.22

package a

import (
	"context"
	"log"
	"sync"
	"time"
)

// time.AfterFunc whose *Timer is dropped inside a type that can be closed:
// nothing can cancel the callback, which then runs against a closed value.
// In every Go version the runtime keeps the timer and its closure until it
// fires.

// Lease expires after ttl unless renewed.
type Lease struct {
	mu       sync.Mutex
	ttl      time.Duration
	expired  bool
	onExpire func()
}

func (l *Lease) expire() {
	l.mu.Lock()
	l.expired = true
	l.mu.Unlock()
	l.onExpire()
}

func (l *Lease) Grant() {
	time.AfterFunc(l.ttl, l.expire) // want `the timer from time\.AfterFunc is discarded, so Lease\.Close cannot stop it: the callback still runs after Lease is closed; keep it in a field and stop it in Close`
}

func (l *Lease) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expired = true
	return nil
}

// WorkerPool reaps idle workers later.
type WorkerPool struct {
	mu      sync.Mutex
	idle    []chan func()
	reapAge time.Duration
}

func (p *WorkerPool) release(w chan func()) {
	p.mu.Lock()
	p.idle = append(p.idle, w)
	p.mu.Unlock()
	_ = time.AfterFunc(p.reapAge, func() { // want `the timer from time\.AfterFunc is discarded, so WorkerPool\.Stop cannot stop it: the callback still runs after WorkerPool is closed; keep it in a field and stop it in Stop`
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.idle) > 0 {
			close(p.idle[0])
			p.idle = p.idle[1:]
		}
	})
}

func (p *WorkerPool) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.idle {
		close(w)
	}
	p.idle = nil
}

// Server logs slow requests after a threshold.
type Server struct {
	slow time.Duration
	log  *log.Logger
}

func (s *Server) handle(ctx context.Context, path string) {
	time.AfterFunc(s.slow, func() { s.log.Printf("slow request: %s", path) }) // want `the timer from time\.AfterFunc is discarded, so Server\.Shutdown cannot stop it: the callback still runs after Server is closed; keep it in a field and stop it in Shutdown`
	<-ctx.Done()
}

func (s *Server) Shutdown(ctx context.Context) error { return ctx.Err() }

// Look-alikes.

type Presence struct {
	mu     sync.Mutex
	expiry *time.Timer
	ttl    time.Duration
	closed bool
}

func (s *Presence) Touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.expiry != nil {
		s.expiry.Stop()
	}
	s.expiry = time.AfterFunc(s.ttl, s.expire) // ok: kept in a field that Close stops
}

func (s *Presence) expire() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

func (s *Presence) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.expiry != nil {
		s.expiry.Stop()
	}
	s.closed = true
	return nil
}

func (s *Presence) pingOnce(ctx context.Context, c *Client) error {
	warn := time.AfterFunc(time.Second, func() { log.Print("ping is slow") }) // ok: kept and stopped
	defer warn.Stop()
	return c.Ping(ctx)
}

// Close schedules a forced close after a grace period: the timer belongs
// to the shutdown itself.
func (l *Lease2) Close() error {
	time.AfterFunc(l.grace, l.forceClose) // ok: inside Close itself
	return nil
}

type Lease2 struct{ grace time.Duration }

func (l *Lease2) forceClose() {}

// Reminder has nothing to close: nothing could stop the timer anyway.
type Reminder struct{ msg string }

func (r *Reminder) schedule(d time.Duration) {
	time.AfterFunc(d, func() { log.Print(r.msg) }) // ok: Reminder has no Close, Stop or Shutdown method
}

func remindLater(d time.Duration, msg string) {
	time.AfterFunc(d, func() { log.Print(msg) }) // ok: not in a method
}

// A callback inside the method belongs to the call it serves, not to the
// receiver's lifetime (grpc's ext_proc.go OnFinish hook).
type interceptor struct{ done chan struct{} }

func (i *interceptor) Close() { close(i.done) }

func (i *interceptor) newStream(onFinish func(func()), cancelCall func()) {
	onFinish(func() {
		time.AfterFunc(time.Second, cancelCall) // ok: a per-call timer inside a callback
	})
}
