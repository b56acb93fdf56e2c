package a

import (
	"context"
	"sync"
)

// Regression: errgroup-like wrappers. Go adds and starts in one method, the
// goroutine defers Done through a helper, Wait waits in another method. No
// method on its own is unbalanced, and no caller sees a WaitGroup at all.

type token struct{}

type Group struct {
	wg      sync.WaitGroup
	sem     chan token
	errOnce sync.Once
	err     error
}

func (g *Group) SetLimit(n int) { g.sem = make(chan token, n) }

func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done() // ok: matched by the Add in Go and TryGo
}

func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- token{}
	}
	g.wg.Add(1) // ok: before the go statement; done is deferred first
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.errOnce.Do(func() { g.err = err })
		}
	}()
}

func (g *Group) TryGo(f func() error) bool {
	if g.sem != nil {
		select {
		case g.sem <- token{}:
		default:
			return false // ok: returns before adding
		}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.errOnce.Do(func() { g.err = err })
		}
	}()
	return true
}

func (g *Group) Wait() error {
	g.wg.Wait() // ok: waits for goroutines Go and TryGo counted
	return g.err
}

func (c *Client) syncAll(ctx context.Context, peers []string) error {
	var g Group
	g.SetLimit(4)
	for _, p := range peers {
		g.Go(func() error { // ok: Group.Go counts and releases
			_, err := c.Call(ctx, "sync", []byte(p))
			return err
		})
	}
	return g.Wait()
}
