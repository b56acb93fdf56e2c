// Package explore holds WaitGroup leaks that only a schedule reveals:
// every Add is matched by a Done on every path, and Wait still blocks
// forever because a goroutine that owes a Done is itself stuck on
// something the waiter (or a goroutine waiting for the waiter) would
// release. Each leak has a look-alike that differs in the one line that
// makes it correct.
package explore

import "sync"

// A collector that waits for its workers before draining their results:
// the workers block sending, so they never call Done.

func RunCollectAfterWait() {
	results := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- i
		}()
	}
	go func() {
		wg.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunCollectAfterWait \(below\): no goroutine that can still run calls wg\.Done$`
		for range results {
		}
	}()
}

var _ = leaks("RunCollectAfterWait", RunCollectAfterWait)

func RunCollectAfterWaitBuffered() {
	results := make(chan int, 2) // ok: room for every result, the workers finish
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- i
		}()
	}
	go func() {
		wg.Wait()
		close(results)
		for range results {
		}
	}()
}

var _ = noLeak("RunCollectAfterWaitBuffered", RunCollectAfterWaitBuffered)

// A pool whose shutdown waits for its workers before closing the queue
// they range over.

type pool struct {
	jobs chan int
	wg   sync.WaitGroup
	sum  int
	mu   sync.Mutex
}

func (p *pool) work() {
	defer p.wg.Done()
	for j := range p.jobs {
		p.mu.Lock()
		p.sum += j
		p.mu.Unlock()
	}
}

func (p *pool) shutdown() {
	p.wg.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunPoolShutdown \(below\): no goroutine that can still run calls p\.wg\.Done$`
	close(p.jobs)
}

func (p *pool) shutdownClosing() {
	close(p.jobs) // ok: closes the queue first, so the workers' loops end
	p.wg.Wait()
}

func RunPoolShutdown() {
	p := &pool{jobs: make(chan int)}
	for i := 0; i < 2; i++ {
		p.wg.Add(1)
		go p.work()
	}
	p.jobs <- 1
	go p.shutdown()
}

var _ = leaks("RunPoolShutdown", RunPoolShutdown)

func RunPoolShutdownClosing() {
	p := &pool{jobs: make(chan int)}
	for i := 0; i < 2; i++ {
		p.wg.Add(1)
		go p.work()
	}
	p.jobs <- 1
	go p.shutdownClosing()
}

var _ = noLeak("RunPoolShutdownClosing", RunPoolShutdownClosing)

// A server that waits for its in-flight requests while holding the lock
// those requests take before they finish.

type server struct {
	mu       sync.Mutex
	inflight sync.WaitGroup
	served   int
}

func (s *server) handle() {
	defer s.inflight.Done()
	s.mu.Lock()
	s.served++
	s.mu.Unlock()
}

func (s *server) drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunDrainLocked \(below\): no goroutine that can still run calls s\.inflight\.Done$`
}

func (s *server) drainUnlocked() {
	s.inflight.Wait() // ok: waits without the lock the handlers need
	s.mu.Lock()
	defer s.mu.Unlock()
}

func RunDrainLocked() {
	s := &server{}
	s.mu.Lock()
	for i := 0; i < 2; i++ {
		s.inflight.Add(1)
		go s.handle()
	}
	s.mu.Unlock()
	go s.drain()
}

func RunDrainUnlocked() {
	s := &server{}
	s.mu.Lock()
	for i := 0; i < 2; i++ {
		s.inflight.Add(1)
		go s.handle()
	}
	s.mu.Unlock()
	go s.drainUnlocked()
}

var _ = noLeak("RunDrainUnlocked", RunDrainUnlocked)

// A batch whose workers wait for the go-ahead from a coordinator that
// first waits for the workers to be done.

func RunGoAheadAfterWait() {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
		}()
	}
	go func() {
		wg.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunGoAheadAfterWait \(below\): no goroutine that can still run calls wg\.Done$`
		close(start)
	}()
}

var _ = leaks("RunGoAheadAfterWait", RunGoAheadAfterWait)

func RunGoAheadBeforeWait() {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
		}()
	}
	go func() {
		close(start) // ok: the go-ahead comes before the wait
		wg.Wait()
	}()
}

var _ = noLeak("RunGoAheadBeforeWait", RunGoAheadBeforeWait)
