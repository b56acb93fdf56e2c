package a

import "sync"

// A WaitGroup reused as a two-phase handshake (go-redis pubsub_test.go):
// the goroutine's first Done answers the first Add, its deferred Done the
// Add after the first Wait. Neither a double Done nor a count mismatch.
func handshake(stop chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1) // ok: the goroutine started before the second Add owes its Done
	go func() {
		wg.Done()       // ok: phase 1, started
		defer wg.Done() // ok: phase 2, finished, after the spawner's second Add
		<-stop
	}()
	wg.Wait()
	wg.Add(1) // ok: matched by the deferred Done above
	close(stop)
	wg.Wait()
}
