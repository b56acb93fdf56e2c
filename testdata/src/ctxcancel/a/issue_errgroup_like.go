package a

import (
	"context"
	"sync"
)

// Regression: an errgroup-like type stores the cancel func of the context it
// hands out and calls it from Wait (and on the first error). The store is an
// ownership transfer; Wait answers for it.

type Group struct {
	cancel  context.CancelCauseFunc
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
}

func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx) // ok: stored in Group.cancel, called by Wait and Go
	return &Group{cancel: cancel}, ctx
}

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

func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

func (s *Server) syncAll(parent context.Context, replicas []*Conn) error {
	g, ctx := WithContext(parent) // ok: WithContext returns a *Group, not a cancel func; Wait releases it
	for _, r := range replicas {
		g.Go(func() error { return r.Exec(ctx, "sync") })
	}
	return g.Wait()
}

// A group whose constructor fails after acquiring forgets the cancel func on
// that path.

func newGroupChecked(parent context.Context, c *Conn) (*Group, context.Context, error) {
	ctx, cancel := context.WithCancelCause(parent) // want `the cancel function cancel returned by context\.WithCancelCause is not called on the path that returns at line 61; call it on every path \(defer cancel\(nil\) after the call\) to release the context`
	if err := c.Ping(ctx); err != nil {
		return nil, nil, err
	}
	return &Group{cancel: cancel}, ctx, nil
}
