package a

import "context"

// A variable that holds either the cancel func or a closure calling it is
// one release (quic-go's server.go): the early return before it still
// leaks.
func phiClosure(ctx context.Context, wrap bool) {
	var cancel context.CancelFunc
	ctx, cancel1 := context.WithCancel(ctx) // want `the cancel function cancel1 returned by context\.WithCancel is not called on the path that returns at line 12; call it on every path \(defer cancel1\(\) after the call\) to release the context`
	if ctx.Err() != nil {
		return
	}
	if wrap {
		cancel = func() { cancel1() }
	} else {
		cancel = cancel1
	}
	useCtx(ctx)
	cancel()
}

func phiClosureOK(ctx context.Context, wrap bool) {
	var cancel context.CancelFunc
	ctx, cancel1 := context.WithCancel(ctx) // ok: either form is called
	if wrap {
		cancel = func() { cancel1() }
	} else {
		cancel = cancel1
	}
	defer cancel()
	useCtx(ctx)
}
