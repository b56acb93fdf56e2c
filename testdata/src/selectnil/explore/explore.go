// Package explore holds select leaks that only a schedule reveals: every
// channel of the select has a goroutine that could serve it, and the
// select still blocks forever because those goroutines are stuck on
// something the selecting goroutine (or one waiting for it) would
// release. Each leak has a look-alike that differs in the one line that
// makes it correct.
//
// Shapes whose leak depends on the schedule are not registered with
// leaks(...): internal/shapetest could not see them leak every run.
package explore

import "sync"

// A hedged request: the first answer wins, and the loser is released by a
// closer that waits for every request to be done first.

func RunHedged() {
	answers := make(chan int)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select { // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunHedged \(below\): no goroutine that can still run can reach any of its channels$`
			case answers <- i:
			case <-quit:
			}
		}()
	}
	go func() {
		wg.Wait()
		close(quit)
	}()
	<-answers
}

var _ = leaks("RunHedged", RunHedged)

func RunHedgedCloseFirst() {
	answers := make(chan int)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case answers <- i:
			case <-quit:
			}
		}()
	}
	<-answers
	close(quit) // ok: the winner's caller releases the losers itself
	wg.Wait()
}

var _ = noLeak("RunHedgedCloseFirst", RunHedgedCloseFirst)

// A batching client that holds the connection's lock across its sends,
// and a server loop that takes that lock to account for each request.

type conn struct {
	mu      sync.Mutex
	reqs    chan int
	quit    chan struct{}
	handled int
}

func (c *conn) serve() {
	for {
		select {
		case r := <-c.reqs:
			c.mu.Lock()
			c.handled += r
			c.mu.Unlock()
		case <-c.quit:
			return
		}
	}
}

func (c *conn) sendBatch(batch []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range batch {
		select { // want `^RunBatch blocks here forever on a schedule of RunBatch \(below\): no goroutine that can still run can reach any of its channels$`
		case c.reqs <- r:
		case <-c.quit:
			return
		}
	}
}

func (c *conn) sendBatchUnlocked(batch []int) {
	for _, r := range batch { // ok: sends without holding c.mu
		select {
		case c.reqs <- r:
		case <-c.quit:
			return
		}
	}
}

func (c *conn) stop() {
	c.mu.Lock()
	close(c.quit)
	c.mu.Unlock()
}

// RunBatch blocks on its second request; it is registered started in a
// goroutine, which is the one that leaks.
func RunBatch() {
	c := &conn{reqs: make(chan int), quit: make(chan struct{})}
	go c.serve()
	c.sendBatch([]int{1, 2})
	c.stop()
}

var _ = leaks("RunBatch", func() { go RunBatch() })

func RunBatchUnlocked() {
	c := &conn{reqs: make(chan int), quit: make(chan struct{})}
	go c.serve()
	c.sendBatchUnlocked([]int{1, 2})
	c.stop()
}

var _ = noLeak("RunBatchUnlocked", RunBatchUnlocked)

// A store whose getter holds the store's lock across a round trip to its
// server loop, which takes that lock to answer.

type store struct {
	mu   sync.Mutex
	n    int
	reqs chan chan int
	quit chan struct{}
}

func (s *store) serve() {
	for {
		select {
		case reply := <-s.reqs:
			s.mu.Lock()
			v := s.n
			s.mu.Unlock()
			reply <- v
		case <-s.quit:
			return
		}
	}
}

func (s *store) get() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := make(chan int)
	s.reqs <- reply
	select { // want `^RunStoreGet blocks here forever on a schedule of RunStoreGet \(below\): no goroutine that can still run can reach any of its channels$`
	case v := <-reply:
		return v
	case <-s.quit:
		return 0
	}
}

func (s *store) getUnlocked() int {
	reply := make(chan int) // ok: no lock held across the round trip
	s.reqs <- reply
	select {
	case v := <-reply:
		return v
	case <-s.quit:
		return 0
	}
}

// RunStoreGet blocks in get; it is registered started in a goroutine,
// which is the one that leaks.
func RunStoreGet() {
	s := &store{reqs: make(chan chan int), quit: make(chan struct{})}
	go s.serve()
	s.get()
	close(s.quit)
}

var _ = leaks("RunStoreGet", func() { go RunStoreGet() })

func RunStoreGetUnlocked() {
	s := &store{reqs: make(chan chan int), quit: make(chan struct{})}
	go s.serve()
	s.getUnlocked()
	close(s.quit)
}

var _ = noLeak("RunStoreGetUnlocked", RunStoreGetUnlocked)

// A merge of two feeds that waits, in one select, for either feed or the
// end of both; the end is announced by a goroutine that waits for both
// feeds' producers, and one of them is blocked on the merge, which stopped\n// receiving from a after two values.

func RunMerge() {
	a, b := make(chan int), make(chan int)
	end := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a <- 1; a <- 2 }()
	go func() { defer wg.Done(); b <- 3 }()
	go func() { wg.Wait(); close(end) }()
	go func() {
		for n := 0; n < 2; n++ {
			select {
			case <-a:
			case <-b:
			case <-end:
				return
			}
		}
		select { // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunMerge \(below\): no goroutine that can still run can reach any of its channels$`
		case <-b:
		case <-end:
		}
	}()
}

var _ = leaks("RunMerge", RunMerge)

func RunMergeAll() {
	a, b := make(chan int), make(chan int)
	end := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a <- 1; a <- 2 }()
	go func() { defer wg.Done(); b <- 3 }()
	go func() { wg.Wait(); close(end) }()
	go func() {
		for { // ok: keeps selecting until end is closed
			select {
			case <-a:
			case <-b:
			case <-end:
				return
			}
		}
	}()
}

var _ = noLeak("RunMergeAll", RunMergeAll)
