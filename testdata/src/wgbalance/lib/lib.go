// Package lib is code in another package: wgbalance sees its signatures, not
// what it does with a WaitGroup handed to it.
package lib

import "sync"

// Track adds n to wg and records it for Drain.
func Track(wg *sync.WaitGroup, n int) {
	wg.Add(n)
	tracked = append(tracked, wg)
}

var tracked []*sync.WaitGroup

// Drain waits for every tracked WaitGroup.
func Drain() {
	for _, wg := range tracked {
		wg.Wait()
	}
	tracked = nil
}

// Run runs f and calls wg.Done unless f fails, in which case the caller is
// expected to retry with the same WaitGroup.
func Run(wg *sync.WaitGroup, f func() error) {
	if err := f(); err != nil {
		return
	}
	wg.Done()
}

// Waiter waits on behalf of its caller.
type Waiter interface {
	WaitFor(wg *sync.WaitGroup)
}
