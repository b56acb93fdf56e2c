// Package explore holds channel leaks that only a schedule reveals: each
// goroutine's code is fine on its own, and the send or receive that blocks
// forever does so because of what another goroutine did first. Each leak
// has a look-alike that differs in the one line that makes it correct.
//
// Shapes whose leak depends on the schedule (the race may go either way)
// are not registered with leaks(...): internal/shapetest could not see
// them leak every run.
package explore

import (
	"sync"
	"time"
)

// A worker whose Stop races with a producer.

type worker struct {
	jobs chan int
	quit chan struct{}
	done chan struct{}
}

func newWorker() *worker {
	return &worker{jobs: make(chan int), quit: make(chan struct{}), done: make(chan struct{})}
}

func (w *worker) loop() {
	defer close(w.done)
	for {
		select {
		case j := <-w.jobs:
			_ = j
		case <-w.quit:
			return
		}
	}
}

func (w *worker) stop() {
	close(w.quit)
	<-w.done
}

func (w *worker) submit(j int) {
	w.jobs <- j // want `^send on w\.jobs blocks forever once the loop in worker\.loop that receives from it has returned on <-w\.quit`
}

func (w *worker) submitOrQuit(j int) {
	select { // ok: gives up once the worker has stopped
	case w.jobs <- j:
	case <-w.quit:
	}
}

// RunWorkerStop stops the worker while a producer may still be sending:
// once the loop has seen quit, nothing receives from jobs.
func RunWorkerStop() {
	w := newWorker()
	go w.loop()
	go w.submit(1)
	w.stop()
}

func RunWorkerStopSelect() {
	w := newWorker()
	go w.loop()
	go w.submitOrQuit(1) // ok: submitOrQuit selects on quit
	w.stop()
}

var _ = noLeak("RunWorkerStopSelect", RunWorkerStopSelect)

// A server that replies on an unbuffered channel to a client that may
// have given up.

type call struct {
	arg   int
	reply chan int
}

func serve(reqs chan call, quit chan struct{}) {
	for {
		select {
		case c := <-reqs:
			c.reply <- c.arg * 2 // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunReplyAfterTimeout \(below\): no goroutine that can still run can reach c\.reply to receive from it$`
		case <-quit:
			return
		}
	}
}

func roundTrip(reqs chan call, reply chan int) int {
	reqs <- call{arg: 21, reply: reply}
	select {
	case v := <-reply:
		return v
	case <-time.After(time.Millisecond):
		return -1
	}
}

// RunReplyAfterTimeout gives up on the reply after a timeout: the server,
// busy with that reply, never gets back to its select.
func RunReplyAfterTimeout() {
	reqs, quit := make(chan call), make(chan struct{})
	go serve(reqs, quit)
	roundTrip(reqs, make(chan int))
	close(quit)
}

func RunReplyAfterTimeoutBuffered() {
	reqs, quit := make(chan call), make(chan struct{})
	go serve(reqs, quit)
	roundTrip(reqs, make(chan int, 1)) // ok: the reply has room even if nobody reads it
	close(quit)
}

var _ = noLeak("RunReplyAfterTimeoutBuffered", RunReplyAfterTimeoutBuffered)

// A pipeline stage that checks done and then sends: the consumer may
// close done between the check and the send.

func emit(vals []int, out chan<- int, done <-chan struct{}) {
	for _, v := range vals {
		select {
		case <-done:
			return
		default:
		}
		out <- v // want `^this goroutine blocks forever sending on out when RunCheckThenSend returns at line \d+ before receiving every value sent`
	}
}

func emitSelect(vals []int, out chan<- int, done <-chan struct{}) {
	for _, v := range vals {
		select {
		case out <- v: // ok: the send itself races with done
		case <-done:
			return
		}
	}
}

// RunCheckThenSend takes the first value and closes done.
func RunCheckThenSend() {
	out, done := make(chan int), make(chan struct{})
	go emit([]int{1, 2, 3}, out, done)
	<-out
	close(done)
}

func RunCheckThenSendSelect() {
	out, done := make(chan int), make(chan struct{})
	go emitSelect([]int{1, 2, 3}, out, done)
	<-out
	close(done)
}

var _ = noLeak("RunCheckThenSendSelect", RunCheckThenSendSelect)

// An event hub whose publisher sends holding the lock its consumer takes
// before receiving: whichever gets the lock first, both wait forever.

type hub struct {
	mu     sync.Mutex
	seen   int
	events chan int
}

func (h *hub) publish(v int) {
	h.mu.Lock()
	h.seen++
	h.events <- v // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunHub \(below\): no goroutine that can still run can reach h\.events to receive from it$`
	h.mu.Unlock()
}

func (h *hub) consume() {
	h.mu.Lock()
	v := <-h.events // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunHub \(below\): no goroutine that can still run can reach h\.events to send on or close it$`
	h.seen += v
	h.mu.Unlock()
}

func (h *hub) consumeUnlocked() {
	v := <-h.events // ok: receives before taking the lock
	h.mu.Lock()
	h.seen += v
	h.mu.Unlock()
}

func (h *hub) publishUnlocked(v int) {
	h.mu.Lock()
	h.seen++
	h.mu.Unlock()
	h.events <- v // ok: sends after unlocking
}

func RunHub() {
	h := &hub{events: make(chan int)}
	go h.publish(1)
	go h.consume()
}

var _ = leaks("RunHub", RunHub)

func RunHubUnlocked() {
	h := &hub{events: make(chan int)}
	go h.publishUnlocked(1)
	go h.consumeUnlocked()
}

var _ = noLeak("RunHubUnlocked", RunHubUnlocked)

// A crawler whose fetchers send their pages unbuffered, and whose
// indexer waits for every fetcher before reading a page.

func RunIndexAfterFetch() {
	pages := make(chan string)
	var wg sync.WaitGroup
	for _, u := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pages <- u // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunIndexAfterFetch \(below\): no goroutine that can still run can reach pages to receive from it$`
		}()
	}
	go func() {
		wg.Wait()
		close(pages)
	}()
	go func() {
		wg.Wait()
		for range pages {
		}
	}()
}

var _ = leaks("RunIndexAfterFetch", RunIndexAfterFetch)

func RunIndexWhileFetching() {
	pages := make(chan string)
	var wg sync.WaitGroup
	for _, u := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pages <- u
		}()
	}
	go func() {
		wg.Wait()
		close(pages)
	}()
	go func() {
		for range pages { // ok: reads while the fetchers run
		}
	}()
}

var _ = noLeak("RunIndexWhileFetching", RunIndexWhileFetching)

// A batch whose workers wait for a go-ahead that the coordinator gives
// only once they are all done.

func RunGoAheadAfterWait() {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunGoAheadAfterWait \(below\): no goroutine that can still run can reach start to send on or close it$`
		}()
	}
	go func() {
		wg.Wait()
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
