package go123

import (
	"context"
	"time"
)

// This file has no //go:build line, and GOPATH-mode packages have no go.mod:
// its Go version is unknown (""), which timerstop treats as the newest, the
// x/tools convention (versions.Future). See ../README.txt.

func pollUnknownVersion(ctx context.Context, c *Client) error {
	t := time.NewTicker(time.Second) // ok: unknown version: treated as the newest, where an unreferenced ticker is collected
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if c.Ping(ctx) == nil {
				return nil
			}
		}
	}
}

func tickUnknownVersion(ctx context.Context, c *Client) {
	for range time.Tick(time.Second) { // ok: unknown version: treated as the newest
		if c.Ping(ctx) == nil {
			return
		}
	}
}

func retryUnknownVersion(ctx context.Context, op func() error) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if op() == nil {
			return nil
		}
		if !t.Stop() {
			<-t.C // want `this receive blocks forever: since go1\.23 Stop returns false only when the value was already received or the timer stopped; delete the drain`
		}
		t.Reset(time.Second)
	}
}
