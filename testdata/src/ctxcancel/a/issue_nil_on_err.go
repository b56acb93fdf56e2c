package a

import (
	"context"
	"errors"
	"time"
)

// A constructor that returns a nil cancel func with every non-nil error:
// its callers owe nothing on the err != nil branch (nats' jsm.go).

type jsOpts struct{ ctx context.Context }

func getJSOpts(wait time.Duration, bad bool) (*jsOpts, context.CancelFunc, error) {
	if bad {
		return nil, nil, errors.New("bad option")
	}
	var o jsOpts
	var cancel context.CancelFunc
	if wait > 0 {
		o.ctx, cancel = context.WithTimeout(context.Background(), wait)
	} else {
		o.ctx = context.Background()
	}
	return &o, cancel, nil
}

func accountInfo(bad bool) error {
	o, cancel, err := getJSOpts(time.Second, bad) // ok: cancel is nil whenever err is not
	if err != nil {
		return err
	}
	if cancel != nil {
		defer cancel()
	}
	useCtx(o.ctx)
	return nil
}

func accountInfoLeak(bad bool) error {
	o, cancel, err := getJSOpts(time.Second, bad) // want `the cancel function cancel returned by getJSOpts is not called on the path that returns at line 46; call it on every path \(defer cancel\(\) after the call\) to release the context`
	if err != nil {
		return err
	}
	if o.ctx == nil {
		return nil
	}
	cancel()
	return nil
}
