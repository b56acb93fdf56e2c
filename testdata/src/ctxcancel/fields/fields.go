// Package fields holds cancel and stop funcs stored in struct fields. A store
// into an unexported field of a type declared here is reported when no code
// in the package reads that field at all: nothing can ever call it.
package fields

import (
	"context"
	"iter"
	"os"
	"os/signal"
	"time"

	"ctxcancel/lib"
)

type Conn struct{}

func (c *Conn) Poll(ctx context.Context) error { return ctx.Err() }

// Unused fields.

type poller struct {
	conn   *Conn
	cancel context.CancelFunc
}

func newPoller(parent context.Context, conn *Conn) *poller {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{conn: conn}
	p.cancel = cancel // want `the cancel function stored in field poller\.cancel is never called: nothing in package fields reads cancel; call it from a Close or Stop method to release the context`
	go p.loop(ctx)
	return p
}

func (p *poller) loop(ctx context.Context) {
	for p.conn.Poll(ctx) == nil {
		time.Sleep(time.Second)
	}
}

type watcher struct {
	ctx       context.Context
	stopTimer context.CancelFunc
}

func newWatcher(parent context.Context, d time.Duration) *watcher {
	ctx, cancel := context.WithTimeout(parent, d)
	return &watcher{
		ctx:       ctx,
		stopTimer: cancel, // want `the cancel function stored in field watcher\.stopTimer is never called: nothing in package fields reads stopTimer; call it from a Close or Stop method to stop the context's timer`
	}
}

func (w *watcher) Expired() bool { return w.ctx.Err() != nil }

type daemon struct {
	ctx         context.Context
	stopSignals context.CancelFunc
}

func startDaemon() *daemon {
	d := new(daemon)
	d.ctx, d.stopSignals = signal.NotifyContext(context.Background(), os.Interrupt) // want `the stop function stored in field daemon\.stopSignals is never called: nothing in package fields reads stopSignals; call it from a Close or Stop method to stop relaying signals`
	return d
}

func (d *daemon) Done() <-chan struct{} { return d.ctx.Done() }

type cursor struct {
	next func() (string, bool)
	stop func()
}

func newCursor(rows iter.Seq[string]) *cursor {
	next, stop := iter.Pull(rows)
	return &cursor{next: next, stop: stop} // want `the stop function stored in field cursor\.stop is never called: nothing in package fields reads stop; call it from a Close or Stop method to end the iterator's goroutine`
}

func (c *cursor) Next() (string, bool) { return c.next() }

// Fields that are read: silent.

type Poller struct {
	conn   *Conn
	cancel context.CancelFunc
}

func NewPoller(parent context.Context, conn *Conn) *Poller {
	ctx, cancel := context.WithCancel(parent)
	p := &Poller{conn: conn}
	p.cancel = cancel // ok: Close calls it
	go func() {
		for conn.Poll(ctx) == nil {
			time.Sleep(time.Second)
		}
	}()
	return p
}

func (p *Poller) Close() { p.cancel() }

type ticker struct {
	ctx  context.Context
	stop context.CancelFunc
}

func newTicker(parent context.Context, d time.Duration) *ticker {
	ctx, cancel := context.WithTimeout(parent, d)
	return &ticker{ctx: ctx, stop: cancel} // ok: Stop defers it
}

func (t *ticker) Stop() {
	defer t.stop()
	<-t.ctx.Done()
}

type Job struct {
	Ctx    context.Context
	Cancel context.CancelFunc
}

func NewJob(parent context.Context) *Job {
	ctx, cancel := context.WithCancel(parent)
	return &Job{Ctx: ctx, Cancel: cancel} // ok: exported field, other packages may call it
}

type lease struct {
	ctx     context.Context
	release context.CancelFunc
}

func newLease(parent context.Context, d time.Duration) *lease {
	ctx, cancel := context.WithTimeout(parent, d)
	return &lease{ctx: ctx, release: cancel} // ok: read by Release and handed out
}

func (l *lease) Release() context.CancelFunc { return l.release }

type optional struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newOptional(parent context.Context) *optional {
	ctx, cancel := context.WithCancel(parent)
	return &optional{ctx: ctx, cancel: cancel} // ok: the field is read by a nil check; a read is enough to stay silent
}

func (o *optional) Cancelable() bool { return o.cancel != nil }

type swapper struct {
	cancel context.CancelFunc
}

func (s *swapper) reset(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	old := s.cancel
	s.cancel = cancel // ok: the previous value is read (and called) just above
	if old != nil {
		old()
	}
	return ctx
}

func newLibHandle(parent context.Context) *lib.Handle {
	ctx, cancel := context.WithCancel(parent)
	h := &lib.Handle{Ctx: ctx}
	h.Cancel = cancel // ok: a field of a type declared in another package
	return h
}
