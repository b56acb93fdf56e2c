//go:build go1.23

// Package go123 holds the shapes of timerstop/a in files at go1.23 (set by
// the //go:build line, see ../README.txt). Since go1.23 an unreferenced
// Ticker or Timer is garbage collected whether or not it was stopped, so
// the unstopped, time.Tick and time.After-in-a-loop findings of package a
// are silent here. Goroutines that loop forever and discarded AfterFunc
// timers are findings in every version; the drain finding changes its
// message: since go1.23 a timer channel is unbuffered and Stop discards a
// fired value itself.
package go123

import (
	"context"
	"log"
	"time"
)

// The unstopped tickers and timers of package a: collected since go1.23.

// waitHealthy polls until the upstream reports healthy.
func waitHealthy(ctx context.Context, c *Client, every time.Duration) error {
	t := time.NewTicker(every) // ok: go1.23: an unreferenced ticker is collected, stopped or not
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			st, err := c.Status(ctx)
			if err != nil {
				log.Printf("status %s: %v", c.addr, err)
				continue
			}
			if st.Healthy {
				t.Stop()
				return nil
			}
		}
	}
}

// heartbeat sends n beats and stops its ticker only after the last one.
func (s *Session) heartbeat(ctx context.Context, n int) error {
	beat := time.NewTicker(s.interval) // ok: go1.23: an unreferenced ticker is collected, stopped or not
	for i := 0; i < n; i++ {
		<-beat.C
		if err := s.conn.Send(ctx, keepalive); err != nil {
			return err
		}
	}
	beat.Stop()
	return nil
}

// flushUntilDone flushes metrics on every tick and once more at the end;
// the implicit return at the closing brace leaks the ticker.
func (m *Metrics) flushUntilDone(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every) // ok: go1.23: an unreferenced ticker is collected, stopped or not
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-t.C:
			m.flush()
		}
	}
	m.flush()
}

// progress logs every few seconds while a copy runs; `=` to a declared
// variable is an acquire like `:=`.
func copyWithProgress(ctx context.Context, chunks [][]byte, dst *Conn) (int, error) {
	var report *time.Ticker
	report = time.NewTicker(5 * time.Second) // ok: go1.23: an unreferenced ticker is collected, stopped or not
	n := 0
	for _, c := range chunks {
		select {
		case <-report.C:
			log.Printf("copied %d bytes", n)
		default:
		}
		if err := dst.Send(ctx, c); err != nil {
			return n, err
		}
		n += len(c)
	}
	report.Stop()
	return n, nil
}

// fetchWithDeadline waits for a result or gives up after d: the timer is
// left in the heap for up to d on the fast path.
func (c *Client) fetchWithDeadline(ctx context.Context, key string, d time.Duration) ([]byte, error) {
	res := make(chan []byte, 1)
	go func() { res <- c.get(key) }()
	deadline := time.NewTimer(d) // ok: go1.23: an unreferenced timer is collected, stopped or not
	select {
	case b := <-res:
		return b, nil
	case <-deadline.C:
		return nil, errTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// acquireLock spins for up to 30 seconds: a constant, but not a short one.
func (s *Store) acquireLock(key string) error {
	wait := time.NewTimer(30 * time.Second) // ok: go1.23: an unreferenced timer is collected, stopped or not
	for {
		ok, err := s.tryLock(key)
		if err != nil {
			return err
		}
		if ok {
			wait.Stop()
			return nil
		}
		select {
		case <-wait.C:
			return errLockTimeout
		default:
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// probe uses exactly one second: "below one second" is strict.
func probe(ctx context.Context, c *Client) error {
	t := time.NewTimer(time.Second) // ok: go1.23: an unreferenced timer is collected, stopped or not
	done := make(chan error, 1)
	go func() { done <- c.Ping(ctx) }()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errTimeout
	}
}

// waitMillis computes its duration: not a constant.
func waitMillis(ctx context.Context, ms int, ready <-chan struct{}) error {
	t := time.NewTimer(time.Duration(ms) * time.Millisecond) // ok: go1.23: an unreferenced timer is collected, stopped or not
	select {
	case <-ready:
		return nil
	case <-t.C:
		return errNotReady
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}
