package a

import (
	"sync"
	"time"
)

// FN: a Cond made by sync.NewCond in a local variable that a closure
// captures. go/ssa captures the variable by reference, so the Wait's
// receiver is a load of the closure's free variable (*allDone), and in
// the maker a load of the variable's Alloc; model.condUsesOf handles a
// FreeVar receiver (never produced for a captured variable) and
// condCalls stops at the Store into the Alloc: the Cond is never "seen".

// RunBatch starts the batch's workers and waits for the count of
// pending ones to drop to zero on a Cond that the workers never signal.
func RunBatch(jobs []func()) {
	var mu sync.Mutex
	allDone := sync.NewCond(&mu)
	pending := len(jobs)
	for _, job := range jobs {
		go func() {
			job()
			mu.Lock()
			pending--
			mu.Unlock()
		}()
	}
	wait := func() {
		mu.Lock()
		for pending > 0 {
			allDone.Wait() // TODO(lockblock): want `^allDone\.Wait blocks forever: no live code calls Signal or Broadcast on allDone, so nothing wakes the goroutine; signal allDone after changing the condition it waits for$`
		}
		mu.Unlock()
	}
	wait()
}

var _ = leaks("RunBatch", func() {
	go RunBatch([]func(){func() { time.Sleep(50 * time.Millisecond) }})
})
