package a

import (
	"context"
	"errors"
	"time"
)

// A deferred closure that calls cancel under a guard (the named error
// result, a local flag) is how code hands a context over on success and
// releases it on failure. The analysis cannot relate the guard to the
// paths, so such a defer counts as the release (grpc's http2_client.go,
// nats' js.go).

type guardedConn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func guardedDial(context.Context) error { return nil }

func newGuardedConn(ctx context.Context, bad bool) (_ *guardedConn, err error) {
	ctx, cancel := context.WithCancel(ctx) // ok: the deferred closure cancels on every error return
	defer func() {
		if err != nil {
			cancel()
		}
	}()
	if bad {
		return nil, errors.New("bad")
	}
	if err := guardedDial(ctx); err != nil {
		return nil, err
	}
	return &guardedConn{ctx: ctx, cancel: cancel}, nil
}

func (c *guardedConn) Close() { c.cancel() }

func guardedFetch(ctx context.Context, bad bool) error {
	var cancel context.CancelFunc
	if _, ok := ctx.Deadline(); !ok {
		ctx, cancel = context.WithTimeout(ctx, time.Second) // ok: released by the flag-guarded defer or by the goroutine
	} else {
		ctx, cancel = context.WithCancel(ctx) // ok: same
	}
	cancelContext := true
	defer func() {
		if cancelContext {
			cancel()
		}
	}()
	if bad {
		return errors.New("bad")
	}
	cancelContext = false
	go func() {
		defer cancel()
		useCtx(ctx)
	}()
	return nil
}

// A guarded call that is not deferred is still a conditional release.
func guardedCallNotDeferred(ctx context.Context, retry bool) {
	ctx, cancel := context.WithCancel(ctx) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 74; call it on every path \(defer cancel\(\) after the call\) to release the context`
	release := func() {
		if !retry {
			cancel()
		}
	}
	useCtx(ctx)
	release()
}
