//go:build go1.22

package a

import (
	"context"
	"log"
	"time"
)

// time.After as a select case inside a loop: before go1.23 each iteration
// leaves a timer behind until it fires.

// forward copies messages to out, dropping those that cannot be sent in time.
func forward(in <-chan Msg, out chan<- Msg, timeout time.Duration) (dropped int) {
	for m := range in {
		select {
		case out <- m:
		case <-time.After(timeout): // want `time\.After in a loop starts a timer per iteration that lives until it fires before go1\.23; create one timer outside the loop and Reset it`
			dropped++
			log.Printf("dropped %s", m.Key)
		}
	}
	return dropped
}

// consume reads events; a short constant does not help: the loop multiplies it.
func consume(ctx context.Context, events <-chan string, handle func(string)) {
	for {
		select {
		case ev := <-events:
			handle(ev)
		case <-time.After(100 * time.Millisecond): // want `time\.After in a loop starts a timer per iteration that lives until it fires before go1\.23; create one timer outside the loop and Reset it`
			log.Print("idle")
		case <-ctx.Done():
			return
		}
	}
}

// readFrames gives each frame a deadline.
func (s *Session) readFrames(frames <-chan []byte, frameTimeout time.Duration) error {
	for i := 0; ; i++ {
		var f []byte
		select {
		case f = <-frames:
		case <-time.After(frameTimeout): // want `time\.After in a loop starts a timer per iteration that lives until it fires before go1\.23; create one timer outside the loop and Reset it`
			return errTimeout
		}
		if len(f) == 0 {
			return nil
		}
		log.Printf("frame %d: %d bytes", i, len(f))
	}
}

// Look-alikes.

func (c *Client) callOnce(req string) (string, error) {
	select {
	case r := <-c.send(req):
		return r, nil
	case <-time.After(c.timeout): // ok: not in a loop: one timer per call
		return "", errTimeout
	}
}

func retry(ctx context.Context, attempts int, op func() error) error {
	backoff := 100 * time.Millisecond
	var err error
	for range attempts {
		if err = op(); err == nil {
			return nil
		}
		<-time.After(backoff) // ok: not a select case: the loop waits until it fires
		backoff *= 2
	}
	return err
}

func (m *Metrics) pollUntilDone(ctx context.Context, every time.Duration) {
	for {
		select {
		case <-ctx.Done(): // every other case leaves the loop
			return
		case <-time.After(every): // ok: every other case leaves the loop: at most one timer is pending
			m.flush()
		}
	}
}

func waitEach(items []string, gap time.Duration, handle func(string)) {
	for _, it := range items {
		select {
		case <-time.After(gap): // ok: the only case: the select waits until it fires
		}
		handle(it)
	}
}

func forwardReusing(in <-chan Msg, out chan<- Msg, timeout time.Duration) (dropped int) {
	t := time.NewTimer(timeout) // ok: one timer for the loop, stopped by the defer
	defer t.Stop()
	for m := range in {
		select {
		case out <- m:
			if !t.Stop() {
				<-t.C // ok: Reset re-arms the timer after every receive, so a value here is pending, not received
			}
		case <-t.C: // ok: not in a time.After call
			dropped++
		}
		t.Reset(timeout)
	}
	return dropped
}
