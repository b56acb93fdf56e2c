//go:build go1.22

package a

import (
	"context"
	"os"
	"time"
)

// time.Tick in code that returns: before go1.23 its ticker runs forever.

// waitForFile polls for path until it exists or ctx ends.
func waitForFile(ctx context.Context, path string) error {
	tick := time.Tick(500 * time.Millisecond) // want `time\.Tick leaks its ticker before go1\.23: it can never be stopped or collected; use time\.NewTicker and stop it`
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
	for range time.Tick(time.Second) { // want `time\.Tick leaks its ticker before go1\.23: it can never be stopped or collected; use time\.NewTicker and stop it`
		if c.Ping(ctx) == nil {
			break
		}
	}
}

// sampleLoad takes n samples and returns them.
func sampleLoad(n int, read func() float64) []float64 {
	out := make([]float64, 0, n)
	for t := range time.Tick(100 * time.Millisecond) { // want `time\.Tick leaks its ticker before go1\.23: it can never be stopped or collected; use time\.NewTicker and stop it`
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
