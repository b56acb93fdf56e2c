// Package leaky is leakvet's built-in example: leaks of each kind leakvet
// finds (a goroutine left blocked on a send; a context's cancel function
// skipped, discarded or overwritten; a WaitGroup whose Done a goroutine
// skips; a ticker goroutine with no way out; a mutex locked twice), each
// next to the correct code it resembles. Run `leakvet` with no arguments
// to see what it reports here.
//
// A cancel function that is never called keeps the context, its timer and
// its children alive until the parent is cancelled, which for a request
// handler on context.Background() means forever.
package leaky

import (
	"context"
	"errors"
	"time"
)

// Fetch gives up on the early error return without calling cancel: every
// empty key leaks a context and its timer for five seconds.
func Fetch(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	if key == "" {
		return "", errors.New("empty key") // leak: cancel is not called on this path
	}
	defer cancel()
	return lookup(ctx, key)
}

// FetchOK is Fetch written safely: cancel is deferred right away.
func FetchOK(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	defer cancel()
	if key == "" {
		return "", errors.New("empty key")
	}
	return lookup(ctx, key)
}

// Watch throws the cancel function away: the context can only end when its
// parent does.
func Watch(parent context.Context, events chan<- string) error {
	ctx, _ := context.WithCancel(parent) // leak: the cancel function is discarded
	return watch(ctx, events)
}

// WatchOK keeps the cancel function and calls it when Watch returns.
func WatchOK(parent context.Context, events chan<- string) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return watch(ctx, events)
}

// Retry overwrites the first cancel function with the second before calling
// it: the first attempt's context and timer leak whenever it fails.
func Retry(parent context.Context, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	err := op(ctx)
	if err != nil {
		ctx, cancel = context.WithTimeout(parent, 3*time.Second) // leak: the first cancel is lost here
		err = op(ctx)
	}
	cancel()
	return err
}

// RetryOK releases each attempt's context before starting the next.
func RetryOK(parent context.Context, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	err := op(ctx)
	cancel()
	if err != nil {
		ctx, cancel = context.WithTimeout(parent, 3*time.Second)
		defer cancel()
		err = op(ctx)
	}
	return err
}

// WithDeadline hands the cancel function to its caller, who now owns it:
// returning it is not a leak.
func WithDeadline(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, d)
}

func lookup(ctx context.Context, key string) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(10 * time.Millisecond):
		return "value of " + key, nil
	}
}

func watch(ctx context.Context, events chan<- string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case events <- "tick":
		}
	}
}
