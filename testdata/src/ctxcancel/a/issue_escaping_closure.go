package a

import (
	"context"
	"errors"
)

// A closure over the cancel variable, handed to other code before the
// acquire, may call whatever the variable holds later: stay silent (k8s
// reflector_test.go).

type listWatch struct{ watch func() error }

var runListWatch func(ctx context.Context, lw *listWatch) error

func watchTwice(ctx context.Context) {
	var cancel context.CancelCauseFunc
	lw := &listWatch{watch: func() error {
		cancel(errors.New("done"))
		return nil
	}}
	var cctx context.Context
	cctx, cancel = context.WithCancelCause(ctx) // ok: lw.watch, run by runListWatch, calls it
	_ = runListWatch(cctx, lw)
	cctx, cancel = context.WithCancelCause(ctx) // ok: same
	_ = runListWatch(cctx, lw)
}

// A goroutine over the variable that never calls it does not release it.
func readerGoroutine(ctx context.Context, fail bool) {
	var cancel context.CancelFunc
	go func() {
		_ = cancel
	}()
	ctx, cancel = context.WithCancel(ctx) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 37; call it on every path \(defer cancel\(\) after the call\) to release the context`
	if fail {
		return
	}
	useCtx(ctx)
	cancel()
}
