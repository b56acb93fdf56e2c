//go:build go1.22

// Package fix holds findings with a suggested fix and look-alikes without
// one. The fix "Add defer t.Stop() after the call" is offered only where it
// is correct on every path: a `:=` acquire outside any loop whose ticker or
// timer is only received from, reset or stopped in the function. Elsewhere
// the golden file equals the input.
package fix

import (
	"context"
	"errors"
	"time"
)

var errTimeout = errors.New("timed out")

type Replica struct {
	addr   string
	lagMs  int
	ticker *time.Ticker
}

func (r *Replica) lag(ctx context.Context) (int, error) {
	if r.addr == "" {
		return 0, errors.New("no replica")
	}
	return r.lagMs, ctx.Err()
}

// Fix offered.

func waitCaughtUp(ctx context.Context, r *Replica, every time.Duration) error {
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 38; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			lag, err := r.lag(ctx)
			if err != nil {
				t.Stop()
				return err
			}
			if lag == 0 {
				t.Stop()
				return nil
			}
		}
	}
}

func lagWithin(ctx context.Context, r *Replica, d time.Duration) (int, error) {
	res := make(chan int, 1)
	go func() {
		lag, _ := r.lag(ctx)
		res <- lag
	}()
	deadline := time.NewTimer(d) // want `the timer deadline from time\.NewTimer is not stopped on the path that returns at line 62; before go1\.23 it stays in the timer heap until it fires: call deadline\.Stop\(\) on every path \(defer deadline\.Stop\(\) after the call\)`
	select {
	case lag := <-res:
		return lag, nil
	case <-deadline.C:
		return 0, errTimeout
	}
}

func (r *Replica) sampleLag(ctx context.Context, n int, every time.Duration) ([]int, error) {
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 75; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	out := make([]int, 0, n)
	for len(out) < n {
		<-t.C
		lag, err := r.lag(ctx)
		if err != nil {
			return out, err
		}
		out = append(out, lag)
		t.Reset(every)
	}
	t.Stop()
	return out, nil
}

// No fix: the ticker is returned on the success path; a deferred Stop would
// stop it before the caller could use it.

func (r *Replica) startLagTicker(ctx context.Context, every time.Duration) (*time.Ticker, error) {
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 90; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	if _, err := r.lag(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// No fix: stored in a field on the success path.

func (r *Replica) attach(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 100; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	if _, err := r.lag(ctx); err != nil {
		return err
	}
	r.ticker = t
	return nil
}

// No fix: only the channel escapes; a deferred Stop would silence it.

func lagTicks(every time.Duration) <-chan time.Time {
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 110; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	return t.C
}

// No fix: `=` assigns a variable declared elsewhere.

func (r *Replica) waitCaughtUpAssign(ctx context.Context, every time.Duration) error {
	var t *time.Ticker
	t = time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 121; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	for range 10 {
		<-t.C
		if lag, err := r.lag(ctx); err != nil || lag == 0 {
			return err
		}
	}
	t.Stop()
	return errTimeout
}

// Correct code: no finding, no fix.

func waitCaughtUpStopped(ctx context.Context, r *Replica, every time.Duration) error {
	t := time.NewTicker(every) // ok: deferred
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if lag, err := r.lag(ctx); err != nil || lag == 0 {
				return err
			}
		}
	}
}
