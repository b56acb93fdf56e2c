//go:build go1.22

package a

import (
	"context"
	"testing"
	"time"
)

// Tests are exempt from unstopped and time.Tick: the test binary exits.

func TestWaitHealthy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c := &Client{addr: "localhost:9000"}
	poll := time.NewTicker(10 * time.Millisecond) // ok: in a _test.go file
	for range 3 {
		<-poll.C
		if _, err := c.Status(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAwaitTick(t *testing.T) {
	deadline := time.NewTimer(5 * time.Second) // ok: in a _test.go file
	select {
	case <-time.Tick(10 * time.Millisecond): // ok: in a _test.go file
	case <-deadline.C:
		t.Fatal("no tick within 5s")
	}
}

func waitTicks(tb testing.TB, n int) {
	tb.Helper()
	tick := time.Tick(time.Millisecond) // ok: in a _test.go file, even outside a Test function
	for range n {
		<-tick
	}
}

func TestWaitTicks(t *testing.T) { waitTicks(t, 3) }
