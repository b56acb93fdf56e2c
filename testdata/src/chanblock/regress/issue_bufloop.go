package regress

import "time"

// bufloop: ch has capacity 3 and the one goroutine sends exactly 3 values
// (`for range 3`), so every send fits in the buffer even if the caller
// receives nothing; here the caller also receives exactly 3. No leak.
// Also reported with `for i := 0; i < 3; i++` in sender: the pass does not
// compare a constant capacity with a constant-bound loop of sends.
// (temporal internal/common/backoff/retry_test.go:170.)
func bufLoop(next func() time.Duration, bad func(time.Duration) bool) bool {
	ch := make(chan time.Duration, 3)
	go func() {
		for range 3 {
			ch <- next() // ok: 3 sends into a buffer of 3
		}
	}()
	for range 3 {
		if bad(<-ch) {
			return false // early return: the remaining values sit in the buffer
		}
	}
	return true
}

var _ = noLeak("bufLoop/bad", func() { bufLoop(millis, always) })

var _ = noLeak("bufLoop/good", func() { bufLoop(millis, never) })

// The same with a three-clause loop of sends.
func bufLoopClassic(next func() time.Duration, bad func(time.Duration) bool) bool {
	ch := make(chan time.Duration, 3)
	go func() {
		for i := 0; i < 3; i++ {
			ch <- next() // ok: 3 sends into a buffer of 3
		}
	}()
	for range 3 {
		if bad(<-ch) {
			return false
		}
	}
	return true
}

var _ = noLeak("bufLoopClassic/bad", func() { bufLoopClassic(millis, always) })

// Twin: capacity 1. When the first value is bad, one is received and one
// is buffered, and the third send blocks forever.
func bufLoopShort(next func() time.Duration, bad func(time.Duration) bool) bool {
	ch := make(chan time.Duration, 1)
	go func() {
		for range 3 {
			ch <- next() // want `blocks forever sending on ch`
		}
	}()
	for range 3 {
		if bad(<-ch) {
			return false
		}
	}
	return true
}

var _ = leaks("bufLoopShort", func() { bufLoopShort(millis, always) })

// Capacity 2 is not a twin: the caller receives at least one value before
// any early return, and one receive plus two buffer slots cover the three
// sends, so this does not leak either.
func bufLoopTwo(next func() time.Duration, bad func(time.Duration) bool) bool {
	ch := make(chan time.Duration, 2)
	go func() {
		for range 3 {
			ch <- next() // ok: one receive and two buffer slots cover 3 sends
		}
	}()
	for range 3 {
		if bad(<-ch) {
			return false
		}
	}
	return true
}

var _ = noLeak("bufLoopTwo", func() { bufLoopTwo(millis, always) })

func millis() time.Duration     { return time.Millisecond }
func always(time.Duration) bool { return true }
func never(time.Duration) bool  { return false }
