package interproc

import (
	"context"
	"errors"
	"time"
)

// Channel constructors: a function that makes a channel, starts the
// goroutine that sends on it and returns it. The caller owes the receive.

// lookupAsync is a future: one value, unbuffered.
func lookupAsync(host string) <-chan string {
	ch := make(chan string)
	go func() {
		time.Sleep(time.Millisecond)
		ch <- "10.0.0.1 " + host
	}()
	return ch
}

// resolve gives up on ctx and leaves the future's goroutine blocked.
func resolve(ctx context.Context, host string) (string, error) {
	select {
	case addr := <-lookupAsync(host): // want `the goroutine lookupAsync starts blocks forever sending on the channel it returns when resolve returns at line \d+ without receiving from it`
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = leaks("resolve", func() { resolve(cancelledCtx(), "db") })

// resolveEarly drops the future on a validation error.
func resolveEarly(host string) (string, error) {
	addr := lookupAsync(host) // want `the goroutine lookupAsync starts blocks forever sending on the channel it returns when resolveEarly returns at line \d+ without receiving from it`
	if host == "" {
		return "", errors.New("empty host")
	}
	return <-addr, nil
}

var _ = leaks("resolveEarly", func() { resolveEarly("") })

// resolveWait always receives.
func resolveWait(host string) string {
	return <-lookupAsync(host) // ok: received on every path
}

var _ = noLeak("resolveWait", func() { resolveWait("db") })

// lookupBuffered has room for its one value: dropping it leaks nothing.
func lookupBuffered(host string) <-chan string {
	ch := make(chan string, 1)
	go func() { ch <- "10.0.0.2 " + host }()
	return ch
}

func resolveBuffered(ctx context.Context, host string) (string, error) {
	select {
	case addr := <-lookupBuffered(host): // ok: the buffer holds the value
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = noLeak("resolveBuffered", func() { resolveBuffered(cancelledCtx(), "db") })

// lookupCtx's goroutine gives up with ctx.
func lookupCtx(ctx context.Context, host string) <-chan string {
	ch := make(chan string)
	go func() {
		select {
		case ch <- "10.0.0.3 " + host:
		case <-ctx.Done():
		}
	}()
	return ch
}

func resolveCtx(ctx context.Context, host string) (string, error) {
	select {
	case addr := <-lookupCtx(ctx, host): // ok: the sender selects on ctx.Done()
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = noLeak("resolveCtx", func() { resolveCtx(cancelledCtx(), "db") })

// lookupVia hands the future on to its caller: the obligation goes with it.
func lookupVia(host string) <-chan string {
	return lookupAsync(host) // ok: returned, the caller owes the receive
}

var _ = noLeak("lookupVia", func() { <-lookupVia("db") })

func cancelledCtx() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
