package explore

import (
	"sync"
	"sync/atomic"
)

// A server that drains on stop: handlers skip their work once a draining
// flag kept with sync/atomic is set, and stop waits for the handlers in
// flight. The explorer runs the atomic loads and stores as memory
// operations, and schedules the other goroutines between them.

type drainServer struct {
	mu       sync.Mutex
	draining atomic.Int32
	inflight sync.WaitGroup
	served   int
}

// handle checks the flag before it takes the lock: stop can set the flag
// and take the lock in between.
func (s *drainServer) handle() {
	defer s.inflight.Done()
	if s.draining.Load() == 1 {
		return
	}
	s.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunDrain \(below\): goroutine \d holds s\.mu and is blocked itself at line \d+$`
	s.served++
	s.mu.Unlock()
}

func (s *drainServer) handleOnce() {
	defer s.inflight.Done()
	if s.draining.Load() == 1 {
		return
	}
	s.mu.Lock() // ok: stopUnlocked waits without the lock
	s.served++
	s.mu.Unlock()
}

// stop holds the lock while it waits for the handlers.
func (s *drainServer) stop() {
	s.mu.Lock()
	s.draining.Store(1)
	s.inflight.Wait()
	s.mu.Unlock()
}

func (s *drainServer) stopUnlocked() {
	s.mu.Lock()
	s.draining.Store(1)
	s.mu.Unlock() // ok: released before the wait
	s.inflight.Wait()
}

func RunDrain() {
	s := &drainServer{}
	s.inflight.Add(2)
	go s.handle()
	go s.handle()
	go s.stop()
}

func RunDrainUnlocked() {
	s := &drainServer{}
	s.inflight.Add(2)
	go s.handleOnce()
	go s.handleOnce()
	go s.stopUnlocked()
}

var _ = noLeak("RunDrainUnlocked", RunDrainUnlocked)

// A connection limiter: a connection takes a slot by compare-and-swap on
// a counter, and the last one out wakes the closer waiting on a Cond
// until the count is zero.

type limiter struct {
	mu    sync.Mutex
	idle  *sync.Cond
	conns int32
}

func newLimiter() *limiter {
	l := &limiter{}
	l.idle = sync.NewCond(&l.mu)
	return l
}

func (l *limiter) acquire() bool {
	for {
		n := atomic.LoadInt32(&l.conns)
		if n >= 2 {
			return false
		}
		if atomic.CompareAndSwapInt32(&l.conns, n, n+1) {
			return true
		}
	}
}

// releaseQuiet decrements the count without taking the lock the closer
// checks it under: the wake-up can fall between the closer's check and
// its Wait.
func (l *limiter) releaseQuiet() {
	if atomic.AddInt32(&l.conns, -1) == 0 {
		l.idle.Broadcast()
	}
}

func (l *limiter) release() {
	l.mu.Lock() // ok: the count drops and the closer is woken under the closer's lock
	if atomic.AddInt32(&l.conns, -1) == 0 {
		l.idle.Broadcast()
	}
	l.mu.Unlock()
}

func (l *limiter) waitIdle() {
	l.mu.Lock()
	for atomic.LoadInt32(&l.conns) != 0 {
		l.idle.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunLimiterQuiet \(below\): no goroutine that can still run signals l\.idle$`
	}
	l.mu.Unlock()
}

func (l *limiter) waitIdleLocked() {
	l.mu.Lock()
	for atomic.LoadInt32(&l.conns) != 0 {
		l.idle.Wait() // ok: release decrements under l.mu
	}
	l.mu.Unlock()
}

func (l *limiter) serveQuiet() {
	if l.acquire() {
		l.releaseQuiet()
	}
}

func (l *limiter) serve() {
	if l.acquire() {
		l.release()
	}
}

func RunLimiterQuiet() {
	l := newLimiter()
	atomic.StoreInt32(&l.conns, 1)
	go l.waitIdle()
	go l.releaseQuiet()
	go l.serveQuiet()
}

func RunLimiter() {
	l := newLimiter()
	atomic.StoreInt32(&l.conns, 1)
	go l.waitIdleLocked()
	go l.release()
	go l.serve()
}

var _ = noLeak("RunLimiter", RunLimiter)
