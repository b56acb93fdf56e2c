//go:build go1.23

package heartbeat

import (
	"context"
	"time"
)

// Regression: a //go:build go1.23 line raises this file's language version,
// but timer behaviour is a run-time setting (GODEBUG asynctimerchan) whose
// default comes from the main module's go line, not from the file: a program
// whose main module says go 1.22 gets pre-go1.23 timers in every file
// (measured: cap(t.C) == 1 in a go1.23-tagged file of a go 1.22 module). The
// version that decides is the package's (module's) when known, the file's
// only in GOPATH mode.

func (p *Peer) WatchTagged(ctx context.Context) error {
	t := time.NewTicker(p.interval) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 23; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
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
