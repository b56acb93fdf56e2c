package deadselect

import (
	"context"
	"time"
)

// A health prober that hands its result to a collector nothing starts,
// or gives up when its context is cancelled, by a stop method nothing
// calls.

type prober struct {
	ctx     context.Context
	cancel  context.CancelFunc
	results chan time.Duration
}

func newProber() *prober {
	ctx, cancel := context.WithCancel(context.Background())
	return &prober{ctx: ctx, cancel: cancel, results: make(chan time.Duration)}
}

func (p *prober) probe(check func() time.Duration) {
	d := check()
	select { // want `select blocks forever: no case can ever proceed \(nothing live receives from p\.results; no live code cancels the context of p\.ctx\.Done\(\)\)`
	case p.results <- d:
	case <-p.ctx.Done():
	}
}

func (p *prober) collect(record func(time.Duration)) {
	for d := range p.results {
		record(d)
	}
}

func (p *prober) stop() { p.cancel() }

func startProbe(check func() time.Duration) *prober {
	p := newProber()
	go p.probe(check)
	return p
}

var _ = leaks("startProbe", func() { startProbe(func() time.Duration { return time.Millisecond }) })

type stoppedProber struct {
	ctx     context.Context
	cancel  context.CancelFunc
	results chan time.Duration
}

func newStoppedProber() *stoppedProber {
	ctx, cancel := context.WithCancel(context.Background())
	return &stoppedProber{ctx: ctx, cancel: cancel, results: make(chan time.Duration)}
}

func (p *stoppedProber) probe(check func() time.Duration) {
	d := check()
	select { // ok: stop cancels p.ctx
	case p.results <- d:
	case <-p.ctx.Done():
	}
}

func (p *stoppedProber) collect(record func(time.Duration)) {
	for d := range p.results {
		record(d)
	}
}

func (p *stoppedProber) stop() { p.cancel() }

func probeOnce(check func() time.Duration) *stoppedProber {
	p := newStoppedProber()
	go p.probe(check)
	p.stop() // ok: the probe is given up
	return p
}

var _ = noLeak("probeOnce", func() { probeOnce(func() time.Duration { return time.Millisecond }) })

// A reloader whose context is made with its cancel func dropped: only a
// kick, sent by a method nothing calls, could wake it.

type reloader struct {
	ctx  context.Context
	kick chan struct{}
	gen  int
}

func newReloader() *reloader {
	ctx, _ := context.WithCancel(context.Background())
	return &reloader{ctx: ctx, kick: make(chan struct{})}
}

func (r *reloader) run() {
	for {
		select { // want `select blocks forever: no case can ever proceed \(no live code cancels the context of r\.ctx\.Done\(\); nothing live sends on or closes r\.kick\)`
		case <-r.ctx.Done():
			return
		case <-r.kick:
			r.gen++
		}
	}
}

func (r *reloader) reload() { r.kick <- struct{}{} }

func startReloader() *reloader {
	r := newReloader()
	go r.run()
	return r
}

var _ = leaks("startReloader", func() { startReloader() })

type timedReloader struct {
	ctx  context.Context
	kick chan struct{}
	gen  int
}

func newTimedReloader() *timedReloader {
	ctx, _ := context.WithTimeout(context.Background(), time.Millisecond) // ok: the deadline cancels it
	return &timedReloader{ctx: ctx, kick: make(chan struct{})}
}

func (r *timedReloader) run() {
	for {
		select { // ok: r.ctx is done when its timeout fires
		case <-r.ctx.Done():
			return
		case <-r.kick:
			r.gen++
		}
	}
}

func (r *timedReloader) reload() { r.kick <- struct{}{} }

func startTimedReloader() *timedReloader {
	r := newTimedReloader()
	go r.run()
	return r
}

var _ = noLeak("startTimedReloader", func() { startTimedReloader() })
