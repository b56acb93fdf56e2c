package a

import "context"

// Acquires in a var block of several specs, and acquires passed straight
// to a call, have no assignment of their own: they must still be reported
// (and must not crash the pass: both once did).

func useCtx(context.Context) {}

func varBlock(ctx context.Context, fail bool) {
	var (
		n            = 1
		cctx, cancel = context.WithCancel(ctx) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 17; call it on every path \(defer cancel\(\) after the call\) to release the context`
	)
	if fail || n == 0 {
		return
	}
	useCtx(cctx)
	cancel()
}

func varBlockOK(ctx context.Context) {
	var (
		n            = 1
		cctx, cancel = context.WithCancel(ctx) // ok: deferred
	)
	defer cancel()
	_ = n
	useCtx(cctx)
}

func startSometimes(ctx context.Context, cancel context.CancelFunc) {
	if ctx.Err() == nil {
		return
	}
	cancel()
}

func startAlways(ctx context.Context, cancel context.CancelFunc) {
	defer cancel()
	useCtx(ctx)
}

func nested(ctx context.Context) {
	startSometimes(context.WithCancel(ctx)) // want `the cancel function returned by context\.WithCancel is not called on the path that returns at line 47; call it on every path \(defer cancel\(\) after the call\) to release the context`
}

func nestedOK(ctx context.Context) {
	startAlways(context.WithCancel(ctx)) // ok: the helper defers it
}
