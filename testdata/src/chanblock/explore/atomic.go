package explore

import (
	"sync"
	"sync/atomic"
)

// Flags kept with sync/atomic: the explorer runs the atomic operations
// as the loads and stores they are, and schedules the other goroutines
// between them.

// A hedged lookup: two backends race, and the one that finishes first
// delivers the answer to the lookup's caller, which reads one answer.

type hedge struct {
	won    int32
	answer chan string
}

// deliverChecked checks that no backend won yet, then claims the win:
// both backends can pass the check before either stores.
func (h *hedge) deliverChecked(v string) {
	if atomic.LoadInt32(&h.won) == 0 {
		atomic.StoreInt32(&h.won, 1)
		h.answer <- v // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunHedgedLookup \(below\): no goroutine that can still run can reach h\.answer to receive from it$`
	}
}

func (h *hedge) deliver(v string) {
	if atomic.CompareAndSwapInt32(&h.won, 0, 1) { // ok: check and claim are one step, one backend wins
		h.answer <- v
	}
}

func (h *hedge) await(got func(string)) {
	got(<-h.answer)
}

func RunHedgedLookup() {
	h := &hedge{answer: make(chan string)}
	go h.await(func(string) {})
	go h.deliverChecked("primary")
	go h.deliverChecked("replica")
}

func RunHedgedLookupCAS() {
	h := &hedge{answer: make(chan string)}
	go h.await(func(string) {})
	go h.deliver("primary")
	go h.deliver("replica")
}

var _ = noLeak("RunHedgedLookupCAS", RunHedgedLookupCAS)

// A feed whose publishers check a closed flag before sending to its
// subscriber, which stops at close.

type feed struct {
	mu      sync.Mutex
	closed  atomic.Bool
	updates chan int
	done    chan struct{}
}

func (f *feed) subscribe() {
	for {
		select {
		case <-f.updates:
		case <-f.done:
			return
		}
	}
}

func (f *feed) close() {
	f.mu.Lock()
	f.closed.Store(true)
	close(f.done)
	f.mu.Unlock()
}

// publish checks the flag without the lock close holds: close can run
// between the check and the send.
func (f *feed) publish(v int) {
	if f.closed.Load() {
		return
	}
	f.updates <- v // want `^send on f\.updates blocks forever once the loop in feed\.subscribe that receives from it has returned on <-f\.done \(line \d+\); select on f\.done in the sender too$`
}

func (f *feed) publishLocked(v int) {
	f.mu.Lock() // ok: the flag is checked, and the send done, under the lock close takes to set it
	defer f.mu.Unlock()
	if f.closed.Load() {
		return
	}
	f.updates <- v
}

func RunFeed() {
	f := &feed{updates: make(chan int), done: make(chan struct{})}
	go f.subscribe()
	go f.publish(1)
	f.close()
}

func RunFeedLocked() {
	f := &feed{updates: make(chan int), done: make(chan struct{})}
	go f.subscribe()
	go f.publishLocked(1)
	f.close()
}

var _ = noLeak("RunFeedLocked", RunFeedLocked)
