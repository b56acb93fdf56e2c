//go:build go1.22

package heartbeat

import (
	"context"
	"time"
)

// Regression: a //go:build go1.22 line lowers this file's language version
// (loop variables, range over int), but timers follow the main module's go
// line: a program whose main module says go 1.23 gets go1.23 timers in every
// file (measured: cap(t.C) == 0 in a go1.22-tagged file of a go 1.23
// module). Silent.

func (p *Peer) WatchTagged(ctx context.Context) error {
	t := time.NewTicker(p.interval) // ok: the module is at go 1.23, whatever this file's build line says
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if p.beat(ctx) != nil {
				t.Stop()
				return errDown
			}
		}
	}
}

func tickTagged(ctx context.Context, p *Peer) {
	for range time.Tick(time.Second) { // ok: the module is at go 1.23
		if p.beat(ctx) == nil {
			return
		}
	}
}
