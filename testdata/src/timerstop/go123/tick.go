//go:build go1.23

package go123

import (
	"context"
	"os"
	"time"
)

// time.Tick in code that returns: since go1.23 its ticker is collected once
// unreferenced, like any other.

// waitForFile polls for path until it exists or ctx ends.
func waitForFile(ctx context.Context, path string) error {
	tick := time.Tick(500 * time.Millisecond) // ok: go1.23: the ticker is collected once unreferenced
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick:
			if _, err := os.Stat(path); err == nil {
				return nil
			}
		}
	}
}

// awaitReady returns once the client answers.
func (c *Client) awaitReady(ctx context.Context) {
	for range time.Tick(time.Second) { // ok: go1.23: the ticker is collected once unreferenced
		if c.Ping(ctx) == nil {
			break
		}
	}
}

// sampleLoad takes n samples and returns them.
func sampleLoad(n int, read func() float64) []float64 {
	out := make([]float64, 0, n)
	for t := range time.Tick(100 * time.Millisecond) { // ok: go1.23: the ticker is collected once unreferenced
		_ = t
		out = append(out, read())
		if len(out) == n {
			return out
		}
	}
	return out
}

// Look-alikes.

// sampleForever never returns: the ticker lives exactly as long as the loop.
// (Not started with a go statement, so the goroutine rule does not apply.)
func sampleForever(m *Metrics) {
	for range time.Tick(time.Minute) { // ok: sampleForever never returns
		m.flush()
	}
}

func waitForFileStopped(ctx context.Context, path string) error {
	t := time.NewTicker(500 * time.Millisecond) // ok: the fix the message asks for
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if _, err := os.Stat(path); err == nil {
				return nil
			}
		}
	}
}
