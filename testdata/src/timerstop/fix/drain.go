//go:build go1.22

package fix

import (
	"context"
	"time"
)

// Before go1.23: a drain reached by an earlier receive from the same channel
// blocks forever. The fix "Drain t.C without blocking" replaces the receive
// with a select that has a default case, which is right whether or not the
// value was received.

type autosaver struct {
	edits chan string
	delay time.Duration
	save  func([]string)
	timer *time.Timer
}

func (a *autosaver) run(ctx context.Context) {
	t := time.NewTimer(a.delay)
	defer t.Stop()
	var dirty []string
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-a.edits:
			dirty = append(dirty, e)
			if !t.Stop() {
				<-t.C // want `this receive blocks forever if the value from t\.C was already received at line 36; drain without blocking: select \{ case <-t\.C: default: \}`
			}
			t.Reset(a.delay)
		case <-t.C:
			a.save(dirty)
			dirty = nil
		}
	}
}

func (a *autosaver) runField(ctx context.Context) {
	a.timer = time.NewTimer(a.delay)
	defer a.timer.Stop()
	var dirty []string
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-a.edits:
			dirty = append(dirty, e)
			if !a.timer.Stop() {
				<-a.timer.C // want `this receive blocks forever if the value from a\.timer\.C was already received at line 57; drain without blocking: select \{ case <-a\.timer\.C: default: \}`
			}
			a.timer.Reset(a.delay)
		case <-a.timer.C:
			a.save(dirty)
			dirty = nil
		}
	}
}

// Correct code: no finding, no fix.

func (a *autosaver) saveOnce(ctx context.Context, e string) {
	t := time.NewTimer(a.delay)
	select {
	case <-ctx.Done():
		if !t.Stop() {
			<-t.C // ok: no receive from t.C reaches here: the fired value is still buffered before go1.23
		}
	case <-t.C:
		a.save([]string{e})
	}
}
