//go:build go1.22

package a

import (
	"context"
	"time"
)

// The drain idiom `if !t.Stop() { <-t.C }`. Before go1.23 it is needed when
// the timer may have fired with nobody receiving (the value is buffered),
// and it blocks forever when the value was already received: then Stop
// returns false and nothing will ever be sent again.

// debouncer coalesces bursts of events into one flush after a quiet period.
type debouncer struct {
	events chan string
	quiet  time.Duration
	flush  func([]string)
}

func (d *debouncer) run(ctx context.Context) {
	t := time.NewTimer(d.quiet)
	defer t.Stop()
	var pending []string
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-d.events:
			pending = append(pending, ev)
			if !t.Stop() {
				<-t.C // want `this receive blocks forever if the value from t\.C was already received at line 36; drain without blocking: select \{ case <-t\.C: default: \}`
			}
			t.Reset(d.quiet)
		case <-t.C:
			d.flush(pending)
			pending = nil
		}
	}
}

// retryBackoff drains right after receiving: Stop returns false, the drain
// waits for a value that never comes.
func retryBackoff(ctx context.Context, op func() error, backoff func(int) time.Duration) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for attempt := 0; ; attempt++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if err := op(); err == nil {
			return nil
		}
		if !t.Stop() {
			<-t.C // want `this receive blocks forever if the value from t\.C was already received at line 52; drain without blocking: select \{ case <-t\.C: default: \}`
		}
		t.Reset(backoff(attempt))
	}
}

// Look-alikes.

// call: the receive from t.C is in the other case, on another path; here
// the fired value may still be buffered and the drain takes it.
func (c *Client) call(req string) (string, error) {
	t := time.NewTimer(c.timeout)
	select {
	case r := <-c.send(req):
		if !t.Stop() {
			<-t.C // ok: the receive from t.C in the other case is on another path
		}
		return r, nil
	case <-t.C:
		return "", errTimeout
	}
}

// idleTimeout: the timer is never received from before the drain.
func (s *Session) idleTimeout(ctx context.Context, idle time.Duration) error {
	t := time.NewTimer(idle)
	for msg := range s.outbox {
		if err := s.conn.Send(ctx, msg); err != nil {
			t.Stop()
			return err
		}
		if !t.Stop() {
			<-t.C // ok: no receive from t.C reaches here: before go1.23 a fired value is still buffered
		}
		t.Reset(idle)
	}
	t.Stop()
	return nil
}

// runFlagged tracks whether the value was taken.
func (d *debouncer) runFlagged(ctx context.Context) {
	t := time.NewTimer(d.quiet)
	defer t.Stop()
	fired := false
	var pending []string
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-d.events:
			pending = append(pending, ev)
			if !t.Stop() && !fired {
				<-t.C // ok: guarded by fired, not the bare idiom
			}
			fired = false
			t.Reset(d.quiet)
		case <-t.C:
			fired = true
			d.flush(pending)
			pending = nil
		}
	}
}

// runNonBlocking drains without blocking: right in every version.
func (d *debouncer) runNonBlocking(ctx context.Context) {
	t := time.NewTimer(d.quiet)
	defer t.Stop()
	var pending []string
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-d.events:
			pending = append(pending, ev)
			if !t.Stop() {
				select { // ok: a non-blocking drain
				case <-t.C:
				default:
				}
			}
			t.Reset(d.quiet)
		case <-t.C:
			d.flush(pending)
			pending = nil
		}
	}
}

// idleConn keeps its timer in a field and receives from it in another
// method. A drain in touch blocks if serve took the value, but that is a
// property of two goroutines and two methods.
type idleConn struct {
	idle    *time.Timer
	timeout time.Duration
	frames  chan []byte
}

func (c *idleConn) serve(ctx context.Context) {
	for {
		select {
		case <-c.idle.C:
			return
		case <-c.frames:
		case <-ctx.Done():
			return
		}
	}
}

func (c *idleConn) touch() {
	if !c.idle.Stop() {
		<-c.idle.C // ok: deliberate false negative: the receive is in another method (serve); receives are followed within one function only
	}
	c.idle.Reset(c.timeout)
}
