//go:build go1.23

package fix

import (
	"context"
	"time"
)

// Since go1.23: Stop discards a fired value itself and returns false only
// when the value was already received or the timer stopped, so the drain can
// only block. The fix "Delete the drain, keep t.Stop()" replaces the whole if
// statement with the Stop call: Stop must still run, only the receive goes.

type throttle struct {
	calls chan func()
	gap   time.Duration
	timer *time.Timer
}

func (th *throttle) run(ctx context.Context) {
	t := time.NewTimer(th.gap)
	defer t.Stop()
	var last func()
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-th.calls:
			last = f
			if !t.Stop() {
				<-t.C // want `this receive blocks forever: since go1\.23 Stop returns false only when the value was already received or the timer stopped; delete the drain`
			}
			t.Reset(th.gap)
		case <-t.C:
			if last != nil {
				last()
				last = nil
			}
		}
	}
}

func (th *throttle) runField(ctx context.Context) {
	th.timer = time.NewTimer(th.gap)
	defer th.timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-th.calls:
			f()
			if !th.timer.Stop() {
				<-th.timer.C // want `this receive blocks forever: since go1\.23 Stop returns false only when the value was already received or the timer stopped; delete the drain`
			}
			th.timer.Reset(th.gap)
		case <-th.timer.C:
		}
	}
}

func (th *throttle) waitGap(ctx context.Context) error {
	t := time.NewTimer(th.gap)
	select {
	case <-t.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	if !t.Stop() {
		<-t.C // want `this receive blocks forever: since go1\.23 Stop returns false only when the value was already received or the timer stopped; delete the drain`
	}
	return nil
}

// Correct code: no finding, no fix. No receive reaches this drain: since
// go1.23 it is dead code, harmless.

func (th *throttle) callOrCancel(ctx context.Context, f func()) {
	t := time.NewTimer(th.gap)
	select {
	case <-ctx.Done():
		if !t.Stop() {
			<-t.C // ok: no receive from t.C reaches here: dead code since go1.23
		}
	case <-t.C:
		f()
	}
}
