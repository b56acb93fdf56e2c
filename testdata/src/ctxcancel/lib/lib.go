// Package lib is a dependency of the ctxcancel testdata packages. To them its
// functions are "another package": ctxcancel reports a discarded result of
// type context.CancelFunc from it, and nothing else.
package lib

import (
	"context"
	"sync"
	"time"
)

// NewCtx returns a context with a deadline and the func that releases it.
func NewCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second) // ok: returned to the caller
}

// WithCause is NewCtx with a cause.
func WithCause(parent context.Context) (context.Context, context.CancelCauseFunc) {
	return context.WithCancelCause(parent) // ok: returned to the caller
}

// NewStop starts a background flusher and returns the func that stops it.
func NewStop() func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

var (
	mu      sync.Mutex
	pending []func()
)

// Register keeps f and calls it at Shutdown.
func Register(f func()) {
	mu.Lock()
	pending = append(pending, f)
	mu.Unlock()
}

// Shutdown calls every registered func.
func Shutdown() {
	mu.Lock()
	defer mu.Unlock()
	for _, f := range pending {
		f()
	}
	pending = nil
}

// Handle pairs a context with its cancel func for callers of this package.
type Handle struct {
	Ctx    context.Context
	Cancel context.CancelFunc
}
