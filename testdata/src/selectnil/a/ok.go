package a

import (
	"context"
	"time"
)

// Nil channels that are meant: a case disabled by setting its channel to
// nil, an optional timer, a send case armed only when there is something to
// send. All silent.

// merge drains two inputs and disables each case once its input is closed.
func merge(a, b <-chan int, out chan<- int) {
	defer close(out)
	for a != nil || b != nil {
		select {
		case v, ok := <-a: // ok: set to nil after close, the idiom for turning a case off
			if !ok {
				a = nil
				continue
			}
			out <- v
		case v, ok := <-b: // ok: set to nil after close
			if !ok {
				b = nil
				continue
			}
			out <- v
		}
	}
}

var _ = noLeak("merge", func() {
	a, b, out := make(chan int), make(chan int), make(chan int)
	go merge(a, b, out)
	go func() {
		a <- 1
		close(a)
		b <- 2
		close(b)
	}()
	for range out {
	}
})

// receive waits for a value, with a timeout only when d > 0.
func receive(ctx context.Context, in <-chan string, d time.Duration) (string, error) {
	var timeout <-chan time.Time
	if d > 0 {
		timeout = time.After(d)
	}
	select {
	case s := <-in:
		return s, nil
	case <-timeout: // ok: assigned when d > 0
		return "", context.DeadlineExceeded
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = noLeak("receive", func() { receive(context.Background(), make(chan string), time.Millisecond) })

// pump buffers values between in and out; the send case is armed only when
// the queue is not empty.
func pump(in <-chan int, out chan<- int) {
	defer close(out)
	var queue []int
	for in != nil || len(queue) > 0 {
		var send chan<- int
		var next int
		if len(queue) > 0 {
			send = out
			next = queue[0]
		}
		select {
		case v, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			queue = append(queue, v)
		case send <- next: // ok: assigned when the queue is not empty
			queue = queue[1:]
		}
	}
}

var _ = noLeak("pump", func() {
	in, out := make(chan int), make(chan int)
	go pump(in, out)
	go func() {
		for i := range 3 {
			in <- i
		}
		close(in)
	}()
	for range out {
	}
})

// startHeartbeatMade is startHeartbeat with its channels made; stop closes
// the goroutine down.
func startHeartbeatMade(c *Conn, every time.Duration) (stop func()) {
	ticker := time.NewTicker(every)
	done := make(chan struct{})
	go func() {
		defer ticker.Stop()
		for {
			select { // ok: both channels are made
			case <-ticker.C:
				c.ping()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

var _ = noLeak("startHeartbeatMade", func() {
	stop := startHeartbeatMade(&Conn{"db:5432", func() error { return nil }}, time.Millisecond)
	time.Sleep(3 * time.Millisecond)
	stop()
})
