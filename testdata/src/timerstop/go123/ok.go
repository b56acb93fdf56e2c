//go:build go1.23

package go123

import (
	"context"
	"log"
	"time"
)

// The look-alikes of package a: silent in every version.

func waitHealthyDeferred(ctx context.Context, c *Client, every time.Duration) error {
	t := time.NewTicker(every) // ok: deferred right after the call
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if st, err := c.Status(ctx); err == nil && st.Healthy {
				return nil
			}
		}
	}
}

func (s *Session) heartbeatDeferredClosure(ctx context.Context, n int) error {
	beat := time.NewTicker(s.interval) // ok: a deferred closure stops it
	defer func() {
		beat.Stop()
		log.Printf("heartbeat to %s done", s.conn.peer)
	}()
	for i := 0; i < n; i++ {
		<-beat.C
		if err := s.conn.Send(ctx, keepalive); err != nil {
			return err
		}
	}
	return nil
}

func (m *Metrics) flushEveryBranch(ctx context.Context, every time.Duration, limit int) error {
	t := time.NewTicker(every) // ok: stopped before each return
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
			m.flush()
			if n == limit {
				t.Stop()
				return nil
			}
		}
	}
}

func (c *Client) fetchStoppedEitherWay(ctx context.Context, key string, d time.Duration) ([]byte, error) {
	res := make(chan []byte, 1)
	go func() { res <- c.get(key) }()
	deadline := time.NewTimer(d) // ok: stopped in the only case where it has not fired
	select {
	case b := <-res:
		deadline.Stop()
		return b, nil
	case <-deadline.C:
		return nil, errTimeout
	}
}

func waitFired(ready <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d) // ok: every path receives from t.C: the timer has fired and left the heap
	<-t.C
	select {
	case <-ready:
		return true
	default:
		return false
	}
}

func (c *Client) quickProbe(ctx context.Context) error {
	t := time.NewTimer(200 * time.Millisecond) // ok: a constant below one second: the timer leaves the heap when it fires
	done := make(chan error, 1)
	go func() { done <- c.Ping(ctx) }()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errTimeout
	}
}

const dialTimeout = 750 * time.Millisecond

func (c *Client) quickDial(ctx context.Context) error {
	t := time.NewTimer(dialTimeout) // ok: a named constant below one second
	done := make(chan error, 1)
	go func() { done <- c.Ping(ctx) }()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errTimeout
	}
}

func (s *Session) resetOnActivity(ctx context.Context, idle time.Duration) error {
	t := time.NewTimer(idle) // ok: deferred; Reset keeps the same timer
	defer t.Stop()
	for {
		select {
		case msg := <-s.outbox:
			if err := s.conn.Send(ctx, msg); err != nil {
				return err
			}
			t.Reset(idle)
		case <-t.C:
			return s.conn.Send(ctx, keepalive)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (m *Metrics) flushPerBatch(batches [][]string, every time.Duration) {
	for _, b := range batches {
		t := time.NewTicker(every) // ok: stopped at the end of every iteration
		for range b {
			<-t.C
			m.flush()
		}
		t.Stop()
	}
}

// runReporter never returns: no path leaves with the ticker running. (Not
// started with a go statement, so the goroutine rule does not apply.)
func runReporter(m *Metrics) {
	t := time.NewTicker(time.Minute) // ok: runReporter never returns
	for range t.C {
		m.flush()
	}
}
