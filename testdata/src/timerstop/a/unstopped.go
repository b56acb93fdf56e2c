//go:build go1.22

// Package a holds timerstop's core findings in files at go1.22 (set by the
// //go:build line, see ../README.txt): before go1.23 an unstopped Ticker is
// never freed, an unstopped Timer stays in the runtime's timer heap until it
// fires, time.Tick and time.After in a loop leak, and timer channels are
// buffered, so the drain idiom is still needed where the value may be
// pending. Package timerstop/go123 holds the same shapes at go1.23.
package a

import (
	"context"
	"log"
	"time"
)

// Tickers and timers some path forgets to stop. Each finding names the first
// leaking return in source order (or the closing brace for the implicit
// return at the end of the function).

// waitHealthy polls until the upstream reports healthy.
func waitHealthy(ctx context.Context, c *Client, every time.Duration) error {
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 27; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
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
	beat := time.NewTicker(s.interval) // want `the ticker beat from time\.NewTicker is not stopped on the path that returns at line 48; before go1\.23 an unstopped ticker is never freed: call beat\.Stop\(\) on every path \(defer beat\.Stop\(\) after the call\)`
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
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 69; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
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
	report = time.NewTicker(5 * time.Second) // want `the ticker report from time\.NewTicker is not stopped on the path that returns at line 84; before go1\.23 an unstopped ticker is never freed: call report\.Stop\(\) on every path \(defer report\.Stop\(\) after the call\)`
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
	deadline := time.NewTimer(d) // want `the timer deadline from time\.NewTimer is not stopped on the path that returns at line 100; before go1\.23 it stays in the timer heap until it fires: call deadline\.Stop\(\) on every path \(defer deadline\.Stop\(\) after the call\)`
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
	wait := time.NewTimer(30 * time.Second) // want `the timer wait from time\.NewTimer is not stopped on the path that returns at line 114; before go1\.23 it stays in the timer heap until it fires: call wait\.Stop\(\) on every path \(defer wait\.Stop\(\) after the call\)`
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
	t := time.NewTimer(time.Second) // want `the timer t from time\.NewTimer is not stopped on the path that returns at line 136; before go1\.23 it stays in the timer heap until it fires: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
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
	t := time.NewTimer(time.Duration(ms) * time.Millisecond) // want `the timer t from time\.NewTimer is not stopped on the path that returns at line 147; before go1\.23 it stays in the timer heap until it fires: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
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
