package regress

import "sync"

// closebefore: the channel is filled and closed before the workers are
// started, unconditionally, so every `range toProcess` in a worker ends after
// draining the buffered values. No worker can block on the receive. The pass
// looks only for a close after the go statement.
// (client-go util/workqueue/parallelizer.go:79, ParallelizeUntil.)
func closeBefore(workers, pieces int, do func(int)) {
	toProcess := make(chan int, pieces)
	for i := 0; i < pieces; i++ {
		toProcess <- i
	}
	close(toProcess)

	var wg sync.WaitGroup
	wg.Add(workers)
	for i := 0; i < workers; i++ {
		go func() {
			defer wg.Done()
			for p := range toProcess { // ok: closed before the workers start
				do(p)
			}
		}()
	}
	wg.Wait()
}

var _ = noLeak("closeBefore", func() { closeBefore(4, 10, func(int) {}) })

// Twin: the close comes after the go statement, and an early return skips
// it; the workers then range over an open, drained channel forever.
func closeAfterEarlyReturn(workers, pieces int, do func(int), ok func() bool) {
	toProcess := make(chan int, pieces)
	for i := 0; i < pieces; i++ {
		toProcess <- i
	}

	var wg sync.WaitGroup
	wg.Add(workers)
	for i := 0; i < workers; i++ {
		go func() {
			defer wg.Done()
			for p := range toProcess { // want `blocks forever receiving from toProcess`
				do(p)
			}
		}()
	}
	if !ok() {
		return
	}
	close(toProcess)
	wg.Wait()
}

var _ = leaks("closeAfterEarlyReturn", func() { closeAfterEarlyReturn(4, 10, func(int) {}, no) })
