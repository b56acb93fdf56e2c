package typeparams

import (
	"context"
	"sync"
)

// Generic look-alikes: all silent.

func withTimeoutBuffered[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	resc := make(chan result[T], 1)
	go func() {
		v, err := f(ctx)
		resc <- result[T]{v, err} // ok: room for the only send
	}()
	select {
	case r := <-resc:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

var _ = noLeak("withTimeoutBuffered", func() {
	g := newGate()
	withTimeoutBuffered(cancelled(), gated(g, 7))
	g.open()
})

func firstOfBuffered[T any](ctx context.Context, calls []func(context.Context) (T, error)) (T, error) {
	results := make(chan result[T], len(calls))
	for _, call := range calls {
		go func() {
			v, err := call(ctx)
			results <- result[T]{v, err} // ok: one slot per call
		}()
	}
	r := <-results
	return r.v, r.err
}

var _ = noLeak("firstOfBuffered", func() {
	firstOfBuffered(context.Background(), []func(context.Context) (string, error){value("a"), value("b")})
})

func forEachAsyncClosed[T comparable](xs []T, f func(T)) error {
	work := make(chan T)
	defer close(work)
	go func() {
		for x := range work { // ok: closed by the deferred close
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
	return nil
}

var _ = noLeak("forEachAsyncClosed", func() { forEachAsyncClosed([]string{"a", ""}, func(string) {}) })

// Pool is a generic worker pool that closes its queue and waits.
type Pool[T any] struct {
	work chan T
	wg   sync.WaitGroup
}

func NewPool[T any](n int, f func(T)) *Pool[T] {
	p := &Pool[T]{work: make(chan T)}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for x := range p.work { // ok: a field, closed by Close
				f(x)
			}
		}()
	}
	return p
}

func (p *Pool[T]) Submit(x T) { p.work <- x }

func (p *Pool[T]) Close() {
	close(p.work)
	p.wg.Wait()
}

// sum feeds a Pool and closes it.
func sum[T int | float64](xs []T) T {
	var (
		mu    sync.Mutex
		total T
	)
	p := NewPool(2, func(x T) {
		mu.Lock()
		total += x
		mu.Unlock()
	})
	for _, x := range xs {
		p.Submit(x)
	}
	p.Close()
	return total
}

var _ = noLeak("sum", func() { sum([]float64{1, 2, 3}) })

func mapAll[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	done := make(chan struct{}, len(xs))
	for i, x := range xs {
		go func() {
			out[i] = f(x)
			done <- struct{}{} // ok: one slot per element, and all received
		}()
	}
	for range xs {
		<-done
	}
	return out
}

var _ = noLeak("mapAll", func() { mapAll([]int{1, 2, 3}, func(x int) int { return 2 * x }) })
