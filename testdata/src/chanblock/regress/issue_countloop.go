package regress

import "errors"

// countloop (range-over-int, Go 1.22): the same shape with `for i := 0; i < n; i++`
// or `for range xs` is NOT reported; only `for range n` / `for range 10` is.
// N goroutines started by `for range n`, each sending exactly once
// on every path; the collector loop `for range n` receives exactly n values
// and has no early exit (no break/return inside it). Every send is received,
// so no goroutine can block. (pgx pgxpool/pool_test.go:1182, :1422.)
func countLoop(work func() error) []error {
	n := 100
	errc := make(chan error)
	for range n {
		go func() {
			errc <- work() // ok: the collector receives exactly n values
		}()
	}
	var errs []error
	for range n {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

var _ = noLeak("countLoop", func() { countLoop(failing) })

// Same with a deferred send.
func countLoopDefer(work func()) {
	n := 100
	done := make(chan bool)
	for range n {
		go func() {
			defer func() { done <- true }() // ok: the collector receives exactly n values
			work()
		}()
	}
	for range n {
		<-done
	}
}

var _ = noLeak("countLoopDefer", func() { countLoopDefer(func() {}) })

// Twin: the owner may return before the collector loop, receiving nothing.
func countLoopSkip(work func() error, ok func() bool) []error {
	n := 100
	errc := make(chan error)
	for range n {
		go func() {
			errc <- work() // want `blocks forever sending on errc`
		}()
	}
	if !ok() {
		return nil
	}
	var errs []error
	for range n {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

var _ = leaks("countLoopSkip", func() { countLoopSkip(failing, no) })

var errFailed = errors.New("failed")

func failing() error { return errFailed }

// countLoopEarly is the twin that leaks: the collector returns on the
// first error, and the goroutines still sending have nowhere to go.
func countLoopEarly(work func() error) error {
	n := 100
	errc := make(chan error)
	for range n {
		go func() {
			errc <- work() // want `blocks forever sending on errc`
		}()
	}
	for range n {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

var _ = leaks("countLoopEarly", func() { countLoopEarly(failing) })
