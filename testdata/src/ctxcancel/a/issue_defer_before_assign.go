package a

import (
	"context"
	"time"
)

// `var cancel` stores nothing in SSA: a closure deferred before the first
// assignment refers to the variable, and calls whatever it holds at exit
// (nats jetstream publish.go).
func deferBeforeAssign(ctx context.Context) {
	var cancel context.CancelFunc
	defer func() {
		if cancel != nil {
			cancel()
		}
	}()
	ctx, cancel = context.WithTimeout(ctx, time.Second) // ok: the deferred closure calls it
	useCtx(ctx)
}
