// Package errgroup stands in for golang.org/x/sync/errgroup in the
// testdata: the same API (Group, WithContext, Go, Wait) with the same
// behaviour, written small. leakvet knows Group.Go by this import path:
// it runs its function in a goroutine of its own.
package errgroup

import (
	"context"
	"sync"
)

// A Group is a collection of goroutines working on one task.
type Group struct {
	cancel  func(error)
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
}

// WithContext returns a new Group and a context derived from ctx,
// canceled when a function passed to Go first returns an error or when
// Wait first returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// Wait blocks until every function started by Go has returned, and
// returns the first non-nil error from them.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

// Go calls f in a new goroutine.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel(err)
				}
			})
		}
	}()
}
