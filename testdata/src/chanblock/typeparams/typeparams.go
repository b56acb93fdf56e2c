// Package typeparams holds the shapes of chanblock/a, fanout and recv as
// generic functions and methods over chan T.
package typeparams

import (
	"context"
	"errors"
)

type result[T any] struct {
	v   T
	err error
}

// withTimeout runs f in a goroutine and gives up when ctx is done.
func withTimeout[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	resc := make(chan result[T])
	go func() {
		v, err := f(ctx)
		resc <- result[T]{v, err} // want `blocks forever sending on resc`
	}()
	select {
	case r := <-resc:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

var _ = leaks("withTimeout", func() {
	g := newGate()
	withTimeout(cancelled(), gated(g, 7))
	g.open()
})

// firstOf returns the first of several equivalent calls.
func firstOf[T any](ctx context.Context, calls []func(context.Context) (T, error)) (T, error) {
	results := make(chan result[T])
	for _, call := range calls {
		go func() {
			v, err := call(ctx)
			results <- result[T]{v, err} // want `blocks forever sending on results`
		}()
	}
	r := <-results
	return r.v, r.err
}

var _ = leaks("firstOf", func() {
	firstOf(context.Background(), []func(context.Context) (string, error){value("a"), value("b")})
})

// find streams xs through a generator and returns at the first match.
func find[T any](xs []T, match func(T) bool) (T, bool) {
	ch := make(chan T)
	go func() {
		for _, x := range xs {
			ch <- x // want `blocks forever sending on ch`
		}
		close(ch)
	}()
	for x := range ch {
		if match(x) {
			return x, true
		}
	}
	var zero T
	return zero, false
}

var _ = leaks("find", func() { find([]int{1, 2, 3}, func(x int) bool { return x == 1 }) })

var errEmpty = errors.New("empty element")

// forEachAsync hands xs to a worker and returns on the first check error
// without closing the worker's channel.
func forEachAsync[T comparable](xs []T, f func(T)) error {
	work := make(chan T)
	go func() {
		for x := range work { // want `blocks forever receiving from work`
			f(x)
		}
	}()
	var zero T
	for _, x := range xs {
		if x == zero {
			return errEmpty
		}
		work <- x
	}
	close(work)
	return nil
}

var _ = leaks("forEachAsync", func() { forEachAsync([]string{"a", ""}, func(string) {}) })
