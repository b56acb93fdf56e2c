// Package heartbeat is a testdata module whose go.mod says go 1.22. Its files
// carry no //go:build line: their version comes from the module, as under
// go vet. Run it with analysistest.Run(t, <this directory>, Analyzer,
// "./..."): analysistest switches to module mode when the directory it is
// given holds a go.mod (see ../README.txt).
package heartbeat

import (
	"context"
	"errors"
	"time"
)

var errDown = errors.New("peer down")

type Peer struct {
	addr     string
	interval time.Duration
	misses   int
}

func (p *Peer) beat(ctx context.Context) error {
	if p.addr == "" {
		return errDown
	}
	return ctx.Err()
}

// Watch returns after three missed beats or when ctx ends.
func (p *Peer) Watch(ctx context.Context) error {
	t := time.NewTicker(p.interval) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 35; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := p.beat(ctx); err != nil {
				p.misses++
			}
			if p.misses == 3 {
				t.Stop()
				return errDown
			}
		}
	}
}

// WatchStopped is the fix.
func (p *Peer) WatchStopped(ctx context.Context) error {
	t := time.NewTicker(p.interval) // ok: deferred
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if p.beat(ctx) != nil {
				return errDown
			}
		}
	}
}
