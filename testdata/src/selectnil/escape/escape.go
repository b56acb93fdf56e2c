// Package escape holds channel variables declared without a value that are
// nevertheless assigned: through their address, by a closure, by another
// function (globals), or that are not variables at all (fields, results of
// calls). None is provably nil: all silent.
package escape

import (
	"context"
	"time"
)

type Update struct {
	Key string
}

// The address is taken: attach assigns through it.

type Feed struct {
	updates chan Update
}

func (f *Feed) attach(dst *chan Update) { *dst = f.updates }

func follow(ctx context.Context, f *Feed, apply func(Update)) {
	var updates chan Update
	f.attach(&updates)
	go func() {
		for {
			select {
			case u := <-updates: // ok: assigned through &updates
				apply(u)
			case <-ctx.Done():
				return
			}
		}
	}()
}

var _ = noLeak("follow", func() {
	ctx, cancel := context.WithCancel(context.Background())
	f := &Feed{updates: make(chan Update)}
	follow(ctx, f, func(Update) {})
	f.updates <- Update{"k"}
	cancel()
})

// A closure assigns it.

func tickUntil(ctx context.Context, every time.Duration, tick func()) {
	var ticks <-chan time.Time
	setup := func() {
		t := time.NewTicker(every)
		context.AfterFunc(ctx, t.Stop)
		ticks = t.C
	}
	setup()
	go func() {
		for {
			select {
			case <-ticks: // ok: assigned by setup
				tick()
			case <-ctx.Done():
				return
			}
		}
	}()
}

var _ = noLeak("tickUntil", func() {
	ctx, cancel := context.WithCancel(context.Background())
	tickUntil(ctx, time.Millisecond, func() {})
	time.Sleep(3 * time.Millisecond)
	cancel()
})

// A global, assigned by another function.

var shutdown chan struct{}

func initShutdown() { shutdown = make(chan struct{}) }

func waitShutdown(cleanup func()) {
	go func() {
		select {
		case <-shutdown: // ok: a global, made by initShutdown
			cleanup()
		}
	}()
}

var _ = noLeak("waitShutdown", func() {
	initShutdown()
	waitShutdown(func() {})
	close(shutdown)
})

// A field.

type Conn struct {
	closed chan struct{}
	in     chan []byte
}

func (c *Conn) readLoop(handle func([]byte)) {
	go func() {
		for {
			select {
			case b := <-c.in: // ok: fields are not variables declared here
				handle(b)
			case <-c.closed:
				return
			}
		}
	}()
}

var _ = noLeak("Conn.readLoop", func() {
	c := &Conn{closed: make(chan struct{}), in: make(chan []byte)}
	c.readLoop(func([]byte) {})
	close(c.closed)
})

// The result of a call.

func after(d time.Duration) <-chan time.Time {
	if d <= 0 {
		return nil
	}
	return time.After(d)
}

func waitFor(ctx context.Context, d time.Duration) error {
	timeout := after(d)
	select {
	case <-timeout: // ok: the result of a call, not declared nil
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var _ = noLeak("waitFor", func() { waitFor(context.Background(), time.Millisecond) })

// The loop hands ctx to the handler and returns on its error.

func serve(ctx context.Context, reqs <-chan string, handle func(context.Context, string) error) {
	go func() {
		for { // ok: ctx is used in the loop, and the loop returns on handle's error
			r := <-reqs
			if err := handle(ctx, r); err != nil {
				return
			}
		}
	}()
}

var _ = noLeak("serve", func() {
	reqs := make(chan string)
	serve(context.Background(), reqs, func(ctx context.Context, r string) error { return context.Canceled })
	reqs <- "stop"
})
